/* test-testbed-outbox.c: the outbox delivering through the SMTP plugin to
 * the real servers
 *
 * Messages are queued, then flushed through Dovecot's LMTP and through
 * Postfix's submission service; each delivered message is looked up in the
 * recipient's mailbox with doveadm. Through LMTP a message for an unknown
 * user ends in the failed area with the server's reply; Postfix takes it
 * (and bounces it later), so there it counts as sent. The crash-safety test with
 * SIGKILL runs against a fake sender in test-outbox.c.
 *
 * Needs root and the testbed (tests/testbed/); skipped otherwise (failed
 * with MISSIVE_TESTBED_REQUIRED=1).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "test-smtp-utils.h"

#define PORT_OFFSET 480

/* How many messages of @user's INBOX carry @message_id. */
static guint
count_delivered (const MissiveTestbed *tb,
                 const char           *user,
                 const char           *message_id)
{
  const char *args[] = { "search", "-u", user, "mailbox", "INBOX", "header", "Message-ID",
                         message_id, NULL };
  g_autofree char *out = missive_test_testbed_doveadm (tb, args);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  return out[0] == '\0' ? 0 : g_strv_length (lines);
}

/* Postfix delivers through its queue: wait (bounded) until @message_id
 * is in @user's INBOX, and return how many copies are there. */
static guint
wait_delivered (const MissiveTestbed *tb,
                const char           *user,
                const char           *message_id)
{
  for (guint i = 0; i < 300; i++)
    {
      guint n = count_delivered (tb, user, message_id);

      if (n > 0)
        return n;
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  return 0;
}

static char *
queue_one (MissiveOutbox *outbox,
           const char    *to,
           const char    *message_id)
{
  g_autoptr(GString) msg = raw_message ("tester@localhost", to, "queued", message_id,
                                        "Queued, then flushed.\r\n");
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (msg->str, msg->len),
                                                                        msg->len, g_free);
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("tester@localhost");
  g_autoptr(GError) error = NULL;
  char *id;

  missive_envelope_add_recipient (envelope, to, MISSIVE_RECIPIENT_TO);
  id = missive_outbox_queue_stream (outbox, stream, envelope, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* @unknown_refused: whether the server refuses the unknown user at once
 * (LMTP) or takes the message and bounces it later (Postfix). */
static void
check_flush (const MissiveTestbed *tb,
             const Conn           *conn,
             gboolean              keep_sent,
             gboolean              unknown_refused)
{
  g_autofree char *dir = g_dir_make_tmp ("missive-outbox-XXXXXX", NULL);
  g_autoptr(MissiveOutbox) outbox = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = new_message_id ("outbox");
  g_autofree char *id2 = new_message_id ("outbox");
  g_autofree char *id3 = new_message_id ("outbox");
  g_autofree char *q1 = NULL, *q2 = NULL, *q3 = NULL;
  guint failed = 0, sent = 0;

  g_assert_nonnull (dir);
  outbox = missive_outbox_new (dir, &error);
  g_assert_no_error (error);
  missive_outbox_set_keep_sent (outbox, keep_sent);
  q1 = queue_one (outbox, "user1@localhost", id1);
  q2 = queue_one (outbox, "user2@localhost", id2);
  q3 = queue_one (outbox, "nosuchuser@localhost", id3);

  /* The flush opens the sender itself. */
  {
    g_autofree char *uri = g_strdup_printf ("%s://%s:%u", conn->scheme, tb->host, conn->port);
    MissiveService *service = missive_engine_create_service (missive_engine_get_default (),
                                                             uri, &error);

    g_assert_no_error (error);
    sender = MISSIVE_SENDER (service);
    missive_service_set_security (service, conn->security);
    missive_service_set_ca_file (service, tb->ca_file);
    if (!conn->anonymous)
      {
        missive_service_set_username (service, tb->user1);
        missive_service_set_password (service, tb->pass1);
      }
  }
  ASSERT_OK (missive_outbox_flush (outbox, sender, NULL, &error));

  g_assert_cmpuint (wait_delivered (tb, tb->user1, id1), ==, 1);
  g_assert_cmpuint (wait_delivered (tb, tb->user2, id2), ==, 1);

  items = missive_outbox_list (outbox, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MissiveOutboxItem) item = g_list_model_get_item (items, i);
      const char *id = missive_outbox_item_get_id (item);

      switch (missive_outbox_item_get_state (item))
        {
        case MISSIVE_OUTBOX_STATE_FAILED:
          /* The unknown user: refused for good, with the server's words. */
          g_assert_cmpstr (id, ==, q3);
          g_assert_nonnull (missive_outbox_item_get_last_error (item));
          g_test_message ("%s: failed: %s", conn->scheme,
                          missive_outbox_item_get_last_error (item)->message);
          failed++;
          break;
        case MISSIVE_OUTBOX_STATE_SENT:
          g_assert_true (g_str_equal (id, q1) || g_str_equal (id, q2) ||
                         (!unknown_refused && g_str_equal (id, q3)));
          sent++;
          break;
        case MISSIVE_OUTBOX_STATE_QUEUED:
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_cmpuint (failed, ==, unknown_refused ? 1 : 0);
  g_assert_cmpuint (sent, ==, keep_sent ? (unknown_refused ? 2 : 3) : 0);

  /* A second flush has nothing to send: nothing is delivered twice. */
  ASSERT_OK (missive_outbox_flush (outbox, sender, NULL, &error));
  g_assert_cmpuint (count_delivered (tb, tb->user1, id1), ==, 1);
  if (missive_service_get_state (MISSIVE_SERVICE (sender)) != MISSIVE_SERVICE_STATE_DISCONNECTED)
    close_sender (sender);

  g_clear_object (&outbox);
  {
    const char *argv[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

static void
test_flush_lmtp (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);

  if (tb == NULL || !have_smtp_plugin ())
    return;
  {
    Conn conn = { "lmtp", tb->lmtp_port, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, TRUE };

    check_flush (tb, &conn, FALSE, TRUE);
  }
}

static void
test_flush_submission (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);

  if (tb == NULL || !have_smtp_plugin ())
    return;
  {
    Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS,
                  NULL, NULL, NULL, NULL, FALSE };

    check_flush (tb, &conn, TRUE, FALSE);
  }
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/outbox/flush-lmtp", test_flush_lmtp);
  g_test_add_func ("/testbed/outbox/flush-submission", test_flush_submission);

  return g_test_run ();
}
