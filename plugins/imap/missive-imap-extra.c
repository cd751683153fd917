/* missive-imap-extra.c: QUOTA (RFC 9208) and ACL (RFC 4314)
 *
 * get_quota sends GETQUOTAROOT and returns one MissiveQuota per QUOTA
 * response (resource names as the server gives them: STORAGE in units of
 * 1024 bytes, MESSAGE, ...). get_acl sends GETACL and reports each entry
 * through ::mailbox-acl as well; set_acl is SETACL, or DELETEACL when no
 * rights are given; get_my_rights is MYRIGHTS.
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

/* The common end of the commands here: the task data is the result. */
static void
on_command_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else if (g_task_get_task_data (task) == NULL)
    g_task_return_boolean (task, TRUE);
  else if (G_IS_LIST_MODEL (g_task_get_task_data (task)))
    g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
  else
    g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                             "The server did not send the data asked for");
}

/* ---- QUOTA ---- */

gboolean
missive_imap_on_quota_response (MissiveImapStore          *store,
                                MissiveImapCommand        *command,
                                const MissiveImapResponse *response,
                                gpointer                   user_data)
{
  GListStore *quotas = user_data;
  g_autoptr(MissiveQuota) quota = NULL;
  const MissiveImapValue *root;
  const MissiveImapValue *list;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->keyword == NULL)
    return FALSE;
  if (g_str_equal (response->keyword, "QUOTAROOT"))
    return TRUE;   /* the roots are named again by their QUOTA responses */
  if (!g_str_equal (response->keyword, "QUOTA"))
    return FALSE;

  /* QUOTA root (name usage limit ...) */
  root = response->args;
  list = root != NULL ? root->next : NULL;
  if (missive_imap_value_get_string (root) == NULL || list == NULL ||
      list->type != MISSIVE_IMAP_VALUE_LIST || list->length % 3 != 0)
    {
      missive_imap_command_fail (command, malformed ("QUOTA"));
      return TRUE;
    }
  quota = missive_quota_new (missive_imap_value_get_string (root));
  for (const MissiveImapValue *name = list->children; name != NULL; name = name->next->next->next)
    {
      guint64 usage, limit;

      if (name->type != MISSIVE_IMAP_VALUE_ATOM ||
          !missive_imap_value_get_number (name->next, &usage) ||
          !missive_imap_value_get_number (name->next->next, &limit))
        {
          missive_imap_command_fail (command, malformed ("QUOTA"));
          return TRUE;
        }
      missive_quota_add_resource (quota, name->data, usage, limit);
    }
  g_list_store_append (quotas, quota);
  return TRUE;
}

static void
imap_get_quota_async (MissiveStore        *store,
                      const char          *mailbox,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  GListStore *quotas;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_get_quota_async);
  g_task_set_priority (task, io_priority);
  if (!check_cap (self, MISSIVE_IMAP_CAP_QUOTA, "QUOTA", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  quotas = g_list_store_new (MISSIVE_TYPE_QUOTA);
  g_task_set_task_data (task, quotas, g_object_unref);
  command = missive_imap_command_new (self, "GETQUOTAROOT");
  missive_imap_command_add_mailbox (command, mailbox != NULL ? mailbox : "INBOX");
  missive_imap_command_set_response_func (command, missive_imap_on_quota_response, quotas);
  missive_imap_store_run_async (self, command, cancellable, on_command_done,
                                g_steal_pointer (&task));
}

static GListModel *
imap_get_quota_finish (MissiveStore  *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ACL ---- */

typedef struct
{
  char *mailbox;
  GListStore *entries;
} GetAcl;

static void
get_acl_free (gpointer data)
{
  GetAcl *ga = data;

  g_free (ga->mailbox);
  g_clear_object (&ga->entries);
  g_free (ga);
}

static gboolean
on_acl_response (MissiveImapStore          *store,
                 MissiveImapCommand        *command,
                 const MissiveImapResponse *response,
                 gpointer                   user_data)
{
  GetAcl *ga = user_data;
  const MissiveImapValue *v;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "ACL") != 0)
    return FALSE;

  /* ACL mailbox (identifier rights)* */
  if (missive_imap_value_get_string (response->args) == NULL)
    {
      missive_imap_command_fail (command, malformed ("ACL"));
      return TRUE;
    }
  for (v = response->args->next; v != NULL; v = v->next->next)
    {
      const char *identifier = missive_imap_value_get_string (v);
      const char *rights = missive_imap_value_get_string (v->next);
      g_autoptr(MissiveAclEntry) entry = NULL;

      if (identifier == NULL || rights == NULL)
        {
          missive_imap_command_fail (command, malformed ("ACL"));
          return TRUE;
        }
      entry = missive_acl_entry_new (identifier, rights);
      g_list_store_append (ga->entries, entry);
      missive_store_emit_mailbox_acl (MISSIVE_STORE (store), ga->mailbox, identifier, rights);
    }
  return TRUE;
}

static void
on_get_acl_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetAcl *ga = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (ga->entries), g_object_unref);
}

static void
imap_get_acl_async (MissiveStore        *store,
                    const char          *mailbox,
                    int                  io_priority,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  GetAcl *ga;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_get_acl_async);
  g_task_set_priority (task, io_priority);
  if (!check_cap (self, MISSIVE_IMAP_CAP_ACL, "ACL", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  ga = g_new0 (GetAcl, 1);
  ga->mailbox = g_strdup (mailbox);
  ga->entries = g_list_store_new (MISSIVE_TYPE_ACL_ENTRY);
  g_task_set_task_data (task, ga, get_acl_free);
  command = missive_imap_command_new (self, "GETACL");
  missive_imap_command_add_mailbox (command, mailbox);
  missive_imap_command_set_response_func (command, on_acl_response, ga);
  missive_imap_store_run_async (self, command, cancellable, on_get_acl_done,
                                g_steal_pointer (&task));
}

static GListModel *
imap_get_acl_finish (MissiveStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
imap_set_acl_async (MissiveStore        *store,
                    const char          *mailbox,
                    const char          *identifier,
                    const char          *rights,
                    int                  io_priority,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_set_acl_async);
  g_task_set_priority (task, io_priority);
  if (!check_cap (self, MISSIVE_IMAP_CAP_ACL, "ACL", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  command = missive_imap_command_new (self, rights != NULL ? "SETACL" : "DELETEACL");
  missive_imap_command_add_mailbox (command, mailbox);
  missive_imap_command_add_astring (command, identifier);
  if (rights != NULL)
    missive_imap_command_add_astring (command, rights);
  missive_imap_store_run_async (self, command, cancellable, on_command_done,
                                g_steal_pointer (&task));
}

static gboolean
imap_set_acl_finish (MissiveStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- MYRIGHTS ---- */

static gboolean
on_my_rights_response (MissiveImapStore          *store,
                       MissiveImapCommand        *command,
                       const MissiveImapResponse *response,
                       gpointer                   user_data)
{
  char **rights = user_data;
  const char *value;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "MYRIGHTS") != 0)
    return FALSE;

  /* MYRIGHTS mailbox rights */
  value = response->args != NULL ? missive_imap_value_get_string (response->args->next) : NULL;
  if (missive_imap_value_get_string (response->args) == NULL || value == NULL)
    {
      missive_imap_command_fail (command, malformed ("MYRIGHTS"));
      return TRUE;
    }
  g_free (*rights);
  *rights = g_strdup (value);
  return TRUE;
}

static void
on_my_rights_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  char **rights = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else if (*rights == NULL)
    g_task_return_error (task, malformed ("MYRIGHTS (none)"));
  else
    g_task_return_pointer (task, g_steal_pointer (rights), g_free);
}

static void
free_rights (gpointer data)
{
  char **rights = data;

  g_free (*rights);
  g_free (rights);
}

static void
imap_get_my_rights_async (MissiveStore        *store,
                          const char          *mailbox,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  char **rights;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_get_my_rights_async);
  g_task_set_priority (task, io_priority);
  if (!check_cap (self, MISSIVE_IMAP_CAP_ACL, "ACL", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  rights = g_new0 (char *, 1);
  g_task_set_task_data (task, rights, free_rights);
  command = missive_imap_command_new (self, "MYRIGHTS");
  missive_imap_command_add_mailbox (command, mailbox);
  missive_imap_command_set_response_func (command, on_my_rights_response, rights);
  missive_imap_store_run_async (self, command, cancellable, on_my_rights_done,
                                g_steal_pointer (&task));
}

static char *
imap_get_my_rights_finish (MissiveStore  *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
missive_imap_extra_class_init (MissiveStoreClass *klass)
{
  klass->get_quota_async = imap_get_quota_async;
  klass->get_quota_finish = imap_get_quota_finish;
  klass->get_acl_async = imap_get_acl_async;
  klass->get_acl_finish = imap_get_acl_finish;
  klass->set_acl_async = imap_set_acl_async;
  klass->set_acl_finish = imap_set_acl_finish;
  klass->get_my_rights_async = imap_get_my_rights_async;
  klass->get_my_rights_finish = imap_get_my_rights_finish;
  missive_imap_thread_class_init (klass);
  missive_imap_admin_class_init (klass);
  missive_imap_append_class_init (klass);
  missive_imap_notify_class_init (klass);
}
