/* test-testbed-smtp-sink.c: the SMTP plugin against Postfix's smtp-sink
 *
 * smtp-sink (/usr/sbin/smtp-sink, package postfix) is a scriptable SMTP
 * server: each case starts one with its options on the first free port
 * from 12420 and kills it (by its PID) at the end. Pipelining seen in the
 * protocol trace, 4xx/5xx at each stage of the transaction, a 421 and a
 * connection dropped after the final dot, DSN parameters read back from
 * its dump file, a server without DSN, CHUNKING or ESMTP, a refused
 * greeting. Skipped when smtp-sink is not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#include <glib/gstdio.h>

#include "test-smtp-utils.h"

/* smtp-sink listens on the first free port from here. */
#define SINK_FIRST_PORT 12420
#define SINK_LAST_PORT  12499
#define SMTP_SINK "/usr/sbin/smtp-sink"

typedef struct
{
  GPid pid;
  guint16 port;
  char *dump_dir;            /* with -d: one file per transaction */
} Sink;

static gboolean
port_is_free (guint16 port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

static gboolean
sink_listening (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (conn == NULL)
    return FALSE;
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return TRUE;
}

/* In the child: SIGTERM when the test process dies (Linux). */
static void
sink_child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/* Starts smtp-sink with @options (NULL-terminated) on a free port; with
 * @dump, every transaction is written to a file in a fresh directory.
 * NULL (and the case skipped) when smtp-sink is not installed. */
static Sink *
sink_start (const char * const *options,
            gboolean            dump)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *timeout_program = g_find_program_in_path ("timeout");
  Sink *sink;

  if (!g_file_test (SMTP_SINK, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no " SMTP_SINK " (package postfix)");
      return NULL;
    }
  sink = g_new0 (Sink, 1);
  if (dump)
    {
      sink->dump_dir = g_dir_make_tmp ("missive-sink-XXXXXX", &error);
      g_assert_no_error (error);
      /* smtp-sink writes as the user it drops to. */
      g_assert_cmpint (g_chmod (sink->dump_dir, 0777), ==, 0);
    }

  for (guint16 port = SINK_FIRST_PORT; port <= SINK_LAST_PORT; port++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      gboolean up = FALSE;
      int status;

      if (!port_is_free (port))
        continue;
      /* Under timeout(1): should this test die before sink_stop(),
       * smtp-sink still goes away (it drops to "nobody", which clears a
       * parent-death signal of its own; timeout keeps ours). */
      if (timeout_program != NULL)
        {
          g_ptr_array_add (argv, g_strdup (timeout_program));
          g_ptr_array_add (argv, g_strdup ("300"));
        }
      g_ptr_array_add (argv, g_strdup (SMTP_SINK));
      if (getuid () == 0)
        {
          g_ptr_array_add (argv, g_strdup ("-u"));
          g_ptr_array_add (argv, g_strdup ("nobody"));
        }
      if (dump)
        {
          g_ptr_array_add (argv, g_strdup ("-d"));
          g_ptr_array_add (argv, g_build_filename (sink->dump_dir, "msg.", NULL));
        }
      for (gsize i = 0; options[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (options[i]));
      g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
      g_ptr_array_add (argv, g_strdup ("16"));
      g_ptr_array_add (argv, NULL);

      g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL,
                                    sink_child_setup, NULL, &sink->pid, &error));
      g_assert_no_error (error);
      /* Up to 10 s until it listens, unless it exits (port taken). */
      for (guint i = 0; i < 200 && !up; i++)
        {
          if (waitpid (sink->pid, &status, WNOHANG) == sink->pid)
            {
              g_spawn_close_pid (sink->pid);
              sink->pid = 0;
              break;
            }
          up = sink_listening (port);
          if (!up)
            g_usleep (50 * 1000);
        }
      if (up)
        {
          sink->port = port;
          return sink;
        }
      if (sink->pid != 0)
        g_error ("smtp-sink did not listen on port %u", port);
    }
  g_error ("no free port for smtp-sink in %u-%u", SINK_FIRST_PORT, SINK_LAST_PORT);
  return NULL;
}

/* Kills our smtp-sink (through the PID we hold: timeout(1) passes the
 * SIGTERM on) and removes its dump directory. */
static void
sink_stop (Sink *sink)
{
  if (sink == NULL)
    return;
  if (sink->pid > 0)
    {
      int status;

      kill (sink->pid, SIGTERM);
      while (waitpid (sink->pid, &status, 0) < 0 && errno == EINTR)
        ;
      g_spawn_close_pid (sink->pid);
    }
  if (sink->dump_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (sink->dump_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (sink->dump_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (sink->dump_dir);
      g_free (sink->dump_dir);
    }
  g_free (sink);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sink, sink_stop)

/* The dump files written so far, concatenated. smtp-sink writes a file
 * when the transaction ends, so this is read after the reply to the dot. */
static char *
sink_dump (Sink *sink)
{
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GDir) dir = g_dir_open (sink->dump_dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (sink->dump_dir, name, NULL);
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL))
        g_string_append (all, contents);
    }
  return g_string_free (g_steal_pointer (&all), FALSE);
}

static MissiveSender *
open_sink (Sink      *sink,
           GPtrArray *trace)
{
  Conn conn = { "smtp", sink->port, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, TRUE };
  g_autoptr(GError) error = NULL;
  MissiveSender *sender = open_sender_full ("127.0.0.1", NULL, NULL, &conn, trace, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sender);
  return sender;
}

static MissiveEnvelope *
sink_envelope (guint n_recipients)
{
  MissiveEnvelope *envelope = missive_envelope_new ("sender@example.org");

  for (guint i = 0; i < n_recipients; i++)
    {
      g_autofree char *rcpt = g_strdup_printf ("rcpt%u@example.org", i);

      missive_envelope_add_recipient (envelope, rcpt, MISSIVE_RECIPIENT_TO);
    }
  return envelope;
}

static GString *
sink_message (void)
{
  g_autofree char *id = new_message_id ("sink");

  return raw_message ("sender@example.org", "rcpt0@example.org", "to the sink", id,
                      "one line\r\n.dot\r\n");
}

/* MAIL, every RCPT and DATA leave in one flight: no server line between
 * them in the trace. */
static void
test_sink_pipelining (void)
{
  const char * const options[] = { NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (3);
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int mail, data;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, FALSE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, trace);
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (sender), "PIPELINING"));
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 3);
  close_sender (sender);

  mail = trace_find (trace, 0, "C: MAIL FROM:");
  data = trace_find (trace, 0, "C: DATA");
  g_assert_cmpint (mail, >=, 0);
  g_assert_cmpint (data, >, mail);
  if (trace_find (trace, (guint) mail, "S: ") < data)
    trace_dump (trace);
  g_assert_cmpint (trace_count (trace, "C: RCPT TO:"), ==, 3);
  /* No reply was read before DATA went out. */
  {
    int first_reply = trace_find (trace, (guint) mail, "S: ");

    g_assert_cmpint (first_reply, >, data);
  }
}

typedef struct
{
  const char *option;        /* -r (4xx) or -f (5xx) */
  const char *command;       /* smtp-sink's command name */
  int error_code;            /* the MissiveError of the send */
  guint server_code;         /* 0: not checked */
  const char *enhanced;      /* NULL: not checked */
} Rejection;

/* smtp-sink's default replies: "450 4.3.0 Error: command failed" and
 * "500 5.3.0 Error: command failed". -r and -f turn PIPELINING off. */
static const Rejection rejections[] = {
  { "-r", "MAIL", MISSIVE_ERROR_SERVER_TEMPORARY, 450, "4.3.0" },
  { "-f", "MAIL", MISSIVE_ERROR_SERVER_PERMANENT, 500, "5.3.0" },
  { "-r", "RCPT", MISSIVE_ERROR_RECIPIENTS_REJECTED, 0, NULL },
  { "-f", "RCPT", MISSIVE_ERROR_RECIPIENTS_REJECTED, 0, NULL },
  { "-r", "DATA", MISSIVE_ERROR_SERVER_TEMPORARY, 450, "4.3.0" },
  { "-f", "DATA", MISSIVE_ERROR_SERVER_PERMANENT, 500, "5.3.0" },
  { "-r", ".", MISSIVE_ERROR_SERVER_TEMPORARY, 450, "4.3.0" },
  { "-f", ".", MISSIVE_ERROR_SERVER_PERMANENT, 500, "5.3.0" },
};

static void
test_sink_rejections (void)
{
  if (!have_smtp_plugin ())
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (rejections); i++)
    {
      const Rejection *r = &rejections[i];
      const char * const options[] = { r->option, r->command, NULL };
      g_autoptr(Sink) sink = NULL;
      g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(MissiveSender) sender = NULL;
      g_autoptr(MissiveEnvelope) envelope = sink_envelope (2);
      g_autoptr(GString) msg = sink_message ();
      g_autoptr(MissiveSendResult) result = NULL;
      g_autoptr(GError) error = NULL;
      MissiveServiceState state;
      Signals s;

      sink = sink_start (options, FALSE);
      if (sink == NULL)
        return;
      sender = open_sink (sink, trace);
      state = missive_service_get_state (MISSIVE_SERVICE (sender));
      signals_connect (sender, &s);
      result = send_raw (sender, envelope, msg, NULL, &error);
      g_test_message ("smtp-sink %s %s: %s", r->option, r->command,
                      error != NULL ? error->message : "sent");
      g_assert_null (result);
      g_assert_error (error, MISSIVE_ERROR, r->error_code);
      if (r->server_code != 0)
        g_assert_cmpuint (missive_error_get_server_code (error), ==, r->server_code);
      if (r->enhanced != NULL)
        g_assert_cmpstr (missive_error_get_enhanced_status (error), ==, r->enhanced);
      if (g_str_equal (r->command, "RCPT"))
        {
          /* Each recipient reported, and nothing sent. */
          g_assert_cmpuint (s.rejected->len, ==, 2);
          g_assert_cmpstr (g_ptr_array_index (s.rejected, 0), ==, "rcpt0@example.org");
          g_assert_cmpstr (g_ptr_array_index (s.rejected, 1), ==, "rcpt1@example.org");
          g_assert_cmpint (trace_find (trace, 0, "C: DATA"), ==, -1);
        }
      if (g_str_equal (r->command, "MAIL"))
        g_assert_cmpint (trace_find (trace, 0, "C: RCPT"), ==, -1);
      signals_clear (sender, &s);
      g_clear_error (&error);
      /* A refused transaction leaves the session usable. */
      ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
      g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (sender)), ==, state);
      close_sender (sender);
    }
}

/* A 421 in the middle closes the session: SERVER_TEMPORARY with the code,
 * and the service is disconnected. */
static void
test_sink_421 (void)
{
  const char * const options[] = { "-Q", "RCPT", NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (1);
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, FALSE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, NULL);
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_null (result);
  g_test_message ("421 after RCPT: %s", error != NULL ? error->message : "?");
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, 421);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (sender)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}

/* The connection drops after the final dot, before the reply: the message
 * may or may not have been taken, and must not be reported as sent. */
static void
test_sink_drop_after_dot (void)
{
  const char * const options[] = { "-q", ".", NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (1);
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, FALSE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, NULL);
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_null (result);
  g_test_message ("dropped after the dot: %s", error != NULL ? error->message : "?");
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DELIVERY_UNCERTAIN);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (sender)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
}

/* DSN parameters on MAIL and RCPT, read back from smtp-sink's dump
 * (X-Mail-Args, X-Rcpt-Args). */
static void
test_sink_dsn (void)
{
  const char * const options[] = { NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (2);
  g_autoptr(MissiveSendOptions) dsn = missive_send_options_new ();
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, TRUE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, trace);
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (sender), "DSN"));
  missive_send_options_set_dsn_notify (dsn, MISSIVE_DSN_NOTIFY_SUCCESS | MISSIVE_DSN_NOTIFY_FAILURE);
  missive_send_options_set_dsn_return (dsn, MISSIVE_DSN_RETURN_HEADERS);
  missive_send_options_set_envelope_id (dsn, "missive-envid-42");
  missive_send_options_set_original_recipients (dsn, TRUE);
  result = send_raw (sender, envelope, msg, dsn, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 2);
  /* NEVER alone on a second message. */
  missive_send_options_set_dsn_notify (dsn, MISSIVE_DSN_NOTIFY_NEVER);
  missive_send_options_set_dsn_return (dsn, MISSIVE_DSN_RETURN_FULL);
  missive_send_options_set_envelope_id (dsn, NULL);
  missive_send_options_set_original_recipients (dsn, FALSE);
  g_clear_object (&result);
  result = send_raw (sender, envelope, msg, dsn, &error);
  g_assert_no_error (error);
  close_sender (sender);

  dump = sink_dump (sink);
  g_test_message ("smtp-sink dump:\n%s", dump);
  /* The first message's MAIL parameters, in whichever order. The dump
   * files are read in directory order, so look for the line by its ENVID. */
  {
    g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
    const char *mail_args = NULL;

    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "X-Mail-Args: ") && strstr (lines[i], "ENVID=") != NULL)
        mail_args = lines[i];
    g_assert_nonnull (mail_args);
    g_assert_nonnull (strstr (mail_args, " RET=HDRS"));
    g_assert_nonnull (strstr (mail_args, " ENVID=missive-envid-42"));
  }
  g_assert_nonnull (strstr (dump, "NOTIFY=SUCCESS,FAILURE"));
  g_assert_nonnull (strstr (dump, "ORCPT=rfc822;rcpt0@example.org"));
  g_assert_nonnull (strstr (dump, "ORCPT=rfc822;rcpt1@example.org"));
  g_assert_nonnull (strstr (dump, "NOTIFY=NEVER"));
  g_assert_nonnull (strstr (dump, "RET=FULL"));
}

/* A server without DSN: the parameters are not sent (RFC 3461 forbids
 * them), or the send says the server cannot do it; either way nothing
 * with NOTIFY reaches the server. */
static void
test_sink_no_dsn (void)
{
  const char * const options[] = { "-N", NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (1);
  g_autoptr(MissiveSendOptions) dsn = missive_send_options_new ();
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, FALSE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, trace);
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (sender), "DSN"));
  missive_send_options_set_dsn_notify (dsn, MISSIVE_DSN_NOTIFY_FAILURE);
  result = send_raw (sender, envelope, msg, dsn, &error);
  g_test_message ("DSN asked of a server without DSN: %s", error != NULL ? error->message : "sent without");
  if (result == NULL)
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  for (guint i = 0; i < trace->len; i++)
    g_assert_null (strstr (g_ptr_array_index (trace, i), "NOTIFY="));
  close_sender (sender);
}

/* BINARYMIME needs CHUNKING, which smtp-sink does not offer: refused
 * before the transaction starts. */
static void
test_sink_no_chunking (void)
{
  const char * const options[] = { NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (1);
  g_autoptr(MissiveSendOptions) binary = missive_send_options_new ();
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, FALSE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, trace);
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (sender), "CHUNKING"));
  missive_send_options_set_body_type (binary, MISSIVE_BODY_BINARYMIME);
  result = send_raw (sender, envelope, msg, binary, &error);
  g_assert_null (result);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (trace_find (trace, 0, "C: MAIL"), ==, -1);
  g_assert_cmpint (trace_find (trace, 0, "C: BDAT"), ==, -1);
  g_clear_error (&error);
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
  close_sender (sender);
}

/* A server that refuses EHLO: HELO, no extensions, and mail still goes. */
static void
test_sink_helo_fallback (void)
{
  const char * const options[] = { "-f", "EHLO", NULL };
  g_autoptr(Sink) sink = NULL;
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveEnvelope) envelope = sink_envelope (2);
  g_autoptr(GString) msg = sink_message ();
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_smtp_plugin ())
    return;
  sink = sink_start (options, FALSE);
  if (sink == NULL)
    return;
  sender = open_sink (sink, trace);
  g_assert_cmpint (trace_find (trace, 0, "C: EHLO"), >=, 0);
  g_assert_cmpint (trace_find (trace, 0, "C: HELO"), >, trace_find (trace, 0, "C: EHLO"));
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (sender), "PIPELINING"));
  result = send_raw (sender, envelope, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 2);
  /* Without ESMTP no parameter may follow MAIL FROM. */
  {
    int mail = trace_find (trace, 0, "C: MAIL FROM:");

    g_assert_cmpint (mail, >=, 0);
    g_assert_true (g_str_has_suffix (g_ptr_array_index (trace, mail), ">"));
  }
  close_sender (sender);
}

/* A greeting that refuses service (421, 5xx): the open fails with the
 * server's code. */
static void
test_sink_greeting_refused (void)
{
  if (!have_smtp_plugin ())
    return;
  for (guint soft = 0; soft < 2; soft++)
    {
      /* -Q: 421 and hang up (a 4xx other than 421 is not a valid greeting);
       * -f: 500. */
      const char * const options[] = { soft ? "-Q" : "-f", "CONNECT", NULL };
      g_autoptr(Sink) sink = NULL;
      g_autoptr(MissiveSender) sender = NULL;
      g_autoptr(GError) error = NULL;
      Conn conn = { "smtp", 0, MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, TRUE };

      sink = sink_start (options, FALSE);
      if (sink == NULL)
        return;
      conn.port = sink->port;
      sender = open_sender_full ("127.0.0.1", NULL, NULL, &conn, NULL, &error);
      g_assert_null (sender);
      g_test_message ("greeting %s: %s", options[0], error != NULL ? error->message : "?");
      /* The reply's code in any case; the error code is SERVER_TEMPORARY or
       * SERVER_PERMANENT, or CONNECTION_REFUSED (the server refused the
       * session) — both readings are fair. */
      g_assert_nonnull (error);
      g_assert_true (error->domain == MISSIVE_ERROR);
      g_assert_true (error->code == MISSIVE_ERROR_CONNECTION_REFUSED ||
                     error->code == (soft ? MISSIVE_ERROR_SERVER_TEMPORARY : MISSIVE_ERROR_SERVER_PERMANENT));
      g_assert_cmpuint (missive_error_get_server_code (error), ==, soft ? 421 : 500);
    }
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/smtp-sink/pipelining", test_sink_pipelining);
  g_test_add_func ("/testbed/smtp-sink/rejections", test_sink_rejections);
  g_test_add_func ("/testbed/smtp-sink/421", test_sink_421);
  g_test_add_func ("/testbed/smtp-sink/drop-after-dot", test_sink_drop_after_dot);
  g_test_add_func ("/testbed/smtp-sink/dsn", test_sink_dsn);
  g_test_add_func ("/testbed/smtp-sink/no-dsn", test_sink_no_dsn);
  g_test_add_func ("/testbed/smtp-sink/no-chunking", test_sink_no_chunking);
  g_test_add_func ("/testbed/smtp-sink/helo-fallback", test_sink_helo_fallback);
  g_test_add_func ("/testbed/smtp-sink/greeting-refused", test_sink_greeting_refused);

  return g_test_run ();
}
