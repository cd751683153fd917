/* missive-service-io.c: the MissiveService helpers for protocol plugins:
 * line I/O, tracing, capabilities and transfer signals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-service-private.h"

/* ---- plugin helpers ----------------------------------------------------- */

/**
 * missive_service_get_reader:
 * @self: a service
 *
 * Gets the reader of the open connection, for protocol plugins. After
 * STARTTLS it reads from the TLS stream.
 *
 * Returns: (transfer none) (nullable): the reader, or %NULL when not
 *   connected
 *
 * Since: 1.0
 */
MissiveReader *
missive_service_get_reader (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_priv (self);
  return priv->reader;
}

/**
 * missive_service_get_output_stream:
 * @self: a service
 *
 * Gets the stream to write to the server, for protocol plugins that send
 * more than lines (message bodies, literals). After STARTTLS it is the TLS
 * stream.
 *
 * Returns: (transfer none) (nullable): the output stream, or %NULL when not
 *   connected
 *
 * Since: 1.0
 */
GOutputStream *
missive_service_get_output_stream (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_priv (self);
  return priv->output;
}

/**
 * missive_service_set_capabilities:
 * @self: a service
 * @capabilities: (nullable) (array zero-terminated=1): what the server can
 *   do, or %NULL to forget it
 *
 * Records the server's capabilities; protocol plugins call this from
 * [vfunc@Service.refresh_capabilities_async], and with %NULL when the
 * capabilities change (after login) so that they are asked for again.
 *
 * Since: 1.0
 */
void
missive_service_set_capabilities (MissiveService     *self,
                                  const char * const *capabilities)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_priv (self);
  if (priv->capabilities == NULL && capabilities == NULL)
    return;
  if (priv->capabilities != NULL && capabilities != NULL &&
      g_strv_equal ((const char * const *) priv->capabilities, capabilities))
    return;

  g_strfreev (priv->capabilities);
  priv->capabilities = g_strdupv ((char **) capabilities);
  missive_service_notify_capabilities (self);
}

/**
 * missive_service_set_preauthenticated:
 * @self: a service
 *
 * Tells the service that the server considers the session authenticated
 * already (IMAP PREAUTH greeting, a pre-authenticated local process).
 * Protocol plugins call this from [vfunc@Service.greet_async];
 * [method@Service.open] then skips authentication and ends
 * %MISSIVE_SERVICE_STATE_AUTHENTICATED.
 *
 * Since: 1.0
 */
void
missive_service_set_preauthenticated (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_priv (self);
  priv->preauthenticated = TRUE;
}

/**
 * missive_service_is_tracing:
 * @self: a service
 *
 * Whether anyone listens to [signal@Service::protocol-trace]. Plugins can
 * use it to skip formatting trace lines nobody reads.
 *
 * Returns: %TRUE if a handler is connected
 *
 * Since: 1.0
 */
gboolean
missive_service_is_tracing (MissiveService *self)
{
  guint trace_signal;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  trace_signal = missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_PROTOCOL_TRACE);
  return g_signal_has_handler_pending (self, trace_signal, 0, FALSE);
}

static gboolean
masking_changed (const char *masked,
                 const char *data,
                 gsize       length)
{
  return strlen (masked) != length || memcmp (masked, data, length) != 0;
}

/**
 * missive_service_trace:
 * @self: a service
 * @direction: who sent the data
 * @data: (array length=length) (element-type guint8): the line
 * @length: the length of @data, or -1 if it is nul-terminated
 * @sensitive: whether @data carries a secret (a password, a SASL response)
 *
 * Emits [signal@Service::protocol-trace] for one line, without its line
 * end. Sent lines always go through the credential masking of
 * missive_trace_mask_line(); a @sensitive line is replaced by `****`,
 * keeping only the command words the masking recognized. Does nothing,
 * cheaply, when no handler is connected.
 *
 * Since: 1.0
 */
void
missive_service_trace (MissiveService        *self,
                       MissiveTraceDirection  direction,
                       const char            *data,
                       gssize                 length,
                       gboolean               sensitive)
{
  g_autofree char *valid = NULL;
  guint trace_signal;
  gsize len;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (data != NULL || length == 0);

  trace_signal = missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_PROTOCOL_TRACE);
  if (!g_signal_has_handler_pending (self, trace_signal, 0, FALSE))
    return;

  if (data == NULL)
    data = "";
  len = length < 0 ? strlen (data) : (gsize) length;
  while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    len--;

  if (sensitive && direction != MISSIVE_TRACE_SENT)
    {
      valid = g_strdup ("****");
    }
  else if (direction == MISSIVE_TRACE_SENT)
    {
      g_autofree char *masked = missive_trace_mask_line (data, len);

      if (masked == NULL || (sensitive && !masking_changed (masked, data, len)))
        valid = g_strdup ("****");
      else
        valid = g_utf8_make_valid (masked, -1);
    }
  else
    {
      /* Invalid UTF-8 and NUL bytes show as U+FFFD. */
      valid = g_utf8_make_valid (data, len);
    }

  g_signal_emit (self, trace_signal, 0, direction, valid);
}

typedef struct
{
  char *buffer;
  gsize length;
} WriteLineData;

static void
write_line_data_free (WriteLineData *data)
{
  /* The line may have carried a password. */
  missive_sasl_wipe (data->buffer, data->length);
  g_free (data->buffer);
  g_free (data);
}

static void
write_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, missive_error_from_io_error (error));
      g_error_free (error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * missive_service_write_line_async:
 * @self: a service
 * @line: one protocol line, without its line end
 * @sensitive: whether @line carries a secret, for the trace
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the line is written
 * @user_data: data for @callback
 *
 * Writes @line followed by CRLF to the server, in one write, after tracing
 * it (masked, or as `****` when @sensitive). A line containing CR or LF is
 * refused with %MISSIVE_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
void
missive_service_write_line_async (MissiveService      *self,
                                  const char          *line,
                                  gboolean             sensitive,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveServicePrivate *priv;
  g_autoptr(GTask) task = NULL;
  WriteLineData *data;
  gsize len;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (line != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_priv (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_write_line_async);
  g_task_set_priority (task, priv->io_priority);

  if (priv->output == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "Not connected");
      return;
    }
  if (missive_string_has_line_break (line))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A protocol line cannot contain CR or LF");
      return;
    }

  len = strlen (line);
  data = g_new0 (WriteLineData, 1);
  data->length = len + 2;
  data->buffer = g_malloc (data->length);
  memcpy (data->buffer, line, len);
  data->buffer[len] = '\r';
  data->buffer[len + 1] = '\n';
  g_task_set_task_data (task, data, (GDestroyNotify) write_line_data_free);

  missive_service_trace (self, MISSIVE_TRACE_SENT, line, len, sensitive);

  g_output_stream_write_all_async (priv->output, data->buffer, data->length,
                                   priv->io_priority, cancellable,
                                   write_line_cb, g_steal_pointer (&task));
}

/**
 * missive_service_write_line_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.write_line_async].
 *
 * Returns: %TRUE when the whole line was written
 *
 * Since: 1.0
 */
gboolean
missive_service_write_line_finish (MissiveService  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveService *self = g_task_get_source_object (task);
  gsize *length = g_task_get_task_data (task);
  GError *error = NULL;
  const char *line;

  line = missive_reader_read_line_finish (MISSIVE_READER (source), result, length, &error);
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                     "The server closed the connection");
      g_task_return_error (task, missive_error_from_io_error (error));
      g_error_free (error);
      return;
    }
  missive_service_trace (self, MISSIVE_TRACE_RECEIVED, line, *length, FALSE);
  g_task_return_pointer (task, (gpointer) line, NULL);
}

/**
 * missive_service_read_line_async:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when a line has arrived
 * @user_data: data for @callback
 *
 * Reads one line from the server through the connection's
 * [class@Reader], and traces it. The end of the connection is
 * %MISSIVE_ERROR_CONNECTION_LOST; a line over the reader's limit is
 * %MISSIVE_ERROR_LINE_TOO_LONG.
 *
 * Since: 1.0
 */
void
missive_service_read_line_async (MissiveService      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MissiveServicePrivate *priv;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_priv (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_read_line_async);
  g_task_set_priority (task, priv->io_priority);
  g_task_set_task_data (task, g_new0 (gsize, 1), g_free);

  if (priv->reader == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "Not connected");
      return;
    }

  missive_reader_read_line_async (priv->reader, priv->io_priority, cancellable,
                                  read_line_cb, g_steal_pointer (&task));
}

/**
 * missive_service_read_line_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @length: (out) (optional): return location for the line's length
 * @error: return location for a #GError
 *
 * Finishes [method@Service.read_line_async].
 *
 * Returns: (transfer none) (nullable): the line without its line end,
 *   nul-terminated, valid until the next read; %NULL on error
 *
 * Since: 1.0
 */
const char *
missive_service_read_line_finish (MissiveService  *self,
                                  GAsyncResult    *result,
                                  gsize           *length,
                                  GError         **error)
{
  const char *line;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line != NULL ? *(gsize *) g_task_get_task_data (G_TASK (result)) : 0;
  return line;
}

/**
 * missive_service_emit_transfer_started:
 * @self: a service
 * @what: what is being transferred
 * @total: the size in bytes, or 0 if unknown
 *
 * Emits [signal@Service::transfer-started].
 *
 * Since: 1.0
 */
void
missive_service_emit_transfer_started (MissiveService *self,
                                       const char     *what,
                                       guint64         total)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  g_signal_emit (self, missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_TRANSFER_STARTED), 0,
                 what, total);
}

/**
 * missive_service_emit_transfer_progress:
 * @self: a service
 * @done: the bytes transferred so far
 * @total: the size in bytes, or 0 if unknown
 *
 * Emits [signal@Service::transfer-progress]. Literals read through the
 * service's [class@Reader] report their progress this way by themselves.
 *
 * Since: 1.0
 */
void
missive_service_emit_transfer_progress (MissiveService *self,
                                        guint64         done,
                                        guint64         total)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  g_signal_emit (self, missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_TRANSFER_PROGRESS), 0,
                 done, total);
}

/**
 * missive_service_emit_transfer_finished:
 * @self: a service
 * @total: the bytes transferred
 *
 * Emits [signal@Service::transfer-finished].
 *
 * Since: 1.0
 */
void
missive_service_emit_transfer_finished (MissiveService *self,
                                        guint64         total)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  g_signal_emit (self, missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_TRANSFER_FINISHED), 0,
                 total);
}

/**
 * missive_service_emit_warning:
 * @self: a service
 * @warning: the problem
 *
 * Emits [signal@Service::warning] for a problem that does not stop the
 * operation.
 *
 * Since: 1.0
 */
void
missive_service_emit_warning (MissiveService *self,
                              const GError   *warning)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (warning != NULL);

  g_signal_emit (self, missive_service_get_signal_id (MISSIVE_SERVICE_SIGNAL_WARNING), 0, warning);
}
