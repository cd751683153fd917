/* missive-crypto-open.c: checks without decrypting, and opening a
 * received message in one call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-crypto-backend.h>

#include "missive-crypto-context-private.h"

/* ---- checks ---------------------------------------------------------------- */

static gboolean
is_pkcs7_mime (GMimeObject *object,
               const char  *smime_type)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  const char *value;

  if (type == NULL ||
      !(g_mime_content_type_is_type (type, "application", "pkcs7-mime") ||
        g_mime_content_type_is_type (type, "application", "x-pkcs7-mime")))
    return FALSE;
  value = g_mime_content_type_get_parameter (type, "smime-type");
  if (value == NULL)
    {
      /* Without smime-type, RFC 8551 section 3.2.2 lets the receiver
       * look inside; such parts are nearly always enveloped-data. */
      return g_ascii_strcasecmp (smime_type, "enveloped-data") == 0;
    }
  if (g_ascii_strcasecmp (smime_type, "enveloped-data") == 0 &&
      g_ascii_strcasecmp (value, "authEnveloped-data") == 0)
    return TRUE;
  return g_ascii_strcasecmp (value, smime_type) == 0;
}

/* Whether the text body starts with an OpenPGP armour line @marker. */
static gboolean
text_starts_with (GMimeObject *object,
                  const char  *marker)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize length, i = 0, marker_length = strlen (marker);

  if (!GMIME_IS_TEXT_PART (object))
    return FALSE;
  bytes = missive_crypto_part_get_content_bytes (GMIME_PART (object));
  data = g_bytes_get_data (bytes, &length);
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return length - i >= marker_length && memcmp (data + i, marker, marker_length) == 0;
}

static gboolean
object_is_encrypted (GMimeObject *body)
{
  if (body == NULL)
    return FALSE;
  return GMIME_IS_MULTIPART_ENCRYPTED (body) ||
         g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                      "multipart", "encrypted") ||
         is_pkcs7_mime (body, "enveloped-data") ||
         text_starts_with (body, "-----BEGIN PGP MESSAGE-----");
}

static gboolean
object_is_signed (GMimeObject *body)
{
  if (body == NULL)
    return FALSE;
  return GMIME_IS_MULTIPART_SIGNED (body) ||
         g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                      "multipart", "signed") ||
         is_pkcs7_mime (body, "signed-data") ||
         text_starts_with (body, "-----BEGIN PGP SIGNED MESSAGE-----");
}

/**
 * missive_crypto_message_is_encrypted:
 * @message: a message
 *
 * Checks, without decrypting, whether @message's body is encrypted in a
 * form one of the crypto backends knows: a multipart/encrypted (PGP/MIME),
 * an application/pkcs7-mime enveloped-data part (S/MIME), or a text body
 * that is an ASCII-armoured OpenPGP message (inline OpenPGP). Only the
 * structure is looked at; whether we hold a key for it shows when it is
 * decrypted.
 *
 * Returns: %TRUE when the body is encrypted
 *
 * Since: 1.0
 */
gboolean
missive_crypto_message_is_encrypted (GMimeMessage *message)
{
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);

  return object_is_encrypted (g_mime_message_get_mime_part (message));
}

/**
 * missive_crypto_message_is_signed:
 * @message: a message
 *
 * Checks, without verifying, whether @message's body is signed: a
 * multipart/signed (PGP/MIME or S/MIME), an application/pkcs7-mime
 * signed-data part, or a clear-signed OpenPGP text body. A message that
 * is signed inside its encryption is not seen as signed until it is
 * decrypted.
 *
 * Returns: %TRUE when the body is signed
 *
 * Since: 1.0
 */
gboolean
missive_crypto_message_is_signed (GMimeMessage *message)
{
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);

  return object_is_signed (g_mime_message_get_mime_part (message));
}

/* ---- open ------------------------------------------------------------------ */

typedef struct
{
  MissiveDecryptResult *decrypt_result;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  g_clear_object (&open->decrypt_result);
  g_free (open);
}

/* The decrypted body of a signed-then-encrypted PGP/MIME message is the
 * multipart/signed itself (its signatures already checked): take the
 * signed content out. */
static GMimeMessage *
strip_signed_wrapper (GMimeMessage *message)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);
  GMimeObject *content;

  if (body == NULL || !GMIME_IS_MULTIPART (body) ||
      !g_mime_content_type_is_type (g_mime_object_get_content_type (body), "multipart", "signed") ||
      g_mime_multipart_get_count (GMIME_MULTIPART (body)) != 2)
    return g_object_ref (message);
  content = g_mime_multipart_get_part (GMIME_MULTIPART (body), 0);
  return missive_crypto_message_new_with_part (message, content);
}

static void
open_verified_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  OpenData *open = g_task_get_task_data (task);
  GMimeMessage *content = NULL;
  g_autoptr(GListModel) signatures = NULL;
  GError *error = NULL;

  signatures = missive_crypto_context_verify_finish (MISSIVE_CRYPTO_CONTEXT (source), result,
                                                     &content, &error);
  if (signatures == NULL)
    g_task_return_error (task, error);
  else
    {
      GMimeMessage *readable = content != NULL ? content
                                               : g_object_get_data (G_OBJECT (task), "missive-open-input");

      g_task_return_pointer (task, missive_opened_message_new (readable, signatures,
                                                               open->decrypt_result),
                             g_object_unref);
    }
  g_clear_object (&content);
  g_object_unref (task);
}

static void
start_verify (GTask                *task,
              MissiveCryptoContext *self,
              GMimeMessage         *message)
{
  g_object_set_data_full (G_OBJECT (task), "missive-open-input", g_object_ref (message),
                          g_object_unref);
  missive_crypto_context_verify_async (self, message, g_task_get_cancellable (task),
                                       open_verified_cb, task);
}

static void
open_decrypted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveCryptoContext *self = MISSIVE_CRYPTO_CONTEXT (source);
  OpenData *open = g_task_get_task_data (task);
  GMimeMessage *decrypted;
  GMimeMessage *readable;
  GListModel *signatures;
  GError *error = NULL;

  decrypted = missive_crypto_context_decrypt_and_verify_finish (self, result, &open->decrypt_result,
                                                                &error);
  if (decrypted == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  signatures = missive_decrypt_result_get_signatures (open->decrypt_result);
  if (g_list_model_get_n_items (signatures) == 0 && missive_crypto_message_is_signed (decrypted))
    {
      /* Signed in a form decrypt_and_verify leaves alone (an inline
       * clear-signed text inside an encrypted one): check it now. */
      start_verify (task, self, decrypted);
      g_object_unref (decrypted);
      return;
    }

  readable = g_list_model_get_n_items (signatures) > 0 ? strip_signed_wrapper (decrypted)
                                                       : g_object_ref (decrypted);
  g_task_return_pointer (task, missive_opened_message_new (readable, signatures, open->decrypt_result),
                         g_object_unref);
  g_object_unref (readable);
  g_object_unref (decrypted);
  g_object_unref (task);
}

/**
 * missive_crypto_context_open_message_async:
 * @self: a crypto context
 * @message: a received message, e.g. fetched with
 *   [method@Store.fetch_mime_message] over IMAP or POP3
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is opened
 * @user_data: data for @callback
 *
 * Does with a received message whatever it needs: an encrypted one
 * (see [func@Missive.crypto_message_is_encrypted]) is decrypted and the
 * signatures inside are checked (as
 * [method@CryptoContext.decrypt_and_verify_async] does), a signed one
 * (see [func@Missive.crypto_message_is_signed]) has its signatures checked (as
 * [method@CryptoContext.verify_async] does), and a plain one is given
 * back as it is. The [class@OpenedMessage] holds the readable message,
 * the signatures and the decrypt result.
 *
 * A message protected in a form of the other backend (S/MIME given to
 * an OpenPGP context, say) fails with %MISSIVE_ERROR_INVALID_MESSAGE; one
 * encrypted for none of our keys with %MISSIVE_ERROR_DECRYPTION_FAILED. A
 * bad signature is not an error: see
 * [method@OpenedMessage.get_verified].
 *
 * Since: 1.0
 */
void
missive_crypto_context_open_message_async (MissiveCryptoContext *self,
                                           GMimeMessage         *message,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_crypto_context_open_message_async);
  g_task_set_task_data (task, g_new0 (OpenData, 1), open_data_free);

  if (missive_crypto_message_is_encrypted (message))
    missive_crypto_context_decrypt_and_verify_async (self, message, cancellable,
                                                     open_decrypted_cb, task);
  else if (missive_crypto_message_is_signed (message))
    start_verify (task, self, message);
  else
    {
      g_task_return_pointer (task, missive_opened_message_new (message, NULL, NULL), g_object_unref);
      g_object_unref (task);
    }
}

/**
 * missive_crypto_context_open_message_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.open_message_async].
 *
 * Returns: (transfer full): the opened message, or %NULL on error
 *
 * Since: 1.0
 */
MissiveOpenedMessage *
missive_crypto_context_open_message_finish (MissiveCryptoContext  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == missive_crypto_context_open_message_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_open_sync (gpointer             source,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             start_data)
{
  missive_crypto_context_open_message_async (source, start_data, cancellable, callback, user_data);
}

/**
 * missive_crypto_context_open_message:
 * @self: a crypto context
 * @message: a received message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Decrypts and/or verifies @message as it needs; the blocking form of
 * [method@CryptoContext.open_message_async].
 *
 * Returns: (transfer full): the opened message, or %NULL on error
 *
 * Since: 1.0
 */
MissiveOpenedMessage *
missive_crypto_context_open_message (MissiveCryptoContext  *self,
                                     GMimeMessage          *message,
                                     GCancellable          *cancellable,
                                     GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_run_sync (self, start_open_sync, message, cancellable);
  return missive_crypto_context_open_message_finish (self, result, error);
}
