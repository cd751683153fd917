/* missive-sasl-driver.c: the SASL exchange run by MissiveService
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-driver-private.h"
#include "missive-service-private.h"

/* How the driver works
 *
 * The protocol plugin knows how to send an AUTH command and how to read a
 * continuation or a final answer (the sasl_* vfuncs of MissiveServiceClass);
 * the mechanism knows how to answer a challenge (MissiveSaslMechanism.step).
 * This file sits in between: it picks the mechanism, feeds each server
 * challenge to the mechanism and each response back to the plugin, and
 * checks at the end that a mutual mechanism saw the server prove itself.
 */

const char *
missive_sasl_driver_service_name (const char *scheme)
{
  static const struct {
    const char *scheme;
    const char *service;
  } names[] = {
    { "imap", "imap" },
    { "imaps", "imap" },
    { "pop", "pop" },
    { "pops", "pop" },
    { "pop3", "pop" },
    { "pop3s", "pop" },
    { "smtp", "smtp" },
    { "smtps", "smtp" },
    { "submission", "smtp" },
    { "submissions", "smtp" },
    { "lmtp", "lmtp" },
  };

  if (scheme == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (scheme, names[i].scheme) == 0)
      return names[i].service;
  return scheme;
}

static gboolean
strv_contains_ascii_case (char       **strv,
                          const char  *name)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
plaintext_allowed (MissiveService *service)
{
  MissiveTransport *transport = missive_service_get_transport (service);

  return missive_service_get_allow_plaintext_auth (service) ||
         (transport != NULL && missive_transport_is_tls (transport));
}

static gboolean
is_tls (MissiveService *service)
{
  MissiveTransport *transport = missive_service_get_transport (service);

  return transport != NULL && missive_transport_is_tls (transport);
}

static gboolean
has_credentials_for (MissiveService   *service,
                     MissiveSaslFlags  flags)
{
  if ((flags & MISSIVE_SASL_FLAG_NEEDS_PASSWORD) &&
      (missive_service_get_username (service) == NULL ||
       missive_service_get_password (service) == NULL))
    return FALSE;
  /* A token can also come from a ::token-requested handler. */
  if ((flags & MISSIVE_SASL_FLAG_NEEDS_TOKEN) &&
      missive_service_get_oauth_token (service) == NULL &&
      !g_signal_has_handler_pending (service,
                                     missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_TOKEN_REQUESTED),
                                     0, FALSE))
    return FALSE;
  return TRUE;
}

static int
compare_strength (gconstpointer a,
                  gconstpointer b)
{
  MissiveSaslMechanism *ma = *(MissiveSaslMechanism * const *) a;
  MissiveSaslMechanism *mb = *(MissiveSaslMechanism * const *) b;
  int sa = missive_sasl_mechanism_get_strength (ma);
  int sb = missive_sasl_mechanism_get_strength (mb);

  /* Strongest first; g_ptr_array_sort() is stable, so ties keep the
   * server's order. */
  return (sa < sb) - (sa > sb);
}

static char *
join_or_none (char **strv)
{
  if (strv == NULL || strv[0] == NULL)
    return g_strdup ("none");
  return g_strjoinv (" ", strv);
}

/* Picks the mechanism. Returns NULL with *use_login set when the protocol's
 * login command is to be used instead, and NULL with @error set when
 * nothing can be used. */
static MissiveSaslMechanism *
choose_mechanism (MissiveService  *service,
                  gboolean        *use_login,
                  GError         **error)
{
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (service);
  MissiveEngine *engine = missive_engine_get_default ();
  const char *forced = missive_service_get_auth_mechanism (service);
  g_auto(GStrv) offered = NULL;
  g_auto(GStrv) available = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  gboolean skipped_plaintext = FALSE;

  *use_login = FALSE;

  if (klass->get_sasl_mechanisms != NULL && klass->sasl_start_async != NULL)
    offered = klass->get_sasl_mechanisms (service);
  available = missive_engine_list_sasl_mechanisms (engine);

  if (forced != NULL)
    {
      g_autoptr(MissiveSaslMechanism) mechanism = NULL;
      MissiveSaslFlags flags;

      if (!strv_contains_ascii_case (offered, forced))
        {
          g_autofree char *list = join_or_none (offered);

          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                       "The server does not offer %s (it offers: %s)", forced, list);
          return NULL;
        }
      if (!strv_contains_ascii_case (available, forced))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_MECHANISM,
                       "No SASL mechanism named %s is available", forced);
          return NULL;
        }
      mechanism = missive_engine_create_sasl_mechanism (engine, forced, error);
      if (mechanism == NULL)
        return NULL;
      flags = missive_sasl_mechanism_get_flags (mechanism);
      if ((flags & MISSIVE_SASL_FLAG_PLAINTEXT) && !plaintext_allowed (service))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                       "Refusing %s: it would send the password in plaintext over an "
                       "unprotected connection (set allow-plaintext-auth to permit it)",
                       forced);
          return NULL;
        }
      if ((flags & MISSIVE_SASL_FLAG_CHANNEL_BINDING) && !is_tls (service))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                       "%s needs a TLS channel to bind to", forced);
          return NULL;
        }
      return g_steal_pointer (&mechanism);
    }

  candidates = g_ptr_array_new_with_free_func (g_object_unref);
  for (gsize i = 0; offered != NULL && offered[i] != NULL; i++)
    {
      g_autoptr(MissiveSaslMechanism) mechanism = NULL;
      MissiveSaslFlags flags;

      if (!strv_contains_ascii_case (available, offered[i]))
        continue;
      mechanism = missive_engine_create_sasl_mechanism (engine, offered[i], NULL);
      if (mechanism == NULL)
        continue;
      flags = missive_sasl_mechanism_get_flags (mechanism);
      if (flags & MISSIVE_SASL_FLAG_EXPLICIT_ONLY)
        continue;
      if (!has_credentials_for (service, flags))
        continue;
      if ((flags & MISSIVE_SASL_FLAG_CHANNEL_BINDING) && !is_tls (service))
        continue;
      if ((flags & MISSIVE_SASL_FLAG_PLAINTEXT) && !plaintext_allowed (service))
        {
          skipped_plaintext = TRUE;
          continue;
        }
      g_ptr_array_add (candidates, g_steal_pointer (&mechanism));
    }

  if (candidates->len > 0)
    {
      g_ptr_array_sort (candidates, compare_strength);
      return g_object_ref (g_ptr_array_index (candidates, 0));
    }

  /* No SASL: the protocol's own login command, if any, under the same rule
   * as plaintext mechanisms (it always sends the password readably). */
  if (klass->login_async != NULL &&
      missive_service_get_username (service) != NULL &&
      missive_service_get_password (service) != NULL)
    {
      if (!plaintext_allowed (service))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                               "Refusing to log in: the password would be sent in plaintext "
                               "over an unprotected connection (set allow-plaintext-auth to "
                               "permit it)");
          return NULL;
        }
      *use_login = TRUE;
      return NULL;
    }

  {
    g_autofree char *list = join_or_none (offered);

    if (skipped_plaintext)
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                   "Only plaintext authentication is possible (the server offers: %s), "
                   "and it is refused over an unprotected connection (set "
                   "allow-plaintext-auth to permit it)", list);
    else
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                   "No usable authentication mechanism for the given credentials "
                   "(the server offers: %s)", list);
  }
  return NULL;
}

/* ---- the exchange ------------------------------------------------------- */

typedef struct
{
  MissiveSaslMechanism *mechanism;
  guint rounds;
  gboolean sent_initial_response;
  gboolean token_retried;  /* asked for a new token after a refusal */
  GError *step_error;   /* set while aborting */
} AuthData;

static void
auth_data_free (AuthData *data)
{
  g_clear_object (&data->mechanism);
  g_clear_error (&data->step_error);
  g_free (data);
}

static void
return_error (GTask  *task,
              GError *error)
{
  g_task_return_error (task, missive_error_from_io_error (error));
  g_error_free (error);
  g_object_unref (task);
}

static void sasl_reply_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);
static void start_exchange (GTask *task);

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *service = MISSIVE_SERVICE (source);
  GError *error = NULL;

  if (!MISSIVE_SERVICE_GET_CLASS (service)->login_finish (service, result, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                                     "Login failed");
      return_error (task, error);
      return;
    }
  g_task_return_pointer (task, NULL, NULL);
  g_object_unref (task);
}

static void
sasl_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *service = MISSIVE_SERVICE (source);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (service);
  AuthData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) server_data = NULL;
  g_autoptr(GBytes) response = NULL;
  gboolean complete = FALSE;
  GError *error = NULL;
  MissiveSaslFlags flags;

  if (!klass->sasl_finish (service, result, &server_data, &complete, &error))
    {
      if (data->step_error != NULL)
        {
          /* The server's answer to our abort does not matter. */
          g_clear_error (&error);
          return_error (task, g_steal_pointer (&data->step_error));
          return;
        }
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                                     "Authentication failed");
      /* A refused bearer token may just have expired: ask the application
       * once for a new one, and try again if it gives a different one. */
      if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED) &&
          (missive_sasl_mechanism_get_flags (data->mechanism) & MISSIVE_SASL_FLAG_NEEDS_TOKEN) &&
          !data->token_retried)
        {
          data->token_retried = TRUE;
          if (missive_service_request_token (service))
            {
              g_clear_error (&error);
              if (missive_service_is_tracing (service))
                missive_service_trace (service, MISSIVE_TRACE_INFO,
                                       "Token refused; retrying with a new one", -1, FALSE);
              start_exchange (task);
              return;
            }
        }
      return_error (task, error);
      return;
    }

  if (data->step_error != NULL)
    {
      /* The server accepted an exchange we gave up on: fail anyway. */
      return_error (task, g_steal_pointer (&data->step_error));
      return;
    }

  flags = missive_sasl_mechanism_get_flags (data->mechanism);

  if (complete)
    {
      if (server_data != NULL)
        {
          /* Additional data with success: the mechanism must accept it
           * (SCRAM checks the server's signature here). */
          g_autoptr(GBytes) ignored = NULL;

          ignored = missive_sasl_mechanism_step (data->mechanism, server_data, &error);
          if (error != NULL)
            {
              return_error (task, error);
              return;
            }
        }
      if ((flags & MISSIVE_SASL_FLAG_MUTUAL) &&
          !missive_sasl_mechanism_is_complete (data->mechanism))
        {
          return_error (task, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                                           "The server did not prove its identity (%s)",
                                           missive_sasl_mechanism_get_name (data->mechanism)));
          return;
        }
      g_task_return_pointer (task,
                             g_strdup (missive_sasl_mechanism_get_name (data->mechanism)),
                             g_free);
      g_object_unref (task);
      return;
    }

  /* A challenge. */
  if (++data->rounds > MISSIVE_SASL_DRIVER_MAX_ROUNDS)
    {
      return_error (task, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                       "The server sent more than %u SASL challenges",
                                       MISSIVE_SASL_DRIVER_MAX_ROUNDS));
      return;
    }

  if (data->rounds == 1 && !data->sent_initial_response &&
      (flags & MISSIVE_SASL_FLAG_CLIENT_FIRST) &&
      (server_data == NULL || g_bytes_get_size (server_data) == 0))
    {
      /* The protocol could not carry the initial response, so the server
       * asked for it with an empty challenge. */
      response = missive_sasl_mechanism_step (data->mechanism, NULL, &error);
    }
  else
    {
      if (server_data == NULL)
        server_data = g_bytes_new_static ("", 0);
      response = missive_sasl_mechanism_step (data->mechanism, server_data, &error);
    }

  if (error != NULL)
    {
      /* Tell the server we give up, then report the mechanism's error. */
      g_clear_pointer (&response, g_bytes_unref);
      data->step_error = error;
      klass->sasl_continue_async (service, NULL, g_task_get_cancellable (task),
                                  sasl_reply_cb, task);
      return;
    }
  if (response == NULL)
    response = g_bytes_new_static ("", 0);

  klass->sasl_continue_async (service, response, g_task_get_cancellable (task),
                              sasl_reply_cb, task);
}

/* Sets the mechanism up with the service's credentials (asking for a fresh
 * token first when it sends one) and sends the first command. Runs again
 * when a refused token is retried. */
static void
start_exchange (GTask *task)
{
  MissiveService *service = g_task_get_source_object (task);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (service);
  AuthData *data = g_task_get_task_data (task);
  MissiveSaslMechanism *mechanism = data->mechanism;
  g_autoptr(GBytes) initial = NULL;
  GError *error = NULL;
  MissiveSaslFlags flags = missive_sasl_mechanism_get_flags (mechanism);

  if ((flags & MISSIVE_SASL_FLAG_NEEDS_TOKEN) && !data->token_retried)
    missive_service_request_token (service);
  if ((flags & MISSIVE_SASL_FLAG_NEEDS_TOKEN) && missive_service_get_oauth_token (service) == NULL)
    {
      return_error (task, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                                       "No OAuth token for %s: set oauth-token or answer "
                                       "token-requested", missive_sasl_mechanism_get_name (mechanism)));
      return;
    }

  missive_sasl_mechanism_reset (mechanism);
  data->rounds = 0;
  data->sent_initial_response = FALSE;
  missive_sasl_mechanism_set_username (mechanism, missive_service_get_username (service));
  missive_sasl_mechanism_set_password (mechanism, missive_service_get_password (service));
  missive_sasl_mechanism_set_authzid (mechanism, missive_service_get_authzid (service));
  missive_sasl_mechanism_set_oauth_token (mechanism, missive_service_get_oauth_token (service));
  missive_sasl_mechanism_set_service_name (mechanism,
                                           missive_sasl_driver_service_name (missive_service_get_scheme (service)));
  missive_sasl_mechanism_set_host (mechanism, missive_service_get_host (service));
  missive_sasl_mechanism_set_transport (mechanism, missive_service_get_transport (service));
  g_signal_emit (service,
                 missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_PREPARE_SASL_MECHANISM),
                 0, mechanism);

  if (missive_service_is_tracing (service))
    {
      g_autofree char *note = g_strdup_printf ("Authenticating with %s",
                                               missive_sasl_mechanism_get_name (mechanism));

      missive_service_trace (service, MISSIVE_TRACE_INFO, note, -1, FALSE);
    }

  if ((flags & MISSIVE_SASL_FLAG_CLIENT_FIRST) &&
      klass->supports_initial_response != NULL &&
      klass->supports_initial_response (service))
    {
      initial = missive_sasl_mechanism_step (mechanism, NULL, &error);
      if (error != NULL)
        {
          /* Nothing was sent yet: no abort needed. */
          return_error (task, error);
          return;
        }
      if (initial == NULL)
        initial = g_bytes_new_static ("", 0);
      data->sent_initial_response = TRUE;
    }

  klass->sasl_start_async (service, missive_sasl_mechanism_get_name (mechanism), initial,
                           g_task_get_cancellable (task), sasl_reply_cb, task);
}

void
missive_sasl_driver_authenticate_async (MissiveService      *service,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  g_autoptr(MissiveSaslMechanism) mechanism = NULL;
  GError *error = NULL;
  gboolean use_login = FALSE;
  AuthData *data;

  g_return_if_fail (MISSIVE_IS_SERVICE (service));

  klass = MISSIVE_SERVICE_GET_CLASS (service);

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sasl_driver_authenticate_async);
  g_task_set_priority (task, io_priority);

  mechanism = choose_mechanism (service, &use_login, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (use_login)
    {
      if (missive_service_is_tracing (service))
        missive_service_trace (service, MISSIVE_TRACE_INFO,
                               "Logging in without SASL", -1, FALSE);
      klass->login_async (service, cancellable, login_cb, g_steal_pointer (&task));
      return;
    }

  data = g_new0 (AuthData, 1);
  data->mechanism = g_steal_pointer (&mechanism);
  g_task_set_task_data (task, data, (GDestroyNotify) auth_data_free);
  start_exchange (g_steal_pointer (&task));
}

gboolean
missive_sasl_driver_authenticate_finish (MissiveService  *service,
                                         GAsyncResult    *result,
                                         char           **mechanism_used,
                                         GError         **error)
{
  GError *local_error = NULL;
  char *used;

  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  used = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (mechanism_used != NULL)
    *mechanism_used = used;
  else
    g_free (used);
  return TRUE;
}
