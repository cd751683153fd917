/* missive-reader.c: the buffered line and literal reader shared by all protocols
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-reader-private.h"

/**
 * MissiveReader:
 *
 * Reads a mail protocol's server side: lines, and the counted blocks of
 * data that IMAP calls literals (also used for any "N bytes follow"
 * payload). Every protocol plugin reads through one reader per connection,
 * obtained with `missive_service_get_reader()`.
 *
 * The reader owns one buffer. It starts at 16 KiB and only grows when a
 * line does not fit, never beyond `MissiveReader:max-line-length` plus
 * two bytes for the line end. Each read asks the stream for as much as
 * fits in the free part of the buffer, so many lines usually arrive with
 * one read.
 *
 * `missive_reader_read_line()` returns a pointer into that buffer: the line
 * without its end ("\r\n", or a bare "\n"), NUL-terminated. A CR that is
 * not followed by LF stays part of the line. The pointer is valid until
 * the next call on the reader; copy the line if you need it longer.
 *
 * `missive_reader_read_literal()` passes a literal of a known size on to a
 * #GOutputStream (or discards it) without ever holding it in memory as a
 * whole: first what is already buffered, then in chunks of up to 64 KiB
 * read straight from the stream. `missive_reader_read_bytes()` collects a
 * small literal into a #GBytes.
 *
 * Limits: a line longer than `MissiveReader:max-line-length` fails with
 * %MISSIVE_ERROR_LINE_TOO_LONG as soon as more than that many bytes have
 * arrived without a line end, so a hostile server cannot make the reader
 * buffer without bound. The reader cannot find the next line after that:
 * every later read fails with the same error until
 * `missive_reader_replace_stream()`, and the service disconnects. A literal
 * larger than `MissiveReader:max-literal-size` fails with
 * %MISSIVE_ERROR_LITERAL_TOO_LARGE before any byte of it is read.
 *
 * Errors: the end of the stream where more data was due is
 * %MISSIVE_ERROR_CONNECTION_LOST; other errors of the stream are translated
 * with `missive_error_from_io_error()` (so cancellation stays
 * %G_IO_ERROR_CANCELLED); errors of a literal's sink are passed on
 * unchanged. After an error or a cancellation the position in the protocol
 * is unknown, and the connection should be closed.
 *
 * Only one operation runs at a time: a read started while another one is
 * still pending (until its callback has run) fails with
 * %G_IO_ERROR_PENDING. A reader is not thread-safe; use it from one thread.
 *
 * Each operation has a blocking form, which reads the stream directly and
 * shares all its logic with the asynchronous one.
 *
 * Since: 1.0
 */

/* The line buffer's first size, and the most it grows to when the line
 * limit is below that. */
#define READER_INITIAL_SIZE (16 * 1024)
/* The biggest single read of a literal that bypasses the line buffer. */
#define READER_CHUNK_SIZE (64 * 1024)
/* The most missive_reader_read_bytes() collects in memory. */
#define READER_MAX_BYTES (64 * 1024 * 1024)

struct _MissiveReader
{
  GObject parent_instance;

  GInputStream *stream;

  /* buf[start, end) holds bytes read from the stream and not consumed yet;
   * the first @scanned of them are known to contain no '\n'. */
  guint8 *buf;
  gsize alloc;
  gsize start;
  gsize end;
  gsize scanned;

  /* READER_CHUNK_SIZE bytes for direct literal reads, allocated on first
   * use and kept. */
  guint8 *chunk;

  gsize max_line;
  guint64 max_literal;
  guint64 bytes_read;

  MissiveReaderProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;

  /* Set once a line was too long; every read fails with it until the
   * stream is replaced. */
  GError *fatal;

  /* One operation at a time: set from the start of an operation until its
   * callback has run. */
  gboolean busy;
  GAsyncReadyCallback op_callback;
  gpointer op_user_data;

  /* The length of the line a finished read_line_async() returns. */
  gsize line_length;
};

enum {
  PROP_0,
  PROP_STREAM,
  PROP_MAX_LINE_LENGTH,
  PROP_MAX_LITERAL_SIZE,
  PROP_BYTES_READ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveReader, missive_reader, G_TYPE_OBJECT)

static void
missive_reader_dispose (GObject *object)
{
  MissiveReader *self = MISSIVE_READER (object);

  g_clear_object (&self->stream);

  G_OBJECT_CLASS (missive_reader_parent_class)->dispose (object);
}

static void
missive_reader_finalize (GObject *object)
{
  MissiveReader *self = MISSIVE_READER (object);

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_clear_error (&self->fatal);
  g_free (self->buf);
  g_free (self->chunk);

  G_OBJECT_CLASS (missive_reader_parent_class)->finalize (object);
}

static void
missive_reader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MissiveReader *self = MISSIVE_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_MAX_LINE_LENGTH:
      g_value_set_uint64 (value, self->max_line);
      break;
    case PROP_MAX_LITERAL_SIZE:
      g_value_set_uint64 (value, self->max_literal);
      break;
    case PROP_BYTES_READ:
      g_value_set_uint64 (value, self->bytes_read);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_reader_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MissiveReader *self = MISSIVE_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case PROP_MAX_LINE_LENGTH:
      missive_reader_set_max_line_length (self, (gsize) g_value_get_uint64 (value));
      break;
    case PROP_MAX_LITERAL_SIZE:
      missive_reader_set_max_literal_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_reader_class_init (MissiveReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_reader_dispose;
  object_class->finalize = missive_reader_finalize;
  object_class->get_property = missive_reader_get_property;
  object_class->set_property = missive_reader_set_property;

  /**
   * MissiveReader:stream:
   *
   * The stream the reader reads from. It is set at construction and
   * changes only with `missive_reader_replace_stream()`.
   *
   * Since: 1.0
   */
  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL,
                         G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveReader:max-line-length:
   *
   * The longest line accepted, in bytes, without the line end. A longer
   * line fails with %MISSIVE_ERROR_LINE_TOO_LONG. The line buffer grows up
   * to this size plus two bytes.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_LINE_LENGTH] =
    g_param_spec_uint64 ("max-line-length", NULL, NULL,
                         1, G_MAXSSIZE - 2, MISSIVE_READER_DEFAULT_MAX_LINE,
                         G_PARAM_READWRITE |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveReader:max-literal-size:
   *
   * The largest literal accepted, in bytes. A bigger one fails with
   * %MISSIVE_ERROR_LITERAL_TOO_LARGE before any of it is read.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_LITERAL_SIZE] =
    g_param_spec_uint64 ("max-literal-size", NULL, NULL,
                         0, G_MAXUINT64, MISSIVE_READER_DEFAULT_MAX_LITERAL,
                         G_PARAM_READWRITE |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveReader:bytes-read:
   *
   * How many bytes the reader has taken from its streams so far, buffered
   * or not, including those dropped by `missive_reader_replace_stream()`.
   *
   * The counter changes with every read and, to keep reading cheap, does
   * not emit #GObject::notify.
   *
   * Since: 1.0
   */
  properties[PROP_BYTES_READ] =
    g_param_spec_uint64 ("bytes-read", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_reader_init (MissiveReader *self)
{
  self->alloc = READER_INITIAL_SIZE;
  self->buf = g_malloc (self->alloc);
  self->max_line = MISSIVE_READER_DEFAULT_MAX_LINE;
  self->max_literal = MISSIVE_READER_DEFAULT_MAX_LITERAL;
}

/* ---- shared steps of every operation ------------------------------------ */

/* Checks that an operation may start now. */
static gboolean
reader_can_start (MissiveReader  *self,
                  GError        **error)
{
  if (self->busy)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           "The reader already has an operation pending");
      return FALSE;
    }
  if (self->fatal != NULL)
    {
      g_propagate_error (error, g_error_copy (self->fatal));
      return FALSE;
    }
  return TRUE;
}

/* Translates (and frees) an error of the stream. */
static GError *
reader_map_error (GError *stream_error)
{
  GError *error = missive_error_from_io_error (stream_error);

  g_error_free (stream_error);
  return error;
}

static void
reader_line_eof_error (MissiveReader  *self,
                       GError        **error)
{
  if (self->start == self->end)
    g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                         "connection closed by server");
  else
    g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                         "connection closed in the middle of a line");
}

typedef enum {
  SCAN_LINE,
  SCAN_MORE,
  SCAN_ERROR,
} ScanResult;

/* Looks for a complete line in the buffer. On SCAN_LINE, consumes it and
 * returns it NUL-terminated in place of its line end. On SCAN_ERROR the
 * line was too long and the reader is now unusable. */
static ScanResult
reader_scan_line (MissiveReader  *self,
                  const char    **line,
                  gsize          *length,
                  GError        **error)
{
  guint8 *data = self->buf + self->start;
  gsize available = self->end - self->start;
  guint8 *newline;
  gsize line_length;

  newline = memchr (data + self->scanned, '\n', available - self->scanned);
  if (newline != NULL)
    {
      gsize consumed = newline - data + 1;

      line_length = consumed - 1;
      if (line_length > 0 && data[line_length - 1] == '\r')
        line_length--;
      if (line_length <= self->max_line)
        {
          data[line_length] = '\0';
          self->start += consumed;
          self->scanned = 0;
          *line = (const char *) data;
          *length = line_length;
          return SCAN_LINE;
        }
    }
  else
    {
      self->scanned = available;
      /* Still acceptable: max_line bytes plus the CR of a CRLF to come. */
      if (available <= self->max_line ||
          (available == self->max_line + 1 && data[available - 1] == '\r'))
        return SCAN_MORE;
      line_length = available;
    }

  self->fatal = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG,
                             "The server sent a line longer than %" G_GSIZE_FORMAT " bytes",
                             self->max_line);
  self->start = self->end = self->scanned = 0;
  g_propagate_error (error, g_error_copy (self->fatal));
  return SCAN_ERROR;
}

/* Makes room at the end of the buffer for the next read and returns how
 * much there is. Called only when the buffer holds no complete line and
 * less than a full line's worth of data, so growing never passes the
 * limit. */
static gsize
reader_prepare_fill (MissiveReader *self)
{
  if (self->start == self->end)
    {
      self->start = self->end = self->scanned = 0;
    }
  else if (self->start > 0)
    {
      memmove (self->buf, self->buf + self->start, self->end - self->start);
      self->end -= self->start;
      self->start = 0;
    }

  if (self->end == self->alloc)
    {
      gsize limit = MAX (READER_INITIAL_SIZE, self->max_line + 2);
      gsize new_alloc = self->alloc <= limit / 2 ? self->alloc * 2 : limit;

      g_assert (new_alloc > self->alloc);
      self->buf = g_realloc (self->buf, new_alloc);
      self->alloc = new_alloc;
    }

  return self->alloc - self->end;
}

/* Accounts for @count bytes just read into the free end of the buffer. */
static void
reader_filled (MissiveReader *self,
               gsize          count)
{
  self->end += count;
  self->bytes_read += count;
}

/* ---- asynchronous plumbing ---------------------------------------------- */

/* Every task's own callback: ends the operation, then calls the caller's
 * callback, so the buffer stays untouched until the caller has seen the
 * result. */
static void
reader_task_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  MissiveReader *self = MISSIVE_READER (source);
  GAsyncReadyCallback callback = self->op_callback;
  gpointer user_data = self->op_user_data;

  self->op_callback = NULL;
  self->op_user_data = NULL;
  self->busy = FALSE;

  if (callback != NULL)
    callback (source, result, user_data);
}

/* Starts an operation, or reports why it cannot start and returns NULL.
 * The caller sets the task's source tag. */
static GTask *
reader_task_new (MissiveReader       *self,
                 gpointer             source_tag,
                 int                  io_priority,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GError *error = NULL;
  GTask *task;

  if (!reader_can_start (self, &error))
    {
      g_task_report_error (self, callback, user_data, source_tag, error);
      return NULL;
    }

  task = g_task_new (self, cancellable, reader_task_ready, NULL);
  g_task_set_priority (task, io_priority);
  self->busy = TRUE;
  self->op_callback = callback;
  self->op_user_data = user_data;
  return task;
}

/* ---- lines --------------------------------------------------------------- */

static void reader_line_step (GTask *task);

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveReader *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize count;

  count = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (count < 0)
    {
      g_task_return_error (task, reader_map_error (error));
      return;
    }
  if (count == 0)
    {
      reader_line_eof_error (self, &error);
      g_task_return_error (task, error);
      return;
    }

  reader_filled (self, count);
  reader_line_step (g_steal_pointer (&task));
}

/* Takes over @task. */
static void
reader_line_step (GTask *task)
{
  MissiveReader *self = g_task_get_source_object (task);
  GError *error = NULL;
  const char *line;
  gsize length;
  gsize room;

  switch (reader_scan_line (self, &line, &length, &error))
    {
    case SCAN_LINE:
      self->line_length = length;
      g_task_return_pointer (task, (gpointer) line, NULL);
      g_object_unref (task);
      return;
    case SCAN_ERROR:
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    case SCAN_MORE:
    default:
      break;
    }

  room = reader_prepare_fill (self);
  g_input_stream_read_async (self->stream, self->buf + self->end, room,
                             g_task_get_priority (task),
                             g_task_get_cancellable (task),
                             on_line_read, task);
}

/**
 * missive_reader_read_line_async:
 * @self: a reader
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the line is read
 * @user_data: data for @callback
 *
 * Reads the next line. See `missive_reader_read_line()` for the details;
 * finish with `missive_reader_read_line_finish()`.
 *
 * Since: 1.0
 */
void
missive_reader_read_line_async (MissiveReader       *self,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MISSIVE_IS_READER (self));
  g_return_if_fail (self->stream != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = reader_task_new (self, missive_reader_read_line_async, io_priority,
                          cancellable, callback, user_data);
  if (task == NULL)
    return;
  g_task_set_source_tag (task, missive_reader_read_line_async);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  reader_line_step (task);
}

/**
 * missive_reader_read_line_finish:
 * @self: a reader
 * @result: the #GAsyncResult passed to the callback
 * @length: (out) (optional): the length of the line, without its end
 * @error: return location for a #GError
 *
 * Finishes `missive_reader_read_line_async()`.
 *
 * Returns: (transfer none) (nullable): the line, NUL-terminated, without
 *   its end; valid until the next call on @self. %NULL on error.
 *
 * Since: 1.0
 */
const char *
missive_reader_read_line_finish (MissiveReader  *self,
                                 GAsyncResult   *result,
                                 gsize          *length,
                                 GError        **error)
{
  const char *line;

  g_return_val_if_fail (MISSIVE_IS_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == missive_reader_read_line_async, NULL);

  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line != NULL ? self->line_length : 0;
  return line;
}

/**
 * missive_reader_read_line:
 * @self: a reader
 * @length: (out) (optional): the length of the line, without its end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the next line, blocking. The line end is "\r\n" or a bare "\n"; it
 * is not part of the result, and does not count towards @length. A CR not
 * followed by LF stays in the line, and so does a NUL byte: use @length
 * rather than strlen() if that matters.
 *
 * Fails with %MISSIVE_ERROR_LINE_TOO_LONG when the line is longer than
 * `MissiveReader:max-line-length` (the reader is unusable after that),
 * and with %MISSIVE_ERROR_CONNECTION_LOST when the stream ends first:
 * "connection closed by server" if nothing of the line had arrived,
 * "connection closed in the middle of a line" otherwise.
 *
 * When the buffer already holds a complete line, this returns it without
 * touching the stream.
 *
 * Returns: (transfer none) (nullable): the line, NUL-terminated, without
 *   its end; valid until the next call on @self. %NULL on error.
 *
 * Since: 1.0
 */
const char *
missive_reader_read_line (MissiveReader  *self,
                          gsize          *length,
                          GCancellable   *cancellable,
                          GError        **error)
{
  const char *line = NULL;
  gsize line_length = 0;

  g_return_val_if_fail (MISSIVE_IS_READER (self), NULL);
  g_return_val_if_fail (self->stream != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length != NULL)
    *length = 0;
  if (!reader_can_start (self, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self->busy = TRUE;
  for (;;)
    {
      GError *local_error = NULL;
      gssize count;
      gsize room;

      if (reader_scan_line (self, &line, &line_length, error) != SCAN_MORE)
        break;

      room = reader_prepare_fill (self);
      count = g_input_stream_read (self->stream, self->buf + self->end, room,
                                   cancellable, &local_error);
      if (count < 0)
        {
          g_propagate_error (error, reader_map_error (local_error));
          break;
        }
      if (count == 0)
        {
          reader_line_eof_error (self, error);
          break;
        }
      reader_filled (self, count);
    }
  self->busy = FALSE;

  if (length != NULL)
    *length = line != NULL ? line_length : 0;
  return line;
}

/**
 * missive_reader_try_read_line:
 * @self: a reader
 * @length: (out) (optional): return location for the line's length
 * @error: return location for a #GError
 *
 * Returns the next line if the buffer already holds all of it, without
 * touching the stream. An asynchronous consumer calls this first and falls
 * back to `missive_reader_read_line_async()` only when it returns %NULL
 * without an error: when a server sends many lines at once (an IMAP FETCH
 * response, a POP3 listing) most of them then cost no main-loop round trip.
 *
 * Fails like `missive_reader_read_line()` for a line over the limit, a reader
 * made unusable by an earlier error, or an operation still pending.
 *
 * Returns: (transfer none) (nullable): the line, NUL-terminated, without its
 *   end, valid until the next call on @self; %NULL when no complete line is
 *   buffered (then @error is not set) or on error
 *
 * Since: 1.0
 */
const char *
missive_reader_try_read_line (MissiveReader  *self,
                              gsize          *length,
                              GError        **error)
{
  const char *line = NULL;
  gsize line_length = 0;

  g_return_val_if_fail (MISSIVE_IS_READER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length != NULL)
    *length = 0;
  if (!reader_can_start (self, error) ||
      reader_scan_line (self, &line, &line_length, error) != SCAN_LINE)
    return NULL;

  if (length != NULL)
    *length = line_length;
  return line;
}

/* ---- literals ------------------------------------------------------------ */

typedef enum {
  LITERAL_DONE,
  LITERAL_DELIVER,
  LITERAL_READ,
} LiteralAction;

/* The state of one read_literal() or read_bytes(). The bytes go to @sink,
 * or into @mem (read_bytes), or nowhere. */
typedef struct {
  guint64 size;
  guint64 done;
  GOutputStream *sink;
  gboolean to_memory;
  guint8 *mem;
  gsize mem_alloc;
  gboolean report_progress;

  /* Bytes in the chunk buffer not yet delivered. */
  gsize chunk_pending;

  /* The step in progress: LITERAL_DELIVER hands @data over... */
  const guint8 *data;
  gsize length;
  gboolean from_chunk;
  /* ...LITERAL_READ reads up to @count bytes into @dest. */
  guint8 *dest;
  gsize count;
  gboolean into_chunk;
} LiteralOp;

static void
literal_op_free (LiteralOp *op)
{
  g_clear_object (&op->sink);
  g_free (op->mem);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiteralOp, literal_op_free)

static gboolean
reader_check_literal_size (MissiveReader  *self,
                           guint64         size,
                           gboolean        to_memory,
                           GError        **error)
{
  if (size > self->max_literal)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LITERAL_TOO_LARGE,
                   "The server announced %" G_GUINT64_FORMAT " bytes, more than "
                   "the limit of %" G_GUINT64_FORMAT,
                   size, self->max_literal);
      return FALSE;
    }
  if (to_memory && size > READER_MAX_BYTES)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LITERAL_TOO_LARGE,
                   "The server announced %" G_GUINT64_FORMAT " bytes, more than "
                   "%d can be held in memory",
                   size, READER_MAX_BYTES);
      return FALSE;
    }
  return TRUE;
}

static LiteralOp *
literal_op_new (guint64        size,
                GOutputStream *sink,
                gboolean       to_memory)
{
  LiteralOp *op = g_new0 (LiteralOp, 1);

  op->size = size;
  op->sink = sink != NULL ? g_object_ref (sink) : NULL;
  op->to_memory = to_memory;
  op->report_progress = !to_memory;
  return op;
}

static void
literal_eof_error (LiteralOp  *op,
                   GError    **error)
{
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
               "connection closed in the middle of a literal "
               "(%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes)",
               op->done, op->size);
}

/* Decides the next step: hand over bytes that are at hand (left in the
 * chunk buffer, or buffered), or read more. A short rest is read into the
 * line buffer, so that what follows the literal is buffered with it; a
 * long one in big chunks that bypass the line buffer. */
static LiteralAction
literal_plan (MissiveReader *self,
              LiteralOp     *op)
{
  guint64 remaining = op->size - op->done;

  if (remaining == 0)
    return LITERAL_DONE;

  if (op->chunk_pending > 0)
    {
      op->data = self->chunk;
      op->length = op->chunk_pending;
      op->from_chunk = TRUE;
      return LITERAL_DELIVER;
    }

  if (self->end > self->start)
    {
      op->data = self->buf + self->start;
      op->length = (gsize) MIN (remaining, (guint64) (self->end - self->start));
      op->from_chunk = FALSE;
      return LITERAL_DELIVER;
    }

  self->start = self->end = self->scanned = 0;
  if (remaining < self->alloc)
    {
      op->dest = self->buf;
      op->count = self->alloc;
      op->into_chunk = FALSE;
    }
  else
    {
      if (self->chunk == NULL)
        self->chunk = g_malloc (READER_CHUNK_SIZE);
      op->dest = self->chunk;
      op->count = (gsize) MIN (remaining, (guint64) READER_CHUNK_SIZE);
      op->into_chunk = TRUE;
    }
  return LITERAL_READ;
}

/* Accounts for @count bytes read by a LITERAL_READ step. */
static void
literal_received (MissiveReader *self,
                  LiteralOp     *op,
                  gsize          count)
{
  if (op->into_chunk)
    {
      op->chunk_pending = count;
      self->bytes_read += count;
    }
  else
    {
      reader_filled (self, count);
    }
}

/* Completes a LITERAL_DELIVER step, once the sink (if any) has the bytes. */
static void
literal_delivered (MissiveReader *self,
                   LiteralOp     *op)
{
  if (op->to_memory)
    {
      gsize needed = (gsize) op->done + op->length;

      if (needed > op->mem_alloc)
        {
          gsize new_alloc = MAX (op->mem_alloc, (gsize) 4096);

          while (new_alloc < needed)
            new_alloc *= 2;
          new_alloc = MIN (new_alloc, (gsize) op->size);
          op->mem = g_realloc (op->mem, new_alloc);
          op->mem_alloc = new_alloc;
        }
      memcpy (op->mem + op->done, op->data, op->length);
    }

  if (op->from_chunk)
    op->chunk_pending = 0;
  else
    {
      self->start += op->length;
      self->scanned = 0;
    }
  op->done += op->length;

  if (op->report_progress && self->progress_func != NULL)
    self->progress_func (self, op->done, op->size, self->progress_data);
}

/* Turns the finished memory target into a #GBytes. */
static GBytes *
literal_take_bytes (LiteralOp *op)
{
  gsize size = (gsize) op->size;

  if (size == 0)
    return g_bytes_new (NULL, 0);
  if (op->mem_alloc > size)
    op->mem = g_realloc (op->mem, size);
  op->mem_alloc = 0;
  return g_bytes_new_take (g_steal_pointer (&op->mem), size);
}

/* Runs a literal operation to its end with blocking I/O. */
static gboolean
literal_run_sync (MissiveReader  *self,
                  LiteralOp      *op,
                  GCancellable   *cancellable,
                  GError        **error)
{
  for (;;)
    {
      GError *local_error = NULL;
      gssize count;

      switch (literal_plan (self, op))
        {
        case LITERAL_DONE:
          return TRUE;

        case LITERAL_DELIVER:
          if (op->sink != NULL &&
              !g_output_stream_write_all (op->sink, op->data, op->length,
                                          NULL, cancellable, error))
            return FALSE;
          literal_delivered (self, op);
          break;

        case LITERAL_READ:
        default:
          count = g_input_stream_read (self->stream, op->dest, op->count,
                                       cancellable, &local_error);
          if (count < 0)
            {
              g_propagate_error (error, reader_map_error (local_error));
              return FALSE;
            }
          if (count == 0)
            {
              literal_eof_error (op, error);
              return FALSE;
            }
          literal_received (self, op, count);
          break;
        }
    }
}

static void literal_step (GTask *task);

static void
on_literal_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveReader *self = g_task_get_source_object (task);
  LiteralOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  gssize count;

  count = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (count < 0)
    {
      g_task_return_error (task, reader_map_error (error));
      return;
    }
  if (count == 0)
    {
      literal_eof_error (op, &error);
      g_task_return_error (task, error);
      return;
    }

  literal_received (self, op, count);
  literal_step (g_steal_pointer (&task));
}

static void
on_literal_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveReader *self = g_task_get_source_object (task);
  LiteralOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  literal_delivered (self, op);
  literal_step (g_steal_pointer (&task));
}

/* Takes over @task; the asynchronous twin of literal_run_sync(). */
static void
literal_step (GTask *task)
{
  MissiveReader *self = g_task_get_source_object (task);
  LiteralOp *op = g_task_get_task_data (task);

  for (;;)
    {
      switch (literal_plan (self, op))
        {
        case LITERAL_DONE:
          if (op->to_memory)
            g_task_return_pointer (task, literal_take_bytes (op),
                                   (GDestroyNotify) g_bytes_unref);
          else
            g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;

        case LITERAL_DELIVER:
          if (op->sink != NULL)
            {
              g_output_stream_write_all_async (op->sink, op->data, op->length,
                                               g_task_get_priority (task),
                                               g_task_get_cancellable (task),
                                               on_literal_written, task);
              return;
            }
          literal_delivered (self, op);
          break;

        case LITERAL_READ:
        default:
          g_input_stream_read_async (self->stream, op->dest, op->count,
                                     g_task_get_priority (task),
                                     g_task_get_cancellable (task),
                                     on_literal_read, task);
          return;
        }
    }
}

/* Starts read_literal_async() or read_bytes_async(). */
static void
reader_literal_start (MissiveReader       *self,
                      gpointer             source_tag,
                      guint64              size,
                      GOutputStream       *sink,
                      gboolean             to_memory,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GError *error = NULL;
  GTask *task;

  if (!reader_check_literal_size (self, size, to_memory, &error))
    {
      g_task_report_error (self, callback, user_data, source_tag, error);
      return;
    }

  task = reader_task_new (self, source_tag, io_priority, cancellable,
                          callback, user_data);
  if (task == NULL)
    return;
  (g_task_set_source_tag) (task, source_tag);
  g_task_set_name (task, to_memory ? "missive_reader_read_bytes_async"
                                   : "missive_reader_read_literal_async");
  g_task_set_task_data (task, literal_op_new (size, sink, to_memory),
                        (GDestroyNotify) literal_op_free);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  literal_step (task);
}

/**
 * missive_reader_read_literal_async:
 * @self: a reader
 * @size: the size of the literal, in bytes
 * @sink: (nullable): where the bytes go, or %NULL to discard them
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the literal has been read
 * @user_data: data for @callback
 *
 * Reads the next @size bytes and writes them to @sink. See
 * `missive_reader_read_literal()` for the details; finish with
 * `missive_reader_read_literal_finish()`.
 *
 * Since: 1.0
 */
void
missive_reader_read_literal_async (MissiveReader       *self,
                                   guint64              size,
                                   GOutputStream       *sink,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (MISSIVE_IS_READER (self));
  g_return_if_fail (self->stream != NULL);
  g_return_if_fail (sink == NULL || G_IS_OUTPUT_STREAM (sink));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  reader_literal_start (self, missive_reader_read_literal_async, size, sink,
                        FALSE, io_priority, cancellable, callback, user_data);
}

/**
 * missive_reader_read_literal_finish:
 * @self: a reader
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes `missive_reader_read_literal_async()`.
 *
 * Returns: %TRUE when the whole literal was delivered
 *
 * Since: 1.0
 */
gboolean
missive_reader_read_literal_finish (MissiveReader  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == missive_reader_read_literal_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * missive_reader_read_literal:
 * @self: a reader
 * @size: the size of the literal, in bytes
 * @sink: (nullable): where the bytes go, or %NULL to discard them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the next @size bytes, blocking, and writes them to @sink (or
 * drops them). The literal is never held in memory as a whole: first the
 * bytes already buffered are written, then the rest is read straight from
 * the stream in chunks of up to 64 KiB. The progress function set with
 * `missive_reader_set_progress_func()` is called after each piece has been
 * written; the last call has @done equal to @size (there is no call for an
 * empty literal).
 *
 * A @size above `MissiveReader:max-literal-size` fails with
 * %MISSIVE_ERROR_LITERAL_TOO_LARGE before anything is read. If the stream
 * ends first, this fails with %MISSIVE_ERROR_CONNECTION_LOST ("connection
 * closed in the middle of a literal (N of M bytes)"). Errors from @sink are
 * returned unchanged; the rest of the literal is then still unread.
 *
 * Returns: %TRUE when the whole literal was delivered
 *
 * Since: 1.0
 */
gboolean
missive_reader_read_literal (MissiveReader  *self,
                             guint64         size,
                             GOutputStream  *sink,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(LiteralOp) op = NULL;
  gboolean ok;

  g_return_val_if_fail (MISSIVE_IS_READER (self), FALSE);
  g_return_val_if_fail (self->stream != NULL, FALSE);
  g_return_val_if_fail (sink == NULL || G_IS_OUTPUT_STREAM (sink), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!reader_check_literal_size (self, size, FALSE, error) ||
      !reader_can_start (self, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  op = literal_op_new (size, sink, FALSE);
  self->busy = TRUE;
  ok = literal_run_sync (self, op, cancellable, error);
  self->busy = FALSE;
  return ok;
}

/**
 * missive_reader_read_bytes_async:
 * @self: a reader
 * @size: how many bytes to read
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the bytes have been read
 * @user_data: data for @callback
 *
 * Reads the next @size bytes into memory. See `missive_reader_read_bytes()`
 * for the details; finish with `missive_reader_read_bytes_finish()`.
 *
 * Since: 1.0
 */
void
missive_reader_read_bytes_async (MissiveReader       *self,
                                 gsize                size,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (MISSIVE_IS_READER (self));
  g_return_if_fail (self->stream != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  reader_literal_start (self, missive_reader_read_bytes_async, size, NULL,
                        TRUE, io_priority, cancellable, callback, user_data);
}

/**
 * missive_reader_read_bytes_finish:
 * @self: a reader
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes `missive_reader_read_bytes_async()`.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL on error
 *
 * Since: 1.0
 */
GBytes *
missive_reader_read_bytes_finish (MissiveReader  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == missive_reader_read_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * missive_reader_read_bytes:
 * @self: a reader
 * @size: how many bytes to read
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the next @size bytes, blocking, into memory: for small literals
 * that the protocol needs whole (an IMAP string, a header field). Use
 * `missive_reader_read_literal()` for message bodies.
 *
 * Besides `MissiveReader:max-literal-size`, the size is capped at 64 MiB:
 * a larger @size fails with %MISSIVE_ERROR_LITERAL_TOO_LARGE before
 * anything is read. The memory grows with the bytes that actually arrive,
 * not with the announced size. The progress function is not called.
 * Errors are as for `missive_reader_read_literal()`.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL on error
 *
 * Since: 1.0
 */
GBytes *
missive_reader_read_bytes (MissiveReader  *self,
                           gsize           size,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(LiteralOp) op = NULL;
  gboolean ok;

  g_return_val_if_fail (MISSIVE_IS_READER (self), NULL);
  g_return_val_if_fail (self->stream != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reader_check_literal_size (self, size, TRUE, error) ||
      !reader_can_start (self, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  op = literal_op_new (size, NULL, TRUE);
  self->busy = TRUE;
  ok = literal_run_sync (self, op, cancellable, error);
  self->busy = FALSE;
  return ok ? literal_take_bytes (op) : NULL;
}

/* ---- everything else ----------------------------------------------------- */

/**
 * missive_reader_new:
 * @stream: the stream to read from
 *
 * Creates a reader on @stream, with the default limits
 * (%MISSIVE_READER_DEFAULT_MAX_LINE and %MISSIVE_READER_DEFAULT_MAX_LITERAL).
 * The reader keeps a reference on @stream and must be the only one to read
 * from it.
 *
 * Returns: (transfer full): a new reader
 *
 * Since: 1.0
 */
MissiveReader *
missive_reader_new (GInputStream *stream)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (MISSIVE_TYPE_READER, "stream", stream, NULL);
}

/**
 * missive_reader_get_stream:
 * @self: a reader
 *
 * Gets the stream the reader reads from.
 *
 * Returns: (transfer none): the stream
 *
 * Since: 1.0
 */
GInputStream *
missive_reader_get_stream (MissiveReader *self)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), NULL);

  return self->stream;
}

/**
 * missive_reader_replace_stream:
 * @self: a reader
 * @stream: the stream to read from from now on
 *
 * Switches the reader to another stream, for STARTTLS: after the server's
 * go-ahead, the service wraps the connection in TLS and continues reading
 * from the TLS stream. Whatever is still buffered was sent in clear text
 * before the handshake, so it is dropped, never read as if it had been
 * protected; a server that sends data after the go-ahead is misbehaving
 * (or someone injected it), and the service should warn about it.
 *
 * This also makes a reader usable again after
 * %MISSIVE_ERROR_LINE_TOO_LONG. It must not be called while an operation
 * is pending.
 *
 * Returns: how many buffered bytes were dropped
 *
 * Since: 1.0
 */
gsize
missive_reader_replace_stream (MissiveReader *self,
                               GInputStream  *stream)
{
  gsize discarded;

  g_return_val_if_fail (MISSIVE_IS_READER (self), 0);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), 0);
  g_return_val_if_fail (!self->busy, 0);

  discarded = self->end - self->start;
  self->start = self->end = self->scanned = 0;
  g_clear_error (&self->fatal);

  if (g_set_object (&self->stream, stream))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAM]);

  return discarded;
}

/**
 * missive_reader_get_buffered:
 * @self: a reader
 *
 * Gets how many bytes the reader has read from the stream but not handed
 * out yet.
 *
 * Returns: the number of buffered bytes
 *
 * Since: 1.0
 */
gsize
missive_reader_get_buffered (MissiveReader *self)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), 0);

  return self->end - self->start;
}

/**
 * missive_reader_get_max_line_length:
 * @self: a reader
 *
 * Gets `MissiveReader:max-line-length`.
 *
 * Returns: the longest line accepted, in bytes
 *
 * Since: 1.0
 */
gsize
missive_reader_get_max_line_length (MissiveReader *self)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), 0);

  return self->max_line;
}

/**
 * missive_reader_set_max_line_length:
 * @self: a reader
 * @max_length: the longest line to accept, in bytes, at least 1
 *
 * Sets `MissiveReader:max-line-length`. The new limit applies from the
 * next read on; the buffer does not shrink.
 *
 * Since: 1.0
 */
void
missive_reader_set_max_line_length (MissiveReader *self,
                                    gsize          max_length)
{
  g_return_if_fail (MISSIVE_IS_READER (self));
  g_return_if_fail (max_length > 0 && max_length <= G_MAXSSIZE - 2);

  if (self->max_line == max_length)
    return;
  self->max_line = max_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LINE_LENGTH]);
}

/**
 * missive_reader_get_max_literal_size:
 * @self: a reader
 *
 * Gets `MissiveReader:max-literal-size`.
 *
 * Returns: the largest literal accepted, in bytes
 *
 * Since: 1.0
 */
guint64
missive_reader_get_max_literal_size (MissiveReader *self)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), 0);

  return self->max_literal;
}

/**
 * missive_reader_set_max_literal_size:
 * @self: a reader
 * @max_size: the largest literal to accept, in bytes
 *
 * Sets `MissiveReader:max-literal-size`.
 *
 * Since: 1.0
 */
void
missive_reader_set_max_literal_size (MissiveReader *self,
                                     guint64        max_size)
{
  g_return_if_fail (MISSIVE_IS_READER (self));

  if (self->max_literal == max_size)
    return;
  self->max_literal = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LITERAL_SIZE]);
}

/**
 * missive_reader_get_bytes_read:
 * @self: a reader
 *
 * Gets `MissiveReader:bytes-read`.
 *
 * Returns: how many bytes the reader has taken from its streams
 *
 * Since: 1.0
 */
guint64
missive_reader_get_bytes_read (MissiveReader *self)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), 0);

  return self->bytes_read;
}

/**
 * missive_reader_set_progress_func:
 * @self: a reader
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   called as literals stream through `missive_reader_read_literal()`, or
 *   %NULL
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the function that watches literals: it is called after each piece
 * of a literal has been delivered, at most once per read, with the bytes
 * done so far and the literal's size. The service turns these calls into
 * its `transfer-progress` signal. A previous function's @destroy is called.
 *
 * Since: 1.0
 */
void
missive_reader_set_progress_func (MissiveReader             *self,
                                  MissiveReaderProgressFunc  func,
                                  gpointer                   user_data,
                                  GDestroyNotify             destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (MISSIVE_IS_READER (self));

  old_destroy = self->progress_destroy;
  old_data = self->progress_data;

  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/* Test-visible: see missive-reader-private.h. */
gsize
missive_reader_get_buffer_capacity (MissiveReader *self)
{
  g_return_val_if_fail (MISSIVE_IS_READER (self), 0);

  return self->alloc;
}
