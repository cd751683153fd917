/* missive-cmd-store.c: the `missive` commands that read a mail store
 *
 *   missive list URI                   the mailboxes with their counters
 *                                      (also: missive mailboxes URI)
 *   missive status URI MAILBOX         one mailbox's counters, unselected
 *   missive summaries URI MAILBOX      one line per message (the last ones)
 *   missive fetch URI MAILBOX UID      the whole message, to stdout or a file
 *   missive search URI MAILBOX CRITERIA...
 *                                      the UIDs matching raw IMAP criteria
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>

#include "missive-cmds.h"

static char *fetch_output = NULL;
static int summaries_count = 10;
static char *list_pattern = NULL;
static gboolean list_subscribed = FALSE;

static const GOptionEntry list_entries[] = {
  { "pattern", 'p', 0, G_OPTION_ARG_STRING, &list_pattern, "Only mailboxes matching PATTERN (IMAP LIST wildcards * and %; default *)", "PATTERN" },
  { "subscribed", 0, 0, G_OPTION_ARG_NONE, &list_subscribed, "Only subscribed mailboxes", NULL },
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

static MissiveStore *
open_store (const char  *uri,
            GError     **error)
{
  return MISSIVE_STORE (missive_cmd_open_service (uri, MISSIVE_TYPE_STORE, error));
}

static void
close_store (MissiveStore *store)
{
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
}

/* ---- list ----------------------------------------------------------------------- */

static void
json_strv (GString            *out,
           const char * const *strv)
{
  g_string_append_c (out, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      missive_cmd_json_string (out, strv[i]);
    }
  g_string_append_c (out, ']');
}

/* One mailbox as a JSON object; counters the server did not give are left out. */
static void
json_mailbox (GString            *out,
              MissiveMailboxInfo *info,
              gboolean            selected)
{
  g_string_append (out, "{\"name\": ");
  missive_cmd_json_string (out, missive_mailbox_info_get_name (info));
  g_string_append (out, ", \"attributes\": ");
  json_strv (out, missive_mailbox_info_get_attributes (info));
  if (missive_mailbox_info_get_special_use (info) != NULL)
    {
      g_string_append (out, ", \"special_use\": ");
      missive_cmd_json_string (out, missive_mailbox_info_get_special_use (info));
    }
  g_string_append_printf (out, ", \"messages\": %u, \"unseen\": %u, \"recent\": %u"
                          ", \"uid_validity\": %u, \"uid_next\": %u, \"size\": %" G_GUINT64_FORMAT
                          ", \"highest_modseq\": %" G_GUINT64_FORMAT,
                          missive_mailbox_info_get_messages (info),
                          missive_mailbox_info_get_unseen (info),
                          missive_mailbox_info_get_recent (info),
                          missive_mailbox_info_get_uid_validity (info),
                          missive_mailbox_info_get_uid_next (info),
                          missive_mailbox_info_get_size (info),
                          missive_mailbox_info_get_highest_modseq (info));
  if (selected)
    {
      g_string_append (out, ", \"flags\": ");
      json_strv (out, missive_mailbox_info_get_flags (info));
      g_string_append_printf (out, ", \"read_only\": %s",
                              missive_mailbox_info_get_read_only (info) ? "true" : "false");
    }
  g_string_append_c (out, '}');
}

int
missive_cmd_mailboxes (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GListModel) mailboxes = NULL;
  g_autoptr(GString) json = g_string_new ("[");
  MissiveListFlags flags = MISSIVE_LIST_FLAGS_STATUS;

  if (!missive_cmd_parse ("list", "URI - list the mailboxes of a store", NULL, list_entries,
                          &argc, &argv, 1))
    return MISSIVE_CMD_EXIT_USAGE;
  if (list_subscribed)
    flags |= MISSIVE_LIST_FLAGS_SUBSCRIBED;

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailboxes = missive_store_list_mailboxes (store, list_pattern != NULL ? list_pattern : "*",
                                              flags, NULL, &error);
  if (mailboxes == NULL)
    return missive_cmd_report ("list", error);

  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (mailboxes, i);
      const char * const *attributes = missive_mailbox_info_get_attributes (info);
      g_autofree char *joined = attributes != NULL ? g_strjoinv (" ", (char **) attributes) : g_strdup ("");

      if (missive_cmd_options.json)
        {
          if (i > 0)
            g_string_append (json, ",\n ");
          json_mailbox (json, info, FALSE);
        }
      else
        g_print ("%-24s %6u messages %6u unseen  %s\n", missive_mailbox_info_get_name (info),
                 missive_mailbox_info_get_messages (info), missive_mailbox_info_get_unseen (info),
                 joined);
    }
  if (missive_cmd_options.json)
    g_print ("%s]\n", json->str);
  close_store (store);
  return MISSIVE_CMD_EXIT_OK;
}

/* ---- status --------------------------------------------------------------------- */

int
missive_cmd_status (int    argc,
                    char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  gboolean selected = FALSE;

  if (!missive_cmd_parse ("status", "URI MAILBOX - a mailbox's counters",
                          "IMAP asks with STATUS (the mailbox is not selected); POP3, which has\n"
                          "only INBOX, answers with STAT.\n",
                          NULL, &argc, &argv, 2))
    return MISSIVE_CMD_EXIT_USAGE;

  store = open_store (argv[1], &error);
  if (store != NULL)
    {
      info = missive_store_get_mailbox_status (store, argv[2], NULL, &error);
      /* A store without STATUS (POP3): select it, which counts too. */
      if (info == NULL && g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED))
        {
          g_clear_error (&error);
          info = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
          selected = TRUE;
        }
    }
  if (info == NULL)
    return missive_cmd_report ("status", error);

  if (missive_cmd_options.json)
    {
      g_autoptr(GString) json = g_string_new (NULL);

      json_mailbox (json, info, selected);
      g_print ("%s\n", json->str);
    }
  else
    {
      g_print ("mailbox:        %s\n", argv[2]);
      g_print ("messages:       %u\n", missive_mailbox_info_get_messages (info));
      g_print ("unseen:         %u\n", missive_mailbox_info_get_unseen (info));
      g_print ("recent:         %u\n", missive_mailbox_info_get_recent (info));
      g_print ("uid-validity:   %u\n", missive_mailbox_info_get_uid_validity (info));
      g_print ("uid-next:       %u\n", missive_mailbox_info_get_uid_next (info));
      if (missive_mailbox_info_get_size (info) > 0)
        g_print ("size:           %" G_GUINT64_FORMAT "\n", missive_mailbox_info_get_size (info));
      if (missive_mailbox_info_get_highest_modseq (info) > 0)
        g_print ("highest-modseq: %" G_GUINT64_FORMAT "\n", missive_mailbox_info_get_highest_modseq (info));
    }
  close_store (store);
  return MISSIVE_CMD_EXIT_OK;
}

/* ---- summaries ------------------------------------------------------------------- */

int
missive_cmd_summaries (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) mailbox = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(MissiveMessageSet) set = NULL;
  guint count, n, first;

  if (!missive_cmd_parse ("summaries", "URI MAILBOX - one line per message", NULL,
                          summaries_entries, &argc, &argv, 2))
    return MISSIVE_CMD_EXIT_USAGE;

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailbox = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
  if (mailbox == NULL)
    return missive_cmd_report ("summaries", error);

  count = missive_mailbox_info_get_messages (mailbox);
  g_print ("%s: %u messages, UIDVALIDITY %u\n", argv[2], count,
           missive_mailbox_info_get_uid_validity (mailbox));
  if (count == 0)
    {
      close_store (store);
      return MISSIVE_CMD_EXIT_OK;
    }

  set = missive_message_set_new ();
  missive_message_set_add_range (set, 1, G_MAXUINT32);
  messages = missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_SUMMARY, 0, NULL, &error);
  if (messages == NULL)
    return missive_cmd_report ("summaries", error);

  /* The last messages by UID. */
  n = g_list_model_get_n_items (messages);
  first = summaries_count > 0 && (guint) summaries_count < n ? n - (guint) summaries_count : 0;
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
  close_store (store);
  return MISSIVE_CMD_EXIT_OK;
}

/* ---- fetch ------------------------------------------------------------------------ */

int
missive_cmd_fetch (int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) mailbox = NULL;
  g_autoptr(GOutputStream) sink = NULL;
  g_autoptr(GFile) file = NULL;
  guint64 uid = 0;

  if (!missive_cmd_parse ("fetch", "URI MAILBOX UID - write one message out", NULL,
                          fetch_entries, &argc, &argv, 3))
    return MISSIVE_CMD_EXIT_USAGE;
  if (!g_ascii_string_to_unsigned (argv[3], 10, 1, G_MAXUINT32, &uid, &error))
    {
      g_printerr ("missive fetch: UID “%s”: %s\n", argv[3], error->message);
      return MISSIVE_CMD_EXIT_USAGE;
    }

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailbox = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
  if (mailbox == NULL)
    return missive_cmd_report ("fetch", error);

  /* The file is made only once the message can be asked for. */
  if (fetch_output != NULL)
    {
      file = g_file_new_for_commandline_arg (fetch_output);
      sink = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (sink == NULL)
        return missive_cmd_report ("fetch", error);
    }
  else
    sink = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (!missive_store_fetch_message (store, (guint32) uid, sink, NULL, &error))
    {
      /* Leave no half-written or empty file behind. */
      if (file != NULL)
        {
          g_output_stream_close (sink, NULL, NULL);
          g_file_delete (file, NULL, NULL);
        }
      return missive_cmd_report ("fetch", error);
    }
  if (!g_output_stream_close (sink, NULL, &error))
    return missive_cmd_report ("fetch", error);

  close_store (store);
  return MISSIVE_CMD_EXIT_OK;
}

/* ---- search ------------------------------------------------------------------------ */

int
missive_cmd_search (int    argc,
                    char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) mailbox = NULL;
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(MissiveSearchQuery) query = NULL;
  g_autofree char *criteria = NULL;
  g_autofree guint32 *uids = NULL;
  gsize n_uids = 0;

  if (!missive_cmd_parse ("search", "URI MAILBOX CRITERIA... - the UIDs of matching messages",
                          "CRITERIA are IMAP search keys (RFC 9051 section 6.4.4), joined with\n"
                          "spaces and sent as they are, e.g.:\n"
                          "  missive search imaps://alice@host INBOX UNSEEN FROM '\"bob\"'\n"
                          "  missive search imaps://alice@host INBOX SINCE 1-Jan-2024 LARGER 100000\n"
                          "One UID per line; with --json an array of numbers.\n",
                          NULL, &argc, &argv, -3))
    return MISSIVE_CMD_EXIT_USAGE;

  criteria = g_strjoinv (" ", argv + 3);
  query = missive_search_query_new_raw (criteria);

  store = open_store (argv[1], &error);
  if (store != NULL)
    mailbox = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
  if (mailbox != NULL)
    found = missive_store_search (store, query, NULL, &error);
  if (found == NULL)
    return missive_cmd_report ("search", error);

  if (!missive_message_set_is_empty (found))
    uids = missive_message_set_to_array (found, &n_uids);
  if (missive_cmd_options.json)
    {
      g_autoptr(GString) json = g_string_new ("[");

      for (gsize i = 0; i < n_uids; i++)
        g_string_append_printf (json, i > 0 ? ", %u" : "%u", uids[i]);
      g_print ("%s]\n", json->str);
    }
  else
    for (gsize i = 0; i < n_uids; i++)
      g_print ("%u\n", uids[i]);
  close_store (store);
  return MISSIVE_CMD_EXIT_OK;
}
