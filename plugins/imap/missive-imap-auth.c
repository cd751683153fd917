/* missive-imap-auth.c: logging in to an IMAP server — AUTHENTICATE through
 * the core's SASL driver (SASL-IR, continuation requests) and the LOGIN
 * command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"

/* ---- SASL (AUTHENTICATE) ------------------------------------------------- */

typedef struct
{
  gboolean complete;
  GBytes *data;
} SaslStep;

void
missive_imap_sasl_step_free (gpointer data)
{
  SaslStep *step = data;

  if (step == NULL)
    return;
  g_clear_pointer (&step->data, g_bytes_unref);
  g_free (step);
}

static char **
missive_imap_store_get_sasl_mechanisms (MissiveService *service)
{
  const char * const *caps = missive_service_get_capabilities (service);
  g_autoptr(GPtrArray) mechanisms = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; caps != NULL && caps[i] != NULL; i++)
    if (g_ascii_strncasecmp (caps[i], "AUTH=", 5) == 0 && caps[i][5] != '\0')
      g_ptr_array_add (mechanisms, g_ascii_strup (caps[i] + 5, -1));
  g_ptr_array_add (mechanisms, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&mechanisms), FALSE);
}

static gboolean
missive_imap_store_supports_initial_response (MissiveService *service)
{
  return missive_imap_store_has_cap (MISSIVE_IMAP_STORE (service), MISSIVE_IMAP_CAP_SASL_IR);
}

/* Hands a step's outcome to whoever waits for it (or keeps it). */
static void
sasl_deliver (MissiveImapStore *self,
              SaslStep         *step,
              GError           *error)
{
  GTask *task = g_steal_pointer (&self->sasl_task);

  if (task == NULL)
    {
      missive_imap_sasl_step_free (self->sasl_pending);
      self->sasl_pending = step;
      g_clear_error (&self->sasl_pending_error);
      self->sasl_pending_error = error;
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, step, missive_imap_sasl_step_free);
  g_object_unref (task);
}

static gboolean
is_base64 (const char *text)
{
  gsize length = strlen (text);
  gsize padding = 0;

  if (length % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < length - 2)
            return FALSE;
          padding++;
        }
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }
  return TRUE;
}

static char *
sasl_continue (MissiveImapStore          *self,
               MissiveImapCommand        *command,
               const MissiveImapResponse *response,
               gpointer                   user_data)
{
  const char *text = response->text != NULL ? response->text : "";
  SaslStep *step;
  gsize size = 0;
  guchar *data;

  if (!is_base64 (text))
    {
      /* Give up the exchange cleanly: the driver hears why once the
       * server has answered the "*". */
      g_clear_error (&self->sasl_error);
      self->sasl_error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                      "The server's authentication challenge is not base64");
      return g_strdup ("*");
    }

  step = g_new0 (SaslStep, 1);
  data = g_base64_decode (text, &size);
  step->data = missive_sasl_secret_bytes_new_take (data, size);
  sasl_deliver (self, step, NULL);
  return NULL;
}

/* The tagged reply ends the exchange: forget the command before it is
 * freed. */
static gboolean
sasl_response (MissiveImapStore          *self,
               MissiveImapCommand        *command,
               const MissiveImapResponse *response,
               gpointer                   user_data)
{
  if (response->kind == MISSIVE_IMAP_RESPONSE_TAGGED && self->sasl_command == command)
    self->sasl_command = NULL;
  return FALSE;
}

static void
sasl_setup_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  GError *error = NULL;

  if (!missive_imap_session_setup_finish (self, result, &error))
    sasl_deliver (self, NULL, error);
  else
    sasl_deliver (self, g_new0 (SaslStep, 1), NULL);
  g_object_unref (self);
}

static GError *
authentication_error (GError *error)
{
  return missive_imap_remap_server_error (error, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                             "The server refused the credentials");
}

static void
sasl_command_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  GError *error = NULL;

  self->sasl_command = NULL;
  if (!missive_imap_store_run_finish (self, result, &error))
    {
      if (self->sasl_error != NULL)
        {
          g_error_free (error);
          error = g_steal_pointer (&self->sasl_error);
        }
      sasl_deliver (self, NULL, authentication_error (error));
      g_object_unref (self);
      return;
    }
  if (self->sasl_error != NULL)
    {
      /* Accepted although we gave up: the driver fails it anyway. */
      sasl_deliver (self, NULL, g_steal_pointer (&self->sasl_error));
      g_object_unref (self);
      return;
    }
  missive_imap_session_setup_async (self, NULL, sasl_setup_cb, self);
}

static void
missive_imap_store_sasl_start_async (MissiveService      *service,
                                     const char          *mechanism,
                                     GBytes              *initial_response,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;

  g_task_set_source_tag (task, missive_imap_store_sasl_start_async);

  if (self->sasl_command != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "An authentication is already running");
      g_object_unref (task);
      return;
    }

  command = missive_imap_command_new (self, "AUTHENTICATE");
  missive_imap_command_add_atom (command, mechanism);
  if (initial_response != NULL)
    {
      gsize size;
      const guchar *data = g_bytes_get_data (initial_response, &size);

      if (size == 0)
        missive_imap_command_add_atom (command, "=");
      else
        {
          char *encoded = g_base64_encode (data, size);

          missive_imap_command_add_atom (command, encoded);
          missive_sasl_secret_free (encoded);
        }
    }
  /* (Responses go through send_line, each marked sensitive.) */
  if (initial_response != NULL)
    missive_imap_command_set_sensitive (command);
  missive_imap_command_set_continue_func (command, sasl_continue);
  missive_imap_command_set_response_func (command, sasl_response, NULL);
  missive_imap_command_set_cancel_line (command, "*");

  g_clear_pointer (&self->sasl_pending, missive_imap_sasl_step_free);
  g_clear_error (&self->sasl_pending_error);
  g_clear_error (&self->sasl_error);
  self->sasl_task = task;
  self->sasl_command = command;
  /* The capabilities change with the login; the tagged OK may carry the
   * new ones. (The old ones stay usable until then: a refused attempt
   * may be retried.) */
  self->caps_fresh = FALSE;
  missive_imap_store_run_async (self, command, cancellable, sasl_command_done_cb,
                                g_object_ref (self));
}

static void
missive_imap_store_sasl_continue_async (MissiveService      *service,
                                        GBytes              *response,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_imap_store_sasl_start_async);

  if (self->sasl_pending != NULL || self->sasl_pending_error != NULL)
    {
      /* The exchange ended before this response was asked for. */
      self->sasl_task = task;
      sasl_deliver (self, g_steal_pointer (&self->sasl_pending),
                    g_steal_pointer (&self->sasl_pending_error));
      return;
    }
  if (self->sasl_command == NULL ||
      !missive_imap_engine_is_in_flight (self->engine, self->sasl_command))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "No authentication is running");
      g_object_unref (task);
      return;
    }

  g_clear_object (&self->sasl_task);
  self->sasl_task = task;
  if (response == NULL)
    {
      missive_imap_command_send_line (self->sasl_command, "*", FALSE);
    }
  else
    {
      gsize size;
      const guchar *data = g_bytes_get_data (response, &size);
      char *encoded = g_base64_encode (data, size);

      missive_imap_command_send_line (self->sasl_command, encoded, TRUE);
      missive_sasl_secret_free (encoded);
    }
}

static gboolean
missive_imap_store_sasl_finish (MissiveService  *service,
                                GAsyncResult    *result,
                                GBytes         **server_data,
                                gboolean        *complete,
                                GError         **error)
{
  SaslStep *step;

  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  *server_data = NULL;
  *complete = FALSE;
  step = g_task_propagate_pointer (G_TASK (result), error);
  if (step == NULL)
    return FALSE;
  if (step->data != NULL)
    *server_data = g_steal_pointer (&step->data);
  else
    /* Only the success carries no data: challenges always do (maybe
     * empty). */
    *complete = TRUE;
  missive_imap_sasl_step_free (step);
  return TRUE;
}

/* ---- LOGIN --------------------------------------------------------------- */

static void
login_setup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_session_setup_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      g_task_return_error (task, authentication_error (error));
      g_object_unref (task);
      return;
    }
  missive_imap_session_setup_async (self, g_task_get_cancellable (task), login_setup_cb, task);
}

static void
missive_imap_store_login_async (MissiveService      *service,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const char *username = missive_service_get_username (service);
  const char *password = missive_service_get_password (service);
  MissiveImapCommand *command;

  g_task_set_source_tag (task, missive_imap_store_login_async);

  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_LOGINDISABLED))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                               "The server does not allow LOGIN on this connection "
                               "(LOGINDISABLED) and offers no usable SASL mechanism; "
                               "it may need TLS first");
      g_object_unref (task);
      return;
    }
  if (username == NULL || password == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "LOGIN needs a user name and a password");
      g_object_unref (task);
      return;
    }

  command = missive_imap_command_new (self, "LOGIN");
  missive_imap_command_add_astring (command, username);
  missive_imap_command_add_astring (command, password);
  missive_imap_command_set_sensitive (command);
  self->caps_fresh = FALSE;
  missive_imap_store_run_async (self, command, cancellable, login_done_cb, task);
}

void
missive_imap_store_class_init_auth (MissiveServiceClass *service_class)
{
  service_class->get_sasl_mechanisms = missive_imap_store_get_sasl_mechanisms;
  service_class->supports_initial_response = missive_imap_store_supports_initial_response;
  service_class->sasl_start_async = missive_imap_store_sasl_start_async;
  service_class->sasl_continue_async = missive_imap_store_sasl_continue_async;
  service_class->sasl_finish = missive_imap_store_sasl_finish;
  service_class->login_async = missive_imap_store_login_async;
  service_class->login_finish = missive_imap_boolean_finish;
}
