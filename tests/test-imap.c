/* test-imap.c: the IMAP plugin's connection, command engine and mailbox
 * operations, through the engine, against scripted fake servers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

/* base64 ("\0user\0secret") */
#define PLAIN_IR "AHVzZXIAc2VjcmV0"

/* ---- recording what the store does ---------------------------------------- */

typedef struct
{
  GPtrArray *sent;      /* lines the client sent, as traced (masked) */
  GPtrArray *received;  /* lines received */
  GPtrArray *info;      /* notes of the trace */
  GPtrArray *warnings;  /* GError */
  GPtrArray *changes;   /* "mailbox what number" */
  GPtrArray *listed;    /* names from mailbox-listed */
} Recorder;

static void
on_trace (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          Recorder              *rec)
{
  if (direction == MISSIVE_TRACE_SENT)
    g_ptr_array_add (rec->sent, g_strdup (line));
  else if (direction == MISSIVE_TRACE_RECEIVED)
    g_ptr_array_add (rec->received, g_strdup (line));
  else
    g_ptr_array_add (rec->info, g_strdup (line));
}

static void
on_warning (MissiveService *service,
            const GError   *error,
            Recorder       *rec)
{
  g_ptr_array_add (rec->warnings, g_error_copy (error));
}

static void
on_mailbox_changed (MissiveStore *store,
                    const char   *mailbox,
                    const char   *what,
                    guint         number,
                    Recorder     *rec)
{
  g_ptr_array_add (rec->changes, g_strdup_printf ("%s %s %u", mailbox, what, number));
}

static void
on_mailbox_listed (MissiveStore       *store,
                   MissiveMailboxInfo *info,
                   Recorder           *rec)
{
  g_ptr_array_add (rec->listed, g_strdup (missive_mailbox_info_get_name (info)));
}

static Recorder *
recorder_new (MissiveService *service)
{
  Recorder *rec = g_new0 (Recorder, 1);

  rec->sent = g_ptr_array_new_with_free_func (g_free);
  rec->received = g_ptr_array_new_with_free_func (g_free);
  rec->info = g_ptr_array_new_with_free_func (g_free);
  rec->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  rec->changes = g_ptr_array_new_with_free_func (g_free);
  rec->listed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), rec);
  g_signal_connect (service, "warning", G_CALLBACK (on_warning), rec);
  g_signal_connect (service, "mailbox-changed", G_CALLBACK (on_mailbox_changed), rec);
  g_signal_connect (service, "mailbox-listed", G_CALLBACK (on_mailbox_listed), rec);
  return rec;
}

static void
recorder_free (Recorder *rec)
{
  g_ptr_array_unref (rec->sent);
  g_ptr_array_unref (rec->received);
  g_ptr_array_unref (rec->info);
  g_ptr_array_unref (rec->warnings);
  g_ptr_array_unref (rec->changes);
  g_ptr_array_unref (rec->listed);
  g_free (rec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* The lines sent, joined with "|". */
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

static gboolean
any_contains (GPtrArray  *lines,
              const char *needle)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (lines->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- helpers -------------------------------------------------------------- */

/* Checks the error first, so that a failure shows its message. */
#define ASSERT_OK(expr) G_STMT_START { \
    gboolean ok_ = (expr); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

static void
print_trace (MissiveService        *service,
             MissiveTraceDirection  direction,
             const char            *line,
             gpointer               user_data)
{
  g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" :
                         direction == MISSIVE_TRACE_RECEIVED ? "S:" : "  ", line);
}

static MissiveStore *
new_store (MissiveTestServer *server,
           const char        *security)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("imap://127.0.0.1:%u?security=%s",
                                          missive_test_server_get_port (server), security);
  MissiveService *service;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_STORE (service));
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (service), ==, "MissiveImapStore");
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_timeout (service, 20);
  if (g_test_verbose ())
    g_signal_connect (service, "protocol-trace", G_CALLBACK (print_trace), NULL);
  return MISSIVE_STORE (service);
}

static void
assert_server_ok (MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;

  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

static void
close_store (MissiveStore *store)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}

/* The usual end of a script: LOGOUT as command number @n. */
#define LOGOUT_STEPS(tag) \
  MT_EXPECT (tag " LOGOUT"), \
  MT_SEND ("* BYE Logging out\r\n" tag " OK Logout completed.\r\n"), \
  MT_WAIT_CLOSE, \
  MT_END

/* ---- connecting ------------------------------------------------------------ */

/* The capabilities come with the greeting and with the tagged OK of
 * AUTHENTICATE: no CAPABILITY round trip; SASL-IR puts PLAIN's response on
 * the command line; ID and ENABLE follow the login. */
static void
test_greeting_capability (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS AUTH=PLAIN] Dovecot ready.\r\n"),
    MT_EXPECT ("A0001 AUTHENTICATE PLAIN " PLAIN_IR),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 ID ENABLE CONDSTORE UTF8=ACCEPT IDLE] Logged in\r\n"),
    MT_EXPECT ("A0002 ID (\"name\" \"Missive\" \"version\" \"" PACKAGE_VERSION "\")"),
    MT_SEND ("* ID (\"name\" \"Dovecot\")\r\nA0002 OK ID completed.\r\n"),
    MT_EXPECT ("A0003 ENABLE CONDSTORE UTF8=ACCEPT"),
    MT_SEND ("* ENABLED CONDSTORE UTF8=ACCEPT\r\nA0003 OK Enabled.\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (store)), ==, "PLAIN");
  /* The capabilities after login replaced those of the greeting. */
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "IDLE"));
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (store), "SASL-IR"));
  close_store (store);
  assert_server_ok (server);

  sent = joined (rec->sent);
  g_assert_cmpstr (sent, ==,
                   "A0001 AUTHENTICATE PLAIN ****|"
                   "A0002 ID (\"name\" \"Missive\" \"version\" \"" PACKAGE_VERSION "\")|"
                   "A0003 ENABLE CONDSTORE UTF8=ACCEPT|A0004 LOGOUT");
  g_assert_cmpuint (rec->warnings->len, ==, 0);
  /* The quirks table recognised the server. */
  g_assert_true (any_contains (rec->info, "Server recognised as Dovecot"));
}

/* No capabilities in the greeting: CAPABILITY is asked; no SASL-IR: PLAIN
 * waits for the empty challenge; no code after login: CAPABILITY again;
 * send-id off: no ID. */
static void
test_capability_command (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK IMAP server ready\r\n"),
    MT_EXPECT ("A0001 CAPABILITY"),
    MT_SEND ("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA0001 OK done\r\n"),
    MT_EXPECT ("A0002 AUTHENTICATE PLAIN"),
    MT_SEND ("+ \r\n"),
    MT_EXPECT (PLAIN_IR),
    MT_SEND ("A0002 OK Logged in\r\n"),
    MT_EXPECT ("A0003 CAPABILITY"),
    MT_SEND ("* CAPABILITY IMAP4rev1 ID X-AFTER-LOGIN\r\nA0003 OK done\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  g_object_set (store, "send-id", FALSE, NULL);
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "X-AFTER-LOGIN"));
  close_store (store);
  assert_server_ok (server);

  /* The SASL response is masked in the trace. */
  sent = joined (rec->sent);
  g_assert_cmpstr (sent, ==, "A0001 CAPABILITY|A0002 AUTHENTICATE PLAIN|****|A0003 CAPABILITY|A0004 LOGOUT");
}

static void
test_greeting_preauth (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH [CAPABILITY IMAP4rev1 IDLE] Logged in as user\r\n"),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("A0001 OK NOOP completed\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_null (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (store)));
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

static void
test_greeting_bye (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* BYE [UNAVAILABLE] Too many connections from your IP\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "Too many connections from your IP"));
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "Too many connections from your IP");
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "UNAVAILABLE");
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
}

static void
test_greeting_garbage (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("HTTP/1.1 400 Bad Request\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
}

static void
test_starttls (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED X-BEFORE-TLS] ready\r\n"),
    MT_EXPECT ("A0001 STARTTLS"),
    MT_SEND ("A0001 OK Begin TLS negotiation now\r\n"),
    MT_STARTTLS,
    MT_EXPECT ("A0002 CAPABILITY"),
    MT_SEND ("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA0002 OK done\r\n"),
    MT_EXPECT ("A0003 AUTHENTICATE PLAIN"),
    MT_SEND ("+ \r\n"),
    MT_EXPECT (PLAIN_IR),
    MT_SEND ("A0003 OK [CAPABILITY IMAP4rev1 X-AFTER-TLS] Logged in\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "starttls");
  g_autofree char *ca = missive_test_cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;

  /* PLAIN over TLS needs no permission. */
  missive_service_set_allow_plaintext_auth (MISSIVE_SERVICE (store), FALSE);
  missive_service_set_ca_file (MISSIVE_SERVICE (store), ca);
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_true (missive_transport_is_tls (missive_service_get_transport (MISSIVE_SERVICE (store))));
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "X-AFTER-TLS"));
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (store), "X-BEFORE-TLS"));
  close_store (store);
  assert_server_ok (server);
}

/* A password with a space and a quote goes as a quoted string with the
 * quote escaped; the trace hides it. */
static void
test_login_quoting (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1] ready\r\n"),
    MT_EXPECT ("A0001 LOGIN user \"pa ss\\\"word\\\\\""),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 NAMESPACE] Logged in\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;

  missive_service_set_password (MISSIVE_SERVICE (store), "pa ss\"word\\");
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "NAMESPACE"));
  close_store (store);
  assert_server_ok (server);

  g_assert_cmpstr (rec->sent->pdata[0], ==, "A0001 LOGIN user ****");
  g_assert_false (any_contains (rec->sent, "word"));
}

/* A user name with 8-bit characters goes as a synchronising literal:
 * the engine waits for "+" before sending it. */
static void
test_login_literal (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1] ready\r\n"),
    MT_EXPECT ("A0001 LOGIN {5}"),
    MT_SEND ("+ go ahead\r\n"),
    MT_EXPECT ("j\xc3\xb6rg secret"),
    MT_SEND ("A0001 OK Logged in\r\n"),
    MT_EXPECT ("A0002 CAPABILITY"),
    MT_SEND ("* CAPABILITY IMAP4rev1\r\nA0002 OK done\r\n"),
    LOGOUT_STEPS ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  missive_service_set_username (MISSIVE_SERVICE (store), "j\xc3\xb6rg");
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

static void
test_login_failed (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1] ready\r\n"),
    MT_EXPECT_PREFIX ("A0001 LOGIN user "),
    MT_SEND ("A0001 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (error->message, "Authentication failed."));
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "Authentication failed.");
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "AUTHENTICATIONFAILED");
  assert_server_ok (server);
}

static void
test_authenticate_failed (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n"),
    MT_EXPECT ("A0001 AUTHENTICATE PLAIN " PLAIN_IR),
    MT_SEND ("A0001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "Invalid credentials (Failure)");
  assert_server_ok (server);
}

static void
test_login_disabled (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "LOGINDISABLED"));
  assert_server_ok (server);
}

/* ---- the engine ------------------------------------------------------------ */

#define PREAUTH "* PREAUTH [CAPABILITY IMAP4rev1 UNSELECT] ready\r\n"

static MissiveStore *
open_preauth (MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;
  MissiveStore *store = new_store (server, "none");

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  return store;
}

typedef struct
{
  guint pending;
  GPtrArray *order;
  GError *errors[4];
} Pipeline;

static void
pipeline_noop_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Pipeline *p = user_data;
  guint index = p->order->len;

  missive_service_noop_finish (MISSIVE_SERVICE (source), result, &p->errors[index]);
  g_ptr_array_add (p->order, GUINT_TO_POINTER (index));
  p->pending--;
}

/* Two commands are written before the first reply: the server reads both
 * lines before it answers anything. */
static void
test_pipelining (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_EXPECT ("A0002 NOOP"),
    MT_EXPECT ("A0003 NOOP"),
    MT_SEND ("* 3 EXISTS\r\nA0001 OK first\r\nA0002 NO [SERVERBUG] second\r\nA0003 OK third\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  Pipeline p = { 0, };

  p.order = g_ptr_array_new ();
  for (guint i = 0; i < 3; i++)
    {
      missive_service_noop_async (MISSIVE_SERVICE (store), G_PRIORITY_DEFAULT, NULL,
                                  pipeline_noop_cb, &p);
      p.pending++;
    }
  while (p.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (p.errors[0]);
  g_assert_error (p.errors[1], MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_response_code (p.errors[1]), ==, "SERVERBUG");
  g_assert_no_error (p.errors[2]);
  g_clear_error (&p.errors[1]);
  g_ptr_array_unref (p.order);

  close_store (store);
  assert_server_ok (server);
}

/* Unknown untagged responses are ignored; an [ALERT] becomes a warning. */
static void
test_unknown_untagged (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("* XUNKNOWN foo (bar \"baz\" {3}\r\nqux)\r\n"
             "* 12 XWHATEVER\r\n"
             "* OK [ALERT] System going down in 10 minutes\r\n"
             "* OK [XVENDOR 1 2] vendor code\r\n"
             "A0001 OK NOOP completed\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpuint (rec->warnings->len, ==, 1);
  g_assert_cmpstr (missive_error_get_response_code (rec->warnings->pdata[0]), ==, "ALERT");
  g_assert_cmpstr (missive_error_get_server_text (rec->warnings->pdata[0]), ==,
                   "System going down in 10 minutes");
  close_store (store);
  assert_server_ok (server);
}

static void
test_server_no_bad (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 CREATE Archive"),
    MT_SEND ("A0001 NO [ALREADYEXISTS] Mailbox already exists\r\n"),
    MT_EXPECT ("A0002 DELETE Archive"),
    MT_SEND ("A0002 BAD [CLIENTBUG] Invalid arguments\r\n"),
    MT_EXPECT ("A0003 RENAME Archive Old"),
    MT_SEND ("A0003 NO\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_store_create_mailbox (store, "Archive", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "ALREADYEXISTS");
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "Mailbox already exists");
  g_clear_error (&error);

  g_assert_false (missive_store_delete_mailbox (store, "Archive", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_BAD);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "CLIENTBUG");
  g_clear_error (&error);

  /* No text at all still gives a message. */
  g_assert_false (missive_store_rename_mailbox (store, "Archive", "Old", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  /* Still connected. */
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  close_store (store);
  assert_server_ok (server);
}

/* A fatal event in the middle of a command: the command fails with a
 * clear error and the service is disconnected. */
static void
run_fatal (const MissiveTestStep *script,
           int                    code,
           const char            *message_part)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, code);
  if (message_part != NULL)
    g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_clear_error (&error);

  /* Nothing more can be sent on the old connection. */
  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  assert_server_ok (server);
}

static void
test_bye_in_command (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("* 4 EXISTS\r\n* BYE Server shutting down\r\n"),
    MT_CLOSE,
    MT_END,
  };

  run_fatal (script, MISSIVE_ERROR_CONNECTION_LOST, "Server shutting down");
}

static void
test_drop_mid_literal (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("* 1 FETCH (UID 7 BODY[] {100}\r\nFrom: a@b\r\n"),
    MT_CLOSE,
    MT_END,
  };

  run_fatal (script, MISSIVE_ERROR_CONNECTION_LOST, NULL);
}

static void
test_drop_mid_line (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("* 1 FETCH (UID"),
    MT_CLOSE,
    MT_END,
  };

  run_fatal (script, MISSIVE_ERROR_CONNECTION_LOST, NULL);
}

static void
test_unknown_tag (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("B0042 OK done\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };

  run_fatal (script, MISSIVE_ERROR_PROTOCOL, "B0042");
}

static void
test_long_line (void)
{
  g_autofree char *huge = NULL;
  g_autofree char *line = NULL;

  huge = g_strnfill (70 * 1024, 'x');
  line = g_strconcat ("* OK ", huge, "\r\n", NULL);
  {
    const MissiveTestStep script[] = {
      MT_SEND (PREAUTH),
      MT_EXPECT ("A0001 NOOP"),
      MT_SEND (line),
      MT_WAIT_CLOSE,
      MT_END,
    };

    run_fatal (script, MISSIVE_ERROR_LINE_TOO_LONG, NULL);
  }
}

/* A tagged response that cannot be parsed fails its command only: the
 * stream is still in step and the next command works. */
static void
test_unparsable_tagged (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 STATUS INBOX (MESSAGES)"),
    MT_SEND ("* STATUS INBOX (MESSAGES 3)\r\nA0001 WHATEVER (((\r\n"),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("A0002 OK NOOP completed\r\n"),
    LOGOUT_STEPS ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) reply = NULL;

  reply = missive_service_send_command (MISSIVE_SERVICE (store), "STATUS INBOX (MESSAGES)", NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);

  /* Only that command failed: the connection is still in step. */
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

static void
test_send_command (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 STATUS INBOX (MESSAGES UNSEEN)"),
    MT_SEND ("* STATUS INBOX (MESSAGES 3 UNSEEN 1)\r\n* 2 EXISTS\r\nA0001 OK [XCODE] Status done\r\n"),
    MT_EXPECT ("A0002 GETQUOTAROOT INBOX"),
    MT_SEND ("A0002 NO [NONEXISTENT] No quota\r\n"),
    MT_EXPECT ("A0003 XLITERAL"),
    MT_SEND ("* XLITERAL {5}\r\nab\r\nc\r\nA0003 OK\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) reply = NULL;
  g_autoptr(MissiveReply) refused = NULL;
  g_autoptr(MissiveReply) literal = NULL;
  const char * const *lines;

  reply = missive_service_send_command (MISSIVE_SERVICE (store), "STATUS INBOX (MESSAGES UNSEEN)",
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_reply_is_success (reply));
  g_assert_cmpstr (missive_reply_get_status (reply), ==, "OK");
  g_assert_cmpstr (missive_reply_get_text (reply), ==, "[XCODE] Status done");
  lines = missive_reply_get_lines (reply);
  g_assert_cmpuint (g_strv_length ((char **) lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, "* STATUS INBOX (MESSAGES 3 UNSEEN 1)");
  g_assert_cmpstr (lines[1], ==, "* 2 EXISTS");

  refused = missive_service_send_command (MISSIVE_SERVICE (store), "GETQUOTAROOT INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_reply_is_success (refused));
  g_assert_cmpstr (missive_reply_get_status (refused), ==, "NO");
  g_assert_cmpstr (missive_reply_get_text (refused), ==, "[NONEXISTENT] No quota");

  literal = missive_service_send_command (MISSIVE_SERVICE (store), "XLITERAL", NULL, &error);
  g_assert_no_error (error);
  lines = missive_reply_get_lines (literal);
  g_assert_cmpstr (lines[0], ==, "* XLITERAL {5}\r\nab\r\nc");

  /* Lines that cannot be raw commands are refused before sending. */
  g_assert_null (missive_service_send_command (MISSIVE_SERVICE (store), "IDLE", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_service_send_command (MISSIVE_SERVICE (store), "APPEND INBOX {5}", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  close_store (store);
  assert_server_ok (server);
}

/* ---- mailboxes -------------------------------------------------------------- */

static void
test_list_utf7 (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 LIST \"\" \"*\""),
    MT_SEND ("* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
             "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Entw&APw-rfe\"\r\n"
             "* LIST (\\HasChildren) \"/\" \"R&AOk-sum&AOk- &- Co\"\r\n"
             "* LIST (\\Noselect) \"/\" {6}\r\nA &- B\r\n"
             "A0001 OK LIST completed\r\n"),
    MT_EXPECT ("A0002 CREATE \"Entw&APw-rfe &- Co\""),
    MT_SEND ("A0002 OK created\r\n"),
    MT_EXPECT ("A0003 SUBSCRIBE INBOX"),
    MT_SEND ("A0003 OK done\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMailboxInfo) drafts = NULL;
  const char *expected[] = { "INBOX", "Entw\xc3\xbcrfe", "R\xc3\xa9sum\xc3\xa9 & Co", "A & B" };

  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (list, i);

      g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, expected[i]);
      g_assert_cmpstr (rec->listed->pdata[i], ==, expected[i]);
    }
  drafts = g_list_model_get_item (list, 1);
  g_assert_cmpstr (missive_mailbox_info_get_separator (drafts), ==, "/");
  g_assert_cmpstr (missive_mailbox_info_get_special_use (drafts), ==, "\\Drafts");

  ASSERT_OK (missive_store_create_mailbox (store, "Entw\xc3\xbcrfe & Co", NULL, &error));
  /* INBOX in any case is INBOX. */
  ASSERT_OK (missive_store_subscribe_mailbox (store, "inbox", TRUE, NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

/* LIST-EXTENDED + LIST-STATUS: one command brings the counters. */
static void
test_list_status (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH [CAPABILITY IMAP4rev1 LIST-EXTENDED LIST-STATUS SPECIAL-USE] ready\r\n"),
    MT_EXPECT ("A0001 LIST \"\" \"*\" RETURN (SPECIAL-USE SUBSCRIBED "
               "STATUS (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT))"),
    MT_SEND ("* LIST (\\Subscribed) \".\" INBOX\r\n"
             "* STATUS INBOX (MESSAGES 17 UNSEEN 16 UIDNEXT 18 UIDVALIDITY 1 RECENT 0)\r\n"
             "* LIST (\\Sent) \".\" Sent\r\n"
             "* STATUS Sent (MESSAGES 2 UNSEEN 0 UIDNEXT 3 UIDVALIDITY 1 RECENT 0)\r\n"
             "A0001 OK done\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMailboxInfo) inbox = NULL;
  g_autoptr(MissiveMailboxInfo) sent = NULL;

  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_STATUS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  inbox = g_list_model_get_item (list, 0);
  sent = g_list_model_get_item (list, 1);
  g_assert_cmpuint (missive_mailbox_info_get_messages (inbox), ==, 17);
  g_assert_cmpuint (missive_mailbox_info_get_unseen (inbox), ==, 16);
  g_assert_true (missive_mailbox_info_get_subscribed (inbox));
  g_assert_cmpuint (missive_mailbox_info_get_messages (sent), ==, 2);
  g_assert_cmpstr (missive_mailbox_info_get_special_use (sent), ==, "\\Sent");
  g_assert_cmpuint (rec->listed->len, ==, 2);
  close_store (store);
  assert_server_ok (server);
}

/* Without LIST-STATUS: one STATUS per selectable mailbox, pipelined. */
static void
test_list_status_fallback (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 LSUB \"\" \"%\""),
    MT_SEND ("* LSUB () \"/\" INBOX\r\n"
             "* LSUB (\\Noselect) \"/\" Lists\r\n"
             "* LSUB () \"/\" Work\r\n"
             "A0001 OK done\r\n"),
    MT_EXPECT ("A0002 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)"),
    MT_EXPECT ("A0003 STATUS Work (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)"),
    MT_SEND ("* STATUS Work (MESSAGES 5 UNSEEN 2)\r\n"
             "* STATUS INBOX (MESSAGES 9 UNSEEN 1)\r\n"
             "A0002 OK done\r\n"
             "A0003 OK done\r\n"),
    LOGOUT_STEPS ("A0004"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMailboxInfo) inbox = NULL;
  g_autoptr(MissiveMailboxInfo) lists = NULL;
  g_autoptr(MissiveMailboxInfo) work = NULL;

  list = missive_store_list_mailboxes (store, "%",
                                       MISSIVE_LIST_FLAGS_STATUS | MISSIVE_LIST_FLAGS_SUBSCRIBED,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  inbox = g_list_model_get_item (list, 0);
  lists = g_list_model_get_item (list, 1);
  work = g_list_model_get_item (list, 2);
  g_assert_cmpuint (missive_mailbox_info_get_messages (inbox), ==, 9);
  g_assert_cmpuint (missive_mailbox_info_get_messages (work), ==, 5);
  g_assert_cmpuint (missive_mailbox_info_get_unseen (work), ==, 2);
  g_assert_true (missive_mailbox_info_get_subscribed (work));
  g_assert_cmpuint (missive_mailbox_info_get_messages (lists), ==, 0);
  close_store (store);
  assert_server_ok (server);
}

static void
test_mailbox_status (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH [CAPABILITY IMAP4rev1 STATUS=SIZE CONDSTORE] ready\r\n"),
    MT_EXPECT ("A0001 STATUS Entw&APw-rfe (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT SIZE HIGHESTMODSEQ)"),
    MT_SEND ("* STATUS \"Entw&APw-rfe\" (MESSAGES 4 UIDNEXT 10 UIDVALIDITY 77 UNSEEN 1 RECENT 0 "
             "SIZE 12345 HIGHESTMODSEQ 900000000000)\r\n"
             "A0001 OK done\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;

  info = missive_store_get_mailbox_status (store, "Entw\xc3\xbcrfe", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "Entw\xc3\xbcrfe");
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 4);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 10);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 77);
  g_assert_cmpuint (missive_mailbox_info_get_size (info), ==, 12345);
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), ==, G_GUINT64_CONSTANT (900000000000));
  close_store (store);
  assert_server_ok (server);
}

static void
test_select (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 SELECT INBOX"),
    MT_SEND ("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
             "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
             "* 172 EXISTS\r\n"
             "* 1 RECENT\r\n"
             "* OK [UNSEEN 12] Message 12 is first unseen\r\n"
             "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
             "* OK [UIDNEXT 4392] Predicted next UID\r\n"
             "A0001 OK [READ-WRITE] SELECT completed\r\n"),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("* 173 EXISTS\r\n* 3 EXPUNGE\r\n* 5 FETCH (FLAGS (\\Seen))\r\n"
             "* OK [UIDNEXT 4400] later\r\nA0002 OK done\r\n"),
    MT_EXPECT ("A0003 UNSELECT"),
    MT_SEND ("A0003 OK Returned to authenticated state\r\n"),
    MT_EXPECT ("A0004 EXAMINE Archive"),
    MT_SEND ("* 2 EXISTS\r\nA0004 OK [READ-ONLY] EXAMINE completed\r\n"),
    MT_EXPECT ("A0005 SELECT Missing"),
    MT_SEND ("A0005 NO [NONEXISTENT] Mailbox doesn't exist\r\n"),
    LOGOUT_STEPS ("A0006"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMailboxInfo) archive = NULL;
  g_autoptr(MissiveMailboxInfo) missing = NULL;
  g_autofree char *changes = NULL;

  info = missive_store_select_mailbox (store, "inbox", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "INBOX");
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 172);
  g_assert_cmpuint (missive_mailbox_info_get_recent (info), ==, 1);
  g_assert_cmpuint (missive_mailbox_info_get_first_unseen (info), ==, 12);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 3857529045u);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 4392);
  g_assert_false (missive_mailbox_info_get_read_only (info));
  g_assert_cmpuint (g_strv_length ((char **) missive_mailbox_info_get_flags (info)), ==, 5);
  g_assert_cmpuint (g_strv_length ((char **) missive_mailbox_info_get_permanent_flags (info)), ==, 3);

  /* News along with another command. */
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  changes = joined (rec->changes);
  g_assert_cmpstr (changes, ==, "INBOX exists 173|INBOX expunge 3|INBOX fetch 5");
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 172);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 4400);

  ASSERT_OK (missive_store_close_mailbox (store, FALSE, NULL, &error));

  archive = missive_store_select_mailbox (store, "Archive", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_mailbox_info_get_read_only (archive));
  g_assert_cmpuint (missive_mailbox_info_get_messages (archive), ==, 2);

  missing = missive_store_select_mailbox (store, "Missing", FALSE, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "NONEXISTENT");
  g_assert_null (missive_store_get_selected_mailbox (store));

  close_store (store);
  assert_server_ok (server);
}

/* Without UNSELECT, a read-write mailbox cannot be closed without
 * expunging; a read-only one is closed with CLOSE. */
static void
test_close_without_unselect (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n"),
    MT_EXPECT ("A0001 SELECT INBOX"),
    MT_SEND ("* 1 EXISTS\r\nA0001 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0002 CLOSE"),
    MT_SEND ("A0002 OK closed\r\n"),
    MT_EXPECT ("A0003 EXAMINE INBOX"),
    MT_SEND ("* 1 EXISTS\r\nA0003 OK [READ-ONLY] done\r\n"),
    MT_EXPECT ("A0004 CLOSE"),
    MT_SEND ("A0004 OK closed\r\n"),
    LOGOUT_STEPS ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMailboxInfo) again = NULL;

  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_store_close_mailbox (store, FALSE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  ASSERT_OK (missive_store_close_mailbox (store, TRUE, NULL, &error));

  again = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_store_close_mailbox (store, FALSE, NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

/* The object is reusable after a fatal error: a new connection starts
 * again from A0001. */
static void
test_reconnect (void)
{
  const MissiveTestStep first[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("A0007 OK wrong tag\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const MissiveTestStep second[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND ("A0001 OK fine\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server1 = missive_test_server_new (first, NULL, FALSE);
  g_autoptr(MissiveTestServer) server2 = missive_test_server_new (second, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server1);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_clear_error (&error);
  assert_server_ok (server1);

  missive_service_set_port (MISSIVE_SERVICE (store), missive_test_server_get_port (server2));
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  assert_server_ok (server2);
}

static void
noop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (missive_service_noop_finish (MISSIVE_SERVICE (source), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "(no error)");
}

/* Cancelling a command that was written fails it at once; its reply is
 * still read, so the next command works. */
static void
test_cancel_in_flight (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SLEEP (200),
    MT_SEND ("* 1 EXISTS\r\nA0001 OK late\r\n"),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("A0002 OK done\r\n"),
    LOGOUT_STEPS ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GError *first = NULL;
  GError *second = NULL;

  missive_service_noop_async (MISSIVE_SERVICE (store), G_PRIORITY_DEFAULT, cancellable,
                              noop_cb, &first);
  g_cancellable_cancel (cancellable);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (first, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&first);

  /* The reply of the cancelled command is read in this (the default)
   * context: a blocking call, which runs in a context of its own, is
   * refused meanwhile rather than left waiting forever. */
  g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  missive_service_noop_async (MISSIVE_SERVICE (store), G_PRIORITY_DEFAULT, NULL,
                              noop_cb, &second);
  while (second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (second, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&second);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  close_store (store);
  assert_server_ok (server);
}

/* LITERAL+ (and LITERAL- for small ones) sends literals without waiting
 * for "+": an 8-bit name with utf7-names off must be a literal. */
static void
run_literal_nonsync (const char *capability)
{
  g_autofree char *greeting = g_strdup_printf ("* PREAUTH [CAPABILITY IMAP4rev1 %s] ready\r\n", capability);
  const MissiveTestStep script[] = {
    MT_SEND (greeting),
    MT_EXPECT ("A0001 CREATE {5+}"),
    MT_EXPECT ("Caf\xc3\xa9"),
    MT_SEND ("A0001 OK created\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(GError) error = NULL;

  g_object_set (store, "utf7-names", FALSE, NULL);
  ASSERT_OK (missive_store_create_mailbox (store, "Caf\xc3\xa9", NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

static void
test_literal_plus (void)
{
  run_literal_nonsync ("LITERAL+");
}

static void
test_literal_minus (void)
{
  run_literal_nonsync ("LITERAL-");
}

/* A synchronising literal the server refuses instead of sending "+": the
 * rest of the command is never sent. */
static void
test_literal_refused (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1] ready\r\n"),
    MT_EXPECT ("A0001 LOGIN {5}"),
    MT_SEND ("A0001 NO [CANNOT] No 8-bit user names here\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  missive_service_set_username (MISSIVE_SERVICE (store), "j\xc3\xb6rg");
  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "CANNOT");
  assert_server_ok (server);
}

/* A challenge that is not base64: the exchange is aborted with "*" and
 * the open fails with a protocol error. */
static void
test_sasl_bad_challenge (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"),
    MT_EXPECT ("A0001 AUTHENTICATE PLAIN"),
    MT_SEND ("+ this is not base64!\r\n"),
    MT_EXPECT ("*"),
    MT_SEND ("A0001 BAD Authentication aborted\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  assert_server_ok (server);
}

/* A server that says BYE to LOGOUT and hangs up without the tagged OK. */
static void
test_logout_without_ok (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 LOGOUT"),
    MT_SEND ("* BYE See you\r\n"),
    MT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));

  close_store (store);
  g_assert_cmpuint (rec->warnings->len, ==, 0);
  assert_server_ok (server);
}

/* Special-use mailboxes from a server without SPECIAL-USE: XLIST, and
 * only the mailboxes with a special use are kept. */
static void
test_list_special_use_xlist (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH [CAPABILITY IMAP4rev1 XLIST] ready\r\n"),
    MT_EXPECT ("A0001 XLIST \"\" \"*\""),
    MT_SEND ("* XLIST (\\HasNoChildren \\Inbox) \"/\" \"Inbox\"\r\n"
             "* XLIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"\r\n"
             "* XLIST (\\HasNoChildren) \"/\" \"Work\"\r\n"
             "* XLIST (\\HasNoChildren \\Trash) \"/\" \"[Gmail]/Trash\"\r\n"
             "A0001 OK done\r\n"),
    LOGOUT_STEPS ("A0002"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *listed = NULL;

  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_SPECIAL_USE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  listed = joined (rec->listed);
  g_assert_cmpstr (listed, ==, "[Gmail]/Sent Mail|[Gmail]/Trash");
  close_store (store);
  assert_server_ok (server);
}

/* Unsolicited VANISHED (QRESYNC) and FLAGS update the selected mailbox. */
static void
test_unsolicited_vanished (void)
{
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 SELECT INBOX"),
    MT_SEND ("* 10 EXISTS\r\nA0001 OK [READ-WRITE] done\r\n"),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("* VANISHED 3:4,9\r\n"
             "* VANISHED (EARLIER) 1:2\r\n"
             "* VANISHED 1:4000000000\r\n"
             "* FLAGS (\\Seen \\Deleted $Junk)\r\n"
             "A0002 OK done\r\n"),
    LOGOUT_STEPS ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autofree char *changes = NULL;

  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  changes = joined (rec->changes);
  g_assert_cmpstr (changes, ==, "INBOX vanished 3|INBOX vanished 4|INBOX vanished 9|INBOX flags 0");
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 7);
  g_assert_cmpuint (g_strv_length ((char **) missive_mailbox_info_get_flags (info)), ==, 3);
  /* The impossible VANISHED (more than the mailbox holds) is a warning. */
  g_assert_cmpuint (rec->warnings->len, ==, 1);
  close_store (store);
  assert_server_ok (server);
}

/* PREAUTH over a clear connection when STARTTLS was required: the
 * session cannot be protected any more (the PREAUTH downgrade). */
static void
test_preauth_starttls (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "starttls");
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "PREAUTH"));
  assert_server_ok (server);
}

static void
test_properties (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;
  gboolean use_uid, utf7_names, decode_headers, send_id;
  guint idle_max, keepalive;

  service = missive_engine_create_service (missive_engine_get_default (), "imaps://host.example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_service_get_port (service), ==, 993);
  g_object_get (service, "use-uid", &use_uid, "utf7-names", &utf7_names,
                "decode-headers", &decode_headers, "send-id", &send_id,
                "idle-max-seconds", &idle_max, "keepalive-seconds", &keepalive, NULL);
  g_assert_true (use_uid);
  g_assert_true (utf7_names);
  g_assert_true (decode_headers);
  g_assert_true (send_id);
  g_assert_cmpuint (idle_max, ==, 29 * 60);
  g_assert_cmpuint (keepalive, ==, 300);
  g_clear_object (&service);

  service = missive_engine_create_service (missive_engine_get_default (), "imap://host.example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_service_get_port (service), ==, 143);
  g_assert_cmpint (missive_service_get_security (service), ==, MISSIVE_SECURITY_STARTTLS);
}

/* ---- COMPRESS=DEFLATE: when it is not used ---------------------------------- */

/* The compress property is off by default: COMPRESS=DEFLATE offered, not
 * used. With the property on but no COMPRESS=DEFLATE (only another
 * algorithm), not used either. */
static void
test_compress_not_sent (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n"),
    MT_EXPECT ("A0001 AUTHENTICATE PLAIN " PLAIN_IR),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] Logged in\r\n"),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("A0002 OK done\r\n"),
    LOGOUT_STEPS ("A0003"),
  };
  const MissiveTestStep script_no_cap[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n"),
    MT_EXPECT ("A0001 AUTHENTICATE PLAIN " PLAIN_IR),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 COMPRESS=XZ] Logged in\r\n"),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("A0002 OK done\r\n"),
    LOGOUT_STEPS ("A0003"),
  };

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(MissiveTestServer) server =
        missive_test_server_new (round == 0 ? script : script_no_cap, NULL, FALSE);
      g_autoptr(MissiveStore) store = new_store (server, "none");
      g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
      g_autoptr(GError) error = NULL;
      g_autofree char *sent = NULL;
      gboolean compress = TRUE;

      g_object_get (store, "compress", &compress, NULL);
      g_assert_false (compress);
      if (round == 1)
        g_object_set (store, "compress", TRUE, NULL);
      ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
      ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
      close_store (store);
      assert_server_ok (server);

      sent = joined (rec->sent);
      g_assert_cmpstr (sent, ==, "A0001 AUTHENTICATE PLAIN ****|A0002 NOOP|A0003 LOGOUT");
      g_assert_false (any_contains (rec->info, "COMPRESS"));
      g_assert_cmpuint (rec->warnings->len, ==, 0);
    }
}

/* A NO to COMPRESS DEFLATE is a warning; the session goes on uncompressed
 * (the following commands and replies are plain text, which the scripted
 * server checks). */
static void
test_compress_refused (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n"),
    MT_EXPECT ("A0001 AUTHENTICATE PLAIN " PLAIN_IR),
    MT_SEND ("A0001 OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE ID] Logged in\r\n"),
    MT_EXPECT ("A0002 COMPRESS DEFLATE"),
    MT_SEND ("A0002 NO [COMPRESSIONACTIVE] Not now\r\n"),
    MT_EXPECT ("A0003 ID (\"name\" \"Missive\" \"version\" \"" PACKAGE_VERSION "\")"),
    MT_SEND ("* ID NIL\r\nA0003 OK ID completed.\r\n"),
    MT_EXPECT ("A0004 NOOP"),
    MT_SEND ("* 3 EXISTS\r\nA0004 OK done\r\n"),
    LOGOUT_STEPS ("A0005"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (server, "none");
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;
  const GError *warning;

  g_object_set (store, "compress", TRUE, NULL);
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  assert_server_ok (server);

  sent = joined (rec->sent);
  g_assert_cmpstr (sent, ==,
                   "A0001 AUTHENTICATE PLAIN ****|A0002 COMPRESS DEFLATE|"
                   "A0003 ID (\"name\" \"Missive\" \"version\" \"" PACKAGE_VERSION "\")|"
                   "A0004 NOOP|A0005 LOGOUT");
  g_assert_true (any_contains (rec->received, "* 3 EXISTS"));
  g_assert_false (any_contains (rec->info, "COMPRESS=DEFLATE active"));
  g_assert_cmpuint (rec->warnings->len, ==, 1);
  warning = rec->warnings->pdata[0];
  g_assert_error (warning, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_assert_cmpstr (missive_error_get_response_code (warning), ==, "COMPRESSIONACTIVE");
}

/* Untagged responses that cannot be parsed (unbalanced parentheses, a
 * NUL byte, a broken response announcing a literal) become warnings; the
 * literal is still consumed, so the command and the next one work. */
static void
test_unparsable_untagged (void)
{
  static const char bad[] =
    "* 1 FETCH (FLAGS (\\Seen)\r\n"
    "* 2 FETCH (UID 5\0 FLAGS ())\r\n"
    "* 3 FETCH (((BODY[] {12}\r\n"
    "A0001 OK oops)\r\n"
    "* 4 EXISTS\r\n"
    "A0001 OK NOOP completed\r\n";
  const MissiveTestStep script[] = {
    MT_SEND (PREAUTH),
    MT_EXPECT ("A0001 NOOP"),
    MT_SEND_LEN (bad, sizeof bad - 1),
    MT_EXPECT ("A0002 NOOP"),
    MT_SEND ("A0002 OK NOOP completed\r\n"),
    LOGOUT_STEPS ("A0003"),
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = open_preauth (server);
  g_autoptr(Recorder) rec = recorder_new (MISSIVE_SERVICE (store));
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpuint (rec->warnings->len, ==, 3);
  for (guint i = 0; i < rec->warnings->len; i++)
    g_assert_error ((GError *) rec->warnings->pdata[i], MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  assert_server_ok (server);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap/properties", test_properties);
  g_test_add_func ("/imap/connect/greeting-capability", test_greeting_capability);
  g_test_add_func ("/imap/connect/preauth-starttls", test_preauth_starttls);
  g_test_add_func ("/imap/connect/capability-command", test_capability_command);
  g_test_add_func ("/imap/connect/preauth", test_greeting_preauth);
  g_test_add_func ("/imap/connect/compress-not-sent", test_compress_not_sent);
  g_test_add_func ("/imap/connect/compress-refused", test_compress_refused);
  g_test_add_func ("/imap/connect/bye", test_greeting_bye);
  g_test_add_func ("/imap/connect/garbage", test_greeting_garbage);
  g_test_add_func ("/imap/connect/starttls", test_starttls);
  g_test_add_func ("/imap/login/quoting", test_login_quoting);
  g_test_add_func ("/imap/login/literal", test_login_literal);
  g_test_add_func ("/imap/login/failed", test_login_failed);
  g_test_add_func ("/imap/login/authenticate-failed", test_authenticate_failed);
  g_test_add_func ("/imap/login/disabled", test_login_disabled);
  g_test_add_func ("/imap/login/literal-refused", test_literal_refused);
  g_test_add_func ("/imap/login/sasl-bad-challenge", test_sasl_bad_challenge);
  g_test_add_func ("/imap/connect/logout-without-ok", test_logout_without_ok);
  g_test_add_func ("/imap/engine/pipelining", test_pipelining);
  g_test_add_func ("/imap/engine/unknown-untagged", test_unknown_untagged);
  g_test_add_func ("/imap/engine/no-bad", test_server_no_bad);
  g_test_add_func ("/imap/engine/bye-in-command", test_bye_in_command);
  g_test_add_func ("/imap/engine/drop-mid-literal", test_drop_mid_literal);
  g_test_add_func ("/imap/engine/drop-mid-line", test_drop_mid_line);
  g_test_add_func ("/imap/engine/unknown-tag", test_unknown_tag);
  g_test_add_func ("/imap/engine/long-line", test_long_line);
  g_test_add_func ("/imap/engine/unparsable-tagged", test_unparsable_tagged);
  g_test_add_func ("/imap/engine/unparsable-untagged", test_unparsable_untagged);
  g_test_add_func ("/imap/engine/send-command", test_send_command);
  g_test_add_func ("/imap/engine/reconnect", test_reconnect);
  g_test_add_func ("/imap/engine/cancel-in-flight", test_cancel_in_flight);
  g_test_add_func ("/imap/engine/literal-plus", test_literal_plus);
  g_test_add_func ("/imap/engine/literal-minus", test_literal_minus);
  g_test_add_func ("/imap/mailbox/list-utf7", test_list_utf7);
  g_test_add_func ("/imap/mailbox/list-status", test_list_status);
  g_test_add_func ("/imap/mailbox/list-status-fallback", test_list_status_fallback);
  g_test_add_func ("/imap/mailbox/status", test_mailbox_status);
  g_test_add_func ("/imap/mailbox/list-special-use-xlist", test_list_special_use_xlist);
  g_test_add_func ("/imap/mailbox/unsolicited-vanished", test_unsolicited_vanished);
  g_test_add_func ("/imap/mailbox/select", test_select);
  g_test_add_func ("/imap/mailbox/close-without-unselect", test_close_without_unselect);

  return g_test_run ();
}
