/* missive-signature.c: one signature found by a verification
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveSignature:
 *
 * One signature checked by [method@CryptoContext.verify] or
 * [method@CryptoContext.decrypt_and_verify]: its
 * [property@Signature:status], who made it (fingerprint, user id or
 * certificate subject, issuer and serial), when, and with which
 * algorithms. Crypto backends create them with g_object_new() and the
 * construct-only properties; applications only read them.
 *
 * Since: 1.0
 */

struct _MissiveSignature
{
  GObject parent_instance;

  MissiveSignatureStatus status;
  char *status_text;
  char *fingerprint;
  char *user_id;
  char *email;
  char *issuer;
  char *serial;
  GDateTime *signing_time;
  GDateTime *expiration_time;
  char *hash_algorithm;
  char *public_key_algorithm;
  MissiveKeyValidity validity;
  MissiveCryptoKey *key;
  GListModel *chain;
};

enum {
  PROP_0,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_FINGERPRINT,
  PROP_USER_ID,
  PROP_EMAIL,
  PROP_ISSUER,
  PROP_SERIAL,
  PROP_SIGNING_TIME,
  PROP_EXPIRATION_TIME,
  PROP_HASH_ALGORITHM,
  PROP_PUBLIC_KEY_ALGORITHM,
  PROP_VALIDITY,
  PROP_KEY,
  PROP_CHAIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveSignature, missive_signature, G_TYPE_OBJECT)

static void
missive_signature_finalize (GObject *object)
{
  MissiveSignature *self = MISSIVE_SIGNATURE (object);

  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  g_clear_pointer (&self->expiration_time, g_date_time_unref);
  g_clear_pointer (&self->hash_algorithm, g_free);
  g_clear_pointer (&self->public_key_algorithm, g_free);
  g_clear_object (&self->key);
  g_clear_object (&self->chain);

  G_OBJECT_CLASS (missive_signature_parent_class)->finalize (object);
}

static void
missive_signature_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MissiveSignature *self = MISSIVE_SIGNATURE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_SIGNING_TIME:
      g_value_set_boxed (value, self->signing_time);
      break;
    case PROP_EXPIRATION_TIME:
      g_value_set_boxed (value, self->expiration_time);
      break;
    case PROP_HASH_ALGORITHM:
      g_value_set_string (value, self->hash_algorithm);
      break;
    case PROP_PUBLIC_KEY_ALGORITHM:
      g_value_set_string (value, self->public_key_algorithm);
      break;
    case PROP_VALIDITY:
      g_value_set_enum (value, self->validity);
      break;
    case PROP_KEY:
      g_value_set_object (value, self->key);
      break;
    case PROP_CHAIN:
      g_value_set_object (value, self->chain);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_signature_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MissiveSignature *self = MISSIVE_SIGNATURE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      self->status = g_value_get_enum (value);
      break;
    case PROP_STATUS_TEXT:
      self->status_text = g_value_dup_string (value);
      break;
    case PROP_FINGERPRINT:
      self->fingerprint = g_value_dup_string (value);
      break;
    case PROP_USER_ID:
      self->user_id = g_value_dup_string (value);
      break;
    case PROP_EMAIL:
      self->email = g_value_dup_string (value);
      break;
    case PROP_ISSUER:
      self->issuer = g_value_dup_string (value);
      break;
    case PROP_SERIAL:
      self->serial = g_value_dup_string (value);
      break;
    case PROP_SIGNING_TIME:
      self->signing_time = g_value_dup_boxed (value);
      break;
    case PROP_EXPIRATION_TIME:
      self->expiration_time = g_value_dup_boxed (value);
      break;
    case PROP_HASH_ALGORITHM:
      self->hash_algorithm = g_value_dup_string (value);
      break;
    case PROP_PUBLIC_KEY_ALGORITHM:
      self->public_key_algorithm = g_value_dup_string (value);
      break;
    case PROP_VALIDITY:
      self->validity = g_value_get_enum (value);
      break;
    case PROP_KEY:
      self->key = g_value_dup_object (value);
      break;
    case PROP_CHAIN:
      self->chain = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_signature_class_init (MissiveSignatureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_signature_finalize;
  object_class->get_property = missive_signature_get_property;
  object_class->set_property = missive_signature_set_property;

  /**
   * MissiveSignature:status:
   *
   * The outcome of the check.
   *
   * Since: 1.0
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, MISSIVE_TYPE_SIGNATURE_STATUS, MISSIVE_SIGNATURE_STATUS_ERROR, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:status-text:
   *
   * A description of the outcome, for people (e.g. GnuPG's error text for an
   * error).
   *
   * Since: 1.0
   */
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:fingerprint:
   *
   * The fingerprint of the signing key (or, when the key is not in the
   * keyring, the key id the signature names).
   *
   * Since: 1.0
   */
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:user-id:
   *
   * The primary user id of the signer's key, or the subject of the signer's
   * certificate; %NULL when the key is unknown.
   *
   * Since: 1.0
   */
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:email:
   *
   * The e-mail address of the signer, when known.
   *
   * Since: 1.0
   */
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:issuer:
   *
   * X.509 only: the issuer of the signer's certificate.
   *
   * Since: 1.0
   */
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:serial:
   *
   * X.509 only: the serial number of the signer's certificate, in hex
   * digits.
   *
   * Since: 1.0
   */
  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:signing-time:
   *
   * When the signature was made (as the signer's clock said), or %NULL when
   * not given.
   *
   * Since: 1.0
   */
  properties[PROP_SIGNING_TIME] =
    g_param_spec_boxed ("signing-time", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:expiration-time:
   *
   * When the signature expires, or %NULL when it never does.
   *
   * Since: 1.0
   */
  properties[PROP_EXPIRATION_TIME] =
    g_param_spec_boxed ("expiration-time", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:hash-algorithm:
   *
   * The hash algorithm, e.g. "SHA256".
   *
   * Since: 1.0
   */
  properties[PROP_HASH_ALGORITHM] =
    g_param_spec_string ("hash-algorithm", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:public-key-algorithm:
   *
   * The public-key algorithm, e.g. "EdDSA" or "RSA".
   *
   * Since: 1.0
   */
  properties[PROP_PUBLIC_KEY_ALGORITHM] =
    g_param_spec_string ("public-key-algorithm", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:validity:
   *
   * The validity of the signing key.
   *
   * Since: 1.0
   */
  properties[PROP_VALIDITY] =
    g_param_spec_enum ("validity", NULL, NULL, MISSIVE_TYPE_KEY_VALIDITY, MISSIVE_KEY_VALIDITY_UNKNOWN, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:key:
   *
   * The signing key as listed by the keyring, or %NULL when it is not in the
   * keyring.
   *
   * Since: 1.0
   */
  properties[PROP_KEY] =
    g_param_spec_object ("key", NULL, NULL, MISSIVE_TYPE_CRYPTO_KEY, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSignature:chain:
   *
   * X.509 only: the certificate chain from the signer's certificate up to
   * the root, as #MissiveCryptoKey objects; %NULL for OpenPGP.
   *
   * Since: 1.0
   */
  properties[PROP_CHAIN] =
    g_param_spec_object ("chain", NULL, NULL, G_TYPE_LIST_MODEL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_signature_init (MissiveSignature *self)
{
}

/**
 * missive_signature_get_status:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:status].
 *
 * Returns:: the outcome of the check
 *
 * Since: 1.0
 */
MissiveSignatureStatus
missive_signature_get_status (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), 0);

  return self->status;
}

/**
 * missive_signature_get_status_text:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:status-text].
 *
 * Returns: (nullable): a description of the outcome, for people (e.g. GnuPG's error text
 *   for an error)
 *
 * Since: 1.0
 */
const char *
missive_signature_get_status_text (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->status_text;
}

/**
 * missive_signature_get_fingerprint:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:fingerprint].
 *
 * Returns: (nullable): the fingerprint of the signing key (or, when the key is not in the
 *   keyring, the key id the signature names)
 *
 * Since: 1.0
 */
const char *
missive_signature_get_fingerprint (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->fingerprint;
}

/**
 * missive_signature_get_user_id:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:user-id].
 *
 * Returns: (nullable): the primary user id of the signer's key, or the subject of the
 *   signer's certificate; %NULL when the key is unknown
 *
 * Since: 1.0
 */
const char *
missive_signature_get_user_id (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->user_id;
}

/**
 * missive_signature_get_email:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:email].
 *
 * Returns: (nullable): the e-mail address of the signer, when known
 *
 * Since: 1.0
 */
const char *
missive_signature_get_email (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->email;
}

/**
 * missive_signature_get_issuer:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:issuer].
 *
 * Returns: (nullable): x.509 only: the issuer of the signer's certificate
 *
 * Since: 1.0
 */
const char *
missive_signature_get_issuer (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->issuer;
}

/**
 * missive_signature_get_serial:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:serial].
 *
 * Returns: (nullable): x.509 only: the serial number of the signer's certificate, in hex
 *   digits
 *
 * Since: 1.0
 */
const char *
missive_signature_get_serial (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->serial;
}

/**
 * missive_signature_get_signing_time:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:signing-time].
 *
 * Returns: (nullable) (transfer none): when the signature was made (as the signer's clock said), or %NULL
 *   when not given
 *
 * Since: 1.0
 */
GDateTime *
missive_signature_get_signing_time (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->signing_time;
}

/**
 * missive_signature_get_expiration_time:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:expiration-time].
 *
 * Returns: (nullable) (transfer none): when the signature expires, or %NULL when it never does
 *
 * Since: 1.0
 */
GDateTime *
missive_signature_get_expiration_time (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->expiration_time;
}

/**
 * missive_signature_get_hash_algorithm:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:hash-algorithm].
 *
 * Returns: (nullable): the hash algorithm, e.g. "SHA256"
 *
 * Since: 1.0
 */
const char *
missive_signature_get_hash_algorithm (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->hash_algorithm;
}

/**
 * missive_signature_get_public_key_algorithm:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:public-key-algorithm].
 *
 * Returns: (nullable): the public-key algorithm, e.g. "EdDSA" or "RSA"
 *
 * Since: 1.0
 */
const char *
missive_signature_get_public_key_algorithm (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->public_key_algorithm;
}

/**
 * missive_signature_get_validity:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:validity].
 *
 * Returns:: the validity of the signing key
 *
 * Since: 1.0
 */
MissiveKeyValidity
missive_signature_get_validity (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), 0);

  return self->validity;
}

/**
 * missive_signature_get_key:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:key].
 *
 * Returns: (nullable) (transfer none): the signing key as listed by the keyring, or %NULL when it is not
 *   in the keyring
 *
 * Since: 1.0
 */
MissiveCryptoKey *
missive_signature_get_key (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->key;
}

/**
 * missive_signature_get_chain:
 * @self: a #MissiveSignature
 *
 * Gets [property@Signature:chain].
 *
 * Returns: (nullable) (transfer none): X.509 only: the certificate chain from the signer's certificate up
 *   to the root, as #MissiveCryptoKey objects; %NULL for OpenPGP
 *
 * Since: 1.0
 */
GListModel *
missive_signature_get_chain (MissiveSignature *self)
{
  g_return_val_if_fail (MISSIVE_IS_SIGNATURE (self), NULL);

  return self->chain;
}
