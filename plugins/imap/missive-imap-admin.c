/* missive-imap-admin.c: LISTRIGHTS (RFC 4314), GETQUOTA and SETQUOTA
 * (RFC 9208), GETMETADATA and SETMETADATA (RFC 5464)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"

static gboolean
check_cap (MissiveImapStore  *self,
           guint64            cap,
           const char        *name,
           GError           **error)
{
  if (!missive_imap_store_has_cap (self, cap))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                   "The server does not support %s", name);
      return FALSE;
    }
  return TRUE;
}

static GError *
malformed (const char *what)
{
  return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                      "The server sent a malformed %s response", what);
}

/* A task for @self, or NULL (the task has failed) when @cap is missing. */
static GTask *
new_task (MissiveImapStore    *self,
          gpointer             tag,
          guint64              cap,
          const char          *cap_name,
          int                  io_priority,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, tag);
  g_task_set_priority (task, io_priority);
  if (!check_cap (self, cap, cap_name, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* The end of the commands here: TRUE, or the task data through @copy. */
static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
boolean_finish (MissiveStore  *store,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- LISTRIGHTS ---- */

static gboolean
on_list_rights_response (MissiveImapStore          *store,
                         MissiveImapCommand        *command,
                         const MissiveImapResponse *response,
                         gpointer                   user_data)
{
  GPtrArray *rights = user_data;
  const MissiveImapValue *v;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "LISTRIGHTS") != 0)
    return FALSE;

  /* LISTRIGHTS mailbox identifier required-rights *(SP optional-rights) */
  v = response->args;
  if (missive_imap_value_get_string (v) == NULL || v->next == NULL ||
      missive_imap_value_get_string (v->next) == NULL ||
      missive_imap_value_get_string (v->next->next) == NULL)
    {
      missive_imap_command_fail (command, malformed ("LISTRIGHTS"));
      return TRUE;
    }
  g_ptr_array_set_size (rights, 0);
  for (v = v->next->next; v != NULL; v = v->next)
    {
      const char *text = missive_imap_value_get_string (v);

      if (text == NULL)
        {
          g_ptr_array_set_size (rights, 0);
          missive_imap_command_fail (command, malformed ("LISTRIGHTS"));
          return TRUE;
        }
      g_ptr_array_add (rights, g_strdup (text));
    }
  return TRUE;
}

static void
on_list_rights_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *rights = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else if (rights->len == 0)
    g_task_return_error (task, malformed ("LISTRIGHTS (none)"));
  else
    {
      g_ptr_array_add (rights, NULL);
      g_task_return_pointer (task, g_ptr_array_steal (rights, NULL),
                             (GDestroyNotify) g_strfreev);
    }
}

static void
imap_list_rights_async (MissiveStore        *store,
                        const char          *mailbox,
                        const char          *identifier,
                        int                  io_priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = new_task (self, imap_list_rights_async, MISSIVE_IMAP_CAP_ACL, "ACL",
                          io_priority, cancellable, callback, user_data);
  MissiveImapCommand *command;
  GPtrArray *rights;

  if (task == NULL)
    return;
  rights = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, rights, (GDestroyNotify) g_ptr_array_unref);
  command = missive_imap_command_new (self, "LISTRIGHTS");
  missive_imap_command_add_mailbox (command, mailbox);
  missive_imap_command_add_astring (command, identifier);
  missive_imap_command_set_response_func (command, on_list_rights_response, rights);
  missive_imap_store_run_async (self, command, cancellable, on_list_rights_done, task);
}

static GStrv
imap_list_rights_finish (MissiveStore  *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GETQUOTA, SETQUOTA ---- */

static void
on_get_quota_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GListModel *quotas = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else if (g_list_model_get_n_items (quotas) == 0)
    g_task_return_error (task, malformed ("GETQUOTA (no QUOTA)"));
  else
    g_task_return_pointer (task, g_list_model_get_item (quotas, 0), g_object_unref);
}

static void
imap_get_quota_by_root_async (MissiveStore        *store,
                              const char          *root,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = new_task (self, imap_get_quota_by_root_async, MISSIVE_IMAP_CAP_QUOTA,
                          "QUOTA", io_priority, cancellable, callback, user_data);
  MissiveImapCommand *command;
  GListStore *quotas;

  if (task == NULL)
    return;
  quotas = g_list_store_new (MISSIVE_TYPE_QUOTA);
  g_task_set_task_data (task, quotas, g_object_unref);
  command = missive_imap_command_new (self, "GETQUOTA");
  missive_imap_command_add_astring (command, root);
  missive_imap_command_set_response_func (command, missive_imap_on_quota_response, quotas);
  missive_imap_store_run_async (self, command, cancellable, on_get_quota_done, task);
}

static MissiveQuota *
imap_get_quota_by_root_finish (MissiveStore  *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The QUOTA responses a SETQUOTA may give are only echoes. */
static gboolean
on_set_quota_response (MissiveImapStore          *store,
                       MissiveImapCommand        *command,
                       const MissiveImapResponse *response,
                       gpointer                   user_data)
{
  return response->kind == MISSIVE_IMAP_RESPONSE_UNTAGGED &&
         g_strcmp0 (response->keyword, "QUOTA") == 0;
}

static void
imap_set_quota_async (MissiveStore        *store,
                      MissiveQuota        *quota,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = new_task (self, imap_set_quota_async, MISSIVE_IMAP_CAP_QUOTA, "QUOTA",
                          io_priority, cancellable, callback, user_data);
  const char * const *names;
  g_autoptr(GString) list = g_string_new ("(");
  MissiveImapCommand *command;

  if (task == NULL)
    return;
  names = missive_quota_get_resources (quota);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_string_append_printf (list, "%s%s %" G_GUINT64_FORMAT, i > 0 ? " " : "",
                            names[i], missive_quota_get_limit (quota, names[i]));
  g_string_append_c (list, ')');

  command = missive_imap_command_new (self, "SETQUOTA");
  missive_imap_command_add_astring (command, missive_quota_get_root (quota));
  missive_imap_command_add_atom (command, list->str);
  missive_imap_command_set_response_func (command, on_set_quota_response, NULL);
  missive_imap_store_run_async (self, command, cancellable, on_done, task);
}

/* ---- GETMETADATA, SETMETADATA ---- */

static void
add_metadata_mailbox (MissiveImapCommand *command,
                      const char         *mailbox)
{
  if (mailbox == NULL || mailbox[0] == '\0')
    missive_imap_command_add_string (command, "");
  else
    missive_imap_command_add_mailbox (command, mailbox);
}

static gboolean
on_metadata_response (MissiveImapStore          *store,
                      MissiveImapCommand        *command,
                      const MissiveImapResponse *response,
                      gpointer                   user_data)
{
  GHashTable *values = user_data;
  const MissiveImapValue *list;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "METADATA") != 0)
    return FALSE;

  /* METADATA mailbox (entry value entry value ...); the unsolicited form
   * "METADATA mailbox entry entry" (only names, RFC 5464 4.4.2) is
   * ignored. */
  if (missive_imap_value_get_string (response->args) == NULL)
    {
      missive_imap_command_fail (command, malformed ("METADATA"));
      return TRUE;
    }
  list = response->args->next;
  if (list == NULL || list->type != MISSIVE_IMAP_VALUE_LIST)
    return TRUE;
  if (list->length % 2 != 0)
    {
      missive_imap_command_fail (command, malformed ("METADATA"));
      return TRUE;
    }
  for (const MissiveImapValue *v = list->children; v != NULL; v = v->next->next)
    {
      const char *entry = missive_imap_value_get_string (v);

      if (entry == NULL || (v->next->type != MISSIVE_IMAP_VALUE_NIL &&
                            missive_imap_value_get_string (v->next) == NULL))
        {
          missive_imap_command_fail (command, malformed ("METADATA"));
          return TRUE;
        }
      if (v->next->type == MISSIVE_IMAP_VALUE_NIL)
        g_hash_table_remove (values, entry);
      else if (g_hash_table_size (values) < 10000)
        g_hash_table_replace (values, g_strdup (entry),
                              g_strdup (missive_imap_value_get_string (v->next)));
    }
  return TRUE;
}

static void
on_get_metadata_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_hash_table_ref (g_task_get_task_data (task)),
                           (GDestroyNotify) g_hash_table_unref);
}

static void
imap_get_metadata_async (MissiveStore        *store,
                         const char          *mailbox,
                         const char * const  *entries,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = new_task (self, imap_get_metadata_async, MISSIVE_IMAP_CAP_METADATA,
                          "METADATA", io_priority, cancellable, callback, user_data);
  g_autoptr(GString) list = g_string_new ("(");
  MissiveImapCommand *command;
  GHashTable *values;

  if (task == NULL)
    return;
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, values, (GDestroyNotify) g_hash_table_unref);
  /* The core checked the names: atoms. */
  for (guint i = 0; entries[i] != NULL; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? " " : "", entries[i]);
  g_string_append_c (list, ')');

  command = missive_imap_command_new (self, "GETMETADATA");
  add_metadata_mailbox (command, mailbox);
  missive_imap_command_add_atom (command, list->str);
  missive_imap_command_set_response_func (command, on_metadata_response, values);
  missive_imap_store_run_async (self, command, cancellable, on_get_metadata_done, task);
}

static GHashTable *
imap_get_metadata_finish (MissiveStore  *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
imap_set_metadata_async (MissiveStore        *store,
                         const char          *mailbox,
                         const char          *entry,
                         const char          *value,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = new_task (self, imap_set_metadata_async, MISSIVE_IMAP_CAP_METADATA,
                          "METADATA", io_priority, cancellable, callback, user_data);
  g_autofree char *open = NULL;
  MissiveImapCommand *command;

  if (task == NULL)
    return;
  command = missive_imap_command_new (self, "SETMETADATA");
  add_metadata_mailbox (command, mailbox);
  open = g_strconcat ("(", entry, NULL);
  missive_imap_command_add_atom (command, open);
  if (value != NULL)
    missive_imap_command_add_string (command, value);
  else
    missive_imap_command_add_atom (command, "NIL");
  missive_imap_command_add_atom (command, ")");
  missive_imap_store_run_async (self, command, cancellable, on_done, task);
}

void
missive_imap_admin_class_init (MissiveStoreClass *klass)
{
  klass->list_rights_async = imap_list_rights_async;
  klass->list_rights_finish = imap_list_rights_finish;
  klass->get_quota_by_root_async = imap_get_quota_by_root_async;
  klass->get_quota_by_root_finish = imap_get_quota_by_root_finish;
  klass->set_quota_async = imap_set_quota_async;
  klass->set_quota_finish = boolean_finish;
  klass->get_metadata_async = imap_get_metadata_async;
  klass->get_metadata_finish = imap_get_metadata_finish;
  klass->set_metadata_async = imap_set_metadata_async;
  klass->set_metadata_finish = boolean_finish;
}
