/* missive-imap-thread.c: THREAD (RFC 5256), NAMESPACE (RFC 2342) and the
 * resynchronisation of a mailbox (QRESYNC, RFC 7162)
 *
 * THREAD answers with one parenthesised list per conversation:
 * "(3 6 (4 23)(44 7 96))" is 3, answered by 6, answered by both 4 (then
 * 23) and 44 (then 7, then 96); a list starting with a list, "((3)(5))",
 * has a missing first message (a node with id 0). The tree is built
 * without recursion, so a long conversation (a deep chain) costs no stack.
 *
 * resync_mailbox selects with "(QRESYNC (uidvalidity modseq known-uids
 * (known-sequence-set known-uid-set)))" where QRESYNC is enabled (the
 * sequence-match data derived from the known UIDs, see below) and collects VANISHED (EARLIER) and the FETCH
 * responses the server sends before the tagged OK. Otherwise it selects,
 * then asks UID SEARCH ALL (to find which known UIDs are gone) and UID
 * FETCH 1:* (FLAGS), with CHANGEDSINCE where CONDSTORE is available.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-convert.h"
#include "missive-imap-utf7.h"

static GError *
malformed (const char *what)
{
  return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                      "The server sent a malformed %s response", what);
}

/* ---- THREAD ---- */

/* One list of a THREAD response and the node its members hang from (NULL:
 * the top level). */
typedef struct
{
  const MissiveImapValue *value;   /* the next member to look at */
  MissiveThreadNode *parent;
} ThreadFrame;

/* Adds the conversations of one THREAD response to @roots. */
static gboolean
parse_thread (const MissiveImapValue  *args,
              GListStore              *roots,
              GError                 **error)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (ThreadFrame));

  for (const MissiveImapValue *thread = args; thread != NULL; thread = thread->next)
    {
      g_autoptr(MissiveThreadNode) root = NULL;
      ThreadFrame frame;

      if (thread->type != MISSIVE_IMAP_VALUE_LIST || thread->children == NULL)
        {
          *error = malformed ("THREAD");
          return FALSE;
        }
      /* A conversation whose first message is missing starts with a list. */
      if (thread->children->type == MISSIVE_IMAP_VALUE_LIST)
        root = missive_thread_node_new (0);
      frame.value = thread->children;
      frame.parent = root;
      g_array_set_size (stack, 0);
      g_array_append_val (stack, frame);

      while (stack->len > 0)
        {
          ThreadFrame *top = &g_array_index (stack, ThreadFrame, stack->len - 1);
          const MissiveImapValue *v = top->value;
          guint64 id;

          if (v == NULL)
            {
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          top->value = v->next;
          if (v->type == MISSIVE_IMAP_VALUE_LIST)
            {
              ThreadFrame branch = { v->children, top->parent };

              /* A branch hangs from the last message before it. */
              if (v->children == NULL || top->parent == NULL)
                {
                  *error = malformed ("THREAD");
                  return FALSE;
                }
              g_array_append_val (stack, branch);
              continue;
            }
          if (!missive_imap_value_get_number (v, &id) || id == 0 || id > G_MAXUINT32)
            {
              *error = malformed ("THREAD");
              return FALSE;
            }
          {
            g_autoptr(MissiveThreadNode) node = missive_thread_node_new ((guint32) id);

            if (top->parent == NULL)
              root = g_object_ref (node);
            else
              missive_thread_node_add_child (top->parent, node);
            /* The next member answers this one. */
            top->parent = node;
          }
        }
      if (root == NULL)
        {
          *error = malformed ("THREAD");
          return FALSE;
        }
      g_list_store_append (roots, root);
    }
  return TRUE;
}

static gboolean
on_thread_response (MissiveImapStore          *store,
                    MissiveImapCommand        *command,
                    const MissiveImapResponse *response,
                    gpointer                   user_data)
{
  GListStore *roots = user_data;
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "THREAD") != 0)
    return FALSE;
  if (!parse_thread (response->args, roots, &error))
    missive_imap_command_fail (command, error);
  return TRUE;
}

static void
on_list_done (GObject      *source,
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
imap_thread_async (MissiveStore        *store,
                   const char          *algorithm,
                   MissiveSearchQuery  *query,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *upper = g_ascii_strup (algorithm, -1);
  g_autofree char *cap = g_strconcat ("THREAD=", upper, NULL);
  MissiveImapCommand *command;
  GListStore *roots;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_thread_async);
  g_task_set_priority (task, io_priority);
  if (!missive_imap_check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (const char *p = upper; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                   "\"%s\" is not a threading algorithm", algorithm);
          return;
        }
    }
  if (!missive_service_has_capability (MISSIVE_SERVICE (self), cap))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not support THREAD=%s", upper);
      return;
    }

  roots = g_list_store_new (MISSIVE_TYPE_THREAD_NODE);
  g_task_set_task_data (task, roots, g_object_unref);
  command = missive_imap_command_new_for_ids (self, "THREAD");
  missive_imap_command_add_atom (command, upper);
  /* THREAD always names a charset, like SORT. */
  missive_imap_command_add_atom (command, "UTF-8");
  missive_imap_add_search_program (self, command, query, FALSE);
  missive_imap_command_set_response_func (command, on_thread_response, roots);
  missive_imap_store_run_async (self, command, cancellable, on_list_done,
                                g_steal_pointer (&task));
}

static GListModel *
imap_list_finish (MissiveStore  *store,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- NAMESPACE ---- */

static const char *
wire_or_null (const MissiveImapValue *value)
{
  return value != NULL && value->type != MISSIVE_IMAP_VALUE_NIL
         ? missive_imap_value_get_string (value) : NULL;
}

/* One of the three parts of a NAMESPACE response: NIL or
 * (("prefix" "sep" extensions...) ...). */
static gboolean
parse_namespaces (MissiveImapStore        *self,
                  const MissiveImapValue  *part,
                  MissiveNamespaceKind     kind,
                  GListStore              *out)
{
  if (part->type == MISSIVE_IMAP_VALUE_NIL)
    return TRUE;
  if (part->type != MISSIVE_IMAP_VALUE_LIST)
    return FALSE;
  for (const MissiveImapValue *ns = part->children; ns != NULL; ns = ns->next)
    {
      g_autoptr(MissiveNamespace) namespace = NULL;
      g_autofree char *decoded = NULL;
      const char *prefix;
      const char *separator;

      if (ns->type != MISSIVE_IMAP_VALUE_LIST || ns->children == NULL)
        return FALSE;
      prefix = missive_imap_value_get_string (ns->children);
      if (prefix == NULL || ns->children->next == NULL)
        return FALSE;
      separator = wire_or_null (ns->children->next);
      if (ns->children->next->type != MISSIVE_IMAP_VALUE_NIL &&
          (separator == NULL || strlen (separator) != 1))
        return FALSE;
      if (missive_imap_store_names_are_utf7 (self))
        decoded = missive_imap_utf7_decode (prefix, -1, NULL);
      namespace = missive_namespace_new (kind, decoded != NULL ? decoded : prefix, separator);
      g_list_store_append (out, namespace);
    }
  return TRUE;
}

static gboolean
on_namespace_response (MissiveImapStore          *store,
                       MissiveImapCommand        *command,
                       const MissiveImapResponse *response,
                       gpointer                   user_data)
{
  GListStore *out = user_data;
  const MissiveImapValue *v = response->args;
  MissiveNamespaceKind kinds[] = { MISSIVE_NAMESPACE_KIND_PERSONAL,
                                   MISSIVE_NAMESPACE_KIND_OTHER_USERS,
                                   MISSIVE_NAMESPACE_KIND_SHARED };

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "NAMESPACE") != 0)
    return FALSE;
  g_list_store_remove_all (out);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++, v = v->next)
    {
      if (v == NULL || !parse_namespaces (store, v, kinds[i], out))
        {
          g_list_store_remove_all (out);
          missive_imap_command_fail (command, malformed ("NAMESPACE"));
          return TRUE;
        }
    }
  return TRUE;
}

/* Without NAMESPACE: LIST "" "" names the separator of the root. */
static gboolean
on_root_list_response (MissiveImapStore          *store,
                       MissiveImapCommand        *command,
                       const MissiveImapResponse *response,
                       gpointer                   user_data)
{
  GListStore *out = user_data;
  g_autoptr(MissiveNamespace) namespace = NULL;
  const MissiveImapValue *separator;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "LIST") != 0)
    return FALSE;
  separator = response->args != NULL ? response->args->next : NULL;
  if (separator == NULL || (separator->type != MISSIVE_IMAP_VALUE_NIL &&
                            (wire_or_null (separator) == NULL ||
                             strlen (wire_or_null (separator)) != 1)))
    {
      missive_imap_command_fail (command, malformed ("LIST"));
      return TRUE;
    }
  g_list_store_remove_all (out);
  namespace = missive_namespace_new (MISSIVE_NAMESPACE_KIND_PERSONAL, "",
                                     wire_or_null (separator));
  g_list_store_append (out, namespace);
  return TRUE;
}

static void
imap_get_namespaces_async (MissiveStore        *store,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;
  GListStore *out;

  g_task_set_source_tag (task, imap_get_namespaces_async);
  g_task_set_priority (task, io_priority);

  out = g_list_store_new (MISSIVE_TYPE_NAMESPACE);
  g_task_set_task_data (task, out, g_object_unref);
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_NAMESPACE))
    {
      command = missive_imap_command_new (self, "NAMESPACE");
      missive_imap_command_set_response_func (command, on_namespace_response, out);
    }
  else
    {
      command = missive_imap_command_new (self, "LIST");
      missive_imap_command_add_string (command, "");
      missive_imap_command_add_string (command, "");
      missive_imap_command_set_response_func (command, on_root_list_response, out);
    }
  missive_imap_store_run_async (self, command, cancellable, on_list_done,
                                g_steal_pointer (&task));
}

/* ---- resynchronisation ---- */

typedef struct
{
  char *name;
  guint32 uid_validity;
  guint64 highest_modseq;
  MissiveMessageSet *known;      /* nullable */
  MissiveMailboxInfo *info;
  MissiveMessageSet *vanished;
  MissiveMessageSet *present;    /* fallback: what UID SEARCH ALL found */
  GListStore *changed;
  gboolean decode;
} Resync;

static void
resync_free (gpointer data)
{
  Resync *rs = data;

  g_free (rs->name);
  g_clear_pointer (&rs->known, missive_message_set_unref);
  g_clear_object (&rs->info);
  g_clear_pointer (&rs->vanished, missive_message_set_unref);
  g_clear_pointer (&rs->present, missive_message_set_unref);
  g_clear_object (&rs->changed);
  g_free (rs);
}

/* Without known UIDs, a VANISHED (EARLIER) larger than this is taken as
 * hostile (it would be walked UID by UID). */
#define MAX_VANISHED (16 * 1024 * 1024)

typedef struct
{
  MissiveImapStore *self;
  Resync *rs;
  MissiveMessageSet *reported;   /* what VANISHED (EARLIER) named */
} VanishedTarget;

static void
record_vanished (VanishedTarget *target,
                 guint32         uid)
{
  missive_message_set_add (target->rs->vanished, uid);
  missive_store_emit_mailbox_changed (MISSIVE_STORE (target->self), target->rs->name,
                                      "vanished", uid);
}

static gboolean
add_vanished (guint32  uid,
              gpointer user_data)
{
  record_vanished (user_data, uid);
  return TRUE;
}

/* Walks the caller's known UIDs (bounded by the caller), not the server's
 * set (which could be "1:4294967295"). */
static gboolean
add_if_reported (guint32  uid,
                 gpointer user_data)
{
  VanishedTarget *target = user_data;

  if (missive_message_set_contains (target->reported, uid))
    record_vanished (target, uid);
  return TRUE;
}

/* A FETCH (UID FLAGS MODSEQ) of a changed message. */
static gboolean
add_changed (MissiveImapStore          *self,
             MissiveImapCommand        *command,
             Resync                    *rs,
             const MissiveImapResponse *response)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  GError *error = NULL;

  if (!missive_imap_fetch_to_info (response, info, rs->decode, NULL, NULL, &error))
    {
      missive_imap_command_fail (command, error);
      return TRUE;
    }
  if (missive_message_info_get_uid (info) == 0)
    return FALSE;   /* not ours: a FETCH without UID */
  g_list_store_append (rs->changed, info);
  missive_store_emit_message_info (MISSIVE_STORE (self), info);
  return TRUE;
}

static gboolean
on_qresync_select_response (MissiveImapStore          *self,
                            MissiveImapCommand        *command,
                            const MissiveImapResponse *response,
                            gpointer                   user_data)
{
  Resync *rs = user_data;

  if (missive_imap_apply_select_response (response, rs->info))
    return TRUE;
  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->status != MISSIVE_IMAP_STATUS_NONE)
    return FALSE;
  if (g_strcmp0 (response->keyword, "VANISHED") == 0)
    {
      const MissiveImapValue *v = response->args;
      g_autoptr(MissiveMessageSet) set = NULL;
      GError *error = NULL;
      VanishedTarget target = { self, rs, NULL };

      if (v != NULL && v->type == MISSIVE_IMAP_VALUE_LIST)
        v = v->next;   /* (EARLIER) */
      set = missive_imap_set_from_value (v, &error);
      if (set == NULL)
        {
          missive_imap_command_fail (command, error);
          return TRUE;
        }
      if (missive_message_set_has_star (set) ||
          (rs->known == NULL && missive_message_set_get_count (set) > MAX_VANISHED))
        {
          missive_imap_command_fail (command, malformed ("VANISHED"));
          return TRUE;
        }
      target.reported = set;
      if (rs->known != NULL)
        missive_message_set_foreach (rs->known, add_if_reported, &target);
      else
        missive_message_set_foreach (set, add_vanished, &target);
      return TRUE;
    }
  if (g_strcmp0 (response->keyword, "FETCH") == 0 && response->has_number)
    return add_changed (self, command, rs, response);
  return FALSE;
}

static void
resync_return (GTask *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_qresync_select_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  Resync *rs = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      missive_imap_store_clear_selected (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  missive_imap_store_set_selected (self, rs->name, rs->info);
  resync_return (task);
}

/* -- the fallback: SELECT, UID SEARCH ALL, UID FETCH -- */

static gboolean
on_search_all_response (MissiveImapStore          *self,
                        MissiveImapCommand        *command,
                        const MissiveImapResponse *response,
                        gpointer                   user_data)
{
  Resync *rs = user_data;
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    return FALSE;
  if (g_strcmp0 (response->keyword, "SEARCH") == 0)
    {
      for (const MissiveImapValue *v = response->args; v != NULL; v = v->next)
        {
          guint64 n;

          if (v->type == MISSIVE_IMAP_VALUE_LIST)
            break;   /* (MODSEQ n) */
          if (!missive_imap_value_get_number (v, &n) || n == 0 || n > G_MAXUINT32)
            {
              missive_imap_command_fail (command, malformed ("SEARCH"));
              return TRUE;
            }
          missive_message_set_add (rs->present, (guint32) n);
        }
      return TRUE;
    }
  if (g_strcmp0 (response->keyword, "ESEARCH") == 0)
    {
      for (const MissiveImapValue *v = response->args; v != NULL; v = v->next)
        {
          if (missive_imap_value_is_atom (v, "ALL") && v->next != NULL)
            {
              g_autoptr(MissiveMessageSet) all = missive_imap_set_from_value (v->next, &error);

              if (all == NULL)
                {
                  missive_imap_command_fail (command, error);
                  return TRUE;
                }
              missive_message_set_add_set (rs->present, all);
            }
        }
      return TRUE;
    }
  return FALSE;
}

static gboolean
on_fetch_flags_response (MissiveImapStore          *self,
                         MissiveImapCommand        *command,
                         const MissiveImapResponse *response,
                         gpointer                   user_data)
{
  Resync *rs = user_data;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "FETCH") != 0 || !response->has_number)
    return FALSE;
  return add_changed (self, command, rs, response);
}

static gboolean
find_vanished (guint32  uid,
               gpointer user_data)
{
  VanishedTarget *target = user_data;

  if (!missive_message_set_contains (target->rs->present, uid))
    record_vanished (target, uid);
  return TRUE;
}

static void
on_fetch_flags_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  resync_return (task);
}

static void
fetch_flags (GTask *task)
{
  MissiveImapStore *self = g_task_get_source_object (task);
  Resync *rs = g_task_get_task_data (task);
  MissiveImapCommand *command;
  gboolean condstore = missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE) &&
                       !missive_mailbox_info_get_no_modseq (rs->info);

  command = missive_imap_command_new (self, "UID FETCH");
  missive_imap_command_add_atom (command, "1:*");
  missive_imap_command_add_atom (command, condstore ? "(UID FLAGS MODSEQ)" : "(UID FLAGS)");
  if (condstore && rs->highest_modseq > 0)
    {
      g_autofree char *since = g_strdup_printf ("(CHANGEDSINCE %" G_GUINT64_FORMAT ")",
                                                rs->highest_modseq);

      missive_imap_command_add_atom (command, since);
    }
  missive_imap_command_set_response_func (command, on_fetch_flags_response, rs);
  missive_imap_store_run_async (self, command, g_task_get_cancellable (task),
                                on_fetch_flags_done, task);
}

static void
on_search_all_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  Resync *rs = g_task_get_task_data (task);
  VanishedTarget target = { self, rs, NULL };
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  missive_message_set_foreach (rs->known, find_vanished, &target);
  fetch_flags (task);
}

static void
on_plain_select_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  MissiveStore *store = MISSIVE_STORE (source);
  Resync *rs = g_task_get_task_data (task);
  MissiveImapCommand *command;
  GError *error = NULL;

  rs->info = MISSIVE_STORE_GET_CLASS (store)->select_mailbox_finish (store, result, &error);
  if (rs->info == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (rs->uid_validity == 0 || missive_mailbox_info_get_uid_validity (rs->info) != rs->uid_validity)
    {
      /* Nothing to compare with: the caller starts again. */
      resync_return (task);
      return;
    }
  if (rs->known == NULL || missive_message_set_is_empty (rs->known))
    {
      fetch_flags (task);
      return;
    }
  rs->present = missive_message_set_new ();
  command = missive_imap_command_new (self, "UID SEARCH");
  if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_ESEARCH))
    missive_imap_command_add_atom (command, "RETURN (ALL)");
  missive_imap_command_add_atom (command, "ALL");
  missive_imap_command_set_response_func (command, on_search_all_response, rs);
  missive_imap_store_run_async (self, command, g_task_get_cancellable (task),
                                on_search_all_done, task);
}

/* At most this many (sequence number, UID) pairs of sequence-match data:
 * the distances from the last message are 0, 1, 3, 7, ... 2^k - 1, so 33
 * cover any mailbox. */
#define MAX_SEQ_MATCH 34

/* QRESYNC's message sequence match data (RFC 7162 3.2.5.2), as
 * "(1,72,136,168 41,117,217,441)": the known UIDs are taken as every
 * message of the application's copy, so its n-th smallest UID was message
 * n. Pairs from the end of the mailbox at growing distances (the last,
 * the one before, then 3, 7, 15 ... back) and the first: the server finds
 * where its numbering still agrees and reports expunges only above that.
 * NULL when there is nothing to say. */
static char *
sequence_match_data (MissiveMessageSet *known)
{
  guint64 count = missive_message_set_get_count (known);
  guint64 positions[MAX_SEQ_MATCH];
  guint n = 0;
  g_autoptr(GString) seqs = g_string_new ("(");
  g_autoptr(GString) uids = g_string_new (NULL);
  guint range = 0, n_ranges = missive_message_set_get_n_ranges (known);
  guint64 before = 0;  /* how many known UIDs the ranges before @range hold */

  if (count == 0 || count > G_MAXUINT32)
    return NULL;
  /* Ascending: 1 first, then count - (2^k - 1) for decreasing k. */
  positions[n++] = 1;
  for (guint k = 32; k > 0; k--)
    {
      guint64 distance = (G_GUINT64_CONSTANT (1) << k) - 1;

      if (distance < count - 1 && n < MAX_SEQ_MATCH - 1)
        positions[n++] = count - distance;
    }
  if (count > 1)
    positions[n++] = count;

  for (guint i = 0; i < n; i++)
    {
      guint32 first = 0, last = 0;

      /* Positions ascend: walk the ranges once. */
      for (; range < n_ranges; range++)
        {
          missive_message_set_get_range (known, range, &first, &last);
          if (positions[i] <= before + ((guint64) last - first + 1))
            break;
          before += (guint64) last - first + 1;
        }
      if (range == n_ranges)
        return NULL;
      g_string_append_printf (seqs, "%s%" G_GUINT64_FORMAT, i > 0 ? "," : "", positions[i]);
      g_string_append_printf (uids, "%s%" G_GUINT64_FORMAT, i > 0 ? "," : "",
                              (guint64) first + (positions[i] - before - 1));
    }
  g_string_append_c (seqs, ' ');
  g_string_append_len (seqs, uids->str, uids->len);
  g_string_append_c (seqs, ')');
  return g_string_free (g_steal_pointer (&seqs), FALSE);
}

static void
imap_resync_mailbox_async (MissiveStore        *store,
                           const char          *name,
                           gboolean             read_only,
                           guint32              uid_validity,
                           guint64              highest_modseq,
                           MissiveMessageSet   *known_uids,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *qresync = NULL;
  MissiveImapCommand *command;
  Resync *rs;

  g_task_set_source_tag (task, imap_resync_mailbox_async);
  g_task_set_priority (task, io_priority);

  rs = g_new0 (Resync, 1);
  rs->name = g_ascii_strcasecmp (name, "INBOX") == 0 ? g_strdup ("INBOX") : g_strdup (name);
  rs->uid_validity = uid_validity;
  rs->highest_modseq = highest_modseq;
  rs->known = known_uids != NULL ? missive_message_set_ref (known_uids) : NULL;
  rs->vanished = missive_message_set_new ();
  rs->changed = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  rs->decode = missive_imap_store_get_decode_headers (self);
  g_task_set_task_data (task, rs, resync_free);

  if (!missive_imap_store_is_enabled (self, MISSIVE_IMAP_CAP_QRESYNC) ||
      uid_validity == 0 || highest_modseq == 0)
    {
      MISSIVE_STORE_GET_CLASS (store)->select_mailbox_async (store, name, read_only, io_priority,
                                                             cancellable, on_plain_select_done,
                                                             task);
      return;
    }

  /* (QRESYNC (uidvalidity modseq [known-uids] [seq-match-data])): the
   * known UIDs are only a hint, left out when they would make the line too
   * long; the sequence-match data (a few pairs) is sent all the same. */
  {
    g_autoptr(GString) params = g_string_new (NULL);

    g_string_printf (params, "(QRESYNC (%u %" G_GUINT64_FORMAT, uid_validity, highest_modseq);
    if (known_uids != NULL && !missive_message_set_is_empty (known_uids))
      {
        g_autofree char *uids = missive_message_set_to_string (known_uids);
        g_autofree char *match = NULL;

        if (strlen (uids) <= missive_imap_store_get_max_set_length (self))
          g_string_append_printf (params, " %s", uids);
        if (self->sequence_match)
          match = sequence_match_data (known_uids);
        if (match != NULL)
          g_string_append_printf (params, " %s", match);
      }
    g_string_append (params, "))");
    qresync = g_string_free (g_steal_pointer (&params), FALSE);
  }

  rs->info = missive_mailbox_info_new (rs->name);
  missive_mailbox_info_set_read_only (rs->info, read_only);
  command = missive_imap_command_new (self, read_only ? "EXAMINE" : "SELECT");
  missive_imap_command_add_mailbox (command, name);
  missive_imap_command_add_atom (command, qresync);
  missive_imap_command_set_exclusive (command);
  missive_imap_command_set_response_func (command, on_qresync_select_response, rs);
  missive_imap_store_clear_selected (self);
  missive_imap_store_run_async (self, command, cancellable, on_qresync_select_done, task);
}

static MissiveMailboxInfo *
imap_resync_mailbox_finish (MissiveStore       *store,
                            GAsyncResult       *result,
                            MissiveMessageSet **vanished,
                            GListModel        **changed,
                            GError            **error)
{
  Resync *rs;

  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  rs = g_task_get_task_data (G_TASK (result));
  *vanished = missive_message_set_ref (rs->vanished);
  *changed = g_object_ref (G_LIST_MODEL (rs->changed));
  return g_object_ref (rs->info);
}

void
missive_imap_thread_class_init (MissiveStoreClass *klass)
{
  klass->thread_async = imap_thread_async;
  klass->thread_finish = imap_list_finish;
  klass->get_namespaces_async = imap_get_namespaces_async;
  klass->get_namespaces_finish = imap_list_finish;
  klass->resync_mailbox_async = imap_resync_mailbox_async;
  klass->resync_mailbox_finish = imap_resync_mailbox_finish;
}
