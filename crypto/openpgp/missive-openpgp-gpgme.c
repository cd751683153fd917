/* missive-openpgp-gpgme.c: GPGME contexts, errors, keys and results
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-openpgp-private.h"

/* ---- one GPGME context per operation -------------------------------------- */

/* GPGME calls this (in the operation's worker thread) when gpg-agent asks
 * for a passphrase through the loopback pinentry. */
static gpgme_error_t
passphrase_cb (void       *data,
               const char *uid_hint,
               const char *passphrase_info,
               int         prev_was_bad,
               int         fd)
{
  MissiveOpenpgpOp *op = data;
  g_autofree char *key_id = NULL;
  const char *user_id = NULL;
  char *passphrase;
  gboolean ok;

  /* uid_hint is "KEYID User Name <email>"; NULL for a symmetric key. */
  if (uid_hint != NULL)
    {
      const char *space = strchr (uid_hint, ' ');

      key_id = space != NULL ? g_strndup (uid_hint, space - uid_hint) : g_strdup (uid_hint);
      user_id = space != NULL ? space + 1 : NULL;
    }

  op->passphrase_asked++;
  passphrase = missive_crypto_context_request_passphrase (op->self, key_id, user_id,
                                                          prev_was_bad != 0 || op->previous_was_bad,
                                                          op->cancellable);
  op->previous_was_bad = FALSE;
  if (passphrase == NULL)
    {
      op->passphrase_refused = TRUE;
      return gpg_error (GPG_ERR_CANCELED);
    }

  ok = gpgme_io_writen (fd, passphrase, strlen (passphrase)) == 0 &&
       gpgme_io_writen (fd, "\n", 1) == 0;
  missive_sasl_secret_free (passphrase);
  return ok ? 0 : gpg_error_from_syserror ();
}

MissiveOpenpgpOp *
missive_openpgp_op_new (MissiveCryptoContext  *self,
                        GCancellable          *cancellable,
                        GError               **error)
{
  MissiveOpenpgpOp *op = g_new0 (MissiveOpenpgpOp, 1);
  const char *home = missive_crypto_context_get_home_directory (self);
  gpgme_error_t err;

  op->self = g_object_ref (self);
  op->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  err = gpgme_new (&op->ctx);
  if (err == 0)
    err = gpgme_set_protocol (op->ctx, GPGME_PROTOCOL_OpenPGP);
  if (err == 0 && home != NULL)
    err = gpgme_ctx_set_engine_info (op->ctx, GPGME_PROTOCOL_OpenPGP, NULL, home);
  if (err == 0)
    err = gpgme_set_pinentry_mode (op->ctx, GPGME_PINENTRY_MODE_LOOPBACK);
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Starting GnuPG"));
      missive_openpgp_op_free (op);
      return NULL;
    }
  gpgme_set_armor (op->ctx, 1);
  gpgme_set_textmode (op->ctx, 0);
  gpgme_set_offline (op->ctx, 1);
  gpgme_set_passphrase_cb (op->ctx, passphrase_cb, op);
  gpgme_set_keylist_mode (op->ctx, GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_WITH_SECRET);
  return op;
}

void
missive_openpgp_op_free (MissiveOpenpgpOp *op)
{
  if (op == NULL)
    return;
  if (op->ctx != NULL)
    gpgme_release (op->ctx);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->self);
  g_free (op);
}

GError *
missive_openpgp_error (MissiveOpenpgpOp *op,
                       gpgme_error_t     err,
                       const char       *what)
{
  char text[256];
  MissiveError code;

  if (op != NULL && (op->passphrase_refused || g_cancellable_is_cancelled (op->cancellable)))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                        op->passphrase_refused ? "%s cancelled: no passphrase was given"
                                               : "%s cancelled", what);

  gpgme_strerror_r (err, text, sizeof text);
  switch (gpgme_err_code (err))
    {
    case GPG_ERR_CANCELED:
    case GPG_ERR_FULLY_CANCELED:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s cancelled", what);
    case GPG_ERR_BAD_PASSPHRASE:
      code = MISSIVE_ERROR_BAD_PASSPHRASE;
      return g_error_new (MISSIVE_ERROR, code, "%s failed: the passphrase was wrong", what);
    case GPG_ERR_NO_SECKEY:
      return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED,
                          "%s failed: the message is not encrypted to any secret key we have", what);
    case GPG_ERR_DECRYPT_FAILED:
      return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED,
                          "%s failed: the message is damaged or not encrypted to any secret key we have",
                          what);
    case GPG_ERR_NO_PUBKEY:
    case GPG_ERR_UNUSABLE_PUBKEY:
    case GPG_ERR_UNUSABLE_SECKEY:
    case GPG_ERR_AMBIGUOUS_NAME:
      code = MISSIVE_ERROR_KEY_NOT_FOUND;
      break;
    case GPG_ERR_NO_DATA:
    case GPG_ERR_BAD_DATA:
    case GPG_ERR_INV_DATA:
    case GPG_ERR_INV_PACKET:
    case GPG_ERR_INV_ARMOR:
    case GPG_ERR_UNEXPECTED:
      code = MISSIVE_ERROR_INVALID_MESSAGE;
      break;
    case GPG_ERR_INV_ENGINE:
    case GPG_ERR_ENOENT:
      code = MISSIVE_ERROR_NOT_SUPPORTED;
      break;
    default:
      code = MISSIVE_ERROR_FAILED;
    }
  return g_error_new (MISSIVE_ERROR, code, "%s failed: %s", what, text);
}

gpgme_data_t
missive_openpgp_data_new (GBytes *bytes)
{
  gpgme_data_t data;

  missive_gpgme_data_new (bytes, &data);
  return data;
}

/* ---- keys and signatures as GObjects -------------------------------------- */

MissiveCryptoKey *
missive_openpgp_key_new (gpgme_key_t key)
{
  g_autoptr(GStrvBuilder) uids = g_strv_builder_new ();
  g_autoptr(GPtrArray) emails = g_ptr_array_new ();
  g_auto(GStrv) uid_strv = NULL;
  g_auto(GStrv) email_strv = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  MissiveKeyCapabilities caps = MISSIVE_KEY_CAPABILITIES_NONE;
  gpgme_subkey_t primary = key->subkeys;
  g_autoptr(GStrvBuilder) email_builder = g_strv_builder_new ();

  for (gpgme_user_id_t uid = key->uids; uid != NULL; uid = uid->next)
    {
      gboolean seen = FALSE;

      if (uid->uid != NULL)
        g_strv_builder_add (uids, uid->uid);
      if (uid->email == NULL || *uid->email == '\0')
        continue;
      for (guint i = 0; i < emails->len && !seen; i++)
        seen = g_ascii_strcasecmp (g_ptr_array_index (emails, i), uid->email) == 0;
      if (!seen)
        {
          g_ptr_array_add (emails, uid->email);
          g_strv_builder_add (email_builder, uid->email);
        }
    }
  uid_strv = g_strv_builder_end (uids);
  email_strv = g_strv_builder_end (email_builder);

  if (key->can_encrypt)
    caps |= MISSIVE_KEY_CAPABILITIES_ENCRYPT;
  if (key->can_sign)
    caps |= MISSIVE_KEY_CAPABILITIES_SIGN;
  if (key->can_certify)
    caps |= MISSIVE_KEY_CAPABILITIES_CERTIFY;
  if (key->can_authenticate)
    caps |= MISSIVE_KEY_CAPABILITIES_AUTHENTICATE;

  if (primary != NULL)
    {
      created = missive_gpgme_date (primary->timestamp);
      expires = missive_gpgme_date (primary->expires);
    }

  return g_object_new (MISSIVE_TYPE_CRYPTO_KEY,
                       "fingerprint", key->fpr != NULL ? key->fpr : (primary != NULL ? primary->fpr : NULL),
                       "key-id", primary != NULL ? primary->keyid : NULL,
                       "user-ids", uid_strv,
                       "emails", email_strv,
                       "validity", missive_gpgme_validity (key->uids != NULL ? key->uids->validity : GPGME_VALIDITY_UNKNOWN),
                       "capabilities", caps,
                       "created", created,
                       "expires", expires,
                       "has-secret", (gboolean) key->secret,
                       "expired", (gboolean) key->expired,
                       "revoked", (gboolean) key->revoked,
                       "disabled", (gboolean) key->disabled,
                       "algorithm", primary != NULL ? gpgme_pubkey_algo_name (primary->pubkey_algo) : NULL,
                       "length", primary != NULL ? primary->length : 0,
                       "issuer", key->issuer_name,
                       "serial", key->issuer_serial,
                       "chain-id", key->chain_id,
                       NULL);
}

static MissiveSignatureStatus
convert_status (gpgme_signature_t signature)
{
  switch (gpgme_err_code (signature->status))
    {
    case GPG_ERR_NO_ERROR:
      if (signature->summary & GPGME_SIGSUM_KEY_REVOKED)
        return MISSIVE_SIGNATURE_STATUS_REVOKED_KEY;
      if (signature->summary & GPGME_SIGSUM_KEY_EXPIRED)
        return MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY;
      if (signature->validity >= GPGME_VALIDITY_MARGINAL)
        return MISSIVE_SIGNATURE_STATUS_GOOD;
      return MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY;
    case GPG_ERR_BAD_SIGNATURE:
      return MISSIVE_SIGNATURE_STATUS_BAD;
    case GPG_ERR_SIG_EXPIRED:
      return MISSIVE_SIGNATURE_STATUS_EXPIRED_SIGNATURE;
    case GPG_ERR_KEY_EXPIRED:
      return MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY;
    case GPG_ERR_CERT_REVOKED:
      return MISSIVE_SIGNATURE_STATUS_REVOKED_KEY;
    case GPG_ERR_NO_PUBKEY:
      return MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY;
    default:
      return MISSIVE_SIGNATURE_STATUS_ERROR;
    }
}

MissiveSignature *
missive_openpgp_signature_new (MissiveOpenpgpOp  *op,
                               gpgme_signature_t  signature)
{
  g_autoptr(MissiveCryptoKey) key = NULL;
  g_autoptr(GDateTime) signing_time = missive_gpgme_date (signature->timestamp);
  g_autoptr(GDateTime) expiration_time = missive_gpgme_date (signature->exp_timestamp);
  MissiveSignatureStatus status = convert_status (signature);
  const char *user_id = NULL, *email = NULL;
  gpgme_key_t gkey = NULL;
  char text[256];

  if (status != MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY && signature->fpr != NULL &&
      gpgme_get_key (op->ctx, signature->fpr, &gkey, 0) == 0 && gkey != NULL)
    {
      key = missive_openpgp_key_new (gkey);
      if (gkey->uids != NULL)
        {
          user_id = gkey->uids->uid;
          email = gkey->uids->email;
        }
    }

  if (status == MISSIVE_SIGNATURE_STATUS_GOOD)
    g_strlcpy (text, "Good signature", sizeof text);
  else if (status == MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY)
    g_strlcpy (text, "Good signature from a key that is not certified as its owner's", sizeof text);
  else
    gpgme_strerror_r (signature->status, text, sizeof text);

  {
    MissiveSignature *result =
      g_object_new (MISSIVE_TYPE_SIGNATURE,
                    "status", status,
                    "status-text", text,
                    "fingerprint", signature->fpr,
                    "user-id", user_id,
                    "email", email,
                    "signing-time", signing_time,
                    "expiration-time", expiration_time,
                    "hash-algorithm", gpgme_hash_algo_name (signature->hash_algo),
                    "public-key-algorithm", gpgme_pubkey_algo_name (signature->pubkey_algo),
                    "validity", missive_gpgme_validity (signature->validity),
                    "key", key,
                    NULL);

    if (gkey != NULL)
      gpgme_key_unref (gkey);
    return result;
  }
}

GListModel *
missive_openpgp_signatures_new (MissiveOpenpgpOp      *op,
                                gpgme_verify_result_t  result)
{
  GListStore *store = g_list_store_new (MISSIVE_TYPE_SIGNATURE);

  for (gpgme_signature_t sig = result != NULL ? result->signatures : NULL; sig != NULL; sig = sig->next)
    {
      g_autoptr(MissiveSignature) signature = missive_openpgp_signature_new (op, sig);

      g_list_store_append (store, signature);
    }
  return G_LIST_MODEL (store);
}

/* ---- key management ------------------------------------------------------- */

GListModel *
missive_openpgp_list_keys (MissiveCryptoContext  *self,
                           const char            *pattern,
                           gboolean               secret_only,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  g_autoptr(GListStore) store = NULL;
  gpgme_key_t key = NULL;
  gpgme_error_t err;

  if (op == NULL)
    return NULL;

  store = g_list_store_new (MISSIVE_TYPE_CRYPTO_KEY);
  err = gpgme_op_keylist_start (op->ctx, pattern, secret_only);
  while (err == 0 && (err = gpgme_op_keylist_next (op->ctx, &key)) == 0)
    {
      g_autoptr(MissiveCryptoKey) item = missive_openpgp_key_new (key);

      g_list_store_append (store, item);
      gpgme_key_unref (key);
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  gpgme_op_keylist_end (op->ctx);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (err != 0 && gpgme_err_code (err) != GPG_ERR_EOF)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Listing keys"));
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

char **
missive_openpgp_import_keys (MissiveCryptoContext  *self,
                             GBytes                *data,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gpgme_import_result_t result;
  gpgme_data_t keydata;
  gpgme_error_t err;

  if (op == NULL)
    return NULL;

  keydata = missive_openpgp_data_new (data);
  err = gpgme_op_import (op->ctx, keydata);
  gpgme_data_release (keydata);
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Importing keys"));
      return NULL;
    }

  result = gpgme_op_import_result (op->ctx);
  if (result == NULL || result->considered == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "Importing keys failed: the data holds no OpenPGP key");
      return NULL;
    }

  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (gpgme_import_status_t status = result->imports; status != NULL; status = status->next)
    if (status->result == 0 && status->fpr != NULL && g_hash_table_add (seen, status->fpr))
      g_strv_builder_add (builder, status->fpr);
  return g_strv_builder_end (builder);
}

GBytes *
missive_openpgp_export_keys (MissiveCryptoContext  *self,
                             const char * const    *patterns,
                             gboolean               secret,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(MissiveOpenpgpOp) op = missive_openpgp_op_new (self, cancellable, error);
  gpgme_data_t out;
  gpgme_error_t err;
  GBytes *bytes;

  if (op == NULL)
    return NULL;

  gpgme_set_armor (op->ctx, missive_crypto_context_get_armor (self));
  gpgme_data_new (&out);
  err = gpgme_op_export_ext (op->ctx, (const char **) patterns,
                             secret ? GPGME_EXPORT_MODE_SECRET : 0, out);
  bytes = missive_gpgme_data_steal_bytes (out);
  if (err != 0)
    {
      g_bytes_unref (bytes);
      g_propagate_error (error, missive_openpgp_error (op, err, "Exporting keys"));
      return NULL;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) patterns);

      g_bytes_unref (bytes);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                   "Exporting keys failed: no key matches “%s”", joined);
      return NULL;
    }
  return bytes;
}
