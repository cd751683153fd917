/* missive-transport-private.h: helpers shared by the transports
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* ---- deadlines ------------------------------------------------------------
 *
 * A MissiveDeadline is a cancellable for one step of an operation (connect,
 * TLS handshake): it is cancelled when the caller's cancellable is, when
 * missive_deadline_cancel() is called, or when its timer fires. The timer
 * runs on the thread-default main context current at creation. Afterwards,
 * missive_deadline_translate_error() turns the resulting CANCELLED into
 * MISSIVE_ERROR_TIMED_OUT when, and only when, the timer was the cause.
 */
typedef struct _MissiveDeadline MissiveDeadline;

MissiveDeadline *missive_deadline_new             (GCancellable    *parent,
                                                   guint            seconds);
GCancellable    *missive_deadline_get_cancellable (MissiveDeadline *deadline);
gboolean         missive_deadline_has_expired     (MissiveDeadline *deadline);
void             missive_deadline_cancel          (MissiveDeadline *deadline);
GError          *missive_deadline_translate_error (MissiveDeadline *deadline,
                                                   GError          *error,
                                                   const char      *what);
void             missive_deadline_free            (MissiveDeadline *deadline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveDeadline, missive_deadline_free)

/* ---- the TLS handshake ----------------------------------------------------
 *
 * One implementation of "wrap a stream in a GTlsClientConnection, verify,
 * handshake within a time limit" for every transport that can do TLS.
 */
typedef struct
{
  const char      *server_identity;    /* nullable: host name not checked */
  guint16          port;
  GTlsDatabase    *database;           /* nullable: the backend's default */
  GTlsCertificate *pinned_certificate; /* nullable */
  GTlsCertificate *client_certificate; /* nullable */
  GTlsInteraction *interaction;        /* nullable */
  guint            timeout;            /* seconds; 0: no limit */
} MissiveTlsSettings;

void            missive_tls_handshake_async  (MissiveTransport         *transport,
                                              GIOStream                *base_stream,
                                              const MissiveTlsSettings *settings,
                                              int                       io_priority,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
GTlsConnection *missive_tls_handshake_finish (MissiveTransport         *transport,
                                              GAsyncResult             *result,
                                              GError                  **error);

G_END_DECLS
