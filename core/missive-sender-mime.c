/* missive-sender-mime.c: turning a GMimeMessage into the bytes a sender
 * transmits, without a second copy of the message in memory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "missive-sender-private.h"

GMimeFormatOptions *
missive_sender_new_format_options (void)
{
  GMimeFormatOptions *format = g_mime_format_options_new ();

  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_format_options_add_hidden_header (format, "Bcc");
  g_mime_format_options_add_hidden_header (format, "Resent-Bcc");
  g_mime_format_options_add_hidden_header (format, "Return-Path");
  return format;
}

/* ---- measuring ---------------------------------------------------------- */

typedef struct
{
  guint64 size;
  MissiveContentClass content_class;
} Measure;

/* NUL bytes or lines over RFC 5322's 998 octets (the filter may count the
 * CR) need BINARYMIME; bytes above 127 need 8BITMIME. */
static MissiveContentClass
classify (GMimeFilterBest *best)
{
  if (best->count0 > 0 || best->maxline > 999)
    return MISSIVE_CONTENT_BINARY;
  if (best->count8 > 0)
    return MISSIVE_CONTENT_8BIT;
  return MISSIVE_CONTENT_7BIT;
}

static void
measure_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GMimeMessage *message = task_data;
  GMimeStream *null = g_mime_stream_null_new ();
  GMimeStream *filtered = g_mime_stream_filter_new (null);
  GMimeFilter *best = g_mime_filter_best_new (GMIME_FILTER_BEST_ENCODING);
  GMimeFormatOptions *format = missive_sender_new_format_options ();
  MissiveContentClass content_class;
  Measure *measure;
  gboolean ok;
  guint64 size;

  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), best);
  ok = g_mime_object_write_to_stream (GMIME_OBJECT (message), format, filtered) >= 0 &&
       g_mime_stream_flush (filtered) >= 0;
  size = GMIME_STREAM_NULL (null)->written;
  content_class = classify (GMIME_FILTER_BEST (best));
  g_mime_format_options_free (format);
  g_object_unref (best);
  g_object_unref (filtered);
  g_object_unref (null);
  if (!ok)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The message could not be serialised (a part's "
                               "content could not be read)");
      return;
    }

  measure = g_new0 (Measure, 1);
  measure->size = size;
  measure->content_class = content_class;
  g_task_return_pointer (task, measure, g_free);
}

void
missive_sender_measure_message_async (GMimeMessage        *message,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_sender_measure_message_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  g_task_run_in_thread (task, measure_thread);
}

gboolean
missive_sender_measure_message_finish (GAsyncResult         *result,
                                       guint64              *size,
                                       MissiveContentClass  *content_class,
                                       GError              **error)
{
  g_autofree Measure *measure = g_task_propagate_pointer (G_TASK (result), error);

  if (measure == NULL)
    return FALSE;
  *size = measure->size;
  *content_class = measure->content_class;
  return TRUE;
}

/* ---- streaming ---------------------------------------------------------- */

typedef struct
{
  GMimeMessage *message;
  int fd;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  GMimeFormatOptions *format = missive_sender_new_format_options ();
  GMimeStream *fs, *buffered;
  sigset_t pipe_set, pending;

  /* When the reader closes its end early (the send failed), write() fails
   * with EPIPE; SIGPIPE must not kill the application. It is blocked in
   * this thread only, and a pending one is taken before the thread ends. */
  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_set, NULL);

  fs = g_mime_stream_pipe_new (writer->fd);
  buffered = g_mime_stream_buffer_new (fs, GMIME_STREAM_BUFFER_BLOCK_WRITE);
  if (g_mime_object_write_to_stream (GMIME_OBJECT (writer->message), format, buffered) >= 0)
    g_mime_stream_flush (buffered);
  g_object_unref (buffered);
  g_object_unref (fs);            /* closes the write end: the reader sees EOF */
  g_mime_format_options_free (format);

  if (sigpending (&pending) == 0 && sigismember (&pending, SIGPIPE))
    {
      struct timespec zero = { 0, 0 };

      sigtimedwait (&pipe_set, NULL, &zero);
    }

  g_object_unref (writer->message);
  g_free (writer);
  return NULL;
}

GInputStream *
missive_sender_open_message_stream (GMimeMessage  *message,
                                    GError       **error)
{
  g_autoptr(GThread) thread = NULL;
  Writer *writer;
  int fds[2];

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return NULL;

  writer = g_new0 (Writer, 1);
  writer->message = g_object_ref (message);
  writer->fd = fds[1];
  thread = g_thread_try_new ("missive-send", writer_thread, writer, error);
  if (thread == NULL)
    {
      close (fds[0]);
      close (fds[1]);
      g_object_unref (writer->message);
      g_free (writer);
      return NULL;
    }
  return g_unix_input_stream_new (fds[0], TRUE);
}
