/* test-utils.c: shared helpers of Missive's test suites
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "test-utils.h"

/* Every blocking read of the fake server gives up after this long. */
#define SERVER_IO_TIMEOUT_SECONDS 10
/* missive_test_server_finish() waits at most this long for the script. */
#define SERVER_FINISH_TIMEOUT_SECONDS 30
/* The longest line the fake server accepts from a client. */
#define SERVER_MAX_LINE (1024 * 1024)

/**
 * missive_test_init:
 * @argc: the address of main()'s argc
 * @argv: the address of main()'s argv
 *
 * Isolates GIO from the machine's configuration (settings in memory, the
 * local VFS only, no proxy resolver) and initialises GTest with
 * %G_TEST_OPTION_ISOLATE_DIRS. Call it first thing in main().
 */
void
missive_test_init (int    *argc,
                   char ***argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/* ---- scripted fake server ------------------------------------------------ */

struct _MissiveTestServer
{
  const MissiveTestStep *script;
  GTlsCertificate *certificate;
  gboolean implicit_tls;

  GSocket *listener;
  guint16 port;
  GCancellable *cancellable;
  GThread *thread;

  /* Owned by the server thread while it runs. */
  GIOStream *plain;   /* the accepted GSocketConnection */
  GIOStream *stream;  /* plain, or the TLS connection over it */
  GByteArray *buffer; /* bytes read but not consumed yet */

  /* Shared with the test thread, under @mutex. */
  GMutex mutex;
  GCond cond;
  gboolean done;
  gboolean joined;
  GError *error;
};

static const char *
step_name (MissiveTestStepKind kind)
{
  switch (kind)
    {
    case MISSIVE_TEST_STEP_SEND: return "SEND";
    case MISSIVE_TEST_STEP_EXPECT: return "EXPECT";
    case MISSIVE_TEST_STEP_EXPECT_PREFIX: return "EXPECT_PREFIX";
    case MISSIVE_TEST_STEP_READ_LINE: return "READ_LINE";
    case MISSIVE_TEST_STEP_EXPECT_BYTES: return "EXPECT_BYTES";
    case MISSIVE_TEST_STEP_STARTTLS: return "STARTTLS";
    case MISSIVE_TEST_STEP_SLEEP: return "SLEEP";
    case MISSIVE_TEST_STEP_WAIT_CLOSE: return "WAIT_CLOSE";
    case MISSIVE_TEST_STEP_CLOSE: return "CLOSE";
    case MISSIVE_TEST_STEP_END: return "END";
    default: return "?";
    }
}

/* Tops up server->buffer with whatever the client sends next. Returns the
 * number of bytes added: 0 at end of stream, -1 on error. */
static gssize
server_fill (MissiveTestServer  *server,
             GError            **error)
{
  guint8 chunk[4096];
  gssize n;

  n = g_input_stream_read (g_io_stream_get_input_stream (server->stream),
                           chunk, sizeof chunk, server->cancellable, error);
  if (n > 0)
    g_byte_array_append (server->buffer, chunk, n);
  return n;
}

/* Reads one line, without its CRLF (or bare LF). */
static char *
server_read_line (MissiveTestServer  *server,
                  GError            **error)
{
  for (;;)
    {
      guint8 *nl = server->buffer->len > 0
                   ? memchr (server->buffer->data, '\n', server->buffer->len)
                   : NULL;
      gssize n;

      if (nl != NULL)
        {
          gsize line_len = nl - server->buffer->data;
          gsize keep = line_len;
          char *line;

          if (keep > 0 && server->buffer->data[keep - 1] == '\r')
            keep--;
          line = g_strndup ((const char *) server->buffer->data, keep);
          g_byte_array_remove_range (server->buffer, 0, line_len + 1);
          return line;
        }
      if (server->buffer->len > SERVER_MAX_LINE)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "line longer than %d bytes", SERVER_MAX_LINE);
          return NULL;
        }

      n = server_fill (server, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "client closed the connection (%u bytes pending: \"%.*s\")",
                       server->buffer->len, (int) MIN (server->buffer->len, 80),
                       (const char *) server->buffer->data);
          return NULL;
        }
    }
}

static GBytes *
server_read_bytes (MissiveTestServer  *server,
                   gsize               length,
                   GError            **error)
{
  while (server->buffer->len < length)
    {
      gssize n = server_fill (server, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "client closed the connection after %u of %" G_GSIZE_FORMAT " bytes",
                       server->buffer->len, length);
          return NULL;
        }
    }

  {
    GBytes *bytes = g_bytes_new (server->buffer->data, length);
    g_byte_array_remove_range (server->buffer, 0, length);
    return bytes;
  }
}

static gboolean
is_close_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF);
}

/* Reads and throws away everything until the client closes. Bounded by
 * the socket timeout of every read. */
static gboolean
server_wait_close (MissiveTestServer  *server,
                   GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  g_byte_array_set_size (server->buffer, 0);
  do
    {
      n = server_fill (server, &local_error);
      g_byte_array_set_size (server->buffer, 0);
    }
  while (n > 0);

  if (n == 0 || is_close_error (local_error))
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
server_accept_any_certificate (GTlsConnection       *conn,
                               GTlsCertificate      *peer_cert,
                               GTlsCertificateFlags  errors,
                               gpointer              user_data)
{
  return TRUE;
}

static gboolean
server_start_tls (MissiveTestServer  *server,
                  GError            **error)
{
  g_autoptr(GIOStream) tls = NULL;

  if (server->certificate == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the script asks for TLS but the server has no certificate");
      return FALSE;
    }
  if (server->buffer->len > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "client sent %u plaintext bytes before the TLS handshake",
                   server->buffer->len);
      return FALSE;
    }

  tls = g_tls_server_connection_new (server->plain, server->certificate, error);
  if (tls == NULL)
    return FALSE;
  /* A client certificate, when one is sent, is taken without checks: the
   * fake server tests the client, not the other way round. */
  g_signal_connect (tls, "accept-certificate",
                    G_CALLBACK (server_accept_any_certificate), NULL);
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), server->cancellable, error))
    return FALSE;

  g_clear_object (&server->stream);
  server->stream = g_steal_pointer (&tls);
  return TRUE;
}

static gboolean
server_sleep (MissiveTestServer *server,
              gssize             milliseconds)
{
  gint64 deadline = g_get_monotonic_time () + MAX (milliseconds, 0) * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    {
      if (g_cancellable_is_cancelled (server->cancellable))
        return FALSE;
      g_usleep (MIN (10 * G_TIME_SPAN_MILLISECOND,
                     MAX (deadline - g_get_monotonic_time (), 0)));
    }
  return TRUE;
}

static void
server_close (MissiveTestServer *server)
{
  if (server->stream != NULL)
    g_io_stream_close (server->stream, NULL, NULL);
  if (server->plain != NULL && server->plain != server->stream)
    g_io_stream_close (server->plain, NULL, NULL);
  g_clear_object (&server->stream);
  g_clear_object (&server->plain);
}

static gboolean
server_need_stream (MissiveTestServer  *server,
                    GError            **error)
{
  if (server->stream != NULL)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                       "the connection was already closed by an earlier step");
  return FALSE;
}

/* Plays one step; FALSE with @error on a mismatch or an I/O failure. Sets
 * @finished at MISSIVE_TEST_STEP_END. */
static gboolean
server_play_step (MissiveTestServer      *server,
                  const MissiveTestStep  *step,
                  gboolean               *finished,
                  GError                **error)
{
  g_autofree char *line = NULL;

  switch (step->kind)
    {
    case MISSIVE_TEST_STEP_SEND:
      {
        gsize len = step->length < 0 ? strlen (step->data) : (gsize) step->length;

        if (!server_need_stream (server, error))
          return FALSE;
        return g_output_stream_write_all (g_io_stream_get_output_stream (server->stream),
                                          step->data, len, NULL,
                                          server->cancellable, error) &&
               g_output_stream_flush (g_io_stream_get_output_stream (server->stream),
                                      server->cancellable, error);
      }

    case MISSIVE_TEST_STEP_EXPECT:
    case MISSIVE_TEST_STEP_EXPECT_PREFIX:
    case MISSIVE_TEST_STEP_READ_LINE:
      if (!server_need_stream (server, error))
        return FALSE;
      line = server_read_line (server, error);
      if (line == NULL)
        return FALSE;
      if ((step->kind == MISSIVE_TEST_STEP_EXPECT && strcmp (line, step->data) != 0) ||
          (step->kind == MISSIVE_TEST_STEP_EXPECT_PREFIX && !g_str_has_prefix (line, step->data)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "expected \"%s\", got \"%s\"", step->data, line);
          return FALSE;
        }
      return TRUE;

    case MISSIVE_TEST_STEP_EXPECT_BYTES:
      {
        g_autoptr(GBytes) got = NULL;
        gsize len = step->length < 0 ? strlen (step->data) : (gsize) step->length;

        if (!server_need_stream (server, error))
          return FALSE;
        got = server_read_bytes (server, len, error);
        if (got == NULL)
          return FALSE;
        if (len > 0 && memcmp (g_bytes_get_data (got, NULL), step->data, len) != 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "the %" G_GSIZE_FORMAT " bytes received differ from the script",
                         len);
            return FALSE;
          }
        return TRUE;
      }

    case MISSIVE_TEST_STEP_STARTTLS:
      if (!server_need_stream (server, error))
        return FALSE;
      return server_start_tls (server, error);

    case MISSIVE_TEST_STEP_SLEEP:
      if (!server_sleep (server, step->length))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "the server was stopped");
          return FALSE;
        }
      return TRUE;

    case MISSIVE_TEST_STEP_WAIT_CLOSE:
      if (!server_need_stream (server, error))
        return FALSE;
      return server_wait_close (server, error);

    case MISSIVE_TEST_STEP_CLOSE:
      server_close (server);
      return TRUE;

    case MISSIVE_TEST_STEP_END:
      *finished = TRUE;
      return TRUE;

    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown step kind %d", step->kind);
      return FALSE;
    }
}

static gboolean
server_run (MissiveTestServer  *server,
            GError            **error)
{
  g_autoptr(GSocket) socket = NULL;
  gboolean finished = FALSE;

  socket = g_socket_accept (server->listener, server->cancellable, error);
  if (socket == NULL)
    {
      g_prefix_error (error, "accept: ");
      return FALSE;
    }
  g_socket_set_timeout (socket, SERVER_IO_TIMEOUT_SECONDS);
  server->plain = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  server->stream = g_object_ref (server->plain);

  if (server->implicit_tls && !server_start_tls (server, error))
    {
      g_prefix_error (error, "implicit TLS handshake: ");
      return FALSE;
    }

  for (guint i = 0; !finished; i++)
    {
      const MissiveTestStep *step = &server->script[i];

      if (!server_play_step (server, step, &finished, error))
        {
          gboolean show = step->data != NULL &&
                          step->kind != MISSIVE_TEST_STEP_SEND &&
                          step->kind != MISSIVE_TEST_STEP_EXPECT_BYTES;

          g_prefix_error (error, "step %u (%s%s%s%s): ", i, step_name (step->kind),
                          show ? " \"" : "", show ? step->data : "", show ? "\"" : "");
          return FALSE;
        }
    }
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  MissiveTestServer *server = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  server->buffer = g_byte_array_new ();

  server_run (server, &error);
  server_close (server);

  g_clear_pointer (&server->buffer, g_byte_array_unref);
  g_main_context_pop_thread_default (context);

  g_mutex_lock (&server->mutex);
  server->error = g_steal_pointer (&error);
  server->done = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->mutex);

  return NULL;
}

/**
 * missive_test_server_new:
 * @script: the steps, ending with %MISSIVE_TEST_STEP_END
 * @certificate: (nullable): the server certificate for TLS steps
 * @implicit_tls: whether to run the TLS handshake right after accept
 *
 * Starts a fake server on 127.0.0.1 with a kernel-chosen port. It accepts
 * one connection and plays @script in its own thread with blocking I/O;
 * every read gives up after 10 seconds. The first step that does not go as
 * scripted (or a failed TLS handshake) ends the script, closes the
 * connection, and is reported by missive_test_server_finish().
 *
 * Returns: (transfer full): the running server
 */
MissiveTestServer *
missive_test_server_new (const MissiveTestStep *script,
                         GTlsCertificate       *certificate,
                         gboolean               implicit_tls)
{
  MissiveTestServer *server;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (script);

  server = g_new0 (MissiveTestServer, 1);
  server->script = script;
  server->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  server->implicit_tls = implicit_tls;
  server->cancellable = g_cancellable_new ();
  g_mutex_init (&server->mutex);
  g_cond_init (&server->cond);

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (server->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (server->listener, &error);
  g_assert_no_error (error);
  /* Accept, too, gives up eventually if the client never comes. */
  g_socket_set_timeout (server->listener, SERVER_FINISH_TIMEOUT_SECONDS);

  bound = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  server->thread = g_thread_new ("missive-test-server", server_thread, server);
  return server;
}

/**
 * missive_test_server_get_port:
 * @server: a fake server
 *
 * Returns: the TCP port the server listens on, on 127.0.0.1
 */
guint16
missive_test_server_get_port (MissiveTestServer *server)
{
  g_assert_nonnull (server);
  return server->port;
}

/* Waits until the thread is done or @deadline (monotonic) passes; then, or
 * right away if it is not done, cancels it and joins it. */
static void
server_stop (MissiveTestServer *server,
             gint64             deadline)
{
  gboolean timed_out = FALSE;

  if (server->joined)
    return;

  g_mutex_lock (&server->mutex);
  while (!server->done)
    {
      if (!g_cond_wait_until (&server->cond, &server->mutex, deadline))
        {
          timed_out = !server->done;
          break;
        }
    }
  g_mutex_unlock (&server->mutex);

  /* Unblocks every blocking call of the thread: accept, reads, writes and
   * the handshake all take the cancellable. */
  g_cancellable_cancel (server->cancellable);
  g_thread_join (server->thread);
  server->thread = NULL;
  server->joined = TRUE;

  if (timed_out)
    {
      g_clear_error (&server->error);
      g_set_error (&server->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "the server script did not finish within %d s",
                   SERVER_FINISH_TIMEOUT_SECONDS);
    }
}

/**
 * missive_test_server_finish:
 * @server: a fake server
 * @error: return location for the first step that failed
 *
 * Waits, at most 30 seconds, for the script to end, and reports how it
 * went. A script still running after that is stopped and reported as
 * %G_IO_ERROR_TIMED_OUT.
 *
 * Returns: %TRUE if every step went as scripted
 */
gboolean
missive_test_server_finish (MissiveTestServer  *server,
                            GError            **error)
{
  g_assert_nonnull (server);

  server_stop (server, g_get_monotonic_time () +
                       SERVER_FINISH_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND);
  if (server->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (server->error);
      return FALSE;
    }
  return TRUE;
}

/**
 * missive_test_server_free:
 * @server: (transfer full): a fake server
 *
 * Stops the server at once (without waiting for its script) and frees it.
 */
void
missive_test_server_free (MissiveTestServer *server)
{
  if (server == NULL)
    return;

  server_stop (server, g_get_monotonic_time ());
  g_socket_close (server->listener, NULL);
  g_clear_object (&server->listener);
  g_clear_object (&server->cancellable);
  g_clear_object (&server->certificate);
  g_clear_error (&server->error);
  g_mutex_clear (&server->mutex);
  g_cond_clear (&server->cond);
  g_free (server);
}

/* ---- test certificates ---------------------------------------------------- */

/**
 * missive_test_cert_path:
 * @name: a file name under tests/certs/, e.g. "ca.pem"; ".pem" is appended
 *   when @name has no extension
 *
 * Finds a test certificate or key. The directory is taken from
 * `G_TEST_SRCDIR` (set by `meson test`); when a test runs by hand without
 * it, the source tree is found from the build tree.
 *
 * Returns: (transfer full): the file's path
 */
char *
missive_test_cert_path (const char *name)
{
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (name);

  file = strchr (name, '.') != NULL ? g_strdup (name) : g_strconcat (name, ".pem", NULL);
  path = g_test_build_filename (G_TEST_DIST, "certs", file, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* __FILE__ is relative to the build root, one level above the test
       * executables, or absolute. */
      g_autofree char *src_dir = g_path_get_dirname (__FILE__);
      g_autofree char *candidate = NULL;

      if (g_path_is_absolute (src_dir))
        candidate = g_build_filename (src_dir, "certs", file, NULL);
      else
        candidate = g_build_filename (g_test_get_dir (G_TEST_BUILT), "..",
                                      src_dir, "certs", file, NULL);
      if (g_file_test (candidate, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&candidate);
    }
  return g_steal_pointer (&path);
}

/**
 * missive_test_load_server_cert:
 * @name: the base name of a certificate under tests/certs/, e.g. "server"
 *
 * Loads `<name>.pem` and its key `<name>-key.pem`. Fails the test if they
 * cannot be loaded.
 *
 * Returns: (transfer full): the certificate, with its private key
 */
GTlsCertificate *
missive_test_load_server_cert (const char *name)
{
  g_autofree char *key_name = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  g_assert_nonnull (name);

  key_name = g_strconcat (name, "-key.pem", NULL);
  cert_path = missive_test_cert_path (name);
  key_path = missive_test_cert_path (key_name);
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  return certificate;
}
