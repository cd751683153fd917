/* missive-pop3-queue.c: the POP3 store's operation queue
 *
 * POP3 answers one command after the other, so the store runs one
 * operation at a time: operations started while another runs wait in a
 * FIFO queue and start, in order, when the one before has completed
 * (its callback has run). A queued operation that is cancelled leaves
 * the queue at once, without touching the wire. When an operation fails
 * because the connection is lost (or out of step), every queued one fails
 * with a copy of that error.
 *
 * With PIPELINING (RFC 2449), queued single-command operations (RETR,
 * TOP: fetch_part) are written ahead in batches with
 * missive_pop3_write_batch_async(), at most MISSIVE_POP3_PIPELINE_WINDOW
 * of them unanswered at a time; each then only reads its own reply, in
 * order, streaming the body to its own sink. The queue starts in an idle
 * callback, so operations started together go out in one batch; a lone
 * one goes the ordinary way. A pipelined command's reply is always read
 * to its end, so the connection stays in step: cancelling its operation
 * fails it with G_IO_ERROR_CANCELLED once the reply is through, and the
 * reply is dropped rather than written to the sink if it had not begun.
 * Without PIPELINING every command waits for the reply before it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-pop3-private.h"

struct _MissivePop3Op
{
  GTask *task;                  /* owned */
  MissivePop3Command *command;  /* owned until run; NULL for start */
  gboolean pipelinable;
  GAsyncReadyCallback done;     /* with command */
  MissivePop3StartFunc start;   /* without */
  gulong cancel_id;
};

static void advance (MissivePop3Store *self);

static void
op_free (MissivePop3Op *op)
{
  if (op->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (op->task), op->cancel_id);
  missive_pop3_command_free (op->command);
  g_clear_object (&op->task);
  g_free (op);
}

static gboolean
op_is_sent (MissivePop3Op *op)
{
  return op->command != NULL && op->command->sent;
}

/* ---- cancelling a queued operation ---------------------------------------- */

static gboolean
cancel_queued_idle (gpointer user_data)
{
  GTask *task = user_data;
  MissivePop3Store *self = g_task_get_source_object (task);

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      MissivePop3Op *op = l->data;

      if (op->task != task)
        continue;
      /* A pipelined command is on the wire: its reply is read and
       * dropped when its turn comes. */
      if (op_is_sent (op) || !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        break;
      g_queue_delete_link (&self->queue, l);
      g_task_return_error_if_cancelled (op->task);
      op_free (op);
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
queued_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source = g_idle_source_new ();

  /* Possibly another thread, and never disconnect from inside the
   * handler: the queue is changed from the task's context. */
  g_source_set_callback (source, cancel_queued_idle, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[missive] pop3 cancel queued");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* ---- failing the queue ------------------------------------------------------ */

void
missive_pop3_store_note_error (MissivePop3Store *self,
                               const GError     *error)
{
  g_autoptr(GError) mapped = NULL;

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      missive_pop3_error_is_reply (error) || self->fatal_error != NULL)
    return;
  mapped = missive_error_from_io_error (g_error_copy (error));
  if (mapped->domain != MISSIVE_ERROR)
    return;
  switch (mapped->code)
    {
    case MISSIVE_ERROR_CONNECTION_LOST:
    case MISSIVE_ERROR_TIMED_OUT:
    case MISSIVE_ERROR_TLS_FAILED:
    case MISSIVE_ERROR_LINE_TOO_LONG:
    case MISSIVE_ERROR_PROTOCOL:
      self->fatal_error = g_steal_pointer (&mapped);
      break;
    default:
      break;
    }
}

static void
fail_queued (MissivePop3Store *self)
{
  GQueue queued = self->queue;

  /* Callbacks may queue new operations: they fail in advance(). */
  g_queue_init (&self->queue);
  for (GList *l = queued.head; l != NULL; l = l->next)
    {
      MissivePop3Op *op = l->data;

      g_task_return_error (op->task, g_error_copy (self->fatal_error));
      op_free (op);
    }
  g_queue_clear (&queued);
}

/* ---- running ----------------------------------------------------------------- */

static void
op_completed_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  MissivePop3Store *self = user_data;

  g_signal_handlers_disconnect_by_func (object, op_completed_cb, user_data);
  self->busy = FALSE;
  self->running_sent = FALSE;
  g_clear_pointer (&self->context, g_main_context_unref);
  if (self->fatal_error != NULL)
    fail_queued (self);
  advance (self);
}

static void
run_op (MissivePop3Store *self,
        MissivePop3Op    *op)
{
  GTask *task = g_steal_pointer (&op->task);
  MissivePop3Command *command = g_steal_pointer (&op->command);
  GCancellable *cancellable = g_task_get_cancellable (task);
  MissivePop3StartFunc start = op->start;
  GAsyncReadyCallback done = op->done;

  g_free (op);
  if (command == NULL)
    {
      start (task);
      return;
    }
  if (command->sent)
    {
      /* Pipelined: the reply is read to its end whatever happens. */
      if (g_cancellable_is_cancelled (cancellable))
        g_clear_object (&command->sink);
      cancellable = NULL;
    }
  missive_pop3_command_async (self, command, cancellable, done, task);
}

static void
batch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  MissivePop3Op *then = user_data;
  GError *error = NULL;

  self->writing = FALSE;
  if (!missive_pop3_write_batch_finish (self, result, &error))
    {
      /* The connection is broken (the error is noted): the operation
       * that was to read the first reply fails with it. */
      if (then != NULL)
        {
          g_task_return_error (then->task, error);
          op_free (then);
        }
      else
        g_error_free (error);
      if (!self->busy)
        advance (self);
    }
  else if (then != NULL)
    run_op (self, then);
  else if (!self->busy)
    advance (self);
  g_object_unref (self);
}

/* Writes the pipelinable commands queued after the ones already sent (and
 * @first, which is not in the queue, else the running operation's), while
 * the window allows. Returns whether a batch is being written; @first then
 * starts when it is. */
static gboolean
write_ahead (MissivePop3Store *self,
             MissivePop3Op    *first)
{
  g_autoptr(GPtrArray) lines = NULL;
  guint in_flight = first != NULL ? 0 : 1;   /* the running operation */
  GList *l = self->queue.head;

  if (self->writing || !(self->caps & MISSIVE_POP3_CAP_PIPELINING))
    return FALSE;
  for (; l != NULL && op_is_sent (l->data); l = l->next)
    in_flight++;
  /* Topping up: in batches of half a window rather than one by one. */
  if (first == NULL && in_flight > MISSIVE_POP3_PIPELINE_WINDOW / 2)
    return FALSE;
  lines = g_ptr_array_new ();
  if (first != NULL)
    g_ptr_array_add (lines, first->command->line);
  for (GList *m = l; m != NULL && in_flight + lines->len < MISSIVE_POP3_PIPELINE_WINDOW; m = m->next)
    {
      MissivePop3Op *op = m->data;

      if (!op->pipelinable)
        break;
      g_ptr_array_add (lines, op->command->line);
    }
  /* A lone command goes the ordinary way (and stays cancellable). */
  if (lines->len == 0 || (first != NULL && lines->len == 1))
    return FALSE;
  if (first != NULL)
    first->command->sent = TRUE;
  for (guint i = first != NULL ? 1 : 0; i < lines->len; i++, l = l->next)
    ((MissivePop3Op *) l->data)->command->sent = TRUE;
  g_ptr_array_add (lines, NULL);
  self->writing = TRUE;
  g_object_ref (self);
  missive_pop3_write_batch_async (self, (const char * const *) lines->pdata, NULL,
                                  batch_cb, first);
  return TRUE;
}

static void
advance (MissivePop3Store *self)
{
  MissivePop3Op *op;

  for (;;)
    {
      /* A batch being written is waited for: nothing else may write. */
      if (self->busy || self->writing)
        return;
      op = g_queue_pop_head (&self->queue);
      if (op == NULL)
        return;
      if (op->cancel_id != 0)
        {
          g_cancellable_disconnect (g_task_get_cancellable (op->task), op->cancel_id);
          op->cancel_id = 0;
        }
      if (self->fatal_error != NULL)
        {
          /* The connection broke under an earlier operation. */
          g_task_return_error (op->task, g_error_copy (self->fatal_error));
          op_free (op);
          continue;
        }
      if (!op_is_sent (op) && g_task_return_error_if_cancelled (op->task))
        {
          op_free (op);
          continue;
        }
      break;
    }

  self->busy = TRUE;
  self->running_sent = op_is_sent (op);
  self->context = g_main_context_ref (g_task_get_context (op->task));
  g_signal_connect (op->task, "notify::completed", G_CALLBACK (op_completed_cb), self);

  if (op->pipelinable && !op_is_sent (op) && write_ahead (self, op))
    {
      self->running_sent = TRUE;
      return;
    }
  if (op_is_sent (op))
    write_ahead (self, NULL);
  run_op (self, op);
}

static gboolean
advance_idle (gpointer user_data)
{
  MissivePop3Store *self = user_data;

  self->advance_pending = FALSE;
  advance (self);
  return G_SOURCE_REMOVE;
}

static void
enqueue (MissivePop3Store *self,
         MissivePop3Op    *op)
{
  GCancellable *cancellable = g_task_get_cancellable (op->task);

  if ((self->busy || self->queue.length > 0) && self->context != NULL &&
      self->context != g_task_get_context (op->task))
    {
      /* A blocking call while an async operation runs in another main
       * context: it could only wait forever. */
      g_task_return_new_error (op->task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "Another operation of this POP3 store is running in a "
                               "different main context");
      op_free (op);
      return;
    }
  if (cancellable != NULL)
    op->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (queued_cancelled_cb),
                                           g_object_ref (op->task), g_object_unref);
  g_queue_push_tail (&self->queue, op);
  if (!self->busy && !self->advance_pending)
    {
      /* Operations started together (in one main loop iteration) are
       * seen together: their commands can go in one batch. */
      GSource *source = g_idle_source_new ();

      self->advance_pending = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, advance_idle, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[missive] pop3 queue");
      g_source_attach (source, g_task_get_context (op->task));
      g_source_unref (source);
    }
  else if (self->busy && self->running_sent && op->pipelinable)
    {
      /* A pipelined reply is being read: write the newcomer ahead too. */
      write_ahead (self, NULL);
    }
}

void
missive_pop3_store_queue_command (MissivePop3Store    *self,
                                  GTask               *task,
                                  MissivePop3Command  *command,
                                  gboolean             pipelinable,
                                  GAsyncReadyCallback  done)
{
  MissivePop3Op *op = g_new0 (MissivePop3Op, 1);

  op->task = task;
  op->command = command;
  op->pipelinable = pipelinable;
  op->done = done;
  enqueue (self, op);
}

void
missive_pop3_store_queue_start (MissivePop3Store     *self,
                                GTask                *task,
                                MissivePop3StartFunc  start)
{
  MissivePop3Op *op = g_new0 (MissivePop3Op, 1);

  op->task = task;
  op->start = start;
  enqueue (self, op);
}

void
missive_pop3_store_reset_queue (MissivePop3Store *self,
                                gboolean          finalizing)
{
  /* Operations hold the store: at finalization the queue is empty. */
  if (finalizing)
    {
      g_queue_clear_full (&self->queue, (GDestroyNotify) op_free);
      g_clear_pointer (&self->context, g_main_context_unref);
    }
  g_clear_error (&self->fatal_error);
}
