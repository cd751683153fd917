/* missive-crypto-context-keys.c: listing, importing and exporting keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-crypto-backend.h>

#include "missive-crypto-context-private.h"

/* ---- keys ---------------------------------------------------------------- */

/**
 * missive_crypto_context_list_keys_async:
 * @self: a crypto context
 * @pattern: (nullable): what to look for: a fingerprint, key id, user id
 *   or e-mail address (GnuPG's search syntax), or %NULL for every key
 * @secret_only: list only keys whose secret key we have
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the keys
 * @user_data: data for @callback
 *
 * Lists the keys (or certificates) of the keyring that match @pattern.
 *
 * Since: 1.0
 */
void
missive_crypto_context_list_keys_async (MissiveCryptoContext *self,
                                        const char           *pattern,
                                        gboolean              secret_only,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  OpArgs args = { OP_LIST_KEYS, missive_crypto_context_list_keys_async,
                  .flag = secret_only, .pattern = pattern };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_list_keys_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.list_keys_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@CryptoKey] (perhaps empty), or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_crypto_context_list_keys_finish (MissiveCryptoContext  *self,
                                         GAsyncResult          *result,
                                         GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_list_keys_async, error);

  return op != NULL ? g_steal_pointer (&op->list) : NULL;
}

/**
 * missive_crypto_context_list_keys:
 * @self: a crypto context
 * @pattern: (nullable): what to look for, or %NULL for every key
 * @secret_only: list only keys whose secret key we have
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists keys; the blocking form of
 * [method@CryptoContext.list_keys_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@CryptoKey] (perhaps empty), or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_crypto_context_list_keys (MissiveCryptoContext  *self,
                                  const char            *pattern,
                                  gboolean               secret_only,
                                  GCancellable          *cancellable,
                                  GError               **error)
{
  OpArgs args = { OP_LIST_KEYS, missive_crypto_context_list_keys_async,
                  .flag = secret_only, .pattern = pattern };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_list_keys_finish (self, result, error);
}

/**
 * missive_crypto_context_import_keys_async:
 * @self: a crypto context
 * @data: keys or certificates, armoured or binary (OpenPGP), PEM, DER or
 *   PKCS#12 (S/MIME)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the keys are imported
 * @user_data: data for @callback
 *
 * Imports keys into the keyring. Data that holds no key fails with
 * %MISSIVE_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
void
missive_crypto_context_import_keys_async (MissiveCryptoContext *self,
                                          GBytes               *data,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  OpArgs args = { OP_IMPORT_KEYS, missive_crypto_context_import_keys_async, .data = data };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_import_keys_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.import_keys_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the fingerprints of
 *   the keys found in the data (newly imported, updated or already
 *   there), or %NULL on error
 *
 * Since: 1.0
 */
char **
missive_crypto_context_import_keys_finish (MissiveCryptoContext  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_import_keys_async, error);

  return op != NULL ? g_steal_pointer (&op->fingerprints) : NULL;
}

/**
 * missive_crypto_context_import_keys:
 * @self: a crypto context
 * @data: keys or certificates
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Imports keys; the blocking form of
 * [method@CryptoContext.import_keys_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the fingerprints of
 *   the keys found in the data, or %NULL on error
 *
 * Since: 1.0
 */
char **
missive_crypto_context_import_keys (MissiveCryptoContext  *self,
                                    GBytes                *data,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  OpArgs args = { OP_IMPORT_KEYS, missive_crypto_context_import_keys_async, .data = data };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_import_keys_finish (self, result, error);
}

/**
 * missive_crypto_context_export_keys_async:
 * @self: a crypto context
 * @patterns: (array zero-terminated=1): the keys to export, each a
 *   fingerprint, key id, user id or e-mail address
 * @secret: export the secret keys too (GnuPG asks for their passphrase)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the exported keys
 * @user_data: data for @callback
 *
 * Exports keys, ASCII armoured when [property@CryptoContext:armor] is set.
 * A pattern that matches no key fails with %MISSIVE_ERROR_KEY_NOT_FOUND.
 *
 * Since: 1.0
 */
void
missive_crypto_context_export_keys_async (MissiveCryptoContext *self,
                                          const char * const   *patterns,
                                          gboolean              secret,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  OpArgs args = { OP_EXPORT_KEYS, missive_crypto_context_export_keys_async,
                  .flag = secret, .patterns = patterns };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (patterns != NULL && patterns[0] != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_export_keys_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.export_keys_async].
 *
 * Returns: (transfer full): the exported keys, or %NULL on error
 *
 * Since: 1.0
 */
GBytes *
missive_crypto_context_export_keys_finish (MissiveCryptoContext  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_export_keys_async, error);

  return op != NULL ? g_steal_pointer (&op->out_data) : NULL;
}

/**
 * missive_crypto_context_export_keys:
 * @self: a crypto context
 * @patterns: (array zero-terminated=1): the keys to export
 * @secret: export the secret keys too
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Exports keys; the blocking form of
 * [method@CryptoContext.export_keys_async].
 *
 * Returns: (transfer full): the exported keys, or %NULL on error
 *
 * Since: 1.0
 */
GBytes *
missive_crypto_context_export_keys (MissiveCryptoContext  *self,
                                    const char * const    *patterns,
                                    gboolean               secret,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  OpArgs args = { OP_EXPORT_KEYS, missive_crypto_context_export_keys_async,
                  .flag = secret, .patterns = patterns };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (patterns != NULL && patterns[0] != NULL, NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_export_keys_finish (self, result, error);
}
