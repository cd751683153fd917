/* test-imap-bulk.c: fetch_part requests asked in a row go out as one
 * FETCH, against scripted fake servers
 *
 * The exact command (one "UID FETCH <set>" for many requests, the set
 * compressed into ranges), each literal routed to its own request's sink
 * by UID (in any order, and with the UID after the literal), a message
 * the server does not return, a NO for the command, one request cancelled in the middle of its
 * literal while the others go on, and a BYE in the middle (every request
 * fails, none hangs).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-imap-fake.h"

#define PREAMBLE(caps) \
  MT_SEND ("* OK [CAPABILITY " caps "] fake server ready\r\n"), \
  MT_EXPECT_PREFIX ("A0001 LOGIN "), \
  MT_SEND ("A0001 OK [CAPABILITY " caps "] Logged in\r\n"), \
  MT_EXPECT_PREFIX ("A0002 SELECT INBOX"), \
  MT_SEND ("* 10 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n" \
           "A0002 OK [READ-WRITE] Select completed\r\n")

#define CAPS "IMAP4rev1 LITERAL+ UIDPLUS"

/* Bodies of 20 bytes: "message <uid>" padded. */
#define BODY3 "message 3 .........\n"
#define BODY4 "message 4 .........\n"
#define BODY5 "message 5 .........\n"
#define BODY7 "message 7 .........\n"
#define BODY9 "message 9 .........\n"

typedef struct
{
  guint32 uid;
  GOutputStream *sink;
  GCancellable *cancellable;
  GError *error;
  gboolean done;
  gboolean ok;
} Request;

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;

  g_assert_false (request->done);
  request->ok = missive_store_fetch_message_finish (MISSIVE_STORE (source), result,
                                                    &request->error);
  request->done = TRUE;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Starts a fetch of each of @requests, in order, then runs the main
 * context until every one has completed. */
static void
fetch_all (MissiveStore *store,
           Request      *requests,
           guint         n)
{
  gboolean all;

  for (guint i = 0; i < n; i++)
    {
      requests[i].sink = g_memory_output_stream_new_resizable ();
      missive_store_fetch_message_async (store, requests[i].uid, requests[i].sink,
                                         G_PRIORITY_DEFAULT, requests[i].cancellable,
                                         on_fetched, &requests[i]);
    }
  do
    {
      g_main_context_iteration (NULL, TRUE);
      all = TRUE;
      for (guint i = 0; i < n; i++)
        all = all && requests[i].done;
    }
  while (!all);
}

static void
requests_clear (Request *requests,
                guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_object (&requests[i].sink);
      g_clear_object (&requests[i].cancellable);
      g_clear_error (&requests[i].error);
    }
}

static void
assert_body (Request    *request,
             const char *body)
{
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (request->sink);

  g_assert_no_error (request->error);
  g_assert_true (request->ok);
  g_assert_cmpmem (g_memory_output_stream_get_data (memory),
                   g_memory_output_stream_get_data_size (memory), body, strlen (body));
}

/* Five requests, one command; the answers come out of order, one with
 * its UID after the literal, and an unsolicited FETCH among them. */
static void
test_bulk_one_command (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3:5,7,9 (BODY.PEEK[])"),
    MT_SEND ("* 5 FETCH (UID 9 BODY[] {20}\r\n" BODY9 ")\r\n"
             "* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "* 2 FETCH (FLAGS (\\Seen))\r\n"
             "* 4 FETCH (BODY[] {20}\r\n" BODY7 " UID 7)\r\n"
             "* 3 FETCH (UID 5 BODY[] {20}\r\n" BODY5 ")\r\n"
             "* 2 FETCH (UID 4 BODY[] {20}\r\n" BODY4 ")\r\n"
             "A0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  Request requests[] = { { .uid = 3 }, { .uid = 4 }, { .uid = 5 }, { .uid = 7 }, { .uid = 9 } };

  fetch_all (store, requests, G_N_ELEMENTS (requests));
  assert_body (&requests[0], BODY3);
  assert_body (&requests[1], BODY4);
  assert_body (&requests[2], BODY5);
  assert_body (&requests[3], BODY7);
  assert_body (&requests[4], BODY9);
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* More requests than one command takes: several commands, pipelined,
 * each message once. */
static void
test_bulk_split (void)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) script = g_array_new (FALSE, TRUE, sizeof (MissiveTestStep));
  const MissiveTestStep preamble[] = { PREAMBLE (CAPS) };
  const MissiveTestStep logout[] = { LOGOUT ("A0005") };
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveStore) store = NULL;
  Request requests[40] = { { 0 } };
  g_autoptr(GString) answers = g_string_new (NULL);

  g_array_append_vals (script, preamble, G_N_ELEMENTS (preamble));
  /* 40 requests: 32 in the first command, 8 in the second. */
  {
    MissiveTestStep first = MT_EXPECT ("A0003 UID FETCH 1:32 (BODY.PEEK[])");
    MissiveTestStep second = MT_EXPECT ("A0004 UID FETCH 33:40 (BODY.PEEK[])");

    g_array_append_val (script, first);
    g_array_append_val (script, second);
  }
  for (guint uid = 1; uid <= 40; uid++)
    {
      g_string_append_printf (answers, "* %u FETCH (UID %u BODY[] {8}\r\nbody %03u)\r\n",
                              uid, uid, uid);
      if (uid == 32)
        g_string_append (answers, "A0003 OK Fetch completed\r\n");
    }
  g_string_append (answers, "A0004 OK Fetch completed\r\n");
  {
    MissiveTestStep send = MT_SEND (answers->str);

    g_array_append_val (script, send);
  }
  g_array_append_vals (script, logout, G_N_ELEMENTS (logout));

  server = missive_test_server_new ((const MissiveTestStep *) script->data, NULL, FALSE);
  store = open_store (server, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].uid = i + 1;
  fetch_all (store, requests, G_N_ELEMENTS (requests));
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *body = g_strdup_printf ("body %03u", i + 1);

      assert_body (&requests[i], body);
    }
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* The server has no message 4 (expunged): only that request fails, with
 * the error a lone fetch gives. */
static void
test_bulk_missing (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3:5 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "* 2 FETCH (UID 5 BODY[] {20}\r\n" BODY5 ")\r\n"
             "A0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  Request requests[] = { { .uid = 3 }, { .uid = 4 }, { .uid = 5 } };

  fetch_all (store, requests, G_N_ELEMENTS (requests));
  assert_body (&requests[0], BODY3);
  g_assert_false (requests[1].ok);
  g_assert_error (requests[1].error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (requests[1].sink)),
                    ==, 0);
  assert_body (&requests[2], BODY5);
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* A NO for the command fails the requests whose body did not come, not
 * the ones whose body came whole. */
static void
test_bulk_no (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3:4 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "A0003 NO Some messages could not be fetched\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  Request requests[] = { { .uid = 3 }, { .uid = 4 } };

  fetch_all (store, requests, G_N_ELEMENTS (requests));
  assert_body (&requests[0], BODY3);
  g_assert_error (requests[1].error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* ::message-part: cancels message 4's request at its first bytes. */
static void
on_message_part (MissiveStore *store,
                 guint         id,
                 const char   *section,
                 GBytes       *data,
                 Request      *requests)
{
  if (id == 4)
    g_cancellable_cancel (requests[1].cancellable);
}

/* Message 4's request is cancelled in the middle of its literal: it
 * returns CANCELLED at once, the rest of its bytes are drained, and the
 * others complete; the connection stays in step (LOGOUT). */
static void
test_bulk_cancel_one (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3:5 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "* 2 FETCH (UID 4 BODY[] {20}\r\nmessage 4 "),
    MT_SLEEP (300),
    MT_SEND (".........\n)\r\n"
             "* 3 FETCH (UID 5 BODY[] {20}\r\n" BODY5 ")\r\n"
             "A0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  Request requests[] = { { .uid = 3 }, { .uid = 4 }, { .uid = 5 } };
  gulong handler;

  requests[1].cancellable = g_cancellable_new ();
  handler = g_signal_connect (store, "message-part", G_CALLBACK (on_message_part), requests);
  fetch_all (store, requests, G_N_ELEMENTS (requests));
  g_signal_handler_disconnect (store, handler);

  assert_body (&requests[0], BODY3);
  g_assert_error (requests[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Only the bytes before the cancellation reached the sink. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (requests[1].sink)),
                    ==, strlen ("message 4 "));
  assert_body (&requests[2], BODY5);
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* A request cancelled before the batch is sent is left out of it. */
static void
test_bulk_cancel_before (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3,5 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "* 2 FETCH (UID 5 BODY[] {20}\r\n" BODY5 ")\r\n"
             "A0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  Request requests[] = { { .uid = 3 }, { .uid = 4 }, { .uid = 5 } };

  requests[1].cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      requests[i].sink = g_memory_output_stream_new_resizable ();
      missive_store_fetch_message_async (store, requests[i].uid, requests[i].sink,
                                         G_PRIORITY_DEFAULT, requests[i].cancellable,
                                         on_fetched, &requests[i]);
    }
  g_cancellable_cancel (requests[1].cancellable);
  while (!requests[0].done || !requests[1].done || !requests[2].done)
    g_main_context_iteration (NULL, TRUE);

  assert_body (&requests[0], BODY3);
  g_assert_error (requests[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_body (&requests[2], BODY5);
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* Another command asked after the fetches is sent after their FETCH. */
static void
test_bulk_order (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3:4 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "* 2 FETCH (UID 4 BODY[] {20}\r\n" BODY4 ")\r\n"
             "A0003 OK Fetch completed\r\n"),
    MT_EXPECT ("A0004 EXAMINE Archive"),
    MT_SEND ("* 0 EXISTS\r\n* OK [UIDVALIDITY 8] UIDs valid\r\n"
             "A0004 OK [READ-ONLY] Examine completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  Request requests[] = { { .uid = 3 }, { .uid = 4 } };
  g_autoptr(GAsyncResult) examined = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      requests[i].sink = g_memory_output_stream_new_resizable ();
      missive_store_fetch_message_async (store, requests[i].uid, requests[i].sink,
                                         G_PRIORITY_DEFAULT, NULL, on_fetched, &requests[i]);
    }
  missive_store_select_mailbox_async (store, "Archive", TRUE, G_PRIORITY_DEFAULT, NULL,
                                      on_result, &examined);
  while (!requests[0].done || !requests[1].done || examined == NULL)
    g_main_context_iteration (NULL, TRUE);
  info = missive_store_select_mailbox_finish (store, examined, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  assert_body (&requests[0], BODY3);
  assert_body (&requests[1], BODY4);
  close_store (store, server);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

/* BYE in the middle: every request fails, the one whose body came too
 * (the command did not complete), and none hangs. */
static void
test_bulk_bye (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 3:5 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 3 BODY[] {20}\r\n" BODY3 ")\r\n"
             "* 2 FETCH (UID 4 BODY[] {20}\r\nmess"),
    MT_SLEEP (100),
    MT_SEND ("age 4 .........\n)\r\n* BYE Server shutting down\r\n"),
    MT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GError) error = NULL;
  Request requests[] = { { .uid = 3 }, { .uid = 4 }, { .uid = 5 } };

  fetch_all (store, requests, G_N_ELEMENTS (requests));
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_assert_false (requests[i].ok);
      g_assert_nonnull (requests[i].error);
      g_assert_true (requests[i].error->domain == MISSIVE_ERROR);
      g_assert_false (g_error_matches (requests[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    }
  g_assert_error (requests[2].error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_true (missive_test_server_finish (server, &error));
  g_assert_no_error (error);
  requests_clear (requests, G_N_ELEMENTS (requests));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imap/bulk/one-command", test_bulk_one_command);
  g_test_add_func ("/imap/bulk/split", test_bulk_split);
  g_test_add_func ("/imap/bulk/missing", test_bulk_missing);
  g_test_add_func ("/imap/bulk/no", test_bulk_no);
  g_test_add_func ("/imap/bulk/cancel-one", test_bulk_cancel_one);
  g_test_add_func ("/imap/bulk/cancel-before", test_bulk_cancel_before);
  g_test_add_func ("/imap/bulk/order", test_bulk_order);
  g_test_add_func ("/imap/bulk/bye", test_bulk_bye);
  return g_test_run ();
}
