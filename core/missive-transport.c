/* missive-transport.c: the byte pipe under a service
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include "missive-transport-private.h"

/**
 * MissiveTransport:
 *
 * The byte pipe under a [class@Service]: it connects, hands out the
 * [class@Gio.IOStream] the protocol reads and writes, upgrades to TLS in
 * place when the protocol says so, and reports what the TLS layer
 * negotiated.
 *
 * Missive has three implementations: [class@SocketTransport] (TCP, with
 * implicit TLS or STARTTLS), [class@CommandTransport] (a spawned program's
 * standard input and output) and [class@StreamTransport] (any stream the
 * application already has).
 *
 * Every I/O method is asynchronous; the blocking forms
 * ([method@Transport.open], [method@Transport.start_tls],
 * [method@Transport.close]) run the asynchronous one to completion on a
 * private main context.
 *
 * After [method@Transport.start_tls] the stream returned by
 * [method@Transport.get_stream] is a different object: whoever reads from
 * the connection must drop anything it buffered from the old stream, so
 * that nothing the server sent in plaintext is ever taken as protected.
 *
 * Certificate verification is always on. When the server's certificate
 * cannot be verified, the transport emits
 * [signal@Transport::accept-certificate]; unless a handler returns %TRUE,
 * the handshake fails with %MISSIVE_ERROR_CERTIFICATE_REJECTED.
 *
 * Since: 1.0
 */

G_DEFINE_INTERFACE (MissiveTransport, missive_transport, G_TYPE_OBJECT)

enum {
  ACCEPT_CERTIFICATE,
  TLS_ESTABLISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
missive_transport_default_init (MissiveTransportInterface *iface)
{
  /**
   * MissiveTransport::accept-certificate:
   * @self: the transport
   * @certificate: the server's certificate
   * @errors: what is wrong with it
   *
   * Emitted during a TLS handshake when the server's certificate failed
   * verification: not signed by a trusted authority, not valid for the
   * server's name, expired... Handlers may show it to the user. Return
   * %TRUE to accept the certificate anyway; the first handler that returns
   * %TRUE stops the emission. With no handler, or when all return %FALSE,
   * the handshake fails with %MISSIVE_ERROR_CERTIFICATE_REJECTED.
   *
   * It is emitted on the thread-default main context of the call that
   * started the handshake. It is not emitted when a pinned certificate is
   * set on a [class@SocketTransport]: the pin alone decides.
   *
   * Returns: %TRUE to accept the certificate
   *
   * Since: 1.0
   */
  signals[ACCEPT_CERTIFICATE] =
    g_signal_new ("accept-certificate",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 2,
                  G_TYPE_TLS_CERTIFICATE,
                  G_TYPE_TLS_CERTIFICATE_FLAGS);

  /**
   * MissiveTransport::tls-established:
   * @self: the transport
   *
   * Emitted when a TLS handshake has completed, implicit or after
   * [method@Transport.start_tls]. The TLS facts
   * ([method@Transport.get_tls_protocol_version] and friends) are
   * available from then on.
   *
   * Since: 1.0
   */
  signals[TLS_ESTABLISHED] =
    g_signal_new ("tls-established",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

/* ---- open ---------------------------------------------------------------- */

/**
 * missive_transport_open_async:
 * @self: a transport
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the transport is open
 * @user_data: data for @callback
 *
 * Connects the transport: opens the TCP connection (and, for implicit TLS,
 * completes the handshake), spawns the program, or just marks an existing
 * stream as in use, depending on the implementation. Finish with
 * [method@Transport.open_finish].
 *
 * Since: 1.0
 */
void
missive_transport_open_async (MissiveTransport    *self,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MISSIVE_IS_TRANSPORT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  MISSIVE_TRANSPORT_GET_IFACE (self)->open_async (self, io_priority, cancellable,
                                                  callback, user_data);
}

/**
 * missive_transport_open_finish:
 * @self: a transport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Transport.open_async].
 *
 * Returns: %TRUE if the transport is open
 *
 * Since: 1.0
 */
gboolean
missive_transport_open_finish (MissiveTransport  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MISSIVE_TRANSPORT_GET_IFACE (self)->open_finish (self, result, error);
}

static void
start_open (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_transport_open_async (source, G_PRIORITY_DEFAULT, cancellable,
                                callback, user_data);
}

/**
 * missive_transport_open:
 * @self: a transport
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of [method@Transport.open_async].
 *
 * Returns: %TRUE if the transport is open
 *
 * Since: 1.0
 */
gboolean
missive_transport_open (MissiveTransport  *self,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = missive_run_sync (self, start_open, NULL, cancellable);
  return missive_transport_open_finish (self, result, error);
}

/* ---- start_tls ----------------------------------------------------------- */

/**
 * missive_transport_start_tls_async:
 * @self: a transport
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the handshake has completed
 * @user_data: data for @callback
 *
 * Upgrades the open, unprotected connection to TLS in place: call it once
 * the server has agreed to STARTTLS (or STLS). The server's certificate is
 * verified as for implicit TLS. On success, [method@Transport.get_stream]
 * returns the TLS connection, and [signal@Transport::tls-established] has
 * been emitted. On failure the connection is no longer usable and should
 * be closed.
 *
 * Transports that cannot do TLS fail with %MISSIVE_ERROR_NOT_SUPPORTED; a
 * transport that is not open, or already protected, fails with
 * %MISSIVE_ERROR_INVALID_STATE.
 *
 * Since: 1.0
 */
void
missive_transport_start_tls_async (MissiveTransport    *self,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (MISSIVE_IS_TRANSPORT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  MISSIVE_TRANSPORT_GET_IFACE (self)->start_tls_async (self, io_priority, cancellable,
                                                       callback, user_data);
}

/**
 * missive_transport_start_tls_finish:
 * @self: a transport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Transport.start_tls_async].
 *
 * Returns: %TRUE if the connection is now protected by TLS
 *
 * Since: 1.0
 */
gboolean
missive_transport_start_tls_finish (MissiveTransport  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MISSIVE_TRANSPORT_GET_IFACE (self)->start_tls_finish (self, result, error);
}

static void
start_start_tls (gpointer             source,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             start_data)
{
  missive_transport_start_tls_async (source, G_PRIORITY_DEFAULT, cancellable,
                                     callback, user_data);
}

/**
 * missive_transport_start_tls:
 * @self: a transport
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of [method@Transport.start_tls_async].
 *
 * Returns: %TRUE if the connection is now protected by TLS
 *
 * Since: 1.0
 */
gboolean
missive_transport_start_tls (MissiveTransport  *self,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = missive_run_sync (self, start_start_tls, NULL, cancellable);
  return missive_transport_start_tls_finish (self, result, error);
}

/* ---- close --------------------------------------------------------------- */

/**
 * missive_transport_close_async:
 * @self: a transport
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the transport is closed
 * @user_data: data for @callback
 *
 * Closes the connection (sending the TLS close notification when TLS is
 * up). Closing a transport that is not open succeeds and does nothing;
 * closing one that is still opening cancels the open. Whatever the
 * outcome, the transport is closed afterwards and may be opened again.
 *
 * Since: 1.0
 */
void
missive_transport_close_async (MissiveTransport    *self,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (MISSIVE_IS_TRANSPORT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  MISSIVE_TRANSPORT_GET_IFACE (self)->close_async (self, io_priority, cancellable,
                                                   callback, user_data);
}

/**
 * missive_transport_close_finish:
 * @self: a transport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Transport.close_async]. An error here only says that
 * the connection did not close cleanly; it is closed all the same.
 *
 * Returns: %TRUE if the connection closed cleanly
 *
 * Since: 1.0
 */
gboolean
missive_transport_close_finish (MissiveTransport  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MISSIVE_TRANSPORT_GET_IFACE (self)->close_finish (self, result, error);
}

static void
start_close (gpointer             source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             start_data)
{
  missive_transport_close_async (source, G_PRIORITY_DEFAULT, cancellable,
                                 callback, user_data);
}

/**
 * missive_transport_close:
 * @self: a transport
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of [method@Transport.close_async].
 *
 * Returns: %TRUE if the connection closed cleanly
 *
 * Since: 1.0
 */
gboolean
missive_transport_close (MissiveTransport  *self,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = missive_run_sync (self, start_close, NULL, cancellable);
  return missive_transport_close_finish (self, result, error);
}

/* ---- state --------------------------------------------------------------- */

/**
 * missive_transport_get_stream:
 * @self: a transport
 *
 * Gets the stream to read from and write to: the TLS connection once TLS
 * is up, else the plain one. It changes after
 * [method@Transport.start_tls], so do not keep it across an upgrade.
 *
 * Returns: (transfer none) (nullable): the current stream, or %NULL when
 *   the transport is not open
 *
 * Since: 1.0
 */
GIOStream *
missive_transport_get_stream (MissiveTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), NULL);

  return MISSIVE_TRANSPORT_GET_IFACE (self)->get_stream (self);
}

/**
 * missive_transport_is_open:
 * @self: a transport
 *
 * Whether the transport is open, that is, has a stream.
 *
 * Returns: %TRUE if open
 *
 * Since: 1.0
 */
gboolean
missive_transport_is_open (MissiveTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);

  return missive_transport_get_stream (self) != NULL;
}

/**
 * missive_transport_get_tls_connection:
 * @self: a transport
 *
 * Gets the TLS connection, once a handshake has completed.
 *
 * Returns: (transfer none) (nullable): the TLS connection, or %NULL
 *
 * Since: 1.0
 */
GTlsConnection *
missive_transport_get_tls_connection (MissiveTransport *self)
{
  MissiveTransportInterface *iface;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), NULL);

  iface = MISSIVE_TRANSPORT_GET_IFACE (self);
  if (iface->get_tls_connection == NULL)
    return NULL;
  return iface->get_tls_connection (self);
}

/**
 * missive_transport_is_tls:
 * @self: a transport
 *
 * Whether the connection is protected by TLS.
 *
 * Returns: %TRUE if a TLS handshake has completed
 *
 * Since: 1.0
 */
gboolean
missive_transport_is_tls (MissiveTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);

  return missive_transport_get_tls_connection (self) != NULL;
}

/**
 * missive_transport_get_tls_protocol_version:
 * @self: a transport
 *
 * Gets the TLS protocol version that was negotiated.
 *
 * Returns: the version, or %G_TLS_PROTOCOL_VERSION_UNKNOWN without TLS
 *
 * Since: 1.0
 */
GTlsProtocolVersion
missive_transport_get_tls_protocol_version (MissiveTransport *self)
{
  GTlsConnection *tls;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), G_TLS_PROTOCOL_VERSION_UNKNOWN);

  tls = missive_transport_get_tls_connection (self);
  if (tls == NULL)
    return G_TLS_PROTOCOL_VERSION_UNKNOWN;
  return g_tls_connection_get_protocol_version (tls);
}

/**
 * missive_transport_get_tls_ciphersuite:
 * @self: a transport
 *
 * Gets the name of the negotiated cipher suite, in the TLS backend's
 * notation (e.g. "TLS_AES_256_GCM_SHA384").
 *
 * Returns: (transfer full) (nullable): the cipher suite, or %NULL without TLS
 *
 * Since: 1.0
 */
char *
missive_transport_get_tls_ciphersuite (MissiveTransport *self)
{
  GTlsConnection *tls;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), NULL);

  tls = missive_transport_get_tls_connection (self);
  if (tls == NULL)
    return NULL;
  return g_tls_connection_get_ciphersuite_name (tls);
}

/**
 * missive_transport_get_peer_certificate:
 * @self: a transport
 *
 * Gets the certificate the server presented. Read its subject and issuer
 * from the [property@Gio.TlsCertificate:subject-name] and
 * [property@Gio.TlsCertificate:issuer-name] properties.
 *
 * Returns: (transfer none) (nullable): the server's certificate, or %NULL
 *   without TLS
 *
 * Since: 1.0
 */
GTlsCertificate *
missive_transport_get_peer_certificate (MissiveTransport *self)
{
  GTlsConnection *tls;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), NULL);

  tls = missive_transport_get_tls_connection (self);
  if (tls == NULL)
    return NULL;
  return g_tls_connection_get_peer_certificate (tls);
}

/**
 * missive_transport_get_peer_certificate_fingerprint:
 * @self: a transport
 * @checksum_type: the digest to use, e.g. %G_CHECKSUM_SHA256
 *
 * Gets the fingerprint of the server's certificate, as
 * [func@certificate_get_fingerprint] computes it.
 *
 * Returns: (transfer full) (nullable): the fingerprint in lower-case hex,
 *   or %NULL without TLS
 *
 * Since: 1.0
 */
char *
missive_transport_get_peer_certificate_fingerprint (MissiveTransport *self,
                                                    GChecksumType     checksum_type)
{
  GTlsCertificate *certificate;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), NULL);

  certificate = missive_transport_get_peer_certificate (self);
  if (certificate == NULL)
    return NULL;
  return missive_certificate_get_fingerprint (certificate, checksum_type);
}

/**
 * missive_transport_get_channel_binding_data:
 * @self: a transport
 * @type: the kind of channel binding, e.g. %G_TLS_CHANNEL_BINDING_TLS_EXPORTER
 *   for TLS 1.3 or %G_TLS_CHANNEL_BINDING_TLS_UNIQUE for TLS 1.2
 * @error: return location for a #GError
 *
 * Gets the channel-binding data of the TLS connection, for SASL mechanisms
 * that bind the authentication to the channel (SCRAM-*-PLUS).
 *
 * Returns: (transfer full): the data, or %NULL with @error set: without
 *   TLS %MISSIVE_ERROR_INVALID_STATE, and %MISSIVE_ERROR_NOT_SUPPORTED when
 *   the TLS backend cannot provide this kind
 *
 * Since: 1.0
 */
GBytes *
missive_transport_get_channel_binding_data (MissiveTransport        *self,
                                            GTlsChannelBindingType   type,
                                            GError                 **error)
{
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsConnection *tls;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tls = missive_transport_get_tls_connection (self);
  if (tls == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "The connection is not protected by TLS");
      return NULL;
    }

  data = g_byte_array_new ();
  if (!g_tls_connection_get_channel_binding_data (tls, type, data, &local_error))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                           local_error->message);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/**
 * missive_transport_emit_accept_certificate:
 * @self: a transport
 * @certificate: the server's certificate
 * @errors: what verification found wrong with it
 *
 * Emits [signal@Transport::accept-certificate]. For implementations of
 * [iface@Transport].
 *
 * Returns: %TRUE if a handler accepted the certificate
 *
 * Since: 1.0
 */
gboolean
missive_transport_emit_accept_certificate (MissiveTransport     *self,
                                           GTlsCertificate      *certificate,
                                           GTlsCertificateFlags  errors)
{
  gboolean accepted = FALSE;

  g_return_val_if_fail (MISSIVE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  g_signal_emit (self, signals[ACCEPT_CERTIFICATE], 0, certificate, errors, &accepted);
  return accepted;
}

/**
 * missive_transport_emit_tls_established:
 * @self: a transport
 *
 * Emits [signal@Transport::tls-established]. For implementations of
 * [iface@Transport].
 *
 * Since: 1.0
 */
void
missive_transport_emit_tls_established (MissiveTransport *self)
{
  g_return_if_fail (MISSIVE_IS_TRANSPORT (self));

  g_signal_emit (self, signals[TLS_ESTABLISHED], 0);
}

/**
 * missive_certificate_get_fingerprint:
 * @certificate: a certificate
 * @checksum_type: the digest to use, e.g. %G_CHECKSUM_SHA256
 *
 * Computes a certificate's fingerprint: the digest of its DER encoding, as
 * lower-case hex digits without separators (what `certtool` and `openssl
 * x509 -fingerprint` show, less the colons).
 *
 * Returns: (transfer full) (nullable): the fingerprint, or %NULL if the
 *   certificate has no DER data
 *
 * Since: 1.0
 */
char *
missive_certificate_get_fingerprint (GTlsCertificate *certificate,
                                     GChecksumType    checksum_type)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    return NULL;
  return g_compute_checksum_for_data (checksum_type, der->data, der->len);
}

/* ---- deadlines (private) ------------------------------------------------- */

struct _MissiveDeadline
{
  GCancellable *cancellable;
  GCancellable *parent;
  gulong parent_handler;
  GSource *timer;
  guint seconds;
  gboolean expired;
};

static void
on_deadline_parent_cancelled (GCancellable *parent,
                              gpointer      user_data)
{
  /* May run in any thread; g_cancellable_cancel() is thread-safe. */
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_deadline_expired (gpointer user_data)
{
  MissiveDeadline *deadline = user_data;

  deadline->expired = TRUE;
  g_cancellable_cancel (deadline->cancellable);
  return G_SOURCE_REMOVE;
}

/*
 * missive_deadline_new:
 * @parent: (nullable): the caller's cancellable
 * @seconds: the time limit; 0 for none
 *
 * Creates a cancellable for one step of an operation, cancelled along
 * with @parent or when @seconds have passed.
 */
MissiveDeadline *
missive_deadline_new (GCancellable *parent,
                      guint         seconds)
{
  MissiveDeadline *deadline = g_new0 (MissiveDeadline, 1);

  deadline->cancellable = g_cancellable_new ();
  deadline->seconds = seconds;
  if (parent != NULL)
    {
      deadline->parent = g_object_ref (parent);
      deadline->parent_handler =
        g_cancellable_connect (parent, G_CALLBACK (on_deadline_parent_cancelled),
                               g_object_ref (deadline->cancellable), g_object_unref);
    }
  if (seconds > 0)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      deadline->timer = g_timeout_source_new ((guint) MIN ((guint64) seconds * 1000, G_MAXUINT));
      g_source_set_static_name (deadline->timer, "[missive] deadline");
      g_source_set_callback (deadline->timer, on_deadline_expired, deadline, NULL);
      g_source_attach (deadline->timer, context);
    }
  return deadline;
}

GCancellable *
missive_deadline_get_cancellable (MissiveDeadline *deadline)
{
  return deadline->cancellable;
}

gboolean
missive_deadline_has_expired (MissiveDeadline *deadline)
{
  return deadline->expired;
}

/* Cancels the step without it counting as a time-out (e.g. close() while
 * connecting). */
void
missive_deadline_cancel (MissiveDeadline *deadline)
{
  g_cancellable_cancel (deadline->cancellable);
}

/*
 * missive_deadline_translate_error:
 * @deadline: the deadline the step ran under
 * @error: (transfer full): the step's error
 * @what: (nullable): the step, for the time-out message ("TLS handshake")
 *
 * Returns: (transfer full): %MISSIVE_ERROR_TIMED_OUT if the timer ended
 *   the step, %G_IO_ERROR_CANCELLED if a cancellation did, else @error
 *   translated by missive_error_from_io_error().
 */
GError *
missive_deadline_translate_error (MissiveDeadline *deadline,
                                  GError          *error,
                                  const char      *what)
{
  G_GNUC_UNUSED g_autoptr(GError) owned = error;
  gboolean parent_cancelled = deadline->parent != NULL &&
                              g_cancellable_is_cancelled (deadline->parent);

  if (deadline->expired && !parent_cancelled &&
      (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
    return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_TIMED_OUT,
                        "%s timed out after %u seconds",
                        what != NULL ? what : "The operation", deadline->seconds);

  return missive_error_from_io_error (error);
}

void
missive_deadline_free (MissiveDeadline *deadline)
{
  if (deadline == NULL)
    return;

  if (deadline->timer != NULL)
    {
      g_source_destroy (deadline->timer);
      g_source_unref (deadline->timer);
    }
  if (deadline->parent != NULL)
    {
      g_cancellable_disconnect (deadline->parent, deadline->parent_handler);
      g_object_unref (deadline->parent);
    }
  g_object_unref (deadline->cancellable);
  g_free (deadline);
}

/* ---- the TLS handshake (private) ----------------------------------------- */

/* Attached to a GTlsConnection for its whole life (a renegotiation would
 * ask again); holds the transport weakly, since the transport owns the
 * connection. */
typedef struct
{
  GWeakRef transport;
  GTlsCertificate *pinned;
} VerifyData;

static void
verify_data_free (gpointer  data,
                  GClosure *closure)
{
  VerifyData *verify = data;

  g_weak_ref_clear (&verify->transport);
  g_clear_object (&verify->pinned);
  g_free (verify);
}

static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *peer_certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  VerifyData *verify = user_data;
  g_autoptr(MissiveTransport) transport = NULL;

  /* A pin replaces the CA check and the application's judgement: exactly
   * the pinned certificate passes. */
  if (verify->pinned != NULL)
    return g_tls_certificate_is_same (peer_certificate, verify->pinned);

  transport = g_weak_ref_get (&verify->transport);
  if (transport == NULL)
    return FALSE;
  return missive_transport_emit_accept_certificate (transport, peer_certificate, errors);
}

typedef struct
{
  GTlsConnection *connection;
  MissiveDeadline *deadline;
  GTlsCertificate *pinned;
} HandshakeData;

static void
handshake_data_free (gpointer data)
{
  HandshakeData *handshake = data;

  g_clear_object (&handshake->connection);
  g_clear_pointer (&handshake->deadline, missive_deadline_free);
  g_clear_object (&handshake->pinned);
  g_free (handshake);
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HandshakeData *handshake = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (handshake->connection, result, &error))
    {
      g_task_return_error (task, missive_deadline_translate_error (handshake->deadline,
                                                                   error, "The TLS handshake"));
      return;
    }

  /* A certificate that verified against the CAs still has to be the
   * pinned one. */
  if (handshake->pinned != NULL)
    {
      GTlsCertificate *peer = g_tls_connection_get_peer_certificate (handshake->connection);

      if (peer == NULL || !g_tls_certificate_is_same (peer, handshake->pinned))
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED,
                                   "The server's certificate is not the pinned certificate");
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&handshake->connection), g_object_unref);
}

/*
 * missive_tls_handshake_async:
 * @transport: the transport the handshake is for; it emits
 *   MissiveTransport::accept-certificate
 * @base_stream: the plain stream to protect; it must be pollable
 * @settings: how to verify the server, and the time limit
 *
 * Wraps @base_stream in a GTlsClientConnection and runs the handshake.
 * Verification stays on: certificates that fail it go through the pin, or
 * else the transport's accept-certificate signal. The caller installs the
 * returned connection and emits tls-established.
 */
void
missive_tls_handshake_async (MissiveTransport         *transport,
                             GIOStream                *base_stream,
                             const MissiveTlsSettings *settings,
                             int                       io_priority,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(GError) error = NULL;
  HandshakeData *handshake;
  VerifyData *verify;

  g_return_if_fail (MISSIVE_IS_TRANSPORT (transport));
  g_return_if_fail (G_IS_IO_STREAM (base_stream));
  g_return_if_fail (settings != NULL);

  task = g_task_new (transport, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_tls_handshake_async);
  g_task_set_priority (task, io_priority);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_TLS_UNAVAILABLE,
                               "TLS is not available: GIO has no TLS backend "
                               "(is glib-networking installed?)");
      return;
    }

  if (settings->server_identity != NULL)
    identity = g_network_address_new (settings->server_identity, settings->port);

  connection = g_tls_client_connection_new (base_stream, identity, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, missive_error_from_io_error (error));
      return;
    }

  if (settings->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), settings->database);
  if (settings->client_certificate != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (connection),
                                      settings->client_certificate);
  if (settings->interaction != NULL)
    g_tls_connection_set_interaction (G_TLS_CONNECTION (connection), settings->interaction);

  verify = g_new0 (VerifyData, 1);
  g_weak_ref_init (&verify->transport, transport);
  g_set_object (&verify->pinned, settings->pinned_certificate);
  g_signal_connect_data (connection, "accept-certificate",
                         G_CALLBACK (on_accept_certificate), verify,
                         verify_data_free, 0);

  handshake = g_new0 (HandshakeData, 1);
  handshake->connection = G_TLS_CONNECTION (g_steal_pointer (&connection));
  handshake->deadline = missive_deadline_new (cancellable, settings->timeout);
  g_set_object (&handshake->pinned, settings->pinned_certificate);
  g_task_set_task_data (task, handshake, handshake_data_free);

  g_tls_connection_handshake_async (handshake->connection, io_priority,
                                    missive_deadline_get_cancellable (handshake->deadline),
                                    on_handshake_done, g_steal_pointer (&task));
}

/*
 * missive_tls_handshake_finish:
 *
 * Returns: (transfer full): the established TLS connection, or %NULL with
 *   @error set in the MISSIVE_ERROR domain (or G_IO_ERROR_CANCELLED)
 */
GTlsConnection *
missive_tls_handshake_finish (MissiveTransport  *transport,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == missive_tls_handshake_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
