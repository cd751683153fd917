/* missive-imap-append.c: APPEND of several messages (MULTIAPPEND, RFC
 * 3502), REPLACE (RFC 8508, with APPEND + STORE + UID EXPUNGE as the
 * fallback) and Gmail's label changes (STORE X-GM-LABELS)
 *
 * append_messages fails with MISSIVE_ERROR_NOT_SUPPORTED before sending
 * anything when the server has no MULTIAPPEND: the core then appends the
 * messages one at a time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-convert.h"

/* ---- the APPENDUID of APPEND and REPLACE ---- */

typedef struct
{
  guint32 uid_validity;
  MissiveMessageSet *uids;
} AppendUid;

static void
append_uid_free (gpointer data)
{
  AppendUid *au = data;

  g_clear_pointer (&au->uids, missive_message_set_unref);
  g_free (au);
}

/* [APPENDUID uidvalidity uid-set], in the tagged OK (APPEND) or in an
 * untagged OK (REPLACE, RFC 8508 3.3). */
static gboolean
on_append_uid_response (MissiveImapStore          *store,
                        MissiveImapCommand        *command,
                        const MissiveImapResponse *response,
                        gpointer                   user_data)
{
  AppendUid *au = user_data;
  const MissiveImapValue *args = response->code_args;
  guint64 validity;
  GError *error = NULL;

  if (response->kind == MISSIVE_IMAP_RESPONSE_CONTINUATION ||
      response->status != MISSIVE_IMAP_STATUS_OK ||
      g_strcmp0 (response->code, "APPENDUID") != 0)
    return response->kind == MISSIVE_IMAP_RESPONSE_TAGGED;

  if (!missive_imap_value_get_number (args, &validity) || validity == 0 ||
      validity > G_MAXUINT32 || args->next == NULL)
    {
      missive_imap_command_fail (command,
                                 g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                                      "The server sent a malformed APPENDUID "
                                                      "response code"));
      return TRUE;
    }
  g_clear_pointer (&au->uids, missive_message_set_unref);
  au->uids = missive_imap_set_from_value (args->next, &error);
  if (au->uids == NULL)
    {
      missive_imap_command_fail (command, error);
      return TRUE;
    }
  au->uid_validity = (guint32) validity;
  return TRUE;
}

static MissiveUidMap *
append_uid_map (AppendUid *au)
{
  if (au->uids == NULL)
    return missive_uid_map_new (0, NULL, NULL);
  return missive_uid_map_new (au->uid_validity, NULL, au->uids);
}

static void
on_append_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, append_uid_map (g_task_get_task_data (task)), g_object_unref);
}

/* Adds " [(flags)] [date] {literal}" of one message; FALSE with @error if
 * the item cannot be sent. */
static gboolean
add_append_message (MissiveImapStore    *self,
                    MissiveImapCommand  *command,
                    MissiveAppendItem   *item,
                    GError             **error)
{
  const char * const *flags = missive_append_item_get_flags (item);
  GDateTime *date = missive_append_item_get_internal_date (item);
  goffset size = missive_append_item_get_size (item);
  guint64 limit = missive_imap_store_get_append_limit (self);

  if (size < 0 || (guint64) size > G_MAXUINT32)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "An IMAP message must be smaller than 4 GiB");
      return FALSE;
    }
  if (limit > 0 && (guint64) size > limit)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE,
                   "The message (%" G_GUINT64_FORMAT " bytes) is larger than the server "
                   "accepts (APPENDLIMIT %" G_GUINT64_FORMAT ")", (guint64) size, limit);
      return FALSE;
    }
  if (flags != NULL && flags[0] != NULL)
    {
      g_autofree char *list = missive_imap_flag_list (flags, error);

      if (list == NULL)
        return FALSE;
      missive_imap_command_add_atom (command, list);
    }
  if (date != NULL)
    {
      g_autofree char *text = missive_imap_format_date_time (date);

      missive_imap_command_add_string (command, text);
    }
  missive_imap_command_add_literal_stream (command, missive_append_item_get_stream (item),
                                           size, FALSE);
  return TRUE;
}

/* ---- MULTIAPPEND ---- */

static void
imap_append_messages_async (MissiveStore        *store,
                            const char          *mailbox,
                            GPtrArray           *items,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  AppendUid *au;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_append_messages_async);
  g_task_set_priority (task, io_priority);
  if (items->len > 1 && !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_MULTIAPPEND))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not support MULTIAPPEND");
      return;
    }

  command = missive_imap_command_new (self, "APPEND");
  missive_imap_command_add_mailbox (command, mailbox);
  for (guint i = 0; i < items->len; i++)
    {
      if (!add_append_message (self, command, items->pdata[i], &error))
        {
          missive_imap_command_free (command);
          g_task_return_error (task, error);
          return;
        }
    }
  au = g_new0 (AppendUid, 1);
  g_task_set_task_data (task, au, append_uid_free);
  missive_imap_command_set_response_func (command, on_append_uid_response, au);
  missive_imap_store_run_async (self, command, cancellable, on_append_done,
                                g_steal_pointer (&task));
}

static MissiveUidMap *
imap_uid_map_finish (MissiveStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- REPLACE ---- */

typedef struct
{
  guint32 message_id;
  MissiveUidMap *map;      /* the fallback: what APPEND gave */
} Replace;

static void
replace_free (gpointer data)
{
  Replace *rp = data;

  g_clear_object (&rp->map);
  g_free (rp);
}

static void
on_replace_expunged (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Replace *rp = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (rp->map), g_object_unref);
}

static void
on_replace_deleted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  Replace *rp = g_task_get_task_data (task);
  MissiveImapCommand *command;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Only the old message may go: without UID EXPUNGE it stays \Deleted. */
  if (!missive_imap_store_get_use_uid (self) ||
      !(missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_UIDPLUS) ||
        missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_IMAP4REV2)))
    {
      g_task_return_pointer (task, g_object_ref (rp->map), g_object_unref);
      return;
    }
  command = missive_imap_command_new (self, "UID EXPUNGE");
  missive_imap_command_add_number (command, rp->message_id);
  cancellable = g_task_get_cancellable (task);
  missive_imap_store_run_async (self, command, cancellable, on_replace_expunged,
                                g_steal_pointer (&task));
}

static void
on_replace_appended (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveStore *store = MISSIVE_STORE (source);
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  Replace *rp = g_task_get_task_data (task);
  MissiveImapCommand *command;
  GCancellable *cancellable;
  GError *error = NULL;

  rp->map = MISSIVE_STORE_GET_CLASS (store)->append_message_finish (store, result, &error);
  if (rp->map == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  command = missive_imap_command_new_for_ids (self, "STORE");
  missive_imap_command_add_number (command, rp->message_id);
  missive_imap_command_add_atom (command, "+FLAGS.SILENT");
  missive_imap_command_add_atom (command, "(\\Deleted)");
  cancellable = g_task_get_cancellable (task);
  missive_imap_store_run_async (self, command, cancellable, on_replace_deleted,
                                g_steal_pointer (&task));
}

static void
imap_replace_message_async (MissiveStore        *store,
                            guint32              message_id,
                            const char          *mailbox,
                            MissiveAppendItem   *item,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  AppendUid *au;
  Replace *rp;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_replace_message_async);
  g_task_set_priority (task, io_priority);
  if (!missive_imap_check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_REPLACE))
    {
      rp = g_new0 (Replace, 1);
      rp->message_id = message_id;
      g_task_set_task_data (task, rp, replace_free);
      MISSIVE_STORE_GET_CLASS (store)->append_message_async (store, mailbox,
                                                             missive_append_item_get_stream (item),
                                                             missive_append_item_get_size (item),
                                                             missive_append_item_get_flags (item),
                                                             missive_append_item_get_internal_date (item),
                                                             io_priority, cancellable,
                                                             on_replace_appended,
                                                             g_steal_pointer (&task));
      return;
    }

  command = missive_imap_command_new_for_ids (self, "REPLACE");
  missive_imap_command_add_number (command, message_id);
  missive_imap_command_add_mailbox (command, mailbox);
  if (!add_append_message (self, command, item, &error))
    {
      missive_imap_command_free (command);
      g_task_return_error (task, error);
      return;
    }
  au = g_new0 (AppendUid, 1);
  g_task_set_task_data (task, au, append_uid_free);
  missive_imap_command_set_response_func (command, on_append_uid_response, au);
  missive_imap_store_run_async (self, command, cancellable, on_append_done,
                                g_steal_pointer (&task));
}

/* ---- X-GM-LABELS ---- */

typedef struct
{
  char *action;    /* "+X-GM-LABELS.SILENT" */
  char **labels;
} Labels;

static void
labels_free (gpointer data)
{
  Labels *lb = data;

  g_free (lb->action);
  g_strfreev (lb->labels);
  g_free (lb);
}

/* "\Important" and other system labels go as atoms, the rest as atoms
 * when they can be, else quoted. */
static gboolean
is_system_label (const char *label)
{
  if (label[0] != '\\' || label[1] == '\0')
    return FALSE;
  for (const char *p = label + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
    }
  return TRUE;
}

static MissiveImapCommand *
build_labels_command (MissiveImapStore *self,
                      const char       *piece,
                      gpointer          build_data)
{
  Labels *lb = build_data;
  MissiveImapCommand *command = missive_imap_command_new_for_ids (self, "STORE");

  missive_imap_command_add_atom (command, piece);
  missive_imap_command_add_atom (command, lb->action);
  missive_imap_command_add_atom (command, "(");
  for (guint i = 0; lb->labels != NULL && lb->labels[i] != NULL; i++)
    {
      if (is_system_label (lb->labels[i]))
        missive_imap_command_add_atom (command, lb->labels[i]);
      else
        missive_imap_command_add_astring (command, lb->labels[i]);
    }
  missive_imap_command_add_atom (command, ")");
  return command;
}

static void
on_labels_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_run_chunks_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
imap_set_gmail_labels_async (MissiveStore        *store,
                             MissiveMessageSet   *set,
                             MissiveFlagChange    change,
                             const char * const  *labels,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Labels *lb;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_set_gmail_labels_async);
  g_task_set_priority (task, io_priority);
  if (!missive_imap_check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_GMAIL))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not support Gmail labels (X-GM-EXT-1)");
      return;
    }

  lb = g_new0 (Labels, 1);
  lb->action = g_strdup (change == MISSIVE_FLAG_CHANGE_ADD ? "+X-GM-LABELS.SILENT" :
                         change == MISSIVE_FLAG_CHANGE_REMOVE ? "-X-GM-LABELS.SILENT" :
                         "X-GM-LABELS.SILENT");
  lb->labels = labels != NULL ? g_strdupv ((char **) labels) : NULL;
  g_task_set_task_data (task, lb, labels_free);
  missive_imap_run_chunks_async (self, set, build_labels_command, lb, cancellable,
                                 on_labels_done, g_object_ref (task));
}

static gboolean
imap_set_gmail_labels_finish (MissiveStore  *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
missive_imap_append_class_init (MissiveStoreClass *klass)
{
  klass->append_messages_async = imap_append_messages_async;
  klass->append_messages_finish = imap_uid_map_finish;
  klass->replace_message_async = imap_replace_message_async;
  klass->replace_message_finish = imap_uid_map_finish;
  klass->set_gmail_labels_async = imap_set_gmail_labels_async;
  klass->set_gmail_labels_finish = imap_set_gmail_labels_finish;
}
