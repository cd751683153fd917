/* test-imap-auth.c: OAuth token refresh through the service, on IMAP
 *
 * MissiveService::token-requested fires before each authentication with a
 * bearer-token mechanism and once more after the server refused the token;
 * a new token is then tried once. Scripted fake IMAP servers check the
 * exact exchange.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

/* The XOAUTH2 initial response for user "alice" and @token. */
static char *
xoauth2_line (const char *tag,
              const char *token)
{
  g_autofree char *raw = g_strdup_printf ("user=alice\001auth=Bearer %s\001\001", token);
  g_autofree char *b64 = g_base64_encode ((const guchar *) raw, strlen (raw));

  return g_strdup_printf ("%s AUTHENTICATE XOAUTH2 %s", tag, b64);
}

typedef struct
{
  const char * const *tokens;  /* answered in turn; NULL ends */
  guint calls;                 /* emissions seen */
  guint next;                  /* the next token to answer */
} TokenSource;

static char *
token_requested_cb (MissiveService *service,
                    TokenSource    *source)
{
  const char *token = source->tokens[source->next];

  source->calls++;
  if (token != NULL)
    source->next++;
  return g_strdup (token);
}

static void
trace_cb (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          gpointer               user_data)
{
  g_test_message ("%s %s", direction == MISSIVE_TRACE_SENT ? "C:" : "S:", line);
}

static MissiveService *
new_service (guint16 port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("imap://alice@127.0.0.1:%u", port);
  MissiveService *service = missive_engine_create_service (missive_engine_get_default (), uri, &error);

  g_assert_no_error (error);
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_auth_mechanism (service, "XOAUTH2");
  g_signal_connect (service, "protocol-trace", G_CALLBACK (trace_cb), NULL);
  return service;
}

#define GREETING "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] fake server ready\r\n"
/* {"status":"401","schemes":"Bearer","scope":"mail"} */
#define ERROR_CHALLENGE "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=\r\n"

static void
test_refused_token_is_refreshed (void)
{
  g_autofree char *first = xoauth2_line ("A0001", "old-token");
  g_autofree char *second = xoauth2_line ("A0002", "new-token");
  const MissiveTestStep script[] = {
    MT_SEND (GREETING),
    MT_EXPECT (first),
    MT_SEND (ERROR_CHALLENGE),
    MT_EXPECT (""),
    MT_SEND ("A0001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n"),
    MT_EXPECT (second),
    MT_SEND ("A0002 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
    MT_EXPECT ("A0003 LOGOUT"),
    MT_SEND ("* BYE bye\r\nA0003 OK done\r\n"),
    MT_END,
  };
  const char * const tokens[] = { "old-token", "new-token", NULL };
  TokenSource source = { tokens, 0, 0 };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;

  g_signal_connect (service, "token-requested", G_CALLBACK (token_requested_cb), &source);
  missive_service_open (service, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpuint (source.calls, ==, 2);
  g_assert_cmpstr (missive_service_get_oauth_token (service), ==, "new-token");
  g_assert_true (missive_service_close (service, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (missive_test_server_finish (server, &error));
  g_assert_no_error (error);
}

static void
test_same_token_is_not_retried (void)
{
  g_autofree char *first = xoauth2_line ("A0001", "only-token");
  const MissiveTestStep script[] = {
    MT_SEND (GREETING),
    MT_EXPECT (first),
    MT_SEND (ERROR_CHALLENGE),
    MT_EXPECT (""),
    MT_SEND ("A0001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  /* The handler keeps answering the same token: no second attempt. */
  const char * const tokens[] = { "only-token", "only-token", "only-token", NULL };
  TokenSource source = { tokens, 0, 0 };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;

  g_signal_connect (service, "token-requested", G_CALLBACK (token_requested_cb), &source);
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  /* The server's text reaches the application. */
  g_assert_nonnull (strstr (error->message, "Invalid credentials"));
  g_assert_cmpuint (source.calls, ==, 2);
  missive_service_close (service, NULL, NULL);
  g_clear_error (&error);
  g_assert_true (missive_test_server_finish (server, &error));
  g_assert_no_error (error);
}

static void
test_no_token_at_all (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (GREETING),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const char * const tokens[] = { NULL };
  TokenSource source = { tokens, 0, 0 };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;

  /* A handler that has no token: nothing is sent, a clear error. */
  g_signal_connect (service, "token-requested", G_CALLBACK (token_requested_cb), &source);
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (error->message, "token"));
  g_assert_cmpuint (source.calls, ==, 1);
  missive_service_close (service, NULL, NULL);
  g_clear_error (&error);
  g_assert_true (missive_test_server_finish (server, &error));
  g_assert_no_error (error);
}

static void
test_token_requested_at_every_login (void)
{
  g_autofree char *first = xoauth2_line ("A0001", "token-1");
  g_autofree char *second = xoauth2_line ("A0001", "token-2");
  const MissiveTestStep script1[] = {
    MT_SEND (GREETING),
    MT_EXPECT (first),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
    MT_EXPECT ("A0002 LOGOUT"),
    MT_SEND ("* BYE bye\r\nA0002 OK done\r\n"),
    MT_END,
  };
  const MissiveTestStep script2[] = {
    MT_SEND (GREETING),
    MT_EXPECT (second),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
    MT_EXPECT ("A0002 LOGOUT"),
    MT_SEND ("* BYE bye\r\nA0002 OK done\r\n"),
    MT_END,
  };
  const char * const tokens[] = { "token-1", "token-2", NULL };
  TokenSource source = { tokens, 0, 0 };
  g_autoptr(MissiveTestServer) server1 = missive_test_server_new (script1, NULL, FALSE);
  g_autoptr(MissiveTestServer) server2 = missive_test_server_new (script2, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (missive_test_server_get_port (server1));
  g_autoptr(GError) error = NULL;

  g_signal_connect (service, "token-requested", G_CALLBACK (token_requested_cb), &source);
  missive_service_open (service, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_service_close (service, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (missive_test_server_finish (server1, &error));
  g_assert_no_error (error);

  /* Reconnecting (here to another server) asks again. */
  missive_service_set_port (service, missive_test_server_get_port (server2));
  missive_service_open (service, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (source.calls, ==, 2);
  g_assert_true (missive_service_close (service, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (missive_test_server_finish (server2, &error));
  g_assert_no_error (error);
}

/* ::prepare-sasl-mechanism sees the mechanism with its credentials set,
 * before the first step, and may change what it sends. */
static void
prepare_cb (MissiveService       *service,
            MissiveSaslMechanism *mechanism,
            guint                *calls)
{
  (*calls)++;
  g_assert_cmpstr (missive_sasl_mechanism_get_name (mechanism), ==, "XOAUTH2");
  g_assert_cmpstr (missive_sasl_mechanism_get_username (mechanism), ==, "alice");
  g_assert_cmpstr (missive_sasl_mechanism_get_oauth_token (mechanism), ==, "from-property");
  missive_sasl_mechanism_set_oauth_token (mechanism, "from-handler");
}

static void
test_prepare_sasl_mechanism (void)
{
  g_autofree char *line = xoauth2_line ("A0001", "from-handler");
  const MissiveTestStep script[] = {
    MT_SEND (GREETING),
    MT_EXPECT (line),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
    MT_EXPECT ("A0002 LOGOUT"),
    MT_SEND ("* BYE bye\r\nA0002 OK done\r\n"),
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  missive_service_set_oauth_token (service, "from-property");
  g_signal_connect (service, "prepare-sasl-mechanism", G_CALLBACK (prepare_cb), &calls);
  missive_service_open (service, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (missive_service_close (service, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (missive_test_server_finish (server, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap-auth/token/refused-is-refreshed", test_refused_token_is_refreshed);
  g_test_add_func ("/imap-auth/token/same-not-retried", test_same_token_is_not_retried);
  g_test_add_func ("/imap-auth/token/none", test_no_token_at_all);
  g_test_add_func ("/imap-auth/token/every-login", test_token_requested_at_every_login);
  g_test_add_func ("/imap-auth/prepare-sasl-mechanism", test_prepare_sasl_mechanism);

  return g_test_run ();
}
