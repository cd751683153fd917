/* test-testbed-imap-reconnect.c: MissiveReconnector against the private
 * Dovecot
 *
 * The store selects a mailbox through the reconnector, Dovecot drops the
 * connection (doveadm kick), and while the client is away a message is
 * delivered (LMTP, or doveadm through populate.sh), one known message is
 * expunged and another flagged (doveadm). The reconnection must report
 * exactly that: with QRESYNC (Dovecot's default), and with QRESYNC and
 * CONDSTORE hidden (UID comparison).
 *
 * Needs root and the testbed (tests/testbed/); skipped otherwise (failed
 * with MISSIVE_TESTBED_REQUIRED=1).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

#define PORT_OFFSET 680

#define ASSERT_OK(call) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

static void
print_trace (MissiveService        *service,
             MissiveTraceDirection  direction,
             const char            *line)
{
  g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" :
                         direction == MISSIVE_TRACE_RECEIVED ? "S:" : "  ", line);
}

static MissiveStore *
open_store (const MissiveTestbed *tb,
            const char           *hide_caps)
{
  g_autofree char *uri = g_strdup_printf ("imap://%s@%s:%u", tb->user1, tb->host, tb->imap_port);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service =
    missive_engine_create_service (missive_engine_get_default (), uri, &error);

  g_assert_no_error (error);
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_password (service, tb->pass1);
  if (g_strcmp0 (g_getenv ("MISSIVE_TEST_TRACE"), "1") == 0)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (print_trace), NULL);
  if (hide_caps != NULL)
    g_setenv ("MISSIVE_IMAP_DISABLE_CAPS", hide_caps, TRUE);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_unsetenv ("MISSIVE_IMAP_DISABLE_CAPS");
  return MISSIVE_STORE (g_steal_pointer (&service));
}

/* Dovecot closes every IMAP connection of user1; the store finds out at
 * its next command. */
static void
kick (const MissiveTestbed *tb,
      MissiveStore         *store)
{
  const char *args[] = { "kick", tb->user1, NULL };
  g_autofree char *out = missive_test_testbed_doveadm (tb, args);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("after the kick: %s", error->message);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}

static void
doveadm_uid (const MissiveTestbed *tb,
             const char           *mailbox,
             const char * const   *command,
             guint                 uid)
{
  g_autofree char *uid_text = g_strdup_printf ("%u", uid);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;

  for (gsize i = 0; command[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) command[i]);
  g_ptr_array_add (args, (gpointer) "-u");
  g_ptr_array_add (args, tb->user1);
  g_ptr_array_add (args, (gpointer) "mailbox");
  g_ptr_array_add (args, (gpointer) mailbox);
  g_ptr_array_add (args, (gpointer) "uid");
  g_ptr_array_add (args, uid_text);
  g_ptr_array_add (args, NULL);
  out = missive_test_testbed_doveadm (tb, (const char * const *) args->pdata);
}

static gboolean
changed_has_flag (GListModel *changed,
                  guint       uid,
                  const char *flag)
{
  for (guint i = 0; i < g_list_model_get_n_items (changed); i++)
    {
      g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (changed, i);

      if (missive_message_info_get_uid (info) == uid)
        return missive_message_info_has_flag (info, flag);
    }
  return FALSE;
}

/* Runs the scenario on @mailbox; @deliver adds one message while the
 * client is away. */
static void
run_scenario (const MissiveTestbed *tb,
              const char           *mailbox,
              const char           *hide_caps,
              void                (*deliver) (const MissiveTestbed *tb, const char *mailbox))
{
  const char *expunge[] = { "expunge", NULL };
  const char *flag[] = { "flags", "add", "\\Flagged", NULL };
  g_autoptr(MissiveStore) store = open_store (tb, hide_caps);
  g_autoptr(MissiveReconnector) reconnector = missive_reconnector_new (store);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveResyncReport) report = NULL;
  g_autoptr(MissiveMessageSet) known = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *vanished = NULL;
  g_autofree char *expected = NULL;
  MissiveMessageSet *added;
  guint32 gone, flagged, uid_next;

  info = missive_reconnector_select_mailbox (reconnector, mailbox, FALSE, NULL, &error);
  g_assert_no_error (error);
  known = missive_message_set_copy (missive_reconnector_get_known_uids (reconnector));
  g_assert_cmpuint (missive_message_set_get_count (known), >=, 3);
  gone = missive_message_set_get_min (known);
  flagged = missive_message_set_get_max (known);
  uid_next = missive_mailbox_info_get_uid_next (info);

  kick (tb, store);
  deliver (tb, mailbox);
  doveadm_uid (tb, mailbox, expunge, gone);
  doveadm_uid (tb, mailbox, flag, flagged);

  missive_reconnector_set_initial_delay (reconnector, 100);
  if (hide_caps != NULL)
    g_setenv ("MISSIVE_IMAP_DISABLE_CAPS", hide_caps, TRUE);
  report = missive_reconnector_reconnect (reconnector, NULL, &error);
  g_unsetenv ("MISSIVE_IMAP_DISABLE_CAPS");
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, mailbox);
  g_assert_false (missive_resync_report_get_uid_validity_changed (report));
  g_assert_cmpint (missive_resync_report_get_used_qresync (report), ==, hide_caps == NULL);
  g_assert_cmpint (missive_resync_report_get_all_flags (report), ==, hide_caps != NULL);

  vanished = missive_message_set_to_string (missive_resync_report_get_vanished (report));
  expected = g_strdup_printf ("%u", gone);
  g_assert_cmpstr (vanished, ==, expected);
  added = missive_resync_report_get_added (report);
  g_assert_cmpuint (missive_message_set_get_count (added), ==, 1);
  g_assert_cmpuint (missive_message_set_get_min (added), >=, uid_next);
  g_assert_true (changed_has_flag (missive_resync_report_get_changed (report), flagged,
                                   MISSIVE_FLAG_FLAGGED));
  if (hide_caps == NULL)
    /* CONDSTORE: only the flagged message is reported changed. */
    g_assert_cmpuint (g_list_model_get_n_items (missive_resync_report_get_changed (report)), ==, 1);

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
}

static void
deliver_lmtp (const MissiveTestbed *tb,
              const char           *mailbox)
{
  g_autofree char *recipient = g_strdup_printf ("%s@localhost", tb->user1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (mailbox, ==, "INBOX");
  ASSERT_OK (missive_test_testbed_deliver (tb, recipient,
                                           "From: tester@localhost\n"
                                           "Subject: while away\n\n"
                                           "delivered while disconnected\n", &error));
}

static void
deliver_doveadm (const MissiveTestbed *tb,
                 const char           *mailbox)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_test_testbed_populate (tb, 1, 300, NULL, mailbox, &error));
}

static void
test_qresync (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient = NULL;

  if (tb == NULL)
    return;
  recipient = g_strdup_printf ("%s@localhost", tb->user1);
  for (guint i = 0; i < 3; i++)
    ASSERT_OK (missive_test_testbed_deliver (tb, recipient,
                                             "From: tester@localhost\n"
                                             "Subject: before\n\n"
                                             "there before the drop\n", &error));
  run_scenario (tb, "INBOX", NULL, deliver_lmtp);
}

static void
test_uid_compare (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GError) error = NULL;

  if (tb == NULL)
    return;
  ASSERT_OK (missive_test_testbed_populate (tb, 3, 300, NULL, "Reconnect", &error));
  run_scenario (tb, "Reconnect", "QRESYNC,CONDSTORE", deliver_doveadm);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/imap-reconnect/qresync", test_qresync);
  g_test_add_func ("/testbed/imap-reconnect/uid-compare", test_uid_compare);

  return g_test_run ();
}
