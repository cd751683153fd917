/* missive-pop3-command.c: one POP3 command and its reply
 *
 * A command: write the line (unless PIPELINING wrote it ahead), read the
 * status line, and for a multi-line reply read up to the "." line,
 * unstuffing leading dots. Which command runs when is the operation
 * queue's business (missive-pop3-queue.c). Collected replies (LIST,
 * UIDL, CAPA) are bounded; streamed ones (RETR, TOP) go to the sink in
 * pieces of STREAM_CHUNK bytes (or are dropped when the sink is NULL).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-pop3-private.h"

/* Limits of a collected multi-line reply. */
#define MAX_COLLECTED_LINES (4 * 1024 * 1024)
#define MAX_COLLECTED_BYTES (((gsize) 256 * 1024 * 1024))

/* Streamed content is written to the sink in pieces of about this size. */
#define STREAM_CHUNK (64 * 1024)

MissivePop3Command *
missive_pop3_command_new (MissivePop3ReplyKind  kind,
                          const char           *line)
{
  MissivePop3Command *command = g_new0 (MissivePop3Command, 1);

  command->kind = kind;
  command->line = g_strdup (line);
  command->error_code = MISSIVE_ERROR_SERVER_NO;
  if (kind == MISSIVE_POP3_REPLY_LINES)
    command->lines = g_ptr_array_new_with_free_func (g_free);
  return command;
}

/* A task's data is a box holding the command, so that
 * missive_pop3_command_finish() can take it out. */
static void
command_box_free (MissivePop3Command **box)
{
  missive_pop3_command_free (*box);
  g_free (box);
}

static MissivePop3Command *
task_command (GTask *task)
{
  MissivePop3Command **box = g_task_get_task_data (task);

  return *box;
}

void
missive_pop3_command_free (MissivePop3Command *command)
{
  if (command == NULL)
    return;
  if (command->sensitive && command->line != NULL)
    missive_sasl_wipe (command->line, strlen (command->line));
  g_free (command->line);
  missive_pop3_status_clear (&command->status);
  g_clear_pointer (&command->lines, g_ptr_array_unref);
  g_clear_object (&command->sink);
  g_clear_pointer (&command->buffer, g_byte_array_unref);
  g_free (command);
}

static MissivePop3Store *
task_store (GTask *task)
{
  return MISSIVE_POP3_STORE (g_task_get_source_object (task));
}

static void read_body (GTask *task);

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Command *command = task_command (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      /* The rest of the reply is still on the wire: the connection is out
       * of step, so the error is made fatal (a cancellation stays one;
       * missive_pop3_command_finish() marks the connection out of step). */
      GError *fatal;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, error);
          return;
        }
      fatal = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                   "Could not write the message: %s", error->message);

      g_error_free (error);
      g_task_return_error (task, fatal);
      return;
    }
  missive_service_emit_transfer_progress (MISSIVE_SERVICE (task_store (task)),
                                          command->done, command->total);
  if (command->buffer == NULL)
    {
      /* That was the last piece. */
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  read_body (g_steal_pointer (&task));
}

/* Writes the buffered content; @last: the reply has ended. Takes @task. */
static void
flush (GTask    *task,
       gboolean  last)
{
  MissivePop3Store *self = task_store (task);
  MissivePop3Command *command = task_command (task);
  g_autoptr(GBytes) piece = NULL;

  piece = g_byte_array_free_to_bytes (g_steal_pointer (&command->buffer));
  command->done += g_bytes_get_size (piece);
  if (command->sink != NULL && missive_store_has_message_part_listeners (MISSIVE_STORE (self)))
    missive_store_emit_message_part (MISSIVE_STORE (self), command->message_id, "", piece);
  if (!last)
    command->buffer = g_byte_array_sized_new (STREAM_CHUNK + 1024);
  /* The task keeps the bytes alive while they are written. With no new
   * buffer, flush_cb() knows the reply is complete. */
  if (command->sink == NULL)
    {
      /* A cancelled pipelined fetch: the reply is read and dropped. */
      if (command->buffer == NULL)
        {
          g_task_return_pointer (task, NULL, NULL);
          g_object_unref (task);
          return;
        }
      read_body (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "missive-pop3-piece", g_bytes_ref (piece),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (command->sink,
                                   g_bytes_get_data (piece, NULL), g_bytes_get_size (piece),
                                   g_task_get_priority (task), g_task_get_cancellable (task),
                                   flush_cb, task);
}

/* One body line. Returns FALSE with @error on a limit. */
static gboolean
take_line (MissivePop3Command  *command,
           const char          *data,
           gsize                length,
           GError             **error)
{
  if (command->kind == MISSIVE_POP3_REPLY_LINES)
    {
      if (command->lines->len >= MAX_COLLECTED_LINES ||
          command->lines_bytes + length > MAX_COLLECTED_BYTES)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "The POP3 server's reply to %s is too long", command->line);
          return FALSE;
        }
      command->lines_bytes += length + 1;
      /* NUL bytes would cut the line short: make it valid text. */
      g_ptr_array_add (command->lines, g_utf8_make_valid (data, length));
      return TRUE;
    }

  if (command->skip_header)
    {
      /* The empty line ends the header; it belongs to neither part. */
      command->skip_header = length != 0;
      return TRUE;
    }
  g_byte_array_append (command->buffer, (const guint8 *) data, length);
  g_byte_array_append (command->buffer, (const guint8 *) "\r\n", 2);
  return TRUE;
}

static void
body_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data);

/* Reads body lines until the end or until the reader needs the stream.
 * Takes @task. */
static void
read_body (GTask *task)
{
  MissivePop3Store *self = task_store (task);
  MissivePop3Command *command = task_command (task);
  MissiveReader *reader = missive_service_get_reader (MISSIVE_SERVICE (self));
  GError *error = NULL;

  if (reader == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                               "The connection is closed");
      g_object_unref (task);
      return;
    }

  for (;;)
    {
      const char *line, *data;
      gsize length, data_length;

      line = missive_reader_try_read_line (reader, &length, &error);
      if (line == NULL && error != NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      if (line == NULL)
        break;
      if (!missive_pop3_unstuff (line, length, &data, &data_length))
        {
          /* The end. */
          if (command->kind == MISSIVE_POP3_REPLY_STREAM)
            {
              flush (task, TRUE);
              return;
            }
          g_task_return_pointer (task, NULL, NULL);
          g_object_unref (task);
          return;
        }
      if (!take_line (command, data, data_length, &error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      if (command->kind == MISSIVE_POP3_REPLY_STREAM && command->buffer->len >= (guint) STREAM_CHUNK)
        {
          flush (task, FALSE);
          return;
        }
    }

  missive_reader_read_line_async (reader, g_task_get_priority (task),
                                  g_task_get_cancellable (task), body_line_cb, task);
}

static void
body_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Command *command = task_command (task);
  GError *error = NULL;
  const char *line, *data;
  gsize length, data_length;

  line = missive_reader_read_line_finish (MISSIVE_READER (source), result, &length, &error);
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                     "The server closed the connection");
      /* Say which reply was cut short (a message is then incomplete). */
      g_prefix_error (&error, "Reading the reply to %s: ", command->line);
      g_task_return_error (task, error);
      return;
    }
  if (!missive_pop3_unstuff (line, length, &data, &data_length))
    {
      if (command->kind == MISSIVE_POP3_REPLY_STREAM)
        {
          flush (g_steal_pointer (&task), TRUE);
          return;
        }
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (!take_line (command, data, data_length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (command->kind == MISSIVE_POP3_REPLY_STREAM && command->buffer->len >= (guint) STREAM_CHUNK)
    {
      flush (g_steal_pointer (&task), FALSE);
      return;
    }
  read_body (g_steal_pointer (&task));
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Command *command = task_command (task);
  GError *error = NULL;
  const char *line;
  gsize length;

  line = missive_service_read_line_finish (MISSIVE_SERVICE (source), result, &length, &error);
  if (line == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!missive_pop3_parse_status (line, length, &command->status, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!command->status.ok || command->kind == MISSIVE_POP3_REPLY_SINGLE)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (command->kind == MISSIVE_POP3_REPLY_STREAM)
    command->buffer = g_byte_array_sized_new (STREAM_CHUNK + 1024);
  read_body (g_steal_pointer (&task));
}

static void
written_cb (GObject      *source,
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
                                     status_cb, g_steal_pointer (&task));
  }
}

void
missive_pop3_command_async (MissivePop3Store    *self,
                            MissivePop3Command  *command,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_pop3_command_async);
  {
    MissivePop3Command **box = g_new (MissivePop3Command *, 1);

    *box = command;
    g_task_set_task_data (task, box, (GDestroyNotify) command_box_free);
  }

  if (self->out_of_step)
    {
      /* PROTOCOL is fatal: the core closes the connection. */
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                               "The connection to the POP3 server is out of step after a "
                               "cancelled command; reconnect");
      return;
    }
  if (command->kind == MISSIVE_POP3_REPLY_STREAM)
    missive_service_emit_transfer_started (MISSIVE_SERVICE (self), command->line, command->total);
  if (command->line == NULL || command->sent)
    {
      /* No command (the greeting), or one already written. */
      missive_service_read_line_async (MISSIVE_SERVICE (self), cancellable,
                                       status_cb, g_steal_pointer (&task));
      return;
    }
  missive_service_write_line_async (MISSIVE_SERVICE (self), command->line, command->sensitive,
                                    cancellable, written_cb, g_steal_pointer (&task));
}

MissivePop3Command *
missive_pop3_command_finish (MissivePop3Store  *self,
                             GAsyncResult      *result,
                             GError           **error)
{
  GTask *task = G_TASK (result);
  MissivePop3Command *command;
  GError *local = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  g_task_propagate_pointer (task, &local);
  if (local != NULL)
    {
      /* The reply (or the rest of it) may still arrive. */
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->out_of_step = TRUE;
      missive_pop3_store_note_error (self, local);
      g_propagate_error (error, local);
      return NULL;
    }
  command = task_command (task);
  if (!command->status.ok && !command->keep_err)
    {
      const char *what = command->line != NULL ? command->line : "The connection";
      g_autofree char *verb = NULL;

      if (command->line != NULL)
        {
          /* Only the command's name: arguments may be secret. */
          const char *space = strchr (command->line, ' ');

          verb = space != NULL ? g_strndup (command->line, space - command->line)
                               : g_strdup (command->line);
          what = verb;
        }
      g_propagate_error (error, missive_pop3_status_to_error (&command->status,
                                                              command->error_code, what));
      return NULL;
    }
  /* Hand the command over: the task no longer frees it. */
  *(MissivePop3Command **) g_task_get_task_data (task) = NULL;
  return command;
}

/* ---- PIPELINING ------------------------------------------------------------ */

static void
batch_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      GError *mapped = missive_error_from_io_error (error);

      g_error_free (error);
      g_task_return_error (task, mapped);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
missive_pop3_write_batch_async (MissivePop3Store    *self,
                                const char * const  *lines,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GOutputStream *output = missive_service_get_output_stream (MISSIVE_SERVICE (self));
  GString *all = g_string_new (NULL);
  gsize length;

  g_task_set_source_tag (task, missive_pop3_write_batch_async);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      missive_service_trace (MISSIVE_SERVICE (self), MISSIVE_TRACE_SENT, lines[i], -1, FALSE);
      g_string_append (all, lines[i]);
      g_string_append (all, "\r\n");
    }
  length = all->len;
  g_task_set_task_data (task, g_string_free (all, FALSE), g_free);
  if (output == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE, "Not connected");
      return;
    }
  {
    const char *data = g_task_get_task_data (task);
    int priority = g_task_get_priority (task);

    g_output_stream_write_all_async (output, data, length, priority, cancellable,
                                     batch_written_cb, g_steal_pointer (&task));
  }
}

gboolean
missive_pop3_write_batch_finish (MissivePop3Store  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  GError *local = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &local))
    {
      missive_pop3_store_note_error (self, local);
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
missive_pop3_error_is_reply (const GError *error)
{
  if (error == NULL || error->domain != MISSIVE_ERROR)
    return FALSE;
  switch (error->code)
    {
    case MISSIVE_ERROR_SERVER_NO:
    case MISSIVE_ERROR_SERVER_TEMPORARY:
    case MISSIVE_ERROR_SERVER_PERMANENT:
    case MISSIVE_ERROR_AUTHENTICATION_FAILED:
    case MISSIVE_ERROR_MALFORMED_RESPONSE:
      return TRUE;
    default:
      return FALSE;
    }
}
