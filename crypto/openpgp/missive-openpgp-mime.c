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
            const char             *recpstring,
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
          err = recpstring != NULL ? gpgme_op_encrypt_ext (op->ctx, NULL, recpstring, flags, in, out)
                                   : gpgme_op_encrypt (op->ctx, recp, flags, in, out);
          break;
        case CALL_ENCRYPT_SIGN:
          err = recpstring != NULL ? gpgme_op_encrypt_sign_ext (op->ctx, NULL, recpstring, flags, in, out)
                                   : gpgme_op_encrypt_sign (op->ctx, recp, flags, in, out);
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

static const char *
home_name (MissiveOpenpgpHomes *homes,
           guint                index)
{
  const char *home = missive_openpgp_homes_get (homes, index);

  return home != NULL ? home : "the default home";
}

/* Finds the signers' secret keys, in the context's home or its keyrings,
 * and makes @op sign with them in their home. With @multi_home, signers
 * from several homes are kept in @keys and @key_homes for the caller
 * (which signs once per home); otherwise they must share one home. */
static gboolean
add_signers (MissiveOpenpgpOp     *op,
             MissiveOpenpgpHomes  *homes,
             const char * const   *signers,
             GPtrArray            *keys,
             GArray               *key_homes,
             gboolean              multi_home,
             GError              **error)
{
  guint home;

  if (!missive_openpgp_homes_find_signers (homes, signers, keys, key_homes, error))
    return FALSE;
  g_return_val_if_fail (keys->len > 0, FALSE);
  home = g_array_index (key_homes, guint, 0);
  for (guint i = 1; i < keys->len; i++)
    if (g_array_index (key_homes, guint, i) != home)
      {
        if (multi_home)
          return TRUE;
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                     "Signing failed: the signers' keys are in different GnuPG homes (%s and %s); "
                     "GnuPG signs with one home's keys at a time, and only a PGP/MIME signature "
                     "without encryption can be made of several",
                     home_name (homes, home),
                     home_name (homes, g_array_index (key_homes, guint, i)));
        return FALSE;
      }
  if (!missive_openpgp_homes_use (homes, home, error))
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

  err = call_gpgme (op, CALL_SIGN, data, mode, NULL, NULL, 0, &signature);
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

/* ASCII armour (RFC 4880 section 6.2) around binary signature packets. */
static GBytes *
armor_signature (const guint8 *data,
                 gsize         length)
{
  g_autofree char *base64 = g_base64_encode (data, length);
  g_autofree char *crc64 = NULL;
  GString *out = g_string_new ("-----BEGIN PGP SIGNATURE-----\n\n");
  gsize total = strlen (base64);
  guint32 crc = 0xB704CE;
  guint8 crc_bytes[3];

  /* The CRC-24 of RFC 4880 section 6.1. */
  for (gsize i = 0; i < length; i++)
    {
      crc ^= (guint32) data[i] << 16;
      for (guint bit = 0; bit < 8; bit++)
        {
          crc <<= 1;
          if (crc & 0x1000000)
            crc ^= 0x1864CFB;
        }
    }
  crc_bytes[0] = (crc >> 16) & 0xff;
  crc_bytes[1] = (crc >> 8) & 0xff;
  crc_bytes[2] = crc & 0xff;
  crc64 = g_base64_encode (crc_bytes, 3);

  for (gsize i = 0; i < total; i += 64)
    {
      g_string_append_len (out, base64 + i, MIN (64, total - i));
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "=%s\n-----END PGP SIGNATURE-----\n", crc64);
  return g_string_free_to_bytes (out);
}

/* A detached signature by signers from several homes: gpg signs once per
 * home, the signature packets are put one after the other (as gpg does
 * for several -u of one home) and armoured together. All must use one
 * hash, since multipart/signed has one micalg (RFC 3156 section 5). */
static GBytes *
sign_per_home (MissiveOpenpgpOp     *op,
               MissiveOpenpgpHomes  *homes,
               GPtrArray            *keys,
               GArray               *key_homes,
               GBytes               *data,
               char                **micalg,
               GError              **error)
{
  g_autoptr(GByteArray) packets = g_byte_array_new ();
  g_autofree char *first_micalg = NULL;

  for (guint i = 0; i < keys->len; i++)
    {
      guint home = g_array_index (key_homes, guint, i);
      g_autofree char *this_micalg = NULL;
      g_autoptr(GBytes) signature = NULL;
      gboolean done = FALSE;

      for (guint j = 0; j < i && !done; j++)
        done = g_array_index (key_homes, guint, j) == home;
      if (done)
        continue;
      if (!missive_openpgp_homes_use (homes, home, error))
        return NULL;
      gpgme_signers_clear (op->ctx);
      for (guint j = i; j < keys->len; j++)
        if (g_array_index (key_homes, guint, j) == home)
          gpgme_signers_add (op->ctx, g_ptr_array_index (keys, j));
      gpgme_set_armor (op->ctx, 0);
      signature = sign_bytes (op, data, GPGME_SIG_MODE_DETACH, &this_micalg, error);
      gpgme_set_armor (op->ctx, 1);
      if (signature == NULL)
        return NULL;
      if (first_micalg == NULL)
        first_micalg = g_steal_pointer (&this_micalg);
      else if (strcmp (first_micalg, this_micalg) != 0)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                       "Signing failed: the signers' GnuPG homes chose different hashes "
                       "(%s and %s), and a PGP/MIME signature has only one micalg",
                       first_micalg, this_micalg);
          return NULL;
        }
      g_byte_array_append (packets, g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
    }
  *micalg = g_steal_pointer (&first_micalg);
  return armor_signature (packets->data, packets->len);
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
  g_autoptr(MissiveOpenpgpHomes) homes = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (key_unref);
  g_autoptr(GArray) key_homes = g_array_new (FALSE, FALSE, sizeof (guint));
  MISSIVE_AUTO_UNREF GMimeObject *content = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) signature = NULL;
  MISSIVE_AUTO_UNREF GMimeMultipartSigned *mps = NULL;
  MISSIVE_AUTO_UNREF GMimePart *sig_part = NULL;
  g_autofree char *micalg = NULL;
  gboolean several_homes = FALSE;

  if (op == NULL)
    return NULL;
  homes = missive_openpgp_homes_new (op);
  if (!add_signers (op, homes, signers, keys, key_homes, !(flags & MISSIVE_CRYPTO_FLAGS_INLINE), error))
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
  for (guint i = 1; i < keys->len && !several_homes; i++)
    several_homes = g_array_index (key_homes, guint, i) != g_array_index (key_homes, guint, 0);
  if (several_homes)
    signature = sign_per_home (op, homes, keys, key_homes, data, &micalg, error);
  else
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
/* One gpgme_op_verify in @op's home: a detached @signature over
 * @signed_data, or (with @signed_data NULL) a clear-signed text whose
 * text goes to @plain. */
static GListModel *
verify_once (MissiveOpenpgpOp  *op,
             GBytes            *signature,
             GBytes            *signed_data,
             GBytes           **plain,
             GError           **error)
{
  gpgme_data_t sig = missive_openpgp_data_new (signature);
  gpgme_data_t data = signed_data != NULL ? missive_openpgp_data_new (signed_data) : NULL;
  gpgme_data_t out = signed_data == NULL ? missive_openpgp_data_new (NULL) : NULL;
  gpgme_error_t err;

  err = gpgme_op_verify (op->ctx, sig, data, out);
  gpgme_data_release (sig);
  if (data != NULL)
    gpgme_data_release (data);
  if (out != NULL)
    {
      g_autoptr(GBytes) text = missive_gpgme_data_steal_bytes (out);

      if (plain != NULL)
        *plain = g_steal_pointer (&text);
    }
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Verifying the signature"));
      return NULL;
    }
  return missive_openpgp_signatures_new (op, gpgme_op_verify_result (op->ctx));
}

static gboolean
lacks_public_key (GListModel *list,
                  guint       index)
{
  g_autoptr(MissiveSignature) signature = g_list_model_get_item (list, index);

  return missive_signature_get_status (signature) == MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY;
}

/* verify_once() in the context's home; then, while some signer's public
 * key was missing, again in each keyring (MissiveCryptoContext:keyrings),
 * taking the result of a signature from the first home that has its key.
 * @op may be left in another home. */
static GListModel *
verify_in_homes (MissiveOpenpgpOp  *op,
                 GBytes            *signature,
                 GBytes            *signed_data,
                 GBytes           **plain,
                 GError           **error)
{
  g_autoptr(MissiveOpenpgpHomes) homes = missive_openpgp_homes_new (op);
  g_autoptr(GListModel) first = verify_once (op, signature, signed_data, plain, error);
  g_autoptr(GListStore) merged = NULL;
  guint n, missing = 0;

  if (first == NULL)
    return NULL;
  n = g_list_model_get_n_items (first);
  for (guint i = 0; i < n; i++)
    missing += lacks_public_key (first, i);
  if (missing == 0 || missive_openpgp_homes_count (homes) == 1)
    return g_steal_pointer (&first);

  merged = g_list_store_new (MISSIVE_TYPE_SIGNATURE);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (first, i);

      g_list_store_append (merged, item);
    }
  for (guint h = 1; h < missive_openpgp_homes_count (homes) && missing > 0; h++)
    {
      g_autoptr(GListModel) other = NULL;

      if (!missive_openpgp_homes_use (homes, h, NULL))
        continue;
      other = verify_once (op, signature, signed_data, NULL, NULL);
      if (other == NULL || g_list_model_get_n_items (other) != n)
        continue;
      for (guint i = 0; i < n; i++)
        if (lacks_public_key (G_LIST_MODEL (merged), i) && !lacks_public_key (other, i))
          {
            g_autoptr(GObject) item = g_list_model_get_item (other, i);

            g_list_store_splice (merged, i, 1, (gpointer *) &item, 1);
            missing--;
          }
    }
  return G_LIST_MODEL (g_steal_pointer (&merged));
}

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
  list = verify_in_homes (op, signature, data, NULL, error);
  if (list == NULL)
    return FALSE;
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
          g_autoptr(GBytes) plain = NULL;
          g_autoptr(GListModel) list = verify_in_homes (op, text, NULL, &plain, error);

          if (list == NULL)
            return NULL;
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
  g_autoptr(MissiveOpenpgpHomes) homes = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (key_unref);
  g_autoptr(GPtrArray) signer_keys = g_ptr_array_new_with_free_func (key_unref);
  g_autoptr(GArray) key_homes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *recpstring = NULL;
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
  homes = missive_openpgp_homes_new (op);
  if (signers != NULL && !add_signers (op, homes, signers, signer_keys, key_homes, FALSE, error))
    return NULL;
  if (!missive_openpgp_homes_find_recipients (homes, recipients, keys, &recpstring, error))
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

  err = call_gpgme (op, signers != NULL ? CALL_ENCRYPT_SIGN : CALL_ENCRYPT, plain, 0, recp, recpstring,
                    gflags, &cipher);
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
  g_autoptr(MissiveOpenpgpHomes) homes = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) plain = NULL;
  MISSIVE_AUTO_UNREF GMimeObject *part = NULL;
  g_autoptr(GListStore) store = NULL;
  GMimeTextPart *text = NULL;
  GMimeObject *body;
  gpgme_error_t err = 0;

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

  /* The context's home first, then its keyrings, until one has a secret
   * key the message is encrypted to. */
  homes = missive_openpgp_homes_new (op);
  for (guint i = 0; i < missive_openpgp_homes_count (homes); i++)
    {
      if (!missive_openpgp_homes_use (homes, i, error))
        return NULL;
      err = call_gpgme (op, verify ? CALL_DECRYPT_VERIFY : CALL_DECRYPT, cipher, 0, NULL, NULL, 0,
                        &plain);
      if (gpgme_err_code (err) != GPG_ERR_NO_SECKEY || op->passphrase_refused)
        break;
    }
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
      /* Signed, then encrypted (RFC 3156 section 6.1): verified in the
       * context's home first, like any signature, then in the keyrings. */
      if (verify && is_pgp_multipart (part, GMIME_TYPE_MULTIPART_SIGNED, PGP_SIGNATURE_TYPE) &&
          (!missive_openpgp_homes_use (homes, 0, error) || !verify_multipart (op, part, store, error)))
        {
          if (result != NULL)
            g_clear_object (result);
          return NULL;
        }
    }
  return missive_crypto_message_new_with_part (message, part);
}
