/* missive-smime-mime.c: S/MIME messages (RFC 8551): sign, encrypt,
 * decrypt, verify
 *
 * Signing makes a multipart/signed with a detached
 * application/pkcs7-signature (or, with the context's opaque-sign
 * property, an application/pkcs7-mime signed-data part); encrypting makes
 * an application/pkcs7-mime enveloped-data part. Signing and encrypting
 * signs first and encrypts the signed entity, as RFC 8551 section 3.7
 * describes (gpgsm cannot do both in one step).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smime-private.h"

/* RFC 8551 section 3.5.3: "sha-256" for GPGME's "SHA256". */
static char *
micalg_from_hash (gpgme_hash_algo_t algo)
{
  const char *name = gpgme_hash_algo_name (algo);
  g_autofree char *lower = NULL;

  if (name == NULL)
    return NULL;
  lower = g_ascii_strdown (name, -1);
  if (g_str_has_prefix (lower, "sha") && g_ascii_isdigit (lower[3]))
    return g_strdup_printf ("sha-%s", lower + 3);
  return g_steal_pointer (&lower);
}

/* "SHA-256", "sha256", "SHA256" all name the same digest. */
static gboolean
algorithm_names_match (const char *wanted,
                       const char *used)
{
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);

  for (const char *p = wanted; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (a, g_ascii_tolower (*p));
  for (const char *p = used != NULL ? used : ""; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (b, g_ascii_tolower (*p));
  return g_str_equal (a->str, b->str);
}

static GMimePart *
part_new_with_der (GMimePart *part,
                   GBytes    *der)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (der, &length);
  GByteArray *array = g_byte_array_sized_new (length);
  GMimeStream *stream;
  GMimeDataWrapper *wrapper;

  g_byte_array_append (array, data, length);
  stream = g_mime_stream_mem_new_with_byte_array (array);   /* owns @array */
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, wrapper);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  g_object_unref (wrapper);
  g_object_unref (stream);
  return part;
}

static gboolean
check_sign_result (gpgme_ctx_t   ctx,
                   const char   *wanted_digest,
                   char        **micalg,
                   GError      **error)
{
  gpgme_sign_result_t result = gpgme_op_sign_result (ctx);
  g_autoptr(GString) names = g_string_new (NULL);

  if (result != NULL && result->invalid_signers != NULL)
    {
      gpgme_invalid_key_t bad = result->invalid_signers;

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                   "gpgsm could not sign with %s: %s",
                   bad->fpr != NULL ? bad->fpr : "a signer", gpgme_strerror (bad->reason));
      return FALSE;
    }
  if (result == NULL || result->signatures == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                           "gpgsm made no signature");
      return FALSE;
    }
  for (gpgme_new_signature_t sig = result->signatures; sig != NULL; sig = sig->next)
    {
      g_autofree char *name = micalg_from_hash (sig->hash_algo);

      if (wanted_digest != NULL && *wanted_digest != '\0' &&
          !algorithm_names_match (wanted_digest, gpgme_hash_algo_name (sig->hash_algo)))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                       "S/MIME: gpgsm signed with %s, not %s; GPGME cannot choose gpgsm's "
                       "digest algorithm (set digest-algo in gpgsm.conf instead)",
                       gpgme_hash_algo_name (sig->hash_algo), wanted_digest);
          return FALSE;
        }
      if (name != NULL && strstr (names->str, name) == NULL)
        {
          if (names->len > 0)
            g_string_append_c (names, ',');
          g_string_append (names, name);
        }
    }
  if (micalg != NULL)
    {
      gboolean empty = names->len == 0;

      *micalg = g_string_free (g_steal_pointer (&names), empty);
    }
  return TRUE;
}

/* Signs @entity with @keys (already unlocked); a new multipart/signed, or
 * an application/pkcs7-mime signed-data part when @opaque. @entity is
 * re-encoded in place to 7 bits first, so that no transport can change
 * what was signed. */
static GMimeObject *
sign_entity (MissiveSmimeContext *self,
             MissiveSmimeOp      *op,
             GMimeObject         *entity,
             GPtrArray           *keys,
             gboolean             opaque,
             GError             **error)
{
  const char *digest = missive_crypto_context_get_digest_algorithm (MISSIVE_CRYPTO_CONTEXT (self));
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_auto(gpgme_data_t) in = NULL;
  g_autofree char *micalg = NULL;
  gpgme_data_t out;
  gpgme_error_t err;

  gpgme_signers_clear (op->ctx);
  for (guint i = 0; i < keys->len; i++)
    {
      err = gpgme_signers_add (op->ctx, g_ptr_array_index (keys, i));
      if (missive_smime_set_error (error, err, MISSIVE_ERROR_KEY_NOT_FOUND,
                                   "Could not add an S/MIME signer"))
        return NULL;
    }

  if (!opaque)
    g_mime_object_encode (entity, GMIME_ENCODING_CONSTRAINT_7BIT);
  content = missive_crypto_object_to_canonical_bytes (entity);
  in = missive_smime_data_new_from_bytes (content, error);
  if (in == NULL)
    return NULL;
  out = missive_smime_data_new (error);
  if (out == NULL)
    return NULL;
  err = gpgme_op_sign (op->ctx, in, out, opaque ? GPGME_SIG_MODE_NORMAL : GPGME_SIG_MODE_DETACH);
  signature = missive_gpgme_data_steal_bytes (out);
  if (missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED, "S/MIME signing failed"))
    return NULL;
  if (!check_sign_result (op->ctx, digest, &micalg, error))
    return NULL;

  if (opaque)
    {
      GMimeApplicationPkcs7Mime *part;

      part = g_mime_application_pkcs7_mime_new (GMIME_SECURE_MIME_TYPE_SIGNED_DATA);
      part_new_with_der (GMIME_PART (part), signature);
      return GMIME_OBJECT (part);
    }
  else
    {
      GMimeMultipartSigned *mps = g_mime_multipart_signed_new ();
      GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (mps));
      GMimePart *sig_part = g_mime_part_new_with_type ("application", "pkcs7-signature");

      g_mime_multipart_set_boundary (GMIME_MULTIPART (mps), NULL);   /* a new random one */
      g_mime_content_type_set_parameter (type, "protocol", "application/pkcs7-signature");
      if (micalg != NULL)
        g_mime_content_type_set_parameter (type, "micalg", micalg);
      g_mime_part_set_filename (sig_part, "smime.p7s");
      part_new_with_der (sig_part, signature);
      g_mime_multipart_add (GMIME_MULTIPART (mps), entity);
      g_mime_multipart_add (GMIME_MULTIPART (mps), GMIME_OBJECT (sig_part));
      g_object_unref (sig_part);
      return GMIME_OBJECT (mps);
    }
}

static gboolean
check_flags (MissiveCryptoFlags flags,
             GError           **error)
{
  if (flags & MISSIVE_CRYPTO_FLAGS_INLINE)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                           "S/MIME has no inline form (MISSIVE_CRYPTO_FLAGS_INLINE is OpenPGP only)");
      return FALSE;
    }
  if (flags & MISSIVE_CRYPTO_FLAGS_SYMMETRIC)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                           "S/MIME encryption with a passphrase is not supported (gpgsm "
                           "encrypts only to certificates)");
      return FALSE;
    }
  return TRUE;
}

static GMimeObject *
message_body (GMimeMessage *message,
              GError      **error)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);

  if (body == NULL)
    g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                         "The message has no body");
  return body;
}

/* Finds the signers' certificates and makes their keys usable. */
static GPtrArray *
prepare_signers (MissiveSmimeContext *self,
                 MissiveSmimeOp      *op,
                 const char * const  *signers,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GPtrArray) keys = missive_smime_find_keys (op->ctx, signers, TRUE, error);

  if (keys == NULL)
    return NULL;
  if (!missive_smime_unlock_keys (self, keys, cancellable, error))
    return NULL;
  return g_steal_pointer (&keys);
}

GMimeMessage *
missive_smime_sign (MissiveCryptoContext  *context,
                    GMimeMessage          *message,
                    const char * const    *signers,
                    MissiveCryptoFlags     flags,
                    GCancellable          *cancellable,
                    GError               **error)
{
  MissiveSmimeContext *self = MISSIVE_SMIME_CONTEXT (context);
  g_autoptr(MissiveSmimeOp) op = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  GMimeObject *body;
  GMimeObject *signed_entity;
  GMimeMessage *result;

  if (!check_flags (flags, error))
    return NULL;
  body = message_body (message, error);
  if (body == NULL)
    return NULL;
  op = missive_smime_op_new (self, cancellable, error);
  if (op == NULL)
    return NULL;
  keys = prepare_signers (self, op, signers, cancellable, error);
  if (keys == NULL)
    return NULL;
  signed_entity = sign_entity (self, op, body, keys,
                               missive_smime_context_get_opaque_sign (self), error);
  if (signed_entity == NULL)
    return NULL;
  result = missive_crypto_message_new_with_part (message, signed_entity);
  g_object_unref (signed_entity);
  return result;
}

static gboolean
check_cipher (MissiveCryptoContext *context,
              GError              **error)
{
  const char *cipher = missive_crypto_context_get_cipher_algorithm (context);

  /* gpgsm's default, the only one GPGME lets us have. */
  if (cipher == NULL || *cipher == '\0' ||
      algorithm_names_match (cipher, "AES128") || algorithm_names_match (cipher, "AES") ||
      algorithm_names_match (cipher, "AES128-CBC"))
    return TRUE;
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
               "S/MIME: GPGME cannot choose gpgsm's cipher (it uses AES128); “%s” can "
               "only be set as cipher-algo in gpgsm.conf", cipher);
  return FALSE;
}

GMimeMessage *
missive_smime_encrypt (MissiveCryptoContext  *context,
                       GMimeMessage          *message,
                       const char * const    *signers,
                       const char * const    *recipients,
                       MissiveCryptoFlags     flags,
                       GCancellable          *cancellable,
                       GError               **error)
{
  MissiveSmimeContext *self = MISSIVE_SMIME_CONTEXT (context);
  g_autoptr(MissiveSmimeOp) op = NULL;
  g_autoptr(GPtrArray) rkeys = NULL;
  g_autoptr(GPtrArray) skeys = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_auto(gpgme_data_t) in = NULL;
  GMimeApplicationPkcs7Mime *part;
  GMimeObject *body;
  GMimeObject *entity;
  GMimeMessage *result;
  gpgme_encrypt_result_t encrypt_result;
  gpgme_encrypt_flags_t encrypt_flags = 0;
  gpgme_data_t out;
  gpgme_error_t err;

  if (!check_flags (flags, error) || !check_cipher (context, error))
    return NULL;
  body = message_body (message, error);
  if (body == NULL)
    return NULL;
  op = missive_smime_op_new (self, cancellable, error);
  if (op == NULL)
    return NULL;
  rkeys = missive_smime_find_keys (op->ctx, recipients, FALSE, error);
  if (rkeys == NULL)
    return NULL;

  if (signers != NULL && signers[0] != NULL)
    {
      skeys = prepare_signers (self, op, signers, cancellable, error);
      if (skeys == NULL)
        return NULL;
      entity = sign_entity (self, op, body, skeys,
                            missive_smime_context_get_opaque_sign (self), error);
      if (entity == NULL)
        return NULL;
    }
  else
    entity = g_object_ref (body);

  plain = missive_crypto_object_to_canonical_bytes (entity);
  g_object_unref (entity);
  in = missive_smime_data_new_from_bytes (plain, error);
  if (in == NULL)
    return NULL;
  out = missive_smime_data_new (error);
  if (out == NULL)
    return NULL;

  g_ptr_array_add (rkeys, NULL);   /* GPGME wants a NULL-terminated array */
  if (missive_crypto_context_get_always_trust (context))
    encrypt_flags |= GPGME_ENCRYPT_ALWAYS_TRUST;
  err = gpgme_op_encrypt (op->ctx, (gpgme_key_t *) rkeys->pdata, encrypt_flags, in, out);
  g_ptr_array_remove_index (rkeys, rkeys->len - 1);
  cipher = missive_gpgme_data_steal_bytes (out);
  encrypt_result = gpgme_op_encrypt_result (op->ctx);
  if (encrypt_result != NULL && encrypt_result->invalid_recipients != NULL)
    {
      gpgme_invalid_key_t bad = encrypt_result->invalid_recipients;

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                   "gpgsm cannot encrypt to %s: %s",
                   bad->fpr != NULL ? bad->fpr : "a recipient", gpgme_strerror (bad->reason));
      return NULL;
    }
  if (missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED, "S/MIME encryption failed"))
    return NULL;

  part = g_mime_application_pkcs7_mime_new (GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA);
  part_new_with_der (GMIME_PART (part), cipher);
  result = missive_crypto_message_new_with_part (message, GMIME_OBJECT (part));
  g_object_unref (part);
  return result;
}

/* The secret keys we hold among the recipients gpgsm reported. */
static GPtrArray *
our_recipient_keys (gpgme_ctx_t          ctx,
                    gpgme_decrypt_result_t result)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) gpgme_key_unref);

  for (gpgme_recipient_t r = result != NULL ? result->recipients : NULL; r != NULL; r = r->next)
    {
      gpgme_key_t key = NULL;

      if (r->keyid != NULL && gpgme_get_key (ctx, r->keyid, &key, 1) == 0 && key != NULL)
        g_ptr_array_add (keys, key);
    }
  return keys;
}

typedef struct
{
  GBytes     *plain;
  GStrv       recipients;
  char       *cipher_algorithm;
  char       *decrypted_with;
} Decrypted;

static void
decrypted_clear (Decrypted *d)
{
  g_clear_pointer (&d->plain, g_bytes_unref);
  g_clear_pointer (&d->recipients, g_strfreev);
  g_clear_pointer (&d->cipher_algorithm, g_free);
  g_clear_pointer (&d->decrypted_with, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decrypted, decrypted_clear)

/* One decryption attempt; sets *@locked when it failed for want of a
 * secret key we have but could not use (its passphrase not cached): the
 * keys are then in @locked_keys. */
static gboolean
decrypt_once (MissiveSmimeContext *self,
              GBytes              *cipher,
              Decrypted           *d,
              GPtrArray          **locked_keys,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(MissiveSmimeOp) op = NULL;
  g_auto(gpgme_data_t) in = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GStrvBuilder) recipients = g_strv_builder_new ();
  gpgme_decrypt_result_t result;
  gpgme_data_t out;
  gpgme_error_t err;

  op = missive_smime_op_new (self, cancellable, error);
  if (op == NULL)
    return FALSE;
  in = missive_smime_data_new_from_bytes (cipher, error);
  if (in == NULL)
    return FALSE;
  out = missive_smime_data_new (error);
  if (out == NULL)
    return FALSE;
  err = gpgme_op_decrypt (op->ctx, in, out);
  d->plain = missive_gpgme_data_steal_bytes (out);
  result = gpgme_op_decrypt_result (op->ctx);
  ours = our_recipient_keys (op->ctx, result);

  if (err)
    {
      gpgme_err_code_t code = gpgme_err_code (err);

      if (code == GPG_ERR_CANCELED && g_cancellable_is_cancelled (cancellable))
        return !missive_smime_set_error (error, err, MISSIVE_ERROR_DECRYPTION_FAILED,
                                         "S/MIME decryption");
      if (ours->len > 0 && locked_keys != NULL && code != GPG_ERR_BAD_DATA &&
          code != GPG_ERR_INV_DATA && code != GPG_ERR_DECRYPT_FAILED)
        {
          *locked_keys = g_steal_pointer (&ours);
          return FALSE;
        }
      if (ours->len == 0 && result != NULL && result->recipients != NULL)
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED,
                     "The message is not encrypted to any S/MIME certificate we have "
                     "a secret key for (%s)", gpgme_strerror (err));
      else
        missive_smime_set_error (error, err, MISSIVE_ERROR_DECRYPTION_FAILED,
                                 "S/MIME decryption failed");
      return FALSE;
    }

  for (gpgme_recipient_t r = result != NULL ? result->recipients : NULL; r != NULL; r = r->next)
    if (r->keyid != NULL)
      g_strv_builder_add (recipients, r->keyid);
  d->recipients = g_strv_builder_end (recipients);
  /* gpgsm 2.2 does not tell (GPGME then says "?.?"). */
  if (result != NULL && result->symkey_algo != NULL && result->symkey_algo[0] != '?')
    d->cipher_algorithm = g_strdup (result->symkey_algo);
  /* gpgsm (2.2) reports the recipients it tried, in order, and stops at
   * the one it could decrypt with: the last of ours. */
  if (ours->len > 0)
    {
      gpgme_key_t key = g_ptr_array_index (ours, ours->len - 1);

      d->decrypted_with = g_strdup (key->subkeys != NULL ? key->subkeys->fpr : NULL);
    }
  return TRUE;
}

GMimeMessage *
missive_smime_decrypt (MissiveCryptoContext  *context,
                       GMimeMessage          *message,
                       gboolean               verify,
                       MissiveDecryptResult **result,
                       GCancellable          *cancellable,
                       GError               **error)
{
  MissiveSmimeContext *self = MISSIVE_SMIME_CONTEXT (context);
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GPtrArray) locked = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_auto(Decrypted) d = { 0 };
  GError *local_error = NULL;
  GMimeObject *body;
  GMimeObject *inner;
  GMimeMessage *decrypted;

  body = message_body (message, error);
  if (body == NULL)
    return NULL;
  if (!missive_smime_is_pkcs7_mime (body, "enveloped-data"))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The message is not S/MIME encrypted (no application/pkcs7-mime "
                           "enveloped-data body)");
      return NULL;
    }
  cipher = missive_crypto_part_get_content_bytes (GMIME_PART (body));

  /* Which of our keys the message is for shows only after a first try
   * (gpgsm reports the recipients as it goes). If that key is protected
   * and its passphrase not cached, gpg-agent's own pinentry is asked
   * during this first try: without a terminal or display it fails at
   * once, with one the user may answer it there. */
  if (!decrypt_once (self, cipher, &d, &locked, cancellable, &local_error))
    {
      if (locked == NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      /* A key of ours is protected: ask for its passphrase, try again. */
      g_clear_error (&local_error);
      decrypted_clear (&d);
      if (!missive_smime_unlock_keys (self, locked, cancellable, error))
        return NULL;
      if (!decrypt_once (self, cipher, &d, NULL, cancellable, error))
        return NULL;
    }

  inner = missive_crypto_object_new_from_bytes (d.plain, error);
  if (inner == NULL)
    return NULL;

  if (verify &&
      (g_mime_content_type_is_type (g_mime_object_get_content_type (inner), "multipart", "signed") ||
       missive_smime_is_pkcs7_mime (inner, "signed-data")))
    {
      g_autoptr(MissiveSmimeOp) op = missive_smime_op_new (self, cancellable, error);
      GMimeObject *content = NULL;

      if (op == NULL)
        {
          g_object_unref (inner);
          return NULL;
        }
      signatures = missive_smime_verify_object (self, op, inner, &content, cancellable, error);
      if (signatures == NULL)
        {
          g_object_unref (inner);
          return NULL;
        }
      g_object_unref (inner);
      inner = content;
    }

  decrypted = missive_crypto_message_new_with_part (message, inner);
  g_object_unref (inner);
  if (result != NULL)
    *result = g_object_new (MISSIVE_TYPE_DECRYPT_RESULT,
                            "recipients", d.recipients,
                            "cipher-algorithm", d.cipher_algorithm,
                            "decrypted-with", d.decrypted_with,
                            "symmetric", FALSE,
                            "signatures", signatures,
                            NULL);
  return decrypted;
}

GListModel *
missive_smime_verify (MissiveCryptoContext  *context,
                      GMimeMessage          *message,
                      GMimeMessage         **content,
                      GCancellable          *cancellable,
                      GError               **error)
{
  MissiveSmimeContext *self = MISSIVE_SMIME_CONTEXT (context);
  g_autoptr(MissiveSmimeOp) op = NULL;
  GMimeObject *body;
  GMimeObject *inner = NULL;
  GListModel *signatures;

  body = message_body (message, error);
  if (body == NULL)
    return NULL;
  op = missive_smime_op_new (self, cancellable, error);
  if (op == NULL)
    return NULL;
  signatures = missive_smime_verify_object (self, op, body, &inner, cancellable, error);
  if (signatures == NULL)
    return NULL;
  if (content != NULL)
    *content = missive_crypto_message_new_with_part (message, inner);
  g_object_unref (inner);
  return signatures;
}
