/* test-testbed.c: start and stop the private Dovecot + Postfix testbed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "test-utils.h"

/* One testbed per test process: started on first use, stopped at exit. */
static MissiveTestbed *testbed;
/* Why the testbed cannot be used, once that is known. */
static char *testbed_problem;
static gboolean testbed_problem_is_failure;
/* What the exit handler needs. */
static char *testbed_dir;
static char *testbed_scripts;
static int watchdog_fd = -1;

static void
missive_testbed_free (MissiveTestbed *tb)
{
  if (tb == NULL)
    return;
  g_free (tb->rundir);
  g_free (tb->host);
  g_free (tb->ca_file);
  g_free (tb->user1);
  g_free (tb->pass1);
  g_free (tb->user2);
  g_free (tb->pass2);
  g_free (tb);
}

/* Where tests/testbed/ is: $MISSIVE_SOURCE_ROOT (set by tests/meson.build),
 * else next to the test sources (G_TEST_SRCDIR). */
static char *
find_scripts_dir (void)
{
  const char *root = g_getenv ("MISSIVE_SOURCE_ROOT");

  if (root != NULL && *root != '\0')
    return g_build_filename (root, "tests", "testbed", NULL);

  return g_test_build_filename (G_TEST_DIST, "testbed", NULL);
}

/* Returns a description of what is missing to run the testbed at all, or
 * NULL. Such gaps make tests skip, unlike a testbed that fails to start. */
static char *
check_prerequisites (void)
{
  const char *programs[] = { "certtool", "ss", "doveconf", "doveadm", "bash" };

  if (getuid () != 0)
    return g_strdup ("the mail testbed needs root");
  if (!g_file_test ("/usr/sbin/dovecot", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("Dovecot is not installed (no /usr/sbin/dovecot)");
  if (!g_file_test ("/usr/sbin/postfix", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("Postfix is not installed (no /usr/sbin/postfix)");
  for (gsize i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);

      if (path == NULL)
        return g_strdup_printf ("%s is not installed (see tests/testbed/install-deps.sh)",
                                programs[i]);
    }
  if (getpwnam ("vmail") == NULL)
    return g_strdup ("there is no user vmail (run tests/testbed/install-deps.sh)");

  return NULL;
}

static void
report_problem (void)
{
  if (testbed_problem_is_failure)
    g_test_fail_printf ("mail testbed: %s", testbed_problem);
  else
    g_test_skip_printf ("mail testbed: %s", testbed_problem);
}

static void
run_child_setup (gpointer user_data)
{
  /* Its own session: when the test is killed together with its process
   * group (e.g. on a timeout), the watchdog survives to clean up. */
  setsid ();
}

/* Starts a detached shell that waits on a pipe only we hold. At a normal
 * exit we write "done" and stop the testbed ourselves; if the test process
 * dies any other way (an assertion aborts, a timeout kills it), the pipe
 * reaches EOF and the watchdog runs stop.sh --purge. */
static gboolean
start_watchdog (GError **error)
{
  g_autofree char *stop = g_build_filename (testbed_scripts, "stop.sh", NULL);
  const char *argv[] = {
    "bash", "-c",
    "if ! read -r line || [ \"$line\" != done ]; then exec bash \"$1\" \"$2\" --purge; fi",
    "missive-testbed-watchdog", stop, testbed_dir, NULL
  };

  return g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                   G_SPAWN_SEARCH_PATH |
                                   G_SPAWN_STDOUT_TO_DEV_NULL |
                                   G_SPAWN_STDERR_TO_DEV_NULL,
                                   run_child_setup, NULL, NULL,
                                   &watchdog_fd, NULL, NULL, error);
}

/* Runs stop.sh RUNDIR --purge and waits for it; stop.sh itself bounds its
 * waits (10 s per daemon). */
static void
stop_testbed (void)
{
  g_autofree char *stop = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (testbed_dir == NULL)
    return;

  stop = g_build_filename (testbed_scripts, "stop.sh", NULL);
  {
    const char *argv[] = { "bash", stop, testbed_dir, "--purge", NULL };

    /* Its stdout is captured, so nothing of it lands in the TAP stream. */
    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, &out, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_printerr ("# mail testbed: stopping %s failed: %s\n", testbed_dir, error->message);
  }

  if (watchdog_fd >= 0)
    {
      /* Stopped already: tell the watchdog to go away quietly. If it is
       * gone, the write must fail with EPIPE rather than kill us. */
      signal (SIGPIPE, SIG_IGN);
      if (write (watchdog_fd, "done\n", 5) != 5)
        g_printerr ("# mail testbed: cannot reach the watchdog: %s\n", g_strerror (errno));
      close (watchdog_fd);
      watchdog_fd = -1;
    }

  g_clear_pointer (&testbed_dir, g_free);
}

static void
testbed_atexit (void)
{
  stop_testbed ();
  g_clear_pointer (&testbed, missive_testbed_free);
  g_clear_pointer (&testbed_scripts, g_free);
  g_clear_pointer (&testbed_problem, g_free);
}

/* Reads start.sh's KEY=value file. Values may be in shell quotes (a
 * password with a quote is written 'pa ss"word2', a single quote as '\''),
 * which g_shell_unquote() undoes. */
static GHashTable *
read_env_file (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) env = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *eq;
      char *value;

      if (*line == '\0' || *line == '#')
        continue;
      eq = strchr (line, '=');
      if (eq == NULL || eq == line)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: not a KEY=value line", path, i + 1);
          return NULL;
        }
      value = g_shell_unquote (eq + 1, error);
      if (value == NULL)
        {
          g_prefix_error (error, "%s:%u: ", path, i + 1);
          return NULL;
        }
      g_hash_table_replace (env, g_strndup (line, eq - line), value);
    }

  return g_steal_pointer (&env);
}

static gboolean
take_string (GHashTable  *env,
             const char  *key,
             char       **out,
             GError     **error)
{
  const char *value = g_hash_table_lookup (env, key);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "testbed.env has no %s", key);
      return FALSE;
    }
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
take_port (GHashTable  *env,
           const char  *key,
           guint16     *out,
           GError     **error)
{
  const char *value = g_hash_table_lookup (env, key);
  guint64 port = 0;

  if (value == NULL ||
      !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "testbed.env has no valid %s", key);
      return FALSE;
    }
  *out = (guint16) port;
  return TRUE;
}

static MissiveTestbed *
parse_testbed_env (const char  *path,
                   GError     **error)
{
  g_autoptr(GHashTable) env = read_env_file (path, error);
  MissiveTestbed *tb;

  if (env == NULL)
    return NULL;

  tb = g_new0 (MissiveTestbed, 1);
  if (!take_string (env, "TESTBED_RUNDIR", &tb->rundir, error) ||
      !take_string (env, "TESTBED_HOST", &tb->host, error) ||
      !take_port (env, "TESTBED_IMAP_PORT", &tb->imap_port, error) ||
      !take_port (env, "TESTBED_IMAPS_PORT", &tb->imaps_port, error) ||
      !take_port (env, "TESTBED_POP3_PORT", &tb->pop3_port, error) ||
      !take_port (env, "TESTBED_POP3S_PORT", &tb->pop3s_port, error) ||
      !take_port (env, "TESTBED_LMTP_PORT", &tb->lmtp_port, error) ||
      !take_port (env, "TESTBED_SUBMISSION_PORT", &tb->submission_port, error) ||
      !take_port (env, "TESTBED_SUBMISSION_TLSREQ_PORT", &tb->submission_tlsreq_port, error) ||
      !take_port (env, "TESTBED_SMTPS_PORT", &tb->smtps_port, error) ||
      !take_string (env, "TESTBED_CA_FILE", &tb->ca_file, error) ||
      !take_string (env, "TESTBED_USER1", &tb->user1, error) ||
      !take_string (env, "TESTBED_PASS1", &tb->pass1, error) ||
      !take_string (env, "TESTBED_USER2", &tb->user2, error) ||
      !take_string (env, "TESTBED_PASS2", &tb->pass2, error))
    {
      missive_testbed_free (tb);
      return NULL;
    }

  return tb;
}

/* The last line start.sh prints must be RUNDIR=<the directory we gave>. */
static gboolean
check_start_output (const char *out)
{
  g_autofree char *want = g_strdup_printf ("RUNDIR=%s", testbed_dir);
  g_autofree char *copy = g_strdup (out != NULL ? out : "");
  char *last;

  g_strchomp (copy);
  last = strrchr (copy, '\n');
  last = last != NULL ? last + 1 : copy;
  return g_str_equal (last, want);
}

static MissiveTestbed *
start_testbed (guint    port_offset,
               GError **error)
{
  g_autofree char *start = g_build_filename (testbed_scripts, "start.sh", NULL);
  g_autofree char *offset = g_strdup_printf ("%u", port_offset);
  g_autofree char *env_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = NULL;
  int status = 0;
  gint64 t0;

  if (!g_file_test (start, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s not found (set MISSIVE_SOURCE_ROOT)", start);
      return NULL;
    }

  /* Always /tmp, whatever TMPDIR says: the path must stay short (Dovecot's
   * unix sockets live inside) and reachable by the postfix and vmail users. */
  testbed_dir = g_strdup ("/tmp/missive-tb-XXXXXX");
  if (g_mkdtemp_full (testbed_dir, 0755) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot create %s: %s", testbed_dir, g_strerror (saved_errno));
      g_clear_pointer (&testbed_dir, g_free);
      return NULL;
    }
  if (g_chmod (testbed_dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot chmod %s: %s", testbed_dir, g_strerror (saved_errno));
      g_rmdir (testbed_dir);
      g_clear_pointer (&testbed_dir, g_free);
      return NULL;
    }

  if (!start_watchdog (error))
    {
      g_rmdir (testbed_dir);
      g_clear_pointer (&testbed_dir, g_free);
      return NULL;
    }

  envp = g_environ_setenv (g_get_environ (), "TESTBED_PORT_OFFSET", offset, TRUE);
  t0 = g_get_monotonic_time ();
  {
    const char *argv[] = { "bash", start, testbed_dir, NULL };

    /* start.sh is bounded on its own (at most 10 s per port), and it
     * detaches the daemons from our pipes, so this returns. */
    if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH,
                       NULL, NULL, &out, &err, &status, error))
      return NULL;
  }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      /* One line: the message ends up in TAP output, where a bare line
       * that is not TAP breaks the report. */
      g_auto(GStrv) lines = g_strsplit (err != NULL ? g_strchomp (err) : "", "\n", -1);
      g_autofree char *joined = g_strjoinv (" | ", lines);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "start.sh %s failed: %s", testbed_dir, joined);
      return NULL;
    }
  if (!check_start_output (out))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "start.sh did not end with RUNDIR=%s", testbed_dir);
      return NULL;
    }
  g_test_message ("mail testbed started in %s (port offset %u) in %.1f s",
                  testbed_dir, port_offset,
                  (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);

  env_path = g_build_filename (testbed_dir, "testbed.env", NULL);
  return parse_testbed_env (env_path, error);
}

/**
 * missive_test_testbed_get:
 * @port_offset: added to every port of the testbed; give each test program
 *   its own so that they never collide
 *
 * Returns the running testbed, starting it on the first call (later calls
 * return the same one; their @port_offset is not looked at). When the
 * testbed cannot run here (not root, servers not installed) the current
 * test is skipped, or fails if `MISSIVE_TESTBED_REQUIRED=1`; when it should
 * run but does not start, the test fails. In those cases %NULL is returned
 * and the caller returns at once.
 *
 * Returns: (nullable) (transfer none): the testbed, or %NULL
 */
const MissiveTestbed *
missive_test_testbed_get (guint port_offset)
{
  static gboolean initialized;
  g_autoptr(GError) error = NULL;

  if (testbed != NULL)
    return testbed;

  if (!initialized)
    {
      initialized = TRUE;
      atexit (testbed_atexit);

      testbed_problem = check_prerequisites ();
      if (testbed_problem != NULL)
        testbed_problem_is_failure = g_strcmp0 (g_getenv ("MISSIVE_TESTBED_REQUIRED"), "1") == 0;
      else
        {
          testbed_scripts = find_scripts_dir ();
          testbed = start_testbed (port_offset, &error);
          if (testbed == NULL)
            {
              testbed_problem = g_strdup (error->message);
              testbed_problem_is_failure = TRUE;
              stop_testbed ();
            }
        }
    }

  if (testbed == NULL)
    report_problem ();

  return testbed;
}

/* ---- helpers for the suites: filling mailboxes, delivering mail ---------- */

/**
 * missive_test_testbed_populate:
 * @tb: the testbed
 * @count: how many messages
 * @size: their approximate size in bytes
 * @user: (nullable): whose mailbox (default user1)
 * @mailbox: (nullable): which one, UTF-8 (default INBOX; created when
 *   missing)
 * @error: return location for an error
 *
 * Adds @count generated messages to a mailbox through populate.sh (written
 * straight into the maildir, then indexed by Dovecot): far quicker than
 * delivering them one by one.
 *
 * Returns: %TRUE on success
 */
gboolean
missive_test_testbed_populate (const MissiveTestbed  *tb,
                               guint                  count,
                               gsize                  size,
                               const char            *user,
                               const char            *mailbox,
                               GError               **error)
{
  g_autofree char *script = NULL;
  g_autofree char *n = g_strdup_printf ("%u", count);
  g_autofree char *sz = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_return_val_if_fail (tb != NULL && testbed_scripts != NULL, FALSE);

  script = g_build_filename (testbed_scripts, "populate.sh", NULL);
  {
    const char *argv[] = {
      "bash", script, tb->rundir, n, sz,
      user != NULL ? user : tb->user1,
      mailbox != NULL ? mailbox : "INBOX",
      NULL
    };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                       NULL, NULL, &out, &err, &status, error))
      return FALSE;
  }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "populate.sh %s %u failed: %s", tb->rundir, count,
                   err != NULL ? g_strchomp (err) : "");
      return FALSE;
    }
  return TRUE;
}

/* Reads one SMTP/LMTP reply (all its lines) and checks its code's first
 * digit; the last line is returned in @last when asked. */
static gboolean
lmtp_read_reply (GDataInputStream  *in,
                 char               want,
                 char             **last,
                 GError           **error)
{
  for (guint lines = 0; lines < 100; lines++)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, error);
      gsize len;

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "LMTP server closed the connection");
          return FALSE;
        }
      g_strchomp (line);
      len = strlen (line);
      if (len < 3 || line[0] != want)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "LMTP server said: %s", line);
          return FALSE;
        }
      if (len == 3 || line[3] != '-')
        {
          if (last != NULL)
            *last = g_steal_pointer (&line);
          return TRUE;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "LMTP reply too long");
  return FALSE;
}

static gboolean
lmtp_write (GOutputStream  *out,
            const char     *data,
            gsize           length,
            GError        **error)
{
  return g_output_stream_write_all (out, data, length, NULL, NULL, error);
}

/**
 * missive_test_testbed_deliver:
 * @tb: the testbed
 * @recipient: the address, e.g. "user1@localhost"
 * @message: the message, with LF or CRLF line ends
 * @error: return location for an error
 *
 * Delivers one message through Dovecot's LMTP service (a small blocking
 * client: LHLO, MAIL, RCPT, DATA with dot-stuffing, QUIT). Returns once
 * Dovecot has accepted it for @recipient, that is once it is in the
 * mailbox.
 *
 * Returns: %TRUE on success
 */
gboolean
missive_test_testbed_deliver (const MissiveTestbed  *tb,
                              const char            *recipient,
                              const char            *message,
                              GError               **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *rcpt = NULL;
  GOutputStream *out;
  const char *p;

  g_return_val_if_fail (tb != NULL && recipient != NULL && message != NULL, FALSE);

  g_socket_client_set_timeout (client, 30);
  conn = g_socket_client_connect_to_host (client, tb->host, tb->lmtp_port, NULL, error);
  if (conn == NULL)
    return FALSE;
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  /* The message, CRLF line ends, leading dots doubled, ending "\r\n.\r\n". */
  for (p = message; *p != '\0';)
    {
      const char *eol = strchr (p, '\n');
      gsize len = eol != NULL ? (gsize) (eol - p) : strlen (p);

      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (*p == '.')
        g_string_append_c (data, '.');
      g_string_append_len (data, p, len);
      g_string_append (data, "\r\n");
      if (eol == NULL)
        break;
      p = eol + 1;
    }
  g_string_append (data, ".\r\n");
  rcpt = g_strdup_printf ("RCPT TO:<%s>\r\n", recipient);

  if (!lmtp_read_reply (in, '2', NULL, error) ||
      !lmtp_write (out, "LHLO localhost\r\n", 16, error) ||
      !lmtp_read_reply (in, '2', NULL, error) ||
      !lmtp_write (out, "MAIL FROM:<tester@localhost>\r\n", 30, error) ||
      !lmtp_read_reply (in, '2', NULL, error) ||
      !lmtp_write (out, rcpt, strlen (rcpt), error) ||
      !lmtp_read_reply (in, '2', NULL, error) ||
      !lmtp_write (out, "DATA\r\n", 6, error) ||
      !lmtp_read_reply (in, '3', NULL, error) ||
      !lmtp_write (out, data->str, data->len, error) ||
      /* one reply per recipient: just the one */
      !lmtp_read_reply (in, '2', NULL, error))
    {
      g_prefix_error (error, "LMTP delivery to %s: ", recipient);
      return FALSE;
    }
  /* QUIT is a courtesy: the message is delivered already. */
  if (lmtp_write (out, "QUIT\r\n", 6, NULL))
    lmtp_read_reply (in, '2', NULL, NULL);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return TRUE;
}

/**
 * missive_test_testbed_mint_token:
 * @tb: the testbed
 * @user: who the token is for
 * @lifetime: seconds it stays valid; negative for one that has expired
 * @error: return location for an error
 *
 * An OAuth2 bearer token the testbed accepts for XOAUTH2 and OAUTHBEARER
 * (mint-token.py).
 *
 * Returns: (transfer full): the token, or %NULL
 */
char *
missive_test_testbed_mint_token (const MissiveTestbed  *tb,
                                 const char            *user,
                                 int                    lifetime,
                                 GError               **error)
{
  g_autofree char *script = NULL;
  g_autofree char *secs = g_strdup_printf ("%d", lifetime);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *python = "/usr/bin/python3";
  int status = 0;

  g_return_val_if_fail (tb != NULL && user != NULL && testbed_scripts != NULL, NULL);

  if (!g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    python = "python3";
  script = g_build_filename (testbed_scripts, "mint-token.py", NULL);
  {
    const char *argv[] = { python, script, tb->rundir, user, secs, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                       NULL, NULL, &out, &err, &status, error))
      return NULL;
  }
  if (!g_spawn_check_wait_status (status, NULL) || out == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "mint-token.py failed: %s", err != NULL ? g_strchomp (err) : "");
      return NULL;
    }
  g_strstrip (out);
  if (*out == '\0' || strchr (out, '\n') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "mint-token.py printed no single token");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * missive_test_testbed_getenv:
 * @tb: the testbed
 * @key: a key of RUNDIR/testbed.env, e.g. "TESTBED_NTLM"
 *
 * Looks up a value that start.sh wrote but #MissiveTestbed has no field
 * for.
 *
 * Returns: (transfer full) (nullable): the value (unquoted), or %NULL
 */
char *
missive_test_testbed_getenv (const MissiveTestbed *tb,
                             const char           *key)
{
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) env = NULL;

  g_return_val_if_fail (tb != NULL && key != NULL, NULL);

  path = g_build_filename (tb->rundir, "testbed.env", NULL);
  env = read_env_file (path, NULL);
  if (env == NULL)
    return NULL;
  return g_strdup (g_hash_table_lookup (env, key));
}

/**
 * missive_test_testbed_doveadm:
 * @tb: the testbed
 * @args: doveadm's arguments, NULL-terminated (without "-c CONF")
 *
 * Runs doveadm against the testbed's Dovecot; a failure fails the test.
 *
 * Returns: (transfer full): what it printed
 */
char *
missive_test_testbed_doveadm (const MissiveTestbed *tb,
                              const char * const   *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *conf = g_build_filename (tb->rundir, "dovecot", "dovecot.conf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, g_strdup ("doveadm"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (conf));
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("doveadm failed: %s", err);
  return g_steal_pointer (&out);
}

/**
 * missive_test_testbed_message_file:
 * @tb: the testbed
 * @user: the user
 * @mailbox: the mailbox
 * @search: a doveadm search query naming one message ("uid 4321", "4321")
 *
 * The message as stored in the maildir, with CRLF line ends: what IMAP
 * FETCH BODY[] and POP3 RETR deliver. A missing file fails the test.
 *
 * Returns: (transfer full): the bytes
 */
GString *
missive_test_testbed_message_file (const MissiveTestbed *tb,
                                   const char           *user,
                                   const char           *mailbox,
                                   const char           *search)
{
  g_auto(GStrv) query = g_strsplit (search, " ", -1);
  g_autoptr(GPtrArray) guid_args = g_ptr_array_new ();
  const char * const path_args[] = { "mailbox", "path", "-u", user, mailbox, NULL };
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  GString *expected = g_string_new (NULL);
  g_autofree char *guid_out = NULL;
  g_autofree char *maildir = NULL;
  g_autofree char *cur = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  const char *guid;
  const char *entry;
  gsize length;

  /* Which file holds the message: its maildir base name is the GUID. */
  g_ptr_array_add (guid_args, (gpointer) "fetch");
  g_ptr_array_add (guid_args, (gpointer) "-u");
  g_ptr_array_add (guid_args, (gpointer) user);
  g_ptr_array_add (guid_args, (gpointer) "guid");
  g_ptr_array_add (guid_args, (gpointer) "mailbox");
  g_ptr_array_add (guid_args, (gpointer) mailbox);
  for (gsize i = 0; query[i] != NULL; i++)
    g_ptr_array_add (guid_args, query[i]);
  g_ptr_array_add (guid_args, NULL);
  guid_out = missive_test_testbed_doveadm (tb, (const char * const *) guid_args->pdata);
  g_strstrip (guid_out);
  g_assert_true (g_str_has_prefix (guid_out, "guid: "));
  guid = guid_out + 6;

  maildir = missive_test_testbed_doveadm (tb, path_args);
  g_strstrip (maildir);
  cur = g_build_filename (maildir, "cur", NULL);
  dir = g_dir_open (cur, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, guid) && (entry[strlen (guid)] == ':' || entry[strlen (guid)] == ','))
      file = g_build_filename (cur, entry, NULL);
  g_assert_nonnull (file);
  g_assert_true (g_file_get_contents (file, &contents, &length, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < length; i++)
    {
      if (contents[i] == '\n' && (i == 0 || contents[i - 1] != '\r'))
        g_string_append_c (expected, '\r');
      g_string_append_c (expected, contents[i]);
    }
  return expected;
}

void
missive_test_testbed_dump_log (const MissiveTestbed *tb,
                               const char           *log,
                               guint                 lines)
{
  g_autofree char *path = g_build_filename (tb->rundir, log, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) all = NULL;
  guint n;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_message ("(no %s)", path);
      return;
    }
  all = g_strsplit (contents, "\n", -1);
  n = g_strv_length (all);
  g_test_message ("last lines of %s:", path);
  for (guint i = n > lines ? n - lines : 0; i < n; i++)
    if (all[i][0] != '\0')
      g_test_message ("  %s", all[i]);
}
