/* missive-outbox.h: a crash-safe queue of messages to send
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-envelope.h>
#include <missive/missive-send-options.h>
#include <missive/missive-sender.h>
#include <missive/missive-outbox-item.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_OUTBOX (missive_outbox_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveOutbox, missive_outbox, MISSIVE, OUTBOX, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveOutbox      *missive_outbox_new                 (const char          *path,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_outbox_get_path            (MissiveOutbox       *self);

MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_outbox_get_keep_sent       (MissiveOutbox       *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_outbox_set_keep_sent       (MissiveOutbox       *self,
                                                        gboolean             keep_sent);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_outbox_get_retry_delay     (MissiveOutbox       *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_outbox_set_retry_delay     (MissiveOutbox       *self,
                                                        guint                seconds);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_outbox_get_max_retry_delay (MissiveOutbox       *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_outbox_set_max_retry_delay (MissiveOutbox       *self,
                                                        guint                seconds);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_outbox_get_max_attempts    (MissiveOutbox       *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_outbox_set_max_attempts    (MissiveOutbox       *self,
                                                        guint                max_attempts);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendOptions *missive_outbox_get_send_options    (MissiveOutbox       *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_outbox_set_send_options    (MissiveOutbox       *self,
                                                        MissiveSendOptions  *options);

MISSIVE_AVAILABLE_IN_1_0
char               *missive_outbox_queue               (MissiveOutbox       *self,
                                                        GMimeMessage        *message,
                                                        MissiveEnvelope     *envelope,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
char               *missive_outbox_queue_stream        (MissiveOutbox       *self,
                                                        GInputStream        *stream,
                                                        MissiveEnvelope     *envelope,
                                                        GCancellable        *cancellable,
                                                        GError             **error);

MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_outbox_list                (MissiveOutbox       *self,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveOutboxItem  *missive_outbox_lookup              (MissiveOutbox       *self,
                                                        const char          *id,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
GInputStream       *missive_outbox_read_message        (MissiveOutbox       *self,
                                                        const char          *id,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_outbox_remove              (MissiveOutbox       *self,
                                                        const char          *id,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_outbox_retry_failed        (MissiveOutbox       *self,
                                                        GError             **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_outbox_flush               (MissiveOutbox       *self,
                                                        MissiveSender       *sender,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
MISSIVE_AVAILABLE_IN_1_0
void                missive_outbox_flush_async         (MissiveOutbox       *self,
                                                        MissiveSender       *sender,
                                                        int                  io_priority,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_outbox_flush_finish        (MissiveOutbox       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
