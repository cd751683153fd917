/* missive-stream-transport.c: a transport over a GIOStream the application has
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

#include "missive-transport-private.h"

/**
 * MissiveStreamTransport:
 *
 * A [iface@Transport] over a [class@Gio.IOStream] the application already
 * has: a connection it made itself, through a tunnel, or one end of a
 * socket pair in a test.
 *
 * [method@Transport.open] only marks the stream as in use.
 * [method@Transport.start_tls] wraps it in a TLS client connection,
 * verified against the TLS backend's default database and, if
 * [property@StreamTransport:server-identity] is set, that name; without a
 * server identity the host name is **not** checked, only the chain of
 * trust. The stream must be pollable for TLS (socket connections and
 * pipes are), and the handshake has no time limit of its own: cancel it
 * to stop it. A failed upgrade closes the stream. [method@Transport.close]
 * closes the stream, after which the transport cannot be opened again.
 *
 * Since: 1.0
 */

typedef enum {
  STATE_NEW,
  STATE_OPEN,
  STATE_CLOSED,
} State;

struct _MissiveStreamTransport
{
  GObject parent_instance;

  GIOStream *base_stream;
  char *server_identity;

  State state;
  GTlsConnection *tls;

  /* A start_tls in progress (owned by its task), and the close calls that
   * wait for it to end. */
  MissiveDeadline *pending;
  GList *close_waiters;
};

static void missive_stream_transport_iface_init (MissiveTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MissiveStreamTransport, missive_stream_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MISSIVE_TYPE_TRANSPORT,
                                                      missive_stream_transport_iface_init))

enum {
  PROP_0,
  PROP_BASE_STREAM,
  PROP_SERVER_IDENTITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- close --------------------------------------------------------------- */

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_error (task, missive_error_from_io_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
do_close (MissiveStreamTransport *self,
          GTask                  *task)
{
  g_autoptr(GIOStream) stream = NULL;

  if (self->state != STATE_OPEN)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* Closing the TLS connection closes the base stream under it. */
  stream = self->tls != NULL ? G_IO_STREAM (g_steal_pointer (&self->tls))
                             : g_object_ref (self->base_stream);
  self->state = STATE_CLOSED;
  g_io_stream_close_async (stream, g_task_get_priority (task),
                           g_task_get_cancellable (task), on_stream_closed, task);
}

static void
missive_stream_transport_close_async (MissiveTransport    *transport,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (transport);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_stream_transport_close_async);
  g_task_set_priority (task, io_priority);

  if (self->pending != NULL)
    {
      self->close_waiters = g_list_append (self->close_waiters, task);
      missive_deadline_cancel (self->pending);
      return;
    }
  do_close (self, task);
}

static gboolean
missive_stream_transport_close_finish (MissiveTransport  *transport,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_stream_transport_close_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
operation_ended (MissiveStreamTransport *self)
{
  GList *waiters = g_steal_pointer (&self->close_waiters);

  self->pending = NULL;
  for (GList *l = waiters; l != NULL; l = l->next)
    do_close (self, l->data);
  g_list_free (waiters);
}

/* ---- open ---------------------------------------------------------------- */

static void
missive_stream_transport_open_async (MissiveTransport    *transport,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_stream_transport_open_async);
  g_task_set_priority (task, io_priority);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->state == STATE_OPEN)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The transport is already open");
      return;
    }
  if (self->state == STATE_CLOSED || g_io_stream_is_closed (self->base_stream))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The stream is closed");
      return;
    }

  self->state = STATE_OPEN;
  g_task_return_boolean (task, TRUE);
}

static gboolean
missive_stream_transport_open_finish (MissiveTransport  *transport,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_stream_transport_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- start_tls ----------------------------------------------------------- */

static void
on_start_tls_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveStreamTransport *self = g_task_get_source_object (task);
  g_autoptr(GTlsConnection) tls = NULL;
  GError *error = NULL;

  tls = missive_tls_handshake_finish (MISSIVE_TRANSPORT (self), result, &error);
  if (tls == NULL)
    {
      /* The failed TLS connection closes the stream under it as it goes;
       * there is no falling back to plaintext. */
      self->state = STATE_CLOSED;
      operation_ended (self);
      g_task_return_error (task, error);
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) ||
      self->close_waiters != NULL)
    {
      /* Cancelled or closed as the handshake ended: do not install it. */
      g_clear_object (&tls);
      self->state = STATE_CLOSED;
      operation_ended (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Operation was cancelled");
      return;
    }

  self->tls = g_steal_pointer (&tls);
  operation_ended (self);
  missive_transport_emit_tls_established (MISSIVE_TRANSPORT (self));
  g_task_return_boolean (task, TRUE);
}

static void
missive_stream_transport_start_tls_async (MissiveTransport    *transport,
                                          int                  io_priority,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  MissiveTlsSettings settings = { 0 };
  MissiveDeadline *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_stream_transport_start_tls_async);
  g_task_set_priority (task, io_priority);

  if (self->pending != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "Another operation is in progress on this transport");
      return;
    }
  if (self->state != STATE_OPEN)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The transport is not open");
      return;
    }
  if (self->tls != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The connection is already protected by TLS");
      return;
    }

  settings.server_identity = self->server_identity;
  if (G_IS_TCP_CONNECTION (self->base_stream))
    {
      g_autoptr(GSocketAddress) remote =
        g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (self->base_stream), NULL);

      if (G_IS_INET_SOCKET_ADDRESS (remote))
        settings.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote));
    }

  op = missive_deadline_new (cancellable, 0);
  g_task_set_task_data (task, op, (GDestroyNotify) missive_deadline_free);
  self->pending = op;

  missive_tls_handshake_async (transport, self->base_stream, &settings, io_priority,
                               missive_deadline_get_cancellable (op),
                               on_start_tls_done, g_steal_pointer (&task));
}

static gboolean
missive_stream_transport_start_tls_finish (MissiveTransport  *transport,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_stream_transport_start_tls_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GIOStream *
missive_stream_transport_get_stream (MissiveTransport *transport)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (transport);

  if (self->state != STATE_OPEN)
    return NULL;
  if (self->tls != NULL)
    return G_IO_STREAM (self->tls);
  return self->base_stream;
}

static GTlsConnection *
missive_stream_transport_get_tls_connection (MissiveTransport *transport)
{
  return MISSIVE_STREAM_TRANSPORT (transport)->tls;
}

static void
missive_stream_transport_iface_init (MissiveTransportInterface *iface)
{
  iface->open_async = missive_stream_transport_open_async;
  iface->open_finish = missive_stream_transport_open_finish;
  iface->get_stream = missive_stream_transport_get_stream;
  iface->get_tls_connection = missive_stream_transport_get_tls_connection;
  iface->start_tls_async = missive_stream_transport_start_tls_async;
  iface->start_tls_finish = missive_stream_transport_start_tls_finish;
  iface->close_async = missive_stream_transport_close_async;
  iface->close_finish = missive_stream_transport_close_finish;
}

/* ---- GObject ------------------------------------------------------------- */

static void
missive_stream_transport_dispose (GObject *object)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (object);

  g_clear_object (&self->tls);
  g_clear_object (&self->base_stream);

  G_OBJECT_CLASS (missive_stream_transport_parent_class)->dispose (object);
}

static void
missive_stream_transport_finalize (GObject *object)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (object);

  g_free (self->server_identity);

  G_OBJECT_CLASS (missive_stream_transport_parent_class)->finalize (object);
}

static void
missive_stream_transport_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_BASE_STREAM:
      g_value_set_object (value, self->base_stream);
      break;
    case PROP_SERVER_IDENTITY:
      g_value_set_string (value, self->server_identity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_stream_transport_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  MissiveStreamTransport *self = MISSIVE_STREAM_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_BASE_STREAM:
      self->base_stream = g_value_dup_object (value);
      break;
    case PROP_SERVER_IDENTITY:
      self->server_identity = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_stream_transport_class_init (MissiveStreamTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_stream_transport_dispose;
  object_class->finalize = missive_stream_transport_finalize;
  object_class->get_property = missive_stream_transport_get_property;
  object_class->set_property = missive_stream_transport_set_property;

  /**
   * MissiveStreamTransport:base-stream:
   *
   * The stream to talk over. The transport closes it when closed.
   *
   * Since: 1.0
   */
  properties[PROP_BASE_STREAM] =
    g_param_spec_object ("base-stream", NULL, NULL,
                         G_TYPE_IO_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveStreamTransport:server-identity:
   *
   * The name the server's certificate must be valid for after
   * [method@Transport.start_tls], or %NULL to check only that a trusted CA
   * signed it.
   *
   * Since: 1.0
   */
  properties[PROP_SERVER_IDENTITY] =
    g_param_spec_string ("server-identity", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_stream_transport_init (MissiveStreamTransport *self)
{
}

/**
 * missive_stream_transport_new:
 * @stream: the stream to talk over
 * @server_identity: (nullable): the name the server's certificate must
 *   match after [method@Transport.start_tls], or %NULL
 *
 * Creates a transport over @stream.
 *
 * Returns: (transfer full): a new transport
 *
 * Since: 1.0
 */
MissiveStreamTransport *
missive_stream_transport_new (GIOStream  *stream,
                              const char *server_identity)
{
  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  return g_object_new (MISSIVE_TYPE_STREAM_TRANSPORT,
                       "base-stream", stream,
                       "server-identity", server_identity,
                       NULL);
}
