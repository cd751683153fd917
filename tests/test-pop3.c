/* test-pop3.c: the POP3 plugin against scripted fake servers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

/* base64 ("\0user\0secret") */
#define PLAIN_IR "AHVzZXIAc2VjcmV0"

#define ASSERT_OK(expr) G_STMT_START { \
    gboolean ok_ = (expr); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

#define GREETING    MT_SEND ("+OK POP3 ready\r\n")
#define CAPA_PLAIN  MT_EXPECT ("CAPA"), \
                    MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nUSER\r\nRESP-CODES\r\nIMPLEMENTATION fake\r\n.\r\n")
#define LOGIN_STEPS MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"), \
                    MT_EXPECT ("PASS secret"), MT_SEND ("+OK Logged in.\r\n"), \
                    CAPA_PLAIN
#define QUIT_STEPS  MT_EXPECT ("QUIT"), MT_SEND ("+OK Bye\r\n"), MT_WAIT_CLOSE, MT_END

static void
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

static char *
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

typedef struct
{
  MissiveTestServer *server;
  MissiveStore *store;
  GPtrArray *sent;
} Fixture;

static void
fixture_set_up (Fixture               *fx,
                const MissiveTestStep *script,
                const char            *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  MissiveService *service;

  fx->server = missive_test_server_new (script, NULL, FALSE);
  uri = g_strdup_printf ("pop3://127.0.0.1:%u?security=none",
                         missive_test_server_get_port (fx->server));
  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_STORE (service));
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (service), ==, "MissivePop3Store");
  missive_service_set_username (service, "user");
  missive_service_set_password (service, password != NULL ? password : "secret");
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_timeout (service, 20);
  fx->store = MISSIVE_STORE (service);
  fx->sent = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), fx->sent);
}

static void
fixture_tear_down (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  missive_test_server_finish (fx->server, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->store);
  missive_test_server_free (fx->server);
  g_ptr_array_unref (fx->sent);
}

static void
open_store (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (fx->store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (fx->store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
}

static void
close_store (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (fx->store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (fx->store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}

/* ---- connecting --------------------------------------------------------------- */

/* No SASL in CAPA: USER/PASS; the odd password goes as it is and is masked
 * in the trace; CAPA is asked again after login. */
static void
test_user_pass (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK Capability list follows\r\nTOP\r\nUSER\r\nRESP-CODES\r\nPIPELINING\r\n"
             "IMPLEMENTATION Fake server 1.0\r\n.\r\n"),
    MT_EXPECT ("USER user"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS p@ss w\"ord\\ ."),
    MT_SEND ("+OK Logged in.\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nX-AFTER-LOGIN\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autofree char *sent = NULL;

  fixture_set_up (&fx, script, "p@ss w\"ord\\ .");
  open_store (&fx);
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (fx.store), "X-AFTER-LOGIN"));
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (fx.store), "UIDL"));
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (fx.store), "PIPELINING"));
  close_store (&fx);
  sent = joined (fx.sent);
  g_assert_null (strstr (sent, "p@ss"));
  g_assert_true (g_str_has_prefix (sent, "CAPA|USER user|PASS "));
  fixture_tear_down (&fx);
}

/* SASL PLAIN with the initial response on the AUTH line. */
static void
test_auth_plain (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nSASL PLAIN\r\nUSER\r\n.\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("+OK Logged in.\r\n"),
    CAPA_PLAIN,
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (fx.store)), ==, "PLAIN");
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* A multi-step mechanism: "+ " challenges, base64 answers. */
static void
test_auth_login_challenges (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nSASL LOGIN\r\n.\r\n"),
    MT_EXPECT ("AUTH LOGIN"),
    MT_SEND ("+ VXNlcm5hbWU6\r\n"),
    MT_EXPECT ("dXNlcg=="),
    MT_SEND ("+ UGFzc3dvcmQ6\r\n"),
    MT_EXPECT ("c2VjcmV0"),
    MT_SEND ("+OK Logged in.\r\n"),
    CAPA_PLAIN,
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script, NULL);
  missive_service_set_auth_mechanism (MISSIVE_SERVICE (fx.store), "LOGIN");
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (fx.store), NULL, &error));
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* -ERR to PASS: AUTHENTICATION_FAILED with the server's text and code. */
static void
test_login_failed (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("-ERR Unknown command\r\n"),
    MT_EXPECT ("USER user"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"),
    MT_SEND ("-ERR [AUTH] Authentication failed.\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script, NULL);
  g_assert_false (missive_service_open (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "Authentication failed.");
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "AUTH");
  g_clear_error (&error);
  missive_service_close (MISSIVE_SERVICE (fx.store), NULL, NULL);
  fixture_tear_down (&fx);
}

/* [IN-USE] is not a wrong password: a temporary failure. */
static void
test_login_in_use (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nRESP-CODES\r\nUSER\r\n.\r\n"),
    MT_EXPECT ("USER user"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"),
    MT_SEND ("-ERR [IN-USE] Mailbox is locked by another session\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script, NULL);
  g_assert_false (missive_service_open (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "IN-USE");
  g_clear_error (&error);
  missive_service_close (MISSIVE_SERVICE (fx.store), NULL, NULL);
  fixture_tear_down (&fx);
}

/* RFC 1939's example: APOP with the greeting's timestamp, no CAPA. */
static void
test_apop (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("-ERR what?\r\n"),
    MT_EXPECT ("APOP mrose c4c9334bac560ecc979e58001b3e22fb"),
    MT_SEND ("+OK maildrop has 1 message (369 octets)\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("-ERR what?\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up (&fx, script, "tanstaaf");
  missive_service_set_username (MISSIVE_SERVICE (fx.store), "mrose");
  open_store (&fx);
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* A greeting that is neither +OK nor -ERR. */
static void
test_greeting_garbage (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK this is IMAP\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script, NULL);
  g_assert_false (missive_service_open (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  fixture_tear_down (&fx);
}

/* ---- the maildrop --------------------------------------------------------------- */

static void
on_header (MissiveStore *store,
           guint         id,
           const char   *name,
           const char   *value,
           GPtrArray    *headers)
{
  g_ptr_array_add (headers, g_strdup_printf ("%u %s=%s", id, name, value));
}

static void
on_message_info (MissiveStore       *store,
                 MissiveMessageInfo *info,
                 guint              *count)
{
  (*count)++;
}

#define LIST_UIDL_STEPS \
    MT_EXPECT ("LIST"), \
    MT_SEND ("+OK 3 messages\r\n1 100\r\n2 200\r\n3 900\r\n.\r\n"), \
    MT_EXPECT ("UIDL"), \
    MT_SEND ("+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n3 abc\r\n.\r\n")

static void
test_stat_list_uidl (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("STAT"),
    MT_SEND ("+OK 3 1200\r\n"),
    LIST_UIDL_STEPS,
    LIST_UIDL_STEPS,
    MT_EXPECT ("TOP 3 0"),
    MT_SEND ("+OK\r\nSubject: hello\r\n  world =?utf-8?q?caf=C3=A9?=\r\n"
             "From: Ann <a@example.org>\r\nTo: b@example.org, c@example.org\r\n"
             "Date: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <m3@example.org>\r\n\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  guint infos = 0;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) one = NULL;
  g_autoptr(MissiveMessageSet) all = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(MissiveMessageSet) three = missive_message_set_new_single (3);
  g_autoptr(MissiveMessageInfo) m2 = NULL;
  g_autoptr(MissiveMessageInfo) m3 = NULL;

  fixture_set_up (&fx, script, NULL);
  g_signal_connect (fx.store, "header", G_CALLBACK (on_header), headers);
  g_signal_connect (fx.store, "message-info", G_CALLBACK (on_message_info), &infos);
  open_store (&fx);
  info = missive_store_select_mailbox (fx.store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 3);
  g_assert_cmpuint (missive_mailbox_info_get_size (info), ==, 1200);

  list = missive_store_fetch_summaries (fx.store, all, MISSIVE_FETCH_ITEMS_SIZE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  m2 = g_list_model_get_item (list, 1);
  g_assert_cmpuint (missive_message_info_get_sequence (m2), ==, 2);
  g_assert_cmpuint (missive_message_info_get_uid (m2), ==, 2);
  g_assert_cmpuint (missive_message_info_get_size (m2), ==, 200);
  g_assert_cmpstr (missive_message_info_get_uidl (m2), ==, "QhdPYR:00WBw1Ph7x7");

  /* Headers by TOP n 0, only for the messages asked for. */
  one = missive_store_fetch_summaries (fx.store, three, MISSIVE_FETCH_ITEMS_HEADERS, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (one), ==, 1);
  m3 = g_list_model_get_item (one, 0);
  g_assert_cmpuint (missive_message_info_get_size (m3), ==, 900);
  g_assert_cmpstr (missive_message_info_get_uidl (m3), ==, "abc");
  g_assert_nonnull (strstr (missive_message_info_get_header (m3, "Subject"), "hello"));
  /* The envelope fields come from the header block, RFC 2047 decoded. */
  g_assert_cmpstr (missive_message_info_get_subject (m3), ==, "hello  world caf\xc3\xa9");
  g_assert_cmpint (internet_address_list_length (missive_message_info_get_addresses (m3, MISSIVE_ADDRESS_FIELD_TO)), ==, 2);
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (
                     internet_address_list_get_address (
                       missive_message_info_get_addresses (m3, MISSIVE_ADDRESS_FIELD_FROM), 0))),
                   ==, "a@example.org");
  g_assert_cmpstr (missive_message_info_get_message_id (m3), ==, "<m3@example.org>");
  g_assert_nonnull (missive_message_info_get_date (m3));
  g_assert_cmpint (g_date_time_get_hour (missive_message_info_get_date (m3)), ==, 10);
  g_assert_null (missive_message_info_get_addresses (m3, MISSIVE_ADDRESS_FIELD_CC));
  g_assert_cmpuint (headers->len, ==, 5);
  g_assert_cmpstr (headers->pdata[0], ==, "3 Subject=hello  world =?utf-8?q?caf=C3=A9?=");
  g_assert_cmpstr (headers->pdata[1], ==, "3 From=Ann <a@example.org>");
  g_assert_cmpuint (infos, ==, 4);
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* Only INBOX exists. */
static void
test_select_other (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  info = missive_store_select_mailbox (fx.store, "Sent", FALSE, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  close_store (&fx);
  fixture_tear_down (&fx);
}

static char *
memory_contents (GOutputStream *sink)
{
  GMemoryOutputStream *mem = G_MEMORY_OUTPUT_STREAM (sink);

  return g_strndup (g_memory_output_stream_get_data (mem),
                    g_memory_output_stream_get_data_size (mem));
}

/* RETR: leading dots are unstuffed, the "." line ends the message, CRLF
 * line ends are kept; progress is reported. */
static void
test_retr_dot_stuffing (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("RETR 1"),
    MT_SEND ("+OK 60 octets\r\nSubject: dots\r\n\r\n..\r\n...two\r\n.x\r\nend\r\n.\r\n"),
    MT_EXPECT ("TOP 1 0"),
    MT_SEND ("+OK\r\nSubject: dots\r\n\r\n.\r\n"),
    MT_EXPECT ("RETR 1"),
    MT_SEND ("+OK 60 octets\r\nSubject: dots\r\n\r\n..\r\n\r\n...two\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) head = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) text = g_memory_output_stream_new_resizable ();
  g_autofree char *body = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *body_text = NULL;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  ASSERT_OK (missive_store_fetch_part (fx.store, 1, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                       0, 0, sink, NULL, &error));
  body = memory_contents (sink);
  g_assert_cmpstr (body, ==, "Subject: dots\r\n\r\n.\r\n..two\r\nx\r\nend\r\n");
  ASSERT_OK (missive_store_fetch_part (fx.store, 1, NULL, MISSIVE_FETCH_PART_FLAGS_HEADERS,
                                       0, 0, head, NULL, &error));
  headers = memory_contents (head);
  g_assert_cmpstr (headers, ==, "Subject: dots\r\n\r\n");
  /* The body only ("TEXT"): the header and its empty line are dropped,
   * the body's own empty lines kept. */
  ASSERT_OK (missive_store_fetch_part (fx.store, 1, "TEXT", MISSIVE_FETCH_PART_FLAGS_NONE,
                                       0, 0, text, NULL, &error));
  body_text = memory_contents (text);
  g_assert_cmpstr (body_text, ==, ".\r\n\r\n..two\r\n");
  g_assert_false (missive_store_fetch_part (fx.store, 1, "1", MISSIVE_FETCH_PART_FLAGS_NONE,
                                            0, 0, text, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* A big message crosses several write pieces. */
static void
test_retr_large (void)
{
  g_autoptr(GString) wire = g_string_new ("+OK\r\n");
  g_autoptr(GString) expected = g_string_new (NULL);
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  GMemoryOutputStream *mem = G_MEMORY_OUTPUT_STREAM (sink);

  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (wire, "%sline %u of a long message with some text\r\n",
                              i % 7 == 0 ? ".." : "", i);
      g_string_append_printf (expected, "%sline %u of a long message with some text\r\n",
                              i % 7 == 0 ? "." : "", i);
    }
  g_string_append (wire, ".\r\n");
  {
    const MissiveTestStep script[] = {
      GREETING, CAPA_PLAIN, LOGIN_STEPS,
      MT_EXPECT ("RETR 2"),
      MT_SEND (wire->str),
      QUIT_STEPS,
    };

    fixture_set_up (&fx, script, NULL);
    open_store (&fx);
    ASSERT_OK (missive_store_fetch_part (fx.store, 2, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                         0, 0, sink, NULL, &error));
    g_assert_cmpuint (g_memory_output_stream_get_data_size (mem), ==, expected->len);
    g_assert_true (memcmp (g_memory_output_stream_get_data (mem), expected->str, expected->len) == 0);
    close_store (&fx);
    fixture_tear_down (&fx);
  }
}

/* -ERR to RETR: SERVER_NO, the connection stays usable. */
static void
test_retr_err (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("RETR 9"),
    MT_SEND ("-ERR no such message\r\n"),
    MT_EXPECT ("NOOP"),
    MT_SEND ("+OK\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  g_assert_false (missive_store_fetch_part (fx.store, 9, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                            0, 0, sink, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "no such message");
  g_clear_error (&error);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (fx.store), NULL, &error));
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* A listing that never ends: the server closes; CONNECTION_LOST. */
static void
test_never_ending_reply (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("LIST"),
    MT_SEND ("+OK\r\n1 100\r\n2 200\r\n"),
    MT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) all = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(GListModel) list = NULL;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  list = missive_store_fetch_summaries (fx.store, all, MISSIVE_FETCH_ITEMS_SIZE, 0, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (fx.store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

/* A line over the reader's limit (64 KiB) in a message. */
static void
test_long_line (void)
{
  g_autofree char *line = g_strnfill (70000, 'x');
  g_autofree char *wire = g_strdup_printf ("+OK\r\nSubject: x\r\n\r\n%s\r\n.\r\n", line);
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("RETR 1"),
    MT_SEND (wire),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  g_assert_false (missive_store_fetch_part (fx.store, 1, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                            0, 0, sink, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (fx.store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

/* The server drops the connection in the middle of RETR (after a DELE:
 * with no QUIT, nothing was deleted, and the error says so clearly). */
static void
test_drop_mid_retr (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("DELE 2"),
    MT_SEND ("+OK message 2 deleted\r\n"),
    MT_EXPECT ("RETR 1"),
    MT_SEND ("+OK\r\nSubject: x\r\n\r\nhalf a mess"),
    MT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(MissiveMessageSet) two = missive_message_set_new_single (2);
  g_autoptr(GListModel) changed = NULL;
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  changed = missive_store_set_flags (fx.store, two, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_store_fetch_part (fx.store, 1, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                            0, 0, sink, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (error->message, "RETR 1"));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (fx.store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

/* DELE for each message, RSET undoes, QUIT commits. */
static void
test_dele_rset_quit (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("DELE 1"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("DELE 3"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("RSET"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("DELE 2"),
    MT_SEND ("-ERR [SYS/TEMP] try later\r\n"),
    MT_EXPECT ("DELE 2"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK 1 message deleted\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1,3", NULL);
  g_autoptr(MissiveMessageSet) two = missive_message_set_new_single (2);
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(GListModel) undone = NULL;
  g_autoptr(GListModel) failed = NULL;
  g_autoptr(GListModel) again = NULL;
  g_autoptr(MissiveMessageInfo) first = NULL;
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };
  const char * const seen[] = { MISSIVE_FLAG_SEEN, NULL };

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  changed = missive_store_set_flags (fx.store, set, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (changed), ==, 2);
  first = g_list_model_get_item (changed, 0);
  g_assert_cmpuint (missive_message_info_get_uid (first), ==, 1);
  g_assert_true (g_strv_contains (missive_message_info_get_flags (first), MISSIVE_FLAG_DELETED));

  undone = missive_store_set_flags (fx.store, set, MISSIVE_FLAG_CHANGE_REMOVE, deleted, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_null (missive_store_set_flags (fx.store, set, MISSIVE_FLAG_CHANGE_ADD, seen, 0, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  failed = missive_store_set_flags (fx.store, two, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "SYS/TEMP");
  g_clear_error (&error);

  again = missive_store_set_flags (fx.store, two, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_store_expunge (fx.store, NULL, NULL, &error));
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* Raw commands: single-line and multi-line replies, -ERR as a reply. */
static void
test_send_command (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("UIDL"),
    MT_SEND ("+OK\r\n1 aaa\r\n..2 dotted\r\n.\r\n"),
    MT_EXPECT ("UIDL 1"),
    MT_SEND ("+OK 1 aaa\r\n"),
    MT_EXPECT ("XTND"),
    MT_SEND ("-ERR [SYS/PERM] unknown\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) multi = NULL;
  g_autoptr(MissiveReply) single = NULL;
  g_autoptr(MissiveReply) err = NULL;
  const char * const *lines;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  multi = missive_service_send_command (MISSIVE_SERVICE (fx.store), "UIDL", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_reply_is_success (multi));
  lines = missive_reply_get_lines (multi);
  g_assert_nonnull (lines);
  g_assert_cmpstr (lines[0], ==, "1 aaa");
  g_assert_cmpstr (lines[1], ==, ".2 dotted");
  g_assert_null (lines[2]);

  single = missive_service_send_command (MISSIVE_SERVICE (fx.store), "UIDL 1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_reply_get_text (single), ==, "1 aaa");

  err = missive_service_send_command (MISSIVE_SERVICE (fx.store), "XTND", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_reply_is_success (err));
  g_assert_cmpstr (missive_reply_get_status (err), ==, "-ERR");
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* STLS before logging in; no STLS offered: STARTTLS_UNAVAILABLE without
 * sending anything. */
static void
test_stls_unavailable (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nUSER\r\n.\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("pop3://127.0.0.1:%u", missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE);
  missive_test_server_finish (server, NULL);
}

static void
test_stls (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nSTLS\r\nX-BEFORE-TLS\r\n.\r\n"),
    MT_EXPECT ("STLS"),
    MT_SEND ("+OK Begin TLS negotiation\r\n"),
    MT_STARTTLS,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nSASL PLAIN\r\n.\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nX-AFTER-TLS\r\n.\r\n"),
    QUIT_STEPS,
  };
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, FALSE);
  g_autofree char *uri = g_strdup_printf ("pop3://127.0.0.1:%u", missive_test_server_get_port (server));
  g_autofree char *ca = missive_test_cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_timeout (service, 20);
  missive_service_set_ca_file (service, ca);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_true (missive_transport_is_tls (missive_service_get_transport (service)));
  g_assert_true (missive_service_has_capability (service, "X-AFTER-TLS"));
  ASSERT_OK (missive_service_close (service, NULL, &error));
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

/* A timestamp without "@" is no APOP timestamp: USER/PASS. */
static void
test_bad_apop_timestamp (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready <1896.697170952>\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("-ERR what?\r\n"),
    LOGIN_STEPS,
    QUIT_STEPS,
  };
  Fixture fx = { 0 };

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* -ERR as the greeting. */
static void
test_greeting_err (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("-ERR [SYS/TEMP] too many connections\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fx, script, NULL);
  g_assert_false (missive_service_open (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "too many connections");
  fixture_tear_down (&fx);
}

/* An initial response that would make the AUTH line longer than 255
 * octets waits for the server's empty challenge (RFC 5034). */
static void
test_auth_long_initial_response (void)
{
  g_autofree char *password = g_strnfill (250, 'p');
  g_autofree char *raw = g_strconcat ("\001user\001", password, NULL);
  g_autofree char *encoded = NULL;
  Fixture fx = { 0 };

  raw[0] = '\0';
  raw[5] = '\0';
  encoded = g_base64_encode ((const guchar *) raw, 6 + strlen (password));
  {
    const MissiveTestStep script[] = {
      GREETING,
      MT_EXPECT ("CAPA"),
      MT_SEND ("+OK\r\nSASL PLAIN\r\n.\r\n"),
      MT_EXPECT ("AUTH PLAIN"),
      MT_SEND ("+ \r\n"),
      MT_EXPECT (encoded),
      MT_SEND ("+OK\r\n"),
      CAPA_PLAIN,
      QUIT_STEPS,
    };

    fixture_set_up (&fx, script, password);
    open_store (&fx);
    close_store (&fx);
    fixture_tear_down (&fx);
  }
}

/* A STAT reply that cannot be read fails the select; the connection
 * stays. A server without UIDL: summaries without UIDLs. */
static void
test_stat_malformed_no_uidl (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("-ERR no CAPA here\r\n"),
    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("-ERR no CAPA here\r\n"),
    MT_EXPECT ("STAT"),
    MT_SEND ("+OK lots of mail\r\n"),
    MT_EXPECT ("STAT"),
    MT_SEND ("+OK 1 10\r\n"),
    MT_EXPECT ("LIST"),
    MT_SEND ("+OK\r\n1 10\r\n.\r\n"),
    MT_EXPECT ("UIDL"),
    MT_SEND ("-ERR unknown command\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) bad = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMessageInfo) m1 = NULL;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  bad = missive_store_select_mailbox (fx.store, "INBOX", FALSE, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  info = missive_store_select_mailbox (fx.store, "inbox", FALSE, NULL, &error);
  g_assert_no_error (error);
  list = missive_store_fetch_summaries (fx.store, all, MISSIVE_FETCH_ITEMS_SIZE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  m1 = g_list_model_get_item (list, 0);
  g_assert_cmpuint (missive_message_info_get_size (m1), ==, 10);
  g_assert_null (missive_message_info_get_uidl (m1));
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* PIPELINING: the DELE and TOP commands go in one flight; a -ERR in the
 * middle is reported after the other replies are read (the connection
 * stays in step). */
static void
test_pipelining (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nUSER\r\n.\r\n"),
    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nPIPELINING\r\n.\r\n"),
    MT_EXPECT ("DELE 1"),
    MT_EXPECT ("DELE 2"),
    MT_EXPECT ("DELE 3"),
    MT_SEND ("+OK\r\n-ERR [SYS/TEMP] busy\r\n+OK\r\n"),
    MT_EXPECT ("LIST"),
    MT_SEND ("+OK\r\n1 10\r\n2 20\r\n.\r\n"),
    MT_EXPECT ("UIDL"),
    MT_SEND ("+OK\r\n1 a\r\n2 b\r\n.\r\n"),
    MT_EXPECT ("TOP 1 0"),
    MT_EXPECT ("TOP 2 0"),
    MT_SEND ("+OK\r\nSubject: one\r\n\r\n.\r\n+OK\r\nSubject: two\r\n\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:3", NULL);
  g_autoptr(MissiveMessageSet) all = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMessageInfo) m2 = NULL;
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  changed = missive_store_set_flags (fx.store, set, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_null (changed);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_clear_error (&error);
  list = missive_store_fetch_summaries (fx.store, all, MISSIVE_FETCH_ITEMS_HEADERS, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  m2 = g_list_model_get_item (list, 1);
  g_assert_cmpstr (missive_message_info_get_header (m2, "Subject"), ==, "two");
  g_assert_cmpstr (missive_message_info_get_uidl (m2), ==, "b");
  close_store (&fx);
  fixture_tear_down (&fx);
}

static void
cancel_on_start (MissiveService *service,
                 const char     *what,
                 guint64         total,
                 GCancellable   *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* A cancelled RETR leaves the connection out of step: the next command
 * fails and the connection is closed rather than misreading the rest of
 * the message as replies. */
static void
test_cancel_retr (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_WAIT_CLOSE,
    MT_END,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gulong id;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  id = g_signal_connect (fx.store, "transfer-started", G_CALLBACK (cancel_on_start), cancellable);
  g_assert_false (missive_store_fetch_part (fx.store, 1, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                            0, 0, sink, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_signal_handler_disconnect (fx.store, id);
  g_assert_false (missive_service_noop (MISSIVE_SERVICE (fx.store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (fx.store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  fixture_tear_down (&fx);
}

/* ---- CAPA: EXPIRE, LOGIN-DELAY, IMPLEMENTATION, UTF8, LANG ---------------------- */

static void
on_int_notify (GObject    *object,
               GParamSpec *pspec,
               GArray     *values)
{
  int value;

  g_object_get (object, pspec->name, &value, NULL);
  g_array_append_val (values, value);
}

/* The announcements before logging in (per-user forms) are replaced by
 * those after; UTF8 goes before the SASL exchange when asked for. */
static void
test_capa_properties (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nSASL PLAIN\r\nEXPIRE 5 USER\r\nLOGIN-DELAY 900 USER\r\n"
             "IMPLEMENTATION Fake  POP3 2.0\r\nUTF8 USER\r\nLANG\r\n.\r\n"),
    MT_EXPECT ("UTF8"),
    MT_SEND ("+OK UTF-8 mode\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("+OK Logged in.\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nexpire never\r\nLOGIN-DELAY 60\r\nIMPLEMENTATION Fake POP3 2.0\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GArray) expire = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) delay = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *implementation = NULL;
  int expire_days, login_delay;
  gboolean expire_per_user, login_delay_per_user, utf8_enabled;

  fixture_set_up (&fx, script, NULL);
  g_object_get (fx.store, "expire-days", &expire_days, "login-delay", &login_delay,
                "utf8-enabled", &utf8_enabled, "implementation", &implementation, NULL);
  g_assert_cmpint (expire_days, ==, -1);
  g_assert_cmpint (login_delay, ==, -1);
  g_assert_false (utf8_enabled);
  g_assert_null (implementation);
  g_object_set (fx.store, "utf8", TRUE, NULL);
  g_signal_connect (fx.store, "notify::expire-days", G_CALLBACK (on_int_notify), expire);
  g_signal_connect (fx.store, "notify::login-delay", G_CALLBACK (on_int_notify), delay);
  open_store (&fx);

  g_assert_cmpuint (expire->len, ==, 2);
  g_assert_cmpint (g_array_index (expire, int, 0), ==, 5);
  g_assert_cmpint (g_array_index (expire, int, 1), ==, G_MAXINT);
  g_assert_cmpuint (delay->len, ==, 2);
  g_assert_cmpint (g_array_index (delay, int, 0), ==, 900);
  g_assert_cmpint (g_array_index (delay, int, 1), ==, 60);
  g_object_get (fx.store, "expire-days", &expire_days, "expire-per-user", &expire_per_user,
                "login-delay", &login_delay, "login-delay-per-user", &login_delay_per_user,
                "utf8-enabled", &utf8_enabled, "implementation", &implementation, NULL);
  g_assert_cmpint (expire_days, ==, G_MAXINT);
  g_assert_false (expire_per_user);
  g_assert_cmpint (login_delay, ==, 60);
  g_assert_false (login_delay_per_user);
  g_assert_true (utf8_enabled);
  g_assert_cmpstr (implementation, ==, "Fake POP3 2.0");
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* Per-user forms kept as such; a value that cannot be read counts as
 * none; UTF8 is not sent unless asked for, even when offered. */
static void
test_capa_per_user (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nUSER\r\nEXPIRE 0 USER\r\nLOGIN-DELAY soon\r\nUTF8\r\n.\r\n"),
    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nEXPIRE 0 USER\r\nLOGIN-DELAY 300 USER\r\nUTF8\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  int expire_days, login_delay;
  gboolean expire_per_user, login_delay_per_user, utf8_enabled;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  g_object_get (fx.store, "expire-days", &expire_days, "expire-per-user", &expire_per_user,
                "login-delay", &login_delay, "login-delay-per-user", &login_delay_per_user,
                "utf8-enabled", &utf8_enabled, NULL);
  g_assert_cmpint (expire_days, ==, 0);
  g_assert_true (expire_per_user);
  g_assert_cmpint (login_delay, ==, 300);
  g_assert_true (login_delay_per_user);
  g_assert_false (utf8_enabled);
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* UTF8 refused: the login goes on with USER/PASS; CAPA without EXPIRE
 * resets what the first one said. */
static void
test_utf8_refused (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nUSER\r\nUTF8\r\nEXPIRE 30\r\n.\r\n"),
    MT_EXPECT ("UTF8"),
    MT_SEND ("-ERR not today\r\n"),
    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("+OK\r\nUSER\r\n.\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  int expire_days;
  gboolean utf8_enabled;

  fixture_set_up (&fx, script, NULL);
  g_object_set (fx.store, "utf8", TRUE, NULL);
  open_store (&fx);
  g_object_get (fx.store, "expire-days", &expire_days, "utf8-enabled", &utf8_enabled, NULL);
  g_assert_cmpint (expire_days, ==, -1);
  g_assert_false (utf8_enabled);
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* LANG through send_command: the list is multi-line, choosing one is not. */
static void
test_lang (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("LANG"),
    MT_SEND ("+OK Language listing follows\r\nen English\r\nfr Fran\xc3\xa7" "ais\r\n.\r\n"),
    MT_EXPECT ("LANG fr"),
    MT_SEND ("+OK Bonjour\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) list = NULL;
  g_autoptr(MissiveReply) chosen = NULL;
  const char * const *lines;

  fixture_set_up (&fx, script, NULL);
  open_store (&fx);
  list = missive_service_send_command (MISSIVE_SERVICE (fx.store), "LANG", NULL, &error);
  g_assert_no_error (error);
  lines = missive_reply_get_lines (list);
  g_assert_nonnull (lines);
  g_assert_cmpstr (lines[0], ==, "en English");
  g_assert_cmpstr (lines[1], ==, "fr Fran\xc3\xa7" "ais");
  g_assert_null (lines[2]);
  chosen = missive_service_send_command (MISSIVE_SERVICE (fx.store), "LANG fr", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_reply_is_success (chosen));
  g_assert_cmpstr (missive_reply_get_text (chosen), ==, "Bonjour");
  close_store (&fx);
  fixture_tear_down (&fx);
}

/* max-lines: TOP n N for whole-message fetches, TOP n 0 for headers
 * whatever it says, RETR again at -1. */
static void
test_max_lines (void)
{
  const MissiveTestStep script[] = {
    GREETING, CAPA_PLAIN, LOGIN_STEPS,
    MT_EXPECT ("TOP 1 2"),
    MT_SEND ("+OK\r\nSubject: x\r\n\r\none\r\n..two\r\n.\r\n"),
    MT_EXPECT ("TOP 1 0"),
    MT_SEND ("+OK\r\nSubject: x\r\n\r\n.\r\n"),
    MT_EXPECT ("TOP 2 0"),
    MT_SEND ("+OK\r\nSubject: y\r\n\r\n.\r\n"),
    MT_EXPECT ("RETR 1"),
    MT_SEND ("+OK\r\nSubject: x\r\n\r\none\r\n..two\r\nthree\r\n.\r\n"),
    MT_EXPECT ("TOP 3 5"),
    MT_SEND ("-ERR no such message\r\n"),
    QUIT_STEPS,
  };
  Fixture fx = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) top = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) head = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zero = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) whole = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) none = g_memory_output_stream_new_resizable ();
  g_autofree char *top_text = NULL;
  g_autofree char *head_text = NULL;
  g_autofree char *whole_text = NULL;
  int max_lines;

  fixture_set_up (&fx, script, NULL);
  g_object_get (fx.store, "max-lines", &max_lines, NULL);
  g_assert_cmpint (max_lines, ==, -1);
  open_store (&fx);
  g_object_set (fx.store, "max-lines", 2, NULL);
  ASSERT_OK (missive_store_fetch_message (fx.store, 1, top, NULL, &error));
  top_text = memory_contents (top);
  g_assert_cmpstr (top_text, ==, "Subject: x\r\n\r\none\r\n.two\r\n");
  ASSERT_OK (missive_store_fetch_part (fx.store, 1, NULL, MISSIVE_FETCH_PART_FLAGS_HEADERS,
                                       0, 0, head, NULL, &error));
  head_text = memory_contents (head);
  g_assert_cmpstr (head_text, ==, "Subject: x\r\n\r\n");
  g_object_set (fx.store, "max-lines", 0, NULL);
  ASSERT_OK (missive_store_fetch_message (fx.store, 2, zero, NULL, &error));
  g_object_set (fx.store, "max-lines", -1, NULL);
  ASSERT_OK (missive_store_fetch_message (fx.store, 1, whole, NULL, &error));
  whole_text = memory_contents (whole);
  g_assert_cmpstr (whole_text, ==, "Subject: x\r\n\r\none\r\n.two\r\nthree\r\n");
  g_object_set (fx.store, "max-lines", 5, NULL);
  g_assert_false (missive_store_fetch_message (fx.store, 3, none, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_clear_error (&error);
  close_store (&fx);
  fixture_tear_down (&fx);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/pop3/connect/user-pass", test_user_pass);
  g_test_add_func ("/pop3/connect/auth-plain", test_auth_plain);
  g_test_add_func ("/pop3/connect/auth-challenges", test_auth_login_challenges);
  g_test_add_func ("/pop3/connect/login-failed", test_login_failed);
  g_test_add_func ("/pop3/connect/login-in-use", test_login_in_use);
  g_test_add_func ("/pop3/connect/apop", test_apop);
  g_test_add_func ("/pop3/connect/greeting-garbage", test_greeting_garbage);
  g_test_add_func ("/pop3/connect/stls", test_stls);
  g_test_add_func ("/pop3/connect/stls-unavailable", test_stls_unavailable);
  g_test_add_func ("/pop3/store/stat-list-uidl", test_stat_list_uidl);
  g_test_add_func ("/pop3/store/select-other", test_select_other);
  g_test_add_func ("/pop3/store/retr-dot-stuffing", test_retr_dot_stuffing);
  g_test_add_func ("/pop3/store/retr-large", test_retr_large);
  g_test_add_func ("/pop3/store/retr-err", test_retr_err);
  g_test_add_func ("/pop3/store/never-ending-reply", test_never_ending_reply);
  g_test_add_func ("/pop3/store/long-line", test_long_line);
  g_test_add_func ("/pop3/store/drop-mid-retr", test_drop_mid_retr);
  g_test_add_func ("/pop3/store/dele-rset-quit", test_dele_rset_quit);
  g_test_add_func ("/pop3/raw/send-command", test_send_command);
  g_test_add_func ("/pop3/store/pipelining", test_pipelining);
  g_test_add_func ("/pop3/store/cancel-retr", test_cancel_retr);
  g_test_add_func ("/pop3/connect/bad-apop-timestamp", test_bad_apop_timestamp);
  g_test_add_func ("/pop3/connect/greeting-err", test_greeting_err);
  g_test_add_func ("/pop3/connect/auth-long-initial-response", test_auth_long_initial_response);
  g_test_add_func ("/pop3/store/stat-malformed-no-uidl", test_stat_malformed_no_uidl);
  g_test_add_func ("/pop3/capa/properties", test_capa_properties);
  g_test_add_func ("/pop3/capa/per-user", test_capa_per_user);
  g_test_add_func ("/pop3/capa/utf8-refused", test_utf8_refused);
  g_test_add_func ("/pop3/raw/lang", test_lang);
  g_test_add_func ("/pop3/store/max-lines", test_max_lines);

  return g_test_run ();
}
