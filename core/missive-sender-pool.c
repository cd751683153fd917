/* missive-sender-pool.c: several connections sending messages in turn
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-sender-pool-private.h"
#include "missive-service-private.h"

/**
 * MissiveSenderPool:
 *
 * Sends many messages over several connections to one server.
 *
 * The pool opens up to [property@SenderPool:max-connections] connections,
 * each a new sender of the same type as the template given to
 * [ctor@SenderPool.new], with the template's settings (host, port,
 * security, credentials, time-out, TLS settings, and the plugin's own
 * properties) copied when the connection is made. The template itself is
 * never opened. A [iface@Transport] set on the template is not copied: a
 * transport is one connection. Connect to
 * [signal@SenderPool::sender-created] to give each new sender its own, or
 * to watch it (`protocol-trace`, `recipient-rejected`).
 *
 * Messages wait in one queue and go, first come first served, to the
 * first connection that is free. A connection is closed and replaced
 * after [property@SenderPool:max-messages-per-connection] messages, and
 * [property@SenderPool:rate-limit] spaces the messages out (a token
 * bucket: up to one second's worth may go at once, then the rate holds).
 *
 * When a server closes the connection with a temporary error (SMTP 421,
 * reported as %MISSIVE_ERROR_SERVER_TEMPORARY by a sender that is then
 * disconnected), or the connection is lost before the message was sent
 * (%MISSIVE_ERROR_CONNECTION_LOST), the message is sent once more on
 * another connection. A stream is sent again only if it can seek back to
 * where it was when it was given. %MISSIVE_ERROR_DELIVERY_UNCERTAIN is
 * never retried: the server may already have the message.
 *
 * A pool is not thread-safe: use it from one thread, with the same
 * thread-default main context for all its asynchronous calls. The
 * blocking forms run the pool on a private context until their message is
 * sent: don't mix them with asynchronous calls in flight.
 *
 * Since: 1.0
 */

typedef enum {
  CONNECTION_OPENING,
  CONNECTION_IDLE,
  CONNECTION_BUSY,
  CONNECTION_CLOSING,
} ConnectionState;

typedef struct
{
  MissiveSender *sender;
  ConnectionState state;
  guint n_messages;
} Connection;

struct _MissiveSenderPool
{
  GObject parent_instance;

  MissiveSender *template_sender;
  guint max_connections;
  guint max_messages;
  double rate_limit;

  GPtrArray *connections;     /* of Connection * */
  GQueue queue;               /* of GTask *, each owning a ref */

  /* The rate limit's token bucket. */
  double tokens;
  gint64 refilled;
  GSource *timer;
  MissiveSenderPoolClock clock;
  gpointer clock_data;

  /* Cancels the connections being opened when the pool closes. */
  GCancellable *open_cancellable;
  GPtrArray *close_tasks;     /* of GTask *, while closing */
};

enum {
  PROP_0,
  PROP_TEMPLATE,
  PROP_MAX_CONNECTIONS,
  PROP_MAX_MESSAGES_PER_CONNECTION,
  PROP_RATE_LIMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SENDER_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEFAULT_MAX_CONNECTIONS 5
#define DEFAULT_MAX_MESSAGES 100

G_DEFINE_FINAL_TYPE (MissiveSenderPool, missive_sender_pool, G_TYPE_OBJECT)

static void dispatch (MissiveSenderPool *self);

void
missive_sender_pool_request_free (MissiveSenderPoolRequest *request)
{
  g_clear_object (&request->message);
  /* Closed at the end, as a sender closes the stream it sends. */
  if (request->stream != NULL)
    g_input_stream_close (request->stream, NULL, NULL);
  g_clear_object (&request->stream);
  g_clear_object (&request->envelope);
  g_clear_object (&request->options);
  g_free (request);
}

static void
connection_free (Connection *connection)
{
  g_clear_object (&connection->sender);
  g_free (connection);
}

static void
missive_sender_pool_dispose (GObject *object)
{
  MissiveSenderPool *self = MISSIVE_SENDER_POOL (object);

  /* Every operation in flight holds a reference: nothing runs now. */
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->template_sender);

  G_OBJECT_CLASS (missive_sender_pool_parent_class)->dispose (object);
}

static void
missive_sender_pool_finalize (GObject *object)
{
  MissiveSenderPool *self = MISSIVE_SENDER_POOL (object);

  g_clear_pointer (&self->close_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (missive_sender_pool_parent_class)->finalize (object);
}

static void
missive_sender_pool_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MissiveSenderPool *self = MISSIVE_SENDER_POOL (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template_sender);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_MAX_MESSAGES_PER_CONNECTION:
      g_value_set_uint (value, self->max_messages);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_double (value, self->rate_limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sender_pool_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MissiveSenderPool *self = MISSIVE_SENDER_POOL (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_set_object (&self->template_sender, g_value_get_object (value));
      break;
    case PROP_MAX_CONNECTIONS:
      missive_sender_pool_set_max_connections (self, g_value_get_uint (value));
      break;
    case PROP_MAX_MESSAGES_PER_CONNECTION:
      missive_sender_pool_set_max_messages_per_connection (self, g_value_get_uint (value));
      break;
    case PROP_RATE_LIMIT:
      missive_sender_pool_set_rate_limit (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sender_pool_class_init (MissiveSenderPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = missive_sender_pool_dispose;
  object_class->finalize = missive_sender_pool_finalize;
  object_class->get_property = missive_sender_pool_get_property;
  object_class->set_property = missive_sender_pool_set_property;

  /**
   * MissiveSenderPool:template:
   *
   * The sender whose type and settings the pool's connections copy. It
   * is never opened by the pool; changes to it apply to the connections
   * made afterwards.
   *
   * Since: 1.0
   */
  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL,
                         MISSIVE_TYPE_SENDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSenderPool:max-connections:
   *
   * The most connections open (or being opened or closed) at once. At
   * least 1.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_MAX_CONNECTIONS, flags);

  /**
   * MissiveSenderPool:max-messages-per-connection:
   *
   * How many messages a connection sends before the pool closes it and
   * opens a fresh one; 0 for no limit.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_MESSAGES_PER_CONNECTION] =
    g_param_spec_uint ("max-messages-per-connection", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_MAX_MESSAGES, flags);

  /**
   * MissiveSenderPool:rate-limit:
   *
   * The most messages started per second over all connections, or 0 for
   * no limit. A burst of up to one second's worth (at least one message)
   * may start at once.
   *
   * Since: 1.0
   */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_double ("rate-limit", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveSenderPool::sender-created:
   * @self: the pool
   * @sender: the new sender
   *
   * Emitted for each new connection's sender, after the template's
   * settings were copied and before it is opened: the place to set a
   * transport or connect to its signals.
   *
   * Since: 1.0
   */
  signals[SIGNAL_SENDER_CREATED] =
    g_signal_new ("sender-created", G_OBJECT_CLASS_TYPE (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MISSIVE_TYPE_SENDER);
}

static void
missive_sender_pool_init (MissiveSenderPool *self)
{
  self->max_connections = DEFAULT_MAX_CONNECTIONS;
  self->max_messages = DEFAULT_MAX_MESSAGES;
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  g_queue_init (&self->queue);
  self->open_cancellable = g_cancellable_new ();
}

/**
 * missive_sender_pool_new:
 * @template_sender: the sender to copy for each connection
 *
 * Creates a pool of connections like @template_sender.
 *
 * Returns: (transfer full): the pool
 *
 * Since: 1.0
 */
MissiveSenderPool *
missive_sender_pool_new (MissiveSender *template_sender)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (template_sender), NULL);

  return g_object_new (MISSIVE_TYPE_SENDER_POOL, "template", template_sender, NULL);
}

/**
 * missive_sender_pool_get_template:
 * @self: a pool
 *
 * Gets [property@SenderPool:template].
 *
 * Returns: (transfer none): the template sender
 *
 * Since: 1.0
 */
MissiveSender *
missive_sender_pool_get_template (MissiveSenderPool *self)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), NULL);

  return self->template_sender;
}

/**
 * missive_sender_pool_get_max_connections:
 * @self: a pool
 *
 * Gets [property@SenderPool:max-connections].
 *
 * Returns: the most connections at once
 *
 * Since: 1.0
 */
guint
missive_sender_pool_get_max_connections (MissiveSenderPool *self)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), 0);

  return self->max_connections;
}

/**
 * missive_sender_pool_set_max_connections:
 * @self: a pool
 * @max_connections: the most connections at once, at least 1
 *
 * Sets [property@SenderPool:max-connections]. Lowering it closes no
 * connection: the extra ones are closed when their messages end.
 *
 * Since: 1.0
 */
void
missive_sender_pool_set_max_connections (MissiveSenderPool *self,
                                         guint              max_connections)
{
  g_return_if_fail (MISSIVE_IS_SENDER_POOL (self));
  g_return_if_fail (max_connections >= 1);

  if (self->max_connections == max_connections)
    return;
  self->max_connections = max_connections;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONNECTIONS]);
  dispatch (self);
}

/**
 * missive_sender_pool_get_max_messages_per_connection:
 * @self: a pool
 *
 * Gets [property@SenderPool:max-messages-per-connection].
 *
 * Returns: the most messages per connection, or 0
 *
 * Since: 1.0
 */
guint
missive_sender_pool_get_max_messages_per_connection (MissiveSenderPool *self)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), 0);

  return self->max_messages;
}

/**
 * missive_sender_pool_set_max_messages_per_connection:
 * @self: a pool
 * @max_messages: the most messages per connection, or 0 for no limit
 *
 * Sets [property@SenderPool:max-messages-per-connection].
 *
 * Since: 1.0
 */
void
missive_sender_pool_set_max_messages_per_connection (MissiveSenderPool *self,
                                                     guint              max_messages)
{
  g_return_if_fail (MISSIVE_IS_SENDER_POOL (self));

  if (self->max_messages == max_messages)
    return;
  self->max_messages = max_messages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MESSAGES_PER_CONNECTION]);
}

static gint64
now_us (MissiveSenderPool *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

static double
bucket_size (MissiveSenderPool *self)
{
  return MAX (1.0, self->rate_limit);
}

/**
 * missive_sender_pool_get_rate_limit:
 * @self: a pool
 *
 * Gets [property@SenderPool:rate-limit].
 *
 * Returns: the most messages per second, or 0
 *
 * Since: 1.0
 */
double
missive_sender_pool_get_rate_limit (MissiveSenderPool *self)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), 0.0);

  return self->rate_limit;
}

/**
 * missive_sender_pool_set_rate_limit:
 * @self: a pool
 * @messages_per_second: the most messages per second, or 0 for no limit
 *
 * Sets [property@SenderPool:rate-limit]. The bucket starts full.
 *
 * Since: 1.0
 */
void
missive_sender_pool_set_rate_limit (MissiveSenderPool *self,
                                    double             messages_per_second)
{
  g_return_if_fail (MISSIVE_IS_SENDER_POOL (self));
  g_return_if_fail (messages_per_second >= 0.0 && isfinite (messages_per_second));

  if (self->rate_limit == messages_per_second)
    return;
  self->rate_limit = messages_per_second;
  self->tokens = bucket_size (self);
  self->refilled = now_us (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
  dispatch (self);
}

/**
 * missive_sender_pool_get_n_connections:
 * @self: a pool
 *
 * Gets how many connections the pool has, including those being opened
 * or closed.
 *
 * Returns: the number of connections
 *
 * Since: 1.0
 */
guint
missive_sender_pool_get_n_connections (MissiveSenderPool *self)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), 0);

  return self->connections->len;
}

/**
 * missive_sender_pool_get_n_queued:
 * @self: a pool
 *
 * Gets how many messages wait for a connection.
 *
 * Returns: the number of waiting messages
 *
 * Since: 1.0
 */
guint
missive_sender_pool_get_n_queued (MissiveSenderPool *self)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER_POOL (self), 0);

  return self->queue.length;
}

void
missive_sender_pool_set_clock (MissiveSenderPool      *self,
                               MissiveSenderPoolClock  clock,
                               gpointer                user_data)
{
  self->clock = clock;
  self->clock_data = user_data;
  self->tokens = bucket_size (self);
  self->refilled = now_us (self);
}

void
missive_sender_pool_kick (MissiveSenderPool *self)
{
  dispatch (self);
}

/* ---- connections ---------------------------------------------------------- */

static MissiveSender *
create_sender (MissiveSenderPool *self)
{
  MissiveSender *sender = MISSIVE_SENDER (missive_service_new_like (MISSIVE_SERVICE (self->template_sender)));

  g_signal_emit (self, signals[SIGNAL_SENDER_CREATED], 0, sender);
  return sender;
}

static void
remove_connection (MissiveSenderPool *self,
                   Connection        *connection)
{
  g_ptr_array_remove_fast (self->connections, connection);
}

static void
check_closed (MissiveSenderPool *self)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (self->close_tasks == NULL || self->connections->len > 0)
    return;
  tasks = g_steal_pointer (&self->close_tasks);
  g_set_object (&self->open_cancellable, NULL);
  self->open_cancellable = g_cancellable_new ();
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

typedef struct
{
  MissiveSenderPool *self;
  Connection *connection;
} ConnectionOp;

static ConnectionOp *
connection_op_new (MissiveSenderPool *self,
                   Connection        *connection)
{
  ConnectionOp *op = g_new0 (ConnectionOp, 1);

  /* The pool lives as long as one of its connections is busy. */
  op->self = g_object_ref (self);
  op->connection = connection;
  return op;
}

static void
connection_closed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ConnectionOp *op = user_data;
  MissiveSenderPool *self = op->self;

  /* Closed whatever the server said to QUIT. */
  missive_service_close_finish (MISSIVE_SERVICE (source), result, NULL);
  remove_connection (self, op->connection);
  g_free (op);
  check_closed (self);
  dispatch (self);
  g_object_unref (self);
}

static void
close_connection (MissiveSenderPool *self,
                  Connection        *connection)
{
  MissiveServiceState state = missive_service_get_state (MISSIVE_SERVICE (connection->sender));

  if (state == MISSIVE_SERVICE_STATE_DISCONNECTED)
    {
      remove_connection (self, connection);
      return;
    }
  connection->state = CONNECTION_CLOSING;
  missive_service_close_async (MISSIVE_SERVICE (connection->sender), G_PRIORITY_DEFAULT, NULL,
                               connection_closed_cb, connection_op_new (self, connection));
}

static void
forget_cancellable (GTask   *task,
                    MissiveSenderPoolRequest *request)
{
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
  request->cancelled_id = 0;
}

static void
fail_head (MissiveSenderPool *self,
           const GError      *error)
{
  GTask *task = g_queue_pop_head (&self->queue);
  MissiveSenderPoolRequest *request;

  if (task == NULL)
    return;
  request = g_task_get_task_data (task);
  forget_cancellable (task, request);
  g_task_return_error (task, g_error_copy (error));
  g_object_unref (task);
}

static void
connection_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ConnectionOp *op = user_data;
  MissiveSenderPool *self = op->self;
  Connection *connection = op->connection;
  g_autoptr(GError) error = NULL;

  g_free (op);
  if (!missive_service_open_finish (MISSIVE_SERVICE (source), result, &error))
    {
      remove_connection (self, connection);
      /* A server that cannot be reached fails the messages one by one
       * rather than keeping them waiting forever. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_head (self, error);
    }
  else if (self->close_tasks != NULL)
    close_connection (self, connection);
  else
    connection->state = CONNECTION_IDLE;

  check_closed (self);
  dispatch (self);
  g_object_unref (self);
}

static void
open_connection (MissiveSenderPool *self)
{
  Connection *connection = g_new0 (Connection, 1);

  connection->state = CONNECTION_OPENING;
  connection->sender = create_sender (self);
  g_ptr_array_add (self->connections, connection);
  missive_service_open_async (MISSIVE_SERVICE (connection->sender), G_PRIORITY_DEFAULT,
                              self->open_cancellable, connection_opened_cb,
                              connection_op_new (self, connection));
}

/* ---- the queue ------------------------------------------------------------ */

static gboolean
on_timer (gpointer user_data)
{
  MissiveSenderPool *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  dispatch (self);
  return G_SOURCE_REMOVE;
}

/* Takes a token from the bucket, or arms the timer for the next one. */
static gboolean
take_token (MissiveSenderPool *self)
{
  gint64 now;
  double wait_ms;

  if (self->rate_limit <= 0.0)
    return TRUE;

  now = now_us (self);
  if (now > self->refilled)
    {
      self->tokens += (double) (now - self->refilled) * self->rate_limit / G_USEC_PER_SEC;
      self->tokens = MIN (self->tokens, bucket_size (self));
    }
  self->refilled = now;

  if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      return TRUE;
    }

  if (self->timer == NULL)
    {
      wait_ms = ceil ((1.0 - self->tokens) * 1000.0 / self->rate_limit);
      self->timer = g_timeout_source_new ((guint) CLAMP (wait_ms, 1.0, (double) G_MAXUINT));
      g_source_set_callback (self->timer, on_timer, g_object_ref (self), g_object_unref);
      g_source_set_static_name (self->timer, "[missive] sender pool rate limit");
      g_source_attach (self->timer, g_main_context_get_thread_default ());
    }
  return FALSE;
}

static gboolean
connection_usable (MissiveSenderPool *self,
                   Connection        *connection)
{
  MissiveServiceState state;

  if (connection->state != CONNECTION_IDLE)
    return FALSE;
  state = missive_service_get_state (MISSIVE_SERVICE (connection->sender));
  return (state == MISSIVE_SERVICE_STATE_CONNECTED ||
          state == MISSIVE_SERVICE_STATE_AUTHENTICATED) &&
         (self->max_messages == 0 || connection->n_messages < self->max_messages);
}

static void send_request (MissiveSenderPool *self,
                          Connection        *connection,
                          GTask             *task);

static void
dispatch (MissiveSenderPool *self)
{
  guint n_opening = 0;

  if (self->close_tasks != NULL || self->connections == NULL)
    return;

  /* Idle connections that cannot send any more: the server dropped them,
   * or they sent their share. */
  for (guint i = self->connections->len; i > 0; i--)
    {
      Connection *connection = g_ptr_array_index (self->connections, i - 1);

      if (connection->state == CONNECTION_IDLE && !connection_usable (self, connection))
        close_connection (self, connection);
    }

  while (self->queue.length > 0)
    {
      Connection *usable = NULL;

      for (guint i = 0; i < self->connections->len && usable == NULL; i++)
        {
          Connection *connection = g_ptr_array_index (self->connections, i);

          if (connection_usable (self, connection))
            usable = connection;
        }
      if (usable == NULL || !take_token (self))
        break;
      send_request (self, usable, g_queue_pop_head (&self->queue));
    }

  /* More connections for the messages still waiting. */
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);

      if (connection->state == CONNECTION_OPENING)
        n_opening++;
    }
  while (self->queue.length > n_opening && self->connections->len < self->max_connections)
    {
      open_connection (self);
      n_opening++;
    }
}

static void
on_queued_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSenderPool *self = g_task_get_source_object (task);

  /* Runs in the context the request was made in; the request may have
   * left the queue meanwhile. */
  if (g_queue_remove (&self->queue, task))
    {
      forget_cancellable (task, g_task_get_task_data (task));
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

  /* "cancelled" may fire in any thread, and inside the pool's own calls:
   * the queue is only touched from the task's context, later. */
  g_source_set_callback (source, on_queued_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static void
enqueue (MissiveSenderPool *self,
         GTask             *task,
         gboolean           at_head)
{
  MissiveSenderPoolRequest *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL && request->cancelled_id == 0)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   task, NULL);
  if (at_head)
    g_queue_push_head (&self->queue, task);
  else
    g_queue_push_tail (&self->queue, task);
}

static gboolean
error_is_retryable (const GError  *error,
                    MissiveSender *sender)
{
  if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST))
    return TRUE;
  return g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY) &&
         missive_service_get_state (MISSIVE_SERVICE (sender)) == MISSIVE_SERVICE_STATE_DISCONNECTED;
}

static gboolean
rewind_request (MissiveSenderPoolRequest *request)
{
  if (request->message != NULL)
    return TRUE;
  if (!request->can_rewind)
    return FALSE;
  return g_seekable_seek (G_SEEKABLE (request->stream), request->start, G_SEEK_SET, NULL, NULL);
}

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSenderPool *self = g_task_get_source_object (task);
  MissiveSenderPoolRequest *request = g_task_get_task_data (task);
  Connection *connection = request->connection;
  MissiveSender *sender = MISSIVE_SENDER (source);
  g_autoptr(MissiveSendResult) send_result = NULL;
  g_autoptr(GError) error = NULL;

  /* The task's reference keeps the pool alive through this. */
  g_object_ref (self);
  request->connection = NULL;
  if (request->message != NULL)
    send_result = missive_sender_send_message_finish (sender, result, &error);
  else
    send_result = missive_sender_send_stream_finish (sender, result, &error);

  connection->state = CONNECTION_IDLE;
  if (self->close_tasks != NULL ||
      (self->max_messages > 0 && connection->n_messages >= self->max_messages) ||
      missive_service_get_state (MISSIVE_SERVICE (sender)) == MISSIVE_SERVICE_STATE_DISCONNECTED)
    close_connection (self, connection);

  if (send_result != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&send_result), g_object_unref);
      g_object_unref (task);
    }
  else if (!request->retried && self->close_tasks == NULL &&
           error_is_retryable (error, sender) && rewind_request (request))
    {
      /* Once, at the head of the queue: it was next before. */
      request->retried = TRUE;
      enqueue (self, task, TRUE);
    }
  else
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }

  check_closed (self);
  dispatch (self);
  g_object_unref (self);
}

static void
send_request (MissiveSenderPool *self,
              Connection        *connection,
              GTask             *task)
{
  MissiveSenderPoolRequest *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* From here the sender handles the cancellation. */
  forget_cancellable (task, request);

  connection->state = CONNECTION_BUSY;
  connection->n_messages++;
  request->connection = connection;
  if (request->message != NULL)
    missive_sender_send_message_async (connection->sender, request->message, request->envelope,
                                       request->options, g_task_get_priority (task),
                                       cancellable, send_done_cb, task);
  else
    {
      g_autoptr(GInputStream) stream = NULL;

      /* The sender closes the stream it was given: a stream that may be
       * sent again is lent through a wrapper that leaves it open. */
      if (request->can_rewind)
        stream = g_object_new (G_TYPE_BUFFERED_INPUT_STREAM,
                               "base-stream", request->stream,
                               "close-base-stream", FALSE,
                               NULL);
      else
        stream = g_object_ref (request->stream);
      missive_sender_send_stream_async (connection->sender, stream, request->size,
                                        request->envelope, request->options,
                                        g_task_get_priority (task), cancellable,
                                        send_done_cb, task);
    }
}

void
missive_sender_pool_submit (MissiveSenderPool *self,
                            GTask             *task)
{
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
  enqueue (self, task, FALSE);
  dispatch (self);
}

/* ---- closing -------------------------------------------------------------- */

/* Takes @task (transfer full), finished when every connection is closed. */
void
missive_sender_pool_start_close (MissiveSenderPool *self,
                                 GTask             *task)
{
  g_autoptr(GError) error = NULL;

  if (self->close_tasks != NULL)
    {
      /* Already closing: wait for the same end. */
      g_ptr_array_add (self->close_tasks, task);
      return;
    }
  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->close_tasks, task);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The pool was closed before the message was sent");
  while (self->queue.length > 0)
    fail_head (self, error);
  g_cancellable_cancel (self->open_cancellable);

  for (guint i = self->connections->len; i > 0; i--)
    {
      Connection *connection = g_ptr_array_index (self->connections, i - 1);

      if (connection->state == CONNECTION_IDLE)
        close_connection (self, connection);
    }
  check_closed (self);
}
