/* test-reader.c: tests of MissiveReader, the line and literal reader
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <missive/missive-plugin.h>

#include "missive-reader-private.h"
#include "test-utils.h"

/* Every wait for an asynchronous result gives up after this long. */
#define WAIT_TIMEOUT_SECONDS 10

/* ---- a stream that hands out its data in small pieces -------------------- */

/* Serves fixed data, at most @chunk bytes per read (0: as much as asked),
 * and counts the reads. Pollable, so asynchronous reads need no thread. */
#define TEST_TYPE_STREAM (test_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestStream, test_stream, TEST, STREAM, GInputStream)

struct _TestStream
{
  GInputStream parent_instance;
  GBytes *data;
  gsize pos;
  gsize chunk;
  gsize first_chunk; /* if not 0: the most the first read returns */
  guint n_reads;
};

static void test_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestStream, test_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      test_stream_pollable_init))

static gssize
test_stream_serve (TestStream *self,
                   void       *buffer,
                   gsize       count)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (self->data, &size);
  gsize n = MIN (count, size - self->pos);

  if (self->n_reads == 0 && self->first_chunk > 0)
    n = MIN (n, self->first_chunk);
  else if (self->chunk > 0)
    n = MIN (n, self->chunk);
  if (n > 0)
    memcpy (buffer, data + self->pos, n);
  self->pos += n;
  self->n_reads++;
  return n;
}

static gssize
test_stream_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  return test_stream_serve (TEST_STREAM (stream), buffer, count);
}

static gboolean
test_stream_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static gssize
test_stream_read_nonblocking (GPollableInputStream  *stream,
                              void                  *buffer,
                              gsize                  count,
                              GError               **error)
{
  return test_stream_serve (TEST_STREAM (stream), buffer, count);
}

static GSource *
test_stream_create_source (GPollableInputStream *stream,
                           GCancellable         *cancellable)
{
  /* Never used: the stream is always readable. */
  return g_pollable_source_new_full (stream, NULL, cancellable);
}

static void
test_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = test_stream_is_readable;
  iface->read_nonblocking = test_stream_read_nonblocking;
  iface->create_source = test_stream_create_source;
}

static void
test_stream_finalize (GObject *object)
{
  g_bytes_unref (TEST_STREAM (object)->data);
  G_OBJECT_CLASS (test_stream_parent_class)->finalize (object);
}

static void
test_stream_class_init (TestStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_stream_read;
}

static void
test_stream_init (TestStream *self)
{
}

static TestStream *
test_stream_new (const void *data,
                 gsize       length,
                 gsize       chunk)
{
  TestStream *self = g_object_new (TEST_TYPE_STREAM, NULL);

  self->data = g_bytes_new (data, length);
  self->chunk = chunk;
  return self;
}

/* ---- running operations in either form ------------------------------------ */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default context until @slot is set (bounded). */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, on_wait_timeout, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  return *slot;
}

static const char *
read_line (MissiveReader  *reader,
           gboolean        async,
           gsize          *length,
           GError        **error)
{
  GAsyncResult *result = NULL;
  const char *line;

  if (!async)
    return missive_reader_read_line (reader, length, NULL, error);

  missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  line = missive_reader_read_line_finish (reader, wait_result (&result), length, error);
  g_object_unref (result);
  return line;
}

static gboolean
read_literal (MissiveReader  *reader,
              gboolean        async,
              guint64         size,
              GOutputStream  *sink,
              GError        **error)
{
  GAsyncResult *result = NULL;
  gboolean ok;

  if (!async)
    return missive_reader_read_literal (reader, size, sink, NULL, error);

  missive_reader_read_literal_async (reader, size, sink, G_PRIORITY_DEFAULT, NULL,
                                     store_result, &result);
  ok = missive_reader_read_literal_finish (reader, wait_result (&result), error);
  g_object_unref (result);
  return ok;
}

static GBytes *
read_bytes (MissiveReader  *reader,
            gboolean        async,
            gsize           size,
            GError        **error)
{
  GAsyncResult *result = NULL;
  GBytes *bytes;

  if (!async)
    return missive_reader_read_bytes (reader, size, NULL, error);

  missive_reader_read_bytes_async (reader, size, G_PRIORITY_DEFAULT, NULL,
                                   store_result, &result);
  bytes = missive_reader_read_bytes_finish (reader, wait_result (&result), error);
  g_object_unref (result);
  return bytes;
}

/* Records progress calls and checks them as they come. */
typedef struct {
  guint calls;
  guint64 last_done;
  guint64 total;
} Progress;

static void
on_progress (MissiveReader *reader,
             guint64        done,
             guint64        total,
             gpointer       user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (total, ==, progress->total);
  g_assert_cmpuint (done, >, progress->last_done);
  g_assert_cmpuint (done, <=, total);
  progress->last_done = done;
  progress->calls++;
}

/* ---- the table of scripted reads ----------------------------------------- */

typedef enum {
  OP_END,
  OP_LINE,          /* a line equal to text (length: size, or strlen) */
  OP_LITERAL,       /* a literal of size bytes into a memory stream, equal to text */
  OP_DISCARD,       /* a literal of size bytes, discarded */
  OP_BYTES,         /* size bytes with read_bytes, equal to text */
  OP_LINE_ERROR,    /* read_line fails with MISSIVE_ERROR code, message text */
  OP_LITERAL_ERROR, /* read_literal of size fails with MISSIVE_ERROR code, message text */
  OP_BYTES_ERROR,   /* read_bytes of size fails with MISSIVE_ERROR code, message text */
} OpKind;

typedef struct {
  OpKind kind;
  const char *text;
  gsize size;
  int code;
} Op;

typedef struct {
  const char *name;
  const char *input;
  gsize input_length; /* 0: strlen (input) */
  gsize max_line;     /* 0: the default */
  Op ops[8];
} ReadCase;

#define LINE(s)                { OP_LINE, (s), 0, 0 }
#define LINE_LEN(s, n)         { OP_LINE, (s), (n), 0 }
#define LITERAL(s, n)          { OP_LITERAL, (s), (n), 0 }
#define DISCARD(n)             { OP_DISCARD, NULL, (n), 0 }
#define BYTES(s, n)            { OP_BYTES, (s), (n), 0 }
#define LINE_ERROR(c, m)       { OP_LINE_ERROR, (m), 0, MISSIVE_ERROR_##c }
#define LITERAL_ERROR(n, c, m) { OP_LITERAL_ERROR, (m), (n), MISSIVE_ERROR_##c }
#define BYTES_ERROR(n, c, m)   { OP_BYTES_ERROR, (m), (n), MISSIVE_ERROR_##c }
#define CLOSED_BY_SERVER       LINE_ERROR (CONNECTION_LOST, "connection closed by server")
#define CLOSED_IN_LINE         LINE_ERROR (CONNECTION_LOST, "connection closed in the middle of a line")

static const ReadCase read_cases[] = {
  { "crlf", "A1 OK done\r\n* 2 EXISTS\r\n", 0, 0,
    { LINE ("A1 OK done"), LINE ("* 2 EXISTS"), CLOSED_BY_SERVER } },
  { "lf", "+OK hi\n.\n", 0, 0,
    { LINE ("+OK hi"), LINE ("."), CLOSED_BY_SERVER } },
  { "mixed-ends", "a\r\nb\nc\r\n", 0, 0,
    { LINE ("a"), LINE ("b"), LINE ("c"), CLOSED_BY_SERVER } },
  { "empty-lines", "\r\n\n\r\nx\r\n\n", 0, 0,
    { LINE (""), LINE (""), LINE (""), LINE ("x"), LINE (""), CLOSED_BY_SERVER } },
  { "lone-cr-stays", "a\rb\r\n\r\r\n\r\n", 0, 0,
    { LINE ("a\rb"), LINE ("\r"), LINE (""), CLOSED_BY_SERVER } },
  { "nul-in-line", "a\0b\r\nc\r\n", 8, 0,
    { LINE_LEN ("a\0b", 3), LINE ("c"), CLOSED_BY_SERVER } },
  { "empty-input", "", 0, 0,
    { CLOSED_BY_SERVER, CLOSED_BY_SERVER } },
  { "eof-mid-line", "abc\r\nde", 0, 0,
    { LINE ("abc"), CLOSED_IN_LINE } },
  { "eof-after-cr", "abc\r", 0, 0,
    { CLOSED_IN_LINE } },
  { "at-limit", "0123456789\r\n0123456789\n", 0, 10,
    { LINE ("0123456789"), LINE ("0123456789"), CLOSED_BY_SERVER } },
  { "cr-at-limit-then-eof", "0123456789\r", 0, 10,
    { CLOSED_IN_LINE } },
  { "over-limit", "0123456789A\r\nok\r\n", 0, 10,
    { LINE_ERROR (LINE_TOO_LONG, "The server sent a line longer than 10 bytes"),
      LINE_ERROR (LINE_TOO_LONG, "The server sent a line longer than 10 bytes"),
      LITERAL_ERROR (1, LINE_TOO_LONG, "The server sent a line longer than 10 bytes") } },
  { "over-limit-no-end", "0123456789AB", 0, 10,
    { LINE_ERROR (LINE_TOO_LONG, "The server sent a line longer than 10 bytes") } },
  { "over-limit-cr-inside", "0123456789\rA\r\n", 0, 10,
    { LINE_ERROR (LINE_TOO_LONG, "The server sent a line longer than 10 bytes") } },
  { "literal", "* 1 FETCH (BODY[] {5}\r\nhello)\r\nA1 OK\r\n", 0, 0,
    { LINE ("* 1 FETCH (BODY[] {5}"), LITERAL ("hello", 5), LINE (")"), LINE ("A1 OK"),
      CLOSED_BY_SERVER } },
  { "literal-with-line-ends", "{9}\r\na\r\nb\nc\0de\r\n", 16, 0,
    { LINE ("{9}"), LITERAL ("a\r\nb\nc\0de", 9), LINE (""), CLOSED_BY_SERVER } },
  { "literal-empty", "{0}\r\n\r\nX\r\n", 0, 0,
    { LINE ("{0}"), LITERAL ("", 0), LINE (""), LINE ("X"), CLOSED_BY_SERVER } },
  { "literals-back-to-back", "{2}\r\nab{3}\r\ncde\r\n", 0, 0,
    { LINE ("{2}"), LITERAL ("ab", 2), LINE ("{3}"), LITERAL ("cde", 3), LINE (""),
      CLOSED_BY_SERVER } },
  { "literal-discarded", "{5}\r\nhello)\r\n", 0, 0,
    { LINE ("{5}"), DISCARD (5), LINE (")"), CLOSED_BY_SERVER } },
  { "bytes", "{5}\r\nhello world\r\n", 0, 0,
    { LINE ("{5}"), BYTES ("hello", 5), LINE (" world"), CLOSED_BY_SERVER } },
  { "bytes-empty", "x\r\ny\r\n", 0, 0,
    { LINE ("x"), BYTES ("", 0), LINE ("y") } },
  { "eof-mid-literal", "{10}\r\nhello", 0, 0,
    { LINE ("{10}"),
      LITERAL_ERROR (10, CONNECTION_LOST, "connection closed in the middle of a literal (5 of 10 bytes)") } },
  { "eof-before-literal", "{3}\r\n", 0, 0,
    { LINE ("{3}"),
      LITERAL_ERROR (3, CONNECTION_LOST, "connection closed in the middle of a literal (0 of 3 bytes)") } },
  { "eof-mid-bytes", "{4}\r\nab", 0, 0,
    { LINE ("{4}"),
      BYTES_ERROR (4, CONNECTION_LOST, "connection closed in the middle of a literal (2 of 4 bytes)") } },
};

/* 0: as much as the reader asks for. */
static const gsize chunk_sizes[] = { 0, 1, 2, 3, 5, 7, 13 };

static void
run_read_case (const ReadCase *rc,
               gsize           chunk,
               gboolean        async)
{
  gsize input_length = rc->input_length > 0 ? rc->input_length : strlen (rc->input);
  g_autoptr(TestStream) stream = test_stream_new (rc->input, input_length, chunk);
  g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
  guint64 consumed = 0;

  g_test_message ("case %s, chunk %" G_GSIZE_FORMAT ", %s",
                  rc->name, chunk, async ? "async" : "blocking");

  if (rc->max_line > 0)
    missive_reader_set_max_line_length (reader, rc->max_line);

  for (const Op *op = rc->ops; op->kind != OP_END; op++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GOutputStream) sink = NULL;
      g_autoptr(GBytes) bytes = NULL;
      const char *line;
      gsize length = 12345;
      gsize expected_length;

      switch (op->kind)
        {
        case OP_LINE:
          expected_length = op->size > 0 ? op->size : strlen (op->text);
          line = read_line (reader, async, &length, &error);
          g_assert_no_error (error);
          g_assert_nonnull (line);
          g_assert_cmpmem (line, length, op->text, expected_length);
          g_assert_cmpint (line[length], ==, '\0');
          break;

        case OP_LITERAL:
          sink = g_memory_output_stream_new_resizable ();
          g_assert_true (read_literal (reader, async, op->size, sink, &error));
          g_assert_no_error (error);
          g_assert_true (g_output_stream_close (sink, NULL, NULL));
          g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                           g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                           op->text, op->size);
          break;

        case OP_DISCARD:
          g_assert_true (read_literal (reader, async, op->size, NULL, &error));
          g_assert_no_error (error);
          break;

        case OP_BYTES:
          bytes = read_bytes (reader, async, op->size, &error);
          g_assert_no_error (error);
          g_assert_nonnull (bytes);
          g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           op->text, op->size);
          break;

        case OP_LINE_ERROR:
          line = read_line (reader, async, &length, &error);
          g_assert_null (line);
          g_assert_cmpuint (length, ==, 0);
          g_assert_error (error, MISSIVE_ERROR, op->code);
          g_assert_cmpstr (error->message, ==, op->text);
          break;

        case OP_LITERAL_ERROR:
          g_assert_false (read_literal (reader, async, op->size, NULL, &error));
          g_assert_error (error, MISSIVE_ERROR, op->code);
          g_assert_cmpstr (error->message, ==, op->text);
          break;

        case OP_BYTES_ERROR:
          bytes = read_bytes (reader, async, op->size, &error);
          g_assert_null (bytes);
          g_assert_error (error, MISSIVE_ERROR, op->code);
          g_assert_cmpstr (error->message, ==, op->text);
          break;

        case OP_END:
        default:
          g_assert_not_reached ();
        }

      /* The reader never reads what it does not need... */
      consumed = missive_reader_get_bytes_read (reader);
      g_assert_cmpuint (consumed, ==, stream->pos);
    }

  /* ...and counts every byte it took. */
  g_assert_cmpuint (consumed, <=, input_length);
}

static void
test_read_table (gconstpointer data)
{
  const ReadCase *rc = data;

  for (gsize i = 0; i < G_N_ELEMENTS (chunk_sizes); i++)
    {
      run_read_case (rc, chunk_sizes[i], FALSE);
      run_read_case (rc, chunk_sizes[i], TRUE);
    }
}

/* ---- lines ----------------------------------------------------------------- */

static void
test_many_lines_one_read (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(TestStream) stream = NULL;
  g_autoptr(MissiveReader) reader = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (input, "* %u FETCH (FLAGS (\\Seen))\r\n", i);
  g_assert_cmpuint (input->len, <, 16 * 1024);

  stream = test_stream_new (input->str, input->len, 0);
  reader = missive_reader_new (G_INPUT_STREAM (stream));

  for (guint i = 0, consumed = 0; i < 100; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("* %u FETCH (FLAGS (\\Seen))", i);
      gsize length;
      const char *line = missive_reader_read_line (reader, &length, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, expected);
      g_assert_cmpuint (length, ==, strlen (expected));
      /* All of it arrived with the first read. */
      g_assert_cmpuint (stream->n_reads, ==, 1);
      consumed += length + 2;
      g_assert_cmpuint (missive_reader_get_buffered (reader), ==, input->len - consumed);
    }
  g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, input->len);
}

static void
test_try_read_line (void)
{
  static const char input[] = "one\r\ntwo\r\nthree-is-long\r\nfour";
  g_autoptr(TestStream) stream = test_stream_new (input, sizeof input - 1, 0);
  g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
  g_autoptr(GError) error = NULL;
  const char *line;
  gsize length = 99;

  /* Nothing buffered yet: no line, no error, no read. */
  g_assert_null (missive_reader_try_read_line (reader, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 0);
  g_assert_cmpuint (stream->n_reads, ==, 0);

  line = missive_reader_read_line (reader, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "one");

  /* The rest arrived with the first read: served from the buffer. */
  line = missive_reader_try_read_line (reader, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "two");
  g_assert_cmpuint (length, ==, 3);
  g_assert_cmpuint (stream->n_reads, ==, 1);

  /* A buffered line over a (lowered) limit is an error here too. */
  missive_reader_set_max_line_length (reader, 4);
  g_assert_null (missive_reader_try_read_line (reader, &length, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
  g_assert_cmpuint (stream->n_reads, ==, 1);
}

static void
test_many_lines_bulk (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(TestStream) stream = NULL;
  g_autoptr(MissiveReader) reader = NULL;
  guint n_lines = 20000;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (input, "line %u%s", i, i % 3 == 0 ? "\n" : "\r\n");

  stream = test_stream_new (input->str, input->len, 0);
  reader = missive_reader_new (G_INPUT_STREAM (stream));

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(GError) error = NULL;
      char expected[32];
      const char *line;

      line = read_line (reader, i % 2 == 0, NULL, &error);
      g_assert_no_error (error);
      g_snprintf (expected, sizeof expected, "line %u", i);
      g_assert_cmpstr (line, ==, expected);
    }
  g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, input->len);
  /* Reads fill the buffer, not one line each. */
  g_assert_cmpuint (stream->n_reads, <=, input->len / (16 * 1024 - 32) + 2);
}

/* A line split across two reads at every possible place. */
static void
test_line_split_everywhere (void)
{
  const char *input = "A1 OK [READ-WRITE] SELECT completed\r\nA2 OK\r\n";
  gsize input_length = strlen (input);

  for (gsize split = 1; split < input_length; split++)
    {
      for (int async = 0; async < 2; async++)
        {
          g_autoptr(TestStream) stream = test_stream_new (input, input_length, 0);
          g_autoptr(MissiveReader) reader = NULL;
          g_autoptr(GError) error = NULL;
          const char *line;

          stream->first_chunk = split;
          reader = missive_reader_new (G_INPUT_STREAM (stream));

          line = read_line (reader, async, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (line, ==, "A1 OK [READ-WRITE] SELECT completed");
          g_assert_cmpuint (stream->n_reads, ==, split < strlen ("A1 OK [READ-WRITE] SELECT completed\r\n") ? 2 : 1);
          line = read_line (reader, async, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (line, ==, "A2 OK");
          g_assert_cmpuint (stream->n_reads, ==, 2);
        }
    }
}

static void
test_line_too_long_bounded (void)
{
  gsize huge = 10 * 1024 * 1024;
  g_autofree char *input = g_malloc (huge + 2);
  gsize chunks[] = { 0, 1000, 70000 };

  memset (input, 'x', huge);
  memcpy (input + huge, "\r\n", 2);

  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      for (int async = 0; async < 2; async++)
        {
          g_autoptr(TestStream) stream = test_stream_new (input, huge + 2, chunks[i]);
          g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
          g_autoptr(GError) error = NULL;
          const char *line;

          g_assert_cmpuint (missive_reader_get_max_line_length (reader), ==, 64 * 1024);
          line = read_line (reader, async, NULL, &error);
          g_assert_null (line);
          g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
          g_assert_cmpuint (missive_reader_get_buffer_capacity (reader), <=, 64 * 1024 + 2);
          /* It stopped reading right after the limit. */
          g_assert_cmpuint (missive_reader_get_bytes_read (reader), <=, 64 * 1024 + 2);
          g_assert_cmpuint (missive_reader_get_bytes_read (reader), >, 64 * 1024);
          g_assert_cmpuint (missive_reader_get_buffered (reader), ==, 0);
        }
    }
}

/* A long line within the limit makes the buffer grow, but never beyond
 * the limit plus the line end. */
static void
test_line_long_grows_to_limit (void)
{
  gsize limit = 100000;
  g_autofree char *input = g_malloc (limit + 2 + 4);

  memset (input, 'y', limit);
  memcpy (input + limit, "\r\nz\n", 4);

  for (int async = 0; async < 2; async++)
    {
      g_autoptr(TestStream) stream = test_stream_new (input, limit + 4, 0);
      g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
      g_autoptr(GError) error = NULL;
      const char *line;
      gsize length;

      missive_reader_set_max_line_length (reader, limit);
      g_assert_cmpuint (missive_reader_get_buffer_capacity (reader), ==, 16 * 1024);
      line = read_line (reader, async, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (length, ==, limit);
      g_assert_cmpmem (line, length, input, limit);
      g_assert_cmpuint (missive_reader_get_buffer_capacity (reader), ==, limit + 2);
      line = read_line (reader, async, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "z");
    }
}

/* A small limit keeps the initial buffer, and still refuses long lines. */
static void
test_line_small_limit (void)
{
  g_autofree char *input = g_strnfill (20000, 'q');

  for (int async = 0; async < 2; async++)
    {
      g_autoptr(TestStream) stream = test_stream_new (input, 20000, 0);
      g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
      g_autoptr(GError) error = NULL;

      missive_reader_set_max_line_length (reader, 100);
      g_assert_null (read_line (reader, async, NULL, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
      g_assert_cmpuint (missive_reader_get_buffer_capacity (reader), ==, 16 * 1024);
      g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, 16 * 1024);
    }
}

/* Fed one byte at a time, the reader gives up on the first byte past the
 * limit that cannot be the CR of a line end. */
static void
test_line_too_long_detected_early (void)
{
  const struct {
    const char *input;
    guint64 bytes_read;
  } cases[] = {
    { "0123456789ABCDEF\r\n", 11 },
    { "0123456789\rXYZ\r\n", 12 },
    { "0123456789\r\r\n", 12 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int async = 0; async < 2; async++)
      {
        g_autoptr(TestStream) stream = test_stream_new (cases[i].input, strlen (cases[i].input), 1);
        g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
        g_autoptr(GError) error = NULL;

        missive_reader_set_max_line_length (reader, 10);
        g_assert_null (read_line (reader, async, NULL, &error));
        g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
        g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, cases[i].bytes_read);
      }
}

/* ---- literals ------------------------------------------------------------- */

static char *
make_pattern (gsize size)
{
  char *data = g_malloc (size + 1);

  for (gsize i = 0; i < size; i++)
    data[i] = (char) ((i * 7 + i / 251) & 0xff);
  data[size] = '\0';
  return data;
}

/* A literal between two lines, for sizes around the buffer and chunk
 * sizes, with reads that leave it fully buffered, partly buffered (by one
 * byte or more) or not buffered at all. */
static void
test_literal_boundaries (void)
{
  const gsize sizes[] = { 1, 100, 16383, 16384, 16385, 65535, 65536, 65537, 300001 };

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize size = sizes[s];
      g_autofree char *literal = make_pattern (size);
      g_autofree char *head = g_strdup_printf ("* 7 FETCH (BODY[] {%" G_GSIZE_FORMAT "}\r\n", size);
      const char *tail = ")\r\nA7 OK FETCH done\r\n";
      gsize head_length = strlen (head);
      g_autoptr(GByteArray) input = g_byte_array_new ();
      gsize chunks[] = { 0, head_length, head_length + 1, head_length + 100, 4096, 100000 };

      g_byte_array_append (input, (const guint8 *) head, head_length);
      g_byte_array_append (input, (const guint8 *) literal, size);
      g_byte_array_append (input, (const guint8 *) tail, strlen (tail));

      for (gsize c = 0; c < G_N_ELEMENTS (chunks); c++)
        for (int async = 0; async < 2; async++)
          for (int discard = 0; discard < 2; discard++)
            {
              g_autoptr(TestStream) stream = test_stream_new (input->data, input->len, chunks[c]);
              g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
              g_autoptr(GOutputStream) sink = NULL;
              g_autoptr(GError) error = NULL;
              Progress progress = { 0, 0, size };
              const char *line;
              guint reads_before;

              g_test_message ("size %" G_GSIZE_FORMAT ", chunk %" G_GSIZE_FORMAT ", %s, %s",
                              size, chunks[c], async ? "async" : "blocking",
                              discard ? "discard" : "sink");

              missive_reader_set_progress_func (reader, on_progress, &progress, NULL);
              line = read_line (reader, async, NULL, &error);
              g_assert_no_error (error);
              g_assert_nonnull (line);
              g_assert_cmpmem (line, strlen (line), head, head_length - 2);

              if (!discard)
                sink = g_memory_output_stream_new_resizable ();
              reads_before = stream->n_reads;
              g_assert_true (read_literal (reader, async, size, sink, &error));
              g_assert_no_error (error);

              g_assert_cmpuint (progress.last_done, ==, size);
              g_assert_cmpuint (progress.calls, >=, 1);
              /* At most once per piece: the buffered part, then each read. */
              g_assert_cmpuint (progress.calls, <=, stream->n_reads - reads_before + 1);
              if (sink != NULL)
                {
                  g_assert_true (g_output_stream_close (sink, NULL, NULL));
                  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                                   literal, size);
                }

              line = read_line (reader, async, NULL, &error);
              g_assert_no_error (error);
              g_assert_cmpstr (line, ==, ")");
              line = read_line (reader, async, NULL, &error);
              g_assert_no_error (error);
              g_assert_cmpstr (line, ==, "A7 OK FETCH done");
              g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, input->len);
              /* The literal never went through the line buffer as a whole. */
              g_assert_cmpuint (missive_reader_get_buffer_capacity (reader), ==, 16 * 1024);
            }
    }
}

/* One byte per read, lines and literals mixed: every boundary falls
 * between two reads. */
static void
test_one_byte_at_a_time (void)
{
  g_autofree char *literal = make_pattern (3000);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  const char *head = "* 1 FETCH (UID 5 BODY[] {3000}\r\n";
  const char *middle = " BODY[1] {4}\r\n";
  const char *tail = ")\r\n\r\nA1 OK\n";

  g_byte_array_append (input, (const guint8 *) head, strlen (head));
  g_byte_array_append (input, (const guint8 *) literal, 3000);
  g_byte_array_append (input, (const guint8 *) middle, strlen (middle));
  g_byte_array_append (input, (const guint8 *) "\r\n\r\n", 4);
  g_byte_array_append (input, (const guint8 *) "{2}\r\n", 5);
  g_byte_array_append (input, (const guint8 *) "xy", 2);
  g_byte_array_append (input, (const guint8 *) tail, strlen (tail));

  for (int async = 0; async < 2; async++)
    {
      g_autoptr(TestStream) stream = test_stream_new (input->data, input->len, 1);
      g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
      g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) small = NULL;
      g_autoptr(GError) error = NULL;
      Progress progress = { 0, 0, 3000 };
      const char *line;

      missive_reader_set_progress_func (reader, on_progress, &progress, NULL);

      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "* 1 FETCH (UID 5 BODY[] {3000}");

      g_assert_true (read_literal (reader, async, 3000, sink, &error));
      g_assert_no_error (error);
      g_assert_true (g_output_stream_close (sink, NULL, NULL));
      g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                       literal, 3000);
      g_assert_cmpuint (progress.last_done, ==, 3000);
      g_assert_cmpuint (progress.calls, <=, 3000);

      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, " BODY[1] {4}");

      bytes = read_bytes (reader, async, 4, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\r\n\r\n", 4);

      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "{2}");

      small = read_bytes (reader, async, 2, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (small, NULL), g_bytes_get_size (small), "xy", 2);

      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, ")");
      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "");
      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "A1 OK");

      line = read_line (reader, async, NULL, &error);
      g_assert_null (line);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
      g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, input->len);
      /* One byte per read: exactly one read per byte, plus the EOF. */
      g_assert_cmpuint (stream->n_reads, ==, input->len + 1);
    }
}

static void
test_literal_too_large (void)
{
  const char *input = "{101}\r\nrest\r\n";

  for (int async = 0; async < 2; async++)
    {
      g_autoptr(TestStream) stream = test_stream_new (input, strlen (input), 0);
      g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
      g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      Progress progress = { 0, 0, 101 };
      const char *line;
      guint64 before;

      missive_reader_set_progress_func (reader, on_progress, &progress, NULL);
      missive_reader_set_max_literal_size (reader, 100);
      g_assert_cmpuint (missive_reader_get_max_literal_size (reader), ==, 100);

      line = read_line (reader, async, NULL, &error);
      g_assert_cmpstr (line, ==, "{101}");
      before = missive_reader_get_bytes_read (reader);

      g_assert_false (read_literal (reader, async, 101, sink, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LITERAL_TOO_LARGE);
      g_clear_error (&error);
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)), ==, 0);

      bytes = read_bytes (reader, async, 101, &error);
      g_assert_null (bytes);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LITERAL_TOO_LARGE);
      g_clear_error (&error);

      /* read_bytes has its own cap, below the default literal limit. */
      missive_reader_set_max_literal_size (reader, MISSIVE_READER_DEFAULT_MAX_LITERAL);
      bytes = read_bytes (reader, async, 64 * 1024 * 1024 + 1, &error);
      g_assert_null (bytes);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LITERAL_TOO_LARGE);
      g_clear_error (&error);

      /* Nothing was consumed. */
      g_assert_cmpuint (progress.calls, ==, 0);
      g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, before);
      g_assert_cmpuint (missive_reader_get_buffered (reader), ==, strlen ("rest\r\n"));
      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "rest");
    }
}

/* A sink that fails: the error comes back unchanged. */
static void
test_literal_sink_error (void)
{
  const char *input = "{5}\r\nhello\r\n";
  guint8 small[2];

  for (int async = 0; async < 2; async++)
    {
      g_autoptr(TestStream) stream = test_stream_new (input, strlen (input), 0);
      g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (stream));
      g_autoptr(GOutputStream) sink = g_memory_output_stream_new (small, sizeof small, NULL, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (read_line (reader, async, NULL, &error), ==, "{5}");
      g_assert_false (read_literal (reader, async, 5, sink, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    }
}

/* ---- the rest -------------------------------------------------------------- */

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
count_destroy (gpointer data)
{
  guint *count = data;

  (*count)++;
}

static void
test_progress_func_destroy (void)
{
  g_autoptr(TestStream) stream = test_stream_new ("", 0, 0);
  MissiveReader *reader = missive_reader_new (G_INPUT_STREAM (stream));
  guint first = 0, second = 0;

  missive_reader_set_progress_func (reader, on_progress, &first, count_destroy);
  missive_reader_set_progress_func (reader, on_progress, &second, count_destroy);
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (second, ==, 0);
  g_object_unref (reader);
  g_assert_cmpuint (second, ==, 1);
}

static void
test_properties (void)
{
  const char *input = "abc\r\n";
  g_autoptr(TestStream) stream = test_stream_new (input, strlen (input), 0);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GInputStream) got_stream = NULL;
  guint64 max_line = 0, max_literal = 0, bytes_read = 1;
  guint notified = 0;

  reader = g_object_new (MISSIVE_TYPE_READER,
                         "stream", stream,
                         "max-line-length", (guint64) 200,
                         "max-literal-size", (guint64) 300,
                         NULL);
  g_object_get (reader,
                "stream", &got_stream,
                "max-line-length", &max_line,
                "max-literal-size", &max_literal,
                "bytes-read", &bytes_read,
                NULL);
  g_assert_true (got_stream == G_INPUT_STREAM (stream));
  g_assert_true (missive_reader_get_stream (reader) == G_INPUT_STREAM (stream));
  g_assert_cmpuint (max_line, ==, 200);
  g_assert_cmpuint (max_literal, ==, 300);
  g_assert_cmpuint (bytes_read, ==, 0);

  g_signal_connect (reader, "notify::max-line-length", G_CALLBACK (on_notify), &notified);
  missive_reader_set_max_line_length (reader, 200);
  g_assert_cmpuint (notified, ==, 0);
  missive_reader_set_max_line_length (reader, 201);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_nonnull (missive_reader_read_line (reader, NULL, NULL, NULL));
  g_object_get (reader, "bytes-read", &bytes_read, NULL);
  g_assert_cmpuint (bytes_read, ==, 5);
}

static void
test_replace_stream (void)
{
  const char *plain = "A1 OK Begin TLS\r\n* injected\r\n";
  const char *secure = "* CAPABILITY IMAP4rev1\r\n";

  for (int async = 0; async < 2; async++)
    {
      g_autoptr(TestStream) first = test_stream_new (plain, strlen (plain), 0);
      g_autoptr(TestStream) second = test_stream_new (secure, strlen (secure), 0);
      g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (first));
      g_autoptr(GError) error = NULL;
      const char *line;
      guint notified = 0;

      g_signal_connect (reader, "notify::stream", G_CALLBACK (on_notify), &notified);
      line = read_line (reader, async, NULL, &error);
      g_assert_cmpstr (line, ==, "A1 OK Begin TLS");
      g_assert_cmpuint (missive_reader_get_buffered (reader), ==, strlen ("* injected\r\n"));

      g_assert_cmpuint (missive_reader_replace_stream (reader, G_INPUT_STREAM (second)), ==,
                        strlen ("* injected\r\n"));
      g_assert_cmpuint (notified, ==, 1);
      g_assert_true (missive_reader_get_stream (reader) == G_INPUT_STREAM (second));
      g_assert_cmpuint (missive_reader_get_buffered (reader), ==, 0);

      line = read_line (reader, async, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "* CAPABILITY IMAP4rev1");
      g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, strlen (plain) + strlen (secure));

      /* Nothing buffered: nothing dropped. */
      g_assert_cmpuint (missive_reader_replace_stream (reader, G_INPUT_STREAM (first)), ==, 0);
    }
}

/* After an over-long line, only a new stream makes the reader usable. */
static void
test_replace_stream_after_too_long (void)
{
  const char *bad = "this line is too long\r\n";
  const char *good = "ok\r\n";
  g_autoptr(TestStream) first = test_stream_new (bad, strlen (bad), 0);
  g_autoptr(TestStream) second = test_stream_new (good, strlen (good), 0);
  g_autoptr(MissiveReader) reader = missive_reader_new (G_INPUT_STREAM (first));
  g_autoptr(GError) error = NULL;

  missive_reader_set_max_line_length (reader, 5);
  g_assert_null (missive_reader_read_line (reader, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
  g_clear_error (&error);

  missive_reader_replace_stream (reader, G_INPUT_STREAM (second));
  g_assert_cmpstr (missive_reader_read_line (reader, NULL, NULL, &error), ==, "ok");
  g_assert_no_error (error);
}

/* A connected pair of sockets: the reader reads one end, the test writes
 * (or does not write) to the other. */
typedef struct {
  GSocketConnection *connection;
  int peer;
} SocketPair;

static void
socket_pair_init (SocketPair *pair)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  pair->connection = g_socket_connection_factory_create_connection (socket);
  pair->peer = fds[1];
}

static void
socket_pair_clear (SocketPair *pair)
{
  g_clear_object (&pair->connection);
  close (pair->peer);
}

static GInputStream *
socket_pair_input (SocketPair *pair)
{
  return g_io_stream_get_input_stream (G_IO_STREAM (pair->connection));
}

static void
socket_pair_send (SocketPair *pair,
                  const char *data)
{
  g_assert_cmpint (write (pair->peer, data, strlen (data)), ==, (gssize) strlen (data));
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_pending (void)
{
  for (int which = 0; which < 3; which++)
    {
      SocketPair pair;
      g_autoptr(MissiveReader) reader = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = NULL;

      socket_pair_init (&pair);
      reader = missive_reader_new (socket_pair_input (&pair));

      /* Half a line is there; the rest never comes. */
      socket_pair_send (&pair, which == 0 ? "* partial" : "{20}\r\nhalf");
      if (which > 0)
        g_assert_cmpstr (missive_reader_read_line (reader, NULL, NULL, &error), ==, "{20}");

      g_timeout_add (50, cancel_later, cancellable);
      if (which == 0)
        {
          missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, cancellable,
                                          store_result, &result);
          g_assert_null (missive_reader_read_line_finish (reader, wait_result (&result), NULL, &error));
        }
      else if (which == 1)
        {
          missive_reader_read_literal_async (reader, 20, NULL, G_PRIORITY_DEFAULT, cancellable,
                                             store_result, &result);
          g_assert_false (missive_reader_read_literal_finish (reader, wait_result (&result), &error));
        }
      else
        {
          missive_reader_read_bytes_async (reader, 20, G_PRIORITY_DEFAULT, cancellable,
                                           store_result, &result);
          g_assert_null (missive_reader_read_bytes_finish (reader, wait_result (&result), &error));
        }
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_object (&result);
      g_clear_object (&reader);
      socket_pair_clear (&pair);
    }
}

static gpointer
cancel_thread (gpointer user_data)
{
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (user_data);
  return NULL;
}

static void
test_cancel_blocking (void)
{
  SocketPair pair;
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;

  socket_pair_init (&pair);
  reader = missive_reader_new (socket_pair_input (&pair));
  socket_pair_send (&pair, "A1 OK\r\n");

  /* Already cancelled: nothing is consumed. */
  g_cancellable_cancel (cancelled);
  g_assert_null (missive_reader_read_line (reader, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (missive_reader_read_literal (reader, 1, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (missive_reader_read_bytes (reader, 1, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, 0);

  g_assert_cmpstr (missive_reader_read_line (reader, NULL, NULL, &error), ==, "A1 OK");

  /* Cancelled while blocked in a read. */
  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  g_assert_null (missive_reader_read_line (reader, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_thread_join (thread);

  g_clear_object (&reader);
  socket_pair_clear (&pair);
}

static void
on_first_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MissiveReader *reader = MISSIVE_READER (source);
  GAsyncResult **second = user_data;
  g_autoptr(GError) error = NULL;
  const char *line;

  line = missive_reader_read_line_finish (reader, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "first");
  /* The operation is over once its callback runs: a new one may start. */
  missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, store_result, second);
}

static void
test_concurrent (void)
{
  SocketPair pair;
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GAsyncResult *second = NULL;

  socket_pair_init (&pair);
  reader = missive_reader_new (socket_pair_input (&pair));

  missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, on_first_line, &second);

  /* Every other call fails while that one is pending. */
  g_assert_null (missive_reader_read_line (reader, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_assert_false (missive_reader_read_literal (reader, 1, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_assert_null (missive_reader_read_bytes (reader, 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  g_assert_null (missive_reader_read_line_finish (reader, wait_result (&result), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_clear_object (&result);

  missive_reader_read_literal_async (reader, 1, NULL, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  g_assert_false (missive_reader_read_literal_finish (reader, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_clear_object (&result);

  missive_reader_read_bytes_async (reader, 1, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  g_assert_null (missive_reader_read_bytes_finish (reader, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The first one was not disturbed. */
  g_assert_cmpuint (missive_reader_get_bytes_read (reader), ==, 0);
  socket_pair_send (&pair, "first\r\nsecond\r\n");
  g_assert_cmpstr (missive_reader_read_line_finish (reader, wait_result (&second), NULL, &error),
                   ==, "second");
  g_assert_no_error (error);
  g_clear_object (&second);

  g_clear_object (&reader);
  socket_pair_clear (&pair);
}

/* A read error of the stream comes back in MISSIVE_ERROR. */
static void
test_stream_error (void)
{
  SocketPair pair;
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  socket_pair_init (&pair);
  reader = missive_reader_new (socket_pair_input (&pair));
  g_assert_true (g_io_stream_close (G_IO_STREAM (pair.connection), NULL, NULL));

  g_assert_null (missive_reader_read_line (reader, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);

  g_clear_object (&reader);
  socket_pair_clear (&pair);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reader/table/%s", read_cases[i].name);

      g_test_add_data_func (path, &read_cases[i], test_read_table);
    }
  g_test_add_func ("/reader/lines/many-in-one-read", test_many_lines_one_read);
  g_test_add_func ("/reader/lines/bulk", test_many_lines_bulk);
  g_test_add_func ("/reader/lines/try", test_try_read_line);
  g_test_add_func ("/reader/lines/split-everywhere", test_line_split_everywhere);
  g_test_add_func ("/reader/lines/too-long-bounded", test_line_too_long_bounded);
  g_test_add_func ("/reader/lines/long-grows-to-limit", test_line_long_grows_to_limit);
  g_test_add_func ("/reader/lines/small-limit", test_line_small_limit);
  g_test_add_func ("/reader/lines/too-long-detected-early", test_line_too_long_detected_early);
  g_test_add_func ("/reader/literal/boundaries", test_literal_boundaries);
  g_test_add_func ("/reader/literal/one-byte-at-a-time", test_one_byte_at_a_time);
  g_test_add_func ("/reader/literal/too-large", test_literal_too_large);
  g_test_add_func ("/reader/literal/sink-error", test_literal_sink_error);
  g_test_add_func ("/reader/properties", test_properties);
  g_test_add_func ("/reader/progress-func-destroy", test_progress_func_destroy);
  g_test_add_func ("/reader/replace-stream", test_replace_stream);
  g_test_add_func ("/reader/replace-stream-after-too-long", test_replace_stream_after_too_long);
  g_test_add_func ("/reader/cancel/pending", test_cancel_pending);
  g_test_add_func ("/reader/cancel/blocking", test_cancel_blocking);
  g_test_add_func ("/reader/concurrent", test_concurrent);
  g_test_add_func ("/reader/stream-error", test_stream_error);

  return g_test_run ();
}
