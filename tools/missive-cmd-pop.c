/* missive-cmd-pop.c: `missive pop`, a POP3 maildrop
 *
 *   missive pop list URI           number, size and UIDL of each message
 *   missive pop retr URI N         message N to stdout (or --output FILE)
 *   missive pop dele URI N...      delete messages (committed by QUIT)
 *
 * URI is a pop3 or pop3s URI. Message numbers are those of LIST in the
 * same session; between sessions, the UIDL is the stable name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include <gio/gunixoutputstream.h>

#include "missive-cmds.h"

static char *retr_output = NULL;

static const GOptionEntry retr_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &retr_output, "Write the message to FILE", "FILE" },
  { NULL }
};

static void
pop_usage (void)
{
  g_printerr ("usage: missive pop list URI\n"
              "       missive pop retr URI N [--output FILE]\n"
              "       missive pop dele URI N...\n\n"
              "URI is pop3://user@host[:port] or pop3s://user@host[:port]; see `missive --help`\n"
              "for the password and the common options.\n");
}

/* Opens the POP3 store of @uri and selects its only mailbox. */
static MissiveStore *
open_maildrop (const char          *uri,
               MissiveMailboxInfo **out_info,
               GError             **error)
{
  g_autoptr(MissiveService) service = NULL;
  const char *scheme;

  service = missive_cmd_open_service (uri, MISSIVE_TYPE_STORE, error);
  if (service == NULL)
    return NULL;
  scheme = missive_service_get_scheme (service);
  if (scheme == NULL || !g_str_has_prefix (scheme, "pop3"))
    {
      missive_service_close (service, NULL, NULL);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a POP3 URI (use pop3:// or pop3s://)", uri);
      return NULL;
    }
  *out_info = missive_store_select_mailbox (MISSIVE_STORE (service), "INBOX", FALSE, NULL, error);
  if (*out_info == NULL)
    return NULL;
  return MISSIVE_STORE (g_steal_pointer (&service));
}

static gboolean
parse_number (const char *text,
              guint32    *out)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &n, NULL))
    {
      g_printerr ("missive pop: “%s” is not a message number\n", text);
      return FALSE;
    }
  *out = (guint32) n;
  return TRUE;
}

static int
pop_list (int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
  g_autoptr(GString) json = g_string_new ("[");
  guint n;

  if (!missive_cmd_parse ("pop list", "URI - the messages of a POP3 maildrop", NULL, NULL,
                          &argc, &argv, 1))
    return MISSIVE_CMD_EXIT_USAGE;

  store = open_maildrop (argv[1], &info, &error);
  if (store != NULL)
    {
      missive_message_set_add_range (set, 1, G_MAXUINT32);
      messages = missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_SIZE, 0, NULL, &error);
    }
  if (messages == NULL)
    return missive_cmd_report ("pop list", error);

  n = g_list_model_get_n_items (messages);
  if (!missive_cmd_options.json)
    g_print ("%u messages, %" G_GUINT64_FORMAT " bytes\n", missive_mailbox_info_get_messages (info),
             missive_mailbox_info_get_size (info));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveMessageInfo) message = g_list_model_get_item (messages, i);
      const char *uidl = missive_message_info_get_uidl (message);

      if (missive_cmd_options.json)
        {
          g_string_append_printf (json, "%s{\"number\": %u, \"size\": %" G_GUINT64_FORMAT ", \"uidl\": ",
                                  i > 0 ? ",\n " : "", missive_message_info_get_sequence (message),
                                  missive_message_info_get_size (message));
          if (uidl != NULL)
            missive_cmd_json_string (json, uidl);
          else
            g_string_append (json, "null");
          g_string_append_c (json, '}');
        }
      else
        g_print ("%u %" G_GUINT64_FORMAT " %s\n", missive_message_info_get_sequence (message),
                 missive_message_info_get_size (message), uidl != NULL ? uidl : "-");
    }
  if (missive_cmd_options.json)
    g_print ("%s]\n", json->str);
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;
}

static int
pop_retr (int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GOutputStream) sink = NULL;
  g_autoptr(GFile) file = NULL;
  guint32 number;

  if (!missive_cmd_parse ("pop retr", "URI N - one message of a POP3 maildrop", NULL, retr_entries,
                          &argc, &argv, 2))
    return MISSIVE_CMD_EXIT_USAGE;
  if (!parse_number (argv[2], &number))
    return MISSIVE_CMD_EXIT_USAGE;

  store = open_maildrop (argv[1], &info, &error);
  if (store == NULL)
    return missive_cmd_report ("pop retr", error);
  if (number > missive_mailbox_info_get_messages (info))
    {
      g_printerr ("missive pop retr: there is no message %u (the maildrop has %u)\n",
                  number, missive_mailbox_info_get_messages (info));
      missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
      return MISSIVE_CMD_EXIT_SERVER;
    }

  if (retr_output != NULL)
    {
      file = g_file_new_for_commandline_arg (retr_output);
      sink = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (sink == NULL)
        return missive_cmd_report ("pop retr", error);
    }
  else
    sink = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (!missive_store_fetch_message (store, number, sink, NULL, &error))
    {
      if (file != NULL)
        {
          g_output_stream_close (sink, NULL, NULL);
          g_file_delete (file, NULL, NULL);
        }
      return missive_cmd_report ("pop retr", error);
    }
  if (!g_output_stream_close (sink, NULL, &error))
    return missive_cmd_report ("pop retr", error);
  missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;
}

static int
pop_dele (int    argc,
          char **argv)
{
  static const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
  g_autoptr(GListModel) changed = NULL;

  if (!missive_cmd_parse ("pop dele", "URI N... - delete messages of a POP3 maildrop",
                          "The deletions take effect when the session ends with QUIT; if the\n"
                          "connection breaks before, nothing is deleted.\n",
                          NULL, &argc, &argv, -2))
    return MISSIVE_CMD_EXIT_USAGE;
  for (int i = 2; i < argc; i++)
    {
      guint32 number;

      if (!parse_number (argv[i], &number))
        return MISSIVE_CMD_EXIT_USAGE;
      missive_message_set_add (set, number);
    }

  store = open_maildrop (argv[1], &info, &error);
  if (store == NULL)
    return missive_cmd_report ("pop dele", error);
  if (missive_message_set_get_max (set) > missive_mailbox_info_get_messages (info))
    {
      g_printerr ("missive pop dele: there is no message %u (the maildrop has %u)\n",
                  missive_message_set_get_max (set), missive_mailbox_info_get_messages (info));
      missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
      return MISSIVE_CMD_EXIT_SERVER;
    }
  changed = missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  /* QUIT commits the deletions; a refused QUIT deletes nothing. */
  if (changed == NULL || !missive_service_close (MISSIVE_SERVICE (store), NULL, &error))
    return missive_cmd_report ("pop dele", error);
  {
    g_autofree char *text = missive_message_set_to_string (set);

    g_print ("deleted %s\n", text);
  }
  return MISSIVE_CMD_EXIT_OK;
}

int
missive_cmd_pop (int    argc,
                 char **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      pop_usage ();
      return argc < 2 ? MISSIVE_CMD_EXIT_USAGE : MISSIVE_CMD_EXIT_OK;
    }
  if (g_str_equal (argv[1], "list"))
    return pop_list (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "retr"))
    return pop_retr (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "dele"))
    return pop_dele (argc - 1, argv + 1);
  g_printerr ("missive pop: unknown command “%s”\n\n", argv[1]);
  pop_usage ();
  return MISSIVE_CMD_EXIT_USAGE;
}
