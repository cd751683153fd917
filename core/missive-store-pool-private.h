/* missive-store-pool-private.h: what the files of MissiveStorePool share
 * (missive-store-pool.c, missive-store-pool-close.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

typedef enum {
  CONNECTION_OPENING,
  CONNECTION_IDLE,
  CONNECTION_IN_USE,
  CONNECTION_CLOSING,
} ConnectionState;

typedef struct
{
  MissiveStore *store;
  ConnectionState state;
  char *purpose;
  GSource *idle_timer;
} Connection;

typedef struct
{
  char *purpose;
  char *mailbox;
  gulong cancelled_id;
  gboolean replaced;          /* a broken connection was replaced once */
  Connection *connection;
} Request;

struct _MissiveStorePool
{
  GObject parent_instance;

  MissiveStore *template_store;
  guint max_connections;
  guint idle_timeout;

  GPtrArray *connections;     /* of Connection * */
  GQueue queue;               /* of GTask *, each owning a ref */
  GPtrArray *close_tasks;     /* of GTask *, while closing */
  GMainContext *context;      /* where the idle timers run */
};

/* Drops idle connections that died and gives waiting requests a
 * connection where one can be had. */
void missive_store_pool_dispatch           (MissiveStorePool *self);
/* Finishes the close tasks once the last connection is gone. */
void missive_store_pool_check_closed       (MissiveStorePool *self);
/* Logs @connection out (or drops it at once if already disconnected)
 * and removes it from the pool. */
void missive_store_pool_close_connection   (MissiveStorePool *self,
                                            Connection       *connection);
/* Stops watching the cancellable of a waiting request. */
void missive_store_pool_forget_cancellable (GTask            *task,
                                            Request          *request);

G_END_DECLS
