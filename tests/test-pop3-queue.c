/* test-pop3-queue.c: operations started together on one POP3 store are
 * queued and run in order; with PIPELINING their RETR commands go out
 * back to back (scripted fake servers)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

#define GREETING   MT_SEND ("+OK POP3 ready\r\n")
#define CAPA_NONE  MT_EXPECT ("CAPA"), MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n")
#define CAPA_PIPE  MT_EXPECT ("CAPA"), MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nUSER\r\nPIPELINING\r\n.\r\n")
#define LOGIN      MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"), \
                   MT_EXPECT ("PASS secret"), MT_SEND ("+OK Logged in.\r\n")
#define OPEN_PLAIN GREETING, CAPA_NONE, LOGIN, CAPA_NONE
#define OPEN_PIPE  GREETING, CAPA_PIPE, LOGIN, CAPA_PIPE
#define QUIT_STEPS MT_EXPECT ("QUIT"), MT_SEND ("+OK Bye\r\n"), MT_WAIT_CLOSE, MT_END

#define MESSAGE(n) "+OK\r\nSubject: " n "\r\n\r\nbody " n "\r\n..dot\r\n.\r\n"
#define CONTENT(n) "Subject: " n "\r\n\r\nbody " n "\r\n.dot\r\n"

typedef struct
{
  MissiveTestServer *server;
  MissiveStore *store;
  GArray *order;          /* int: the fetches, in the order they completed */
  guint retr_sent;        /* RETR commands written */
  guint max_outstanding;  /* the most RETR commands written and unanswered */
} Fixture;

typedef struct
{
  Fixture *fx;
  int index;
  GOutputStream *sink;
  GCancellable *cancellable;
  GError *error;
  gboolean done;
} Fetch;

static void
on_trace (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          Fixture               *fx)
{
  if (direction == MISSIVE_TRACE_SENT && g_str_has_prefix (line, "RETR "))
    fx->retr_sent++;
  if (g_test_verbose ())
    g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" :
                           direction == MISSIVE_TRACE_RECEIVED ? "S:" : "  ", line);
}

static void
fixture_set_up (Fixture               *fx,
                const MissiveTestStep *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  MissiveService *service;

  fx->server = missive_test_server_new (script, NULL, FALSE);
  uri = g_strdup_printf ("pop3://127.0.0.1:%u?security=none",
                         missive_test_server_get_port (fx->server));
  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_timeout (service, 20);
  g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), fx);
  fx->store = MISSIVE_STORE (service);
  fx->order = g_array_new (FALSE, FALSE, sizeof (int));
  g_assert_true (missive_service_open (service, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fx,
                   gboolean  quit)
{
  g_autoptr(GError) error = NULL;

  if (quit)
    {
      g_assert_true (missive_service_close (MISSIVE_SERVICE (fx->store), NULL, &error));
      g_assert_no_error (error);
    }
  missive_test_server_finish (fx->server, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->store);
  missive_test_server_free (fx->server);
  g_array_unref (fx->order);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  Fixture *fx = fetch->fx;

  /* This one's reply has been read; the ones before it too. */
  fx->max_outstanding = MAX (fx->max_outstanding, fx->retr_sent - fx->order->len);
  missive_store_fetch_message_finish (MISSIVE_STORE (source), result, &fetch->error);
  fetch->done = TRUE;
  g_array_append_val (fetch->fx->order, fetch->index);
}

/* Starts fetches of messages 1..n at once (without waiting). */
static Fetch *
start_fetches (Fixture *fx,
               guint    n)
{
  Fetch *fetches = g_new0 (Fetch, n);

  for (guint i = 0; i < n; i++)
    {
      fetches[i].fx = fx;
      fetches[i].index = i + 1;
      fetches[i].sink = g_memory_output_stream_new_resizable ();
      fetches[i].cancellable = g_cancellable_new ();
      missive_store_fetch_message_async (fx->store, i + 1, fetches[i].sink, G_PRIORITY_DEFAULT,
                                         fetches[i].cancellable, fetch_cb, &fetches[i]);
    }
  return fetches;
}

static void
wait_fetches (Fetch *fetches,
              guint  n)
{
  for (guint i = 0; i < n; i++)
    while (!fetches[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static void
free_fetches (Fetch *fetches,
              guint  n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_object (&fetches[i].sink);
      g_clear_object (&fetches[i].cancellable);
      g_clear_error (&fetches[i].error);
    }
  g_free (fetches);
}

static void
assert_content (Fetch      *fetch,
                const char *expected)
{
  GMemoryOutputStream *mem = G_MEMORY_OUTPUT_STREAM (fetch->sink);
  g_autofree char *text = g_strndup (g_memory_output_stream_get_data (mem),
                                     g_memory_output_stream_get_data_size (mem));

  g_assert_no_error (fetch->error);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_order (Fixture   *fx,
              const int *expected,
              guint      n)
{
  g_assert_cmpuint (fx->order->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (fx->order, int, i), ==, expected[i]);
}

/* Without PIPELINING: three fetches started at once run one after the
 * other (the server sees RETR 2 only after answering RETR 1), all
 * succeed, in order. */
static void
test_queue_sequential (void)
{
  const MissiveTestStep script[] = {
    OPEN_PLAIN,
    MT_EXPECT ("RETR 1"), MT_SEND (MESSAGE ("1")),
    MT_EXPECT ("RETR 2"), MT_SEND (MESSAGE ("2")),
    MT_EXPECT ("RETR 3"), MT_SEND (MESSAGE ("3")),
    QUIT_STEPS,
  };
  const int order[] = { 1, 2, 3 };
  Fixture fx = { 0 };
  Fetch *fetches;

  fixture_set_up (&fx, script);
  fetches = start_fetches (&fx, 3);
  wait_fetches (fetches, 3);
  assert_content (&fetches[0], CONTENT ("1"));
  assert_content (&fetches[1], CONTENT ("2"));
  assert_content (&fetches[2], CONTENT ("3"));
  assert_order (&fx, order, 3);
  free_fetches (fetches, 3);
  fixture_tear_down (&fx, TRUE);
}

static void
noop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *noop = user_data;

  missive_service_noop_finish (MISSIVE_SERVICE (source), result, &noop->error);
  noop->done = TRUE;
  g_array_append_val (noop->fx->order, noop->index);
}

/* With PIPELINING: the three RETR commands reach the server before it
 * sends the first reply (the script reads all three first: a client
 * waiting for a reply would time out); each body goes to its own sink.
 * A NOOP started with them is not pipelined: it goes after the replies. */
static void
test_queue_pipelined (void)
{
  const MissiveTestStep script[] = {
    OPEN_PIPE,
    MT_EXPECT ("RETR 1"),
    MT_EXPECT ("RETR 2"),
    MT_EXPECT ("RETR 3"),
    MT_SEND (MESSAGE ("1") MESSAGE ("2") MESSAGE ("3")),
    MT_EXPECT ("NOOP"), MT_SEND ("+OK\r\n"),
    QUIT_STEPS,
  };
  const int order[] = { 1, 2, 3, 4 };
  Fixture fx = { 0 };
  Fetch *fetches;
  Fetch noop = { 0 };

  fixture_set_up (&fx, script);
  fetches = start_fetches (&fx, 3);
  noop.fx = &fx;
  noop.index = 4;
  missive_service_noop_async (MISSIVE_SERVICE (fx.store), G_PRIORITY_DEFAULT, NULL, noop_cb, &noop);
  wait_fetches (fetches, 3);
  while (!noop.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (noop.error);
  assert_content (&fetches[0], CONTENT ("1"));
  assert_content (&fetches[1], CONTENT ("2"));
  assert_content (&fetches[2], CONTENT ("3"));
  assert_order (&fx, order, 4);
  free_fetches (fetches, 3);
  fixture_tear_down (&fx, TRUE);
}

/* More fetches than the pipelining window: never more than 64 RETR
 * commands are unanswered, but many are. */
#define MANY 100

static void
add_retr (GArray    *script,
          GPtrArray *strings,
          guint      from,
          guint      to,
          gboolean   replies)
{
  for (guint i = from; i <= to; i++)
    {
      char *text = replies ? g_strdup_printf ("+OK\r\nSubject: %u\r\n\r\nbody\r\n.\r\n", i)
                           : g_strdup_printf ("RETR %u", i);
      MissiveTestStep step = { replies ? MISSIVE_TEST_STEP_SEND : MISSIVE_TEST_STEP_EXPECT,
                               text, -1 };

      g_ptr_array_add (strings, text);
      g_array_append_val (script, step);
    }
}

static void
test_queue_window (void)
{
  g_autoptr(GArray) script = g_array_new (FALSE, FALSE, sizeof (MissiveTestStep));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  const MissiveTestStep open[] = { OPEN_PIPE };
  const MissiveTestStep quit[] = { QUIT_STEPS };
  Fixture fx = { 0 };
  Fetch *fetches;
  int order[MANY];

  g_array_append_vals (script, open, G_N_ELEMENTS (open));
  /* The first 64 come before any reply; the rest as replies are read. */
  add_retr (script, strings, 1, 64, FALSE);
  add_retr (script, strings, 1, 64, TRUE);
  add_retr (script, strings, 65, MANY, FALSE);
  add_retr (script, strings, 65, MANY, TRUE);
  g_array_append_vals (script, quit, G_N_ELEMENTS (quit));
  for (guint i = 0; i < MANY; i++)
    order[i] = i + 1;

  fixture_set_up (&fx, (const MissiveTestStep *) script->data);
  fetches = start_fetches (&fx, MANY);
  wait_fetches (fetches, MANY);
  for (guint i = 0; i < MANY; i++)
    g_assert_no_error (fetches[i].error);
  assert_order (&fx, order, MANY);
  g_assert_cmpuint (fx.retr_sent, ==, MANY);
  g_assert_cmpuint (fx.max_outstanding, <=, 64);
  g_assert_cmpuint (fx.max_outstanding, >, 32);
  free_fetches (fetches, MANY);
  fixture_tear_down (&fx, TRUE);
}

/* A queued fetch that is cancelled leaves the queue at once and never
 * reaches the wire; the others run. */
static void
test_queue_cancel_queued (void)
{
  const MissiveTestStep script[] = {
    OPEN_PLAIN,
    MT_EXPECT ("RETR 1"), MT_SEND (MESSAGE ("1")),
    MT_EXPECT ("RETR 3"), MT_SEND (MESSAGE ("3")),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  Fetch *fetches;

  fixture_set_up (&fx, script);
  fetches = start_fetches (&fx, 3);
  g_cancellable_cancel (fetches[1].cancellable);
  wait_fetches (fetches, 3);
  assert_content (&fetches[0], CONTENT ("1"));
  g_assert_error (fetches[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (fetches[1].sink)),
                    ==, 0);
  assert_content (&fetches[2], CONTENT ("3"));
  /* The cancelled one did not wait for its turn (which would come after
   * the reply to RETR 1): it completed before the third fetch. */
  g_assert_cmpuint (fx.order->len, ==, 3);
  g_assert_cmpint (g_array_index (fx.order, int, 2), ==, 3);
  free_fetches (fetches, 3);
  fixture_tear_down (&fx, TRUE);
}

/* With PIPELINING a fetch cancelled after its RETR was written: its reply
 * is read and dropped (not written to its sink), it fails with
 * G_IO_ERROR_CANCELLED, and the connection stays in step for the next. */
static void
test_queue_cancel_pipelined (void)
{
  const MissiveTestStep script[] = {
    OPEN_PIPE,
    MT_EXPECT ("RETR 1"),
    MT_EXPECT ("RETR 2"),
    MT_EXPECT ("RETR 3"),
    MT_SLEEP (100),
    MT_SEND (MESSAGE ("1") MESSAGE ("2") MESSAGE ("3")),
    MT_EXPECT ("NOOP"), MT_SEND ("+OK\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  Fetch *fetches;

  fixture_set_up (&fx, script);
  fetches = start_fetches (&fx, 3);
  /* Let the batch be written, then cancel the second. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_cancellable_cancel (fetches[1].cancellable);
  wait_fetches (fetches, 3);
  assert_content (&fetches[0], CONTENT ("1"));
  g_assert_error (fetches[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (fetches[1].sink)),
                    ==, 0);
  assert_content (&fetches[2], CONTENT ("3"));
  g_assert_true (missive_service_noop (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_no_error (error);
  free_fetches (fetches, 3);
  fixture_tear_down (&fx, TRUE);
}

/* The connection drops in the middle of the first reply: the first fetch
 * fails with CONNECTION_LOST, and so does every queued one, with the same
 * error; the store is disconnected. @pipelining: with the commands
 * written ahead, or queued one at a time. */
static void
check_drop (gboolean pipelining)
{
  const MissiveTestStep script_plain[] = {
    OPEN_PLAIN,
    MT_EXPECT ("RETR 1"),
    MT_SEND ("+OK\r\nSubject: 1\r\n\r\nhalf a mess"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep script_pipe[] = {
    OPEN_PIPE,
    MT_EXPECT ("RETR 1"),
    MT_EXPECT ("RETR 2"),
    MT_EXPECT ("RETR 3"),
    MT_EXPECT ("RETR 4"),
    MT_SEND ("+OK\r\nSubject: 1\r\n\r\nhalf a mess"),
    MT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  Fetch *fetches;

  fixture_set_up (&fx, pipelining ? script_pipe : script_plain);
  fetches = start_fetches (&fx, 4);
  wait_fetches (fetches, 4);
  g_assert_error (fetches[0].error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (fetches[0].error->message, "RETR 1"));
  for (guint i = 1; i < 4; i++)
    {
      g_assert_error (fetches[i].error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
      g_assert_cmpstr (fetches[i].error->message, ==, fetches[0].error->message);
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (fetches[i].sink)),
                        ==, 0);
    }
  /* (The first one's callback comes after the core closed the connection,
   * so the order of the failures is not checked.) */
  g_assert_cmpuint (fx.order->len, ==, 4);
  /* Let the teardown finish. */
  while (missive_service_get_state (MISSIVE_SERVICE (fx.store)) != MISSIVE_SERVICE_STATE_DISCONNECTED)
    g_main_context_iteration (NULL, TRUE);
  free_fetches (fetches, 4);
  fixture_tear_down (&fx, FALSE);
}

static void
test_queue_drop (void)
{
  check_drop (FALSE);
}

static void
test_queue_drop_pipelined (void)
{
  check_drop (TRUE);
}

/* With PIPELINING, -ERR for one RETR fails only that fetch: the others
 * get their messages and the connection goes on. */
static void
test_queue_err_one (void)
{
  const MissiveTestStep script[] = {
    OPEN_PIPE,
    MT_EXPECT ("RETR 1"),
    MT_EXPECT ("RETR 2"),
    MT_EXPECT ("RETR 3"),
    MT_SEND (MESSAGE ("1") "-ERR [SYS/PERM] no such message\r\n" MESSAGE ("3")),
    MT_EXPECT ("NOOP"), MT_SEND ("+OK\r\n"),
    QUIT_STEPS,
  };
  const int order[] = { 1, 2, 3 };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  Fetch *fetches;

  fixture_set_up (&fx, script);
  fetches = start_fetches (&fx, 3);
  wait_fetches (fetches, 3);
  assert_content (&fetches[0], CONTENT ("1"));
  g_assert_error (fetches[1].error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_nonnull (strstr (fetches[1].error->message, "no such message"));
  assert_content (&fetches[2], CONTENT ("3"));
  assert_order (&fx, order, 3);
  g_assert_true (missive_service_noop (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_no_error (error);
  free_fetches (fetches, 3);
  fixture_tear_down (&fx, TRUE);
}

static void
summaries_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GListModel **list = user_data;

  *list = missive_store_fetch_summaries_finish (MISSIVE_STORE (source), result, NULL);
  g_assert_nonnull (*list);
}

/* Operations of several commands are not interleaved with others: a
 * summary listing (with its own pipelined TOP commands) started with two
 * fetches runs to its end before their RETR commands are written. */
static void
test_queue_summaries_then_fetch (void)
{
  const MissiveTestStep script[] = {
    OPEN_PIPE,
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 10\r\n2 20\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 a\r\n2 b\r\n.\r\n"),
    MT_EXPECT ("TOP 1 0"),
    MT_EXPECT ("TOP 2 0"),
    MT_SEND ("+OK\r\nSubject: one\r\n\r\n.\r\n+OK\r\nSubject: two\r\n\r\n.\r\n"),
    MT_EXPECT ("RETR 1"),
    MT_EXPECT ("RETR 2"),
    MT_SEND (MESSAGE ("1") MESSAGE ("2")),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(MissiveMessageSet) all = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(GListModel) list = NULL;
  Fetch *fetches;

  fixture_set_up (&fx, script);
  missive_store_fetch_summaries_async (fx.store, all, MISSIVE_FETCH_ITEMS_HEADERS, 0,
                                       G_PRIORITY_DEFAULT, NULL, summaries_cb, &list);
  fetches = start_fetches (&fx, 2);
  wait_fetches (fetches, 2);
  g_assert_nonnull (list);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  assert_content (&fetches[0], CONTENT ("1"));
  assert_content (&fetches[1], CONTENT ("2"));
  free_fetches (fetches, 2);
  fixture_tear_down (&fx, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/pop3/queue/sequential", test_queue_sequential);
  g_test_add_func ("/pop3/queue/pipelined", test_queue_pipelined);
  g_test_add_func ("/pop3/queue/window", test_queue_window);
  g_test_add_func ("/pop3/queue/cancel-queued", test_queue_cancel_queued);
  g_test_add_func ("/pop3/queue/cancel-pipelined", test_queue_cancel_pipelined);
  g_test_add_func ("/pop3/queue/drop", test_queue_drop);
  g_test_add_func ("/pop3/queue/drop-pipelined", test_queue_drop_pipelined);
  g_test_add_func ("/pop3/queue/err-one", test_queue_err_one);
  g_test_add_func ("/pop3/queue/summaries-then-fetch", test_queue_summaries_then_fetch);

  return g_test_run ();
}
