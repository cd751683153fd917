/* missive-sender-pool-send.c: the sending and closing calls of
 * MissiveSenderPool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include "missive-sender-pool-private.h"

/**
 * missive_sender_pool_send_message_async:
 * @self: a pool
 * @message: the message
 * @envelope: (nullable): the envelope, or %NULL to derive it from the
 *   message's headers
 * @options: (nullable): the send options, or %NULL for the defaults
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is sent or failed
 * @user_data: data for @callback
 *
 * Queues @message for the next free connection, which sends it as
 * [method@Sender.send_message_async] does.
 *
 * Since: 1.0
 */
void
missive_sender_pool_send_message_async (MissiveSenderPool   *self,
                                        GMimeMessage        *message,
                                        MissiveEnvelope     *envelope,
                                        MissiveSendOptions  *options,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  MissiveSenderPoolRequest *request;

  g_return_if_fail (MISSIVE_IS_SENDER_POOL (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (envelope == NULL || MISSIVE_IS_ENVELOPE (envelope));
  g_return_if_fail (options == NULL || MISSIVE_IS_SEND_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_pool_send_message_async);
  g_task_set_priority (task, io_priority);
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (MissiveSenderPoolRequest, 1);
  request->message = g_object_ref (message);
  request->envelope = envelope != NULL ? g_object_ref (envelope) : NULL;
  request->options = options != NULL ? g_object_ref (options) : NULL;
  g_task_set_task_data (task, request, (GDestroyNotify) missive_sender_pool_request_free);

  missive_sender_pool_submit (self, task);
}

/**
 * missive_sender_pool_send_message_finish:
 * @self: a pool
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@SenderPool.send_message_async].
 *
 * Returns: (transfer full) (nullable): what the server said, or %NULL
 *   with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_pool_send_message_finish (MissiveSenderPool  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_sender_pool_send_message_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GMimeMessage *message;
  GInputStream *stream;
  gint64 size;
  MissiveEnvelope *envelope;
  MissiveSendOptions *options;
} SyncArgs;

static void
start_send_message (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  SyncArgs *args = start_data;

  missive_sender_pool_send_message_async (source, args->message, args->envelope, args->options,
                                          G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_sender_pool_send_message:
 * @self: a pool
 * @message: the message
 * @envelope: (nullable): the envelope, or %NULL to derive it from the
 *   message's headers
 * @options: (nullable): the send options, or %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @message through the pool, blocking until done. See
 * [method@SenderPool.send_message_async].
 *
 * Returns: (transfer full) (nullable): what the server said, or %NULL
 *   with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_pool_send_message (MissiveSenderPool   *self,
                                  GMimeMessage        *message,
                                  MissiveEnvelope     *envelope,
                                  MissiveSendOptions  *options,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncArgs args = { message, NULL, -1, envelope, options };

  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_run_sync (self, start_send_message, &args, cancellable);
  return missive_sender_pool_send_message_finish (self, result, error);
}

/**
 * missive_sender_pool_send_stream_async:
 * @self: a pool
 * @stream: the bytes of one RFC 5322 message
 * @size: the length of the message in bytes, or -1 if unknown
 * @envelope: the envelope
 * @options: (nullable): the send options, or %NULL for the defaults
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is sent or failed
 * @user_data: data for @callback
 *
 * Queues a message given as bytes for the next free connection, which
 * sends it as [method@Sender.send_stream_async] does. The stream is read
 * only once a connection takes it; it is sent again after a 421 only if
 * it is a [iface@Gio.Seekable] that can seek.
 *
 * Since: 1.0
 */
void
missive_sender_pool_send_stream_async (MissiveSenderPool   *self,
                                       GInputStream        *stream,
                                       gint64               size,
                                       MissiveEnvelope     *envelope,
                                       MissiveSendOptions  *options,
                                       int                  io_priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  MissiveSenderPoolRequest *request;

  g_return_if_fail (MISSIVE_IS_SENDER_POOL (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (MISSIVE_IS_ENVELOPE (envelope));
  g_return_if_fail (options == NULL || MISSIVE_IS_SEND_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_pool_send_stream_async);
  g_task_set_priority (task, io_priority);
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (MissiveSenderPoolRequest, 1);
  request->stream = g_object_ref (stream);
  request->size = size;
  request->envelope = g_object_ref (envelope);
  request->options = options != NULL ? g_object_ref (options) : NULL;
  if (G_IS_SEEKABLE (stream) && g_seekable_can_seek (G_SEEKABLE (stream)))
    {
      request->can_rewind = TRUE;
      request->start = g_seekable_tell (G_SEEKABLE (stream));
    }
  g_task_set_task_data (task, request, (GDestroyNotify) missive_sender_pool_request_free);

  missive_sender_pool_submit (self, task);
}

/**
 * missive_sender_pool_send_stream_finish:
 * @self: a pool
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@SenderPool.send_stream_async].
 *
 * Returns: (transfer full) (nullable): what the server said, or %NULL
 *   with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_pool_send_stream_finish (MissiveSenderPool  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_sender_pool_send_stream_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_send_stream (gpointer             source,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             start_data)
{
  SyncArgs *args = start_data;

  missive_sender_pool_send_stream_async (source, args->stream, args->size, args->envelope,
                                         args->options, G_PRIORITY_DEFAULT, cancellable,
                                         callback, user_data);
}

/**
 * missive_sender_pool_send_stream:
 * @self: a pool
 * @stream: the bytes of one RFC 5322 message
 * @size: the length of the message in bytes, or -1 if unknown
 * @envelope: the envelope
 * @options: (nullable): the send options, or %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends a message given as bytes through the pool, blocking until done.
 * See [method@SenderPool.send_stream_async].
 *
 * Returns: (transfer full) (nullable): what the server said, or %NULL
 *   with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_pool_send_stream (MissiveSenderPool   *self,
                                 GInputStream        *stream,
                                 gint64               size,
                                 MissiveEnvelope     *envelope,
                                 MissiveSendOptions  *options,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncArgs args = { NULL, stream, size, envelope, options };

  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (envelope), NULL);

  result = missive_run_sync (self, start_send_stream, &args, cancellable);
  return missive_sender_pool_send_stream_finish (self, result, error);
}

/**
 * missive_sender_pool_close_async:
 * @self: a pool
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when every connection is closed
 * @user_data: data for @callback
 *
 * Closes the pool's connections. Messages still waiting for a connection
 * fail with %MISSIVE_ERROR_INVALID_STATE; messages being sent are sent to
 * their end, then their connection is closed (QUIT). Connections being
 * opened are cancelled. Afterwards the pool can be used again: it opens
 * new connections as messages come.
 *
 * Cancelling @cancellable makes the result %G_IO_ERROR_CANCELLED, but
 * the connections are closed all the same.
 *
 * Since: 1.0
 */
void
missive_sender_pool_close_async (MissiveSenderPool   *self,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MISSIVE_IS_SENDER_POOL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_pool_close_async);
  g_task_set_priority (task, io_priority);

  missive_sender_pool_start_close (self, task);
}

/**
 * missive_sender_pool_close_finish:
 * @self: a pool
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@SenderPool.close_async].
 *
 * Returns: %TRUE when every connection is closed
 *
 * Since: 1.0
 */
gboolean
missive_sender_pool_close_finish (MissiveSenderPool  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), FALSE);
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
  missive_sender_pool_close_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_sender_pool_close:
 * @self: a pool
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the pool's connections, blocking until done. See
 * [method@SenderPool.close_async].
 *
 * Returns: %TRUE when every connection is closed
 *
 * Since: 1.0
 */
gboolean
missive_sender_pool_close (MissiveSenderPool  *self,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), FALSE);

  result = missive_run_sync (self, start_close, NULL, cancellable);
  return missive_sender_pool_close_finish (self, result, error);
}
