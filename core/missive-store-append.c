/* missive-store-append.c: MissiveStore's append of several messages
 * (MULTIAPPEND), REPLACE and Gmail labels
 *
 * The public wrappers: argument checks, then the plugin's virtual method.
 * A plugin without append_messages gets one append_message per item.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-store-private.h"

static gboolean
check_items (GPtrArray  *items,
             GError    **error)
{
  if (*error != NULL)
    return FALSE;
  if (items->len == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "There are no messages to add");
      return FALSE;
    }
  for (guint i = 0; i < items->len; i++)
    {
      if (!MISSIVE_IS_APPEND_ITEM (items->pdata[i]))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "Item %u is not a MissiveAppendItem", i);
          return FALSE;
        }
      if (!missive_store_check_flags (missive_append_item_get_flags (items->pdata[i]), FALSE, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_message_id (guint32   message_id,
                  GError  **error)
{
  if (*error != NULL)
    return FALSE;
  if (message_id == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The message id cannot be 0");
      return FALSE;
    }
  return TRUE;
}

/* Gmail labels: any text without CR or LF (sent quoted when needed);
 * @required: at least one. */
static gboolean
check_labels (const char * const  *labels,
              gboolean             required,
              GError             **error)
{
  if (*error != NULL)
    return FALSE;
  if (required && (labels == NULL || labels[0] == NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "At least one label is needed");
      return FALSE;
    }
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      if (!missive_store_check_name (labels[i], "label", TRUE, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- append_messages --------------------------------------------------------- */

/* The fallback: one append_message per item, in order. */
typedef struct
{
  char *mailbox;
  GPtrArray *items;
  guint next;
  guint32 uid_validity;
  gboolean all_uids;          /* every append so far gave its UID */
  MissiveMessageSet *uids;
} AppendEach;

static void
append_each_free (gpointer data)
{
  AppendEach *ae = data;

  g_free (ae->mailbox);
  g_ptr_array_unref (ae->items);
  g_clear_pointer (&ae->uids, missive_message_set_unref);
  g_free (ae);
}

static void append_each_next (GTask *task);

static void
append_each_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  AppendEach *ae = g_task_get_task_data (task);
  g_autoptr(MissiveUidMap) map = NULL;
  MissiveMessageSet *destination;
  GError *error = NULL;

  map = MISSIVE_STORE_GET_CLASS (self)->append_message_finish (self, result, &error);
  if (map == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  destination = missive_uid_map_get_destination (map);
  if (missive_uid_map_get_uid_validity (map) == 0 || destination == NULL ||
      (ae->uid_validity != 0 && missive_uid_map_get_uid_validity (map) != ae->uid_validity))
    ae->all_uids = FALSE;
  else
    {
      ae->uid_validity = missive_uid_map_get_uid_validity (map);
      missive_message_set_add_set (ae->uids, destination);
    }
  append_each_next (task);
}

static void
append_each_next (GTask *task)
{
  MissiveStore *self = g_task_get_source_object (task);
  AppendEach *ae = g_task_get_task_data (task);
  MissiveAppendItem *item;

  if (ae->next == ae->items->len)
    {
      if (ae->all_uids && ae->uid_validity != 0)
        g_task_return_pointer (task, missive_uid_map_new (ae->uid_validity, NULL, ae->uids),
                               g_object_unref);
      else
        g_task_return_pointer (task, missive_uid_map_new (0, NULL, NULL), g_object_unref);
      g_object_unref (task);
      return;
    }
  item = ae->items->pdata[ae->next++];
  MISSIVE_STORE_GET_CLASS (self)->append_message_async (self, ae->mailbox,
                                                        missive_append_item_get_stream (item),
                                                        missive_append_item_get_size (item),
                                                        missive_append_item_get_flags (item),
                                                        missive_append_item_get_internal_date (item),
                                                        g_task_get_priority (task),
                                                        g_task_get_cancellable (task),
                                                        append_each_cb, task);
}

static void
append_each_start (GTask      *task,
                   const char *mailbox,
                   GPtrArray  *items)
{
  AppendEach *ae = g_new0 (AppendEach, 1);

  ae->mailbox = g_strdup (mailbox);
  ae->items = g_ptr_array_ref (items);
  ae->uids = missive_message_set_new ();
  ae->all_uids = TRUE;
  g_task_set_task_data (task, ae, append_each_free);
  append_each_next (task);
}

typedef struct
{
  char *mailbox;
  GPtrArray *items;
} AppendAll;

static void
append_all_free (gpointer data)
{
  AppendAll *aa = data;

  g_free (aa->mailbox);
  g_ptr_array_unref (aa->items);
  g_free (aa);
}

static void
append_messages_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveUidMap *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->append_messages_finish (self, result, &error);
  if (value == NULL)
    {
      AppendAll *aa = g_task_get_task_data (task);

      /* The plugin cannot send them together (IMAP without MULTIAPPEND):
       * it said so before sending anything. */
      if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED) &&
          MISSIVE_STORE_GET_CLASS (self)->append_message_async != NULL)
        {
          g_autofree char *mailbox = g_strdup (aa->mailbox);
          g_autoptr(GPtrArray) items = g_ptr_array_ref (aa->items);

          g_error_free (error);
          append_each_start (task, mailbox, items);
          return;
        }
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_append_messages_async: (virtual append_messages_async)
 * @self: a store
 * @mailbox: the mailbox to add to
 * @items: (element-type MissiveAppendItem): the messages, in order
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Adds several messages to a mailbox. IMAP sends them in one command
 * where the server offers MULTIAPPEND (RFC 3502), so that either all or
 * none are added; otherwise one APPEND each, and a failure leaves the
 * messages before it in the mailbox. Each item's stream is read once.
 *
 * The map's destination holds the new UIDs (UIDPLUS), in the order of
 * @items; it is empty without UIDPLUS.
 *
 * Since: 1.0
 */
void
missive_store_append_messages_async (MissiveStore        *self,
                                     const char          *mailbox,
                                     GPtrArray           *items,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (items != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  check_items (items, &error);
  task = missive_store_begin_operation (self, missive_store_append_messages_async,
                                        klass->append_messages_async != NULL ||
                                        klass->append_message_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  if (klass->append_messages_async == NULL)
    {
      append_each_start (task, mailbox, items);
      return;
    }
  {
    AppendAll *aa = g_new0 (AppendAll, 1);

    aa->mailbox = g_strdup (mailbox);
    aa->items = g_ptr_array_ref (items);
    g_task_set_task_data (task, aa, append_all_free);
  }
  klass->append_messages_async (self, mailbox, items, io_priority,
                                cancellable, append_messages_cb, task);
}

/**
 * missive_store_append_messages_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.append_messages_async].
 *
 * Returns: (transfer full) (nullable): the new UIDs, or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_append_messages_finish (MissiveStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_append_messages_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
  GPtrArray *items;
} AppendMessagesArgs;

static void
start_append_messages (gpointer             source,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data,
                       gpointer             start_data)
{
  AppendMessagesArgs *args = start_data;

  missive_store_append_messages_async (source, args->mailbox, args->items,
                                       G_PRIORITY_DEFAULT, cancellable,
                                       callback, user_data);
}

/**
 * missive_store_append_messages:
 * @self: a store
 * @mailbox: the mailbox to add to
 * @items: (element-type MissiveAppendItem): the messages, in order
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds several messages, blocking. See [method@Store.append_messages_async].
 *
 * Returns: (transfer full) (nullable): the new UIDs, or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_append_messages (MissiveStore  *self,
                               const char    *mailbox,
                               GPtrArray     *items,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  AppendMessagesArgs args = { mailbox, items };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  result = missive_run_sync (self, start_append_messages, &args, cancellable);
  return missive_store_append_messages_finish (self, result, error);
}

/* ---- replace_message --------------------------------------------------------- */

static void
replace_message_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveUidMap *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->replace_message_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_replace_message_async: (virtual replace_message_async)
 * @self: a store
 * @message_id: the message of the selected mailbox to replace (a UID or
 *   sequence number as the store's ids are)
 * @mailbox: where the new message goes (usually the selected mailbox)
 * @item: the new message
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Replaces a message of the selected mailbox with a new one, e.g. a
 * draft being edited (IMAP REPLACE, RFC 8508, in one atomic step where
 * offered). Without REPLACE, IMAP appends the new message, then marks
 * the old one \Deleted and expunges it (UID EXPUNGE where offered; else
 * the old message stays marked \Deleted).
 *
 * Since: 1.0
 */
void
missive_store_replace_message_async (MissiveStore        *self,
                                     guint32              message_id,
                                     const char          *mailbox,
                                     MissiveAppendItem   *item,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (MISSIVE_IS_APPEND_ITEM (item));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  check_message_id (message_id, &error);
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  missive_store_check_flags (missive_append_item_get_flags (item), FALSE, &error);
  task = missive_store_begin_operation (self, missive_store_replace_message_async,
                                        klass->replace_message_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->replace_message_async (self, message_id, mailbox, item, io_priority,
                                cancellable, replace_message_cb, task);
}

/**
 * missive_store_replace_message_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.replace_message_async].
 *
 * Returns: (transfer full) (nullable): the new message's UID (empty
 *   without UIDPLUS), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_replace_message_finish (MissiveStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_replace_message_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  guint32 message_id;
  const char *mailbox;
  MissiveAppendItem *item;
} ReplaceMessageArgs;

static void
start_replace_message (gpointer             source,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data,
                       gpointer             start_data)
{
  ReplaceMessageArgs *args = start_data;

  missive_store_replace_message_async (source, args->message_id,
                                       args->mailbox, args->item,
                                       G_PRIORITY_DEFAULT, cancellable,
                                       callback, user_data);
}

/**
 * missive_store_replace_message:
 * @self: a store
 * @message_id: the message of the selected mailbox to replace (a UID or
 *   sequence number as the store's ids are)
 * @mailbox: where the new message goes (usually the selected mailbox)
 * @item: the new message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Replaces a message, blocking. See [method@Store.replace_message_async].
 *
 * Returns: (transfer full) (nullable): the new message's UID (empty
 *   without UIDPLUS), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_replace_message (MissiveStore       *self,
                               guint32             message_id,
                               const char         *mailbox,
                               MissiveAppendItem  *item,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ReplaceMessageArgs args = { message_id, mailbox, item };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (MISSIVE_IS_APPEND_ITEM (item), NULL);

  result = missive_run_sync (self, start_replace_message, &args, cancellable);
  return missive_store_replace_message_finish (self, result, error);
}

/* ---- set_gmail_labels -------------------------------------------------------- */

static void
set_gmail_labels_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->set_gmail_labels_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_set_gmail_labels_async: (virtual set_gmail_labels_async)
 * @self: a store
 * @set: the messages
 * @change: add, remove or replace
 * @labels: (array zero-terminated=1) (nullable): the labels, e.g. "Work" or
 *   "\Important"; %NULL or empty only to replace with none
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Changes the Gmail labels of messages of the selected mailbox (STORE
 * X-GM-LABELS of Gmail's X-GM-EXT-1). Stores of servers other than
 * Gmail fail with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
void
missive_store_set_gmail_labels_async (MissiveStore        *self,
                                      MissiveMessageSet   *set,
                                      MissiveFlagChange    change,
                                      const char * const  *labels,
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
  missive_store_check_set (set, &error);
  check_labels (labels, change != MISSIVE_FLAG_CHANGE_REPLACE, &error);
  task = missive_store_begin_operation (self, missive_store_set_gmail_labels_async,
                                        klass->set_gmail_labels_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->set_gmail_labels_async (self, set, change, labels, io_priority,
                                 cancellable, set_gmail_labels_cb, task);
}

/**
 * missive_store_set_gmail_labels_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.set_gmail_labels_async].
 *
 * Returns: %TRUE on success, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
missive_store_set_gmail_labels_finish (MissiveStore  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_set_gmail_labels_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  MissiveMessageSet *set;
  MissiveFlagChange change;
  const char * const *labels;
} SetGmailLabelsArgs;

static void
start_set_gmail_labels (gpointer             source,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data,
                        gpointer             start_data)
{
  SetGmailLabelsArgs *args = start_data;

  missive_store_set_gmail_labels_async (source, args->set, args->change,
                                        args->labels, G_PRIORITY_DEFAULT,
                                        cancellable, callback, user_data);
}

/**
 * missive_store_set_gmail_labels:
 * @self: a store
 * @set: the messages
 * @change: add, remove or replace
 * @labels: (array zero-terminated=1) (nullable): the labels, e.g. "Work" or
 *   "\Important"; %NULL or empty only to replace with none
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Changes Gmail labels, blocking. See [method@Store.set_gmail_labels_async].
 *
 * Returns: %TRUE on success, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
missive_store_set_gmail_labels (MissiveStore        *self,
                                MissiveMessageSet   *set,
                                MissiveFlagChange    change,
                                const char * const  *labels,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SetGmailLabelsArgs args = { set, change, labels };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  result = missive_run_sync (self, start_set_gmail_labels, &args, cancellable);
  return missive_store_set_gmail_labels_finish (self, result, error);
}

