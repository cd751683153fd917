/* missive-sender-pool.h: several connections sending messages in turn
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-sender.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SENDER_POOL (missive_sender_pool_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveSenderPool, missive_sender_pool, MISSIVE, SENDER_POOL, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveSenderPool *missive_sender_pool_new                 (MissiveSender        *template_sender);
MISSIVE_AVAILABLE_IN_1_0
MissiveSender     *missive_sender_pool_get_template        (MissiveSenderPool    *self);

MISSIVE_AVAILABLE_IN_1_0
guint              missive_sender_pool_get_max_connections (MissiveSenderPool    *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_pool_set_max_connections (MissiveSenderPool    *self,
                                                            guint                 max_connections);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_sender_pool_get_max_messages_per_connection (MissiveSenderPool *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_pool_set_max_messages_per_connection (MissiveSenderPool *self,
                                                                        guint              max_messages);
MISSIVE_AVAILABLE_IN_1_0
double             missive_sender_pool_get_rate_limit      (MissiveSenderPool    *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_pool_set_rate_limit      (MissiveSenderPool    *self,
                                                            double                messages_per_second);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_sender_pool_get_n_connections   (MissiveSenderPool    *self);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_sender_pool_get_n_queued        (MissiveSenderPool    *self);

MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_pool_send_message        (MissiveSenderPool    *self,
                                                            GMimeMessage         *message,
                                                            MissiveEnvelope      *envelope,
                                                            MissiveSendOptions   *options,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_pool_send_message_async  (MissiveSenderPool    *self,
                                                            GMimeMessage         *message,
                                                            MissiveEnvelope      *envelope,
                                                            MissiveSendOptions   *options,
                                                            int                   io_priority,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_pool_send_message_finish (MissiveSenderPool    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_pool_send_stream         (MissiveSenderPool    *self,
                                                            GInputStream         *stream,
                                                            gint64                size,
                                                            MissiveEnvelope      *envelope,
                                                            MissiveSendOptions   *options,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_pool_send_stream_async   (MissiveSenderPool    *self,
                                                            GInputStream         *stream,
                                                            gint64                size,
                                                            MissiveEnvelope      *envelope,
                                                            MissiveSendOptions   *options,
                                                            int                   io_priority,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_pool_send_stream_finish  (MissiveSenderPool    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_sender_pool_close               (MissiveSenderPool    *self,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_pool_close_async         (MissiveSenderPool    *self,
                                                            int                   io_priority,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_sender_pool_close_finish        (MissiveSenderPool    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
