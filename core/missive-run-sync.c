/* missive-run-sync.c: blocking forms on top of asynchronous operations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (g_main_context_get_thread_default ());
}

/* One private context per thread, made on first use and kept: creating a
 * GMainContext (and its wakeup fd) for every blocking call would cost more
 * than the I/O of a short command. Nested blocking calls (from a signal
 * handler during a blocking call) push the same context again, which GLib
 * allows. */
static void
free_thread_context (gpointer data)
{
  g_main_context_unref (data);
}

static GPrivate sync_context = G_PRIVATE_INIT (free_thread_context);

static GMainContext *
get_sync_context (void)
{
  GMainContext *context = g_private_get (&sync_context);

  if (context == NULL)
    {
      context = g_main_context_new ();
      g_private_set (&sync_context, context);
    }
  return context;
}

/**
 * missive_run_sync: (skip)
 * @source: the object the operation runs on
 * @start: starts the asynchronous operation
 * @start_data: data for @start
 * @cancellable: (nullable): a #GCancellable
 *
 * Runs an asynchronous operation to completion on a private #GMainContext,
 * pushed as the thread-default context for the duration, so a blocking
 * call never dispatches the application's other sources. Every blocking
 * form in Missive is built on this, so there is exactly one code path per
 * operation.
 *
 * Returns: (transfer full): the operation's result, for its `_finish`
 *
 * Since: 1.0
 */
GAsyncResult *
missive_run_sync (gpointer              source,
                  MissiveAsyncStartFunc start,
                  gpointer              start_data,
                  GCancellable         *cancellable)
{
  GMainContext *context = get_sync_context ();
  GAsyncResult *result = NULL;

  g_return_val_if_fail (start != NULL, NULL);

  g_main_context_push_thread_default (context);
  start (source, cancellable, on_sync_done, &result, start_data);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return result;
}
