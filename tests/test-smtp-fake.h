/* test-smtp-fake.h: the fixture the SMTP fake-server suites share
 * (test-smtp.c, test-smtp-send.c); header-only
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

#define ASSERT_OK(expr) G_STMT_START { \
    gboolean ok_ = (expr); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

/* Reads exactly the bytes of the string (no line splitting). */
#define MT_EXPECT_BYTES(s) { MISSIVE_TEST_STEP_EXPECT_BYTES, (s), -1 }

/* base64 ("\0user\0secret") */
#define PLAIN_IR "AHVzZXIAc2VjcmV0"

#define GREETING    MT_SEND ("220 fake.example ESMTP ready\r\n")
#define EHLO_BASIC  MT_EXPECT ("EHLO client.example"), \
                    MT_SEND ("250-fake.example\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n")
#define QUIT_STEPS  MT_EXPECT ("QUIT"), MT_SEND ("221 2.0.0 Bye\r\n"), MT_WAIT_CLOSE, MT_END

typedef struct
{
  MissiveTestServer *server;
  MissiveService *service;
  GPtrArray *sent;       /* the client's lines, as traced */
  GPtrArray *events;     /* rejected recipients, expanded addresses */
} Fixture;

G_GNUC_UNUSED static void
on_trace (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          GPtrArray             *sent)
{
  if (g_test_verbose ())
    g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" :
                           direction == MISSIVE_TRACE_RECEIVED ? "S:" : "  ", line);
  if (direction == MISSIVE_TRACE_SENT)
    g_ptr_array_add (sent, g_strdup (line));
}

G_GNUC_UNUSED static void
on_rejected (MissiveSender          *sender,
             MissiveRecipientResult *result,
             GPtrArray              *events)
{
  g_ptr_array_add (events, g_strdup_printf ("rejected %s %u",
                                            missive_recipient_result_get_address (result),
                                            missive_recipient_result_get_code (result)));
}

G_GNUC_UNUSED static void
on_expanded (MissiveSender *sender,
             const char    *address,
             GPtrArray     *events)
{
  g_ptr_array_add (events, g_strdup_printf ("expanded %s", address));
}

G_GNUC_UNUSED static char *
joined (GPtrArray *lines)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (all, '|');
      g_string_append (all, lines->pdata[i]);
    }
  return g_string_free (g_steal_pointer (&all), FALSE);
}

/* @scheme: "smtp" or "lmtp"; @username: NULL for no credentials. */
G_GNUC_UNUSED static void
fixture_set_up_full (Fixture               *fx,
                     const MissiveTestStep *script,
                     const char            *scheme,
                     const char            *username)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  fx->server = missive_test_server_new (script, NULL, FALSE);
  uri = g_strdup_printf ("%s://127.0.0.1:%u?security=none", scheme,
                         missive_test_server_get_port (fx->server));
  fx->service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_SENDER (fx->service));
  if (username != NULL)
    {
      missive_service_set_username (fx->service, username);
      missive_service_set_password (fx->service, "secret");
    }
  missive_service_set_allow_plaintext_auth (fx->service, TRUE);
  missive_service_set_timeout (fx->service, 20);
  g_object_set (fx->service, "helo-name", "client.example", NULL);
  fx->sent = g_ptr_array_new_with_free_func (g_free);
  fx->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fx->service, "protocol-trace", G_CALLBACK (on_trace), fx->sent);
  g_signal_connect (fx->service, "recipient-rejected", G_CALLBACK (on_rejected), fx->events);
  g_signal_connect (fx->service, "address-expanded", G_CALLBACK (on_expanded), fx->events);
}

G_GNUC_UNUSED static void
fixture_set_up (Fixture               *fx,
                const MissiveTestStep *script)
{
  fixture_set_up_full (fx, script, "smtp", NULL);
}

G_GNUC_UNUSED static void
fixture_tear_down (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  missive_test_server_finish (fx->server, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->service);
  missive_test_server_free (fx->server);
  g_ptr_array_unref (fx->sent);
  g_ptr_array_unref (fx->events);
}

G_GNUC_UNUSED static void
open_service (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (fx->service, NULL, &error));
}

G_GNUC_UNUSED static void
close_service (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (fx->service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (fx->service), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}
