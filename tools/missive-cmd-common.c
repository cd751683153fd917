/* missive-cmd-common.c: what every `missive` command does the same way:
 * the common options, the password, opening a service, the protocol
 * trace, the progress bar, error reports with hints, JSON strings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <fcntl.h>

#include <gio/gunixinputstream.h>

#include "missive-cmds.h"

MissiveCmdOptions missive_cmd_options = { 0, };

const GOptionEntry missive_cmd_common_entries[] = {
  { "trace", 0, 0, G_OPTION_ARG_NONE, &missive_cmd_options.trace,
    "Print the protocol exchange on stderr (secrets masked)", NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, &missive_cmd_options.json,
    "Print the result as JSON (list, status, search, send)", NULL },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &missive_cmd_options.password_file,
    "Read the password from the first line of FILE (- for stdin)", "FILE" },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &missive_cmd_options.ca_file,
    "Trust the CA certificates in FILE", "FILE" },
  { "mechanism", 0, 0, G_OPTION_ARG_STRING, &missive_cmd_options.mechanism,
    "Authenticate with the SASL MECHANISM", "MECHANISM" },
  { "io-timeout", 0, 0, G_OPTION_ARG_INT, &missive_cmd_options.timeout,
    "Give up on a silent server after SECONDS", "SECONDS" },
  { "no-progress", 0, 0, G_OPTION_ARG_NONE, &missive_cmd_options.no_progress,
    "No progress bar, even on a terminal", NULL },
  { NULL }
};

/* ---- exit codes, reports ---------------------------------------------------------- */

int
missive_cmd_exit_code (const GError *error)
{
  if (error->domain != MISSIVE_ERROR)
    return MISSIVE_CMD_EXIT_FAILURE;
  switch (error->code)
    {
    case MISSIVE_ERROR_CONNECTION_REFUSED:
    case MISSIVE_ERROR_CONNECTION_LOST:
    case MISSIVE_ERROR_TIMED_OUT:
      return MISSIVE_CMD_EXIT_CONNECT;
    case MISSIVE_ERROR_TLS_FAILED:
    case MISSIVE_ERROR_CERTIFICATE_REJECTED:
    case MISSIVE_ERROR_TLS_UNAVAILABLE:
    case MISSIVE_ERROR_STARTTLS_UNAVAILABLE:
      return MISSIVE_CMD_EXIT_TLS;
    case MISSIVE_ERROR_AUTHENTICATION_FAILED:
    case MISSIVE_ERROR_MECHANISM_UNAVAILABLE:
    case MISSIVE_ERROR_UNKNOWN_MECHANISM:
      return MISSIVE_CMD_EXIT_AUTH;
    case MISSIVE_ERROR_SERVER_NO:
    case MISSIVE_ERROR_SERVER_BAD:
    case MISSIVE_ERROR_SERVER_TEMPORARY:
    case MISSIVE_ERROR_SERVER_PERMANENT:
    case MISSIVE_ERROR_RECIPIENTS_REJECTED:
    case MISSIVE_ERROR_MESSAGE_TOO_LARGE:
      return MISSIVE_CMD_EXIT_SERVER;
    case MISSIVE_ERROR_NOT_SUPPORTED:
      return MISSIVE_CMD_EXIT_UNSUPPORTED;
    case MISSIVE_ERROR_INVALID_ARGUMENT:
    case MISSIVE_ERROR_UNKNOWN_SCHEME:
      return MISSIVE_CMD_EXIT_USAGE;
    default:
      return MISSIVE_CMD_EXIT_FAILURE;
    }
}

static const char *
hint_for (const GError *error)
{
  const char *code;

  if (error->domain != MISSIVE_ERROR)
    return NULL;
  switch (error->code)
    {
    case MISSIVE_ERROR_CONNECTION_REFUSED:
      return "is the server running, and are the host and port in the URI right?";
    case MISSIVE_ERROR_TIMED_OUT:
      return "the server did not answer in time: check the host, the port and any firewall";
    case MISSIVE_ERROR_CERTIFICATE_REJECTED:
      return "pass the server's CA with --ca-file";
    case MISSIVE_ERROR_TLS_FAILED:
      return "the port may expect implicit TLS (imaps, pop3s, submissions) or a clear start "
             "(add ?security=starttls or ?security=tls to the URI)";
    case MISSIVE_ERROR_TLS_UNAVAILABLE:
    case MISSIVE_ERROR_STARTTLS_UNAVAILABLE:
      return "the server offers no TLS on this port; try the implicit-TLS scheme (imaps, pop3s, submissions)";
    case MISSIVE_ERROR_AUTHENTICATION_FAILED:
      return "check the user name in the URI and the password "
             "($MISSIVE_PASSWORD, --password-file FILE, or the prompt on a terminal)";
    case MISSIVE_ERROR_MECHANISM_UNAVAILABLE:
    case MISSIVE_ERROR_UNKNOWN_MECHANISM:
      return "`missive plugins` lists the installed SASL mechanisms; without --mechanism the best one the server offers is used";
    case MISSIVE_ERROR_UNKNOWN_SCHEME:
      return "`missive plugins` lists the URI schemes the installed plugins handle";
    case MISSIVE_ERROR_SERVER_NO:
      code = missive_error_get_response_code (error);
      if (code != NULL && g_ascii_strncasecmp (code, "NONEXISTENT", 11) == 0)
        return "`missive list URI` shows the mailboxes";
      return NULL;
    case MISSIVE_ERROR_SERVER_BAD:
      return "the server did not understand the command (a search criterion misspelt?)";
    case MISSIVE_ERROR_NOT_SUPPORTED:
      return "this server or protocol cannot do that";
    default:
      return NULL;
    }
}

int
missive_cmd_report (const char   *command,
                    const GError *error)
{
  const char *server_text = NULL;
  const char *hint = hint_for (error);

  if (error->domain == MISSIVE_ERROR)
    server_text = missive_error_get_server_text (error);
  if (missive_cmd_options.json)
    {
      g_autoptr(GString) out = g_string_new ("{\"error\": ");

      missive_cmd_json_string (out, error->message);
      g_string_append_printf (out, ", \"exit_code\": %d", missive_cmd_exit_code (error));
      if (error->domain == MISSIVE_ERROR && missive_error_get_server_code (error) != 0)
        g_string_append_printf (out, ", \"code\": %u", missive_error_get_server_code (error));
      if (server_text != NULL)
        {
          g_string_append (out, ", \"server_text\": ");
          missive_cmd_json_string (out, server_text);
        }
      g_string_append (out, "}\n");
      g_print ("%s", out->str);
    }
  g_printerr ("missive %s: %s\n", command, error->message);
  if (server_text != NULL && *server_text != '\0' && strstr (error->message, server_text) == NULL)
    g_printerr ("server said: %s\n", server_text);
  if (hint != NULL)
    g_printerr ("hint: %s\n", hint);
  return missive_cmd_exit_code (error);
}

gboolean
missive_cmd_parse (const char         *command,
                   const char         *synopsis,
                   const char         *description,
                   const GOptionEntry *extra,
                   int                *argc,
                   char             ***argv,
                   int                 n_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (synopsis);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, missive_cmd_common_entries, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("missive %s: %s\n", command, error->message);
      return FALSE;
    }
  if (n_args == MISSIVE_CMD_ANY_ARGS ? FALSE :
      n_args >= 0 ? *argc != n_args + 1 : *argc < 1 - n_args)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return FALSE;
    }
  return TRUE;
}

void
missive_cmd_json_string (GString    *out,
                         const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

gboolean
missive_cmd_stderr_is_tty (void)
{
  return isatty (STDERR_FILENO);
}

/* ---- the password ------------------------------------------------------------------ */

static char *
first_line (char *text)
{
  text[strcspn (text, "\r\n")] = '\0';
  return text;
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;

  if (g_str_equal (path, "-"))
    {
      char buffer[1024];

      if (fgets (buffer, sizeof buffer, stdin) == NULL)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "no password on standard input");
          return NULL;
        }
      contents = g_strdup (buffer);
      explicit_bzero (buffer, sizeof buffer);
    }
  else if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  return g_strdup (first_line (contents));
}

/**
 * missive_cmd_prompt_secret:
 *
 * Asks on the controlling terminal with the echo off. The echo goes off
 * before the prompt is written, and nothing typed is thrown away: an answer
 * typed (or pasted) as soon as the prompt shows is kept. Returns %NULL when
 * standard input is not a terminal or nothing was read.
 */
char *
missive_cmd_prompt_secret (const char *format,
                           ...)
{
  struct termios saved, quiet;
  char buffer[1024];
  char *result = NULL;
  gboolean have_saved;
  va_list args;
  FILE *tty;
  int fd;

  if (!isatty (STDIN_FILENO))
    return NULL;
  fd = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  tty = fdopen (fd, "r+");
  if (tty == NULL)
    {
      close (fd);
      return NULL;
    }
  have_saved = tcgetattr (fd, &saved) == 0;
  if (have_saved)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (fd, TCSANOW, &quiet);
    }
  va_start (args, format);
  vfprintf (tty, format, args);
  va_end (args);
  fflush (tty);
  if (fgets (buffer, sizeof buffer, tty) != NULL)
    result = g_strdup (first_line (buffer));
  if (have_saved)
    tcsetattr (fd, TCSANOW, &saved);
  explicit_bzero (buffer, sizeof buffer);
  fclose (tty);
  return result;
}

static gboolean
apply_password (MissiveService  *service,
                GError         **error)
{
  const char *username = missive_service_get_username (service);
  const char *env = g_getenv ("MISSIVE_PASSWORD");
  const char *mechanism = missive_service_get_auth_mechanism (service);
  char *password = NULL;

  if (missive_service_get_password (service) != NULL)
    {
      g_printerr ("warning: a password in the URI is visible to other users of this machine; "
                  "use $MISSIVE_PASSWORD or --password-file\n");
      return TRUE;
    }
  if (missive_cmd_options.password_file != NULL)
    {
      password = read_password_file (missive_cmd_options.password_file, error);
      if (password == NULL)
        return FALSE;
    }
  else if (env != NULL)
    password = g_strdup (env);
  else if (username != NULL && missive_service_get_oauth_token (service) == NULL)
    password = missive_cmd_prompt_secret ("Password for %s@%s: ", username,
                                          missive_service_get_host (service) != NULL ?
                                          missive_service_get_host (service) : "");

  if (password != NULL)
    {
      missive_service_set_password (service, password);
      explicit_bzero (password, strlen (password));
      g_free (password);
    }
  else if (username != NULL && missive_service_get_oauth_token (service) == NULL &&
           (mechanism == NULL || (g_ascii_strcasecmp (mechanism, "EXTERNAL") != 0 &&
                                  g_ascii_strcasecmp (mechanism, "ANONYMOUS") != 0)))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                   "no password for %s: set $MISSIVE_PASSWORD, use --password-file FILE, "
                   "or run on a terminal to be asked", username);
      return FALSE;
    }
  return TRUE;
}

/* ---- a message from a file ------------------------------------------------------------ */

GMimeMessage *
missive_cmd_read_message (const char  *path,
                          GBytes     **bytes_out,
                          GError     **error)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  const char *name = path != NULL && strcmp (path, "-") != 0 ? path : "standard input";
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;

  if (path == NULL || strcmp (path, "-") == 0)
    input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      input = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (input == NULL)
        return NULL;
    }
  if (g_output_stream_splice (memory, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  /* GMime 3.2 declares no g_autoptr cleanup for its types; the stream
   * takes the bytes' array without a copy. */
  stream = g_mime_stream_mem_new_with_byte_array (g_bytes_unref_to_array (g_bytes_ref (bytes)));
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                   "%s is not an RFC 5322 message", name);
      return NULL;
    }
  if (bytes_out != NULL)
    *bytes_out = g_steal_pointer (&bytes);
  return message;
}

/* ---- trace and progress ------------------------------------------------------------- */

static void
trace_cb (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          gpointer               user_data)
{
  g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" :
                         direction == MISSIVE_TRACE_RECEIVED ? "S:" : "*", line);
}

typedef struct {
  char *what;
  guint64 total;
  int shown;           /* the last permille drawn, -1 for none */
  gint64 started;
} Progress;

static Progress progress = { NULL, 0, -1, 0 };

static void
format_size (char    *buffer,
             gsize    size,
             guint64  bytes)
{
  g_autofree char *text = g_format_size (bytes);

  g_strlcpy (buffer, text, size);
}

static void
progress_draw (guint64 done)
{
  char done_text[32], total_text[32];
  int permille = progress.total > 0 ? (int) MIN (done * 1000 / progress.total, 1000) : 0;
  int width = 30;
  int filled = permille * width / 1000;
  GString *bar;

  /* Only bother for transfers that last: after half a second. */
  if (g_get_monotonic_time () - progress.started < G_USEC_PER_SEC / 2 && done < progress.total)
    return;
  if (permille == progress.shown && progress.total > 0)
    return;
  progress.shown = permille;
  format_size (done_text, sizeof done_text, done);
  format_size (total_text, sizeof total_text, progress.total);
  bar = g_string_new ("\r");
  g_string_append_printf (bar, "%-8.8s [", progress.what != NULL ? progress.what : "");
  for (int i = 0; i < width; i++)
    g_string_append_c (bar, i < filled ? '#' : ' ');
  if (progress.total > 0)
    g_string_append_printf (bar, "] %3d%% %s of %s\033[K", permille / 10, done_text, total_text);
  else
    g_string_append_printf (bar, "] %s\033[K", done_text);
  fputs (bar->str, stderr);
  fflush (stderr);
  g_string_free (bar, TRUE);
}

static void
transfer_started_cb (MissiveService *service,
                     const char     *what,
                     guint64         total,
                     gpointer        user_data)
{
  g_free (progress.what);
  progress.what = g_strdup (what);
  progress.total = total;
  progress.shown = -1;
  progress.started = g_get_monotonic_time ();
}

static void
transfer_progress_cb (MissiveService *service,
                      guint64         done,
                      guint64         total,
                      gpointer        user_data)
{
  if (total > 0)
    progress.total = total;
  progress_draw (done);
}

static void
transfer_finished_cb (MissiveService *service,
                      guint64         total,
                      gpointer        user_data)
{
  if (progress.shown >= 0)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
  progress.shown = -1;
  g_clear_pointer (&progress.what, g_free);
}

/* ---- opening a service ---------------------------------------------------------------- */

MissiveService *
missive_cmd_open_service (const char  *uri,
                          GType        type,
                          GError     **error)
{
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;
  if (!g_type_is_a (G_OBJECT_TYPE (service), type))
    {
      if (type == MISSIVE_TYPE_STORE)
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "“%s” is not a mail store (use imap, imaps, pop3 or pop3s)", uri);
      else
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "“%s” is not a mail submission service "
                     "(use smtp, submission, submissions, smtps or lmtp)", uri);
      return NULL;
    }
  if (missive_cmd_options.ca_file != NULL)
    missive_service_set_ca_file (service, missive_cmd_options.ca_file);
  if (missive_cmd_options.mechanism != NULL)
    missive_service_set_auth_mechanism (service, missive_cmd_options.mechanism);
  if (!apply_password (service, error))
    return NULL;
  if (missive_cmd_options.timeout > 0)
    missive_service_set_timeout (service, (guint) missive_cmd_options.timeout);
  if (missive_cmd_options.trace)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (trace_cb), NULL);
  /* A bar on a terminal only, and not mixed into a trace. */
  if (missive_cmd_stderr_is_tty () && !missive_cmd_options.no_progress && !missive_cmd_options.trace)
    {
      g_signal_connect (service, "transfer-started", G_CALLBACK (transfer_started_cb), NULL);
      g_signal_connect (service, "transfer-progress", G_CALLBACK (transfer_progress_cb), NULL);
      g_signal_connect (service, "transfer-finished", G_CALLBACK (transfer_finished_cb), NULL);
    }
  if (!missive_service_open (service, NULL, error))
    return NULL;
  return g_steal_pointer (&service);
}
