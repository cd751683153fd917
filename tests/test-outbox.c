/* test-outbox.c: MissiveOutbox with a fake sender, and killed mid-flush
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include <missive/missive.h>

#include "test-utils.h"
#include "test-fake-sender.h"

/* ---- helpers ------------------------------------------------------------- */

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

typedef struct
{
  char *dir;
  MissiveOutbox *outbox;
  FakeSender *sender;
  GPtrArray *sent_ids;      /* from message-sent */
  GPtrArray *failed_ids;    /* from message-failed */
  GPtrArray *failed_errors; /* GError * */
  GArray *failed_permanent; /* gboolean */
  guint progress_done;
  guint progress_total;
} Fixture;

static void
on_message_sent (MissiveOutbox     *outbox,
                 const char        *id,
                 MissiveSendResult *result,
                 Fixture           *f)
{
  g_assert_true (MISSIVE_IS_SEND_RESULT (result));
  g_ptr_array_add (f->sent_ids, g_strdup (id));
}

static void
on_message_failed (MissiveOutbox *outbox,
                   const char    *id,
                   const GError  *error,
                   gboolean       permanent,
                   Fixture       *f)
{
  g_assert_nonnull (error);
  g_ptr_array_add (f->failed_ids, g_strdup (id));
  g_ptr_array_add (f->failed_errors, g_error_copy (error));
  g_array_append_val (f->failed_permanent, permanent);
}

static void
on_progress (MissiveOutbox *outbox,
             guint          done,
             guint          total,
             Fixture       *f)
{
  g_assert_cmpuint (done, <=, total);
  if (done == 1)
    f->progress_done = 0;   /* a new flush */
  g_assert_cmpuint (done, ==, f->progress_done + 1);
  f->progress_done = done;
  f->progress_total = total;
}

static void
connect_outbox (Fixture *f)
{
  g_signal_connect (f->outbox, "message-sent", G_CALLBACK (on_message_sent), f);
  g_signal_connect (f->outbox, "message-failed", G_CALLBACK (on_message_failed), f);
  g_signal_connect (f->outbox, "progress", G_CALLBACK (on_progress), f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_reset ();
  f->dir = g_dir_make_tmp ("missive-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  f->outbox = missive_outbox_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->outbox);
  f->sender = fake_sender_new ();
  f->sent_ids = g_ptr_array_new_with_free_func (g_free);
  f->failed_ids = g_ptr_array_new_with_free_func (g_free);
  f->failed_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->failed_permanent = g_array_new (FALSE, FALSE, sizeof (gboolean));
  connect_outbox (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->outbox);
  g_clear_object (&f->sender);
  g_clear_pointer (&f->sent_ids, g_ptr_array_unref);
  g_clear_pointer (&f->failed_ids, g_ptr_array_unref);
  g_clear_pointer (&f->failed_errors, g_ptr_array_unref);
  g_clear_pointer (&f->failed_permanent, g_array_unref);
  rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_assert_cmpuint (fake_counters.n_open, ==, 0);
}

static GMimeMessage *
make_message (const char *tag)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");
  g_autofree char *text = g_strdup_printf ("Body of %s\n", tag);

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice", "alice@example.com");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Bob", "bob@example.com");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_CC, NULL, "carol@example.com");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_BCC, "Secret", "dave@example.net");
  g_mime_message_set_subject (message, tag, NULL);
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Test-Id", tag, NULL);
  g_mime_text_part_set_text (body, text);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));
  g_object_unref (body);
  return message;
}

static char *
queue_tagged (MissiveOutbox *outbox,
              const char    *tag)
{
  GMimeMessage *message = make_message (tag);
  g_autoptr(GError) error = NULL;
  char *id;

  id = missive_outbox_queue (outbox, message, NULL, &error);
  g_object_unref (message);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static char *
read_all (GInputStream *stream)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (bytes, buffer, n);
  g_assert_no_error (error);
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

static char *
stored_bytes (MissiveOutbox *outbox,
              const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = missive_outbox_read_message (outbox, id, &error);

  g_assert_no_error (error);
  return read_all (stream);
}

/* The value of "X-Test-Id" in a message's bytes, or NULL. */
static char *
test_id_of (const char *data,
            gsize       length)
{
  const char *needle = "X-Test-Id: ";
  const char *end = data + length;
  const char *p;

  for (p = data; p + strlen (needle) <= end; p++)
    {
      if ((p == data || p[-1] == '\n') && strncmp (p, needle, strlen (needle)) == 0)
        {
          const char *start = p + strlen (needle);
          const char *stop = start;

          while (stop < end && *stop != '\r' && *stop != '\n')
            stop++;
          return g_strndup (start, stop - start);
        }
    }
  return NULL;
}

static guint
count_state (MissiveOutbox      *outbox,
             MissiveOutboxState  state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = missive_outbox_list (outbox, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MissiveOutboxItem) item = g_list_model_get_item (list, i);

      if (missive_outbox_item_get_state (item) == state)
        n++;
    }
  return n;
}

static void
flush_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = missive_outbox_flush (f->outbox, MISSIVE_SENDER (f->sender), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* ---- scripted outcomes ----------------------------------------------------- */

typedef struct
{
  /* The outcomes of the next sends, in order; accept when exhausted. */
  FakeOutcome outcomes[8];
  MissiveError codes[8];
  guint server_codes[8];
  guint n;
  guint next;
} Plan;

static FakeOutcome
decide_by_plan (FakeSender  *sender,
                const char  *data,
                gsize        length,
                GError     **error,
                gpointer     user_data)
{
  Plan *plan = user_data;
  guint i = plan->next++;

  if (i >= plan->n || plan->outcomes[i] == FAKE_ACCEPT)
    return FAKE_ACCEPT;
  *error = g_error_new (MISSIVE_ERROR, plan->codes[i], "Scripted failure %u", plan->server_codes[i]);
  if (plan->server_codes[i] != 0)
    missive_error_set_server_reply (*error, plan->server_codes[i],
                                    plan->server_codes[i] >= 500 ? "5.1.1" : "4.3.0", NULL,
                                    plan->server_codes[i] >= 500 ? "No such user" : "Try later");
  return plan->outcomes[i];
}

static void
use_plan (Plan *plan)
{
  fake_script.decide = decide_by_plan;
  fake_script.decide_data = plan;
}

/* ---- the tests ------------------------------------------------------------- */

static void
test_queue_and_flush (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *bytes = NULL;
  char *ids[3];

  ids[0] = queue_tagged (f->outbox, "first");
  ids[1] = queue_tagged (f->outbox, "second");
  ids[2] = queue_tagged (f->outbox, "third");
  g_assert_cmpstr (ids[0], !=, ids[1]);

  /* Listed in queue order, with the derived envelope. */
  list = missive_outbox_list (f->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(MissiveOutboxItem) item = g_list_model_get_item (list, i);
      MissiveEnvelope *envelope = missive_outbox_item_get_envelope (item);
      MissiveRecipientKind kind;

      g_assert_cmpstr (missive_outbox_item_get_id (item), ==, ids[i]);
      g_assert_cmpint (missive_outbox_item_get_state (item), ==, MISSIVE_OUTBOX_STATE_QUEUED);
      g_assert_cmpuint (missive_outbox_item_get_attempts (item), ==, 0);
      g_assert_null (missive_outbox_item_get_next_attempt (item));
      g_assert_null (missive_outbox_item_get_last_error (item));
      g_assert_nonnull (missive_outbox_item_get_queued_time (item));
      g_assert_cmpuint (missive_outbox_item_get_size (item), >, 0);
      g_assert_cmpstr (missive_envelope_get_from (envelope), ==, "alice@example.com");
      g_assert_cmpuint (missive_envelope_get_n_recipients (envelope), ==, 3);
      g_assert_cmpstr (missive_envelope_get_recipient (envelope, 2, &kind), ==, "dave@example.net");
      g_assert_cmpint (kind, ==, MISSIVE_RECIPIENT_BCC);
    }

  /* The stored copy is the transmitted one: no Bcc, CRLF. */
  bytes = stored_bytes (f->outbox, ids[0]);
  g_assert_null (strstr (bytes, "Bcc"));
  g_assert_null (strstr (bytes, "dave@example.net"));
  g_assert_nonnull (strstr (bytes, "To: Bob <bob@example.com>\r\n"));

  /* The sender is disconnected: the flush opens and closes it. */
  flush_ok (f);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (f->sender)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_cmpuint (fake_counters.n_opened, ==, 1);
  g_assert_cmpuint (f->sender->n_sends, ==, 3);
  g_assert_cmpuint (f->sent_ids->len, ==, 3);
  g_assert_cmpuint (f->failed_ids->len, ==, 0);
  g_assert_cmpuint (f->progress_done, ==, 3);
  g_assert_cmpuint (f->progress_total, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      GBytes *sent = g_ptr_array_index (f->sender->messages, i);
      g_autofree char *tag = test_id_of (g_bytes_get_data (sent, NULL), g_bytes_get_size (sent));

      g_assert_cmpstr (g_ptr_array_index (f->sent_ids, i), ==, ids[i]);
      g_assert_cmpstr (tag, ==, i == 0 ? "first" : i == 1 ? "second" : "third");
    }

  g_clear_object (&list);
  list = missive_outbox_list (f->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);

  /* Nothing due: a flush does nothing, and does not even connect. */
  flush_ok (f);
  g_assert_cmpuint (fake_counters.n_opened, ==, 1);

  for (guint i = 0; i < 3; i++)
    g_free (ids[i]);
}

static void
test_flush_open_sender (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = queue_tagged (f->outbox, "one");

  /* A sender the caller opened stays open. */
  g_assert_true (missive_service_open (MISSIVE_SERVICE (f->sender), NULL, &error));
  g_assert_no_error (error);
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (f->sender)), !=,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_true (missive_service_close (MISSIVE_SERVICE (f->sender), NULL, &error));
  g_assert_no_error (error);
}

static void
test_keep_sent (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveOutboxItem) item = NULL;
  g_autofree char *id = queue_tagged (f->outbox, "kept");
  g_autofree char *bytes = NULL;

  missive_outbox_set_keep_sent (f->outbox, TRUE);
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);

  item = missive_outbox_lookup (f->outbox, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_outbox_item_get_state (item), ==, MISSIVE_OUTBOX_STATE_SENT);
  bytes = stored_bytes (f->outbox, id);
  g_assert_nonnull (strstr (bytes, "X-Test-Id: kept"));

  /* Sent messages are not sent again. */
  flush_ok (f);
  g_assert_cmpuint (f->sender->n_sends, ==, 1);

  g_assert_true (missive_outbox_remove (f->outbox, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_SENT), ==, 0);
}

static void
test_permanent_failure (Fixture       *f,
                        gconstpointer  data)
{
  Plan plan = { .n = 1, .outcomes = { FAKE_FAIL }, .codes = { MISSIVE_ERROR_SERVER_PERMANENT },
                .server_codes = { 550 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveOutboxItem) item = NULL;
  g_autoptr(MissiveOutbox) reopened = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  const GError *last;

  use_plan (&plan);
  bad = queue_tagged (f->outbox, "bad");
  good = queue_tagged (f->outbox, "good");

  /* One failure does not stop the flush. */
  flush_ok (f);
  g_assert_cmpuint (f->failed_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->failed_ids, 0), ==, bad);
  g_assert_true (g_array_index (f->failed_permanent, gboolean, 0));
  g_assert_error ((GError *) g_ptr_array_index (f->failed_errors, 0), MISSIVE_ERROR,
                  MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->sent_ids, 0), ==, good);

  /* The server's reply is kept with the message, across a reopening. */
  reopened = missive_outbox_new (f->dir, &error);
  g_assert_no_error (error);
  item = missive_outbox_lookup (reopened, bad, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_outbox_item_get_state (item), ==, MISSIVE_OUTBOX_STATE_FAILED);
  g_assert_cmpuint (missive_outbox_item_get_attempts (item), ==, 1);
  last = missive_outbox_item_get_last_error (item);
  g_assert_error (last, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_cmpstr (last->message, ==, "Scripted failure 550");
  g_assert_cmpuint (missive_error_get_server_code (last), ==, 550);
  g_assert_cmpstr (missive_error_get_enhanced_status (last), ==, "5.1.1");
  g_assert_cmpstr (missive_error_get_server_text (last), ==, "No such user");

  /* Failed messages are not retried by a flush... */
  flush_ok (f);
  g_assert_cmpuint (f->sender->n_sends, ==, 2);

  /* ...until they are queued again. */
  g_assert_cmpuint (missive_outbox_retry_failed (f->outbox, &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&item);
  item = missive_outbox_lookup (f->outbox, bad, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_outbox_item_get_state (item), ==, MISSIVE_OUTBOX_STATE_QUEUED);
  g_assert_cmpuint (missive_outbox_item_get_attempts (item), ==, 0);
  flush_ok (f);
  g_assert_cmpuint (f->sender->n_sends, ==, 3);
  g_assert_cmpuint (f->sent_ids->len, ==, 2);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_FAILED), ==, 0);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 0);
}

static void
test_permanent_kinds (Fixture       *f,
                      gconstpointer  data)
{
  Plan plan = { .n = 3, .outcomes = { FAKE_FAIL, FAKE_FAIL, FAKE_FAIL },
                .codes = { MISSIVE_ERROR_RECIPIENTS_REJECTED, MISSIVE_ERROR_MESSAGE_TOO_LARGE,
                           MISSIVE_ERROR_SERVER_PERMANENT },
                .server_codes = { 550, 552, 554 } };

  use_plan (&plan);
  for (guint i = 0; i < 3; i++)
    g_free (queue_tagged (f->outbox, "x"));
  flush_ok (f);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_FAILED), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_array_index (f->failed_permanent, gboolean, i));
}

/* Makes a queued message due at once, as time passing would. */
static void
make_due (Fixture    *f,
          const char *id)
{
  g_autofree char *name = g_strconcat (id, ".meta", NULL);
  g_autofree char *meta = g_build_filename (f->dir, "queue", name, NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, meta, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_key_file_set_int64 (key_file, "delivery", "next-attempt", 0);
  g_key_file_save_to_file (key_file, meta, &error);
  g_assert_no_error (error);
}

static gint64
next_attempt_of (MissiveOutbox *outbox,
                 const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveOutboxItem) item = missive_outbox_lookup (outbox, id, &error);
  GDateTime *next;

  g_assert_no_error (error);
  next = missive_outbox_item_get_next_attempt (item);
  g_assert_nonnull (next);
  return g_date_time_to_unix (next);
}

static void
test_temporary_failure (Fixture       *f,
                        gconstpointer  data)
{
  Plan plan = { .n = 3, .outcomes = { FAKE_FAIL, FAKE_FAIL, FAKE_FAIL },
                .codes = { MISSIVE_ERROR_SERVER_TEMPORARY, MISSIVE_ERROR_SERVER_TEMPORARY,
                           MISSIVE_ERROR_SERVER_TEMPORARY },
                .server_codes = { 451, 451, 451 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveOutboxItem) item = NULL;
  g_autofree char *id = NULL;
  gint64 before, after;

  use_plan (&plan);
  missive_outbox_set_retry_delay (f->outbox, 100);
  missive_outbox_set_max_retry_delay (f->outbox, 300);
  id = queue_tagged (f->outbox, "later");

  /* Attempt 1: retried after 100 s. */
  before = g_get_real_time () / G_USEC_PER_SEC;
  flush_ok (f);
  after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpuint (f->failed_ids->len, ==, 1);
  g_assert_false (g_array_index (f->failed_permanent, gboolean, 0));
  item = missive_outbox_lookup (f->outbox, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_outbox_item_get_state (item), ==, MISSIVE_OUTBOX_STATE_QUEUED);
  g_assert_cmpuint (missive_outbox_item_get_attempts (item), ==, 1);
  g_assert_error (missive_outbox_item_get_last_error (item), MISSIVE_ERROR,
                  MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpint (next_attempt_of (f->outbox, id), >=, before + 100);
  g_assert_cmpint (next_attempt_of (f->outbox, id), <=, after + 100);

  /* Not due: the next flush leaves it alone. */
  flush_ok (f);
  g_assert_cmpuint (f->sender->n_sends, ==, 1);

  /* Attempt 2: the delay doubles. */
  make_due (f, id);
  before = g_get_real_time () / G_USEC_PER_SEC;
  flush_ok (f);
  after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpuint (f->sender->n_sends, ==, 2);
  g_assert_cmpint (next_attempt_of (f->outbox, id), >=, before + 200);
  g_assert_cmpint (next_attempt_of (f->outbox, id), <=, after + 200);

  /* Attempt 3: capped by max-retry-delay. */
  make_due (f, id);
  before = g_get_real_time () / G_USEC_PER_SEC;
  flush_ok (f);
  after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpuint (f->sender->n_sends, ==, 3);
  g_assert_cmpint (next_attempt_of (f->outbox, id), >=, before + 300);
  g_assert_cmpint (next_attempt_of (f->outbox, id), <=, after + 300);

  /* Attempt 4 succeeds. */
  make_due (f, id);
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 0);
}

static void
test_temporary_kinds (Fixture       *f,
                      gconstpointer  data)
{
  /* A lost connection, an uncertain delivery and a 421 that closes the
   * connection: all stay queued, and the flush reconnects for the next
   * message. */
  Plan plan = { .n = 3, .outcomes = { FAKE_FAIL, FAKE_FAIL, FAKE_FAIL_DISCONNECT },
                .codes = { MISSIVE_ERROR_CONNECTION_LOST, MISSIVE_ERROR_DELIVERY_UNCERTAIN,
                           MISSIVE_ERROR_SERVER_TEMPORARY },
                .server_codes = { 0, 0, 421 } };

  use_plan (&plan);
  missive_outbox_set_retry_delay (f->outbox, 0);
  for (guint i = 0; i < 4; i++)
    g_free (queue_tagged (f->outbox, "t"));

  flush_ok (f);
  g_assert_cmpuint (f->failed_ids->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_false (g_array_index (f->failed_permanent, gboolean, i));
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 3);
  /* Opened for the first message, and again after each failure: the
   * service drops the connection after a loss or an uncertain delivery,
   * the fake server after its 421. */
  g_assert_cmpuint (fake_counters.n_opened, ==, 4);

  /* With no retry delay they are due again at once. */
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 4);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 0);
}

static void
test_max_attempts (Fixture       *f,
                   gconstpointer  data)
{
  Plan plan = { .n = 2, .outcomes = { FAKE_FAIL, FAKE_FAIL },
                .codes = { MISSIVE_ERROR_SERVER_TEMPORARY, MISSIVE_ERROR_SERVER_TEMPORARY },
                .server_codes = { 450, 450 } };
  g_autofree char *id = NULL;

  use_plan (&plan);
  missive_outbox_set_retry_delay (f->outbox, 0);
  missive_outbox_set_max_attempts (f->outbox, 2);
  id = queue_tagged (f->outbox, "doomed");

  flush_ok (f);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 1);
  g_assert_false (g_array_index (f->failed_permanent, gboolean, 0));
  flush_ok (f);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_FAILED), ==, 1);
  g_assert_true (g_array_index (f->failed_permanent, gboolean, 1));
}

static void
test_open_fails (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = queue_tagged (f->outbox, "stuck");
  g_autoptr(MissiveOutboxItem) item = NULL;

  /* TLS required over a transport without it: the open fails. */
  missive_service_set_security (MISSIVE_SERVICE (f->sender), MISSIVE_SECURITY_TLS);
  g_assert_false (missive_outbox_flush (f->outbox, MISSIVE_SENDER (f->sender), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TLS_FAILED);

  /* The message was not tried: nothing recorded. */
  item = missive_outbox_lookup (f->outbox, id, NULL);
  g_assert_nonnull (item);
  g_assert_cmpuint (missive_outbox_item_get_attempts (item), ==, 0);
  g_assert_cmpuint (f->failed_ids->len, ==, 0);
}

static void
test_queue_stream (Fixture       *f,
                   gconstpointer  data)
{
  static const char raw[] =
    "From: alice@example.com\r\nTo: bob@example.com\r\nBcc: raw@example.com\r\n"
    "Subject: caf\xc3\xa9\r\n\r\nCaf\xc3\xa9 au lait.\r\n";
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("alice@example.com");
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (raw, strlen (raw), NULL);
  g_autoptr(MissiveOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *bytes = NULL;
  GBytes *sent;

  missive_envelope_add_recipient (envelope, "bob@example.com", MISSIVE_RECIPIENT_ENVELOPE);
  id = missive_outbox_queue_stream (f->outbox, stream, envelope, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  /* Stored byte for byte; the 8-bit content is noticed. */
  bytes = stored_bytes (f->outbox, id);
  g_assert_cmpstr (bytes, ==, raw);
  item = missive_outbox_lookup (f->outbox, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_envelope_get_content_class (missive_outbox_item_get_envelope (item)), ==,
                   MISSIVE_CONTENT_8BIT);
  g_assert_cmpuint (missive_outbox_item_get_size (item), ==, strlen (raw));

  flush_ok (f);
  sent = g_ptr_array_index (f->sender->messages, 0);
  g_assert_cmpmem (g_bytes_get_data (sent, NULL), g_bytes_get_size (sent), raw, strlen (raw));
}

static void
test_explicit_envelope (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GObject) message = G_OBJECT (make_message ("explicit"));
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("bounces@example.com");
  g_autoptr(MissiveOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  MissiveEnvelope *stored;

  missive_envelope_add_recipient (envelope, "list@example.org", MISSIVE_RECIPIENT_ENVELOPE);
  id = missive_outbox_queue (f->outbox, GMIME_MESSAGE (message), envelope, &error);
  g_assert_no_error (error);
  /* The caller's envelope can change afterwards. */
  missive_envelope_set_from (envelope, "changed@example.com");

  item = missive_outbox_lookup (f->outbox, id, &error);
  g_assert_no_error (error);
  stored = missive_outbox_item_get_envelope (item);
  g_assert_cmpstr (missive_envelope_get_from (stored), ==, "bounces@example.com");
  g_assert_cmpuint (missive_envelope_get_n_recipients (stored), ==, 1);
  g_assert_cmpstr (missive_envelope_get_recipient (stored, 0, NULL), ==, "list@example.org");
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GObject) message = G_OBJECT (g_mime_message_new (TRUE));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GDir) tmp = NULL;
  g_autofree char *tmp_path = NULL;

  /* No recipient: refused, and nothing left behind. */
  g_mime_message_add_mailbox (GMIME_MESSAGE (message), GMIME_ADDRESS_TYPE_FROM, NULL,
                              "alice@example.com");
  id = missive_outbox_queue (f->outbox, GMIME_MESSAGE (message), NULL, &error);
  g_assert_null (id);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  list = missive_outbox_list (f->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  tmp_path = g_build_filename (f->dir, "tmp", NULL);
  tmp = g_dir_open (tmp_path, 0, NULL);
  g_assert_null (g_dir_read_name (tmp));

  /* Ids that are not ours never reach the file system. */
  g_assert_false (missive_outbox_remove (f->outbox, "../../etc/passwd", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_outbox_remove (f->outbox, "0000000000000000-00000000", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (missive_outbox_lookup (f->outbox, "0000000000000000-0000000G", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = queue_tagged (f->outbox, "a");
  g_autofree char *b = queue_tagged (f->outbox, "b");

  g_assert_true (missive_outbox_remove (f->outbox, a, &error));
  g_assert_no_error (error);
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->sent_ids, 0), ==, b);
}

static void
test_leftovers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveOutbox) reopened = NULL;
  g_autofree char *id = queue_tagged (f->outbox, "real");
  g_autofree char *orphan = g_build_filename (f->dir, "queue", "0000000000000001-00000000.meta", NULL);
  g_autofree char *old_orphan = g_build_filename (f->dir, "queue", "0000000000000002-00000000.meta", NULL);
  g_autofree char *old_temp = g_build_filename (f->dir, "tmp", "0000000000000003-00000000.eml", NULL);
  g_autofree char *new_temp = g_build_filename (f->dir, "tmp", "0000000000000004-00000000.eml", NULL);
  struct utimbuf long_ago = { 1000000000, 1000000000 };

  /* What a crash leaves: sidecars without a message, half-written files. */
  g_assert_true (g_file_set_contents (orphan, "[message]\nversion=1\n", -1, NULL));
  g_assert_true (g_file_set_contents (old_orphan, "[message]\nversion=1\n", -1, NULL));
  g_assert_true (g_file_set_contents (old_temp, "From: half", -1, NULL));
  g_assert_true (g_file_set_contents (new_temp, "From: half", -1, NULL));
  g_assert_cmpint (utime (old_orphan, &long_ago), ==, 0);
  g_assert_cmpint (utime (old_temp, &long_ago), ==, 0);

  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 1);

  /* Opening cleans up only what is surely dead. */
  reopened = missive_outbox_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_orphan, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_temp, G_FILE_TEST_EXISTS));

  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->sent_ids, 0), ==, id);
}

static void
test_damaged_sidecar (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *bad = queue_tagged (f->outbox, "damaged");
  g_autofree char *good = queue_tagged (f->outbox, "fine");
  g_autofree char *name = g_strconcat (bad, ".meta", NULL);
  g_autofree char *meta = g_build_filename (f->dir, "queue", name, NULL);

  g_assert_true (g_file_set_contents (meta, "garbage\x01\x02", -1, NULL));
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 1);
  /* Skipped, never sent without its envelope, never deleted. */
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->sent_ids, 0), ==, good);
  g_assert_true (g_file_test (meta, G_FILE_TEST_EXISTS));
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lock = g_build_filename (f->dir, "flush.lock", NULL);
  g_autofree char *id = queue_tagged (f->outbox, "locked");
  int fd;

  /* Another process flushing holds the lock. */
  fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  g_assert_false (missive_outbox_flush (f->outbox, MISSIVE_SENDER (f->sender), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpuint (fake_counters.n_opened, ==, 0);

  close (fd);
  flush_ok (f);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
}

static void
flush_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (missive_outbox_flush_finish (MISSIVE_OUTBOX (source), result, error));
  g_assert_nonnull (*error);
}

static void
cancel_on_sent (MissiveOutbox     *outbox,
                const char        *id,
                MissiveSendResult *result,
                GCancellable      *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_busy_and_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) busy = NULL;
  g_autoptr(GError) cancelled = NULL;
  g_autofree char *a = queue_tagged (f->outbox, "a");
  g_autofree char *b = queue_tagged (f->outbox, "b");
  g_autoptr(MissiveOutboxItem) item_b = NULL;
  g_autoptr(GError) error = NULL;

  fake_script.delay_ms = 20;
  missive_outbox_flush_async (f->outbox, MISSIVE_SENDER (f->sender), G_PRIORITY_DEFAULT,
                              cancellable, flush_done_cb, &cancelled);
  /* One flush at a time. */
  missive_outbox_flush_async (f->outbox, MISSIVE_SENDER (f->sender), G_PRIORITY_DEFAULT,
                              NULL, flush_done_cb, &busy);
  while (busy == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (busy, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);

  /* The message being sent cannot be removed. */
  while (f->sender->n_sends == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (missive_outbox_remove (f->outbox, a, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);

  /* Cancelled once the first message is sent: the second stays queued,
   * untouched, and the sender the flush opened is closed. */
  g_signal_connect (f->outbox, "message-sent", G_CALLBACK (cancel_on_sent), cancellable);
  while (cancelled == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->sender->n_sends, ==, 1);
  g_assert_cmpuint (f->sent_ids->len, ==, 1);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 1);
  item_b = missive_outbox_lookup (f->outbox, b, NULL);
  g_assert_nonnull (item_b);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (f->sender)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}

/* ---- killed mid-flush -------------------------------------------------------- */

#define CRASH_INITIAL 40
#define CRASH_KILLS 50
#define CRASH_MAX_MESSAGES 400

static GPid
spawn_child (const char *dir,
             const char *log,
             gboolean    to_be_killed,
             int        *out_fd)
{
  g_autofree char *child = g_test_build_filename (G_TEST_BUILT, "outbox-crash-child", NULL);
  g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int ());
  const char *argv[] = { child, dir, log, seed, NULL };
  const char *asan_options = g_getenv ("ASAN_OPTIONS");
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  /* Under AddressSanitizer a child killed anyway (it never reports leaks)
   * starts twice as fast with the quick unwinder. */
  if (to_be_killed && asan_options != NULL)
    {
      g_autofree char *options = g_strconcat (asan_options, ":fast_unwind_on_malloc=1", NULL);

      envp = g_environ_setenv (g_steal_pointer (&envp), "ASAN_OPTIONS", options, TRUE);
    }
  g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, out_fd, NULL, &error);
  g_assert_no_error (error);
  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  g_spawn_close_pid (pid);
  return status;
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *log = g_build_filename (f->dir, "delivered.log", NULL);
  g_autoptr(GHashTable) queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint kills = 0, runs = 0, n_lines = 0, duplicates;
  guint next_tag = 0;
  int status;
  GPid pid;
  int out_fd;

  for (; next_tag < CRASH_INITIAL; next_tag++)
    {
      g_autofree char *tag = g_strdup_printf ("msg-%04u", next_tag);

      g_free (queue_tagged (f->outbox, tag));
      g_hash_table_add (queued, g_steal_pointer (&tag));
    }

  while (kills < CRASH_KILLS && runs < 10 * CRASH_KILLS)
    {
      char ready = 0;

      /* Keep the child busy: a kill into an empty queue tests nothing. */
      if (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED) < 5 && next_tag < CRASH_MAX_MESSAGES)
        for (guint i = 0; i < 20; i++, next_tag++)
          {
            g_autofree char *tag = g_strdup_printf ("msg-%04u", next_tag);

            g_free (queue_tagged (f->outbox, tag));
            g_hash_table_add (queued, g_steal_pointer (&tag));
          }

      runs++;
      pid = spawn_child (f->dir, log, TRUE, &out_fd);
      /* The child says when its flush begins and when its server
       * accepts a message. Half the kills come at a random moment of the
       * flush, half shortly after an acceptance, where a duplicate can
       * arise. */
      g_assert_cmpint (read (out_fd, &ready, 1), ==, 1);
      if (g_test_rand_bit ())
        g_usleep (g_test_rand_int_range (0, 40000));
      else
        {
          int n_accepts = g_test_rand_int_range (1, 4);

          while (n_accepts > 0 && read (out_fd, &ready, 1) == 1)
            n_accepts--;
          g_usleep (g_test_rand_int_range (0, 6000));
        }
      kill (pid, SIGKILL);
      close (out_fd);
      status = wait_child (pid);
      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL)
        kills++;
      else
        g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  g_assert_cmpuint (kills, >=, CRASH_KILLS);

  /* A last flush, undisturbed. */
  pid = spawn_child (f->dir, log, FALSE, &out_fd);
  {
    char ready = 0;

    g_assert_cmpint (read (out_fd, &ready, 1), ==, 1);
  }
  close (out_fd);
  status = wait_child (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* Every message delivered at least once; the queue is empty. */
  g_assert_true (g_file_get_contents (log, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_assert_true (g_hash_table_contains (queued, lines[i]));
      g_hash_table_add (delivered, g_strdup (lines[i]));
      n_lines++;
    }
  g_assert_cmpuint (g_hash_table_size (delivered), ==, g_hash_table_size (queued));
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_QUEUED), ==, 0);
  g_assert_cmpuint (count_state (f->outbox, MISSIVE_OUTBOX_STATE_FAILED), ==, 0);

  /* A duplicate needs a kill between the acceptance and the removal. */
  duplicates = n_lines - g_hash_table_size (delivered);
  g_test_message ("%u messages, %u kills in %u runs, %u delivered twice",
                  g_hash_table_size (queued), kills, runs, duplicates);
  if (g_test_verbose ())
    g_printerr ("outbox crash test: %u messages, %u kills in %u runs, %u delivered twice\n",
                g_hash_table_size (queued), kills, runs, duplicates);
  g_assert_cmpuint (duplicates, <=, kills);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);
  g_mime_init ();

#define ADD(path, func) \
  g_test_add ("/outbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("queue-and-flush", test_queue_and_flush);
  ADD ("flush-open-sender", test_flush_open_sender);
  ADD ("keep-sent", test_keep_sent);
  ADD ("permanent-failure", test_permanent_failure);
  ADD ("permanent-kinds", test_permanent_kinds);
  ADD ("temporary-failure", test_temporary_failure);
  ADD ("temporary-kinds", test_temporary_kinds);
  ADD ("max-attempts", test_max_attempts);
  ADD ("open-fails", test_open_fails);
  ADD ("queue-stream", test_queue_stream);
  ADD ("explicit-envelope", test_explicit_envelope);
  ADD ("invalid", test_invalid);
  ADD ("remove", test_remove);
  ADD ("leftovers", test_leftovers);
  ADD ("damaged-sidecar", test_damaged_sidecar);
  ADD ("lock", test_lock);
  ADD ("busy-and-cancel", test_busy_and_cancel);
  ADD ("crash", test_crash);
#undef ADD

  return g_test_run ();
}
