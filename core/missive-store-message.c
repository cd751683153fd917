/* missive-store-message.c: MissiveStore's operations on messages: fetch,
 * search, sort, flags, copy and move, append, expunge
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-store-private.h"

/* A section is spliced into the command (IMAP BODY[<section>]<partial>):
 * it must not end the line, the brackets or the partial range. */
static gboolean
check_section (const char  *section,
               GError     **error)
{
  if (*error != NULL || section == NULL)
    return *error == NULL;
  if (strpbrk (section, "\r\n[]<>{") != NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid section", section);
      return FALSE;
    }
  return TRUE;
}

/* ---- fetch_summaries ----------------------------------------------------- */

static void
fetch_summaries_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->fetch_summaries_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_fetch_summaries_async: (virtual fetch_summaries_async)
 * @self: a store
 * @set: the messages of the selected mailbox
 * @items: what to fetch
 * @changed_since: only messages whose modification sequence is above this
 *   (IMAP CONDSTORE `CHANGEDSINCE`); 0 for all
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when all summaries have arrived
 * @user_data: data for @callback
 *
 * Fetches flags, envelope, size, dates, structure, headers... of a set of
 * messages, as @items says. Each summary is also reported by
 * [signal@Store::message-info] as it arrives, and with
 * %MISSIVE_FETCH_ITEMS_HEADERS each header field by [signal@Store::header].
 *
 * Since: 1.0
 */
void
missive_store_fetch_summaries_async (MissiveStore        *self,
                                     MissiveMessageSet   *set,
                                     MissiveFetchItems    items,
                                     guint64              changed_since,
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
  missive_store_check_set (set, &error);
  task = missive_store_begin_operation (self, missive_store_fetch_summaries_async,
                                        klass->fetch_summaries_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->fetch_summaries_async (self, set, items, changed_since, io_priority,
                                cancellable, fetch_summaries_cb, task);
}

/**
 * missive_store_fetch_summaries_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.fetch_summaries_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MessageInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_fetch_summaries_finish (MissiveStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_fetch_summaries_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  MissiveMessageSet *set;
  MissiveFetchItems items;
  guint64 changed_since;
} FetchSummariesArgs;

static void
start_fetch_summaries (gpointer             source,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data,
                       gpointer             start_data)
{
  FetchSummariesArgs *args = start_data;

  missive_store_fetch_summaries_async (source, args->set, args->items,
                                       args->changed_since, G_PRIORITY_DEFAULT,
                                       cancellable, callback, user_data);
}

/**
 * missive_store_fetch_summaries:
 * @self: a store
 * @set: the messages of the selected mailbox
 * @items: what to fetch
 * @changed_since: only messages whose modification sequence is above this
 *   (IMAP CONDSTORE `CHANGEDSINCE`); 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Fetches message summaries, blocking. See
 * [method@Store.fetch_summaries_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MessageInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_fetch_summaries (MissiveStore       *self,
                               MissiveMessageSet  *set,
                               MissiveFetchItems   items,
                               guint64             changed_since,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  FetchSummariesArgs args = { set, items, changed_since };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_fetch_summaries, &args, cancellable);
  return missive_store_fetch_summaries_finish (self, result, error);
}

/* ---- fetch_part ---------------------------------------------------------- */

static void
fetch_part_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->fetch_part_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_fetch_part_async: (virtual fetch_part_async)
 * @self: a store
 * @message_id: the message: a UID or sequence number of the selected
 *   mailbox in IMAP, a message number in POP3
 * @section: (nullable): the part's section, e.g. "1.2" (see
 *   [method@BodyPart.get_section]); %NULL or "" for the whole message
 * @flags: how to fetch
 * @offset: the first byte wanted; 0 for the start
 * @length: how many bytes are wanted; 0 for all the rest
 * @sink: where to write the content
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the content is written
 * @user_data: data for @callback
 *
 * Streams a message, or one part of it, or a range of its bytes, into
 * @sink, which is not closed. Progress is reported by
 * [signal@Service::transfer-progress], and the content, piece by piece, by
 * [signal@Store::message-part].
 *
 * Since: 1.0
 */
void
missive_store_fetch_part_async (MissiveStore          *self,
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
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (G_IS_OUTPUT_STREAM (sink));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  if (message_id == 0)
    g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "0 is not a message id");
  check_section (section, &error);
  task = missive_store_begin_operation (self, missive_store_fetch_part_async,
                                        klass->fetch_part_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->fetch_part_async (self, message_id, section, flags, offset, length,
                           sink, io_priority, cancellable, fetch_part_cb, task);
}

/**
 * missive_store_fetch_part_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.fetch_part_async].
 *
 * Returns: %TRUE when everything asked for was written
 *
 * Since: 1.0
 */
gboolean
missive_store_fetch_part_finish (MissiveStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_fetch_part_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  guint32 message_id;
  const char *section;
  MissiveFetchPartFlags flags;
  guint64 offset;
  guint64 length;
  GOutputStream *sink;
} FetchPartArgs;

static void
start_fetch_part (gpointer             source,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             start_data)
{
  FetchPartArgs *args = start_data;

  missive_store_fetch_part_async (source, args->message_id, args->section,
                                  args->flags, args->offset, args->length,
                                  args->sink, G_PRIORITY_DEFAULT, cancellable,
                                  callback, user_data);
}

/**
 * missive_store_fetch_part:
 * @self: a store
 * @message_id: the message: a UID or sequence number of the selected
 *   mailbox in IMAP, a message number in POP3
 * @section: (nullable): the part's section, e.g. "1.2" (see
 *   [method@BodyPart.get_section]); %NULL or "" for the whole message
 * @flags: how to fetch
 * @offset: the first byte wanted; 0 for the start
 * @length: how many bytes are wanted; 0 for all the rest
 * @sink: where to write the content
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Streams a message or part into an output stream, blocking. See
 * [method@Store.fetch_part_async].
 *
 * Returns: %TRUE when everything asked for was written
 *
 * Since: 1.0
 */
gboolean
missive_store_fetch_part (MissiveStore           *self,
                          guint32                 message_id,
                          const char             *section,
                          MissiveFetchPartFlags   flags,
                          guint64                 offset,
                          guint64                 length,
                          GOutputStream          *sink,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  FetchPartArgs args = { message_id, section, flags, offset, length, sink };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (sink), FALSE);

  result = missive_run_sync (self, start_fetch_part, &args, cancellable);
  return missive_store_fetch_part_finish (self, result, error);
}

/* ---- search -------------------------------------------------------------- */

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveMessageSet *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->search_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, (GDestroyNotify) missive_message_set_unref);
  g_object_unref (task);
}

/**
 * missive_store_search_async: (virtual search_async)
 * @self: a store
 * @query: what to look for
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Searches the selected mailbox for the messages that match @query.
 *
 * Since: 1.0
 */
void
missive_store_search_async (MissiveStore        *self,
                            MissiveSearchQuery  *query,
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
  if (error == NULL)
    missive_search_query_check (query, &error);
  task = missive_store_begin_operation (self, missive_store_search_async,
                                        klass->search_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->search_async (self, query, io_priority, cancellable, search_cb, task);
}

/**
 * missive_store_search_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.search_async].
 *
 * Returns: (transfer full) (nullable): the matching messages (UIDs or
 *   sequence numbers, as the plugin uses), possibly none, or %NULL on error
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_store_search_finish (MissiveStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_search_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  MissiveSearchQuery *query;
} SearchArgs;

static void
start_search (gpointer             source,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             start_data)
{
  SearchArgs *args = start_data;

  missive_store_search_async (source, args->query, G_PRIORITY_DEFAULT,
                              cancellable, callback, user_data);
}

/**
 * missive_store_search:
 * @self: a store
 * @query: what to look for
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches the selected mailbox, blocking. See [method@Store.search_async].
 *
 * Returns: (transfer full) (nullable): the matching messages (UIDs or
 *   sequence numbers, as the plugin uses), possibly none, or %NULL on error
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_store_search (MissiveStore        *self,
                      MissiveSearchQuery  *query,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SearchArgs args = { query };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (query), NULL);

  result = missive_run_sync (self, start_search, &args, cancellable);
  return missive_store_search_finish (self, result, error);
}

/* ---- sort ---------------------------------------------------------------- */

static void
sort_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GArray *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->sort_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, (GDestroyNotify) g_array_unref);
  g_object_unref (task);
}

/**
 * missive_store_sort_async: (virtual sort_async)
 * @self: a store
 * @sort_criteria: the sort order in IMAP SORT syntax, e.g. "REVERSE DATE"
 *   or "SUBJECT FROM"
 * @query: which messages to sort
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Searches the selected mailbox for the messages that match @query and
 * returns them in the order @sort_criteria says (IMAP SORT, RFC 5256).
 *
 * Since: 1.0
 */
void
missive_store_sort_async (MissiveStore        *self,
                          const char          *sort_criteria,
                          MissiveSearchQuery  *query,
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
  missive_store_check_name (sort_criteria, "sort order", TRUE, &error);
  if (error == NULL)
    missive_search_query_check (query, &error);
  task = missive_store_begin_operation (self, missive_store_sort_async,
                                        klass->sort_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->sort_async (self, sort_criteria, query, io_priority, cancellable,
                     sort_cb, task);
}

/**
 * missive_store_sort_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.sort_async].
 *
 * Returns: (transfer full) (nullable) (element-type guint32): the ids of
 *   the matching messages, in order, or %NULL on error
 *
 * Since: 1.0
 */
GArray *
missive_store_sort_finish (MissiveStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_sort_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *sort_criteria;
  MissiveSearchQuery *query;
} SortArgs;

static void
start_sort (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  SortArgs *args = start_data;

  missive_store_sort_async (source, args->sort_criteria, args->query,
                            G_PRIORITY_DEFAULT, cancellable, callback,
                            user_data);
}

/**
 * missive_store_sort:
 * @self: a store
 * @sort_criteria: the sort order in IMAP SORT syntax, e.g. "REVERSE DATE"
 *   or "SUBJECT FROM"
 * @query: which messages to sort
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches and sorts, blocking. See [method@Store.sort_async].
 *
 * Returns: (transfer full) (nullable) (element-type guint32): the ids of
 *   the matching messages, in order, or %NULL on error
 *
 * Since: 1.0
 */
GArray *
missive_store_sort (MissiveStore        *self,
                    const char          *sort_criteria,
                    MissiveSearchQuery  *query,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SortArgs args = { sort_criteria, query };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (query), NULL);

  result = missive_run_sync (self, start_sort, &args, cancellable);
  return missive_store_sort_finish (self, result, error);
}

/* ---- set_flags ----------------------------------------------------------- */

static void
set_flags_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->set_flags_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_set_flags_async: (virtual set_flags_async)
 * @self: a store
 * @set: the messages
 * @change: add, remove or replace
 * @flags: (array zero-terminated=1) (nullable): the flags and keywords,
 *   e.g. %MISSIVE_FLAG_SEEN or "$Junk"; %NULL or none only to remove every
 *   flag with %MISSIVE_FLAG_CHANGE_REPLACE
 * @unchanged_since: only change messages whose modification sequence is at
 *   most this (IMAP CONDSTORE `UNCHANGEDSINCE`); 0 for no condition
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Adds, removes or replaces flags of a set of messages. The new flags the
 * server reports are also emitted by [signal@Store::message-info].
 *
 * Since: 1.0
 */
void
missive_store_set_flags_async (MissiveStore        *self,
                               MissiveMessageSet   *set,
                               MissiveFlagChange    change,
                               const char * const  *flags,
                               guint64              unchanged_since,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (change >= MISSIVE_FLAG_CHANGE_ADD && change <= MISSIVE_FLAG_CHANGE_REPLACE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_set (set, &error);
  missive_store_check_flags (flags, change != MISSIVE_FLAG_CHANGE_REPLACE, &error);
  task = missive_store_begin_operation (self, missive_store_set_flags_async,
                                        klass->set_flags_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->set_flags_async (self, set, change, flags, unchanged_since,
                          io_priority, cancellable, set_flags_cb, task);
}

/**
 * missive_store_set_flags_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.set_flags_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@MessageInfo]
 *   with the flags the server reported (possibly none), or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_set_flags_finish (MissiveStore  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_set_flags_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  MissiveMessageSet *set;
  MissiveFlagChange change;
  const char * const *flags;
  guint64 unchanged_since;
} SetFlagsArgs;

static void
start_set_flags (gpointer             source,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             start_data)
{
  SetFlagsArgs *args = start_data;

  missive_store_set_flags_async (source, args->set, args->change, args->flags,
                                 args->unchanged_since, G_PRIORITY_DEFAULT,
                                 cancellable, callback, user_data);
}

/**
 * missive_store_set_flags:
 * @self: a store
 * @set: the messages
 * @change: add, remove or replace
 * @flags: (array zero-terminated=1) (nullable): the flags and keywords,
 *   e.g. %MISSIVE_FLAG_SEEN or "$Junk"; %NULL or none only to remove every
 *   flag with %MISSIVE_FLAG_CHANGE_REPLACE
 * @unchanged_since: only change messages whose modification sequence is at
 *   most this (IMAP CONDSTORE `UNCHANGEDSINCE`); 0 for no condition
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Changes flags, blocking. See [method@Store.set_flags_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of [class@MessageInfo]
 *   with the flags the server reported (possibly none), or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_set_flags (MissiveStore        *self,
                         MissiveMessageSet   *set,
                         MissiveFlagChange    change,
                         const char * const  *flags,
                         guint64              unchanged_since,
                         GCancellable        *cancellable,
                         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SetFlagsArgs args = { set, change, flags, unchanged_since };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (change >= MISSIVE_FLAG_CHANGE_ADD && change <= MISSIVE_FLAG_CHANGE_REPLACE, NULL);

  result = missive_run_sync (self, start_set_flags, &args, cancellable);
  return missive_store_set_flags_finish (self, result, error);
}

/* ---- copy_messages ------------------------------------------------------- */

static void
copy_messages_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveUidMap *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->copy_messages_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_copy_messages_async: (virtual copy_messages_async)
 * @self: a store
 * @set: the messages of the selected mailbox
 * @destination: the mailbox to copy or move them to
 * @move: %TRUE to move (IMAP MOVE, or copy, flag \Deleted and expunge),
 *   %FALSE to copy
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the messages are copied or moved
 * @user_data: data for @callback
 *
 * Copies or moves messages to another mailbox.
 *
 * Since: 1.0
 */
void
missive_store_copy_messages_async (MissiveStore        *self,
                                   MissiveMessageSet   *set,
                                   const char          *destination,
                                   gboolean             move,
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
  missive_store_check_set (set, &error);
  missive_store_check_name (destination, "destination mailbox", TRUE, &error);
  task = missive_store_begin_operation (self, missive_store_copy_messages_async,
                                        klass->copy_messages_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->copy_messages_async (self, set, destination, move, io_priority,
                              cancellable, copy_messages_cb, task);
}

/**
 * missive_store_copy_messages_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.copy_messages_async].
 *
 * Returns: (transfer full) (nullable): where the messages went (empty when
 *   the server does not say), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_copy_messages_finish (MissiveStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_copy_messages_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  MissiveMessageSet *set;
  const char *destination;
  gboolean move;
} CopyMessagesArgs;

static void
start_copy_messages (gpointer             source,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             start_data)
{
  CopyMessagesArgs *args = start_data;

  missive_store_copy_messages_async (source, args->set, args->destination,
                                     args->move, G_PRIORITY_DEFAULT,
                                     cancellable, callback, user_data);
}

/**
 * missive_store_copy_messages:
 * @self: a store
 * @set: the messages of the selected mailbox
 * @destination: the mailbox to copy or move them to
 * @move: %TRUE to move (IMAP MOVE, or copy, flag \Deleted and expunge),
 *   %FALSE to copy
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies or moves messages, blocking. See
 * [method@Store.copy_messages_async].
 *
 * Returns: (transfer full) (nullable): where the messages went (empty when
 *   the server does not say), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_copy_messages (MissiveStore       *self,
                             MissiveMessageSet  *set,
                             const char         *destination,
                             gboolean            move,
                             GCancellable       *cancellable,
                             GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  CopyMessagesArgs args = { set, destination, move };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_copy_messages, &args, cancellable);
  return missive_store_copy_messages_finish (self, result, error);
}

/* ---- append_message ------------------------------------------------------ */

static void
append_message_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveUidMap *value;
  GError *error = NULL;

  value = MISSIVE_STORE_GET_CLASS (self)->append_message_finish (self, result, &error);
  if (value == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_append_message_async: (virtual append_message_async)
 * @self: a store
 * @mailbox: the mailbox to add the message to
 * @message: the message, in RFC 5322 format with CRLF line ends
 * @size: the size of the message in bytes, or -1 if unknown (the plugin
 *   then reads the whole stream first)
 * @flags: (array zero-terminated=1) (nullable): flags to set on the message
 * @internal_date: (nullable): the internal date to give it; %NULL for now
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is stored
 * @user_data: data for @callback
 *
 * Adds a message to a mailbox (IMAP APPEND). [method@Store.append_bytes]
 * takes the message in memory.
 *
 * Since: 1.0
 */
void
missive_store_append_message_async (MissiveStore        *self,
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
  MissiveStoreClass *klass;
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (G_IS_INPUT_STREAM (message));
  g_return_if_fail (size >= -1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  missive_store_check_name (mailbox, "mailbox name", TRUE, &error);
  missive_store_check_flags (flags, FALSE, &error);
  task = missive_store_begin_operation (self, missive_store_append_message_async,
                                        klass->append_message_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->append_message_async (self, mailbox, message, size, flags,
                               internal_date, io_priority, cancellable,
                               append_message_cb, task);
}

/**
 * missive_store_append_message_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.append_message_async].
 *
 * Returns: (transfer full) (nullable): the UID the message got (empty when
 *   the server does not say), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_append_message_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_append_message_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *mailbox;
  GInputStream *message;
  goffset size;
  const char * const *flags;
  GDateTime *internal_date;
} AppendMessageArgs;

static void
start_append_message (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  AppendMessageArgs *args = start_data;

  missive_store_append_message_async (source, args->mailbox, args->message,
                                      args->size, args->flags,
                                      args->internal_date, G_PRIORITY_DEFAULT,
                                      cancellable, callback, user_data);
}

/**
 * missive_store_append_message:
 * @self: a store
 * @mailbox: the mailbox to add the message to
 * @message: the message, in RFC 5322 format with CRLF line ends
 * @size: the size of the message in bytes, or -1 if unknown (the plugin
 *   then reads the whole stream first)
 * @flags: (array zero-terminated=1) (nullable): flags to set on the message
 * @internal_date: (nullable): the internal date to give it; %NULL for now
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds a message to a mailbox, blocking. See
 * [method@Store.append_message_async].
 *
 * Returns: (transfer full) (nullable): the UID the message got (empty when
 *   the server does not say), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_append_message (MissiveStore        *self,
                              const char          *mailbox,
                              GInputStream        *message,
                              goffset              size,
                              const char * const  *flags,
                              GDateTime           *internal_date,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  AppendMessageArgs args = { mailbox, message, size, flags, internal_date };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (message), NULL);
  g_return_val_if_fail (size >= -1, NULL);

  result = missive_run_sync (self, start_append_message, &args, cancellable);
  return missive_store_append_message_finish (self, result, error);
}

/* ---- expunge ------------------------------------------------------------- */

static void
expunge_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->expunge_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_expunge_async: (virtual expunge_async)
 * @self: a store
 * @set: (nullable): only these messages (IMAP UID EXPUNGE); %NULL for all
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the messages are removed
 * @user_data: data for @callback
 *
 * Removes the messages flagged \Deleted from the selected mailbox: all of
 * them, or only those in @set. Each removal is also reported by
 * [signal@Store::mailbox-changed].
 *
 * Since: 1.0
 */
void
missive_store_expunge_async (MissiveStore        *self,
                             MissiveMessageSet   *set,
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
  if (set != NULL)
    missive_store_check_set (set, &error);
  task = missive_store_begin_operation (self, missive_store_expunge_async,
                                        klass->expunge_async != NULL,
                                        error, io_priority, cancellable,
                                        callback, user_data);
  if (task == NULL)
    return;

  klass->expunge_async (self, set, io_priority, cancellable, expunge_cb, task);
}

/**
 * missive_store_expunge_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.expunge_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_expunge_finish (MissiveStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_expunge_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  MissiveMessageSet *set;
} ExpungeArgs;

static void
start_expunge (gpointer             source,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             start_data)
{
  ExpungeArgs *args = start_data;

  missive_store_expunge_async (source, args->set, G_PRIORITY_DEFAULT,
                               cancellable, callback, user_data);
}

/**
 * missive_store_expunge:
 * @self: a store
 * @set: (nullable): only these messages (IMAP UID EXPUNGE); %NULL for all
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes deleted messages, blocking. See [method@Store.expunge_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_store_expunge (MissiveStore       *self,
                       MissiveMessageSet  *set,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ExpungeArgs args = { set };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  result = missive_run_sync (self, start_expunge, &args, cancellable);
  return missive_store_expunge_finish (self, result, error);
}

/* ---- conveniences -------------------------------------------------------- */

/**
 * missive_store_fetch_message_async:
 * @self: a store
 * @message_id: the message: a UID or sequence number of the selected
 *   mailbox in IMAP, a message number in POP3
 * @sink: where to write the message
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the whole message is written
 * @user_data: data for @callback
 *
 * Streams one whole message, as the server stores it, into @sink, which
 * is not closed, without marking it \Seen: [method@Store.fetch_part_async]
 * for the whole message.
 *
 * Since: 1.0
 */
void
missive_store_fetch_message_async (MissiveStore        *self,
                                   guint32              message_id,
                                   GOutputStream       *sink,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  missive_store_fetch_part_async (self, message_id, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                  0, 0, sink, io_priority, cancellable,
                                  callback, user_data);
}

/**
 * missive_store_fetch_message_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.fetch_message_async].
 *
 * Returns: %TRUE when the whole message was written
 *
 * Since: 1.0
 */
gboolean
missive_store_fetch_message_finish (MissiveStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return missive_store_fetch_part_finish (self, result, error);
}

/**
 * missive_store_fetch_message:
 * @self: a store
 * @message_id: the message
 * @sink: where to write the message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Streams one message into @sink, blocking. See
 * [method@Store.fetch_message_async].
 *
 * Returns: %TRUE when the whole message was written
 *
 * Since: 1.0
 */
gboolean
missive_store_fetch_message (MissiveStore   *self,
                             guint32         message_id,
                             GOutputStream  *sink,
                             GCancellable   *cancellable,
                             GError        **error)
{
  return missive_store_fetch_part (self, message_id, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                   0, 0, sink, cancellable, error);
}

/**
 * missive_store_append_bytes:
 * @self: a store
 * @mailbox: the mailbox to add the message to
 * @message: the message, in RFC 5322 format with CRLF line ends
 * @flags: (array zero-terminated=1) (nullable): flags to set on the
 *   message
 * @internal_date: (nullable): the internal date to give it; %NULL for now
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds a message held in memory to a mailbox, blocking. See
 * [method@Store.append_message_async].
 *
 * Returns: (transfer full) (nullable): the UID the message got (empty
 *   when the server does not say), or %NULL on error
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_store_append_bytes (MissiveStore        *self,
                            const char          *mailbox,
                            GBytes              *message,
                            const char * const  *flags,
                            GDateTime           *internal_date,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (message);
  return missive_store_append_message (self, mailbox, stream,
                                       (goffset) g_bytes_get_size (message),
                                       flags, internal_date, cancellable, error);
}
