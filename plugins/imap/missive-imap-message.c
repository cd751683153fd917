/* missive-imap-message.c: SEARCH, SORT, STORE, COPY/MOVE, APPEND, EXPUNGE
 *
 * (FETCH is in missive-imap-fetch.c.)
 *
 * Message sets are UIDs or sequence numbers after the store's use-uid
 * property; commands get the "UID" prefix accordingly. Large sets are
 * split with missive_message_set_split() so that no command line grows
 * beyond the server's limit (missive_imap_store_get_max_set_length(): about
 * 8 KB unless the server is known for more), and the pieces are pipelined,
 * a few at a time (missive_imap_run_chunks_async()).
 *
 * MOVE without the MOVE extension is COPY, then STORE +FLAGS.SILENT
 * (\Deleted), then UID EXPUNGE of exactly those messages. UID EXPUNGE
 * needs UIDPLUS (or IMAP4rev2): without it a plain EXPUNGE would also
 * remove every other message someone flagged \Deleted, so the copies are
 * made and the originals are left flagged \Deleted; a ::warning says so.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-convert.h"
#include "missive-imap-private.h"

/* Pieces of one operation in flight at once. */
#define MAX_IN_FLIGHT 4

static MissiveImapCommand *
new_command (MissiveImapStore *self,
             const char       *name)
{
  g_autofree char *full = NULL;

  if (!missive_imap_store_get_use_uid (self))
    return missive_imap_command_new (self, name);
  full = g_strconcat ("UID ", name, NULL);
  return missive_imap_command_new (self, full);
}

static gboolean
check_selected (MissiveImapStore  *self,
                GError           **error)
{
  if (missive_imap_store_get_selected (self) == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "No mailbox is selected");
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_uid_expunge (MissiveImapStore *self)
{
  return missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_UIDPLUS) ||
         missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_IMAP4REV2);
}

/* ---- one command per piece of a set ---- */

typedef struct
{
  char **pieces;
  guint next;
  guint running;
  MissiveImapChunkBuildFunc build;
  gpointer build_data;
  GError *error;
  gboolean launching;
  gboolean returned;
} Chunks;

static void
chunks_free (gpointer data)
{
  Chunks *c = data;

  g_strfreev (c->pieces);
  g_clear_error (&c->error);
  g_free (c);
}

static void run_more_chunks (GTask *task);

static void
on_chunk_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Chunks *c = g_task_get_task_data (task);
  GError *error = NULL;

  c->running--;
  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      if (c->error == NULL)
        c->error = error;
      else
        g_error_free (error);
    }
  run_more_chunks (task);
}

static void
run_more_chunks (GTask *task)
{
  Chunks *c = g_task_get_task_data (task);
  MissiveImapStore *self = g_task_get_source_object (task);

  /* A command may complete while it is being started (a connection that
   * is gone): the outer call goes on. */
  if (c->launching)
    return;
  c->launching = TRUE;
  while (c->error == NULL && c->pieces[c->next] != NULL && c->running < MAX_IN_FLIGHT)
    {
      MissiveImapCommand *command = c->build (self, c->pieces[c->next++], c->build_data);

      c->running++;
      missive_imap_store_run_async (self, command, g_task_get_cancellable (task),
                                    on_chunk_done, g_object_ref (task));
    }
  c->launching = FALSE;

  if (c->returned || c->running > 0)
    return;
  if (c->error != NULL)
    {
      c->returned = TRUE;
      g_task_return_error (task, g_steal_pointer (&c->error));
    }
  else if (c->pieces[c->next] == NULL)
    {
      c->returned = TRUE;
      g_task_return_boolean (task, TRUE);
    }
}

void
missive_imap_run_chunks_async (MissiveImapStore          *self,
                               MissiveMessageSet         *set,
                               MissiveImapChunkBuildFunc  build,
                               gpointer                   build_data,
                               GCancellable              *cancellable,
                               GAsyncReadyCallback        callback,
                               gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Chunks *c = g_new0 (Chunks, 1);

  g_task_set_source_tag (task, missive_imap_run_chunks_async);
  /* Lines stay under the server's limit (about 8 KB unless the server is
   * known for more). */
  c->pieces = missive_message_set_split (set, missive_imap_store_get_max_set_length (self));
  c->build = build;
  c->build_data = build_data;
  g_task_set_task_data (task, c, chunks_free);
  run_more_chunks (task);
}

gboolean
missive_imap_run_chunks_finish (MissiveImapStore  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- SEARCH ---- */

typedef struct
{
  MissiveImapCommand *command;
  guint count;
} TokenTarget;

static void
add_search_token (gboolean    is_string,
                  const char *text,
                  gpointer    user_data)
{
  TokenTarget *target = user_data;

  if (is_string)
    missive_imap_command_add_string (target->command, text);
  else
    missive_imap_command_add_atom (target->command, text);
  target->count++;
}

/* Adds the criteria of @query (ALL when it has none); CHARSET UTF-8 first
 * when @charset and the query holds non-ASCII text (unless UTF8=ACCEPT is
 * on, which makes UTF-8 the rule). */
static void
add_search_program (MissiveImapStore   *self,
                    MissiveImapCommand *command,
                    MissiveSearchQuery *query,
                    gboolean            charset)
{
  TokenTarget target = { command, 0 };

  if (charset && missive_search_query_needs_utf8 (query) &&
      !missive_imap_store_is_enabled (self, MISSIVE_IMAP_CAP_UTF8_ACCEPT))
    {
      missive_imap_command_add_atom (command, "CHARSET");
      missive_imap_command_add_atom (command, "UTF-8");
    }
  missive_search_query_foreach_token (query, add_search_token, &target);
  if (target.count == 0)
    missive_imap_command_add_atom (command, "ALL");
}

/* Adds the numbers of a SEARCH or SORT response (atoms) to @set and/or
 * @array; stops at a "(MODSEQ n)" list. */
static gboolean
collect_numbers (const MissiveImapResponse  *response,
                 MissiveMessageSet          *set,
                 GArray                     *array,
                 GError                    **error)
{
  for (const MissiveImapValue *v = response->args; v != NULL; v = v->next)
    {
      guint64 n;

      if (v->type == MISSIVE_IMAP_VALUE_LIST)
        break;
      if (!missive_imap_value_get_number (v, &n) || n == 0 || n > G_MAXUINT32)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "The %s response holds \"%s\", not a message number",
                       response->keyword, v->data != NULL ? v->data : "(list)");
          return FALSE;
        }
      if (set != NULL)
        missive_message_set_add (set, (guint32) n);
      if (array != NULL)
        {
          guint32 id = (guint32) n;

          g_array_append_val (array, id);
        }
    }
  return TRUE;
}

/* Whether an ESEARCH response's "(TAG "A0004")" names @command. An
 * ESEARCH without a tag is taken as ours (RFC 4731 makes it optional). */
static gboolean
esearch_is_ours (const MissiveImapResponse *response,
                 MissiveImapCommand        *command)
{
  const MissiveImapValue *first = response->args;
  const char *tag;

  if (first == NULL || first->type != MISSIVE_IMAP_VALUE_LIST)
    return TRUE;
  tag = missive_imap_value_get_string (missive_imap_value_lookup (first, "TAG"));
  return tag != NULL && g_strcmp0 (tag, missive_imap_command_get_tag (command)) == 0;
}

static gboolean
on_search_response (MissiveImapStore          *store,
                    MissiveImapCommand        *command,
                    const MissiveImapResponse *response,
                    gpointer                   user_data)
{
  MissiveMessageSet *result = user_data;
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->keyword == NULL)
    return FALSE;

  if (g_str_equal (response->keyword, "SEARCH"))
    {
      if (!collect_numbers (response, result, NULL, &error))
        missive_imap_command_fail (command, error);
      return TRUE;
    }

  if (g_str_equal (response->keyword, "ESEARCH"))
    {
      const MissiveImapValue *v = response->args;

      if (!esearch_is_ours (response, command))
        return FALSE;
      if (v != NULL && v->type == MISSIVE_IMAP_VALUE_LIST)
        v = v->next;
      if (missive_imap_value_is_atom (v, "UID"))
        v = v->next;
      /* name value pairs: ALL, and COUNT / MIN / MAX we did not ask for */
      for (; v != NULL && v->next != NULL; v = v->next->next)
        {
          if (missive_imap_value_is_atom (v, "ALL"))
            {
              g_autoptr(MissiveMessageSet) all = missive_imap_set_from_value (v->next, &error);

              if (all == NULL)
                {
                  missive_imap_command_fail (command, error);
                  return TRUE;
                }
              missive_message_set_add_set (result, all);
            }
        }
      return TRUE;
    }

  return FALSE;
}

static void
on_search_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, missive_message_set_ref (g_task_get_task_data (task)),
                           (GDestroyNotify) missive_message_set_unref);
}

static void
imap_search_async (MissiveStore        *store,
                   MissiveSearchQuery  *query,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveMessageSet *result;
  MissiveImapCommand *command;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_search_async);
  g_task_set_priority (task, io_priority);
  if (!check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  result = missive_message_set_new ();
  g_task_set_task_data (task, result, (GDestroyNotify) missive_message_set_unref);

  command = new_command (self, "SEARCH");
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_ESEARCH))
    {
      missive_imap_command_add_atom (command, "RETURN");
      missive_imap_command_add_atom (command, "(ALL)");
    }
  add_search_program (self, command, query, TRUE);
  missive_imap_command_set_response_func (command, on_search_response, result);
  missive_imap_store_run_async (self, command, cancellable, on_search_done,
                                g_steal_pointer (&task));
}

static MissiveMessageSet *
imap_search_finish (MissiveStore  *store,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- SORT ---- */

/* ESORT's ALL (RFC 5267): a sequence set in sort order, where "n:m" runs
 * down when n > m. At most @bound ids (a hostile "1:4294967295" must not
 * allocate gigabytes). */
static gboolean
append_ordered_set (GArray      *ids,
                    const char  *text,
                    guint64      bound,
                    GError     **error)
{
  g_auto(GStrv) pieces = g_strsplit (text, ",", -1);

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      char *colon = strchr (pieces[i], ':');
      guint64 first, last;

      if (colon != NULL)
        *colon = '\0';
      if (!g_ascii_string_to_unsigned (pieces[i], 10, 1, G_MAXUINT32, &first, NULL) ||
          (colon != NULL &&
           !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT32, &last, NULL)))
        goto bad;
      if (colon == NULL)
        last = first;
      if ((first > last ? first - last : last - first) + 1 + ids->len > bound)
        goto bad;
      for (guint64 id = first;; id = first > last ? id - 1 : id + 1)
        {
          guint32 value = (guint32) id;

          g_array_append_val (ids, value);
          if (id == last)
            break;
        }
    }
  return TRUE;

bad:
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
               "The server sent a malformed or oversized ESORT result");
  return FALSE;
}

static gboolean
on_sort_response (MissiveImapStore          *store,
                  MissiveImapCommand        *command,
                  const MissiveImapResponse *response,
                  gpointer                   user_data)
{
  GArray *ids = user_data;
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    return FALSE;
  if (g_strcmp0 (response->keyword, "ESEARCH") == 0)
    {
      MissiveMailboxInfo *info = missive_imap_store_get_selected_info (store);
      guint64 bound = (info != NULL ? missive_mailbox_info_get_messages (info) : 0) + 1024;
      const MissiveImapValue *v = response->args;

      if (!esearch_is_ours (response, command))
        return FALSE;
      if (v != NULL && v->type == MISSIVE_IMAP_VALUE_LIST)
        v = v->next;
      if (missive_imap_value_is_atom (v, "UID"))
        v = v->next;
      for (; v != NULL && v->next != NULL; v = v->next->next)
        {
          if (missive_imap_value_is_atom (v, "ALL") &&
              (v->next->type != MISSIVE_IMAP_VALUE_ATOM ||
               !append_ordered_set (ids, v->next->data, bound, &error)))
            {
              if (error == NULL)
                error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                             "The server sent a malformed ESORT result");
              missive_imap_command_fail (command, error);
              return TRUE;
            }
        }
      return TRUE;
    }
  if (g_strcmp0 (response->keyword, "SORT") != 0)
    return FALSE;
  if (!collect_numbers (response, NULL, ids, &error))
    missive_imap_command_fail (command, error);
  return TRUE;
}

static void
on_sort_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_array_ref (g_task_get_task_data (task)),
                           (GDestroyNotify) g_array_unref);
}

static void
imap_sort_async (MissiveStore        *store,
                 const char          *sort_criteria,
                 MissiveSearchQuery  *query,
                 int                  io_priority,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *criteria = NULL;
  MissiveImapCommand *command;
  GArray *ids;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_sort_async);
  g_task_set_priority (task, io_priority);
  if (!check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_SORT))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not support SORT");
      return;
    }
  if (sort_criteria == NULL || *sort_criteria == '\0' ||
      strpbrk (sort_criteria, "\r\n\"{") != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "Invalid sort criteria");
      return;
    }
  criteria = sort_criteria[0] == '(' ? g_strdup (sort_criteria)
                                     : g_strdup_printf ("(%s)", sort_criteria);

  ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_task_set_task_data (task, ids, (GDestroyNotify) g_array_unref);

  command = new_command (self, "SORT");
  /* ESORT (RFC 5267): the result as a compact set in sort order. */
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_ESORT))
    missive_imap_command_add_atom (command, "RETURN (ALL)");
  missive_imap_command_add_atom (command, criteria);
  /* SORT always names a charset; UTF-8 is one every server must know. */
  missive_imap_command_add_atom (command, "UTF-8");
  add_search_program (self, command, query, FALSE);
  missive_imap_command_set_response_func (command, on_sort_response, ids);
  missive_imap_store_run_async (self, command, cancellable, on_sort_done,
                                g_steal_pointer (&task));
}

static GArray *
imap_sort_finish (MissiveStore  *store,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- STORE ---- */

/* A flag or keyword: "\Seen", "$Junk", "NonJunk" (an atom, optionally
 * after one backslash). */
static gboolean
is_valid_flag (const char *flag)
{
  const char *p = flag;

  if (*p == '\\')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= ' ' || c >= 0x7f || strchr ("(){%*\"\\]", c) != NULL)
        return FALSE;
    }
  return TRUE;
}

/* "(\Seen $Junk)", or NULL with an error if a flag is not valid. */
static char *
flag_list (const char * const  *flags,
           GError             **error)
{
  GString *s = g_string_new ("(");

  for (gsize i = 0; flags != NULL && flags[i] != NULL; i++)
    {
      if (!is_valid_flag (flags[i]))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "\"%s\" is not a valid flag or keyword", flags[i]);
          g_string_free (s, TRUE);
          return NULL;
        }
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, flags[i]);
    }
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

typedef struct
{
  MissiveMessageSet *set;
  char *action;              /* "+FLAGS", "-FLAGS.SILENT", ... */
  char *flags;               /* "(\Seen)" */
  guint64 unchanged_since;
  GListStore *result;        /* NULL for .SILENT */
  MissiveMessageSet *modified;
  gboolean decode;
} StoreFlags;

static void
store_flags_free (gpointer data)
{
  StoreFlags *sf = data;

  g_clear_pointer (&sf->set, missive_message_set_unref);
  g_free (sf->action);
  g_free (sf->flags);
  g_clear_object (&sf->result);
  g_clear_pointer (&sf->modified, missive_message_set_unref);
  g_free (sf);
}

static gboolean
on_store_response (MissiveImapStore          *store,
                   MissiveImapCommand        *command,
                   const MissiveImapResponse *response,
                   gpointer                   user_data)
{
  StoreFlags *sf = user_data;

  if (response->kind == MISSIVE_IMAP_RESPONSE_TAGGED)
    {
      /* RFC 7162: [MODIFIED set] lists what UNCHANGEDSINCE left alone. */
      if (g_strcmp0 (response->code, "MODIFIED") == 0 && response->code_args != NULL)
        {
          g_autoptr(MissiveMessageSet) modified = NULL;

          modified = missive_imap_set_from_value (response->code_args, NULL);
          if (modified != NULL)
            missive_message_set_add_set (sf->modified, modified);
        }
      return TRUE;
    }

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "FETCH") != 0 || !response->has_number ||
      sf->result == NULL)
    return FALSE;

  {
    g_autoptr(MissiveMessageInfo) info = NULL;
    GError *error = NULL;
    guint64 uid = 0;
    guint32 id = response->number;

    if (missive_imap_store_get_use_uid (store))
      {
        const MissiveImapValue *value = missive_imap_value_lookup (response->args, "UID");

        if (!missive_imap_value_get_number (value, &uid) || uid > G_MAXUINT32)
          return FALSE;
        id = (guint32) uid;
      }
    if (!missive_message_set_contains (sf->set, id))
      return FALSE;

    info = missive_message_info_new ();
    if (!missive_imap_fetch_to_info (response, info, sf->decode, NULL, NULL, &error))
      missive_imap_command_fail (command, error);
    else
      g_list_store_append (sf->result, info);
    return TRUE;
  }
}

static MissiveImapCommand *
build_store (MissiveImapStore *store,
             const char       *piece,
             gpointer          user_data)
{
  StoreFlags *sf = user_data;
  MissiveImapCommand *command = new_command (store, "STORE");

  missive_imap_command_add_atom (command, piece);
  if (sf->unchanged_since > 0)
    {
      g_autofree char *modifier = g_strdup_printf ("(UNCHANGEDSINCE %" G_GUINT64_FORMAT ")",
                                                   sf->unchanged_since);

      missive_imap_command_add_atom (command, modifier);
    }
  missive_imap_command_add_atom (command, sf->action);
  missive_imap_command_add_atom (command, sf->flags);
  missive_imap_command_set_response_func (command, on_store_response, sf);
  return command;
}

static StoreFlags *
store_flags_new (MissiveImapStore   *self,
                 MissiveMessageSet  *set,
                 MissiveFlagChange   change,
                 char               *flags,
                 guint64             unchanged_since,
                 gboolean            silent)
{
  StoreFlags *sf = g_new0 (StoreFlags, 1);
  const char *prefix = change == MISSIVE_FLAG_CHANGE_ADD ? "+" :
                       change == MISSIVE_FLAG_CHANGE_REMOVE ? "-" : "";

  sf->set = missive_message_set_ref (set);
  sf->action = g_strdup_printf ("%sFLAGS%s", prefix, silent ? ".SILENT" : "");
  sf->flags = flags;
  sf->unchanged_since = unchanged_since;
  sf->result = silent ? NULL : g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  sf->modified = missive_message_set_new ();
  sf->decode = missive_imap_store_get_decode_headers (self);
  return sf;
}

static void
on_set_flags_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreFlags *sf = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_run_chunks_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!missive_message_set_is_empty (sf->modified))
    {
      g_autofree char *ids = missive_message_set_to_string (sf->modified);
      g_autoptr(GError) warning = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO,
                                               "Messages %s changed after modification "
                                               "sequence %" G_GUINT64_FORMAT
                                               " and were left alone", ids,
                                               sf->unchanged_since);

      missive_service_emit_warning (MISSIVE_SERVICE (source), warning);
    }
  g_task_return_pointer (task, g_object_ref (sf->result), g_object_unref);
}

static void
imap_set_flags_async (MissiveStore        *store,
                      MissiveMessageSet   *set,
                      MissiveFlagChange    change,
                      const char * const  *flags,
                      guint64              unchanged_since,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  StoreFlags *sf;
  char *list;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_set_flags_async);
  g_task_set_priority (task, io_priority);
  if (!check_selected (self, &error) || (list = flag_list (flags, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (unchanged_since > 0 && !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE))
    {
      g_free (list);
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not support CONDSTORE (UNCHANGEDSINCE)");
      return;
    }

  sf = store_flags_new (self, set, change, list, unchanged_since, FALSE);
  g_task_set_task_data (task, sf, store_flags_free);
  missive_imap_run_chunks_async (self, set, build_store, sf, cancellable,
                                 on_set_flags_done, g_steal_pointer (&task));
}

static GListModel *
imap_set_flags_finish (MissiveStore  *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- UID EXPUNGE of a set ---- */

static MissiveImapCommand *
build_uid_expunge (MissiveImapStore *store,
                   const char       *piece,
                   gpointer          user_data)
{
  MissiveImapCommand *command = missive_imap_command_new (store, "UID EXPUNGE");

  missive_imap_command_add_atom (command, piece);
  return command;
}

/* ---- COPY / MOVE ---- */

typedef enum
{
  COPY_STEP_COPY,      /* COPY or MOVE */
  COPY_STEP_FLAG,      /* fallback: STORE +FLAGS.SILENT (\Deleted) */
  COPY_STEP_EXPUNGE,   /* fallback: UID EXPUNGE */
} CopyStep;

typedef struct
{
  MissiveMessageSet *set;
  char *destination;
  gboolean use_move;     /* the MOVE command */
  gboolean fallback;     /* COPY + STORE + UID EXPUNGE */
  CopyStep step;
  guint32 uid_validity;
  MissiveMessageSet *source_uids;
  MissiveMessageSet *destination_uids;
  StoreFlags *flagging;
} CopyMessages;

static void
copy_messages_free (gpointer data)
{
  CopyMessages *cm = data;

  g_clear_pointer (&cm->set, missive_message_set_unref);
  g_free (cm->destination);
  g_clear_pointer (&cm->source_uids, missive_message_set_unref);
  g_clear_pointer (&cm->destination_uids, missive_message_set_unref);
  g_clear_pointer (&cm->flagging, store_flags_free);
  g_free (cm);
}

/* RFC 4315 COPYUID: "uidvalidity source-set destination-set" */
static gboolean
apply_copyuid (CopyMessages           *cm,
               const MissiveImapValue *args,
               GError                **error)
{
  g_autoptr(MissiveMessageSet) source = NULL;
  g_autoptr(MissiveMessageSet) destination = NULL;
  guint64 validity;

  if (!missive_imap_value_get_number (args, &validity) || validity == 0 || validity > G_MAXUINT32 ||
      args->next == NULL || args->next->next == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a malformed COPYUID response code");
      return FALSE;
    }
  source = missive_imap_set_from_value (args->next, error);
  if (source == NULL)
    return FALSE;
  destination = missive_imap_set_from_value (args->next->next, error);
  if (destination == NULL)
    return FALSE;
  if (missive_message_set_get_count (source) != missive_message_set_get_count (destination))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a COPYUID with sets of different sizes");
      return FALSE;
    }
  cm->uid_validity = (guint32) validity;
  missive_message_set_add_set (cm->source_uids, source);
  missive_message_set_add_set (cm->destination_uids, destination);
  return TRUE;
}

static gboolean
on_copy_response (MissiveImapStore          *store,
                  MissiveImapCommand        *command,
                  const MissiveImapResponse *response,
                  gpointer                   user_data)
{
  CopyMessages *cm = user_data;
  GError *error = NULL;

  /* COPYUID comes in the tagged OK of COPY, and in an untagged OK before
   * the expunges of MOVE. */
  if (response->status != MISSIVE_IMAP_STATUS_OK ||
      g_strcmp0 (response->code, "COPYUID") != 0)
    return response->kind == MISSIVE_IMAP_RESPONSE_TAGGED;

  if (!apply_copyuid (cm, response->code_args, &error))
    missive_imap_command_fail (command, error);
  return TRUE;
}

static MissiveImapCommand *
build_copy (MissiveImapStore *store,
            const char       *piece,
            gpointer          user_data)
{
  CopyMessages *cm = user_data;
  MissiveImapCommand *command = new_command (store, cm->use_move ? "MOVE" : "COPY");

  missive_imap_command_add_atom (command, piece);
  missive_imap_command_add_mailbox (command, cm->destination);
  missive_imap_command_set_response_func (command, on_copy_response, cm);
  return command;
}

static void copy_messages_next (GTask *task);

static void
on_copy_step_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_run_chunks_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  copy_messages_next (g_steal_pointer (&task));
}

static void
copy_messages_return (GTask *task)
{
  CopyMessages *cm = g_task_get_task_data (task);

  if (cm->uid_validity == 0)
    g_task_return_pointer (task, missive_uid_map_new (0, NULL, NULL), g_object_unref);
  else
    g_task_return_pointer (task, missive_uid_map_new (cm->uid_validity, cm->source_uids,
                                                      cm->destination_uids),
                           g_object_unref);
}

/* After each step: the next one, or the result. */
static void
copy_messages_next (GTask *task)
{
  CopyMessages *cm = g_task_get_task_data (task);
  MissiveImapStore *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!cm->fallback || cm->step == COPY_STEP_EXPUNGE)
    {
      copy_messages_return (task);
      return;
    }

  if (cm->step == COPY_STEP_COPY)
    {
      cm->step = COPY_STEP_FLAG;
      cm->flagging = store_flags_new (self, cm->set, MISSIVE_FLAG_CHANGE_ADD,
                                      g_strdup ("(\\Deleted)"), 0, TRUE);
      missive_imap_run_chunks_async (self, cm->set, build_store, cm->flagging, cancellable,
                                     on_copy_step_done, task);
      return;
    }

  /* COPY_STEP_FLAG done: expunge exactly the originals, by UID. */
  cm->step = COPY_STEP_EXPUNGE;
  {
    MissiveMessageSet *uids = missive_imap_store_get_use_uid (self) ? cm->set : cm->source_uids;

    if (!has_uid_expunge (self) || missive_message_set_is_empty (uids))
      {
        g_autoptr(GError) warning =
          g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server has neither MOVE nor UIDPLUS: the messages "
                               "were copied and flagged \\Deleted, but not expunged");

        missive_service_emit_warning (MISSIVE_SERVICE (self), warning);
        copy_messages_return (task);
        return;
      }
    missive_imap_run_chunks_async (self, uids, build_uid_expunge, NULL, cancellable,
                                   on_copy_step_done, task);
  }
}

static void
imap_copy_messages_async (MissiveStore        *store,
                          MissiveMessageSet   *set,
                          const char          *destination,
                          gboolean             move,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CopyMessages *cm;
  gboolean has_move;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_copy_messages_async);
  g_task_set_priority (task, io_priority);
  if (!check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  has_move = missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_MOVE) ||
             missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_IMAP4REV2);

  cm = g_new0 (CopyMessages, 1);
  cm->set = missive_message_set_ref (set);
  cm->destination = g_strdup (destination);
  cm->use_move = move && has_move;
  cm->fallback = move && !has_move;
  cm->step = COPY_STEP_COPY;
  cm->source_uids = missive_message_set_new ();
  cm->destination_uids = missive_message_set_new ();
  g_task_set_task_data (task, cm, copy_messages_free);

  missive_imap_run_chunks_async (self, set, build_copy, cm, cancellable,
                                 on_copy_step_done, g_steal_pointer (&task));
}

static MissiveUidMap *
imap_copy_messages_finish (MissiveStore  *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- APPEND ---- */

typedef struct
{
  guint32 uid_validity;
  MissiveMessageSet *uids;
} AppendResult;

static void
append_result_free (gpointer data)
{
  AppendResult *ar = data;

  g_clear_pointer (&ar->uids, missive_message_set_unref);
  g_free (ar);
}

static gboolean
on_append_response (MissiveImapStore          *store,
                    MissiveImapCommand        *command,
                    const MissiveImapResponse *response,
                    gpointer                   user_data)
{
  AppendResult *ar = user_data;
  const MissiveImapValue *args = response->code_args;
  guint64 validity;
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_TAGGED)
    return FALSE;
  if (response->status != MISSIVE_IMAP_STATUS_OK || g_strcmp0 (response->code, "APPENDUID") != 0)
    return TRUE;

  /* RFC 4315 APPENDUID: "uidvalidity uid-set" */
  if (!missive_imap_value_get_number (args, &validity) || validity == 0 ||
      validity > G_MAXUINT32 || args->next == NULL)
    {
      missive_imap_command_fail (command,
                                 g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                                      "The server sent a malformed APPENDUID "
                                                      "response code"));
      return TRUE;
    }
  ar->uids = missive_imap_set_from_value (args->next, &error);
  if (ar->uids == NULL)
    {
      missive_imap_command_fail (command, error);
      return TRUE;
    }
  ar->uid_validity = (guint32) validity;
  return TRUE;
}

static void
on_append_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AppendResult *ar = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else if (ar->uids == NULL)
    g_task_return_pointer (task, missive_uid_map_new (0, NULL, NULL), g_object_unref);
  else
    g_task_return_pointer (task, missive_uid_map_new (ar->uid_validity, NULL, ar->uids),
                           g_object_unref);
}

static void
imap_append_message_async (MissiveStore        *store,
                           const char          *mailbox,
                           GInputStream        *message,
                           goffset              size,
                           const char * const  *flags,
                           GDateTime           *internal_date,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *list = NULL;
  MissiveImapCommand *command;
  AppendResult *ar;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_append_message_async);
  g_task_set_priority (task, io_priority);
  if (size < 0 || (guint64) size > G_MAXUINT32)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "An IMAP message must be smaller than 4 GiB");
      return;
    }
  if (missive_imap_store_get_append_limit (self) > 0 &&
      (guint64) size > missive_imap_store_get_append_limit (self))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE,
                               "The message (%" G_GUINT64_FORMAT " bytes) is larger than the "
                               "server accepts (APPENDLIMIT %" G_GUINT64_FORMAT ")",
                               (guint64) size, missive_imap_store_get_append_limit (self));
      return;
    }
  if (flags != NULL && flags[0] != NULL && (list = flag_list (flags, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ar = g_new0 (AppendResult, 1);
  g_task_set_task_data (task, ar, append_result_free);

  command = missive_imap_command_new (self, "APPEND");
  missive_imap_command_add_mailbox (command, mailbox);
  if (list != NULL)
    missive_imap_command_add_atom (command, list);
  if (internal_date != NULL)
    {
      g_autofree char *date = missive_imap_format_date_time (internal_date);

      missive_imap_command_add_string (command, date);
    }
  missive_imap_command_add_literal_stream (command, message, size, FALSE);
  missive_imap_command_set_response_func (command, on_append_response, ar);
  missive_imap_store_run_async (self, command, cancellable, on_append_done,
                                g_steal_pointer (&task));
}

static MissiveUidMap *
imap_append_message_finish (MissiveStore  *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- EXPUNGE ---- */

static gboolean
on_uid_response (MissiveImapStore          *store,
                 MissiveImapCommand        *command,
                 const MissiveImapResponse *response,
                 gpointer                   user_data)
{
  MissiveMessageSet *uids = user_data;
  guint64 uid;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "FETCH") != 0 ||
      !missive_imap_value_get_number (missive_imap_value_lookup (response->args, "UID"), &uid) ||
      uid == 0 || uid > G_MAXUINT32)
    return FALSE;
  missive_message_set_add (uids, (guint32) uid);
  return TRUE;
}

static MissiveImapCommand *
build_uid_fetch (MissiveImapStore *store,
                 const char       *piece,
                 gpointer          user_data)
{
  MissiveImapCommand *command = missive_imap_command_new (store, "FETCH");

  missive_imap_command_add_atom (command, piece);
  missive_imap_command_add_atom (command, "(UID)");
  missive_imap_command_set_response_func (command, on_uid_response, user_data);
  return command;
}

static void
on_expunge_done (GObject      *source,
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

static void
on_uid_expunge_done (GObject      *source,
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
on_expunge_uids_fetched (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveMessageSet *uids = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!missive_imap_run_chunks_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (missive_message_set_is_empty (uids))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  missive_imap_run_chunks_async (MISSIVE_IMAP_STORE (source), uids, build_uid_expunge, NULL,
                                 cancellable, on_uid_expunge_done, g_steal_pointer (&task));
}

static void
imap_expunge_async (MissiveStore        *store,
                    MissiveMessageSet   *set,
                    int                  io_priority,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, imap_expunge_async);
  g_task_set_priority (task, io_priority);
  if (!check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (set == NULL)
    {
      missive_imap_store_run_async (self, missive_imap_command_new (self, "EXPUNGE"),
                                    cancellable, on_expunge_done, g_steal_pointer (&task));
      return;
    }

  /* Only these messages: UID EXPUNGE. A plain EXPUNGE would take every
   * message flagged \Deleted with it, so without UIDPLUS this fails. */
  if (!has_uid_expunge (self))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server cannot expunge some messages only (no UIDPLUS)");
      return;
    }
  if (missive_imap_store_get_use_uid (self))
    {
      missive_imap_run_chunks_async (self, set, build_uid_expunge, NULL, cancellable,
                                     on_uid_expunge_done, g_steal_pointer (&task));
      return;
    }

  /* Sequence numbers: their UIDs first. */
  {
    MissiveMessageSet *uids = missive_message_set_new ();

    g_task_set_task_data (task, uids, (GDestroyNotify) missive_message_set_unref);
    missive_imap_run_chunks_async (self, set, build_uid_fetch, uids, cancellable,
                                   on_expunge_uids_fetched, g_steal_pointer (&task));
  }
}

static gboolean
imap_expunge_finish (MissiveStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- for the other files ---- */

MissiveImapCommand *
missive_imap_command_new_for_ids (MissiveImapStore *self,
                                  const char       *name)
{
  return new_command (self, name);
}

gboolean
missive_imap_check_selected (MissiveImapStore  *self,
                             GError           **error)
{
  return check_selected (self, error);
}

void
missive_imap_add_search_program (MissiveImapStore   *self,
                                 MissiveImapCommand *command,
                                 MissiveSearchQuery *query,
                                 gboolean            charset)
{
  add_search_program (self, command, query, charset);
}

char *
missive_imap_flag_list (const char * const  *flags,
                        GError             **error)
{
  return flag_list (flags, error);
}

void
missive_imap_message_class_init (MissiveStoreClass *klass)
{
  missive_imap_fetch_class_init (klass);
  klass->search_async = imap_search_async;
  klass->search_finish = imap_search_finish;
  klass->sort_async = imap_sort_async;
  klass->sort_finish = imap_sort_finish;
  klass->set_flags_async = imap_set_flags_async;
  klass->set_flags_finish = imap_set_flags_finish;
  klass->copy_messages_async = imap_copy_messages_async;
  klass->copy_messages_finish = imap_copy_messages_finish;
  klass->append_message_async = imap_append_message_async;
  klass->append_message_finish = imap_append_message_finish;
  klass->expunge_async = imap_expunge_async;
  klass->expunge_finish = imap_expunge_finish;
}
