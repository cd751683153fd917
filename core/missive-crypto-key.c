/* missive-crypto-key.c: a key or certificate in a keyring
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveCryptoKey:
 *
 * A key in a keyring, as [method@CryptoContext.list_keys] lists it: an
 * OpenPGP key with its user ids and subkeys' capabilities, or an X.509
 * certificate (S/MIME) with its subject as user id, its issuer and serial
 * number. Crypto backends create them with g_object_new() and the
 * construct-only properties; applications only read them.
 *
 * Since: 1.0
 */

struct _MissiveCryptoKey
{
  GObject parent_instance;

  char *fingerprint;
  char *key_id;
  char **user_ids;
  char **emails;
  MissiveKeyValidity validity;
  MissiveKeyCapabilities capabilities;
  GDateTime *created;
  GDateTime *expires;
  gboolean has_secret;
  gboolean expired;
  gboolean revoked;
  gboolean disabled;
  char *algorithm;
  guint length;
  char *issuer;
  char *serial;
  char *chain_id;
};

enum {
  PROP_0,
  PROP_FINGERPRINT,
  PROP_KEY_ID,
  PROP_USER_IDS,
  PROP_EMAILS,
  PROP_VALIDITY,
  PROP_CAPABILITIES,
  PROP_CREATED,
  PROP_EXPIRES,
  PROP_HAS_SECRET,
  PROP_EXPIRED,
  PROP_REVOKED,
  PROP_DISABLED,
  PROP_ALGORITHM,
  PROP_LENGTH,
  PROP_ISSUER,
  PROP_SERIAL,
  PROP_CHAIN_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveCryptoKey, missive_crypto_key, G_TYPE_OBJECT)

static void
missive_crypto_key_finalize (GObject *object)
{
  MissiveCryptoKey *self = MISSIVE_CRYPTO_KEY (object);

  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->user_ids, g_strfreev);
  g_clear_pointer (&self->emails, g_strfreev);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_pointer (&self->algorithm, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->chain_id, g_free);

  G_OBJECT_CLASS (missive_crypto_key_parent_class)->finalize (object);
}

static void
missive_crypto_key_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MissiveCryptoKey *self = MISSIVE_CRYPTO_KEY (object);

  switch (prop_id)
    {
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case PROP_KEY_ID:
      g_value_set_string (value, self->key_id);
      break;
    case PROP_USER_IDS:
      g_value_set_boxed (value, self->user_ids);
      break;
    case PROP_EMAILS:
      g_value_set_boxed (value, self->emails);
      break;
    case PROP_VALIDITY:
      g_value_set_enum (value, self->validity);
      break;
    case PROP_CAPABILITIES:
      g_value_set_flags (value, self->capabilities);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;
    case PROP_HAS_SECRET:
      g_value_set_boolean (value, self->has_secret);
      break;
    case PROP_EXPIRED:
      g_value_set_boolean (value, self->expired);
      break;
    case PROP_REVOKED:
      g_value_set_boolean (value, self->revoked);
      break;
    case PROP_DISABLED:
      g_value_set_boolean (value, self->disabled);
      break;
    case PROP_ALGORITHM:
      g_value_set_string (value, self->algorithm);
      break;
    case PROP_LENGTH:
      g_value_set_uint (value, self->length);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_CHAIN_ID:
      g_value_set_string (value, self->chain_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_crypto_key_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MissiveCryptoKey *self = MISSIVE_CRYPTO_KEY (object);

  switch (prop_id)
    {
    case PROP_FINGERPRINT:
      self->fingerprint = g_value_dup_string (value);
      break;
    case PROP_KEY_ID:
      self->key_id = g_value_dup_string (value);
      break;
    case PROP_USER_IDS:
      self->user_ids = g_value_dup_boxed (value);
      break;
    case PROP_EMAILS:
      self->emails = g_value_dup_boxed (value);
      break;
    case PROP_VALIDITY:
      self->validity = g_value_get_enum (value);
      break;
    case PROP_CAPABILITIES:
      self->capabilities = g_value_get_flags (value);
      break;
    case PROP_CREATED:
      self->created = g_value_dup_boxed (value);
      break;
    case PROP_EXPIRES:
      self->expires = g_value_dup_boxed (value);
      break;
    case PROP_HAS_SECRET:
      self->has_secret = g_value_get_boolean (value);
      break;
    case PROP_EXPIRED:
      self->expired = g_value_get_boolean (value);
      break;
    case PROP_REVOKED:
      self->revoked = g_value_get_boolean (value);
      break;
    case PROP_DISABLED:
      self->disabled = g_value_get_boolean (value);
      break;
    case PROP_ALGORITHM:
      self->algorithm = g_value_dup_string (value);
      break;
    case PROP_LENGTH:
      self->length = g_value_get_uint (value);
      break;
    case PROP_ISSUER:
      self->issuer = g_value_dup_string (value);
      break;
    case PROP_SERIAL:
      self->serial = g_value_dup_string (value);
      break;
    case PROP_CHAIN_ID:
      self->chain_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_crypto_key_class_init (MissiveCryptoKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_crypto_key_finalize;
  object_class->get_property = missive_crypto_key_get_property;
  object_class->set_property = missive_crypto_key_set_property;

  /**
   * MissiveCryptoKey:fingerprint:
   *
   * The fingerprint of the (primary) key, in upper-case hex digits.
   *
   * Since: 1.0
   */
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:key-id:
   *
   * The key id: for OpenPGP the last 16 hex digits of the fingerprint, for
   * X.509 the same short form gpgsm shows.
   *
   * Since: 1.0
   */
  properties[PROP_KEY_ID] =
    g_param_spec_string ("key-id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:user-ids:
   *
   * The user ids of the key, the primary first ("Alice
   * <alice@example.org>"); for a certificate its subject and alternative
   * names.
   *
   * Since: 1.0
   */
  properties[PROP_USER_IDS] =
    g_param_spec_boxed ("user-ids", NULL, NULL, G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:emails:
   *
   * The e-mail addresses of the user ids, in the same order, without
   * duplicates.
   *
   * Since: 1.0
   */
  properties[PROP_EMAILS] =
    g_param_spec_boxed ("emails", NULL, NULL, G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:validity:
   *
   * How far the keyring trusts that the key belongs to its (primary) user
   * id.
   *
   * Since: 1.0
   */
  properties[PROP_VALIDITY] =
    g_param_spec_enum ("validity", NULL, NULL, MISSIVE_TYPE_KEY_VALIDITY, MISSIVE_KEY_VALIDITY_UNKNOWN, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:capabilities:
   *
   * What the key can be used for now (capabilities of expired or revoked
   * subkeys are left out).
   *
   * Since: 1.0
   */
  properties[PROP_CAPABILITIES] =
    g_param_spec_flags ("capabilities", NULL, NULL, MISSIVE_TYPE_KEY_CAPABILITIES, MISSIVE_KEY_CAPABILITIES_NONE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:created:
   *
   * When the key was created, or %NULL when unknown.
   *
   * Since: 1.0
   */
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:expires:
   *
   * When the key expires, or %NULL when it never does.
   *
   * Since: 1.0
   */
  properties[PROP_EXPIRES] =
    g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:has-secret:
   *
   * Whether the secret key is available (in the keyring or on a smartcard).
   *
   * Since: 1.0
   */
  properties[PROP_HAS_SECRET] =
    g_param_spec_boolean ("has-secret", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:expired:
   *
   * Whether the key has expired.
   *
   * Since: 1.0
   */
  properties[PROP_EXPIRED] =
    g_param_spec_boolean ("expired", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:revoked:
   *
   * Whether the key was revoked.
   *
   * Since: 1.0
   */
  properties[PROP_REVOKED] =
    g_param_spec_boolean ("revoked", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:disabled:
   *
   * Whether the key is disabled in the keyring.
   *
   * Since: 1.0
   */
  properties[PROP_DISABLED] =
    g_param_spec_boolean ("disabled", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:algorithm:
   *
   * The public-key algorithm of the primary key, e.g. "RSA" or "EdDSA".
   *
   * Since: 1.0
   */
  properties[PROP_ALGORITHM] =
    g_param_spec_string ("algorithm", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:length:
   *
   * The length of the primary key in bits.
   *
   * Since: 1.0
   */
  properties[PROP_LENGTH] =
    g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:issuer:
   *
   * X.509 only: the distinguished name of the certificate issuer.
   *
   * Since: 1.0
   */
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:serial:
   *
   * X.509 only: the certificate serial number, in hex digits.
   *
   * Since: 1.0
   */
  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoKey:chain-id:
   *
   * X.509 only: the fingerprint of the issuer certificate, when it is in the
   * keyring.
   *
   * Since: 1.0
   */
  properties[PROP_CHAIN_ID] =
    g_param_spec_string ("chain-id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_crypto_key_init (MissiveCryptoKey *self)
{
}

/**
 * missive_crypto_key_get_fingerprint:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:fingerprint].
 *
 * Returns: (nullable): the fingerprint of the (primary) key, in upper-case hex digits
 *
 * Since: 1.0
 */
const char *
missive_crypto_key_get_fingerprint (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->fingerprint;
}

/**
 * missive_crypto_key_get_key_id:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:key-id].
 *
 * Returns: (nullable): the key id: for OpenPGP the last 16 hex digits of the fingerprint,
 *   for X.509 the same short form gpgsm shows
 *
 * Since: 1.0
 */
const char *
missive_crypto_key_get_key_id (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->key_id;
}

/**
 * missive_crypto_key_get_user_ids:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:user-ids].
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the user ids of the key, the primary first ("Alice
 *   <alice@example.org>"); for a certificate its subject and
 *   alternative names
 *
 * Since: 1.0
 */
const char * const *
missive_crypto_key_get_user_ids (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return (const char * const *) self->user_ids;
}

/**
 * missive_crypto_key_get_emails:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:emails].
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the e-mail addresses of the user ids, in the same order, without
 *   duplicates
 *
 * Since: 1.0
 */
const char * const *
missive_crypto_key_get_emails (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return (const char * const *) self->emails;
}

/**
 * missive_crypto_key_get_validity:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:validity].
 *
 * Returns:: how far the keyring trusts that the key belongs to its (primary)
 *   user id
 *
 * Since: 1.0
 */
MissiveKeyValidity
missive_crypto_key_get_validity (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), 0);

  return self->validity;
}

/**
 * missive_crypto_key_get_capabilities:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:capabilities].
 *
 * Returns:: what the key can be used for now (capabilities of expired or
 *   revoked subkeys are left out)
 *
 * Since: 1.0
 */
MissiveKeyCapabilities
missive_crypto_key_get_capabilities (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), 0);

  return self->capabilities;
}

/**
 * missive_crypto_key_get_created:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:created].
 *
 * Returns: (nullable) (transfer none): when the key was created, or %NULL when unknown
 *
 * Since: 1.0
 */
GDateTime *
missive_crypto_key_get_created (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->created;
}

/**
 * missive_crypto_key_get_expires:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:expires].
 *
 * Returns: (nullable) (transfer none): when the key expires, or %NULL when it never does
 *
 * Since: 1.0
 */
GDateTime *
missive_crypto_key_get_expires (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->expires;
}

/**
 * missive_crypto_key_get_has_secret:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:has-secret].
 *
 * Returns:: whether the secret key is available (in the keyring or on a
 *   smartcard)
 *
 * Since: 1.0
 */
gboolean
missive_crypto_key_get_has_secret (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), FALSE);

  return self->has_secret;
}

/**
 * missive_crypto_key_get_expired:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:expired].
 *
 * Returns:: whether the key has expired
 *
 * Since: 1.0
 */
gboolean
missive_crypto_key_get_expired (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), FALSE);

  return self->expired;
}

/**
 * missive_crypto_key_get_revoked:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:revoked].
 *
 * Returns:: whether the key was revoked
 *
 * Since: 1.0
 */
gboolean
missive_crypto_key_get_revoked (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), FALSE);

  return self->revoked;
}

/**
 * missive_crypto_key_get_disabled:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:disabled].
 *
 * Returns:: whether the key is disabled in the keyring
 *
 * Since: 1.0
 */
gboolean
missive_crypto_key_get_disabled (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), FALSE);

  return self->disabled;
}

/**
 * missive_crypto_key_get_algorithm:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:algorithm].
 *
 * Returns: (nullable): the public-key algorithm of the primary key, e.g. "RSA" or "EdDSA"
 *
 * Since: 1.0
 */
const char *
missive_crypto_key_get_algorithm (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->algorithm;
}

/**
 * missive_crypto_key_get_length:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:length].
 *
 * Returns:: the length of the primary key in bits
 *
 * Since: 1.0
 */
guint
missive_crypto_key_get_length (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), 0);

  return self->length;
}

/**
 * missive_crypto_key_get_issuer:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:issuer].
 *
 * Returns: (nullable): x.509 only: the distinguished name of the certificate issuer
 *
 * Since: 1.0
 */
const char *
missive_crypto_key_get_issuer (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->issuer;
}

/**
 * missive_crypto_key_get_serial:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:serial].
 *
 * Returns: (nullable): x.509 only: the certificate serial number, in hex digits
 *
 * Since: 1.0
 */
const char *
missive_crypto_key_get_serial (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->serial;
}

/**
 * missive_crypto_key_get_chain_id:
 * @self: a #MissiveCryptoKey
 *
 * Gets [property@CryptoKey:chain-id].
 *
 * Returns: (nullable): x.509 only: the fingerprint of the issuer certificate, when it is
 *   in the keyring
 *
 * Since: 1.0
 */
const char *
missive_crypto_key_get_chain_id (MissiveCryptoKey *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_KEY (self), NULL);

  return self->chain_id;
}
