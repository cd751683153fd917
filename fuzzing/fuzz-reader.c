/* fuzz-reader.c: libFuzzer target for MissiveReader
 *
 * The first byte of the input picks the reader's settings (how many bytes
 * each read of the stream returns, the line limit, blocking or
 * asynchronous reads, literals to a sink or into memory); the rest is what
 * the "server" sends. Lines ending in "{N}" or "{N+}" are followed by a
 * literal of N bytes, as in IMAP; a line starting with "~" switches the
 * reader to a new stream holding the rest of that line, as STARTTLS does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-reader-private.h"

/* Small limits, so that no input makes the target allocate much. */
#define FUZZ_MAX_LITERAL 4096
#define FUZZ_MAX_STEPS 4096

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A memory stream whose reads return at most @chunk bytes. */
#define FUZZ_TYPE_STREAM (fuzz_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzStream, fuzz_stream, FUZZ, STREAM, GMemoryInputStream)

struct _FuzzStream
{
  GMemoryInputStream parent_instance;
  gsize chunk;
};

G_DEFINE_FINAL_TYPE (FuzzStream, fuzz_stream, G_TYPE_MEMORY_INPUT_STREAM)

static gssize
fuzz_stream_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  FuzzStream *self = FUZZ_STREAM (stream);

  if (self->chunk > 0)
    count = MIN (count, self->chunk);
  return G_INPUT_STREAM_CLASS (fuzz_stream_parent_class)->read_fn (stream, buffer, count,
                                                                   cancellable, error);
}

static void
fuzz_stream_class_init (FuzzStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fuzz_stream_read;
}

static void
fuzz_stream_init (FuzzStream *self)
{
}

static GInputStream *
fuzz_stream_new (const guint8 *data,
                 gsize         size,
                 gsize         chunk)
{
  FuzzStream *self = g_object_new (FUZZ_TYPE_STREAM, NULL);

  self->chunk = chunk;
  if (size > 0)
    g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (self),
                                    g_memdup2 (data, size), size, g_free);
  return G_INPUT_STREAM (self);
}

/* The size of a trailing "{N}" or "{N+}", or -1. */
static gint64
literal_size (const char *line,
              gsize       length)
{
  gsize end;
  gsize start;
  gint64 value = 0;

  if (length < 3 || line[length - 1] != '}')
    return -1;
  end = length - 1;
  if (line[end - 1] == '+')
    end--;
  start = end;
  while (start > 0 && g_ascii_isdigit (line[start - 1]) && end - start < 9)
    start--;
  if (start == end || start == 0 || line[start - 1] != '{')
    return -1;
  for (gsize i = start; i < end; i++)
    value = value * 10 + (line[i] - '0');
  return value;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Reads on memory streams always complete, so this ends. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const gsize chunks[] = { 0, 1, 2, 3, 7, 64, 4096, 20000 };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(MissiveReader) reader = NULL;
  guint8 config;
  gsize chunk;
  gsize max_line;
  gboolean async;
  gboolean to_memory;

  if (size < 1)
    return 0;
  config = data[0];
  chunk = chunks[config & 7];
  max_line = (config & 0x08) ? 16 : 300;
  async = (config & 0x10) != 0;
  to_memory = (config & 0x20) != 0;
  data++;
  size--;

  stream = fuzz_stream_new (data, size, chunk);
  reader = missive_reader_new (stream);
  missive_reader_set_max_line_length (reader, max_line);
  missive_reader_set_max_literal_size (reader, FUZZ_MAX_LITERAL);

  for (guint step = 0; step < FUZZ_MAX_STEPS; step++)
    {
      g_autoptr(GError) error = NULL;
      const char *line;
      gsize length = 0;
      gint64 literal;

      if (async)
        {
          GAsyncResult *result = NULL;

          missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, store_result, &result);
          line = missive_reader_read_line_finish (reader, wait_result (&result), &length, &error);
          g_object_unref (result);
        }
      else
        line = missive_reader_read_line (reader, &length, NULL, &error);

      g_assert_true (missive_reader_get_buffer_capacity (reader) <= MAX (16 * 1024, max_line + 2));
      if (line == NULL)
        {
          g_assert_nonnull (error);
          if (!g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG))
            break;
          /* Unusable now, and saying so again. */
          g_clear_error (&error);
          g_assert_null (missive_reader_read_line (reader, &length, NULL, &error));
          g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
          break;
        }
      g_assert_cmpuint (length, <=, max_line);
      g_assert_true (line[length] == '\0');
      g_assert_null (memchr (line, '\n', length));

      if (length > 0 && line[0] == '~')
        {
          g_autoptr(GInputStream) next = fuzz_stream_new ((const guint8 *) line + 1, length - 1, chunk);

          missive_reader_replace_stream (reader, next);
          continue;
        }

      literal = literal_size (line, length);
      if (literal < 0)
        continue;

      if (to_memory)
        {
          g_autoptr(GBytes) bytes = NULL;

          if (async)
            {
              GAsyncResult *result = NULL;

              missive_reader_read_bytes_async (reader, literal, G_PRIORITY_DEFAULT, NULL,
                                               store_result, &result);
              bytes = missive_reader_read_bytes_finish (reader, wait_result (&result), &error);
              g_object_unref (result);
            }
          else
            bytes = missive_reader_read_bytes (reader, literal, NULL, &error);
          if (bytes != NULL)
            g_assert_cmpuint (g_bytes_get_size (bytes), ==, literal);
        }
      else
        {
          g_autoptr(GOutputStream) sink = NULL;
          gboolean ok;

          if (literal % 2 == 0)
            sink = g_memory_output_stream_new_resizable ();
          if (async)
            {
              GAsyncResult *result = NULL;

              missive_reader_read_literal_async (reader, literal, sink, G_PRIORITY_DEFAULT, NULL,
                                                 store_result, &result);
              ok = missive_reader_read_literal_finish (reader, wait_result (&result), &error);
              g_object_unref (result);
            }
          else
            ok = missive_reader_read_literal (reader, literal, sink, NULL, &error);
          if (ok && sink != NULL)
            g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                              ==, literal);
        }
      if (error != NULL)
        {
          g_assert_true (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST) ||
                         g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_LITERAL_TOO_LARGE));
          break;
        }
    }

  return 0;
}
