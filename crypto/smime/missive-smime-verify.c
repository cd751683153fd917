/* missive-smime-verify.c: checking S/MIME signatures (multipart/signed and
 * application/pkcs7-mime signed-data) and describing their signers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smime-private.h"

static MissiveKeyValidity
signature_validity (gpgme_validity_t validity)
{
  switch (validity)
    {
    case GPGME_VALIDITY_UNDEFINED:
      return MISSIVE_KEY_VALIDITY_UNDEFINED;
    case GPGME_VALIDITY_NEVER:
      return MISSIVE_KEY_VALIDITY_NEVER;
    case GPGME_VALIDITY_MARGINAL:
      return MISSIVE_KEY_VALIDITY_MARGINAL;
    case GPGME_VALIDITY_FULL:
      return MISSIVE_KEY_VALIDITY_FULL;
    case GPGME_VALIDITY_ULTIMATE:
      return MISSIVE_KEY_VALIDITY_ULTIMATE;
    default:
      return MISSIVE_KEY_VALIDITY_UNKNOWN;
    }
}

/* The outcome of one signature: first what makes it unusable (bad, no
 * certificate), then what weakens it (revoked, expired), then the chain. */
static MissiveSignatureStatus
signature_status (gpgme_signature_t sig)
{
  gpgme_err_code_t code = gpgme_err_code (sig->status);

  if (code == GPG_ERR_BAD_SIGNATURE)
    return MISSIVE_SIGNATURE_STATUS_BAD;
  if (code == GPG_ERR_NO_PUBKEY || (sig->summary & GPGME_SIGSUM_KEY_MISSING))
    return MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY;
  if (sig->summary & GPGME_SIGSUM_KEY_REVOKED || code == GPG_ERR_CERT_REVOKED)
    return MISSIVE_SIGNATURE_STATUS_REVOKED_KEY;
  if (sig->summary & GPGME_SIGSUM_KEY_EXPIRED || code == GPG_ERR_KEY_EXPIRED ||
      code == GPG_ERR_CERT_EXPIRED)
    return MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY;
  if (sig->summary & GPGME_SIGSUM_SIG_EXPIRED || code == GPG_ERR_SIG_EXPIRED)
    return MISSIVE_SIGNATURE_STATUS_EXPIRED_SIGNATURE;
  if (code == GPG_ERR_NO_ERROR && (sig->summary & GPGME_SIGSUM_VALID))
    return MISSIVE_SIGNATURE_STATUS_GOOD;
  if (code == GPG_ERR_NO_ERROR)
    return MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY;
  return MISSIVE_SIGNATURE_STATUS_ERROR;
}

static char *
signature_status_text (gpgme_signature_t      sig,
                       MissiveSignatureStatus status)
{
  GString *text = g_string_new (NULL);

  switch (status)
    {
    case MISSIVE_SIGNATURE_STATUS_GOOD:
      g_string_append (text, "Good signature");
      break;
    case MISSIVE_SIGNATURE_STATUS_BAD:
      g_string_append (text, "Bad signature: the message or the signature was changed");
      break;
    case MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY:
      g_string_append (text, "The signer's certificate is missing");
      break;
    case MISSIVE_SIGNATURE_STATUS_REVOKED_KEY:
      g_string_append (text, "The signer's certificate was revoked");
      break;
    case MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY:
      g_string_append (text, "The signer's certificate has expired");
      break;
    case MISSIVE_SIGNATURE_STATUS_EXPIRED_SIGNATURE:
      g_string_append (text, "The signature has expired");
      break;
    case MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY:
      g_string_append (text, "The signature is correct, but the signer's certificate is not trusted");
      break;
    case MISSIVE_SIGNATURE_STATUS_ERROR:
    default:
      g_string_append_printf (text, "The signature could not be checked: %s",
                              gpgme_strerror (sig->status));
      break;
    }
  if (sig->validity_reason != 0)
    g_string_append_printf (text, " (%s)", gpgme_strerror (sig->validity_reason));
  return g_string_free (text, FALSE);
}

static gpgme_key_t
get_certificate (gpgme_ctx_t  ctx,
                 const char  *fingerprint)
{
  gpgme_key_t key = NULL;

  if (fingerprint == NULL || *fingerprint == '\0')
    return NULL;
  if (gpgme_get_key (ctx, fingerprint, &key, 0) != 0)
    return NULL;
  return key;
}

/* The signer's certificate and its issuers, up to a self-signed root (or
 * the first certificate that is missing). */
static GListModel *
certificate_chain (gpgme_ctx_t ctx,
                   gpgme_key_t signer)
{
  GListStore *chain = g_list_store_new (MISSIVE_TYPE_CRYPTO_KEY);
  gpgme_key_t current = signer;

  gpgme_key_ref (current);
  for (int depth = 0; current != NULL && depth < MISSIVE_SMIME_MAX_CHAIN; depth++)
    {
      g_autoptr(MissiveCryptoKey) object = missive_smime_key_to_object (current);
      gpgme_key_t next = NULL;

      g_list_store_append (chain, object);
      if (current->chain_id != NULL && current->subkeys != NULL &&
          g_ascii_strcasecmp (current->chain_id, current->subkeys->fpr) != 0)
        next = get_certificate (ctx, current->chain_id);
      gpgme_key_unref (current);
      current = next;
    }
  if (current != NULL)
    gpgme_key_unref (current);
  return G_LIST_MODEL (chain);
}

GListModel *
missive_smime_signatures_from_result (gpgme_ctx_t           ctx,
                                      gpgme_verify_result_t result)
{
  GListStore *store = g_list_store_new (MISSIVE_TYPE_SIGNATURE);

  for (gpgme_signature_t sig = result != NULL ? result->signatures : NULL;
       sig != NULL; sig = sig->next)
    {
      MissiveSignatureStatus status = signature_status (sig);
      g_autofree char *status_text = signature_status_text (sig, status);
      g_auto(gpgme_key_t) key = get_certificate (ctx, sig->fpr);
      g_autoptr(MissiveCryptoKey) key_object = NULL;
      g_autoptr(GListModel) chain = NULL;
      g_autoptr(GDateTime) signed_at = NULL;
      g_autoptr(GDateTime) expires_at = NULL;
      g_autoptr(MissiveSignature) signature = NULL;
      const char *user_id = NULL;
      g_autofree char *email = NULL;

      if (key != NULL)
        {
          key_object = missive_smime_key_to_object (key);
          chain = certificate_chain (ctx, key);
          for (gpgme_user_id_t uid = key->uids; uid != NULL; uid = uid->next)
            {
              if (user_id == NULL && uid->uid != NULL && uid->uid[0] != '<')
                user_id = uid->uid;
              if (email == NULL)
                email = missive_smime_uid_email (uid);
            }
        }
      if (sig->timestamp > 0)
        signed_at = g_date_time_new_from_unix_utc (sig->timestamp);
      if (sig->exp_timestamp > 0)
        expires_at = g_date_time_new_from_unix_utc (sig->exp_timestamp);

      signature = g_object_new (MISSIVE_TYPE_SIGNATURE,
                                "status", status,
                                "status-text", status_text,
                                "fingerprint", sig->fpr,
                                "user-id", user_id,
                                "email", email,
                                "issuer", key != NULL ? key->issuer_name : NULL,
                                "serial", key != NULL ? key->issuer_serial : NULL,
                                "signing-time", signed_at,
                                "expiration-time", expires_at,
                                "hash-algorithm", gpgme_hash_algo_name (sig->hash_algo),
                                "public-key-algorithm", gpgme_pubkey_algo_name (sig->pubkey_algo),
                                "validity", signature_validity (sig->validity),
                                "key", key_object,
                                "chain", chain,
                                NULL);
      g_list_store_append (store, signature);
    }
  return G_LIST_MODEL (store);
}

static gboolean
is_signature_type (GMimeContentType *type)
{
  return g_mime_content_type_is_type (type, "application", "pkcs7-signature") ||
         g_mime_content_type_is_type (type, "application", "x-pkcs7-signature");
}

static gboolean
is_signed_multipart (GMimeObject  *object,
                     GError      **error)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  const char *protocol;

  if (!GMIME_IS_MULTIPART (object) ||
      !g_mime_content_type_is_type (type, "multipart", "signed"))
    return FALSE;
  protocol = g_mime_content_type_get_parameter (type, "protocol");
  if (protocol == NULL ||
      (g_ascii_strcasecmp (protocol, "application/pkcs7-signature") != 0 &&
       g_ascii_strcasecmp (protocol, "application/x-pkcs7-signature") != 0))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                   "The multipart/signed part is not S/MIME (protocol “%s”)",
                   protocol != NULL ? protocol : "");
      return FALSE;
    }
  return TRUE;
}

/* "signed-data" when the part says so (or says nothing and is named
 * *.p7m but is not enveloped). */
gboolean
missive_smime_is_pkcs7_mime (GMimeObject *object,
                             const char  *smime_type)
{
  GMimeContentType *type;
  const char *param;

  if (!GMIME_IS_PART (object))
    return FALSE;
  type = g_mime_object_get_content_type (object);
  if (!g_mime_content_type_is_type (type, "application", "pkcs7-mime") &&
      !g_mime_content_type_is_type (type, "application", "x-pkcs7-mime"))
    return FALSE;
  param = g_mime_content_type_get_parameter (type, "smime-type");
  if (param == NULL)
    return TRUE;   /* older agents leave it out: let gpgsm tell */
  return g_ascii_strcasecmp (param, smime_type) == 0;
}

/* Verifies @object (a multipart/signed or a signed-data part) and sets
 * @content to the entity that was signed. */
GListModel *
missive_smime_verify_object (MissiveSmimeContext  *self,
                             MissiveSmimeOp       *op,
                             GMimeObject          *object,
                             GMimeObject         **content,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_auto(gpgme_data_t) sig_data = NULL;
  g_auto(gpgme_data_t) signed_data = NULL;
  g_autoptr(GBytes) sig_bytes = NULL;
  GMimeObject *inner = NULL;
  gpgme_data_t plain = NULL;
  gpgme_verify_result_t result;
  gpgme_error_t err;
  GError *local_error = NULL;

  if (is_signed_multipart (object, &local_error))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      g_autoptr(GBytes) signed_bytes = NULL;
      GMimeObject *signature;

      if (g_mime_multipart_get_count (multipart) != 2)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                       "The multipart/signed part has %d parts instead of 2",
                       g_mime_multipart_get_count (multipart));
          return NULL;
        }
      signature = g_mime_multipart_get_part (multipart, 1);
      if (!GMIME_IS_PART (signature) ||
          !is_signature_type (g_mime_object_get_content_type (signature)))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                               "The second part of the multipart/signed is not an "
                               "application/pkcs7-signature");
          return NULL;
        }
      inner = g_object_ref (g_mime_multipart_get_part (multipart, 0));
      signed_bytes = missive_crypto_object_to_canonical_bytes (inner);
      sig_bytes = missive_crypto_part_get_content_bytes (GMIME_PART (signature));
      signed_data = missive_smime_data_new_from_bytes (signed_bytes, error);
      if (signed_data == NULL)
        {
          g_object_unref (inner);
          return NULL;
        }
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  else if (missive_smime_is_pkcs7_mime (object, "signed-data"))
    {
      sig_bytes = missive_crypto_part_get_content_bytes (GMIME_PART (object));
      plain = missive_smime_data_new (error);
      if (plain == NULL)
        return NULL;
    }
  else
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The message is not S/MIME signed (no multipart/signed or "
                           "application/pkcs7-mime signed-data part)");
      return NULL;
    }

  sig_data = missive_smime_data_new_from_bytes (sig_bytes, error);
  if (sig_data == NULL)
    {
      missive_smime_data_free (plain);
      g_clear_object (&inner);
      return NULL;
    }
  err = gpgme_op_verify (op->ctx, sig_data, signed_data, plain);
  if (err)
    {
      missive_smime_data_free (plain);
      g_clear_object (&inner);
      missive_smime_set_error (error, err, MISSIVE_ERROR_INVALID_MESSAGE,
                               "The S/MIME signature could not be read");
      return NULL;
    }
  result = gpgme_op_verify_result (op->ctx);
  if (result == NULL || result->signatures == NULL)
    {
      missive_smime_data_free (plain);
      g_clear_object (&inner);
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The S/MIME signature part holds no signature");
      return NULL;
    }
  if (plain != NULL)
    {
      g_autoptr(GBytes) plain_bytes = missive_gpgme_data_steal_bytes (plain);

      inner = missive_crypto_object_new_from_bytes (plain_bytes, error);
      if (inner == NULL)
        return NULL;
    }
  if (content != NULL)
    *content = g_steal_pointer (&inner);
  g_clear_object (&inner);
  return missive_smime_signatures_from_result (op->ctx, result);
}
