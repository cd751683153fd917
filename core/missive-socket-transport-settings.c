/* missive-socket-transport-settings.c: the settings of
 * MissiveSocketTransport (property getters and setters)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-socket-transport-private.h"

/* ---- public API: settings ------------------------------------------------ */

/**
 * missive_socket_transport_get_host:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:host].
 *
 * Returns: the host
 *
 * Since: 1.0
 */
const char *
missive_socket_transport_get_host (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->host;
}

/**
 * missive_socket_transport_get_port:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:port].
 *
 * Returns: the port
 *
 * Since: 1.0
 */
guint16
missive_socket_transport_get_port (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), 0);
  return self->port;
}

/**
 * missive_socket_transport_get_security:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:security].
 *
 * Returns: how the connection is protected
 *
 * Since: 1.0
 */
MissiveSecurity
missive_socket_transport_get_security (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), MISSIVE_SECURITY_TLS);
  return self->security;
}

/**
 * missive_socket_transport_get_server_identity:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:server-identity].
 *
 * Returns: the name the certificate must match: the host unless set
 *
 * Since: 1.0
 */
const char *
missive_socket_transport_get_server_identity (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->server_identity != NULL ? self->server_identity : self->host;
}

/**
 * missive_socket_transport_set_server_identity:
 * @self: a socket transport
 * @identity: (nullable): the name the certificate must match, or %NULL
 *   for the host
 *
 * Sets [property@SocketTransport:server-identity].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_server_identity (MissiveSocketTransport *self,
                                              const char             *identity)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (g_strcmp0 (self->server_identity, identity) == 0)
    return;
  g_free (self->server_identity);
  self->server_identity = g_strdup (identity);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_SERVER_IDENTITY));
}

/**
 * missive_socket_transport_get_ca_file:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:ca-file].
 *
 * Returns: (nullable) (type filename): the CA file, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_socket_transport_get_ca_file (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->ca_file;
}

/**
 * missive_socket_transport_set_ca_file:
 * @self: a socket transport
 * @ca_file: (nullable) (type filename): a PEM file of CA certificates
 *
 * Sets [property@SocketTransport:ca-file].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_ca_file (MissiveSocketTransport *self,
                                      const char             *ca_file)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_CA_FILE));
}

/**
 * missive_socket_transport_get_tls_database:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:tls-database].
 *
 * Returns: (transfer none) (nullable): the database, or %NULL
 *
 * Since: 1.0
 */
GTlsDatabase *
missive_socket_transport_get_tls_database (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->tls_database;
}

/**
 * missive_socket_transport_set_tls_database:
 * @self: a socket transport
 * @database: (nullable): a certificate database
 *
 * Sets [property@SocketTransport:tls-database].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_tls_database (MissiveSocketTransport *self,
                                           GTlsDatabase           *database)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (g_set_object (&self->tls_database, database))
    g_object_notify_by_pspec (G_OBJECT (self),
                              missive_socket_transport_get_pspec (PROP_TLS_DATABASE));
}

/**
 * missive_socket_transport_get_pinned_certificate:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:pinned-certificate].
 *
 * Returns: (transfer none) (nullable): the pinned certificate, or %NULL
 *
 * Since: 1.0
 */
GTlsCertificate *
missive_socket_transport_get_pinned_certificate (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->pinned_certificate;
}

/**
 * missive_socket_transport_set_pinned_certificate:
 * @self: a socket transport
 * @certificate: (nullable): the only certificate to accept, or %NULL
 *
 * Sets [property@SocketTransport:pinned-certificate].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_pinned_certificate (MissiveSocketTransport *self,
                                                 GTlsCertificate        *certificate)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (g_set_object (&self->pinned_certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self),
                              missive_socket_transport_get_pspec (PROP_PINNED_CERTIFICATE));
}

/**
 * missive_socket_transport_get_client_certificate:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:client-certificate].
 *
 * Returns: (transfer none) (nullable): the client certificate, or %NULL
 *
 * Since: 1.0
 */
GTlsCertificate *
missive_socket_transport_get_client_certificate (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->client_certificate;
}

/**
 * missive_socket_transport_set_client_certificate:
 * @self: a socket transport
 * @certificate: (nullable): a certificate with its private key, or %NULL
 *
 * Sets [property@SocketTransport:client-certificate].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_client_certificate (MissiveSocketTransport *self,
                                                 GTlsCertificate        *certificate)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (g_set_object (&self->client_certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self),
                              missive_socket_transport_get_pspec (PROP_CLIENT_CERTIFICATE));
}

/**
 * missive_socket_transport_get_tls_interaction:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:tls-interaction].
 *
 * Returns: (transfer none) (nullable): the interaction, or %NULL
 *
 * Since: 1.0
 */
GTlsInteraction *
missive_socket_transport_get_tls_interaction (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->tls_interaction;
}

/**
 * missive_socket_transport_set_tls_interaction:
 * @self: a socket transport
 * @interaction: (nullable): a TLS interaction, or %NULL
 *
 * Sets [property@SocketTransport:tls-interaction].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_tls_interaction (MissiveSocketTransport *self,
                                              GTlsInteraction        *interaction)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));
  g_return_if_fail (interaction == NULL || G_IS_TLS_INTERACTION (interaction));

  if (g_set_object (&self->tls_interaction, interaction))
    g_object_notify_by_pspec (G_OBJECT (self),
                              missive_socket_transport_get_pspec (PROP_TLS_INTERACTION));
}

/**
 * missive_socket_transport_get_connect_timeout:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:connect-timeout].
 *
 * Returns: the connect time-out in seconds; 0 for none
 *
 * Since: 1.0
 */
guint
missive_socket_transport_get_connect_timeout (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), 0);
  return self->connect_timeout;
}

/**
 * missive_socket_transport_set_connect_timeout:
 * @self: a socket transport
 * @seconds: the connect time-out; 0 for none
 *
 * Sets [property@SocketTransport:connect-timeout].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_connect_timeout (MissiveSocketTransport *self,
                                              guint                   seconds)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (self->connect_timeout == seconds)
    return;
  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_CONNECT_TIMEOUT));
}

/**
 * missive_socket_transport_get_timeout:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:timeout].
 *
 * Returns: the inactivity time-out in seconds; 0 for none
 *
 * Since: 1.0
 */
guint
missive_socket_transport_get_timeout (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), 0);
  return self->timeout;
}

/**
 * missive_socket_transport_set_timeout:
 * @self: a socket transport
 * @seconds: the inactivity time-out; 0 for none
 *
 * Sets [property@SocketTransport:timeout]; it applies to an open
 * connection at once.
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_timeout (MissiveSocketTransport *self,
                                      guint                   seconds)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  if (self->connection != NULL)
    g_socket_set_timeout (g_socket_connection_get_socket (self->connection), seconds);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_TIMEOUT));
}

/**
 * missive_socket_transport_get_proxy_resolver:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:proxy-resolver].
 *
 * Returns: (transfer none) (nullable): the proxy resolver, or %NULL for
 *   GIO's default
 *
 * Since: 1.0
 */
GProxyResolver *
missive_socket_transport_get_proxy_resolver (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->proxy_resolver;
}

/**
 * missive_socket_transport_set_proxy_resolver:
 * @self: a socket transport
 * @resolver: (nullable): a proxy resolver, or %NULL for GIO's default
 *
 * Sets [property@SocketTransport:proxy-resolver], and clears
 * [property@SocketTransport:proxy-uri].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_proxy_resolver (MissiveSocketTransport *self,
                                             GProxyResolver         *resolver)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));
  g_return_if_fail (resolver == NULL || G_IS_PROXY_RESOLVER (resolver));

  if (!g_set_object (&self->proxy_resolver, resolver))
    return;
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_PROXY_RESOLVER));
  if (self->proxy_uri != NULL)
    {
      g_clear_pointer (&self->proxy_uri, g_free);
      g_object_notify_by_pspec (G_OBJECT (self),
                                missive_socket_transport_get_pspec (PROP_PROXY_URI));
    }
}

/**
 * missive_socket_transport_get_proxy_uri:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:proxy-uri].
 *
 * Returns: (nullable): the proxy URI, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_socket_transport_get_proxy_uri (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->proxy_uri;
}

/**
 * missive_socket_transport_set_proxy_uri:
 * @self: a socket transport
 * @uri: (nullable): the proxy to use, e.g. "socks5://127.0.0.1:1080", or
 *   %NULL for GIO's default proxy resolver
 *
 * Sets [property@SocketTransport:proxy-uri], and with it
 * [property@SocketTransport:proxy-resolver].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_proxy_uri (MissiveSocketTransport *self,
                                        const char             *uri)
{
  g_autoptr(GProxyResolver) resolver = NULL;

  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (g_strcmp0 (self->proxy_uri, uri) == 0)
    return;

  if (uri != NULL)
    resolver = g_simple_proxy_resolver_new (uri, NULL);
  g_object_freeze_notify (G_OBJECT (self));
  missive_socket_transport_set_proxy_resolver (self, resolver);
  g_free (self->proxy_uri);
  self->proxy_uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_PROXY_URI));
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * missive_socket_transport_get_local_address:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:local-address].
 *
 * Returns: (nullable): the local address, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_socket_transport_get_local_address (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), NULL);
  return self->local_address;
}

/**
 * missive_socket_transport_set_local_address:
 * @self: a socket transport
 * @address: (nullable): an IPv4 or IPv6 address, or %NULL
 *
 * Sets [property@SocketTransport:local-address].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_local_address (MissiveSocketTransport *self,
                                            const char             *address)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (g_strcmp0 (self->local_address, address) == 0)
    return;
  g_free (self->local_address);
  self->local_address = g_strdup (address);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_LOCAL_ADDRESS));
}

/**
 * missive_socket_transport_get_address_preference:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:address-preference].
 *
 * Returns: the address preference
 *
 * Since: 1.0
 */
MissiveAddressPreference
missive_socket_transport_get_address_preference (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), MISSIVE_ADDRESS_PREFERENCE_ANY);
  return self->address_preference;
}

/**
 * missive_socket_transport_set_address_preference:
 * @self: a socket transport
 * @preference: which address family to connect with
 *
 * Sets [property@SocketTransport:address-preference].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_address_preference (MissiveSocketTransport   *self,
                                                 MissiveAddressPreference  preference)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));
  g_return_if_fail (preference <= MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY);

  if (self->address_preference == preference)
    return;
  self->address_preference = preference;
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_ADDRESS_PREFERENCE));
}

/**
 * missive_socket_transport_get_keepalive:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:keepalive].
 *
 * Returns: whether TCP keep-alive is on
 *
 * Since: 1.0
 */
gboolean
missive_socket_transport_get_keepalive (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), FALSE);
  return self->keepalive;
}

/**
 * missive_socket_transport_set_keepalive:
 * @self: a socket transport
 * @keepalive: whether to enable TCP keep-alive
 *
 * Sets [property@SocketTransport:keepalive]; it applies to an open
 * connection at once.
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_keepalive (MissiveSocketTransport *self,
                                        gboolean                keepalive)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  keepalive = !!keepalive;
  if (self->keepalive == keepalive)
    return;
  self->keepalive = keepalive;
  if (self->connection != NULL)
    g_socket_set_keepalive (g_socket_connection_get_socket (self->connection), keepalive);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_KEEPALIVE));
}

/**
 * missive_socket_transport_get_rate_limit:
 * @self: a socket transport
 *
 * Gets [property@SocketTransport:rate-limit].
 *
 * Returns: the limit in bytes per second; 0 for none
 *
 * Since: 1.0
 */
guint64
missive_socket_transport_get_rate_limit (MissiveSocketTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self), 0);
  return self->rate_limit;
}

/**
 * missive_socket_transport_set_rate_limit:
 * @self: a socket transport
 * @bytes_per_second: the limit in each direction; 0 for none
 *
 * Sets [property@SocketTransport:rate-limit].
 *
 * Since: 1.0
 */
void
missive_socket_transport_set_rate_limit (MissiveSocketTransport *self,
                                         guint64                 bytes_per_second)
{
  g_return_if_fail (MISSIVE_IS_SOCKET_TRANSPORT (self));

  if (self->rate_limit == bytes_per_second)
    return;
  self->rate_limit = bytes_per_second;
  if (self->throttled != NULL)
    missive_throttled_stream_set_rate (self->throttled, bytes_per_second);
  g_object_notify_by_pspec (G_OBJECT (self),
                            missive_socket_transport_get_pspec (PROP_RATE_LIMIT));
}
