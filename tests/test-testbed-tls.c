/* test-testbed-tls.c: MissiveSocketTransport against real Dovecot and Postfix
 *
 * Implicit TLS, STARTTLS on IMAP, POP3 and SMTP submission, and certificate
 * rejection, on the private testbed (tests/testbed). Skipped when the
 * testbed cannot run here (see missive_test_testbed_get()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <missive/missive-plugin.h>

#include "test-utils.h"

/* Own port range, away from other users of the default ports. */
#define PORT_OFFSET 200
/* Bounds every connect, handshake and read. */
#define IO_TIMEOUT 15
/* Upper bound on the lines of one server reply we are willing to read. */
#define MAX_REPLY_LINES 64

/* One connection: the transport, a reader on its current input stream and
 * the current output stream. */
typedef struct {
  MissiveSocketTransport *transport;
  MissiveReader *reader;
  GOutputStream *output;
} Conn;

static MissiveSocketTransport *
transport_new (const char      *host,
               guint16          port,
               MissiveSecurity  security,
               const char      *ca_file,
               const char      *identity)
{
  MissiveSocketTransport *transport = missive_socket_transport_new (host, port, security);

  missive_socket_transport_set_ca_file (transport, ca_file);
  if (identity != NULL)
    missive_socket_transport_set_server_identity (transport, identity);
  missive_socket_transport_set_connect_timeout (transport, IO_TIMEOUT);
  missive_socket_transport_set_timeout (transport, IO_TIMEOUT);
  return transport;
}

/* Picks up the transport's current stream (plain, or TLS after a
 * handshake) for reading and writing. */
static void
conn_attach_streams (Conn *conn)
{
  GIOStream *stream = missive_transport_get_stream (MISSIVE_TRANSPORT (conn->transport));

  g_assert_nonnull (stream);
  g_set_object (&conn->output, g_io_stream_get_output_stream (stream));
  if (conn->reader == NULL)
    conn->reader = missive_reader_new (g_io_stream_get_input_stream (stream));
  else
    /* Whatever the server sent before the handshake must not be read as
     * if it had come over TLS: nothing may be pending here. */
    g_assert_cmpuint (missive_reader_replace_stream (conn->reader,
                                                     g_io_stream_get_input_stream (stream)),
                      ==, 0);
}

static Conn *
conn_open (const char      *host,
           guint16          port,
           MissiveSecurity  security,
           const char      *ca_file)
{
  g_autoptr(GError) error = NULL;
  Conn *conn = g_new0 (Conn, 1);

  conn->transport = transport_new (host, port, security, ca_file, NULL);
  missive_transport_open (MISSIVE_TRANSPORT (conn->transport), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_transport_is_open (MISSIVE_TRANSPORT (conn->transport)));
  conn_attach_streams (conn);
  return conn;
}

static void
conn_close (Conn *conn)
{
  g_autoptr(GError) error = NULL;

  missive_transport_close (MISSIVE_TRANSPORT (conn->transport), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (conn->transport)));

  g_clear_object (&conn->reader);
  g_clear_object (&conn->output);
  g_clear_object (&conn->transport);
  g_free (conn);
}

static char *
conn_read_line (Conn *conn)
{
  g_autoptr(GError) error = NULL;
  const char *line;
  gsize length = 0;

  line = missive_reader_read_line (conn->reader, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("S: %s", line);
  return g_strndup (line, length);
}

static void
conn_write (Conn       *conn,
            const char *command)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("C: %s", command);
  g_output_stream_write_all (conn->output, command, strlen (command), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (conn->output, "\r\n", 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (conn->output, NULL, &error);
  g_assert_no_error (error);
}

/* Reads IMAP lines up to the tagged completion of @tag and returns all of
 * them; the last one is the tagged line. */
static GPtrArray *
imap_read_until_tagged (Conn       *conn,
                        const char *tag)
{
  g_autofree char *prefix = g_strconcat (tag, " ", NULL);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < MAX_REPLY_LINES; i++)
    {
      char *line = conn_read_line (conn);

      g_ptr_array_add (lines, line);
      if (g_str_has_prefix (line, prefix))
        return lines;
      g_assert_true (g_str_has_prefix (line, "* "));
    }
  g_assert_not_reached ();
}

/* Sends an IMAP command and asserts that it completes with OK. */
static GPtrArray *
imap_command_ok (Conn       *conn,
                 const char *tag,
                 const char *command)
{
  g_autofree char *line = g_strconcat (tag, " ", command, NULL);
  g_autofree char *ok = g_strconcat (tag, " OK", NULL);
  GPtrArray *lines;

  conn_write (conn, line);
  lines = imap_read_until_tagged (conn, tag);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, lines->len - 1), ok));
  return lines;
}

/* The capability words of an untagged CAPABILITY line among @lines. */
static char **
imap_find_capabilities (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line, "* CAPABILITY "))
        return g_strsplit (line + strlen ("* CAPABILITY "), " ", -1);
    }
  g_assert_not_reached ();
}

static void
imap_logout (Conn *conn)
{
  g_autoptr(GPtrArray) lines = imap_command_ok (conn, "z9", "LOGOUT");

  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "* BYE"));
}

/* A reply line that starts with +OK; POP3 has no tags. */
static void
pop3_expect_ok (Conn *conn)
{
  g_autofree char *line = conn_read_line (conn);

  g_assert_true (g_str_has_prefix (line, "+OK"));
}

/* POP3 CAPA: the capability lines, without the final ".". */
static GPtrArray *
pop3_capa (Conn *conn)
{
  GPtrArray *caps = g_ptr_array_new_with_free_func (g_free);

  conn_write (conn, "CAPA");
  pop3_expect_ok (conn);
  for (guint i = 0; i < MAX_REPLY_LINES; i++)
    {
      char *line = conn_read_line (conn);

      if (g_str_equal (line, "."))
        {
          g_free (line);
          g_ptr_array_add (caps, NULL);
          return caps;
        }
      g_ptr_array_add (caps, line);
    }
  g_assert_not_reached ();
}

/* Reads an SMTP reply (all its lines) and asserts its code; returns the
 * lines' texts after the code and separator. */
static GPtrArray *
smtp_read_reply (Conn       *conn,
                 const char *code)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < MAX_REPLY_LINES; i++)
    {
      g_autofree char *line = conn_read_line (conn);

      g_assert_cmpuint (strlen (line), >=, 3);
      g_assert_true (strncmp (line, code, 3) == 0);
      g_assert_true (line[3] == ' ' || line[3] == '-' || line[3] == '\0');
      g_ptr_array_add (texts, g_strdup (line[3] != '\0' ? line + 4 : ""));
      if (line[3] != '-')
        {
          g_ptr_array_add (texts, NULL);
          return texts;
        }
    }
  g_assert_not_reached ();
}

/* Does one of the EHLO keyword lines start with @keyword? */
static gboolean
smtp_has_extension (GPtrArray  *ehlo,
                    const char *keyword)
{
  gsize len = strlen (keyword);

  /* Line 0 is the greeting part ("localhost"), the last one is NULL. */
  for (guint i = 1; i + 1 < ehlo->len; i++)
    {
      const char *text = g_ptr_array_index (ehlo, i);

      if (g_ascii_strncasecmp (text, keyword, len) == 0 &&
          (text[len] == '\0' || text[len] == ' '))
        return TRUE;
    }
  return FALSE;
}

/* Upgrades @conn after the server agreed to STARTTLS / STLS. */
static void
conn_start_tls (Conn *conn)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_transport_is_tls (MISSIVE_TRANSPORT (conn->transport)));
  missive_transport_start_tls (MISSIVE_TRANSPORT (conn->transport), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_transport_is_tls (MISSIVE_TRANSPORT (conn->transport)));
  conn_attach_streams (conn);
}

/* What a verified connection to the testbed shows about its TLS session. */
static void
assert_tls_facts (MissiveTransport *transport)
{
  GTlsCertificate *peer;
  g_autofree char *subject = NULL;
  g_autofree char *suite = NULL;
  GTlsProtocolVersion version;

  g_assert_true (missive_transport_is_tls (transport));
  g_assert_nonnull (missive_transport_get_tls_connection (transport));

  peer = missive_transport_get_peer_certificate (transport);
  g_assert_nonnull (peer);
  subject = g_tls_certificate_get_subject_name (peer);
  g_assert_nonnull (subject);
  g_test_message ("peer certificate: %s", subject);
  g_assert_nonnull (strstr (subject, "localhost"));

  version = missive_transport_get_tls_protocol_version (transport);
  g_assert_true (version == G_TLS_PROTOCOL_VERSION_TLS_1_2 ||
                 version == G_TLS_PROTOCOL_VERSION_TLS_1_3);

  suite = missive_transport_get_tls_ciphersuite (transport);
  g_assert_nonnull (suite);
  g_assert_cmpstr (suite, !=, "");
  g_test_message ("protocol version %d, ciphersuite %s", version, suite);
}

/* Where tests/certs/wrong-ca.pem is, or a throwaway CA made with certtool
 * in @tmpdir when that file is not there. */
static char *
wrong_ca_path (const char *tmpdir)
{
  g_autofree char *path = missive_test_cert_path ("wrong-ca.pem");
  g_autofree char *key = NULL;
  g_autofree char *tmpl = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  key = g_build_filename (tmpdir, "wrong-ca-key.pem", NULL);
  tmpl = g_build_filename (tmpdir, "wrong-ca.tmpl", NULL);
  ca = g_build_filename (tmpdir, "wrong-ca.pem", NULL);
  g_file_set_contents (tmpl, "cn = \"Unrelated Test CA\"\nca\ncert_signing_key\n"
                       "expiration_days = 30\n", -1, &error);
  g_assert_no_error (error);
  {
    const char *gen_key[] = { "certtool", "--generate-privkey", "--key-type=ecdsa",
                              "--outfile", key, NULL };
    const char *gen_ca[] = { "certtool", "--generate-self-signed", "--load-privkey", key,
                             "--template", tmpl, "--outfile", ca, NULL };

    g_spawn_sync (NULL, (char **) gen_key, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
    g_spawn_sync (NULL, (char **) gen_ca, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }
  return g_steal_pointer (&ca);
}

/* Opening must fail with CERTIFICATE_REJECTED and leave nothing open. */
static void
assert_open_rejected (MissiveSocketTransport *transport)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED);
  g_test_message ("rejected as expected: %s", error->message);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  g_assert_null (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)));
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_imaps_verified (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autofree char *greeting = NULL;
  Conn *conn;

  if (tb == NULL)
    return;

  conn = conn_open (tb->host, tb->imaps_port, MISSIVE_SECURITY_TLS, tb->ca_file);
  greeting = conn_read_line (conn);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  assert_tls_facts (MISSIVE_TRANSPORT (conn->transport));

  imap_logout (conn);
  conn_close (conn);
}

static void
test_imaps_by_name (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autofree char *greeting = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *login = NULL;
  Conn *conn;

  if (tb == NULL)
    return;

  /* "localhost" is in the certificate as a DNS name; and user2's password
   * has a space and a double quote, so it goes as a quoted string. */
  conn = conn_open ("localhost", tb->imaps_port, MISSIVE_SECURITY_TLS, tb->ca_file);
  greeting = conn_read_line (conn);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  g_assert_cmpstr (tb->pass2, ==, "pa ss\"word2");
  login = g_strdup_printf ("LOGIN %s \"pa ss\\\"word2\"", tb->user2);
  lines = imap_command_ok (conn, "b1", login);
  imap_logout (conn);
  conn_close (conn);
}

static void
test_imaps_wrong_ca (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveSocketTransport) transport = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(GError) error = NULL;

  if (tb == NULL)
    return;

  tmpdir = g_dir_make_tmp ("missive-wrong-ca-XXXXXX", &error);
  g_assert_no_error (error);
  ca = wrong_ca_path (tmpdir);
  transport = transport_new (tb->host, tb->imaps_port, MISSIVE_SECURITY_TLS, ca, NULL);
  assert_open_rejected (transport);

  /* Drop the throwaway CA, if one was made. */
  {
    const char *names[] = { "wrong-ca.pem", "wrong-ca-key.pem", "wrong-ca.tmpl" };

    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (tmpdir, names[i], NULL);

        (void) g_remove (path);
      }
    g_assert_cmpint (g_rmdir (tmpdir), ==, 0);
  }
}

static void
test_imaps_identity_mismatch (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveSocketTransport) transport = NULL;

  if (tb == NULL)
    return;

  /* A trusted certificate, but for another name than the one we expect. */
  transport = transport_new ("127.0.0.1", tb->imaps_port, MISSIVE_SECURITY_TLS,
                             tb->ca_file, "mail.example.org");
  assert_open_rejected (transport);
}

static void
test_imap_starttls (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autofree char *greeting = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_autofree char *login = NULL;
  Conn *conn;

  if (tb == NULL)
    return;

  conn = conn_open (tb->host, tb->imap_port, MISSIVE_SECURITY_STARTTLS, tb->ca_file);
  g_assert_false (missive_transport_is_tls (MISSIVE_TRANSPORT (conn->transport)));
  greeting = conn_read_line (conn);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));

  lines = imap_command_ok (conn, "a0", "CAPABILITY");
  before = imap_find_capabilities (lines);
  g_assert_true (g_strv_contains ((const char * const *) before, "STARTTLS"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = imap_command_ok (conn, "a1", "STARTTLS");
  g_clear_pointer (&lines, g_ptr_array_unref);
  conn_start_tls (conn);
  assert_tls_facts (MISSIVE_TRANSPORT (conn->transport));

  /* Over TLS, the server no longer offers STARTTLS: proof that it sees the
   * session as protected. */
  lines = imap_command_ok (conn, "a2", "CAPABILITY");
  after = imap_find_capabilities (lines);
  g_assert_true (g_strv_contains ((const char * const *) after, "IMAP4rev1"));
  g_assert_false (g_strv_contains ((const char * const *) after, "STARTTLS"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  login = g_strdup_printf ("LOGIN %s %s", tb->user1, tb->pass1);
  lines = imap_command_ok (conn, "a3", login);

  imap_logout (conn);
  conn_close (conn);
}

static void
test_pop3_stls (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;
  Conn *conn;

  if (tb == NULL)
    return;

  conn = conn_open (tb->host, tb->pop3_port, MISSIVE_SECURITY_STARTTLS, tb->ca_file);
  pop3_expect_ok (conn);
  before = pop3_capa (conn);
  g_assert_true (g_strv_contains ((const char * const *) before->pdata, "STLS"));

  conn_write (conn, "STLS");
  pop3_expect_ok (conn);
  conn_start_tls (conn);
  assert_tls_facts (MISSIVE_TRANSPORT (conn->transport));

  after = pop3_capa (conn);
  g_assert_true (g_strv_contains ((const char * const *) after->pdata, "USER"));
  g_assert_false (g_strv_contains ((const char * const *) after->pdata, "STLS"));

  user = g_strdup_printf ("USER %s", tb->user1);
  conn_write (conn, user);
  pop3_expect_ok (conn);
  pass = g_strdup_printf ("PASS %s", tb->pass1);
  conn_write (conn, pass);
  pop3_expect_ok (conn);
  conn_write (conn, "QUIT");
  pop3_expect_ok (conn);
  conn_close (conn);
}

static void
check_submission_starttls (guint16  port,
                           gboolean auth_before_tls)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GPtrArray) reply = NULL;
  Conn *conn;

  if (tb == NULL)
    return;

  conn = conn_open (tb->host, port, MISSIVE_SECURITY_STARTTLS, tb->ca_file);
  reply = smtp_read_reply (conn, "220");
  g_clear_pointer (&reply, g_ptr_array_unref);

  conn_write (conn, "EHLO client.example");
  reply = smtp_read_reply (conn, "250");
  g_assert_true (smtp_has_extension (reply, "STARTTLS"));
  g_assert_true (smtp_has_extension (reply, "AUTH") == auth_before_tls);
  g_clear_pointer (&reply, g_ptr_array_unref);

  conn_write (conn, "STARTTLS");
  reply = smtp_read_reply (conn, "220");
  g_clear_pointer (&reply, g_ptr_array_unref);
  conn_start_tls (conn);
  assert_tls_facts (MISSIVE_TRANSPORT (conn->transport));

  /* RFC 3207: the client starts over with EHLO. */
  conn_write (conn, "EHLO client.example");
  reply = smtp_read_reply (conn, "250");
  g_assert_true (smtp_has_extension (reply, "AUTH"));
  g_assert_false (smtp_has_extension (reply, "STARTTLS"));
  g_clear_pointer (&reply, g_ptr_array_unref);

  conn_write (conn, "QUIT");
  reply = smtp_read_reply (conn, "221");
  conn_close (conn);
}

static void
test_submission_starttls (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);

  if (tb == NULL)
    return;
  /* This port allows AUTH in clear too. */
  check_submission_starttls (tb->submission_port, TRUE);
}

static void
test_submission_tls_required (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);

  if (tb == NULL)
    return;
  /* This one offers AUTH only after STARTTLS. */
  check_submission_starttls (tb->submission_tlsreq_port, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/tls/imaps/verified", test_imaps_verified);
  g_test_add_func ("/testbed/tls/imaps/by-name", test_imaps_by_name);
  g_test_add_func ("/testbed/tls/imaps/wrong-ca", test_imaps_wrong_ca);
  g_test_add_func ("/testbed/tls/imaps/identity-mismatch", test_imaps_identity_mismatch);
  g_test_add_func ("/testbed/tls/imap/starttls", test_imap_starttls);
  g_test_add_func ("/testbed/tls/pop3/stls", test_pop3_stls);
  g_test_add_func ("/testbed/tls/submission/starttls", test_submission_starttls);
  g_test_add_func ("/testbed/tls/submission/tls-required", test_submission_tls_required);

  return g_test_run ();
}
