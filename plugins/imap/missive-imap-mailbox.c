/* missive-imap-mailbox.c: mailbox operations of MissiveImapStore (LIST,
 * LSUB, STATUS, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, SELECT,
 * EXAMINE, CLOSE, UNSELECT) and the state of the selected mailbox, which
 * unsolicited responses keep up to date
 *
 * Closing without expunging: UNSELECT where the server offers it; CLOSE
 * when the mailbox was opened read-only (EXAMINE), since CLOSE then removes
 * nothing (RFC 3501 6.4.2). Otherwise the request fails with
 * MISSIVE_ERROR_NOT_SUPPORTED rather than risk expunging: the old trick of
 * selecting a mailbox that does not exist depends on the server failing
 * that SELECT and is not used.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-convert.h"
#include "missive-imap-utf7.h"

/* ---- the selected mailbox ------------------------------------------------ */

const char *
missive_imap_store_get_selected (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), NULL);

  return self->selected;
}

MissiveMailboxInfo *
missive_imap_store_get_selected_info (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), NULL);

  return self->selected_info;
}

void
missive_imap_store_clear_selected (MissiveImapStore *self)
{
  g_clear_pointer (&self->selected, g_free);
  g_clear_object (&self->selected_info);
}

void
missive_imap_store_set_selected (MissiveImapStore   *self,
                                 const char         *name,
                                 MissiveMailboxInfo *info)
{
  g_return_if_fail (MISSIVE_IS_IMAP_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (info));

  g_free (self->selected);
  self->selected = g_strdup (name);
  g_set_object (&self->selected_info, info);
}

gboolean
missive_imap_store_names_are_utf7 (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), TRUE);

  /* IMAP4rev2 names are UTF-8 (RFC 9051 5.1; modified UTF-7 is only for
   * IMAP4rev1). */
  return self->utf7_names && !(self->enabled & MISSIVE_IMAP_CAP_UTF8_ACCEPT) &&
         !missive_imap_store_is_rev2 (self);
}

/* A mailbox name from a response, as the user spells it. */
static char *
decode_name (MissiveImapStore       *self,
             const MissiveImapValue *value)
{
  const char *wire = missive_imap_value_get_string (value);
  char *name = NULL;

  if (wire == NULL)
    return NULL;
  if (g_ascii_strcasecmp (wire, "INBOX") == 0)
    return g_strdup ("INBOX");
  if (missive_imap_store_names_are_utf7 (self))
    name = missive_imap_utf7_decode (wire, -1, NULL);
  return name != NULL ? name : g_strdup (wire);
}

static gboolean
same_name (const char *a,
           const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (a, "INBOX") == 0)
    return g_ascii_strcasecmp (b, "INBOX") == 0;
  return strcmp (a, b) == 0;
}

static void
emit_changed (MissiveImapStore *self,
              const char       *what,
              guint             number)
{
  missive_store_emit_mailbox_changed (MISSIVE_STORE (self), self->selected, what, number);
}

typedef struct
{
  MissiveImapStore *self;
  guint count;
} VanishedData;

static gboolean
emit_vanished (guint32  uid,
               gpointer user_data)
{
  VanishedData *data = user_data;

  emit_changed (data->self, "vanished", uid);
  return TRUE;
}

/* An unsolicited "* STATUS name (...)" or "* LIST (...) sep name": reported
 * as ::mailbox-listed with what it says, and ::mailbox-changed ("status"
 * with the message count; "list", or "deleted" for \NonExistent). */
static void
handle_mailbox_news (MissiveImapStore          *self,
                     const MissiveImapResponse *response)
{
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *what = "list";
  guint number = 0;

  if (strcmp (response->keyword, "STATUS") == 0)
    {
      g_autofree char *name = response->args != NULL ? decode_name (self, response->args) : NULL;

      if (name == NULL || missive_imap_has_line_break (name))
        return;
      info = missive_mailbox_info_new (name);
      if (!missive_imap_apply_status (response->args->next, info, &error))
        {
          missive_service_emit_warning (MISSIVE_SERVICE (self), error);
          return;
        }
      what = "status";
      number = missive_mailbox_info_get_messages (info);
    }
  else
    {
      info = missive_imap_mailbox_from_list (response, missive_imap_store_names_are_utf7 (self),
                                             &error);
      if (info == NULL)
        {
          missive_service_emit_warning (MISSIVE_SERVICE (self), error);
          return;
        }
      if (missive_mailbox_info_has_attribute (info, "\\NonExistent"))
        what = "deleted";
    }
  missive_store_emit_mailbox_listed (MISSIVE_STORE (self), info);
  missive_store_emit_mailbox_changed (MISSIVE_STORE (self), missive_mailbox_info_get_name (info),
                                      what, number);
}

void
missive_imap_store_handle_unsolicited (MissiveImapStore          *self,
                                       const MissiveImapResponse *response)
{
  MissiveMailboxInfo *info;
  const char *keyword;

  g_return_if_fail (MISSIVE_IS_IMAP_STORE (self));
  g_return_if_fail (response != NULL);

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    return;
  keyword = response->keyword != NULL ? response->keyword : "";

  if (response->status == MISSIVE_IMAP_STATUS_NONE && strcmp (keyword, "CAPABILITY") == 0)
    {
      missive_imap_store_update_capabilities (self, response->args);
      return;
    }
  if ((response->status == MISSIVE_IMAP_STATUS_NO || response->status == MISSIVE_IMAP_STATUS_BAD) &&
      g_strcmp0 (response->code, "ALERT") != 0)
    {
      /* A warning from the server (alerts were reported already). */
      g_autoptr(GError) warning = missive_imap_status_to_error (response);

      missive_service_emit_warning (MISSIVE_SERVICE (self), warning);
      return;
    }

  if (response->status == MISSIVE_IMAP_STATUS_OK &&
      g_strcmp0 (response->code, "NOTIFICATIONOVERFLOW") == 0)
    {
      /* RFC 5465 5.8: the server stopped notifying (NOTIFY NONE). */
      g_autoptr(GError) warning =
        g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO,
                     "The server gave up sending notifications (NOTIFICATIONOVERFLOW)%s%s",
                     response->text != NULL ? ": " : "",
                     response->text != NULL ? response->text : "");

      missive_service_emit_warning (MISSIVE_SERVICE (self), warning);
      return;
    }
  if (response->status == MISSIVE_IMAP_STATUS_NONE &&
      (strcmp (keyword, "STATUS") == 0 || strcmp (keyword, "LIST") == 0))
    {
      /* News about a mailbox no command asked for: NOTIFY (RFC 5465). */
      handle_mailbox_news (self, response);
      return;
    }

  info = self->selected_info;
  if (info == NULL)
    return;

  if (response->status == MISSIVE_IMAP_STATUS_OK)
    {
      /* [UIDNEXT n], [HIGHESTMODSEQ n], [PERMANENTFLAGS (...)] ... */
      missive_imap_apply_select_response (response, info);
      return;
    }
  if (response->status != MISSIVE_IMAP_STATUS_NONE)
    return;

  if (strcmp (keyword, "EXISTS") == 0 && response->has_number)
    {
      missive_mailbox_info_set_messages (info, response->number);
      emit_changed (self, "exists", response->number);
    }
  else if (strcmp (keyword, "RECENT") == 0 && response->has_number)
    {
      missive_mailbox_info_set_recent (info, response->number);
      emit_changed (self, "recent", response->number);
    }
  else if (strcmp (keyword, "EXPUNGE") == 0 && response->has_number)
    {
      guint messages = missive_mailbox_info_get_messages (info);

      if (messages > 0)
        missive_mailbox_info_set_messages (info, messages - 1);
      emit_changed (self, "expunge", response->number);
    }
  else if (strcmp (keyword, "FETCH") == 0 && response->has_number)
    {
      emit_changed (self, "fetch", response->number);
    }
  else if (strcmp (keyword, "FLAGS") == 0)
    {
      missive_imap_apply_select_response (response, info);
      emit_changed (self, "flags", 0);
    }
  else if (strcmp (keyword, "VANISHED") == 0)
    {
      const MissiveImapValue *set_value = response->args;
      g_autoptr(MissiveMessageSet) set = NULL;
      g_autoptr(GError) error = NULL;
      guint messages = missive_mailbox_info_get_messages (info);
      guint64 count;

      /* VANISHED (EARLIER) answers a resynchronisation: the caller of that
       * command looks at it; it does not change the mailbox now. */
      if (set_value != NULL && set_value->type == MISSIVE_IMAP_VALUE_LIST)
        return;
      set = missive_imap_set_from_value (set_value, &error);
      if (set == NULL)
        {
          missive_service_emit_warning (MISSIVE_SERVICE (self), error);
          return;
        }
      count = missive_message_set_get_count (set);
      if (count > messages || missive_message_set_has_star (set))
        {
          g_autoptr(GError) warning =
            g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                         "The server reported more vanished messages (%" G_GUINT64_FORMAT
                         ") than the mailbox holds (%u)", count, messages);

          missive_service_emit_warning (MISSIVE_SERVICE (self), warning);
          return;
        }
      missive_mailbox_info_set_messages (info, messages - (guint) count);
      {
        VanishedData data = { self, 0 };

        missive_message_set_foreach (set, emit_vanished, &data);
      }
    }
  /* Anything else (unknown responses included) is ignored. */
}

/* ---- helpers --------------------------------------------------------------- */

/* The STATUS items worth asking this server for, as "(MESSAGES ...)". */
static char *
status_items (MissiveImapStore *self)
{
  GString *items = g_string_new ("(MESSAGES UIDNEXT UIDVALIDITY UNSEEN");

  /* IMAP4rev2 dropped RECENT: a server refuses it once IMAP4rev2 is on
   * (or when it speaks only IMAP4rev2). */
  if (!missive_imap_store_is_rev2 (self))
    g_string_append (items, " RECENT");

  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_STATUS_SIZE))
    g_string_append (items, " SIZE");
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE))
    g_string_append (items, " HIGHESTMODSEQ");
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_OBJECTID))
    g_string_append (items, " MAILBOXID");
  g_string_append_c (items, ')');
  return g_string_free (items, FALSE);
}

static void
add_status_items (MissiveImapStore   *self,
                  MissiveImapCommand *command)
{
  g_autofree char *items = status_items (self);

  missive_imap_command_add_atom (command, items);
}

/* Applies "* STATUS name (...)" to @info when the name is @info's. */
static gboolean
apply_status_response (MissiveImapStore          *self,
                       const MissiveImapResponse *response,
                       MissiveMailboxInfo        *info)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->keyword == NULL ||
      strcmp (response->keyword, "STATUS") != 0 || response->args == NULL)
    return FALSE;
  name = decode_name (self, response->args);
  if (!same_name (name, missive_mailbox_info_get_name (info)))
    return FALSE;
  if (!missive_imap_apply_status (response->args->next, info, &error))
    missive_service_emit_warning (MISSIVE_SERVICE (self), error);
  return TRUE;
}

static gboolean
is_selectable (MissiveMailboxInfo *info)
{
  return !missive_mailbox_info_has_attribute (info, "\\Noselect") &&
         !missive_mailbox_info_has_attribute (info, "\\NonExistent");
}

/* ---- LIST ------------------------------------------------------------------- */

typedef struct
{
  MissiveListFlags flags;
  GListStore *result;
  gboolean list_status;       /* STATUS comes with LIST (LIST-STATUS) */
  gboolean filter_special;    /* keep only special-use mailboxes */
  gboolean mark_subscribed;   /* every listed mailbox is subscribed */
  MissiveMailboxInfo *pending; /* LIST-STATUS: waiting for its STATUS */
  guint outstanding;          /* STATUS commands in flight */
  GError *error;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_object (&data->result);
  g_clear_object (&data->pending);
  g_clear_error (&data->error);
  g_free (data);
}

static void
list_flush_pending (MissiveImapStore *self,
                    ListData         *data)
{
  if (data->pending != NULL)
    {
      missive_store_emit_mailbox_listed (MISSIVE_STORE (self), data->pending);
      g_clear_object (&data->pending);
    }
}

static gboolean
list_response (MissiveImapStore          *self,
               MissiveImapCommand        *command,
               const MissiveImapResponse *response,
               gpointer                   user_data)
{
  ListData *data = user_data;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (response->kind == MISSIVE_IMAP_RESPONSE_TAGGED)
    {
      list_flush_pending (self, data);
      return FALSE;
    }
  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->keyword == NULL ||
      response->status != MISSIVE_IMAP_STATUS_NONE)
    return FALSE;

  if (data->list_status && strcmp (response->keyword, "STATUS") == 0)
    {
      if (data->pending != NULL && apply_status_response (self, response, data->pending))
        return TRUE;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (data->result)); i++)
        {
          g_autoptr(MissiveMailboxInfo) listed = g_list_model_get_item (G_LIST_MODEL (data->result), i);

          if (apply_status_response (self, response, listed))
            return TRUE;
        }
      return FALSE;
    }

  if (strcmp (response->keyword, "LIST") != 0 && strcmp (response->keyword, "LSUB") != 0 &&
      strcmp (response->keyword, "XLIST") != 0)
    return FALSE;

  info = missive_imap_mailbox_from_list (response, missive_imap_store_names_are_utf7 (self), &error);
  if (info == NULL)
    {
      missive_service_emit_warning (MISSIVE_SERVICE (self), error);
      return TRUE;
    }
  if (data->mark_subscribed)
    missive_mailbox_info_set_subscribed (info, TRUE);
  if (data->filter_special && missive_mailbox_info_get_special_use (info) == NULL)
    return TRUE;

  list_flush_pending (self, data);
  g_list_store_append (data->result, info);
  if (data->list_status)
    data->pending = g_object_ref (info);
  else if (!(data->flags & MISSIVE_LIST_FLAGS_STATUS) || !is_selectable (info))
    missive_store_emit_mailbox_listed (MISSIVE_STORE (self), info);
  return TRUE;
}

static gboolean
list_status_response (MissiveImapStore          *self,
                      MissiveImapCommand        *command,
                      const MissiveImapResponse *response,
                      gpointer                   user_data)
{
  return apply_status_response (self, response, user_data);
}

static void
list_finish_if_done (GTask *task)
{
  ListData *data = g_task_get_task_data (task);

  if (data->outstanding > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_object_ref (data->result), g_object_unref);
  g_object_unref (task);
}

typedef struct
{
  GTask *task;
  MissiveMailboxInfo *info;
} ListStatusCall;

static void
list_status_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ListStatusCall *call = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  ListData *data = g_task_get_task_data (call->task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      /* A mailbox that went away meanwhile keeps its listing; a broken
       * connection fails the whole listing. */
      if (error->domain == MISSIVE_ERROR &&
          (error->code == MISSIVE_ERROR_SERVER_NO || error->code == MISSIVE_ERROR_SERVER_BAD))
        {
          missive_service_emit_warning (MISSIVE_SERVICE (self), error);
          g_error_free (error);
        }
      else if (data->error == NULL)
        data->error = error;
      else
        g_error_free (error);
    }
  if (data->error == NULL)
    missive_store_emit_mailbox_listed (MISSIVE_STORE (self), call->info);

  data->outstanding--;
  g_object_unref (call->info);
  list_finish_if_done (call->task);
  g_free (call);
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  ListData *data = g_task_get_task_data (task);
  GError *error = NULL;
  guint n;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (!(data->flags & MISSIVE_LIST_FLAGS_STATUS) || data->list_status)
    {
      list_finish_if_done (task);
      return;
    }

  /* No LIST-STATUS: one STATUS per selectable mailbox, all pipelined. */
  n = g_list_model_get_n_items (G_LIST_MODEL (data->result));
  data->outstanding++;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (G_LIST_MODEL (data->result), i);
      MissiveImapCommand *command;
      ListStatusCall *call;

      if (!is_selectable (info))
        continue;
      call = g_new0 (ListStatusCall, 1);
      call->task = task;
      call->info = g_object_ref (info);
      command = missive_imap_command_new (self, "STATUS");
      missive_imap_command_add_mailbox (command, missive_mailbox_info_get_name (info));
      add_status_items (self, command);
      missive_imap_command_set_response_func (command, list_status_response, call->info);
      data->outstanding++;
      missive_imap_store_run_async (self, command, g_task_get_cancellable (task),
                                    list_status_done_cb, call);
    }
  data->outstanding--;
  list_finish_if_done (task);
}

static void
missive_imap_store_list_mailboxes_async (MissiveStore        *store,
                                         const char          *pattern,
                                         MissiveListFlags     flags,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gboolean extended = missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_LIST_EXTENDED);
  gboolean special_use = missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_SPECIAL_USE);
  g_autoptr(GString) selection = g_string_new (NULL);
  g_autoptr(GString) returns = g_string_new (NULL);
  MissiveImapCommand *command;
  ListData *data;

  g_task_set_source_tag (task, missive_imap_store_list_mailboxes_async);
  g_task_set_priority (task, io_priority);

  data = g_new0 (ListData, 1);
  data->flags = flags;
  data->result = g_list_store_new (MISSIVE_TYPE_MAILBOX_INFO);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  if (flags & MISSIVE_LIST_FLAGS_SUBSCRIBED)
    {
      if (extended)
        g_string_append (selection, "SUBSCRIBED");
      data->mark_subscribed = TRUE;
    }
  if (flags & MISSIVE_LIST_FLAGS_SPECIAL_USE)
    {
      if (extended && special_use)
        g_string_append_printf (selection, "%sSPECIAL-USE", selection->len > 0 ? " " : "");
      else
        data->filter_special = TRUE;
    }

  if (extended)
    {
      if (special_use)
        g_string_append (returns, "SPECIAL-USE");
      if (!(flags & MISSIVE_LIST_FLAGS_SUBSCRIBED))
        g_string_append_printf (returns, "%sSUBSCRIBED", returns->len > 0 ? " " : "");
    }
  if ((flags & MISSIVE_LIST_FLAGS_STATUS) && extended &&
      missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_LIST_STATUS))
    {
      g_autofree char *items = status_items (self);

      g_string_append_printf (returns, "%sSTATUS %s", returns->len > 0 ? " " : "", items);
      data->list_status = TRUE;
    }

  if ((flags & MISSIVE_LIST_FLAGS_SUBSCRIBED) && !extended)
    command = missive_imap_command_new (self, "LSUB");
  else if ((flags & MISSIVE_LIST_FLAGS_SPECIAL_USE) && !special_use &&
           missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_XLIST))
    command = missive_imap_command_new (self, "XLIST");
  else
    command = missive_imap_command_new (self, "LIST");

  if (selection->len > 0)
    {
      g_string_prepend_c (selection, '(');
      g_string_append_c (selection, ')');
      missive_imap_command_add_atom (command, selection->str);
    }
  missive_imap_command_add_string (command, "");
  missive_imap_command_add_mailbox (command, pattern != NULL ? pattern : "*");
  if (returns->len > 0)
    {
      g_string_prepend (returns, "RETURN (");
      g_string_append_c (returns, ')');
      missive_imap_command_add_atom (command, returns->str);
    }

  missive_imap_command_set_response_func (command, list_response, data);
  missive_imap_store_run_async (self, command, cancellable, list_done_cb, task);
}

static GListModel *
missive_imap_store_list_mailboxes_finish (MissiveStore  *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- STATUS ----------------------------------------------------------------- */

static gboolean
status_response (MissiveImapStore          *self,
                 MissiveImapCommand        *command,
                 const MissiveImapResponse *response,
                 gpointer                   user_data)
{
  return apply_status_response (self, response, user_data);
}

static void
info_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
}

static void
missive_imap_store_get_mailbox_status_async (MissiveStore        *store,
                                             const char          *name,
                                             int                  io_priority,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveMailboxInfo *info = missive_mailbox_info_new (name);
  MissiveImapCommand *command;

  g_task_set_source_tag (task, missive_imap_store_get_mailbox_status_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, info, g_object_unref);

  command = missive_imap_command_new (self, "STATUS");
  missive_imap_command_add_mailbox (command, name);
  add_status_items (self, command);
  missive_imap_command_set_response_func (command, status_response, info);
  missive_imap_store_run_async (self, command, cancellable, info_done_cb, task);
}

static MissiveMailboxInfo *
info_finish (MissiveStore  *store,
             GAsyncResult  *result,
             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE --------------------------- */

static void
boolean_done_cb (GObject      *source,
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

static void
missive_imap_store_manage_mailbox_async (MissiveStore          *store,
                                         MissiveMailboxAction   action,
                                         const char            *name,
                                         const char            *new_name,
                                         int                    io_priority,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  const char *verb;

  g_task_set_source_tag (task, missive_imap_store_manage_mailbox_async);
  g_task_set_priority (task, io_priority);

  switch (action)
    {
    case MISSIVE_MAILBOX_ACTION_CREATE:
      verb = "CREATE";
      break;
    case MISSIVE_MAILBOX_ACTION_DELETE:
      verb = "DELETE";
      break;
    case MISSIVE_MAILBOX_ACTION_RENAME:
      verb = "RENAME";
      break;
    case MISSIVE_MAILBOX_ACTION_SUBSCRIBE:
      verb = "SUBSCRIBE";
      break;
    case MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE:
      verb = "UNSUBSCRIBE";
      break;
    default:
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "Unknown mailbox action %d", (int) action);
      g_object_unref (task);
      return;
    }
  if (action == MISSIVE_MAILBOX_ACTION_RENAME && (new_name == NULL || new_name[0] == '\0'))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "Renaming needs a new name");
      g_object_unref (task);
      return;
    }

  command = missive_imap_command_new (self, verb);
  missive_imap_command_add_mailbox (command, name);
  if (action == MISSIVE_MAILBOX_ACTION_RENAME)
    missive_imap_command_add_mailbox (command, new_name);
  missive_imap_store_run_async (self, command, cancellable, boolean_done_cb, task);
}

/* ---- SELECT, EXAMINE ------------------------------------------------------------ */

typedef struct
{
  char *name;
  MissiveMailboxInfo *info;
} SelectData;

static void
select_data_free (SelectData *data)
{
  g_free (data->name);
  g_clear_object (&data->info);
  g_free (data);
}

static gboolean
select_response (MissiveImapStore          *self,
                 MissiveImapCommand        *command,
                 const MissiveImapResponse *response,
                 gpointer                   user_data)
{
  SelectData *data = user_data;

  return missive_imap_apply_select_response (response, data->info);
}

static void
select_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  SelectData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      /* A failed SELECT leaves no mailbox selected (RFC 3501 6.3.1). */
      missive_imap_store_clear_selected (self);
      g_task_return_error (task, error);
      return;
    }
  missive_imap_store_set_selected (self, data->name, data->info);
  g_task_return_pointer (task, g_object_ref (data->info), g_object_unref);
}

static void
missive_imap_store_select_mailbox_async (MissiveStore        *store,
                                         const char          *name,
                                         gboolean             read_only,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  SelectData *data;

  g_task_set_source_tag (task, missive_imap_store_select_mailbox_async);
  g_task_set_priority (task, io_priority);

  data = g_new0 (SelectData, 1);
  data->name = g_ascii_strcasecmp (name, "INBOX") == 0 ? g_strdup ("INBOX") : g_strdup (name);
  data->info = missive_mailbox_info_new (data->name);
  /* Without a code saying otherwise, EXAMINE is read-only. */
  missive_mailbox_info_set_read_only (data->info, read_only);
  g_task_set_task_data (task, data, (GDestroyNotify) select_data_free);

  command = missive_imap_command_new (self, read_only ? "EXAMINE" : "SELECT");
  missive_imap_command_add_mailbox (command, name);
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE) &&
      !missive_imap_store_is_enabled (self, MISSIVE_IMAP_CAP_CONDSTORE))
    missive_imap_command_add_atom (command, "(CONDSTORE)");
  /* The responses of SELECT must not mix with those of commands for the
   * previous mailbox: it runs alone. */
  missive_imap_command_set_exclusive (command);
  missive_imap_command_set_response_func (command, select_response, data);

  /* The previous mailbox is closed as soon as SELECT is sent. */
  missive_imap_store_clear_selected (self);
  missive_imap_store_run_async (self, command, cancellable, select_done_cb, task);
}

/* ---- CLOSE, UNSELECT ------------------------------------------------------------ */

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  missive_imap_store_clear_selected (self);
  g_task_return_boolean (task, TRUE);
}

static void
missive_imap_store_close_mailbox_async (MissiveStore        *store,
                                        gboolean             expunge,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const char *verb;

  g_task_set_source_tag (task, missive_imap_store_close_mailbox_async);
  g_task_set_priority (task, io_priority);

  if (self->selected == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "No mailbox is selected");
      g_object_unref (task);
      return;
    }

  if (expunge)
    verb = "CLOSE";
  else if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_UNSELECT))
    verb = "UNSELECT";
  else if (missive_mailbox_info_get_read_only (self->selected_info))
    /* CLOSE removes nothing from a mailbox opened read-only. */
    verb = "CLOSE";
  else
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server cannot close a mailbox without expunging it "
                               "(no UNSELECT): close with expunge, or select another mailbox");
      g_object_unref (task);
      return;
    }

  missive_imap_store_run_async (self, missive_imap_command_new (self, verb), cancellable,
                                close_done_cb, task);
}

void
missive_imap_mailbox_class_init (MissiveStoreClass *klass)
{
  klass->list_mailboxes_async = missive_imap_store_list_mailboxes_async;
  klass->list_mailboxes_finish = missive_imap_store_list_mailboxes_finish;
  klass->get_mailbox_status_async = missive_imap_store_get_mailbox_status_async;
  klass->get_mailbox_status_finish = info_finish;
  klass->manage_mailbox_async = missive_imap_store_manage_mailbox_async;
  klass->manage_mailbox_finish = boolean_finish;
  klass->select_mailbox_async = missive_imap_store_select_mailbox_async;
  klass->select_mailbox_finish = info_finish;
  klass->close_mailbox_async = missive_imap_store_close_mailbox_async;
  klass->close_mailbox_finish = boolean_finish;
}
