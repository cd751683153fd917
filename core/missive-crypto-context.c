/* missive-crypto-context.c: the base of the OpenPGP and S/MIME backends
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveCryptoContext:
 *
 * The base class of Missive's crypto backends. Each backend is a plugin
 * that implements the `missive-crypto-backend` extension point under a name
 * ("openpgp", "smime"); applications get one from
 * [method@Engine.create_crypto_context] and never instantiate this class.
 *
 * When a backend needs a passphrase to unlock a secret key it emits
 * [signal@CryptoContext::passphrase-requested]; the application answers
 * from its handler.
 *
 * Since: 1.0
 */

enum {
  SIGNAL_PASSPHRASE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE (MissiveCryptoContext, missive_crypto_context, G_TYPE_OBJECT)

static const char *
missive_crypto_context_real_get_name (MissiveCryptoContext *self)
{
  return NULL;
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
  klass->get_name = missive_crypto_context_real_get_name;

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
   * backend needs the passphrase of a secret key. The first handler that
   * returns a non-%NULL string answers; when every handler returns %NULL
   * (or none is connected) the operation fails as cancelled.
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
