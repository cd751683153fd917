/* missive-error.h: the MISSIVE_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

/**
 * MISSIVE_ERROR:
 *
 * The error domain of Missive. Errors in this domain are from the
 * [enum@Error] enumeration. Errors that come from a server's reply carry the
 * reply's details, readable with [func@Missive.Error.get_server_code] and friends.
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED, as everywhere in GIO.
 *
 * Since: 1.0
 */
#define MISSIVE_ERROR (missive_error_quark ())

/**
 * MissiveError:
 * @MISSIVE_ERROR_FAILED: a failure with no more specific code
 * @MISSIVE_ERROR_INVALID_ARGUMENT: the caller passed a value that cannot be
 *   used, e.g. a name containing CR, LF or NUL
 * @MISSIVE_ERROR_UNKNOWN_SCHEME: no plugin handles this URI scheme
 * @MISSIVE_ERROR_UNKNOWN_MECHANISM: no SASL mechanism of this name is available
 * @MISSIVE_ERROR_UNKNOWN_BACKEND: no crypto backend of this name is available
 * @MISSIVE_ERROR_INVALID_STATE: the object is not in a state that allows the
 *   call (not open, already open, busy)
 * @MISSIVE_ERROR_CONNECTION_REFUSED: the server could not be reached
 * @MISSIVE_ERROR_CONNECTION_LOST: the connection closed unexpectedly
 * @MISSIVE_ERROR_TIMED_OUT: a connect, handshake or read took too long
 * @MISSIVE_ERROR_TLS_FAILED: the TLS handshake or a TLS record failed
 * @MISSIVE_ERROR_CERTIFICATE_REJECTED: the server's certificate was not
 *   trusted, did not match the host name or the pinned certificate
 * @MISSIVE_ERROR_TLS_UNAVAILABLE: TLS was requested but GIO has no TLS
 *   backend (glib-networking is missing)
 * @MISSIVE_ERROR_STARTTLS_UNAVAILABLE: STARTTLS was required but the server
 *   does not offer it
 * @MISSIVE_ERROR_AUTHENTICATION_FAILED: the server refused the credentials,
 *   or failed to prove its own identity in a mutual mechanism
 * @MISSIVE_ERROR_MECHANISM_UNAVAILABLE: no SASL mechanism is usable: none in
 *   common, the requested one is not offered, or only plaintext ones are left
 *   on an unprotected connection
 * @MISSIVE_ERROR_PROTOCOL: the server broke the protocol (a reply that cannot
 *   be parsed, an unexpected line)
 * @MISSIVE_ERROR_SERVER_NO: the server answered NO (IMAP) or -ERR (POP3)
 * @MISSIVE_ERROR_SERVER_BAD: the server answered BAD (IMAP): it did not
 *   understand the command
 * @MISSIVE_ERROR_SERVER_TEMPORARY: the server answered with a transient
 *   failure (SMTP 4xx); trying again later may work
 * @MISSIVE_ERROR_SERVER_PERMANENT: the server answered with a permanent
 *   failure (SMTP 5xx)
 * @MISSIVE_ERROR_NOT_SUPPORTED: the protocol, the server or the plugin cannot
 *   do this
 * @MISSIVE_ERROR_LINE_TOO_LONG: the server sent a line longer than the limit
 * @MISSIVE_ERROR_LITERAL_TOO_LARGE: the server announced more data than the
 *   limit allows
 * @MISSIVE_ERROR_PLUGIN: a plugin could not be loaded or is broken
 * @MISSIVE_ERROR_MALFORMED_RESPONSE: the server's reply to this command
 *   could not be understood, but it was read to its end: the command
 *   failed, the connection stays usable (unlike %MISSIVE_ERROR_PROTOCOL,
 *   after which the client and server are out of step and the connection
 *   is closed)
 * @MISSIVE_ERROR_MESSAGE_TOO_LARGE: the message is larger than the server
 *   accepts (SMTP SIZE); nothing was sent
 * @MISSIVE_ERROR_RECIPIENTS_REJECTED: the server refused every recipient,
 *   or a recipient the send options said must not be refused; nothing was
 *   sent
 * @MISSIVE_ERROR_DELIVERY_UNCERTAIN: the connection was lost (or the
 *   operation cancelled) after the whole message went out but before the
 *   server's final reply: the server may or may not have accepted it. A
 *   queue that sends again risks a duplicate, which SMTP allows (RFC 1047)
 * @MISSIVE_ERROR_BAD_PASSPHRASE: the passphrase given for a secret key was
 *   wrong, every time the crypto backend asked for it
 * @MISSIVE_ERROR_KEY_NOT_FOUND: no usable key (or certificate) was found
 *   for a signer or recipient: none in the keyring, or only expired,
 *   revoked or untrusted ones
 * @MISSIVE_ERROR_DECRYPTION_FAILED: the message could not be decrypted:
 *   it is not encrypted to any secret key we have, or it is damaged
 * @MISSIVE_ERROR_INVALID_MESSAGE: the message is not signed or encrypted
 *   in a form the crypto backend understands, or its structure is broken
 *   (a missing part, a wrong protocol parameter, truncated armour)
 *
 * Error codes in the %MISSIVE_ERROR domain.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_ERROR_FAILED,
  MISSIVE_ERROR_INVALID_ARGUMENT,
  MISSIVE_ERROR_UNKNOWN_SCHEME,
  MISSIVE_ERROR_UNKNOWN_MECHANISM,
  MISSIVE_ERROR_UNKNOWN_BACKEND,
  MISSIVE_ERROR_INVALID_STATE,
  MISSIVE_ERROR_CONNECTION_REFUSED,
  MISSIVE_ERROR_CONNECTION_LOST,
  MISSIVE_ERROR_TIMED_OUT,
  MISSIVE_ERROR_TLS_FAILED,
  MISSIVE_ERROR_CERTIFICATE_REJECTED,
  MISSIVE_ERROR_TLS_UNAVAILABLE,
  MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
  MISSIVE_ERROR_AUTHENTICATION_FAILED,
  MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
  MISSIVE_ERROR_PROTOCOL,
  MISSIVE_ERROR_SERVER_NO,
  MISSIVE_ERROR_SERVER_BAD,
  MISSIVE_ERROR_SERVER_TEMPORARY,
  MISSIVE_ERROR_SERVER_PERMANENT,
  MISSIVE_ERROR_NOT_SUPPORTED,
  MISSIVE_ERROR_LINE_TOO_LONG,
  MISSIVE_ERROR_LITERAL_TOO_LARGE,
  MISSIVE_ERROR_PLUGIN,
  MISSIVE_ERROR_MALFORMED_RESPONSE,
  MISSIVE_ERROR_MESSAGE_TOO_LARGE,
  MISSIVE_ERROR_RECIPIENTS_REJECTED,
  MISSIVE_ERROR_DELIVERY_UNCERTAIN,
  MISSIVE_ERROR_BAD_PASSPHRASE,
  MISSIVE_ERROR_KEY_NOT_FOUND,
  MISSIVE_ERROR_DECRYPTION_FAILED,
  MISSIVE_ERROR_INVALID_MESSAGE,
} MissiveError;

MISSIVE_AVAILABLE_IN_1_0
GQuark        missive_error_quark               (void);

MISSIVE_AVAILABLE_IN_1_0
guint         missive_error_get_server_code     (const GError *error);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_error_get_server_text     (const GError *error);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_error_get_enhanced_status (const GError *error);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_error_get_response_code   (const GError *error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_error_set_server_reply    (GError     *error,
                                                 guint       code,
                                                 const char *enhanced_status,
                                                 const char *response_code,
                                                 const char *text);

MISSIVE_AVAILABLE_IN_1_0
GError       *missive_error_from_io_error       (const GError *error);

G_END_DECLS
