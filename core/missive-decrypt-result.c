/* missive-decrypt-result.c: what a decryption found out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveDecryptResult:
 *
 * What [method@CryptoContext.decrypt] and
 * [method@CryptoContext.decrypt_and_verify] found out besides the
 * plaintext: the recipients the message was encrypted to, the key that
 * decrypted it, the cipher, and the signatures inside (only checked by
 * decrypt_and_verify). Crypto backends create them with g_object_new()
 * and the construct-only properties.
 *
 * Since: 1.0
 */

struct _MissiveDecryptResult
{
  GObject parent_instance;

  char **recipients;
  char *cipher_algorithm;
  char *decrypted_with;
  gboolean symmetric;
  GListModel *signatures;
};

enum {
  PROP_0,
  PROP_RECIPIENTS,
  PROP_CIPHER_ALGORITHM,
  PROP_DECRYPTED_WITH,
  PROP_SYMMETRIC,
  PROP_SIGNATURES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveDecryptResult, missive_decrypt_result, G_TYPE_OBJECT)

static void
missive_decrypt_result_finalize (GObject *object)
{
  MissiveDecryptResult *self = MISSIVE_DECRYPT_RESULT (object);

  g_clear_pointer (&self->recipients, g_strfreev);
  g_clear_pointer (&self->cipher_algorithm, g_free);
  g_clear_pointer (&self->decrypted_with, g_free);
  g_clear_object (&self->signatures);

  G_OBJECT_CLASS (missive_decrypt_result_parent_class)->finalize (object);
}

static void
missive_decrypt_result_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MissiveDecryptResult *self = MISSIVE_DECRYPT_RESULT (object);

  switch (prop_id)
    {
    case PROP_RECIPIENTS:
      g_value_set_boxed (value, self->recipients);
      break;
    case PROP_CIPHER_ALGORITHM:
      g_value_set_string (value, self->cipher_algorithm);
      break;
    case PROP_DECRYPTED_WITH:
      g_value_set_string (value, self->decrypted_with);
      break;
    case PROP_SYMMETRIC:
      g_value_set_boolean (value, self->symmetric);
      break;
    case PROP_SIGNATURES:
      g_value_set_object (value, self->signatures);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_decrypt_result_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MissiveDecryptResult *self = MISSIVE_DECRYPT_RESULT (object);

  switch (prop_id)
    {
    case PROP_RECIPIENTS:
      self->recipients = g_value_dup_boxed (value);
      break;
    case PROP_CIPHER_ALGORITHM:
      self->cipher_algorithm = g_value_dup_string (value);
      break;
    case PROP_DECRYPTED_WITH:
      self->decrypted_with = g_value_dup_string (value);
      break;
    case PROP_SYMMETRIC:
      self->symmetric = g_value_get_boolean (value);
      break;
    case PROP_SIGNATURES:
      self->signatures = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_decrypt_result_constructed (GObject *object)
{
  MissiveDecryptResult *self = MISSIVE_DECRYPT_RESULT (object);

  G_OBJECT_CLASS (missive_decrypt_result_parent_class)->constructed (object);

  if (self->signatures == NULL)
    self->signatures = G_LIST_MODEL (g_list_store_new (MISSIVE_TYPE_SIGNATURE));
}

static void
missive_decrypt_result_class_init (MissiveDecryptResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = missive_decrypt_result_constructed;
  object_class->finalize = missive_decrypt_result_finalize;
  object_class->get_property = missive_decrypt_result_get_property;
  object_class->set_property = missive_decrypt_result_set_property;

  /**
   * MissiveDecryptResult:recipients:
   *
   * The key ids (or, for S/MIME, the issuer and serial) of every recipient
   * the message was encrypted to.
   *
   * Since: 1.0
   */
  properties[PROP_RECIPIENTS] =
    g_param_spec_boxed ("recipients", NULL, NULL, G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveDecryptResult:cipher-algorithm:
   *
   * The symmetric cipher of the message, e.g. "AES256".
   *
   * Since: 1.0
   */
  properties[PROP_CIPHER_ALGORITHM] =
    g_param_spec_string ("cipher-algorithm", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveDecryptResult:decrypted-with:
   *
   * The key id of the secret key that decrypted the message, when known.
   *
   * Since: 1.0
   */
  properties[PROP_DECRYPTED_WITH] =
    g_param_spec_string ("decrypted-with", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveDecryptResult:symmetric:
   *
   * Whether the message was decrypted with a passphrase (symmetric
   * encryption) rather than a secret key.
   *
   * Since: 1.0
   */
  properties[PROP_SYMMETRIC] =
    g_param_spec_boolean ("symmetric", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveDecryptResult:signatures:
   *
   * The signatures inside the encrypted message, as #MissiveSignature
   * objects: empty unless the message was decrypted with
   * [method@CryptoContext.decrypt_and_verify] and was signed.
   *
   * Since: 1.0
   */
  properties[PROP_SIGNATURES] =
    g_param_spec_object ("signatures", NULL, NULL, G_TYPE_LIST_MODEL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_decrypt_result_init (MissiveDecryptResult *self)
{
}

/**
 * missive_decrypt_result_get_recipients:
 * @self: a #MissiveDecryptResult
 *
 * Gets [property@DecryptResult:recipients].
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the key ids (or, for S/MIME, the issuer and serial) of every
 *   recipient the message was encrypted to
 *
 * Since: 1.0
 */
const char * const *
missive_decrypt_result_get_recipients (MissiveDecryptResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_DECRYPT_RESULT (self), NULL);

  return (const char * const *) self->recipients;
}

/**
 * missive_decrypt_result_get_cipher_algorithm:
 * @self: a #MissiveDecryptResult
 *
 * Gets [property@DecryptResult:cipher-algorithm].
 *
 * Returns: (nullable): the symmetric cipher of the message, e.g. "AES256"
 *
 * Since: 1.0
 */
const char *
missive_decrypt_result_get_cipher_algorithm (MissiveDecryptResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_DECRYPT_RESULT (self), NULL);

  return self->cipher_algorithm;
}

/**
 * missive_decrypt_result_get_decrypted_with:
 * @self: a #MissiveDecryptResult
 *
 * Gets [property@DecryptResult:decrypted-with].
 *
 * Returns: (nullable): the key id of the secret key that decrypted the message, when
 *   known
 *
 * Since: 1.0
 */
const char *
missive_decrypt_result_get_decrypted_with (MissiveDecryptResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_DECRYPT_RESULT (self), NULL);

  return self->decrypted_with;
}

/**
 * missive_decrypt_result_get_symmetric:
 * @self: a #MissiveDecryptResult
 *
 * Gets [property@DecryptResult:symmetric].
 *
 * Returns:: whether the message was decrypted with a passphrase (symmetric
 *   encryption) rather than a secret key
 *
 * Since: 1.0
 */
gboolean
missive_decrypt_result_get_symmetric (MissiveDecryptResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_DECRYPT_RESULT (self), FALSE);

  return self->symmetric;
}

/**
 * missive_decrypt_result_get_signatures:
 * @self: a #MissiveDecryptResult
 *
 * Gets [property@DecryptResult:signatures].
 *
 * Returns: (transfer none): a #GListModel of [class@Signature]: the signatures inside the encrypted message, as #MissiveSignature
 *   objects: empty unless the message was decrypted with
 *   [method@CryptoContext.decrypt_and_verify] and was signed
 *
 * Since: 1.0
 */
GListModel *
missive_decrypt_result_get_signatures (MissiveDecryptResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_DECRYPT_RESULT (self), NULL);

  return self->signatures;
}
