/* missive-pop3-mailbox.c: the maildrop as a MissiveStore
 *
 * POP3 has one mailbox, INBOX. Message ids are POP3 message numbers
 * (1..count, stable for the whole session); summaries carry the number as
 * both sequence number and UID, the size from LIST and the UIDL.
 *
 * Deleting: set_flags (\Deleted, ADD) sends DELE for each message;
 * set_flags (\Deleted, REMOVE) sends RSET, which undoes *every* DELE of the
 * session. Deletions are committed only by a clean QUIT (closing the
 * service); a connection that drops, or a QUIT the server refuses,
 * deletes nothing. expunge therefore has nothing to do.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-pop3-private.h"

static gboolean
boolean_task_finish (MissiveStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
pointer_task_finish (MissiveStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- select: STAT ------------------------------------------------------------- */

static void
stat_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  g_autoptr(MissivePop3Command) command = NULL;
  MissiveMailboxInfo *info;
  GError *error = NULL;
  guint32 count;
  guint64 size;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!missive_pop3_parse_scan (command->status.text, &count, &size))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                               "Cannot understand the POP3 server's reply to STAT: “%s”",
                               command->status.text);
      return;
    }
  self->count = count;
  self->size = size;
  info = missive_mailbox_info_new ("INBOX");
  missive_mailbox_info_set_messages (info, count);
  missive_mailbox_info_set_size (info, size);
  g_task_return_pointer (task, info, g_object_unref);
}

static void
missive_pop3_select_mailbox_async (MissiveStore        *store,
                                   const char          *name,
                                   gboolean             read_only,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_pop3_select_mailbox_async);
  if (g_ascii_strcasecmp (name, "INBOX") != 0)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "A POP3 server has only one mailbox, INBOX");
      g_object_unref (task);
      return;
    }
  missive_pop3_store_queue_command (self, task,
                                    missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, "STAT"),
                                    FALSE, stat_cb);
}

static void
missive_pop3_close_mailbox_async (MissiveStore        *store,
                                  gboolean             expunge,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);

  /* Nothing to tell the server: deletions wait for QUIT. */
  g_task_set_source_tag (task, missive_pop3_close_mailbox_async);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ---- summaries: LIST, UIDL, TOP n 0 -------------------------------------------- */

typedef struct
{
  MissiveMessageSet *set;
  MissiveFetchItems items;
  GHashTable *uidls;      /* number → uidl */
  GArray *numbers;        /* guint32, the messages of @set that exist */
  guint next;             /* index in @numbers for TOP */
  guint sent_upto;        /* TOP for numbers[next..sent_upto) already sent */
  GError *error;          /* the first -ERR while replies are pending */
  GListStore *result;
} Summaries;

static void
summaries_free (Summaries *data)
{
  g_clear_error (&data->error);
  missive_message_set_unref (data->set);
  g_clear_pointer (&data->uidls, g_hash_table_unref);
  g_clear_pointer (&data->numbers, g_array_unref);
  g_clear_object (&data->result);
  g_free (data);
}

static MissiveMessageInfo *
make_info (MissivePop3Store *self,
           Summaries        *data,
           guint32           number)
{
  MissiveMessageInfo *info = missive_message_info_new ();
  const guint64 *size = g_hash_table_lookup (self->sizes, GUINT_TO_POINTER (number));
  const char *uidl = data->uidls != NULL ? g_hash_table_lookup (data->uidls, GUINT_TO_POINTER (number))
                                         : NULL;

  missive_message_info_set_sequence (info, number);
  missive_message_info_set_uid (info, number);
  if (size != NULL)
    missive_message_info_set_size (info, *size);
  if (uidl != NULL)
    missive_message_info_set_uidl (info, uidl);
  return info;
}

static void summaries_next_top (GTask *task);

static void
emit_field (MissiveStore *store,
            guint32       number,
            GString      *field)
{
  char *colon;

  if (field->len == 0)
    return;
  colon = strchr (field->str, ':');
  if (colon != NULL && colon != field->str)
    {
      g_autofree char *name = g_strndup (field->str, colon - field->str);
      const char *value = colon + 1;

      while (*value == ' ' || *value == '\t')
        value++;
      missive_store_emit_header (store, number, g_strchomp (name), value);
    }
  g_string_truncate (field, 0);
}

/* Emits ::header for each field of a header block (lines without their
 * CRLF, ending at the first empty line), unfolded. */
static void
emit_headers (MissiveStore *store,
              guint32       number,
              GPtrArray    *lines)
{
  g_autoptr(GString) field = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = lines->pdata[i];

      if (line[0] == '\0')
        break;
      if (line[0] == ' ' || line[0] == '\t')
        {
          /* A folded continuation: unfolding drops only the CRLF. */
          g_string_append (field, line);
          continue;
        }
      emit_field (store, number, field);
      g_string_append (field, line);
    }
  emit_field (store, number, field);
}

static void
top_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  Summaries *data = g_task_get_task_data (task);
  g_autoptr(MissivePop3Command) command = NULL;
  g_autoptr(MissiveMessageInfo) info = NULL;
  g_autoptr(GString) raw = g_string_new (NULL);
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      if (missive_pop3_error_is_reply (error) && data->next + 1 < data->sent_upto)
        {
          /* Pipelined replies are still to come: read them first. */
          if (data->error == NULL)
            data->error = error;
          else
            g_error_free (error);
          data->next++;
          summaries_next_top (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }
  info = make_info (self, data, g_array_index (data->numbers, guint32, data->next));
  for (guint i = 0; i < command->lines->len; i++)
    {
      const char *line = command->lines->pdata[i];

      if (line[0] == '\0')
        break;    /* the empty line after the header */
      g_string_append (raw, line);
      g_string_append (raw, "\r\n");
    }
  {
    g_autoptr(GBytes) bytes = g_string_free_to_bytes (g_steal_pointer (&raw));

    missive_message_info_set_raw_headers (info, bytes);
  }
  missive_message_info_fill_from_headers (info);
  if (missive_store_has_header_listeners (MISSIVE_STORE (self)))
    emit_headers (MISSIVE_STORE (self), g_array_index (data->numbers, guint32, data->next),
                  command->lines);
  missive_store_emit_message_info (MISSIVE_STORE (self), info);
  g_list_store_append (data->result, info);
  data->next++;
  summaries_next_top (g_steal_pointer (&task));
}

static void
top_batch_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_pop3_write_batch_finish (MISSIVE_POP3_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  summaries_next_top (task);
}

/* Takes @task. */
static void
summaries_next_top (GTask *task)
{
  MissivePop3Store *self = g_task_get_source_object (task);
  Summaries *data = g_task_get_task_data (task);
  g_autofree char *line = NULL;
  MissivePop3Command *command;

  if (data->next >= data->numbers->len || (data->error != NULL && data->next >= data->sent_upto))
    {
      if (data->error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->error));
      else
        g_task_return_pointer (task, g_object_ref (data->result), g_object_unref);
      g_object_unref (task);
      return;
    }

  if (data->next >= data->sent_upto && (self->caps & MISSIVE_POP3_CAP_PIPELINING) &&
      data->numbers->len - data->next > 1)
    {
      /* PIPELINING: send the next window of TOP commands at once. */
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      guint end = MIN (data->numbers->len, data->next + MISSIVE_POP3_PIPELINE_WINDOW);

      for (guint i = data->next; i < end; i++)
        g_ptr_array_add (lines, g_strdup_printf ("TOP %u 0", g_array_index (data->numbers, guint32, i)));
      g_ptr_array_add (lines, NULL);
      data->sent_upto = end;
      missive_pop3_write_batch_async (self, (const char * const *) lines->pdata,
                                      g_task_get_cancellable (task), top_batch_cb, task);
      return;
    }

  line = g_strdup_printf ("TOP %u 0", g_array_index (data->numbers, guint32, data->next));
  command = missive_pop3_command_new (MISSIVE_POP3_REPLY_LINES, line);
  command->sent = data->next < data->sent_upto;
  missive_pop3_command_async (self, command, g_task_get_cancellable (task), top_cb, task);
}

/* LIST and UIDL are answered; builds the summaries. Takes @task. */
static void
summaries_build (GTask *task)
{
  MissivePop3Store *self = g_task_get_source_object (task);
  Summaries *data = g_task_get_task_data (task);
  gboolean headers = (data->items & MISSIVE_FETCH_ITEMS_HEADERS) != 0 &&
                     (!self->caps_known || (self->caps & MISSIVE_POP3_CAP_TOP));

  for (guint32 n = 1; n <= self->count && n != 0; n++)
    {
      if (!missive_message_set_contains (data->set, n) ||
          !g_hash_table_contains (self->sizes, GUINT_TO_POINTER (n)))
        continue;   /* not asked for, or deleted */
      if (headers)
        g_array_append_val (data->numbers, n);
      else
        {
          g_autoptr(MissiveMessageInfo) info = make_info (self, data, n);

          missive_store_emit_message_info (MISSIVE_STORE (self), info);
          g_list_store_append (data->result, info);
        }
    }
  summaries_next_top (task);
}

static void
uidl_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  Summaries *data = g_task_get_task_data (task);
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* -ERR: a server without UIDL; the summaries have no UIDLs. */
  if (command->status.ok)
    {
      data->uidls = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
      for (guint i = 0; i < command->lines->len; i++)
        {
          guint32 number;
          char *uidl;

          if (!missive_pop3_parse_uidl (command->lines->pdata[i], &number, &uidl))
            {
              g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                                       "Cannot understand a line of the POP3 server's UIDL "
                                       "listing: “%s”", (const char *) command->lines->pdata[i]);
              g_object_unref (task);
              return;
            }
          g_hash_table_replace (data->uidls, GUINT_TO_POINTER (number), uidl);
        }
    }
  summaries_build (task);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  g_autoptr(MissivePop3Command) command = NULL;
  MissivePop3Command *uidl;
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_hash_table_remove_all (self->sizes);
  for (guint i = 0; i < command->lines->len; i++)
    {
      guint32 number;
      guint64 size;

      if (!missive_pop3_parse_scan (command->lines->pdata[i], &number, &size) || number == 0)
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                                   "Cannot understand a line of the POP3 server's LIST "
                                   "listing: “%s”", (const char *) command->lines->pdata[i]);
          g_object_unref (task);
          return;
        }
      g_hash_table_replace (self->sizes, GUINT_TO_POINTER (number), g_memdup2 (&size, sizeof size));
      if (number > self->count)
        self->count = number;
    }

  if (self->caps_known && !(self->caps & MISSIVE_POP3_CAP_UIDL))
    {
      summaries_build (task);
      return;
    }
  uidl = missive_pop3_command_new (MISSIVE_POP3_REPLY_LINES, "UIDL");
  uidl->keep_err = TRUE;
  missive_pop3_command_async (self, uidl, g_task_get_cancellable (task), uidl_cb, task);
}

/* Takes @task. */
static void
summaries_start (GTask *task)
{
  MissivePop3Store *self = g_task_get_source_object (task);

  missive_pop3_command_async (self, missive_pop3_command_new (MISSIVE_POP3_REPLY_LINES, "LIST"),
                              g_task_get_cancellable (task), list_cb, task);
}

static void
missive_pop3_fetch_summaries_async (MissiveStore        *store,
                                    MissiveMessageSet   *set,
                                    MissiveFetchItems    items,
                                    guint64              changed_since,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Summaries *data = g_new0 (Summaries, 1);

  g_task_set_source_tag (task, missive_pop3_fetch_summaries_async);
  data->set = missive_message_set_ref (set);
  data->items = items;
  data->numbers = g_array_new (FALSE, FALSE, sizeof (guint32));
  data->result = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  g_task_set_task_data (task, data, (GDestroyNotify) summaries_free);
  missive_pop3_store_queue_start (self, task, summaries_start);
}

/* ---- fetch_part: RETR, TOP n 0, TOP n N --------------------------------------------------- */

static void
part_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (MISSIVE_POP3_STORE (source), result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  missive_service_emit_transfer_finished (MISSIVE_SERVICE (source), command->done);
  /* A pipelined fetch cancelled while queued or in its reply: the reply
   * was read to its end to keep the connection in step. */
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

static void
missive_pop3_fetch_part_async (MissiveStore          *store,
                               guint32                message_id,
                               const char            *section,
                               MissiveFetchPartFlags  flags,
                               guint64                offset,
                               guint64                length,
                               GOutputStream         *sink,
                               int                    io_priority,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *line = NULL;
  MissivePop3Command *command;
  const guint64 *size;
  gboolean whole = !(flags & MISSIVE_FETCH_PART_FLAGS_HEADERS);
  gboolean body_only = section != NULL && g_ascii_strcasecmp (section, "TEXT") == 0;

  g_task_set_source_tag (task, missive_pop3_fetch_part_async);
  if ((section != NULL && section[0] != '\0' && !body_only) || offset != 0 || length != 0 ||
      (flags & MISSIVE_FETCH_PART_FLAGS_DECODED) ||
      (body_only && (flags & MISSIVE_FETCH_PART_FLAGS_HEADERS)))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "POP3 fetches whole messages, their headers only or their "
                               "body only (section \"TEXT\")");
      g_object_unref (task);
      return;
    }
  if (message_id == 0)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "POP3 message numbers start at 1");
      g_object_unref (task);
      return;
    }

  if (flags & MISSIVE_FETCH_PART_FLAGS_HEADERS)
    line = g_strdup_printf ("TOP %u 0", message_id);
  else if (self->max_lines >= 0)
    {
      /* The "max-lines" property: the header and N lines of the body. */
      line = g_strdup_printf ("TOP %u %d", message_id, self->max_lines);
      whole = FALSE;
    }
  else
    line = g_strdup_printf ("RETR %u", message_id);
  command = missive_pop3_command_new (MISSIVE_POP3_REPLY_STREAM, line);
  command->sink = g_object_ref (sink);
  command->message_id = message_id;
  /* RETR has no body-only form: the header is read and dropped. */
  command->skip_header = body_only;
  size = g_hash_table_lookup (self->sizes, GUINT_TO_POINTER (message_id));
  command->total = size != NULL && whole && !body_only ? *size : 0;
  /* ::transfer-started comes when the command's turn comes. */
  missive_pop3_store_queue_command (self, task, command, TRUE, part_cb);
}

/* ---- deleting: DELE, RSET ------------------------------------------------------------ */

typedef struct
{
  GArray *numbers;
  guint next;
  guint sent_upto;        /* numbers[next..sent_upto) are already sent */
  GError *error;          /* the first -ERR while replies are pending */
  GListStore *result;
} Deleting;

static void
deleting_free (Deleting *data)
{
  g_clear_error (&data->error);
  g_clear_pointer (&data->numbers, g_array_unref);
  g_clear_object (&data->result);
  g_free (data);
}

static void dele_next (GTask *task);

static void
dele_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissivePop3Store *self = MISSIVE_POP3_STORE (source);
  Deleting *data = g_task_get_task_data (task);
  g_autoptr(MissivePop3Command) command = NULL;
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };
  guint32 number = g_array_index (data->numbers, guint32, data->next);
  GError *error = NULL;

  command = missive_pop3_command_finish (self, result, &error);
  if (command == NULL)
    {
      if (missive_pop3_error_is_reply (error) && data->next + 1 < data->sent_upto)
        {
          /* Pipelined replies are still to come: read them first. */
          if (data->error == NULL)
            data->error = error;
          else
            g_error_free (error);
          data->next++;
          dele_next (task);
          return;
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  missive_message_info_set_sequence (info, number);
  missive_message_info_set_uid (info, number);
  missive_message_info_set_flags (info, deleted);
  g_list_store_append (data->result, info);
  g_hash_table_remove (self->sizes, GUINT_TO_POINTER (number));
  data->next++;
  dele_next (task);
}

static void
dele_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_pop3_write_batch_finish (MISSIVE_POP3_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  dele_next (task);
}

/* Takes @task. */
static void
dele_next (GTask *task)
{
  MissivePop3Store *self = g_task_get_source_object (task);
  Deleting *data = g_task_get_task_data (task);
  g_autofree char *line = NULL;
  MissivePop3Command *command;

  if (data->next >= data->numbers->len || (data->error != NULL && data->next >= data->sent_upto))
    {
      if (data->error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->error));
      else
        g_task_return_pointer (task, g_object_ref (data->result), g_object_unref);
      g_object_unref (task);
      return;
    }

  if (data->next >= data->sent_upto && (self->caps & MISSIVE_POP3_CAP_PIPELINING) &&
      data->numbers->len - data->next > 1)
    {
      /* PIPELINING: send the next window of DELE commands at once. */
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      guint end = MIN (data->numbers->len, data->next + MISSIVE_POP3_PIPELINE_WINDOW);

      for (guint i = data->next; i < end; i++)
        g_ptr_array_add (lines, g_strdup_printf ("DELE %u", g_array_index (data->numbers, guint32, i)));
      g_ptr_array_add (lines, NULL);
      data->sent_upto = end;
      missive_pop3_write_batch_async (self, (const char * const *) lines->pdata,
                                      g_task_get_cancellable (task), dele_batch_cb, task);
      return;
    }

  line = g_strdup_printf ("DELE %u", g_array_index (data->numbers, guint32, data->next));
  command = missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, line);
  command->sent = data->next < data->sent_upto;
  missive_pop3_command_async (self, command, g_task_get_cancellable (task), dele_cb, task);
}

static void
rset_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Deleting *data = g_task_get_task_data (task);
  g_autoptr(MissivePop3Command) command = NULL;
  GError *error = NULL;

  command = missive_pop3_command_finish (MISSIVE_POP3_STORE (source), result, &error);
  if (command == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The sizes of the undeleted messages come back with the next LIST. */
  g_task_return_pointer (task, g_object_ref (data->result), g_object_unref);
}

static gboolean
collect_number (guint32  id,
                gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, id);
  return TRUE;
}

static void
missive_pop3_set_flags_async (MissiveStore        *store,
                              MissiveMessageSet   *set,
                              MissiveFlagChange    change,
                              const char * const  *flags,
                              guint64              unchanged_since,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MissivePop3Store *self = MISSIVE_POP3_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Deleting *data = g_new0 (Deleting, 1);

  g_task_set_source_tag (task, missive_pop3_set_flags_async);
  data->numbers = g_array_new (FALSE, FALSE, sizeof (guint32));
  data->result = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  g_task_set_task_data (task, data, (GDestroyNotify) deleting_free);

  if (flags == NULL || flags[0] == NULL || flags[1] != NULL ||
      g_ascii_strcasecmp (flags[0], MISSIVE_FLAG_DELETED) != 0 ||
      change == MISSIVE_FLAG_CHANGE_REPLACE)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "POP3 has only the \\Deleted flag, added (DELE) or removed "
                               "from all messages at once (RSET)");
      g_object_unref (task);
      return;
    }

  if (change == MISSIVE_FLAG_CHANGE_REMOVE)
    {
      /* RSET undoes every DELE of the session, whatever @set says. */
      missive_pop3_store_queue_command (self, task,
                                        missive_pop3_command_new (MISSIVE_POP3_REPLY_SINGLE, "RSET"),
                                        FALSE, rset_cb);
      return;
    }

  if (missive_message_set_get_max (set) == G_MAXUINT32)
    {
      /* "n:*": up to the last message. */
      for (guint32 n = missive_message_set_get_min (set); n >= 1 && n <= self->count; n++)
        if (missive_message_set_contains (set, n))
          g_array_append_val (data->numbers, n);
    }
  else
    missive_message_set_foreach (set, collect_number, data->numbers);
  missive_pop3_store_queue_start (self, task, dele_next);
}

static void
missive_pop3_expunge_async (MissiveStore        *store,
                            MissiveMessageSet   *set,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);

  /* Messages marked with DELE go when the session ends with QUIT. */
  g_task_set_source_tag (task, missive_pop3_expunge_async);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
missive_pop3_store_class_init_mailbox (MissiveStoreClass *klass)
{
  klass->select_mailbox_async = missive_pop3_select_mailbox_async;
  klass->select_mailbox_finish = (MissiveMailboxInfo *(*) (MissiveStore *, GAsyncResult *, GError **)) pointer_task_finish;
  klass->close_mailbox_async = missive_pop3_close_mailbox_async;
  klass->close_mailbox_finish = boolean_task_finish;
  klass->fetch_summaries_async = missive_pop3_fetch_summaries_async;
  klass->fetch_summaries_finish = (GListModel *(*) (MissiveStore *, GAsyncResult *, GError **)) pointer_task_finish;
  klass->fetch_part_async = missive_pop3_fetch_part_async;
  klass->fetch_part_finish = boolean_task_finish;
  klass->set_flags_async = missive_pop3_set_flags_async;
  klass->set_flags_finish = (GListModel *(*) (MissiveStore *, GAsyncResult *, GError **)) pointer_task_finish;
  klass->expunge_async = missive_pop3_expunge_async;
  klass->expunge_finish = boolean_task_finish;
}
