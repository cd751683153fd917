/* missive-bench.c: Missive's side of the benchmark (bench/run)
 *
 * One workload per run, used the way an application would use the public
 * API. Prints one line on stdout: "transfer_s=SECONDS bytes=N items=N",
 * where the time covers the work after the connection is open and
 * authenticated (bench/run measures the whole process itself).
 *
 *   missive-bench imap-bulk    URI MAILBOX      every message, BODY.PEEK[], to a discarding sink
 *   missive-bench imap-summary URI MAILBOX      flags, UID, size, dates, envelope, body structure
 *   missive-bench pop3         URI              RETR of every message to a discarding sink
 *   missive-bench smtp         URI FILE COUNT   FILE sent COUNT times over one connection
 *
 * The password comes from $MISSIVE_PASSWORD. --window N (IMAP bulk, POP3):
 * how many fetches are in flight at once (the IMAP engine pipelines them).
 * --flushing-sink: a sink with a flush method (see below).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <missive/missive.h>

/* ---- a discarding, pollable sink ---------------------------------------------------- */

#define BENCH_TYPE_NULL_SINK (bench_null_sink_get_type ())
G_DECLARE_DERIVABLE_TYPE (BenchNullSink, bench_null_sink, BENCH, NULL_SINK, GOutputStream)

struct _BenchNullSinkClass
{
  GOutputStreamClass parent_class;
};

typedef struct
{
  guint64 *bytes;
} BenchNullSinkPrivate;

static void bench_null_sink_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (BenchNullSink, bench_null_sink, G_TYPE_OUTPUT_STREAM,
                         G_ADD_PRIVATE (BenchNullSink)
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                bench_null_sink_pollable_init))

static gssize
null_sink_write (GOutputStream  *stream,
                 const void     *buffer,
                 gsize           count,
                 GCancellable   *cancellable,
                 GError        **error)
{
  (void) buffer;
  (void) cancellable;
  (void) error;
  BenchNullSinkPrivate *priv = bench_null_sink_get_instance_private (BENCH_NULL_SINK (stream));

  *priv->bytes += count;
  return (gssize) count;
}

static gboolean
null_sink_is_writable (GPollableOutputStream *stream)
{
  (void) stream;
  return TRUE;
}

static gssize
null_sink_write_nonblocking (GPollableOutputStream  *stream,
                             const void             *buffer,
                             gsize                   count,
                             GError                **error)
{
  return null_sink_write (G_OUTPUT_STREAM (stream), buffer, count, NULL, error);
}

static GSource *
null_sink_create_source (GPollableOutputStream *stream,
                         GCancellable          *cancellable)
{
  g_autoptr(GSource) base = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, base, cancellable);
}

static void
bench_null_sink_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->is_writable = null_sink_is_writable;
  iface->write_nonblocking = null_sink_write_nonblocking;
  iface->create_source = null_sink_create_source;
}

static void
bench_null_sink_class_init (BenchNullSinkClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = null_sink_write;
}

static void
bench_null_sink_init (BenchNullSink *self)
{
  (void) self;
}

/* The same sink with a (no-op) flush method, for --flushing-sink: the
 * library then has to flush it after every message, as it does for a
 * GFileOutputStream or a GBufferedOutputStream. */
#define BENCH_TYPE_FLUSHING_SINK (bench_flushing_sink_get_type ())
G_DECLARE_FINAL_TYPE (BenchFlushingSink, bench_flushing_sink, BENCH, FLUSHING_SINK, BenchNullSink)

struct _BenchFlushingSink
{
  BenchNullSink parent_instance;
};

G_DEFINE_TYPE (BenchFlushingSink, bench_flushing_sink, BENCH_TYPE_NULL_SINK)

static gboolean
flushing_sink_flush (GOutputStream  *stream,
                     GCancellable   *cancellable,
                     GError        **error)
{
  (void) stream;
  (void) cancellable;
  (void) error;
  return TRUE;
}

static void
bench_flushing_sink_class_init (BenchFlushingSinkClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->flush = flushing_sink_flush;
}

static void
bench_flushing_sink_init (BenchFlushingSink *self)
{
  (void) self;
}

static GType sink_type;

/* ---- helpers ------------------------------------------------------------------------ */

static MissiveService *
open_service (const char  *uri,
              GError     **error)
{
  g_autoptr(MissiveService) service = NULL;
  const char *password = g_getenv ("MISSIVE_PASSWORD");
  const char *ca_file = g_getenv ("MISSIVE_CA_FILE");

  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;
  if (password != NULL)
    missive_service_set_password (service, password);
  if (ca_file != NULL)
    missive_service_set_ca_file (service, ca_file);
  if (!missive_service_open (service, NULL, error))
    return NULL;
  return g_steal_pointer (&service);
}

static void
report (gint64  start,
        guint64 bytes,
        guint   items)
{
  double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  printf ("transfer_s=%.6f bytes=%" G_GUINT64_FORMAT " items=%u\n", seconds, bytes, items);
}

/* ---- fetching every message with a window of pipelined fetches ------------------------ */

typedef struct
{
  MissiveStore *store;
  GArray *ids;
  guint window;
  guint next;
  guint in_flight;
  guint64 bytes;
  GError *error;
  GMainLoop *loop;
} Fetching;

static void fetch_more (Fetching *f);

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetching *f = user_data;
  GError *error = NULL;

  f->in_flight--;
  if (!missive_store_fetch_message_finish (MISSIVE_STORE (source), result, &error))
    {
      if (f->error == NULL)
        f->error = error;
      else
        g_error_free (error);
    }
  fetch_more (f);
}

/* Keeps up to f->window fetches in flight; each has its own sink (a
 * stream takes one write at a time), all counting into f->bytes. */
static void
fetch_more (Fetching *f)
{
  while (f->error == NULL && f->next < f->ids->len && f->in_flight < f->window)
    {
      guint32 id = g_array_index (f->ids, guint32, f->next++);
      g_autoptr(BenchNullSink) sink = g_object_new (sink_type, NULL);
      BenchNullSinkPrivate *priv = bench_null_sink_get_instance_private (sink);

      priv->bytes = &f->bytes;
      f->in_flight++;
      missive_store_fetch_message_async (f->store, id, G_OUTPUT_STREAM (sink),
                                         G_PRIORITY_DEFAULT, NULL, fetched_cb, f);
    }
  if (f->in_flight == 0 && (f->error != NULL || f->next >= f->ids->len))
    g_main_loop_quit (f->loop);
}

static gboolean
fetch_all (MissiveStore  *store,
           GArray        *ids,
           guint          window,
           guint64       *bytes,
           GError       **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Fetching f = { store, ids, MAX (window, 1), 0, 0, 0, NULL, loop };

  fetch_more (&f);
  if (f.in_flight > 0)
    g_main_loop_run (loop);
  *bytes = f.bytes;
  if (f.error != NULL)
    {
      g_propagate_error (error, f.error);
      return FALSE;
    }
  return TRUE;
}

/* ---- workloads ---------------------------------------------------------------------- */

static gboolean
run_imap_bulk (const char  *uri,
               const char  *mailbox,
               guint        window,
               GError     **error)
{
  g_autoptr(MissiveService) service = open_service (uri, error);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint64 bytes = 0;
  gint64 start;

  if (service == NULL)
    return FALSE;
  start = g_get_monotonic_time ();
  info = missive_store_select_mailbox (MISSIVE_STORE (service), mailbox, TRUE, NULL, error);
  if (info == NULL)
    return FALSE;
  /* The UIDs, then every message. */
  all = missive_message_set_new_from_string ("1:*", error);
  if (all == NULL)
    return FALSE;
  list = missive_store_fetch_summaries (MISSIVE_STORE (service), all, MISSIVE_FETCH_ITEMS_NONE,
                                        0, NULL, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MissiveMessageInfo) mi = g_list_model_get_item (list, i);
      guint32 uid = missive_message_info_get_uid (mi);

      g_array_append_val (ids, uid);
    }
  if (!fetch_all (MISSIVE_STORE (service), ids, window, &bytes, error))
    return FALSE;
  report (start, bytes, ids->len);
  return missive_service_close (service, NULL, error);
}

static gboolean
run_imap_summary (const char  *uri,
                  const char  *mailbox,
                  GError     **error)
{
  g_autoptr(MissiveService) service = open_service (uri, error);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = NULL;
  g_autoptr(GListModel) list = NULL;
  guint64 checksum = 0;
  gint64 start;
  guint n;

  if (service == NULL)
    return FALSE;
  start = g_get_monotonic_time ();
  info = missive_store_select_mailbox (MISSIVE_STORE (service), mailbox, TRUE, NULL, error);
  if (info == NULL)
    return FALSE;
  all = missive_message_set_new_from_string ("1:*", error);
  if (all == NULL)
    return FALSE;
  list = missive_store_fetch_summaries (MISSIVE_STORE (service), all,
                                        MISSIVE_FETCH_ITEMS_SUMMARY |
                                        MISSIVE_FETCH_ITEMS_BODY_STRUCTURE,
                                        0, NULL, error);
  if (list == NULL)
    return FALSE;
  n = g_list_model_get_n_items (list);
  /* Touch what was parsed, so that nothing can be skipped. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveMessageInfo) mi = g_list_model_get_item (list, i);
      const char *subject = missive_message_info_get_subject (mi);

      checksum += missive_message_info_get_size (mi);
      if (subject != NULL)
        checksum += strlen (subject);
      if (missive_message_info_get_body_structure (mi) == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "message %u has no body structure", missive_message_info_get_uid (mi));
          return FALSE;
        }
    }
  report (start, checksum, n);
  return missive_service_close (service, NULL, error);
}

static gboolean
run_pop3 (const char  *uri,
          guint        window,
          GError     **error)
{
  g_autoptr(MissiveService) service = open_service (uri, error);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint64 bytes = 0;
  gint64 start;

  if (service == NULL)
    return FALSE;
  start = g_get_monotonic_time ();
  info = missive_store_select_mailbox (MISSIVE_STORE (service), "INBOX", TRUE, NULL, error);
  if (info == NULL)
    return FALSE;
  for (guint32 i = 1; i <= missive_mailbox_info_get_messages (info); i++)
    g_array_append_val (ids, i);
  /* --window fetches in flight (64 by default), as for imap-bulk: the
   * store queues them and, with PIPELINING, writes their RETR commands
   * ahead. */
  if (!fetch_all (MISSIVE_STORE (service), ids, MAX (window, 1), &bytes, error))
    return FALSE;
  report (start, bytes, ids->len);
  return missive_service_close (service, NULL, error);
}

static gboolean
run_smtp (const char  *uri,
          const char  *file,
          guint        count,
          GError     **error)
{
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  gint64 start;

  if (!g_file_get_contents (file, &contents, &length, error))
    return FALSE;
  message = g_bytes_new_take (g_steal_pointer (&contents), length);
  service = open_service (uri, error);
  if (service == NULL)
    return FALSE;
  envelope = missive_envelope_new ("bench@example.org");
  missive_envelope_add_recipient (envelope, "sink@example.org", MISSIVE_RECIPIENT_ENVELOPE);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (message);
      g_autoptr(MissiveSendResult) result = NULL;

      result = missive_sender_send_stream (MISSIVE_SENDER (service), in, (gint64) length,
                                           envelope, NULL, NULL, error);
      if (result == NULL)
        return FALSE;
    }
  report (start, (guint64) length * count, count);
  return missive_service_close (service, NULL, error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  guint window = 64;
  gboolean ok;
  int n = 0;
  char *args[8];

  sink_type = BENCH_TYPE_NULL_SINK;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--flushing-sink") == 0)
        sink_type = BENCH_TYPE_FLUSHING_SINK;
      else if (strcmp (argv[i], "--window") == 0 && i + 1 < argc)
        window = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (n < (int) G_N_ELEMENTS (args))
        args[n++] = argv[i];
    }

  if (n == 3 && strcmp (args[0], "imap-bulk") == 0)
    ok = run_imap_bulk (args[1], args[2], window, &error);
  else if (n == 3 && strcmp (args[0], "imap-summary") == 0)
    ok = run_imap_summary (args[1], args[2], &error);
  else if (n == 2 && strcmp (args[0], "pop3") == 0)
    ok = run_pop3 (args[1], window, &error);
  else if (n == 4 && strcmp (args[0], "smtp") == 0)
    ok = run_smtp (args[1], args[2], (guint) g_ascii_strtoull (args[3], NULL, 10), &error);
  else
    {
      fprintf (stderr, "usage: missive-bench imap-bulk URI MAILBOX | imap-summary URI MAILBOX |\n"
                       "       pop3 URI | smtp URI FILE COUNT   [--window N]\n");
      return 2;
    }
  if (!ok)
    {
      fprintf (stderr, "missive-bench: %s\n", error->message);
      return 1;
    }
  return 0;
}
