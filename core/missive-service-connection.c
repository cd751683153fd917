/* missive-service-connection.c: opening and closing the connection of a
 * MissiveService, and the commands every protocol has (NOOP, raw commands)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-service-private.h"
#include "missive-sasl-driver-private.h"

#define LOGOUT_TIMEOUT 10

/* ---- setting up and dropping the connection ----------------------------- */

static gboolean
on_accept_certificate (MissiveTransport     *transport,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  MissiveService *self = user_data;
  gboolean accept = FALSE;

  g_signal_emit (self, missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_ACCEPT_CERTIFICATE), 0,
                 certificate, errors, &accept);
  return accept;
}

static void
on_tls_established (MissiveTransport *transport,
                    gpointer          user_data)
{
  MissiveService *self = user_data;

  if (missive_service_is_tracing (self))
    {
      g_autofree char *suite = missive_transport_get_tls_ciphersuite (transport);
      g_autofree char *note = g_strdup_printf ("TLS established (%s)",
                                               suite != NULL ? suite : "unknown cipher suite");

      missive_service_trace (self, MISSIVE_TRACE_INFO, note, -1, FALSE);
    }
  g_signal_emit (self, missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_TLS_ESTABLISHED), 0);
}

static void
on_reader_progress (MissiveReader *reader,
                    guint64        done,
                    guint64        total,
                    gpointer       user_data)
{
  missive_service_emit_transfer_progress (MISSIVE_SERVICE (user_data), done, total);
}

static guint16
effective_port (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (self);

  if (priv->port != 0)
    return priv->port;
  if (klass->get_default_port != NULL)
    return klass->get_default_port (self, priv->security);
  return 0;
}

/* Sets up priv->connection for a new connection. */
static gboolean
prepare_connection (MissiveService  *self,
                    GError         **error)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);

  g_assert (priv->connection == NULL);

  if (priv->transport != NULL)
    {
      priv->connection = g_object_ref (priv->transport);
    }
  else
    {
      MissiveSocketTransport *sock;
      guint16 port;

      if (priv->host == NULL || priv->host[0] == '\0')
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No host to connect to");
          return FALSE;
        }
      port = effective_port (self);
      if (port == 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No port to connect to");
          return FALSE;
        }

      sock = missive_socket_transport_new (priv->host, port, priv->security);
      missive_socket_transport_set_connect_timeout (sock, priv->timeout);
      missive_socket_transport_set_timeout (sock, priv->timeout);
      if (priv->ca_file != NULL)
        missive_socket_transport_set_ca_file (sock, priv->ca_file);
      if (priv->tls_database != NULL)
        missive_socket_transport_set_tls_database (sock, priv->tls_database);
      priv->connection = MISSIVE_TRANSPORT (sock);
      missive_service_notify_transport (self);
    }

  priv->accept_certificate_id =
    g_signal_connect_object (priv->connection, "accept-certificate",
                             G_CALLBACK (on_accept_certificate), self, 0);
  priv->tls_established_id =
    g_signal_connect_object (priv->connection, "tls-established",
                             G_CALLBACK (on_tls_established), self, 0);
  return TRUE;
}

/* Forgets the connection without any I/O. */
void
missive_service_drop_connection (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);
  gboolean ours;

  g_clear_object (&priv->reader);
  g_clear_object (&priv->output);
  if (priv->connection == NULL)
    return;

  g_clear_signal_handler (&priv->accept_certificate_id, priv->connection);
  g_clear_signal_handler (&priv->tls_established_id, priv->connection);
  ours = priv->connection != priv->transport;
  g_clear_object (&priv->connection);
  if (ours)
    missive_service_notify_transport (self);
}

/* ---- closing the connection after a failure or a logout ------------------ */

typedef struct
{
  GTask *task;
  GError *error;
} TeardownData;

static void
teardown_finish (TeardownData *data)
{
  MissiveService *self = g_task_get_source_object (data->task);

  missive_service_drop_connection (self);
  missive_service_set_state (self, MISSIVE_SERVICE_STATE_DISCONNECTED);
  if (data->error != NULL)
    g_task_return_error (data->task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (data->task, TRUE);
  g_object_unref (data->task);
  g_free (data);
}

static void
teardown_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  /* The connection is going away whatever happens: ignore close errors. */
  missive_transport_close_finish (MISSIVE_TRANSPORT (source), result, NULL);
  teardown_finish (user_data);
}

/* Closes the connection (no logout: the server is not waited for), goes to
 * DISCONNECTED, then finishes @task (transfer full) with @error (transfer
 * full) or with TRUE. */
static void
teardown_connection (MissiveService *self,
                     GTask          *task,
                     GError         *error)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);
  TeardownData *data = g_new0 (TeardownData, 1);

  data->task = task;
  data->error = error;

  /* No more I/O through the old streams from here on. */
  g_clear_object (&priv->reader);
  g_clear_object (&priv->output);

  if (priv->connection != NULL && missive_transport_is_open (priv->connection))
    missive_transport_close_async (priv->connection, g_task_get_priority (task),
                                   NULL, teardown_closed_cb, data);
  else
    teardown_finish (data);
}

gboolean
missive_service_error_is_fatal (const GError *error)
{
  if (error == NULL || error->domain != MISSIVE_ERROR)
    return FALSE;

  switch (error->code)
    {
    case MISSIVE_ERROR_CONNECTION_LOST:
    case MISSIVE_ERROR_TIMED_OUT:
    case MISSIVE_ERROR_TLS_FAILED:
    case MISSIVE_ERROR_LINE_TOO_LONG:
    case MISSIVE_ERROR_LITERAL_TOO_LARGE:
    case MISSIVE_ERROR_PROTOCOL:
    case MISSIVE_ERROR_DELIVERY_UNCERTAIN:
      return TRUE;
    default:
      /* SMTP 421: the server is closing the connection. */
      return missive_error_get_server_code (error) == 421;
    }
}

void
missive_service_fail (GTask  *task,
                      GError *error)
{
  MissiveService *self = g_task_get_source_object (task);

  if (error == NULL)
    error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                 "The protocol plugin failed without saying why");
  missive_service_return_error (self, task, error);
}

void
missive_service_return_error (MissiveService *self,
                              GTask          *task,
                              GError         *error)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);
  GError *mapped = missive_error_from_io_error (error);

  g_error_free (error);

  if (missive_service_error_is_fatal (mapped) &&
      priv->connection != NULL &&
      (priv->state == MISSIVE_SERVICE_STATE_CONNECTED ||
       priv->state == MISSIVE_SERVICE_STATE_AUTHENTICATED))
    {
      teardown_connection (self, task, mapped);
      return;
    }

  g_task_return_error (task, mapped);
  g_object_unref (task);
}

gboolean
missive_service_check_ready (MissiveService  *self,
                             gboolean         need_authenticated,
                             GError         **error)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);

  switch (priv->state)
    {
    case MISSIVE_SERVICE_STATE_AUTHENTICATED:
      return TRUE;
    case MISSIVE_SERVICE_STATE_CONNECTED:
      if (!need_authenticated)
        return TRUE;
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "Not logged in");
      return FALSE;
    case MISSIVE_SERVICE_STATE_DISCONNECTED:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "Not connected");
      return FALSE;
    case MISSIVE_SERVICE_STATE_CONNECTING:
    case MISSIVE_SERVICE_STATE_AUTHENTICATING:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "The connection is still being opened");
      return FALSE;
    case MISSIVE_SERVICE_STATE_CLOSING:
    default:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "The connection is being closed");
      return FALSE;
    }
}

void
missive_service_begin_operation (MissiveService *self,
                                 int             io_priority)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);

  priv->io_priority = io_priority;
}

/* ---- open --------------------------------------------------------------- */

typedef enum {
  OPEN_STAGE_TRANSPORT,
  OPEN_STAGE_GREETING,
  OPEN_STAGE_CAPABILITIES,
  OPEN_STAGE_STARTTLS,
  OPEN_STAGE_TLS_UPGRADE,
  OPEN_STAGE_TLS_CAPABILITIES,
  OPEN_STAGE_AUTHENTICATE,
  OPEN_STAGE_AUTH_CAPABILITIES,
  OPEN_STAGE_DONE,
} OpenStage;

typedef struct
{
  OpenStage stage;
} OpenData;

static void open_run_stage (GTask *task);

static void
open_fail (GTask  *task,
           GError *error)
{
  MissiveService *self = g_task_get_source_object (task);

  teardown_connection (self, task, missive_error_from_io_error (error));
  g_error_free (error);
}

static gboolean
has_credentials (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_priv (self);

  return (priv->username != NULL && priv->password != NULL) ||
         priv->oauth_token != NULL ||
         priv->auth_mechanism != NULL ||
         g_signal_has_handler_pending (self,
                                       missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_TOKEN_REQUESTED),
                                       0, FALSE);
}

static void
open_stage_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = g_task_get_source_object (task);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (self);
  MissiveServicePrivate *priv = missive_service_get_priv (self);
  OpenData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (data->stage)
    {
    case OPEN_STAGE_TRANSPORT:
      ok = missive_transport_open_finish (MISSIVE_TRANSPORT (source), result, &error);
      break;
    case OPEN_STAGE_GREETING:
      ok = klass->greet_finish (self, result, &error);
      break;
    case OPEN_STAGE_CAPABILITIES:
    case OPEN_STAGE_TLS_CAPABILITIES:
    case OPEN_STAGE_AUTH_CAPABILITIES:
      ok = klass->refresh_capabilities_finish (self, result, &error);
      break;
    case OPEN_STAGE_STARTTLS:
      ok = klass->starttls_finish (self, result, &error);
      break;
    case OPEN_STAGE_TLS_UPGRADE:
      ok = missive_transport_start_tls_finish (MISSIVE_TRANSPORT (source), result, &error);
      break;
    case OPEN_STAGE_AUTHENTICATE:
      {
        g_autofree char *used = NULL;

        ok = missive_sasl_driver_authenticate_finish (self, result, &used, &error);
        if (ok)
          {
            g_free (priv->sasl_mechanism_used);
            priv->sasl_mechanism_used = g_steal_pointer (&used);
          }
      }
      break;
    case OPEN_STAGE_DONE:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                     "The protocol plugin failed without saying why");
      open_fail (task, error);
      return;
    }

  /* Stage-specific follow-ups. */
  if (data->stage == OPEN_STAGE_TRANSPORT)
    {
      GIOStream *stream = missive_transport_get_stream (priv->connection);

      if (stream == NULL)
        {
          open_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                                "The transport opened without a stream"));
          return;
        }
      priv->reader = missive_reader_new (g_io_stream_get_input_stream (stream));
      missive_reader_set_progress_func (priv->reader, on_reader_progress, self, NULL);
      priv->output = g_object_ref (g_io_stream_get_output_stream (stream));

      if (missive_service_is_tracing (self))
        {
          g_autofree char *note = NULL;

          if (priv->transport == NULL)
            note = g_strdup_printf ("Connected to %s port %u", priv->host,
                                    effective_port (self));
          else
            note = g_strdup_printf ("Connected through %s",
                                    G_OBJECT_TYPE_NAME (priv->connection));
          missive_service_trace (self, MISSIVE_TRACE_INFO, note, -1, FALSE);
        }

      if (priv->security == MISSIVE_SECURITY_TLS &&
          !missive_transport_is_tls (priv->connection))
        {
          open_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_TLS_FAILED,
                                                "TLS was required but the transport is not protected"));
          return;
        }
    }
  else if (data->stage == OPEN_STAGE_TLS_UPGRADE)
    {
      GIOStream *stream = missive_transport_get_stream (priv->connection);
      gsize discarded;

      if (stream == NULL)
        {
          open_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                                "The transport lost its stream during STARTTLS"));
          return;
        }
      /* Whatever the server sent in clear after its go-ahead is dropped:
       * only what arrives through TLS is ever read as protected. */
      discarded = missive_reader_replace_stream (priv->reader,
                                                 g_io_stream_get_input_stream (stream));
      g_set_object (&priv->output, g_io_stream_get_output_stream (stream));
      if (discarded > 0)
        {
          g_autoptr(GError) warning =
            g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                         "Server sent %" G_GSIZE_FORMAT " bytes after the STARTTLS go-ahead; discarded",
                         discarded);

          missive_service_emit_warning (self, warning);
        }
      /* The capabilities from before TLS could have been tampered with. */
      missive_service_set_capabilities (self, NULL);
    }

  data->stage++;
  open_run_stage (task);
}

static void
open_run_stage (GTask *task)
{
  MissiveService *self = g_task_get_source_object (task);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (self);
  MissiveServicePrivate *priv = missive_service_get_priv (self);
  GCancellable *cancellable = g_task_get_cancellable (task);
  int io_priority = g_task_get_priority (task);
  OpenData *data = g_task_get_task_data (task);

  for (;;)
    {
      /* Each stage below either starts an asynchronous step (and returns)
       * or is skipped (and the loop goes on with the next one). */
      priv->io_priority = io_priority;

      switch (data->stage)
        {
        case OPEN_STAGE_TRANSPORT:
          missive_transport_open_async (priv->connection, io_priority, cancellable,
                                        open_stage_cb, task);
          return;

        case OPEN_STAGE_GREETING:
          if (klass->greet_async == NULL)
            break;
          klass->greet_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_CAPABILITIES:
        case OPEN_STAGE_TLS_CAPABILITIES:
          if (klass->refresh_capabilities_async == NULL)
            break;
          klass->refresh_capabilities_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_STARTTLS:
          if (priv->security != MISSIVE_SECURITY_STARTTLS ||
              missive_transport_is_tls (priv->connection))
            {
              /* No upgrade: skip straight past the TLS stages. */
              data->stage = OPEN_STAGE_TLS_CAPABILITIES;
              break;
            }
          if (klass->starttls_async == NULL)
            {
              open_fail (task, g_error_new_literal (MISSIVE_ERROR,
                                                    MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                                                    "STARTTLS was required but the protocol has no such command"));
              return;
            }
          klass->starttls_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_TLS_UPGRADE:
          missive_transport_start_tls_async (priv->connection, io_priority, cancellable,
                                             open_stage_cb, task);
          return;

        case OPEN_STAGE_AUTHENTICATE:
          if (priv->preauthenticated)
            {
              missive_service_set_state (self, MISSIVE_SERVICE_STATE_AUTHENTICATED);
              data->stage = OPEN_STAGE_DONE;
              continue;
            }
          missive_service_set_state (self, MISSIVE_SERVICE_STATE_CONNECTED);
          if (!has_credentials (self))
            {
              data->stage = OPEN_STAGE_DONE;
              continue;
            }
          missive_service_set_state (self, MISSIVE_SERVICE_STATE_AUTHENTICATING);
          missive_sasl_driver_authenticate_async (self, io_priority, cancellable,
                                                  open_stage_cb, task);
          return;

        case OPEN_STAGE_AUTH_CAPABILITIES:
          /* The plugin forgets the capabilities when logging in changed
           * them. */
          if (priv->capabilities != NULL || klass->refresh_capabilities_async == NULL)
            break;
          klass->refresh_capabilities_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_DONE:
          if (priv->state == MISSIVE_SERVICE_STATE_AUTHENTICATING)
            missive_service_set_state (self, MISSIVE_SERVICE_STATE_AUTHENTICATED);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;

        default:
          g_assert_not_reached ();
        }

      data->stage++;
    }
}

/**
 * missive_service_open_async:
 * @self: a service
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the service is open
 * @user_data: data for @callback
 *
 * Connects to the server, reads its greeting and capabilities, negotiates
 * TLS as [property@Service:security] asks, and authenticates when
 * credentials are set (a username and password, an OAuth token, or an
 * explicit [property@Service:auth-mechanism]). On success the service is
 * %MISSIVE_SERVICE_STATE_AUTHENTICATED, or %MISSIVE_SERVICE_STATE_CONNECTED
 * when no credentials were given.
 *
 * The service must be %MISSIVE_SERVICE_STATE_DISCONNECTED. On failure the
 * connection is closed and the service is disconnected again, ready for
 * another attempt.
 *
 * Since: 1.0
 */
void
missive_service_open_async (MissiveService      *self,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveServicePrivate *priv;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  OpenData *data;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_priv (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_open_async);
  g_task_set_priority (task, io_priority);
  /* A cancellation racing with success must not report failure for a
   * service that is in fact open. */
  g_task_set_check_cancellable (task, FALSE);

  if (priv->state != MISSIVE_SERVICE_STATE_DISCONNECTED)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The service is already open or busy");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!prepare_connection (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (OpenData, 1);
  data->stage = OPEN_STAGE_TRANSPORT;
  g_task_set_task_data (task, data, g_free);

  g_clear_pointer (&priv->sasl_mechanism_used, g_free);
  priv->preauthenticated = FALSE;
  missive_service_set_capabilities (self, NULL);
  missive_service_set_state (self, MISSIVE_SERVICE_STATE_CONNECTING);

  open_run_stage (g_steal_pointer (&task));
}

/**
 * missive_service_open_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.open_async].
 *
 * Returns: %TRUE when the service is open
 *
 * Since: 1.0
 */
gboolean
missive_service_open_finish (MissiveService  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_open (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_service_open_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_service_open:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the service, blocking until done. See
 * [method@Service.open_async].
 *
 * Returns: %TRUE when the service is open
 *
 * Since: 1.0
 */
gboolean
missive_service_open (MissiveService  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  result = missive_run_sync (self, start_open, NULL, cancellable);
  return missive_service_open_finish (self, result, error);
}

/* ---- close -------------------------------------------------------------- */

typedef struct
{
  GCancellable *logout_cancellable;
  GCancellable *cancellable;
  gulong cancelled_id;
  GSource *timeout_source;
} CloseData;

static void
close_data_free (CloseData *data)
{
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancelled_id);
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_source_unref (data->timeout_source);
    }
  g_clear_object (&data->cancellable);
  g_clear_object (&data->logout_cancellable);
  g_free (data);
}

static void
on_close_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_logout_timeout (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
close_logout_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = MISSIVE_SERVICE (source);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  /* A failed logout still ends in a closed connection: only the caller's
   * own cancellation is reported. */
  MISSIVE_SERVICE_GET_CLASS (self)->logout_finish (self, result, NULL);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "Operation was cancelled");
  teardown_connection (self, task, error);
}

/**
 * missive_service_close_async:
 * @self: a service
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the service is closed
 * @user_data: data for @callback
 *
 * Logs out (LOGOUT, QUIT) and closes the connection. The logout is given a
 * few seconds at most; whatever the server answers, the connection is
 * closed and the service ends %MISSIVE_SERVICE_STATE_DISCONNECTED, even when
 * the operation is cancelled. Closing a disconnected service succeeds at
 * once.
 *
 * Since: 1.0
 */
void
missive_service_close_async (MissiveService      *self,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MissiveServicePrivate *priv;
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  CloseData *data;
  guint limit;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_priv (self);
  klass = MISSIVE_SERVICE_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_close_async);
  g_task_set_priority (task, io_priority);
  g_task_set_check_cancellable (task, FALSE);

  switch (priv->state)
    {
    case MISSIVE_SERVICE_STATE_DISCONNECTED:
      g_task_return_boolean (task, TRUE);
      return;
    case MISSIVE_SERVICE_STATE_CONNECTING:
    case MISSIVE_SERVICE_STATE_AUTHENTICATING:
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The service is being opened; cancel the open instead");
      return;
    case MISSIVE_SERVICE_STATE_CLOSING:
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The service is already being closed");
      return;
    case MISSIVE_SERVICE_STATE_CONNECTED:
    case MISSIVE_SERVICE_STATE_AUTHENTICATED:
    default:
      break;
    }

  missive_service_set_state (self, MISSIVE_SERVICE_STATE_CLOSING);
  priv->io_priority = io_priority;

  if (klass->logout_async == NULL || priv->output == NULL ||
      (cancellable != NULL && g_cancellable_is_cancelled (cancellable)))
    {
      GError *error = NULL;

      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "Operation was cancelled");
      teardown_connection (self, g_steal_pointer (&task), error);
      return;
    }

  /* The logout runs under its own cancellable, cancelled by the caller's
   * and by a time limit. */
  data = g_new0 (CloseData, 1);
  data->logout_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_close_cancelled),
                                                  data->logout_cancellable, NULL);
    }
  limit = LOGOUT_TIMEOUT;
  if (priv->timeout != 0 && priv->timeout < limit)
    limit = priv->timeout;
  data->timeout_source = g_timeout_source_new_seconds (limit);
  g_source_set_callback (data->timeout_source, on_logout_timeout,
                         g_object_ref (data->logout_cancellable), g_object_unref);
  g_source_set_static_name (data->timeout_source, "[missive] logout time limit");
  g_source_attach (data->timeout_source, g_task_get_context (task));
  g_task_set_task_data (task, data, (GDestroyNotify) close_data_free);

  klass->logout_async (self, data->logout_cancellable, close_logout_cb,
                       g_steal_pointer (&task));
}

/**
 * missive_service_close_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.close_async]. The service is disconnected
 * whatever this returns.
 *
 * Returns: %TRUE unless the close was cancelled or not allowed
 *
 * Since: 1.0
 */
gboolean
missive_service_close_finish (MissiveService  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_close (gpointer             source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             start_data)
{
  missive_service_close_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_service_close:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Logs out and closes the connection, blocking until done. See
 * [method@Service.close_async].
 *
 * Returns: %TRUE unless the close was cancelled or not allowed
 *
 * Since: 1.0
 */
gboolean
missive_service_close (MissiveService  *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  result = missive_run_sync (self, start_close, NULL, cancellable);
  return missive_service_close_finish (self, result, error);
}

/* ---- noop --------------------------------------------------------------- */

static void
noop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = MISSIVE_SERVICE (source);
  GError *error = NULL;

  if (!MISSIVE_SERVICE_GET_CLASS (self)->noop_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_service_noop_async: (virtual noop_async)
 * @self: a service
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Sends the protocol's no-op command (NOOP), which keeps the connection
 * alive and lets the server report news (e.g. new mail in IMAP). The
 * service must be connected.
 *
 * Since: 1.0
 */
void
missive_service_noop_async (MissiveService      *self,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SERVICE_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_noop_async);
  g_task_set_priority (task, io_priority);

  if (!missive_service_check_ready (self, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->noop_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s has no no-op command", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (self, io_priority);
  klass->noop_async (self, io_priority, cancellable, noop_cb, g_steal_pointer (&task));
}

/**
 * missive_service_noop_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.noop_async].
 *
 * Returns: %TRUE when the server answered
 *
 * Since: 1.0
 */
gboolean
missive_service_noop_finish (MissiveService  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_noop (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_service_noop_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_service_noop:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends the protocol's no-op command, blocking until the server answers.
 * See [method@Service.noop_async].
 *
 * Returns: %TRUE when the server answered
 *
 * Since: 1.0
 */
gboolean
missive_service_noop (MissiveService  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  result = missive_run_sync (self, start_noop, NULL, cancellable);
  return missive_service_noop_finish (self, result, error);
}

/* ---- send_command ------------------------------------------------------- */

static void
send_command_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = MISSIVE_SERVICE (source);
  MissiveReply *reply;
  GError *error = NULL;

  reply = MISSIVE_SERVICE_GET_CLASS (self)->send_command_finish (self, result, &error);
  if (reply == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, reply, (GDestroyNotify) missive_reply_unref);
  g_object_unref (task);
}

/**
 * missive_service_send_command_async: (virtual send_command_async)
 * @self: a service
 * @command: one command line, without its line end
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Sends a raw command to the server and collects its reply, for what the
 * API does not cover. In IMAP the plugin adds the tag. The command must
 * not contain CR or LF: it is refused with
 * %MISSIVE_ERROR_INVALID_ARGUMENT before anything is sent.
 *
 * Since: 1.0
 */
void
missive_service_send_command_async (MissiveService      *self,
                                    const char          *command,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SERVICE_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_send_command_async);
  g_task_set_priority (task, io_priority);

  if (command[0] == '\0' || missive_string_has_line_break (command))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A command must be one non-empty line without CR or LF");
      return;
    }
  if (!missive_service_check_ready (self, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->send_command_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s cannot send raw commands", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (self, io_priority);
  klass->send_command_async (self, command, io_priority, cancellable, send_command_cb,
                             g_steal_pointer (&task));
}

/**
 * missive_service_send_command_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.send_command_async]. A refusal by the server is
 * a reply like any other, not an error: look at its status.
 *
 * Returns: (transfer full): the server's reply, or %NULL on error
 *
 * Since: 1.0
 */
MissiveReply *
missive_service_send_command_finish (MissiveService  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_send_command (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  missive_service_send_command_async (source, start_data, G_PRIORITY_DEFAULT,
                                      cancellable, callback, user_data);
}

/**
 * missive_service_send_command:
 * @self: a service
 * @command: one command line, without its line end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends a raw command and waits for the reply. See
 * [method@Service.send_command_async].
 *
 * Returns: (transfer full): the server's reply, or %NULL on error
 *
 * Since: 1.0
 */
MissiveReply *
missive_service_send_command (MissiveService  *self,
                              const char      *command,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);
  g_return_val_if_fail (command != NULL, NULL);

  result = missive_run_sync (self, start_send_command, (gpointer) command, cancellable);
  return missive_service_send_command_finish (self, result, error);
}
