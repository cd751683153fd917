/* test-imap-rev2.c: the IMAP plugin in IMAP4rev2 mode (ENABLE IMAP4rev2
 * and what changes with it), QRESYNC's sequence-match data and PARTIAL
 * (RFC 9394) paged searches, against scripted fake servers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-imap-fake.h"

#define ASSERT_OK(call) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

static void
on_trace (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line)
{
  g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" : "S:", line);
}

/* Like open_store(), with the enable-imap4rev2 property set first. */
static MissiveStore *
open_rev2 (MissiveTestServer *server,
           gboolean           enable_rev2)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("imap://alice@127.0.0.1:%u",
                                          missive_test_server_get_port (server));
  MissiveService *service = missive_engine_create_service (missive_engine_get_default (), uri, &error);

  g_assert_no_error (error);
  g_object_set (service, "enable-imap4rev2", enable_rev2, NULL);
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  if (g_strcmp0 (g_getenv ("MISSIVE_TEST_TRACE"), "1") == 0)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), NULL);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  return MISSIVE_STORE (service);
}

/* ---- IMAP4rev2 ---- */

/* A server with both: ENABLE IMAP4rev2, then IMAP4rev2's forms: SEARCH
 * through ESEARCH, STATUS without RECENT (with SIZE), LIST (SUBSCRIBED)
 * instead of LSUB, UTF-8 mailbox names both ways, MOVE and UID EXPUNGE
 * without their capabilities being listed. */
static void
test_rev2_enable (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 IMAP4rev2"),
    MT_EXPECT ("A0002 ENABLE IMAP4rev2"),
    MT_SEND ("* ENABLED IMAP4rev2\r\nA0002 OK Enabled\r\n"),
    MT_EXPECT ("A0003 STATUS \"Entwürfe\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN SIZE)"),
    MT_SEND ("* STATUS \"Entwürfe\" (MESSAGES 2 UIDNEXT 9 UIDVALIDITY 4 UNSEEN 1 SIZE 4000)\r\n"
             "A0003 OK Status completed\r\n"),
    MT_EXPECT ("A0004 LIST (SUBSCRIBED) \"\" \"*\" RETURN (SPECIAL-USE)"),
    MT_SEND ("* LIST (\\Subscribed) \"/\" INBOX\r\n"
             "* LIST (\\Subscribed \\Drafts) \"/\" \"Entwürfe\"\r\n"
             "A0004 OK List completed\r\n"),
    MT_EXPECT ("A0005 SELECT INBOX"),
    MT_SEND ("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n"
             "* LIST () \"/\" INBOX\r\n"
             "A0005 OK [READ-WRITE] Select completed\r\n"),
    MT_EXPECT ("A0006 UID SEARCH RETURN (ALL) UNSEEN"),
    MT_SEND ("* ESEARCH (TAG \"A0006\") UID ALL 4:5,9\r\nA0006 OK Search completed\r\n"),
    MT_EXPECT ("A0007 UID SEARCH RETURN (ALL) UNSEEN"),
    MT_SEND ("* ESEARCH (TAG \"A0007\") UID\r\nA0007 OK Search completed\r\n"),
    MT_EXPECT ("A0008 UID MOVE 4 \"Entwürfe\""),
    MT_SEND ("* OK [COPYUID 4 4 8] Moved\r\n* 1 EXPUNGE\r\nA0008 OK Move completed\r\n"),
    MT_EXPECT ("A0009 UID EXPUNGE 5"),
    MT_SEND ("* 1 EXPUNGE\r\nA0009 OK Expunge completed\r\n"),
    LOGOUT ("A0010"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_rev2 (server, TRUE);
  g_autoptr(MissiveSearchQuery) unseen = missive_search_query_new ();
  g_autoptr(MissiveMailboxInfo) status = NULL;
  g_autoptr(MissiveMailboxInfo) selected = NULL;
  g_autoptr(MissiveMailboxInfo) drafts = NULL;
  g_autoptr(GListModel) subscribed = NULL;
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(MissiveMessageSet) none = NULL;
  g_autoptr(MissiveMessageSet) move = missive_message_set_new_from_string ("4", NULL);
  g_autoptr(MissiveMessageSet) expunge = missive_message_set_new_from_string ("5", NULL);
  g_autoptr(MissiveUidMap) moved = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found_text = NULL;
  gboolean enable_rev2 = FALSE;

  g_object_get (store, "enabled-extensions", &enabled, "enable-imap4rev2", &enable_rev2, NULL);
  g_assert_cmpstrv (enabled, ((const char * const[]) { "IMAP4rev2", NULL }));
  g_assert_true (enable_rev2);

  status = missive_store_get_mailbox_status (store, "Entwürfe", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_mailbox_info_get_name (status), ==, "Entwürfe");
  g_assert_cmpuint (missive_mailbox_info_get_messages (status), ==, 2);
  g_assert_cmpuint (missive_mailbox_info_get_size (status), ==, 4000);

  subscribed = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_SUBSCRIBED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subscribed), ==, 2);
  drafts = g_list_model_get_item (subscribed, 1);
  g_assert_cmpstr (missive_mailbox_info_get_name (drafts), ==, "Entwürfe");
  g_assert_cmpstr (missive_mailbox_info_get_special_use (drafts), ==, "\\Drafts");

  selected = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (selected), ==, 3);

  missive_search_query_add_flag (unseen, MISSIVE_FLAG_SEEN, FALSE);
  found = missive_store_search (store, unseen, NULL, &error);
  g_assert_no_error (error);
  found_text = missive_message_set_to_string (found);
  g_assert_cmpstr (found_text, ==, "4:5,9");
  none = missive_store_search (store, unseen, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_message_set_is_empty (none));

  moved = missive_store_copy_messages (store, move, "Entwürfe", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  ASSERT_OK (missive_store_expunge (store, expunge, NULL, &error));
  close_store (store, server);
}

/* enable-imap4rev2 FALSE: the same server stays on IMAP4rev1 (no ENABLE,
 * RECENT in STATUS, modified UTF-7 names, LSUB without LIST-EXTENDED). */
static void
test_rev2_opt_out (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 IMAP4rev2 ENABLE"),
    MT_EXPECT ("A0002 STATUS Entw&APw-rfe (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)"),
    MT_SEND ("* STATUS Entw&APw-rfe (MESSAGES 2 RECENT 1)\r\nA0002 OK Status completed\r\n"),
    MT_EXPECT ("A0003 LSUB \"\" \"*\""),
    MT_SEND ("* LSUB () \"/\" Entw&APw-rfe\r\nA0003 OK Lsub completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_rev2 (server, FALSE);
  g_autoptr(MissiveMailboxInfo) status = NULL;
  g_autoptr(MissiveMailboxInfo) first = NULL;
  g_autoptr(GListModel) subscribed = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (store, "enabled-extensions", &enabled, NULL);
  g_assert_cmpstrv (enabled, ((const char * const[]) { NULL }));
  status = missive_store_get_mailbox_status (store, "Entwürfe", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_recent (status), ==, 1);
  subscribed = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_SUBSCRIBED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subscribed), ==, 1);
  first = g_list_model_get_item (subscribed, 0);
  g_assert_cmpstr (missive_mailbox_info_get_name (first), ==, "Entwürfe");
  close_store (store, server);
}

/* A server with only IMAP4rev2 (no ENABLE listed): IMAP4rev2 from the
 * start, ENABLE asked anyway (it is part of IMAP4rev2), and a NO to it
 * changes nothing: STATUS still has no RECENT. */
static void
test_rev2_only (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev2"),
    MT_EXPECT ("A0002 ENABLE IMAP4rev2"),
    MT_SEND ("A0002 NO Not today\r\n"),
    MT_EXPECT ("A0003 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN SIZE)"),
    MT_SEND ("* STATUS INBOX (MESSAGES 5)\r\nA0003 OK Status completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_rev2 (server, TRUE);
  g_autoptr(MissiveMailboxInfo) status = NULL;
  g_autoptr(GError) error = NULL;

  status = missive_store_get_mailbox_status (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (status), ==, 5);
  close_store (store, server);
}

/* ---- QRESYNC sequence-match data ---- */

#define QRESYNC_LOGIN \
  LOGIN_ONLY ("IMAP4rev1 ENABLE QRESYNC CONDSTORE"), \
  MT_EXPECT ("A0002 ENABLE QRESYNC"), \
  MT_SEND ("* ENABLED QRESYNC\r\nA0002 OK Enabled\r\n")

#define QRESYNC_SELECTED(tag) \
  MT_SEND ("* 4 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n* OK [HIGHESTMODSEQ 120] Ok\r\n" \
           tag " OK [READ-WRITE] selected\r\n")

static void
resync (MissiveStore *store,
        const char   *known_text)
{
  g_autoptr(MissiveMessageSet) known = missive_message_set_new_from_string (known_text, NULL);
  g_autoptr(MissiveMessageSet) vanished = NULL;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (known);
  info = missive_store_resync_mailbox (store, "INBOX", FALSE, 7, 100, known,
                                       &vanished, &changed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), ==, 120);
}

/* The pairs: message 1, the last, and those 1, 3, 7 ... before the last,
 * each with the UID at that position of the known UIDs. */
static void
test_qresync_sequence_match (void)
{
  const MissiveTestStep script[] = {
    QRESYNC_LOGIN,
    MT_EXPECT ("A0003 SELECT INBOX (QRESYNC (7 100 3,5:6,9 (1,3,4 3,6,9)))"),
    QRESYNC_SELECTED ("A0003"),
    MT_EXPECT ("A0004 SELECT INBOX (QRESYNC (7 100 12 (1 12)))"),
    QRESYNC_SELECTED ("A0004"),
    MT_EXPECT ("A0005 SELECT INBOX (QRESYNC (7 100 1:3 (1,2,3 1,2,3)))"),
    QRESYNC_SELECTED ("A0005"),
    /* A thousand known UIDs in runs: positions 1, 1000-511 ... 1000. */
    MT_EXPECT ("A0006 SELECT INBOX (QRESYNC (7 100 1:500,601:1100 "
               "(1,489,745,873,937,969,985,993,997,999,1000 "
               "1,489,845,973,1037,1069,1085,1093,1097,1099,1100)))"),
    QRESYNC_SELECTED ("A0006"),
    LOGOUT ("A0007"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_rev2 (server, TRUE);
  gboolean sequence_match = FALSE;

  g_object_get (store, "resync-sequence-match", &sequence_match, NULL);
  g_assert_true (sequence_match);
  resync (store, "3,5:6,9");
  resync (store, "12");
  resync (store, "1:3");
  resync (store, "1:500,601:1100");
  close_store (store, server);
}

/* Known UIDs too many for the line: they are left out, the pairs stay;
 * with resync-sequence-match off, no pairs. */
static void
test_qresync_sequence_match_long (void)
{
  const MissiveTestStep script[] = {
    QRESYNC_LOGIN,
    MT_EXPECT ("A0003 SELECT INBOX (QRESYNC (7 100 "
               "(1,1809,5905,7953,8977,9489,9745,9873,9937,9969,9985,9993,9997,9999,10000 "
               "1,3617,11809,15905,17953,18977,19489,19745,19873,19937,19969,19985,19993,19997,19999)))"),
    QRESYNC_SELECTED ("A0003"),
    MT_EXPECT ("A0004 SELECT INBOX (QRESYNC (7 100 3,5:6,9))"),
    QRESYNC_SELECTED ("A0004"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_rev2 (server, TRUE);
  g_autoptr(GString) odd = g_string_new (NULL);

  for (guint uid = 1; uid < 20000; uid += 2)
    g_string_append_printf (odd, "%s%u", odd->len > 0 ? "," : "", uid);
  resync (store, odd->str);
  g_object_set (store, "resync-sequence-match", FALSE, NULL);
  resync (store, "3,5:6,9");
  close_store (store, server);
}

/* ---- PARTIAL (RFC 9394) ---- */

#define PARTIAL_PREAMBLE(caps) \
  LOGIN_ONLY (caps), \
  MT_EXPECT_PREFIX ("A0002 SELECT INBOX"), \
  MT_SEND ("* 5000 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n" \
           "A0002 OK [READ-WRITE] Select completed\r\n")

static char *
page_text (MissiveStore       *store,
           MissiveSearchQuery *query,
           int                 first,
           int                 last,
           guint64             expected_total)
{
  g_autoptr(MissiveMessageSet) page = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  page = missive_store_search_partial (store, query, first, last, &total, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_cmpuint (total, ==, expected_total);
  return missive_message_set_to_string (page);
}

/* First page, last page (negative range), a page past the end (NIL), a
 * page bigger than asked for (an error, the connection goes on), and
 * bad ranges refused before anything is sent. */
static void
test_partial (void)
{
  const MissiveTestStep script[] = {
    PARTIAL_PREAMBLE ("IMAP4rev1 ESEARCH PARTIAL"),
    MT_EXPECT ("A0003 UID SEARCH RETURN (PARTIAL 1:100 COUNT) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0003\") UID PARTIAL (1:100 200:250,300:348) COUNT 5000\r\n"
             "A0003 OK Search completed\r\n"),
    MT_EXPECT ("A0004 UID SEARCH RETURN (PARTIAL -1:-100 COUNT) UNSEEN"),
    MT_SEND ("* ESEARCH (TAG \"A0004\") UID COUNT 4000 PARTIAL (-1:-100 9901:10000)\r\n"
             "A0004 OK Search completed\r\n"),
    MT_EXPECT ("A0005 UID SEARCH RETURN (PARTIAL 5001:5100 COUNT) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0005\") UID PARTIAL (5001:5100 NIL) COUNT 5000\r\n"
             "A0005 OK Search completed\r\n"),
    MT_EXPECT ("A0006 UID SEARCH RETURN (PARTIAL 1:2 COUNT) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0006\") UID PARTIAL (1:2 1:10) COUNT 5000\r\n"
             "A0006 OK Search completed\r\n"),
    MT_EXPECT ("A0007 UID SEARCH RETURN (PARTIAL 1:2 COUNT) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0007\") UID PARTIAL 1:2\r\n"
             "A0007 OK Search completed\r\n"),
    MT_EXPECT ("A0008 NOOP"),
    MT_SEND ("A0008 OK done\r\n"),
    LOGOUT ("A0009"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) unseen = missive_search_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *last = NULL, *past = NULL;
  const int bad[][2] = { { 0, 5 }, { 1, -1 }, { -3, 0 }, { G_MININT, -1 } };

  first = page_text (store, all, 1, 100, 5000);
  g_assert_cmpstr (first, ==, "200:250,300:348");
  missive_search_query_add_flag (unseen, MISSIVE_FLAG_SEEN, FALSE);
  last = page_text (store, unseen, -1, -100, 4000);
  g_assert_cmpstr (last, ==, "9901:10000");
  past = page_text (store, all, 5100, 5001, 5000);
  g_assert_cmpstr (past, ==, "");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MissiveMessageSet) page = missive_store_search_partial (store, all, 1, 2, NULL,
                                                                        NULL, &error);

      g_assert_null (page);
      g_assert_true (error != NULL && error->domain == MISSIVE_ERROR);
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MissiveMessageSet) page = missive_store_search_partial (store, all, bad[i][0], bad[i][1],
                                                                        NULL, NULL, &error);

      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_assert_null (page);
      g_clear_error (&error);
    }
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store, server);
}

/* Without PARTIAL: one plain search per page, the page cut out locally;
 * the total is the number of matches. */
static void
test_partial_fallback (void)
{
  const MissiveTestStep script[] = {
    PARTIAL_PREAMBLE ("IMAP4rev1 ESEARCH"),
    MT_EXPECT ("A0003 UID SEARCH RETURN (ALL) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0003\") UID ALL 1:10,20:29\r\nA0003 OK Search completed\r\n"),
    MT_EXPECT ("A0004 UID SEARCH RETURN (ALL) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0004\") UID ALL 1:10,20:29\r\nA0004 OK Search completed\r\n"),
    MT_EXPECT ("A0005 UID SEARCH RETURN (ALL) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0005\") UID ALL 1:10,20:29\r\nA0005 OK Search completed\r\n"),
    MT_EXPECT ("A0006 UID SEARCH RETURN (ALL) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0006\") UID ALL 1:10,20:29\r\nA0006 OK Search completed\r\n"),
    MT_EXPECT ("A0007 UID SEARCH RETURN (ALL) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0007\") UID ALL 1:10,20:29\r\nA0007 OK Search completed\r\n"),
    LOGOUT ("A0008"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL, *p5 = NULL;

  p1 = page_text (store, all, 1, 5, 20);
  g_assert_cmpstr (p1, ==, "1:5");
  p2 = page_text (store, all, -1, -3, 20);
  g_assert_cmpstr (p2, ==, "27:29");
  p3 = page_text (store, all, 8, 30, 20);
  g_assert_cmpstr (p3, ==, "8:10,20:29");
  p4 = page_text (store, all, -100, -1, 20);
  g_assert_cmpstr (p4, ==, "1:10,20:29");
  p5 = page_text (store, all, 21, 40, 20);
  g_assert_cmpstr (p5, ==, "");
  close_store (store, server);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap/rev2/enable", test_rev2_enable);
  g_test_add_func ("/imap/rev2/opt-out", test_rev2_opt_out);
  g_test_add_func ("/imap/rev2/only", test_rev2_only);
  g_test_add_func ("/imap/qresync/sequence-match", test_qresync_sequence_match);
  g_test_add_func ("/imap/qresync/sequence-match/long", test_qresync_sequence_match_long);
  g_test_add_func ("/imap/partial", test_partial);
  g_test_add_func ("/imap/partial/fallback", test_partial_fallback);

  return g_test_run ();
}
