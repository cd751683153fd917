/* test-sender-pool.c: MissiveSenderPool with fake senders and a mock clock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "missive-sender-pool-private.h"
#include "test-utils.h"
#include "test-fake-sender.h"

typedef struct
{
  FakeSender *template_sender;
  MissiveSenderPool *pool;
  GPtrArray *senders;       /* every sender the pool created */
  GPtrArray *started;       /* X-Test-Id of each send, in order */
  GPtrArray *results;       /* MissiveSendResult or GError per message, by index */
  GPtrArray *errors;
  guint n_done;
  gint64 clock;             /* the mock clock, microseconds */
} Fixture;

static gint64
mock_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->clock;
}

static void
on_sender_created (MissiveSenderPool *pool,
                   MissiveSender     *sender,
                   Fixture           *f)
{
  g_assert_true (FAKE_IS_SENDER (sender));
  g_assert_true (sender != MISSIVE_SENDER (f->template_sender));
  /* The template's settings came along. */
  g_assert_cmpstr (missive_service_get_host (MISSIVE_SERVICE (sender)), ==, "pool.example");
  g_assert_cmpstr (missive_service_get_username (MISSIVE_SERVICE (sender)), ==, NULL);
  g_assert_cmpuint (missive_service_get_timeout (MISSIVE_SERVICE (sender)), ==, 17);
  g_assert_cmpstr (missive_service_get_scheme (MISSIVE_SERVICE (sender)), ==, "fake");
  /* ... but not its transport. */
  g_assert_true (missive_service_get_transport (MISSIVE_SERVICE (sender)) !=
                 missive_service_get_transport (MISSIVE_SERVICE (f->template_sender)));
  g_ptr_array_add (f->senders, g_object_ref (sender));
}

static char *
test_id_of (const char *data,
            gsize       length)
{
  const char *needle = "X-Test-Id: ";
  const char *end = data + length;

  for (const char *p = data; p + strlen (needle) <= end; p++)
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

/* Records the start of each send; the test's own rule decides. */
typedef FakeOutcome (*Rule) (Fixture *f, const char *id, guint attempt, GError **error);

static Rule current_rule;

static FakeOutcome
record_and_decide (FakeSender  *sender,
                   const char  *data,
                   gsize        length,
                   GError     **error,
                   gpointer     user_data)
{
  Fixture *f = user_data;
  g_autofree char *id = test_id_of (data, length);
  guint attempt = 0;

  g_assert_nonnull (id);
  for (guint i = 0; i < f->started->len; i++)
    if (g_str_equal (g_ptr_array_index (f->started, i), id))
      attempt++;
  g_ptr_array_add (f->started, g_strdup (id));
  return current_rule != NULL ? current_rule (f, id, attempt, error) : FAKE_ACCEPT;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fake_reset ();
  current_rule = NULL;
  f->template_sender = fake_sender_new ();
  missive_service_set_host (MISSIVE_SERVICE (f->template_sender), "pool.example");
  missive_service_set_timeout (MISSIVE_SERVICE (f->template_sender), 17);
  f->pool = missive_sender_pool_new (MISSIVE_SENDER (f->template_sender));
  f->senders = g_ptr_array_new_with_free_func (g_object_unref);
  f->started = g_ptr_array_new_with_free_func (g_free);
  f->results = g_ptr_array_new_with_free_func (g_object_unref);
  f->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_signal_connect (f->pool, "sender-created", G_CALLBACK (on_sender_created), f);
  fake_script.decide = record_and_decide;
  fake_script.decide_data = f;
}

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (missive_sender_pool_close_finish (MISSIVE_SENDER_POOL (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
close_pool (Fixture *f)
{
  gboolean done = FALSE;

  missive_sender_pool_close_async (f->pool, G_PRIORITY_DEFAULT, NULL, close_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (missive_sender_pool_get_n_connections (f->pool), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_pool (f);
  g_assert_cmpuint (fake_counters.n_open, ==, 0);
  g_assert_finalize_object (f->pool);
  g_clear_object (&f->template_sender);
  g_clear_pointer (&f->senders, g_ptr_array_unref);
  g_clear_pointer (&f->started, g_ptr_array_unref);
  g_clear_pointer (&f->results, g_ptr_array_unref);
  g_clear_pointer (&f->errors, g_ptr_array_unref);
}

static GMimeMessage *
make_message (const char *tag)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, NULL, "alice@example.com");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, "bob@example.com");
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Test-Id", tag, NULL);
  g_mime_text_part_set_text (body, "Hello\n");
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));
  g_object_unref (body);
  return message;
}

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;
  MissiveSendResult *send_result;
  GError *error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == missive_sender_pool_send_message_async)
    send_result = missive_sender_pool_send_message_finish (MISSIVE_SENDER_POOL (source), result, &error);
  else
    send_result = missive_sender_pool_send_stream_finish (MISSIVE_SENDER_POOL (source), result, &error);
  if (send_result != NULL)
    g_ptr_array_add (f->results, send_result);
  else
    g_ptr_array_add (f->errors, error);
  f->n_done++;
}

static void
send_tagged (Fixture    *f,
             const char *tag)
{
  GMimeMessage *message = make_message (tag);

  missive_sender_pool_send_message_async (f->pool, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                          NULL, send_done_cb, f);
  g_object_unref (message);
}

static void
send_n (Fixture *f,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tag = g_strdup_printf ("m%02u", i);

      send_tagged (f, tag);
    }
}

static void
wait_done (Fixture *f,
           guint    n)
{
  while (f->n_done < n)
    g_main_context_iteration (NULL, TRUE);
}

/* Streams go straight to the sender: no worker thread to wait for. */
static void
send_stream_tagged (Fixture    *f,
                    const char *tag)
{
  g_autofree char *raw = g_strdup_printf ("From: a@example.com\r\nTo: b@example.com\r\n"
                                          "X-Test-Id: %s\r\n\r\nHi\r\n", tag);
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("a@example.com");
  gsize length = strlen (raw);
  g_autoptr(GInputStream) stream =
    g_memory_input_stream_new_from_data (g_steal_pointer (&raw), length, g_free);

  missive_envelope_add_recipient (envelope, "b@example.com", MISSIVE_RECIPIENT_ENVELOPE);
  missive_sender_pool_send_stream_async (f->pool, stream, length, envelope, NULL,
                                         G_PRIORITY_DEFAULT, NULL, send_done_cb, f);
}

/* Runs everything that is ready now (never the timers still to come). */
static void
settle (void)
{
  for (guint rounds = 0; rounds < 1000; rounds++)
    {
      if (!g_main_context_pending (NULL))
        {
          /* A worker thread (the message measurement) may still be busy:
           * give it a moment and look again. */
          g_usleep (2000);
          if (!g_main_context_pending (NULL))
            return;
        }
      g_main_context_iteration (NULL, FALSE);
    }
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_fifo_and_max_connections (Fixture       *f,
                               gconstpointer  data)
{
  missive_sender_pool_set_max_connections (f->pool, 3);
  missive_sender_pool_set_max_messages_per_connection (f->pool, 0);
  fake_script.delay_ms = 5;
  fake_script.random_delay = TRUE;

  /* Streams: a message would be measured in a worker thread first, which
   * may finish out of order. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *tag = g_strdup_printf ("m%02u", i);

      send_stream_tagged (f, tag);
    }
  g_assert_cmpuint (missive_sender_pool_get_n_queued (f->pool), ==, 20);
  wait_done (f, 20);

  g_assert_cmpuint (f->results->len, ==, 20);
  g_assert_cmpuint (f->errors->len, ==, 0);
  g_assert_cmpuint (fake_counters.max_open, <=, 3);
  g_assert_cmpuint (fake_counters.max_open, >=, 1);
  g_assert_cmpuint (f->senders->len, <=, 3);
  /* First come, first served. */
  g_assert_cmpuint (f->started->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *tag = g_strdup_printf ("m%02u", i);

      g_assert_cmpstr (g_ptr_array_index (f->started, i), ==, tag);
    }
  g_assert_cmpuint (missive_sender_pool_get_n_queued (f->pool), ==, 0);
}

static void
test_one_connection (Fixture       *f,
                     gconstpointer  data)
{
  missive_sender_pool_set_max_connections (f->pool, 1);
  send_n (f, 5);
  wait_done (f, 5);
  g_assert_cmpuint (f->results->len, ==, 5);
  g_assert_cmpuint (f->senders->len, ==, 1);
  g_assert_cmpuint (fake_counters.n_opened, ==, 1);
  g_assert_cmpuint (FAKE_SENDER (g_ptr_array_index (f->senders, 0))->n_sends, ==, 5);
}

static void
test_messages_per_connection (Fixture       *f,
                              gconstpointer  data)
{
  guint total = 0;

  missive_sender_pool_set_max_connections (f->pool, 2);
  missive_sender_pool_set_max_messages_per_connection (f->pool, 3);
  fake_script.delay_ms = 2;
  fake_script.random_delay = TRUE;

  send_n (f, 10);
  wait_done (f, 10);
  g_assert_cmpuint (f->results->len, ==, 10);
  /* Never more than 2 at once, even while spent ones close. */
  g_assert_cmpuint (fake_counters.max_open, <=, 2);
  for (guint i = 0; i < f->senders->len; i++)
    {
      FakeSender *sender = g_ptr_array_index (f->senders, i);

      g_assert_cmpuint (sender->n_sends, <=, 3);
      total += sender->n_sends;
    }
  g_assert_cmpuint (total, ==, 10);
  g_assert_cmpuint (f->senders->len, >=, 4);
}

static void
assert_started (Fixture *f,
                guint    n)
{
  g_assert_cmpuint (f->started->len, ==, n);
  g_assert_cmpuint (missive_sender_pool_get_n_queued (f->pool), ==, 7 - n);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  f->clock = 1000 * G_USEC_PER_SEC;
  missive_sender_pool_set_clock (f->pool, mock_clock, f);
  missive_sender_pool_set_max_connections (f->pool, 10);
  missive_sender_pool_set_rate_limit (f->pool, 2.0);

  /* The bucket holds one second's worth: 2 go at once. */
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *tag = g_strdup_printf ("m%02u", i);

      send_stream_tagged (f, tag);
    }
  settle ();
  assert_started (f, 2);

  /* Time does not move: no more, whatever the real timer does. */
  missive_sender_pool_kick (f->pool);
  settle ();
  assert_started (f, 2);

  /* Half a second: one more token. */
  f->clock += G_USEC_PER_SEC / 2;
  missive_sender_pool_kick (f->pool);
  settle ();
  assert_started (f, 3);

  /* 0.4 s: not yet a whole token. */
  f->clock += 4 * G_USEC_PER_SEC / 10;
  missive_sender_pool_kick (f->pool);
  settle ();
  assert_started (f, 3);

  /* 0.1 s more completes it. */
  f->clock += G_USEC_PER_SEC / 10;
  missive_sender_pool_kick (f->pool);
  settle ();
  assert_started (f, 4);

  /* A long pause fills the bucket, but only to 2. */
  f->clock += 60 * G_USEC_PER_SEC;
  missive_sender_pool_kick (f->pool);
  settle ();
  assert_started (f, 6);

  f->clock += G_USEC_PER_SEC / 2;
  missive_sender_pool_kick (f->pool);
  wait_done (f, 7);
  assert_started (f, 7);
  g_assert_cmpuint (f->results->len, ==, 7);
  /* In the order given. */
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *tag = g_strdup_printf ("m%02u", i);

      g_assert_cmpstr (g_ptr_array_index (f->started, i), ==, tag);
    }
}

static void
test_rate_limit_real_clock (Fixture       *f,
                            gconstpointer  data)
{
  /* With the real clock the messages beyond the first second's worth
   * wait for the timer and all get through in the end; how long it takes
   * is not asserted. */
  missive_sender_pool_set_rate_limit (f->pool, 50.0);
  for (guint i = 0; i < 55; i++)
    send_stream_tagged (f, "r");
  wait_done (f, 55);
  g_assert_cmpuint (f->results->len, ==, 55);
}

static FakeOutcome
rule_421_first (Fixture     *f,
                const char  *id,
                guint        attempt,
                GError     **error)
{
  if (g_str_equal (id, "m00") && attempt == 0)
    {
      *error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY,
                                    "421 4.3.2 Service shutting down");
      missive_error_set_server_reply (*error, 421, "4.3.2", NULL, "Service shutting down");
      return FAKE_FAIL_DISCONNECT;
    }
  return FAKE_ACCEPT;
}

static void
test_421_retry (Fixture       *f,
                gconstpointer  data)
{
  current_rule = rule_421_first;
  missive_sender_pool_set_max_connections (f->pool, 1);
  send_n (f, 2);
  wait_done (f, 2);

  /* m00 was sent again, on a new connection, before m01. */
  g_assert_cmpuint (f->errors->len, ==, 0);
  g_assert_cmpuint (f->results->len, ==, 2);
  g_assert_cmpuint (f->started->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->started, 0), ==, "m00");
  g_assert_cmpstr (g_ptr_array_index (f->started, 1), ==, "m00");
  g_assert_cmpstr (g_ptr_array_index (f->started, 2), ==, "m01");
  g_assert_cmpuint (fake_counters.n_opened, ==, 2);
}

static FakeOutcome
rule_always_421 (Fixture     *f,
                 const char  *id,
                 guint        attempt,
                 GError     **error)
{
  *error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY, "421 Go away");
  return FAKE_FAIL_DISCONNECT;
}

static void
test_421_retry_once (Fixture       *f,
                     gconstpointer  data)
{
  current_rule = rule_always_421;
  send_n (f, 1);
  wait_done (f, 1);
  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->errors, 0), MISSIVE_ERROR,
                  MISSIVE_ERROR_SERVER_TEMPORARY);
}

static FakeOutcome
rule_temporary_stays (Fixture     *f,
                      const char  *id,
                      guint        attempt,
                      GError     **error)
{
  /* A 451 on a connection that stays open is the message's own failure. */
  *error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY, "451 Later");
  return FAKE_FAIL;
}

static void
test_temporary_not_retried (Fixture       *f,
                            gconstpointer  data)
{
  current_rule = rule_temporary_stays;
  send_n (f, 1);
  wait_done (f, 1);
  g_assert_cmpuint (f->started->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->errors, 0), MISSIVE_ERROR,
                  MISSIVE_ERROR_SERVER_TEMPORARY);
}

static FakeOutcome
rule_uncertain (Fixture     *f,
                const char  *id,
                guint        attempt,
                GError     **error)
{
  *error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_DELIVERY_UNCERTAIN,
                                "Lost after the data");
  return FAKE_FAIL_DISCONNECT;
}

static void
test_uncertain_not_retried (Fixture       *f,
                            gconstpointer  data)
{
  current_rule = rule_uncertain;
  send_n (f, 1);
  wait_done (f, 1);
  g_assert_cmpuint (f->started->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->errors, 0), MISSIVE_ERROR,
                  MISSIVE_ERROR_DELIVERY_UNCERTAIN);
}

static FakeOutcome
rule_lost_first (Fixture     *f,
                 const char  *id,
                 guint        attempt,
                 GError     **error)
{
  if (attempt > 0)
    return FAKE_ACCEPT;
  *error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                "Connection lost before the data");
  /* The service drops a connection on this error by itself. */
  return FAKE_FAIL;
}

static void
test_lost_retry_stream (Fixture       *f,
                        gconstpointer  data)
{
  static const char raw[] = "From: a@example.com\r\nTo: b@example.com\r\nX-Test-Id: s1\r\n\r\nHi\r\n";
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("a@example.com");
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (raw, strlen (raw), NULL);
  GBytes *second;

  current_rule = rule_lost_first;
  missive_envelope_add_recipient (envelope, "b@example.com", MISSIVE_RECIPIENT_ENVELOPE);
  missive_sender_pool_send_stream_async (f->pool, stream, strlen (raw), envelope, NULL,
                                         G_PRIORITY_DEFAULT, NULL, send_done_cb, f);
  wait_done (f, 1);

  g_assert_cmpuint (f->errors->len, ==, 0);
  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpuint (f->senders->len, ==, 2);
  /* The second attempt got the whole stream again. */
  second = g_ptr_array_index (FAKE_SENDER (g_ptr_array_index (f->senders, 1))->messages, 0);
  g_assert_cmpmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second), raw, strlen (raw));
}

static void
on_sender_created_tls (MissiveSenderPool *pool,
                       MissiveSender     *sender,
                       gpointer           user_data)
{
  /* TLS demanded over the fake's plain transport: every open fails. */
  missive_service_set_security (MISSIVE_SERVICE (sender), MISSIVE_SECURITY_TLS);
}

static void
test_open_fails (Fixture       *f,
                 gconstpointer  data)
{
  g_signal_connect (f->pool, "sender-created", G_CALLBACK (on_sender_created_tls), NULL);
  missive_sender_pool_set_max_connections (f->pool, 2);
  send_n (f, 3);
  wait_done (f, 3);
  g_assert_cmpuint (f->errors->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_error ((GError *) g_ptr_array_index (f->errors, i), MISSIVE_ERROR,
                    MISSIVE_ERROR_TLS_FAILED);
  g_assert_cmpuint (f->started->len, ==, 0);
}

static void
test_close_fails_queued (Fixture       *f,
                         gconstpointer  data)
{
  missive_sender_pool_set_max_connections (f->pool, 1);
  fake_script.delay_ms = 10;
  send_n (f, 4);
  /* Let the first message start. */
  while (f->started->len == 0)
    g_main_context_iteration (NULL, TRUE);
  close_pool (f);
  wait_done (f, 4);

  /* The one in flight finished; the others never started. */
  g_assert_cmpuint (f->results->len, ==, 1);
  g_assert_cmpuint (f->errors->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_error ((GError *) g_ptr_array_index (f->errors, i), MISSIVE_ERROR,
                    MISSIVE_ERROR_INVALID_STATE);
  g_assert_cmpuint (f->started->len, ==, 1);

  /* The pool works again afterwards. */
  send_n (f, 1);
  wait_done (f, 5);
  g_assert_cmpuint (f->results->len, ==, 2);
}

static void
test_cancel_queued (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GMimeMessage *message = make_message ("cancelled");

  missive_sender_pool_set_max_connections (f->pool, 1);
  fake_script.delay_ms = 10;
  send_n (f, 1);
  missive_sender_pool_send_message_async (f->pool, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                          cancellable, send_done_cb, f);
  g_object_unref (message);
  send_tagged (f, "after");
  g_cancellable_cancel (cancellable);
  wait_done (f, 3);

  g_assert_cmpuint (f->results->len, ==, 2);
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->errors, 0), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->started, 1), ==, "after");
}

static void
test_blocking (Fixture       *f,
               gconstpointer  data)
{
  GMimeMessage *message = make_message ("sync");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = missive_sender_pool_send_message (f->pool, message, NULL, NULL, NULL, &error);
  g_object_unref (message);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  g_assert_true (missive_sender_pool_close (f->pool, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);
  g_mime_init ();

#define ADD(path, func) \
  g_test_add ("/sender-pool/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("fifo-and-max-connections", test_fifo_and_max_connections);
  ADD ("one-connection", test_one_connection);
  ADD ("messages-per-connection", test_messages_per_connection);
  ADD ("rate-limit", test_rate_limit);
  ADD ("rate-limit-real-clock", test_rate_limit_real_clock);
  ADD ("421-retry", test_421_retry);
  ADD ("421-retry-once", test_421_retry_once);
  ADD ("temporary-not-retried", test_temporary_not_retried);
  ADD ("uncertain-not-retried", test_uncertain_not_retried);
  ADD ("lost-retry-stream", test_lost_retry_stream);
  ADD ("open-fails", test_open_fails);
  ADD ("close-fails-queued", test_close_fails_queued);
  ADD ("cancel-queued", test_cancel_queued);
  ADD ("blocking", test_blocking);
#undef ADD

  return g_test_run ();
}
