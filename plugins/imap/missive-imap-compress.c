/* missive-imap-compress.c: COMPRESS=DEFLATE (RFC 4978)
 *
 * After authentication, when the compress property is set and the server
 * offers COMPRESS=DEFLATE, the session set-up sends "COMPRESS DEFLATE" as
 * an exclusive command: nothing else is in flight or written while it
 * runs. On its tagged OK (handled in the response func, synchronously,
 * before the engine reads or writes anything else) both directions switch
 * to raw deflate:
 *
 *   reading   reader -> GConverterInputStream (GZlibDecompressor, raw)
 *                    -> WireInput -> the transport's input stream
 *   writing   engine -> DeflateOutput (GZlibCompressor, raw)
 *                    -> the transport's output stream
 *
 * WireInput is a thin pollable stream under the decompressor: it first
 * hands out whatever the reader had buffered after the OK (compressed
 * bytes, normally none), counts the bytes that come off the wire, and
 * turns the end of the stream into G_IO_ERROR_CONNECTION_CLOSED (the
 * decompressor would otherwise report an unfinished deflate stream as
 * "partial input").
 *
 * DeflateOutput compresses each write in full and ends it with a sync
 * flush (Z_SYNC_FLUSH through G_CONVERTER_FLUSH) before handing the bytes
 * to the transport: the engine writes a command line, a line for a
 * continuation or a chunk of literal data at a time, so the server always
 * gets every byte it needs to answer, and nothing stays in the
 * compressor. Writes run asynchronously on the transport (no thread).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"

/* ---- WireInput: the compressed side of the input ------------------------ */

#define MISSIVE_IMAP_TYPE_WIRE_INPUT (missive_imap_wire_input_get_type ())
G_DECLARE_FINAL_TYPE (MissiveImapWireInput, missive_imap_wire_input,
                      MISSIVE_IMAP, WIRE_INPUT, GInputStream)

struct _MissiveImapWireInput
{
  GInputStream parent_instance;

  GInputStream *base;
  GBytes *prefix;          /* compressed bytes the reader had buffered */
  gsize prefix_offset;
  guint64 count;           /* bytes received from the wire */
};

static void wire_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveImapWireInput, missive_imap_wire_input,
                                G_TYPE_INPUT_STREAM, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (G_TYPE_POLLABLE_INPUT_STREAM,
                                                               wire_input_pollable_init))

static gsize
wire_input_prefix_left (MissiveImapWireInput *self)
{
  if (self->prefix == NULL)
    return 0;
  return g_bytes_get_size (self->prefix) - self->prefix_offset;
}

static gssize
wire_input_take_prefix (MissiveImapWireInput *self,
                        void                 *buffer,
                        gsize                 count)
{
  const guint8 *data = g_bytes_get_data (self->prefix, NULL);
  gsize n = MIN (count, wire_input_prefix_left (self));

  memcpy (buffer, data + self->prefix_offset, n);
  self->prefix_offset += n;
  if (wire_input_prefix_left (self) == 0)
    g_clear_pointer (&self->prefix, g_bytes_unref);
  return n;
}

/* A read from the wire returned @n: count it, and make the end of the
 * stream an error. */
static gssize
wire_input_got (MissiveImapWireInput  *self,
                gssize                 n,
                GError               **error)
{
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "The server closed the compressed connection");
      return -1;
    }
  if (n > 0)
    self->count += n;
  return n;
}

static gssize
wire_input_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  MissiveImapWireInput *self = MISSIVE_IMAP_WIRE_INPUT (stream);

  if (count == 0)
    return 0;
  if (wire_input_prefix_left (self) > 0)
    return wire_input_take_prefix (self, buffer, count);
  return wire_input_got (self, g_input_stream_read (self->base, buffer, count,
                                                    cancellable, error),
                         error);
}

static gboolean
wire_input_close (GInputStream  *stream,
                  GCancellable  *cancellable,
                  GError       **error)
{
  /* The transport's stream belongs to the service. */
  return TRUE;
}

static gboolean
wire_input_can_poll (GPollableInputStream *stream)
{
  MissiveImapWireInput *self = MISSIVE_IMAP_WIRE_INPUT (stream);

  return G_IS_POLLABLE_INPUT_STREAM (self->base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
wire_input_is_readable (GPollableInputStream *stream)
{
  MissiveImapWireInput *self = MISSIVE_IMAP_WIRE_INPUT (stream);

  return wire_input_prefix_left (self) > 0 ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
wire_input_create_source (GPollableInputStream *stream,
                          GCancellable         *cancellable)
{
  MissiveImapWireInput *self = MISSIVE_IMAP_WIRE_INPUT (stream);
  g_autoptr(GSource) child = NULL;

  if (wire_input_prefix_left (self) > 0)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
wire_input_read_nonblocking (GPollableInputStream  *stream,
                             void                  *buffer,
                             gsize                  count,
                             GError               **error)
{
  MissiveImapWireInput *self = MISSIVE_IMAP_WIRE_INPUT (stream);

  if (count == 0)
    return 0;
  if (wire_input_prefix_left (self) > 0)
    return wire_input_take_prefix (self, buffer, count);
  return wire_input_got (self,
                         g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                                   buffer, count, NULL, error),
                         error);
}

static void
wire_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = wire_input_can_poll;
  iface->is_readable = wire_input_is_readable;
  iface->create_source = wire_input_create_source;
  iface->read_nonblocking = wire_input_read_nonblocking;
}

static void
missive_imap_wire_input_finalize (GObject *object)
{
  MissiveImapWireInput *self = MISSIVE_IMAP_WIRE_INPUT (object);

  g_clear_object (&self->base);
  g_clear_pointer (&self->prefix, g_bytes_unref);
  G_OBJECT_CLASS (missive_imap_wire_input_parent_class)->finalize (object);
}

static void
missive_imap_wire_input_class_init (MissiveImapWireInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = missive_imap_wire_input_finalize;
  stream_class->read_fn = wire_input_read;
  stream_class->close_fn = wire_input_close;
}

static void
missive_imap_wire_input_class_finalize (MissiveImapWireInputClass *klass)
{
}

static void
missive_imap_wire_input_init (MissiveImapWireInput *self)
{
}

/* ---- DeflateOutput: compress and sync-flush each write ------------------- */

#define MISSIVE_IMAP_TYPE_DEFLATE_OUTPUT (missive_imap_deflate_output_get_type ())
G_DECLARE_FINAL_TYPE (MissiveImapDeflateOutput, missive_imap_deflate_output,
                      MISSIVE_IMAP, DEFLATE_OUTPUT, GOutputStream)

struct _MissiveImapDeflateOutput
{
  GOutputStream parent_instance;

  GOutputStream *base;
  GConverter *compressor;
  guint64 count_in;        /* bytes given to the stream */
  guint64 count_out;       /* bytes written to the wire */
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveImapDeflateOutput, missive_imap_deflate_output,
                                G_TYPE_OUTPUT_STREAM, G_TYPE_FLAG_FINAL, {})

/* Compresses @count bytes and flushes the compressor: the result holds
 * everything the server needs to decompress all of them. */
static GBytes *
deflate_output_compress (MissiveImapDeflateOutput  *self,
                         const guint8              *data,
                         gsize                      count,
                         GError                   **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;
  /* Deflate can grow incompressible data a little; a flush adds a few
   * bytes. Start with room for all of it, grow if ever needed. */
  gsize room = count + count / 16 + 64;

  for (;;)
    {
      gsize start = out->len;
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult result;
      g_autoptr(GError) local_error = NULL;

      g_byte_array_set_size (out, start + room);
      result = g_converter_convert (self->compressor, data + consumed, count - consumed,
                                    out->data + start, room, G_CONVERTER_FLUSH,
                                    &bytes_read, &bytes_written, &local_error);
      g_byte_array_set_size (out, start + (result == G_CONVERTER_ERROR ? 0 : bytes_written));
      if (result == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              /* zlib could make no progress: with all input taken and
               * the last output not filling its room, the flush is
               * complete; otherwise more room is needed. */
              if (consumed == count && start > 0)
                break;
              room *= 2;
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      consumed += bytes_read;
      /* Z_SYNC_FLUSH is complete once all input is taken and the output
       * did not fill the room given (zlib's rule). */
      if (consumed == count && bytes_written < room)
        break;
      room = MAX (room, 256);
    }

  self->count_in += count;
  self->count_out += out->len;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gssize
deflate_output_write (GOutputStream  *stream,
                      const void     *buffer,
                      gsize           count,
                      GCancellable   *cancellable,
                      GError        **error)
{
  MissiveImapDeflateOutput *self = MISSIVE_IMAP_DEFLATE_OUTPUT (stream);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const void *data;

  if (count == 0)
    return 0;
  bytes = deflate_output_compress (self, buffer, count, error);
  if (bytes == NULL)
    return -1;
  data = g_bytes_get_data (bytes, &size);
  if (!g_output_stream_write_all (self->base, data, size, NULL, cancellable, error))
    return -1;
  return count;
}

static void
deflate_output_written_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "count")));
}

static void
deflate_output_write_async (GOutputStream       *stream,
                            const void          *buffer,
                            gsize                count,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveImapDeflateOutput *self = MISSIVE_IMAP_DEFLATE_OUTPUT (stream);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GBytes *bytes;
  GError *error = NULL;
  gsize size;
  const void *data;

  g_task_set_source_tag (task, deflate_output_write_async);
  /* Compressing is quick and local: do it now, so that a cancelled write
   * is the only way for the compressor and the wire to differ (and then
   * the engine drops the connection anyway). */
  bytes = deflate_output_compress (self, buffer, count, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data (G_OBJECT (task), "count", GSIZE_TO_POINTER (count));
  g_task_set_task_data (task, bytes, (GDestroyNotify) g_bytes_unref);
  data = g_bytes_get_data (bytes, &size);
  g_output_stream_write_all_async (self->base, data, size, io_priority, cancellable,
                                   deflate_output_written_cb, g_steal_pointer (&task));
}

static gssize
deflate_output_write_finish (GOutputStream  *stream,
                             GAsyncResult   *result,
                             GError        **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
deflate_output_flush (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  MissiveImapDeflateOutput *self = MISSIVE_IMAP_DEFLATE_OUTPUT (stream);

  /* Every write is flushed out of the compressor already. */
  return g_output_stream_flush (self->base, cancellable, error);
}

static gboolean
deflate_output_close (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  /* The transport's stream belongs to the service; the deflate stream
   * simply ends with the connection (RFC 4978 needs no final block). */
  return TRUE;
}

static void
missive_imap_deflate_output_finalize (GObject *object)
{
  MissiveImapDeflateOutput *self = MISSIVE_IMAP_DEFLATE_OUTPUT (object);

  g_clear_object (&self->base);
  g_clear_object (&self->compressor);
  G_OBJECT_CLASS (missive_imap_deflate_output_parent_class)->finalize (object);
}

static void
missive_imap_deflate_output_class_init (MissiveImapDeflateOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = missive_imap_deflate_output_finalize;
  stream_class->write_fn = deflate_output_write;
  stream_class->write_async = deflate_output_write_async;
  stream_class->write_finish = deflate_output_write_finish;
  stream_class->flush = deflate_output_flush;
  stream_class->close_fn = deflate_output_close;
}

static void
missive_imap_deflate_output_class_finalize (MissiveImapDeflateOutputClass *klass)
{
}

static void
missive_imap_deflate_output_init (MissiveImapDeflateOutput *self)
{
}

/* ---- the command and the switch ----------------------------------------- */

struct _MissiveImapCompression
{
  MissiveImapWireInput *input;       /* references, for the figures */
  MissiveImapDeflateOutput *output;
  GInputStream *inflated;
};

void
missive_imap_compress_register_types (GTypeModule *module)
{
  missive_imap_wire_input_register_type (module);
  missive_imap_deflate_output_register_type (module);
}

void
missive_imap_compression_free (MissiveImapCompression *compression)
{
  if (compression == NULL)
    return;
  g_clear_object (&compression->input);
  g_clear_object (&compression->output);
  g_clear_object (&compression->inflated);
  g_free (compression);
}

static void
compress_trace (MissiveImapStore *self,
                const char       *note)
{
  if (missive_service_is_tracing (MISSIVE_SERVICE (self)))
    missive_service_trace (MISSIVE_SERVICE (self), MISSIVE_TRACE_INFO, note, -1, FALSE);
}

/* Puts the compressed streams in place; FALSE (and @error set) if the
 * connection cannot go on. */
static gboolean
compress_start (MissiveImapStore  *self,
                GError           **error)
{
  MissiveService *service = MISSIVE_SERVICE (self);
  MissiveReader *reader = missive_service_get_reader (service);
  GOutputStream *output = missive_service_get_output_stream (service);
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GZlibCompressor) compressor = NULL;
  MissiveImapCompression *compression;
  gsize buffered, dropped;

  if (reader == NULL || output == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                           "The connection closed while compression was being turned on");
      return FALSE;
    }

  /* Whatever the reader holds after the tagged OK is compressed already:
   * take it out and feed it to the decompressor first. Reading buffered
   * bytes does not touch the stream. */
  buffered = missive_reader_get_buffered (reader);
  if (buffered > 0)
    {
      prefix = missive_reader_read_bytes (reader, buffered, NULL, error);
      if (prefix == NULL)
        return FALSE;
    }

  compression = g_new0 (MissiveImapCompression, 1);
  compression->input = g_object_new (MISSIVE_IMAP_TYPE_WIRE_INPUT, NULL);
  compression->input->base = g_object_ref (missive_reader_get_stream (reader));
  compression->input->prefix = g_steal_pointer (&prefix);
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  compression->inflated = g_converter_input_stream_new (G_INPUT_STREAM (compression->input),
                                                        G_CONVERTER (decompressor));

  compression->output = g_object_new (MISSIVE_IMAP_TYPE_DEFLATE_OUTPUT, NULL);
  compression->output->base = g_object_ref (output);
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, -1);
  compression->output->compressor = G_CONVERTER (g_steal_pointer (&compressor));

  dropped = missive_reader_replace_stream (reader, compression->inflated);
  missive_imap_compression_free (self->compression);
  self->compression = compression;
  missive_imap_engine_set_output (self->engine, G_OUTPUT_STREAM (compression->output));

  if (dropped > 0)
    {
      /* Cannot happen: the buffer was emptied just above. */
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "%" G_GSIZE_FORMAT " bytes received around the COMPRESS reply were "
                   "lost; the connection is out of step", dropped);
      return FALSE;
    }

  if (missive_service_is_tracing (service))
    {
      g_autofree char *note =
        g_strdup_printf ("COMPRESS=DEFLATE active (%" G_GSIZE_FORMAT " compressed bytes "
                         "were already buffered)", buffered);

      compress_trace (self, note);
    }
  return TRUE;
}

static gboolean
compress_response (MissiveImapStore          *self,
                   MissiveImapCommand        *command,
                   const MissiveImapResponse *response,
                   gpointer                   user_data)
{
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_TAGGED)
    return FALSE;
  /* Called while the engine handles the tagged reply, before it reads or
   * writes anything else: the switch happens exactly between the OK and
   * the first compressed byte. */
  if (response->status == MISSIVE_IMAP_STATUS_OK && !compress_start (self, &error))
    missive_imap_store_fail_connection (self, error);
  return TRUE;
}

MissiveImapCommand *
missive_imap_compress_command_new (MissiveImapStore *self)
{
  MissiveImapCommand *command;

  if (!self->compress || self->compression != NULL ||
      !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_COMPRESS))
    return NULL;

  command = missive_imap_command_new (self, "COMPRESS");
  missive_imap_command_add_atom (command, "DEFLATE");
  missive_imap_command_set_exclusive (command);
  missive_imap_command_set_response_func (command, compress_response, NULL);
  return command;
}

void
missive_imap_compress_trace_figures (MissiveImapStore *self)
{
  MissiveImapCompression *compression = self->compression;
  g_autofree char *note = NULL;
  guint64 inflated;

  if (compression == NULL || !missive_service_is_tracing (MISSIVE_SERVICE (self)))
    return;

  /* The reader counts what it read from its stream: since the switch,
   * the inflated bytes (plus what came before, uncompressed). */
  inflated = missive_reader_get_bytes_read (missive_service_get_reader (MISSIVE_SERVICE (self)));
  note = g_strdup_printf ("COMPRESS figures: received %" G_GUINT64_FORMAT " bytes on the wire "
                          "since the switch (reader total %" G_GUINT64_FORMAT " bytes), sent %"
                          G_GUINT64_FORMAT " bytes on the wire for %" G_GUINT64_FORMAT
                          " bytes of protocol",
                          compression->input->count, inflated,
                          compression->output->count_out, compression->output->count_in);
  compress_trace (self, note);
}
