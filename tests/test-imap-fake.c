/* test-imap-fake.c: what the IMAP suites against scripted fake servers
 * share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

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

MissiveStore *
open_store (MissiveTestServer *server,
            gboolean           select)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("imap://alice@127.0.0.1:%u",
                                          missive_test_server_get_port (server));
  MissiveService *service = missive_engine_create_service (missive_engine_get_default (), uri, &error);

  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_STORE (service));
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  if (g_strcmp0 (g_getenv ("MISSIVE_TEST_TRACE"), "1") == 0)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), NULL);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  if (select)
    {
      g_autoptr(MissiveMailboxInfo) info =
        missive_store_select_mailbox (MISSIVE_STORE (service), "INBOX", FALSE, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (info);
    }
  return MISSIVE_STORE (service);
}

void
close_store (MissiveStore      *store,
             MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  ASSERT_OK (missive_test_server_finish (server, &error));
}
