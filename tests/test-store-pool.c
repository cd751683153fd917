/* test-store-pool.c: MissiveStorePool against scripted fake IMAP servers
 * behind a relay (one script per connection): reuse, purposes and the
 * connection limit, broken connections replaced, the idle time-out,
 * cancellation while waiting.
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

static void
on_store_created (MissiveStorePool *pool,
                  MissiveStore     *store,
                  guint            *count)
{
  (*count)++;
  if (g_strcmp0 (g_getenv ("MISSIVE_TEST_TRACE"), "1") == 0)
    g_signal_connect (store, "protocol-trace", G_CALLBACK (on_trace), NULL);
}

static MissiveStorePool *
new_pool (MissiveTestRelay *relay,
          guint            *n_created)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("imap://alice@127.0.0.1:%u",
                                          missive_test_relay_get_port (relay));
  g_autoptr(MissiveService) service =
    missive_engine_create_service (missive_engine_get_default (), uri, &error);
  MissiveStorePool *pool;

  g_assert_no_error (error);
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  pool = missive_store_pool_new (MISSIVE_STORE (service));
  g_signal_connect (pool, "store-created", G_CALLBACK (on_store_created), n_created);
  return pool;
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

#define SELECT_OK(tag, name) \
  MT_EXPECT (tag " SELECT " name), \
  MT_SEND ("* 1 EXISTS\r\n* OK [UIDVALIDITY 7] Ok\r\n" tag " OK [READ-WRITE] done\r\n")

/* The same purpose and mailbox: the same connection, nothing sent again. */
static void
test_reuse (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    SELECT_OK ("A0002", "INBOX"),
    SELECT_OK ("A0003", "Archive"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (script, NULL, FALSE);
  MissiveTestServer *servers[] = { s1 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 1);
  guint n_created = 0;
  g_autoptr(MissiveStorePool) pool = new_pool (relay, &n_created);
  g_autoptr(MissiveStore) first = NULL;
  g_autoptr(MissiveStore) second = NULL;
  g_autoptr(MissiveStore) third = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (missive_store_pool_get_max_connections (pool), ==, 4);
  first = missive_store_pool_acquire (pool, "fetch", "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (first)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_store_get_selected_mailbox (first), ==, "INBOX");
  g_assert_true (first != missive_store_pool_get_template (pool));
  missive_store_pool_release (pool, first);
  g_assert_cmpuint (missive_store_pool_get_n_idle (pool), ==, 1);

  second = missive_store_pool_acquire (pool, "fetch", "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (second == first);
  missive_store_pool_release (pool, second);

  /* Another mailbox, same purpose: the idle connection selects it. */
  third = missive_store_pool_acquire (pool, "fetch", "Archive", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (third == first);
  g_assert_cmpstr (missive_store_get_selected_mailbox (third), ==, "Archive");
  missive_store_pool_release (pool, third);

  g_assert_cmpuint (n_created, ==, 1);
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 1);
  ASSERT_OK (missive_store_pool_close (pool, NULL, &error));
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 0);
  g_assert_cmpuint (missive_test_relay_get_n_accepted (relay), ==, 1);
  finish_servers (servers, 1);
}

typedef struct
{
  GMainLoop *loop;
  MissiveStore *store;
  GError *error;
  gboolean done;
} AcquireData;

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AcquireData *data = user_data;

  data->store = missive_store_pool_acquire_finish (MISSIVE_STORE_POOL (source), result,
                                                   &data->error);
  data->done = TRUE;
  if (data->loop != NULL)
    g_main_loop_quit (data->loop);
}

/* Two purposes, each its own connection; at the limit a request waits
 * for a release. */
static void
test_purposes_and_limit (void)
{
  const MissiveTestStep idle_script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    SELECT_OK ("A0002", "INBOX"),
    LOGOUT ("A0003"),
  };
  const MissiveTestStep fetch_script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    SELECT_OK ("A0002", "Archive"),
    SELECT_OK ("A0003", "Sent"),
    LOGOUT ("A0004"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (idle_script, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (fetch_script, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 2);
  guint n_created = 0;
  g_autoptr(MissiveStorePool) pool = new_pool (relay, &n_created);
  g_autoptr(MissiveStore) idle = NULL;
  g_autoptr(MissiveStore) fetch = NULL;
  g_autoptr(GError) error = NULL;
  AcquireData data = { 0 };

  missive_store_pool_set_max_connections (pool, 2);
  idle = missive_store_pool_acquire (pool, "idle", "INBOX", NULL, &error);
  g_assert_no_error (error);
  fetch = missive_store_pool_acquire (pool, "fetch", "Archive", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (idle != fetch);
  g_assert_cmpstr (missive_store_get_selected_mailbox (idle), ==, "INBOX");
  g_assert_cmpstr (missive_store_get_selected_mailbox (fetch), ==, "Archive");
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 2);

  /* Full: this one waits. */
  data.loop = g_main_loop_new (NULL, FALSE);
  missive_store_pool_acquire_async (pool, "fetch", "Sent", G_PRIORITY_DEFAULT, NULL,
                                    acquired_cb, &data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (data.done);

  missive_store_pool_release (pool, fetch);
  if (!data.done)
    g_main_loop_run (data.loop);
  g_assert_no_error (data.error);
  g_assert_true (data.store == fetch);
  g_assert_cmpstr (missive_store_get_selected_mailbox (data.store), ==, "Sent");
  missive_store_pool_release (pool, data.store);
  g_clear_object (&data.store);
  missive_store_pool_release (pool, idle);

  g_assert_cmpuint (n_created, ==, 2);
  ASSERT_OK (missive_store_pool_close (pool, NULL, &error));
  g_main_loop_unref (data.loop);
  finish_servers (servers, 2);
}

/* A connection that dropped while in use is dropped on release; one that
 * dropped while idle is replaced when selecting fails. */
static void
test_broken_replaced (void)
{
  const MissiveTestStep first[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    SELECT_OK ("A0002", "INBOX"),
    MT_EXPECT ("A0003 NOOP"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep second[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    SELECT_OK ("A0002", "INBOX"),
    /* Dies while idle: the next SELECT finds out. */
    MT_EXPECT ("A0003 SELECT Archive"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep third[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    SELECT_OK ("A0002", "Archive"),
    LOGOUT ("A0003"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) s2 = missive_test_server_new (second, NULL, FALSE);
  g_autoptr(MissiveTestServer) s3 = missive_test_server_new (third, NULL, FALSE);
  MissiveTestServer *servers[] = { s1, s2, s3 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 3);
  guint n_created = 0;
  g_autoptr(MissiveStorePool) pool = new_pool (relay, &n_created);
  g_autoptr(MissiveStore) a = NULL;
  g_autoptr(MissiveStore) b = NULL;
  g_autoptr(MissiveStore) c = NULL;
  g_autoptr(GError) error = NULL;

  a = missive_store_pool_acquire (pool, NULL, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_service_noop (MISSIVE_SERVICE (a), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  missive_store_pool_release (pool, a);
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 0);

  b = missive_store_pool_acquire (pool, NULL, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (b != a);
  missive_store_pool_release (pool, b);

  c = missive_store_pool_acquire (pool, NULL, "Archive", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (c != b);
  g_assert_cmpstr (missive_store_get_selected_mailbox (c), ==, "Archive");
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 1);
  missive_store_pool_release (pool, c);

  g_assert_cmpuint (n_created, ==, 3);
  ASSERT_OK (missive_store_pool_close (pool, NULL, &error));
  finish_servers (servers, 3);
}

/* An idle connection is logged out after the idle time-out. */
static void
test_idle_timeout (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    LOGOUT ("A0002"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (script, NULL, FALSE);
  MissiveTestServer *servers[] = { s1 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 1);
  guint n_created = 0;
  g_autoptr(MissiveStorePool) pool = new_pool (relay, &n_created);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  missive_store_pool_set_idle_timeout (pool, 1);
  store = missive_store_pool_acquire (pool, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  missive_store_pool_release (pool, store);
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 1);

  /* Wait (bounded) for the pool to close it. */
  while (missive_store_pool_get_n_connections (pool) > 0 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 0);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  ASSERT_OK (missive_store_pool_close (pool, NULL, &error));
  finish_servers (servers, 1);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (missive_store_pool_close_finish (MISSIVE_STORE_POOL (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* A request waiting for a connection is cancelled; a pool being closed
 * refuses new requests. */
static void
test_cancel_waiting (void)
{
  const MissiveTestStep script[] = {
    LOGIN_ONLY ("IMAP4rev1"),
    LOGOUT ("A0002"),
  };
  g_autoptr(MissiveTestServer) s1 = missive_test_server_new (script, NULL, FALSE);
  MissiveTestServer *servers[] = { s1 };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 1);
  guint n_created = 0;
  g_autoptr(MissiveStorePool) pool = new_pool (relay, &n_created);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveStore) refused = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AcquireData data = { 0 };
  gboolean closed = FALSE;

  missive_store_pool_set_max_connections (pool, 1);
  store = missive_store_pool_acquire (pool, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  data.loop = g_main_loop_new (NULL, FALSE);
  missive_store_pool_acquire_async (pool, NULL, NULL, G_PRIORITY_DEFAULT, cancellable,
                                    acquired_cb, &data);
  g_cancellable_cancel (cancellable);
  if (!data.done)
    g_main_loop_run (data.loop);
  g_assert_null (data.store);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&data.error);

  /* Closing waits for the store in use; meanwhile requests are refused. */
  missive_store_pool_close_async (pool, G_PRIORITY_DEFAULT, NULL, closed_cb, &closed);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (closed);
  refused = missive_store_pool_acquire (pool, NULL, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  missive_store_pool_release (pool, store);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 0);
  g_assert_cmpuint (n_created, ==, 1);
  g_main_loop_unref (data.loop);
  finish_servers (servers, 1);
}

/* A server that cannot be reached fails the request, not the pool. */
static void
test_unreachable (void)
{
  MissiveTestServer *servers[] = { NULL };
  g_autoptr(MissiveTestRelay) relay = missive_test_relay_new (servers, 0);
  guint n_created = 0;
  g_autoptr(MissiveStorePool) pool = new_pool (relay, &n_created);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = missive_store_pool_acquire (pool, "fetch", "INBOX", NULL, &error);
  g_assert_null (store);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_cmpuint (missive_store_pool_get_n_connections (pool), ==, 0);
  g_clear_error (&error);
  ASSERT_OK (missive_store_pool_close (pool, NULL, &error));
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/store-pool/reuse", test_reuse);
  g_test_add_func ("/store-pool/purposes-and-limit", test_purposes_and_limit);
  g_test_add_func ("/store-pool/broken-replaced", test_broken_replaced);
  g_test_add_func ("/store-pool/idle-timeout", test_idle_timeout);
  g_test_add_func ("/store-pool/cancel-waiting", test_cancel_waiting);
  g_test_add_func ("/store-pool/unreachable", test_unreachable);

  return g_test_run ();
}
