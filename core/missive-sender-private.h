/* missive-sender-private.h: turning a GMimeMessage into the bytes a
 * sender transmits
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "missive-service-private.h"

G_BEGIN_DECLS

/* The format a message is transmitted in: CRLF line ends, and without the
 * headers a submission must not carry (Bcc, Resent-Bcc, Return-Path). */
GMimeFormatOptions *missive_sender_new_format_options   (void);

/* Serialises @message once into nothing, in a worker thread, to learn its
 * transmitted size and what its bytes need (8BITMIME, BINARYMIME). */
void                missive_sender_measure_message_async  (GMimeMessage         *message,
                                                           int                   io_priority,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            missive_sender_measure_message_finish (GAsyncResult         *result,
                                                           guint64              *size,
                                                           MissiveContentClass  *content_class,
                                                           GError              **error);

/* A stream of @message's transmitted bytes, written by a thread of its own
 * into a pipe as the stream is read: memory stays bounded whatever the
 * message's size. Closing the stream early stops the thread. */
GInputStream       *missive_sender_open_message_stream    (GMimeMessage         *message,
                                                           GError              **error);

G_END_DECLS
