/* test-transport.c: MissiveTransport and its three implementations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <missive/missive-plugin.h>

#include "missive-throttled-stream-private.h"
#include "test-utils.h"

/* Every wait on the main loop in these tests gives up after this long. */
#define WAIT_SECONDS 20

/* ---- helpers ------------------------------------------------------------- */

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
on_wait_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until *slot is filled; fails the test
 * after WAIT_SECONDS. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_wait_expired, &expired);

  while (*slot == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
  return g_steal_pointer (slot);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
assert_server_ok (MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = missive_test_server_finish (server, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static MissiveSocketTransport *
transport_for (MissiveTestServer *server,
               const char        *host,
               MissiveSecurity    security)
{
  MissiveSocketTransport *transport =
    missive_socket_transport_new (host, missive_test_server_get_port (server), security);

  missive_socket_transport_set_connect_timeout (transport, 10);
  missive_socket_transport_set_timeout (transport, 10);
  return transport;
}

static void
set_ca (MissiveSocketTransport *transport,
        const char             *name)
{
  g_autofree char *path = missive_test_cert_path (name);

  missive_socket_transport_set_ca_file (transport, path);
}

static GTlsCertificate *
load_cert (const char *name)
{
  g_autofree char *path = missive_test_cert_path (name);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return certificate;
}

static void
write_text (MissiveTransport *transport,
            const char       *text)
{
  g_autoptr(GError) error = NULL;
  GIOStream *stream = missive_transport_get_stream (transport);

  g_assert_nonnull (stream);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, strlen (text),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

static MissiveReader *
reader_for (MissiveTransport *transport)
{
  GIOStream *stream = missive_transport_get_stream (transport);

  g_assert_nonnull (stream);
  return missive_reader_new (g_io_stream_get_input_stream (stream));
}

static void
assert_line (MissiveReader *reader,
             const char    *expected)
{
  g_autoptr(GError) error = NULL;
  const char *line = missive_reader_read_line (reader, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
}

static void
close_ok (MissiveTransport *transport)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (missive_transport_close (transport, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_open (transport));
}

typedef struct
{
  guint calls;
  GTlsCertificateFlags errors;
  gboolean accept;
} AcceptData;

static gboolean
on_accept_certificate (MissiveTransport     *transport,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  AcceptData *data = user_data;

  g_assert_true (MISSIVE_IS_TRANSPORT (transport));
  g_assert_true (G_IS_TLS_CERTIFICATE (certificate));
  data->calls++;
  data->errors |= errors;
  return data->accept;
}

static void
on_tls_established (MissiveTransport *transport,
                    gpointer          user_data)
{
  guint *count = user_data;

  /* The facts are there by the time the signal runs. */
  g_assert_true (missive_transport_is_tls (transport));
  (*count)++;
}

/* ---- plain connections --------------------------------------------------- */

static const MissiveTestStep plain_script[] = {
  MT_SEND ("* OK hello\r\n"),
  MT_EXPECT ("a1 NOOP"),
  MT_SEND ("a1 OK done\r\n"),
  MT_WAIT_CLOSE,
  MT_END
};

static void
test_plain_blocking (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (plain_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) binding = NULL;

  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  g_assert_null (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)));

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  g_assert_true (G_IS_SOCKET_CONNECTION (missive_transport_get_stream (MISSIVE_TRANSPORT (transport))));

  /* No TLS, no TLS facts. */
  g_assert_false (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));
  g_assert_null (missive_transport_get_tls_connection (MISSIVE_TRANSPORT (transport)));
  g_assert_cmpint (missive_transport_get_tls_protocol_version (MISSIVE_TRANSPORT (transport)),
                   ==, G_TLS_PROTOCOL_VERSION_UNKNOWN);
  g_assert_null (missive_transport_get_tls_ciphersuite (MISSIVE_TRANSPORT (transport)));
  g_assert_null (missive_transport_get_peer_certificate (MISSIVE_TRANSPORT (transport)));
  g_assert_null (missive_transport_get_peer_certificate_fingerprint (MISSIVE_TRANSPORT (transport),
                                                                     G_CHECKSUM_SHA256));
  binding = missive_transport_get_channel_binding_data (MISSIVE_TRANSPORT (transport),
                                                        G_TLS_CHANNEL_BINDING_TLS_UNIQUE, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_assert_null (binding);
  g_clear_error (&error);

  reader = reader_for (MISSIVE_TRANSPORT (transport));
  assert_line (reader, "* OK hello");
  write_text (MISSIVE_TRANSPORT (transport), "a1 NOOP\r\n");
  assert_line (reader, "a1 OK done");

  close_ok (MISSIVE_TRANSPORT (transport));
  /* Closing again is harmless. */
  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

static void
test_plain_async (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (plain_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;
  GIOStream *stream;

  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  stream = missive_transport_get_stream (MISSIVE_TRANSPORT (transport));
  reader = missive_reader_new (g_io_stream_get_input_stream (stream));

  missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, on_result, &slot);
  result = wait_for (&slot);
  line = missive_reader_read_line_finish (reader, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "* OK hello");
  g_clear_object (&result);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), "a1 NOOP\r\n", 9,
                                   G_PRIORITY_DEFAULT, NULL, on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (g_output_stream_write_all_finish (g_io_stream_get_output_stream (stream),
                                                   result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  missive_reader_read_line_async (reader, G_PRIORITY_DEFAULT, NULL, on_result, &slot);
  result = wait_for (&slot);
  line = missive_reader_read_line_finish (reader, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "a1 OK done");
  g_clear_object (&result);

  missive_transport_close_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                 on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_close_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));

  assert_server_ok (server);
}

static void
test_plain_state_errors (void)
{
  static const MissiveTestStep script[] = { MT_WAIT_CLOSE, MT_END };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  /* Not open yet. */
  g_assert_false (missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);

  /* Already open. */
  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

static void
test_refused (void)
{
  g_autoptr(MissiveSocketTransport) transport = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was just free, and that nobody listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  transport = missive_socket_transport_new ("127.0.0.1", port, MISSIVE_SECURITY_NONE);
  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  close_ok (MISSIVE_TRANSPORT (transport));
}

static void
test_peer_closes_mid_line (void)
{
  static const MissiveTestStep script[] = {
    MT_SEND ("* partial line"),
    MT_CLOSE,
    MT_END
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GInputStream *input;
  char buffer[64];
  gssize n;
  guint reads = 0;

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  input = g_io_stream_get_input_stream (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)));

  /* The partial line arrives, then a clean end of stream. */
  do
    {
      n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      if (n > 0)
        g_string_append_len (got, buffer, n);
    }
  while (n > 0 && ++reads < 100);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpstr (got->str, ==, "* partial line");

  /* And stays ended. */
  n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

/* ---- implicit TLS -------------------------------------------------------- */

static const MissiveTestStep tls_script[] = {
  MT_SEND ("* OK secure\r\n"),
  MT_EXPECT ("a1 LOGOUT"),
  MT_SEND ("* BYE\r\n"),
  MT_WAIT_CLOSE,
  MT_END
};

/* The SHA-256 of the DER inside a PEM file, computed without GIO's TLS. */
static char *
pem_file_sha256 (const char *name)
{
  g_autofree char *path = missive_test_cert_path (name);
  g_autofree char *pem = NULL;
  g_autofree guchar *der = NULL;
  g_autoptr(GError) error = NULL;
  const char *begin, *end;
  g_autofree char *body = NULL;
  gsize der_len;

  g_file_get_contents (path, &pem, NULL, &error);
  g_assert_no_error (error);
  begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  g_assert_nonnull (begin);
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  end = strstr (begin, "-----END CERTIFICATE-----");
  g_assert_nonnull (end);
  /* The base64 decoder skips the line breaks. */
  body = g_strndup (begin, end - begin);
  der = g_base64_decode (body, &der_len);
  g_assert_cmpuint (der_len, >, 100);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, der_len);
}

static void
test_tls_implicit (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_script, server_cert, TRUE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_TLS);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ciphersuite = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *expected_fingerprint = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autoptr(GBytes) binding = NULL;
  GAsyncResult *slot = NULL;
  GTlsProtocolVersion version;
  GTlsCertificate *peer;
  AcceptData accept = { 0 };
  guint established = 0;

  set_ca (transport, "ca.pem");
  g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
  g_signal_connect (transport, "tls-established", G_CALLBACK (on_tls_established), &established);

  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);

  /* A CA-signed certificate for this address: nobody was asked. */
  g_assert_cmpuint (accept.calls, ==, 0);
  g_assert_cmpuint (established, ==, 1);
  g_assert_true (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));
  g_assert_true (G_IS_TLS_CONNECTION (missive_transport_get_stream (MISSIVE_TRANSPORT (transport))));

  version = missive_transport_get_tls_protocol_version (MISSIVE_TRANSPORT (transport));
  g_assert_true (version == G_TLS_PROTOCOL_VERSION_TLS_1_2 ||
                 version == G_TLS_PROTOCOL_VERSION_TLS_1_3);
  ciphersuite = missive_transport_get_tls_ciphersuite (MISSIVE_TRANSPORT (transport));
  g_assert_nonnull (ciphersuite);
  g_assert_cmpstr (ciphersuite, !=, "");

  peer = missive_transport_get_peer_certificate (MISSIVE_TRANSPORT (transport));
  g_assert_true (G_IS_TLS_CERTIFICATE (peer));
  g_assert_true (g_tls_certificate_is_same (peer, server_cert));
  g_object_get (peer, "subject-name", &subject, "issuer-name", &issuer, NULL);
  g_assert_nonnull (strstr (subject, "CN=localhost"));
  g_assert_nonnull (strstr (issuer, "CN=Missive Test CA"));

  fingerprint = missive_transport_get_peer_certificate_fingerprint (MISSIVE_TRANSPORT (transport),
                                                                    G_CHECKSUM_SHA256);
  expected_fingerprint = pem_file_sha256 ("server.pem");
  g_assert_cmpuint (strlen (fingerprint), ==, 64);
  g_assert_cmpstr (fingerprint, ==, expected_fingerprint);

  binding = missive_transport_get_channel_binding_data (MISSIVE_TRANSPORT (transport),
                                                        version == G_TLS_PROTOCOL_VERSION_TLS_1_3
                                                          ? G_TLS_CHANNEL_BINDING_TLS_EXPORTER
                                                          : G_TLS_CHANNEL_BINDING_TLS_UNIQUE,
                                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (binding);
  g_assert_cmpuint (g_bytes_get_size (binding), >, 0);

  /* And data flows, protected. */
  reader = reader_for (MISSIVE_TRANSPORT (transport));
  assert_line (reader, "* OK secure");
  write_text (MISSIVE_TRANSPORT (transport), "a1 LOGOUT\r\n");
  assert_line (reader, "* BYE");

  /* Already TLS: no second upgrade. */
  g_assert_false (missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_clear_object (&result);
  missive_transport_close_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                 on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_close_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));

  assert_server_ok (server);
}

static void
test_tls_fingerprint (void)
{
  g_autoptr(GTlsCertificate) certificate = load_cert ("other-host.pem");
  g_autofree char *sha256 = missive_certificate_get_fingerprint (certificate, G_CHECKSUM_SHA256);
  g_autofree char *sha1 = missive_certificate_get_fingerprint (certificate, G_CHECKSUM_SHA1);
  g_autofree char *expected = pem_file_sha256 ("other-host.pem");

  g_assert_cmpstr (sha256, ==, expected);
  g_assert_cmpuint (strlen (sha1), ==, 40);
}

static const MissiveTestStep tls_reject_script[] = {
  MT_SEND ("* OK secure\r\n"),
  MT_WAIT_CLOSE,
  MT_END
};

static void
test_tls_wrong_ca (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_reject_script, server_cert, TRUE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_TLS);
  g_autoptr(GError) error = NULL;
  AcceptData accept = { 0 };
  guint established = 0;

  set_ca (transport, "wrong-ca.pem");
  g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
  g_signal_connect (transport, "tls-established", G_CALLBACK (on_tls_established), &established);

  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED);
  g_assert_cmpuint (accept.calls, >=, 1);
  g_assert_true (accept.errors & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpuint (established, ==, 0);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  close_ok (MISSIVE_TRANSPORT (transport));
}

static void
test_tls_other_host (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("other-host");
  g_autoptr(GError) error = NULL;

  /* Signed by the trusted CA, but for mail.example.org: rejected. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_reject_script, server_cert, TRUE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);
    AcceptData accept = { 0 };

    set_ca (transport, "ca.pem");
    g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED);
    g_clear_error (&error);
    g_assert_cmpuint (accept.calls, >=, 1);
    g_assert_true (accept.errors & G_TLS_CERTIFICATE_BAD_IDENTITY);
    g_assert_false (accept.errors & G_TLS_CERTIFICATE_UNKNOWN_CA);
  }

  /* The same, but the application accepts it. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_script, server_cert, TRUE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);
    g_autoptr(MissiveReader) reader = NULL;
    AcceptData accept = { .accept = TRUE };

    set_ca (transport, "ca.pem");
    g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (accept.calls, >=, 1);
    g_assert_true (accept.errors & G_TLS_CERTIFICATE_BAD_IDENTITY);

    reader = reader_for (MISSIVE_TRANSPORT (transport));
    assert_line (reader, "* OK secure");
    write_text (MISSIVE_TRANSPORT (transport), "a1 LOGOUT\r\n");
    assert_line (reader, "* BYE");
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }

  /* With a server identity that matches, it verifies on its own. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_script, server_cert, TRUE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);
    g_autoptr(MissiveReader) reader = NULL;
    AcceptData accept = { 0 };

    set_ca (transport, "ca.pem");
    missive_socket_transport_set_server_identity (transport, "mail.example.org");
    g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (accept.calls, ==, 0);

    reader = reader_for (MISSIVE_TRANSPORT (transport));
    assert_line (reader, "* OK secure");
    write_text (MISSIVE_TRANSPORT (transport), "a1 LOGOUT\r\n");
    assert_line (reader, "* BYE");
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }
}

static void
test_tls_pinned (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(GTlsCertificate) other_cert = missive_test_load_server_cert ("other-host");
  g_autoptr(GTlsCertificate) pin = load_cert ("server.pem");
  g_autoptr(GTlsCertificate) wrong_pin = load_cert ("other-host.pem");
  g_autoptr(GError) error = NULL;

  /* The pin alone is enough: no CA file, and the system CAs do not know
   * the test CA. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_script, server_cert, TRUE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);
    g_autoptr(MissiveReader) reader = NULL;
    AcceptData accept = { 0 };

    missive_socket_transport_set_pinned_certificate (transport, pin);
    g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (accept.calls, ==, 0);
    g_assert_true (g_tls_certificate_is_same (missive_transport_get_peer_certificate (MISSIVE_TRANSPORT (transport)),
                                              pin));

    reader = reader_for (MISSIVE_TRANSPORT (transport));
    assert_line (reader, "* OK secure");
    write_text (MISSIVE_TRANSPORT (transport), "a1 LOGOUT\r\n");
    assert_line (reader, "* BYE");
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }

  /* A certificate the CA vouches for, but not the pinned one. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_reject_script, server_cert, TRUE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);
    AcceptData accept = { .accept = TRUE };

    set_ca (transport, "ca.pem");
    missive_socket_transport_set_pinned_certificate (transport, wrong_pin);
    g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED);
    g_clear_error (&error);
    g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  }

  /* An unverifiable certificate that is not the pin: rejected, and the
   * application is not asked (its handler would accept). */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_reject_script, other_cert, TRUE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);
    AcceptData accept = { .accept = TRUE };

    missive_socket_transport_set_pinned_certificate (transport, pin);
    g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED);
    g_clear_error (&error);
    g_assert_cmpuint (accept.calls, ==, 0);
  }
}

static void
test_tls_ca_file_missing (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_reject_script, server_cert, TRUE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_TLS);
  g_autoptr(GError) error = NULL;

  missive_socket_transport_set_ca_file (transport, "/nonexistent/missive-ca.pem");
  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TLS_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/missive-ca.pem"));
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
}

/* ---- STARTTLS ------------------------------------------------------------ */

static void
test_starttls (void)
{
  static const MissiveTestStep script[] = {
    MT_SEND ("* OK plain\r\n"),
    MT_EXPECT ("a STARTTLS"),
    MT_SEND ("a OK begin\r\n"),
    MT_STARTTLS,
    MT_SEND ("* SECURE\r\n"),
    MT_EXPECT ("b NOOP"),
    MT_SEND ("b OK\r\n"),
    MT_WAIT_CLOSE,
    MT_END
  };
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, server_cert, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_STARTTLS);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  GIOStream *plain;
  guint established = 0;

  set_ca (transport, "ca.pem");
  g_signal_connect (transport, "tls-established", G_CALLBACK (on_tls_established), &established);

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));
  g_assert_cmpuint (established, ==, 0);
  plain = missive_transport_get_stream (MISSIVE_TRANSPORT (transport));

  reader = reader_for (MISSIVE_TRANSPORT (transport));
  assert_line (reader, "* OK plain");
  write_text (MISSIVE_TRANSPORT (transport), "a STARTTLS\r\n");
  assert_line (reader, "a OK begin");

  missive_transport_start_tls_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                     on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_start_tls_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (established, ==, 1);
  g_assert_true (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));
  /* Upgraded in place: a new stream over the same connection. */
  g_assert_true (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)) != plain);
  g_assert_true (g_tls_connection_get_peer_certificate (missive_transport_get_tls_connection (MISSIVE_TRANSPORT (transport))) != NULL);

  g_assert_cmpuint (missive_reader_replace_stream (reader,
                                                   g_io_stream_get_input_stream (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)))),
                    ==, 0);
  assert_line (reader, "* SECURE");
  write_text (MISSIVE_TRANSPORT (transport), "b NOOP\r\n");
  assert_line (reader, "b OK");

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

/* The server's go-ahead and a forged line arrive in one segment, before
 * the TLS handshake: the forged line must never be read as if it had come
 * over TLS. */
static void
test_starttls_injection (void)
{
  static const MissiveTestStep script[] = {
    MT_EXPECT ("a STARTTLS"),
    MT_SEND ("OK begin\r\n* INJECTED\r\n"),
    MT_STARTTLS,
    MT_SEND ("* SECURE\r\n"),
    MT_WAIT_CLOSE,
    MT_END
  };
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, server_cert, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_STARTTLS);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;

  set_ca (transport, "ca.pem");
  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);

  reader = reader_for (MISSIVE_TRANSPORT (transport));
  write_text (MISSIVE_TRANSPORT (transport), "a STARTTLS\r\n");
  assert_line (reader, "OK begin");

  if (!missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error))
    {
      /* The forged bytes reached the TLS layer and broke the handshake:
       * also safe, as long as nothing is readable afterwards. */
      g_test_message ("handshake failed: %s", error->message);
      g_assert_true (error->domain == MISSIVE_ERROR);
      g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
      return;
    }

  /* The handshake worked, so the forged line never reached the TLS layer:
   * the reader had it buffered, and drops it with the old stream. */
  g_assert_cmpuint (missive_reader_replace_stream (reader,
                                                   g_io_stream_get_input_stream (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)))),
                    ==, strlen ("* INJECTED\r\n"));
  for (guint i = 0; i < 10; i++)
    {
      line = missive_reader_read_line (reader, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, !=, "* INJECTED");
      if (g_strcmp0 (line, "* SECURE") == 0)
        break;
    }
  g_assert_cmpstr (line, ==, "* SECURE");

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

/* ---- time limits --------------------------------------------------------- */

/* The server accepts and never speaks TLS. */
static const MissiveTestStep silent_script[] = {
  MT_WAIT_CLOSE,
  MT_END
};

static void
test_handshake_timeout (void)
{
  g_autoptr(GError) error = NULL;

  /* Bounded by the inactivity time-out. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);

    missive_socket_transport_set_timeout (transport, 1);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TIMED_OUT);
    g_clear_error (&error);
    g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }

  /* With no inactivity limit, by the connect time-out. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_TLS);

    missive_socket_transport_set_timeout (transport, 0);
    missive_socket_transport_set_connect_timeout (transport, 1);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TIMED_OUT);
    g_clear_error (&error);
    assert_server_ok (server);
  }

  /* STARTTLS too; the failed upgrade leaves the transport closed. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_STARTTLS);

    missive_socket_transport_set_timeout (transport, 1);
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    g_assert_false (missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TIMED_OUT);
    g_clear_error (&error);
    g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }
}

/* A connect that never completes: a listener with a backlog of 0 whose one
 * queue slot is taken, so that Linux drops further SYNs. */
static void
test_connect_timeout (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) filler = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(MissiveSocketTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);

  filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_connect (filler, bound, NULL, &error);
  g_assert_no_error (error);

  transport = missive_socket_transport_new ("127.0.0.1",
                                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                                            MISSIVE_SECURITY_NONE);
  missive_socket_transport_set_connect_timeout (transport, 1);
  if (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error))
    {
      g_test_skip ("the kernel accepted a connection beyond the listen backlog");
      return;
    }
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TIMED_OUT);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  close_ok (MISSIVE_TRANSPORT (transport));
}

/* ---- cancellation -------------------------------------------------------- */

static void
test_cancel_connect (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* Cancelled while the connect is in flight. */
  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, cancellable,
                                on_result, &slot);
  g_cancellable_cancel (cancellable);
  result = wait_for (&slot);
  g_assert_false (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  close_ok (MISSIVE_TRANSPORT (transport));

  /* The blocking form with a cancelled cancellable. */
  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  close_ok (MISSIVE_TRANSPORT (transport));
}

static void
test_cancel_handshake (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_TLS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* No time limits: only the cancellation can end the handshake. */
  missive_socket_transport_set_timeout (transport, 0);
  missive_socket_transport_set_connect_timeout (transport, 0);

  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, cancellable,
                                on_result, &slot);
  g_timeout_add (200, cancel_cb, cancellable);
  result = wait_for (&slot);
  g_assert_false (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

static void
test_cancel_read (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  GInputStream *input;
  char buffer[16];

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  input = g_io_stream_get_input_stream (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)));

  g_input_stream_read_async (input, buffer, sizeof buffer, G_PRIORITY_DEFAULT, cancellable,
                             on_result, &slot);
  g_timeout_add (100, cancel_cb, cancellable);
  result = wait_for (&slot);
  g_assert_cmpint (g_input_stream_read_finish (input, result, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

static void
test_close_while_opening (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_TLS);
  g_autoptr(GAsyncResult) open_result = NULL;
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *open_slot = NULL;
  GAsyncResult *close_slot = NULL;

  missive_socket_transport_set_timeout (transport, 0);
  missive_socket_transport_set_connect_timeout (transport, 0);

  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                on_result, &open_slot);
  missive_transport_close_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                 on_result, &close_slot);

  open_result = wait_for (&open_slot);
  g_assert_false (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), open_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  close_result = wait_for (&close_slot);
  g_assert_true (missive_transport_close_finish (MISSIVE_TRANSPORT (transport), close_result, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
}

/* ---- socket options ------------------------------------------------------ */

static GSocket *
transport_socket (MissiveTransport *transport)
{
  GIOStream *stream = missive_transport_get_stream (transport);

  g_assert_true (G_IS_SOCKET_CONNECTION (stream));
  return g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
}

static char *
remote_address (MissiveTransport *transport)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (transport_socket (transport), &error);

  g_assert_no_error (error);
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

static void
test_address_preference (void)
{
  g_autoptr(GError) error = NULL;

  /* IPv4 only: "localhost" means 127.0.0.1. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "localhost",
                                                                 MISSIVE_SECURITY_NONE);
    g_autofree char *remote = NULL;

    missive_socket_transport_set_address_preference (transport,
                                                     MISSIVE_ADDRESS_PREFERENCE_IPV4_ONLY);
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    remote = remote_address (MISSIVE_TRANSPORT (transport));
    g_assert_cmpstr (remote, ==, "127.0.0.1");
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }

  /* IPv6 first: ::1 (if any) refuses, the IPv4 address is tried next. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "localhost",
                                                                 MISSIVE_SECURITY_NONE);
    g_autofree char *remote = NULL;

    missive_socket_transport_set_address_preference (transport, MISSIVE_ADDRESS_PREFERENCE_IPV6);
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    remote = remote_address (MISSIVE_TRANSPORT (transport));
    g_assert_cmpstr (remote, ==, "127.0.0.1");
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }

  /* IPv6 only: the IPv4-only server is out of reach. */
  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "localhost",
                                                                 MISSIVE_SECURITY_NONE);

    missive_socket_transport_set_address_preference (transport,
                                                     MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED);
    g_clear_error (&error);
    g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  }

  /* An IPv4 literal with IPv6 only. */
  {
    g_autoptr(MissiveSocketTransport) transport =
      missive_socket_transport_new ("127.0.0.1", 143, MISSIVE_SECURITY_NONE);

    missive_socket_transport_set_address_preference (transport,
                                                     MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY);
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED);
    g_clear_error (&error);
  }
}

static void
test_keepalive (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;
  int value = -1;

  missive_socket_transport_set_keepalive (transport, TRUE);
  g_assert_true (missive_socket_transport_get_keepalive (transport));
  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_socket_get_option (transport_socket (MISSIVE_TRANSPORT (transport)),
                                      SOL_SOCKET, SO_KEEPALIVE, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, !=, 0);

  /* It applies to the open connection too. */
  missive_socket_transport_set_keepalive (transport, FALSE);
  g_assert_true (g_socket_get_option (transport_socket (MISSIVE_TRANSPORT (transport)),
                                      SOL_SOCKET, SO_KEEPALIVE, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 0);

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

static void
test_local_address (void)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(MissiveTestServer) server = missive_test_server_new (silent_script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                                 MISSIVE_SECURITY_NONE);
    g_autoptr(GSocketAddress) local = NULL;
    g_autofree char *address = NULL;

    missive_socket_transport_set_local_address (transport, "127.0.0.1");
    g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_no_error (error);
    local = g_socket_get_local_address (transport_socket (MISSIVE_TRANSPORT (transport)), &error);
    g_assert_no_error (error);
    address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
    g_assert_cmpstr (address, ==, "127.0.0.1");
    close_ok (MISSIVE_TRANSPORT (transport));
    assert_server_ok (server);
  }

  {
    g_autoptr(MissiveSocketTransport) transport =
      missive_socket_transport_new ("127.0.0.1", 143, MISSIVE_SECURITY_NONE);

    missive_socket_transport_set_local_address (transport, "not an address");
    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
}

static void
test_proxy (void)
{
  /* A SOCKS5 client starts with: version 5, one method, "no auth". */
  static const MissiveTestStep script[] = {
    { MISSIVE_TEST_STEP_EXPECT_BYTES, "\x05\x01\x00", 3 },
    MT_CLOSE,
    MT_END
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport =
    missive_socket_transport_new ("mail.example.org", 143, MISSIVE_SECURITY_NONE);
  g_autofree char *uri = g_strdup_printf ("socks5://127.0.0.1:%u", missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;

  missive_socket_transport_set_connect_timeout (transport, 10);
  missive_socket_transport_set_proxy_uri (transport, uri);
  g_assert_cmpstr (missive_socket_transport_get_proxy_uri (transport), ==, uri);
  g_assert_true (G_IS_SIMPLE_PROXY_RESOLVER (missive_socket_transport_get_proxy_resolver (transport)));

  /* The connection went to the proxy, which then hung up. */
  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED);
  assert_server_ok (server);

  /* Another resolver replaces the URI. */
  missive_socket_transport_set_proxy_resolver (transport, NULL);
  g_assert_null (missive_socket_transport_get_proxy_uri (transport));
  g_assert_null (missive_socket_transport_get_proxy_resolver (transport));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_properties (void)
{
  g_autoptr(MissiveSocketTransport) transport =
    missive_socket_transport_new ("mail.example.org", 993, MISSIVE_SECURITY_TLS);
  g_autoptr(GTlsCertificate) client_cert = missive_test_load_server_cert ("client");
  g_autofree char *identity = NULL;
  guint notified = 0;
  guint64 rate = 0;

  g_assert_cmpstr (missive_socket_transport_get_host (transport), ==, "mail.example.org");
  g_assert_cmpuint (missive_socket_transport_get_port (transport), ==, 993);
  g_assert_cmpint (missive_socket_transport_get_security (transport), ==, MISSIVE_SECURITY_TLS);
  g_assert_cmpuint (missive_socket_transport_get_connect_timeout (transport), >, 0);
  g_assert_cmpuint (missive_socket_transport_get_timeout (transport), ==, 0);
  g_assert_cmpint (missive_socket_transport_get_address_preference (transport), ==,
                   MISSIVE_ADDRESS_PREFERENCE_ANY);

  /* The server identity defaults to the host. */
  g_assert_cmpstr (missive_socket_transport_get_server_identity (transport), ==, "mail.example.org");
  g_signal_connect (transport, "notify::server-identity", G_CALLBACK (on_notify), &notified);
  missive_socket_transport_set_server_identity (transport, "imap.example.org");
  missive_socket_transport_set_server_identity (transport, "imap.example.org");
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (transport, "server-identity", &identity, NULL);
  g_assert_cmpstr (identity, ==, "imap.example.org");
  missive_socket_transport_set_server_identity (transport, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (missive_socket_transport_get_server_identity (transport), ==, "mail.example.org");

  missive_socket_transport_set_client_certificate (transport, client_cert);
  g_assert_true (missive_socket_transport_get_client_certificate (transport) == client_cert);

  g_object_set (transport, "rate-limit", (guint64) 4096, NULL);
  g_object_get (transport, "rate-limit", &rate, NULL);
  g_assert_cmpuint (rate, ==, 4096);
}

/* ---- rate limit ---------------------------------------------------------- */

#define RATE_LIMIT (16 * 1024)
#define RATE_PAYLOAD (32 * 1024)

static char *
make_payload (char seed)
{
  char *payload = g_malloc (RATE_PAYLOAD);

  for (gsize i = 0; i < RATE_PAYLOAD; i++)
    payload[i] = (char) (seed + i % 61);
  return payload;
}

static void
test_rate_limit (void)
{
  g_autofree char *upload = make_payload ('A');
  g_autofree char *download = make_payload ('a');
  const MissiveTestStep script[] = {
    { MISSIVE_TEST_STEP_EXPECT_BYTES, upload, RATE_PAYLOAD },
    MT_SEND_LEN (download, RATE_PAYLOAD),
    MT_WAIT_CLOSE,
    MT_END
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_NONE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *received = g_malloc (RATE_PAYLOAD);
  MissiveThrottleStats read_stats, write_stats;
  GAsyncResult *slot = NULL;
  GIOStream *stream;
  gsize done = 0;

  missive_socket_transport_set_rate_limit (transport, RATE_LIMIT);
  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  stream = missive_transport_get_stream (MISSIVE_TRANSPORT (transport));
  g_assert_true (MISSIVE_IS_THROTTLED_STREAM (stream));

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), upload, RATE_PAYLOAD,
                                   G_PRIORITY_DEFAULT, NULL, on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (g_output_stream_write_all_finish (g_io_stream_get_output_stream (stream),
                                                   result, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done, ==, RATE_PAYLOAD);
  g_clear_object (&result);

  g_input_stream_read_all_async (g_io_stream_get_input_stream (stream), received, RATE_PAYLOAD,
                                 G_PRIORITY_DEFAULT, NULL, on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (g_input_stream_read_all_finish (g_io_stream_get_input_stream (stream),
                                                 result, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done, ==, RATE_PAYLOAD);
  g_assert_cmpmem (received, RATE_PAYLOAD, download, RATE_PAYLOAD);

  /* Twice the per-second budget went each way: each direction had to wait
   * (which, at this rate, means at least a second), and no single
   * operation moved more than a second's worth. */
  missive_throttled_stream_get_stats (MISSIVE_THROTTLED_STREAM (stream), &read_stats, &write_stats);
  g_assert_cmpuint (write_stats.bytes, ==, RATE_PAYLOAD);
  g_assert_cmpuint (write_stats.delays, >=, 1);
  g_assert_cmpuint (write_stats.delayed_usec, >, 0);
  g_assert_cmpuint (write_stats.largest_chunk, <=, RATE_LIMIT);
  g_assert_cmpuint (read_stats.bytes, ==, RATE_PAYLOAD);
  g_assert_cmpuint (read_stats.delays, >=, 1);
  g_assert_cmpuint (read_stats.largest_chunk, <=, RATE_LIMIT);

  /* The limit can be changed on the open connection. */
  missive_socket_transport_set_rate_limit (transport, 0);
  g_assert_cmpuint (missive_throttled_stream_get_rate (MISSIVE_THROTTLED_STREAM (stream)), ==, 0);

  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

/* Blocking I/O through the throttle, and TLS on top of it (the TLS layer
 * needs a pollable base stream). */
static void
test_rate_limit_tls (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_script, server_cert, TRUE);
  g_autoptr(MissiveSocketTransport) transport = transport_for (server, "127.0.0.1",
                                                               MISSIVE_SECURITY_TLS);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  set_ca (transport, "ca.pem");
  missive_socket_transport_set_rate_limit (transport, 1024 * 1024);
  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_CONNECTION (missive_transport_get_stream (MISSIVE_TRANSPORT (transport))));

  reader = reader_for (MISSIVE_TRANSPORT (transport));
  assert_line (reader, "* OK secure");
  write_text (MISSIVE_TRANSPORT (transport), "a1 LOGOUT\r\n");
  assert_line (reader, "* BYE");
  close_ok (MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

/* ---- command transport --------------------------------------------------- */

static void
test_command_cat (void)
{
  const char *argv[] = { "/bin/cat", NULL };
  g_autoptr(MissiveCommandTransport) transport = missive_command_transport_new (argv);
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_assert_cmpstrv (missive_command_transport_get_argv (transport), argv);
  g_assert_null (missive_command_transport_get_subprocess (transport));

  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  g_assert_true (G_IS_SUBPROCESS (missive_command_transport_get_subprocess (transport)));
  g_assert_false (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));

  reader = reader_for (MISSIVE_TRANSPORT (transport));
  write_text (MISSIVE_TRANSPORT (transport), "* OK echo\r\nsecond\r\n");
  assert_line (reader, "* OK echo");
  assert_line (reader, "second");

  g_assert_false (missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  missive_transport_close_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                 on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_close_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  g_assert_null (missive_command_transport_get_subprocess (transport));

  /* It can run the program again. */
  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  close_ok (MISSIVE_TRANSPORT (transport));
}

/* A program that ignores the end of its input is killed. */
static void
test_command_kill (void)
{
  const char *argv[] = { "/bin/sleep", "60", NULL };
  g_autoptr(MissiveCommandTransport) transport = missive_command_transport_new (argv);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  subprocess = g_object_ref (missive_command_transport_get_subprocess (transport));
  close_ok (MISSIVE_TRANSPORT (transport));

  g_assert_true (g_subprocess_wait (subprocess, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (subprocess));
}

static void
test_command_missing (void)
{
  const char *argv[] = { "/nonexistent/missive-no-such-program", "--flag", NULL };
  g_autoptr(MissiveCommandTransport) transport = missive_command_transport_new (argv);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "missive-no-such-program"));
  g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (transport)));
  close_ok (MISSIVE_TRANSPORT (transport));
}

/* ---- stream transport ---------------------------------------------------- */

static void
test_stream_socketpair (void)
{
  int fds[2];
  g_autoptr(GSocket) ours = NULL;
  g_autoptr(GSocket) theirs = NULL;
  g_autoptr(GSocketConnection) our_end = NULL;
  g_autoptr(GSocketConnection) their_end = NULL;
  g_autoptr(MissiveStreamTransport) transport = NULL;
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  char buffer[32] = { 0 };
  gsize done = 0;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  ours = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  theirs = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  our_end = g_socket_connection_factory_create_connection (ours);
  their_end = g_socket_connection_factory_create_connection (theirs);

  transport = missive_stream_transport_new (G_IO_STREAM (our_end), NULL);
  g_assert_null (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)));

  missive_transport_open_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_open_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (missive_transport_get_stream (MISSIVE_TRANSPORT (transport)) == G_IO_STREAM (our_end));

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (their_end)),
                             "* OK pair\r\n", 11, NULL, NULL, &error);
  g_assert_no_error (error);
  reader = reader_for (MISSIVE_TRANSPORT (transport));
  assert_line (reader, "* OK pair");
  write_text (MISSIVE_TRANSPORT (transport), "hello\r\n");
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (their_end)),
                           buffer, 7, &done, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (buffer, ==, "hello\r\n");

  missive_transport_close_async (MISSIVE_TRANSPORT (transport), G_PRIORITY_DEFAULT, NULL,
                                 on_result, &slot);
  result = wait_for (&slot);
  g_assert_true (missive_transport_close_finish (MISSIVE_TRANSPORT (transport), result, &error));
  g_assert_no_error (error);
  g_assert_true (g_io_stream_is_closed (G_IO_STREAM (our_end)));

  /* A closed stream cannot be opened again. */
  g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
}

static void
test_stream_starttls (void)
{
  static const MissiveTestStep script[] = {
    MT_SEND ("* OK plain\r\n"),
    MT_EXPECT ("a STARTTLS"),
    MT_SEND ("a OK begin\r\n"),
    MT_STARTTLS,
    MT_SEND ("* SECURE\r\n"),
    MT_WAIT_CLOSE,
    MT_END
  };
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, server_cert, FALSE);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(MissiveStreamTransport) transport = NULL;
  g_autoptr(MissiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  AcceptData accept = { .accept = TRUE };
  guint established = 0;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                missive_test_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);
  transport = missive_stream_transport_new (G_IO_STREAM (connection), "localhost");
  g_signal_connect (transport, "accept-certificate", G_CALLBACK (on_accept_certificate), &accept);
  g_signal_connect (transport, "tls-established", G_CALLBACK (on_tls_established), &established);

  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  reader = reader_for (MISSIVE_TRANSPORT (transport));
  assert_line (reader, "* OK plain");
  write_text (MISSIVE_TRANSPORT (transport), "a STARTTLS\r\n");
  assert_line (reader, "a OK begin");

  g_assert_true (missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  /* The system CAs do not know the test CA; the name matches. */
  g_assert_cmpuint (accept.calls, >=, 1);
  g_assert_true (accept.errors & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_false (accept.errors & G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_assert_cmpuint (established, ==, 1);
  g_assert_true (missive_transport_is_tls (MISSIVE_TRANSPORT (transport)));

  missive_reader_replace_stream (reader,
                                 g_io_stream_get_input_stream (missive_transport_get_stream (MISSIVE_TRANSPORT (transport))));
  assert_line (reader, "* SECURE");

  close_ok (MISSIVE_TRANSPORT (transport));
  g_assert_true (g_io_stream_is_closed (G_IO_STREAM (connection)));
  assert_server_ok (server);
}

/* ---- no TLS backend ------------------------------------------------------ */

static void
test_tls_unavailable_child (void)
{
  int fds[2];
  g_autoptr(GSocket) ours = NULL;
  g_autoptr(GSocket) theirs = NULL;
  g_autoptr(GSocketConnection) our_end = NULL;
  g_autoptr(MissiveStreamTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  /* Before anything asks GIO for its TLS backend. */
  g_setenv ("GIO_USE_TLS", "dummy", TRUE);
  g_assert_false (g_tls_backend_supports_tls (g_tls_backend_get_default ()));

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  ours = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  theirs = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  our_end = g_socket_connection_factory_create_connection (ours);

  transport = missive_stream_transport_new (G_IO_STREAM (our_end), "localhost");
  g_assert_true (missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (missive_transport_start_tls (MISSIVE_TRANSPORT (transport), NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TLS_UNAVAILABLE);
  g_clear_error (&error);

  {
    static const MissiveTestStep script[] = { MT_WAIT_CLOSE, MT_END };
    g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
    g_autoptr(MissiveSocketTransport) socket_transport =
      transport_for (server, "127.0.0.1", MISSIVE_SECURITY_TLS);

    g_assert_false (missive_transport_open (MISSIVE_TRANSPORT (socket_transport), NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TLS_UNAVAILABLE);
    g_assert_false (missive_transport_is_open (MISSIVE_TRANSPORT (socket_transport)));
    assert_server_ok (server);
  }
}

static void
test_tls_unavailable (void)
{
  g_test_trap_subprocess ("/transport/tls/unavailable/subprocess", 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/transport/plain/blocking", test_plain_blocking);
  g_test_add_func ("/transport/plain/async", test_plain_async);
  g_test_add_func ("/transport/plain/state-errors", test_plain_state_errors);
  g_test_add_func ("/transport/plain/refused", test_refused);
  g_test_add_func ("/transport/plain/peer-closes-mid-line", test_peer_closes_mid_line);
  g_test_add_func ("/transport/tls/implicit", test_tls_implicit);
  g_test_add_func ("/transport/tls/fingerprint", test_tls_fingerprint);
  g_test_add_func ("/transport/tls/wrong-ca", test_tls_wrong_ca);
  g_test_add_func ("/transport/tls/other-host", test_tls_other_host);
  g_test_add_func ("/transport/tls/pinned", test_tls_pinned);
  g_test_add_func ("/transport/tls/ca-file-missing", test_tls_ca_file_missing);
  g_test_add_func ("/transport/tls/unavailable", test_tls_unavailable);
  g_test_add_func ("/transport/tls/unavailable/subprocess", test_tls_unavailable_child);
  g_test_add_func ("/transport/starttls/in-place", test_starttls);
  g_test_add_func ("/transport/starttls/injection", test_starttls_injection);
  g_test_add_func ("/transport/timeout/connect", test_connect_timeout);
  g_test_add_func ("/transport/timeout/handshake", test_handshake_timeout);
  g_test_add_func ("/transport/cancel/connect", test_cancel_connect);
  g_test_add_func ("/transport/cancel/handshake", test_cancel_handshake);
  g_test_add_func ("/transport/cancel/read", test_cancel_read);
  g_test_add_func ("/transport/cancel/close-while-opening", test_close_while_opening);
  g_test_add_func ("/transport/socket/address-preference", test_address_preference);
  g_test_add_func ("/transport/socket/keepalive", test_keepalive);
  g_test_add_func ("/transport/socket/local-address", test_local_address);
  g_test_add_func ("/transport/socket/proxy", test_proxy);
  g_test_add_func ("/transport/socket/properties", test_properties);
  g_test_add_func ("/transport/socket/rate-limit", test_rate_limit);
  g_test_add_func ("/transport/socket/rate-limit-tls", test_rate_limit_tls);
  g_test_add_func ("/transport/command/cat", test_command_cat);
  g_test_add_func ("/transport/command/kill", test_command_kill);
  g_test_add_func ("/transport/command/missing", test_command_missing);
  g_test_add_func ("/transport/stream/socketpair", test_stream_socketpair);
  g_test_add_func ("/transport/stream/starttls", test_stream_starttls);

  return g_test_run ();
}
