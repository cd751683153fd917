/* missive-crypto-context.c: the base of the OpenPGP and S/MIME backends
 *
 * The class, its settings and the passphrase signal. The operations are in
 * missive-crypto-context-ops.c, the MIME helpers for backends in
 * missive-crypto-context-mime.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-crypto-backend.h>

#include "missive-crypto-context-private.h"

/**
 * MissiveCryptoContext:
 *
 * The base class of Missive's crypto backends. Each backend is a plugin
 * that implements the `missive-crypto-backend` extension point under a name
 * ("openpgp", "smime"); applications get one from
 * [method@Engine.create_crypto_context] and never instantiate this class.
 *
 * A context signs, verifies, encrypts and decrypts whole messages
 * (#GMimeMessage): each operation returns a new message and leaves the one
 * it was given as it was. The backend decides the MIME form: PGP/MIME
 * (RFC 3156) or inline OpenPGP for "openpgp", S/MIME (RFC 8551) for
 * "smime". It also lists, imports and exports keys.
 *
 * Every operation has an asynchronous form (`_async` and `_finish`, the
 * work done in a worker thread) and a blocking one. The message passed to
 * an operation is read in that worker thread: do not change it until the
 * operation has finished.
 *
 * When a backend needs a passphrase to unlock a secret key it emits
 * [signal@CryptoContext::passphrase-requested] on the main context the
 * operation was started from (for a blocking call: in the calling
 * thread, during the call); the application answers from its handler.
 *
 * The settings ([property@CryptoContext:home-directory],
 * [property@CryptoContext:armor] and the others) are read by the
 * operations as they run: change them only while no operation is running.
 *
 * Since: 1.0
 */

enum {
  PROP_0,
  PROP_NAME,
  PROP_HOME_DIRECTORY,
  PROP_ARMOR,
  PROP_ALWAYS_TRUST,
  PROP_ENCRYPT_TO_SELF,
  PROP_DEFAULT_KEY,
  PROP_DIGEST_ALGORITHM,
  PROP_CIPHER_ALGORITHM,
  PROP_KEYRINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PASSPHRASE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *home_directory;
  char *default_key;
  char *digest_algorithm;
  char *cipher_algorithm;
  char **keyrings;
  gboolean armor;
  gboolean always_trust;
  gboolean encrypt_to_self;
} MissiveCryptoContextPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MissiveCryptoContext, missive_crypto_context, G_TYPE_OBJECT)

static const char *
missive_crypto_context_real_get_name (MissiveCryptoContext *self)
{
  return NULL;
}

static void
missive_crypto_context_finalize (GObject *object)
{
  MissiveCryptoContext *self = MISSIVE_CRYPTO_CONTEXT (object);
  MissiveCryptoContextPrivate *priv = missive_crypto_context_get_instance_private (self);

  g_clear_pointer (&priv->home_directory, g_free);
  g_clear_pointer (&priv->default_key, g_free);
  g_clear_pointer (&priv->digest_algorithm, g_free);
  g_clear_pointer (&priv->cipher_algorithm, g_free);
  g_clear_pointer (&priv->keyrings, g_strfreev);

  G_OBJECT_CLASS (missive_crypto_context_parent_class)->finalize (object);
}

static void
missive_crypto_context_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MissiveCryptoContext *self = MISSIVE_CRYPTO_CONTEXT (object);
  MissiveCryptoContextPrivate *priv = missive_crypto_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, missive_crypto_context_get_name (self));
      break;
    case PROP_HOME_DIRECTORY:
      g_value_set_string (value, priv->home_directory);
      break;
    case PROP_ARMOR:
      g_value_set_boolean (value, priv->armor);
      break;
    case PROP_ALWAYS_TRUST:
      g_value_set_boolean (value, priv->always_trust);
      break;
    case PROP_ENCRYPT_TO_SELF:
      g_value_set_boolean (value, priv->encrypt_to_self);
      break;
    case PROP_DEFAULT_KEY:
      g_value_set_string (value, priv->default_key);
      break;
    case PROP_DIGEST_ALGORITHM:
      g_value_set_string (value, priv->digest_algorithm);
      break;
    case PROP_CIPHER_ALGORITHM:
      g_value_set_string (value, priv->cipher_algorithm);
      break;
    case PROP_KEYRINGS:
      g_value_set_boxed (value, priv->keyrings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_crypto_context_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MissiveCryptoContext *self = MISSIVE_CRYPTO_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_HOME_DIRECTORY:
      missive_crypto_context_set_home_directory (self, g_value_get_string (value));
      break;
    case PROP_ARMOR:
      missive_crypto_context_set_armor (self, g_value_get_boolean (value));
      break;
    case PROP_ALWAYS_TRUST:
      missive_crypto_context_set_always_trust (self, g_value_get_boolean (value));
      break;
    case PROP_ENCRYPT_TO_SELF:
      missive_crypto_context_set_encrypt_to_self (self, g_value_get_boolean (value));
      break;
    case PROP_DEFAULT_KEY:
      missive_crypto_context_set_default_key (self, g_value_get_string (value));
      break;
    case PROP_DIGEST_ALGORITHM:
      missive_crypto_context_set_digest_algorithm (self, g_value_get_string (value));
      break;
    case PROP_CIPHER_ALGORITHM:
      missive_crypto_context_set_cipher_algorithm (self, g_value_get_string (value));
      break;
    case PROP_KEYRINGS:
      missive_crypto_context_set_keyrings (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The first handler that returns a passphrase answers; a handler that
 * returns NULL lets the next one try. */
static gboolean
first_string_accumulator (GSignalInvocationHint *hint,
                          GValue                *return_accu,
                          const GValue          *handler_return,
                          gpointer               data)
{
  const char *passphrase = g_value_get_string (handler_return);

  g_value_set_string (return_accu, passphrase);
  return passphrase == NULL;
}

static void
missive_crypto_context_class_init (MissiveCryptoContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_crypto_context_finalize;
  object_class->get_property = missive_crypto_context_get_property;
  object_class->set_property = missive_crypto_context_set_property;

  klass->get_name = missive_crypto_context_real_get_name;

  /**
   * MissiveCryptoContext:name:
   *
   * The name of the backend ("openpgp", "smime").
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:home-directory:
   *
   * The GnuPG home directory holding the keyrings (and the gpg-agent
   * socket), or %NULL for GnuPG's default (`$GNUPGHOME`, else
   * `~/.gnupg`).
   *
   * Since: 1.0
   */
  properties[PROP_HOME_DIRECTORY] =
    g_param_spec_string ("home-directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:armor:
   *
   * Whether exported keys (and inline OpenPGP output) are ASCII armoured
   * rather than binary. PGP/MIME parts are always armoured (RFC 3156) and
   * S/MIME parts always base64-encoded, whatever this says.
   *
   * Since: 1.0
   */
  properties[PROP_ARMOR] =
    g_param_spec_boolean ("armor", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:always-trust:
   *
   * Whether to encrypt to recipients' keys even when the keyring does not
   * consider them valid (GnuPG's `--trust-model always`). When %FALSE,
   * encrypting to a key of unknown validity fails with
   * %MISSIVE_ERROR_KEY_NOT_FOUND.
   *
   * Since: 1.0
   */
  properties[PROP_ALWAYS_TRUST] =
    g_param_spec_boolean ("always-trust", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:encrypt-to-self:
   *
   * Whether to encrypt every message to the sender as well, so that the
   * sender can read it later (the copy in a Sent folder): to the signers
   * when signing, else to [property@CryptoContext:default-key], else to
   * the key of the From address.
   *
   * Since: 1.0
   */
  properties[PROP_ENCRYPT_TO_SELF] =
    g_param_spec_boolean ("encrypt-to-self", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:default-key:
   *
   * The key to sign with when an operation names no signer (a
   * fingerprint, key id, user id or e-mail address), or %NULL to use the
   * key of the message's From address.
   *
   * Since: 1.0
   */
  properties[PROP_DEFAULT_KEY] =
    g_param_spec_string ("default-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:digest-algorithm:
   *
   * The hash algorithm for signatures (e.g. "SHA256"), or %NULL to let
   * GnuPG choose (from the recipients' key preferences and the
   * `personal-digest-preferences` of `gpg.conf`). GPGME has no way to
   * choose it per operation: the OpenPGP and S/MIME backends fail a
   * signing operation with %MISSIVE_ERROR_NOT_SUPPORTED when this is set
   * to an algorithm other than the one GnuPG would use.
   *
   * Since: 1.0
   */
  properties[PROP_DIGEST_ALGORITHM] =
    g_param_spec_string ("digest-algorithm", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:cipher-algorithm:
   *
   * The symmetric cipher for encryption (e.g. "AES256"), or %NULL to let
   * GnuPG choose from the recipients' key preferences. GPGME has no way to
   * choose it per operation: the OpenPGP backend fails an encryption with
   * %MISSIVE_ERROR_NOT_SUPPORTED when this is set.
   *
   * Since: 1.0
   */
  properties[PROP_CIPHER_ALGORITHM] =
    g_param_spec_string ("cipher-algorithm", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveCryptoContext:keyrings:
   *
   * More GnuPG home directories to find keys in, searched in order after
   * [property@CryptoContext:home-directory] (PSMTP's per-key keyring):
   * each signer and each recipient named in an operation is looked up in
   * the context's home first, then in these. %NULL (the default) means
   * the context's home only.
   *
   * The OpenPGP backend encrypts to a recipient's public key found in
   * one of these homes without importing it anywhere (it is exported to
   * a private temporary file and given to gpg with `--recipient-file`);
   * its validity is the one it has in the home it was found in. Signers
   * must all come from one home (any of them): GnuPG signs with the
   * secret keys of one home at a time, so signers from two homes fail
   * with %MISSIVE_ERROR_NOT_SUPPORTED, except for a PGP/MIME signature
   * (without encryption), which then carries one signature per home.
   * Decryption tries the context's home, then these, until one holds a
   * secret key for the message. Verification takes a signer's public key
   * from the first home that has it, except for a signature inside a
   * combined signed and encrypted message, which is checked in the home
   * that decrypted it. The S/MIME backend ignores this property.
   *
   * Since: 1.0
   */
  properties[PROP_KEYRINGS] =
    g_param_spec_boxed ("keyrings", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveCryptoContext::passphrase-requested:
   * @self: the crypto context
   * @key_id: (nullable): the id of the key to unlock, e.g. an OpenPGP key
   *   id or fingerprint
   * @user_id: (nullable): a description of the key's owner to show the
   *   user, e.g. "Alice <alice@example.org>"
   * @previous_was_bad: %TRUE when the last passphrase given for this key
   *   was wrong and the backend is asking again
   *
   * Emitted, on the thread-default main context of the operation, when the
   * backend needs the passphrase of a secret key (or, for symmetric
   * encryption, the passphrase to encrypt with). The first handler that
   * returns a non-%NULL string answers; when every handler returns %NULL
   * (or none is connected) the operation fails with %G_IO_ERROR_CANCELLED.
   * After a wrong answer the backend asks again, with @previous_was_bad
   * set, up to three times in all (the OpenPGP and S/MIME backends, like
   * GnuPG's own pinentry); then the operation fails with
   * %MISSIVE_ERROR_BAD_PASSPHRASE.
   *
   * GnuPG's agent may remember a passphrase for a while, so the signal is
   * not emitted for every operation.
   *
   * Returns: (transfer full) (nullable): the passphrase, or %NULL to
   *   cancel (or to let another handler answer)
   *
   * Since: 1.0
   */
  signals[SIGNAL_PASSPHRASE_REQUESTED] =
    g_signal_new ("passphrase-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  first_string_accumulator, NULL,
                  NULL,
                  G_TYPE_STRING, 3,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_BOOLEAN);
}

static void
missive_crypto_context_init (MissiveCryptoContext *self)
{
  MissiveCryptoContextPrivate *priv = missive_crypto_context_get_instance_private (self);

  priv->armor = TRUE;
}

/**
 * missive_crypto_context_get_name:
 * @self: a crypto context
 *
 * Gets the name of the backend, as it is listed by
 * [method@Engine.list_crypto_backends] (e.g. "openpgp" or "smime").
 *
 * Returns: (nullable): the backend's name
 *
 * Since: 1.0
 */
const char *
missive_crypto_context_get_name (MissiveCryptoContext *self)
{
  MissiveCryptoContextClass *klass;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);

  klass = MISSIVE_CRYPTO_CONTEXT_GET_CLASS (self);
  g_return_val_if_fail (klass->get_name != NULL, NULL);
  return klass->get_name (self);
}

/* ---- settings ------------------------------------------------------------ */

static void
set_string (MissiveCryptoContext  *self,
            char                 **field,
            const char            *value,
            guint                  prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (MissiveCryptoContext *self,
             gboolean             *field,
             gboolean              value,
             guint                 prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define PRIV(self) ((MissiveCryptoContextPrivate *) missive_crypto_context_get_instance_private (self))

/**
 * missive_crypto_context_get_home_directory:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:home-directory].
 *
 * Returns: (nullable) (type filename): the GnuPG home directory, or %NULL
 *   for GnuPG's default
 *
 * Since: 1.0
 */
const char *
missive_crypto_context_get_home_directory (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  return PRIV (self)->home_directory;
}

/**
 * missive_crypto_context_set_home_directory:
 * @self: a crypto context
 * @home_directory: (nullable) (type filename): the GnuPG home directory, or
 *   %NULL for GnuPG's default
 *
 * Sets [property@CryptoContext:home-directory].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_home_directory (MissiveCryptoContext *self,
                                           const char           *home_directory)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_string (self, &PRIV (self)->home_directory, home_directory, PROP_HOME_DIRECTORY);
}

/**
 * missive_crypto_context_get_keyrings:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:keyrings].
 *
 * Returns: (nullable) (transfer none) (array zero-terminated=1) (element-type filename):
 *   the extra GnuPG homes searched for keys, in order, or %NULL for none
 *
 * Since: 1.0
 */
const char * const *
missive_crypto_context_get_keyrings (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  return (const char * const *) PRIV (self)->keyrings;
}

/**
 * missive_crypto_context_set_keyrings:
 * @self: a crypto context
 * @keyrings: (nullable) (array zero-terminated=1) (element-type filename):
 *   the extra GnuPG homes to search for keys, in order, or %NULL for none
 *
 * Sets [property@CryptoContext:keyrings]. Empty strings are left out.
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_keyrings (MissiveCryptoContext *self,
                                     const char * const   *keyrings)
{
  MissiveCryptoContextPrivate *priv;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) value = NULL;

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  priv = PRIV (self);
  for (gsize i = 0; keyrings != NULL && keyrings[i] != NULL; i++)
    if (*keyrings[i] != '\0')
      g_strv_builder_add (builder, keyrings[i]);
  value = g_strv_builder_end (builder);
  if (value[0] == NULL)
    g_clear_pointer (&value, g_strfreev);
  if (value == NULL && priv->keyrings == NULL)
    return;
  if (value != NULL && priv->keyrings != NULL &&
      g_strv_equal ((const char * const *) value, (const char * const *) priv->keyrings))
    return;
  g_strfreev (priv->keyrings);
  priv->keyrings = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRINGS]);
}

/**
 * missive_crypto_context_add_keyring:
 * @self: a crypto context
 * @home_directory: (type filename): a GnuPG home directory
 *
 * Appends @home_directory to [property@CryptoContext:keyrings], the homes
 * searched for signers' and recipients' keys after the context's own.
 * A home that is already in the list is not added twice.
 *
 * Since: 1.0
 */
void
missive_crypto_context_add_keyring (MissiveCryptoContext *self,
                                    const char           *home_directory)
{
  MissiveCryptoContextPrivate *priv;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) value = NULL;

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (home_directory != NULL && *home_directory != '\0');
  priv = PRIV (self);
  if (priv->keyrings != NULL && g_strv_contains ((const char * const *) priv->keyrings, home_directory))
    return;
  if (priv->keyrings != NULL)
    g_strv_builder_addv (builder, (const char **) priv->keyrings);
  g_strv_builder_add (builder, home_directory);
  value = g_strv_builder_end (builder);
  missive_crypto_context_set_keyrings (self, (const char * const *) value);
}

/**
 * missive_crypto_context_get_armor:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:armor].
 *
 * Returns: whether exported keys are ASCII armoured
 *
 * Since: 1.0
 */
gboolean
missive_crypto_context_get_armor (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), TRUE);
  return PRIV (self)->armor;
}

/**
 * missive_crypto_context_set_armor:
 * @self: a crypto context
 * @armor: whether to ASCII-armour exported keys
 *
 * Sets [property@CryptoContext:armor].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_armor (MissiveCryptoContext *self,
                                  gboolean              armor)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_boolean (self, &PRIV (self)->armor, armor, PROP_ARMOR);
}

/**
 * missive_crypto_context_get_always_trust:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:always-trust].
 *
 * Returns: whether keys of unknown validity are used for encryption
 *
 * Since: 1.0
 */
gboolean
missive_crypto_context_get_always_trust (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), FALSE);
  return PRIV (self)->always_trust;
}

/**
 * missive_crypto_context_set_always_trust:
 * @self: a crypto context
 * @always_trust: whether to use keys of unknown validity for encryption
 *
 * Sets [property@CryptoContext:always-trust].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_always_trust (MissiveCryptoContext *self,
                                         gboolean              always_trust)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_boolean (self, &PRIV (self)->always_trust, always_trust, PROP_ALWAYS_TRUST);
}

/**
 * missive_crypto_context_get_encrypt_to_self:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:encrypt-to-self].
 *
 * Returns: whether messages are also encrypted to the sender
 *
 * Since: 1.0
 */
gboolean
missive_crypto_context_get_encrypt_to_self (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), FALSE);
  return PRIV (self)->encrypt_to_self;
}

/**
 * missive_crypto_context_set_encrypt_to_self:
 * @self: a crypto context
 * @encrypt_to_self: whether to encrypt to the sender as well
 *
 * Sets [property@CryptoContext:encrypt-to-self].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_encrypt_to_self (MissiveCryptoContext *self,
                                            gboolean              encrypt_to_self)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_boolean (self, &PRIV (self)->encrypt_to_self, encrypt_to_self, PROP_ENCRYPT_TO_SELF);
}

/**
 * missive_crypto_context_get_default_key:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:default-key].
 *
 * Returns: (nullable): the key to sign with by default
 *
 * Since: 1.0
 */
const char *
missive_crypto_context_get_default_key (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  return PRIV (self)->default_key;
}

/**
 * missive_crypto_context_set_default_key:
 * @self: a crypto context
 * @default_key: (nullable): a fingerprint, key id, user id or e-mail
 *   address, or %NULL
 *
 * Sets [property@CryptoContext:default-key].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_default_key (MissiveCryptoContext *self,
                                        const char           *default_key)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_string (self, &PRIV (self)->default_key, default_key, PROP_DEFAULT_KEY);
}

/**
 * missive_crypto_context_get_digest_algorithm:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:digest-algorithm].
 *
 * Returns: (nullable): the requested hash algorithm, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_crypto_context_get_digest_algorithm (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  return PRIV (self)->digest_algorithm;
}

/**
 * missive_crypto_context_set_digest_algorithm:
 * @self: a crypto context
 * @algorithm: (nullable): a hash algorithm name such as "SHA256", or %NULL
 *
 * Sets [property@CryptoContext:digest-algorithm].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_digest_algorithm (MissiveCryptoContext *self,
                                             const char           *algorithm)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_string (self, &PRIV (self)->digest_algorithm, algorithm, PROP_DIGEST_ALGORITHM);
}

/**
 * missive_crypto_context_get_cipher_algorithm:
 * @self: a crypto context
 *
 * Gets [property@CryptoContext:cipher-algorithm].
 *
 * Returns: (nullable): the requested cipher, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_crypto_context_get_cipher_algorithm (MissiveCryptoContext *self)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  return PRIV (self)->cipher_algorithm;
}

/**
 * missive_crypto_context_set_cipher_algorithm:
 * @self: a crypto context
 * @algorithm: (nullable): a cipher name such as "AES256", or %NULL
 *
 * Sets [property@CryptoContext:cipher-algorithm].
 *
 * Since: 1.0
 */
void
missive_crypto_context_set_cipher_algorithm (MissiveCryptoContext *self,
                                             const char           *algorithm)
{
  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  set_string (self, &PRIV (self)->cipher_algorithm, algorithm, PROP_CIPHER_ALGORITHM);
}

/* ---- passphrase requests from worker threads ----------------------------- */

/* The main context of the operation running in this (worker) thread. */
static GPrivate operation_context;

void
missive_crypto_context_set_operation_context (GMainContext *context)
{
  g_private_set (&operation_context, context);
}

typedef struct
{
  gatomicrefcount ref;
  MissiveCryptoContext *self;
  char *key_id;
  char *user_id;
  gboolean previous_was_bad;
  GMutex mutex;
  GCond cond;
  gboolean done;
  char *answer;
} PassphraseRequest;

static PassphraseRequest *
passphrase_request_ref (PassphraseRequest *request)
{
  g_atomic_ref_count_inc (&request->ref);
  return request;
}

static void
passphrase_request_unref (gpointer data)
{
  PassphraseRequest *request = data;

  if (!g_atomic_ref_count_dec (&request->ref))
    return;
  g_object_unref (request->self);
  g_free (request->key_id);
  g_free (request->user_id);
  missive_sasl_secret_free (request->answer);
  g_mutex_clear (&request->mutex);
  g_cond_clear (&request->cond);
  g_free (request);
}

static char *
emit_passphrase_requested (MissiveCryptoContext *self,
                           const char           *key_id,
                           const char           *user_id,
                           gboolean              previous_was_bad)
{
  char *answer = NULL;

  g_signal_emit (self, signals[SIGNAL_PASSPHRASE_REQUESTED], 0,
                 key_id, user_id, previous_was_bad, &answer);
  return answer;
}

static gboolean
emit_in_context (gpointer data)
{
  PassphraseRequest *request = data;
  char *answer;

  answer = emit_passphrase_requested (request->self, request->key_id,
                                      request->user_id, request->previous_was_bad);
  g_mutex_lock (&request->mutex);
  request->answer = answer;
  request->done = TRUE;
  g_cond_broadcast (&request->cond);
  g_mutex_unlock (&request->mutex);
  return G_SOURCE_REMOVE;
}

static void
wake_on_cancel (GCancellable *cancellable,
                gpointer      data)
{
  PassphraseRequest *request = data;

  g_mutex_lock (&request->mutex);
  g_cond_broadcast (&request->cond);
  g_mutex_unlock (&request->mutex);
}

/**
 * missive_crypto_context_request_passphrase: (skip)
 * @self: a crypto context
 * @key_id: (nullable): the id of the key to unlock
 * @user_id: (nullable): the key's owner, to show the user
 * @previous_was_bad: whether the last answer for this key was wrong
 * @cancellable: (nullable): the operation's #GCancellable
 *
 * For crypto backends: asks the application for a passphrase by emitting
 * [signal@CryptoContext::passphrase-requested] on the main context of the
 * operation running in the calling worker thread, and waits for the
 * answer (or for @cancellable). Outside an operation's worker thread it
 * emits the signal at once.
 *
 * Returns: (nullable): the passphrase (free it with
 *   missive_sasl_secret_free()), or %NULL when none was given
 *
 * Since: 1.0
 */
char *
missive_crypto_context_request_passphrase (MissiveCryptoContext *self,
                                           const char           *key_id,
                                           const char           *user_id,
                                           gboolean              previous_was_bad,
                                           GCancellable         *cancellable)
{
  GMainContext *context = g_private_get (&operation_context);
  PassphraseRequest *request;
  GSource *source;
  gulong handler = 0;
  char *answer = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);

  if (g_cancellable_is_cancelled (cancellable))
    return NULL;
  if (context == NULL || g_main_context_is_owner (context))
    return emit_passphrase_requested (self, key_id, user_id, previous_was_bad);

  request = g_new0 (PassphraseRequest, 1);
  g_atomic_ref_count_init (&request->ref);
  request->self = g_object_ref (self);
  request->key_id = g_strdup (key_id);
  request->user_id = g_strdup (user_id);
  request->previous_was_bad = previous_was_bad;
  g_mutex_init (&request->mutex);
  g_cond_init (&request->cond);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_on_cancel),
                                     passphrase_request_ref (request),
                                     passphrase_request_unref);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[missive] passphrase-requested");
  g_source_set_callback (source, emit_in_context,
                         passphrase_request_ref (request), passphrase_request_unref);
  g_source_attach (source, context);
  g_source_unref (source);

  g_mutex_lock (&request->mutex);
  while (!request->done && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&request->cond, &request->mutex);
  if (request->done && !g_cancellable_is_cancelled (cancellable))
    answer = g_steal_pointer (&request->answer);
  g_mutex_unlock (&request->mutex);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  passphrase_request_unref (request);
  return answer;
}
