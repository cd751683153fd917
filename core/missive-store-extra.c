/* missive-store-extra.c: MissiveStore's idle, quota and access control
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-store-private.h"

/* ---- idle ---------------------------------------------------------------- */

static void
idle_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->idle_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_idle_async: (virtual idle_async)
 * @self: a store
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the wait is over
 * @user_data: data for @callback
 *
 * Waits for news from the server about the selected mailbox (IMAP IDLE,
 * or polling where the server has no IDLE) until [method@Store.stop_idle]
 * is called, which ends the wait successfully. Cancelling @cancellable
 * ends it with %G_IO_ERROR_CANCELLED. What the server reports meanwhile is
 * emitted by [signal@Store::mailbox-changed] and
 * [signal@Store::message-info].
 *
 * Since: 1.0
 */
void
missive_store_idle_async (MissiveStore        *self,
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
  task = missive_store_begin_operation (self, missive_store_idle_async,
                                        klass->idle_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->idle_async (self, io_priority, cancellable, idle_cb, task);
}

/**
 * missive_store_idle_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.idle_async].
 *
 * Returns: %TRUE when [method@Store.stop_idle] ended the wait, %FALSE on
 *   error
 *
 * Since: 1.0
 */
gboolean
missive_store_idle_finish (MissiveStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_idle_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_idle (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_store_idle_async (source, G_PRIORITY_DEFAULT, cancellable, callback,
                            user_data);
}

/**
 * missive_store_idle:
 * @self: a store
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits for news from the server, blocking. See [method@Store.idle_async].
 *
 * Returns: %TRUE when [method@Store.stop_idle] ended the wait, %FALSE on
 *   error
 *
 * Since: 1.0
 */
gboolean
missive_store_idle (MissiveStore  *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  result = missive_run_sync (self, start_idle, NULL, cancellable);
  return missive_store_idle_finish (self, result, error);
}

/**
 * missive_store_stop_idle: (virtual stop_idle)
 * @self: a store
 *
 * Asks a running [method@Store.idle_async] to finish: it completes
 * successfully as soon as the server has acknowledged the end of the wait.
 * Does nothing when no idle is running. Safe to call from a signal handler
 * of @self.
 *
 * Since: 1.0
 */
void
missive_store_stop_idle (MissiveStore *self)
{
  MissiveStoreClass *klass;

  g_return_if_fail (MISSIVE_IS_STORE (self));

  klass = MISSIVE_STORE_GET_CLASS (self);
  if (klass->stop_idle != NULL)
    klass->stop_idle (self);
}

/* ---- get_quota ----------------------------------------------------------- */

static void
get_quota_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_quota_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_get_quota_async: (virtual get_quota_async)
 * @self: a store
 * @mailbox: the mailbox whose quotas are wanted
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the quotas
 * @user_data: data for @callback
 *
 * Gets the quota roots that apply to a mailbox, with their usage and limits
 * (IMAP GETQUOTAROOT, RFC 9208).
 *
 * Since: 1.0
 */
void
missive_store_get_quota_async (MissiveStore        *self,
                               const char          *mailbox,
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
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_get_quota_async,
                                        klass->get_quota_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_quota_async (self, mailbox, io_priority, cancellable, get_quota_cb,
                          task);
}

/**
 * missive_store_get_quota_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_quota_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@Quota],
 *   possibly empty, or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_get_quota_finish (MissiveStore  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_quota_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
} GetQuotaArgs;

static void
start_get_quota (gpointer             source,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             start_data)
{
  GetQuotaArgs *args = start_data;

  missive_store_get_quota_async (source, args->mailbox, G_PRIORITY_DEFAULT,
                                 cancellable, callback, user_data);
}

/**
 * missive_store_get_quota:
 * @self: a store
 * @mailbox: the mailbox whose quotas are wanted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the quotas of a mailbox, blocking. See
 * [method@Store.get_quota_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@Quota],
 *   possibly empty, or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_get_quota (MissiveStore  *self,
                         const char    *mailbox,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GetQuotaArgs args = { mailbox };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_get_quota, &args, cancellable);
  return missive_store_get_quota_finish (self, result, error);
}

/* ---- get_acl ------------------------------------------------------------- */

static void
get_acl_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_acl_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_get_acl_async: (virtual get_acl_async)
 * @self: a store
 * @mailbox: the mailbox
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the list
 * @user_data: data for @callback
 *
 * Gets the access control list of a mailbox (IMAP GETACL, RFC 4314). Each
 * entry is also reported by [signal@Store::mailbox-acl].
 *
 * Since: 1.0
 */
void
missive_store_get_acl_async (MissiveStore        *self,
                             const char          *mailbox,
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
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_get_acl_async,
                                        klass->get_acl_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_acl_async (self, mailbox, io_priority, cancellable, get_acl_cb,
                        task);
}

/**
 * missive_store_get_acl_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_acl_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@AclEntry],
 *   or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_get_acl_finish (MissiveStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_acl_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
} GetAclArgs;

static void
start_get_acl (gpointer             source,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             start_data)
{
  GetAclArgs *args = start_data;

  missive_store_get_acl_async (source, args->mailbox, G_PRIORITY_DEFAULT,
                               cancellable, callback, user_data);
}

/**
 * missive_store_get_acl:
 * @self: a store
 * @mailbox: the mailbox
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the access control list of a mailbox, blocking. See
 * [method@Store.get_acl_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@AclEntry],
 *   or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_get_acl (MissiveStore  *self,
                       const char    *mailbox,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GetAclArgs args = { mailbox };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_get_acl, &args, cancellable);
  return missive_store_get_acl_finish (self, result, error);
}

/* ---- set_acl ------------------------------------------------------------- */

static void
set_acl_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->set_acl_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_set_acl_async: (virtual set_acl_async)
 * @self: a store
 * @mailbox: the mailbox
 * @identifier: whom to grant the rights, e.g. a user name or "anyone"
 * @rights: (nullable): the rights as RFC 4314 letters, with a leading "+"
 *   or "-" to add to or remove from the current ones; %NULL removes the
 *   identifier's entry (IMAP DELETEACL)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Grants rights on a mailbox, or removes an identifier's entry from its
 * access control list (IMAP SETACL, DELETEACL).
 *
 * Since: 1.0
 */
void
missive_store_set_acl_async (MissiveStore        *self,
                             const char          *mailbox,
                             const char          *identifier,
                             const char          *rights,
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
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  missive_store_check_name (identifier, "identifier", TRUE, &error);
  missive_store_check_name (rights, "rights", FALSE, &error);
  task = missive_store_begin_operation (self, missive_store_set_acl_async,
                                        klass->set_acl_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->set_acl_async (self, mailbox, identifier, rights, io_priority,
                        cancellable, set_acl_cb, task);
}

/**
 * missive_store_set_acl_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.set_acl_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_set_acl_finish (MissiveStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_set_acl_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
  const char *identifier;
  const char *rights;
} SetAclArgs;

static void
start_set_acl (gpointer             source,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             start_data)
{
  SetAclArgs *args = start_data;

  missive_store_set_acl_async (source, args->mailbox, args->identifier,
                               args->rights, G_PRIORITY_DEFAULT, cancellable,
                               callback, user_data);
}

/**
 * missive_store_set_acl:
 * @self: a store
 * @mailbox: the mailbox
 * @identifier: whom to grant the rights, e.g. a user name or "anyone"
 * @rights: (nullable): the rights as RFC 4314 letters, with a leading "+"
 *   or "-" to add to or remove from the current ones; %NULL removes the
 *   identifier's entry (IMAP DELETEACL)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Changes the access control list of a mailbox, blocking. See
 * [method@Store.set_acl_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_set_acl (MissiveStore  *self,
                       const char    *mailbox,
                       const char    *identifier,
                       const char    *rights,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SetAclArgs args = { mailbox, identifier, rights };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  result = missive_run_sync (self, start_set_acl, &args, cancellable);
  return missive_store_set_acl_finish (self, result, error);
}

/* ---- get_my_rights ------------------------------------------------------- */

static void
get_my_rights_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  char *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_my_rights_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_free);
  g_object_unref (task);
}

/**
 * missive_store_get_my_rights_async: (virtual get_my_rights_async)
 * @self: a store
 * @mailbox: the mailbox
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the rights
 * @user_data: data for @callback
 *
 * Gets the rights the logged-in user has on a mailbox (IMAP MYRIGHTS, RFC
 * 4314).
 *
 * Since: 1.0
 */
void
missive_store_get_my_rights_async (MissiveStore        *self,
                                   const char          *mailbox,
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
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_get_my_rights_async,
                                        klass->get_my_rights_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_my_rights_async (self, mailbox, io_priority, cancellable,
                              get_my_rights_cb, task);
}

/**
 * missive_store_get_my_rights_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_my_rights_async].
 *
 * Returns: (transfer full) (nullable): the rights as RFC 4314 letters, or
 *   %NULL on error
 *
 * Since: 1.0
 */
char *
missive_store_get_my_rights_finish (MissiveStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_my_rights_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
} GetMyRightsArgs;

static void
start_get_my_rights (gpointer             source,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             start_data)
{
  GetMyRightsArgs *args = start_data;

  missive_store_get_my_rights_async (source, args->mailbox, G_PRIORITY_DEFAULT,
                                     cancellable, callback, user_data);
}

/**
 * missive_store_get_my_rights:
 * @self: a store
 * @mailbox: the mailbox
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the logged-in user's rights on a mailbox, blocking. See
 * [method@Store.get_my_rights_async].
 *
 * Returns: (transfer full) (nullable): the rights as RFC 4314 letters, or
 *   %NULL on error
 *
 * Since: 1.0
 */
char *
missive_store_get_my_rights (MissiveStore  *self,
                             const char    *mailbox,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GetMyRightsArgs args = { mailbox };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_get_my_rights, &args, cancellable);
  return missive_store_get_my_rights_finish (self, result, error);
}
