/* missive-store-admin.c: MissiveStore's rights (LISTRIGHTS), quota roots
 * (GETQUOTA, SETQUOTA) and annotations (METADATA)
 *
 * The public wrappers: argument checks, then the plugin's virtual method.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-store-private.h"

/* Quota resource names are atoms ("STORAGE", "MESSAGE"). */
static gboolean
check_resources (MissiveQuota  *quota,
                 GError       **error)
{
  const char * const *names;

  if (*error != NULL)
    return FALSE;
  names = missive_quota_get_resources (quota);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      for (const char *p = names[i]; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
            {
              g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "\"%s\" is not a valid quota resource name", names[i]);
              return FALSE;
            }
        }
      if (names[i][0] == '\0')
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A quota resource name cannot be empty");
          return FALSE;
        }
    }
  return TRUE;
}

/* An annotation entry name: "/private/..." or "/shared/...", printable
 * ASCII without "*", "%" or quotes (RFC 5464 3.2). */
static gboolean
check_entry (const char  *entry,
             GError     **error)
{
  if (*error != NULL)
    return FALSE;
  if (entry == NULL ||
      (!g_str_has_prefix (entry, "/private/") && !g_str_has_prefix (entry, "/shared/")) ||
      g_str_has_suffix (entry, "/") || strstr (entry, "//") != NULL)
    goto bad;
  for (const char *p = entry; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f || strchr ("*%\"\\(){", *p) != NULL)
        goto bad;
    }
  return TRUE;

bad:
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
               "\"%s\" is not a valid annotation entry name (it must start with "
               "/private/ or /shared/)", entry != NULL ? entry : "(null)");
  return FALSE;
}

static gboolean
check_entries (const char * const  *entries,
               gboolean             required,
               GError             **error)
{
  if (*error != NULL)
    return FALSE;
  if (required && (entries == NULL || entries[0] == NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "At least one annotation entry is needed");
      return FALSE;
    }
  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      if (!check_entry (entries[i], error))
        return FALSE;
    }
  return TRUE;
}

/* ---- list_rights ------------------------------------------------------------- */

static void
list_rights_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GStrv value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->list_rights_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

/**
 * missive_store_list_rights_async: (virtual list_rights_async)
 * @self: a store
 * @mailbox: the mailbox
 * @identifier: whose rights: a user name, "anyone", ...
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Asks which rights @identifier can be granted on @mailbox (IMAP
 * LISTRIGHTS, RFC 4314), as RFC 4314 letters. The first string holds
 * the rights @identifier always has (possibly ""); each following one
 * a group of rights that can only be granted or revoked together (a
 * single letter when it is independent).
 *
 * Since: 1.0
 */
void
missive_store_list_rights_async (MissiveStore        *self,
                                 const char          *mailbox,
                                 const char          *identifier,
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
  task = missive_store_begin_operation (self, missive_store_list_rights_async,
                                        klass->list_rights_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->list_rights_async (self, mailbox, identifier, io_priority,
                            cancellable, list_rights_cb, task);
}

/**
 * missive_store_list_rights_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.list_rights_async].
 *
 * Returns: (transfer full) (nullable) (array zero-terminated=1): the
 *   rights always granted, then the groups, or %NULL on error
 *
 * Since: 1.0
 */
GStrv
missive_store_list_rights_finish (MissiveStore  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_list_rights_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
  const char *identifier;
} ListRightsArgs;

static void
start_list_rights (gpointer             source,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             start_data)
{
  ListRightsArgs *args = start_data;

  missive_store_list_rights_async (source, args->mailbox, args->identifier,
                                   G_PRIORITY_DEFAULT, cancellable, callback,
                                   user_data);
}

/**
 * missive_store_list_rights:
 * @self: a store
 * @mailbox: the mailbox
 * @identifier: whose rights: a user name, "anyone", ...
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks which rights can be granted, blocking. See [method@Store.list_rights_async].
 *
 * Returns: (transfer full) (nullable) (array zero-terminated=1): the
 *   rights always granted, then the groups, or %NULL on error
 *
 * Since: 1.0
 */
GStrv
missive_store_list_rights (MissiveStore  *self,
                           const char    *mailbox,
                           const char    *identifier,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ListRightsArgs args = { mailbox, identifier };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_list_rights, &args, cancellable);
  return missive_store_list_rights_finish (self, result, error);
}

/* ---- get_quota_by_root ------------------------------------------------------- */

static void
get_quota_by_root_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveQuota *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_quota_by_root_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_get_quota_by_root_async: (virtual get_quota_by_root_async)
 * @self: a store
 * @root: the quota root, as [method@Quota.get_root] names it ("" is a valid
 *   root)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Gets the usage and limits of one quota root (IMAP GETQUOTA, RFC
 * 9208), e.g. one that [method@Store.get_quota] named.
 *
 * Since: 1.0
 */
void
missive_store_get_quota_by_root_async (MissiveStore        *self,
                                       const char          *root,
                                       int                  io_priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (root != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (root, "quota root", FALSE, &error);
  task = missive_store_begin_operation (self, missive_store_get_quota_by_root_async,
                                        klass->get_quota_by_root_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_quota_by_root_async (self, root, io_priority, cancellable,
                                  get_quota_by_root_cb, task);
}

/**
 * missive_store_get_quota_by_root_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_quota_by_root_async].
 *
 * Returns: (transfer full) (nullable): the quota, or %NULL on error
 *
 * Since: 1.0
 */
MissiveQuota *
missive_store_get_quota_by_root_finish (MissiveStore  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_quota_by_root_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *root;
} GetQuotaByRootArgs;

static void
start_get_quota_by_root (gpointer             source,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data,
                         gpointer             start_data)
{
  GetQuotaByRootArgs *args = start_data;

  missive_store_get_quota_by_root_async (source, args->root,
                                         G_PRIORITY_DEFAULT, cancellable,
                                         callback, user_data);
}

/**
 * missive_store_get_quota_by_root:
 * @self: a store
 * @root: the quota root, as [method@Quota.get_root] names it ("" is a valid
 *   root)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets one quota root, blocking. See [method@Store.get_quota_by_root_async].
 *
 * Returns: (transfer full) (nullable): the quota, or %NULL on error
 *
 * Since: 1.0
 */
MissiveQuota *
missive_store_get_quota_by_root (MissiveStore  *self,
                                 const char    *root,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GetQuotaByRootArgs args = { root };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (root != NULL, NULL);

  result = missive_run_sync (self, start_get_quota_by_root, &args, cancellable);
  return missive_store_get_quota_by_root_finish (self, result, error);
}

/* ---- set_quota --------------------------------------------------------------- */

static void
set_quota_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->set_quota_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_set_quota_async: (virtual set_quota_async)
 * @self: a store
 * @quota: the root and the new limits (usage is ignored); without
 *   resources, every limit of the root is removed
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Changes the limits of a quota root (IMAP SETQUOTA, RFC 9208). Usually
 * only administrators may; others get %MISSIVE_ERROR_SERVER_NO.
 *
 * Since: 1.0
 */
void
missive_store_set_quota_async (MissiveStore        *self,
                               MissiveQuota        *quota,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (MISSIVE_IS_QUOTA (quota));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (missive_quota_get_root (quota), "quota root", FALSE, &error);
  check_resources (quota, &error);
  task = missive_store_begin_operation (self, missive_store_set_quota_async,
                                        klass->set_quota_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->set_quota_async (self, quota, io_priority, cancellable, set_quota_cb,
                          task);
}

/**
 * missive_store_set_quota_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.set_quota_async].
 *
 * Returns: %TRUE on success, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
missive_store_set_quota_finish (MissiveStore  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_set_quota_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  MissiveQuota *quota;
} SetQuotaArgs;

static void
start_set_quota (gpointer             source,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             start_data)
{
  SetQuotaArgs *args = start_data;

  missive_store_set_quota_async (source, args->quota, G_PRIORITY_DEFAULT,
                                 cancellable, callback, user_data);
}

/**
 * missive_store_set_quota:
 * @self: a store
 * @quota: the root and the new limits (usage is ignored); without
 *   resources, every limit of the root is removed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Changes the limits of a quota root, blocking. See [method@Store.set_quota_async].
 *
 * Returns: %TRUE on success, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
missive_store_set_quota (MissiveStore  *self,
                         MissiveQuota  *quota,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SetQuotaArgs args = { quota };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (MISSIVE_IS_QUOTA (quota), FALSE);

  result = missive_run_sync (self, start_set_quota, &args, cancellable);
  return missive_store_set_quota_finish (self, result, error);
}

/* ---- get_metadata ------------------------------------------------------------ */

static void
get_metadata_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GHashTable *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->get_metadata_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, (GDestroyNotify) g_hash_table_unref);
  g_object_unref (task);
}

/**
 * missive_store_get_metadata_async: (virtual get_metadata_async)
 * @self: a store
 * @mailbox: (nullable): the mailbox, or %NULL (or "") for annotations of
 *   the server itself
 * @entries: (array zero-terminated=1): the entry names, each starting with
 *   "/private/" or "/shared/", e.g. "/private/comment"
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Reads annotations (IMAP GETMETADATA, RFC 5464). Entries without a
 * value are left out of the result. Values are text; one holding a NUL
 * byte ends there.
 *
 * Since: 1.0
 */
void
missive_store_get_metadata_async (MissiveStore        *self,
                                  const char          *mailbox,
                                  const char * const  *entries,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (entries != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (mailbox, "mailbox name", FALSE, &error);
  check_entries (entries, TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_get_metadata_async,
                                        klass->get_metadata_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->get_metadata_async (self, mailbox, entries, io_priority, cancellable,
                             get_metadata_cb, task);
}

/**
 * missive_store_get_metadata_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.get_metadata_async].
 *
 * Returns: (transfer full) (nullable) (element-type utf8 utf8): entry
 *   names to values, possibly empty, or %NULL on error
 *
 * Since: 1.0
 */
GHashTable *
missive_store_get_metadata_finish (MissiveStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_get_metadata_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
  const char * const *entries;
} GetMetadataArgs;

static void
start_get_metadata (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  GetMetadataArgs *args = start_data;

  missive_store_get_metadata_async (source, args->mailbox, args->entries,
                                    G_PRIORITY_DEFAULT, cancellable, callback,
                                    user_data);
}

/**
 * missive_store_get_metadata:
 * @self: a store
 * @mailbox: (nullable): the mailbox, or %NULL (or "") for annotations of
 *   the server itself
 * @entries: (array zero-terminated=1): the entry names, each starting with
 *   "/private/" or "/shared/", e.g. "/private/comment"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads annotations, blocking. See [method@Store.get_metadata_async].
 *
 * Returns: (transfer full) (nullable) (element-type utf8 utf8): entry
 *   names to values, possibly empty, or %NULL on error
 *
 * Since: 1.0
 */
GHashTable *
missive_store_get_metadata (MissiveStore        *self,
                            const char          *mailbox,
                            const char * const  *entries,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GetMetadataArgs args = { mailbox, entries };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (entries != NULL, NULL);

  result = missive_run_sync (self, start_get_metadata, &args, cancellable);
  return missive_store_get_metadata_finish (self, result, error);
}

/* ---- set_metadata ------------------------------------------------------------ */

static void
set_metadata_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->set_metadata_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_set_metadata_async: (virtual set_metadata_async)
 * @self: a store
 * @mailbox: (nullable): the mailbox, or %NULL (or "") for the server
 * @entry: the entry name, starting with "/private/" or "/shared/"
 * @value: (nullable): the new value, or %NULL to remove the entry
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation is done
 * @user_data: data for @callback
 *
 * Sets or removes one annotation (IMAP SETMETADATA, RFC 5464). A value
 * the server finds too large fails with %MISSIVE_ERROR_SERVER_NO and
 * the response code "METADATA".
 *
 * Since: 1.0
 */
void
missive_store_set_metadata_async (MissiveStore        *self,
                                  const char          *mailbox,
                                  const char          *entry,
                                  const char          *value,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (entry != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (mailbox, "mailbox name", FALSE, &error);
  check_entry (entry, &error);
  task = missive_store_begin_operation (self, missive_store_set_metadata_async,
                                        klass->set_metadata_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->set_metadata_async (self, mailbox, entry, value, io_priority,
                             cancellable, set_metadata_cb, task);
}

/**
 * missive_store_set_metadata_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.set_metadata_async].
 *
 * Returns: %TRUE on success, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
missive_store_set_metadata_finish (MissiveStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_set_metadata_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
  const char *entry;
  const char *value;
} SetMetadataArgs;

static void
start_set_metadata (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  SetMetadataArgs *args = start_data;

  missive_store_set_metadata_async (source, args->mailbox, args->entry,
                                    args->value, G_PRIORITY_DEFAULT,
                                    cancellable, callback, user_data);
}

/**
 * missive_store_set_metadata:
 * @self: a store
 * @mailbox: (nullable): the mailbox, or %NULL (or "") for the server
 * @entry: the entry name, starting with "/private/" or "/shared/"
 * @value: (nullable): the new value, or %NULL to remove the entry
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sets or removes an annotation, blocking. See [method@Store.set_metadata_async].
 *
 * Returns: %TRUE on success, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
missive_store_set_metadata (MissiveStore  *self,
                            const char    *mailbox,
                            const char    *entry,
                            const char    *value,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SetMetadataArgs args = { mailbox, entry, value };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  result = missive_run_sync (self, start_set_metadata, &args, cancellable);
  return missive_store_set_metadata_finish (self, result, error);
}

