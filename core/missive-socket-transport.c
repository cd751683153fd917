/* missive-socket-transport.c: TCP transport with TLS and STARTTLS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-socket-transport-private.h"

/**
 * MissiveSocketTransport:
 *
 * A [iface@Transport] over TCP, with implicit TLS or STARTTLS.
 *
 * [property@SocketTransport:security] says how the connection is
 * protected:
 *
 * - %MISSIVE_SECURITY_TLS: the TLS handshake runs right after the TCP
 *   connection is made, as part of [method@Transport.open];
 * - %MISSIVE_SECURITY_STARTTLS: the connection opens in plaintext, and the
 *   service calls [method@Transport.start_tls] when the protocol says so;
 * - %MISSIVE_SECURITY_NONE: plaintext; [method@Transport.start_tls] still
 *   works if called.
 *
 * The server's certificate is always verified, against
 * [property@SocketTransport:ca-file] if set, else
 * [property@SocketTransport:tls-database] if set, else the TLS backend's
 * default (the system's trusted CAs), and its name must match
 * [property@SocketTransport:server-identity] (the host by default). A
 * certificate that fails goes to [signal@Transport::accept-certificate].
 * Setting [property@SocketTransport:pinned-certificate] replaces all of
 * that with one rule: exactly that certificate is accepted, whoever signed
 * it, and every other is rejected.
 *
 * Time limits: [property@SocketTransport:connect-timeout] bounds name
 * resolution plus the TCP connect; [property@SocketTransport:timeout] is
 * the inactivity limit of every read and write afterwards. The TLS
 * handshake is bounded by the inactivity limit, or, when that is 0, by the
 * connect time-out. Each expiry fails with %MISSIVE_ERROR_TIMED_OUT.
 *
 * [method@Transport.get_stream] returns the [class@Gio.TlsConnection] once
 * TLS is up; before that, the [class@Gio.SocketConnection], or, with a rate
 * limit, a stream that wraps it.
 *
 * Settings take effect at the next [method@Transport.open], except
 * [property@SocketTransport:timeout], [property@SocketTransport:keepalive]
 * and [property@SocketTransport:rate-limit] (when a limit was set at open
 * time), which also apply to the open connection.
 *
 * Since: 1.0
 */

/* Default for MissiveSocketTransport:connect-timeout, in seconds. */
#define DEFAULT_CONNECT_TIMEOUT 30

static void missive_socket_transport_iface_init (MissiveTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MissiveSocketTransport, missive_socket_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MISSIVE_TYPE_TRANSPORT,
                                                      missive_socket_transport_iface_init))

static GParamSpec *properties[N_PROPS];

/* ---- for missive-socket-transport-settings.c ------------------------- */

GParamSpec *
missive_socket_transport_get_pspec (guint prop_id)
{
  g_return_val_if_fail (prop_id > PROP_0 && prop_id < N_PROPS, NULL);
  return properties[prop_id];
}

/* ---- connection state ---------------------------------------------------- */

/* The stream under TLS: the throttled wrapper or the socket connection. */
static GIOStream *
plain_stream (MissiveSocketTransport *self)
{
  if (self->throttled != NULL)
    return G_IO_STREAM (self->throttled);
  return G_IO_STREAM (self->connection);
}

/* Forgets the connection and hands back its outermost stream (which,
 * closed, closes everything under it). */
static GIOStream *
take_stream (MissiveSocketTransport *self)
{
  GIOStream *stream = NULL;

  if (self->tls != NULL)
    stream = g_object_ref (G_IO_STREAM (self->tls));
  else if (self->connection != NULL)
    stream = g_object_ref (plain_stream (self));

  g_clear_object (&self->tls);
  g_clear_object (&self->throttled);
  g_clear_object (&self->connection);
  return stream;
}

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_error (task, missive_error_from_io_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
do_close (MissiveSocketTransport *self,
          GTask                  *task)
{
  g_autoptr(GIOStream) stream = take_stream (self);

  if (stream == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_io_stream_close_async (stream, g_task_get_priority (task),
                           g_task_get_cancellable (task), on_stream_closed, task);
}

/* Called when an open or start_tls ends, whichever way: runs the close
 * calls that waited for it. */
static void
operation_ended (MissiveSocketTransport *self)
{
  GList *waiters = g_steal_pointer (&self->close_waiters);

  self->pending = NULL;
  for (GList *l = waiters; l != NULL; l = l->next)
    do_close (self, l->data);
  g_list_free (waiters);
}

static gboolean
check_idle (MissiveSocketTransport  *self,
            GError                 **error)
{
  if (self->pending != NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "Another operation is in progress on this transport");
      return FALSE;
    }
  return TRUE;
}

/* Gathers the TLS settings. @database receives the database built from
 * ca-file, which @settings borrows. */
static gboolean
get_tls_settings (MissiveSocketTransport  *self,
                  MissiveTlsSettings      *settings,
                  GTlsDatabase           **database,
                  GError                 **error)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_TLS_UNAVAILABLE,
                           "TLS is not available: GIO has no TLS backend "
                           "(is glib-networking installed?)");
      return FALSE;
    }

  if (self->ca_file != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      *database = g_tls_file_database_new (self->ca_file, &local_error);
      if (*database == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TLS_FAILED,
                       "Cannot use the CA file “%s”: %s",
                       self->ca_file, local_error->message);
          return FALSE;
        }
    }
  else if (self->tls_database != NULL)
    {
      *database = g_object_ref (self->tls_database);
    }

  settings->server_identity = missive_socket_transport_get_server_identity (self);
  settings->port = self->port;
  settings->database = *database;
  settings->pinned_certificate = self->pinned_certificate;
  settings->client_certificate = self->client_certificate;
  settings->interaction = self->tls_interaction;
  settings->timeout = self->timeout > 0 ? self->timeout : self->connect_timeout;
  return TRUE;
}

/* ---- open ---------------------------------------------------------------- */

typedef struct
{
  MissiveDeadline *op;      /* the whole open; close() cancels it */
  MissiveDeadline *connect; /* resolution + TCP connect, connect-timeout */
  GSocketClient *client;
  GList *addresses;         /* of GInetAddress, for address preferences */
  GList *next_address;
  GError *first_error;
  GSocketConnection *connection;
  MissiveThrottledStream *throttled;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  g_clear_pointer (&open->connect, missive_deadline_free);
  g_clear_pointer (&open->op, missive_deadline_free);
  g_clear_object (&open->client);
  g_list_free_full (open->addresses, g_object_unref);
  g_clear_error (&open->first_error);
  g_clear_object (&open->throttled);
  g_clear_object (&open->connection);
  g_free (open);
}

static void
open_fail (GTask  *task,
           GError *error)
{
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);

  /* Drop a half-made connection; the last reference closes it. */
  g_clear_object (&open->throttled);
  g_clear_object (&open->connection);

  operation_ended (self);
  g_task_return_error (task, error);
}

/* Resolver errors say the host cannot be reached: report them as such. */
static GError *
connect_error (MissiveSocketTransport *self,
               OpenData               *open,
               GError                 *error)
{
  g_autofree char *what = g_strdup_printf ("Connecting to %s port %u", self->host, self->port);

  if (error->domain == G_RESOLVER_ERROR)
    {
      GError *io_error = g_error_new (G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND,
                                      "Cannot resolve “%s”: %s", self->host, error->message);
      g_error_free (error);
      error = io_error;
    }
  error = missive_deadline_translate_error (open->connect, error, what);

  /* Dropped before the connection was made (e.g. by a proxy): the server
   * was never reached. */
  if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST))
    error->code = MISSIVE_ERROR_CONNECTION_REFUSED;
  return error;
}

static void
on_implicit_tls_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);
  g_autoptr(GTlsConnection) tls = NULL;
  GError *error = NULL;

  tls = missive_tls_handshake_finish (MISSIVE_TRANSPORT (self), result, &error);
  if (tls == NULL)
    {
      open_fail (task, error);
      return;
    }
  /* close() may have cancelled the open just as the handshake ended. */
  if (g_cancellable_is_cancelled (missive_deadline_get_cancellable (open->op)))
    {
      open_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "Operation was cancelled"));
      return;
    }

  self->connection = g_steal_pointer (&open->connection);
  self->throttled = g_steal_pointer (&open->throttled);
  self->tls = g_steal_pointer (&tls);
  operation_ended (self);
  missive_transport_emit_tls_established (MISSIVE_TRANSPORT (self));
  g_task_return_boolean (task, TRUE);
}

/* The TCP connection is up: set it up, and start TLS if implicit. */
static void
on_connection (GTask             *task,
               GSocketConnection *connection)
{
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);
  GSocket *socket = g_socket_connection_get_socket (connection);
  MissiveTlsSettings settings = { 0 };
  g_autoptr(GTlsDatabase) database = NULL;
  GError *error = NULL;

  g_clear_pointer (&open->connect, missive_deadline_free);
  open->connection = connection;

  g_socket_set_keepalive (socket, self->keepalive);
  g_socket_set_timeout (socket, self->timeout);
  if (self->rate_limit > 0)
    open->throttled = missive_throttled_stream_new (G_IO_STREAM (connection), self->rate_limit);

  if (self->security != MISSIVE_SECURITY_TLS)
    {
      self->connection = g_steal_pointer (&open->connection);
      self->throttled = g_steal_pointer (&open->throttled);
      operation_ended (self);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (!get_tls_settings (self, &settings, &database, &error))
    {
      open_fail (task, error);
      g_object_unref (task);
      return;
    }
  missive_tls_handshake_async (MISSIVE_TRANSPORT (self),
                               open->throttled != NULL ? G_IO_STREAM (open->throttled)
                                                       : G_IO_STREAM (open->connection),
                               &settings, g_task_get_priority (task),
                               missive_deadline_get_cancellable (open->op),
                               on_implicit_tls_done, task);
}

static void
on_host_connected (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      open_fail (task, connect_error (self, open, error));
      g_object_unref (task);
      return;
    }
  on_connection (task, connection);
}

static void connect_next_address (GTask *task);

static void
on_address_connected (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection != NULL)
    {
      on_connection (task, connection);
      return;
    }

  /* Cancelled or out of time: stop. Otherwise try the next address,
   * keeping the first error to report if none works. */
  if (g_cancellable_is_cancelled (missive_deadline_get_cancellable (open->connect)))
    {
      open_fail (task, connect_error (self, open, error));
      g_object_unref (task);
      return;
    }
  if (open->first_error == NULL)
    open->first_error = error;
  else
    g_error_free (error);
  connect_next_address (task);
}

static void
connect_next_address (GTask *task)
{
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);
  g_autoptr(GSocketAddress) address = NULL;

  if (open->next_address == NULL)
    {
      open_fail (task, connect_error (self, open, g_steal_pointer (&open->first_error)));
      g_object_unref (task);
      return;
    }

  address = g_inet_socket_address_new (open->next_address->data, self->port);
  open->next_address = open->next_address->next;
  g_socket_client_connect_async (open->client, G_SOCKET_CONNECTABLE (address),
                                 missive_deadline_get_cancellable (open->connect),
                                 on_address_connected, task);
}

static int
compare_family (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  GSocketFamily first = GPOINTER_TO_INT (user_data);
  gboolean a_first = g_inet_address_get_family ((GInetAddress *) a) == first;
  gboolean b_first = g_inet_address_get_family ((GInetAddress *) b) == first;

  return b_first - a_first;
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSocketTransport *self = g_task_get_source_object (task);
  OpenData *open = g_task_get_task_data (task);
  GList *addresses;
  GError *error = NULL;
  GSocketFamily only = G_SOCKET_FAMILY_INVALID;

  addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (source), result, &error);
  if (error != NULL)
    {
      open_fail (task, connect_error (self, open, error));
      g_object_unref (task);
      return;
    }

  /* The resolver passes address literals through whatever the flags say:
   * filter again. */
  if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_IPV4_ONLY)
    only = G_SOCKET_FAMILY_IPV4;
  else if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY)
    only = G_SOCKET_FAMILY_IPV6;
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      if (only != G_SOCKET_FAMILY_INVALID && g_inet_address_get_family (l->data) != only)
        g_object_unref (l->data);
      else
        open->addresses = g_list_prepend (open->addresses, l->data);
    }
  g_list_free (addresses);
  open->addresses = g_list_reverse (open->addresses);

  if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_IPV4)
    open->addresses = g_list_sort_with_data (open->addresses, compare_family,
                                             GINT_TO_POINTER (G_SOCKET_FAMILY_IPV4));
  else if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_IPV6)
    open->addresses = g_list_sort_with_data (open->addresses, compare_family,
                                             GINT_TO_POINTER (G_SOCKET_FAMILY_IPV6));

  if (open->addresses == NULL)
    {
      open_fail (task, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED,
                                    "“%s” has no %saddress", self->host,
                                    only == G_SOCKET_FAMILY_IPV4 ? "IPv4 " :
                                    only == G_SOCKET_FAMILY_IPV6 ? "IPv6 " : ""));
      g_object_unref (task);
      return;
    }

  open->next_address = open->addresses;
  connect_next_address (task);
}

static void
missive_socket_transport_open_async (MissiveTransport    *transport,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  OpenData *open;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_socket_transport_open_async);
  g_task_set_priority (task, io_priority);

  if (!check_idle (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->connection != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The transport is already open");
      return;
    }
  if (self->port == 0)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No port to connect to");
      return;
    }

  open = g_new0 (OpenData, 1);
  g_task_set_task_data (task, open, open_data_free);

  open->client = g_socket_client_new ();
  g_socket_client_set_timeout (open->client, self->timeout);
  if (self->proxy_resolver != NULL)
    g_socket_client_set_proxy_resolver (open->client, self->proxy_resolver);
  if (self->local_address != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->local_address);
      g_autoptr(GSocketAddress) local = NULL;

      if (inet == NULL)
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                   "“%s” is not an IP address", self->local_address);
          return;
        }
      local = g_inet_socket_address_new (inet, 0);
      g_socket_client_set_local_address (open->client, local);
    }

  open->op = missive_deadline_new (cancellable, 0);
  open->connect = missive_deadline_new (missive_deadline_get_cancellable (open->op),
                                        self->connect_timeout);
  self->pending = open->op;

  if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_ANY)
    {
      g_autoptr(GSocketConnectable) address = g_network_address_new (self->host, self->port);

      g_socket_client_connect_async (open->client, address,
                                     missive_deadline_get_cancellable (open->connect),
                                     on_host_connected, g_steal_pointer (&task));
    }
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      GResolverNameLookupFlags flags = G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT;

      if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_IPV4_ONLY)
        flags = G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY;
      else if (self->address_preference == MISSIVE_ADDRESS_PREFERENCE_IPV6_ONLY)
        flags = G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY;

      g_resolver_lookup_by_name_with_flags_async (resolver, self->host, flags,
                                                  missive_deadline_get_cancellable (open->connect),
                                                  on_resolved, g_steal_pointer (&task));
    }
}

static gboolean
missive_socket_transport_open_finish (MissiveTransport  *transport,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_socket_transport_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- start_tls ----------------------------------------------------------- */

static void
on_start_tls_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSocketTransport *self = g_task_get_source_object (task);
  g_autoptr(GTlsConnection) tls = NULL;
  GError *error = NULL;

  tls = missive_tls_handshake_finish (MISSIVE_TRANSPORT (self), result, &error);
  if (tls == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task)) ||
      self->connection == NULL)
    {
      /* A failed upgrade leaves a connection in an unknown state, which
       * must not fall back to plaintext: drop it. */
      G_GNUC_UNUSED g_autoptr(GIOStream) stream = take_stream (self);

      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "Operation was cancelled");
      operation_ended (self);
      g_task_return_error (task, error);
      return;
    }

  self->tls = g_steal_pointer (&tls);
  operation_ended (self);
  missive_transport_emit_tls_established (MISSIVE_TRANSPORT (self));
  g_task_return_boolean (task, TRUE);
}

static void
missive_socket_transport_start_tls_async (MissiveTransport    *transport,
                                          int                  io_priority,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  MissiveTlsSettings settings = { 0 };
  MissiveDeadline *op;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_socket_transport_start_tls_async);
  g_task_set_priority (task, io_priority);

  if (!check_idle (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->connection == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The transport is not open");
      return;
    }
  if (self->tls != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The connection is already protected by TLS");
      return;
    }
  if (!get_tls_settings (self, &settings, &database, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = missive_deadline_new (cancellable, 0);
  g_task_set_task_data (task, op, (GDestroyNotify) missive_deadline_free);
  self->pending = op;

  missive_tls_handshake_async (transport, plain_stream (self), &settings, io_priority,
                               missive_deadline_get_cancellable (op),
                               on_start_tls_done, g_steal_pointer (&task));
}

static gboolean
missive_socket_transport_start_tls_finish (MissiveTransport  *transport,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_socket_transport_start_tls_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- close --------------------------------------------------------------- */

static void
missive_socket_transport_close_async (MissiveTransport    *transport,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (transport);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_socket_transport_close_async);
  g_task_set_priority (task, io_priority);

  /* An open or upgrade in progress is cancelled; the close completes once
   * it has wound down. */
  if (self->pending != NULL)
    {
      self->close_waiters = g_list_append (self->close_waiters, task);
      missive_deadline_cancel (self->pending);
      return;
    }
  do_close (self, task);
}

static gboolean
missive_socket_transport_close_finish (MissiveTransport  *transport,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_socket_transport_close_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GIOStream *
missive_socket_transport_get_stream (MissiveTransport *transport)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (transport);

  if (self->tls != NULL)
    return G_IO_STREAM (self->tls);
  if (self->connection != NULL)
    return plain_stream (self);
  return NULL;
}

static GTlsConnection *
missive_socket_transport_get_tls_connection (MissiveTransport *transport)
{
  return MISSIVE_SOCKET_TRANSPORT (transport)->tls;
}

static void
missive_socket_transport_iface_init (MissiveTransportInterface *iface)
{
  iface->open_async = missive_socket_transport_open_async;
  iface->open_finish = missive_socket_transport_open_finish;
  iface->get_stream = missive_socket_transport_get_stream;
  iface->get_tls_connection = missive_socket_transport_get_tls_connection;
  iface->start_tls_async = missive_socket_transport_start_tls_async;
  iface->start_tls_finish = missive_socket_transport_start_tls_finish;
  iface->close_async = missive_socket_transport_close_async;
  iface->close_finish = missive_socket_transport_close_finish;
}

/* ---- GObject ------------------------------------------------------------- */

static void
missive_socket_transport_dispose (GObject *object)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (object);

  /* Dropping the last reference to the streams closes them. */
  g_clear_object (&self->tls);
  g_clear_object (&self->throttled);
  g_clear_object (&self->connection);
  g_clear_object (&self->tls_database);
  g_clear_object (&self->pinned_certificate);
  g_clear_object (&self->client_certificate);
  g_clear_object (&self->tls_interaction);
  g_clear_object (&self->proxy_resolver);

  G_OBJECT_CLASS (missive_socket_transport_parent_class)->dispose (object);
}

static void
missive_socket_transport_finalize (GObject *object)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (object);

  g_free (self->host);
  g_free (self->server_identity);
  g_free (self->ca_file);
  g_free (self->proxy_uri);
  g_free (self->local_address);

  G_OBJECT_CLASS (missive_socket_transport_parent_class)->finalize (object);
}

static void
missive_socket_transport_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;
    case PROP_SERVER_IDENTITY:
      g_value_set_string (value, missive_socket_transport_get_server_identity (self));
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;
    case PROP_PINNED_CERTIFICATE:
      g_value_set_object (value, self->pinned_certificate);
      break;
    case PROP_CLIENT_CERTIFICATE:
      g_value_set_object (value, self->client_certificate);
      break;
    case PROP_TLS_INTERACTION:
      g_value_set_object (value, self->tls_interaction);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_PROXY_RESOLVER:
      g_value_set_object (value, self->proxy_resolver);
      break;
    case PROP_PROXY_URI:
      g_value_set_string (value, self->proxy_uri);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->local_address);
      break;
    case PROP_ADDRESS_PREFERENCE:
      g_value_set_enum (value, self->address_preference);
      break;
    case PROP_KEEPALIVE:
      g_value_set_boolean (value, self->keepalive);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_uint64 (value, self->rate_limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_socket_transport_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  MissiveSocketTransport *self = MISSIVE_SOCKET_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = (guint16) g_value_get_uint (value);
      break;
    case PROP_SECURITY:
      self->security = g_value_get_enum (value);
      break;
    case PROP_SERVER_IDENTITY:
      missive_socket_transport_set_server_identity (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      missive_socket_transport_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TLS_DATABASE:
      missive_socket_transport_set_tls_database (self, g_value_get_object (value));
      break;
    case PROP_PINNED_CERTIFICATE:
      missive_socket_transport_set_pinned_certificate (self, g_value_get_object (value));
      break;
    case PROP_CLIENT_CERTIFICATE:
      missive_socket_transport_set_client_certificate (self, g_value_get_object (value));
      break;
    case PROP_TLS_INTERACTION:
      missive_socket_transport_set_tls_interaction (self, g_value_get_object (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      missive_socket_transport_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      missive_socket_transport_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_PROXY_RESOLVER:
      missive_socket_transport_set_proxy_resolver (self, g_value_get_object (value));
      break;
    case PROP_PROXY_URI:
      missive_socket_transport_set_proxy_uri (self, g_value_get_string (value));
      break;
    case PROP_LOCAL_ADDRESS:
      missive_socket_transport_set_local_address (self, g_value_get_string (value));
      break;
    case PROP_ADDRESS_PREFERENCE:
      missive_socket_transport_set_address_preference (self, g_value_get_enum (value));
      break;
    case PROP_KEEPALIVE:
      missive_socket_transport_set_keepalive (self, g_value_get_boolean (value));
      break;
    case PROP_RATE_LIMIT:
      missive_socket_transport_set_rate_limit (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_socket_transport_class_init (MissiveSocketTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_socket_transport_dispose;
  object_class->finalize = missive_socket_transport_finalize;
  object_class->get_property = missive_socket_transport_get_property;
  object_class->set_property = missive_socket_transport_set_property;

  /**
   * MissiveSocketTransport:host:
   *
   * The host name or IP address to connect to.
   *
   * Since: 1.0
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:port:
   *
   * The TCP port to connect to.
   *
   * Since: 1.0
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:security:
   *
   * How the connection is protected: implicit TLS, STARTTLS (the service
   * calls [method@Transport.start_tls]) or not at all.
   *
   * Since: 1.0
   */
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       MISSIVE_TYPE_SECURITY, MISSIVE_SECURITY_TLS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:server-identity:
   *
   * The name the server's certificate must be valid for. Reads as
   * [property@SocketTransport:host] until set; set it when connecting by
   * address, or through a tunnel, to a server known by another name.
   * Setting %NULL goes back to the host.
   *
   * Since: 1.0
   */
  properties[PROP_SERVER_IDENTITY] =
    g_param_spec_string ("server-identity", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:ca-file:
   *
   * A PEM file of CA certificates to trust instead of the system's. When
   * set, it takes precedence over [property@SocketTransport:tls-database].
   * A file that cannot be read makes the handshake fail with
   * %MISSIVE_ERROR_TLS_FAILED.
   *
   * Since: 1.0
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:tls-database:
   *
   * The certificate database to verify the server against, or %NULL for
   * the TLS backend's default. Ignored while
   * [property@SocketTransport:ca-file] is set.
   *
   * Since: 1.0
   */
  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:pinned-certificate:
   *
   * When set, the only certificate the server may present: it is accepted
   * even if no trusted CA signed it or it names another host, and any
   * other certificate is rejected with
   * %MISSIVE_ERROR_CERTIFICATE_REJECTED, even one a trusted CA signed.
   * [signal@Transport::accept-certificate] is not emitted then.
   *
   * Since: 1.0
   */
  properties[PROP_PINNED_CERTIFICATE] =
    g_param_spec_object ("pinned-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:client-certificate:
   *
   * A certificate, with its private key, to present when the server asks
   * for one (TLS client authentication, e.g. with SASL EXTERNAL).
   *
   * Since: 1.0
   */
  properties[PROP_CLIENT_CERTIFICATE] =
    g_param_spec_object ("client-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:tls-interaction:
   *
   * Asks the user for a client certificate or the PIN of a token during
   * the handshake.
   *
   * Since: 1.0
   */
  properties[PROP_TLS_INTERACTION] =
    g_param_spec_object ("tls-interaction", NULL, NULL,
                         G_TYPE_TLS_INTERACTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:connect-timeout:
   *
   * How long name resolution and the TCP connect may take together, in
   * seconds; 0 for no limit of Missive's own. Also bounds the TLS handshake
   * when [property@SocketTransport:timeout] is 0. Expiry fails the open
   * with %MISSIVE_ERROR_TIMED_OUT.
   *
   * Since: 1.0
   */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:timeout:
   *
   * The inactivity limit, in seconds: a read or write that makes no
   * progress for this long fails with %G_IO_ERROR_TIMED_OUT (which
   * services report as %MISSIVE_ERROR_TIMED_OUT). It also bounds the TLS
   * handshake. 0 means no limit, which long IMAP IDLEs may need.
   *
   * Since: 1.0
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:proxy-resolver:
   *
   * The proxy resolver to use, or %NULL for GIO's default (which follows
   * the desktop's settings and the environment). Setting it clears
   * [property@SocketTransport:proxy-uri].
   *
   * Since: 1.0
   */
  properties[PROP_PROXY_RESOLVER] =
    g_param_spec_object ("proxy-resolver", NULL, NULL,
                         G_TYPE_PROXY_RESOLVER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:proxy-uri:
   *
   * A proxy to connect through, e.g. "socks5://127.0.0.1:1080" or
   * "http://proxy:3128". Setting it installs a
   * [class@Gio.SimpleProxyResolver] for it as
   * [property@SocketTransport:proxy-resolver]; %NULL removes it.
   *
   * Since: 1.0
   */
  properties[PROP_PROXY_URI] =
    g_param_spec_string ("proxy-uri", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:local-address:
   *
   * The local IP address to connect from, e.g. to pick a network
   * interface, or %NULL to let the system choose. An invalid address makes
   * the open fail with %MISSIVE_ERROR_INVALID_ARGUMENT.
   *
   * Since: 1.0
   */
  properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:address-preference:
   *
   * Which address family to connect with. With
   * %MISSIVE_ADDRESS_PREFERENCE_ANY GIO resolves the host and races its
   * addresses; otherwise Missive resolves it, keeps or orders the
   * addresses by family, and tries them one after the other. Through a
   * proxy, the proxy is asked to connect to the chosen address.
   *
   * Since: 1.0
   */
  properties[PROP_ADDRESS_PREFERENCE] =
    g_param_spec_enum ("address-preference", NULL, NULL,
                       MISSIVE_TYPE_ADDRESS_PREFERENCE, MISSIVE_ADDRESS_PREFERENCE_ANY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:keepalive:
   *
   * Whether to enable TCP keep-alive (SO_KEEPALIVE) on the socket, so that
   * a dead peer is noticed on an idle connection.
   *
   * Since: 1.0
   */
  properties[PROP_KEEPALIVE] =
    g_param_spec_boolean ("keepalive", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSocketTransport:rate-limit:
   *
   * The most bytes per second to send, and to receive, counted on the
   * wire (TLS overhead included), with up to one second's worth in a
   * burst; 0 for no limit. A limit set at open time can be changed (or
   * lifted with 0) on the open connection; a limit set on an unlimited open
   * connection applies from the next open.
   *
   * Since: 1.0
   */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_uint64 ("rate-limit", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_socket_transport_init (MissiveSocketTransport *self)
{
  self->security = MISSIVE_SECURITY_TLS;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->address_preference = MISSIVE_ADDRESS_PREFERENCE_ANY;
}

/* ---- public API ---------------------------------------------------------- */

/**
 * missive_socket_transport_new:
 * @host: the host name or IP address of the server
 * @port: the TCP port
 * @security: how the connection is protected
 *
 * Creates a transport that connects to @host on @port.
 *
 * Returns: (transfer full): a new transport
 *
 * Since: 1.0
 */
MissiveSocketTransport *
missive_socket_transport_new (const char      *host,
                              guint16          port,
                              MissiveSecurity  security)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  return g_object_new (MISSIVE_TYPE_SOCKET_TRANSPORT,
                       "host", host,
                       "port", (guint) port,
                       "security", security,
                       NULL);
}
