/* missive-store-thread.c: MissiveStore's conversations (THREAD), namespaces
 * and resynchronisation of a mailbox (QRESYNC)
 *
 * The public wrappers: argument checks, then the plugin's virtual method.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-store-private.h"

/* ---- thread ------------------------------------------------------------------ */

static void
thread_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->thread_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_thread_async: (virtual thread_async)
 * @self: a store
 * @algorithm: the threading algorithm the server offers: "REFERENCES",
 *   "ORDEREDSUBJECT", "REFS"
 * @query: which messages to group
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Searches the selected mailbox for the messages that match @query and
 * groups them into conversations (IMAP THREAD, RFC 5256). The result is
 * a forest: one [class@ThreadNode] per conversation, in the order the
 * algorithm defines (REFERENCES: by the date of each conversation's
 * first message), each with the replies below it. Ids are UIDs or
 * sequence numbers as for [method@Store.search].
 *
 * An algorithm the server does not offer (IMAP: no `THREAD=` capability
 * of that name) fails with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
void
missive_store_thread_async (MissiveStore        *self,
                            const char          *algorithm,
                            MissiveSearchQuery  *query,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (query));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (algorithm, "threading algorithm", TRUE, &error);
  if (error == NULL)
    missive_search_query_check (query, &error);
  task = missive_store_begin_operation (self, missive_store_thread_async,
                                        klass->thread_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->thread_async (self, algorithm, query, io_priority, cancellable,
                       thread_cb, task);
}

/**
 * missive_store_thread_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.thread_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@ThreadNode],
 *   the roots of the conversations, or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_thread_finish (MissiveStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_thread_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *algorithm;
  MissiveSearchQuery *query;
} ThreadArgs;

static void
start_thread (gpointer             source,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             start_data)
{
  ThreadArgs *args = start_data;

  missive_store_thread_async (source, args->algorithm, args->query,
                              G_PRIORITY_DEFAULT, cancellable, callback,
                              user_data);
}

/**
 * missive_store_thread:
 * @self: a store
 * @algorithm: the threading algorithm the server offers: "REFERENCES",
 *   "ORDEREDSUBJECT", "REFS"
 * @query: which messages to group
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Groups messages into conversations, blocking. See [method@Store.thread_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@ThreadNode],
 *   the roots of the conversations, or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_thread (MissiveStore        *self,
                      const char          *algorithm,
                      MissiveSearchQuery  *query,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ThreadArgs args = { algorithm, query };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (query), NULL);

  result = missive_run_sync (self, start_thread, &args, cancellable);
  return missive_store_thread_finish (self, result, error);
}

/* ---- get_namespaces ---------------------------------------------------------- */

static void
get_namespaces_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_namespaces_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_get_namespaces_async: (virtual get_namespaces_async)
 * @self: a store
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Gets the server's namespaces (IMAP NAMESPACE, RFC 2342): where the
 * user's own mailboxes, other users' mailboxes and shared mailboxes are,
 * as name prefixes with their hierarchy separators. Personal namespaces
 * come first, then other users', then shared ones.
 *
 * An IMAP server without NAMESPACE gets one personal namespace with the
 * empty prefix and the separator its LIST command reports.
 *
 * Since: 1.0
 */
void
missive_store_get_namespaces_async (MissiveStore        *self,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  task = missive_store_begin_operation (self, missive_store_get_namespaces_async,
                                        klass->get_namespaces_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_namespaces_async (self, io_priority, cancellable,
                               get_namespaces_cb, task);
}

/**
 * missive_store_get_namespaces_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_namespaces_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@Namespace],
 *   or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_get_namespaces_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_namespaces_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_get_namespaces (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  missive_store_get_namespaces_async (source, G_PRIORITY_DEFAULT, cancellable,
                                      callback, user_data);
}

/**
 * missive_store_get_namespaces:
 * @self: a store
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the server's namespaces, blocking. See [method@Store.get_namespaces_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@Namespace],
 *   or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_get_namespaces (MissiveStore  *self,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_get_namespaces, NULL, cancellable);
  return missive_store_get_namespaces_finish (self, result, error);
}

/* ---- resync_mailbox ------------------------------------------------------ */

typedef struct
{
  char *name;
  MissiveMailboxInfo *info;
  MissiveMessageSet *vanished;
  GListModel *changed;
} Resync;

static void
resync_free (gpointer data)
{
  Resync *resync = data;

  g_free (resync->name);
  g_clear_object (&resync->info);
  g_clear_pointer (&resync->vanished, missive_message_set_unref);
  g_clear_object (&resync->changed);
  g_free (resync);
}

static void
resync_mailbox_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  Resync *resync = g_task_get_task_data (task);
  GError *error = NULL;

  resync->info = MISSIVE_STORE_GET_CLASS (self)->resync_mailbox_finish (self, result,
                                                                         &resync->vanished,
                                                                         &resync->changed,
                                                                         &error);
  if (resync->info == NULL)
    {
      missive_store_set_selected_mailbox (self, NULL);
      missive_service_fail (task, error);
      return;
    }
  if (resync->vanished == NULL)
    resync->vanished = missive_message_set_new ();
  if (resync->changed == NULL)
    resync->changed = G_LIST_MODEL (g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO));
  missive_store_set_selected_mailbox (self, resync->name);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_resync_mailbox_async: (virtual resync_mailbox_async)
 * @self: a store
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @uid_validity: the UIDVALIDITY the application's copy of the mailbox
 *   belongs to, or 0 when it has none
 * @highest_modseq: the highest modification sequence the application has
 *   seen ([method@MailboxInfo.get_highest_modseq] of its last session), or
 *   0 when it has none
 * @known_uids: (nullable): the UIDs the application knows (best: every
 *   message of its copy, see below), or %NULL for all up to the highest
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the mailbox is selected
 * @user_data: data for @callback
 *
 * Selects a mailbox like [method@Store.select_mailbox] and tells what
 * changed since the application last saw it: the UIDs that disappeared,
 * and the messages whose flags changed (with UID, flags and modification
 * sequence). IMAP uses QRESYNC (RFC 7162) where the server has it enabled:
 * the SELECT command carries the known state and the server answers with
 * VANISHED (EARLIER) and FETCH responses; these are also reported by
 * [signal@Store::mailbox-changed] ("vanished") and
 * [signal@Store::message-info]. Without QRESYNC, IMAP selects, then
 * compares @known_uids with a UID SEARCH and fetches the flags (only
 * those changed since @highest_modseq where CONDSTORE is available).
 *
 * With QRESYNC, IMAP also sends the message sequence match data of RFC
 * 7162 (a few pairs of sequence number and UID, the n-th smallest of
 * @known_uids taken as message n), which lets the server report fewer
 * expunges; this assumes @known_uids lists every message the application
 * had. An application that passes only some of them turns it off with the
 * IMAP store's `resync-sequence-match` property.
 *
 * When the mailbox's UIDVALIDITY differs from @uid_validity (or that is
 * 0), nothing is compared: the caller must discard its copy and start
 * again; the returned info's [method@MailboxInfo.get_uid_validity] shows
 * it. The ids of the result are always UIDs.
 *
 * Since: 1.0
 */
void
missive_store_resync_mailbox_async (MissiveStore        *self,
                                    const char          *name,
                                    gboolean             read_only,
                                    guint32              uid_validity,
                                    guint64              highest_modseq,
                                    MissiveMessageSet   *known_uids,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;
  Resync *resync;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (name, "mailbox name", TRUE, &error);
  if (error == NULL && known_uids != NULL && missive_message_set_has_star (known_uids))
    g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "The known UIDs cannot hold \"*\"");
  task = missive_store_begin_operation (self, missive_store_resync_mailbox_async,
                                        klass->resync_mailbox_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;
  resync = g_new0 (Resync, 1);
  resync->name = g_strdup (name);
  g_task_set_task_data (task, resync, resync_free);

  klass->resync_mailbox_async (self, name, read_only, uid_validity, highest_modseq,
                               known_uids, io_priority, cancellable,
                               resync_mailbox_cb, task);
}

/**
 * missive_store_resync_mailbox_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @vanished: (out) (optional) (transfer full): the UIDs of known messages
 *   that are gone (empty when nothing was compared)
 * @changed: (out) (optional) (transfer full): a #GListModel of
 *   [class@MessageInfo], the messages whose flags changed (or, when
 *   nothing could be compared, none)
 * @error: return location for a #GError
 *
 * Finishes [method@Store.resync_mailbox_async].
 *
 * Returns: (transfer full) (nullable): the mailbox's state, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_resync_mailbox_finish (MissiveStore       *self,
                                     GAsyncResult       *result,
                                     MissiveMessageSet **vanished,
                                     GListModel        **changed,
                                     GError            **error)
{
  Resync *resync;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_resync_mailbox_async),
                        NULL);

  if (vanished != NULL)
    *vanished = NULL;
  if (changed != NULL)
    *changed = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  resync = g_task_get_task_data (G_TASK (result));
  if (vanished != NULL)
    *vanished = missive_message_set_ref (resync->vanished);
  if (changed != NULL)
    *changed = g_object_ref (resync->changed);
  return g_object_ref (resync->info);
}

typedef struct
{
  const char *name;
  gboolean read_only;
  guint32 uid_validity;
  guint64 highest_modseq;
  MissiveMessageSet *known_uids;
} ResyncArgs;

static void
start_resync_mailbox (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  ResyncArgs *args = start_data;

  missive_store_resync_mailbox_async (source, args->name, args->read_only,
                                      args->uid_validity, args->highest_modseq,
                                      args->known_uids, G_PRIORITY_DEFAULT,
                                      cancellable, callback, user_data);
}

/**
 * missive_store_resync_mailbox:
 * @self: a store
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @uid_validity: the UIDVALIDITY the application's copy belongs to, or 0
 * @highest_modseq: the highest modification sequence the application has
 *   seen, or 0
 * @known_uids: (nullable): the UIDs the application knows, or %NULL
 * @vanished: (out) (optional) (transfer full): the UIDs of known messages
 *   that are gone
 * @changed: (out) (optional) (transfer full): a #GListModel of
 *   [class@MessageInfo], the messages whose flags changed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Selects a mailbox and tells what changed, blocking. See
 * [method@Store.resync_mailbox_async].
 *
 * Returns: (transfer full) (nullable): the mailbox's state, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_resync_mailbox (MissiveStore        *self,
                              const char          *name,
                              gboolean             read_only,
                              guint32              uid_validity,
                              guint64              highest_modseq,
                              MissiveMessageSet   *known_uids,
                              MissiveMessageSet  **vanished,
                              GListModel         **changed,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ResyncArgs args = { name, read_only, uid_validity, highest_modseq, known_uids };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_resync_mailbox, &args, cancellable);
  return missive_store_resync_mailbox_finish (self, result, vanished, changed, error);
}
