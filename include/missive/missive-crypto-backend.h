/* missive-crypto-backend.h: helpers for crypto backend plugins
 *
 * Not part of the introspected API: only backends (crypto/openpgp,
 * crypto/smime, third-party plugins) need these. Include it after
 * <missive/missive-plugin.h>.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* Asks the application for the passphrase of a secret key by emitting
 * MissiveCryptoContext::passphrase-requested. Called from an operation's
 * worker thread, it emits the signal on the main context of the caller of
 * the operation and waits for the answer (or for @cancellable). Called
 * from any other thread it emits the signal there and then.
 *
 * Returns the passphrase (free it with missive_sasl_secret_free(), which
 * wipes it), or NULL when the application gave none or the operation was
 * cancelled: the backend then fails the operation. */
MISSIVE_AVAILABLE_IN_1_0
char        *missive_crypto_context_request_passphrase (MissiveCryptoContext *self,
                                                        const char           *key_id,
                                                        const char           *user_id,
                                                        gboolean              previous_was_bad,
                                                        GCancellable         *cancellable);

/* The mailboxes ("alice@example.org") of the From (with @from), or of the
 * To, Cc and Bcc headers of @message, in order, without duplicates. */
MISSIVE_AVAILABLE_IN_1_0
char       **missive_crypto_message_get_addresses      (GMimeMessage         *message,
                                                        gboolean              from);

/* A new message with the headers of @message (except MIME-Version and the
 * Content-* headers) and @mime_part as its body. */
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_message_new_with_part     (GMimeMessage         *message,
                                                        GMimeObject          *mime_part);

/* Writes @object as it will be transmitted (headers and body), with CRLF
 * line ends: the canonical form that signatures are computed over
 * (RFC 3156 section 5, RFC 8551 section 3.1.1). */
MISSIVE_AVAILABLE_IN_1_0
GBytes      *missive_crypto_object_to_canonical_bytes  (GMimeObject          *object);

/* Parses @data as a MIME entity (headers and body); NULL and @error on
 * failure. */
MISSIVE_AVAILABLE_IN_1_0
GMimeObject *missive_crypto_object_new_from_bytes      (GBytes               *data,
                                                        GError              **error);

/* The decoded content of a leaf part (transfer encoding removed). */
MISSIVE_AVAILABLE_IN_1_0
GBytes      *missive_crypto_part_get_content_bytes     (GMimePart            *part);

G_END_DECLS
