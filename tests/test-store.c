/* test-store.c: MissiveStore's public wrappers against a toy store that
 * keeps its mailboxes in memory
 *
 * The toy store is logged in through a scripted fake server that only
 * sends a PREAUTH greeting; every store operation is then answered locally,
 * so these tests check what the core adds around the plugin: argument and
 * state checks, NOT_SUPPORTED, error mapping, the blocking forms, the
 * signals emitted through the plugin helpers and the selected-mailbox
 * tracking.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "test-utils.h"

/* ---- the toy store -------------------------------------------------------- */

typedef struct
{
  guint32 uid;
  char **flags;
  GBytes *content;
} ToyMessage;

typedef struct
{
  char *name;
  guint32 uid_validity;
  guint32 uid_next;
  gboolean subscribed;
  GPtrArray *messages; /* of ToyMessage, in UID order */
  GHashTable *acl;     /* identifier -> rights */
} ToyMailbox;

static void
toy_message_free (gpointer data)
{
  ToyMessage *message = data;

  g_strfreev (message->flags);
  g_bytes_unref (message->content);
  g_free (message);
}

static gboolean
toy_message_has_flag (ToyMessage *message,
                      const char *flag)
{
  for (gsize i = 0; message->flags[i] != NULL; i++)
    if (g_ascii_strcasecmp (message->flags[i], flag) == 0)
      return TRUE;
  return FALSE;
}

static void
toy_message_change_flags (ToyMessage         *message,
                          MissiveFlagChange   change,
                          const char * const *flags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (change != MISSIVE_FLAG_CHANGE_REPLACE)
    {
      for (gsize i = 0; message->flags[i] != NULL; i++)
        {
          if (change == MISSIVE_FLAG_CHANGE_REMOVE && flags != NULL &&
              g_strv_contains (flags, message->flags[i]))
            continue;
          g_strv_builder_add (builder, message->flags[i]);
        }
    }
  for (gsize i = 0; change != MISSIVE_FLAG_CHANGE_REMOVE && flags != NULL && flags[i] != NULL; i++)
    if (change == MISSIVE_FLAG_CHANGE_REPLACE || !toy_message_has_flag (message, flags[i]))
      g_strv_builder_add (builder, flags[i]);
  g_strfreev (message->flags);
  message->flags = g_strv_builder_end (builder);
}

static void
toy_mailbox_free (gpointer data)
{
  ToyMailbox *mailbox = data;

  g_free (mailbox->name);
  g_ptr_array_unref (mailbox->messages);
  g_hash_table_unref (mailbox->acl);
  g_free (mailbox);
}

static ToyMailbox *
toy_mailbox_new (const char *name,
                 guint32     uid_validity)
{
  ToyMailbox *mailbox = g_new0 (ToyMailbox, 1);

  mailbox->name = g_strdup (name);
  mailbox->uid_validity = uid_validity;
  mailbox->uid_next = 1;
  mailbox->messages = g_ptr_array_new_with_free_func (toy_message_free);
  mailbox->acl = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (mailbox->acl, g_strdup ("alice"), g_strdup ("lrswipkxtea"));
  return mailbox;
}

static ToyMessage *
toy_mailbox_add (ToyMailbox         *mailbox,
                 GBytes             *content,
                 const char * const *flags)
{
  ToyMessage *message = g_new0 (ToyMessage, 1);
  static const char * const none[] = { NULL };

  message->uid = mailbox->uid_next++;
  message->flags = g_strdupv ((char **) (flags != NULL ? flags : none));
  message->content = g_bytes_ref (content);
  g_ptr_array_add (mailbox->messages, message);
  return message;
}

#define TOY_TYPE_STORE (toy_store_get_type ())
G_DECLARE_FINAL_TYPE (ToyStore, toy_store, TOY, STORE, MissiveStore)

struct _ToyStore
{
  MissiveStore parent_instance;

  GHashTable *mailboxes;  /* name -> ToyMailbox */
  ToyMailbox *selected;
  guint calls;            /* store methods called */
  char *last_call;        /* what the last one was asked */
  GError *fail_next;      /* the next method fails with this */
  gboolean fail_silently; /* the next method fails without an error */
  GTask *idle_task;
  GCancellable *idle_cancellable;
  gulong idle_cancelled_id;
};

G_DEFINE_TYPE (ToyStore, toy_store, MISSIVE_TYPE_STORE)

/* The start of every method: records the call, and answers with the
 * planned failure if there is one (returning NULL). */
static GTask *
toy_begin (MissiveStore        *store,
           gboolean             returns_boolean,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           const char          *format,
           ...) G_GNUC_PRINTF (6, 7);

static GTask *
toy_begin (MissiveStore        *store,
           gboolean             returns_boolean,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           const char          *format,
           ...)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  va_list args;

  self->calls++;
  g_free (self->last_call);
  va_start (args, format);
  self->last_call = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->fail_next != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&self->fail_next));
      g_object_unref (task);
      return NULL;
    }
  if (self->fail_silently)
    {
      self->fail_silently = FALSE;
      if (returns_boolean)
        g_task_return_boolean (task, FALSE);
      else
        g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return NULL;
    }
  return task;
}

static void
toy_return_error (GTask      *task,
                  int         code,
                  const char *text)
{
  g_task_return_new_error (task, MISSIVE_ERROR, code, "%s", text);
  g_object_unref (task);
}

static void
toy_return_pointer (GTask          *task,
                    gpointer        value,
                    GDestroyNotify  destroy)
{
  g_task_return_pointer (task, value, destroy);
  g_object_unref (task);
}

static void
toy_return_true (GTask *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gpointer
toy_pointer_finish (MissiveStore  *store,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
toy_boolean_finish (MissiveStore  *store,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Typed wrappers of toy_pointer_finish for the class vtable. */
static GListModel *
toy_model_finish (MissiveStore  *store,
                  GAsyncResult  *result,
                  GError       **error)
{
  return toy_pointer_finish (store, result, error);
}

static MissiveMailboxInfo *
toy_mailbox_info_finish (MissiveStore  *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  return toy_pointer_finish (store, result, error);
}

static MissiveMessageSet *
toy_set_finish (MissiveStore  *store,
                GAsyncResult  *result,
                GError       **error)
{
  return toy_pointer_finish (store, result, error);
}

static GArray *
toy_array_finish (MissiveStore  *store,
                  GAsyncResult  *result,
                  GError       **error)
{
  return toy_pointer_finish (store, result, error);
}

static MissiveUidMap *
toy_uid_map_finish (MissiveStore  *store,
                    GAsyncResult  *result,
                    GError       **error)
{
  return toy_pointer_finish (store, result, error);
}

static char *
toy_string_finish (MissiveStore  *store,
                   GAsyncResult  *result,
                   GError       **error)
{
  return toy_pointer_finish (store, result, error);
}

static MissiveMailboxInfo *
toy_mailbox_info (ToyMailbox *mailbox)
{
  MissiveMailboxInfo *info = missive_mailbox_info_new (mailbox->name);
  guint unseen = 0;

  for (guint i = 0; i < mailbox->messages->len; i++)
    if (!toy_message_has_flag (g_ptr_array_index (mailbox->messages, i), MISSIVE_FLAG_SEEN))
      unseen++;
  missive_mailbox_info_set_separator (info, "/");
  missive_mailbox_info_set_messages (info, mailbox->messages->len);
  missive_mailbox_info_set_unseen (info, unseen);
  missive_mailbox_info_set_uid_validity (info, mailbox->uid_validity);
  missive_mailbox_info_set_uid_next (info, mailbox->uid_next);
  missive_mailbox_info_set_subscribed (info, mailbox->subscribed);
  return info;
}

static void
toy_list_mailboxes_async (MissiveStore        *store,
                          const char          *pattern,
                          MissiveListFlags     flags,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data,
                           "list %s %u %d", pattern, flags, io_priority);
  g_autoptr(GListStore) list = NULL;
  g_autoptr(GList) names = NULL;

  if (task == NULL)
    return;
  list = g_list_store_new (MISSIVE_TYPE_MAILBOX_INFO);
  names = g_list_sort (g_hash_table_get_keys (self->mailboxes), (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      ToyMailbox *mailbox = g_hash_table_lookup (self->mailboxes, l->data);
      g_autoptr(MissiveMailboxInfo) info = NULL;

      if (!g_pattern_match_simple (pattern, mailbox->name))
        continue;
      if ((flags & MISSIVE_LIST_FLAGS_SUBSCRIBED) && !mailbox->subscribed)
        continue;
      info = toy_mailbox_info (mailbox);
      missive_store_emit_mailbox_listed (store, info);
      g_list_store_append (list, info);
    }
  toy_return_pointer (task, g_steal_pointer (&list), g_object_unref);
}

static void
toy_get_mailbox_status_async (MissiveStore        *store,
                              const char          *name,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data, "status %s", name);
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, name);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such mailbox");
      return;
    }
  toy_return_pointer (task, toy_mailbox_info (mailbox), g_object_unref);
}

static void
toy_manage_mailbox_async (MissiveStore         *store,
                          MissiveMailboxAction  action,
                          const char           *name,
                          const char           *new_name,
                          int                   io_priority,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, TRUE, cancellable, callback, user_data,
                           "manage %d %s %s", action, name, new_name != NULL ? new_name : "-");
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, name);
  if ((action == MISSIVE_MAILBOX_ACTION_CREATE) == (mailbox != NULL))
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO,
                        mailbox != NULL ? "Mailbox exists" : "No such mailbox");
      return;
    }
  switch (action)
    {
    case MISSIVE_MAILBOX_ACTION_CREATE:
      g_hash_table_insert (self->mailboxes, g_strdup (name), toy_mailbox_new (name, 100));
      break;
    case MISSIVE_MAILBOX_ACTION_DELETE:
      if (self->selected == mailbox)
        self->selected = NULL;
      g_hash_table_remove (self->mailboxes, name);
      break;
    case MISSIVE_MAILBOX_ACTION_RENAME:
      {
        gpointer old_key = NULL;

        g_hash_table_steal_extended (self->mailboxes, name, &old_key, NULL);
        g_free (old_key);
      }
      g_free (mailbox->name);
      mailbox->name = g_strdup (new_name);
      g_hash_table_insert (self->mailboxes, g_strdup (new_name), mailbox);
      break;
    case MISSIVE_MAILBOX_ACTION_SUBSCRIBE:
    case MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE:
      mailbox->subscribed = action == MISSIVE_MAILBOX_ACTION_SUBSCRIBE;
      break;
    default:
      g_assert_not_reached ();
    }
  toy_return_true (task);
}

static void
toy_select_mailbox_async (MissiveStore        *store,
                          const char          *name,
                          gboolean             read_only,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data,
                           "select %s %d", name, read_only);
  static const char * const flags[] = { "\\Seen", "\\Deleted", "$Junk", NULL };
  MissiveMailboxInfo *info;

  if (task == NULL)
    return;
  self->selected = g_hash_table_lookup (self->mailboxes, name);
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such mailbox");
      return;
    }
  info = toy_mailbox_info (self->selected);
  missive_mailbox_info_set_read_only (info, read_only);
  missive_mailbox_info_set_flags (info, flags);
  missive_mailbox_info_set_permanent_flags (info, flags);
  toy_return_pointer (task, info, g_object_unref);
}

/* Removes the messages flagged \Deleted (those in @set only, unless NULL),
 * reporting each removal. */
static void
toy_expunge_selected (ToyStore          *self,
                      MissiveMessageSet *set)
{
  for (guint i = self->selected->messages->len; i > 0; i--)
    {
      ToyMessage *message = g_ptr_array_index (self->selected->messages, i - 1);

      if (!toy_message_has_flag (message, MISSIVE_FLAG_DELETED))
        continue;
      if (set != NULL && !missive_message_set_contains (set, message->uid))
        continue;
      g_ptr_array_remove_index (self->selected->messages, i - 1);
      missive_store_emit_mailbox_changed (MISSIVE_STORE (self), self->selected->name,
                                          "expunge", i);
    }
}

static void
toy_close_mailbox_async (MissiveStore        *store,
                         gboolean             expunge,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, TRUE, cancellable, callback, user_data, "close %d", expunge);

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  if (expunge)
    toy_expunge_selected (self, NULL);
  self->selected = NULL;
  toy_return_true (task);
}

static ToyMessage *
toy_find (ToyStore *self,
          guint32   uid,
          guint    *sequence)
{
  for (guint i = 0; self->selected != NULL && i < self->selected->messages->len; i++)
    {
      ToyMessage *message = g_ptr_array_index (self->selected->messages, i);

      if (message->uid == uid)
        {
          if (sequence != NULL)
            *sequence = i + 1;
          return message;
        }
    }
  return NULL;
}

static MissiveMessageInfo *
toy_message_info (ToyMessage *message,
                  guint       sequence)
{
  MissiveMessageInfo *info = missive_message_info_new ();

  missive_message_info_set_uid (info, message->uid);
  missive_message_info_set_sequence (info, sequence);
  missive_message_info_set_flags (info, (const char * const *) message->flags);
  missive_message_info_set_size (info, g_bytes_get_size (message->content));
  return info;
}

/* The header block of a toy message: everything up to the empty line. */
static GBytes *
toy_header_block (GBytes *content)
{
  gsize size;
  const char *data = g_bytes_get_data (content, &size);
  const char *end = g_strstr_len (data, size, "\r\n\r\n");

  return g_bytes_new_from_bytes (content, 0, end != NULL ? (gsize) (end - data) + 2 : size);
}

static void
toy_fetch_summaries_async (MissiveStore        *store,
                           MissiveMessageSet   *set,
                           MissiveFetchItems    items,
                           guint64              changed_since,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  g_autofree char *text = missive_message_set_to_string (set);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data,
                           "fetch %s %u %" G_GUINT64_FORMAT, text, items, changed_since);
  g_autoptr(GListStore) list = NULL;

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  list = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  for (guint i = 0; i < self->selected->messages->len; i++)
    {
      ToyMessage *message = g_ptr_array_index (self->selected->messages, i);
      g_autoptr(MissiveMessageInfo) info = NULL;

      if (!missive_message_set_contains (set, message->uid))
        continue;
      info = toy_message_info (message, i + 1);
      if (items & MISSIVE_FETCH_ITEMS_HEADERS)
        {
          g_autoptr(GBytes) headers = toy_header_block (message->content);

          missive_message_info_set_raw_headers (info, headers);
          if (missive_store_has_header_listeners (store))
            {
              g_autofree char *block = g_strndup (g_bytes_get_data (headers, NULL),
                                                  g_bytes_get_size (headers));
              g_auto(GStrv) lines = g_strsplit (block, "\r\n", -1);

              for (gsize j = 0; lines[j] != NULL; j++)
                {
                  char *colon = strchr (lines[j], ':');

                  if (colon == NULL)
                    continue;
                  *colon = '\0';
                  missive_store_emit_header (store, message->uid, lines[j], g_strchug (colon + 1));
                }
            }
        }
      missive_store_emit_message_info (store, info);
      g_list_store_append (list, info);
    }
  toy_return_pointer (task, g_steal_pointer (&list), g_object_unref);
}

static void
toy_fetch_part_async (MissiveStore          *store,
                      guint32                message_id,
                      const char            *section,
                      MissiveFetchPartFlags  flags,
                      guint64                offset,
                      guint64                length,
                      GOutputStream         *sink,
                      int                    io_priority,
                      GCancellable          *cancellable,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, TRUE, cancellable, callback, user_data,
                           "part %u %s %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                           message_id, section != NULL ? section : "-", flags, offset, length);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) piece = NULL;
  ToyMessage *message;
  GError *error = NULL;
  gsize size;

  if (task == NULL)
    return;
  message = toy_find (self, message_id, NULL);
  if (message == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such message");
      return;
    }
  if (flags & MISSIVE_FETCH_PART_FLAGS_HEADERS)
    data = toy_header_block (message->content);
  else
    data = g_bytes_ref (message->content);
  size = g_bytes_get_size (data);
  offset = MIN (offset, size);
  if (length == 0 || length > size - offset)
    length = size - offset;
  piece = g_bytes_new_from_bytes (data, offset, length);
  if (!g_output_stream_write_all (sink, g_bytes_get_data (piece, NULL), length, NULL,
                                  cancellable, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  missive_store_emit_message_part (store, message_id, section, piece);
  if (flags & MISSIVE_FETCH_PART_FLAGS_SET_SEEN)
    {
      const char * const seen[] = { MISSIVE_FLAG_SEEN, NULL };

      toy_message_change_flags (message, MISSIVE_FLAG_CHANGE_ADD, seen);
    }
  toy_return_true (task);
}

typedef struct
{
  gboolean all;
  gboolean unseen;
  gboolean deleted;
  gboolean unknown;
} ToyCriteria;

static void
toy_collect_token (gboolean    is_string,
                   const char *text,
                   gpointer    user_data)
{
  ToyCriteria *criteria = user_data;

  if (!is_string && strcmp (text, "ALL") == 0)
    criteria->all = TRUE;
  else if (!is_string && strcmp (text, "UNSEEN") == 0)
    criteria->unseen = TRUE;
  else if (!is_string && strcmp (text, "DELETED") == 0)
    criteria->deleted = TRUE;
  else
    criteria->unknown = TRUE;
}

/* The UIDs of the selected mailbox that match @query (ALL, UNSEEN and
 * DELETED are all the toy understands), or NULL for anything else. */
static GArray *
toy_match (ToyStore           *self,
           MissiveSearchQuery *query)
{
  ToyCriteria criteria = { FALSE, FALSE, FALSE, FALSE };
  GArray *uids;

  missive_search_query_foreach_token (query, toy_collect_token, &criteria);
  if (criteria.unknown)
    return NULL;
  uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < self->selected->messages->len; i++)
    {
      ToyMessage *message = g_ptr_array_index (self->selected->messages, i);

      if (criteria.unseen && toy_message_has_flag (message, MISSIVE_FLAG_SEEN))
        continue;
      if (criteria.deleted && !toy_message_has_flag (message, MISSIVE_FLAG_DELETED))
        continue;
      g_array_append_val (uids, message->uid);
    }
  return uids;
}

static void
toy_search_async (MissiveStore        *store,
                  MissiveSearchQuery  *query,
                  int                  io_priority,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  g_autofree char *text = missive_search_query_to_string (query);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data, "search %s", text);
  g_autoptr(GArray) uids = NULL;

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  uids = toy_match (self, query);
  if (uids == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_BAD, "Unknown criteria");
      return;
    }
  toy_return_pointer (task,
                      missive_message_set_new_from_array ((guint32 *) (gpointer) uids->data, uids->len),
                      (GDestroyNotify) missive_message_set_unref);
}

static void
toy_sort_async (MissiveStore        *store,
                const char          *sort_criteria,
                MissiveSearchQuery  *query,
                int                  io_priority,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data, "sort %s", sort_criteria);
  g_autoptr(GArray) uids = NULL;

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  uids = toy_match (self, query);
  if (uids == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_BAD, "Unknown criteria");
      return;
    }
  if (strcmp (sort_criteria, "REVERSE ARRIVAL") == 0)
    {
      for (guint i = 0; i < uids->len / 2; i++)
        {
          guint32 tmp = g_array_index (uids, guint32, i);

          g_array_index (uids, guint32, i) = g_array_index (uids, guint32, uids->len - 1 - i);
          g_array_index (uids, guint32, uids->len - 1 - i) = tmp;
        }
    }
  toy_return_pointer (task, g_steal_pointer (&uids), (GDestroyNotify) g_array_unref);
}

static void
toy_set_flags_async (MissiveStore        *store,
                     MissiveMessageSet   *set,
                     MissiveFlagChange    change,
                     const char * const  *flags,
                     guint64              unchanged_since,
                     int                  io_priority,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  g_autofree char *text = missive_message_set_to_string (set);
  g_autofree char *joined = flags != NULL ? g_strjoinv (" ", (char **) flags) : g_strdup ("");
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data,
                           "flags %s %d (%s) %" G_GUINT64_FORMAT,
                           text, change, joined, unchanged_since);
  g_autoptr(GListStore) list = NULL;

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  list = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  for (guint i = 0; i < self->selected->messages->len; i++)
    {
      ToyMessage *message = g_ptr_array_index (self->selected->messages, i);
      g_autoptr(MissiveMessageInfo) info = NULL;

      if (!missive_message_set_contains (set, message->uid))
        continue;
      toy_message_change_flags (message, change, flags);
      info = toy_message_info (message, i + 1);
      missive_store_emit_message_info (store, info);
      g_list_store_append (list, info);
    }
  toy_return_pointer (task, g_steal_pointer (&list), g_object_unref);
}

static void
toy_copy_messages_async (MissiveStore        *store,
                         MissiveMessageSet   *set,
                         const char          *destination,
                         gboolean             move,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  g_autofree char *text = missive_message_set_to_string (set);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data,
                           "copy %s %s %d", text, destination, move);
  g_autoptr(MissiveMessageSet) source = NULL;
  g_autoptr(MissiveMessageSet) target = NULL;
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  mailbox = g_hash_table_lookup (self->mailboxes, destination);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "[TRYCREATE] No such mailbox");
      return;
    }
  source = missive_message_set_new ();
  target = missive_message_set_new ();
  for (guint i = 0; i < self->selected->messages->len; i++)
    {
      ToyMessage *message = g_ptr_array_index (self->selected->messages, i);
      ToyMessage *copy;

      if (!missive_message_set_contains (set, message->uid))
        continue;
      copy = toy_mailbox_add (mailbox, message->content, (const char * const *) message->flags);
      missive_message_set_add (source, message->uid);
      missive_message_set_add (target, copy->uid);
    }
  if (move)
    {
      for (guint i = self->selected->messages->len; i > 0; i--)
        {
          ToyMessage *message = g_ptr_array_index (self->selected->messages, i - 1);

          if (!missive_message_set_contains (source, message->uid))
            continue;
          g_ptr_array_remove_index (self->selected->messages, i - 1);
          missive_store_emit_mailbox_changed (store, self->selected->name, "expunge", i);
        }
    }
  toy_return_pointer (task, missive_uid_map_new (mailbox->uid_validity, source, target),
                      g_object_unref);
}

static void
toy_append_message_async (MissiveStore        *store,
                          const char          *mailbox_name,
                          GInputStream        *stream,
                          goffset              size,
                          const char * const  *flags,
                          GDateTime           *internal_date,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data,
                           "append %s %" G_GOFFSET_FORMAT " %u %s", mailbox_name, size,
                           flags != NULL ? g_strv_length ((char **) flags) : 0,
                           internal_date != NULL ? "dated" : "now");
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(MissiveMessageSet) uid = NULL;
  ToyMailbox *mailbox;
  ToyMessage *message;
  GError *error = NULL;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, mailbox_name);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "[TRYCREATE] No such mailbox");
      return;
    }
  memory = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              cancellable, &error) < 0)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  content = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  if (size >= 0 && (gsize) size != g_bytes_get_size (content))
    {
      toy_return_error (task, MISSIVE_ERROR_PROTOCOL, "Wrong size");
      return;
    }
  message = toy_mailbox_add (mailbox, content, flags);
  uid = missive_message_set_new_single (message->uid);
  toy_return_pointer (task, missive_uid_map_new (mailbox->uid_validity, NULL, uid),
                      g_object_unref);
}

static void
toy_expunge_async (MissiveStore        *store,
                   MissiveMessageSet   *set,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  g_autofree char *text = set != NULL ? missive_message_set_to_string (set) : g_strdup ("all");
  GTask *task = toy_begin (store, TRUE, cancellable, callback, user_data, "expunge %s", text);

  if (task == NULL)
    return;
  if (self->selected == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_INVALID_STATE, "No mailbox selected");
      return;
    }
  toy_expunge_selected (self, set);
  toy_return_true (task);
}

static void
toy_idle_end (ToyStore *self,
              GError   *error)
{
  GTask *task = g_steal_pointer (&self->idle_task);

  if (self->idle_cancellable != NULL)
    {
      g_signal_handler_disconnect (self->idle_cancellable, self->idle_cancelled_id);
      g_clear_object (&self->idle_cancellable);
    }
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
toy_idle_cancelled (GCancellable *cancellable,
                    ToyStore     *self)
{
  toy_idle_end (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Idle cancelled"));
}

static void
toy_idle_async (MissiveStore        *store,
                int                  io_priority,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, TRUE, cancellable, callback, user_data, "idle");

  if (task == NULL)
    return;
  g_assert_null (self->idle_task);
  self->idle_task = task;
  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          toy_idle_cancelled (cancellable, self);
          return;
        }
      self->idle_cancellable = g_object_ref (cancellable);
      self->idle_cancelled_id = g_signal_connect (cancellable, "cancelled",
                                                  G_CALLBACK (toy_idle_cancelled), self);
    }
  /* News: a handler may stop the idle right here. */
  missive_store_emit_mailbox_changed (store, self->selected != NULL ? self->selected->name : "",
                                      "exists",
                                      self->selected != NULL ? self->selected->messages->len : 0);
}

static void
toy_stop_idle (MissiveStore *store)
{
  toy_idle_end (TOY_STORE (store), NULL);
}

static void
toy_get_quota_async (MissiveStore        *store,
                     const char          *mailbox_name,
                     int                  io_priority,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data, "quota %s", mailbox_name);
  g_autoptr(GListStore) list = NULL;
  g_autoptr(MissiveQuota) quota = NULL;
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, mailbox_name);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such mailbox");
      return;
    }
  list = g_list_store_new (MISSIVE_TYPE_QUOTA);
  quota = missive_quota_new ("");
  missive_quota_add_resource (quota, "STORAGE", 10, 1024);
  missive_quota_add_resource (quota, "MESSAGE", mailbox->messages->len, 1000);
  g_list_store_append (list, quota);
  toy_return_pointer (task, g_steal_pointer (&list), g_object_unref);
}

static void
toy_get_acl_async (MissiveStore        *store,
                   const char          *mailbox_name,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data, "getacl %s", mailbox_name);
  g_autoptr(GListStore) list = NULL;
  g_autoptr(GList) identifiers = NULL;
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, mailbox_name);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such mailbox");
      return;
    }
  list = g_list_store_new (MISSIVE_TYPE_ACL_ENTRY);
  identifiers = g_list_sort (g_hash_table_get_keys (mailbox->acl), (GCompareFunc) strcmp);
  for (GList *l = identifiers; l != NULL; l = l->next)
    {
      const char *rights = g_hash_table_lookup (mailbox->acl, l->data);
      g_autoptr(MissiveAclEntry) entry = missive_acl_entry_new (l->data, rights);

      missive_store_emit_mailbox_acl (store, mailbox_name, l->data, rights);
      g_list_store_append (list, entry);
    }
  toy_return_pointer (task, g_steal_pointer (&list), g_object_unref);
}

static void
toy_set_acl_async (MissiveStore        *store,
                   const char          *mailbox_name,
                   const char          *identifier,
                   const char          *rights,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, TRUE, cancellable, callback, user_data, "setacl %s %s %s",
                           mailbox_name, identifier, rights != NULL ? rights : "(delete)");
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, mailbox_name);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such mailbox");
      return;
    }
  if (rights == NULL)
    g_hash_table_remove (mailbox->acl, identifier);
  else
    g_hash_table_insert (mailbox->acl, g_strdup (identifier), g_strdup (rights));
  toy_return_true (task);
}

static void
toy_get_my_rights_async (MissiveStore        *store,
                         const char          *mailbox_name,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  ToyStore *self = TOY_STORE (store);
  GTask *task = toy_begin (store, FALSE, cancellable, callback, user_data, "myrights %s", mailbox_name);
  ToyMailbox *mailbox;

  if (task == NULL)
    return;
  mailbox = g_hash_table_lookup (self->mailboxes, mailbox_name);
  if (mailbox == NULL)
    {
      toy_return_error (task, MISSIVE_ERROR_SERVER_NO, "No such mailbox");
      return;
    }
  toy_return_pointer (task, g_strdup (g_hash_table_lookup (mailbox->acl, "alice")), g_free);
}

/* The service part: a greeting, "* PREAUTH ..." (logged in) or "* OK ..."
 * (not logged in, and no way to log in); nothing else. */
static void
toy_greet_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  const char *line;

  line = missive_service_read_line_finish (MISSIVE_SERVICE (source), result, NULL, &error);
  if (line == NULL)
    g_task_return_error (task, error);
  else if (g_str_has_prefix (line, "* PREAUTH"))
    {
      missive_service_set_preauthenticated (MISSIVE_SERVICE (source));
      g_task_return_boolean (task, TRUE);
    }
  else if (g_str_has_prefix (line, "* OK"))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL, "Bad greeting");
  g_object_unref (task);
}

static void
toy_greet_async (MissiveService      *service,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (service, cancellable, callback, user_data);

  missive_service_read_line_async (service, cancellable, toy_greet_read_cb, task);
}

static gboolean
toy_greet_finish (MissiveService  *service,
                  GAsyncResult    *result,
                  GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static guint16
toy_get_default_port (MissiveService  *service,
                      MissiveSecurity  security)
{
  return 143;
}

static void
toy_store_finalize (GObject *object)
{
  ToyStore *self = TOY_STORE (object);

  g_assert_null (self->idle_task);
  g_hash_table_unref (self->mailboxes);
  g_free (self->last_call);
  g_clear_error (&self->fail_next);

  G_OBJECT_CLASS (toy_store_parent_class)->finalize (object);
}

static void
toy_store_class_init (ToyStoreClass *klass)
{
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);
  MissiveStoreClass *store_class = MISSIVE_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = toy_store_finalize;

  service_class->get_default_port = toy_get_default_port;
  service_class->greet_async = toy_greet_async;
  service_class->greet_finish = toy_greet_finish;

  store_class->list_mailboxes_async = toy_list_mailboxes_async;
  store_class->list_mailboxes_finish = toy_model_finish;
  store_class->get_mailbox_status_async = toy_get_mailbox_status_async;
  store_class->get_mailbox_status_finish = toy_mailbox_info_finish;
  store_class->manage_mailbox_async = toy_manage_mailbox_async;
  store_class->manage_mailbox_finish = toy_boolean_finish;
  store_class->select_mailbox_async = toy_select_mailbox_async;
  store_class->select_mailbox_finish = toy_mailbox_info_finish;
  store_class->close_mailbox_async = toy_close_mailbox_async;
  store_class->close_mailbox_finish = toy_boolean_finish;
  store_class->fetch_summaries_async = toy_fetch_summaries_async;
  store_class->fetch_summaries_finish = toy_model_finish;
  store_class->fetch_part_async = toy_fetch_part_async;
  store_class->fetch_part_finish = toy_boolean_finish;
  store_class->search_async = toy_search_async;
  store_class->search_finish = toy_set_finish;
  store_class->sort_async = toy_sort_async;
  store_class->sort_finish = toy_array_finish;
  store_class->set_flags_async = toy_set_flags_async;
  store_class->set_flags_finish = toy_model_finish;
  store_class->copy_messages_async = toy_copy_messages_async;
  store_class->copy_messages_finish = toy_uid_map_finish;
  store_class->append_message_async = toy_append_message_async;
  store_class->append_message_finish = toy_uid_map_finish;
  store_class->expunge_async = toy_expunge_async;
  store_class->expunge_finish = toy_boolean_finish;
  store_class->idle_async = toy_idle_async;
  store_class->idle_finish = toy_boolean_finish;
  store_class->stop_idle = toy_stop_idle;
  store_class->get_quota_async = toy_get_quota_async;
  store_class->get_quota_finish = toy_model_finish;
  store_class->get_acl_async = toy_get_acl_async;
  store_class->get_acl_finish = toy_model_finish;
  store_class->set_acl_async = toy_set_acl_async;
  store_class->set_acl_finish = toy_boolean_finish;
  store_class->get_my_rights_async = toy_get_my_rights_async;
  store_class->get_my_rights_finish = toy_string_finish;
}

static void
toy_store_init (ToyStore *self)
{
  self->mailboxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, toy_mailbox_free);
  g_hash_table_insert (self->mailboxes, g_strdup ("INBOX"), toy_mailbox_new ("INBOX", 42));
}

/* A store that implements none of the store methods. */
#define TOY_TYPE_BARE (toy_bare_get_type ())
G_DECLARE_FINAL_TYPE (ToyBare, toy_bare, TOY, BARE, MissiveStore)

struct _ToyBare
{
  MissiveStore parent_instance;
};

G_DEFINE_TYPE (ToyBare, toy_bare, MISSIVE_TYPE_STORE)

static void
toy_bare_class_init (ToyBareClass *klass)
{
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);

  service_class->get_default_port = toy_get_default_port;
  service_class->greet_async = toy_greet_async;
  service_class->greet_finish = toy_greet_finish;
}

static void
toy_bare_init (ToyBare *self)
{
}

/* ---- helpers ------------------------------------------------------------- */

#define MESSAGE_1 "Subject: first\r\nFrom: alice@example.org\r\n\r\nHello\r\n"
#define MESSAGE_2 "Subject: second\r\n X folded\r\n\r\nWorld\r\n"

static const MissiveTestStep preauth_script[] = {
  MT_SEND ("* PREAUTH ready\r\n"),
  MT_WAIT_CLOSE,
  MT_END,
};

/* Checks the error first, so that a failure shows its message. */
#define ASSERT_OK(call) \
  G_STMT_START {                                                        \
    gboolean ok_ = (call);                                              \
    g_assert_no_error (error);                                          \
    g_assert_true (ok_);                                                \
  } G_STMT_END

#define ASSERT_FAILS(call, code) \
  G_STMT_START {                                                        \
    g_assert_false ((call));                                            \
    g_assert_error (error, MISSIVE_ERROR, (code));                      \
    g_clear_error (&error);                                             \
  } G_STMT_END

static MissiveStore *
new_store (GType              type,
           MissiveTestServer *server)
{
  return g_object_new (type,
                       "scheme", "toy",
                       "host", "127.0.0.1",
                       "port", server != NULL ? (guint) missive_test_server_get_port (server) : 143,
                       "security", MISSIVE_SECURITY_NONE,
                       "timeout", 10,
                       NULL);
}

static void
open_store (MissiveStore *store)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
}

static void
close_store (MissiveStore      *store,
             MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until *@result is set (bounded). */
static void
wait_for_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  guint ticker = g_timeout_add (100, wake_up, NULL);

  while (*result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
}

static void
add_message (MissiveStore       *store,
             const char         *mailbox,
             const char         *text,
             const char * const *flags)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;

  map = missive_store_append_bytes (store, mailbox, bytes, flags, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (map);
}

static guint
count_signal (gpointer    instance,
              const char *name)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (instance), name));
}

static void
bump (gpointer    instance,
      const char *name)
{
  g_object_set_data (G_OBJECT (instance), name,
                     GUINT_TO_POINTER (count_signal (instance, name) + 1));
}

static void
on_mailbox_listed (MissiveStore       *store,
                   MissiveMailboxInfo *info,
                   gpointer            user_data)
{
  g_assert_true (MISSIVE_IS_MAILBOX_INFO (info));
  bump (store, "mailbox-listed");
}

static void
on_message_info (MissiveStore       *store,
                 MissiveMessageInfo *info,
                 gpointer            user_data)
{
  g_assert_true (MISSIVE_IS_MESSAGE_INFO (info));
  bump (store, "message-info");
}

static void
on_message_part (MissiveStore *store,
                 guint         message_id,
                 const char   *section,
                 GBytes       *data,
                 GString      *collected)
{
  g_string_append_printf (collected, "%u[%s]", message_id, section);
  g_string_append_len (collected, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

static void
on_header (MissiveStore *store,
           guint         message_id,
           const char   *name,
           const char   *value,
           GString      *collected)
{
  g_string_append_printf (collected, "%u %s=%s;", message_id, name, value);
}

static void
on_mailbox_changed (MissiveStore *store,
                    const char   *mailbox,
                    const char   *what,
                    guint         number,
                    GString      *collected)
{
  g_string_append_printf (collected, "%s %s %u;", mailbox, what, number);
}

static void
on_mailbox_acl (MissiveStore *store,
                const char   *mailbox,
                const char   *identifier,
                const char   *rights,
                GString      *collected)
{
  g_string_append_printf (collected, "%s %s %s;", mailbox, identifier, rights);
}

/* ---- every operation, for the checks common to all ---------------------- */

typedef enum {
  OP_LIST,
  OP_STATUS,
  OP_MANAGE,
  OP_SELECT,
  OP_CLOSE,
  OP_FETCH_SUMMARIES,
  OP_FETCH_PART,
  OP_FETCH_MESSAGE,
  OP_FETCH_MIME_MESSAGE,
  OP_SEARCH,
  OP_SORT,
  OP_SET_FLAGS,
  OP_COPY,
  OP_APPEND,
  OP_APPEND_BYTES,
  OP_EXPUNGE,
  OP_IDLE,
  OP_GET_QUOTA,
  OP_GET_ACL,
  OP_SET_ACL,
  OP_MY_RIGHTS,
  OP_CREATE,
  OP_DELETE,
  OP_RENAME,
  OP_SUBSCRIBE,
  N_OPS
} Op;

/* Runs @op with valid arguments through its blocking form; returns
 * whether it succeeded. */
static gboolean
run_op (MissiveStore  *store,
        Op             op,
        GError       **error)
{
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (1);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (MESSAGE_1, strlen (MESSAGE_1));
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GObject) object = NULL;
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(GArray) array = NULL;
  g_autofree char *text = NULL;
  const char * const flags[] = { MISSIVE_FLAG_SEEN, NULL };

  switch (op)
    {
    case OP_LIST:
      object = G_OBJECT (missive_store_list_mailboxes (store, NULL, MISSIVE_LIST_FLAGS_NONE, NULL, error));
      return object != NULL;
    case OP_STATUS:
      object = G_OBJECT (missive_store_get_mailbox_status (store, "INBOX", NULL, error));
      return object != NULL;
    case OP_MANAGE:
      return missive_store_manage_mailbox (store, MISSIVE_MAILBOX_ACTION_SUBSCRIBE, "INBOX", NULL,
                                           NULL, error);
    case OP_SELECT:
      object = G_OBJECT (missive_store_select_mailbox (store, "INBOX", FALSE, NULL, error));
      return object != NULL;
    case OP_CLOSE:
      return missive_store_close_mailbox (store, FALSE, NULL, error);
    case OP_FETCH_SUMMARIES:
      object = G_OBJECT (missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_FLAGS, 0,
                                                        NULL, error));
      return object != NULL;
    case OP_FETCH_PART:
      return missive_store_fetch_part (store, 1, "1", MISSIVE_FETCH_PART_FLAGS_NONE, 0, 0, sink,
                                       NULL, error);
    case OP_FETCH_MESSAGE:
      return missive_store_fetch_message (store, 1, sink, NULL, error);
    case OP_FETCH_MIME_MESSAGE:
      object = G_OBJECT (missive_store_fetch_mime_message (store, 1, NULL, error));
      return object != NULL;
    case OP_SEARCH:
      found = missive_store_search (store, query, NULL, error);
      return found != NULL;
    case OP_SORT:
      array = missive_store_sort (store, "ARRIVAL", query, NULL, error);
      return array != NULL;
    case OP_SET_FLAGS:
      object = G_OBJECT (missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_ADD, flags, 0,
                                                  NULL, error));
      return object != NULL;
    case OP_COPY:
      object = G_OBJECT (missive_store_copy_messages (store, set, "INBOX", FALSE, NULL, error));
      return object != NULL;
    case OP_APPEND:
      object = G_OBJECT (missive_store_append_message (store, "INBOX", stream, strlen (MESSAGE_1),
                                                       NULL, NULL, NULL, error));
      return object != NULL;
    case OP_APPEND_BYTES:
      object = G_OBJECT (missive_store_append_bytes (store, "INBOX", bytes, flags, NULL, NULL, error));
      return object != NULL;
    case OP_EXPUNGE:
      return missive_store_expunge (store, NULL, NULL, error);
    case OP_IDLE:
      /* Not with a toy that waits: only where it fails at once. */
      return missive_store_idle (store, NULL, error);
    case OP_GET_QUOTA:
      object = G_OBJECT (missive_store_get_quota (store, "INBOX", NULL, error));
      return object != NULL;
    case OP_GET_ACL:
      object = G_OBJECT (missive_store_get_acl (store, "INBOX", NULL, error));
      return object != NULL;
    case OP_SET_ACL:
      return missive_store_set_acl (store, "INBOX", "bob", "lr", NULL, error);
    case OP_MY_RIGHTS:
      text = missive_store_get_my_rights (store, "INBOX", NULL, error);
      return text != NULL;
    case OP_CREATE:
      return missive_store_create_mailbox (store, "New", NULL, error);
    case OP_DELETE:
      return missive_store_delete_mailbox (store, "INBOX", NULL, error);
    case OP_RENAME:
      return missive_store_rename_mailbox (store, "INBOX", "Old", NULL, error);
    case OP_SUBSCRIBE:
      return missive_store_subscribe_mailbox (store, "INBOX", TRUE, NULL, error);
    default:
      g_assert_not_reached ();
    }
}

/* ---- tests --------------------------------------------------------------- */

static void
test_not_open (void)
{
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, NULL);
  g_autoptr(GError) error = NULL;

  for (Op op = 0; op < N_OPS; op++)
    {
      g_assert_false (run_op (store, op, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
      g_clear_error (&error);
    }
  /* Nothing reached the plugin. */
  g_assert_cmpuint (TOY_STORE (store)->calls, ==, 0);
  g_assert_null (missive_store_get_selected_mailbox (store));

  /* Bad arguments are reported before the state. */
  ASSERT_FAILS (missive_store_select_mailbox (store, "", FALSE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);

  /* Nothing to stop. */
  missive_store_stop_idle (store);
}

static void
test_not_logged_in (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("* OK not logged in\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(GError) error = NULL;

  /* Connected, but not logged in. */
  ASSERT_OK (missive_service_open (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_CONNECTED);
  for (Op op = 0; op < N_OPS; op++)
    {
      g_assert_false (run_op (store, op, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (TOY_STORE (store)->calls, ==, 0);
  close_store (store, server);
}

static void
test_not_supported (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_BARE, server);
  g_autoptr(GError) error = NULL;

  open_store (store);
  for (Op op = 0; op < N_OPS; op++)
    {
      g_assert_false (run_op (store, op, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
    }
  /* Still connected: NOT_SUPPORTED is not fatal. */
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  /* No stop_idle: nothing happens. */
  missive_store_stop_idle (store);
  close_store (store, server);
}

static void
test_arguments (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(MissiveMessageSet) empty = missive_message_set_new ();
  g_autoptr(MissiveMessageSet) one = missive_message_set_new_single (1);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) raw = missive_search_query_new_raw ("ALL\r\nA1 LOGOUT");
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (MESSAGE_1, strlen (MESSAGE_1));
  const char * const bad_flag[] = { "\\Seen", "two words", NULL };
  const char * const crlf_flag[] = { "$Junk\r\n", NULL };
  const char * const empty_flag[] = { "", NULL };
  const char * const no_flags[] = { NULL };
  g_autoptr(GError) error = NULL;
  ToyStore *toy = TOY_STORE (store);

  open_store (store);

  ASSERT_FAILS (missive_store_list_mailboxes (store, "a\r\nb", 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_get_mailbox_status (store, NULL, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_get_mailbox_status (store, "IN\nBOX", NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_create_mailbox (store, "", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_create_mailbox (store, "x\r", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_delete_mailbox (store, NULL, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_rename_mailbox (store, "INBOX", NULL, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_rename_mailbox (store, "INBOX", "", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_rename_mailbox (store, "INBOX", "a\nb", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_subscribe_mailbox (store, "\n", FALSE, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_select_mailbox (store, "INBOX\r\nA1 DELETE x", TRUE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_select_mailbox (store, "", FALSE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_summaries (store, NULL, MISSIVE_FETCH_ITEMS_FLAGS, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_summaries (store, empty, MISSIVE_FETCH_ITEMS_FLAGS, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_part (store, 0, NULL, 0, 0, 0, sink, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_part (store, 1, "1]\r\nA1 LOGOUT", 0, 0, 0, sink, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_part (store, 1, "1] BODY[2", 0, 0, 0, sink, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_part (store, 1, "1<0.5>", 0, 0, 0, sink, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_fetch_message (store, 0, sink, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_search (store, raw, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_sort (store, "DATE\r\n", query, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_sort (store, "", query, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_sort (store, "DATE", raw, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_flags (store, NULL, MISSIVE_FLAG_CHANGE_ADD, bad_flag + 0, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_flags (store, empty, MISSIVE_FLAG_CHANGE_ADD, bad_flag + 2, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_flags (store, one, MISSIVE_FLAG_CHANGE_ADD, bad_flag, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_flags (store, one, MISSIVE_FLAG_CHANGE_ADD, crlf_flag, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_flags (store, one, MISSIVE_FLAG_CHANGE_REMOVE, empty_flag, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  /* Adding or removing nothing is refused; replacing with nothing is not. */
  ASSERT_FAILS (missive_store_set_flags (store, one, MISSIVE_FLAG_CHANGE_ADD, NULL, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_flags (store, one, MISSIVE_FLAG_CHANGE_REMOVE, no_flags, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_copy_messages (store, empty, "INBOX", FALSE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_copy_messages (store, one, "", TRUE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_copy_messages (store, one, "a\rb", TRUE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_append_bytes (store, "", bytes, NULL, NULL, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_append_bytes (store, "INBOX", bytes, bad_flag, NULL, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_expunge (store, empty, NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_get_quota (store, "", NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_get_acl (store, NULL, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_acl (store, "INBOX", "", "lr", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_acl (store, "INBOX", "bob\r\n", "lr", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_set_acl (store, "INBOX", "bob", "l\nr", NULL, &error),
                MISSIVE_ERROR_INVALID_ARGUMENT);
  ASSERT_FAILS (missive_store_get_my_rights (store, "\r", NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);

  /* None of that reached the plugin, and the connection is fine. */
  g_assert_cmpuint (toy->calls, ==, 0);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  close_store (store, server);
}

static void
test_mailboxes (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(GListModel) model = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  ToyStore *toy = TOY_STORE (store);

  g_signal_connect (store, "mailbox-listed", G_CALLBACK (on_mailbox_listed), NULL);
  open_store (store);

  ASSERT_OK (missive_store_create_mailbox (store, "Archive", NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "manage 0 Archive -");
  ASSERT_OK (missive_store_create_mailbox (store, "Drafts", NULL, &error));
  ASSERT_FAILS (missive_store_create_mailbox (store, "Drafts", NULL, &error),
                MISSIVE_ERROR_SERVER_NO);

  /* No pattern: all; the flags and the priority reach the plugin. */
  model = missive_store_list_mailboxes (store, NULL, MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "list * 0 0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpuint (count_signal (store, "mailbox-listed"), ==, 3);
  info = g_list_model_get_item (model, 0);
  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "Archive");
  g_clear_object (&info);
  g_clear_object (&model);

  ASSERT_OK (missive_store_rename_mailbox (store, "Drafts", "Old drafts", NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "manage 2 Drafts Old drafts");
  ASSERT_OK (missive_store_subscribe_mailbox (store, "Old drafts", TRUE, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "manage 3 Old drafts -");
  model = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_SUBSCRIBED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "list * 1 0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  info = g_list_model_get_item (model, 0);
  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "Old drafts");
  g_assert_true (missive_mailbox_info_get_subscribed (info));
  g_clear_object (&info);
  g_clear_object (&model);
  ASSERT_OK (missive_store_subscribe_mailbox (store, "Old drafts", FALSE, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "manage 4 Old drafts -");

  ASSERT_OK (missive_store_manage_mailbox (store, MISSIVE_MAILBOX_ACTION_DELETE, "Old drafts",
                                           NULL, NULL, &error));
  ASSERT_FAILS (missive_store_delete_mailbox (store, "Old drafts", NULL, &error),
                MISSIVE_ERROR_SERVER_NO);

  /* A pattern, and "" (which IMAP uses to ask for the separator). */
  model = missive_store_list_mailboxes (store, "A*", MISSIVE_LIST_FLAGS_STATUS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "list A* 4 0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_object (&model);
  model = missive_store_list_mailboxes (store, "", MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "list  0 0");
  g_clear_object (&model);

  add_message (store, "INBOX", MESSAGE_1, NULL);
  info = missive_store_get_mailbox_status (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 1);
  g_assert_cmpuint (missive_mailbox_info_get_unseen (info), ==, 1);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 42);
  g_clear_object (&info);
  ASSERT_FAILS (missive_store_get_mailbox_status (store, "Nope", NULL, &error) != NULL,
                MISSIVE_ERROR_SERVER_NO);

  close_store (store, server);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_selected (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *property = NULL;
  guint notified = 0;

  g_signal_connect (store, "notify::selected-mailbox", G_CALLBACK (count_notify), &notified);
  open_store (store);
  g_assert_null (missive_store_get_selected_mailbox (store));

  info = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (TOY_STORE (store)->last_call, ==, "select INBOX 1");
  g_assert_true (missive_mailbox_info_get_read_only (info));
  g_assert_cmpstrv (missive_mailbox_info_get_permanent_flags (info),
                    ((const char * const[]) { "\\Seen", "\\Deleted", "$Junk", NULL }));
  g_clear_object (&info);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");
  g_object_get (store, "selected-mailbox", &property, NULL);
  g_assert_cmpstr (property, ==, "INBOX");
  g_assert_cmpuint (notified, ==, 1);

  /* Selecting it again changes nothing that can be seen. */
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&info);
  g_assert_cmpuint (notified, ==, 1);

  /* Refused arguments leave the selection alone... */
  ASSERT_FAILS (missive_store_select_mailbox (store, "", FALSE, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");

  /* ... a refused selection does not. */
  ASSERT_FAILS (missive_store_select_mailbox (store, "Nope", FALSE, NULL, &error) != NULL,
                MISSIVE_ERROR_SERVER_NO);
  g_assert_null (missive_store_get_selected_mailbox (store));
  g_assert_cmpuint (notified, ==, 2);

  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&info);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");
  ASSERT_OK (missive_store_close_mailbox (store, TRUE, NULL, &error));
  g_assert_cmpstr (TOY_STORE (store)->last_call, ==, "close 1");
  g_assert_null (missive_store_get_selected_mailbox (store));
  g_assert_cmpuint (notified, ==, 4);

  /* A failed close leaves the selection as it was (none here). */
  ASSERT_FAILS (missive_store_close_mailbox (store, FALSE, NULL, &error),
                MISSIVE_ERROR_INVALID_STATE);
  g_assert_null (missive_store_get_selected_mailbox (store));

  /* Closing the service forgets the selection. */
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&info);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");
  close_store (store, server);
  g_assert_null (missive_store_get_selected_mailbox (store));
  g_assert_cmpuint (notified, ==, 6);
}

static void
test_connection_lost (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  ToyStore *toy = TOY_STORE (store);

  open_store (store);
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);

  /* A server refusal is passed on as it is... */
  toy->fail_next = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_BAD, "Bad");
  ASSERT_FAILS (missive_store_expunge (store, NULL, NULL, &error), MISSIVE_ERROR_SERVER_BAD);

  /* ... a plugin that fails without saying why gets a generic error... */
  toy->fail_silently = TRUE;
  ASSERT_FAILS (missive_store_get_my_rights (store, "INBOX", NULL, &error) != NULL,
                MISSIVE_ERROR_FAILED);
  toy->fail_silently = TRUE;
  ASSERT_FAILS (missive_store_set_acl (store, "INBOX", "bob", NULL, NULL, &error),
                MISSIVE_ERROR_FAILED);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");

  /* ... I/O errors are mapped, and a lost connection disconnects the
   * service, which forgets the selection. */
  toy->fail_next = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Gone");
  model = missive_store_list_mailboxes (store, "*", 0, NULL, &error);
  g_assert_null (model);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_store_get_selected_mailbox (store));
  ASSERT_FAILS (missive_store_idle (store, NULL, &error), MISSIVE_ERROR_INVALID_STATE);

  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

static void
test_messages (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(GOutputStream) sink = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageInfo) message = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(MissiveMessageSet) set = NULL;
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(MissiveSearchQuery) query = NULL;
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GArray) sorted = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 2, 1, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) headers = g_string_new (NULL);
  g_autoptr(GString) parts = g_string_new (NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  const char * const seen[] = { MISSIVE_FLAG_SEEN, NULL };
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };
  const char * const junk[] = { "$Junk", MISSIVE_FLAG_FLAGGED, NULL };
  ToyStore *toy = TOY_STORE (store);
  gulong part_handler;

  g_signal_connect (store, "message-info", G_CALLBACK (on_message_info), NULL);
  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_mailbox_changed), changes);
  open_store (store);
  ASSERT_OK (missive_store_create_mailbox (store, "Archive", NULL, &error));

  /* Appending: from bytes and from a stream of known or unknown size. */
  bytes = g_bytes_new_static (MESSAGE_1, strlen (MESSAGE_1));
  map = missive_store_append_bytes (store, "INBOX", bytes, seen, date, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "append INBOX 50 1 dated");
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 42);
  g_assert_null (missive_uid_map_get_source (map));
  g_assert_cmpuint (missive_message_set_get_min (missive_uid_map_get_destination (map)), ==, 1);
  g_clear_object (&map);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = g_bytes_new_static (MESSAGE_2, strlen (MESSAGE_2));
  stream = g_memory_input_stream_new_from_bytes (bytes);
  map = missive_store_append_message (store, "INBOX", stream, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "append INBOX -1 0 now");
  g_assert_cmpuint (missive_message_set_get_min (missive_uid_map_get_destination (map)), ==, 2);
  g_clear_object (&map);
  add_message (store, "INBOX", MESSAGE_1, NULL);
  ASSERT_FAILS (missive_store_append_bytes (store, "Nope", bytes, NULL, NULL, NULL, &error) != NULL,
                MISSIVE_ERROR_SERVER_NO);

  /* Before selecting, the plugin refuses. */
  set = missive_message_set_new_from_string ("1:*", &error);
  g_assert_no_error (error);
  ASSERT_FAILS (missive_store_fetch_summaries (store, set, MISSIVE_FETCH_ITEMS_FLAGS, 0, NULL, &error) != NULL,
                MISSIVE_ERROR_INVALID_STATE);

  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 3);

  /* Summaries, with the header signal. */
  g_signal_connect (store, "header", G_CALLBACK (on_header), headers);
  model = missive_store_fetch_summaries (store, set,
                                         MISSIVE_FETCH_ITEMS_SUMMARY | MISSIVE_FETCH_ITEMS_HEADERS,
                                         7, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "fetch 1:* 47 7");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpuint (count_signal (store, "message-info"), ==, 3);
  message = g_list_model_get_item (model, 1);
  g_assert_cmpuint (missive_message_info_get_uid (message), ==, 2);
  g_assert_cmpuint (missive_message_info_get_sequence (message), ==, 2);
  g_assert_cmpstr (missive_message_info_get_header (message, "subject"), ==, "second X folded");
  g_clear_object (&message);
  message = g_list_model_get_item (model, 0);
  g_assert_true (missive_message_info_has_flag (message, "\\SEEN"));
  g_clear_object (&message);
  g_assert_cmpstr (headers->str, ==,
                   "1 Subject=first;1 From=alice@example.org;"
                   "2 Subject=second;"
                   "3 Subject=first;3 From=alice@example.org;");
  g_clear_object (&model);

  /* Whole message, a range, headers only; the content also comes through
   * message-part. */
  part_handler = g_signal_connect (store, "message-part", G_CALLBACK (on_message_part), parts);
  sink = g_memory_output_stream_new_resizable ();
  ASSERT_OK (missive_store_fetch_message (store, 2, sink, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "part 2 - 0 0 0");
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                   MESSAGE_2, strlen (MESSAGE_2));
  g_clear_object (&sink);
  sink = g_memory_output_stream_new_resizable ();
  ASSERT_OK (missive_store_fetch_part (store, 1, "", MISSIVE_FETCH_PART_FLAGS_SET_SEEN, 9, 5,
                                       sink, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "part 1  1 9 5");
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                   "first", 5);
  g_clear_object (&sink);
  sink = g_memory_output_stream_new_resizable ();
  ASSERT_OK (missive_store_fetch_part (store, 3, "HEADER", MISSIVE_FETCH_PART_FLAGS_HEADERS, 0, 0,
                                       sink, NULL, &error));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)), ==,
                    strstr (MESSAGE_1, "\r\n\r\n") + 2 - MESSAGE_1);
  g_assert_true (g_str_has_prefix (parts->str, "2[]Subject: second"));
  g_assert_nonnull (strstr (parts->str, "1[]first3[HEADER]Subject: first"));
  g_signal_handler_disconnect (store, part_handler);
  ASSERT_FAILS (missive_store_fetch_message (store, 99, sink, NULL, &error),
                MISSIVE_ERROR_SERVER_NO);

  /* Searching and sorting. */
  query = missive_search_query_new ();
  missive_search_query_add_flag (query, MISSIVE_FLAG_SEEN, FALSE);
  found = missive_store_search (store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "search UNSEEN");
  {
    g_autofree char *text = missive_message_set_to_string (found);

    g_assert_cmpstr (text, ==, "2:3");
  }
  g_clear_pointer (&found, missive_message_set_unref);
  g_clear_object (&query);
  query = missive_search_query_new ();
  found = missive_store_search (store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_set_get_count (found), ==, 3);
  sorted = missive_store_sort (store, "REVERSE ARRIVAL", query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "sort REVERSE ARRIVAL");
  g_assert_cmpuint (sorted->len, ==, 3);
  g_assert_cmpuint (g_array_index (sorted, guint32, 0), ==, 3);
  g_assert_cmpuint (g_array_index (sorted, guint32, 2), ==, 1);
  g_clear_object (&query);
  query = missive_search_query_new ();
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_FROM, "alice");
  ASSERT_FAILS (missive_store_search (store, query, NULL, &error) != NULL,
                MISSIVE_ERROR_SERVER_BAD);

  /* Flags. */
  g_clear_pointer (&set, missive_message_set_unref);
  set = missive_message_set_new_from_string ("2,3", &error);
  g_assert_no_error (error);
  model = missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_ADD, junk, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "flags 2:3 0 ($Junk \\Flagged) 0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  message = g_list_model_get_item (model, 0);
  g_assert_true (missive_message_info_has_flag (message, "$junk"));
  g_clear_object (&message);
  g_clear_object (&model);
  model = missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_REMOVE, junk + 1, 12, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "flags 2:3 1 (\\Flagged) 12");
  message = g_list_model_get_item (model, 1);
  g_assert_cmpstrv (missive_message_info_get_flags (message), ((const char * const[]) { "$Junk", NULL }));
  g_clear_object (&message);
  g_clear_object (&model);
  model = missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_REPLACE, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "flags 2:3 2 () 0");
  message = g_list_model_get_item (model, 0);
  g_assert_cmpstrv (missive_message_info_get_flags (message), ((const char * const[]) { NULL }));
  g_clear_object (&message);
  g_clear_object (&model);

  /* Copy and move: where the messages went. */
  map = missive_store_copy_messages (store, set, "Archive", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "copy 2:3 Archive 0");
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 100);
  g_assert_cmpuint (missive_uid_map_lookup (map, 2), ==, 1);
  g_assert_cmpuint (missive_uid_map_lookup (map, 3), ==, 2);
  g_assert_cmpuint (missive_uid_map_lookup (map, 1), ==, 0);
  g_clear_object (&map);
  g_string_truncate (changes, 0);
  map = missive_store_copy_messages (store, set, "Archive", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "copy 2:3 Archive 1");
  g_assert_cmpuint (missive_uid_map_lookup (map, 3), ==, 4);
  g_assert_cmpstr (changes->str, ==, "INBOX expunge 3;INBOX expunge 2;");
  g_clear_object (&map);
  ASSERT_FAILS (missive_store_copy_messages (store, set, "Nope", TRUE, NULL, &error) != NULL,
                MISSIVE_ERROR_SERVER_NO);

  /* Expunge: some, then all. */
  add_message (store, "INBOX", MESSAGE_2, deleted);
  add_message (store, "INBOX", MESSAGE_2, deleted);
  g_clear_pointer (&set, missive_message_set_unref);
  set = missive_message_set_new_single (5);
  g_string_truncate (changes, 0);
  ASSERT_OK (missive_store_expunge (store, set, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "expunge 5");
  g_assert_cmpstr (changes->str, ==, "INBOX expunge 3;");
  g_string_truncate (changes, 0);
  ASSERT_OK (missive_store_expunge (store, NULL, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "expunge all");
  g_assert_cmpstr (changes->str, ==, "INBOX expunge 2;");

  close_store (store, server);
}

static gboolean
stop_idle_cb (gpointer user_data)
{
  missive_store_stop_idle (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_extra (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(MissiveQuota) quota = NULL;
  g_autoptr(MissiveAclEntry) entry = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GString) acl = g_string_new (NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *rights = NULL;
  ToyStore *toy = TOY_STORE (store);

  g_signal_connect (store, "mailbox-acl", G_CALLBACK (on_mailbox_acl), acl);
  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_mailbox_changed), changes);
  open_store (store);

  model = missive_store_get_quota (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "quota INBOX");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  quota = g_list_model_get_item (model, 0);
  g_assert_cmpuint (missive_quota_get_limit (quota, "storage"), ==, 1024);
  g_clear_object (&model);

  ASSERT_OK (missive_store_set_acl (store, "INBOX", "bob", "lr", NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "setacl INBOX bob lr");
  model = missive_store_get_acl (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  entry = g_list_model_get_item (model, 1);
  g_assert_cmpstr (missive_acl_entry_get_identifier (entry), ==, "bob");
  g_assert_cmpstr (missive_acl_entry_get_rights (entry), ==, "lr");
  g_assert_cmpstr (acl->str, ==, "INBOX alice lrswipkxtea;INBOX bob lr;");
  g_clear_object (&model);
  ASSERT_OK (missive_store_set_acl (store, "INBOX", "bob", NULL, NULL, &error));
  g_assert_cmpstr (toy->last_call, ==, "setacl INBOX bob (delete)");
  model = missive_store_get_acl (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_object (&model);
  rights = missive_store_get_my_rights (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rights, ==, "lrswipkxtea");
  ASSERT_FAILS (missive_store_get_acl (store, "Nope", NULL, &error) != NULL,
                MISSIVE_ERROR_SERVER_NO);

  /* Idle, blocking: the blocking form runs on a private main context, so
   * stop it from a handler of the signal the toy emits when it starts. */
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect_swapped (store, "mailbox-changed", G_CALLBACK (missive_store_stop_idle), store);
  ASSERT_OK (missive_store_idle (store, NULL, &error));
  g_assert_cmpstr (changes->str, ==, "INBOX exists 0;");
  g_signal_handlers_disconnect_by_func (store, missive_store_stop_idle, store);

  /* Idle, asynchronous: stopped... */
  missive_store_idle_async (store, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  g_idle_add (stop_idle_cb, store);
  wait_for_result (&result);
  ASSERT_OK (missive_store_idle_finish (store, result, &error));
  g_clear_object (&result);

  /* ... or cancelled. */
  cancellable = g_cancellable_new ();
  missive_store_idle_async (store, G_PRIORITY_DEFAULT, cancellable, got_result, &result);
  g_idle_add (cancel_cb, cancellable);
  wait_for_result (&result);
  g_assert_false (missive_store_idle_finish (store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);

  /* stop_idle when nothing runs does nothing. */
  missive_store_stop_idle (store);

  close_store (store, server);
}

/* Every operation through its asynchronous form, on the default main
 * context. */
static void
test_async (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (1);
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (MESSAGE_1, strlen (MESSAGE_1));
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(GArray) array = NULL;
  g_autofree char *rights = NULL;
  const char * const seen[] = { MISSIVE_FLAG_SEEN, NULL };
  ToyStore *toy = TOY_STORE (store);

  open_store (store);

#define AWAIT(start, finish_call) \
  G_STMT_START {                                                        \
    start;                                                              \
    wait_for_result (&result);                                          \
    finish_call;                                                        \
    g_clear_object (&result);                                           \
  } G_STMT_END

  AWAIT (missive_store_manage_mailbox_async (store, MISSIVE_MAILBOX_ACTION_CREATE, "Sent", NULL,
                                             G_PRIORITY_LOW, NULL, got_result, &result),
         ASSERT_OK (missive_store_manage_mailbox_finish (store, result, &error)));
  g_assert_cmpstr (toy->last_call, ==, "manage 0 Sent -");
  AWAIT (missive_store_list_mailboxes_async (store, "S*", MISSIVE_LIST_FLAGS_SPECIAL_USE,
                                             G_PRIORITY_LOW, NULL, got_result, &result),
         object = G_OBJECT (missive_store_list_mailboxes_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "list S* 2 300");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (object)), ==, 1);
  g_clear_object (&object);
  AWAIT (missive_store_get_mailbox_status_async (store, "Sent", G_PRIORITY_DEFAULT, NULL,
                                                 got_result, &result),
         object = G_OBJECT (missive_store_get_mailbox_status_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_cmpstr (missive_mailbox_info_get_name (MISSIVE_MAILBOX_INFO (object)), ==, "Sent");
  g_clear_object (&object);
  AWAIT (missive_store_append_message_async (store, "INBOX", stream, strlen (MESSAGE_1), seen,
                                             NULL, G_PRIORITY_DEFAULT, NULL, got_result, &result),
         object = G_OBJECT (missive_store_append_message_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_UID_MAP (object));
  g_clear_object (&object);
  AWAIT (missive_store_select_mailbox_async (store, "INBOX", FALSE, G_PRIORITY_DEFAULT, NULL,
                                             got_result, &result),
         object = G_OBJECT (missive_store_select_mailbox_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "INBOX");
  g_clear_object (&object);
  AWAIT (missive_store_fetch_summaries_async (store, set, MISSIVE_FETCH_ITEMS_FLAGS, 0,
                                              G_PRIORITY_DEFAULT, NULL, got_result, &result),
         object = G_OBJECT (missive_store_fetch_summaries_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (object)), ==, 1);
  g_clear_object (&object);
  AWAIT (missive_store_fetch_part_async (store, 1, "1", MISSIVE_FETCH_PART_FLAGS_NONE, 0, 7, sink,
                                         G_PRIORITY_DEFAULT, NULL, got_result, &result),
         ASSERT_OK (missive_store_fetch_part_finish (store, result, &error)));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)), ==, 7);
  AWAIT (missive_store_fetch_message_async (store, 1, sink, G_PRIORITY_DEFAULT, NULL,
                                            got_result, &result),
         ASSERT_OK (missive_store_fetch_message_finish (store, result, &error)));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)), ==,
                    7 + strlen (MESSAGE_1));
  AWAIT (missive_store_search_async (store, query, G_PRIORITY_DEFAULT, NULL, got_result, &result),
         found = missive_store_search_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_true (missive_message_set_equal (found, set));
  AWAIT (missive_store_sort_async (store, "ARRIVAL", query, G_PRIORITY_DEFAULT, NULL,
                                   got_result, &result),
         array = missive_store_sort_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (array->len, ==, 1);
  AWAIT (missive_store_set_flags_async (store, set, MISSIVE_FLAG_CHANGE_REPLACE, seen, 0,
                                        G_PRIORITY_DEFAULT, NULL, got_result, &result),
         object = G_OBJECT (missive_store_set_flags_finish (store, result, &error)));
  g_assert_no_error (error);
  g_clear_object (&object);
  AWAIT (missive_store_copy_messages_async (store, set, "Sent", FALSE, G_PRIORITY_DEFAULT, NULL,
                                            got_result, &result),
         object = G_OBJECT (missive_store_copy_messages_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_lookup (MISSIVE_UID_MAP (object), 1), ==, 1);
  g_clear_object (&object);
  AWAIT (missive_store_expunge_async (store, set, G_PRIORITY_DEFAULT, NULL, got_result, &result),
         ASSERT_OK (missive_store_expunge_finish (store, result, &error)));
  AWAIT (missive_store_close_mailbox_async (store, FALSE, G_PRIORITY_DEFAULT, NULL,
                                            got_result, &result),
         ASSERT_OK (missive_store_close_mailbox_finish (store, result, &error)));
  g_assert_null (missive_store_get_selected_mailbox (store));
  AWAIT (missive_store_get_quota_async (store, "INBOX", G_PRIORITY_DEFAULT, NULL, got_result, &result),
         object = G_OBJECT (missive_store_get_quota_finish (store, result, &error)));
  g_assert_no_error (error);
  g_clear_object (&object);
  AWAIT (missive_store_set_acl_async (store, "INBOX", "carol", "r", G_PRIORITY_DEFAULT, NULL,
                                      got_result, &result),
         ASSERT_OK (missive_store_set_acl_finish (store, result, &error)));
  AWAIT (missive_store_get_acl_async (store, "INBOX", G_PRIORITY_DEFAULT, NULL, got_result, &result),
         object = G_OBJECT (missive_store_get_acl_finish (store, result, &error)));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (object)), ==, 2);
  g_clear_object (&object);
  AWAIT (missive_store_get_my_rights_async (store, "INBOX", G_PRIORITY_DEFAULT, NULL,
                                            got_result, &result),
         rights = missive_store_get_my_rights_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rights, ==, "lrswipkxtea");

  /* Errors come through the callback too, never synchronously. */
  AWAIT (missive_store_get_my_rights_async (store, "", G_PRIORITY_DEFAULT, NULL,
                                            got_result, &result),
         g_assert_null (missive_store_get_my_rights_finish (store, result, &error)));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
#undef AWAIT

  close_store (store, server);
}

/* ---- the GMime convenience ------------------------------------------------ */

#define MIME_MULTIPART \
  "From: Alice <alice@example.org>\r\n"                                  \
  "To: bob@example.org\r\n"                                              \
  "Subject: =?UTF-8?B?R3LDvMOfZQ==?= from the toy\r\n"                   \
  "Message-ID: <mime-1@example.org>\r\n"                                 \
  "MIME-Version: 1.0\r\n"                                                \
  "Content-Type: multipart/mixed; boundary=\"sep\"\r\n"                  \
  "\r\n"                                                                 \
  "This is a multipart message.\r\n"                                     \
  "--sep\r\n"                                                            \
  "Content-Type: text/plain; charset=utf-8\r\n"                          \
  "\r\n"                                                                 \
  "See the notes.\r\n"                                                   \
  "--sep\r\n"                                                            \
  "Content-Type: text/plain; name=notes.txt\r\n"                         \
  "Content-Disposition: attachment; filename=notes.txt\r\n"              \
  "Content-Transfer-Encoding: base64\r\n"                                \
  "\r\n"                                                                 \
  "TGluZSBvbmUNCkxpbmUgdHdvDQo=\r\n"                                     \
  "--sep--\r\n"

/* Not a message: GMime finds no header block in it. */
#define MIME_GARBAGE "\x01\x02\x7f garbage, not a header\r\n\x03\r\n"

/* An empty header block: GMime accepts it, Missive does not. */
#define MIME_NO_HEADERS "\r\nJust a body.\r\n"

/* The decoded content of a leaf part. */
static char *
mime_part_text (GMimeObject *object)
{
  GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;
  char *text;

  g_assert_nonnull (content);
  g_assert_cmpint (g_mime_data_wrapper_write_to_stream (content, stream), >=, 0);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  text = g_strndup ((const char *) array->data, array->len);
  g_object_unref (stream);
  return text;
}

static void
check_multipart (GMimeMessage *message)
{
  InternetAddressList *from = g_mime_message_get_from (message);
  GMimeObject *body = g_mime_message_get_mime_part (message);
  GMimeMultipart *multipart;
  GMimeObject *part;
  g_autofree char *from_text = NULL;
  g_autofree char *text = NULL;

  g_assert_true (GMIME_IS_MESSAGE (message));
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Grüße from the toy");
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, "mime-1@example.org");
  g_assert_cmpint (internet_address_list_length (from), ==, 1);
  from_text = internet_address_list_to_string (from, NULL, FALSE);
  g_assert_cmpstr (from_text, ==, "Alice <alice@example.org>");

  g_assert_true (GMIME_IS_MULTIPART (body));
  multipart = GMIME_MULTIPART (body);
  g_assert_cmpint (g_mime_multipart_get_count (multipart), ==, 2);

  part = g_mime_multipart_get_part (multipart, 0);
  g_assert_true (GMIME_IS_TEXT_PART (part));
  g_assert_false (g_mime_part_is_attachment (GMIME_PART (part)));
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
  /* The line end before a boundary belongs to the boundary. */
  g_assert_cmpstr (text, ==, "See the notes.");
  g_clear_pointer (&text, g_free);

  part = g_mime_multipart_get_part (multipart, 1);
  g_assert_true (GMIME_IS_PART (part));
  g_assert_true (g_mime_part_is_attachment (GMIME_PART (part)));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "notes.txt");
  text = mime_part_text (part);
  g_assert_cmpstr (text, ==, "Line one\r\nLine two\r\n");
}

/* @size bytes of @head then filler lines: to go over the size at which
 * the parse moves to a worker thread. */
static char *
make_big (const char *head,
          gsize       size)
{
  GString *text = g_string_new (head);

  while (text->len < size)
    g_string_append (text, "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop\r\n");
  return g_string_free (text, FALSE);
}

static void
test_mime_message (void)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (preauth_script, NULL, FALSE);
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, server);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = make_big ("Subject: big\r\nContent-Type: text/plain\r\n\r\n", 300 * 1024);
  g_autofree char *big_garbage = make_big ("\x01 no header here\r\n", 300 * 1024);
  GMimeMessage *message;
  ToyStore *toy = TOY_STORE (store);
  guint32 uid;

  open_store (store);
  add_message (store, "INBOX", MIME_MULTIPART, NULL);        /* 1 */
  add_message (store, "INBOX", MIME_GARBAGE, NULL);          /* 2 */
  add_message (store, "INBOX", MIME_NO_HEADERS, NULL);       /* 3 */
  add_message (store, "INBOX", "", NULL);                    /* 4 */
  add_message (store, "INBOX", big, NULL);                   /* 5 */
  add_message (store, "INBOX", big_garbage, NULL);           /* 6 */
  add_message (store, "INBOX", MESSAGE_1, NULL);             /* 7 */
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 7);

  /* Blocking: the whole message, peeked, parsed. */
  message = missive_store_fetch_mime_message (store, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toy->last_call, ==, "part 1 - 0 0 0");
  check_multipart (message);
  g_object_unref (message);
  g_assert_false (toy_message_has_flag (toy_find (toy, 1, NULL), MISSIVE_FLAG_SEEN));

  message = missive_store_fetch_mime_message (store, 7, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "first");
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_message_get_mime_part (message)));
  g_object_unref (message);

  /* What is not a message. */
  for (uid = 2; uid <= 4; uid++)
    {
      message = missive_store_fetch_mime_message (store, uid, NULL, &error);
      g_assert_null (message);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
      g_test_message ("message %u: %s", uid, error->message);
      g_clear_error (&error);
    }

  /* Big ones, parsed in a worker thread. */
  message = missive_store_fetch_mime_message (store, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "big");
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_message_get_mime_part (message)));
  g_object_unref (message);
  message = missive_store_fetch_mime_message (store, 6, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);

  /* The plugin's errors and the argument checks pass through. */
  message = missive_store_fetch_mime_message (store, 99, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
  g_clear_error (&error);
  message = missive_store_fetch_mime_message (store, 0, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Asynchronous, on the default main context: small, big, malformed,
   * cancelled. */
  missive_store_fetch_mime_message_async (store, 1, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  wait_for_result (&result);
  message = missive_store_fetch_mime_message_finish (store, result, &error);
  g_assert_no_error (error);
  check_multipart (message);
  g_object_unref (message);
  g_clear_object (&result);

  missive_store_fetch_mime_message_async (store, 5, G_PRIORITY_LOW, NULL, got_result, &result);
  wait_for_result (&result);
  message = missive_store_fetch_mime_message_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "big");
  g_object_unref (message);
  g_clear_object (&result);

  missive_store_fetch_mime_message_async (store, 2, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  wait_for_result (&result);
  g_assert_null (missive_store_fetch_mime_message_finish (store, result, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  missive_store_fetch_mime_message_async (store, 1, G_PRIORITY_DEFAULT, cancellable,
                                          got_result, &result);
  wait_for_result (&result);
  g_assert_null (missive_store_fetch_mime_message_finish (store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  close_store (store, server);
}

static void
test_signals_without_listeners (void)
{
  g_autoptr(MissiveStore) store = new_store (TOY_TYPE_STORE, NULL);
  g_autoptr(MissiveMailboxInfo) mailbox = missive_mailbox_info_new ("INBOX");
  g_autoptr(MissiveMessageInfo) message = missive_message_info_new ();
  g_autoptr(GBytes) data = g_bytes_new_static ("x", 1);
  g_autoptr(GString) headers = g_string_new (NULL);
  g_autoptr(GString) parts = g_string_new (NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GString) acl = g_string_new (NULL);
  gulong id;

  /* Nobody listens: nothing happens, nothing breaks. */
  g_assert_false (missive_store_has_header_listeners (store));
  g_assert_false (missive_store_has_message_part_listeners (store));
  missive_store_emit_mailbox_listed (store, mailbox);
  missive_store_emit_message_info (store, message);
  missive_store_emit_message_part (store, 1, NULL, data);
  missive_store_emit_header (store, 1, "Subject", "x");
  missive_store_emit_mailbox_changed (store, "INBOX", "exists", 3);
  missive_store_emit_mailbox_acl (store, "INBOX", "anyone", "lr");

  id = g_signal_connect (store, "header", G_CALLBACK (on_header), headers);
  g_assert_true (missive_store_has_header_listeners (store));
  missive_store_emit_header (store, 7, "Subject", "hi");
  g_assert_cmpstr (headers->str, ==, "7 Subject=hi;");
  g_signal_handler_block (store, id);
  /* A blocked handler does not count. */
  g_assert_false (missive_store_has_header_listeners (store));
  g_signal_handler_unblock (store, id);
  g_signal_handler_disconnect (store, id);
  g_assert_false (missive_store_has_header_listeners (store));

  g_signal_connect (store, "message-part", G_CALLBACK (on_message_part), parts);
  g_assert_true (missive_store_has_message_part_listeners (store));
  missive_store_emit_message_part (store, G_MAXUINT32, NULL, data);
  missive_store_emit_message_part (store, 2, "1.2", data);
  g_assert_cmpstr (parts->str, ==, "4294967295[]x2[1.2]x");

  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_mailbox_changed), changes);
  missive_store_emit_mailbox_changed (store, "INBOX", "vanished", 12);
  g_assert_cmpstr (changes->str, ==, "INBOX vanished 12;");

  g_signal_connect (store, "mailbox-acl", G_CALLBACK (on_mailbox_acl), acl);
  missive_store_emit_mailbox_acl (store, "INBOX", "anyone", "lr");
  g_assert_cmpstr (acl->str, ==, "INBOX anyone lr;");

  g_signal_connect (store, "mailbox-listed", G_CALLBACK (on_mailbox_listed), NULL);
  g_signal_connect (store, "message-info", G_CALLBACK (on_message_info), NULL);
  missive_store_emit_mailbox_listed (store, mailbox);
  missive_store_emit_message_info (store, message);
  g_assert_cmpuint (count_signal (store, "mailbox-listed"), ==, 1);
  g_assert_cmpuint (count_signal (store, "message-info"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/store/not-open", test_not_open);
  g_test_add_func ("/store/not-logged-in", test_not_logged_in);
  g_test_add_func ("/store/not-supported", test_not_supported);
  g_test_add_func ("/store/arguments", test_arguments);
  g_test_add_func ("/store/mailboxes", test_mailboxes);
  g_test_add_func ("/store/selected", test_selected);
  g_test_add_func ("/store/errors", test_connection_lost);
  g_test_add_func ("/store/messages", test_messages);
  g_test_add_func ("/store/extra", test_extra);
  g_test_add_func ("/store/async", test_async);
  g_test_add_func ("/store/mime-message", test_mime_message);
  g_test_add_func ("/store/signals", test_signals_without_listeners);

  return g_test_run ();
}
