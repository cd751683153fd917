/* missive-reconnector-resync.c: MissiveReconnector's reconnection: the
 * attempts with their back-off, the resynchronisation of the mailbox and
 * the report of what changed
 *
 * After resync_mailbox, the UIDs at or above the UIDNEXT known before
 * are looked up with one UID SEARCH: QRESYNC with known UIDs reports
 * changes to those UIDs only, so new messages would otherwise go unseen.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include "missive-reconnector-private.h"

typedef struct
{
  guint attempt;
  guint delay;
  GError *last_error;
  GSource *timer;
  GSource *cancel_source;
  /* What was known when the reconnection started. */
  char *mailbox;
  gboolean read_only;
  guint32 uid_validity;
  guint64 highest_modseq;
  guint32 uid_next;
  MissiveMessageSet *known;
  /* What resync_mailbox gave, while the new UIDs are looked up. */
  MissiveMailboxInfo *info;
  MissiveMessageSet *vanished;
  GListModel *changed;
} ReconnectOp;

static void
stop_waiting (ReconnectOp *op)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_clear_pointer (&op->timer, g_source_unref);
    }
  if (op->cancel_source != NULL)
    {
      g_source_destroy (op->cancel_source);
      g_clear_pointer (&op->cancel_source, g_source_unref);
    }
}

static void
reconnect_op_free (gpointer data)
{
  ReconnectOp *op = data;

  stop_waiting (op);
  g_clear_error (&op->last_error);
  g_free (op->mailbox);
  g_clear_pointer (&op->known, missive_message_set_unref);
  g_clear_object (&op->info);
  g_clear_pointer (&op->vanished, missive_message_set_unref);
  g_clear_object (&op->changed);
  g_free (op);
}

static void
finish_reconnect (GTask               *task,
                  MissiveResyncReport *report,
                  GError              *error)
{
  MissiveReconnector *self = g_task_get_source_object (task);

  self->busy = FALSE;
  if (report != NULL)
    g_task_return_pointer (task, report, g_object_unref);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/* Errors a new attempt cannot fix. */
static gboolean
error_is_final (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  if (error->domain != MISSIVE_ERROR)
    return FALSE;
  switch (error->code)
    {
    case MISSIVE_ERROR_INVALID_ARGUMENT:
    case MISSIVE_ERROR_INVALID_STATE:
    case MISSIVE_ERROR_UNKNOWN_SCHEME:
    case MISSIVE_ERROR_UNKNOWN_MECHANISM:
    case MISSIVE_ERROR_CERTIFICATE_REJECTED:
    case MISSIVE_ERROR_TLS_UNAVAILABLE:
    case MISSIVE_ERROR_STARTTLS_UNAVAILABLE:
    case MISSIVE_ERROR_AUTHENTICATION_FAILED:
    case MISSIVE_ERROR_MECHANISM_UNAVAILABLE:
    case MISSIVE_ERROR_NOT_SUPPORTED:
    case MISSIVE_ERROR_PLUGIN:
      return TRUE;
    default:
      return FALSE;
    }
}

static void start_attempt (GTask *task);

static gboolean
on_retry_timer (gpointer user_data)
{
  GTask *task = user_data;
  ReconnectOp *op = g_task_get_task_data (task);

  stop_waiting (op);
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  ReconnectOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  stop_waiting (op);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  finish_reconnect (task, NULL, error);
  return G_SOURCE_REMOVE;
}

/* An attempt failed with @error (transfer full): wait and try again, or
 * give up. */
static void
attempt_failed (GTask  *task,
                GError *error)
{
  MissiveReconnector *self = g_task_get_source_object (task);
  ReconnectOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (error_is_final (error))
    {
      finish_reconnect (task, NULL, error);
      return;
    }
  g_clear_error (&op->last_error);
  op->last_error = error;
  if (op->attempt >= self->max_attempts)
    {
      GError *final = g_steal_pointer (&op->last_error);

      g_prefix_error (&final, "Could not reconnect (%u attempt%s): ",
                      op->attempt, op->attempt == 1 ? "" : "s");
      finish_reconnect (task, NULL, final);
      return;
    }

  /* Holds the task until one of the two fires; each destroys both. */
  op->timer = g_timeout_source_new (op->delay);
  g_source_set_static_name (op->timer, "[missive] reconnect back-off");
  g_source_set_priority (op->timer, g_task_get_priority (task));
  g_source_set_callback (op->timer, on_retry_timer, task, NULL);
  g_source_attach (op->timer, g_task_get_context (task));
  if (cancellable != NULL)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (on_retry_cancelled), task, NULL);
      g_source_attach (op->cancel_source, g_task_get_context (task));
    }
  op->delay = (guint) MIN ((guint64) op->delay * 2, (guint64) MAX (self->max_delay, 1));
}

static gboolean
strv_has (const char * const *strv,
          const char         *word)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], word) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
store_enabled (MissiveStore *store,
               const char   *extension)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (store),
                                                    "enabled-extensions");
  g_auto(GStrv) enabled = NULL;

  if (pspec == NULL || pspec->value_type != G_TYPE_STRV)
    return FALSE;
  g_object_get (store, "enabled-extensions", &enabled, NULL);
  return strv_has ((const char * const *) enabled, extension);
}

typedef struct
{
  MissiveMessageSet *kept;
  MissiveMessageSet *vanished;
} KeepData;

static gboolean
keep_present (guint32  uid,
              gpointer user_data)
{
  KeepData *keep = user_data;

  if (!missive_message_set_contains (keep->vanished, uid))
    missive_message_set_add (keep->kept, uid);
  return TRUE;
}

typedef struct
{
  MissiveMessageSet *added;
  MissiveMessageSet *vanished;
  MissiveMessageSet *known;      /* nullable */
  guint32 uid_next;
} AddNewData;

static gboolean
add_new (guint32  uid,
         gpointer user_data)
{
  AddNewData *data = user_data;

  /* "n:*" also matches the last message when n is above every UID. */
  if (uid >= data->uid_next && !missive_message_set_contains (data->vanished, uid) &&
      (data->known == NULL || !missive_message_set_contains (data->known, uid)))
    missive_message_set_add (data->added, uid);
  return TRUE;
}

/* @found_new (nullable): what the UID SEARCH from the old UIDNEXT found. */
static void
report_changes (GTask             *task,
                MissiveMessageSet *found_new)
{
  MissiveReconnector *self = g_task_get_source_object (task);
  ReconnectOp *op = g_task_get_task_data (task);
  MissiveMailboxInfo *info = op->info;
  MissiveMessageSet *vanished = op->vanished;
  GListModel *changed = op->changed;
  MissiveStore *store = self->store;
  const char * const *caps = missive_service_get_capabilities (MISSIVE_SERVICE (store));
  guint32 uid_validity = missive_mailbox_info_get_uid_validity (info);
  gboolean compared = op->uid_validity != 0 && op->uid_validity == uid_validity;
  gboolean condstore = strv_has (caps, "CONDSTORE") || strv_has (caps, "QRESYNC");
  gboolean all_flags;
  gboolean qresync;
  g_autoptr(MissiveMessageSet) added = missive_message_set_new ();
  g_autoptr(GListStore) flag_changes = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  g_autoptr(MissiveResyncReport) report = NULL;
  guint n = g_list_model_get_n_items (changed);

  if (found_new != NULL)
    {
      AddNewData data = { added, vanished, op->known, op->uid_next };

      missive_message_set_foreach (found_new, add_new, &data);
    }

  all_flags = compared && (!condstore || op->highest_modseq == 0 ||
                           missive_mailbox_info_get_no_modseq (info));
  qresync = compared && op->highest_modseq > 0 && store_enabled (store, "QRESYNC");

  for (guint i = 0; compared && i < n; i++)
    {
      g_autoptr(MissiveMessageInfo) message = g_list_model_get_item (changed, i);
      guint uid = missive_message_info_get_uid (message);
      gboolean is_new;

      if (uid == 0 || missive_message_set_contains (vanished, uid))
        continue;
      if (op->known != NULL)
        is_new = !missive_message_set_contains (op->known, uid) &&
                 (op->uid_next == 0 || uid >= op->uid_next);
      else
        is_new = op->uid_next != 0 && uid >= op->uid_next;
      if (is_new || missive_message_set_contains (added, uid))
        missive_message_set_add (added, uid);
      else
        g_list_store_append (flag_changes, message);
    }

  /* What is known from now on. */
  self->uid_validity = uid_validity;
  self->highest_modseq = missive_mailbox_info_get_highest_modseq (info);
  self->uid_next = missive_mailbox_info_get_uid_next (info);
  self->read_only = op->read_only;
  g_clear_pointer (&self->known, missive_message_set_unref);
  if (compared && op->known != NULL)
    {
      KeepData keep = { missive_message_set_new (), vanished };

      /* Walks the known UIDs, never the server's set (which may be huge). */
      missive_message_set_foreach (op->known, keep_present, &keep);
      missive_message_set_add_set (keep.kept, added);
      self->known = keep.kept;
    }

  report = missive_resync_report_new (op->mailbox, info, vanished, added,
                                      G_LIST_MODEL (flag_changes),
                                      op->uid_validity != 0 && uid_validity != op->uid_validity,
                                      all_flags, qresync, op->attempt);

  /* The plugin has reported the vanished UIDs; the rest here. */
  self->busy = FALSE;
  if (!missive_message_set_is_empty (added))
    missive_store_emit_mailbox_changed (store, op->mailbox, "exists",
                                        missive_mailbox_info_get_messages (info));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (flag_changes)); i++)
    {
      g_autoptr(MissiveMessageInfo) message = g_list_model_get_item (G_LIST_MODEL (flag_changes), i);

      if (missive_message_info_get_sequence (message) > 0)
        missive_store_emit_mailbox_changed (store, op->mailbox, "fetch",
                                            missive_message_info_get_sequence (message));
    }
  finish_reconnect (task, g_steal_pointer (&report), NULL);
}

/* The resynchronisation failed with @error (transfer full). */
static void
step_failed (GTask  *task,
             GError *error)
{
  MissiveReconnector *self = g_task_get_source_object (task);

  /* Dropped again: another attempt; anything else is final. */
  if (self->store != NULL &&
      missive_service_get_state (MISSIVE_SERVICE (self->store)) == MISSIVE_SERVICE_STATE_DISCONNECTED &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    attempt_failed (task, error);
  else
    finish_reconnect (task, NULL, error);
}

static void
searched_new_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(MissiveMessageSet) found = NULL;
  GError *error = NULL;

  found = missive_store_search_finish (MISSIVE_STORE (source), result, &error);
  if (found == NULL)
    {
      step_failed (task, error);
      return;
    }
  report_changes (task, found);
}

static void
resynced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *store = MISSIVE_STORE (source);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) vanished = NULL;
  g_autoptr(GListModel) changed = NULL;
  GError *error = NULL;

  ReconnectOp *op = g_task_get_task_data (task);
  g_autoptr(MissiveSearchQuery) query = NULL;
  g_autoptr(MissiveMessageSet) from = NULL;
  guint32 uid_next;

  info = missive_store_resync_mailbox_finish (store, result, &vanished, &changed, &error);
  if (info == NULL)
    {
      step_failed (task, error);
      return;
    }
  op->info = g_steal_pointer (&info);
  op->vanished = g_steal_pointer (&vanished);
  op->changed = g_steal_pointer (&changed);

  /* Messages that arrived: only if the UIDs compare and the mailbox may
   * have new ones. */
  uid_next = missive_mailbox_info_get_uid_next (op->info);
  if (op->uid_validity == 0 || op->uid_next == 0 ||
      missive_mailbox_info_get_uid_validity (op->info) != op->uid_validity ||
      (uid_next != 0 && uid_next <= op->uid_next) ||
      missive_mailbox_info_get_messages (op->info) == 0 ||
      !missive_reconnector_store_uses_uids (store))
    {
      report_changes (task, NULL);
      return;
    }
  from = missive_message_set_new ();
  missive_message_set_add_range (from, op->uid_next, MISSIVE_MESSAGE_SET_STAR);
  query = missive_search_query_new ();
  missive_search_query_add_ids (query, from, TRUE);
  missive_store_search_async (store, query, g_task_get_priority (task),
                              g_task_get_cancellable (task), searched_new_cb, task);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  MissiveReconnector *self = g_task_get_source_object (task);
  ReconnectOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_service_open_finish (MISSIVE_SERVICE (source), result, &error))
    {
      attempt_failed (task, error);
      return;
    }
  if (self->store == NULL)
    {
      finish_reconnect (task, NULL, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                                                         "The store is gone"));
      return;
    }
  if (op->mailbox == NULL)
    {
      finish_reconnect (task,
                        missive_resync_report_new (NULL, NULL, NULL, NULL, NULL,
                                                   FALSE, FALSE, FALSE, op->attempt),
                        NULL);
      return;
    }
  missive_store_resync_mailbox_async (self->store, op->mailbox, op->read_only,
                                      op->uid_validity, op->highest_modseq, op->known,
                                      g_task_get_priority (task), g_task_get_cancellable (task),
                                      resynced_cb, task);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;

  /* Closed, whatever the server said to LOGOUT. */
  missive_service_close_finish (MISSIVE_SERVICE (source), result, NULL);
  missive_service_open_async (MISSIVE_SERVICE (source), g_task_get_priority (task),
                              g_task_get_cancellable (task), opened_cb, task);
}

static void
start_attempt (GTask *task)
{
  MissiveReconnector *self = g_task_get_source_object (task);
  ReconnectOp *op = g_task_get_task_data (task);
  MissiveServiceState state;

  if (g_task_return_error_if_cancelled (task))
    {
      self->busy = FALSE;
      g_object_unref (task);
      return;
    }
  if (self->store == NULL)
    {
      finish_reconnect (task, NULL, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                                                         "The store is gone"));
      return;
    }
  op->attempt++;
  missive_reconnector_emit_reconnecting (self, op->attempt);

  state = missive_service_get_state (MISSIVE_SERVICE (self->store));
  if (state == MISSIVE_SERVICE_STATE_DISCONNECTED)
    missive_service_open_async (MISSIVE_SERVICE (self->store), g_task_get_priority (task),
                                g_task_get_cancellable (task), opened_cb, task);
  else if (state == MISSIVE_SERVICE_STATE_CONNECTED || state == MISSIVE_SERVICE_STATE_AUTHENTICATED)
    missive_service_close_async (MISSIVE_SERVICE (self->store), g_task_get_priority (task),
                                 NULL, closed_cb, task);
  else
    finish_reconnect (task, NULL,
                      g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                                           "The store is being opened or closed"));
}

/**
 * missive_reconnector_reconnect_async:
 * @self: a reconnector
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the store is back, or the
 *   reconnection failed
 * @user_data: data for @callback
 *
 * Opens the store again (closing it first if it is still open),
 * authenticates, selects the mailbox that was selected and reports what
 * changed in it, as described for [class@Reconnector]. A store that is
 * being opened or closed fails with %MISSIVE_ERROR_INVALID_STATE.
 *
 * Since: 1.0
 */
void
missive_reconnector_reconnect_async (MissiveReconnector  *self,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  ReconnectOp *op;

  g_return_if_fail (MISSIVE_IS_RECONNECTOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_reconnector_reconnect_async);
  g_task_set_priority (task, io_priority);
  if (self->store == NULL || self->busy)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               self->store == NULL ? "The store is gone"
                                                   : "The reconnector is busy");
      g_object_unref (task);
      return;
    }
  op = g_new0 (ReconnectOp, 1);
  op->delay = self->initial_delay;
  op->mailbox = g_strdup (self->mailbox);
  op->read_only = self->read_only;
  op->uid_validity = self->uid_validity;
  op->highest_modseq = self->highest_modseq;
  op->uid_next = self->uid_next;
  op->known = self->known != NULL ? missive_message_set_copy (self->known) : NULL;
  g_task_set_task_data (task, op, reconnect_op_free);
  self->busy = TRUE;
  start_attempt (task);
}

/**
 * missive_reconnector_reconnect_finish:
 * @self: a reconnector
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Reconnector.reconnect_async].
 *
 * Returns: (transfer full) (nullable): what changed while the
 *   connection was down, or %NULL on error
 *
 * Since: 1.0
 */
MissiveResyncReport *
missive_reconnector_reconnect_finish (MissiveReconnector  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_reconnect (gpointer             source,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             start_data)
{
  missive_reconnector_reconnect_async (source, G_PRIORITY_DEFAULT, cancellable,
                                       callback, user_data);
}

/**
 * missive_reconnector_reconnect:
 * @self: a reconnector
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the store again and reports what changed, blocking. See
 * [method@Reconnector.reconnect_async].
 *
 * Returns: (transfer full) (nullable): what changed while the
 *   connection was down, or %NULL on error
 *
 * Since: 1.0
 */
MissiveResyncReport *
missive_reconnector_reconnect (MissiveReconnector  *self,
                               GCancellable        *cancellable,
                               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);

  result = missive_run_sync (self, start_reconnect, NULL, cancellable);
  return missive_reconnector_reconnect_finish (self, result, error);
}
