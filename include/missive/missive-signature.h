/* missive-signature.h: one signature found by a verification
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-crypto-key.h>

G_BEGIN_DECLS

/**
 * MissiveSignatureStatus:
 * @MISSIVE_SIGNATURE_STATUS_GOOD: the signature is valid and the signer's
 *   key is valid (trusted, see [property@Signature:validity])
 * @MISSIVE_SIGNATURE_STATUS_BAD: the signed data or the signature was
 *   changed: the signature does not match
 * @MISSIVE_SIGNATURE_STATUS_EXPIRED_SIGNATURE: the signature is valid but
 *   has expired
 * @MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY: the signature is valid but the
 *   signer's key (or certificate) has expired
 * @MISSIVE_SIGNATURE_STATUS_REVOKED_KEY: the signature is valid but the
 *   signer's key (or certificate) was revoked
 * @MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY: the signature is valid, but
 *   nothing says the key belongs to the user id it carries: the key is not
 *   certified in the web of trust, or (S/MIME) the certificate chain does
 *   not lead to a trusted root
 * @MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY: the signer's public key (or
 *   certificate) is not in the keyring: the signature cannot be checked
 * @MISSIVE_SIGNATURE_STATUS_ERROR: the signature could not be checked for
 *   another reason (see [property@Signature:status-text])
 *
 * The outcome of checking one signature.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_SIGNATURE_STATUS_GOOD,
  MISSIVE_SIGNATURE_STATUS_BAD,
  MISSIVE_SIGNATURE_STATUS_EXPIRED_SIGNATURE,
  MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY,
  MISSIVE_SIGNATURE_STATUS_REVOKED_KEY,
  MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY,
  MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY,
  MISSIVE_SIGNATURE_STATUS_ERROR,
} MissiveSignatureStatus;

#define MISSIVE_TYPE_SIGNATURE (missive_signature_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveSignature, missive_signature, MISSIVE, SIGNATURE, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveSignatureStatus  missive_signature_get_status               (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_status_text          (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_fingerprint          (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_user_id              (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_email                (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_issuer               (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_serial               (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
GDateTime              *missive_signature_get_signing_time         (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
GDateTime              *missive_signature_get_expiration_time      (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_hash_algorithm       (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_signature_get_public_key_algorithm (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveKeyValidity      missive_signature_get_validity             (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveCryptoKey       *missive_signature_get_key                  (MissiveSignature *self);
MISSIVE_AVAILABLE_IN_1_0
GListModel             *missive_signature_get_chain                (MissiveSignature *self);

G_END_DECLS
