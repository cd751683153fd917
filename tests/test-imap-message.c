/* test-imap-message.c: the IMAP plugin's message operations against
 * scripted fake servers
 *
 * FETCH of summaries and of content (streamed to the application's stream,
 * decoded, ranges, a connection dropped in the middle of a literal),
 * SEARCH and SORT rendering, STORE, COPY/MOVE with COPYUID and the MOVE
 * fallback, APPEND with synchronising and non-synchronising literals,
 * EXPUNGE, QUOTA/ACL, and IDLE: stop, restart, keep-alive probe, dead
 * peer, polling, cancellation. Each script states the exact lines the
 * client must send.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-imap-fake.h"

/* A call that must succeed; its error, if any, is shown. */
#define ASSERT_OK(call) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

/* The greeting, the login and SELECT INBOX (tags A0001, A0002). The
 * capabilities come with the greeting and the login's OK, so the client
 * never needs to ask. No ID or ENABLE: the tags stay predictable. */
#define PREAMBLE(caps) \
  MT_SEND ("* OK [CAPABILITY " caps "] fake server ready\r\n"), \
  MT_EXPECT_PREFIX ("A0001 LOGIN "), \
  MT_SEND ("A0001 OK [CAPABILITY " caps "] Logged in\r\n"), \
  MT_EXPECT_PREFIX ("A0002 SELECT INBOX"), \
  MT_SEND ("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n" \
           "* 3 EXISTS\r\n* 0 RECENT\r\n" \
           "* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 10] Predicted next UID\r\n" \
           "A0002 OK [READ-WRITE] Select completed\r\n")

#define CAPS "IMAP4rev1 LITERAL+ UIDPLUS MOVE"

/* The server's script ran to its end (for tests whose connection breaks). */
static void
finish_server (MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_test_server_finish (server, &error));
}

static const char *
memory_data (GOutputStream *stream,
             gsize         *length)
{
  *length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  return g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream));
}

/* ---- signals seen ---- */

typedef struct
{
  guint started;
  guint64 started_total;
  guint progress;
  guint64 last_done;
  guint finished;
  guint64 finished_total;
  guint message_infos;
  guint parts;
  GString *part_data;
  guint changed;
  GPtrArray *warnings;
} Seen;

static void
on_transfer_started (MissiveService *service,
                     const char     *what,
                     guint64         total,
                     Seen           *seen)
{
  seen->started++;
  seen->started_total = total;
}

static void
on_transfer_progress (MissiveService *service,
                      guint64         done,
                      guint64         total,
                      Seen           *seen)
{
  g_assert_cmpuint (done, >=, seen->last_done);
  seen->progress++;
  seen->last_done = done;
}

static void
on_transfer_finished (MissiveService *service,
                      guint64         total,
                      Seen           *seen)
{
  seen->finished++;
  seen->finished_total = total;
}

static void
on_message_info (MissiveStore       *store,
                 MissiveMessageInfo *info,
                 Seen               *seen)
{
  seen->message_infos++;
}

static void
on_message_part (MissiveStore *store,
                 guint         id,
                 const char   *section,
                 GBytes       *data,
                 Seen         *seen)
{
  gsize length;
  const char *bytes = g_bytes_get_data (data, &length);

  seen->parts++;
  g_string_append_len (seen->part_data, bytes, length);
}

static void
on_warning (MissiveService *service,
            const GError   *error,
            Seen           *seen)
{
  g_ptr_array_add (seen->warnings, g_strdup (error->message));
}

static void
watch (MissiveStore *store,
       Seen         *seen)
{
  memset (seen, 0, sizeof *seen);
  seen->part_data = g_string_new (NULL);
  seen->warnings = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (store, "transfer-started", G_CALLBACK (on_transfer_started), seen);
  g_signal_connect (store, "transfer-progress", G_CALLBACK (on_transfer_progress), seen);
  g_signal_connect (store, "transfer-finished", G_CALLBACK (on_transfer_finished), seen);
  g_signal_connect (store, "message-info", G_CALLBACK (on_message_info), seen);
  g_signal_connect (store, "warning", G_CALLBACK (on_warning), seen);
}

static void
seen_clear (Seen *seen)
{
  g_string_free (seen->part_data, TRUE);
  g_ptr_array_unref (seen->warnings);
}

/* ---- fetch_part ---- */

#define MESSAGE "From: a@example.org\r\nSubject: hi\r\n\r\nHello, world\r\n"

static void
test_fetch_part_streams (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 5 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 5 BODY[] {50}\r\n" MESSAGE ")\r\nA0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  Seen seen;
  const char *data;
  gsize length;

  g_assert_cmpuint (strlen (MESSAGE), ==, 50);
  watch (store, &seen);
  g_signal_connect (store, "message-part", G_CALLBACK (on_message_part), &seen);
  ASSERT_OK (missive_store_fetch_part (store, 5, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                           0, 0, sink, NULL, &error));
  data = memory_data (sink, &length);
  g_assert_cmpmem (data, length, MESSAGE, 50);
  g_assert_cmpuint (seen.started, ==, 1);
  g_assert_cmpuint (seen.started_total, ==, 50);
  g_assert_cmpuint (seen.progress, >=, 1);
  g_assert_cmpuint (seen.last_done, ==, 50);
  g_assert_cmpuint (seen.finished, ==, 1);
  /* ::message-part carried the same bytes. */
  g_assert_cmpmem (seen.part_data->str, seen.part_data->len, MESSAGE, 50);
  close_store (store, server);
  seen_clear (&seen);
}

/* A large literal arrives in pieces; every byte lands in the sink, and
 * progress is reported more than once. */
static void
test_fetch_part_large (void)
{
  const gsize size = 3 * 1024 * 1024 + 17;
  g_autofree char *body = g_malloc (size);
  g_autofree char *head = g_strdup_printf ("* 1 FETCH (UID 5 BODY[] {%" G_GSIZE_FORMAT "}\r\n", size);
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 5 (BODY.PEEK[])"),
    MT_SEND (head),
    MT_SEND_LEN (body, size),
    MT_SEND (")\r\nA0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  Seen seen;
  const char *data;
  gsize length;

  for (gsize i = 0; i < size; i++)
    body[i] = (char) ('a' + i % 26);
  body[size / 2] = '\0';   /* NUL bytes are data too */
  server = missive_test_server_new (script, NULL, FALSE);
  store = open_store (server, TRUE);
  watch (store, &seen);
  ASSERT_OK (missive_store_fetch_part (store, 5, "", MISSIVE_FETCH_PART_FLAGS_NONE,
                                           0, 0, sink, NULL, &error));
  data = memory_data (sink, &length);
  g_assert_cmpuint (length, ==, size);
  g_assert_true (memcmp (data, body, size) == 0);
  g_assert_cmpuint (seen.progress, >, 1);
  g_assert_cmpuint (seen.last_done, ==, size);
  g_assert_cmpuint (seen.finished, ==, 1);
  close_store (store, server);
  seen_clear (&seen);
}

static void
test_fetch_part_connection_dropped (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 5 (BODY.PEEK[])"),
    MT_SEND ("* 1 FETCH (UID 5 BODY[] {1000}\r\n"),
    MT_SEND ("only a hundred bytes of the thousand announced ......................................\r\n"),
    MT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  Seen seen;

  watch (store, &seen);
  g_assert_false (missive_store_fetch_part (store, 5, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                            0, 0, sink, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  /* Nothing reported as done. */
  g_assert_cmpuint (seen.started, ==, 1);
  g_assert_cmpuint (seen.finished, ==, 0);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  finish_server (server);
  seen_clear (&seen);
}

/* DECODED without BINARY: the MIME header names the encoding, the body is
 * decoded here; a range applies to the decoded bytes. */
static void
test_fetch_part_decoded_locally (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 5 (BODY.PEEK[1.MIME])"),
    MT_SEND ("* 1 FETCH (UID 5 BODY[1.MIME] {63}\r\n"
             "Content-Type: text/plain\r\nContent-Transfer-Encoding: BASE64\r\n\r\n)\r\n"
             "A0003 OK Fetch completed\r\n"),
    MT_EXPECT ("A0004 UID FETCH 5 (BODY.PEEK[1])"),
    MT_SEND ("* 1 FETCH (UID 5 BODY[1] {24}\r\nSGVsbG8s\r\nIHdvcmxkIQ==\r\n)\r\n"
             "A0004 OK Fetch completed\r\n"),
    /* quoted-printable, a range of the decoded text */
    MT_EXPECT ("A0005 UID FETCH 6 (BODY.PEEK[2.MIME])"),
    MT_SEND ("* 2 FETCH (UID 6 BODY[2.MIME] {47}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n)\r\n"
             "A0005 OK Fetch completed\r\n"),
    MT_EXPECT ("A0006 UID FETCH 6 (BODY.PEEK[2])"),
    MT_SEND ("* 2 FETCH (UID 6 BODY[2] {25}\r\ncaf=C3=A9 au =\r\nlait=21\r\n)\r\n"
             "A0006 OK Fetch completed\r\n"),
    LOGOUT ("A0007"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) sink2 = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  ASSERT_OK (missive_store_fetch_part (store, 5, "1", MISSIVE_FETCH_PART_FLAGS_DECODED,
                                           0, 0, sink, NULL, &error));
  data = memory_data (sink, &length);
  g_assert_cmpmem (data, length, "Hello, world!", 13);

  ASSERT_OK (missive_store_fetch_part (store, 6, "2", MISSIVE_FETCH_PART_FLAGS_DECODED,
                                           5, 9, sink2, NULL, &error));
  data = memory_data (sink2, &length);
  /* "café au lait!": é is two bytes; bytes 5..13 */
  g_assert_cmpmem (data, length, " au lait!", 9);
  close_store (store, server);
}

static void
test_fetch_part_binary (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS " BINARY"),
    MT_EXPECT ("A0003 UID FETCH 5 (BINARY.PEEK[1]<2.4>)"),
    MT_SEND_LEN ("* 1 FETCH (UID 5 BINARY[1]<2> ~{4}\r\nc\0de)\r\nA0003 OK done\r\n", 58),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  ASSERT_OK (missive_store_fetch_part (store, 5, "1", MISSIVE_FETCH_PART_FLAGS_DECODED,
                                           2, 4, sink, NULL, &error));
  data = memory_data (sink, &length);
  g_assert_cmpmem (data, length, "c\0de", 4);
  close_store (store, server);
}

/* Headers only, a part's MIME header, \Seen, a range, and a UID that does
 * not exist. */
static void
test_fetch_part_variants (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 5 (BODY.PEEK[HEADER])"),
    MT_SEND ("* 1 FETCH (UID 5 BODY[HEADER] {14}\r\nSubject: x\r\n\r\n)\r\nA0003 OK done\r\n"),
    MT_EXPECT ("A0004 UID FETCH 5 (BODY.PEEK[2.MIME])"),
    MT_SEND ("* 1 FETCH (UID 5 BODY[2.MIME] \"\")\r\nA0004 OK done\r\n"),
    MT_EXPECT ("A0005 UID FETCH 5 (BODY[TEXT]<10.20>)"),
    MT_SEND ("* 1 FETCH (UID 5 FLAGS (\\Seen) BODY[TEXT]<10> {3}\r\nabc)\r\nA0005 OK done\r\n"),
    MT_EXPECT ("A0006 UID FETCH 77 (BODY.PEEK[])"),
    MT_SEND ("A0006 OK Fetch completed\r\n"),
    LOGOUT ("A0007"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

    ASSERT_OK (missive_store_fetch_part (store, 5, NULL, MISSIVE_FETCH_PART_FLAGS_HEADERS,
                                             0, 0, sink, NULL, &error));
    data = memory_data (sink, &length);
    g_assert_cmpmem (data, length, "Subject: x\r\n\r\n", 14);
  }
  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

    ASSERT_OK (missive_store_fetch_part (store, 5, "2", MISSIVE_FETCH_PART_FLAGS_HEADERS,
                                             0, 0, sink, NULL, &error));
    data = memory_data (sink, &length);
    g_assert_cmpuint (length, ==, 0);
  }
  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

    ASSERT_OK (missive_store_fetch_part (store, 5, "TEXT", MISSIVE_FETCH_PART_FLAGS_SET_SEEN,
                                             10, 20, sink, NULL, &error));
    data = memory_data (sink, &length);
    g_assert_cmpmem (data, length, "abc", 3);
  }
  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

    g_assert_false (missive_store_fetch_part (store, 77, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                              0, 0, sink, NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
  close_store (store, server);
}

/* ---- fetch_summaries ---- */

static void
test_fetch_summaries (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 1:3 (UID FLAGS RFC822.SIZE)"),
    MT_SEND ("* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 100)\r\n"
             "* 2 FETCH (UID 2 FLAGS () RFC822.SIZE 200)\r\n"
             /* someone else's flag change: not part of the result */
             "* 3 FETCH (UID 99 FLAGS (\\Deleted))\r\n"
             "* 3 FETCH (UID 3 FLAGS (\\Flagged $Junk) RFC822.SIZE 300)\r\n"
             "A0003 OK Fetch completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  Seen seen;

  missive_message_set_add_range (set, 1, 3);
  watch (store, &seen);
  list = missive_store_fetch_summaries (store, set,
                                        MISSIVE_FETCH_ITEMS_FLAGS | MISSIVE_FETCH_ITEMS_SIZE,
                                        0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_cmpuint (seen.message_infos, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (list, i);

      g_assert_cmpuint (missive_message_info_get_uid (info), ==, i + 1);
      g_assert_cmpuint (missive_message_info_get_sequence (info), ==, i + 1);
      g_assert_cmpuint (missive_message_info_get_size (info), ==, (i + 1) * 100);
    }
  {
    g_autoptr(MissiveMessageInfo) third = g_list_model_get_item (list, 2);

    g_assert_true (missive_message_info_has_flag (third, "\\Flagged"));
    g_assert_true (missive_message_info_has_flag (third, "$Junk"));
  }
  close_store (store, server);
  seen_clear (&seen);
}

/* A malformed FETCH fails the command with MISSIVE_ERROR_MALFORMED_RESPONSE,
 * never a half result; the reply was read to its end, so the connection
 * stays usable. */
static void
test_fetch_summaries_bad_response (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID FETCH 1:2 (UID FLAGS RFC822.SIZE)"),
    MT_SEND ("* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 100)\r\n"
             "* 2 FETCH (UID 2 FLAGS () RFC822.SIZE lots)\r\n"
             "A0003 OK Fetch completed\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("A0004 OK NOOP completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;

  missive_message_set_add_range (set, 1, 2);
  list = missive_store_fetch_summaries (store, set,
                                        MISSIVE_FETCH_ITEMS_FLAGS | MISSIVE_FETCH_ITEMS_SIZE,
                                        0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "RFC822.SIZE"));
  g_assert_null (list);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store, server);
}

/* A set that does not fit in one line goes out in pieces, pipelined, each
 * line under 8 KB; the results come together. */
static void
test_fetch_summaries_split (void)
{
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
  g_auto(GStrv) pieces = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) script = g_array_new (FALSE, FALSE, sizeof (MissiveTestStep));
  const MissiveTestStep preamble[] = { PREAMBLE (CAPS) };
  const MissiveTestStep logout[] = { LOGOUT ("A0007") };
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  GString *replies = g_string_new (NULL);
  guint n;

  for (guint32 uid = 1; uid < 9000; uid += 2)
    missive_message_set_add (set, uid);
  /* The plugin's limit for servers it knows nothing about: 7800 bytes
   * of set per line. */
  pieces = missive_message_set_split (set, 7800);
  n = g_strv_length (pieces);
  g_assert_cmpuint (n, ==, 3);

  g_array_append_vals (script, preamble, G_N_ELEMENTS (preamble));
  /* All three are sent before any answer (at most four in flight). */
  for (guint i = 0; i < n; i++)
    {
      char *line = g_strdup_printf ("A%04u UID FETCH %s (UID FLAGS)", 3 + i, pieces[i]);
      MissiveTestStep step = MT_EXPECT (line);

      g_assert_cmpuint (strlen (line), <, 8192);
      g_ptr_array_add (strings, line);
      g_array_append_val (script, step);
    }
  for (guint i = 0; i < n; i++)
    {
      /* one message per piece: its first */
      guint64 uid = g_ascii_strtoull (pieces[i], NULL, 10);

      g_string_append_printf (replies, "* %u FETCH (UID %" G_GUINT64_FORMAT " FLAGS ())\r\n"
                              "A%04u OK done\r\n", i + 1, uid, 3 + i);
    }
  g_ptr_array_add (strings, g_string_free (replies, FALSE));
  {
    MissiveTestStep step = MT_SEND (g_ptr_array_index (strings, strings->len - 1));

    g_array_append_val (script, step);
  }
  {
    MissiveTestStep step = MT_EXPECT ("A0006 NOOP");
    MissiveTestStep reply = MT_SEND ("A0006 OK done\r\n");

    g_array_append_val (script, step);
    g_array_append_val (script, reply);
  }
  g_array_append_vals (script, logout, G_N_ELEMENTS (logout));

  server = missive_test_server_new ((const MissiveTestStep *) script->data, NULL, FALSE);
  store = open_store (server, TRUE);
  list = missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_FLAGS, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store, server);
}

static void
test_fetch_summaries_changed_since (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 CONDSTORE"),
    MT_EXPECT ("A0003 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 42)"),
    MT_SEND ("* 2 FETCH (UID 4 FLAGS (\\Seen) MODSEQ (50))\r\nA0003 OK done\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  list = missive_store_fetch_summaries (store, set,
                                        MISSIVE_FETCH_ITEMS_FLAGS | MISSIVE_FETCH_ITEMS_MODSEQ,
                                        42, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  info = g_list_model_get_item (list, 0);
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 4);
  g_assert_cmpuint (missive_message_info_get_modseq (info), ==, 50);
  close_store (store, server);
}

static void
test_changed_since_needs_condstore (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (1);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;

  list = missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_FLAGS, 42, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (list);
  close_store (store, server);
}

/* ---- SEARCH and SORT ---- */

static void
test_search_non_ascii_sync_literal (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 ESEARCH"),
    MT_EXPECT ("A0003 UID SEARCH RETURN (ALL) CHARSET UTF-8 SUBJECT {7}"),
    MT_SEND ("+ Ready for literal data\r\n"),
    STEP_BYTES ("Gr\xc3\xbc\xc3\x9f" "e", 7),
    MT_EXPECT (" UNSEEN"),
    MT_SEND ("* ESEARCH (TAG \"A0099\") UID ALL 1\r\n"   /* not ours */
             "* ESEARCH (TAG \"A0003\") UID ALL 2,4:5\r\n"
             "A0003 OK Search completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(MissiveMessageSet) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;

  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_SUBJECT, "Gr\xc3\xbc\xc3\x9f" "e");
  missive_search_query_add_flag (query, MISSIVE_FLAG_SEEN, FALSE);
  result = missive_store_search (store, query, NULL, &error);
  g_assert_no_error (error);
  ids = missive_message_set_to_string (result);
  g_assert_cmpstr (ids, ==, "2,4:5");
  close_store (store, server);
}

static void
test_search_literal_plus_and_groups (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 LITERAL+"),
    MT_EXPECT ("A0003 UID SEARCH CHARSET UTF-8 OR (FROM {6+}"),
    STEP_BYTES ("J\xc3\xb6rg ", 6),
    MT_EXPECT (" SEEN) NOT TO \"bob\""),
    MT_SEND ("* SEARCH 3 7 8 9\r\nA0003 OK Search completed\r\n"),
    MT_EXPECT ("A0004 UID SEARCH ALL"),
    MT_SEND ("* SEARCH\r\nA0004 OK Search completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) a = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) b = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) not = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) empty = missive_search_query_new ();
  g_autoptr(MissiveMessageSet) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;

  missive_search_query_add_text (a, MISSIVE_SEARCH_FIELD_FROM, "J\xc3\xb6rg ");
  missive_search_query_add_flag (a, MISSIVE_FLAG_SEEN, TRUE);
  missive_search_query_add_text (b, MISSIVE_SEARCH_FIELD_TO, "bob");
  missive_search_query_add_not (not, b);
  missive_search_query_add_or (query, a, not);
  result = missive_store_search (store, query, NULL, &error);
  g_assert_no_error (error);
  ids = missive_message_set_to_string (result);
  g_assert_cmpstr (ids, ==, "3,7:9");
  g_clear_pointer (&result, missive_message_set_unref);

  result = missive_store_search (store, empty, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_message_set_is_empty (result));
  close_store (store, server);
}

static void
test_sort (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 SORT"),
    MT_EXPECT ("A0003 UID SORT (REVERSE DATE) UTF-8 UNSEEN"),
    MT_SEND ("* SORT 5 3 4\r\nA0003 OK Sort completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  missive_search_query_add_flag (query, MISSIVE_FLAG_SEEN, FALSE);
  ids = missive_store_sort (store, "REVERSE DATE", query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpuint (g_array_index (ids, guint32, 0), ==, 5);
  g_assert_cmpuint (g_array_index (ids, guint32, 1), ==, 3);
  g_assert_cmpuint (g_array_index (ids, guint32, 2), ==, 4);
  close_store (store, server);
}

static void
test_sort_not_offered (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = missive_store_sort (store, "DATE", query, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (ids);
  close_store (store, server);
}

/* ---- STORE ---- */

static void
test_set_flags (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 CONDSTORE"),
    MT_EXPECT ("A0003 UID STORE 1:2 +FLAGS (\\Seen $Label1)"),
    MT_SEND ("* 1 FETCH (UID 1 FLAGS (\\Seen $Label1))\r\n"
             "* 2 FETCH (UID 2 FLAGS (\\Seen $Label1 \\Flagged))\r\n"
             "A0003 OK Store completed\r\n"),
    MT_EXPECT ("A0004 UID STORE 1:3 (UNCHANGEDSINCE 12) FLAGS ()"),
    MT_SEND ("* 1 FETCH (UID 1 FLAGS () MODSEQ (13))\r\n"
             "A0004 OK [MODIFIED 2:3] Conditional store failed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) two = missive_message_set_new_from_string ("1:2", NULL);
  g_autoptr(MissiveMessageSet) three = missive_message_set_new_from_string ("1:3", NULL);
  const char * const flags[] = { MISSIVE_FLAG_SEEN, "$Label1", NULL };
  const char * const none[] = { NULL };
  const char * const bad[] = { "not a flag", NULL };
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Seen seen;

  watch (store, &seen);
  list = missive_store_set_flags (store, two, MISSIVE_FLAG_CHANGE_ADD, flags, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  info = g_list_model_get_item (list, 1);
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 2);
  g_assert_true (missive_message_info_has_flag (info, "\\Flagged"));
  g_clear_object (&list);

  /* A flag that is not an atom never reaches the server. */
  list = missive_store_set_flags (store, two, MISSIVE_FLAG_CHANGE_ADD, bad, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (list);
  g_clear_error (&error);

  list = missive_store_set_flags (store, three, MISSIVE_FLAG_CHANGE_REPLACE, none, 12, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  /* What UNCHANGEDSINCE left alone is reported as a warning. */
  g_assert_cmpuint (seen.warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (seen.warnings, 0), "2:3"));
  close_store (store, server);
  seen_clear (&seen);
}

/* ---- COPY / MOVE ---- */

static void
test_copy_copyuid (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID COPY 3,5:6 Archive"),
    MT_SEND ("A0003 OK [COPYUID 9 3,5:6 20:22] Copy completed\r\n"),
    MT_EXPECT ("A0004 UID COPY 1 Archive"),
    MT_SEND ("A0004 OK [COPYUID 9 1:2 20] Copy completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("3,5:6", NULL);
  g_autoptr(MissiveMessageSet) one = missive_message_set_new_single (1);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;

  map = missive_store_copy_messages (store, set, "Archive", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 9);
  g_assert_cmpuint (missive_uid_map_lookup (map, 3), ==, 20);
  g_assert_cmpuint (missive_uid_map_lookup (map, 5), ==, 21);
  g_assert_cmpuint (missive_uid_map_lookup (map, 6), ==, 22);
  g_assert_cmpuint (missive_uid_map_lookup (map, 4), ==, 0);
  g_clear_object (&map);

  /* Sets of different sizes: that command fails, the connection stays. */
  map = missive_store_copy_messages (store, one, "Archive", FALSE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_assert_null (map);
  g_clear_error (&error);
  close_store (store, server);
}

static void
test_move (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID MOVE 1:2 Trash"),
    MT_SEND ("* OK [COPYUID 9 1:2 30:31] Moved UIDs.\r\n"
             "* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nA0003 OK Move completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:2", NULL);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;

  map = missive_store_copy_messages (store, set, "Trash", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_lookup (map, 2), ==, 31);
  close_store (store, server);
}

/* No MOVE: COPY, STORE +FLAGS.SILENT (\Deleted), UID EXPUNGE of exactly
 * those UIDs. */
static void
test_move_fallback (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 UIDPLUS"),
    MT_EXPECT ("A0003 UID COPY 1:3 Archive"),
    MT_SEND ("A0003 OK [COPYUID 9 1:3 100:102] Copy completed\r\n"),
    MT_EXPECT ("A0004 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)"),
    MT_SEND ("A0004 OK Store completed\r\n"),
    MT_EXPECT ("A0005 UID EXPUNGE 1:3"),
    MT_SEND ("* 1 EXPUNGE\r\n* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nA0005 OK Expunge completed\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:3", NULL);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;

  map = missive_store_copy_messages (store, set, "Archive", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_lookup (map, 2), ==, 101);
  close_store (store, server);
}

/* Neither MOVE nor UIDPLUS: the originals stay, flagged \Deleted; no
 * plain EXPUNGE (it would take other people's deleted messages). */
static void
test_move_fallback_without_uidplus (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1"),
    MT_EXPECT ("A0003 UID COPY 4 Archive"),
    MT_SEND ("A0003 OK Copy completed\r\n"),
    MT_EXPECT ("A0004 UID STORE 4 +FLAGS.SILENT (\\Deleted)"),
    MT_SEND ("A0004 OK Store completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (4);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;
  Seen seen;

  watch (store, &seen);
  map = missive_store_copy_messages (store, set, "Archive", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 0);
  g_assert_true (missive_uid_map_is_empty (map));
  g_assert_cmpuint (seen.warnings->len, ==, 1);
  close_store (store, server);
  seen_clear (&seen);
}

/* ---- APPEND ---- */

#define DRAFT "Subject: draft\r\n\r\nbody\r\n"

static GInputStream *
draft_stream (void)
{
  return g_memory_input_stream_new_from_data (DRAFT, strlen (DRAFT), NULL);
}

static void
test_append_sync_literal (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 UIDPLUS"),
    MT_EXPECT ("A0002 APPEND Drafts (\\Seen \\Draft) \"05-Mar-2024 09:08:07 +0100\" {24}"),
    MT_SEND ("+ OK\r\n"),
    STEP_BYTES (DRAFT, 24),
    MT_EXPECT (""),
    MT_SEND ("A0002 OK [APPENDUID 38505 3955] Append completed\r\n"),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GInputStream) input = draft_stream ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2024, 3, 5, 9, 8, 7);
  const char * const flags[] = { MISSIVE_FLAG_SEEN, MISSIVE_FLAG_DRAFT, NULL };
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveMessageSet) destination = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (strlen (DRAFT), ==, 24);
  map = missive_store_append_message (store, "Drafts", input, 24, flags, date, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 38505);
  g_assert_null (missive_uid_map_get_source (map));
  g_assert_true (missive_message_set_contains (missive_uid_map_get_destination (map), 3955));
  close_store (store, server);
}

static void
test_append_literal_plus (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 LITERAL+"),
    MT_EXPECT ("A0002 APPEND INBOX {24+}"),
    STEP_BYTES (DRAFT, 24),
    MT_EXPECT (""),
    MT_SEND ("A0002 OK Append completed\r\n"),
    MT_EXPECT ("A0003 APPEND INBOX {24+}"),
    STEP_BYTES (DRAFT, 24),
    MT_EXPECT (""),
    MT_SEND ("A0003 NO [TRYCREATE] No such mailbox\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GInputStream) input = draft_stream ();
  g_autoptr(GInputStream) input2 = draft_stream ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;

  map = missive_store_append_message (store, "INBOX", input, 24, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* No UIDPLUS: an empty map. */
  g_assert_true (missive_uid_map_is_empty (map));
  g_clear_object (&map);

  map = missive_store_append_message (store, "inbox", input2, 24, NULL, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "TRYCREATE");
  g_assert_null (map);
  close_store (store, server);
}

/* ---- EXPUNGE ---- */

static void
test_expunge (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE (CAPS),
    MT_EXPECT ("A0003 UID EXPUNGE 2,4"),
    MT_SEND ("* 2 EXPUNGE\r\n* 3 EXPUNGE\r\nA0003 OK Expunge completed\r\n"),
    MT_EXPECT ("A0004 EXPUNGE"),
    MT_SEND ("A0004 OK Expunge completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("2,4", NULL);
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_store_expunge (store, set, NULL, &error));
  ASSERT_OK (missive_store_expunge (store, NULL, NULL, &error));
  close_store (store, server);
}

static void
test_expunge_set_needs_uidplus (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1"),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (2);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_store_expunge (store, set, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  close_store (store, server);
}

/* ---- QUOTA and ACL ---- */

typedef struct
{
  guint count;
  char *last;
} AclSeen;

static void
on_mailbox_acl (MissiveStore *store,
                const char   *mailbox,
                const char   *identifier,
                const char   *rights,
                AclSeen      *seen)
{
  seen->count++;
  g_free (seen->last);
  seen->last = g_strdup_printf ("%s %s %s", mailbox, identifier, rights);
}

static void
test_quota_and_acl (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 QUOTA ACL RIGHTS=texk"),
    MT_EXPECT ("A0002 GETQUOTAROOT INBOX"),
    MT_SEND ("* QUOTAROOT INBOX \"User quota\"\r\n"
             "* QUOTA \"User quota\" (STORAGE 10 1048576 MESSAGE 3 1000)\r\n"
             "A0002 OK Getquotaroot completed\r\n"),
    MT_EXPECT ("A0003 GETACL Shared"),
    MT_SEND ("* ACL Shared alice lrswipkxtecda \"bob smith\" lr\r\nA0003 OK Getacl completed\r\n"),
    MT_EXPECT ("A0004 SETACL Shared bob lrs"),
    MT_SEND ("A0004 OK Setacl complete\r\n"),
    MT_EXPECT ("A0005 DELETEACL Shared bob"),
    MT_SEND ("A0005 OK Deleteacl complete\r\n"),
    MT_EXPECT ("A0006 MYRIGHTS Shared"),
    MT_SEND ("* MYRIGHTS Shared lrswi\r\nA0006 OK Myrights completed\r\n"),
    MT_EXPECT ("A0007 GETQUOTAROOT INBOX"),
    MT_SEND ("* QUOTA \"User quota\" (STORAGE 10)\r\nA0007 OK Getquotaroot completed\r\n"),
    LOGOUT ("A0008"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GListModel) quotas = NULL;
  g_autoptr(GListModel) acl = NULL;
  g_autoptr(MissiveQuota) quota = NULL;
  g_autoptr(MissiveAclEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rights = NULL;
  AclSeen seen = { 0, NULL };

  quotas = missive_store_get_quota (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (quotas), ==, 1);
  quota = g_list_model_get_item (quotas, 0);
  g_assert_cmpstr (missive_quota_get_root (quota), ==, "User quota");
  g_assert_cmpuint (missive_quota_get_usage (quota, "STORAGE"), ==, 10);
  g_assert_cmpuint (missive_quota_get_limit (quota, "STORAGE"), ==, 1048576);
  g_assert_cmpuint (missive_quota_get_limit (quota, "message"), ==, 1000);

  g_signal_connect (store, "mailbox-acl", G_CALLBACK (on_mailbox_acl), &seen);
  acl = missive_store_get_acl (store, "Shared", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (acl), ==, 2);
  entry = g_list_model_get_item (acl, 1);
  g_assert_cmpstr (missive_acl_entry_get_identifier (entry), ==, "bob smith");
  g_assert_cmpstr (missive_acl_entry_get_rights (entry), ==, "lr");
  g_assert_cmpuint (seen.count, ==, 2);
  g_assert_cmpstr (seen.last, ==, "Shared bob smith lr");

  ASSERT_OK (missive_store_set_acl (store, "Shared", "bob", "lrs", NULL, &error));
  ASSERT_OK (missive_store_set_acl (store, "Shared", "bob", NULL, NULL, &error));
  rights = missive_store_get_my_rights (store, "Shared", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rights, ==, "lrswi");

  /* A resource without its limit: that command fails, the connection
   * stays. */
  g_clear_object (&quotas);
  quotas = missive_store_get_quota (store, "INBOX", NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_assert_null (quotas);
  g_clear_error (&error);
  close_store (store, server);
  g_free (seen.last);
}

static void
test_quota_not_offered (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    LOGOUT ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GListModel) quotas = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rights = NULL;

  quotas = missive_store_get_quota (store, "INBOX", NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  rights = missive_store_get_my_rights (store, "INBOX", NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  close_store (store, server);
}

/* ---- IDLE ---- */

typedef struct
{
  MissiveStore *store;
  guint changes;
  guint stop_after;        /* stop_idle at this many changes (0: never) */
  GCancellable *cancel;    /* cancel it instead, when set */
  char *last_what;
} IdleWatch;

static void
on_mailbox_changed (MissiveStore *store,
                    const char   *mailbox,
                    const char   *what,
                    guint         number,
                    IdleWatch    *w)
{
  w->changes++;
  g_free (w->last_what);
  w->last_what = g_strdup_printf ("%s %u", what, number);
  if (w->stop_after != 0 && w->changes == w->stop_after)
    {
      if (w->cancel != NULL)
        g_cancellable_cancel (w->cancel);
      else
        missive_store_stop_idle (store);
    }
}

static void
idle_watch (IdleWatch    *w,
            MissiveStore *store,
            guint         stop_after)
{
  memset (w, 0, sizeof *w);
  w->store = store;
  w->stop_after = stop_after;
  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_mailbox_changed), w);
}

static void
test_idle_news_and_stop (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 IDLE"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SEND ("+ idling\r\n"),
    MT_SEND ("* 4 EXISTS\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0003 OK Idle completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GError) error = NULL;
  IdleWatch w;

  idle_watch (&w, store, 1);
  ASSERT_OK (missive_store_idle (store, NULL, &error));
  g_assert_cmpuint (w.changes, ==, 1);
  g_assert_cmpstr (w.last_what, ==, "exists 4");
  close_store (store, server);
  g_free (w.last_what);
}

/* idle-max-seconds: DONE and a new IDLE. The shortest the property
 * allows is used; the server sleeps through most of it (its reads give up
 * after 10 s). */
static void
test_idle_restart (void)
{
  g_autoptr(MissiveService) probe =
    missive_engine_create_service (missive_engine_get_default (), "imap://nobody@127.0.0.1", NULL);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (probe), "idle-max-seconds");
  guint idle_max;
  MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 IDLE"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SEND ("+ idling\r\n"),
    MT_SLEEP (0),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0003 OK Idle completed\r\n"),
    MT_EXPECT ("A0004 IDLE"),
    MT_SEND ("+ idling\r\n* 5 EXISTS\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0004 OK Idle completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GError) error = NULL;
  IdleWatch w;

  g_assert_nonnull (pspec);
  idle_max = MAX (G_PARAM_SPEC_UINT (pspec)->minimum, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (script); i++)
    if (script[i].kind == MISSIVE_TEST_STEP_SLEEP)
      script[i].length = idle_max > 5 ? (idle_max - 4) * 1000 : 0;
  server = missive_test_server_new (script, NULL, FALSE);
  store = open_store (server, TRUE);
  g_object_set (store, "idle-max-seconds", idle_max, "keepalive-seconds", 30, NULL);
  idle_watch (&w, store, 1);
  ASSERT_OK (missive_store_idle (store, NULL, &error));
  g_assert_cmpstr (w.last_what, ==, "exists 5");
  close_store (store, server);
  g_free (w.last_what);
}

/* Silence for the keep-alive interval: DONE, a NOOP, a new IDLE. */
static void
test_idle_keepalive_probe (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 IDLE"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SEND ("+ idling\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0003 OK Idle completed\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("A0004 OK NOOP completed\r\n"),
    MT_EXPECT ("A0005 IDLE"),
    MT_SEND ("+ idling\r\n* 2 EXPUNGE\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0005 OK Idle completed\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GError) error = NULL;
  IdleWatch w;

  g_object_set (store, "keepalive-seconds", 1, NULL);
  idle_watch (&w, store, 1);
  ASSERT_OK (missive_store_idle (store, NULL, &error));
  g_assert_cmpstr (w.last_what, ==, "expunge 2");
  close_store (store, server);
  g_free (w.last_what);
}

/* DONE goes unanswered: the peer is dead, the connection is lost. */
static void
test_idle_dead_peer (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 IDLE"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SEND ("+ idling\r\n"),
    MT_EXPECT ("DONE"),
    /* silent, but the socket stays open */
    MT_SLEEP (4000),
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GError) error = NULL;

  g_object_set (store, "keepalive-seconds", 1, NULL);
  g_assert_false (missive_store_idle (store, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (error->message, "did not answer"));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  finish_server (server);
}

/* No IDLE: NOOP polling. */
static void
test_idle_polling (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1"),
    MT_EXPECT ("A0003 NOOP"),
    MT_SEND ("A0003 OK NOOP completed\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("* 4 EXISTS\r\nA0004 OK NOOP completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GError) error = NULL;
  IdleWatch w;

  g_object_set (store, "keepalive-seconds", 1, NULL);
  idle_watch (&w, store, 1);
  ASSERT_OK (missive_store_idle (store, NULL, &error));
  g_assert_cmpstr (w.last_what, ==, "exists 4");
  close_store (store, server);
  g_free (w.last_what);
}

/* Cancelled: the engine sends DONE, idle returns at once, and the next
 * command works. */
static void
test_idle_cancelled (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 IDLE"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SEND ("+ idling\r\n* 1 RECENT\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0003 OK Idle completed\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("A0004 OK NOOP completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  IdleWatch w;

  idle_watch (&w, store, 1);
  w.cancel = cancellable;
  g_assert_false (missive_store_idle (store, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store, server);
  g_free (w.last_what);
}

/* stop_idle before the server's "+": DONE right after it. */
typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} AsyncDone;

static void
on_idle_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncDone *d = user_data;

  d->ok = missive_store_idle_finish (MISSIVE_STORE (source), result, &d->error);
  d->done = TRUE;
}

static void
test_idle_stop_before_continuation (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 IDLE"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SLEEP (200),
    MT_SEND ("+ idling\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0003 OK Idle completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  AsyncDone d = { FALSE, FALSE, NULL };

  missive_store_idle_async (store, G_PRIORITY_DEFAULT, NULL, on_idle_finished, &d);
  missive_store_stop_idle (store);
  while (!d.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (d.error);
  g_assert_true (d.ok);
  close_store (store, server);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap/message/fetch-part/streams", test_fetch_part_streams);
  g_test_add_func ("/imap/message/fetch-part/large", test_fetch_part_large);
  g_test_add_func ("/imap/message/fetch-part/connection-dropped", test_fetch_part_connection_dropped);
  g_test_add_func ("/imap/message/fetch-part/decoded-locally", test_fetch_part_decoded_locally);
  g_test_add_func ("/imap/message/fetch-part/binary", test_fetch_part_binary);
  g_test_add_func ("/imap/message/fetch-part/variants", test_fetch_part_variants);
  g_test_add_func ("/imap/message/fetch-summaries/basic", test_fetch_summaries);
  g_test_add_func ("/imap/message/fetch-summaries/bad-response", test_fetch_summaries_bad_response);
  g_test_add_func ("/imap/message/fetch-summaries/split", test_fetch_summaries_split);
  g_test_add_func ("/imap/message/fetch-summaries/changed-since", test_fetch_summaries_changed_since);
  g_test_add_func ("/imap/message/fetch-summaries/changed-since-needs-condstore", test_changed_since_needs_condstore);
  g_test_add_func ("/imap/message/search/non-ascii-sync-literal", test_search_non_ascii_sync_literal);
  g_test_add_func ("/imap/message/search/literal-plus-and-groups", test_search_literal_plus_and_groups);
  g_test_add_func ("/imap/message/sort/basic", test_sort);
  g_test_add_func ("/imap/message/sort/not-offered", test_sort_not_offered);
  g_test_add_func ("/imap/message/store/flags", test_set_flags);
  g_test_add_func ("/imap/message/copy/copyuid", test_copy_copyuid);
  g_test_add_func ("/imap/message/move/basic", test_move);
  g_test_add_func ("/imap/message/move/fallback", test_move_fallback);
  g_test_add_func ("/imap/message/move/fallback-without-uidplus", test_move_fallback_without_uidplus);
  g_test_add_func ("/imap/message/append/sync-literal", test_append_sync_literal);
  g_test_add_func ("/imap/message/append/literal-plus", test_append_literal_plus);
  g_test_add_func ("/imap/message/expunge/basic", test_expunge);
  g_test_add_func ("/imap/message/expunge/set-needs-uidplus", test_expunge_set_needs_uidplus);
  g_test_add_func ("/imap/message/extra/quota-and-acl", test_quota_and_acl);
  g_test_add_func ("/imap/message/extra/not-offered", test_quota_not_offered);
  g_test_add_func ("/imap/message/idle/news-and-stop", test_idle_news_and_stop);
  g_test_add_func ("/imap/message/idle/restart", test_idle_restart);
  g_test_add_func ("/imap/message/idle/keepalive-probe", test_idle_keepalive_probe);
  g_test_add_func ("/imap/message/idle/dead-peer", test_idle_dead_peer);
  g_test_add_func ("/imap/message/idle/polling", test_idle_polling);
  g_test_add_func ("/imap/message/idle/cancelled", test_idle_cancelled);
  g_test_add_func ("/imap/message/idle/stop-before-continuation", test_idle_stop_before_continuation);

  return g_test_run ();
}
