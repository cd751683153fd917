/* missive-pop3-store.c: MissivePop3Store, the POP3 implementation of
 * MissiveStore: its properties and the service's virtual methods
 * (greeting, CAPA, STLS, AUTH, USER/PASS, APOP, QUIT, NOOP, raw commands)
 *
 * The maildrop operations live in missive-pop3-mailbox.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-pop3-private.h"

/* RFC 5034: the AUTH command line is at most 255 octets; a longer initial
 * response waits for the server's empty challenge. */
#define MAX_AUTH_LINE 255

/* At most this many CAPA lines and SASL mechanisms are kept. */
#define MAX_CAPABILITIES 256

enum {
  PROP_0,
  PROP_USE_SASL,
  PROP_USE_APOP,
  PROP_UTF8,
  PROP_MAX_LINES,
  PROP_EXPIRE_DAYS,
  PROP_EXPIRE_PER_USER,
  PROP_LOGIN_DELAY,
  PROP_LOGIN_DELAY_PER_USER,
  PROP_IMPLEMENTATION,
  PROP_UTF8_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType missive_pop3_store_type_id;
static gpointer missive_pop3_store_parent_class;

GType
missive_pop3_store_get_type (void)
{
  return missive_pop3_store_type_id;
}

/* ---- helpers -------------------------------------------------------------- */

static gboolean
boolean_finish (MissiveService  *service,
                GAsyncResult    *result,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Finishes a command and returns TRUE or its error on the outer task. */
static void
boolean_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (MISSIVE_POP3_STORE (source), result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* @queued: an operation of the authenticated session (NOOP, QUIT), run
 * in turn with the others. */
static void
run_simple (MissivePop3Store    *self,
            const char          *line,
            gboolean             queued,
            gboolean             sensitive,
            int                  error_code,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissivePop3Command *command = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, line);

  g_task_set_source_tag (task, source_tag);
  command->sensitive = sensitive;
  command->error_code = error_code;
  if (queued)
    missive_pop3_store_queue_command (self, task, command, FALSE, boolean_done_cb);
  else
    missive_pop3_command_async (self, command, cancellable, boolean_done_cb, task);
}

static void
set_int (MissivePop3Store *self,
         int              *field,
         int               value,
         guint             prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (MissivePop3Store *self,
             gboolean         *field,
             gboolean          value,
             guint             prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_implementation (MissivePop3Store *self,
                    const char       *value)
{
  if (g_strcmp0 (self->implementation, value) == 0)
    return;
  g_free (self->implementation);
  self->implementation = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPLEMENTATION]);
}

/* Forgets what CAPA said (before a new CAPA, or a server without it). */
static void
clear_capabilities (MissivePop3Store *self)
{
  self->caps = 0;
  g_clear_pointer (&self->sasl, g_strfreev);
  set_implementation (self, NULL);
  set_int (self, &self->expire_days, -1, PROP_EXPIRE_DAYS);
  set_boolean (self, &self->expire_per_user, FALSE, PROP_EXPIRE_PER_USER);
  set_int (self, &self->login_delay, -1, PROP_LOGIN_DELAY);
  set_boolean (self, &self->login_delay_per_user, FALSE, PROP_LOGIN_DELAY_PER_USER);
}

static guint16
missive_pop3_store_get_default_port (MissiveService  *service,
                                     MissiveSecurity  security)
{
  return security == MISSIVE_SECURITY_TLS ? 995 : 110;
}

static void
reset_connection_state (MissivePop3Store *self)
{
  g_clear_pointer (&self->timestamp, g_free);
  clear_capabilities (self);
  set_boolean (self, &self->utf8_enabled, FALSE, PROP_UTF8_ENABLED);
  g_clear_pointer (&self->pending_ir, g_bytes_unref);
  g_hash_table_remove_all (self->sizes);
  self->caps_known = FALSE;
  self->utf8_sent = FALSE;
  self->out_of_step = FALSE;
  missive_pop3_store_reset_queue (self, FALSE);
  self->count = 0;
  self->size = 0;
}

/* ---- greeting --------------------------------------------------------------- */

static void
greeting_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->timestamp = missive_pop3_greeting_timestamp (command->status.text);
  g_task_return_boolean (task, TRUE);
}

static void
missive_pop3_store_greet_async (MissiveService      *service,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissivePop3Command *command = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, NULL);

  g_task_set_source_tag (task, missive_pop3_store_greet_async);
  reset_connection_state (self);
  command->error_code = MISSIVE_ERROR_CONNECTION_REFUSED;
  missive_pop3_command_async (self, command, cancellable, greeting_cb, task);
}

/* ---- CAPA ------------------------------------------------------------------- */

static void
parse_capa (MissivePop3Store *self,
            GPtrArray        *lines)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *implementation = NULL;
  int expire_days = -1, login_delay = -1;
  gboolean expire_per_user = FALSE, login_delay_per_user = FALSE;

  self->caps = 0;
  g_clear_pointer (&self->sasl, g_strfreev);

  for (guint i = 0; i < lines->len && names->len < MAX_CAPABILITIES; i++)
    {
      const char *line = lines->pdata[i];
      g_auto(GStrv) words = g_strsplit_set (line, " \t", -1);
      const char *name;
      const char *args;

      if (words[0] == NULL || words[0][0] == '\0')
        continue;
      name = words[0];
      args = line + strlen (name);
      if (g_ascii_strcasecmp (name, "TOP") == 0)
        self->caps |= MISSIVE_POP3_CAP_TOP;
      else if (g_ascii_strcasecmp (name, "UIDL") == 0)
        self->caps |= MISSIVE_POP3_CAP_UIDL;
      else if (g_ascii_strcasecmp (name, "RESP-CODES") == 0)
        self->caps |= MISSIVE_POP3_CAP_RESP_CODES;
      else if (g_ascii_strcasecmp (name, "PIPELINING") == 0)
        self->caps |= MISSIVE_POP3_CAP_PIPELINING;
      else if (g_ascii_strcasecmp (name, "STLS") == 0)
        self->caps |= MISSIVE_POP3_CAP_STLS;
      else if (g_ascii_strcasecmp (name, "UTF8") == 0)
        {
          /* RFC 6856: "UTF8 USER" also takes UTF-8 in USER and PASS. */
          self->caps |= MISSIVE_POP3_CAP_UTF8;
          if (words[1] != NULL && g_ascii_strcasecmp (words[1], "USER") == 0)
            self->caps |= MISSIVE_POP3_CAP_UTF8_USER;
        }
      else if (g_ascii_strcasecmp (name, "USER") == 0)
        self->caps |= MISSIVE_POP3_CAP_USER;
      else if (g_ascii_strcasecmp (name, "LANG") == 0)
        self->caps |= MISSIVE_POP3_CAP_LANG;
      else if (g_ascii_strcasecmp (name, "IMPLEMENTATION") == 0)
        {
          while (*args == ' ' || *args == '\t')
            args++;
          if (*args != '\0' && implementation == NULL)
            implementation = g_strdup (args);
        }
      else if (g_ascii_strcasecmp (name, "EXPIRE") == 0)
        {
          /* A value that cannot be read is as good as none. */
          if (!missive_pop3_parse_capa_number (args, TRUE, &expire_days, &expire_per_user))
            {
              expire_days = -1;
              expire_per_user = FALSE;
            }
        }
      else if (g_ascii_strcasecmp (name, "LOGIN-DELAY") == 0)
        {
          if (!missive_pop3_parse_capa_number (args, FALSE, &login_delay, &login_delay_per_user))
            {
              login_delay = -1;
              login_delay_per_user = FALSE;
            }
        }
      else if (g_ascii_strcasecmp (name, "SASL") == 0)
        {
          self->caps |= MISSIVE_POP3_CAP_SASL;
          for (gsize j = 1; words[j] != NULL && mechs->len < MAX_CAPABILITIES; j++)
            if (words[j][0] != '\0')
              g_ptr_array_add (mechs, g_ascii_strup (words[j], -1));
        }
      g_ptr_array_add (names, g_ascii_strup (name, -1));
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (mechs, NULL);
  self->sasl = (char **) g_ptr_array_free (g_steal_pointer (&mechs), FALSE);
  set_implementation (self, implementation);
  set_int (self, &self->expire_days, expire_days, PROP_EXPIRE_DAYS);
  set_boolean (self, &self->expire_per_user, expire_per_user, PROP_EXPIRE_PER_USER);
  set_int (self, &self->login_delay, login_delay, PROP_LOGIN_DELAY);
  set_boolean (self, &self->login_delay_per_user, login_delay_per_user, PROP_LOGIN_DELAY_PER_USER);
  missive_service_set_capabilities (MISSIVE_SERVICE (self), (const char * const *) names->pdata);
}

static void
capa_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (command->status.ok)
    {
      self->caps_known = TRUE;
      parse_capa (self, command->lines);
    }
  else
    {
      /* An RFC 1939 server without CAPA. */
      const char * const none[] = { NULL };

      self->caps_known = FALSE;
      clear_capabilities (self);
      missive_service_set_capabilities (MISSIVE_SERVICE (self), none);
    }
  g_task_return_boolean (task, TRUE);
}

static void
missive_pop3_store_refresh_capabilities_async (MissiveService      *service,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissivePop3Command *command = missive_pop3_command_new (MISSIVE_POP3_REPLY_LINES, "CAPA");

  g_task_set_source_tag (task, missive_pop3_store_refresh_capabilities_async);
  command->keep_err = TRUE;
  missive_pop3_command_async (self, command, cancellable, capa_cb, task);
}

/* ---- STLS ------------------------------------------------------------------- */

static void
missive_pop3_store_starttls_async (MissiveService      *service,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);

  if (self->caps_known && !(self->caps & MISSIVE_POP3_CAP_STLS))
    {
      g_task_report_new_error (self, callback, user_data, missive_pop3_store_starttls_async,
                               MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                               "The POP3 server does not offer STLS");
      return;
    }
  run_simple (self, "STLS", FALSE, FALSE, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
              missive_pop3_store_starttls_async, cancellable, callback, user_data);
}

/* ---- UTF8 (RFC 6856) ---------------------------------------------------------- */

typedef void (*Utf8Then) (GTask *task);

typedef struct
{
  GTask *task;
  Utf8Then then;
} Utf8Step;

static void
utf8_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Utf8Step *step = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (step->task, error);
      g_object_unref (step->task);
      g_free (step);
      return;
    }
  /* -ERR: the session goes on without UTF-8 mode. */
  set_boolean (self, &self->utf8_enabled, command->status.ok, PROP_UTF8_ENABLED);
  step->then (step->task);
  g_free (step);
}

/* Before logging in: sends UTF8 when the "utf8" property asks for it and
 * CAPA offers it, then calls @then with @task (transfer full). */
static void
utf8_then (MissivePop3Store *self,
           GTask            *task,
           Utf8Then          then)
{
  MissivePop3Command *command;
  Utf8Step *step;

  if (!self->utf8 || !(self->caps & MISSIVE_POP3_CAP_UTF8) || self->utf8_sent)
    {
      then (task);
      return;
    }
  self->utf8_sent = TRUE;
  step = g_new0 (Utf8Step, 1);
  step->task = task;
  step->then = then;
  command = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, "UTF8");
  command->keep_err = TRUE;
  missive_pop3_command_async (self, command, g_task_get_cancellable (task), utf8_cb, step);
}

/* ---- SASL ------------------------------------------------------------------- */

static char **
missive_pop3_store_get_sasl_mechanisms (MissiveService *service)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);

  if (!self->use_sasl || self->sasl == NULL)
    return NULL;
  return g_strdupv (self->sasl);
}

static gboolean
missive_pop3_store_supports_initial_response (MissiveService *service)
{
  /* RFC 5034 allows it for every mechanism (a long one is deferred). */
  return TRUE;
}

static void sasl_send (GTask *task);

static void
sasl_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  MissiveSaslStep *step = g_task_get_task_data (task);
  GError *error = NULL;
  const char *line;
  gsize length;

  line = missive_service_read_line_finish (MISSIVE_SERVICE (self), result, &length, &error);
  if (line == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (length >= 1 && line[0] == '+' && (length == 1 || line[1] == ' '))
    {
      const char *text = length > 2 ? line + 2 : "";
      g_autofree char *copy = g_strndup (text, length > 2 ? length - 2 : 0);
      guchar *decoded;
      gsize size = 0;

      if (self->pending_ir != NULL)
        {
          /* The deferred initial response answers the empty challenge. */
          g_autoptr(GBytes) ir = g_steal_pointer (&self->pending_ir);
          gsize n;
          const guint8 *d = g_bytes_get_data (ir, &n);

          g_clear_pointer (&step->line, g_free);
          step->line = n > 0 ? g_base64_encode (d, n) : g_strdup ("");
          sasl_send (g_steal_pointer (&task));
          return;
        }
      g_strstrip (copy);
      decoded = g_base64_decode (copy, &size);
      if (copy[0] != '\0' && (decoded == NULL || size == 0))
        {
          g_free (decoded);
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                   "The POP3 server sent a challenge that is not base64");
          return;
        }
      step->data = missive_sasl_secret_bytes_new_take (decoded, size);
      step->complete = FALSE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  {
    MissivePop3Status status;

    if (!missive_pop3_parse_status (line, length, &status, &error))
      {
        g_task_return_error (task, error);
        return;
      }
    if (!status.ok)
      {
        g_clear_pointer (&self->pending_ir, g_bytes_unref);
        g_task_return_error (task, missive_pop3_status_to_error (&status,
                                                                 MISSIVE_ERROR_AUTHENTICATION_FAILED,
                                                                 "Authentication"));
        missive_pop3_status_clear (&status);
        return;
      }
    missive_pop3_status_clear (&status);
    step->complete = TRUE;
    g_task_return_boolean (task, TRUE);
  }
}

static void
sasl_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_service_write_line_finish (MISSIVE_SERVICE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    missive_service_read_line_async (MISSIVE_SERVICE (source), cancellable,
                                     sasl_reply_cb, g_steal_pointer (&task));
  }
}

static void
sasl_send (GTask *task)
{
  MissiveSaslStep *step = g_task_get_task_data (task);

  missive_service_write_line_async (MISSIVE_SERVICE (g_task_get_source_object (task)),
                                    step->line, TRUE, g_task_get_cancellable (task),
                                    sasl_written_cb, task);
}

static void
missive_pop3_store_sasl_start_async (MissiveService      *service,
                                     const char          *mechanism,
                                     GBytes              *initial_response,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveSaslStep *step = missive_sasl_step_new ();

  g_task_set_source_tag (task, missive_pop3_store_sasl_start_async);
  g_task_set_task_data (task, step, (GDestroyNotify) missive_sasl_step_free);
  g_clear_pointer (&self->pending_ir, g_bytes_unref);
  /* The capabilities may change with logging in (RFC 2449): forgotten,
   * the core asks CAPA again afterwards. */
  missive_service_set_capabilities (service, NULL);

  if (initial_response == NULL)
    step->line = g_strdup_printf ("AUTH %s", mechanism);
  else
    {
      gsize n;
      const guint8 *d = g_bytes_get_data (initial_response, &n);
      g_autofree char *encoded = n > 0 ? g_base64_encode (d, n) : g_strdup ("=");

      if (strlen (mechanism) + strlen (encoded) + 6 > MAX_AUTH_LINE)
        {
          step->line = g_strdup_printf ("AUTH %s", mechanism);
          self->pending_ir = g_bytes_ref (initial_response);
        }
      else
        step->line = g_strdup_printf ("AUTH %s %s", mechanism, encoded);
      missive_sasl_wipe (encoded, strlen (encoded));
    }
  utf8_then (self, task, sasl_send);
}

static void
missive_pop3_store_sasl_continue_async (MissiveService      *service,
                                        GBytes              *response,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveSaslStep *step = missive_sasl_step_new ();

  g_task_set_source_tag (task, missive_pop3_store_sasl_continue_async);
  g_task_set_task_data (task, step, (GDestroyNotify) missive_sasl_step_free);
  step->line = missive_sasl_encode_response (response);
  sasl_send (task);
}

static gboolean
missive_pop3_store_sasl_finish (MissiveService  *service,
                                GAsyncResult    *result,
                                GBytes         **server_data,
                                gboolean        *complete,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  return missive_sasl_step_propagate (G_TASK (result), server_data, complete, error);
}

/* ---- USER/PASS, APOP -------------------------------------------------------- */

static void
pass_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  boolean_done_cb (source, result, user_data);
}

static void
user_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  g_autoptr(MissivePop3Command) command = NULL;
  MissivePop3Command *pass;
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  pass = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, NULL);
  pass->line = g_strconcat ("PASS ", missive_service_get_password (MISSIVE_SERVICE (self)), NULL);
  pass->sensitive = TRUE;
  pass->error_code = MISSIVE_ERROR_AUTHENTICATION_FAILED;
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    missive_pop3_command_async (self, pass, cancellable, pass_cb, g_steal_pointer (&task));
  }
}

static char *
apop_digest (const char *timestamp,
             const char *password)
{
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);

  g_checksum_update (md5, (const guchar *) timestamp, -1);
  g_checksum_update (md5, (const guchar *) password, -1);
  return g_strdup (g_checksum_get_string (md5));
}

/* USER/PASS or APOP, after UTF8. Takes @task. */
static void
login_send (GTask *task)
{
  MissivePop3Store *self = g_task_get_source_object (task);
  MissiveService *service = MISSIVE_SERVICE (self);
  const char *user = missive_service_get_username (service);
  const char *password = missive_service_get_password (service);
  GCancellable *cancellable = g_task_get_cancellable (task);
  MissivePop3Command *command;

  if (self->use_apop && self->timestamp != NULL)
    {
      g_autofree char *digest = apop_digest (self->timestamp, password);

      command = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, NULL);
      command->line = g_strdup_printf ("APOP %s %s", user, digest);
      command->sensitive = TRUE;
      command->error_code = MISSIVE_ERROR_AUTHENTICATION_FAILED;
      missive_pop3_command_async (self, command, cancellable, boolean_done_cb, task);
      return;
    }

  command = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, NULL);
  command->line = g_strconcat ("USER ", user, NULL);
  command->error_code = MISSIVE_ERROR_AUTHENTICATION_FAILED;
  missive_pop3_command_async (self, command, cancellable, user_cb, task);
}

static void
missive_pop3_store_login_async (MissiveService      *service,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_pop3_store_login_async);
  if (missive_service_get_username (service) == NULL ||
      missive_service_get_password (service) == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                               "A user name and a password are needed");
      g_object_unref (task);
      return;
    }
  /* As for SASL: CAPA again after logging in. */
  missive_service_set_capabilities (service, NULL);
  utf8_then (self, task, login_send);
}

/* ---- QUIT, NOOP, raw commands ---------------------------------------------- */

static void
missive_pop3_store_logout_async (MissiveService      *service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  run_simple (MISSIVE_POP3_STORE (service), "QUIT", TRUE, FALSE, MISSIVE_ERROR_SERVER_NO,
              missive_pop3_store_logout_async, cancellable, callback, user_data);
}

static void
missive_pop3_store_noop_async (MissiveService      *service,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  run_simple (MISSIVE_POP3_STORE (service), "NOOP", TRUE, FALSE, MISSIVE_ERROR_SERVER_NO,
              missive_pop3_store_noop_async, cancellable, callback, user_data);
}

/* Whether the reply to @line is multi-line (RFC 1939, 2449). */
static gboolean
command_is_multiline (const char *line)
{
  g_auto(GStrv) words = g_strsplit_set (line, " ", 4);
  guint n = g_strv_length (words);

  if (n == 0)
    return FALSE;
  if (g_ascii_strcasecmp (words[0], "RETR") == 0 || g_ascii_strcasecmp (words[0], "TOP") == 0)
    return TRUE;
  /* LANG without an argument lists the languages (RFC 6856). */
  if (g_ascii_strcasecmp (words[0], "LIST") == 0 || g_ascii_strcasecmp (words[0], "UIDL") == 0 ||
      g_ascii_strcasecmp (words[0], "CAPA") == 0 || g_ascii_strcasecmp (words[0], "LANG") == 0)
    return n == 1 || words[1][0] == '\0';
  return FALSE;
}

static void
raw_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MissivePop3Command) command = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (MISSIVE_POP3_STORE (source), result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (command->status.code != NULL)
    text = g_strdup_printf ("[%s] %s", command->status.code, command->status.text);
  else
    text = g_strdup (command->status.text);
  if (command->lines != NULL)
    g_ptr_array_add (command->lines, NULL);
  g_task_return_pointer (task,
                         missive_reply_new (0, command->status.ok ? "+OK" : "-ERR", text,
                                            command->lines != NULL && command->status.ok
                                              ? (const char * const *) command->lines->pdata
                                              : NULL),
                         (GDestroyNotify) missive_reply_unref);
}

static void
missive_pop3_store_send_command_async (MissiveService      *service,
                                       const char          *line,
                                       int                  io_priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissivePop3Command *command;
  gboolean multi = command_is_multiline (line);

  g_task_set_source_tag (task, missive_pop3_store_send_command_async);
  command = missive_pop3_command_new (multi ? MISSIVE_POP3_REPLY_LINES : MISSIVE_POP3_REPLY_SINGLE,
                                      line);
  command->keep_err = TRUE;
  command->sensitive = g_ascii_strncasecmp (line, "PASS ", 5) == 0 ||
                       g_ascii_strncasecmp (line, "APOP ", 5) == 0 ||
                       g_ascii_strncasecmp (line, "AUTH ", 5) == 0;
  missive_pop3_store_queue_command (self, task, command, FALSE, raw_done_cb);
}

static MissiveReply *
missive_pop3_store_send_command_finish (MissiveService  *service,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
missive_pop3_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (object);

  switch (prop_id)
    {
    case PROP_USE_SASL:
      g_value_set_boolean (value, self->use_sasl);
      break;
    case PROP_USE_APOP:
      g_value_set_boolean (value, self->use_apop);
      break;
    case PROP_UTF8:
      g_value_set_boolean (value, self->utf8);
      break;
    case PROP_MAX_LINES:
      g_value_set_int (value, self->max_lines);
      break;
    case PROP_EXPIRE_DAYS:
      g_value_set_int (value, self->expire_days);
      break;
    case PROP_EXPIRE_PER_USER:
      g_value_set_boolean (value, self->expire_per_user);
      break;
    case PROP_LOGIN_DELAY:
      g_value_set_int (value, self->login_delay);
      break;
    case PROP_LOGIN_DELAY_PER_USER:
      g_value_set_boolean (value, self->login_delay_per_user);
      break;
    case PROP_IMPLEMENTATION:
      g_value_set_string (value, self->implementation);
      break;
    case PROP_UTF8_ENABLED:
      g_value_set_boolean (value, self->utf8_enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_pop3_store_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (object);

  switch (prop_id)
    {
    case PROP_USE_SASL:
      set_boolean (self, &self->use_sasl, g_value_get_boolean (value), prop_id);
      break;
    case PROP_USE_APOP:
      set_boolean (self, &self->use_apop, g_value_get_boolean (value), prop_id);
      break;
    case PROP_UTF8:
      set_boolean (self, &self->utf8, g_value_get_boolean (value), prop_id);
      break;
    case PROP_MAX_LINES:
      set_int (self, &self->max_lines, g_value_get_int (value), prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_pop3_store_finalize (GObject *object)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (object);

  /* No notifications from here. */
  g_clear_pointer (&self->timestamp, g_free);
  g_clear_pointer (&self->sasl, g_strfreev);
  g_clear_pointer (&self->implementation, g_free);
  g_clear_pointer (&self->pending_ir, g_bytes_unref);
  g_hash_table_unref (self->sizes);
  missive_pop3_store_reset_queue (self, TRUE);

  G_OBJECT_CLASS (missive_pop3_store_parent_class)->finalize (object);
}

static void
missive_pop3_store_class_init (MissivePop3StoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);

  missive_pop3_store_parent_class = g_type_class_peek_parent (klass);

  object_class->get_property = missive_pop3_store_get_property;
  object_class->set_property = missive_pop3_store_set_property;
  object_class->finalize = missive_pop3_store_finalize;

  service_class->get_default_port = missive_pop3_store_get_default_port;
  service_class->greet_async = missive_pop3_store_greet_async;
  service_class->greet_finish = boolean_finish;
  service_class->refresh_capabilities_async = missive_pop3_store_refresh_capabilities_async;
  service_class->refresh_capabilities_finish = boolean_finish;
  service_class->starttls_async = missive_pop3_store_starttls_async;
  service_class->starttls_finish = boolean_finish;
  service_class->get_sasl_mechanisms = missive_pop3_store_get_sasl_mechanisms;
  service_class->supports_initial_response = missive_pop3_store_supports_initial_response;
  service_class->sasl_start_async = missive_pop3_store_sasl_start_async;
  service_class->sasl_continue_async = missive_pop3_store_sasl_continue_async;
  service_class->sasl_finish = missive_pop3_store_sasl_finish;
  service_class->login_async = missive_pop3_store_login_async;
  service_class->login_finish = boolean_finish;
  service_class->logout_async = missive_pop3_store_logout_async;
  service_class->logout_finish = boolean_finish;
  service_class->noop_async = missive_pop3_store_noop_async;
  service_class->noop_finish = boolean_finish;
  service_class->send_command_async = missive_pop3_store_send_command_async;
  service_class->send_command_finish = missive_pop3_store_send_command_finish;

  missive_pop3_store_class_init_mailbox (MISSIVE_STORE_CLASS (klass));

  /**
   * MissivePop3Store:use-sasl:
   *
   * Whether the SASL mechanisms of CAPA are used; when %FALSE (or the
   * server offers none) the store logs in with APOP or USER/PASS.
   */
  properties[PROP_USE_SASL] =
    g_param_spec_boolean ("use-sasl", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:use-apop:
   *
   * Whether APOP is used instead of USER/PASS when no SASL mechanism is
   * used and the greeting carries a timestamp. APOP rests on MD5 and
   * does not protect the password well; prefer TLS with SASL.
   */
  properties[PROP_USE_APOP] =
    g_param_spec_boolean ("use-apop", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * MissivePop3Store:utf8:
   *
   * Whether the UTF8 command (RFC 6856) is sent before logging in when
   * CAPA offers it. In UTF-8 mode the server may send headers in UTF-8
   * and accepts UTF-8 user names and passwords; whether the server
   * agreed is [property@MissivePop3Store:utf8-enabled].
   */
  properties[PROP_UTF8] =
    g_param_spec_boolean ("utf8", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:max-lines:
   *
   * How much of a message fetch_part (without a section) and
   * fetch_message retrieve: -1 (the default) the whole message with RETR;
   * N >= 0 the header, the empty line after it and the first N lines of
   * the body, with TOP n N. Headers-only fetches always use TOP n 0.
   */
  properties[PROP_MAX_LINES] =
    g_param_spec_int ("max-lines", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                      G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:expire-days:
   *
   * The server's retention policy from CAPA EXPIRE (RFC 2449): the number
   * of days the server keeps a message after it was retrieved (0: the
   * client should not leave messages on the server), %G_MAXINT for
   * EXPIRE NEVER, -1 when the server did not say. Read-only; updated by
   * every CAPA (the value after logging in is the user's).
   */
  properties[PROP_EXPIRE_DAYS] =
    g_param_spec_int ("expire-days", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:expire-per-user:
   *
   * Whether CAPA EXPIRE carried "USER": the policy may differ per user,
   * and the one announced before logging in is only the minimum.
   */
  properties[PROP_EXPIRE_PER_USER] =
    g_param_spec_boolean ("expire-per-user", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:login-delay:
   *
   * The minimum number of seconds between two logins, from CAPA
   * LOGIN-DELAY (RFC 2449); -1 when the server did not say. A login
   * refused for that reason fails with %MISSIVE_ERROR_SERVER_TEMPORARY
   * and the response code `LOGIN-DELAY`.
   */
  properties[PROP_LOGIN_DELAY] =
    g_param_spec_int ("login-delay", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:login-delay-per-user:
   *
   * Whether CAPA LOGIN-DELAY carried "USER" (the delay may differ per
   * user).
   */
  properties[PROP_LOGIN_DELAY_PER_USER] =
    g_param_spec_boolean ("login-delay-per-user", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:implementation:
   *
   * The server software as CAPA IMPLEMENTATION names it, or %NULL.
   */
  properties[PROP_IMPLEMENTATION] =
    g_param_spec_string ("implementation", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissivePop3Store:utf8-enabled:
   *
   * Whether the server accepted the UTF8 command in this session.
   */
  properties[PROP_UTF8_ENABLED] =
    g_param_spec_boolean ("utf8-enabled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_pop3_store_class_finalize (gpointer klass,
                                   gpointer class_data)
{
}

static void
missive_pop3_store_init (GTypeInstance *instance,
                         gpointer       klass)
{
  MissivePop3Store *self = (MissivePop3Store *) instance;

  self->use_sasl = TRUE;
  self->use_apop = TRUE;
  self->max_lines = -1;
  self->expire_days = -1;
  self->login_delay = -1;
  self->sizes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

void
missive_pop3_store_register_type (GTypeModule *module)
{
  const GTypeInfo info = {
    .class_size = sizeof (MissivePop3StoreClass),
    .class_init = (GClassInitFunc) (void (*) (void)) missive_pop3_store_class_init,
    .class_finalize = missive_pop3_store_class_finalize,
    .instance_size = sizeof (MissivePop3Store),
    .instance_init = missive_pop3_store_init,
  };

  missive_pop3_store_type_id =
    g_type_module_register_type (module, MISSIVE_TYPE_STORE, "MissivePop3Store",
                                 &info, G_TYPE_FLAG_FINAL);
}
