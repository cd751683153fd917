/* missive-imap-notify.c: the run_extension_async virtual method: paged
 * searches (PARTIAL, RFC 9394) and NOTIFY (RFC 5465)
 *
 * search-partial sends "SEARCH RETURN (PARTIAL 1:100 COUNT) criteria" (or
 * "PARTIAL -1:-100" for the last page) and reads the ESEARCH response's
 * "PARTIAL (range set-or-NIL)" and "COUNT n". Without PARTIAL it searches
 * for everything and cuts the page out here.
 *
 * notify sends "NOTIFY SET (selected (events)) (filter (events))" or
 * "NOTIFY NONE". What the server then sends (EXISTS, EXPUNGE, FETCH for
 * the selected mailbox; STATUS and LIST for the others) is handled by
 * missive_imap_store_handle_unsolicited() like any unsolicited response.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-convert.h"

/* ---- PARTIAL ------------------------------------------------------------------ */

typedef struct
{
  int first, last;              /* first <= last, both of one sign */
  MissiveMessageSet *page;
  guint64 total;
  MissiveSearchQuery *query;
} Partial;

static void
partial_free (gpointer data)
{
  Partial *partial = data;

  g_clear_pointer (&partial->page, missive_message_set_unref);
  g_clear_object (&partial->query);
  g_free (partial);
}

static void
partial_return (GTask *task)
{
  Partial *partial = g_task_get_task_data (task);
  g_autofree char *text = missive_message_set_to_string (partial->page);

  g_task_return_pointer (task, g_variant_ref_sink (g_variant_new ("(st)", text, partial->total)),
                         (GDestroyNotify) g_variant_unref);
  g_object_unref (task);
}

/* Whether an ESEARCH response's "(TAG "A0004")" names @command (one
 * without a tag is taken as ours, RFC 4731). */
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
on_partial_response (MissiveImapStore          *store,
                     MissiveImapCommand        *command,
                     const MissiveImapResponse *response,
                     gpointer                   user_data)
{
  Partial *partial = user_data;
  const MissiveImapValue *v;
  GError *error = NULL;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "ESEARCH") != 0 || !esearch_is_ours (response, command))
    return FALSE;

  v = response->args;
  if (v != NULL && v->type == MISSIVE_IMAP_VALUE_LIST)
    v = v->next;
  if (missive_imap_value_is_atom (v, "UID"))
    v = v->next;
  for (; v != NULL && v->next != NULL; v = v->next->next)
    {
      if (missive_imap_value_is_atom (v, "COUNT"))
        {
          guint64 n;

          if (!missive_imap_value_get_number (v->next, &n))
            goto malformed;
          partial->total = n;
        }
      else if (missive_imap_value_is_atom (v, "PARTIAL"))
        {
          /* "(range uid-set)" or "(range NIL)" */
          const MissiveImapValue *range, *set;
          g_autoptr(MissiveMessageSet) page = NULL;

          if (v->next->type != MISSIVE_IMAP_VALUE_LIST)
            goto malformed;
          range = v->next->children;
          set = range != NULL ? range->next : NULL;
          if (range == NULL || range->type != MISSIVE_IMAP_VALUE_ATOM || set == NULL ||
              set->next != NULL)
            goto malformed;
          if (set->type == MISSIVE_IMAP_VALUE_NIL)
            continue;
          page = missive_imap_set_from_value (set, &error);
          if (page == NULL)
            {
              missive_imap_command_fail (command, error);
              return TRUE;
            }
          /* A page never holds more than was asked for. */
          if (missive_message_set_has_star (page) ||
              missive_message_set_get_count (page) >
              (guint64) ((gint64) partial->last - partial->first + 1))
            goto malformed;
          missive_message_set_add_set (partial->page, page);
        }
    }
  return TRUE;

malformed:
  missive_imap_command_fail (command,
                             g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                                  "The server sent a malformed PARTIAL "
                                                  "search result"));
  return TRUE;
}

static void
on_partial_done (GObject      *source,
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
  partial_return (task);
}

/* Positions @first to @last (1-based, ascending) of @all into @page. */
static void
cut_page (MissiveMessageSet *all,
          guint64            first,
          guint64            last,
          MissiveMessageSet *page)
{
  guint64 before = 0;

  for (guint i = 0; i < missive_message_set_get_n_ranges (all) && before < last; i++)
    {
      guint32 low, high;
      guint64 length, from, to;

      missive_message_set_get_range (all, i, &low, &high);
      length = (guint64) high - low + 1;
      /* The positions of this range: before + 1 .. before + length */
      from = MAX (first, before + 1);
      to = MIN (last, before + length);
      if (from <= to)
        missive_message_set_add_range (page, (guint32) (low + (from - before - 1)),
                                       (guint32) (low + (to - before - 1)));
      before += length;
    }
}

static void
on_fallback_search_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *store = MISSIVE_STORE (source);
  Partial *partial = g_task_get_task_data (task);
  g_autoptr(MissiveMessageSet) all = NULL;
  GError *error = NULL;
  guint64 first, last;

  all = MISSIVE_STORE_GET_CLASS (store)->search_finish (store, result, &error);
  if (all == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  partial->total = missive_message_set_get_count (all);
  if (partial->first > 0)
    {
      first = (guint64) partial->first;
      last = (guint64) partial->last;
    }
  else
    {
      /* -100:-1 of 250 matches: positions 151 to 250 */
      gint64 from = (gint64) partial->total + 1 + partial->first;
      gint64 to = (gint64) partial->total + 1 + partial->last;

      first = (guint64) MAX (from, 1);
      last = to >= 1 ? (guint64) to : 0;
    }
  if (first <= last)
    cut_page (all, first, last, partial->page);
  partial_return (task);
}

static void
search_partial (MissiveImapStore *self,
                GTask            *task,
                GObject          *object,
                GVariant         *parameters)
{
  MissiveStore *store = MISSIVE_STORE (self);
  Partial *partial;
  MissiveImapCommand *command;
  g_autofree char *returns = NULL;
  GError *error = NULL;

  if (!MISSIVE_IS_SEARCH_QUERY (object) || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ii)")))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "search-partial takes a query and two positions");
      g_object_unref (task);
      return;
    }
  if (!missive_imap_check_selected (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  partial = g_new0 (Partial, 1);
  g_variant_get (parameters, "(ii)", &partial->first, &partial->last);
  partial->page = missive_message_set_new ();
  partial->query = g_object_ref (MISSIVE_SEARCH_QUERY (object));
  g_task_set_task_data (task, partial, partial_free);

  if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_PARTIAL))
    {
      MISSIVE_STORE_GET_CLASS (store)->search_async (store, partial->query,
                                                     g_task_get_priority (task),
                                                     g_task_get_cancellable (task),
                                                     on_fallback_search_done, task);
      return;
    }

  /* RFC 9394 writes the last page as "-1:-100". */
  if (partial->first > 0)
    returns = g_strdup_printf ("(PARTIAL %d:%d COUNT)", partial->first, partial->last);
  else
    returns = g_strdup_printf ("(PARTIAL %d:%d COUNT)", partial->last, partial->first);
  command = missive_imap_command_new_for_ids (self, "SEARCH");
  missive_imap_command_add_atom (command, "RETURN");
  missive_imap_command_add_atom (command, returns);
  missive_imap_add_search_program (self, command, partial->query, TRUE);
  missive_imap_command_set_response_func (command, on_partial_response, partial);
  missive_imap_store_run_async (self, command, g_task_get_cancellable (task),
                                on_partial_done, task);
}

/* ---- NOTIFY ------------------------------------------------------------------- */

#define MESSAGE_EVENTS \
  (MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW | MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE | \
   MISSIVE_NOTIFY_EVENTS_FLAG_CHANGE)

/* "(MessageNew MessageExpunge FlagChange ...)", or NULL for none. RFC
 * 5465 5: MessageNew and MessageExpunge go together, and FlagChange needs
 * them. */
static char *
event_list (guint events)
{
  GString *text;

  if (events == 0)
    return NULL;
  if (events & MESSAGE_EVENTS)
    events |= MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW | MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE;
  text = g_string_new ("(");
  if (events & MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW)
    g_string_append (text, "MessageNew MessageExpunge ");
  if (events & MISSIVE_NOTIFY_EVENTS_FLAG_CHANGE)
    g_string_append (text, "FlagChange ");
  if (events & MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME)
    g_string_append (text, "MailboxName ");
  if (events & MISSIVE_NOTIFY_EVENTS_SUBSCRIPTION_CHANGE)
    g_string_append (text, "SubscriptionChange ");
  text->str[text->len - 1] = ')';
  return g_string_free (text, FALSE);
}

static const char *const scope_names[] = {
  [MISSIVE_NOTIFY_SCOPE_NONE] = NULL,
  [MISSIVE_NOTIFY_SCOPE_INBOXES] = "inboxes",
  [MISSIVE_NOTIFY_SCOPE_PERSONAL] = "personal",
  [MISSIVE_NOTIFY_SCOPE_SUBSCRIBED] = "subscribed",
  [MISSIVE_NOTIFY_SCOPE_SUBTREE] = "subtree",
  [MISSIVE_NOTIFY_SCOPE_MAILBOXES] = "mailboxes",
};

static void
on_notify_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, missive_imap_remap_server_error (error, MISSIVE_ERROR_SERVER_NO,
                                                                "The server refused NOTIFY"));
  else
    g_task_return_pointer (task, NULL, NULL);
  g_object_unref (task);
}

static void
set_notify (MissiveImapStore *self,
            GTask            *task,
            GVariant         *parameters)
{
  guint32 selected_events, scope, events;
  g_autofree const char **mailboxes = NULL;
  g_autofree char *selected_list = NULL;
  g_autofree char *other_list = NULL;
  MissiveImapCommand *command;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uuuas)")))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "notify takes (uuuas)");
      g_object_unref (task);
      return;
    }
  if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_NOTIFY))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not offer NOTIFY");
      g_object_unref (task);
      return;
    }
  g_variant_get (parameters, "(uuu^a&s)", &selected_events, &scope, &events, &mailboxes);
  if (scope >= G_N_ELEMENTS (scope_names))
    scope = MISSIVE_NOTIFY_SCOPE_NONE;

  /* The selected mailbox knows only message events. */
  selected_list = event_list (selected_events & MESSAGE_EVENTS);
  if (scope != MISSIVE_NOTIFY_SCOPE_NONE)
    other_list = event_list (events);

  command = missive_imap_command_new (self, "NOTIFY");
  if (selected_list == NULL && other_list == NULL)
    missive_imap_command_add_atom (command, "NONE");
  else
    {
      missive_imap_command_add_atom (command, "SET");
      if (selected_list != NULL)
        {
          missive_imap_command_add_atom (command, "(selected");
          missive_imap_command_add_atom (command, selected_list);
          missive_imap_command_add_atom (command, ")");
        }
      if (other_list != NULL)
        {
          g_autofree char *open = g_strdup_printf ("(%s", scope_names[scope]);

          missive_imap_command_add_atom (command, open);
          if (scope == MISSIVE_NOTIFY_SCOPE_SUBTREE || scope == MISSIVE_NOTIFY_SCOPE_MAILBOXES)
            {
              missive_imap_command_add_atom (command, "(");
              for (gsize i = 0; mailboxes != NULL && mailboxes[i] != NULL; i++)
                missive_imap_command_add_mailbox (command, mailboxes[i]);
              missive_imap_command_add_atom (command, ")");
            }
          missive_imap_command_add_atom (command, other_list);
          missive_imap_command_add_atom (command, ")");
        }
    }
  missive_imap_store_run_async (self, command, g_task_get_cancellable (task),
                                on_notify_done, task);
}

/* ---- the virtual method ------------------------------------------------------------ */

static void
imap_run_extension_async (MissiveStore        *store,
                          const char          *name,
                          GObject             *object,
                          GVariant            *parameters,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GVariant) sunk = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;

  g_task_set_source_tag (task, imap_run_extension_async);
  g_task_set_priority (task, io_priority);

  if (g_strcmp0 (name, "search-partial") == 0 && sunk != NULL)
    search_partial (self, task, object, sunk);
  else if (g_strcmp0 (name, "notify") == 0 && sunk != NULL)
    set_notify (self, task, sunk);
  else
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The IMAP plugin has no extension “%s”", name);
      g_object_unref (task);
    }
}

void
missive_imap_notify_class_init (MissiveStoreClass *klass)
{
  klass->run_extension_async = imap_run_extension_async;
}
