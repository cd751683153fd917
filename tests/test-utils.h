/* test-utils.h: shared helpers of Missive's test suites
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Call from main() instead of g_test_init(): isolates GIO (memory settings,
 * local VFS, no proxy resolver) and passes G_TEST_OPTION_ISOLATE_DIRS. */
void missive_test_init (int *argc, char ***argv);

/* ---- scripted fake server -------------------------------------------------
 *
 * A one-connection TCP server on 127.0.0.1 that plays a script in its own
 * thread with blocking I/O. Every protocol test uses it for edge cases.
 */
typedef enum {
  MISSIVE_TEST_STEP_SEND,          /* write data (length -1: strlen) */
  MISSIVE_TEST_STEP_EXPECT,        /* read one line; must equal data (without CRLF) */
  MISSIVE_TEST_STEP_EXPECT_PREFIX, /* read one line; must start with data */
  MISSIVE_TEST_STEP_READ_LINE,     /* read one line, whatever it is */
  MISSIVE_TEST_STEP_EXPECT_BYTES,  /* read exactly length bytes; must equal data */
  MISSIVE_TEST_STEP_STARTTLS,      /* server-side TLS handshake on the socket */
  MISSIVE_TEST_STEP_SLEEP,         /* sleep length milliseconds */
  MISSIVE_TEST_STEP_WAIT_CLOSE,    /* read until the client closes (EOF) */
  MISSIVE_TEST_STEP_CLOSE,         /* close the connection now */
  MISSIVE_TEST_STEP_END,           /* end of script (closes the connection) */
} MissiveTestStepKind;

typedef struct {
  MissiveTestStepKind kind;
  const char *data;
  gssize length;
} MissiveTestStep;

#define MT_SEND(s)          { MISSIVE_TEST_STEP_SEND, (s), -1 }
#define MT_SEND_LEN(s, n)   { MISSIVE_TEST_STEP_SEND, (s), (n) }
#define MT_EXPECT(s)        { MISSIVE_TEST_STEP_EXPECT, (s), -1 }
#define MT_EXPECT_PREFIX(s) { MISSIVE_TEST_STEP_EXPECT_PREFIX, (s), -1 }
#define MT_READ_LINE        { MISSIVE_TEST_STEP_READ_LINE, NULL, 0 }
#define MT_STARTTLS         { MISSIVE_TEST_STEP_STARTTLS, NULL, 0 }
#define MT_SLEEP(ms)        { MISSIVE_TEST_STEP_SLEEP, NULL, (ms) }
#define MT_WAIT_CLOSE       { MISSIVE_TEST_STEP_WAIT_CLOSE, NULL, 0 }
#define MT_CLOSE            { MISSIVE_TEST_STEP_CLOSE, NULL, 0 }
#define MT_END              { MISSIVE_TEST_STEP_END, NULL, 0 }

typedef struct _MissiveTestServer MissiveTestServer;

/* @certificate: the server certificate for STARTTLS steps and implicit TLS
 * (nullable); @implicit_tls: handshake right after accept. The script array
 * must stay valid until missive_test_server_finish(). */
MissiveTestServer *missive_test_server_new    (const MissiveTestStep *script,
                                               GTlsCertificate       *certificate,
                                               gboolean               implicit_tls);
guint16            missive_test_server_get_port (MissiveTestServer *server);
/* Waits (bounded: 30 s) for the script to end; FALSE with @error naming
 * the failed step if the client did not do what the script expected. */
gboolean           missive_test_server_finish (MissiveTestServer *server,
                                               GError           **error);
void               missive_test_server_free   (MissiveTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveTestServer, missive_test_server_free)

/* Test certificates under tests/certs/ (G_TEST_SRCDIR): a throwaway CA, a
 * server certificate for localhost/127.0.0.1 signed by it, one for another
 * host name, and a second unrelated CA. */
char            *missive_test_cert_path        (const char *name);
GTlsCertificate *missive_test_load_server_cert (const char *name);

/* ---- real servers ---------------------------------------------------------
 *
 * Starts the private Dovecot + Postfix testbed (tests/testbed/start.sh) in a
 * fresh directory with the given port offset, and stops it at exit. Skips
 * the test (g_test_skip) when not root or when the servers are not
 * installed, unless MISSIVE_TESTBED_REQUIRED=1, which makes that a failure.
 */
typedef struct {
  char *rundir;
  char *host;
  guint16 imap_port, imaps_port, pop3_port, pop3s_port, lmtp_port;
  guint16 submission_port, submission_tlsreq_port, smtps_port;
  char *ca_file;
  char *user1, *pass1, *user2, *pass2;
} MissiveTestbed;

const MissiveTestbed *missive_test_testbed_get (guint port_offset);

/* Adds @count generated messages of about @size bytes to @mailbox (UTF-8;
 * NULL: INBOX) of @user (NULL: user1) through populate.sh. */
gboolean missive_test_testbed_populate   (const MissiveTestbed  *tb,
                                          guint                  count,
                                          gsize                  size,
                                          const char            *user,
                                          const char            *mailbox,
                                          GError               **error);
/* Delivers @message (LF or CRLF line ends) to @recipient through Dovecot's
 * LMTP; returns once it is in the mailbox. */
gboolean missive_test_testbed_deliver    (const MissiveTestbed  *tb,
                                          const char            *recipient,
                                          const char            *message,
                                          GError               **error);
/* An OAuth2 token for XOAUTH2/OAUTHBEARER (mint-token.py); @lifetime in
 * seconds, negative: already expired. */
char    *missive_test_testbed_mint_token (const MissiveTestbed  *tb,
                                          const char            *user,
                                          int                    lifetime,
                                          GError               **error);
/* A value from RUNDIR/testbed.env ("TESTBED_NTLM", ...), or NULL. */
char    *missive_test_testbed_getenv     (const MissiveTestbed  *tb,
                                          const char            *key);

/* Runs doveadm against the testbed's Dovecot (args without "-c CONF");
 * a failure fails the test. Returns what it printed. */
char    *missive_test_testbed_doveadm       (const MissiveTestbed  *tb,
                                             const char * const    *args);
/* Prints the last @lines lines of a server log under the testbed's run
 * directory (e.g. "postfix/postfix.log") with g_test_message, to explain a
 * failure the client alone cannot. */
void     missive_test_testbed_dump_log      (const MissiveTestbed  *tb,
                                             const char            *log,
                                             guint                  lines);
/* The message @search (a doveadm query: "uid 4321", "4321") of @mailbox
 * as stored in the maildir, with CRLF line ends. */
GString *missive_test_testbed_message_file  (const MissiveTestbed  *tb,
                                             const char            *user,
                                             const char            *mailbox,
                                             const char            *search);

G_END_DECLS
