/* missive-socket-transport.h: TCP transport with TLS and STARTTLS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-transport.h>

G_BEGIN_DECLS

/**
 * MissiveAddressPreference:
 * @MISSIVE_ADDRESS_PREFERENCE_ANY: use addresses in the resolver's order
 * @MISSIVE_ADDRESS_PREFERENCE_IPV4: try IPv4 addresses first
 * @MISSIVE_ADDRESS_PREFERENCE_IPV6: try IPv6 addresses first
 * @MISSIVE_ADDRESS_PREFERENCE_IPV4_ONLY: use IPv4 addresses only
 * @MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY: use IPv6 addresses only
 *
 * Which address family [class@SocketTransport] connects with.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_ADDRESS_PREFERENCE_ANY,
  MISSIVE_ADDRESS_PREFERENCE_IPV4,
  MISSIVE_ADDRESS_PREFERENCE_IPV6,
  MISSIVE_ADDRESS_PREFERENCE_IPV4_ONLY,
  MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY,
} MissiveAddressPreference;

#define MISSIVE_TYPE_SOCKET_TRANSPORT (missive_socket_transport_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveSocketTransport, missive_socket_transport, MISSIVE, SOCKET_TRANSPORT, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveSocketTransport *missive_socket_transport_new (const char      *host,
                                                      guint16          port,
                                                      MissiveSecurity  security);

MISSIVE_AVAILABLE_IN_1_0
const char      *missive_socket_transport_get_host            (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
guint16          missive_socket_transport_get_port            (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveSecurity  missive_socket_transport_get_security        (MissiveSocketTransport *self);

MISSIVE_AVAILABLE_IN_1_0
const char      *missive_socket_transport_get_server_identity (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_server_identity (MissiveSocketTransport *self,
                                                               const char             *identity);

MISSIVE_AVAILABLE_IN_1_0
const char      *missive_socket_transport_get_ca_file         (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_ca_file         (MissiveSocketTransport *self,
                                                               const char             *ca_file);
MISSIVE_AVAILABLE_IN_1_0
GTlsDatabase    *missive_socket_transport_get_tls_database    (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_tls_database    (MissiveSocketTransport *self,
                                                               GTlsDatabase           *database);
MISSIVE_AVAILABLE_IN_1_0
GTlsCertificate *missive_socket_transport_get_pinned_certificate (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_pinned_certificate (MissiveSocketTransport *self,
                                                                  GTlsCertificate        *certificate);
MISSIVE_AVAILABLE_IN_1_0
GTlsCertificate *missive_socket_transport_get_client_certificate (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_client_certificate (MissiveSocketTransport *self,
                                                                  GTlsCertificate        *certificate);
MISSIVE_AVAILABLE_IN_1_0
GTlsInteraction *missive_socket_transport_get_tls_interaction (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_tls_interaction (MissiveSocketTransport *self,
                                                               GTlsInteraction        *interaction);

MISSIVE_AVAILABLE_IN_1_0
guint            missive_socket_transport_get_connect_timeout (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_connect_timeout (MissiveSocketTransport *self,
                                                               guint                   seconds);
MISSIVE_AVAILABLE_IN_1_0
guint            missive_socket_transport_get_timeout         (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_timeout         (MissiveSocketTransport *self,
                                                               guint                   seconds);

MISSIVE_AVAILABLE_IN_1_0
GProxyResolver  *missive_socket_transport_get_proxy_resolver  (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_proxy_resolver  (MissiveSocketTransport *self,
                                                               GProxyResolver         *resolver);
MISSIVE_AVAILABLE_IN_1_0
const char      *missive_socket_transport_get_proxy_uri       (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_proxy_uri       (MissiveSocketTransport *self,
                                                               const char             *uri);

MISSIVE_AVAILABLE_IN_1_0
const char      *missive_socket_transport_get_local_address   (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_local_address   (MissiveSocketTransport *self,
                                                               const char             *address);
MISSIVE_AVAILABLE_IN_1_0
MissiveAddressPreference missive_socket_transport_get_address_preference (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_address_preference (MissiveSocketTransport  *self,
                                                                  MissiveAddressPreference preference);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_socket_transport_get_keepalive       (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_keepalive       (MissiveSocketTransport *self,
                                                               gboolean                keepalive);
MISSIVE_AVAILABLE_IN_1_0
guint64          missive_socket_transport_get_rate_limit      (MissiveSocketTransport *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_socket_transport_set_rate_limit      (MissiveSocketTransport *self,
                                                               guint64                 bytes_per_second);

G_END_DECLS
