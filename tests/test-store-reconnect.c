/* test-store-reconnect.c: MissiveReconnector against scripted fake IMAP
 * servers behind a relay (one script per connection): the connection
 * drops, the reconnector opens the store again, selects the mailbox again
 * and reports what changed, with and without QRESYNC; retries, final
 * errors and cancellation.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

#include "test-imap-fake.h"
#include "test-store-relay.h"

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

static MissiveStore *
new_store (MissiveTestRelay *relay)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("imap://alice@127.0.0.1:%u",
                                          missive_test_relay_get_port (relay));
  MissiveService *service = missive_engine_create_service (missive_engine_get_default (), uri, &error);

  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_STORE (service));
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  if (g_strcmp0 (g_getenv ("MISSIVE_TEST_TRACE"), "1") == 0)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), NULL);
  return MISSIVE_STORE (service);
}

static void
on_changed (MissiveStore *store,
            const char   *mailbox,
            const char   *what,
            guint         number,
            GString      *out)
{
  g_string_append_printf (out, "%s%s %s %u", out->len > 0 ? "|" : "", mailbox, what, number);
}

static void
on_reconnecting (MissiveReconnector *reconnector,
                 guint               attempt,
                 GString            *out)
{
  MissiveStore *store = missive_reconnector_get_store (reconnector);

  g_string_append_printf (out, "%s%u", out->len > 0 ? "," : "", attempt);
  /* Fresh credentials for the new login. */
  missive_service_set_password (MISSIVE_SERVICE (store), "fresh");
}

static char *
set_text (MissiveMessageSet *set)
{
  return missive_message_set_to_string (set);
}

static char *
changed_text (GListModel *changed)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (changed); i++)
    {
      g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (changed, i);
      const char * const *flags = missive_message_info_get_flags (info);
      g_autofree char *joined = g_strjoinv (" ", (char **) flags);

      g_string_append_printf (out, "%s%u(%s)", out->len > 0 ? "," : "",
                              missive_message_info_get_uid (info), joined);
    }
  return g_string_free (out, FALSE);
}

/* The session before the drop: login, the snapshot (SELECT + UID
 * SEARCH), then a NOOP the server answers by closing the connection. */
#define FIRST_SESSION_PLAIN \
  LOGIN_ONLY ("IMAP4rev1"), \
  MT_EXPECT ("A0002 SELECT INBOX"), \
  MT_SEND ("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n* OK [UIDNEXT 4] Ok\r\n" \
           "A0002 OK [READ-WRITE] done\r\n"), \
  MT_EXPECT ("A0003 UID SEARCH ALL"), \
  MT_SEND ("* SEARCH 1 2 3\r\nA0003 OK done\r\n"), \
  MT_EXPECT ("A0004 NOOP"), \
  MT_CLOSE, \
  MT_END

/* Selects INBOX through the reconnector, then loses the connection. */
static void
select_then_drop (MissiveReconnector *reconnector,
                  MissiveStore       *store)
{
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *known = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  info = missive_reconnector_select_mailbox (reconnector, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  known = set_text (missive_reconnector_get_known_uids (reconnector));
  g_assert_cmpstr (known, ==, "1:3");

  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_store_get_selected_mailbox (store));
  /* The reconnector still knows which mailbox to select again. */
  g_assert_cmpstr (missive_reconnector_get_mailbox (reconnector), ==, "INBOX");
}

static void
finish_servers (MissiveTestServer **servers,
                guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      ASSERT_OK (missive_test_server_finish (servers[i], &error));
    }
}

/* Without QRESYNC: the known UIDs are compared with a UID SEARCH, and
 * every flag is fetched. */
static void
test_uid_compare (void)
{
  const MissiveTestStep first[] = { FIRST_SESSION_PLAIN };
  const MissiveTestStep second[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1] fake server ready\r\n"),
    MT_EXPECT ("A0001 LOGIN alice fresh"),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
    MT_EXPECT ("A0002 SELECT INBOX"),
    MT_SEND ("* 4 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n* OK [UIDNEXT 6] Ok\r\n"
             "A0002 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0003 UID SEARCH ALL"),
    MT_SEND ("* SEARCH 1 3 4 5\r\nA0003 OK done\r\n"),
    MT_EXPECT ("A0004 UID FETCH 1:* (UID FLAGS)"),
    MT_SEND ("* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n"
             "* 2 FETCH (UID 3 FLAGS ())\r\n"
             "* 3 FETCH (UID 4 FLAGS ())\r\n"
             "* 4 FETCH (UID 5 FLAGS (\\Flagged))\r\n"
             "A0004 OK done\r\n"),
    /* The new messages: from the UIDNEXT known before. */
    MT_EXPECT ("A0005 UID SEARCH UID 4:*"),
    MT_SEND ("* SEARCH 4 5\r\nA0005 OK done\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GString) attempts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *vanished = NULL;
  g_autofree char *added = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *known = NULL;

  select_then_drop (reconnector, store);
  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_changed), changes);
  g_signal_connect (reconnector, "reconnecting", G_CALLBACK (on_reconnecting), attempts);

  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (attempts->str, ==, "1");
  g_assert_cmpuint (missive_resync_report_get_attempts (report), ==, 1);
  g_assert_cmpstr (missive_resync_report_get_mailbox (report), ==, "INBOX");
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");
  g_assert_false (missive_resync_report_get_uid_validity_changed (report));
  g_assert_false (missive_resync_report_get_used_qresync (report));
  g_assert_true (missive_resync_report_get_all_flags (report));
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (missive_resync_report_get_mailbox_info (report)), ==, 6);
  vanished = set_text (missive_resync_report_get_vanished (report));
  added = set_text (missive_resync_report_get_added (report));
  changed = changed_text (missive_resync_report_get_changed (report));
  g_assert_cmpstr (vanished, ==, "2");
  g_assert_cmpstr (added, ==, "4:5");
  g_assert_cmpstr (changed, ==, "1(\\Seen),3()");
  g_assert_cmpstr (changes->str, ==, "INBOX vanished 2|INBOX exists 4|INBOX fetch 1|INBOX fetch 2");
  /* What is known from now on. */
  known = set_text (missive_reconnector_get_known_uids (reconnector));
  g_assert_cmpstr (known, ==, "1,3:5");

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  finish_servers (servers, 2);
}

/* With QRESYNC: the known state goes into SELECT; VANISHED (EARLIER) and
 * the FETCH responses of changed and new messages come back. */
static void
test_qresync (void)
{
  const MissiveTestStep first[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN "),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] Logged in\r\n"),
    MT_EXPECT ("A0002 ENABLE QRESYNC"),
    MT_SEND ("* ENABLED QRESYNC\r\nA0002 OK Enabled\r\n"),
    MT_EXPECT_PREFIX ("A0003 SELECT INBOX"),
    MT_SEND ("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n* OK [UIDNEXT 4] Ok\r\n"
             "* OK [HIGHESTMODSEQ 100] Ok\r\nA0003 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0004 UID SEARCH ALL"),
    MT_SEND ("* SEARCH 1 2 3\r\nA0004 OK done\r\n"),
    /* An EXPUNGE while connected would be by sequence number; with
     * QRESYNC it is a VANISHED: the known UIDs follow it. */
    MT_EXPECT ("A0005 NOOP"),
    MT_SEND ("* VANISHED 1\r\nA0005 OK done\r\n"),
    MT_EXPECT ("A0006 NOOP"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep second[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN "),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] Logged in\r\n"),
    MT_EXPECT ("A0002 ENABLE QRESYNC"),
    MT_SEND ("* ENABLED QRESYNC\r\nA0002 OK Enabled\r\n"),
    /* The plugin may add sequence-match data after the known UIDs. */
    MT_EXPECT_PREFIX ("A0003 SELECT INBOX (QRESYNC (7 100 2:3"),
    MT_SEND ("* 2 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n* OK [UIDNEXT 5] Ok\r\n"
             "* OK [HIGHESTMODSEQ 120] Ok\r\n"
             "* VANISHED (EARLIER) 1:2\r\n"
             "* 1 FETCH (UID 3 FLAGS (\\Answered) MODSEQ (110))\r\n"
             "A0003 OK [READ-WRITE] done\r\n"),
    /* QRESYNC with known UIDs reports nothing of the new message. */
    MT_EXPECT ("A0004 UID SEARCH UID 4:*"),
    MT_SEND ("* SEARCH 4\r\nA0004 OK done\r\n"),
    LOGOUT ("A0005"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *vanished = NULL;
  g_autofree char *added = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *known = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  info = missive_reconnector_select_mailbox (reconnector, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  known = set_text (missive_reconnector_get_known_uids (reconnector));
  g_assert_cmpstr (known, ==, "2:3");
  g_clear_pointer (&known, g_free);
  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);

  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_changed), changes);
  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_resync_report_get_used_qresync (report));
  g_assert_false (missive_resync_report_get_all_flags (report));
  vanished = set_text (missive_resync_report_get_vanished (report));
  added = set_text (missive_resync_report_get_added (report));
  changed = changed_text (missive_resync_report_get_changed (report));
  /* 1 was already gone before the drop: only 2 is news. */
  g_assert_cmpstr (vanished, ==, "2");
  g_assert_cmpstr (added, ==, "4");
  g_assert_cmpstr (changed, ==, "3(\\Answered)");
  g_assert_cmpstr (changes->str, ==, "INBOX vanished 2|INBOX exists 2|INBOX fetch 1");
  known = set_text (missive_reconnector_get_known_uids (reconnector));
  g_assert_cmpstr (known, ==, "3:4");

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  finish_servers (servers, 2);
}

/* A new UIDVALIDITY: nothing is compared and the report says so. */
static void
test_uid_validity_changed (void)
{
  const MissiveTestStep first[] = { FIRST_SESSION_PLAIN };
  const MissiveTestStep second[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    MT_EXPECT ("A0002 SELECT INBOX"),
    MT_SEND ("* 1 EXISTS\r\n* OK [UIDVALIDITY 8] Ok\r\n* OK [UIDNEXT 2] Ok\r\n"
             "A0002 OK [READ-WRITE] done\r\n"),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  select_then_drop (reconnector, store);
  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_resync_report_get_uid_validity_changed (report));
  g_assert_true (missive_message_set_is_empty (missive_resync_report_get_vanished (report)));
  g_assert_true (missive_message_set_is_empty (missive_resync_report_get_added (report)));
  g_assert_cmpuint (g_list_model_get_n_items (missive_resync_report_get_changed (report)), ==, 0);
  g_assert_null (missive_reconnector_get_known_uids (reconnector));

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  finish_servers (servers, 2);
}

/* No server answers after the drop: every attempt fails, then a clear
 * error with the cause and the number of attempts. */
static void
test_retries_exhausted (void)
{
  const MissiveTestStep first[] = { FIRST_SESSION_PLAIN };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  MissiveTestServer *servers[] = { s1 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 1);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GString) attempts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (missive_reconnector_get_max_attempts (reconnector), ==, 3);
  missive_reconnector_set_initial_delay (reconnector, 5);
  missive_reconnector_set_max_delay (reconnector, 20);
  missive_reconnector_set_max_attempts (reconnector, 4);
  select_then_drop (reconnector, store);
  g_signal_connect (reconnector, "reconnecting", G_CALLBACK (on_reconnecting), attempts);

  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_true (g_str_has_prefix (error->message, "Could not reconnect (4 attempts): "));
  g_assert_cmpstr (attempts->str, ==, "1,2,3,4");
  g_assert_cmpuint (missive_test_relay_get_n_accepted (relay), ==, 5);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  /* Still remembered for a later try. */
  g_assert_cmpstr (missive_reconnector_get_mailbox (reconnector), ==, "INBOX");
  finish_servers (servers, 1);
}

/* Rejected credentials end the reconnection at once. */
static void
test_auth_failed_is_final (void)
{
  const MissiveTestStep first[] = { FIRST_SESSION_PLAIN };
  const MissiveTestStep second[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1] fake server ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN "),
    MT_SEND ("A0001 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GString) attempts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  missive_reconnector_set_initial_delay (reconnector, 5);
  select_then_drop (reconnector, store);
  g_signal_connect (reconnector, "reconnecting", G_CALLBACK (on_reconnecting), attempts);
  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (attempts->str, ==, "1");
  finish_servers (servers, 2);
}

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  MissiveResyncReport *report;
  GError *error;
} AsyncData;

static void
on_state_changed (MissiveService      *service,
                  MissiveServiceState  old_state,
                  MissiveServiceState  new_state,
                  AsyncData           *data)
{
  /* The first attempt has failed: the reconnector is about to wait. */
  if (new_state == MISSIVE_SERVICE_STATE_DISCONNECTED)
    g_cancellable_cancel (data->cancellable);
}

static void
reconnected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncData *data = user_data;

  data->report = missive_reconnector_reconnect_finish (MISSIVE_RECONNECTOR (source), result,
                                                       &data->error);
  g_main_loop_quit (data->loop);
}

/* Cancelled while waiting between attempts (a long back-off), and before
 * starting: G_IO_ERROR_CANCELLED each time. */
static void
test_cancel (void)
{
  const MissiveTestStep first[] = { FIRST_SESSION_PLAIN };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  MissiveTestServer *servers[] = { s1 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 1);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GString) attempts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  AsyncData data = { 0 };
  gulong handler;

  missive_reconnector_set_initial_delay (reconnector, 600 * 1000);
  missive_reconnector_set_max_attempts (reconnector, 5);
  select_then_drop (reconnector, store);
  g_signal_connect (reconnector, "reconnecting", G_CALLBACK (on_reconnecting), attempts);

  data.loop = g_main_loop_new (NULL, FALSE);
  data.cancellable = g_cancellable_new ();
  handler = g_signal_connect (store, "state-changed", G_CALLBACK (on_state_changed), &data);
  missive_reconnector_reconnect_async (reconnector, G_PRIORITY_DEFAULT, data.cancellable,
                                       reconnected_cb, &data);
  g_main_loop_run (data.loop);
  g_signal_handler_disconnect (store, handler);
  g_assert_null (data.report);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (attempts->str, ==, "1");
  g_clear_error (&data.error);
  g_main_loop_unref (data.loop);
  g_object_unref (data.cancellable);

  /* Already cancelled: not a single attempt. */
  g_cancellable_cancel (cancelled);
  report = missive_reconnector_reconnect (reconnector, cancelled, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (attempts->str, ==, "1");
  finish_servers (servers, 1);
}

/* No mailbox was selected: the store is simply opened again. A store
 * still open is closed first. */
static void
test_no_mailbox (void)
{
  const MissiveTestStep first[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    LOGOUT ("A0002"),
  };
  const MissiveTestStep second[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    LOGOUT ("A0002"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (missive_resync_report_get_mailbox (report));
  g_assert_null (missive_resync_report_get_mailbox_info (report));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  finish_servers (servers, 2);
}

/* The mailbox selected through the store itself is followed (by name
 * only), forgotten when closed on purpose; the application describes
 * what it knows with set_mailbox_state. */
static void
test_application_state (void)
{
  const MissiveTestStep first[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    MT_EXPECT ("A0002 SELECT Archive"),
    MT_SEND ("* 0 EXISTS\r\nA0002 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0003 CLOSE"),
    MT_SEND ("A0003 OK closed\r\n"),
    MT_EXPECT ("A0004 SELECT INBOX"),
    MT_SEND ("* 3 EXISTS\r\nA0004 OK [READ-WRITE] done\r\n"),
    /* A message that arrived while connected, fetched: known from now. */
    MT_EXPECT_PREFIX ("A0005 UID FETCH 12 "),
    MT_SEND ("* 3 FETCH (UID 12 FLAGS ())\r\nA0005 OK done\r\n"),
    MT_EXPECT ("A0006 NOOP"),
    MT_SEND ("* BYE going away\r\n"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep second[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    MT_EXPECT ("A0002 SELECT INBOX"),
    MT_SEND ("* 2 EXISTS\r\n* OK [UIDVALIDITY 9] Ok\r\n* OK [UIDNEXT 12] Ok\r\n"
             "A0002 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0003 UID SEARCH ALL"),
    MT_SEND ("* SEARCH 10 11\r\nA0003 OK done\r\n"),
    MT_EXPECT ("A0004 UID FETCH 1:* (UID FLAGS)"),
    MT_SEND ("* 1 FETCH (UID 10 FLAGS ())\r\n* 2 FETCH (UID 11 FLAGS ())\r\nA0004 OK done\r\n"),
    MT_EXPECT ("A0005 UID SEARCH UID 11:*"),
    /* "11:*" matches the last message even below 11: not new. */
    MT_SEND ("* SEARCH 10\r\nA0005 OK done\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  g_autoptr(MissiveStore) store = new_store (relay);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) known = missive_message_set_new_from_string ("5,9:10", NULL);
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *vanished = NULL;
  g_autofree char *added = NULL;
  g_autofree char *known_text = NULL;
  g_autoptr(MissiveMessageSet) fetch_set = NULL;
  g_autoptr(GListModel) fetched = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  info = missive_store_select_mailbox (store, "Archive", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_reconnector_get_mailbox (reconnector), ==, "Archive");
  g_assert_null (missive_reconnector_get_known_uids (reconnector));
  ASSERT_OK (missive_store_close_mailbox (store, TRUE, NULL, &error));
  g_assert_null (missive_reconnector_get_mailbox (reconnector));
  g_clear_object (&info);
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_reconnector_get_mailbox (reconnector), ==, "INBOX");
  missive_reconnector_set_mailbox_state (reconnector, "INBOX", FALSE, 9, 0, 11, known);
  fetch_set = missive_message_set_new_single (12);
  fetched = missive_store_fetch_summaries (store, fetch_set, MISSIVE_FETCH_ITEMS_FLAGS, 0, NULL, &error);
  g_assert_no_error (error);
  known_text = set_text (missive_reconnector_get_known_uids (reconnector));
  g_assert_cmpstr (known_text, ==, "5,9:10,12");

  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_assert_no_error (error);
  vanished = set_text (missive_resync_report_get_vanished (report));
  added = set_text (missive_resync_report_get_added (report));
  /* 12 was fetched before the drop and is gone now. */
  g_assert_cmpstr (vanished, ==, "5,9,12");
  g_assert_cmpstr (added, ==, "11");
  g_assert_cmpuint (g_list_model_get_n_items (missive_resync_report_get_changed (report)), ==, 1);

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  finish_servers (servers, 2);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/store-reconnect/uid-compare", test_uid_compare);
  g_test_add_func ("/store-reconnect/qresync", test_qresync);
  g_test_add_func ("/store-reconnect/uid-validity-changed", test_uid_validity_changed);
  g_test_add_func ("/store-reconnect/retries-exhausted", test_retries_exhausted);
  g_test_add_func ("/store-reconnect/auth-failed-is-final", test_auth_failed_is_final);
  g_test_add_func ("/store-reconnect/cancel", test_cancel);
  g_test_add_func ("/store-reconnect/no-mailbox", test_no_mailbox);
  g_test_add_func ("/store-reconnect/application-state", test_application_state);

  return g_test_run ();
}
