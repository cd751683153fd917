/* test-smtp.c: the SMTP plugin against scripted fake servers: greeting,
 * EHLO/HELO/LHLO, capabilities, STARTTLS, AUTH, VRFY/EXPN, RSET, NOOP and
 * raw commands (the mail transaction is in test-smtp-send.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "test-smtp-fake.h"

/* ---- greeting ---------------------------------------------------------------- */

/* A multi-line greeting, EHLO with the configured name, capabilities. */
static void
test_greeting_multiline (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("220-fake.example ESMTP\r\n220-more text\r\n220 ready\r\n"),
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example greets you\r\n250-SIZE 1000000\r\n250-PIPELINING\r\n"
             "250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up (&fx, script);
  open_service (&fx);
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_CONNECTED);
  g_assert_true (missive_service_has_capability (fx.service, "SIZE"));
  g_assert_true (missive_service_has_capability (fx.service, "PIPELINING"));
  g_assert_true (missive_service_has_capability (fx.service, "AUTH=LOGIN"));
  g_assert_false (missive_service_has_capability (fx.service, "CHUNKING"));
  g_assert_cmpuint (missive_sender_get_max_size (MISSIVE_SENDER (fx.service)), ==, 1000000);
  close_service (&fx);
  fixture_tear_down (&fx);
}

typedef struct
{
  const char *name;
  const char *greeting;
  int code;
  guint server_code;
} BadGreeting;

static const BadGreeting bad_greetings[] = {
  { "554", "554 5.7.1 No SMTP service here\r\n", MISSIVE_ERROR_CONNECTION_REFUSED, 554 },
  { "421", "421 4.3.2 Too busy, try later\r\n", MISSIVE_ERROR_SERVER_TEMPORARY, 421 },
  { "garbage", "* OK IMAP4rev1 server ready\r\n", MISSIVE_ERROR_PROTOCOL, 0 },
  { "binary", "\x01\x02\xff\xfe\r\n", MISSIVE_ERROR_PROTOCOL, 0 },
  { "inconsistent", "220-fake.example\r\n250 ready\r\n", MISSIVE_ERROR_MALFORMED_RESPONSE, 0 },
  { "wrong-code", "250 hello?\r\n", MISSIVE_ERROR_PROTOCOL, 0 },
};

static void
test_greeting_bad (gconstpointer user_data)
{
  const BadGreeting *bad = user_data;
  const MissiveTestStep script[] = {
    MT_SEND (bad->greeting),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script);
  g_assert_false (missive_service_open (fx.service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, bad->code);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, bad->server_code);
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  /* Nothing was sent. */
  g_assert_cmpuint (fx.sent->len, ==, 0);
  fixture_tear_down (&fx);
}

/* A greeting line longer than the reader allows. */
static void
test_greeting_too_long (void)
{
  g_autofree char *line = NULL;
  g_autoptr(GString) big = g_string_new ("220 ");
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\r\n");
  line = g_string_free (g_steal_pointer (&big), FALSE);
  {
    const MissiveTestStep script[] = {
      MT_SEND (line),
      MT_WAIT_CLOSE,
      MT_END,
    };

    fixture_set_up (&fx, script);
    g_assert_false (missive_service_open (fx.service, NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
    fixture_tear_down (&fx);
  }
}

/* A reply that never ends: thousands of continuation lines. */
static void
test_reply_never_ends (void)
{
  g_autoptr(GString) lines = g_string_new ("250-fake.example\r\n");
  g_autofree char *text = NULL;
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (lines, "250-X-MORE-AND-MORE\r\n");
  text = g_string_free (g_steal_pointer (&lines), FALSE);
  {
    const MissiveTestStep script[] = {
      GREETING,
      MT_EXPECT ("EHLO client.example"),
      MT_SEND (text),
      MT_WAIT_CLOSE,
      MT_END,
    };

    fixture_set_up (&fx, script);
    g_assert_false (missive_service_open (fx.service, NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
    g_assert_nonnull (strstr (error->message, "does not end"));
    fixture_tear_down (&fx);
  }
}

/* ---- EHLO and HELO -------------------------------------------------------------- */

static void
test_helo_fallback (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("502 5.5.2 Command not recognized\r\n"),
    MT_EXPECT ("HELO client.example"),
    MT_SEND ("250 fake.example\r\n"),
    MT_EXPECT ("NOOP"),
    MT_SEND ("250 OK\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  g_assert_nonnull (missive_service_get_capabilities (fx.service));
  g_assert_null (missive_service_get_capabilities (fx.service)[0]);
  g_assert_cmpuint (missive_sender_get_max_size (MISSIVE_SENDER (fx.service)), ==, 0);
  ASSERT_OK (missive_service_noop (fx.service, NULL, &error));
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* allow-extensions FALSE: HELO only, and then STARTTLS cannot be used. */
static void
test_helo_only (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("HELO client.example"),
    MT_SEND ("250 fake.example\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up (&fx, script);
  g_object_set (fx.service, "allow-extensions", FALSE, NULL);
  open_service (&fx);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* The default name: the host name when dotted, else an address literal. */
static void
test_helo_default_name (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT_PREFIX ("EHLO "),
    MT_SEND ("250 fake.example\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  const char *name;

  fixture_set_up (&fx, script);
  g_object_set (fx.service, "helo-name", NULL, NULL);
  open_service (&fx);
  name = (const char *) fx.sent->pdata[0] + 5;
  if (strchr (g_get_host_name (), '.') == NULL)
    g_assert_cmpstr (name, ==, "[127.0.0.1]");
  else
    g_assert_cmpstr (name, ==, g_get_host_name ());
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* 421 to EHLO: temporary, and the service is closed. */
static void
test_ehlo_421 (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("421 4.7.0 fake.example closing\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script);
  g_assert_false (missive_service_open (fx.service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 421);
  g_assert_nonnull (strstr (error->message, "421"));
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

/* LMTP says LHLO and does not fall back to HELO. */
static void
test_lhlo (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("220 lmtp.example LMTP ready\r\n"),
    MT_EXPECT ("LHLO client.example"),
    MT_SEND ("250-lmtp.example\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up_full (&fx, script, "lmtp", NULL);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (fx.service), ==, "MissiveLmtpSender");
  open_service (&fx);
  g_assert_true (missive_service_has_capability (fx.service, "PIPELINING"));
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* ---- STARTTLS ------------------------------------------------------------------ */

/* Required but not offered: no downgrade, nothing more is sent. */
static void
test_starttls_unavailable (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT_PREFIX ("EHLO "),
    MT_SEND ("250-fake.example\r\n250 AUTH PLAIN\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("submission://127.0.0.1:%u",
                                          missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missive_service_get_security (service), ==, MISSIVE_SECURITY_STARTTLS);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE);
  g_clear_error (&error);
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

/* STARTTLS, EHLO again over TLS (the old capabilities are forgotten),
 * AUTH, EHLO again after AUTH. */
static void
test_starttls (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250-X-BEFORE-TLS\r\n250 STARTTLS\r\n"),
    MT_EXPECT ("STARTTLS"),
    MT_SEND ("220 2.0.0 Go ahead\r\n"),
    MT_STARTTLS,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250 AUTH PLAIN\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("235 2.7.0 Authentication successful\r\n"),
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250 X-AFTER-AUTH\r\n"),
    QUIT_STEPS,
  };
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, FALSE);
  g_autofree char *uri = g_strdup_printf ("smtp://127.0.0.1:%u", missive_test_server_get_port (server));
  g_autofree char *ca = missive_test_cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  g_object_set (service, "helo-name", "client.example", NULL);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  missive_service_set_ca_file (service, ca);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_true (missive_transport_is_tls (missive_service_get_transport (service)));
  g_assert_false (missive_service_has_capability (service, "X-BEFORE-TLS"));
  g_assert_true (missive_service_has_capability (service, "X-AFTER-AUTH"));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  ASSERT_OK (missive_service_close (service, NULL, &error));
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

/* ---- AUTH ------------------------------------------------------------------------ */

/* PLAIN with the initial response; masked in the trace; EHLO again. */
static void
test_auth_plain (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250-AUTH LOGIN PLAIN\r\n250 ENHANCEDSTATUSCODES\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("235 2.7.0 OK\r\n"),
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250 SIZE 5000\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autofree char *sent = NULL;

  fixture_set_up_full (&fx, script, "smtp", "user");
  open_service (&fx);
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (fx.service), ==, "PLAIN");
  g_assert_cmpuint (missive_sender_get_max_size (MISSIVE_SENDER (fx.service)), ==, 5000);
  close_service (&fx);
  sent = joined (fx.sent);
  g_assert_null (strstr (sent, PLAIN_IR));
  g_assert_nonnull (strstr (sent, "AUTH PLAIN ****"));
  fixture_tear_down (&fx);
}

/* LOGIN: no initial response, two 334 challenges; the answers are masked. */
static void
test_auth_login (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250 AUTH=LOGIN\r\n"),
    MT_EXPECT ("AUTH LOGIN"),
    MT_SEND ("334 VXNlcm5hbWU6\r\n"),
    MT_EXPECT ("dXNlcg=="),
    MT_SEND ("334 UGFzc3dvcmQ6\r\n"),
    MT_EXPECT ("c2VjcmV0"),
    MT_SEND ("235 OK\r\n"),
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250 fake.example\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autofree char *sent = NULL;

  fixture_set_up_full (&fx, script, "smtp", "user");
  open_service (&fx);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (fx.service), ==, "LOGIN");
  close_service (&fx);
  sent = joined (fx.sent);
  g_assert_null (strstr (sent, "c2VjcmV0"));
  g_assert_null (strstr (sent, "dXNlcg=="));
  fixture_tear_down (&fx);
}

/* An initial response too long for the AUTH line (RFC 4954: 12288
 * octets) waits for the server's empty 334 challenge. */
static void
test_auth_plain_deferred (void)
{
  g_autofree char *password = g_strnfill (9300, 'p');
  g_autofree char *ir = NULL;
  g_autofree char *encoded = NULL;
  Fixture fx = { 0 };

  ir = g_strdup_printf ("%cuser%c%s", 0, 0, password);
  encoded = g_base64_encode ((const guchar *) ir, 6 + strlen (password));
  {
    const MissiveTestStep script[] = {
      GREETING,
      MT_EXPECT ("EHLO client.example"),
      MT_SEND ("250-fake.example\r\n250 AUTH PLAIN\r\n"),
      MT_EXPECT ("AUTH PLAIN"),
      MT_SEND ("334 \r\n"),
      MT_EXPECT (encoded),
      MT_SEND ("235 OK\r\n"),
      MT_EXPECT ("EHLO client.example"),
      MT_SEND ("250 fake.example\r\n"),
      QUIT_STEPS,
    };

    fixture_set_up_full (&fx, script, "smtp", "user");
    missive_service_set_password (fx.service, password);
    open_service (&fx);
    close_service (&fx);
    fixture_tear_down (&fx);
  }
}

/* An empty initial response is sent as "=". */
static void
test_auth_external_empty (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250 AUTH EXTERNAL\r\n"),
    MT_EXPECT ("AUTH EXTERNAL ="),
    MT_SEND ("235 OK\r\n"),
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250 fake.example\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up (&fx, script);
  missive_service_set_auth_mechanism (fx.service, "EXTERNAL");
  open_service (&fx);
  close_service (&fx);
  fixture_tear_down (&fx);
}

typedef struct
{
  const char *name;
  const char *reply;
  int code;
  const char *enhanced;
} AuthFailure;

static const AuthFailure auth_failures[] = {
  { "535", "535 5.7.8 Authentication credentials invalid\r\n",
    MISSIVE_ERROR_AUTHENTICATION_FAILED, "5.7.8" },
  { "454", "454 4.7.0 Temporary authentication failure\r\n",
    MISSIVE_ERROR_SERVER_TEMPORARY, "4.7.0" },
  { "534", "534 5.7.9 Authentication mechanism is too weak\r\n",
    MISSIVE_ERROR_AUTHENTICATION_FAILED, "5.7.9" },
};

static void
test_auth_failure (gconstpointer user_data)
{
  const AuthFailure *failure = user_data;
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250-ENHANCEDSTATUSCODES\r\n250 AUTH PLAIN\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND (failure->reply),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up_full (&fx, script, "smtp", "user");
  g_assert_false (missive_service_open (fx.service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, failure->code);
  g_assert_cmpstr (missive_error_get_enhanced_status (error), ==, failure->enhanced);
  fixture_tear_down (&fx);
}

/* ---- VRFY, EXPN, RSET, NOOP, raw commands ---------------------------------------- */

static void
test_verify_expand (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("EXPN staff"),
    MT_SEND ("250-2.1.5 Alice Doe <alice@example.com>\r\n250-2.1.5 <bob@example.com>\r\n"
             "250 2.1.5 carol@example.com\r\n"),
    MT_EXPECT ("VRFY dave"),
    MT_SEND ("252 2.1.5 Cannot VRFY user, but will accept message\r\n"),
    MT_EXPECT ("VRFY nobody"),
    MT_SEND ("550 5.1.1 No such user\r\n"),
    MT_EXPECT ("VRFY someone"),
    MT_SEND ("502 5.5.1 VRFY disabled\r\n"),
    MT_EXPECT ("VRFY eve"),
    MT_SEND ("250 2.1.5 Eve <eve@example.com>\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) list = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) eve = NULL;
  g_autofree char *events = NULL;
  MissiveSender *sender;

  fixture_set_up (&fx, script);
  open_service (&fx);
  sender = MISSIVE_SENDER (fx.service);
  list = missive_sender_expand_list (sender, "staff", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (list), ==, 3);
  g_assert_cmpstr (list[0], ==, "Alice Doe <alice@example.com>");
  g_assert_cmpstr (list[2], ==, "carol@example.com");
  none = missive_sender_verify_address (sender, "dave", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_null (none[0]);
  g_assert_null (missive_sender_verify_address (sender, "nobody", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 550);
  g_clear_error (&error);
  g_assert_null (missive_sender_verify_address (sender, "someone", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  eve = missive_sender_verify_address (sender, "eve", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eve[0], ==, "Eve <eve@example.com>");
  events = joined (fx.events);
  g_assert_cmpstr (events, ==, "expanded Alice Doe <alice@example.com>|expanded <bob@example.com>|"
                               "expanded carol@example.com|expanded Eve <eve@example.com>");
  close_service (&fx);
  fixture_tear_down (&fx);
}

static void
test_send_command (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("HELP"),
    MT_SEND ("214-2.0.0 Commands:\r\n214-2.0.0 HELO EHLO MAIL\r\n214 2.0.0 End\r\n"),
    MT_EXPECT ("XFOO bar"),
    MT_SEND ("500 5.5.2 Unknown command\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("250 2.0.0 Ok\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("451 4.3.0 oops\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) help = NULL;
  g_autoptr(MissiveReply) unknown = NULL;
  const char * const *lines;

  fixture_set_up (&fx, script);
  open_service (&fx);
  help = missive_service_send_command (fx.service, "HELP", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_reply_get_code (help), ==, 214);
  g_assert_cmpstr (missive_reply_get_status (help), ==, "214");
  g_assert_cmpstr (missive_reply_get_text (help), ==, "2.0.0 End");
  lines = missive_reply_get_lines (help);
  g_assert_cmpuint (g_strv_length ((char **) lines), ==, 3);
  g_assert_cmpstr (lines[1], ==, "214-2.0.0 HELO EHLO MAIL");
  g_assert_true (missive_reply_is_success (help));
  /* A refusal is a reply like any other. */
  unknown = missive_service_send_command (fx.service, "XFOO bar", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_reply_is_success (unknown));
  ASSERT_OK (missive_sender_reset (MISSIVE_SENDER (fx.service), NULL, &error));
  g_assert_false (missive_sender_reset (MISSIVE_SENDER (fx.service), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_clear_error (&error);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* Inconsistent codes in a reply: only that command fails; the connection
 * stays usable. */
static void
test_inconsistent_reply (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("NOOP"),
    MT_SEND ("250-first\r\n550-second\r\n250 third\r\n"),
    MT_EXPECT ("NOOP"),
    MT_SEND ("250 2.0.0 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  g_assert_false (missive_service_noop (fx.service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  ASSERT_OK (missive_service_noop (fx.service, NULL, &error));
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* A garbage reply mid-session: the connection is out of step and closed. */
static void
test_garbage_reply (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("NOOP"),
    MT_SEND ("hello there\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  g_assert_false (missive_service_noop (fx.service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/smtp/greeting/multiline", test_greeting_multiline);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_greetings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp/greeting/bad/%s", bad_greetings[i].name);

      g_test_add_data_func (path, &bad_greetings[i], test_greeting_bad);
    }
  g_test_add_func ("/smtp/greeting/too-long", test_greeting_too_long);
  g_test_add_func ("/smtp/reply/never-ends", test_reply_never_ends);
  g_test_add_func ("/smtp/reply/inconsistent", test_inconsistent_reply);
  g_test_add_func ("/smtp/reply/garbage", test_garbage_reply);
  g_test_add_func ("/smtp/ehlo/helo-fallback", test_helo_fallback);
  g_test_add_func ("/smtp/ehlo/helo-only", test_helo_only);
  g_test_add_func ("/smtp/ehlo/default-name", test_helo_default_name);
  g_test_add_func ("/smtp/ehlo/421", test_ehlo_421);
  g_test_add_func ("/smtp/ehlo/lhlo", test_lhlo);
  g_test_add_func ("/smtp/starttls/unavailable", test_starttls_unavailable);
  g_test_add_func ("/smtp/starttls/ok", test_starttls);
  g_test_add_func ("/smtp/auth/plain", test_auth_plain);
  g_test_add_func ("/smtp/auth/login", test_auth_login);
  g_test_add_func ("/smtp/auth/plain-deferred", test_auth_plain_deferred);
  g_test_add_func ("/smtp/auth/external-empty", test_auth_external_empty);
  for (gsize i = 0; i < G_N_ELEMENTS (auth_failures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp/auth/failure/%s", auth_failures[i].name);

      g_test_add_data_func (path, &auth_failures[i], test_auth_failure);
    }
  g_test_add_func ("/smtp/commands/verify-expand", test_verify_expand);
  g_test_add_func ("/smtp/commands/send-command", test_send_command);

  return g_test_run ();
}
