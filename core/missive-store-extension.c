/* missive-store-extension.c: MissiveStore's paged searches (IMAP PARTIAL,
 * RFC 9394) and server notifications (IMAP NOTIFY, RFC 5465)
 *
 * Both reach the plugin through one virtual method, run_extension_async,
 * by name, with their arguments as a GVariant; the plugin completes a
 * GTask with a GVariant result (or none), which the wrappers here turn
 * into typed values.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-store-private.h"

/* Finishes the plugin's task: its GVariant result (transfer full; NULL
 * for none) or FALSE with @error. */
static gboolean
extension_finish (MissiveStore  *self,
                  GAsyncResult  *result,
                  GVariant     **value,
                  GError       **error)
{
  GVariant *v;

  *value = NULL;
  if (!g_task_is_valid (result, self))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                           "The plugin did not complete its extension task with a GTask");
      return FALSE;
    }
  if (g_task_had_error (G_TASK (result)))
    {
      g_task_propagate_pointer (G_TASK (result), error);
      return FALSE;
    }
  v = g_task_propagate_pointer (G_TASK (result), error);
  *value = v;
  return TRUE;
}

/* ---- search_partial ---------------------------------------------------------- */

static void
search_partial_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  g_autoptr(GVariant) value = NULL;
  GError *error = NULL;
  const char *text = NULL;
  guint64 total = 0;
  MissiveMessageSet *set;

  if (!extension_finish (self, result, &value, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE ("(st)")))
    {
      missive_service_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                                       "The plugin returned no page"));
      return;
    }
  g_variant_get (value, "(&st)", &text, &total);
  set = text[0] == '\0' ? missive_message_set_new ()
                        : missive_message_set_new_from_string (text, &error);
  if (set == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_set_task_data (task, g_memdup2 (&total, sizeof total), g_free);
  g_task_return_pointer (task, set, (GDestroyNotify) missive_message_set_unref);
  g_object_unref (task);
}

/**
 * missive_store_search_partial_async:
 * @self: a store
 * @query: what to look for
 * @first: the position of the first match wanted, from 1; or, negative,
 *   counted from the last match (-1)
 * @last: the position of the last match wanted, of the same sign as
 *   @first
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the page is there
 * @user_data: data for @callback
 *
 * Searches the selected mailbox like [method@Store.search] but returns
 * only one page of the matches, in ascending order of ids: positions
 * @first to @last (1 to 100 for the first hundred; -1 to -100 for the
 * hundred highest ids, the usual "last page"). The order of @first and
 * @last does not matter. [method@Store.search_partial_finish] also gives
 * the number of all matches.
 *
 * IMAP uses SEARCH RETURN (PARTIAL ... COUNT) (RFC 9394) where the server
 * offers PARTIAL, so that only the page crosses the network; otherwise
 * it searches as [method@Store.search] does and cuts the page out
 * locally (same result, more traffic).
 *
 * Since: 1.0
 */
void
missive_store_search_partial_async (MissiveStore        *self,
                                    MissiveSearchQuery  *query,
                                    int                  first,
                                    int                  last,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (query));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  if (first == 0 || last == 0 || (first > 0) != (last > 0) ||
      first == G_MININT || last == G_MININT)
    g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "A page is two positions of the same sign, neither 0");
  if (error == NULL)
    missive_search_query_check (query, &error);
  task = missive_store_begin_operation (self, missive_store_search_partial_async,
                                        klass->run_extension_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->run_extension_async (self, "search-partial", G_OBJECT (query),
                              g_variant_new ("(ii)", MIN (first, last), MAX (first, last)),
                              io_priority, cancellable, search_partial_cb, task);
}

/**
 * missive_store_search_partial_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @total: (out) (optional): where to store the number of all matches
 * @error: return location for a #GError
 *
 * Finishes [method@Store.search_partial_async].
 *
 * Returns: (transfer full) (nullable): the page's ids (UIDs or sequence
 *   numbers, as [method@Store.search] returns them; empty past the last
 *   match), or %NULL on error
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_store_search_partial_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     guint64       *total,
                                     GError       **error)
{
  MissiveMessageSet *set;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_search_partial_async),
                        NULL);

  set = g_task_propagate_pointer (G_TASK (result), error);
  if (set != NULL && total != NULL)
    {
      guint64 *count = g_task_get_task_data (G_TASK (result));

      *total = count != NULL ? *count : 0;
    }
  return set;
}

typedef struct
{
  MissiveSearchQuery *query;
  int first, last;
} SearchPartialStart;

static void
start_search_partial (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  SearchPartialStart *start = start_data;

  missive_store_search_partial_async (source, start->query, start->first, start->last,
                                      G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_store_search_partial:
 * @self: a store
 * @query: what to look for
 * @first: the position of the first match wanted, from 1; or, negative,
 *   counted from the last match (-1)
 * @last: the position of the last match wanted, of the same sign as
 *   @first
 * @total: (out) (optional): where to store the number of all matches
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches for one page of matches, blocking. See
 * [method@Store.search_partial_async].
 *
 * Returns: (transfer full) (nullable): the page's ids, or %NULL on error
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_store_search_partial (MissiveStore        *self,
                              MissiveSearchQuery  *query,
                              int                  first,
                              int                  last,
                              guint64             *total,
                              GCancellable        *cancellable,
                              GError             **error)
{
  SearchPartialStart start = { query, first, last };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (query), NULL);

  result = missive_run_sync (self, start_search_partial, &start, cancellable);
  return missive_store_search_partial_finish (self, result, total, error);
}

/* ---- set_notify ---------------------------------------------------------------- */

static void
set_notify_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) value = NULL;
  GError *error = NULL;

  if (!extension_finish (MISSIVE_STORE (source), result, &value, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

#define ALL_NOTIFY_EVENTS \
  (MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW | MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE | \
   MISSIVE_NOTIFY_EVENTS_FLAG_CHANGE | MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME | \
   MISSIVE_NOTIFY_EVENTS_SUBSCRIPTION_CHANGE)

/**
 * missive_store_set_notify_async:
 * @self: a store
 * @selected_events: what to report about the selected mailbox (only the
 *   message events apply), or %MISSIVE_NOTIFY_EVENTS_NONE
 * @scope: which other mailboxes to watch
 * @mailboxes: (nullable) (array zero-terminated=1): the mailboxes of
 *   %MISSIVE_NOTIFY_SCOPE_SUBTREE and %MISSIVE_NOTIFY_SCOPE_MAILBOXES
 * @events: what to report about the mailboxes of @scope
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has accepted it
 * @user_data: data for @callback
 *
 * Asks the server to report changes as they happen, in any mailbox,
 * without polling (IMAP NOTIFY SET, RFC 5465); it replaces what an
 * earlier call asked for. With %MISSIVE_NOTIFY_EVENTS_NONE for both
 * @selected_events and @events, it asks for nothing more (NOTIFY NONE).
 *
 * The news arrives with the responses to any command and during
 * [method@Store.idle], through the existing signals:
 * [signal@Store::mailbox-changed] ("exists", "expunge", "fetch" ... for
 * the selected mailbox; "status" with the message count, "list" and
 * "deleted" for others) and [signal@Store::mailbox-listed] with the
 * counters or the attributes the server sent. Fails with
 * %MISSIVE_ERROR_NOT_SUPPORTED when the server does not offer NOTIFY.
 *
 * Since: 1.0
 */
void
missive_store_set_notify_async (MissiveStore        *self,
                                MissiveNotifyEvents  selected_events,
                                MissiveNotifyScope   scope,
                                const char * const  *mailboxes,
                                MissiveNotifyEvents  events,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;
  GVariantBuilder names;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  g_variant_builder_init (&names, G_VARIANT_TYPE_STRING_ARRAY);
  if ((selected_events & ~ALL_NOTIFY_EVENTS) != 0 || (events & ~ALL_NOTIFY_EVENTS) != 0 ||
      (int) scope < MISSIVE_NOTIFY_SCOPE_NONE || scope > MISSIVE_NOTIFY_SCOPE_MAILBOXES)
    g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "Unknown notification events or scope");
  else if ((scope == MISSIVE_NOTIFY_SCOPE_SUBTREE || scope == MISSIVE_NOTIFY_SCOPE_MAILBOXES) &&
           (mailboxes == NULL || mailboxes[0] == NULL))
    g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "Watching named mailboxes needs at least one name");
  else if ((scope == MISSIVE_NOTIFY_SCOPE_NONE) != (events == MISSIVE_NOTIFY_EVENTS_NONE))
    g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "Other mailboxes need both a scope and events");
  for (gsize i = 0; error == NULL && mailboxes != NULL && mailboxes[i] != NULL; i++)
    if (missive_store_check_name (mailboxes[i], "mailbox name", TRUE, &error))
      g_variant_builder_add (&names, "s", mailboxes[i]);
  task = missive_store_begin_operation (self, missive_store_set_notify_async,
                                        klass->run_extension_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    {
      g_variant_builder_clear (&names);
      return;
    }

  klass->run_extension_async (self, "notify", NULL,
                              g_variant_new ("(uuuas)", (guint32) selected_events,
                                             (guint32) scope, (guint32) events, &names),
                              io_priority, cancellable, set_notify_cb, task);
}

/**
 * missive_store_set_notify_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.set_notify_async].
 *
 * Returns: %TRUE once the server accepted the request
 *
 * Since: 1.0
 */
gboolean
missive_store_set_notify_finish (MissiveStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_set_notify_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  MissiveNotifyEvents selected_events;
  MissiveNotifyScope scope;
  const char * const *mailboxes;
  MissiveNotifyEvents events;
} SetNotifyStart;

static void
start_set_notify (gpointer             source,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             start_data)
{
  SetNotifyStart *start = start_data;

  missive_store_set_notify_async (source, start->selected_events, start->scope,
                                  start->mailboxes, start->events, G_PRIORITY_DEFAULT,
                                  cancellable, callback, user_data);
}

/**
 * missive_store_set_notify:
 * @self: a store
 * @selected_events: what to report about the selected mailbox, or
 *   %MISSIVE_NOTIFY_EVENTS_NONE
 * @scope: which other mailboxes to watch
 * @mailboxes: (nullable) (array zero-terminated=1): the mailboxes of
 *   %MISSIVE_NOTIFY_SCOPE_SUBTREE and %MISSIVE_NOTIFY_SCOPE_MAILBOXES
 * @events: what to report about the mailboxes of @scope
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the server to report changes as they happen, blocking. See
 * [method@Store.set_notify_async].
 *
 * Returns: %TRUE once the server accepted the request
 *
 * Since: 1.0
 */
gboolean
missive_store_set_notify (MissiveStore         *self,
                          MissiveNotifyEvents   selected_events,
                          MissiveNotifyScope    scope,
                          const char * const   *mailboxes,
                          MissiveNotifyEvents   events,
                          GCancellable         *cancellable,
                          GError              **error)
{
  SetNotifyStart start = { selected_events, scope, mailboxes, events };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  result = missive_run_sync (self, start_set_notify, &start, cancellable);
  return missive_store_set_notify_finish (self, result, error);
}
