/* missive-reconnector.h: reconnects a store after a drop and reports what
 * changed in its mailbox meanwhile
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-store.h>
#include <missive/missive-resync-report.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_RECONNECTOR (missive_reconnector_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveReconnector, missive_reconnector, MISSIVE, RECONNECTOR, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveReconnector *missive_reconnector_new                (MissiveStore        *store);
MISSIVE_AVAILABLE_IN_1_0
MissiveStore       *missive_reconnector_get_store          (MissiveReconnector  *self);

MISSIVE_AVAILABLE_IN_1_0
guint               missive_reconnector_get_max_attempts   (MissiveReconnector  *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_reconnector_set_max_attempts   (MissiveReconnector  *self,
                                                            guint                max_attempts);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_reconnector_get_initial_delay  (MissiveReconnector  *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_reconnector_set_initial_delay  (MissiveReconnector  *self,
                                                            guint                milliseconds);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_reconnector_get_max_delay      (MissiveReconnector  *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_reconnector_set_max_delay      (MissiveReconnector  *self,
                                                            guint                milliseconds);

MISSIVE_AVAILABLE_IN_1_0
const char         *missive_reconnector_get_mailbox        (MissiveReconnector  *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet  *missive_reconnector_get_known_uids     (MissiveReconnector  *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_reconnector_set_mailbox_state  (MissiveReconnector  *self,
                                                            const char          *mailbox,
                                                            gboolean             read_only,
                                                            guint32              uid_validity,
                                                            guint64              highest_modseq,
                                                            guint32              uid_next,
                                                            MissiveMessageSet   *known_uids);

MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_reconnector_select_mailbox        (MissiveReconnector  *self,
                                                               const char          *name,
                                                               gboolean             read_only,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
MISSIVE_AVAILABLE_IN_1_0
void                missive_reconnector_select_mailbox_async  (MissiveReconnector  *self,
                                                               const char          *name,
                                                               gboolean             read_only,
                                                               int                  io_priority,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_reconnector_select_mailbox_finish (MissiveReconnector  *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveResyncReport *missive_reconnector_reconnect        (MissiveReconnector  *self,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_reconnector_reconnect_async  (MissiveReconnector  *self,
                                                           int                  io_priority,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveResyncReport *missive_reconnector_reconnect_finish (MissiveReconnector  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
