/* missive-store-pool.c: several connections to one mail account
 *
 * Each connection is a store made like the template (the settings copied
 * as MissiveSenderPool copies them), in one of four states: being opened
 * for a request, idle, in use by the application, being closed. Requests
 * wait in one queue, first come first served; each is given, in this
 * order of preference, an idle connection of the same purpose with its
 * mailbox already selected, one of the same purpose, a new connection if
 * the pool is not full, or (when it is) an idle connection of another
 * purpose, which takes the new one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-service-private.h"
#include "missive-store-pool-private.h"

/**
 * MissiveStorePool:
 *
 * Several connections to one mail account, each a [class@Store] with its
 * own selected mailbox: typically one kept for [method@Store.idle] and
 * others for fetching.
 *
 * The pool makes its stores like the template given to
 * [ctor@StorePool.new]: the same type, with the template's settings
 * (host, port, security, credentials, time-out, TLS settings, and the
 * plugin's own properties such as IMAP's `use-uid`) copied when a
 * connection is made. The template itself is never opened; a
 * [iface@Transport] set on it is not copied. Connect to
 * [signal@StorePool::store-created] to set up each new store.
 *
 * [method@StorePool.acquire_async] hands out a logged-in store for a
 * purpose (any string the application chooses, e.g. "idle" or "fetch", or
 * %NULL) and, if asked, with a mailbox selected. An idle connection of
 * the same purpose is reused (preferably one with that mailbox already
 * selected); otherwise a new one is opened, up to
 * [property@StorePool:max-connections]; when the pool is full an idle
 * connection of another purpose is taken over, and when every connection
 * is in use the request waits for [method@StorePool.release]. The
 * application gives each store back with [method@StorePool.release] when
 * it is done with it, and never closes it itself.
 *
 * A store that is no longer logged in when it is released or about to be
 * handed out (its connection dropped) is dropped from the pool and
 * replaced by a new connection; so is one whose mailbox cannot be
 * selected because the connection dropped. Idle connections are closed
 * after [property@StorePool:idle-timeout] seconds.
 *
 * A pool is not thread-safe: use it from one thread. Its idle timers run
 * in the thread-default main context of the thread that created it; the
 * blocking forms run the pool's operations on a private context until
 * they return.
 *
 * Since: 1.0
 */

enum {
  PROP_0,
  PROP_TEMPLATE,
  PROP_MAX_CONNECTIONS,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_STORE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEFAULT_MAX_CONNECTIONS 4
#define DEFAULT_IDLE_TIMEOUT 300

G_DEFINE_FINAL_TYPE (MissiveStorePool, missive_store_pool, G_TYPE_OBJECT)


static void
stop_idle_timer (Connection *connection)
{
  if (connection->idle_timer != NULL)
    {
      g_source_destroy (connection->idle_timer);
      g_clear_pointer (&connection->idle_timer, g_source_unref);
    }
}

static void
connection_free (Connection *connection)
{
  stop_idle_timer (connection);
  g_clear_object (&connection->store);
  g_free (connection->purpose);
  g_free (connection);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->purpose);
  g_free (request->mailbox);
  g_free (request);
}

static void
missive_store_pool_dispose (GObject *object)
{
  MissiveStorePool *self = MISSIVE_STORE_POOL (object);

  /* Every operation in flight holds a reference: nothing runs now. */
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->template_store);

  G_OBJECT_CLASS (missive_store_pool_parent_class)->dispose (object);
}

static void
missive_store_pool_finalize (GObject *object)
{
  MissiveStorePool *self = MISSIVE_STORE_POOL (object);

  g_clear_pointer (&self->close_tasks, g_ptr_array_unref);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (missive_store_pool_parent_class)->finalize (object);
}

static void
missive_store_pool_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MissiveStorePool *self = MISSIVE_STORE_POOL (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template_store);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_store_pool_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MissiveStorePool *self = MISSIVE_STORE_POOL (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_set_object (&self->template_store, g_value_get_object (value));
      break;
    case PROP_MAX_CONNECTIONS:
      missive_store_pool_set_max_connections (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      missive_store_pool_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_store_pool_class_init (MissiveStorePoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = missive_store_pool_dispose;
  object_class->finalize = missive_store_pool_finalize;
  object_class->get_property = missive_store_pool_get_property;
  object_class->set_property = missive_store_pool_set_property;

  /**
   * MissiveStorePool:template:
   *
   * The store whose type and settings the pool's connections copy. It is
   * never opened by the pool; changes to it apply to the connections made
   * afterwards.
   *
   * Since: 1.0
   */
  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL,
                         MISSIVE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveStorePool:max-connections:
   *
   * The most connections open (or being opened or closed) at once. At
   * least 1. Lowering it closes no connection in use.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_MAX_CONNECTIONS, flags);

  /**
   * MissiveStorePool:idle-timeout:
   *
   * How long, in seconds, a released connection stays open waiting to be
   * reused before the pool closes it; 0 keeps it open until the pool is
   * closed.
   *
   * Since: 1.0
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       0, G_MAXUINT / 1000, DEFAULT_IDLE_TIMEOUT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveStorePool::store-created:
   * @self: the pool
   * @store: the new store
   *
   * Emitted for each new connection's store, after the template's
   * settings were copied and before it is opened: the place to set a
   * transport or connect to its signals.
   *
   * Since: 1.0
   */
  signals[SIGNAL_STORE_CREATED] =
    g_signal_new ("store-created", G_OBJECT_CLASS_TYPE (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MISSIVE_TYPE_STORE);
}

static void
missive_store_pool_init (MissiveStorePool *self)
{
  self->max_connections = DEFAULT_MAX_CONNECTIONS;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  g_queue_init (&self->queue);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * missive_store_pool_new:
 * @template_store: the store to copy for each connection
 *
 * Creates a pool of connections like @template_store.
 *
 * Returns: (transfer full): the pool
 *
 * Since: 1.0
 */
MissiveStorePool *
missive_store_pool_new (MissiveStore *template_store)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (template_store), NULL);

  return g_object_new (MISSIVE_TYPE_STORE_POOL, "template", template_store, NULL);
}

/**
 * missive_store_pool_get_template:
 * @self: a pool
 *
 * Gets [property@StorePool:template].
 *
 * Returns: (transfer none): the template store
 *
 * Since: 1.0
 */
MissiveStore *
missive_store_pool_get_template (MissiveStorePool *self)
{
  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), NULL);

  return self->template_store;
}

/**
 * missive_store_pool_get_max_connections:
 * @self: a pool
 *
 * Gets [property@StorePool:max-connections].
 *
 * Returns: the most connections at once
 *
 * Since: 1.0
 */
guint
missive_store_pool_get_max_connections (MissiveStorePool *self)
{
  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), 0);

  return self->max_connections;
}

/**
 * missive_store_pool_set_max_connections:
 * @self: a pool
 * @max_connections: the most connections at once, at least 1
 *
 * Sets [property@StorePool:max-connections].
 *
 * Since: 1.0
 */
void
missive_store_pool_set_max_connections (MissiveStorePool *self,
                                        guint             max_connections)
{
  g_return_if_fail (MISSIVE_IS_STORE_POOL (self));
  g_return_if_fail (max_connections >= 1);

  if (self->max_connections == max_connections)
    return;
  self->max_connections = max_connections;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONNECTIONS]);
  missive_store_pool_dispatch (self);
}

/**
 * missive_store_pool_get_idle_timeout:
 * @self: a pool
 *
 * Gets [property@StorePool:idle-timeout].
 *
 * Returns: the idle time-out in seconds, or 0
 *
 * Since: 1.0
 */
guint
missive_store_pool_get_idle_timeout (MissiveStorePool *self)
{
  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), 0);

  return self->idle_timeout;
}

/**
 * missive_store_pool_set_idle_timeout:
 * @self: a pool
 * @seconds: the idle time-out, or 0 for none
 *
 * Sets [property@StorePool:idle-timeout]. It applies to connections
 * released afterwards.
 *
 * Since: 1.0
 */
void
missive_store_pool_set_idle_timeout (MissiveStorePool *self,
                                     guint             seconds)
{
  g_return_if_fail (MISSIVE_IS_STORE_POOL (self));
  g_return_if_fail (seconds <= G_MAXUINT / 1000);

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/**
 * missive_store_pool_get_n_connections:
 * @self: a pool
 *
 * Gets how many connections the pool has, including those in use, being
 * opened or being closed.
 *
 * Returns: the number of connections
 *
 * Since: 1.0
 */
guint
missive_store_pool_get_n_connections (MissiveStorePool *self)
{
  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), 0);

  return self->connections->len;
}

/**
 * missive_store_pool_get_n_idle:
 * @self: a pool
 *
 * Gets how many connections wait, open, to be acquired.
 *
 * Returns: the number of idle connections
 *
 * Since: 1.0
 */
guint
missive_store_pool_get_n_idle (MissiveStorePool *self)
{
  guint n = 0;

  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), 0);

  for (guint i = 0; i < self->connections->len; i++)
    if (((Connection *) g_ptr_array_index (self->connections, i))->state == CONNECTION_IDLE)
      n++;
  return n;
}

/* ---- connections ---------------------------------------------------------- */

static MissiveStore *
create_store (MissiveStorePool *self)
{
  MissiveStore *store = MISSIVE_STORE (missive_service_new_like (MISSIVE_SERVICE (self->template_store)));

  g_signal_emit (self, signals[SIGNAL_STORE_CREATED], 0, store);
  return store;
}

static Connection *
find_connection (MissiveStorePool *self,
                 MissiveStore     *store)
{
  for (guint i = 0; self->connections != NULL && i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);

      if (connection->store == store)
        return connection;
    }
  return NULL;
}

void
missive_store_pool_check_closed (MissiveStorePool *self)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (self->close_tasks == NULL || self->connections->len > 0)
    return;
  tasks = g_steal_pointer (&self->close_tasks);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

typedef struct
{
  MissiveStorePool *self;
  Connection *connection;
} ConnectionOp;

static void
connection_closed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ConnectionOp *op = user_data;
  MissiveStorePool *self = op->self;

  /* Closed whatever the server said to LOGOUT. */
  missive_service_close_finish (MISSIVE_SERVICE (source), result, NULL);
  g_ptr_array_remove_fast (self->connections, op->connection);
  g_free (op);
  missive_store_pool_check_closed (self);
  missive_store_pool_dispatch (self);
  g_object_unref (self);
}

void
missive_store_pool_close_connection (MissiveStorePool *self,
                                     Connection       *connection)
{
  ConnectionOp *op;

  stop_idle_timer (connection);
  if (missive_service_get_state (MISSIVE_SERVICE (connection->store)) == MISSIVE_SERVICE_STATE_DISCONNECTED)
    {
      g_ptr_array_remove_fast (self->connections, connection);
      return;
    }
  connection->state = CONNECTION_CLOSING;
  op = g_new0 (ConnectionOp, 1);
  op->self = g_object_ref (self);
  op->connection = connection;
  missive_service_close_async (MISSIVE_SERVICE (connection->store), G_PRIORITY_DEFAULT, NULL,
                               connection_closed_cb, op);
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  ConnectionOp *op = user_data;
  MissiveStorePool *self = op->self;

  g_clear_pointer (&op->connection->idle_timer, g_source_unref);
  missive_store_pool_close_connection (self, op->connection);
  missive_store_pool_check_closed (self);
  missive_store_pool_dispatch (self);
  return G_SOURCE_REMOVE;
}

static void
connection_op_free (gpointer data)
{
  g_free (data);
}

static void
make_idle (MissiveStorePool *self,
           Connection       *connection)
{
  ConnectionOp *op;

  connection->state = CONNECTION_IDLE;
  if (self->idle_timeout == 0)
    return;
  op = g_new0 (ConnectionOp, 1);
  op->self = self;   /* the timer dies with the connection, before the pool */
  op->connection = connection;
  connection->idle_timer = g_timeout_source_new_seconds (self->idle_timeout);
  g_source_set_static_name (connection->idle_timer, "[missive] store pool idle time-out");
  g_source_set_callback (connection->idle_timer, on_idle_timeout, op, connection_op_free);
  g_source_attach (connection->idle_timer, self->context);
}

static gboolean
is_logged_in (Connection *connection)
{
  return missive_service_get_state (MISSIVE_SERVICE (connection->store)) ==
         MISSIVE_SERVICE_STATE_AUTHENTICATED;
}

/* ---- requests --------------------------------------------------------------- */

void
missive_store_pool_forget_cancellable (GTask   *task,
                                       Request *request)
{
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
  request->cancelled_id = 0;
}

static void
request_done (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (request->connection->store), g_object_unref);
  request->connection = NULL;
  g_object_unref (task);
}

static void enqueue (MissiveStorePool *self,
                     GTask            *task,
                     gboolean          at_head);

/* The connection given to @task failed with @error (transfer full). */
static void
connection_failed (MissiveStorePool *self,
                   GTask            *task,
                   GError           *error)
{
  Request *request = g_task_get_task_data (task);
  Connection *connection = request->connection;

  request->connection = NULL;
  if (!is_logged_in (connection) || self->close_tasks != NULL)
    {
      /* Broken (or no longer wanted): dropped. */
      missive_store_pool_close_connection (self, connection);
      if (!request->replaced && self->close_tasks == NULL &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          missive_service_error_is_fatal (error))
        {
          /* Once, at the head of the queue, on another connection. */
          request->replaced = TRUE;
          g_error_free (error);
          enqueue (self, task, TRUE);
          return;
        }
    }
  else
    make_idle (self, connection);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
selected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStorePool *self = g_object_ref (g_task_get_source_object (task));
  g_autoptr(MissiveMailboxInfo) info = NULL;
  GError *error = NULL;

  info = missive_store_select_mailbox_finish (MISSIVE_STORE (source), result, &error);
  if (info == NULL)
    connection_failed (self, task, error);
  else
    request_done (task, NULL);
  missive_store_pool_check_closed (self);
  missive_store_pool_dispatch (self);
  g_object_unref (self);
}

/* Hands the connection of @task's request to the application, selecting
 * the mailbox first if needed. */
static void
prepare (MissiveStorePool *self,
         GTask            *task)
{
  Request *request = g_task_get_task_data (task);
  Connection *connection = request->connection;
  const char *selected = missive_store_get_selected_mailbox (connection->store);

  connection->state = CONNECTION_IN_USE;
  if (g_strcmp0 (connection->purpose, request->purpose) != 0)
    {
      g_free (connection->purpose);
      connection->purpose = g_strdup (request->purpose);
    }
  if (request->mailbox == NULL || g_strcmp0 (selected, request->mailbox) == 0)
    {
      request_done (task, NULL);
      return;
    }
  missive_store_select_mailbox_async (connection->store, request->mailbox, FALSE,
                                      g_task_get_priority (task), g_task_get_cancellable (task),
                                      selected_cb, task);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStorePool *self = g_object_ref (g_task_get_source_object (task));
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_service_open_finish (MISSIVE_SERVICE (source), result, &error))
    {
      /* A server that cannot be reached fails the request rather than
       * keeping it waiting. */
      g_ptr_array_remove_fast (self->connections, request->connection);
      request->connection = NULL;
      g_task_return_error (task, error);
      g_object_unref (task);
    }
  else if (self->close_tasks != NULL)
    {
      missive_store_pool_close_connection (self, request->connection);
      request->connection = NULL;
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The pool was closed");
      g_object_unref (task);
    }
  else
    prepare (self, task);
  missive_store_pool_check_closed (self);
  missive_store_pool_dispatch (self);
  g_object_unref (self);
}

static Connection *
find_idle (MissiveStorePool *self,
           Request          *request,
           gboolean          any_purpose)
{
  Connection *found = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);

      if (connection->state != CONNECTION_IDLE ||
          (!any_purpose && g_strcmp0 (connection->purpose, request->purpose) != 0))
        continue;
      if (request->mailbox == NULL ||
          g_strcmp0 (missive_store_get_selected_mailbox (connection->store), request->mailbox) == 0)
        return connection;
      if (found == NULL)
        found = connection;
    }
  return found;
}

/* Whether @request can have a connection now: an idle one (@connection
 * set) or a new one (@connection NULL). */
static gboolean
can_serve (MissiveStorePool  *self,
           Request           *request,
           Connection       **connection)
{
  *connection = find_idle (self, request, FALSE);
  if (*connection == NULL && self->connections->len >= self->max_connections)
    *connection = find_idle (self, request, TRUE);
  return *connection != NULL || self->connections->len < self->max_connections;
}

/* Gives @task (out of the queue) @connection, or a new one. */
static void
serve (MissiveStorePool *self,
       GTask            *task,
       Connection       *connection)
{
  Request *request = g_task_get_task_data (task);

  missive_store_pool_forget_cancellable (task, request);
  if (connection != NULL)
    {
      stop_idle_timer (connection);
      request->connection = connection;
      prepare (self, task);
      return;
    }
  connection = g_new0 (Connection, 1);
  connection->state = CONNECTION_OPENING;
  connection->purpose = g_strdup (request->purpose);
  connection->store = create_store (self);
  g_ptr_array_add (self->connections, connection);
  request->connection = connection;
  missive_service_open_async (MISSIVE_SERVICE (connection->store), g_task_get_priority (task),
                              g_task_get_cancellable (task), opened_cb, task);
}

void
missive_store_pool_dispatch (MissiveStorePool *self)
{
  gboolean served = TRUE;

  if (self->close_tasks != NULL || self->connections == NULL)
    return;

  /* Idle connections whose server went away. */
  for (guint i = self->connections->len; i > 0; i--)
    {
      Connection *connection = g_ptr_array_index (self->connections, i - 1);

      if (connection->state == CONNECTION_IDLE && !is_logged_in (connection))
        missive_store_pool_close_connection (self, connection);
    }

  /* Serving may run callbacks that change the queue: each request leaves
   * the queue first, and the walk starts again. */
  while (served && self->close_tasks == NULL)
    {
      served = FALSE;
      for (GList *link = self->queue.head; link != NULL; link = link->next)
        {
          GTask *task = link->data;
          Connection *connection;

          if (can_serve (self, g_task_get_task_data (task), &connection))
            {
              g_queue_delete_link (&self->queue, link);
              serve (self, task, connection);
              served = TRUE;
              break;
            }
        }
    }
}

static void
on_queued_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStorePool *self = g_task_get_source_object (task);

  /* Runs in the task's context; the request may have left the queue. */
  if (g_queue_remove (&self->queue, task))
    {
      missive_store_pool_forget_cancellable (task, g_task_get_task_data (task));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Operation was cancelled");
      g_object_unref (task);
    }
}

static gboolean
on_queued_cancelled_idle (gpointer user_data)
{
  on_queued_cancelled (NULL, user_data);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source = g_idle_source_new ();

  /* "cancelled" may fire in any thread and inside the pool's own calls:
   * the queue is only touched from the task's context, later. */
  g_source_set_callback (source, on_queued_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static void
enqueue (MissiveStorePool *self,
         GTask            *task,
         gboolean          at_head)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL && request->cancelled_id == 0)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   task, NULL);
  if (at_head)
    g_queue_push_head (&self->queue, task);
  else
    g_queue_push_tail (&self->queue, task);
}

/**
 * missive_store_pool_acquire_async:
 * @self: a pool
 * @purpose: (nullable): what the store is for, e.g. "idle" or "fetch":
 *   stores are reused for the same purpose
 * @mailbox: (nullable): the mailbox to have selected, or %NULL to leave
 *   the selection as it is
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when a store is ready
 * @user_data: data for @callback
 *
 * Gets a logged-in store of the pool for @purpose, with @mailbox selected
 * (read-write) if given, as described for [class@StorePool]. Give it back
 * with [method@StorePool.release].
 *
 * Since: 1.0
 */
void
missive_store_pool_acquire_async (MissiveStorePool    *self,
                                  const char          *purpose,
                                  const char          *mailbox,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (MISSIVE_IS_STORE_POOL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_store_pool_acquire_async);
  g_task_set_priority (task, io_priority);
  if (mailbox != NULL && (*mailbox == '\0' || strpbrk (mailbox, "\r\n") != NULL))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "Invalid mailbox name");
      g_object_unref (task);
      return;
    }
  if (self->close_tasks != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The pool is being closed");
      g_object_unref (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  request = g_new0 (Request, 1);
  request->purpose = g_strdup (purpose);
  request->mailbox = g_strdup (mailbox);
  g_task_set_task_data (task, request, request_free);
  enqueue (self, task, FALSE);
  missive_store_pool_dispatch (self);
}

/**
 * missive_store_pool_acquire_finish:
 * @self: a pool
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@StorePool.acquire_async].
 *
 * Returns: (transfer full) (nullable): a logged-in store, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveStore *
missive_store_pool_acquire_finish (MissiveStorePool  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *purpose;
  const char *mailbox;
} AcquireArgs;

static void
start_acquire (gpointer             source,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             start_data)
{
  AcquireArgs *args = start_data;

  missive_store_pool_acquire_async (source, args->purpose, args->mailbox, G_PRIORITY_DEFAULT,
                                    cancellable, callback, user_data);
}

/**
 * missive_store_pool_acquire:
 * @self: a pool
 * @purpose: (nullable): what the store is for, or %NULL
 * @mailbox: (nullable): the mailbox to have selected, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets a logged-in store of the pool, blocking. See
 * [method@StorePool.acquire_async]. Don't call it while every connection
 * is in use: nothing can release one while it blocks, and only
 * @cancellable would end the wait.
 *
 * Returns: (transfer full) (nullable): a logged-in store, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveStore *
missive_store_pool_acquire (MissiveStorePool  *self,
                            const char        *purpose,
                            const char        *mailbox,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  AcquireArgs args = { purpose, mailbox };

  g_return_val_if_fail (MISSIVE_IS_STORE_POOL (self), NULL);

  result = missive_run_sync (self, start_acquire, &args, cancellable);
  return missive_store_pool_acquire_finish (self, result, error);
}

/**
 * missive_store_pool_release:
 * @self: a pool
 * @store: a store acquired from @self
 *
 * Gives back a store acquired with [method@StorePool.acquire_async]. The
 * connection waits for the next request of the same purpose (with its
 * mailbox still selected) for up to [property@StorePool:idle-timeout]
 * seconds; a store that is no longer logged in is dropped. The caller's
 * own reference to @store is not touched.
 *
 * Since: 1.0
 */
void
missive_store_pool_release (MissiveStorePool *self,
                            MissiveStore     *store)
{
  Connection *connection;

  g_return_if_fail (MISSIVE_IS_STORE_POOL (self));
  g_return_if_fail (MISSIVE_IS_STORE (store));

  connection = find_connection (self, store);
  g_return_if_fail (connection != NULL && connection->state == CONNECTION_IN_USE);

  g_object_ref (self);
  if (self->close_tasks != NULL || !is_logged_in (connection) ||
      self->connections->len > self->max_connections)
    missive_store_pool_close_connection (self, connection);
  else
    make_idle (self, connection);
  missive_store_pool_check_closed (self);
  missive_store_pool_dispatch (self);
  g_object_unref (self);
}
