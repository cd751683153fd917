/* missive-store-mailbox.c: MissiveStore's operations on mailboxes: list,
 * status, create, delete, rename, subscribe, select, close
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-store-private.h"

/* ---- list_mailboxes ------------------------------------------------------ */

static void
list_mailboxes_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->list_mailboxes_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_list_mailboxes_async: (virtual list_mailboxes_async)
 * @self: a store
 * @pattern: (nullable): the names to list, with `*` and `%` wildcards as in
 *   IMAP LIST; %NULL for all
 * @flags: what to list
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the listing is complete
 * @user_data: data for @callback
 *
 * Lists the mailboxes whose names match @pattern. Each one is also reported
 * by [signal@Store::mailbox-listed] as it arrives.
 *
 * Since: 1.0
 */
void
missive_store_list_mailboxes_async (MissiveStore        *self,
                                    const char          *pattern,
                                    MissiveListFlags     flags,
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
  missive_store_check_name (pattern, "pattern", FALSE, &error);
  task = missive_store_begin_operation (self, missive_store_list_mailboxes_async,
                                        klass->list_mailboxes_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->list_mailboxes_async (self, pattern != NULL ? pattern : "*", flags,
                               io_priority, cancellable, list_mailboxes_cb,
                               task);
}

/**
 * missive_store_list_mailboxes_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.list_mailboxes_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MailboxInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_list_mailboxes_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_list_mailboxes_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *pattern;
  MissiveListFlags flags;
} ListMailboxesArgs;

static void
start_list_mailboxes (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  ListMailboxesArgs *args = start_data;

  missive_store_list_mailboxes_async (source, args->pattern, args->flags,
                                      G_PRIORITY_DEFAULT, cancellable, callback,
                                      user_data);
}

/**
 * missive_store_list_mailboxes:
 * @self: a store
 * @pattern: (nullable): the names to list, with `*` and `%` wildcards as in
 *   IMAP LIST; %NULL for all
 * @flags: what to list
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists mailboxes, blocking. See [method@Store.list_mailboxes_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MailboxInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_list_mailboxes (MissiveStore      *self,
                              const char        *pattern,
                              MissiveListFlags   flags,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ListMailboxesArgs args = { pattern, flags };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_list_mailboxes, &args, cancellable);
  return missive_store_list_mailboxes_finish (self, result, error);
}

/* ---- get_mailbox_status -------------------------------------------------- */

static void
get_mailbox_status_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveMailboxInfo *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_mailbox_status_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_get_mailbox_status_async: (virtual get_mailbox_status_async)
 * @self: a store
 * @name: the mailbox's name
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the counters
 * @user_data: data for @callback
 *
 * Asks for the counters of a mailbox (messages, unseen, UID validity, next
 * UID, size, highest modification sequence) without selecting it (IMAP
 * STATUS). Do not use it on the selected mailbox: its counters come with
 * [signal@Store::mailbox-changed].
 *
 * Since: 1.0
 */
void
missive_store_get_mailbox_status_async (MissiveStore        *self,
                                        const char          *name,
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
  missive_store_check_name (name, "mailbox name", TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_get_mailbox_status_async,
                                        klass->get_mailbox_status_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_mailbox_status_async (self, name, io_priority, cancellable,
                                   get_mailbox_status_cb, task);
}

/**
 * missive_store_get_mailbox_status_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_mailbox_status_async].
 *
 * Returns: (transfer full) (nullable): the mailbox's counters, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_get_mailbox_status_finish (MissiveStore  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_mailbox_status_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *name;
} GetMailboxStatusArgs;

static void
start_get_mailbox_status (gpointer             source,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             start_data)
{
  GetMailboxStatusArgs *args = start_data;

  missive_store_get_mailbox_status_async (source, args->name,
                                          G_PRIORITY_DEFAULT, cancellable,
                                          callback, user_data);
}

/**
 * missive_store_get_mailbox_status:
 * @self: a store
 * @name: the mailbox's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks for the counters of a mailbox, blocking. See
 * [method@Store.get_mailbox_status_async].
 *
 * Returns: (transfer full) (nullable): the mailbox's counters, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_get_mailbox_status (MissiveStore  *self,
                                  const char    *name,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GetMailboxStatusArgs args = { name };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_get_mailbox_status, &args, cancellable);
  return missive_store_get_mailbox_status_finish (self, result, error);
}

/* ---- manage_mailbox ------------------------------------------------------ */

static void
manage_mailbox_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->manage_mailbox_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_manage_mailbox_async: (virtual manage_mailbox_async)
 * @self: a store
 * @action: what to do
 * @name: the mailbox's name
 * @new_name: (nullable): the new name, for %MISSIVE_MAILBOX_ACTION_RENAME
 *   only
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Creates, deletes, renames, subscribes or unsubscribes a mailbox. The
 * blocking conveniences [method@Store.create_mailbox],
 * [method@Store.delete_mailbox], [method@Store.rename_mailbox] and
 * [method@Store.subscribe_mailbox] call this.
 *
 * Since: 1.0
 */
void
missive_store_manage_mailbox_async (MissiveStore         *self,
                                    MissiveMailboxAction  action,
                                    const char           *name,
                                    const char           *new_name,
                                    int                   io_priority,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (action >= MISSIVE_MAILBOX_ACTION_CREATE && action <= MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (name, "mailbox name", TRUE, &error);
  missive_store_check_name (new_name, "new mailbox name",
                            action == MISSIVE_MAILBOX_ACTION_RENAME, &error);
  task = missive_store_begin_operation (self, missive_store_manage_mailbox_async,
                                        klass->manage_mailbox_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->manage_mailbox_async (self, action, name, new_name, io_priority,
                               cancellable, manage_mailbox_cb, task);
}

/**
 * missive_store_manage_mailbox_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.manage_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_manage_mailbox_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_manage_mailbox_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  MissiveMailboxAction action;
  const char *name;
  const char *new_name;
} ManageMailboxArgs;

static void
start_manage_mailbox (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  ManageMailboxArgs *args = start_data;

  missive_store_manage_mailbox_async (source, args->action, args->name,
                                      args->new_name, G_PRIORITY_DEFAULT,
                                      cancellable, callback, user_data);
}

/**
 * missive_store_manage_mailbox:
 * @self: a store
 * @action: what to do
 * @name: the mailbox's name
 * @new_name: (nullable): the new name, for %MISSIVE_MAILBOX_ACTION_RENAME
 *   only
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates, deletes, renames, subscribes or unsubscribes a mailbox,
 * blocking. See [method@Store.manage_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_manage_mailbox (MissiveStore          *self,
                              MissiveMailboxAction   action,
                              const char            *name,
                              const char            *new_name,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ManageMailboxArgs args = { action, name, new_name };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (action >= MISSIVE_MAILBOX_ACTION_CREATE && action <= MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE, FALSE);

  result = missive_run_sync (self, start_manage_mailbox, &args, cancellable);
  return missive_store_manage_mailbox_finish (self, result, error);
}

/* ---- select_mailbox ------------------------------------------------------ */

static void
select_mailbox_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveMailboxInfo *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->select_mailbox_finish (self, result, &error);
  if (value == NULL)
    {
      missive_store_set_selected_mailbox (self, NULL);
      missive_service_fail (task, error);
      return;
    }
  missive_store_set_selected_mailbox (self, g_task_get_task_data (task));
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_select_mailbox_async: (virtual select_mailbox_async)
 * @self: a store
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the mailbox is selected
 * @user_data: data for @callback
 *
 * Opens a mailbox for the operations that follow (fetching, flags,
 * searching, expunging). On success, [property@Store:selected-mailbox]
 * names it; when the server refuses, no mailbox is selected any more (as
 * IMAP has it).
 *
 * Since: 1.0
 */
void
missive_store_select_mailbox_async (MissiveStore        *self,
                                    const char          *name,
                                    gboolean             read_only,
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
  missive_store_check_name (name, "mailbox name", TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_select_mailbox_async,
                                        klass->select_mailbox_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;
  g_task_set_task_data (task, g_strdup (name), g_free);

  klass->select_mailbox_async (self, name, read_only, io_priority, cancellable,
                               select_mailbox_cb, task);
}

/**
 * missive_store_select_mailbox_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.select_mailbox_async].
 *
 * Returns: (transfer full) (nullable): what the server said about the
 *   mailbox (message counts, flags, UID validity), or %NULL on error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_select_mailbox_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_select_mailbox_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *name;
  gboolean read_only;
} SelectMailboxArgs;

static void
start_select_mailbox (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  SelectMailboxArgs *args = start_data;

  missive_store_select_mailbox_async (source, args->name, args->read_only,
                                      G_PRIORITY_DEFAULT, cancellable, callback,
                                      user_data);
}

/**
 * missive_store_select_mailbox:
 * @self: a store
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Selects a mailbox, blocking. See [method@Store.select_mailbox_async].
 *
 * Returns: (transfer full) (nullable): what the server said about the
 *   mailbox (message counts, flags, UID validity), or %NULL on error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_select_mailbox (MissiveStore  *self,
                              const char    *name,
                              gboolean       read_only,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SelectMailboxArgs args = { name, read_only };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_select_mailbox, &args, cancellable);
  return missive_store_select_mailbox_finish (self, result, error);
}

/* ---- close_mailbox ------------------------------------------------------- */

static void
close_mailbox_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->close_mailbox_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  missive_store_set_selected_mailbox (self, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_close_mailbox_async: (virtual close_mailbox_async)
 * @self: a store
 * @expunge: whether to remove the messages flagged \Deleted first (IMAP
 *   CLOSE) or not (UNSELECT)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the mailbox is closed
 * @user_data: data for @callback
 *
 * Closes the selected mailbox. Afterwards no mailbox is selected.
 *
 * Since: 1.0
 */
void
missive_store_close_mailbox_async (MissiveStore        *self,
                                   gboolean             expunge,
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
  task = missive_store_begin_operation (self, missive_store_close_mailbox_async,
                                        klass->close_mailbox_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->close_mailbox_async (self, expunge, io_priority, cancellable,
                              close_mailbox_cb, task);
}

/**
 * missive_store_close_mailbox_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.close_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_close_mailbox_finish (MissiveStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_close_mailbox_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  gboolean expunge;
} CloseMailboxArgs;

static void
start_close_mailbox (gpointer             source,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             start_data)
{
  CloseMailboxArgs *args = start_data;

  missive_store_close_mailbox_async (source, args->expunge, G_PRIORITY_DEFAULT,
                                     cancellable, callback, user_data);
}

/**
 * missive_store_close_mailbox:
 * @self: a store
 * @expunge: whether to remove the messages flagged \Deleted first (IMAP
 *   CLOSE) or not (UNSELECT)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the selected mailbox, blocking. See
 * [method@Store.close_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_close_mailbox (MissiveStore  *self,
                             gboolean       expunge,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  CloseMailboxArgs args = { expunge };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  result = missive_run_sync (self, start_close_mailbox, &args, cancellable);
  return missive_store_close_mailbox_finish (self, result, error);
}

/* ---- conveniences -------------------------------------------------------- */

/**
 * missive_store_create_mailbox:
 * @self: a store
 * @name: the new mailbox's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a mailbox, blocking. See [method@Store.manage_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_create_mailbox (MissiveStore  *self,
                              const char    *name,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return missive_store_manage_mailbox (self, MISSIVE_MAILBOX_ACTION_CREATE, name, NULL,
                                       cancellable, error);
}

/**
 * missive_store_delete_mailbox:
 * @self: a store
 * @name: the mailbox's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes a mailbox, blocking. See [method@Store.manage_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_delete_mailbox (MissiveStore  *self,
                              const char    *name,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return missive_store_manage_mailbox (self, MISSIVE_MAILBOX_ACTION_DELETE, name, NULL,
                                       cancellable, error);
}

/**
 * missive_store_rename_mailbox:
 * @self: a store
 * @name: the mailbox's name
 * @new_name: its new name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Renames a mailbox, blocking. See [method@Store.manage_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_rename_mailbox (MissiveStore  *self,
                              const char    *name,
                              const char    *new_name,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return missive_store_manage_mailbox (self, MISSIVE_MAILBOX_ACTION_RENAME, name, new_name,
                                       cancellable, error);
}

/**
 * missive_store_subscribe_mailbox:
 * @self: a store
 * @name: the mailbox's name
 * @subscribe: %TRUE to subscribe, %FALSE to unsubscribe
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds a mailbox to the subscriptions, or removes it, blocking. See
 * [method@Store.manage_mailbox_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_subscribe_mailbox (MissiveStore  *self,
                                 const char    *name,
                                 gboolean       subscribe,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  return missive_store_manage_mailbox (self,
                                       subscribe ? MISSIVE_MAILBOX_ACTION_SUBSCRIBE
                                                 : MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE,
                                       name, NULL, cancellable, error);
}
