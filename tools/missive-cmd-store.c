/* missive-cmd-store.c: the `missive` commands that read a mail store
 *
 *   missive mailboxes URI            list the mailboxes with their counters
 *   missive summaries URI MAILBOX    one line per message (the last ones)
 *   missive fetch URI MAILBOX UID    the whole message, to stdout or a file
 *
 * The password comes from the environment variable MISSIVE_PASSWORD (or
 * the URI, which is discouraged: command lines are visible to other
 * users), never from an option.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>

#include "missive-cmds.h"

static char *store_ca_file = NULL;
static char *store_mechanism = NULL;
static char *fetch_output = NULL;
static int summaries_count = 10;
static gboolean store_trace = FALSE;

static const GOptionEntry store_entries[] = {
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &store_ca_file, "Trust the CA certificates in FILE", "FILE" },
  { "mechanism", 0, 0, G_OPTION_ARG_STRING, &store_mechanism, "Authenticate with the SASL MECHANISM", "MECHANISM" },
  { "trace", 0, 0, G_OPTION_ARG_NONE, &store_trace, "Print the protocol exchange (secrets masked) on stderr", NULL },
  { NULL }
};

static const GOptionEntry summaries_entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &summaries_count, "Show the last COUNT messages (default 10)", "COUNT" },
  { NULL }
};

static const GOptionEntry fetch_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &fetch_output, "Write the message to FILE", "FILE" },
  { NULL }
};

static void
trace_cb (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          gpointer               user_data)
{
  g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" : direction == MISSIVE_TRACE_RECEIVED ? "S:" : "*", line);
}

/* Parses the common options, creates the store for @uri and logs in. */
static MissiveStore *
open_store (const char  *uri,
            GError     **error)
{
  g_autoptr(MissiveService) service = NULL;
  const char *password = g_getenv ("MISSIVE_PASSWORD");

  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;
  if (!MISSIVE_IS_STORE (service))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a mail store (use imap, imaps, pop3 or pop3s)", uri);
      return NULL;
    }
  if (password != NULL && missive_service_get_password (service) == NULL)
    missive_service_set_password (service, password);
  if (store_ca_file != NULL)
    missive_service_set_ca_file (service, store_ca_file);
  if (store_mechanism != NULL)
    missive_service_set_auth_mechanism (service, store_mechanism);
  if (store_trace)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (trace_cb), NULL);
  if (!missive_service_open (service, NULL, error))
    return NULL;
  return MISSIVE_STORE (g_steal_pointer (&service));
}

static int
report (const char   *command,
        const GError *error)
{
  g_printerr ("missive %s: %s\n", command, error->message);
  if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED))
    g_printerr ("hint: pass the server's CA with --ca-file\n");
  return missive_cmd_exit_code (error);
}

/* Parses @argc/@argv with the common entries plus @extra; FALSE on a
 * usage error (already printed). */
static gboolean
parse_options (const char         *synopsis,
               const GOptionEntry *extra,
               int                *argc,
               char             ***argv,
               int                 n_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (synopsis);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, store_entries, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("missive: %s\n", error->message);
      return FALSE;
    }
  if (*argc != n_args + 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return FALSE;
    }
  return TRUE;
}

int
missive_cmd_mailboxes (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GListModel) mailboxes = NULL;

  if (!parse_options ("URI - list the mailboxes of a store", NULL, &argc, &argv, 1))
    return MISSIVE_CMD_EXIT_USAGE;

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailboxes = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_STATUS, NULL, &error);
  if (mailboxes == NULL)
    return report ("mailboxes", error);

  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (mailboxes, i);
      const char * const *attributes = missive_mailbox_info_get_attributes (info);
      g_autofree char *joined = attributes != NULL ? g_strjoinv (" ", (char **) attributes) : g_strdup ("");

      g_print ("%-24s %6u messages %6u unseen  %s\n", missive_mailbox_info_get_name (info),
               missive_mailbox_info_get_messages (info), missive_mailbox_info_get_unseen (info),
               joined);
    }
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;
}

int
missive_cmd_summaries (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) mailbox = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(MissiveMessageSet) set = NULL;
  guint count;

  if (!parse_options ("URI MAILBOX - one line per message", summaries_entries, &argc, &argv, 2))
    return MISSIVE_CMD_EXIT_USAGE;

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailbox = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
  if (mailbox == NULL)
    return report ("summaries", error);

  count = missive_mailbox_info_get_messages (mailbox);
  g_print ("%s: %u messages, UIDVALIDITY %u\n", argv[2], count,
           missive_mailbox_info_get_uid_validity (mailbox));
  if (count == 0)
    return MISSIVE_CMD_EXIT_OK;

  /* The last messages by UID: from the lowest UID among them to the end. */
  set = missive_message_set_new ();
  missive_message_set_add_range (set, 1, G_MAXUINT32);
  messages = missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_SUMMARY, 0, NULL, &error);
  if (messages == NULL)
    return report ("summaries", error);

  {
    guint n = g_list_model_get_n_items (messages);
    guint first = summaries_count > 0 && (guint) summaries_count < n ? n - (guint) summaries_count : 0;

    for (guint i = first; i < n; i++)
      {
        g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (messages, i);
        const char * const *flags = missive_message_info_get_flags (info);
        g_autofree char *joined = flags != NULL ? g_strjoinv (" ", (char **) flags) : g_strdup ("");
        GDateTime *date = missive_message_info_get_internal_date (info);
        g_autofree char *when = date != NULL ? g_date_time_format (date, "%F %R") : g_strdup ("?");

        const char *from = missive_message_info_get_from (info);
        const char *subject = missive_message_info_get_subject (info);
        /* Cut and padded by characters, not bytes: names are UTF-8. */
        g_autofree char *from_cut = g_utf8_substring (from != NULL ? from : "", 0, 28);
        glong pad = 28 - g_utf8_strlen (from_cut, -1);

        g_print ("%6u  %s  %8" G_GUINT64_FORMAT "  %s%*s  %s  [%s]\n",
                 missive_message_info_get_uid (info), when, missive_message_info_get_size (info),
                 from_cut, (int) pad, "", subject != NULL ? subject : "", joined);
      }
  }
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;
}

int
missive_cmd_fetch (int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) mailbox = NULL;
  g_autoptr(GOutputStream) sink = NULL;
  guint64 uid = 0;

  if (!parse_options ("URI MAILBOX UID - write one message out", fetch_entries, &argc, &argv, 3))
    return MISSIVE_CMD_EXIT_USAGE;
  if (!g_ascii_string_to_unsigned (argv[3], 10, 1, G_MAXUINT32, &uid, &error))
    return report ("fetch", error);

  if (fetch_output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (fetch_output);

      sink = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (sink == NULL)
        return report ("fetch", error);
    }
  else
    sink = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailbox = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
  if (mailbox == NULL || !missive_store_fetch_message (store, (guint32) uid, sink, NULL, &error) ||
      !g_output_stream_close (sink, NULL, &error))
    return report ("fetch", error);

  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;
}
