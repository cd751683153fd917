/* test-imap-notify.c: the IMAP plugin's NOTIFY (RFC 5465) through
 * missive_store_set_notify(): the wire forms of NOTIFY SET / NONE, the
 * news that follows (STATUS, LIST, EXISTS during a command or IDLE)
 * through ::mailbox-changed and ::mailbox-listed, refusals, against
 * scripted fake servers
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

typedef struct
{
  GString *changed;   /* "mailbox what number|..." */
  GString *listed;    /* "mailbox(messages)|..." */
  guint warnings;
  const char *stop_on; /* stop idling on this "what" */
} Watch;

static void
on_changed (MissiveStore *store,
            const char   *mailbox,
            const char   *what,
            guint         number,
            Watch        *w)
{
  g_string_append_printf (w->changed, "%s%s %s %u", w->changed->len > 0 ? "|" : "",
                          mailbox, what, number);
  if (w->stop_on != NULL && strcmp (what, w->stop_on) == 0)
    missive_store_stop_idle (store);
}

static void
on_listed (MissiveStore       *store,
           MissiveMailboxInfo *info,
           Watch              *w)
{
  g_string_append_printf (w->listed, "%s%s(%u)", w->listed->len > 0 ? "|" : "",
                          missive_mailbox_info_get_name (info),
                          missive_mailbox_info_get_messages (info));
}

static void
on_warning (MissiveService *service,
            const GError   *error,
            Watch          *w)
{
  w->warnings++;
}

static void
watch (Watch        *w,
       MissiveStore *store)
{
  w->changed = g_string_new (NULL);
  w->listed = g_string_new (NULL);
  w->warnings = 0;
  w->stop_on = NULL;
  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_changed), w);
  g_signal_connect (store, "mailbox-listed", G_CALLBACK (on_listed), w);
  g_signal_connect (store, "warning", G_CALLBACK (on_warning), w);
}

static void
watch_clear (Watch *w)
{
  g_string_free (w->changed, TRUE);
  g_string_free (w->listed, TRUE);
}

/* Each scope's wire form, the news in the same reply, NOTIFY NONE. */
static void
test_notify_set (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 NOTIFY"),
    MT_EXPECT ("A0002 NOTIFY SET (selected (MessageNew MessageExpunge FlagChange)) "
               "(personal (MessageNew MessageExpunge MailboxName SubscriptionChange))"),
    MT_SEND ("* STATUS Work (MESSAGES 3 UIDNEXT 9)\r\n"
             "* LIST () \"/\" Archive\r\n"
             "* LIST (\\NonExistent) \"/\" Old\r\n"
             "A0002 OK NOTIFY completed\r\n"),
    MT_EXPECT ("A0003 NOTIFY SET (subtree (INBOX Entw&APw-rfe) (MessageNew MessageExpunge))"),
    MT_SEND ("A0003 OK NOTIFY completed\r\n"),
    MT_EXPECT ("A0004 NOTIFY SET (mailboxes (\"a b\") (SubscriptionChange))"),
    MT_SEND ("A0004 OK NOTIFY completed\r\n"),
    MT_EXPECT ("A0005 NOTIFY SET (inboxes (MessageNew MessageExpunge))"),
    MT_SEND ("A0005 OK NOTIFY completed\r\n"),
    MT_EXPECT ("A0006 NOTIFY SET (subscribed (MailboxName))"),
    MT_SEND ("A0006 OK NOTIFY completed\r\n"),
    MT_EXPECT ("A0007 NOTIFY NONE"),
    MT_SEND ("A0007 OK NOTIFY completed\r\n"),
    LOGOUT ("A0008"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  const char *subtree[] = { "inbox", "Entwürfe", NULL };
  const char *named[] = { "a b", NULL };
  g_autoptr(GError) error = NULL;
  Watch w;

  watch (&w, store);
  ASSERT_OK (missive_store_set_notify (store,
                                       MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW |
                                       MISSIVE_NOTIFY_EVENTS_FLAG_CHANGE |
                                       MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME, /* not for selected */
                                       MISSIVE_NOTIFY_SCOPE_PERSONAL, NULL,
                                       MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE |
                                       MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME |
                                       MISSIVE_NOTIFY_EVENTS_SUBSCRIPTION_CHANGE,
                                       NULL, &error));
  g_assert_cmpstr (w.changed->str, ==, "Work status 3|Archive list 0|Old deleted 0");
  g_assert_cmpstr (w.listed->str, ==, "Work(3)|Archive(0)|Old(0)");
  ASSERT_OK (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_NONE,
                                       MISSIVE_NOTIFY_SCOPE_SUBTREE, subtree,
                                       MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW, NULL, &error));
  ASSERT_OK (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_NONE,
                                       MISSIVE_NOTIFY_SCOPE_MAILBOXES, named,
                                       MISSIVE_NOTIFY_EVENTS_SUBSCRIPTION_CHANGE, NULL, &error));
  ASSERT_OK (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_NONE,
                                       MISSIVE_NOTIFY_SCOPE_INBOXES, NULL,
                                       MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE, NULL, &error));
  ASSERT_OK (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_NONE,
                                       MISSIVE_NOTIFY_SCOPE_SUBSCRIBED, NULL,
                                       MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME, NULL, &error));
  ASSERT_OK (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_NONE,
                                       MISSIVE_NOTIFY_SCOPE_NONE, NULL,
                                       MISSIVE_NOTIFY_EVENTS_NONE, NULL, &error));
  g_assert_cmpuint (w.warnings, ==, 0);
  close_store (store, server);
  watch_clear (&w);
}

/* News while idling (no mailbox selected), an overflow warning, a
 * malformed STATUS (a warning, nothing reported), a refused NOTIFY. */
static void
test_notify_idle (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1 NOTIFY IDLE"),
    MT_EXPECT ("A0002 NOTIFY SET (selected (MessageNew MessageExpunge)) "
               "(personal (MessageNew MessageExpunge))"),
    MT_SEND ("A0002 OK NOTIFY completed\r\n"),
    MT_EXPECT ("A0003 IDLE"),
    MT_SEND ("+ idling\r\n"),
    MT_SEND ("* STATUS Work (MESSAGES x)\r\n"
             "* STATUS Work (MESSAGES 4 UIDNEXT 10)\r\n"),
    MT_EXPECT ("DONE"),
    MT_SEND ("A0003 OK Idle completed\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("* OK [NOTIFICATIONOVERFLOW] Too many changes\r\nA0004 OK done\r\n"),
    MT_EXPECT ("A0005 NOTIFY SET (selected (MessageNew MessageExpunge))"),
    MT_SEND ("A0005 NO [BADEVENT (MessageNew MessageExpunge)] Not here\r\n"),
    LOGOUT ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  g_autoptr(GError) error = NULL;
  Watch w;

  watch (&w, store);
  ASSERT_OK (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW,
                                       MISSIVE_NOTIFY_SCOPE_PERSONAL, NULL,
                                       MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW, NULL, &error));
  w.stop_on = "status";
  ASSERT_OK (missive_store_idle (store, NULL, &error));
  g_assert_cmpstr (w.changed->str, ==, "Work status 4");
  g_assert_cmpstr (w.listed->str, ==, "Work(4)");
  g_assert_cmpuint (w.warnings, ==, 1);

  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpuint (w.warnings, ==, 2);

  g_assert_false (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE,
                                            MISSIVE_NOTIFY_SCOPE_NONE, NULL,
                                            MISSIVE_NOTIFY_EVENTS_NONE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "BADEVENT");
  g_clear_error (&error);
  close_store (store, server);
  watch_clear (&w);
}

/* Arguments refused before sending; a server without NOTIFY. */
static void
test_notify_refused (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    LOGOUT ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_store (server, FALSE);
  const char *empty[] = { NULL };
  const char *broken[] = { "a\r\nb", NULL };
  g_autoptr(GError) error = NULL;

  /* Named scopes without names; a scope without events and the reverse;
   * a name with a line break; unknown bits. */
  g_assert_false (missive_store_set_notify (store, 0, MISSIVE_NOTIFY_SCOPE_MAILBOXES, NULL,
                                            MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_set_notify (store, 0, MISSIVE_NOTIFY_SCOPE_SUBTREE, empty,
                                            MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_set_notify (store, 0, MISSIVE_NOTIFY_SCOPE_PERSONAL, NULL,
                                            MISSIVE_NOTIFY_EVENTS_NONE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_set_notify (store, 0, MISSIVE_NOTIFY_SCOPE_NONE, NULL,
                                            MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_set_notify (store, 0, MISSIVE_NOTIFY_SCOPE_MAILBOXES, broken,
                                            MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_set_notify (store, 1 << 20, MISSIVE_NOTIFY_SCOPE_NONE, NULL,
                                            0, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Valid, but the server has no NOTIFY: nothing is sent. */
  g_assert_false (missive_store_set_notify (store, MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW,
                                            MISSIVE_NOTIFY_SCOPE_NONE, NULL, 0, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  close_store (store, server);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap/notify/set", test_notify_set);
  g_test_add_func ("/imap/notify/idle", test_notify_idle);
  g_test_add_func ("/imap/notify/refused", test_notify_refused);

  return g_test_run ();
}
