/* missive-openpgp-mime.c: PGP/MIME (RFC 3156) and inline OpenPGP
 *
 * GMime builds and takes apart the MIME structure; GPGME does the crypto.
 * Each operation works on a copy of the message's body, so the caller's
 * message is never changed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-openpgp-private.h"

#define PGP_SIGNATURE_TYPE "application/pgp-signature"
#define PGP_ENCRYPTED_TYPE "application/pgp-encrypted"

static void
key_unref (gpointer key)
{
  gpgme_key_unref (key);
}

/* A private copy of the body of @message. */
static GMimeObject *
copy_body (GMimeMessage  *message,
           GError       **error)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);
  g_autoptr(GBytes) bytes = NULL;

  if (body == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The message has no body");
      return NULL;
    }
  bytes = missive_crypto_object_to_canonical_bytes (body);
  return missive_crypto_object_new_from_bytes (bytes, error);
}

static GMimePart *
new_leaf (const char   *type,
          const char   *subtype,
          GBytes       *content,
          const char   *filename,
          const char   *description)
{
  GMimePart *part = g_mime_part_new_with_type (type, subtype);
  GMimeStream *stream;
  GMimeDataWrapper *wrapper;

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (content, NULL),
                                              g_bytes_get_size (content));
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, wrapper);
  g_object_unref (wrapper);
  g_object_unref (stream);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_7BIT);
  if (filename != NULL)
    {
      g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "name", filename);
      g_mime_object_set_disposition (GMIME_OBJECT (part), "inline");
      g_mime_part_set_filename (part, filename);
    }
  if (description != NULL)
    g_mime_part_set_content_description (part, description);
  return part;
}

static gboolean
bytes_have_prefix (GBytes     *bytes,
                   const char *marker)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  gsize i = 0;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return length - i >= strlen (marker) && memcmp (data + i, marker, strlen (marker)) == 0;
}

/* The text part an inline operation works on: the body itself. */
static GMimeTextPart *
inline_text_part (GMimeMessage  *message,
                  GError       **error)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);

  if (body == NULL || !GMIME_IS_TEXT_PART (body))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                           "Inline OpenPGP needs a message whose body is one text part");
      return NULL;
    }
  return GMIME_TEXT_PART (body);
}

/* A copy of @original (a text part) with @content as its text. */
static GMimeObject *
new_text_like (GMimeTextPart *original,
               GBytes        *content)
{
  GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (original));
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (g_mime_content_type_get_media_subtype (type));
  const char *charset = g_mime_text_part_get_charset (original);
  GMimeStream *stream;
  GMimeDataWrapper *wrapper;

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (content, NULL),
                                              g_bytes_get_size (content));
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (part), wrapper);
  g_object_unref (wrapper);
  g_object_unref (stream);
  if (charset != NULL)
    g_mime_text_part_set_charset (part, charset);
  g_mime_object_encode (GMIME_OBJECT (part), GMIME_ENCODING_CONSTRAINT_7BIT);
  return GMIME_OBJECT (part);
}

static gboolean
digest_matches (const char       *wanted,
                gpgme_hash_algo_t algo)
{
  const char *name = gpgme_hash_algo_name (algo);
  g_autoptr(GString) a = g_string_new (NULL);

  if (wanted == NULL)
    return TRUE;
  if (name == NULL)
    return FALSE;
  for (const char *p = wanted; *p != '\0'; p++)
    if (*p != '-' && *p != '_')
      g_string_append_c (a, g_ascii_toupper (*p));
  return g_ascii_strcasecmp (a->str, name) == 0;
}

/* ---- running GPGME with passphrase retries ------------------------------- */

/* In loopback mode gpg-agent gives up after one wrong passphrase; like
 * GnuPG's own pinentry we ask up to three times, each retry marked as
 * following a bad answer. */
#define PASSPHRASE_ATTEMPTS 3

typedef enum
{
  CALL_SIGN,
  CALL_ENCRYPT,
  CALL_ENCRYPT_SIGN,
  CALL_DECRYPT,
  CALL_DECRYPT_VERIFY,
} CallKind;

static gpgme_error_t
call_gpgme (MissiveOpenpgpOp       *op,
            CallKind                kind,
            GBytes                 *input,
            gpgme_sig_mode_t        mode,
            gpgme_key_t            *recp,
            gpgme_encrypt_flags_t   flags,
            GBytes                **output)
{
  for (guint attempt = 1; ; attempt++)
    {
      gpgme_data_t in = missive_openpgp_data_new (input);
      gpgme_data_t out = missive_openpgp_data_new (NULL);
      guint asked = op->passphrase_asked;
      gpgme_error_t err = 0;

      switch (kind)
        {
        case CALL_SIGN:
          err = gpgme_op_sign (op->ctx, in, out, mode);
          break;
        case CALL_ENCRYPT:
          err = gpgme_op_encrypt (op->ctx, recp, flags, in, out);
          break;
        case CALL_ENCRYPT_SIGN:
          err = gpgme_op_encrypt_sign (op->ctx, recp, flags, in, out);
          break;
        case CALL_DECRYPT:
          err = gpgme_op_decrypt (op->ctx, in, out);
          break;
        case CALL_DECRYPT_VERIFY:
          err = gpgme_op_decrypt_verify (op->ctx, in, out);
          break;
        default:
          g_assert_not_reached ();
        }
      gpgme_data_release (in);
      g_clear_pointer (output, g_bytes_unref);
      *output = missive_gpgme_data_steal_bytes (out);

      if (gpgme_err_code (err) == GPG_ERR_BAD_PASSPHRASE && op->passphrase_asked > asked &&
          !op->passphrase_refused && attempt < PASSPHRASE_ATTEMPTS &&
          !g_cancellable_is_cancelled (op->cancellable))
        {
          op->previous_was_bad = TRUE;
          continue;
        }
      return err;
    }
}

/* ---- sign ------------------------------------------------------------------ */

static gboolean
add_signers (MissiveOpenpgpOp    *op,
             const char * const  *signers,
             GError             **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (key_unref);

  if (!missive_openpgp_find_keys (op, signers, TRUE, keys, error))
    return FALSE;
  gpgme_signers_clear (op->ctx);
  for (guint i = 0; i < keys->len; i++)
    gpgme_signers_add (op->ctx, g_ptr_array_index (keys, i));
  return TRUE;
}

/* Signs @data; @micalg gets "pgp-<hash>" of the first signature. */
static GBytes *
sign_bytes (MissiveOpenpgpOp  *op,
            GBytes            *data,
            gpgme_sig_mode_t   mode,
            char             **micalg,
            GError           **error)
{
  const char *wanted = missive_crypto_context_get_digest_algorithm (op->self);
  gpgme_sign_result_t result;
  gpgme_error_t err;
  g_autoptr(GBytes) signature = NULL;

  err = call_gpgme (op, CALL_SIGN, data, mode, NULL, 0, &signature);
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Signing"));
      return NULL;
    }
  result = gpgme_op_sign_result (op->ctx);
  if (result == NULL || result->signatures == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                           "Signing failed: GnuPG made no signature");
      return NULL;
    }
  for (gpgme_new_signature_t sig = result->signatures; sig != NULL; sig = sig->next)
    if (!digest_matches (wanted, sig->hash_algo))
      {
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                     "Signing failed: GnuPG chose the hash %s, and GPGME cannot ask for %s "
                     "(set personal-digest-preferences in gpg.conf instead)",
                     gpgme_hash_algo_name (sig->hash_algo), wanted);
        return NULL;
      }
  if (micalg != NULL)
    *micalg = g_strdup_printf ("pgp-%s", gpgme_hash_algo_name (result->signatures->hash_algo));
  if (micalg != NULL)
    for (char *p = *micalg; *p != '\0'; p++)
      *p = g_ascii_tolower (*p);
  return g_steal_pointer (&signature);
}

static GMimeMessage *
sign_inline (MissiveOpenpgpOp  *op,
             GMimeMessage      *message,
             GError           **error)
{
  GMimeTextPart *text = inline_text_part (message, error);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) signed_text = NULL;
  MISSIVE_AUTO_UNREF GMimeObject *part = NULL;

  if (text == NULL)
    return NULL;
  plain = missive_crypto_part_get_content_bytes (GMIME_PART (text));
  signed_text = sign_bytes (op, plain, GPGME_SIG_MODE_CLEAR, NULL, error);
  if (signed_text == NULL)
    return NULL;
  part = new_text_like (text, signed_text);
  return missive_crypto_message_new_with_part (message, part);
}

GMimeMessage *
missive_openpgp_sign (MissiveCryptoContext  *self,
                      GMimeMessage          *message,
                      const char * const    *signers,
                      MissiveCryptoFlags     flags,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  MISSIVE_AUTO_UNREF GMimeObject *content = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) signature = NULL;
  MISSIVE_AUTO_UNREF GMimeMultipartSigned *mps = NULL;
  MISSIVE_AUTO_UNREF GMimePart *sig_part = NULL;
  g_autofree char *micalg = NULL;

  if (op == NULL || !add_signers (op, signers, error))
    return NULL;
  if (flags & MISSIVE_CRYPTO_FLAGS_INLINE)
    return sign_inline (op, message, error);

  content = copy_body (message, error);
  if (content == NULL)
    return NULL;
  /* RFC 3156 section 5: the signed part must survive 7-bit transport
   * unchanged. */
  g_mime_object_encode (content, GMIME_ENCODING_CONSTRAINT_7BIT);
  data = missive_crypto_object_to_canonical_bytes (content);
  signature = sign_bytes (op, data, GPGME_SIG_MODE_DETACH, &micalg, error);
  if (signature == NULL)
    return NULL;

  mps = g_mime_multipart_signed_new ();
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (mps), "protocol", PGP_SIGNATURE_TYPE);
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (mps), "micalg", micalg);
  g_mime_multipart_set_boundary (GMIME_MULTIPART (mps), NULL);
  g_mime_multipart_add (GMIME_MULTIPART (mps), content);
  sig_part = new_leaf ("application", "pgp-signature", signature, "signature.asc",
                       "OpenPGP digital signature");
  g_mime_multipart_add (GMIME_MULTIPART (mps), GMIME_OBJECT (sig_part));
  return missive_crypto_message_new_with_part (message, GMIME_OBJECT (mps));
}

/* ---- verify ---------------------------------------------------------------- */

static gboolean
is_pgp_multipart (GMimeObject *object,
                  GType        type,
                  const char  *protocol)
{
  const char *value;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (object, type))
    return FALSE;
  value = g_mime_object_get_content_type_parameter (object, "protocol");
  return value != NULL && g_ascii_strcasecmp (value, protocol) == 0;
}

/* Checks a PGP/MIME multipart/signed: appends its signatures to @store. */
static gboolean
verify_multipart (MissiveOpenpgpOp  *op,
                  GMimeObject       *mps,
                  GListStore        *store,
                  GError           **error)
{
  GMimeObject *content, *sig_object;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GListModel) list = NULL;
  gpgme_data_t sig_data, signed_data;
  gpgme_error_t err;
  guint n;

  if (g_mime_multipart_get_count (GMIME_MULTIPART (mps)) != 2)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The multipart/signed part does not have exactly two parts");
      return FALSE;
    }
  content = g_mime_multipart_get_part (GMIME_MULTIPART (mps), 0);
  sig_object = g_mime_multipart_get_part (GMIME_MULTIPART (mps), 1);
  if (!GMIME_IS_PART (sig_object))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The second part of the multipart/signed is not a signature");
      return FALSE;
    }

  data = missive_crypto_object_to_canonical_bytes (content);
  signature = missive_crypto_part_get_content_bytes (GMIME_PART (sig_object));
  sig_data = missive_openpgp_data_new (signature);
  signed_data = missive_openpgp_data_new (data);
  err = gpgme_op_verify (op->ctx, sig_data, signed_data, NULL);
  gpgme_data_release (sig_data);
  gpgme_data_release (signed_data);
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Verifying the signature"));
      return FALSE;
    }
  list = missive_openpgp_signatures_new (op, gpgme_op_verify_result (op->ctx));
  n = g_list_model_get_n_items (list);
  if (n == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The signature part holds no OpenPGP signature");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      g_list_store_append (store, item);
    }
  return TRUE;
}

GListModel *
missive_openpgp_verify (MissiveCryptoContext  *self,
                        GMimeMessage          *message,
                        GMimeMessage         **content,
                        GCancellable          *cancellable,
                        GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  g_autoptr(GListStore) store = NULL;
  GMimeObject *body;

  if (op == NULL)
    return NULL;
  body = g_mime_message_get_mime_part (message);
  store = g_list_store_new (MISSIVE_TYPE_SIGNATURE);

  if (body != NULL && is_pgp_multipart (body, GMIME_TYPE_MULTIPART_SIGNED, PGP_SIGNATURE_TYPE))
    {
      if (!verify_multipart (op, body, store, error))
        return NULL;
      if (content != NULL)
        *content = missive_crypto_message_new_with_part (
            message, g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
      return G_LIST_MODEL (g_steal_pointer (&store));
    }

  if (body != NULL && GMIME_IS_TEXT_PART (body))
    {
      g_autoptr(GBytes) text = missive_crypto_part_get_content_bytes (GMIME_PART (body));

      if (bytes_have_prefix (text, "-----BEGIN PGP SIGNED MESSAGE-----"))
        {
          gpgme_data_t in = missive_openpgp_data_new (text);
          gpgme_data_t out = missive_openpgp_data_new (NULL);
          g_autoptr(GBytes) plain = NULL;
          g_autoptr(GListModel) list = NULL;
          gpgme_error_t err;

          err = gpgme_op_verify (op->ctx, in, NULL, out);
          gpgme_data_release (in);
          plain = missive_gpgme_data_steal_bytes (out);
          if (err != 0)
            {
              g_propagate_error (error, missive_openpgp_error (op, err, "Verifying the signature"));
              return NULL;
            }
          list = missive_openpgp_signatures_new (op, gpgme_op_verify_result (op->ctx));
          if (g_list_model_get_n_items (list) == 0)
            {
              g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                                   "The clear-signed text holds no OpenPGP signature");
              return NULL;
            }
          if (content != NULL)
            {
              MISSIVE_AUTO_UNREF GMimeObject *part = new_text_like (GMIME_TEXT_PART (body), plain);

              *content = missive_crypto_message_new_with_part (message, part);
            }
          return g_steal_pointer (&list);
        }
    }

  g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                       "The message is not signed with OpenPGP (neither PGP/MIME nor clear-signed text)");
  return NULL;
}

/* ---- encrypt --------------------------------------------------------------- */

static GError *
encrypt_error (MissiveOpenpgpOp *op,
               gpgme_error_t     err)
{
  gpgme_encrypt_result_t result = gpgme_op_encrypt_result (op->ctx);

  if (result != NULL && result->invalid_recipients != NULL)
    {
      char text[256];

      gpgme_strerror_r (result->invalid_recipients->reason, text, sizeof text);
      return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                          "Encryption failed: the key %s cannot be used: %s",
                          result->invalid_recipients->fpr, text);
    }
  return missive_openpgp_error (op, err, "Encryption");
}

GMimeMessage *
missive_openpgp_encrypt (MissiveCryptoContext  *self,
                         GMimeMessage          *message,
                         const char * const    *signers,
                         const char * const    *recipients,
                         MissiveCryptoFlags     flags,
                         GCancellable          *cancellable,
                         GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (key_unref);
  MISSIVE_AUTO_UNREF GMimeObject *content = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_autofree gpgme_key_t *recp = NULL;
  gpgme_encrypt_flags_t gflags = 0;
  gpgme_error_t err;
  GMimeTextPart *text = NULL;

  if (op == NULL)
    return NULL;
  if (missive_crypto_context_get_cipher_algorithm (self) != NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                   "Encryption failed: GPGME cannot choose the cipher (%s); GnuPG takes it from "
                   "the recipients' key preferences (personal-cipher-preferences in gpg.conf)",
                   missive_crypto_context_get_cipher_algorithm (self));
      return NULL;
    }
  if (signers != NULL && !add_signers (op, signers, error))
    return NULL;
  if (!missive_openpgp_find_keys (op, recipients, FALSE, keys, error))
    return NULL;

  if (flags & MISSIVE_CRYPTO_FLAGS_INLINE)
    {
      text = inline_text_part (message, error);
      if (text == NULL)
        return NULL;
      plain = missive_crypto_part_get_content_bytes (GMIME_PART (text));
    }
  else
    {
      content = copy_body (message, error);
      if (content == NULL)
        return NULL;
      plain = missive_crypto_object_to_canonical_bytes (content);
    }

  if (keys->len > 0)
    {
      recp = g_new0 (gpgme_key_t, keys->len + 1);
      for (guint i = 0; i < keys->len; i++)
        recp[i] = g_ptr_array_index (keys, i);
    }
  if (missive_crypto_context_get_always_trust (self))
    gflags |= GPGME_ENCRYPT_ALWAYS_TRUST;
  if (flags & MISSIVE_CRYPTO_FLAGS_SYMMETRIC)
    gflags |= GPGME_ENCRYPT_SYMMETRIC;

  err = call_gpgme (op, signers != NULL ? CALL_ENCRYPT_SIGN : CALL_ENCRYPT, plain, 0, recp, gflags,
                    &cipher);
  if (err != 0)
    {
      g_propagate_error (error, encrypt_error (op, err));
      return NULL;
    }

  if (text != NULL)
    {
      MISSIVE_AUTO_UNREF GMimeObject *part = new_text_like (text, cipher);

      return missive_crypto_message_new_with_part (message, part);
    }
  else
    {
      MISSIVE_AUTO_UNREF GMimeMultipartEncrypted *mpe = g_mime_multipart_encrypted_new ();
      g_autoptr(GBytes) version = g_bytes_new_static ("Version: 1\n", 11);
      MISSIVE_AUTO_UNREF GMimePart *control = new_leaf ("application", "pgp-encrypted", version, NULL,
                                               "PGP/MIME version identification");
      MISSIVE_AUTO_UNREF GMimePart *data = new_leaf ("application", "octet-stream", cipher, "encrypted.asc",
                                            "OpenPGP encrypted message");

      g_mime_object_set_content_type_parameter (GMIME_OBJECT (mpe), "protocol", PGP_ENCRYPTED_TYPE);
      g_mime_multipart_set_boundary (GMIME_MULTIPART (mpe), NULL);
      g_mime_multipart_add (GMIME_MULTIPART (mpe), GMIME_OBJECT (control));
      g_mime_multipart_add (GMIME_MULTIPART (mpe), GMIME_OBJECT (data));
      return missive_crypto_message_new_with_part (message, GMIME_OBJECT (mpe));
    }
}

/* ---- decrypt --------------------------------------------------------------- */

static MissiveDecryptResult *
decrypt_result_new (MissiveOpenpgpOp *op,
                    GListModel       *signatures)
{
  gpgme_decrypt_result_t result = gpgme_op_decrypt_result (op->ctx);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recipients = NULL;
  g_autofree char *cipher = NULL;
  const char *decrypted_with = NULL;

  if (result != NULL)
    {
      for (gpgme_recipient_t r = result->recipients; r != NULL; r = r->next)
        {
          if (r->keyid != NULL)
            g_strv_builder_add (builder, r->keyid);
          if (r->status == 0 && decrypted_with == NULL)
            decrypted_with = r->keyid;
        }
      if (result->symkey_algo != NULL)
        {
          const char *dot = strchr (result->symkey_algo, '.');

          cipher = dot != NULL ? g_strndup (result->symkey_algo, dot - result->symkey_algo)
                               : g_strdup (result->symkey_algo);
        }
    }
  recipients = g_strv_builder_end (builder);

  return g_object_new (MISSIVE_TYPE_DECRYPT_RESULT,
                       "recipients", recipients,
                       "cipher-algorithm", cipher,
                       "decrypted-with", decrypted_with,
                       "symmetric", result != NULL && result->recipients == NULL,
                       "signatures", signatures,
                       NULL);
}

GMimeMessage *
missive_openpgp_decrypt (MissiveCryptoContext  *self,
                         GMimeMessage          *message,
                         gboolean               verify,
                         MissiveDecryptResult **result,
                         GCancellable          *cancellable,
                         GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) plain = NULL;
  MISSIVE_AUTO_UNREF GMimeObject *part = NULL;
  g_autoptr(GListStore) store = NULL;
  GMimeTextPart *text = NULL;
  GMimeObject *body;
  gpgme_error_t err;

  if (op == NULL)
    return NULL;
  body = g_mime_message_get_mime_part (message);

  if (body != NULL && is_pgp_multipart (body, GMIME_TYPE_MULTIPART_ENCRYPTED, PGP_ENCRYPTED_TYPE))
    {
      GMimeObject *data;

      if (g_mime_multipart_get_count (GMIME_MULTIPART (body)) != 2 ||
          !GMIME_IS_PART ((data = g_mime_multipart_get_part (GMIME_MULTIPART (body), 1))))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                               "The multipart/encrypted part does not have a version and a data part");
          return NULL;
        }
      cipher = missive_crypto_part_get_content_bytes (GMIME_PART (data));
    }
  else if (body != NULL && GMIME_IS_TEXT_PART (body))
    {
      cipher = missive_crypto_part_get_content_bytes (GMIME_PART (body));
      if (!bytes_have_prefix (cipher, "-----BEGIN PGP MESSAGE-----"))
        g_clear_pointer (&cipher, g_bytes_unref);
      else
        text = GMIME_TEXT_PART (body);
    }
  if (cipher == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The message is not encrypted with OpenPGP (neither PGP/MIME nor an armoured text)");
      return NULL;
    }

  err = call_gpgme (op, verify ? CALL_DECRYPT_VERIFY : CALL_DECRYPT, cipher, 0, NULL, 0, &plain);
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Decryption"));
      return NULL;
    }

  store = g_list_store_new (MISSIVE_TYPE_SIGNATURE);
  if (verify)
    {
      g_autoptr(GListModel) list = missive_openpgp_signatures_new (op, gpgme_op_verify_result (op->ctx));

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (list, i);

          g_list_store_append (store, item);
        }
    }
  /* The decrypt result must be read before another GPGME operation. */
  if (result != NULL)
    *result = decrypt_result_new (op, G_LIST_MODEL (store));

  if (text != NULL)
    part = new_text_like (text, plain);
  else
    {
      part = missive_crypto_object_new_from_bytes (plain, error);
      if (part == NULL)
        {
          if (result != NULL)
            g_clear_object (result);
          return NULL;
        }
      /* Signed, then encrypted (RFC 3156 section 6.1). */
      if (verify && is_pgp_multipart (part, GMIME_TYPE_MULTIPART_SIGNED, PGP_SIGNATURE_TYPE) &&
          !verify_multipart (op, part, store, error))
        {
          if (result != NULL)
            g_clear_object (result);
          return NULL;
        }
    }
  return missive_crypto_message_new_with_part (message, part);
}
