/* missive-outbox-flush.c: sending the messages of a MissiveOutbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include <missive/missive-plugin.h>

#include "missive-outbox-private.h"

typedef struct
{
  MissiveSender *sender;
  GPtrArray *due;             /* of char *ids */
  guint index;
  int lock_fd;
  gboolean opened_here;
  GError *error;              /* what the flush ends with */
} FlushData;

static void
flush_data_free (FlushData *data)
{
  g_clear_object (&data->sender);
  g_clear_pointer (&data->due, g_ptr_array_unref);
  if (data->lock_fd >= 0)
    close (data->lock_fd);
  g_clear_error (&data->error);
  g_free (data);
}

static void flush_next (GTask *task);

static void
flush_return (GTask *task)
{
  MissiveOutbox *self = g_task_get_source_object (task);
  FlushData *data = g_task_get_task_data (task);

  g_clear_pointer (&self->sending_id, g_free);
  self->flush_task = NULL;
  if (data->lock_fd >= 0)
    {
      close (data->lock_fd);
      data->lock_fd = -1;
    }
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
flush_closed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* The messages are where they belong: a failed QUIT changes nothing. */
  missive_service_close_finish (MISSIVE_SERVICE (source), result, NULL);
  flush_return (user_data);
}

/* Ends the flush with @error (transfer full, or NULL for success). */
static void
flush_end (GTask  *task,
           GError *error)
{
  FlushData *data = g_task_get_task_data (task);
  MissiveServiceState state = missive_service_get_state (MISSIVE_SERVICE (data->sender));

  g_clear_error (&data->error);
  data->error = error;
  if (data->opened_here &&
      (state == MISSIVE_SERVICE_STATE_CONNECTED || state == MISSIVE_SERVICE_STATE_AUTHENTICATED))
    {
      missive_service_close_async (MISSIVE_SERVICE (data->sender), g_task_get_priority (task),
                                   NULL, flush_closed_cb, task);
      return;
    }
  flush_return (task);
}

static gboolean
error_is_permanent (const GError *error)
{
  if (error->domain != MISSIVE_ERROR)
    return FALSE;
  switch (error->code)
    {
    case MISSIVE_ERROR_SERVER_PERMANENT:
    case MISSIVE_ERROR_RECIPIENTS_REJECTED:
    case MISSIVE_ERROR_MESSAGE_TOO_LARGE:
    case MISSIVE_ERROR_INVALID_ARGUMENT:
      return TRUE;
    default:
      return FALSE;
    }
}

static gint64
retry_time (MissiveOutbox *self,
            guint          attempts)
{
  guint64 delay = self->retry_delay;
  guint shift = MIN (attempts > 0 ? attempts - 1 : 0, 32);

  delay <<= shift;
  if (delay > self->max_retry_delay)
    delay = self->max_retry_delay;
  return g_get_real_time () / G_USEC_PER_SEC + (gint64) delay;
}

static void
flush_progress (GTask *task)
{
  MissiveOutbox *self = g_task_get_source_object (task);
  FlushData *data = g_task_get_task_data (task);

  data->index++;
  g_clear_pointer (&self->sending_id, g_free);
  missive_outbox_emit_progress (self, data->index, data->due->len);
}

static void
flush_sent (GTask             *task,
            MissiveOutboxItem *item,
            MissiveSendResult *result)
{
  MissiveOutbox *self = g_task_get_source_object (task);
  const char *id = missive_outbox_item_get_id (item);
  GError *error = NULL;
  gboolean ok;

  /* From the server's acceptance until this reaches the disk, a crash
   * means the message is sent again. */
  if (self->keep_sent)
    {
      missive_outbox_item_set_state (item, MISSIVE_OUTBOX_STATE_SENT);
      missive_outbox_item_set_next (item, 0);
      ok = missive_outbox_store_move (self->path, item, MISSIVE_OUTBOX_STATE_QUEUED, &error);
    }
  else
    ok = missive_outbox_store_delete (self->path, MISSIVE_OUTBOX_STATE_QUEUED, id, &error);

  flush_progress (task);
  missive_outbox_emit_message_sent (self, id, result);
  if (!ok)
    {
      /* The disk refuses: stop before sending more messages that could
       * not be taken out of the queue either. */
      g_prefix_error (&error, "Message %s was sent but stays queued: ", id);
      flush_end (task, error);
      return;
    }
  flush_next (task);
}

static void
flush_failed (GTask             *task,
              MissiveOutboxItem *item,
              GError            *send_error)
{
  MissiveOutbox *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *id = missive_outbox_item_get_id (item);
  g_autofree char *saved_id = g_strdup (id);
  guint attempts = missive_outbox_item_get_attempts (item);
  gboolean permanent;
  GError *error = NULL;
  gboolean ok;

  if (attempts < G_MAXUINT)
    attempts++;
  permanent = error_is_permanent (send_error) ||
              (self->max_attempts > 0 && attempts >= self->max_attempts);

  missive_outbox_item_set_attempts (item, attempts);
  missive_outbox_item_set_last_error (item, send_error);
  if (permanent)
    {
      missive_outbox_item_set_state (item, MISSIVE_OUTBOX_STATE_FAILED);
      missive_outbox_item_set_next (item, 0);
      ok = missive_outbox_store_move (self->path, item, MISSIVE_OUTBOX_STATE_QUEUED, &error);
    }
  else
    {
      missive_outbox_item_set_next (item, retry_time (self, attempts));
      ok = missive_outbox_store_update (self->path, item, &error);
    }

  flush_progress (task);
  missive_outbox_emit_message_failed (self, saved_id, send_error, permanent);
  if (!ok)
    {
      flush_end (task, error);
      return;
    }
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      flush_end (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "Operation was cancelled"));
      return;
    }
  flush_next (task);
}

typedef struct
{
  GTask *task;
  MissiveOutboxItem *item;
} SendData;

static void
flush_send_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SendData *send = user_data;
  GTask *task = send->task;
  g_autoptr(MissiveOutboxItem) item = send->item;
  g_autoptr(MissiveSendResult) send_result = NULL;
  g_autoptr(GError) error = NULL;

  g_free (send);
  send_result = missive_sender_send_stream_finish (MISSIVE_SENDER (source), result, &error);
  if (send_result != NULL)
    flush_sent (task, item, send_result);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Nothing was sent (else the sender says DELIVERY_UNCERTAIN): the
       * message stays as it was. */
      MissiveOutbox *self = g_task_get_source_object (task);

      g_clear_pointer (&self->sending_id, g_free);
      flush_end (task, g_steal_pointer (&error));
    }
  else
    flush_failed (task, item, error);
}

static void
flush_send (GTask *task)
{
  MissiveOutbox *self = g_task_get_source_object (task);
  FlushData *data = g_task_get_task_data (task);

  while (data->index < data->due->len)
    {
      const char *id = g_ptr_array_index (data->due, data->index);
      g_autoptr(MissiveOutboxItem) item = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) error = NULL;
      goffset size = 0;
      SendData *send;

      item = missive_outbox_store_read_item (self->path, MISSIVE_OUTBOX_STATE_QUEUED, id, &error);
      if (item != NULL)
        stream = missive_outbox_store_open_message (self->path, MISSIVE_OUTBOX_STATE_QUEUED,
                                                    id, &size, &error);
      if (stream == NULL)
        {
          /* Removed since the flush began (or unreadable): skipped. */
          flush_progress (task);
          continue;
        }

      self->sending_id = g_strdup (id);
      send = g_new0 (SendData, 1);
      send->task = task;
      send->item = g_steal_pointer (&item);
      missive_sender_send_stream_async (data->sender, stream, size,
                                        missive_outbox_item_get_envelope (send->item),
                                        self->send_options, g_task_get_priority (task),
                                        g_task_get_cancellable (task), flush_send_cb, send);
      return;
    }

  flush_end (task, NULL);
}

static void
flush_open_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_service_open_finish (MISSIVE_SERVICE (source), result, &error))
    {
      flush_end (task, error);
      return;
    }
  flush_send (task);
}

static void
flush_next (GTask *task)
{
  FlushData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  MissiveService *service = MISSIVE_SERVICE (data->sender);

  if (data->index >= data->due->len)
    {
      flush_end (task, NULL);
      return;
    }
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      flush_end (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "Operation was cancelled"));
      return;
    }

  switch (missive_service_get_state (service))
    {
    case MISSIVE_SERVICE_STATE_CONNECTED:
    case MISSIVE_SERVICE_STATE_AUTHENTICATED:
      flush_send (task);
      return;
    case MISSIVE_SERVICE_STATE_DISCONNECTED:
      /* Not open yet, or the connection broke on the last message. */
      data->opened_here = TRUE;
      missive_service_open_async (service, g_task_get_priority (task), cancellable,
                                  flush_open_cb, task);
      return;
    case MISSIVE_SERVICE_STATE_CONNECTING:
    case MISSIVE_SERVICE_STATE_AUTHENTICATING:
    case MISSIVE_SERVICE_STATE_CLOSING:
    default:
      flush_end (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                                            "The sender is being opened or closed"));
      return;
    }
}

/**
 * missive_outbox_flush_async:
 * @self: an outbox
 * @sender: the sender to send through
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the flush is over
 * @user_data: data for @callback
 *
 * Sends every queued message that is due (never tried, or whose retry
 * time has come), one after the other, in the order they were queued.
 *
 * @sender may be open already; if it is disconnected (or its connection
 * breaks on a message), the flush opens it, and closes it at the end. Each
 * message accepted by the server is removed from the queue (or kept, see
 * [property@Outbox:keep-sent]) and reported by
 * [signal@Outbox::message-sent]; each failure is recorded with the
 * message and reported by [signal@Outbox::message-failed]. These do not
 * make the flush fail.
 *
 * The flush fails when it cannot go on: the sender cannot be opened,
 * another flush of the same directory runs (%MISSIVE_ERROR_INVALID_STATE),
 * the disk refuses a change, or @cancellable is cancelled. The messages
 * it did not get to stay queued as they were.
 *
 * Since: 1.0
 */
void
missive_outbox_flush_async (MissiveOutbox       *self,
                            MissiveSender       *sender,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) ids = NULL;
  GError *error = NULL;
  FlushData *data;
  gint64 now;

  g_return_if_fail (MISSIVE_IS_OUTBOX (self));
  g_return_if_fail (MISSIVE_IS_SENDER (sender));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_outbox_flush_async);
  g_task_set_priority (task, io_priority);
  /* The messages' fate is decided by the sender's answers, not by a
   * cancellation that raced with the last of them. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->flush_task != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The outbox is already being flushed");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (FlushData, 1);
  data->sender = g_object_ref (sender);
  data->due = g_ptr_array_new_with_free_func (g_free);
  data->lock_fd = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) flush_data_free);

  data->lock_fd = missive_outbox_store_lock (self->path, &error);
  if (data->lock_fd < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  ids = missive_outbox_store_list_ids (self->path, MISSIVE_OUTBOX_STATE_QUEUED, &error);
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  now = g_get_real_time () / G_USEC_PER_SEC;
  for (gsize i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MissiveOutboxItem) item = NULL;

      item = missive_outbox_store_read_item (self->path, MISSIVE_OUTBOX_STATE_QUEUED, ids[i], NULL);
      if (item != NULL && missive_outbox_item_get_next (item) <= now)
        g_ptr_array_add (data->due, g_strdup (ids[i]));
    }

  self->flush_task = task;
  flush_next (g_steal_pointer (&task));
}

/**
 * missive_outbox_flush_finish:
 * @self: an outbox
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Outbox.flush_async].
 *
 * Returns: %TRUE when every due message was handled (sent, or its failure
 *   recorded), %FALSE with @error set when the flush stopped early
 *
 * Since: 1.0
 */
gboolean
missive_outbox_flush_finish (MissiveOutbox  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_flush (gpointer             source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             start_data)
{
  missive_outbox_flush_async (source, start_data, G_PRIORITY_DEFAULT, cancellable,
                              callback, user_data);
}

/**
 * missive_outbox_flush:
 * @self: an outbox
 * @sender: the sender to send through
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends every due message, blocking until done. See
 * [method@Outbox.flush_async].
 *
 * Returns: %TRUE when every due message was handled
 *
 * Since: 1.0
 */
gboolean
missive_outbox_flush (MissiveOutbox  *self,
                      MissiveSender  *sender,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (MISSIVE_IS_SENDER (sender), FALSE);

  result = missive_run_sync (self, start_flush, sender, cancellable);
  return missive_outbox_flush_finish (self, result, error);
}
