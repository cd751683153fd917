/* test-testbed-smtp.c: the SMTP/LMTP plugin against Postfix and Dovecot
 *
 * Needs root and the testbed (tests/testbed/); skipped otherwise (failed
 * with MISSIVE_TESTBED_REQUIRED=1). The testbed's Postfix (submission with
 * STARTTLS, the TLS-required submission port, smtps), whose SASL goes
 * through Dovecot, and Dovecot's LMTP. Delivery is checked by fetching the
 * message back from Dovecot with the IMAP plugin (search by Message-ID,
 * compare the body bytes). Which SASL mechanisms Postfix offers, and that
 * each of them logged in, is printed as TAP comments. Postfix's smtp-sink
 * cases are in test-testbed-smtp-sink.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "test-smtp-utils.h"

#define PORT_OFFSET 420

/* How long to wait for Postfix to hand a message to Dovecot: a bound for
 * a failure, not a measurement (100 ms steps). */
#define DELIVERY_WAIT_STEPS 600

#define BIG_SIZE (5 * 1024 * 1024)

/* ---- helpers ---- */

/* The mechanisms of the last "250-AUTH ..." / "250 AUTH ..." line. */
static char **
trace_auth_offer (GPtrArray *trace)
{
  const char *offer = NULL;

  for (guint i = 0; i < trace->len; i++)
    {
      const char *line = g_ptr_array_index (trace, i);

      if (g_str_has_prefix (line, "S: 250") && strlen (line) > 7 &&
          g_ascii_strncasecmp (line + 7, "AUTH ", 5) == 0)
        offer = line + 12;
    }
  if (offer == NULL)
    return g_new0 (char *, 1);
  return g_strsplit (offer, " ", -1);
}

/* Submission on the STARTTLS port as user1, with the driver's choice. */
static MissiveSender *
open_submission (const MissiveTestbed *tb,
                 GPtrArray            *trace)
{
  Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, NULL, NULL, NULL, NULL, FALSE };
  g_autoptr(GError) error = NULL;
  MissiveSender *sender = open_sender_full (tb->host, tb->ca_file, tb, &conn, trace, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sender);
  return sender;
}

/* A body that needs dot-stuffing and CRLF care: lines that start with a
 * dot, a line that is only a dot, a long line. */
static char *
tricky_body (const char *tag)
{
  g_autofree char *long_line = g_strnfill (900, 'x');

  return g_strdup_printf ("Hello from the %s case.\r\n"
                          ".a line that starts with a dot\r\n"
                          ".\r\n"
                          "..two dots\r\n"
                          "%s\r\n"
                          "\r\n"
                          "last line\r\n", tag, long_line);
}

/* A GMimeMessage: From, To (and Cc, Bcc when given), a text/plain body. */
static GMimeMessage *
mime_message (const char *from,
              const char *to,
              const char *cc,
              const char *bcc,
              const char *subject,
              const char *message_id,
              const char *text)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  /* GMime 3.2 declares no g_autoptr cleanup for its types. */
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");
  g_autofree char *bare_id = g_strndup (message_id + 1, strlen (message_id) - 2);

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Missive Test", from);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, to);
  if (cc != NULL)
    g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_CC, NULL, cc);
  if (bcc != NULL)
    g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_BCC, NULL, bcc);
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_message_set_message_id (message, bare_id);
  g_mime_text_part_set_text (part, text);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (part));
  g_object_unref (part);
  return message;
}

/* ---- reading delivered mail back ------------------------------------------------- */

static MissiveStore *
open_imap (const MissiveTestbed *tb,
           const char           *user,
           const char           *password)
{
  g_autofree char *uri = g_strdup_printf ("imaps://%s@%s:%u", user, tb->host, tb->imaps_port);
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(GError) error = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_ca_file (service, tb->ca_file);
  missive_service_set_password (service, password);
  missive_service_set_timeout (service, 60);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  return MISSIVE_STORE (g_steal_pointer (&service));
}

/* Waits (bounded) until Dovecot has the message with @message_id in the
 * INBOX of @user and returns its bytes as IMAP delivers them (CRLF). */
static GBytes *
fetch_delivered (const MissiveTestbed *tb,
                 const char           *user,
                 const char           *password,
                 const char           *message_id)
{
  g_autoptr(MissiveStore) store = open_imap (tb, user, password);
  g_autoptr(MissiveMailboxInfo) inbox = NULL;
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  inbox = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, &error);
  g_assert_no_error (error);
  for (guint step = 0; step < DELIVERY_WAIT_STEPS; step++)
    {
      g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();

      g_clear_pointer (&found, missive_message_set_unref);
      missive_search_query_add_header (query, "Message-ID", message_id);
      found = missive_store_search (store, query, NULL, &error);
      g_assert_no_error (error);
      if (missive_message_set_get_count (found) > 0)
        break;
      g_usleep (100 * 1000);
      ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
    }
  if (missive_message_set_get_count (found) == 0)
    {
      g_test_message ("%s never arrived in %s's INBOX", message_id, user);
      missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
      return NULL;
    }
  g_assert_cmpuint (missive_message_set_get_count (found), ==, 1);
  ASSERT_OK (missive_store_fetch_message (store, missive_message_set_get_max (found), sink, NULL, &error));
  ASSERT_OK (g_output_stream_close (sink, NULL, &error));
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static GBytes *
fetch_delivered_user1 (const MissiveTestbed *tb,
                       const char           *message_id)
{
  GBytes *bytes = fetch_delivered (tb, tb->user1, tb->pass1, message_id);

  g_assert_nonnull (bytes);
  return bytes;
}

/* Where the body of @msg starts (after the first empty line). */
static const char *
body_start (const char *msg,
            gsize       length,
            gsize      *body_length)
{
  const char *end = g_strstr_len (msg, (gssize) length, "\r\n\r\n");

  g_assert_nonnull (end);
  end += 4;
  *body_length = length - (gsize) (end - msg);
  return end;
}

/* The header block (with its final CRLF) of @bytes, NUL-terminated. */
static char *
header_block (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  gsize body_length;
  const char *body = body_start (data, length, &body_length);

  return g_strndup (data, (gsize) (body - data));
}

static void
assert_body_equal (GBytes     *delivered,
                   const char *expected,
                   gsize       expected_length)
{
  gsize length, body_length;
  const char *data = g_bytes_get_data (delivered, &length);
  const char *body = body_start (data, length, &body_length);

  g_assert_cmpmem (body, body_length, expected, expected_length);
}

/* TRUE when the header block has a field @name (at a line start). */
static gboolean
has_header (const char *headers,
            const char *name)
{
  g_autofree char *needle = g_strdup_printf ("\r\n%s:", name);
  g_autofree char *lower_headers = g_ascii_strdown (headers, -1);
  g_autofree char *lower_needle = g_ascii_strdown (needle, -1);

  return g_str_has_prefix (lower_headers, lower_needle + 2) || strstr (lower_headers, lower_needle) != NULL;
}

/* ---- Postfix submission: logging in ------------------------------------------- */

/* Sends one small message as whoever @sender logged in as, to user1, and
 * returns its Message-ID. */
static char *
send_small (MissiveSender *sender,
            const char    *tag)
{
  g_autofree char *id = new_message_id (tag);
  g_autofree char *body = g_strdup_printf ("sent by the %s case\r\n", tag);
  g_autoptr(GString) msg = raw_message ("user1@localhost", "user1@localhost", tag, id, body);
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("user1@localhost");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_ENVELOPE);
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  return g_steal_pointer (&id);
}

/* What Dovecot's auth_mechanisms (tests/testbed/start.sh) enables; Postfix
 * offers what Dovecot's auth service lists. */
static const char *dovecot_mechanisms[] = {
  "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
  "XOAUTH2", "OAUTHBEARER",
};

/* Logs in with @mechanism through @conn's port and sends one message; the
 * Message-ID is added to @ids. */
static void
login_and_send (const MissiveTestbed *tb,
                Conn                 *conn,
                const char           *mechanism,
                GPtrArray            *ids)
{
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *tag = g_strdup_printf ("%s-%s", conn->scheme, mechanism);

  conn->mechanism = mechanism;
  conn->token = NULL;
  if (g_str_equal (mechanism, "XOAUTH2") || g_str_equal (mechanism, "OAUTHBEARER"))
    {
      token = missive_test_testbed_mint_token (tb, tb->user1, 600, &error);
      g_assert_no_error (error);
      conn->token = token;
    }
  sender = open_sender_full (tb->host, tb->ca_file, tb, conn, trace, &error);
  if (error != NULL)
    {
      trace_dump (trace);
      missive_test_testbed_dump_log (tb, "postfix/postfix.log", 30);
    }
  g_assert_no_error (error);
  g_assert_nonnull (sender);
  g_assert_true (missive_transport_is_tls (missive_service_get_transport (MISSIVE_SERVICE (sender))));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (sender)), ==, mechanism);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (sender)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_ptr_array_add (ids, send_small (sender, tag));
  close_sender (sender);
  g_test_message ("%s: %s logged in and sent", conn->scheme, mechanism);
}

static void
test_submission_mechanisms (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_auto(GStrv) offered = NULL;
  g_autofree char *offered_text = NULL;
  g_autofree char *ntlm = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;

  /* What the STARTTLS port offers after the upgrade. */
  sender = open_submission (tb, trace);
  offered = trace_auth_offer (trace);
  offered_text = g_strjoinv (" ", offered);
  g_test_message ("submission offers AUTH %s", offered_text);
  for (gsize i = 0; i < G_N_ELEMENTS (dovecot_mechanisms); i++)
    g_assert_true (g_strv_contains ((const char * const *) offered, dovecot_mechanisms[i]));
  close_sender (sender);

  for (gsize i = 0; i < G_N_ELEMENTS (dovecot_mechanisms); i++)
    {
      Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, NULL, NULL, NULL, NULL, FALSE };

      login_and_send (tb, &conn, dovecot_mechanisms[i], ids);
    }

  /* NTLM through Samba's ntlm_auth when the testbed has it (user1 only). */
  ntlm = missive_test_testbed_getenv (tb, "TESTBED_NTLM");
  if (g_strcmp0 (ntlm, "yes") == 0 && g_strv_contains ((const char * const *) offered, "NTLM"))
    {
      Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, NULL, NULL, NULL, NULL, FALSE };

      login_and_send (tb, &conn, "NTLM", ids);
    }
  else
    g_test_message ("submission: NTLM not offered (TESTBED_NTLM=%s)", ntlm != NULL ? ntlm : "?");

  /* user2's password has a space and a double quote. */
  for (gsize i = 0; i < 3; i++)
    {
      const char *mechanisms[] = { "PLAIN", "LOGIN", "SCRAM-SHA-256" };
      Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, NULL,
                    tb->user2, tb->pass2, NULL, FALSE };
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveSender) sender2 = NULL;

      conn.mechanism = mechanisms[i];
      sender2 = open_sender_full (tb->host, tb->ca_file, tb, &conn, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (sender2)), ==,
                       mechanisms[i]);
      close_sender (sender2);
    }

  /* Every message arrived. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GBytes) bytes = fetch_delivered_user1 (tb, g_ptr_array_index (ids, i));
    }
}

static void
test_submission_wrong_password (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *mechanisms[] = { "PLAIN", "CRAM-MD5", "SCRAM-SHA-256" };

  if (tb == NULL || !have_smtp_plugin ())
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, mechanisms[i],
                    NULL, "not the password", NULL, FALSE };
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveSender) sender = open_sender_full (tb->host, tb->ca_file, tb, &conn, NULL, &error);

      g_assert_null (sender);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
      /* Postfix's 535 with its enhanced status. */
      g_test_message ("%s, wrong password: %s", mechanisms[i], error->message);
      g_assert_cmpuint (missive_error_get_server_code (error), ==, 535);
    }
}

/* An expired OAuth2 token is refused with the server's text. */
static void
test_submission_oauth_expired (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GError) error = NULL;
  g_autofree char *expired = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  expired = missive_test_testbed_mint_token (tb, tb->user1, -600, &error);
  g_assert_no_error (error);
  {
    Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, "XOAUTH2",
                  NULL, NULL, expired, FALSE };
    g_autoptr(MissiveSender) sender = open_sender_full (tb->host, tb->ca_file, tb, &conn, NULL, &error);

    g_assert_null (sender);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  }
}

/* ---- Postfix: implicit TLS, the TLS-required port ------------------------------- */

static void
test_smtps (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *mechanisms[] = { "PLAIN", "CRAM-MD5", "SCRAM-SHA-256" };

  if (tb == NULL || !have_smtp_plugin ())
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      Conn conn = { "smtps", tb->smtps_port, MISSIVE_SECURITY_TLS, NULL, NULL, NULL, NULL, FALSE };

      login_and_send (tb, &conn, mechanisms[i], ids);
    }
  /* submissions:// is the same thing. */
  {
    Conn conn = { "submissions", tb->smtps_port, MISSIVE_SECURITY_TLS, NULL, NULL, NULL, NULL, FALSE };

    login_and_send (tb, &conn, "PLAIN", ids);
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GBytes) bytes = fetch_delivered_user1 (tb, g_ptr_array_index (ids, i));
    }
}

/* The TLS-required port offers no AUTH before STARTTLS. Without TLS the
 * credentials must never be sent, and a send fails cleanly. */
static void
test_tls_required (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (tb == NULL || !have_smtp_plugin ())
    return;

  /* security=none with credentials, plaintext allowed: Postfix offers no
   * AUTH in clear, so logging in cannot happen. */
  {
    Conn conn = { "smtp", tb->submission_tlsreq_port, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, FALSE };
    g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GError) error = NULL;
    g_autoptr(MissiveService) service = NULL;
    g_autofree char *uri = g_strdup_printf ("smtp://%s:%u", tb->host, conn.port);
    gboolean ok;

    service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
    g_assert_no_error (error);
    missive_service_set_security (service, MISSIVE_SECURITY_NONE);
    missive_service_set_allow_plaintext_auth (service, TRUE);
    missive_service_set_username (service, tb->user1);
    missive_service_set_password (service, tb->pass1);
    missive_service_set_timeout (service, 60);
    g_signal_connect (service, "protocol-trace", G_CALLBACK (trace_cb), trace);
    ok = missive_service_open (service, NULL, &error);
    g_test_message ("TLS-required port in clear with credentials: %s",
                    ok ? "opened" : error->message);
    g_assert_false (ok);
    g_assert_nonnull (error);
    g_assert_true (error->domain == MISSIVE_ERROR);
    g_assert_true (error->code == MISSIVE_ERROR_MECHANISM_UNAVAILABLE ||
                   error->code == MISSIVE_ERROR_NOT_SUPPORTED ||
                   error->code == MISSIVE_ERROR_AUTHENTICATION_FAILED);
    /* No AUTH command ever went out, and no password. */
    g_assert_cmpint (trace_find (trace, 0, "C: AUTH"), ==, -1);
    for (guint i = 0; i < trace->len; i++)
      g_assert_null (strstr (g_ptr_array_index (trace, i), tb->pass1));
    g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  }

  /* Anonymous in clear: the session opens, the transaction is refused
   * (530 5.7.0 Must issue a STARTTLS command first) as a permanent error. */
  {
    Conn conn = { "smtp", tb->submission_tlsreq_port, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, TRUE };
    g_autoptr(GError) error = NULL;
    g_autoptr(MissiveSender) sender = open_sender_full (tb->host, NULL, tb, &conn, NULL, &error);
    g_autofree char *id = new_message_id ("tlsreq-clear");
    g_autoptr(GString) msg = raw_message ("user1@localhost", "user1@localhost", "clear", id, "x\r\n");
    g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("user1@localhost");
    g_autoptr(MissiveSendResult) result = NULL;

    g_assert_no_error (error);
    missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_ENVELOPE);
    result = send_raw (sender, envelope, msg, NULL, &error);
    g_assert_null (result);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
    g_assert_cmpuint (missive_error_get_server_code (error), ==, 530);
    g_assert_cmpstr (missive_error_get_enhanced_status (error), ==, "5.7.0");
    missive_service_close (MISSIVE_SERVICE (sender), NULL, NULL);
  }

  /* With STARTTLS the same port works. */
  {
    Conn conn = { "smtp", tb->submission_tlsreq_port, MISSIVE_SECURITY_STARTTLS, NULL, NULL, NULL, NULL, FALSE };

    login_and_send (tb, &conn, "PLAIN", ids);
    login_and_send (tb, &conn, "SCRAM-SHA-1", ids);
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GBytes) bytes = fetch_delivered_user1 (tb, g_ptr_array_index (ids, i));
    }
}

/* ---- Postfix: what arrives ------------------------------------------------------ */

/* A raw stream with dot-stuffing traps arrives byte for byte. */
static void
test_raw_body_bytes (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *id = new_message_id ("raw");
  g_autofree char *body = tricky_body ("raw");
  g_autoptr(GString) msg = NULL;
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("user1@localhost");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(MissiveRecipientResult) rcpt = NULL;
  g_autoptr(GBytes) delivered = NULL;
  g_autoptr(GError) error = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  sender = open_submission (tb, NULL);
  msg = raw_message ("user1@localhost", "user1@localhost", "raw body bytes", id, body);
  missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_ENVELOPE);
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  /* What went over the wire: the message, dot-stuffed, with its end mark. */
  g_assert_cmpuint (missive_send_result_get_size (result), >=, msg->len);
  g_test_message ("message %" G_GSIZE_FORMAT " bytes, result size %" G_GUINT64_FORMAT,
                  msg->len, missive_send_result_get_size (result));
  /* Postfix: "250 2.0.0 Ok: queued as ..." */
  g_assert_nonnull (missive_send_result_get_reply (result));
  g_assert_cmpuint (missive_reply_get_code (missive_send_result_get_reply (result)), ==, 250);
  rcpt = result_recipient (result, 0);
  g_assert_cmpstr (missive_recipient_result_get_address (rcpt), ==, "user1@localhost");
  g_assert_true (missive_recipient_result_get_accepted (rcpt));
  g_assert_cmpuint (missive_recipient_result_get_code (rcpt), ==, 250);
  g_assert_cmpstr (missive_recipient_result_get_enhanced_status (rcpt), ==, "2.1.5");
  close_sender (sender);

  delivered = fetch_delivered_user1 (tb, id);
  assert_body_equal (delivered, body, strlen (body));
}

/* A GMimeMessage with To and Bcc: both recipients get it, nobody's
 * copy shows the Bcc. */
static void
test_bcc_hidden (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *id = new_message_id ("bcc");
  GMimeMessage *message;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "Bcc must not show.\n.a dot line\n";
  Signals s;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  sender = open_submission (tb, NULL);
  signals_connect (sender, &s);
  /* To user1, Bcc user2. */
  message = mime_message ("user1@localhost", "user1@localhost", NULL, "user2@localhost",
                          "Bcc hidden", id, text);
  result = missive_sender_send_message (sender, message, NULL, NULL, NULL, &error);
  g_object_unref (message);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (missive_send_result_get_recipients (result)), ==, 2);
  {
    g_autoptr(MissiveRecipientResult) r0 = result_recipient (result, 0);
    g_autoptr(MissiveRecipientResult) r1 = result_recipient (result, 1);

    g_assert_cmpstr (missive_recipient_result_get_address (r0), ==, "user1@localhost");
    g_assert_cmpstr (missive_recipient_result_get_address (r1), ==, "user2@localhost");
  }
  g_assert_cmpuint (s.rejected->len, ==, 0);
  /* The transfer signals of a small message: one start, one finish. */
  g_assert_cmpuint (s.started, ==, 1);
  g_assert_cmpuint (s.finished, ==, 1);
  g_assert_cmpuint (s.finished_total, ==, missive_send_result_get_size (result));
  signals_clear (sender, &s);
  close_sender (sender);

  {
    g_autoptr(GBytes) copy1 = fetch_delivered_user1 (tb, id);
    g_autoptr(GBytes) copy2 = fetch_delivered (tb, tb->user2, tb->pass2, id);
    g_autofree char *headers1 = NULL;
    g_autofree char *headers2 = NULL;

    g_assert_nonnull (copy2);
    headers1 = header_block (copy1);
    headers2 = header_block (copy2);
    g_assert_true (has_header (headers1, "To"));
    g_assert_true (has_header (headers1, "Subject"));
    g_assert_false (has_header (headers1, "Bcc"));
    g_assert_false (has_header (headers2, "Bcc"));
    /* The body as GMime wrote it: CRLF line ends. */
    assert_body_equal (copy1, "Bcc must not show.\r\n.a dot line\r\n",
                       strlen ("Bcc must not show.\r\n.a dot line\r\n"));
  }
}

/* An 8-bit body, a UTF-8 subject and a UTF-8 sender address: BODY=8BITMIME
 * and SMTPUTF8 on MAIL; Postfix hands utf8.localhost to dovecot-lda, which
 * takes SMTPUTF8 mail (Dovecot 2.3's LMTP does not). */
static void
test_smtputf8 (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *id = new_message_id ("utf8");
  const char *from = "j\xc3\xb6rg@localhost";           /* jörg */
  g_autofree char *to = g_strdup_printf ("%s@utf8.localhost", tb != NULL ? tb->user1 : "");
  const char *body = "Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbc" "nchen\r\n";
  g_autoptr(GString) msg = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GBytes) delivered = NULL;
  g_autoptr(GError) error = NULL;
  int mail;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  sender = open_submission (tb, trace);
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (sender), "SMTPUTF8"));
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (sender), "8BITMIME"));

  msg = raw_message (from, to, "\xc3\x9c" "ber SMTPUTF8", id, body);
  envelope = missive_envelope_new (from);
  missive_envelope_add_recipient (envelope, to, MISSIVE_RECIPIENT_ENVELOPE);
  missive_envelope_set_content_class (envelope, MISSIVE_CONTENT_8BIT);
  missive_envelope_set_headers_utf8 (envelope, TRUE);
  g_assert_true (missive_envelope_needs_smtputf8 (envelope));
  result = send_raw (sender, envelope, msg, NULL, &error);
  if (error != NULL)
    trace_dump (trace);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  close_sender (sender);

  mail = trace_find (trace, 0, "C: MAIL FROM:");
  g_assert_cmpint (mail, >=, 0);
  g_test_message ("%s", (char *) g_ptr_array_index (trace, mail));
  g_assert_nonnull (strstr (g_ptr_array_index (trace, mail), "SMTPUTF8"));
  g_assert_nonnull (strstr (g_ptr_array_index (trace, mail), "BODY=8BITMIME"));
  g_assert_nonnull (strstr (g_ptr_array_index (trace, mail), from));

  delivered = fetch_delivered_user1 (tb, id);
  assert_body_equal (delivered, body, strlen (body));
  {
    g_autofree char *headers = header_block (delivered);

    /* The raw UTF-8 subject arrived as it was sent. */
    g_assert_nonnull (strstr (headers, "Subject: \xc3\x9c" "ber SMTPUTF8\r\n"));
  }
}

/* 5 MB streamed with progress; the server's SIZE limit is known, and a
 * message over it is refused before any byte of it is sent. */
static void
test_big_message (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *id = new_message_id ("big");
  g_autoptr(GString) body = g_string_sized_new (BIG_SIZE + 100);
  g_autoptr(GString) msg = NULL;
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("user1@localhost");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GBytes) delivered = NULL;
  g_autoptr(GError) error = NULL;
  Signals s;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  /* 76-character lines, some starting with a dot. */
  for (guint line = 0; body->len < BIG_SIZE; line++)
    {
      if (line % 50 == 0)
        g_string_append_c (body, '.');
      g_string_append_printf (body, "%08u ", line);
      for (guint i = 0; i < 67; i++)
        g_string_append_c (body, (char) ('a' + (line + i) % 26));
      g_string_append (body, "\r\n");
    }
  msg = raw_message ("user1@localhost", "user1@localhost", "five megabytes", id, body->str);
  missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_ENVELOPE);

  sender = open_submission (tb, trace);
  /* Postfix's message_size_limit in start.sh. */
  g_assert_cmpuint (missive_sender_get_max_size (sender), ==, 20480000);

  signals_connect (sender, &s);
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  g_assert_cmpuint (s.started, ==, 1);
  g_assert_cmpuint (s.started_total, ==, msg->len);
  g_assert_cmpuint (s.progress, >, 1);
  g_assert_true (s.monotonic);
  g_assert_cmpuint (s.last_done, <=, msg->len);
  g_assert_cmpuint (s.finished, ==, 1);
  g_test_message ("5 MB: %u progress signals", s.progress);
  /* SIZE= went with MAIL. */
  {
    int mail = trace_find (trace, 0, "C: MAIL FROM:");
    g_autofree char *size = g_strdup_printf ("SIZE=%" G_GSIZE_FORMAT, msg->len);

    g_assert_cmpint (mail, >=, 0);
    g_assert_nonnull (strstr (g_ptr_array_index (trace, mail), size));
  }
  signals_clear (sender, &s);

  /* Over the limit: refused before sending, the session stays usable. */
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (msg->str, (gssize) msg->len, NULL);
    guint sent_before = trace_count (trace, "C: MAIL");
    g_autoptr(MissiveSendResult) too_big = NULL;

    too_big = missive_sender_send_stream (sender, in, 25000000, envelope, NULL, NULL, &error);
    g_assert_null (too_big);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE);
    g_clear_error (&error);
    g_assert_cmpuint (trace_count (trace, "C: MAIL"), ==, sent_before);
    ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
  }
  close_sender (sender);

  delivered = fetch_delivered_user1 (tb, id);
  assert_body_equal (delivered, body->str, body->len);
}

/* Several messages on one connection: one EHLO after TLS, one AUTH, a
 * RSET and a NOOP between them. */
static void
test_several_messages (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(GError) error = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  sender = open_submission (tb, trace);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *tag = g_strdup_printf ("several-%u", i);

      g_ptr_array_add (ids, send_small (sender, tag));
      if (i == 1)
        ASSERT_OK (missive_sender_reset (sender, NULL, &error));
      if (i == 2)
        ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
    }
  close_sender (sender);
  g_assert_cmpuint (trace_count (trace, "C: AUTH"), ==, 1);
  g_assert_cmpuint (trace_count (trace, "C: STARTTLS"), ==, 1);
  g_assert_cmpuint (trace_count (trace, "C: MAIL FROM:"), ==, 5);
  g_assert_cmpuint (trace_count (trace, "C: RSET"), >=, 1);
  g_assert_cmpuint (trace_count (trace, "C: NOOP"), >=, 1);
  g_assert_cmpuint (trace_count (trace, "C: QUIT"), ==, 1);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GBytes) bytes = fetch_delivered_user1 (tb, g_ptr_array_index (ids, i));
    }
}

/* VRFY and EXPN on Postfix. */
static void
test_verify (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveSender) sender = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autoptr(GError) error = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  sender = open_submission (tb, NULL);
  addresses = missive_sender_verify_address (sender, "user1@localhost", NULL, &error);
  g_test_message ("VRFY user1@localhost: %s", error != NULL ? error->message : "ok");
  g_assert_no_error (error);
  /* Postfix answers 252 (cannot verify, but will take mail for it): no
   * address, and no error. */
  g_assert_nonnull (addresses);
  g_assert_cmpuint (g_strv_length (addresses), ==, 0);
  /* Postfix has no EXPN: 502, a permanent error; the session goes on. */
  {
    g_auto(GStrv) expanded = missive_sender_expand_list (sender, "staff", NULL, &error);

    g_assert_null (expanded);
    g_assert_nonnull (error);
    g_test_message ("EXPN: %s", error->message);
    g_assert_true (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT) ||
                   g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED));
    g_clear_error (&error);
  }
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
  close_sender (sender);
}

/* Postfix offers CHUNKING: with the plugin's use-chunking the message goes
 * with BDAT (no dot-stuffing) and arrives byte for byte. */
static void
test_chunking (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *id = new_message_id ("bdat");
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) msg = NULL;
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("user1@localhost");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GBytes) delivered = NULL;
  g_autoptr(GError) error = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  /* About 300 KB, so that it may take more than one chunk. */
  for (guint i = 0; body->len < 300 * 1024; i++)
    {
      g_autofree char *dots = tricky_body ("bdat");

      g_string_append (body, dots);
    }
  msg = raw_message ("user1@localhost", "user1@localhost", "BDAT", id, body->str);
  missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_ENVELOPE);

  sender = open_submission (tb, trace);
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (sender), "CHUNKING"));
  g_object_set (sender, "use-chunking", TRUE, NULL);
  result = send_raw (sender, envelope, msg, NULL, &error);
  if (error != NULL)
    trace_dump (trace);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  g_assert_cmpint (trace_find (trace, 0, "C: BDAT"), >=, 0);
  g_assert_cmpint (trace_find (trace, 0, "C: DATA"), ==, -1);
  g_test_message ("BDAT commands: %u", trace_count (trace, "C: BDAT"));
  close_sender (sender);

  delivered = fetch_delivered_user1 (tb, id);
  assert_body_equal (delivered, body->str, body->len);
}

/* ---- Dovecot LMTP ---------------------------------------------------------------- */

/* Two users and an unknown one: the unknown is refused at RCPT, each of
 * the others gets its own reply after the data. */
static void
test_lmtp_per_recipient (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autofree char *id = new_message_id ("lmtp");
  g_autofree char *body = tricky_body ("lmtp");
  g_autoptr(GString) msg = NULL;
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("tester@localhost");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Signals s;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  {
    Conn conn = { "lmtp", tb->lmtp_port, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, TRUE };

    sender = open_sender_full (tb->host, NULL, tb, &conn, trace, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (trace_find (trace, 0, "C: LHLO"), >=, 0);
  msg = raw_message ("tester@localhost", "user1@localhost", "LMTP", id, body);
  missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_TO);
  missive_envelope_add_recipient (envelope, "nosuchuser@localhost", MISSIVE_RECIPIENT_TO);
  missive_envelope_add_recipient (envelope, "user2@localhost", MISSIVE_RECIPIENT_CC);
  signals_connect (sender, &s);
  result = send_raw (sender, envelope, msg, NULL, &error);
  if (error != NULL)
    trace_dump (trace);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (missive_send_result_get_recipients (result)), ==, 3);
  {
    g_autoptr(MissiveRecipientResult) r0 = result_recipient (result, 0);
    g_autoptr(MissiveRecipientResult) r1 = result_recipient (result, 1);
    g_autoptr(MissiveRecipientResult) r2 = result_recipient (result, 2);

    g_assert_cmpstr (missive_recipient_result_get_address (r0), ==, "user1@localhost");
    g_assert_true (missive_recipient_result_get_accepted (r0));
    g_assert_cmpuint (missive_recipient_result_get_code (r0), ==, 250);
    /* Dovecot's per-recipient reply after the data names the mailbox. */
    g_test_message ("LMTP %s: %u %s %s", missive_recipient_result_get_address (r0),
                    missive_recipient_result_get_code (r0),
                    missive_recipient_result_get_enhanced_status (r0),
                    missive_recipient_result_get_text (r0));

    g_assert_cmpstr (missive_recipient_result_get_address (r1), ==, "nosuchuser@localhost");
    g_assert_false (missive_recipient_result_get_accepted (r1));
    g_assert_cmpuint (missive_recipient_result_get_code (r1), ==, 550);
    g_assert_cmpstr (missive_recipient_result_get_enhanced_status (r1), ==, "5.1.1");
    g_test_message ("LMTP %s: %u %s %s", missive_recipient_result_get_address (r1),
                    missive_recipient_result_get_code (r1),
                    missive_recipient_result_get_enhanced_status (r1),
                    missive_recipient_result_get_text (r1));

    g_assert_cmpstr (missive_recipient_result_get_address (r2), ==, "user2@localhost");
    g_assert_true (missive_recipient_result_get_accepted (r2));
    g_assert_cmpuint (missive_recipient_result_get_code (r2), ==, 250);
  }
  g_assert_cmpuint (s.rejected->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (s.rejected, 0), ==, "nosuchuser@localhost");
  signals_clear (sender, &s);

  /* All recipients unknown: RECIPIENTS_REJECTED. (DATA itself may have
   * gone out in the pipelined flight; Dovecot then refuses it.) */
  {
    g_autoptr(MissiveEnvelope) nobody = missive_envelope_new ("tester@localhost");
    g_autoptr(MissiveSendResult) none = NULL;

    missive_envelope_add_recipient (nobody, "nosuchuser@localhost", MISSIVE_RECIPIENT_TO);
    missive_envelope_add_recipient (nobody, "nobody-either@localhost", MISSIVE_RECIPIENT_TO);
    none = send_raw (sender, nobody, msg, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
    g_clear_error (&error);
    ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
  }
  close_sender (sender);

  /* Delivered immediately (LMTP is final delivery). */
  {
    g_autoptr(GBytes) copy1 = fetch_delivered_user1 (tb, id);
    g_autoptr(GBytes) copy2 = fetch_delivered (tb, tb->user2, tb->pass2, id);

    g_assert_nonnull (copy2);
    assert_body_equal (copy1, body, strlen (body));
    assert_body_equal (copy2, body, strlen (body));
  }
}

/* How many messages with @message_id the INBOX of @user holds now (no
 * waiting: LMTP delivers before it replies). */
static guint64
count_in_inbox (const MissiveTestbed *tb,
                const char           *user,
                const char           *password,
                const char           *message_id)
{
  g_autoptr(MissiveStore) store = open_imap (tb, user, password);
  g_autoptr(MissiveMailboxInfo) inbox = NULL;
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(GError) error = NULL;

  inbox = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, &error);
  g_assert_no_error (error);
  missive_search_query_add_header (query, "Message-ID", message_id);
  found = missive_store_search (store, query, NULL, &error);
  g_assert_no_error (error);
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return missive_message_set_get_count (found);
}

/* Some recipients refused, not all: with stop-on for another kind the
 * message goes to the others; with stop-on for the refused one's kind
 * nothing is delivered to anybody, and the session stays usable. */
static void
test_lmtp_stop_on (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("tester@localhost");
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autofree char *id_sent = new_message_id ("stop-on-to");
  g_autofree char *id_stopped = new_message_id ("stop-on-bcc");
  g_autoptr(GError) error = NULL;

  if (tb == NULL || !have_smtp_plugin ())
    return;
  {
    Conn conn = { "lmtp", tb->lmtp_port, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, TRUE };

    sender = open_sender_full (tb->host, NULL, tb, &conn, trace, &error);
    g_assert_no_error (error);
  }
  missive_envelope_add_recipient (envelope, "user1@localhost", MISSIVE_RECIPIENT_TO);
  missive_envelope_add_recipient (envelope, "nosuchuser@localhost", MISSIVE_RECIPIENT_BCC);

  /* Stopping on To refusals: the Bcc refusal does not stop it. */
  missive_send_options_set_stop_on (options, MISSIVE_STOP_ON_TO);
  {
    g_autoptr(GString) msg = raw_message ("tester@localhost", "user1@localhost", "stop on To", id_sent, "x\r\n");
    g_autoptr(MissiveSendResult) result = send_raw (sender, envelope, msg, options, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 1);
  }

  /* Stopping on Bcc refusals: nothing is delivered. */
  missive_send_options_set_stop_on (options, MISSIVE_STOP_ON_BCC);
  {
    g_autoptr(GString) msg = raw_message ("tester@localhost", "user1@localhost", "stop on Bcc", id_stopped, "x\r\n");
    g_autoptr(MissiveSendResult) result = send_raw (sender, envelope, msg, options, &error);

    if (result != NULL)
      trace_dump (trace);
    g_assert_null (result);
    g_assert_nonnull (error);
    g_test_message ("stop on Bcc: %s", error->message);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED);
    g_clear_error (&error);
  }
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
  close_sender (sender);

  g_assert_cmpuint (count_in_inbox (tb, tb->user1, tb->pass1, id_sent), ==, 1);
  g_assert_cmpuint (count_in_inbox (tb, tb->user1, tb->pass1, id_stopped), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/smtp/submission/mechanisms", test_submission_mechanisms);
  g_test_add_func ("/testbed/smtp/submission/wrong-password", test_submission_wrong_password);
  g_test_add_func ("/testbed/smtp/submission/oauth-expired", test_submission_oauth_expired);
  g_test_add_func ("/testbed/smtp/smtps", test_smtps);
  g_test_add_func ("/testbed/smtp/tls-required", test_tls_required);
  g_test_add_func ("/testbed/smtp/delivery/raw-body-bytes", test_raw_body_bytes);
  g_test_add_func ("/testbed/smtp/delivery/bcc-hidden", test_bcc_hidden);
  g_test_add_func ("/testbed/smtp/delivery/smtputf8", test_smtputf8);
  g_test_add_func ("/testbed/smtp/delivery/big-message", test_big_message);
  g_test_add_func ("/testbed/smtp/delivery/several-messages", test_several_messages);
  g_test_add_func ("/testbed/smtp/delivery/chunking", test_chunking);
  g_test_add_func ("/testbed/smtp/verify", test_verify);
  g_test_add_func ("/testbed/smtp/lmtp/per-recipient", test_lmtp_per_recipient);
  g_test_add_func ("/testbed/smtp/lmtp/stop-on", test_lmtp_stop_on);

  return g_test_run ();
}
