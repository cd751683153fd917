/* missive-cmd-idle.c: `missive idle URI MAILBOX`, watch a mailbox
 *
 * Selects the mailbox, then waits with IMAP IDLE (or the store's polling)
 * and prints what the server reports, one line each, as it happens:
 *
 *   watching INBOX: 20 messages, next UID 21
 *   exists 21
 *   new UID 21 from "Alice <alice@example.org>" subject "Hello"
 *   expunge 3
 *   flags UID 7 (\Seen \Answered)
 *
 * For each new message the wait is interrupted to fetch its summary and
 * then resumed. It runs until Ctrl-C (SIGINT) or SIGTERM, or for --timeout
 * SECONDS; either ends it normally (exit code 0).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "missive-cmds.h"

static int idle_timeout = 0;

static const GOptionEntry idle_entries[] = {
  { "timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout, "Stop after SECONDS (default: run until Ctrl-C)", "SECONDS" },
  { NULL }
};

typedef struct {
  MissiveStore *store;
  GMainLoop *loop;
  GCancellable *cancellable;
  guint32 uid_next;
  guint32 count;
  gboolean idling;
  gboolean fetching;
  gboolean want_fetch;
  gboolean stopping;
  guint timeout_id;
  int exit_code;
} Watch;

static void watch_idle (Watch *watch);

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

/* One line to stdout, flushed at once: the reader may be a script that
 * waits for it. */
static void
say (const char *format,
     ...)
{
  va_list args;
  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s\n", line);
  fflush (stdout);
}

static void
watch_stop (Watch *watch)
{
  watch->stopping = TRUE;
  if (watch->idling)
    missive_store_stop_idle (watch->store);
  else if (!watch->fetching)
    g_main_loop_quit (watch->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Watch *watch = user_data;

  watch->timeout_id = 0;
  watch_stop (watch);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer user_data)
{
  watch_stop (user_data);
  return G_SOURCE_CONTINUE;
}

static void
mailbox_changed_cb (MissiveStore *store,
                    const char   *mailbox,
                    const char   *what,
                    guint         number,
                    gpointer      user_data)
{
  Watch *watch = user_data;

  if (watch->fetching)
    return;
  say ("%s %u", what, number);
  if (g_str_equal (what, "exists"))
    {
      if (number > watch->count)
        {
          watch->want_fetch = TRUE;
          if (watch->idling)
            missive_store_stop_idle (store);
        }
      watch->count = number;
    }
  else if (g_str_equal (what, "expunge") && watch->count > 0)
    watch->count--;
}

static void
message_info_cb (MissiveStore       *store,
                 MissiveMessageInfo *info,
                 gpointer            user_data)
{
  Watch *watch = user_data;
  const char * const *flags = missive_message_info_get_flags (info);
  g_autofree char *joined = NULL;

  if (watch->fetching || flags == NULL)
    return;
  joined = g_strjoinv (" ", (char **) flags);
  if (missive_message_info_get_uid (info) != 0)
    say ("flags UID %u (%s)", missive_message_info_get_uid (info), joined);
  else
    say ("flags #%u (%s)", missive_message_info_get_sequence (info), joined);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) messages = NULL;

  watch->fetching = FALSE;
  messages = missive_store_fetch_summaries_finish (watch->store, result, &error);
  if (messages == NULL)
    {
      watch->exit_code = missive_cmd_report ("idle", error);
      g_main_loop_quit (watch->loop);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (messages, i);
      guint32 uid = missive_message_info_get_uid (info);
      const char *from = missive_message_info_get_from (info);
      const char *subject = missive_message_info_get_subject (info);

      /* "n:*" always matches the last message, even an old one. */
      if (uid < watch->uid_next)
        continue;
      say ("new UID %u from \"%s\" subject \"%s\"", uid, from != NULL ? from : "",
           subject != NULL ? subject : "");
      watch->uid_next = uid + 1;
    }
  if (watch->stopping)
    g_main_loop_quit (watch->loop);
  else
    watch_idle (watch);
}

static void
fetch_new (Watch *watch)
{
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();

  missive_message_set_add_range (set, MAX (watch->uid_next, 1), G_MAXUINT32);
  watch->want_fetch = FALSE;
  watch->fetching = TRUE;
  missive_store_fetch_summaries_async (watch->store, set,
                                       MISSIVE_FETCH_ITEMS_ENVELOPE | MISSIVE_FETCH_ITEMS_FLAGS,
                                       0, G_PRIORITY_DEFAULT, watch->cancellable,
                                       fetch_done_cb, watch);
}

static void
idle_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;

  watch->idling = FALSE;
  if (!missive_store_idle_finish (watch->store, result, &error))
    {
      watch->exit_code = missive_cmd_report ("idle", error);
      g_main_loop_quit (watch->loop);
      return;
    }
  if (watch->want_fetch)
    fetch_new (watch);
  else if (watch->stopping)
    g_main_loop_quit (watch->loop);
  else
    watch_idle (watch);
}

static void
watch_idle (Watch *watch)
{
  watch->idling = TRUE;
  missive_store_idle_async (watch->store, G_PRIORITY_DEFAULT, watch->cancellable,
                            idle_done_cb, watch);
}

int
missive_cmd_idle (int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  Watch watch = { 0, };
  guint sigint_id, sigterm_id;

  if (!missive_cmd_parse ("idle", "URI MAILBOX - print a mailbox's changes as they happen",
                          "Runs until Ctrl-C, or for --timeout SECONDS; both end it with exit code 0.\n",
                          idle_entries, &argc, &argv, 2))
    return MISSIVE_CMD_EXIT_USAGE;

  store = MISSIVE_STORE (missive_cmd_open_service (argv[1], MISSIVE_TYPE_STORE, &error));
  if (store != NULL)
    info = missive_store_select_mailbox (store, argv[2], TRUE, NULL, &error);
  if (info == NULL)
    return missive_cmd_report ("idle", error);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  watch.store = store;
  watch.loop = loop;
  watch.cancellable = cancellable;
  watch.uid_next = missive_mailbox_info_get_uid_next (info);
  watch.count = missive_mailbox_info_get_messages (info);

  g_signal_connect (store, "mailbox-changed", G_CALLBACK (mailbox_changed_cb), &watch);
  g_signal_connect (store, "message-info", G_CALLBACK (message_info_cb), &watch);
  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &watch);
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &watch);
  if (idle_timeout > 0)
    watch.timeout_id = g_timeout_add_seconds ((guint) idle_timeout, timeout_cb, &watch);

  say ("watching %s: %u messages, next UID %u", argv[2], watch.count, watch.uid_next);
  watch_idle (&watch);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&watch.timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (store, &watch);
  if (watch.exit_code == MISSIVE_CMD_EXIT_OK)
    missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  return watch.exit_code;
}
