/* missive-crypto-context-ops.c: the operations of a crypto context
 *
 * Every public operation becomes a CryptoOp: the arguments are checked and
 * the default signers and recipients filled in on the caller's thread,
 * then the backend's blocking virtual method runs in a GTask worker
 * thread. The blocking forms run the asynchronous ones with
 * missive_run_sync().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-crypto-backend.h>

#include "missive-crypto-context-private.h"

static void
crypto_op_free (gpointer data)
{
  CryptoOp *op = data;

  g_clear_pointer (&op->context, g_main_context_unref);
  g_clear_object (&op->message);
  g_strfreev (op->signers);
  g_strfreev (op->recipients);
  g_free (op->pattern);
  g_strfreev (op->patterns);
  g_clear_pointer (&op->data, g_bytes_unref);
  g_clear_object (&op->out_message);
  g_clear_object (&op->decrypt_result);
  g_clear_object (&op->list);
  g_strfreev (op->fingerprints);
  g_clear_pointer (&op->out_data, g_bytes_unref);
  g_free (op);
}

static gboolean
strv_has (GPtrArray  *array,
          const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
add_unique (GPtrArray          *array,
            const char * const *values)
{
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0' && !strv_has (array, values[i]))
      g_ptr_array_add (array, g_strdup (values[i]));
}

static char **
finish_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (char **) g_ptr_array_free (array, FALSE);
}

static gboolean
names_valid (const char * const *names)
{
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    if (strpbrk (names[i], "\r\n") != NULL)
      return FALSE;
  return TRUE;
}

/* The signers of a sign or sign-and-encrypt: the given ones, else the
 * default key, else the From addresses. */
static char **
resolve_signers (MissiveCryptoContext  *self,
                 const OpArgs          *args,
                 GError               **error)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  add_unique (array, args->signers);
  if (array->len == 0)
    {
      const char *default_key = missive_crypto_context_get_default_key (self);

      if (default_key != NULL)
        g_ptr_array_add (array, g_strdup (default_key));
    }
  if (array->len == 0)
    {
      g_auto(GStrv) from = missive_crypto_message_get_addresses (args->message, TRUE);

      add_unique (array, (const char * const *) from);
    }
  if (array->len == 0)
    {
      g_ptr_array_unref (array);
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No signer was given, no default key is set and the message has no From address");
      return NULL;
    }
  return finish_strv (array);
}

static char **
resolve_recipients (MissiveCryptoContext  *self,
                    const OpArgs          *args,
                    char                 **signers,
                    GError               **error)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  add_unique (array, args->recipients);
  if (array->len == 0 && !(args->flags & MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS))
    {
      g_auto(GStrv) to = missive_crypto_message_get_addresses (args->message, FALSE);

      add_unique (array, (const char * const *) to);
    }
  if (array->len == 0 && !(args->flags & MISSIVE_CRYPTO_FLAGS_SYMMETRIC))
    {
      g_ptr_array_unref (array);
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No recipient was given and the message has no To, Cc or Bcc address");
      return NULL;
    }
  if (missive_crypto_context_get_encrypt_to_self (self) && array->len > 0)
    {
      if (signers != NULL)
        add_unique (array, (const char * const *) signers);
      else
        {
          g_auto(GStrv) self_keys = resolve_signers (self, args, NULL);

          add_unique (array, (const char * const *) self_keys);
        }
    }
  return finish_strv (array);
}

static GError *
not_supported (MissiveCryptoContext *self,
               const char           *what)
{
  const char *name = missive_crypto_context_get_name (self);

  return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                      "The crypto backend “%s” cannot %s",
                      name != NULL ? name : G_OBJECT_TYPE_NAME (self), what);
}

static void
run_op (GTask        *task,
        gpointer      source,
        gpointer      task_data,
        GCancellable *cancellable)
{
  MissiveCryptoContext *self = source;
  MissiveCryptoContextClass *klass = MISSIVE_CRYPTO_CONTEXT_GET_CLASS (self);
  CryptoOp *op = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  missive_crypto_context_set_operation_context (op->context);
  switch (op->kind)
    {
    case OP_SIGN:
      if (klass->sign == NULL)
        error = not_supported (self, "sign");
      else
        op->out_message = klass->sign (self, op->message, (const char * const *) op->signers,
                                       op->flags, cancellable, &error);
      ok = op->out_message != NULL;
      break;
    case OP_ENCRYPT:
      if (klass->encrypt == NULL)
        error = not_supported (self, "encrypt");
      else
        op->out_message = klass->encrypt (self, op->message, (const char * const *) op->signers,
                                          (const char * const *) op->recipients, op->flags,
                                          cancellable, &error);
      ok = op->out_message != NULL;
      break;
    case OP_DECRYPT:
      if (klass->decrypt == NULL)
        error = not_supported (self, "decrypt");
      else
        op->out_message = klass->decrypt (self, op->message, op->flag, &op->decrypt_result,
                                          cancellable, &error);
      ok = op->out_message != NULL;
      if (ok && op->decrypt_result == NULL)
        op->decrypt_result = g_object_new (MISSIVE_TYPE_DECRYPT_RESULT, NULL);
      break;
    case OP_VERIFY:
      if (klass->verify == NULL)
        error = not_supported (self, "verify signatures");
      else
        op->list = klass->verify (self, op->message, &op->out_message, cancellable, &error);
      ok = op->list != NULL;
      break;
    case OP_LIST_KEYS:
      if (klass->list_keys == NULL)
        error = not_supported (self, "list keys");
      else
        op->list = klass->list_keys (self, op->pattern, op->flag, cancellable, &error);
      ok = op->list != NULL;
      break;
    case OP_IMPORT_KEYS:
      if (klass->import_keys == NULL)
        error = not_supported (self, "import keys");
      else
        op->fingerprints = klass->import_keys (self, op->data, cancellable, &error);
      ok = op->fingerprints != NULL;
      break;
    case OP_EXPORT_KEYS:
      if (klass->export_keys == NULL)
        error = not_supported (self, "export keys");
      else
        op->out_data = klass->export_keys (self, (const char * const *) op->patterns, op->flag,
                                           cancellable, &error);
      ok = op->out_data != NULL;
      break;
    default:
      g_assert_not_reached ();
    }
  missive_crypto_context_set_operation_context (NULL);

  if (ok)
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                     "The crypto backend failed without saying why");
      g_task_return_error (task, error);
    }
}

void
missive_crypto_op_start (MissiveCryptoContext *self,
                         const OpArgs         *args,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  CryptoOp *op;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, args->tag);

  op = g_new0 (CryptoOp, 1);
  op->kind = args->kind;
  op->context = g_main_context_ref_thread_default ();
  op->message = args->message != NULL ? g_object_ref (args->message) : NULL;
  op->flags = args->flags;
  op->flag = args->flag;
  op->pattern = g_strdup (args->pattern);
  op->patterns = g_strdupv ((char **) args->patterns);
  op->data = args->data != NULL ? g_bytes_ref (args->data) : NULL;
  g_task_set_task_data (task, op, crypto_op_free);

  if (!names_valid (args->signers) || !names_valid (args->recipients) ||
      !names_valid (args->patterns) ||
      (args->pattern != NULL && strpbrk (args->pattern, "\r\n") != NULL))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A key name contains a line break");
      return;
    }

  if (args->kind == OP_SIGN || (args->kind == OP_ENCRYPT && args->sign))
    {
      op->signers = resolve_signers (self, args, &error);
      if (op->signers == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (args->kind == OP_ENCRYPT)
    {
      op->recipients = resolve_recipients (self, args, op->signers, &error);
      if (op->recipients == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_run_in_thread (task, run_op);
}

CryptoOp *
missive_crypto_op_finish (MissiveCryptoContext  *self,
                          GAsyncResult          *result,
                          gpointer               tag,
                          GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

static void
start_sync (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_crypto_op_start (source, start_data, cancellable, callback, user_data);
}

GAsyncResult *
missive_crypto_op_run_sync (MissiveCryptoContext *self,
                            const OpArgs         *args,
                            GCancellable         *cancellable)
{
  return missive_run_sync (self, start_sync, (gpointer) args, cancellable);
}

/* ---- sign ---------------------------------------------------------------- */

/**
 * missive_crypto_context_sign_async:
 * @self: a crypto context
 * @message: the message to sign
 * @signers: (array zero-terminated=1) (nullable): the keys to sign with,
 *   each a fingerprint, key id, user id or e-mail address; %NULL or empty
 *   for [property@CryptoContext:default-key], else the key of the From
 *   address
 * @flags: options, e.g. %MISSIVE_CRYPTO_FLAGS_INLINE
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is signed
 * @user_data: data for @callback
 *
 * Signs @message: for OpenPGP a PGP/MIME multipart/signed (RFC 3156) with
 * a detached signature, or with %MISSIVE_CRYPTO_FLAGS_INLINE a clear-signed
 * text body; for S/MIME a multipart/signed with an
 * application/pkcs7-signature part (RFC 8551). The headers of @message
 * are kept; its body becomes the signed part. @message itself is not
 * changed.
 *
 * Since: 1.0
 */
void
missive_crypto_context_sign_async (MissiveCryptoContext *self,
                                   GMimeMessage         *message,
                                   const char * const   *signers,
                                   MissiveCryptoFlags    flags,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  OpArgs args = { OP_SIGN, missive_crypto_context_sign_async, message, signers, NULL, flags };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_sign_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.sign_async].
 *
 * Returns: (transfer full): the signed message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_sign_finish (MissiveCryptoContext  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_sign_async, error);

  return op != NULL ? g_steal_pointer (&op->out_message) : NULL;
}

/**
 * missive_crypto_context_sign:
 * @self: a crypto context
 * @message: the message to sign
 * @signers: (array zero-terminated=1) (nullable): the keys to sign with,
 *   or %NULL for the default
 * @flags: options, e.g. %MISSIVE_CRYPTO_FLAGS_INLINE
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs @message; the blocking form of
 * [method@CryptoContext.sign_async].
 *
 * Returns: (transfer full): the signed message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_sign (MissiveCryptoContext  *self,
                             GMimeMessage          *message,
                             const char * const    *signers,
                             MissiveCryptoFlags     flags,
                             GCancellable          *cancellable,
                             GError               **error)
{
  OpArgs args = { OP_SIGN, missive_crypto_context_sign_async, message, signers, NULL, flags };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_sign_finish (self, result, error);
}

/* ---- verify -------------------------------------------------------------- */

/**
 * missive_crypto_context_verify_async:
 * @self: a crypto context
 * @message: a signed message
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the signatures are checked
 * @user_data: data for @callback
 *
 * Checks the signatures of @message: a multipart/signed body (PGP/MIME or
 * S/MIME), an S/MIME signed-data body, or (OpenPGP) a clear-signed text
 * body. A bad signature is not an error: it is reported in the
 * [class@Signature]'s status. A message that is not signed in a form the
 * backend knows fails with %MISSIVE_ERROR_INVALID_MESSAGE.
 *
 * Since: 1.0
 */
void
missive_crypto_context_verify_async (MissiveCryptoContext *self,
                                     GMimeMessage         *message,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  OpArgs args = { OP_VERIFY, missive_crypto_context_verify_async, message };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_verify_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @content: (out) (optional) (nullable) (transfer full): the message
 *   without its signature (the signed content as its body), when the
 *   backend could take it out
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.verify_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@Signature], one for each signature, or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_crypto_context_verify_finish (MissiveCryptoContext  *self,
                                      GAsyncResult          *result,
                                      GMimeMessage         **content,
                                      GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_verify_async, error);

  if (content != NULL)
    *content = op != NULL ? g_steal_pointer (&op->out_message) : NULL;
  return op != NULL ? g_steal_pointer (&op->list) : NULL;
}

/**
 * missive_crypto_context_verify:
 * @self: a crypto context
 * @message: a signed message
 * @content: (out) (optional) (nullable) (transfer full): the message
 *   without its signature
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks the signatures of @message; the blocking form of
 * [method@CryptoContext.verify_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@Signature], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_crypto_context_verify (MissiveCryptoContext  *self,
                               GMimeMessage          *message,
                               GMimeMessage         **content,
                               GCancellable          *cancellable,
                               GError               **error)
{
  OpArgs args = { OP_VERIFY, missive_crypto_context_verify_async, message };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_verify_finish (self, result, content, error);
}

/* ---- encrypt, sign and encrypt ------------------------------------------- */

/**
 * missive_crypto_context_encrypt_async:
 * @self: a crypto context
 * @message: the message to encrypt
 * @recipients: (array zero-terminated=1) (nullable): the keys to encrypt
 *   to, each a fingerprint, key id, user id or e-mail address; %NULL or
 *   empty for the addresses of the To, Cc and Bcc headers (unless
 *   %MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS is given)
 * @flags: options
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is encrypted
 * @user_data: data for @callback
 *
 * Encrypts @message to @recipients (and to the sender, with
 * [property@CryptoContext:encrypt-to-self]): for OpenPGP a PGP/MIME
 * multipart/encrypted (RFC 3156) or, with %MISSIVE_CRYPTO_FLAGS_INLINE,
 * an armoured text body; for S/MIME an application/pkcs7-mime
 * enveloped-data body (RFC 8551). A recipient without a usable key fails
 * the operation with %MISSIVE_ERROR_KEY_NOT_FOUND.
 *
 * Since: 1.0
 */
void
missive_crypto_context_encrypt_async (MissiveCryptoContext *self,
                                      GMimeMessage         *message,
                                      const char * const   *recipients,
                                      MissiveCryptoFlags    flags,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  OpArgs args = { OP_ENCRYPT, missive_crypto_context_encrypt_async, message, NULL, recipients, flags };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_encrypt_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.encrypt_async].
 *
 * Returns: (transfer full): the encrypted message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_encrypt_finish (MissiveCryptoContext  *self,
                                       GAsyncResult          *result,
                                       GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_encrypt_async, error);

  return op != NULL ? g_steal_pointer (&op->out_message) : NULL;
}

/**
 * missive_crypto_context_encrypt:
 * @self: a crypto context
 * @message: the message to encrypt
 * @recipients: (array zero-terminated=1) (nullable): the keys to encrypt
 *   to, or %NULL for the message's recipients
 * @flags: options
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Encrypts @message; the blocking form of
 * [method@CryptoContext.encrypt_async].
 *
 * Returns: (transfer full): the encrypted message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_encrypt (MissiveCryptoContext  *self,
                                GMimeMessage          *message,
                                const char * const    *recipients,
                                MissiveCryptoFlags     flags,
                                GCancellable          *cancellable,
                                GError               **error)
{
  OpArgs args = { OP_ENCRYPT, missive_crypto_context_encrypt_async, message, NULL, recipients, flags };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_encrypt_finish (self, result, error);
}

/**
 * missive_crypto_context_sign_and_encrypt_async:
 * @self: a crypto context
 * @message: the message to sign and encrypt
 * @signers: (array zero-terminated=1) (nullable): the keys to sign with,
 *   or %NULL for the default (see [method@CryptoContext.sign_async])
 * @recipients: (array zero-terminated=1) (nullable): the keys to encrypt
 *   to, or %NULL for the message's recipients (see
 *   [method@CryptoContext.encrypt_async])
 * @flags: options
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is signed and
 *   encrypted
 * @user_data: data for @callback
 *
 * Signs and encrypts @message. OpenPGP makes one multipart/encrypted
 * whose OpenPGP message is both signed and encrypted (RFC 3156 section
 * 6.2); S/MIME encrypts a signed message (RFC 8551 section 3.7).
 *
 * Since: 1.0
 */
void
missive_crypto_context_sign_and_encrypt_async (MissiveCryptoContext *self,
                                               GMimeMessage         *message,
                                               const char * const   *signers,
                                               const char * const   *recipients,
                                               MissiveCryptoFlags    flags,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data)
{
  OpArgs args = { OP_ENCRYPT, missive_crypto_context_sign_and_encrypt_async, message,
                  signers, recipients, flags, TRUE };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_sign_and_encrypt_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.sign_and_encrypt_async].
 *
 * Returns: (transfer full): the signed and encrypted message, or %NULL on
 *   error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_sign_and_encrypt_finish (MissiveCryptoContext  *self,
                                                GAsyncResult          *result,
                                                GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_sign_and_encrypt_async, error);

  return op != NULL ? g_steal_pointer (&op->out_message) : NULL;
}

/**
 * missive_crypto_context_sign_and_encrypt:
 * @self: a crypto context
 * @message: the message to sign and encrypt
 * @signers: (array zero-terminated=1) (nullable): the keys to sign with,
 *   or %NULL for the default
 * @recipients: (array zero-terminated=1) (nullable): the keys to encrypt
 *   to, or %NULL for the message's recipients
 * @flags: options
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs and encrypts @message; the blocking form of
 * [method@CryptoContext.sign_and_encrypt_async].
 *
 * Returns: (transfer full): the signed and encrypted message, or %NULL on
 *   error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_sign_and_encrypt (MissiveCryptoContext  *self,
                                         GMimeMessage          *message,
                                         const char * const    *signers,
                                         const char * const    *recipients,
                                         MissiveCryptoFlags     flags,
                                         GCancellable          *cancellable,
                                         GError               **error)
{
  OpArgs args = { OP_ENCRYPT, missive_crypto_context_sign_and_encrypt_async, message,
                  signers, recipients, flags, TRUE };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_sign_and_encrypt_finish (self, result, error);
}

/* ---- decrypt, decrypt and verify ----------------------------------------- */

/**
 * missive_crypto_context_decrypt_async:
 * @self: a crypto context
 * @message: an encrypted message
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is decrypted
 * @user_data: data for @callback
 *
 * Decrypts @message (a multipart/encrypted or application/pkcs7-mime
 * body, or an armoured inline OpenPGP text body) without checking any
 * signature inside. A message for none of our secret keys fails with
 * %MISSIVE_ERROR_DECRYPTION_FAILED, one that is not encrypted with
 * %MISSIVE_ERROR_INVALID_MESSAGE.
 *
 * Since: 1.0
 */
void
missive_crypto_context_decrypt_async (MissiveCryptoContext *self,
                                      GMimeMessage         *message,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  OpArgs args = { OP_DECRYPT, missive_crypto_context_decrypt_async, message };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_decrypt_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @decrypt_result: (out) (optional) (transfer full): the recipients and
 *   cipher of the message
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.decrypt_async].
 *
 * Returns: (transfer full): the decrypted message (the headers of
 *   @message with the decrypted body), or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_decrypt_finish (MissiveCryptoContext  *self,
                                       GAsyncResult          *result,
                                       MissiveDecryptResult **decrypt_result,
                                       GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_decrypt_async, error);

  if (decrypt_result != NULL)
    *decrypt_result = op != NULL ? g_steal_pointer (&op->decrypt_result) : NULL;
  return op != NULL ? g_steal_pointer (&op->out_message) : NULL;
}

/**
 * missive_crypto_context_decrypt:
 * @self: a crypto context
 * @message: an encrypted message
 * @decrypt_result: (out) (optional) (transfer full): the recipients and
 *   cipher of the message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Decrypts @message; the blocking form of
 * [method@CryptoContext.decrypt_async].
 *
 * Returns: (transfer full): the decrypted message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_decrypt (MissiveCryptoContext  *self,
                                GMimeMessage          *message,
                                MissiveDecryptResult **decrypt_result,
                                GCancellable          *cancellable,
                                GError               **error)
{
  OpArgs args = { OP_DECRYPT, missive_crypto_context_decrypt_async, message };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_decrypt_finish (self, result, decrypt_result, error);
}

/**
 * missive_crypto_context_decrypt_and_verify_async:
 * @self: a crypto context
 * @message: an encrypted (and perhaps signed) message
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is decrypted
 * @user_data: data for @callback
 *
 * Decrypts @message and checks the signatures inside: those of a signed
 * and encrypted OpenPGP message, and those of a signed part (PGP/MIME or
 * S/MIME multipart/signed, S/MIME signed-data) that the decrypted body
 * is. The signatures are in the [class@DecryptResult]; an unsigned
 * message gives an empty list, not an error.
 *
 * Since: 1.0
 */
void
missive_crypto_context_decrypt_and_verify_async (MissiveCryptoContext *self,
                                                 GMimeMessage         *message,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data)
{
  OpArgs args = { OP_DECRYPT, missive_crypto_context_decrypt_and_verify_async, message,
                  .flag = TRUE };

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  missive_crypto_op_start (self, &args, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_decrypt_and_verify_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @decrypt_result: (out) (optional) (transfer full): the recipients,
 *   cipher and signatures of the message
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.decrypt_and_verify_async].
 *
 * Returns: (transfer full): the decrypted message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_decrypt_and_verify_finish (MissiveCryptoContext  *self,
                                                  GAsyncResult          *result,
                                                  MissiveDecryptResult **decrypt_result,
                                                  GError               **error)
{
  CryptoOp *op = missive_crypto_op_finish (self, result, missive_crypto_context_decrypt_and_verify_async, error);

  if (decrypt_result != NULL)
    *decrypt_result = op != NULL ? g_steal_pointer (&op->decrypt_result) : NULL;
  return op != NULL ? g_steal_pointer (&op->out_message) : NULL;
}

/**
 * missive_crypto_context_decrypt_and_verify:
 * @self: a crypto context
 * @message: an encrypted (and perhaps signed) message
 * @decrypt_result: (out) (optional) (transfer full): the recipients,
 *   cipher and signatures of the message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Decrypts @message and checks its signatures; the blocking form of
 * [method@CryptoContext.decrypt_and_verify_async].
 *
 * Returns: (transfer full): the decrypted message, or %NULL on error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_context_decrypt_and_verify (MissiveCryptoContext  *self,
                                           GMimeMessage          *message,
                                           MissiveDecryptResult **decrypt_result,
                                           GCancellable          *cancellable,
                                           GError               **error)
{
  OpArgs args = { OP_DECRYPT, missive_crypto_context_decrypt_and_verify_async, message,
                  .flag = TRUE };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_crypto_op_run_sync (self, &args, cancellable);
  return missive_crypto_context_decrypt_and_verify_finish (self, result, decrypt_result, error);
}
