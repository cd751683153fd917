/* missive-smtp-command.c: one SMTP command and its reply
 *
 * A reply is read line by line through the service's reader (which bounds
 * each line) into a MissiveSmtpReply (which bounds the lines and bytes of a
 * reply). With PIPELINING several commands go out in one write and their
 * replies are then read in order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smtp-private.h"

gboolean
missive_smtp_check_usable (MissiveSmtpSender  *self,
                           GError            **error)
{
  if (self->closed_by_server)
    {
      /* CONNECTION_LOST is fatal: the core closes the connection. */
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                   "The SMTP server closed the connection (%s)",
                   self->closed_reason != NULL ? self->closed_reason : "421");
      return FALSE;
    }
  if (self->out_of_step)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The connection to the SMTP server is out of step after an "
                           "interrupted command; reconnect");
      return FALSE;
    }
  return TRUE;
}

gboolean
missive_smtp_error_keeps_step (MissiveSmtpSender *self,
                               const GError      *error)
{
  if (self->out_of_step || self->closed_by_server)
    return FALSE;
  if (error == NULL || error->domain != MISSIVE_ERROR)
    return FALSE;
  switch (error->code)
    {
    case MISSIVE_ERROR_SERVER_TEMPORARY:
    case MISSIVE_ERROR_SERVER_PERMANENT:
    case MISSIVE_ERROR_SERVER_NO:
    case MISSIVE_ERROR_AUTHENTICATION_FAILED:
    case MISSIVE_ERROR_MALFORMED_RESPONSE:
    case MISSIVE_ERROR_NOT_SUPPORTED:
    case MISSIVE_ERROR_RECIPIENTS_REJECTED:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- reading a reply --------------------------------------------------------- */

typedef struct
{
  MissiveSmtpReply *reply;
  gboolean raw;
} ReadData;

static void
read_data_free (ReadData *data)
{
  missive_smtp_reply_free (data->reply);
  g_free (data);
}

static void
reply_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  const char *line;
  gsize length;

  line = missive_service_read_line_finish (MISSIVE_SERVICE (self), result, &length, &error);
  if (line == NULL)
    {
      /* The rest of the reply may still come: out of step. A lost
       * connection is fatal anyway. */
      self->out_of_step = TRUE;
      g_task_return_error (task, error);
      return;
    }

  switch (missive_smtp_reply_add_line (data->reply, line, length,
                                       (self->caps.flags & MISSIVE_SMTP_CAP_ENHANCEDSTATUSCODES) != 0,
                                       &error))
    {
    case MISSIVE_SMTP_REPLY_MORE:
      {
        GCancellable *cancellable = g_task_get_cancellable (task);

        missive_service_read_line_async (MISSIVE_SERVICE (self), cancellable,
                                         reply_line_cb, g_steal_pointer (&task));
      }
      return;

    case MISSIVE_SMTP_REPLY_ERROR:
      if (!g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE))
        self->out_of_step = TRUE;
      g_task_return_error (task, error);
      return;

    case MISSIVE_SMTP_REPLY_DONE:
    default:
      break;
    }

  if (data->reply->code == 421)
    {
      g_autofree char *text = missive_smtp_reply_join_text (data->reply, " ");

      self->closed_by_server = TRUE;
      g_free (self->closed_reason);
      self->closed_reason = g_strdup_printf ("421 %s", text);
      if (!data->raw)
        {
          GError *closing = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY,
                                         "The SMTP server is closing the connection: 421 %s",
                                         text);

          missive_error_set_server_reply (closing, 421, data->reply->enhanced, NULL, text);
          g_task_return_error (task, closing);
          return;
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&data->reply),
                         (GDestroyNotify) missive_smtp_reply_free);
}

void
missive_smtp_read_reply_async (MissiveSmtpSender   *self,
                               gboolean             raw,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, missive_smtp_read_reply_async);
  g_task_set_check_cancellable (task, FALSE);
  data->reply = missive_smtp_reply_new ();
  data->raw = raw;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  if (!missive_smtp_check_usable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  missive_service_read_line_async (MISSIVE_SERVICE (self), cancellable,
                                   reply_line_cb, g_steal_pointer (&task));
}

MissiveSmtpReply *
missive_smtp_read_reply_finish (MissiveSmtpSender  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- one command ------------------------------------------------------------- */

static void
command_reply_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpReply *reply;
  GError *error = NULL;

  reply = missive_smtp_read_reply_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, reply, (GDestroyNotify) missive_smtp_reply_free);
}

static void
command_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  gboolean raw = GPOINTER_TO_INT (g_task_get_task_data (task));
  GError *error = NULL;

  if (!missive_service_write_line_finish (MISSIVE_SERVICE (self), result, &error))
    {
      /* Part of the line may have gone out. */
      if (!g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT))
        self->out_of_step = TRUE;
      g_task_return_error (task, error);
      return;
    }
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    missive_smtp_read_reply_async (self, raw, cancellable, command_reply_cb,
                                   g_steal_pointer (&task));
  }
}

void
missive_smtp_command_async (MissiveSmtpSender   *self,
                            const char          *line,
                            gboolean             sensitive,
                            gboolean             raw,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, missive_smtp_command_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, GINT_TO_POINTER (raw), NULL);

  if (!missive_smtp_check_usable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  missive_service_write_line_async (MISSIVE_SERVICE (self), line, sensitive, cancellable,
                                    command_written_cb, g_steal_pointer (&task));
}

MissiveSmtpReply *
missive_smtp_command_finish (MissiveSmtpSender  *self,
                             GAsyncResult       *result,
                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- several commands in one write ---------------------------------------- */

static void
lines_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      GError *mapped = missive_error_from_io_error (error);

      g_error_free (error);
      self->out_of_step = TRUE;
      g_task_return_error (task, mapped);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
missive_smtp_write_lines_async (MissiveSmtpSender   *self,
                                const char * const  *lines,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GOutputStream *output = missive_service_get_output_stream (MISSIVE_SERVICE (self));
  GString *all = g_string_new (NULL);
  GError *error = NULL;
  gsize length;

  g_task_set_source_tag (task, missive_smtp_write_lines_async);
  g_task_set_check_cancellable (task, FALSE);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      missive_service_trace (MISSIVE_SERVICE (self), MISSIVE_TRACE_SENT, lines[i], -1, FALSE);
      g_string_append (all, lines[i]);
      g_string_append (all, "\r\n");
    }
  length = all->len;
  g_task_set_task_data (task, g_string_free (all, FALSE), g_free);
  if (!missive_smtp_check_usable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (output == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE, "Not connected");
      return;
    }
  {
    const char *data = g_task_get_task_data (task);
    int priority = g_task_get_priority (task);

    g_output_stream_write_all_async (output, data, length, priority, cancellable,
                                     lines_written_cb, g_steal_pointer (&task));
  }
}

gboolean
missive_smtp_write_lines_finish (MissiveSmtpSender  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
