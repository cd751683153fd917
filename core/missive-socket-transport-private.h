/* missive-socket-transport-private.h: what the files of
 * MissiveSocketTransport (missive-socket-transport.c,
 * missive-socket-transport-settings.c) share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

#include "missive-throttled-stream-private.h"
#include "missive-transport-private.h"

G_BEGIN_DECLS

/* The instance data of MissiveSocketTransport, shared by its files. */
struct _MissiveSocketTransport
{
  GObject parent_instance;

  /* settings */
  char *host;
  guint16 port;
  MissiveSecurity security;
  char *server_identity;
  char *ca_file;
  GTlsDatabase *tls_database;
  GTlsCertificate *pinned_certificate;
  GTlsCertificate *client_certificate;
  GTlsInteraction *tls_interaction;
  guint connect_timeout;
  guint timeout;
  GProxyResolver *proxy_resolver;
  char *proxy_uri;
  char *local_address;
  MissiveAddressPreference address_preference;
  gboolean keepalive;
  guint64 rate_limit;

  /* the connection */
  GSocketConnection *connection;
  MissiveThrottledStream *throttled; /* between the socket and TLS, or NULL */
  GTlsConnection *tls;

  /* An open or start_tls in progress (owned by its task), and the close
   * calls that wait for it to end. */
  MissiveDeadline *pending;
  GList *close_waiters;
};

/* The properties of MissiveSocketTransport; see
 * missive_socket_transport_get_pspec(). */
enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_SERVER_IDENTITY,
  PROP_CA_FILE,
  PROP_TLS_DATABASE,
  PROP_PINNED_CERTIFICATE,
  PROP_CLIENT_CERTIFICATE,
  PROP_TLS_INTERACTION,
  PROP_CONNECT_TIMEOUT,
  PROP_TIMEOUT,
  PROP_PROXY_RESOLVER,
  PROP_PROXY_URI,
  PROP_LOCAL_ADDRESS,
  PROP_ADDRESS_PREFERENCE,
  PROP_KEEPALIVE,
  PROP_RATE_LIMIT,
  N_PROPS
};

/* The GParamSpec of one of MissiveSocketTransport's properties, for
 * g_object_notify_by_pspec(). */
GParamSpec *missive_socket_transport_get_pspec (guint prop_id);

G_END_DECLS
