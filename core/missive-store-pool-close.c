/* missive-store-pool-close.c: closing a MissiveStorePool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include "missive-store-pool-private.h"

/**
 * missive_store_pool_close_async:
 * @self: a pool
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable, unused: closing cannot be
 *   cancelled
 * @callback: (scope async): called when every connection is closed
 * @user_data: data for @callback
 *
 * Closes the pool: waiting requests fail with
 * %MISSIVE_ERROR_INVALID_STATE, idle connections are logged out at once
 * and stores in use when they are released. Finishes when the last
 * connection is closed.
 *
 * Since: 1.0
 */
void
missive_store_pool_close_async (MissiveStorePool    *self,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE_POOL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_store_pool_close_async);
  g_task_set_priority (task, io_priority);
  g_task_set_check_cancellable (task, FALSE);

  if (self->close_tasks != NULL)
    {
      g_ptr_array_add (self->close_tasks, task);
      return;
    }
  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->close_tasks, task);

  g_object_ref (self);
  while (self->queue.length > 0)
    {
      GTask *waiting = g_queue_pop_head (&self->queue);

      missive_store_pool_forget_cancellable (waiting, g_task_get_task_data (waiting));
      g_task_return_new_error (waiting, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The pool was closed");
      g_object_unref (waiting);
    }
  for (guint i = self->connections->len; i > 0; i--)
    {
      Connection *connection = g_ptr_array_index (self->connections, i - 1);

      if (connection->state == CONNECTION_IDLE)
        missive_store_pool_close_connection (self, connection);
    }
  missive_store_pool_check_closed (self);
  g_object_unref (self);
}

/**
 * missive_store_pool_close_finish:
 * @self: a pool
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@StorePool.close_async].
 *
 * Returns: %TRUE when every connection is closed
 *
 * Since: 1.0
 */
gboolean
missive_store_pool_close_finish (MissiveStorePool  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_close (gpointer             source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             start_data)
{
  missive_store_pool_close_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_store_pool_close:
 * @self: a pool
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the pool, blocking. See [method@StorePool.close_async]; release
 * every acquired store first.
 *
 * Returns: %TRUE when every connection is closed
 *
 * Since: 1.0
 */
gboolean
missive_store_pool_close (MissiveStorePool  *self,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), FALSE);

  result = missive_run_sync (self, start_close, NULL, cancellable);
  return missive_store_pool_close_finish (self, result, error);
}
