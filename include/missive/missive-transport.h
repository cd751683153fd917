/* missive-transport.h: the byte pipe under a service
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_TRANSPORT (missive_transport_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (MissiveTransport, missive_transport, MISSIVE, TRANSPORT, GObject)

/**
 * MissiveTransportInterface:
 * @g_iface: the parent interface
 * @open_async: starts connecting (and, for implicit TLS, the handshake)
 * @open_finish: finishes @open_async
 * @get_stream: returns the current stream: the TLS connection once TLS is
 *   up, else the plain one; %NULL when not open
 * @get_tls_connection: returns the TLS connection, or %NULL
 * @start_tls_async: upgrades the open plain connection to TLS in place
 * @start_tls_finish: finishes @start_tls_async
 * @close_async: closes the connection
 * @close_finish: finishes @close_async
 *
 * The virtual methods of [iface@Transport]. Every I/O method is
 * asynchronous; [iface@Transport] provides the blocking forms on top.
 *
 * Since: 1.0
 */
struct _MissiveTransportInterface
{
  GTypeInterface g_iface;

  void            (*open_async)         (MissiveTransport    *self,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
  gboolean        (*open_finish)        (MissiveTransport    *self,
                                         GAsyncResult        *result,
                                         GError             **error);
  GIOStream      *(*get_stream)         (MissiveTransport    *self);
  GTlsConnection *(*get_tls_connection) (MissiveTransport    *self);
  void            (*start_tls_async)    (MissiveTransport    *self,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
  gboolean        (*start_tls_finish)   (MissiveTransport    *self,
                                         GAsyncResult        *result,
                                         GError             **error);
  void            (*close_async)        (MissiveTransport    *self,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
  gboolean        (*close_finish)       (MissiveTransport    *self,
                                         GAsyncResult        *result,
                                         GError             **error);

  /*< private >*/
  gpointer padding[8];
};

MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_open              (MissiveTransport     *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void            missive_transport_open_async        (MissiveTransport     *self,
                                                     int                   io_priority,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_open_finish       (MissiveTransport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_start_tls         (MissiveTransport     *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void            missive_transport_start_tls_async   (MissiveTransport     *self,
                                                     int                   io_priority,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_start_tls_finish  (MissiveTransport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_close             (MissiveTransport     *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void            missive_transport_close_async       (MissiveTransport     *self,
                                                     int                   io_priority,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_close_finish      (MissiveTransport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

MISSIVE_AVAILABLE_IN_1_0
GIOStream      *missive_transport_get_stream        (MissiveTransport     *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_is_open           (MissiveTransport     *self);

/* TLS facts, available once a handshake has completed. */
MISSIVE_AVAILABLE_IN_1_0
GTlsConnection *missive_transport_get_tls_connection (MissiveTransport    *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_is_tls            (MissiveTransport     *self);
MISSIVE_AVAILABLE_IN_1_0
GTlsProtocolVersion missive_transport_get_tls_protocol_version (MissiveTransport *self);
MISSIVE_AVAILABLE_IN_1_0
char           *missive_transport_get_tls_ciphersuite (MissiveTransport   *self);
MISSIVE_AVAILABLE_IN_1_0
GTlsCertificate *missive_transport_get_peer_certificate (MissiveTransport *self);
MISSIVE_AVAILABLE_IN_1_0
char           *missive_transport_get_peer_certificate_fingerprint (MissiveTransport *self,
                                                                    GChecksumType     checksum_type);
MISSIVE_AVAILABLE_IN_1_0
GBytes         *missive_transport_get_channel_binding_data (MissiveTransport        *self,
                                                            GTlsChannelBindingType   type,
                                                            GError                 **error);

/* For implementations: emit the interface's signals. */
MISSIVE_AVAILABLE_IN_1_0
gboolean        missive_transport_emit_accept_certificate (MissiveTransport     *self,
                                                           GTlsCertificate      *certificate,
                                                           GTlsCertificateFlags  errors);
MISSIVE_AVAILABLE_IN_1_0
void            missive_transport_emit_tls_established    (MissiveTransport     *self);

MISSIVE_AVAILABLE_IN_1_0
char           *missive_certificate_get_fingerprint (GTlsCertificate *certificate,
                                                     GChecksumType    checksum_type);

G_END_DECLS
