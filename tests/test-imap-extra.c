/* test-imap-extra.c: the IMAP plugin's THREAD, NAMESPACE, QRESYNC
 * resynchronisation, ID/ENABLE/APPENDLIMIT getters, MULTIAPPEND, REPLACE,
 * LISTRIGHTS, GETQUOTA/SETQUOTA, METADATA, Gmail labels and ESORT, against
 * scripted fake servers; and the core wrappers of these operations
 * (argument checks, NOT_SUPPORTED from a plugin without them).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>
#include <missive/missive-plugin.h>

#include "test-imap-fake.h"

#define ASSERT_OK(call) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

/* The greeting, the login and SELECT INBOX (tags A0001, A0002); no ID or
 * ENABLE unless the capabilities ask for them. */
#define PREAMBLE(caps) \
  MT_SEND ("* OK [CAPABILITY " caps "] fake server ready\r\n"), \
  MT_EXPECT_PREFIX ("A0001 LOGIN "), \
  MT_SEND ("A0001 OK [CAPABILITY " caps "] Logged in\r\n"), \
  MT_EXPECT_PREFIX ("A0002 SELECT INBOX"), \
  MT_SEND ("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n" \
           "A0002 OK [READ-WRITE] Select completed\r\n")

static void
on_changed (MissiveStore *store,
            const char   *mailbox,
            const char   *what,
            guint         number,
            GString      *out)
{
  g_string_append_printf (out, "%s%s %s %u", out->len > 0 ? "|" : "", mailbox, what, number);
}

static char *
node_text (GListModel *roots,
           guint       i)
{
  g_autoptr(MissiveThreadNode) node = g_list_model_get_item (roots, i);

  return missive_thread_node_to_string (node);
}

/* ---- THREAD ---- */

/* RFC 5256's example, a conversation whose first message is missing, and
 * an algorithm the server does not offer. */
static void
test_thread (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 THREAD=REFERENCES THREAD=ORDEREDSUBJECT"),
    MT_EXPECT ("A0003 UID THREAD REFERENCES UTF-8 ALL"),
    MT_SEND ("* THREAD (2)(3 6 (4 23)(44 7 96))((11)(12 13))\r\nA0003 OK Thread completed\r\n"),
    MT_EXPECT ("A0004 UID THREAD ORDEREDSUBJECT UTF-8 FROM \"alice\""),
    MT_SEND ("* THREAD\r\nA0004 OK Thread completed\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) from = missive_search_query_new ();
  g_autoptr(GListModel) roots = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(GListModel) refs = NULL;
  g_autoptr(MissiveThreadNode) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *t0 = NULL, *t1 = NULL, *t2 = NULL;

  roots = missive_store_thread (store, "references", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (roots), ==, 3);
  t0 = node_text (roots, 0);
  t1 = node_text (roots, 1);
  t2 = node_text (roots, 2);
  g_assert_cmpstr (t0, ==, "2");
  g_assert_cmpstr (t1, ==, "3 6 (4 23)(44 7 96)");
  g_assert_cmpstr (t2, ==, "0 (11)(12 13)");

  second = g_list_model_get_item (roots, 1);
  g_assert_cmpuint (missive_thread_node_get_id (second), ==, 3);
  g_assert_cmpuint (missive_thread_node_get_n_children (second), ==, 1);
  g_assert_cmpuint (missive_thread_node_get_n_messages (second), ==, 7);
  g_assert_cmpuint (missive_thread_node_get_id (missive_thread_node_get_child (second, 0)), ==, 6);
  g_assert_cmpuint (missive_thread_node_get_n_children (missive_thread_node_get_child (second, 0)), ==, 2);
  g_assert_null (missive_thread_node_get_child (second, 1));

  missive_search_query_add_text (from, MISSIVE_SEARCH_FIELD_FROM, "alice");
  none = missive_store_thread (store, "ORDEREDSUBJECT", from, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);

  refs = missive_store_thread (store, "REFS", all, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (refs);
  g_clear_error (&error);

  /* Not an atom: refused before anything is sent. */
  g_assert_null (missive_store_thread (store, "REFERENCES ALL", all, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (missive_store_thread (store, "", all, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  close_store (store, server);
}

/* Malformed THREAD responses fail only their command; the connection goes
 * on. */
static void
test_thread_malformed (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 THREAD=REFERENCES"),
    MT_EXPECT ("A0003 UID THREAD REFERENCES UTF-8 ALL"),
    MT_SEND ("* THREAD (2)(3 x)\r\nA0003 OK Thread completed\r\n"),
    MT_EXPECT ("A0004 UID THREAD REFERENCES UTF-8 ALL"),
    MT_SEND ("* THREAD ()\r\nA0004 OK Thread completed\r\n"),
    MT_EXPECT ("A0005 UID THREAD REFERENCES UTF-8 ALL"),
    MT_SEND ("* THREAD 5\r\nA0005 OK Thread completed\r\n"),
    MT_EXPECT ("A0006 UID THREAD REFERENCES UTF-8 ALL"),
    MT_SEND ("* THREAD (0)\r\nA0006 OK Thread completed\r\n"),
    MT_EXPECT ("A0007 NOOP"),
    MT_SEND ("A0007 OK done\r\n"),
    LOGOUT ("A0008"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GListModel) roots = missive_store_thread (store, "REFERENCES", all, NULL, &error);

      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
      g_assert_null (roots);
      g_clear_error (&error);
    }
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store, server);
}

/* A conversation of 10,000 messages in a chain (as long as a 64 KiB line
 * allows): building, counting,
 * formatting and freeing it need no deep recursion. */
static void
test_thread_deep (void)
{
  const guint n = 10000;
  g_autoptr(GString) line = g_string_new ("* THREAD (");
  g_autofree char *reply = NULL;
  MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 THREAD=REFERENCES"),
    MT_EXPECT ("A0003 UID THREAD REFERENCES UTF-8 ALL"),
    MT_SEND (NULL),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(GListModel) roots = NULL;
  g_autoptr(MissiveThreadNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (line, i > 1 ? " %u" : "%u", i);
  g_string_append (line, ")\r\nA0003 OK Thread completed\r\n");
  reply = g_string_free (g_steal_pointer (&line), FALSE);
  script[G_N_ELEMENTS (script) - 4].data = reply;

  server = missive_test_server_new (script, NULL, FALSE);
  store = open_store (server, TRUE);
  roots = missive_store_thread (store, "REFERENCES", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (roots), ==, 1);
  root = g_list_model_get_item (roots, 0);
  g_assert_cmpuint (missive_thread_node_get_n_messages (root), ==, n);
  text = missive_thread_node_to_string (root);
  g_assert_true (g_str_has_prefix (text, "1 2 3 "));
  g_assert_true (g_str_has_suffix (text, " 9999 10000"));
  close_store (store, server);
}

/* ---- NAMESPACE ---- */

static void
assert_namespace (GListModel           *list,
                  guint                 i,
                  MissiveNamespaceKind  kind,
                  const char           *prefix,
                  const char           *separator)
{
  g_autoptr(MissiveNamespace) ns = g_list_model_get_item (list, i);

  g_assert_nonnull (ns);
  g_assert_cmpint (missive_namespace_get_kind (ns), ==, kind);
  g_assert_cmpstr (missive_namespace_get_prefix (ns), ==, prefix);
  g_assert_cmpstr (missive_namespace_get_separator (ns), ==, separator);
}

static void
test_namespace (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 NAMESPACE"),
    MT_EXPECT ("A0002 NAMESPACE"),
    MT_SEND ("* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) "
             "((\"Shared/\" \"/\" \"X-PARAM\" (\"FLAG1\"))(\"#news.\" \".\")(\"Gem&AOQ-\" NIL))\r\n"
             "A0002 OK Namespace completed\r\n"),
    MT_EXPECT ("A0003 NAMESPACE"),
    MT_SEND ("* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\nA0003 OK done\r\n"),
    MT_EXPECT ("A0004 NAMESPACE"),
    MT_SEND ("* NAMESPACE ((\"INBOX.\" \"..\")) NIL NIL\r\nA0004 OK done\r\n"),
    MT_EXPECT ("A0005 NAMESPACE"),
    MT_SEND ("* NAMESPACE ((\"INBOX.\" \".\")) NIL\r\nA0005 OK done\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) personal = NULL;
  g_autoptr(GError) error = NULL;

  list = missive_store_get_namespaces (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  assert_namespace (list, 0, MISSIVE_NAMESPACE_KIND_PERSONAL, "", "/");
  assert_namespace (list, 1, MISSIVE_NAMESPACE_KIND_OTHER_USERS, "Other Users/", "/");
  assert_namespace (list, 2, MISSIVE_NAMESPACE_KIND_SHARED, "Shared/", "/");
  assert_namespace (list, 3, MISSIVE_NAMESPACE_KIND_SHARED, "#news.", ".");
  /* Modified UTF-7 decoded; a flat namespace has no separator. */
  assert_namespace (list, 4, MISSIVE_NAMESPACE_KIND_SHARED, "Gemä", NULL);

  personal = missive_store_get_namespaces (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (personal), ==, 1);
  assert_namespace (personal, 0, MISSIVE_NAMESPACE_KIND_PERSONAL, "INBOX.", ".");

  /* A two-character separator, a missing part. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GListModel) bad = missive_store_get_namespaces (store, NULL, &error);

      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
      g_assert_null (bad);
      g_clear_error (&error);
    }
  close_store (store, server);
}

/* Without NAMESPACE: one personal namespace with LIST's separator. */
static void
test_namespace_fallback (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    MT_EXPECT ("A0002 LIST \"\" \"\""),
    MT_SEND ("* LIST (\\Noselect) \".\" \"\"\r\nA0002 OK List completed\r\n"),
    MT_EXPECT ("A0003 LIST \"\" \"\""),
    MT_SEND ("* LIST (\\Noselect) NIL \"\"\r\nA0003 OK List completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) flat = NULL;
  g_autoptr(GError) error = NULL;

  list = missive_store_get_namespaces (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  assert_namespace (list, 0, MISSIVE_NAMESPACE_KIND_PERSONAL, "", ".");
  flat = missive_store_get_namespaces (store, NULL, &error);
  g_assert_no_error (error);
  assert_namespace (flat, 0, MISSIVE_NAMESPACE_KIND_PERSONAL, "", NULL);
  close_store (store, server);
}

/* ---- QRESYNC ---- */

/* RFC 7162's example: SELECT with the known state; VANISHED (EARLIER) and
 * the changed flags come back; ENABLE QRESYNC was sent after login. */
static void
test_qresync_select (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN "),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] Logged in\r\n"),
    MT_EXPECT ("A0002 ENABLE QRESYNC"),
    MT_SEND ("* ENABLED QRESYNC\r\nA0002 OK Enabled\r\n"),
    /* With the sequence-match data derived from the known UIDs. */
    MT_EXPECT ("A0003 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 "
               "(1,244,372,436,468,484,492,496,498,499 41,286,414,478,510,526,534,538,540,541)))"),
    MT_SEND ("* 314 EXISTS\r\n"
             "* OK [UIDVALIDITY 67890007] Ok\r\n"
             "* OK [UIDNEXT 567] Ok\r\n"
             "* OK [HIGHESTMODSEQ 90060115205545359] Ok\r\n"
             "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540,600\r\n"
             "* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\r\n"
             "* 50 FETCH (UID 119 FLAGS (\\Draft $MDNSent) MODSEQ (90060115194045308))\r\n"
             "A0003 OK [READ-WRITE] mailbox selected\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("* VANISHED 119\r\n* 3 FETCH (UID 560 FLAGS (\\Seen))\r\nA0004 OK done\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(MissiveMessageSet) known = missive_message_set_new_from_string ("41:211,214:541", NULL);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) vanished = NULL;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(MissiveMessageInfo) first = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *vanished_text = NULL;

  g_object_get (store, "enabled-extensions", &enabled, NULL);
  g_assert_cmpstrv (enabled, ((const char * const[]) { "QRESYNC", NULL }));

  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_changed), changes);
  info = missive_store_resync_mailbox (store, "INBOX", FALSE, 67890007, G_GUINT64_CONSTANT (90060115194045000),
                                       known, &vanished, &changed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 67890007);
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), ==, G_GUINT64_CONSTANT (90060115205545359));
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 314);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");
  /* 600 is not a known UID: left out. */
  vanished_text = missive_message_set_to_string (vanished);
  g_assert_cmpstr (vanished_text, ==, "41,43:116,118,120:211,214:540");
  g_assert_true (g_str_has_prefix (changes->str, "INBOX vanished 41|INBOX vanished 43|"));
  g_assert_cmpuint (g_list_model_get_n_items (changed), ==, 2);
  first = g_list_model_get_item (changed, 0);
  g_assert_cmpuint (missive_message_info_get_uid (first), ==, 117);
  g_assert_cmpuint (missive_message_info_get_modseq (first), ==, G_GUINT64_CONSTANT (90060115194045001));
  g_assert_true (missive_message_info_has_flag (first, MISSIVE_FLAG_ANSWERED));

  /* The mailbox is selected: later news goes through ::mailbox-changed. */
  g_string_truncate (changes, 0);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpstr (changes->str, ==, "INBOX vanished 119|INBOX fetch 3");
  close_store (store, server);
}

/* A different UIDVALIDITY: the server ignores the QRESYNC data and the
 * caller sees the new UIDVALIDITY; malformed VANISHED fails the resync. */
static void
test_qresync_uidvalidity_changed (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC] ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN "),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC] Logged in\r\n"),
    MT_EXPECT ("A0002 ENABLE QRESYNC"),
    MT_SEND ("* ENABLED QRESYNC\r\nA0002 OK Enabled\r\n"),
    MT_EXPECT ("A0003 EXAMINE Archive (QRESYNC (5 10))"),
    MT_SEND ("* 2 EXISTS\r\n* OK [UIDVALIDITY 6] new\r\nA0003 OK [READ-ONLY] done\r\n"),
    MT_EXPECT ("A0004 SELECT INBOX (QRESYNC (5 10))"),
    MT_SEND ("* VANISHED (EARLIER) 3:*\r\nA0004 OK done\r\n"),
    /* A huge set: walked through the known UIDs only, refused without. */
    MT_EXPECT ("A0005 SELECT INBOX (QRESYNC (5 10 1:3 (1,2,3 1,2,3)))"),
    MT_SEND ("* VANISHED (EARLIER) 2:4294967294\r\nA0005 OK done\r\n"),
    MT_EXPECT ("A0006 SELECT INBOX (QRESYNC (5 10))"),
    MT_SEND ("* VANISHED (EARLIER) 2:4294967294\r\nA0006 OK done\r\n"),
    LOGOUT ("A0007"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMailboxInfo) bad = NULL;
  g_autoptr(MissiveMessageSet) vanished = NULL;
  g_autoptr(MissiveMessageSet) known = NULL;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  info = missive_store_resync_mailbox (store, "Archive", TRUE, 5, 10, NULL, &vanished, &changed,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 6);
  g_assert_true (missive_mailbox_info_get_read_only (info));
  g_assert_true (missive_message_set_is_empty (vanished));
  g_assert_cmpuint (g_list_model_get_n_items (changed), ==, 0);

  /* Only the result is wanted. */
  bad = missive_store_resync_mailbox (store, "INBOX", FALSE, 5, 10, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_assert_null (bad);
  g_assert_null (missive_store_get_selected_mailbox (store));
  g_clear_error (&error);

  g_clear_pointer (&vanished, missive_message_set_unref);
  g_clear_object (&info);
  known = missive_message_set_new_from_string ("1:3", NULL);
  info = missive_store_resync_mailbox (store, "INBOX", FALSE, 5, 10, known, &vanished, NULL,
                                       NULL, &error);
  g_assert_no_error (error);
  text = missive_message_set_to_string (vanished);
  g_assert_cmpstr (text, ==, "2:3");
  bad = missive_store_resync_mailbox (store, "INBOX", FALSE, 5, 10, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_assert_null (bad);
  close_store (store, server);
}

/* Without QRESYNC: SELECT, UID SEARCH ALL to find what vanished, then the
 * flags changed since the known MODSEQ (CONDSTORE). */
static void
test_resync_fallback (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 CONDSTORE ESEARCH"),
    MT_EXPECT ("A0002 SELECT INBOX (CONDSTORE)"),
    MT_SEND ("* 4 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n* OK [HIGHESTMODSEQ 130] Ok\r\n"
             "A0002 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0003 UID SEARCH RETURN (ALL) ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0003\") UID ALL 1:3,5\r\nA0003 OK done\r\n"),
    MT_EXPECT ("A0004 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 100)"),
    MT_SEND ("* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (120))\r\n"
             "* 4 FETCH (UID 5 FLAGS () MODSEQ (130))\r\nA0004 OK done\r\n"),
    /* UIDVALIDITY changed: nothing more is asked. */
    MT_EXPECT ("A0005 SELECT INBOX (CONDSTORE)"),
    MT_SEND ("* 4 EXISTS\r\n* OK [UIDVALIDITY 8] Ok\r\nA0005 OK [READ-WRITE] done\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(MissiveMessageSet) known = missive_message_set_new_from_string ("1:5", NULL);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMailboxInfo) again = NULL;
  g_autoptr(MissiveMessageSet) vanished = NULL;
  g_autoptr(MissiveMessageSet) vanished2 = NULL;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(GListModel) changed2 = NULL;
  g_autoptr(MissiveMessageInfo) second = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_changed), changes);
  info = missive_store_resync_mailbox (store, "INBOX", FALSE, 7, 100, known, &vanished, &changed,
                                       NULL, &error);
  g_assert_no_error (error);
  text = missive_message_set_to_string (vanished);
  g_assert_cmpstr (text, ==, "4");
  g_assert_cmpstr (changes->str, ==, "INBOX vanished 4");
  g_assert_cmpuint (g_list_model_get_n_items (changed), ==, 2);
  second = g_list_model_get_item (changed, 1);
  g_assert_cmpuint (missive_message_info_get_uid (second), ==, 5);
  g_assert_cmpuint (missive_message_info_get_modseq (second), ==, 130);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");

  again = missive_store_resync_mailbox (store, "INBOX", FALSE, 7, 130, known, &vanished2, &changed2,
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (again), ==, 8);
  g_assert_true (missive_message_set_is_empty (vanished2));
  g_assert_cmpuint (g_list_model_get_n_items (changed2), ==, 0);
  close_store (store, server);
}

/* ---- ID, ENABLE, APPENDLIMIT ---- */

static void
test_getters (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 ID ENABLE CONDSTORE UTF8=ACCEPT APPENDLIMIT=100] ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN "),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 ID ENABLE CONDSTORE UTF8=ACCEPT APPENDLIMIT=100] Logged in\r\n"),
    MT_EXPECT_PREFIX ("A0002 ID (\"name\" \"Missive\""),
    MT_SEND ("* ID (\"name\" \"Dovecot\" \"Version\" \"2.3.19\" \"os\" NIL)\r\nA0002 OK ID completed\r\n"),
    MT_EXPECT ("A0003 ENABLE CONDSTORE UTF8=ACCEPT"),
    MT_SEND ("* ENABLED CONDSTORE UTF8=ACCEPT\r\nA0003 OK Enabled\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GHashTable) id = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autoptr(GBytes) big = g_bytes_new_take (g_strnfill (101, 'x'), 101);
  g_autoptr(MissiveAppendItem) item = missive_append_item_new_from_bytes (big);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;
  guint64 limit = 0;

  store = open_store (server, FALSE);
  g_object_get (store, "server-id", &id, "enabled-extensions", &enabled,
                "append-limit", &limit, NULL);
  g_assert_nonnull (id);
  g_assert_cmpstr (g_hash_table_lookup (id, "name"), ==, "Dovecot");
  g_assert_cmpstr (g_hash_table_lookup (id, "version"), ==, "2.3.19");
  g_assert_false (g_hash_table_contains (id, "os"));
  g_assert_cmpstrv (enabled, ((const char * const[]) { "CONDSTORE", "UTF8=ACCEPT", NULL }));
  g_assert_cmpuint (limit, ==, 100);

  /* Larger than APPENDLIMIT: refused before anything is sent. */
  map = missive_store_append_bytes (store, "INBOX", big, NULL, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE);
  g_assert_null (map);
  g_clear_error (&error);
  g_ptr_array_add (items, item);
  map = missive_store_append_messages (store, "INBOX", items, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE);
  g_assert_null (map);
  close_store (store, server);

  /* Forgotten with the connection. */
  g_clear_pointer (&id, g_hash_table_unref);
  g_clear_pointer (&enabled, g_strfreev);
  g_object_get (store, "server-id", &id, "enabled-extensions", &enabled,
                "append-limit", &limit, NULL);
  g_assert_null (id);
  g_assert_cmpuint (g_strv_length (enabled), ==, 0);
  g_assert_cmpuint (limit, ==, 0);
}

/* ---- MULTIAPPEND ---- */

#define MSG1 "Subject: one\r\n\r\n1\r\n"
#define MSG2 "Subject: two\r\n\r\n22\r\n"

static GPtrArray *
two_items (void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) one = g_bytes_new_static (MSG1, strlen (MSG1));
  g_autoptr(GBytes) two = g_bytes_new_static (MSG2, strlen (MSG2));
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2024, 3, 5, 9, 8, 7);
  MissiveAppendItem *first = missive_append_item_new_from_bytes (one);
  MissiveAppendItem *second = missive_append_item_new_from_bytes (two);
  const char * const flags[] = { MISSIVE_FLAG_SEEN, NULL };

  missive_append_item_set_flags (first, flags);
  missive_append_item_set_internal_date (second, date);
  g_ptr_array_add (items, first);
  g_ptr_array_add (items, second);
  return items;
}

static void
test_multiappend (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 MULTIAPPEND LITERAL+ UIDPLUS"),
    MT_EXPECT ("A0002 APPEND Drafts (\\Seen) {19+}"),
    STEP_BYTES (MSG1, 19),
    MT_EXPECT (" \"05-Mar-2024 09:08:07 +0000\" {20+}"),
    STEP_BYTES (MSG2, 20),
    MT_EXPECT (""),
    MT_SEND ("A0002 OK [APPENDUID 38505 3955:3956] Append completed\r\n"),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GPtrArray) items = two_items ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uids = NULL;

  g_assert_cmpuint (strlen (MSG1), ==, 19);
  g_assert_cmpuint (strlen (MSG2), ==, 20);
  map = missive_store_append_messages (store, "Drafts", items, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 38505);
  uids = missive_message_set_to_string (missive_uid_map_get_destination (map));
  g_assert_cmpstr (uids, ==, "3955:3956");
  close_store (store, server);
}

/* Without MULTIAPPEND the core appends one message at a time and merges
 * the UIDs; a failure stops at the message that failed. */
static void
test_multiappend_fallback (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 LITERAL+ UIDPLUS"),
    MT_EXPECT ("A0002 APPEND Drafts (\\Seen) {19+}"),
    STEP_BYTES (MSG1, 19),
    MT_EXPECT (""),
    MT_SEND ("A0002 OK [APPENDUID 38505 10] Append completed\r\n"),
    MT_EXPECT ("A0003 APPEND Drafts \"05-Mar-2024 09:08:07 +0000\" {20+}"),
    STEP_BYTES (MSG2, 20),
    MT_EXPECT (""),
    MT_SEND ("A0003 OK [APPENDUID 38505 11] Append completed\r\n"),
    MT_EXPECT ("A0004 APPEND Drafts (\\Seen) {19+}"),
    STEP_BYTES (MSG1, 19),
    MT_EXPECT (""),
    MT_SEND ("A0004 NO [OVERQUOTA] Quota exceeded\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GPtrArray) items = two_items ();
  g_autoptr(GPtrArray) again = two_items ();
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveUidMap) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uids = NULL;

  map = missive_store_append_messages (store, "Drafts", items, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 38505);
  uids = missive_message_set_to_string (missive_uid_map_get_destination (map));
  g_assert_cmpstr (uids, ==, "10:11");

  failed = missive_store_append_messages (store, "Drafts", again, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_null (failed);
  g_clear_error (&error);

  g_assert_null (missive_store_append_messages (store, "Drafts", empty, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  close_store (store, server);
}

/* ---- REPLACE ---- */

static void
test_replace (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 REPLACE LITERAL+ UIDPLUS"),
    MT_EXPECT ("A0003 UID REPLACE 5 INBOX (\\Seen) {19+}"),
    STEP_BYTES (MSG1, 19),
    MT_EXPECT (""),
    MT_SEND ("* OK [APPENDUID 7 12] Replacement Message ready\r\n"
             "* 3 EXPUNGE\r\nA0003 OK Replace completed\r\n"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GPtrArray) items = two_items ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_changed), changes);
  map = missive_store_replace_message (store, 5, "INBOX", items->pdata[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 7);
  g_assert_cmpuint (missive_message_set_get_min (missive_uid_map_get_destination (map)), ==, 12);
  g_assert_cmpstr (changes->str, ==, "INBOX expunge 3");
  close_store (store, server);
}

/* Without REPLACE: APPEND, then \Deleted and UID EXPUNGE of the old one. */
static void
test_replace_fallback (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 LITERAL+ UIDPLUS"),
    MT_EXPECT ("A0003 APPEND Drafts (\\Seen) {19+}"),
    STEP_BYTES (MSG1, 19),
    MT_EXPECT (""),
    MT_SEND ("A0003 OK [APPENDUID 9 40] Append completed\r\n"),
    MT_EXPECT ("A0004 UID STORE 5 +FLAGS.SILENT (\\Deleted)"),
    MT_SEND ("A0004 OK Store completed\r\n"),
    MT_EXPECT ("A0005 UID EXPUNGE 5"),
    MT_SEND ("* 2 EXPUNGE\r\nA0005 OK Expunge completed\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(GPtrArray) items = two_items ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;

  map = missive_store_replace_message (store, 5, "Drafts", items->pdata[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 9);
  g_assert_true (missive_message_set_contains (missive_uid_map_get_destination (map), 40));

  g_assert_null (missive_store_replace_message (store, 0, "Drafts", items->pdata[1], NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  close_store (store, server);
}

/* ---- LISTRIGHTS, GETQUOTA, SETQUOTA, METADATA ---- */

static void
test_admin (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 ACL QUOTA METADATA LITERAL+"),
    MT_EXPECT ("A0002 LISTRIGHTS Shared smith"),
    MT_SEND ("* LISTRIGHTS Shared smith la r swicdkxte\r\nA0002 OK done\r\n"),
    MT_EXPECT ("A0003 GETQUOTA \"\""),
    MT_SEND ("* QUOTA \"\" (STORAGE 10 512 MESSAGE 3 1000)\r\nA0003 OK done\r\n"),
    MT_EXPECT ("A0004 SETQUOTA \"\" (STORAGE 1024)"),
    MT_SEND ("* QUOTA \"\" (STORAGE 10 1024)\r\nA0004 OK done\r\n"),
    MT_EXPECT ("A0005 SETQUOTA \"User quota\" ()"),
    MT_SEND ("A0005 NO [NOPERM] Not allowed\r\n"),
    MT_EXPECT ("A0006 GETMETADATA INBOX (/private/comment /shared/vendor/x)"),
    MT_SEND ("* METADATA INBOX (/private/comment \"My comment\" /shared/vendor/x NIL)\r\n"
             "A0006 OK done\r\n"),
    MT_EXPECT ("A0007 GETMETADATA \"\" (/shared/admin)"),
    MT_SEND ("* METADATA \"\" (/shared/admin {20}\r\nmailto:admin@example)\r\nA0007 OK done\r\n"),
    MT_EXPECT ("A0008 SETMETADATA INBOX (/private/comment \"Hi \\\"you\\\"\")"),
    MT_SEND ("A0008 OK done\r\n"),
    MT_EXPECT ("A0009 SETMETADATA INBOX (/private/comment NIL)"),
    MT_SEND ("A0009 NO [METADATA TOOMANY] Too many\r\n"),
    MT_EXPECT ("A0010 GETMETADATA INBOX (/private/comment)"),
    MT_SEND ("* METADATA INBOX (/private/comment)\r\nA0010 OK done\r\n"),
    LOGOUT ("A0011"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_auto(GStrv) rights = NULL;
  g_autoptr(MissiveQuota) quota = NULL;
  g_autoptr(MissiveQuota) change = missive_quota_new ("");
  g_autoptr(MissiveQuota) clear = missive_quota_new ("User quota");
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) server_values = NULL;
  g_autoptr(GHashTable) bad = NULL;
  const char * const entries[] = { "/private/comment", "/shared/vendor/x", NULL };
  const char * const admin[] = { "/shared/admin", NULL };
  const char * const comment[] = { "/private/comment", NULL };
  const char * const invalid[] = { "/private/a b", NULL };
  g_autoptr(GError) error = NULL;

  rights = missive_store_list_rights (store, "Shared", "smith", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (rights, ((const char * const[]) { "la", "r", "swicdkxte", NULL }));

  quota = missive_store_get_quota_by_root (store, "", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_quota_get_root (quota), ==, "");
  g_assert_cmpuint (missive_quota_get_usage (quota, "STORAGE"), ==, 10);
  g_assert_cmpuint (missive_quota_get_limit (quota, "MESSAGE"), ==, 1000);

  missive_quota_add_resource (change, "STORAGE", 0, 1024);
  ASSERT_OK (missive_store_set_quota (store, change, NULL, &error));
  g_assert_false (missive_store_set_quota (store, clear, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_clear_error (&error);

  values = missive_store_get_metadata (store, "INBOX", entries, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (values), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (values, "/private/comment"), ==, "My comment");
  server_values = missive_store_get_metadata (store, NULL, admin, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (server_values, "/shared/admin"), ==, "mailto:admin@example");

  ASSERT_OK (missive_store_set_metadata (store, "INBOX", "/private/comment", "Hi \"you\"", NULL, &error));
  g_assert_false (missive_store_set_metadata (store, "INBOX", "/private/comment", NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_clear_error (&error);
  /* The odd-length list is malformed; the connection goes on. */
  bad = missive_store_get_metadata (store, "INBOX", comment, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_assert_null (bad);
  g_clear_error (&error);

  /* Checked before sending. */
  g_assert_null (missive_store_get_metadata (store, "INBOX", invalid, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_set_metadata (store, "INBOX", "/other/x", "v", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (missive_store_list_rights (store, "Shared", "", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  close_store (store, server);
}

/* Servers without the extensions: NOT_SUPPORTED without a command. */
static void
test_admin_not_offered (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1"),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (1);
  g_autoptr(MissiveQuota) quota = missive_quota_new ("");
  const char * const entries[] = { "/private/comment", NULL };
  const char * const labels[] = { "Work", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (missive_store_list_rights (store, "INBOX", "bob", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_store_get_quota_by_root (store, "", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (missive_store_set_quota (store, quota, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_store_get_metadata (store, "INBOX", entries, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (missive_store_set_gmail_labels (store, set, MISSIVE_FLAG_CHANGE_ADD, labels,
                                                  NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  close_store (store, server);
}

/* ---- Gmail labels ---- */

static void
test_gmail_labels (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 X-GM-EXT-1"),
    MT_EXPECT ("A0003 UID STORE 1:3,7 +X-GM-LABELS.SILENT (\\Important \"Work Stuff\" \"\\\\Odd\\\"\")"),
    MT_SEND ("A0003 OK Store completed\r\n"),
    MT_EXPECT ("A0004 UID STORE 1:3,7 -X-GM-LABELS.SILENT (Work)"),
    MT_SEND ("A0004 OK Store completed\r\n"),
    MT_EXPECT ("A0005 UID STORE 1:3,7 X-GM-LABELS.SILENT ()"),
    MT_SEND ("A0005 OK Store completed\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:3,7", NULL);
  const char * const add[] = { "\\Important", "Work Stuff", "\\Odd\"", NULL };
  const char * const work[] = { "Work", NULL };
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_store_set_gmail_labels (store, set, MISSIVE_FLAG_CHANGE_ADD, add, NULL, &error));
  ASSERT_OK (missive_store_set_gmail_labels (store, set, MISSIVE_FLAG_CHANGE_REMOVE, work, NULL, &error));
  ASSERT_OK (missive_store_set_gmail_labels (store, set, MISSIVE_FLAG_CHANGE_REPLACE, NULL, NULL, &error));
  /* Adding nothing is a mistake. */
  g_assert_false (missive_store_set_gmail_labels (store, set, MISSIVE_FLAG_CHANGE_ADD, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  close_store (store, server);
}

/* ---- ESORT ---- */

/* SORT asks for an ESORT result where offered: a compact set in sort
 * order, descending runs included; an oversized range is refused. */
static void
test_esort (void)
{
  const MissiveTestStep script[] = {
    PREAMBLE ("IMAP4rev1 SORT ESORT"),
    MT_EXPECT ("A0003 UID SORT RETURN (ALL) (REVERSE DATE) UTF-8 ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0003\") UID ALL 9,7:5,1:2\r\nA0003 OK Sort completed\r\n"),
    MT_EXPECT ("A0004 UID SORT RETURN (ALL) (DATE) UTF-8 ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0004\") UID\r\nA0004 OK Sort completed\r\n"),
    MT_EXPECT ("A0005 UID SORT RETURN (ALL) (DATE) UTF-8 ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0005\") UID ALL 1:4294967295\r\nA0005 OK Sort completed\r\n"),
    MT_EXPECT ("A0006 UID SORT RETURN (ALL) (DATE) UTF-8 ALL"),
    MT_SEND ("* ESEARCH (TAG \"A0006\") UID ALL 3:x\r\nA0006 OK Sort completed\r\n"),
    LOGOUT ("A0007"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, TRUE);
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) none = NULL;
  const guint32 expected[] = { 9, 7, 6, 5, 1, 2 };
  g_autoptr(GError) error = NULL;

  ids = missive_store_sort (store, "REVERSE DATE", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (ids->data, ids->len * sizeof (guint32), expected, sizeof expected);
  none = missive_store_sort (store, "DATE", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GArray) bad = missive_store_sort (store, "DATE", all, NULL, &error);

      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
      g_assert_null (bad);
      g_clear_error (&error);
    }
  close_store (store, server);
}

/* ---- a plugin without these operations ---- */

static void
test_pop3_not_supported (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK POP3 ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n"),
    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"), MT_SEND ("+OK Logged in.\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n"),
    MT_EXPECT ("QUIT"), MT_SEND ("+OK Bye\r\n"), MT_WAIT_CLOSE, MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("pop3://127.0.0.1:%u?security=none",
                                          missive_test_server_get_port (server));
  g_autoptr(MissiveService) service = NULL;
  MissiveStore *store;
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(GPtrArray) items = two_items ();
  g_autoptr(MissiveMessageSet) known = missive_message_set_new_single (1);
  g_autoptr(GError) error = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_timeout (service, 20);
  store = MISSIVE_STORE (service);
  ASSERT_OK (missive_service_open (service, NULL, &error));

  g_assert_null (missive_store_thread (store, "REFERENCES", all, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_store_get_namespaces (store, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_store_resync_mailbox (store, "INBOX", FALSE, 1, 1, known, NULL, NULL,
                                               NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  /* Neither append_messages nor append_message: nothing to fall back on. */
  g_assert_null (missive_store_append_messages (store, "INBOX", items, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_store_replace_message (store, 1, "INBOX", items->pdata[0], NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  /* Argument errors come first. */
  g_assert_null (missive_store_resync_mailbox (store, "", FALSE, 1, 1, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ASSERT_OK (missive_service_close (service, NULL, &error));
  ASSERT_OK (missive_test_server_finish (server, &error));
}

/* ---- the core's fallback for a plugin with append_message only ---- */

/* A store whose only operation is append_message: it reads each message
 * and answers UID 100, 101, ... (UIDVALIDITY 9), or no UIDs at all for a
 * message starting with "NOUID", or a NO for one starting with "FAIL". */
#define TOY_TYPE_APPENDER (toy_appender_get_type ())
G_DECLARE_FINAL_TYPE (ToyAppender, toy_appender, TOY, APPENDER, MissiveStore)

struct _ToyAppender
{
  MissiveStore parent_instance;
  guint32 next_uid;
  GPtrArray *seen;      /* what was appended: "mailbox:flags:bytes" */
};

G_DEFINE_TYPE (ToyAppender, toy_appender, MISSIVE_TYPE_STORE)

static void
toy_greet_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  const char *line = missive_service_read_line_finish (MISSIVE_SERVICE (source), result, NULL, &error);

  if (line == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  missive_service_set_preauthenticated (MISSIVE_SERVICE (source));
  g_task_return_boolean (task, TRUE);
}

static void
toy_greet_async (MissiveService      *service,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  missive_service_read_line_async (service, cancellable, toy_greet_cb,
                                   g_task_new (service, cancellable, callback, user_data));
}

static gboolean
toy_greet_finish (MissiveService  *service,
                  GAsyncResult    *result,
                  GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static guint16
toy_default_port (MissiveService  *service,
                  MissiveSecurity  security)
{
  return 143;
}

static void
toy_append_message_async (MissiveStore        *store,
                          const char          *mailbox,
                          GInputStream        *message,
                          goffset              size,
                          const char * const  *flags,
                          GDateTime           *internal_date,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ToyAppender *self = TOY_APPENDER (store);
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(MissiveMessageSet) uid = NULL;
  GError *error = NULL;
  gsize length;
  const char *data;

  bytes = g_input_stream_read_bytes (message, size, cancellable, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &length);
  joined = flags != NULL ? g_strjoinv (" ", (char **) flags) : g_strdup ("");
  g_ptr_array_add (self->seen, g_strdup_printf ("%s:%s:%.*s", mailbox, joined, (int) length, data));
  if (length >= 4 && memcmp (data, "FAIL", 4) == 0)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO, "refused");
      return;
    }
  if (length >= 5 && memcmp (data, "NOUID", 5) == 0)
    {
      g_task_return_pointer (task, missive_uid_map_new (0, NULL, NULL), g_object_unref);
      return;
    }
  uid = missive_message_set_new_single (self->next_uid++);
  g_task_return_pointer (task, missive_uid_map_new (9, NULL, uid), g_object_unref);
}

static MissiveUidMap *
toy_append_message_finish (MissiveStore  *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
toy_appender_finalize (GObject *object)
{
  g_ptr_array_unref (TOY_APPENDER (object)->seen);
  G_OBJECT_CLASS (toy_appender_parent_class)->finalize (object);
}

static void
toy_appender_class_init (ToyAppenderClass *klass)
{
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);
  MissiveStoreClass *store_class = MISSIVE_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = toy_appender_finalize;
  service_class->get_default_port = toy_default_port;
  service_class->greet_async = toy_greet_async;
  service_class->greet_finish = toy_greet_finish;
  store_class->append_message_async = toy_append_message_async;
  store_class->append_message_finish = toy_append_message_finish;
}

static void
toy_appender_init (ToyAppender *self)
{
  self->next_uid = 100;
  self->seen = g_ptr_array_new_with_free_func (g_free);
}

static MissiveAppendItem *
text_item (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return missive_append_item_new_from_bytes (bytes);
}

static void
test_append_each (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH ready\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(ToyAppender) store = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) mixed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) failing = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveUidMap) empty = NULL;
  g_autoptr(MissiveUidMap) none = NULL;
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  const char * const flags[] = { MISSIVE_FLAG_FLAGGED, NULL };
  const char * const bad_flags[] = { "no spaces", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *uids = NULL;

  store = g_object_new (TOY_TYPE_APPENDER, "scheme", "toy", "host", "127.0.0.1",
                        "port", (guint) missive_test_server_get_port (server),
                        "security", MISSIVE_SECURITY_NONE, "timeout", 10, NULL);
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));

  g_ptr_array_add (items, text_item ("one"));
  g_ptr_array_add (items, text_item ("two"));
  missive_append_item_set_flags (items->pdata[1], flags);
  map = missive_store_append_messages (MISSIVE_STORE (store), "Box", items, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 9);
  uids = missive_message_set_to_string (missive_uid_map_get_destination (map));
  g_assert_cmpstr (uids, ==, "100:101");
  g_assert_cmpstr (store->seen->pdata[0], ==, "Box::one");
  g_assert_cmpstr (store->seen->pdata[1], ==, "Box:\\Flagged:two");

  /* One append without UIDs: the map is empty. */
  g_ptr_array_add (mixed, text_item ("three"));
  g_ptr_array_add (mixed, text_item ("NOUID four"));
  empty = missive_store_append_messages (MISSIVE_STORE (store), "Box", mixed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_uid_map_is_empty (empty));

  /* A failure stops there: the third message is never read. */
  g_ptr_array_add (failing, text_item ("five"));
  g_ptr_array_add (failing, text_item ("FAIL six"));
  g_ptr_array_add (failing, text_item ("seven"));
  none = missive_store_append_messages (MISSIVE_STORE (store), "Box", failing, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_null (none);
  g_clear_error (&error);
  g_assert_cmpuint (store->seen->len, ==, 6);

  /* Checked by the core: an invalid flag, no messages, an id of 0. */
  missive_append_item_set_flags (items->pdata[0], bad_flags);
  g_assert_null (missive_store_append_messages (MISSIVE_STORE (store), "Box", items, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (missive_store_append_messages (MISSIVE_STORE (store), "", failing, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* The other new operations: not implemented by this store. */
  g_assert_null (missive_store_thread (MISSIVE_STORE (store), "REFERENCES", all, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_store_list_rights (MISSIVE_STORE (store), "Box", "bob", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (missive_store_set_metadata (MISSIVE_STORE (store), NULL, "/shared/x", "v", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpuint (store->seen->len, ==, 6);

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  ASSERT_OK (missive_test_server_finish (server, &error));
}

/* ---- thread nodes built by hand ---- */

static void
test_thread_node (void)
{
  g_autoptr(MissiveThreadNode) root = missive_thread_node_new (0);
  g_autoptr(MissiveThreadNode) a = missive_thread_node_new (1);
  g_autoptr(MissiveThreadNode) b = missive_thread_node_new (2);
  g_autoptr(MissiveThreadNode) c = missive_thread_node_new (3);
  g_autofree char *text = NULL;

  missive_thread_node_add_child (root, a);
  missive_thread_node_add_child (root, b);
  missive_thread_node_add_child (b, c);
  text = missive_thread_node_to_string (root);
  g_assert_cmpstr (text, ==, "0 (1)(2 3)");
  g_assert_cmpuint (missive_thread_node_get_n_messages (root), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (missive_thread_node_get_children (a)), ==, 0);
  /* A child someone still holds keeps its own children. */
  g_clear_object (&root);
  g_clear_object (&a);
  g_assert_cmpuint (missive_thread_node_get_n_children (b), ==, 1);
  g_assert_true (missive_thread_node_get_child (b, 0) == c);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap/extra/thread", test_thread);
  g_test_add_func ("/imap/extra/thread/malformed", test_thread_malformed);
  g_test_add_func ("/imap/extra/thread/deep", test_thread_deep);
  g_test_add_func ("/imap/extra/thread/node", test_thread_node);
  g_test_add_func ("/imap/extra/namespace", test_namespace);
  g_test_add_func ("/imap/extra/namespace/fallback", test_namespace_fallback);
  g_test_add_func ("/imap/extra/qresync/select", test_qresync_select);
  g_test_add_func ("/imap/extra/qresync/uidvalidity-changed", test_qresync_uidvalidity_changed);
  g_test_add_func ("/imap/extra/qresync/fallback", test_resync_fallback);
  g_test_add_func ("/imap/extra/getters", test_getters);
  g_test_add_func ("/imap/extra/multiappend", test_multiappend);
  g_test_add_func ("/imap/extra/multiappend/fallback", test_multiappend_fallback);
  g_test_add_func ("/imap/extra/replace", test_replace);
  g_test_add_func ("/imap/extra/replace/fallback", test_replace_fallback);
  g_test_add_func ("/imap/extra/admin", test_admin);
  g_test_add_func ("/imap/extra/admin/not-offered", test_admin_not_offered);
  g_test_add_func ("/imap/extra/gmail-labels", test_gmail_labels);
  g_test_add_func ("/imap/extra/esort", test_esort);
  g_test_add_func ("/imap/extra/not-supported", test_pop3_not_supported);
  g_test_add_func ("/imap/extra/core/append-each", test_append_each);

  return g_test_run ();
}
