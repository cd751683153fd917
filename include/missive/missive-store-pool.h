/* missive-store-pool.h: several connections to one mail account
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-store.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_STORE_POOL (missive_store_pool_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveStorePool, missive_store_pool, MISSIVE, STORE_POOL, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveStorePool *missive_store_pool_new                 (MissiveStore         *template_store);
MISSIVE_AVAILABLE_IN_1_0
MissiveStore     *missive_store_pool_get_template        (MissiveStorePool     *self);

MISSIVE_AVAILABLE_IN_1_0
guint             missive_store_pool_get_max_connections (MissiveStorePool     *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_store_pool_set_max_connections (MissiveStorePool     *self,
                                                          guint                 max_connections);
MISSIVE_AVAILABLE_IN_1_0
guint             missive_store_pool_get_idle_timeout    (MissiveStorePool     *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_store_pool_set_idle_timeout    (MissiveStorePool     *self,
                                                          guint                 seconds);
MISSIVE_AVAILABLE_IN_1_0
guint             missive_store_pool_get_n_connections   (MissiveStorePool     *self);
MISSIVE_AVAILABLE_IN_1_0
guint             missive_store_pool_get_n_idle          (MissiveStorePool     *self);

MISSIVE_AVAILABLE_IN_1_0
MissiveStore     *missive_store_pool_acquire             (MissiveStorePool     *self,
                                                          const char           *purpose,
                                                          const char           *mailbox,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void              missive_store_pool_acquire_async       (MissiveStorePool     *self,
                                                          const char           *purpose,
                                                          const char           *mailbox,
                                                          int                   io_priority,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveStore     *missive_store_pool_acquire_finish      (MissiveStorePool     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void              missive_store_pool_release             (MissiveStorePool     *self,
                                                          MissiveStore         *store);

MISSIVE_AVAILABLE_IN_1_0
gboolean          missive_store_pool_close               (MissiveStorePool     *self,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void              missive_store_pool_close_async         (MissiveStorePool     *self,
                                                          int                   io_priority,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean          missive_store_pool_close_finish        (MissiveStorePool     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
