/* test-smtp-send.c: the SMTP plugin's mail transaction against scripted
 * fake servers: pipelining, refused recipients, stop-on, SIZE, the MAIL
 * and RCPT parameters, DATA transparency, BDAT, LMTP, 421 and lost
 * connections
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "test-smtp-fake.h"

#define MESSAGE "Subject: test\r\n\r\nHello\r\n"
#define EHLO_PIPELINING MT_EXPECT ("EHLO client.example"), \
  MT_SEND ("250-fake.example\r\n250-PIPELINING\r\n250-SIZE 100000\r\n250-8BITMIME\r\n" \
           "250 ENHANCEDSTATUSCODES\r\n")

static MissiveEnvelope *
envelope_new (const char *from,
              ...)
{
  MissiveEnvelope *envelope = missive_envelope_new (from);
  va_list args;
  const char *address;

  /* Pairs of address and kind, NULL-terminated. */
  va_start (args, from);
  while ((address = va_arg (args, const char *)) != NULL)
    missive_envelope_add_recipient (envelope, address, va_arg (args, MissiveRecipientKind));
  va_end (args);
  return envelope;
}

static MissiveSendResult *
send_text (Fixture             *fx,
           const char          *text,
           gssize               length,
           MissiveEnvelope     *envelope,
           MissiveSendOptions  *options,
           GError             **error)
{
  gsize n = length < 0 ? strlen (text) : (gsize) length;
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, n, NULL);

  return missive_sender_send_stream (MISSIVE_SENDER (fx->service), stream, n, envelope, options,
                                     NULL, error);
}

static MissiveRecipientResult *
result_at (MissiveSendResult *result,
           guint              i)
{
  GListModel *list = missive_send_result_get_recipients (result);
  g_autoptr(MissiveRecipientResult) item = g_list_model_get_item (list, i);

  /* The list keeps it alive. */
  return item;
}

/* After a 421, a lost connection or an uncertain end, the service is
 * disconnected when the send returns. */
static void
assert_connection_gone (Fixture *fx)
{
  g_assert_cmpint (missive_service_get_state (fx->service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
}

/* ---- pipelining and refused recipients ---------------------------------------- */

/* MAIL, RCPTs and DATA in one write (the server answers only once it has
 * all of them); one recipient refused: reported and signalled, the others
 * get the message. */
static void
test_pipelined_one_refused (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_PIPELINING,
    MT_EXPECT ("MAIL FROM:<alice@example.com> SIZE=24"),
    MT_EXPECT ("RCPT TO:<bob@example.com>"),
    MT_EXPECT ("RCPT TO:<nobody@example.com>"),
    MT_EXPECT ("RCPT TO:<carol@example.com>"),
    MT_EXPECT ("DATA"),
    MT_SEND ("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550-5.1.1 No such user\r\n550 5.1.1 here\r\n"
             "250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"),
    MT_EXPECT ("Subject: test"),
    MT_EXPECT (""),
    MT_EXPECT ("Hello"),
    MT_EXPECT ("."),
    MT_SEND ("250 2.0.0 Ok: queued as 12345\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autofree char *events = NULL;
  MissiveRecipientResult *r;
  MissiveReply *reply;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("alice@example.com",
                           "bob@example.com", MISSIVE_RECIPIENT_TO,
                           "nobody@example.com", MISSIVE_RECIPIENT_CC,
                           "carol@example.com", MISSIVE_RECIPIENT_BCC, NULL);
  result = send_text (&fx, MESSAGE, -1, envelope, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (g_list_model_get_n_items (missive_send_result_get_recipients (result)), ==, 3);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 2);
  r = result_at (result, 1);
  g_assert_cmpstr (missive_recipient_result_get_address (r), ==, "nobody@example.com");
  g_assert_cmpuint (missive_recipient_result_get_code (r), ==, 550);
  g_assert_cmpstr (missive_recipient_result_get_enhanced_status (r), ==, "5.1.1");
  g_assert_cmpstr (missive_recipient_result_get_text (r), ==, "No such user here");
  g_assert_false (missive_recipient_result_get_accepted (r));
  g_assert_true (missive_recipient_result_get_accepted (result_at (result, 2)));
  reply = missive_send_result_get_reply (result);
  g_assert_cmpuint (missive_reply_get_code (reply), ==, 250);
  g_assert_cmpstr (missive_reply_get_text (reply), ==, "2.0.0 Ok: queued as 12345");
  g_assert_cmpuint (missive_send_result_get_size (result), ==, strlen (MESSAGE));
  events = joined (fx.events);
  g_assert_cmpstr (events, ==, "rejected nobody@example.com 550");
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* Without PIPELINING: one command at a time. */
static void
test_one_at_a_time (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<>"),
    MT_SEND ("250 2.1.0 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<bob@example.com>"),
    MT_SEND ("251 2.1.5 User not local; will forward\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go ahead\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 2.0.0 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  /* The null reverse path (a bounce). */
  envelope = envelope_new ("", "bob@example.com", MISSIVE_RECIPIENT_ENVELOPE, NULL);
  result = send_text (&fx, MESSAGE, -1, envelope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  g_assert_cmpuint (missive_recipient_result_get_code (result_at (result, 0)), ==, 251);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* stop-on Cc: a refused Cc recipient stops everything (RSET); DATA was not
 * pipelined, so nothing needs ending. */
static void
test_stop_on (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_PIPELINING,
    MT_EXPECT ("MAIL FROM:<alice@example.com> SIZE=24"),
    MT_EXPECT ("RCPT TO:<bob@example.com>"),
    MT_EXPECT ("RCPT TO:<nobody@example.com>"),
    MT_SEND ("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("250 2.0.0 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autofree char *events = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  missive_send_options_set_stop_on (options, MISSIVE_STOP_ON_CC);
  envelope = envelope_new ("alice@example.com",
                           "bob@example.com", MISSIVE_RECIPIENT_TO,
                           "nobody@example.com", MISSIVE_RECIPIENT_CC, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, options, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 550);
  g_assert_nonnull (strstr (error->message, "nobody@example.com"));
  events = joined (fx.events);
  g_assert_cmpstr (events, ==, "rejected nobody@example.com 550");
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_CONNECTED);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* stop-on To does not stop for a refused Bcc recipient. */
static void
test_stop_on_other_kind (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<alice@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<bob@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<hidden@example.com>"),
    MT_SEND ("550 No\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autoptr(MissiveSendResult) result = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  missive_send_options_set_stop_on (options, MISSIVE_STOP_ON_TO | MISSIVE_STOP_ON_CC);
  envelope = envelope_new ("alice@example.com",
                           "bob@example.com", MISSIVE_RECIPIENT_TO,
                           "hidden@example.com", MISSIVE_RECIPIENT_BCC, NULL);
  result = send_text (&fx, MESSAGE, -1, envelope, options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* Every recipient refused, pipelined DATA refused too (RFC 2920). */
static void
test_all_refused (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_PIPELINING,
    MT_EXPECT_PREFIX ("MAIL FROM:<alice@example.com>"),
    MT_EXPECT ("RCPT TO:<x@example.com>"),
    MT_EXPECT ("RCPT TO:<y@example.com>"),
    MT_EXPECT ("DATA"),
    MT_SEND ("250 Ok\r\n550 5.1.1 No x\r\n450 4.2.0 y busy\r\n554 5.5.1 No valid recipients\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("250 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autofree char *events = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("alice@example.com",
                           "x@example.com", MISSIVE_RECIPIENT_TO,
                           "y@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
  events = joined (fx.events);
  g_assert_cmpstr (events, ==, "rejected x@example.com 550|rejected y@example.com 450");
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* A server that accepts the pipelined DATA although no recipient was
 * accepted: the client ends it with an empty message, then RSET. */
static void
test_all_refused_data_accepted (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_PIPELINING,
    MT_EXPECT_PREFIX ("MAIL FROM:<alice@example.com>"),
    MT_EXPECT ("RCPT TO:<x@example.com>"),
    MT_EXPECT ("DATA"),
    MT_SEND ("250 Ok\r\n550 5.1.1 No x\r\n354 Go ahead anyway\r\n"),
    MT_EXPECT ("."),
    MT_SEND ("554 5.5.1 No recipients\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("250 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("alice@example.com", "x@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* MAIL refused: the error is MAIL's; no RCPT is asked. */
static void
test_mail_refused (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<spammer@example.com>"),
    MT_SEND ("553 5.7.1 Sender address rejected\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("spammer@example.com", "x@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_cmpstr (missive_error_get_enhanced_status (error), ==, "5.7.1");
  g_assert_cmpuint (fx.events->len, ==, 0);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* A reply to MAIL with inconsistent codes: that send fails, RSET keeps
 * the connection usable for the next one. */
static void
test_mail_malformed (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250-Ok\r\n451 or not\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("NOOP"),
    MT_SEND ("250 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  ASSERT_OK (missive_service_noop (fx.service, NULL, &error));
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* SIZE: a message over the limit is refused before anything is sent. */
static void
test_size_refused (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250 SIZE 10\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE);
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_CONNECTED);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* ---- parameters ---------------------------------------------------------------- */

/* DSN, SMTPUTF8, BODY, DELIVERBY, MT-PRIORITY as they go on the wire. */
static void
test_parameters (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250-DSN\r\n250-SMTPUTF8\r\n250-8BITMIME\r\n250-SIZE\r\n"
             "250-DELIVERBY 60\r\n250 MT-PRIORITY\r\n"),
    MT_EXPECT ("MAIL FROM:<j\xc3\xb6rg@example.com> SIZE=24 BODY=8BITMIME SMTPUTF8 RET=HDRS "
               "ENVID=id+2Bx+3Dy BY=3600;N MT-PRIORITY=-3"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b+c@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bc@example.com"),
    MT_SEND ("250 Ok\r\n"),
    /* A recipient with its own NOTIFY. */
    MT_EXPECT ("RCPT TO:<d@example.com> NOTIFY=NEVER ORCPT=rfc822;d@example.com"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("SEND FROM:<a@example.com> SIZE=24 BODY=7BIT"),
    MT_SEND ("502 5.5.1 SEND not implemented\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveEnvelope) envelope2 = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autoptr(MissiveSendOptions) options2 = missive_send_options_new ();
  g_autoptr(MissiveSendResult) result = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  missive_send_options_set_dsn_notify (options, MISSIVE_DSN_NOTIFY_SUCCESS | MISSIVE_DSN_NOTIFY_FAILURE);
  missive_send_options_set_dsn_return (options, MISSIVE_DSN_RETURN_HEADERS);
  missive_send_options_set_envelope_id (options, "id+x=y");
  missive_send_options_set_original_recipients (options, TRUE);
  missive_send_options_set_deliver_by (options, 3600, FALSE);
  missive_send_options_set_priority (options, -3);
  envelope = envelope_new ("j\xc3\xb6rg@example.com", "b+c@example.com", MISSIVE_RECIPIENT_TO, NULL);
  missive_envelope_set_content_class (envelope, MISSIVE_CONTENT_8BIT);
  missive_envelope_add_recipient (envelope, "d@example.com", MISSIVE_RECIPIENT_CC);
  missive_envelope_set_recipient_notify (envelope, 1, MISSIVE_DSN_NOTIFY_NEVER);
  g_assert_cmpint (missive_envelope_get_recipient_notify (envelope, 0), ==, MISSIVE_DSN_NOTIFY_DEFAULT);
  result = send_text (&fx, MESSAGE, -1, envelope, options, &error);
  g_assert_no_error (error);

  missive_send_options_set_mode (options2, MISSIVE_SEND_MODE_SEND);
  missive_send_options_set_body_type (options2, MISSIVE_BODY_7BIT);
  envelope2 = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope2, options2, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 502);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* REQUIRETLS on a TLS connection (implicit TLS, smtps://). */
static void
test_requiretls (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250-REQUIRETLS\r\n250 8BITMIME\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com> REQUIRETLS"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 Ok\r\n"),
    QUIT_STEPS,
  };
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, TRUE);
  g_autofree char *uri = g_strdup_printf ("smtps://127.0.0.1:%u", missive_test_server_get_port (server));
  g_autofree char *ca = missive_test_cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (MESSAGE, strlen (MESSAGE), NULL);
  g_autoptr(MissiveSendResult) result = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  g_object_set (service, "helo-name", "client.example", NULL);
  missive_service_set_timeout (service, 20);
  missive_service_set_ca_file (service, ca);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  missive_send_options_set_require_tls (options, TRUE);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  result = missive_sender_send_stream (MISSIVE_SENDER (service), stream, -1, envelope, options,
                                       NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_service_close (service, NULL, &error));
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

typedef struct
{
  const char *name;
  const char *ehlo;        /* the capabilities offered */
  void (*setup) (MissiveEnvelope *, MissiveSendOptions *);
} Unsupported;

static void
need_smtputf8 (MissiveEnvelope    *envelope,
               MissiveSendOptions *options)
{
  missive_envelope_set_headers_utf8 (envelope, TRUE);
}

static void
need_dsn (MissiveEnvelope    *envelope,
          MissiveSendOptions *options)
{
  missive_send_options_set_dsn_notify (options, MISSIVE_DSN_NOTIFY_NEVER);
}

static void
need_requiretls (MissiveEnvelope    *envelope,
                 MissiveSendOptions *options)
{
  missive_send_options_set_require_tls (options, TRUE);
}

static void
need_binarymime (MissiveEnvelope    *envelope,
                 MissiveSendOptions *options)
{
  missive_envelope_set_content_class (envelope, MISSIVE_CONTENT_BINARY);
}

static void
need_8bitmime (MissiveEnvelope    *envelope,
               MissiveSendOptions *options)
{
  missive_send_options_set_body_type (options, MISSIVE_BODY_8BITMIME);
}

static void
need_deliverby (MissiveEnvelope    *envelope,
                MissiveSendOptions *options)
{
  missive_send_options_set_deliver_by (options, 100, TRUE);
}

static const Unsupported unsupported[] = {
  { "smtputf8", "250-fake.example\r\n250 8BITMIME\r\n", need_smtputf8 },
  { "dsn", "250-fake.example\r\n250 8BITMIME\r\n", need_dsn },
  { "requiretls-not-offered", "250-fake.example\r\n250 8BITMIME\r\n", need_requiretls },
  /* Offered, but the connection is not protected. */
  { "requiretls-no-tls", "250-fake.example\r\n250 REQUIRETLS\r\n", need_requiretls },
  { "binarymime", "250-fake.example\r\n250 BINARYMIME\r\n", need_binarymime },
  { "8bitmime", "250-fake.example\r\n250 SIZE\r\n", need_8bitmime },
  { "deliverby", "250-fake.example\r\n250 SIZE\r\n", need_deliverby },
};

/* What the server cannot do fails before anything is sent. */
static void
test_unsupported (gconstpointer user_data)
{
  const Unsupported *u = user_data;
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND (u->ehlo),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  u->setup (envelope, options);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, options, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* ---- the data ----------------------------------------------------------------- */

/* Lines starting with "." are doubled, bare LF and CR become CRLF, a
 * missing final line end is added. */
static void
test_dot_stuffing (void)
{
  const char text[] = "Subject: dots\n\n.hidden\n..two\nbare\rcr\r\n.\nend";
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES ("Subject: dots\r\n\r\n..hidden\r\n...two\r\nbare\r\ncr\r\n..\r\nend\r\n.\r\n"),
    MT_SEND ("250 Ok\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  result = send_text (&fx, text, -1, envelope, NULL, &error);
  g_assert_no_error (error);
  close_service (&fx);
  fixture_tear_down (&fx);
}

typedef struct
{
  guint started, progress, finished;
  guint64 last_done, total;
} Transfer;

static void
on_started (MissiveService *service, const char *what, guint64 total, Transfer *t)
{
  t->started++;
}

static void
on_progress (MissiveService *service, guint64 done, guint64 total, Transfer *t)
{
  g_assert_cmpuint (done, >=, t->last_done);
  t->last_done = done;
  t->progress++;
}

static void
on_finished (MissiveService *service, guint64 total, Transfer *t)
{
  t->finished++;
  t->total = total;
}

/* A message of a few hundred kilobytes, in several pieces, with the
 * transfer signals. */
static void
test_large_message (void)
{
  gsize n = 300 * 1000;
  g_autoptr(GString) text = g_string_sized_new (n + 100);
  g_autofree char *wire = NULL;
  Fixture fx = { 0 };
  Transfer t = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;

  g_string_append (text, "Subject: big\r\n\r\n");
  while (text->len < n)
    g_string_append (text, ".line of text that starts with a dot\r\n");
  {
    g_autoptr(GString) w = g_string_new (NULL);
    g_auto(GStrv) lines = g_strsplit (text->str, "\r\n", -1);

    for (gsize i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
      {
        if (lines[i][0] == '.')
          g_string_append_c (w, '.');
        g_string_append (w, lines[i]);
        g_string_append (w, "\r\n");
      }
    g_string_append (w, ".\r\n");
    wire = g_string_free (g_steal_pointer (&w), FALSE);
  }
  {
    const MissiveTestStep script[] = {
      GREETING,
      EHLO_PIPELINING,
      MT_EXPECT ("MAIL FROM:<a@example.com>"),
      MT_EXPECT ("RCPT TO:<b@example.com>"),
      MT_EXPECT ("DATA"),
      MT_SEND ("250 Ok\r\n250 Ok\r\n354 Go\r\n"),
      MT_EXPECT_BYTES (wire),
      MT_SEND ("250 Ok\r\n"),
      QUIT_STEPS,
    };

    fixture_set_up (&fx, script);
    g_signal_connect (fx.service, "transfer-started", G_CALLBACK (on_started), &t);
    g_signal_connect (fx.service, "transfer-progress", G_CALLBACK (on_progress), &t);
    g_signal_connect (fx.service, "transfer-finished", G_CALLBACK (on_finished), &t);
    open_service (&fx);
    envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
    /* Larger than the server's SIZE: the size is not given. */
    result = send_text (&fx, text->str, text->len, envelope, NULL, &error);
    g_assert_null (result);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE);
    g_clear_error (&error);
    {
      g_autoptr(GInputStream) stream =
        g_memory_input_stream_new_from_data (text->str, text->len, NULL);

      result = missive_sender_send_stream (MISSIVE_SENDER (fx.service), stream, -1, envelope,
                                           NULL, NULL, &error);
    }
    g_assert_no_error (error);
    /* The message's bytes, not the wire's (dots and the final line). */
    g_assert_cmpuint (missive_send_result_get_size (result), ==, text->len);
    g_assert_cmpuint (t.started, ==, 1);
    g_assert_cmpuint (t.finished, ==, 1);
    g_assert_cmpuint (t.progress, >=, 2);
    g_assert_cmpuint (t.total, ==, text->len);
    close_service (&fx);
    fixture_tear_down (&fx);
  }
}

/* BINARYMIME: BDAT with the bytes as they are (NUL, bare LF, leading dots). */
static void
test_bdat_binary (void)
{
  static const char text[] = "Content-Transfer-Encoding: binary\r\n\r\n\0\n.\r\rx";
  static const char wire[] = "BDAT 43 LAST\r\nContent-Transfer-Encoding: binary\r\n\r\n\0\n.\r\rx";
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("EHLO client.example"),
    MT_SEND ("250-fake.example\r\n250-CHUNKING\r\n250-PIPELINING\r\n250 BINARYMIME\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com> BODY=BINARYMIME"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n250 Ok\r\n"),
    { MISSIVE_TEST_STEP_EXPECT_BYTES, wire, sizeof wire - 1 },
    MT_SEND ("250 2.0.0 Ok: 43 octets\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;

  G_STATIC_ASSERT (sizeof text - 1 == 43);
  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  missive_envelope_set_content_class (envelope, MISSIVE_CONTENT_BINARY);
  result = send_text (&fx, text, sizeof text - 1, envelope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_size (result), ==, 43);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* use-chunking: BDAT for a text message (line ends normalised, no
 * dot-stuffing), in two chunks when the message is over one chunk. */
static void
test_bdat_chunks (void)
{
  gsize chunk = 256 * 1024;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *last_header = NULL;
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;

  while (text->len < chunk + 1000)
    g_string_append (text, ".dotted line\r\n");
  first = g_strdup_printf ("BDAT %" G_GSIZE_FORMAT, chunk);
  second = g_strndup (text->str + chunk, text->len - chunk);
  last_header = g_strdup_printf ("BDAT %" G_GSIZE_FORMAT " LAST", text->len - chunk);
  {
    g_autofree char *first_chunk = g_strndup (text->str, chunk);
    const MissiveTestStep script[] = {
      GREETING,
      MT_EXPECT ("EHLO client.example"),
      MT_SEND ("250-fake.example\r\n250 CHUNKING\r\n"),
      MT_EXPECT ("MAIL FROM:<a@example.com>"),
      MT_SEND ("250 Ok\r\n"),
      MT_EXPECT ("RCPT TO:<b@example.com>"),
      MT_SEND ("250 Ok\r\n"),
      MT_EXPECT (first),
      MT_EXPECT_BYTES (first_chunk),
      MT_SEND ("250 2.0.0 Ok\r\n"),
      MT_EXPECT (last_header),
      MT_EXPECT_BYTES (second),
      MT_SEND ("250 2.0.0 Ok: queued\r\n"),
      QUIT_STEPS,
    };

    fixture_set_up (&fx, script);
    g_object_set (fx.service, "use-chunking", TRUE, NULL);
    open_service (&fx);
    envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
    result = send_text (&fx, text->str, text->len, envelope, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (missive_reply_get_text (missive_send_result_get_reply (result)), ==,
                     "2.0.0 Ok: queued");
    close_service (&fx);
    fixture_tear_down (&fx);
  }
}

/* BDAT over TLS (implicit TLS): the command and its chunk in one write. */
static void
test_bdat_tls (void)
{
  gsize chunk = 256 * 1024;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *first_chunk = NULL;
  g_autofree char *last = NULL;
  g_autofree char *last_chunk = NULL;
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autofree char *ca = missive_test_cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(MissiveService) service = NULL;

  while (text->len < chunk + 5000)
    g_string_append (text, "a line of text\r\n");
  first = g_strdup_printf ("BDAT %" G_GSIZE_FORMAT, chunk);
  first_chunk = g_strndup (text->str, chunk);
  last = g_strdup_printf ("BDAT %" G_GSIZE_FORMAT " LAST", text->len - chunk);
  last_chunk = g_strndup (text->str + chunk, text->len - chunk);
  {
    const MissiveTestStep script[] = {
      GREETING,
      MT_EXPECT ("EHLO client.example"),
      MT_SEND ("250-fake.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n"),
      MT_EXPECT ("MAIL FROM:<a@example.com>"),
      MT_EXPECT ("RCPT TO:<b@example.com>"),
      MT_SEND ("250 Ok\r\n250 Ok\r\n"),
      MT_EXPECT (first),
      MT_EXPECT_BYTES (first_chunk),
      MT_SEND ("250 Ok\r\n"),
      MT_EXPECT (last),
      MT_EXPECT_BYTES (last_chunk),
      MT_SEND ("250 Ok: queued\r\n"),
      QUIT_STEPS,
    };
    g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, TRUE);
    g_autofree char *uri = g_strdup_printf ("smtps://127.0.0.1:%u",
                                            missive_test_server_get_port (server));

    service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
    g_assert_no_error (error);
    g_object_set (service, "helo-name", "client.example", "use-chunking", TRUE, NULL);
    missive_service_set_timeout (service, 20);
    missive_service_set_ca_file (service, ca);
    ASSERT_OK (missive_service_open (service, NULL, &error));
    envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
    {
      g_autoptr(GInputStream) stream =
        g_memory_input_stream_new_from_data (text->str, text->len, NULL);

      result = missive_sender_send_stream (MISSIVE_SENDER (service), stream, text->len, envelope,
                                           NULL, NULL, &error);
    }
    g_assert_no_error (error);
    g_assert_cmpuint (missive_send_result_get_size (result), ==, text->len);
    ASSERT_OK (missive_service_close (service, NULL, &error));
    missive_test_server_finish (server, &error);
    g_assert_no_error (error);
  }
}

/* ---- LMTP ------------------------------------------------------------------------ */

/* One reply per accepted recipient after the data, in order. */
static void
test_lmtp (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("220 lmtp.example LMTP\r\n"),
    MT_EXPECT ("LHLO client.example"),
    MT_SEND ("250-lmtp.example\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_EXPECT ("RCPT TO:<u1@example.com>"),
    MT_EXPECT ("RCPT TO:<u2@example.com>"),
    MT_EXPECT ("RCPT TO:<u3@example.com>"),
    MT_EXPECT ("DATA"),
    MT_SEND ("250 Ok\r\n250 Ok\r\n550 5.1.1 u2 unknown\r\n250 Ok\r\n354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 2.0.0 <u1@example.com> Saved\r\n452 4.2.2 <u3@example.com> Mailbox full\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autofree char *events = NULL;
  MissiveRecipientResult *r;

  fixture_set_up_full (&fx, script, "lmtp", NULL);
  open_service (&fx);
  envelope = envelope_new ("a@example.com",
                           "u1@example.com", MISSIVE_RECIPIENT_ENVELOPE,
                           "u2@example.com", MISSIVE_RECIPIENT_ENVELOPE,
                           "u3@example.com", MISSIVE_RECIPIENT_ENVELOPE, NULL);
  result = send_text (&fx, MESSAGE, -1, envelope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  r = result_at (result, 0);
  g_assert_true (missive_recipient_result_get_accepted (r));
  g_assert_cmpstr (missive_recipient_result_get_text (r), ==, "<u1@example.com> Saved");
  r = result_at (result, 2);
  g_assert_cmpuint (missive_recipient_result_get_code (r), ==, 452);
  g_assert_cmpstr (missive_recipient_result_get_enhanced_status (r), ==, "4.2.2");
  events = joined (fx.events);
  g_assert_cmpstr (events, ==, "rejected u2@example.com 550|rejected u3@example.com 452");
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* Every LMTP delivery refused: an error. */
static void
test_lmtp_all_failed (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("220 lmtp.example LMTP\r\n"),
    MT_EXPECT ("LHLO client.example"),
    MT_SEND ("250 lmtp.example\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<u1@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("552 Mailbox full\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up_full (&fx, script, "lmtp", NULL);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "u1@example.com", MISSIVE_RECIPIENT_ENVELOPE, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 552);
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* ---- several messages, failures ------------------------------------------------ */

/* Refused, then accepted, then accepted: RSET only after the failure. */
static void
test_several_messages (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<x@example.com>"),
    MT_SEND ("550 No\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 Ok 1\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("554 5.7.1 Refused: spam\r\n"),
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_SEND ("250 Ok 2\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) bad = NULL;
  g_autoptr(MissiveEnvelope) good = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  bad = envelope_new ("a@example.com", "x@example.com", MISSIVE_RECIPIENT_TO, NULL);
  good = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, bad, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
  g_clear_error (&error);
  g_clear_object (&bad);
  {
    g_autoptr(MissiveSendResult) r1 = send_text (&fx, MESSAGE, -1, good, NULL, &error);

    g_assert_no_error (error);
  }
  /* The message refused after the data: no RSET needed. */
  g_assert_null (send_text (&fx, MESSAGE, -1, good, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);
  {
    g_autoptr(MissiveSendResult) r2 = send_text (&fx, MESSAGE, -1, good, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (missive_reply_get_text (missive_send_result_get_reply (r2)), ==, "Ok 2");
  }
  close_service (&fx);
  fixture_tear_down (&fx);
}

/* The connection drops after the "." before the reply: the message may
 * have been taken. Never success. */
static void
test_lost_after_data (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DELIVERY_UNCERTAIN);
  assert_connection_gone (&fx);
  fixture_tear_down (&fx);
}

/* The connection drops before the data ends: lost, not sent. */
static void
test_lost_before_data_end (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  assert_connection_gone (&fx);
  fixture_tear_down (&fx);
}

typedef struct
{
  const char *name;
  guint stage;         /* the command answered with 421 */
} Closing;

static const Closing closings[] = {
  { "mail", 0 },
  { "rcpt", 1 },
  { "data", 2 },
  { "after-data", 3 },
};

/* 421 at each point: SERVER_TEMPORARY naming it, and the connection goes. */
static void
test_421 (gconstpointer user_data)
{
  const Closing *c = user_data;
  MissiveTestStep script[16] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
  };
  const MissiveTestStep rest[] = {
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
  };
  guint n = 4;
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  for (guint i = 0; i < c->stage * 2; i++)
    script[n++] = rest[i];
  script[n++] = (MissiveTestStep) MT_SEND ("421 4.3.0 fake.example shutting down\r\n");
  script[n++] = (MissiveTestStep) MT_CLOSE;
  script[n++] = (MissiveTestStep) MT_END;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 421);
  g_assert_nonnull (strstr (error->message, "421"));
  assert_connection_gone (&fx);
  fixture_tear_down (&fx);
}

/* 421 in the middle of the pipelined replies. */
static void
test_421_pipelined (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_PIPELINING,
    MT_EXPECT_PREFIX ("MAIL FROM:<a@example.com>"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_EXPECT ("DATA"),
    MT_SEND ("250 Ok\r\n421 4.4.2 Timeout\r\n"),
    MT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  fixture_set_up (&fx, script);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (send_text (&fx, MESSAGE, -1, envelope, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 421);
  assert_connection_gone (&fx);
  fixture_tear_down (&fx);
}

/* Cancelled after the end of the data, before the reply: uncertain, and
 * the connection is out of step (the next command closes it). The plugin's
 * send vfunc is called directly: what the core's wrapper makes of a
 * cancellation is the core's business. */
static void
cancel_on_finished (MissiveService *service,
                    guint64         total,
                    GCancellable   *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_cancel_after_data (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (MESSAGE, strlen (MESSAGE), NULL);
  g_autoptr(GAsyncResult) result = NULL;
  MissiveSenderClass *klass;

  fixture_set_up (&fx, script);
  g_signal_connect (fx.service, "transfer-finished", G_CALLBACK (cancel_on_finished), cancellable);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  klass = MISSIVE_SENDER_GET_CLASS (fx.service);
  klass->send_async (MISSIVE_SENDER (fx.service), envelope, stream, strlen (MESSAGE), options,
                     G_PRIORITY_DEFAULT, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (klass->send_finish (MISSIVE_SENDER (fx.service), result, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DELIVERY_UNCERTAIN);
  g_clear_error (&error);
  g_assert_false (missive_service_noop (fx.service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_cmpint (missive_service_get_state (fx.service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

/* The same through the public API: the core keeps the plugin's answer,
 * and the service is disconnected. */
static void
test_cancel_after_data_public (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_EXPECT_BYTES (MESSAGE ".\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (MESSAGE, strlen (MESSAGE), NULL);

  fixture_set_up (&fx, script);
  g_signal_connect (fx.service, "transfer-finished", G_CALLBACK (cancel_on_finished), cancellable);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (missive_sender_send_stream (MISSIVE_SENDER (fx.service), stream, strlen (MESSAGE),
                                             envelope, NULL, cancellable, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DELIVERY_UNCERTAIN);
  assert_connection_gone (&fx);
  fixture_tear_down (&fx);
}

/* Cancelled while the message streams: not sent, and the connection is
 * not left in the middle of the data. */
static void
cancel_on_progress (MissiveService *service,
                    guint64         done,
                    guint64         total,
                    GCancellable   *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel_mid_data (void)
{
  gsize n = 200 * 1000;
  g_autofree char *text = g_strnfill (n, 'x');
  const MissiveTestStep script[] = {
    GREETING,
    EHLO_BASIC,
    MT_EXPECT ("MAIL FROM:<a@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("RCPT TO:<b@example.com>"),
    MT_SEND ("250 Ok\r\n"),
    MT_EXPECT ("DATA"),
    MT_SEND ("354 Go\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, n, NULL);

  fixture_set_up (&fx, script);
  g_signal_connect (fx.service, "transfer-progress", G_CALLBACK (cancel_on_progress), cancellable);
  open_service (&fx);
  envelope = envelope_new ("a@example.com", "b@example.com", MISSIVE_RECIPIENT_TO, NULL);
  g_assert_null (missive_sender_send_stream (MISSIVE_SENDER (fx.service), stream, n, envelope,
                                             NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
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

  g_test_add_func ("/smtp-send/pipelined-one-refused", test_pipelined_one_refused);
  g_test_add_func ("/smtp-send/one-at-a-time", test_one_at_a_time);
  g_test_add_func ("/smtp-send/stop-on", test_stop_on);
  g_test_add_func ("/smtp-send/stop-on-other-kind", test_stop_on_other_kind);
  g_test_add_func ("/smtp-send/all-refused", test_all_refused);
  g_test_add_func ("/smtp-send/all-refused-data-accepted", test_all_refused_data_accepted);
  g_test_add_func ("/smtp-send/mail-refused", test_mail_refused);
  g_test_add_func ("/smtp-send/mail-malformed", test_mail_malformed);
  g_test_add_func ("/smtp-send/size-refused", test_size_refused);
  g_test_add_func ("/smtp-send/parameters", test_parameters);
  g_test_add_func ("/smtp-send/requiretls", test_requiretls);
  for (gsize i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp-send/unsupported/%s", unsupported[i].name);

      g_test_add_data_func (path, &unsupported[i], test_unsupported);
    }
  g_test_add_func ("/smtp-send/dot-stuffing", test_dot_stuffing);
  g_test_add_func ("/smtp-send/large-message", test_large_message);
  g_test_add_func ("/smtp-send/bdat-binary", test_bdat_binary);
  g_test_add_func ("/smtp-send/bdat-chunks", test_bdat_chunks);
  g_test_add_func ("/smtp-send/bdat-tls", test_bdat_tls);
  g_test_add_func ("/smtp-send/lmtp", test_lmtp);
  g_test_add_func ("/smtp-send/lmtp-all-failed", test_lmtp_all_failed);
  g_test_add_func ("/smtp-send/several-messages", test_several_messages);
  g_test_add_func ("/smtp-send/lost-after-data", test_lost_after_data);
  g_test_add_func ("/smtp-send/lost-before-data-end", test_lost_before_data_end);
  for (gsize i = 0; i < G_N_ELEMENTS (closings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp-send/421/%s", closings[i].name);

      g_test_add_data_func (path, &closings[i], test_421);
    }
  g_test_add_func ("/smtp-send/421/pipelined", test_421_pipelined);
  g_test_add_func ("/smtp-send/cancel-after-data", test_cancel_after_data);
  g_test_add_func ("/smtp-send/cancel-after-data-public", test_cancel_after_data_public);
  g_test_add_func ("/smtp-send/cancel-mid-data", test_cancel_mid_data);

  return g_test_run ();
}
