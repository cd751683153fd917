/* missive-crypto-key.h: an OpenPGP key or an X.509 certificate in a keyring
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
 * MissiveKeyValidity:
 * @MISSIVE_KEY_VALIDITY_UNKNOWN: nothing is known about the key's validity
 * @MISSIVE_KEY_VALIDITY_UNDEFINED: the key's validity was not computed
 *   (no trust path to it)
 * @MISSIVE_KEY_VALIDITY_NEVER: the key must not be trusted
 * @MISSIVE_KEY_VALIDITY_MARGINAL: the key is marginally valid
 * @MISSIVE_KEY_VALIDITY_FULL: the key is fully valid (for S/MIME: the
 *   certificate chain leads to a trusted root)
 * @MISSIVE_KEY_VALIDITY_ULTIMATE: the key is one of the user's own
 *
 * How much the keyring trusts that a key (or a user id of it) belongs to
 * its owner, as GnuPG computes it from the web of trust or the
 * certificate chain.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_KEY_VALIDITY_UNKNOWN,
  MISSIVE_KEY_VALIDITY_UNDEFINED,
  MISSIVE_KEY_VALIDITY_NEVER,
  MISSIVE_KEY_VALIDITY_MARGINAL,
  MISSIVE_KEY_VALIDITY_FULL,
  MISSIVE_KEY_VALIDITY_ULTIMATE,
} MissiveKeyValidity;

/**
 * MissiveKeyCapabilities:
 * @MISSIVE_KEY_CAPABILITIES_NONE: the key can do nothing (e.g. it is
 *   expired or revoked)
 * @MISSIVE_KEY_CAPABILITIES_ENCRYPT: the key (or a subkey) can encrypt
 * @MISSIVE_KEY_CAPABILITIES_SIGN: the key (or a subkey) can sign data
 * @MISSIVE_KEY_CAPABILITIES_CERTIFY: the key can certify other keys
 * @MISSIVE_KEY_CAPABILITIES_AUTHENTICATE: the key (or a subkey) can
 *   authenticate
 *
 * What a key can be used for.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  MISSIVE_KEY_CAPABILITIES_NONE         = 0,
  MISSIVE_KEY_CAPABILITIES_ENCRYPT      = 1 << 0,
  MISSIVE_KEY_CAPABILITIES_SIGN         = 1 << 1,
  MISSIVE_KEY_CAPABILITIES_CERTIFY      = 1 << 2,
  MISSIVE_KEY_CAPABILITIES_AUTHENTICATE = 1 << 3,
} MissiveKeyCapabilities;

#define MISSIVE_TYPE_CRYPTO_KEY (missive_crypto_key_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveCryptoKey, missive_crypto_key, MISSIVE, CRYPTO_KEY, GObject)

MISSIVE_AVAILABLE_IN_1_0
const char             *missive_crypto_key_get_fingerprint   (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_crypto_key_get_key_id        (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char * const     *missive_crypto_key_get_user_ids      (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char * const     *missive_crypto_key_get_emails        (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveKeyValidity      missive_crypto_key_get_validity      (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveKeyCapabilities  missive_crypto_key_get_capabilities  (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
GDateTime              *missive_crypto_key_get_created       (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
GDateTime              *missive_crypto_key_get_expires       (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean                missive_crypto_key_get_has_secret    (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean                missive_crypto_key_get_expired       (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean                missive_crypto_key_get_revoked       (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean                missive_crypto_key_get_disabled      (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_crypto_key_get_algorithm     (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
guint                   missive_crypto_key_get_length        (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_crypto_key_get_issuer        (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_crypto_key_get_serial        (MissiveCryptoKey *self);
MISSIVE_AVAILABLE_IN_1_0
const char             *missive_crypto_key_get_chain_id      (MissiveCryptoKey *self);

G_END_DECLS
