/* missive-throttled-stream.c: a GIOStream with a bandwidth limit
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-throttled-stream-private.h"

/*
 * MissiveThrottledStream:
 *
 * Wraps a GIOStream and lets at most a given number of bytes per second
 * through in each direction (a token bucket per direction, one second of
 * burst). MissiveSocketTransport puts it between the socket and the TLS
 * layer when its rate-limit property is set, so the limit applies to the
 * bytes on the wire.
 *
 * Both directions are pollable when the base stream is. An operation that
 * is over budget returns G_IO_ERROR_WOULD_BLOCK in non-blocking mode, and
 * its pollable source is a timeout that fires when the budget allows
 * again; GIO's asynchronous read and write are built on that, so waiting
 * never blocks a main loop. Only the blocking read and write (called from
 * a worker thread, e.g. by the TLS backend's handshake) wait in place, on
 * the cancellable's file descriptor.
 *
 * Closing the stream closes the base stream.
 */

/* ---- the token bucket ---------------------------------------------------- */

typedef struct
{
  GMutex mutex;
  guint64 rate;       /* bytes per second; 0: unlimited */
  double tokens;      /* bytes that may pass now; may go below 0 */
  gint64 last;        /* monotonic time of the last refill */
  MissiveThrottleStats stats;
} Bucket;

static Bucket *
bucket_new (guint64 rate)
{
  Bucket *bucket = g_atomic_rc_box_new0 (Bucket);

  g_mutex_init (&bucket->mutex);
  bucket->rate = rate;
  bucket->tokens = (double) rate;
  bucket->last = g_get_monotonic_time ();
  return bucket;
}

static void
bucket_clear (gpointer data)
{
  Bucket *bucket = data;

  g_mutex_clear (&bucket->mutex);
}

static void
bucket_unref (Bucket *bucket)
{
  g_atomic_rc_box_release_full (bucket, bucket_clear);
}

static void
bucket_refill_locked (Bucket *bucket)
{
  gint64 now = g_get_monotonic_time ();

  if (bucket->rate > 0)
    {
      double earned = (double) (now - bucket->last) * (double) bucket->rate / G_USEC_PER_SEC;

      bucket->tokens = MIN ((double) bucket->rate, bucket->tokens + earned);
    }
  bucket->last = now;
}

/* How many of @want bytes may pass now. Small amounts of budget are not
 * handed out for big requests: an operation waits until a tenth of a
 * second's worth (or all it wants) is available, to avoid a flood of tiny
 * reads and writes. Returns 0 and sets @wait_usec when it must wait; then,
 * if @count_delay, the wait is recorded in the statistics. */
static gsize
bucket_grant (Bucket   *bucket,
              gsize     want,
              gint64   *wait_usec,
              gboolean  count_delay)
{
  double threshold;
  gsize granted = 0;

  g_mutex_lock (&bucket->mutex);
  if (bucket->rate == 0)
    {
      granted = want;
    }
  else
    {
      bucket_refill_locked (bucket);
      threshold = (double) MIN ((guint64) want, MAX (bucket->rate / 10, 1));
      if (bucket->tokens >= threshold)
        {
          /* tokens >= threshold >= 1 here, so the cast rounds down */
          granted = (gsize) MIN ((double) want, bucket->tokens);
        }
      else
        {
          gint64 wait = (gint64) ((threshold - bucket->tokens) * G_USEC_PER_SEC /
                                  (double) bucket->rate) + 1;

          *wait_usec = MAX (wait, 1000);
          if (count_delay)
            {
              bucket->stats.delays++;
              bucket->stats.delayed_usec += *wait_usec;
            }
        }
    }
  g_mutex_unlock (&bucket->mutex);

  return granted;
}

static void
bucket_consume (Bucket *bucket,
                gsize   amount)
{
  g_mutex_lock (&bucket->mutex);
  if (bucket->rate > 0)
    bucket->tokens -= (double) amount;
  bucket->stats.bytes += amount;
  bucket->stats.largest_chunk = MAX (bucket->stats.largest_chunk, amount);
  g_mutex_unlock (&bucket->mutex);
}

static void
bucket_set_rate (Bucket  *bucket,
                 guint64  rate)
{
  g_mutex_lock (&bucket->mutex);
  bucket_refill_locked (bucket);
  if (bucket->rate == 0)
    bucket->tokens = (double) rate;
  else
    bucket->tokens = MIN (bucket->tokens, (double) rate);
  bucket->rate = rate;
  g_mutex_unlock (&bucket->mutex);
}

static void
bucket_get_stats (Bucket               *bucket,
                  MissiveThrottleStats *stats)
{
  g_mutex_lock (&bucket->mutex);
  *stats = bucket->stats;
  g_mutex_unlock (&bucket->mutex);
}

/* Blocking wait for budget, interrupted by @cancellable. Only the blocking
 * read and write use it; they are not called from a main loop. */
static gboolean
wait_for_budget (gint64         wait_usec,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GPollFD pollfd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, (int) MIN ((wait_usec + 999) / 1000, G_MAXINT));
      g_cancellable_release_fd (cancellable);
    }
  else
    {
      g_usleep (wait_usec);
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static GSource *
budget_source_new (gint64 wait_usec)
{
  GSource *source = g_timeout_source_new ((guint) MIN ((wait_usec + 999) / 1000, G_MAXUINT));

  g_source_set_static_name (source, "[missive] throttle");
  return source;
}

static void
set_would_block (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                       "Rate limit reached; try again later");
}

/* ---- input --------------------------------------------------------------- */

#define MISSIVE_TYPE_THROTTLED_INPUT_STREAM (missive_throttled_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (MissiveThrottledInputStream, missive_throttled_input_stream,
                      MISSIVE, THROTTLED_INPUT_STREAM, GFilterInputStream)

struct _MissiveThrottledInputStream
{
  GFilterInputStream parent_instance;
  Bucket *bucket;
};

static void throttled_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MissiveThrottledInputStream, missive_throttled_input_stream,
                               G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      throttled_input_pollable_init))

static GInputStream *
input_base (gpointer stream)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
}

static gssize
throttled_input_read (GInputStream  *stream,
                      void          *buffer,
                      gsize          count,
                      GCancellable  *cancellable,
                      GError       **error)
{
  MissiveThrottledInputStream *self = MISSIVE_THROTTLED_INPUT_STREAM (stream);
  gint64 wait_usec = 0;
  gsize allowed;
  gssize n;

  if (count == 0)
    return 0;

  while ((allowed = bucket_grant (self->bucket, count, &wait_usec, TRUE)) == 0)
    if (!wait_for_budget (wait_usec, cancellable, error))
      return -1;

  n = g_input_stream_read (input_base (self), buffer, allowed, cancellable, error);
  if (n > 0)
    bucket_consume (self->bucket, n);
  return n;
}

/* Skipped bytes cross the wire too: read them through the limit. */
static gssize
throttled_input_skip (GInputStream  *stream,
                      gsize          count,
                      GCancellable  *cancellable,
                      GError       **error)
{
  char scratch[8192];

  return throttled_input_read (stream, scratch, MIN (count, sizeof scratch),
                               cancellable, error);
}

static gboolean
throttled_input_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = input_base (stream);

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
throttled_input_is_readable (GPollableInputStream *stream)
{
  MissiveThrottledInputStream *self = MISSIVE_THROTTLED_INPUT_STREAM (stream);
  gint64 wait_usec;

  return bucket_grant (self->bucket, G_MAXSIZE, &wait_usec, FALSE) > 0 &&
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input_base (self)));
}

static GSource *
throttled_input_create_source (GPollableInputStream *stream,
                               GCancellable         *cancellable)
{
  MissiveThrottledInputStream *self = MISSIVE_THROTTLED_INPUT_STREAM (stream);
  g_autoptr(GSource) child = NULL;
  gint64 wait_usec = 0;

  if (bucket_grant (self->bucket, G_MAXSIZE, &wait_usec, TRUE) == 0)
    child = budget_source_new (wait_usec);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (input_base (self)),
                                                   NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
throttled_input_read_nonblocking (GPollableInputStream  *stream,
                                  void                  *buffer,
                                  gsize                  count,
                                  GError               **error)
{
  MissiveThrottledInputStream *self = MISSIVE_THROTTLED_INPUT_STREAM (stream);
  gint64 wait_usec;
  gsize allowed;
  gssize n;

  if (count == 0)
    return 0;

  allowed = bucket_grant (self->bucket, count, &wait_usec, FALSE);
  if (allowed == 0)
    {
      set_would_block (error);
      return -1;
    }

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input_base (self)),
                                                buffer, allowed, NULL, error);
  if (n > 0)
    bucket_consume (self->bucket, n);
  return n;
}

static void
throttled_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = throttled_input_can_poll;
  iface->is_readable = throttled_input_is_readable;
  iface->create_source = throttled_input_create_source;
  iface->read_nonblocking = throttled_input_read_nonblocking;
}

static void
missive_throttled_input_stream_finalize (GObject *object)
{
  MissiveThrottledInputStream *self = MISSIVE_THROTTLED_INPUT_STREAM (object);

  g_clear_pointer (&self->bucket, bucket_unref);

  G_OBJECT_CLASS (missive_throttled_input_stream_parent_class)->finalize (object);
}

static void
missive_throttled_input_stream_class_init (MissiveThrottledInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = missive_throttled_input_stream_finalize;
  input_class->read_fn = throttled_input_read;
  input_class->skip = throttled_input_skip;
}

static void
missive_throttled_input_stream_init (MissiveThrottledInputStream *self)
{
}

/* ---- output -------------------------------------------------------------- */

#define MISSIVE_TYPE_THROTTLED_OUTPUT_STREAM (missive_throttled_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (MissiveThrottledOutputStream, missive_throttled_output_stream,
                      MISSIVE, THROTTLED_OUTPUT_STREAM, GFilterOutputStream)

struct _MissiveThrottledOutputStream
{
  GFilterOutputStream parent_instance;
  Bucket *bucket;
};

static void throttled_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MissiveThrottledOutputStream, missive_throttled_output_stream,
                               G_TYPE_FILTER_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      throttled_output_pollable_init))

static GOutputStream *
output_base (gpointer stream)
{
  return g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (stream));
}

static gssize
throttled_output_write (GOutputStream  *stream,
                        const void     *buffer,
                        gsize           count,
                        GCancellable   *cancellable,
                        GError        **error)
{
  MissiveThrottledOutputStream *self = MISSIVE_THROTTLED_OUTPUT_STREAM (stream);
  gint64 wait_usec = 0;
  gsize allowed;
  gssize n;

  if (count == 0)
    return 0;

  while ((allowed = bucket_grant (self->bucket, count, &wait_usec, TRUE)) == 0)
    if (!wait_for_budget (wait_usec, cancellable, error))
      return -1;

  n = g_output_stream_write (output_base (self), buffer, allowed, cancellable, error);
  if (n > 0)
    bucket_consume (self->bucket, n);
  return n;
}

static void
on_base_flushed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_flush_finish (G_OUTPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The default asynchronous flush runs the blocking one in a thread; the
 * base stream's own asynchronous flush is better. */
static void
throttled_output_flush_async (GOutputStream       *stream,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, throttled_output_flush_async);
  g_output_stream_flush_async (output_base (stream), io_priority, cancellable,
                               on_base_flushed, task);
}

static gboolean
throttled_output_flush_finish (GOutputStream  *stream,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
throttled_output_can_poll (GPollableOutputStream *stream)
{
  GOutputStream *base = output_base (stream);

  return G_IS_POLLABLE_OUTPUT_STREAM (base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static gboolean
throttled_output_is_writable (GPollableOutputStream *stream)
{
  MissiveThrottledOutputStream *self = MISSIVE_THROTTLED_OUTPUT_STREAM (stream);
  gint64 wait_usec;

  return bucket_grant (self->bucket, G_MAXSIZE, &wait_usec, FALSE) > 0 &&
         g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (output_base (self)));
}

static GSource *
throttled_output_create_source (GPollableOutputStream *stream,
                                GCancellable          *cancellable)
{
  MissiveThrottledOutputStream *self = MISSIVE_THROTTLED_OUTPUT_STREAM (stream);
  g_autoptr(GSource) child = NULL;
  gint64 wait_usec = 0;

  if (bucket_grant (self->bucket, G_MAXSIZE, &wait_usec, TRUE) == 0)
    child = budget_source_new (wait_usec);
  else
    child = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (output_base (self)),
                                                    NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
throttled_output_write_nonblocking (GPollableOutputStream  *stream,
                                    const void             *buffer,
                                    gsize                   count,
                                    GError                **error)
{
  MissiveThrottledOutputStream *self = MISSIVE_THROTTLED_OUTPUT_STREAM (stream);
  gint64 wait_usec;
  gsize allowed;
  gssize n;

  if (count == 0)
    return 0;

  allowed = bucket_grant (self->bucket, count, &wait_usec, FALSE);
  if (allowed == 0)
    {
      set_would_block (error);
      return -1;
    }

  n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output_base (self)),
                                                  buffer, allowed, NULL, error);
  if (n > 0)
    bucket_consume (self->bucket, n);
  return n;
}

static void
throttled_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = throttled_output_can_poll;
  iface->is_writable = throttled_output_is_writable;
  iface->create_source = throttled_output_create_source;
  iface->write_nonblocking = throttled_output_write_nonblocking;
}

static void
missive_throttled_output_stream_finalize (GObject *object)
{
  MissiveThrottledOutputStream *self = MISSIVE_THROTTLED_OUTPUT_STREAM (object);

  g_clear_pointer (&self->bucket, bucket_unref);

  G_OBJECT_CLASS (missive_throttled_output_stream_parent_class)->finalize (object);
}

static void
missive_throttled_output_stream_class_init (MissiveThrottledOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = missive_throttled_output_stream_finalize;
  output_class->write_fn = throttled_output_write;
  output_class->flush_async = throttled_output_flush_async;
  output_class->flush_finish = throttled_output_flush_finish;
}

static void
missive_throttled_output_stream_init (MissiveThrottledOutputStream *self)
{
}

/* ---- the stream ---------------------------------------------------------- */

struct _MissiveThrottledStream
{
  GIOStream parent_instance;

  GIOStream *base_stream;
  MissiveThrottledInputStream *input;
  MissiveThrottledOutputStream *output;
  Bucket *read_bucket;
  Bucket *write_bucket;
};

G_DEFINE_FINAL_TYPE (MissiveThrottledStream, missive_throttled_stream, G_TYPE_IO_STREAM)

static GInputStream *
missive_throttled_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (MISSIVE_THROTTLED_STREAM (stream)->input);
}

static GOutputStream *
missive_throttled_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (MISSIVE_THROTTLED_STREAM (stream)->output);
}

/* The filter streams do not own the base streams; closing them only marks
 * them closed. The base GIOStream is what really closes. */
static void
close_filters (MissiveThrottledStream *self)
{
  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  g_output_stream_close (G_OUTPUT_STREAM (self->output), NULL, NULL);
}

static gboolean
missive_throttled_stream_close_fn (GIOStream     *stream,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  MissiveThrottledStream *self = MISSIVE_THROTTLED_STREAM (stream);

  close_filters (self);
  return g_io_stream_close (self->base_stream, cancellable, error);
}

static void
on_base_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
missive_throttled_stream_close_async (GIOStream           *stream,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  MissiveThrottledStream *self = MISSIVE_THROTTLED_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_throttled_stream_close_async);
  g_task_set_priority (task, io_priority);

  close_filters (self);
  g_io_stream_close_async (self->base_stream, io_priority, cancellable, on_base_closed, task);
}

static gboolean
missive_throttled_stream_close_finish (GIOStream     *stream,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
missive_throttled_stream_finalize (GObject *object)
{
  MissiveThrottledStream *self = MISSIVE_THROTTLED_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base_stream);
  g_clear_pointer (&self->read_bucket, bucket_unref);
  g_clear_pointer (&self->write_bucket, bucket_unref);

  G_OBJECT_CLASS (missive_throttled_stream_parent_class)->finalize (object);
}

static void
missive_throttled_stream_class_init (MissiveThrottledStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = missive_throttled_stream_finalize;
  stream_class->get_input_stream = missive_throttled_stream_get_input_stream;
  stream_class->get_output_stream = missive_throttled_stream_get_output_stream;
  stream_class->close_fn = missive_throttled_stream_close_fn;
  stream_class->close_async = missive_throttled_stream_close_async;
  stream_class->close_finish = missive_throttled_stream_close_finish;
}

static void
missive_throttled_stream_init (MissiveThrottledStream *self)
{
}

/*
 * missive_throttled_stream_new:
 * @base_stream: the stream to wrap; closing the new stream closes it
 * @bytes_per_second: the limit in each direction; 0 for none
 */
MissiveThrottledStream *
missive_throttled_stream_new (GIOStream *base_stream,
                              guint64    bytes_per_second)
{
  MissiveThrottledStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base_stream), NULL);

  self = g_object_new (MISSIVE_TYPE_THROTTLED_STREAM, NULL);
  self->base_stream = g_object_ref (base_stream);
  self->read_bucket = bucket_new (bytes_per_second);
  self->write_bucket = bucket_new (bytes_per_second);

  self->input = g_object_new (MISSIVE_TYPE_THROTTLED_INPUT_STREAM,
                              "base-stream", g_io_stream_get_input_stream (base_stream),
                              "close-base-stream", FALSE,
                              NULL);
  self->input->bucket = g_atomic_rc_box_acquire (self->read_bucket);

  self->output = g_object_new (MISSIVE_TYPE_THROTTLED_OUTPUT_STREAM,
                               "base-stream", g_io_stream_get_output_stream (base_stream),
                               "close-base-stream", FALSE,
                               NULL);
  self->output->bucket = g_atomic_rc_box_acquire (self->write_bucket);

  return self;
}

GIOStream *
missive_throttled_stream_get_base_stream (MissiveThrottledStream *self)
{
  g_return_val_if_fail (MISSIVE_IS_THROTTLED_STREAM (self), NULL);

  return self->base_stream;
}

guint64
missive_throttled_stream_get_rate (MissiveThrottledStream *self)
{
  guint64 rate;

  g_return_val_if_fail (MISSIVE_IS_THROTTLED_STREAM (self), 0);

  g_mutex_lock (&self->read_bucket->mutex);
  rate = self->read_bucket->rate;
  g_mutex_unlock (&self->read_bucket->mutex);
  return rate;
}

/* Changes the limit of both directions; 0 lifts it. */
void
missive_throttled_stream_set_rate (MissiveThrottledStream *self,
                                   guint64                 bytes_per_second)
{
  g_return_if_fail (MISSIVE_IS_THROTTLED_STREAM (self));

  bucket_set_rate (self->read_bucket, bytes_per_second);
  bucket_set_rate (self->write_bucket, bytes_per_second);
}

/* For tests and diagnostics: what each direction has done so far. */
void
missive_throttled_stream_get_stats (MissiveThrottledStream *self,
                                    MissiveThrottleStats   *read_stats,
                                    MissiveThrottleStats   *write_stats)
{
  g_return_if_fail (MISSIVE_IS_THROTTLED_STREAM (self));

  if (read_stats != NULL)
    bucket_get_stats (self->read_bucket, read_stats);
  if (write_stats != NULL)
    bucket_get_stats (self->write_bucket, write_stats);
}
