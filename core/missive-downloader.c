/* missive-downloader.c: MissiveDownloader, "leave mail on the server"
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <missive/missive.h>
#include <missive/missive-downloader.h>
#include <missive/missive-plugin.h>

#include "missive-downloader-private.h"

/**
 * MissiveDownloader:
 *
 * Downloads the new messages of a store's INBOX and leaves them on the
 * server for a while, the way mail clients use POP3 when several of them
 * read the same mailbox.
 *
 * The downloader remembers, in a small state file the application names,
 * the unique id of every message it has downloaded and when. Each
 * [method@Downloader.sync]:
 *
 * 1. opens the store when it is not open yet and selects INBOX;
 * 2. lists the messages with [method@Store.fetch_summaries]: a message's
 *    id is its POP3 UIDL ([method@MessageInfo.get_uidl]), or, for a store
 *    without UIDLs but with a UIDVALIDITY (IMAP), the UIDVALIDITY and the
 *    UID (the IMAP store must use UIDs, its default);
 * 3. downloads, with [method@Store.fetch_message], every message whose id
 *    is not in the state file, emitting [signal@Downloader::message-downloaded]
 *    for each, and records it with the time;
 * 4. when [property@Downloader:delete-after-days] is not 0, deletes from
 *    the server the messages downloaded more than that many days ago
 *    (\Deleted, then [method@Store.expunge] of those messages);
 * 5. forgets the ids of messages that are no longer on the server, and
 *    writes the state file again: to a temporary file that is flushed to
 *    disk and renamed over the old one, so a crash leaves either the old
 *    or the new state.
 *
 * A message is recorded only once it is stored, so an interrupted sync
 * downloads it again the next time rather than losing it; the state is
 * saved for the messages downloaded before an error or a cancellation.
 *
 * Where the messages go: with [property@Downloader:download-directory]
 * set, each is written into that directory as a maildir (`tmp/`, then
 * flushed and renamed into `new/`) and the signal carries the file;
 * without it, the signal carries the message's bytes in memory.
 *
 * POP3 commits deletions only when the session ends with QUIT: the
 * downloader does not close the store, so the messages it marked go when
 * the application calls [method@Service.close]. If the connection drops
 * instead, nothing is deleted; the messages are still in the state file
 * and are deleted by the next sync.
 *
 * One sync runs at a time; the downloader and its store are used from
 * the thread that created them.
 *
 * Since: 1.0
 */

#define SECONDS_PER_DAY ((gint64) 24 * 60 * 60)

struct _MissiveDownloader
{
  GObject parent_instance;

  MissiveStore *store;
  char *state_file;
  char *download_directory;
  guint delete_after_days;
  GDateTime *current_time;

  gboolean busy;
  guint counter;          /* for unique maildir names */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATE_FILE,
  PROP_DOWNLOAD_DIRECTORY,
  PROP_DELETE_AFTER_DAYS,
  PROP_CURRENT_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MESSAGE_DOWNLOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MissiveDownloader, missive_downloader, G_TYPE_OBJECT)

/* ---- one sync ------------------------------------------------------------------------ */

typedef struct
{
  char *key;
  guint32 id;
} ServerMessage;

typedef struct
{
  GHashTable *entries;     /* id → download time (gint64 *), from the state file */
  GArray *server;          /* ServerMessage, INBOX as listed */
  gboolean listed;         /* @server is complete: the state may be saved */
  guint next;              /* index in @server */
  gint64 now;

  /* the message being downloaded */
  GOutputStream *sink;
  GFile *tmp_file;
  GFile *new_file;

  GArray *to_delete;       /* guint32 ids */
  GError *error;           /* the error to return after saving */

  guint n_new;
  guint n_deleted;
  guint n_kept;
} SyncData;

static void
server_message_clear (ServerMessage *message)
{
  g_free (message->key);
}

static void
sync_data_free (SyncData *data)
{
  g_clear_pointer (&data->entries, g_hash_table_unref);
  g_clear_pointer (&data->server, g_array_unref);
  g_clear_object (&data->sink);
  g_clear_object (&data->tmp_file);
  g_clear_object (&data->new_file);
  g_clear_pointer (&data->to_delete, g_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static void sync_next_message (GTask *task);
static void sync_finish_up (GTask *task, GError *error);

static gint64
downloader_now (MissiveDownloader *self)
{
  if (self->current_time != NULL)
    return g_date_time_to_unix (self->current_time);
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  GError *error = NULL;

  self->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (data->error == NULL)
        data->error = error;
      else
        g_error_free (error);
    }
  if (data->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Saves the state (when the listing was complete) and returns @error or
 * success. Takes @task and @error. */
static void
sync_finish_up (GTask  *task,
                GError *error)
{
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) kept = NULL;
  g_autoptr(GTask) save = NULL;
  SaveJob *job;

  if (error != NULL && data->error == NULL)
    data->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (!data->listed)
    {
      self->busy = FALSE;
      g_task_return_error (task, g_steal_pointer (&data->error));
      g_object_unref (task);
      return;
    }

  /* Only the ids still on the server are kept. */
  kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < data->server->len; i++)
    {
      const ServerMessage *m = &g_array_index (data->server, ServerMessage, i);
      const gint64 *when = g_hash_table_lookup (data->entries, m->key);

      if (when != NULL)
        g_hash_table_replace (kept, g_strdup (m->key), g_memdup2 (when, sizeof *when));
    }

  job = g_new0 (SaveJob, 1);
  job->path = g_strdup (self->state_file);
  job->text = missive_downloader_format_state (kept);
  /* Not cancellable: what was downloaded must be recorded. */
  save = g_task_new (self, NULL, save_done_cb, task);
  g_task_set_source_tag (save, sync_finish_up);
  g_task_set_task_data (save, job, (GDestroyNotify) missive_downloader_save_job_free);
  g_task_run_in_thread (save, missive_downloader_save_thread);
}

/* ---- deleting old messages ---- */

static void
expunge_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  SyncData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_store_expunge_finish (MISSIVE_STORE (source), result, &error))
    {
      sync_finish_up (task, error);
      return;
    }
  data->n_deleted = data->to_delete->len;
  data->n_kept = data->server->len - data->n_deleted;
  sync_finish_up (task, NULL);
}

static void
flags_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(MissiveMessageSet) set = NULL;
  SyncData *data = g_task_get_task_data (task);
  GError *error = NULL;

  changed = missive_store_set_flags_finish (MISSIVE_STORE (source), result, &error);
  if (changed == NULL)
    {
      sync_finish_up (task, error);
      return;
    }
  set = missive_message_set_new ();
  for (guint i = 0; i < data->to_delete->len; i++)
    missive_message_set_add (set, g_array_index (data->to_delete, guint32, i));
  missive_store_expunge_async (MISSIVE_STORE (source), set, g_task_get_priority (task),
                               g_task_get_cancellable (task), expunge_cb, task);
}

/* The downloads are done: marks the old messages deleted. Takes @task. */
static void
sync_delete_old (GTask *task)
{
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autoptr(MissiveMessageSet) set = NULL;
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };

  data->n_kept = data->server->len;
  if (self->delete_after_days == 0)
    {
      sync_finish_up (task, NULL);
      return;
    }
  data->to_delete = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < data->server->len; i++)
    {
      const ServerMessage *m = &g_array_index (data->server, ServerMessage, i);
      const gint64 *when = g_hash_table_lookup (data->entries, m->key);

      if (when != NULL && data->now - *when > (gint64) self->delete_after_days * SECONDS_PER_DAY)
        g_array_append_val (data->to_delete, m->id);
    }
  if (data->to_delete->len == 0)
    {
      sync_finish_up (task, NULL);
      return;
    }
  set = missive_message_set_new ();
  for (guint i = 0; i < data->to_delete->len; i++)
    missive_message_set_add (set, g_array_index (data->to_delete, guint32, i));
  missive_store_set_flags_async (self->store, set, MISSIVE_FLAG_CHANGE_ADD, deleted, 0,
                                 g_task_get_priority (task), g_task_get_cancellable (task),
                                 flags_cb, task);
}

/* ---- downloading new messages ---- */

/* The current message is stored: tells the application, records it and
 * goes on. Takes @task. */
static void
message_stored (GTask  *task,
                GBytes *bytes)
{
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  const ServerMessage *m = &g_array_index (data->server, ServerMessage, data->next);

  g_hash_table_replace (data->entries, g_strdup (m->key), g_memdup2 (&data->now, sizeof data->now));
  data->n_new++;
  g_signal_emit (self, signals[SIGNAL_MESSAGE_DOWNLOADED], 0, m->key, data->new_file, bytes);
  g_clear_object (&data->new_file);
  g_clear_object (&data->tmp_file);
  data->next++;
  sync_next_message (task);
}

/* A download failed: removes the partial file. Takes @task and @error. */
static void
message_failed (GTask  *task,
                GError *error)
{
  SyncData *data = g_task_get_task_data (task);

  /* A local unlink: done at once, so that no partial file is left
   * behind when the sync returns. */
  if (data->tmp_file != NULL)
    g_file_delete (data->tmp_file, NULL, NULL);
  g_clear_object (&data->tmp_file);
  g_clear_object (&data->new_file);
  g_clear_object (&data->sink);
  sync_finish_up (task, error);
}

static void
deliver_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      message_failed (task, error);
      return;
    }
  message_stored (task, NULL);
}

static void
sink_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autoptr(GOutputStream) sink = g_steal_pointer (&data->sink);
  GError *error = NULL;

  if (!g_output_stream_close_finish (sink, result, &error))
    {
      message_failed (task, error);
      return;
    }
  if (data->tmp_file == NULL)
    {
      g_autoptr(GBytes) bytes =
        g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));

      message_stored (task, bytes);
      return;
    }
  {
    g_autoptr(GTask) deliver = g_task_new (self, NULL, deliver_cb, task);
    DeliverJob *job = g_new0 (DeliverJob, 1);

    job->tmp_path = g_file_get_path (data->tmp_file);
    job->new_path = g_file_get_path (data->new_file);
    g_task_set_source_tag (deliver, sink_closed_cb);
    g_task_set_task_data (deliver, job, (GDestroyNotify) missive_downloader_deliver_job_free);
    g_task_run_in_thread (deliver, missive_downloader_deliver_thread);
  }
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  SyncData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_store_fetch_message_finish (MISSIVE_STORE (source), result, &error))
    {
      message_failed (task, error);
      return;
    }
  g_output_stream_close_async (data->sink, g_task_get_priority (task),
                               g_task_get_cancellable (task), sink_closed_cb, task);
}

static void
fetch_into_sink (GTask *task)
{
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  const ServerMessage *m = &g_array_index (data->server, ServerMessage, data->next);

  missive_store_fetch_message_async (self->store, m->id, data->sink, g_task_get_priority (task),
                                     g_task_get_cancellable (task), fetched_cb, task);
}

static void
tmp_created_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  SyncData *data = g_task_get_task_data (task);
  GFileOutputStream *stream;
  GError *error = NULL;

  stream = g_file_create_finish (G_FILE (source), result, &error);
  if (stream == NULL)
    {
      /* Nothing was created: not ours to delete. */
      g_clear_object (&data->tmp_file);
      message_failed (task, error);
      return;
    }
  data->sink = G_OUTPUT_STREAM (stream);
  fetch_into_sink (task);
}

/* A maildir file name: seconds, microseconds, process and a counter, and
 * the host name with "/" and ":" escaped. */
static char *
maildir_name (MissiveDownloader *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GString) host = g_string_new (NULL);

  for (const char *p = g_get_host_name (); *p != '\0'; p++)
    {
      if (*p == '/')
        g_string_append (host, "\\057");
      else if (*p == ':')
        g_string_append (host, "\\072");
      else
        g_string_append_c (host, *p);
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT ".M%06dP%dQ%u.%s",
                          now / G_USEC_PER_SEC, (int) (now % G_USEC_PER_SEC),
                          (int) getpid (), ++self->counter, host->str);
}

/* Downloads the next message that is not in the state. Takes @task. */
static void
sync_next_message (GTask *task)
{
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);

  while (data->next < data->server->len &&
         g_hash_table_contains (data->entries,
                                g_array_index (data->server, ServerMessage, data->next).key))
    data->next++;
  if (data->next >= data->server->len)
    {
      sync_delete_old (task);
      return;
    }

  if (self->download_directory == NULL)
    {
      data->sink = g_memory_output_stream_new_resizable ();
      fetch_into_sink (task);
      return;
    }
  {
    g_autofree char *name = maildir_name (self);
    g_autofree char *tmp_path = g_build_filename (self->download_directory, "tmp", name, NULL);
    g_autofree char *new_path = g_build_filename (self->download_directory, "new", name, NULL);

    data->tmp_file = g_file_new_for_path (tmp_path);
    data->new_file = g_file_new_for_path (new_path);
    g_file_create_async (data->tmp_file, G_FILE_CREATE_PRIVATE, g_task_get_priority (task),
                         g_task_get_cancellable (task), tmp_created_cb, task);
  }
}

/* ---- listing ---- */

static void
summaries_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  SyncData *data = g_task_get_task_data (task);
  guint uid_validity = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "missive-uid-validity"));
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;
  guint n;

  list = missive_store_fetch_summaries_finish (MISSIVE_STORE (source), result, &error);
  if (list == NULL)
    {
      sync_finish_up (task, error);
      return;
    }
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (list, i);
      const char *uidl = missive_message_info_get_uidl (info);
      ServerMessage m = { NULL, missive_message_info_get_uid (info) };

      if (uidl != NULL)
        m.key = g_strdup (uidl);
      else if (uid_validity != 0 && m.id != 0)
        m.key = g_strdup_printf ("%u.%u", uid_validity, m.id);
      else
        {
          sync_finish_up (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                                                     "The server gives the messages no unique "
                                                     "ids (no UIDL), so downloaded ones cannot "
                                                     "be told from new ones"));
          return;
        }
      if (!missive_downloader_key_is_valid (m.key, strlen (m.key)) || g_hash_table_contains (seen, m.key))
        {
          /* A duplicate or unusable id: downloading it again every time
           * would be worse than skipping it. */
          g_free (m.key);
          continue;
        }
      g_array_append_val (data->server, m);
      g_hash_table_add (seen, m.key);
    }
  data->listed = TRUE;
  sync_next_message (task);
}

static void
selected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = NULL;
  SyncData *data = g_task_get_task_data (task);
  GError *error = NULL;

  info = missive_store_select_mailbox_finish (MISSIVE_STORE (source), result, &error);
  if (info == NULL)
    {
      sync_finish_up (task, error);
      return;
    }
  if (missive_mailbox_info_get_messages (info) == 0)
    {
      /* An empty INBOX: nothing to list, every id is forgotten. */
      data->listed = TRUE;
      sync_next_message (task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "missive-uid-validity",
                     GUINT_TO_POINTER (missive_mailbox_info_get_uid_validity (info)));
  all = missive_message_set_new_from_string ("1:*", NULL);
  missive_store_fetch_summaries_async (MISSIVE_STORE (source), all, MISSIVE_FETCH_ITEMS_SIZE, 0,
                                       g_task_get_priority (task), g_task_get_cancellable (task),
                                       summaries_cb, task);
}

static void
select_inbox (GTask *task)
{
  MissiveDownloader *self = g_task_get_source_object (task);

  missive_store_select_mailbox_async (self->store, "INBOX", FALSE, g_task_get_priority (task),
                                      g_task_get_cancellable (task), selected_cb, task);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_service_open_finish (MISSIVE_SERVICE (source), result, &error))
    {
      sync_finish_up (task, error);
      return;
    }
  select_inbox (task);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  MissiveDownloader *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->entries = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->entries == NULL)
    {
      sync_finish_up (task, error);
      return;
    }
  if (missive_service_get_state (MISSIVE_SERVICE (self->store)) != MISSIVE_SERVICE_STATE_AUTHENTICATED)
    {
      missive_service_open_async (MISSIVE_SERVICE (self->store), g_task_get_priority (task),
                                  g_task_get_cancellable (task), opened_cb, task);
      return;
    }
  select_inbox (task);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
missive_downloader_dispose (GObject *object)
{
  MissiveDownloader *self = MISSIVE_DOWNLOADER (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (missive_downloader_parent_class)->dispose (object);
}

static void
missive_downloader_finalize (GObject *object)
{
  MissiveDownloader *self = MISSIVE_DOWNLOADER (object);

  g_free (self->state_file);
  g_free (self->download_directory);
  g_clear_pointer (&self->current_time, g_date_time_unref);

  G_OBJECT_CLASS (missive_downloader_parent_class)->finalize (object);
}

static void
missive_downloader_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MissiveDownloader *self = MISSIVE_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATE_FILE:
      g_value_set_string (value, self->state_file);
      break;
    case PROP_DOWNLOAD_DIRECTORY:
      g_value_set_string (value, self->download_directory);
      break;
    case PROP_DELETE_AFTER_DAYS:
      g_value_set_uint (value, self->delete_after_days);
      break;
    case PROP_CURRENT_TIME:
      g_value_set_boxed (value, self->current_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_downloader_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MissiveDownloader *self = MISSIVE_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_STATE_FILE:
      self->state_file = g_value_dup_string (value);
      break;
    case PROP_DOWNLOAD_DIRECTORY:
      missive_downloader_set_download_directory (self, g_value_get_string (value));
      break;
    case PROP_DELETE_AFTER_DAYS:
      missive_downloader_set_delete_after_days (self, g_value_get_uint (value));
      break;
    case PROP_CURRENT_TIME:
      missive_downloader_set_current_time (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_downloader_class_init (MissiveDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_downloader_dispose;
  object_class->finalize = missive_downloader_finalize;
  object_class->get_property = missive_downloader_get_property;
  object_class->set_property = missive_downloader_set_property;

  /**
   * MissiveDownloader:store:
   *
   * The store whose INBOX is downloaded.
   *
   * Since: 1.0
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MISSIVE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MissiveDownloader:state-file:
   *
   * The file where the downloader keeps the ids of the messages it has
   * downloaded and when. It is created on the first sync; its folder must
   * exist. Use one state file per account and mailbox.
   *
   * Since: 1.0
   */
  properties[PROP_STATE_FILE] =
    g_param_spec_string ("state-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MissiveDownloader:download-directory:
   *
   * A maildir the messages are written to (its `tmp`, `new` and `cur`
   * folders are created when missing), or %NULL to hand each message to
   * [signal@Downloader::message-downloaded] in memory.
   *
   * Since: 1.0
   */
  properties[PROP_DOWNLOAD_DIRECTORY] =
    g_param_spec_string ("download-directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissiveDownloader:delete-after-days:
   *
   * Messages downloaded more than this many days ago are deleted from
   * the server; 0 (the default) never deletes anything.
   *
   * Since: 1.0
   */
  properties[PROP_DELETE_AFTER_DAYS] =
    g_param_spec_uint ("delete-after-days", NULL, NULL, 0, G_MAXUINT / 2, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissiveDownloader:current-time:
   *
   * The time the downloader takes as now, for recording downloads and
   * deciding which messages are old enough to delete; %NULL (the default)
   * for the system clock. Tests set it, and so can an application that
   * must not trust the system clock.
   *
   * Since: 1.0
   */
  properties[PROP_CURRENT_TIME] =
    g_param_spec_boxed ("current-time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveDownloader::message-downloaded:
   * @self: the downloader
   * @id: the message's id: its UIDL, or "UIDVALIDITY.UID" on a store
   *   without UIDLs
   * @file: (nullable): the message's file in the maildir's `new` folder,
   *   when [property@Downloader:download-directory] is set
   * @message: (nullable): the message's bytes as the server stores them
   *   (CRLF line ends), when no download directory is set
   *
   * Emitted for each new message once it is stored, before it is
   * recorded in the state file. When no directory is set, an application
   * that wants to keep the message must keep @message (or write it out)
   * here.
   *
   * Since: 1.0
   */
  signals[SIGNAL_MESSAGE_DOWNLOADED] =
    g_signal_new ("message-downloaded", G_OBJECT_CLASS_TYPE (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_FILE, G_TYPE_BYTES);
}

static void
missive_downloader_init (MissiveDownloader *self)
{
}

/* ---- public API ---------------------------------------------------------------------- */

/**
 * missive_downloader_new:
 * @store: the store to download from
 * @state_file: (type filename): the file that remembers what was
 *   downloaded
 *
 * Creates a downloader for the INBOX of @store.
 *
 * Returns: (transfer full): a new downloader
 *
 * Since: 1.0
 */
MissiveDownloader *
missive_downloader_new (MissiveStore *store,
                        const char   *state_file)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (store), NULL);
  g_return_val_if_fail (state_file != NULL && state_file[0] != '\0', NULL);

  return g_object_new (MISSIVE_TYPE_DOWNLOADER, "store", store, "state-file", state_file, NULL);
}

/**
 * missive_downloader_get_store:
 * @self: a downloader
 *
 * Gets the store the downloader downloads from.
 *
 * Returns: (transfer none): the store
 *
 * Since: 1.0
 */
MissiveStore *
missive_downloader_get_store (MissiveDownloader *self)
{
  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), NULL);

  return self->store;
}

/**
 * missive_downloader_get_state_file:
 * @self: a downloader
 *
 * Gets the file where the downloader keeps what it has downloaded.
 *
 * Returns: (type filename): the state file
 *
 * Since: 1.0
 */
const char *
missive_downloader_get_state_file (MissiveDownloader *self)
{
  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), NULL);

  return self->state_file;
}

/**
 * missive_downloader_get_download_directory:
 * @self: a downloader
 *
 * Gets the maildir that downloaded messages are written to.
 *
 * Returns: (type filename) (nullable): the maildir messages go to
 *
 * Since: 1.0
 */
const char *
missive_downloader_get_download_directory (MissiveDownloader *self)
{
  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), NULL);

  return self->download_directory;
}

/**
 * missive_downloader_set_download_directory:
 * @self: a downloader
 * @directory: (type filename) (nullable): a maildir, or %NULL for
 *   messages in memory
 *
 * Sets [property@Downloader:download-directory].
 *
 * Since: 1.0
 */
void
missive_downloader_set_download_directory (MissiveDownloader *self,
                                           const char        *directory)
{
  g_return_if_fail (MISSIVE_IS_DOWNLOADER (self));

  if (g_strcmp0 (self->download_directory, directory) == 0)
    return;
  g_free (self->download_directory);
  self->download_directory = g_strdup (directory);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_DIRECTORY]);
}

/**
 * missive_downloader_get_delete_after_days:
 * @self: a downloader
 *
 * Gets how many days a downloaded message is left on the server.
 *
 * Returns: the number of days messages stay on the server; 0: forever
 *
 * Since: 1.0
 */
guint
missive_downloader_get_delete_after_days (MissiveDownloader *self)
{
  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), 0);

  return self->delete_after_days;
}

/**
 * missive_downloader_set_delete_after_days:
 * @self: a downloader
 * @days: days after downloading; 0 never deletes
 *
 * Sets [property@Downloader:delete-after-days].
 *
 * Since: 1.0
 */
void
missive_downloader_set_delete_after_days (MissiveDownloader *self,
                                          guint              days)
{
  g_return_if_fail (MISSIVE_IS_DOWNLOADER (self));
  g_return_if_fail (days <= G_MAXUINT / 2);

  if (self->delete_after_days == days)
    return;
  self->delete_after_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETE_AFTER_DAYS]);
}

/**
 * missive_downloader_get_current_time:
 * @self: a downloader
 *
 * Gets the time the downloader uses as now, when one was set (for tests).
 *
 * Returns: (transfer none) (nullable): the time set as now, or %NULL for
 *   the system clock
 *
 * Since: 1.0
 */
GDateTime *
missive_downloader_get_current_time (MissiveDownloader *self)
{
  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), NULL);

  return self->current_time;
}

/**
 * missive_downloader_set_current_time:
 * @self: a downloader
 * @now: (nullable): the time to take as now, or %NULL for the system clock
 *
 * Sets [property@Downloader:current-time].
 *
 * Since: 1.0
 */
void
missive_downloader_set_current_time (MissiveDownloader *self,
                                     GDateTime         *now)
{
  g_return_if_fail (MISSIVE_IS_DOWNLOADER (self));

  if (self->current_time == now)
    return;
  g_clear_pointer (&self->current_time, g_date_time_unref);
  if (now != NULL)
    self->current_time = g_date_time_ref (now);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_TIME]);
}

/**
 * missive_downloader_sync_async:
 * @self: a downloader
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the sync is done
 * @user_data: data for @callback
 *
 * Opens the store if needed, downloads the messages of INBOX that are not
 * in the state file, deletes those downloaded more than
 * [property@Downloader:delete-after-days] ago, and saves the state (see
 * the class description). Fails with %MISSIVE_ERROR_INVALID_STATE while
 * another sync of @self runs, and with %MISSIVE_ERROR_NOT_SUPPORTED when
 * the store gives its messages no unique ids.
 *
 * Since: 1.0
 */
void
missive_downloader_sync_async (MissiveDownloader   *self,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  SyncData *data;
  PrepareJob *job;
  g_autoptr(GTask) prepare = NULL;

  g_return_if_fail (MISSIVE_IS_DOWNLOADER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_downloader_sync_async);
  g_task_set_priority (task, io_priority);
  if (self->busy)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The downloader is already syncing");
      g_object_unref (task);
      return;
    }
  self->busy = TRUE;
  data = g_new0 (SyncData, 1);
  data->server = g_array_new (FALSE, FALSE, sizeof (ServerMessage));
  g_array_set_clear_func (data->server, (GDestroyNotify) server_message_clear);
  data->now = downloader_now (self);
  g_task_set_task_data (task, data, (GDestroyNotify) sync_data_free);

  job = g_new0 (PrepareJob, 1);
  job->state_file = g_strdup (self->state_file);
  job->directory = g_strdup (self->download_directory);
  prepare = g_task_new (self, cancellable, prepared_cb, task);
  g_task_set_source_tag (prepare, missive_downloader_prepare_thread);
  g_task_set_task_data (prepare, job, (GDestroyNotify) missive_downloader_prepare_job_free);
  g_task_run_in_thread (prepare, missive_downloader_prepare_thread);
}

/**
 * missive_downloader_sync_finish:
 * @self: a downloader
 * @result: the result passed to the callback
 * @n_new: (out) (optional): the number of messages downloaded
 * @n_deleted: (out) (optional): the number of messages deleted from the
 *   server (for POP3: marked, and gone once the session ends with QUIT)
 * @n_kept: (out) (optional): the number of messages left on the server,
 *   new ones included
 * @error: return location for a #GError
 *
 * Finishes [method@Downloader.sync_async]. On failure the counts are
 * not set; the messages downloaded before the failure are recorded all
 * the same.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_downloader_sync_finish (MissiveDownloader  *self,
                                GAsyncResult       *result,
                                guint              *n_new,
                                guint              *n_deleted,
                                guint              *n_kept,
                                GError            **error)
{
  SyncData *data;

  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (n_new != NULL)
    *n_new = data->n_new;
  if (n_deleted != NULL)
    *n_deleted = data->n_deleted;
  if (n_kept != NULL)
    *n_kept = data->n_kept;
  return TRUE;
}

static void
start_sync (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_downloader_sync_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_downloader_sync:
 * @self: a downloader
 * @n_new: (out) (optional): the number of messages downloaded
 * @n_deleted: (out) (optional): the number of messages deleted
 * @n_kept: (out) (optional): the number of messages left on the server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Syncs, blocking. See [method@Downloader.sync_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_downloader_sync (MissiveDownloader  *self,
                         guint              *n_new,
                         guint              *n_deleted,
                         guint              *n_kept,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_DOWNLOADER (self), FALSE);

  result = missive_run_sync (self, start_sync, NULL, cancellable);
  return missive_downloader_sync_finish (self, result, n_new, n_deleted, n_kept, error);
}
