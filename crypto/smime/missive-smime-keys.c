/* missive-smime-keys.c: X.509 certificates as MissiveCryptoKey; list,
 * import, export
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smime-private.h"

/* A MissiveCryptoKey for a certificate: the subject and its alternative
 * names as user ids, the mailboxes among them as e-mails, issuer and
 * serial number (hexadecimal, as gpgsm gives it) and the fingerprint of
 * the issuer's certificate as chain id. */
MissiveCryptoKey *
missive_smime_key_to_object (gpgme_key_t key)
{
  g_autoptr(GStrvBuilder) uids = g_strv_builder_new ();
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) uid_strv = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  gpgme_subkey_t subkey = key->subkeys;
  MissiveKeyCapabilities caps = MISSIVE_KEY_CAPABILITIES_NONE;
  MissiveKeyValidity validity = MISSIVE_KEY_VALIDITY_UNKNOWN;
  const char *algorithm = NULL;

  for (gpgme_user_id_t uid = key->uids; uid != NULL; uid = uid->next)
    {
      g_autofree char *email = missive_smime_uid_email (uid);

      if (uid == key->uids)
        validity = missive_gpgme_validity (uid->validity);
      /* The subject, then the alternative names ("<alice@example.org>"
       * given as the bare mailbox). */
      if (email != NULL && uid->uid != NULL && uid->uid[0] == '<')
        g_strv_builder_add (uids, email);
      else if (uid->uid != NULL)
        g_strv_builder_add (uids, uid->uid);
      if (email != NULL)
        {
          gboolean seen = FALSE;

          for (guint i = 0; i < emails->len && !seen; i++)
            seen = g_ascii_strcasecmp (g_ptr_array_index (emails, i), email) == 0;
          if (!seen)
            g_ptr_array_add (emails, g_steal_pointer (&email));
        }
    }
  g_ptr_array_add (emails, NULL);
  uid_strv = g_strv_builder_end (uids);

  if (key->can_encrypt)
    caps |= MISSIVE_KEY_CAPABILITIES_ENCRYPT;
  if (key->can_sign)
    caps |= MISSIVE_KEY_CAPABILITIES_SIGN;
  if (key->can_certify)
    caps |= MISSIVE_KEY_CAPABILITIES_CERTIFY;
  if (key->can_authenticate)
    caps |= MISSIVE_KEY_CAPABILITIES_AUTHENTICATE;

  if (subkey != NULL)
    {
      created = missive_gpgme_date (subkey->timestamp);
      expires = missive_gpgme_date (subkey->expires);
      algorithm = gpgme_pubkey_algo_name (subkey->pubkey_algo);
    }

  return g_object_new (MISSIVE_TYPE_CRYPTO_KEY,
                       "fingerprint", subkey != NULL ? subkey->fpr : NULL,
                       "key-id", subkey != NULL ? subkey->keyid : NULL,
                       "user-ids", uid_strv,
                       "emails", (char **) emails->pdata,
                       "validity", validity,
                       "capabilities", caps,
                       "created", created,
                       "expires", expires,
                       "has-secret", (gboolean) key->secret,
                       "expired", (gboolean) key->expired,
                       "revoked", (gboolean) key->revoked,
                       "disabled", (gboolean) key->disabled,
                       "algorithm", algorithm,
                       "length", subkey != NULL ? (guint) subkey->length : 0u,
                       "issuer", key->issuer_name,
                       "serial", key->issuer_serial,
                       "chain-id", key->chain_id,
                       NULL);
}

GListModel *
missive_smime_list_keys (MissiveCryptoContext *context,
                         const char           *pattern,
                         gboolean              secret_only,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(MissiveSmimeOp) op = NULL;
  g_autoptr(GListStore) store = g_list_store_new (MISSIVE_TYPE_CRYPTO_KEY);
  gpgme_error_t err;

  op = missive_smime_op_new (MISSIVE_SMIME_CONTEXT (context), cancellable, error);
  if (op == NULL)
    return NULL;

  err = gpgme_op_keylist_start (op->ctx, pattern != NULL && *pattern != '\0' ? pattern : NULL,
                                secret_only ? 1 : 0);
  while (!err)
    {
      g_autoptr(MissiveCryptoKey) object = NULL;
      gpgme_key_t key = NULL;

      err = gpgme_op_keylist_next (op->ctx, &key);
      if (err)
        break;
      object = missive_smime_key_to_object (key);
      gpgme_key_unref (key);
      g_list_store_append (store, object);
    }
  gpgme_op_keylist_end (op->ctx);
  if (gpgme_err_code (err) != GPG_ERR_EOF &&
      missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                               "Could not list S/MIME certificates"))
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* A PKCS#12 file (DER: SEQUENCE { INTEGER 3, ... }). */
static gboolean
looks_like_pkcs12 (GBytes *data)
{
  gsize length = 0;
  const guint8 *p = g_bytes_get_data (data, &length);
  gsize offset;

  if (length < 8 || p[0] != 0x30)
    return FALSE;
  if (p[1] < 0x80)
    offset = 2;
  else if (p[1] > 0x80 && p[1] <= 0x84)
    offset = 2 + (p[1] & 0x7f);
  else
    return FALSE;
  return offset + 3 <= length &&
         p[offset] == 0x02 && p[offset + 1] == 0x01 && p[offset + 2] == 0x03;
}

char **
missive_smime_import_keys (MissiveCryptoContext *context,
                           GBytes               *data,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(MissiveSmimeOp) op = NULL;
  g_auto(gpgme_data_t) in = NULL;
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  gpgme_import_result_t result;
  gpgme_error_t err;
  guint n = 0;

  op = missive_smime_op_new (MISSIVE_SMIME_CONTEXT (context), cancellable, error);
  if (op == NULL)
    return NULL;
  in = missive_smime_data_new_from_bytes (data, error);
  if (in == NULL)
    return NULL;

  err = gpgme_op_import (op->ctx, in);
  if (missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                               looks_like_pkcs12 (data)
                               ? "Could not import the PKCS#12 bundle (gpgsm asks for its "
                                 "password through gpg-agent's pinentry)"
                               : "Could not import the certificates"))
    return NULL;

  result = gpgme_op_import_result (op->ctx);
  for (gpgme_import_status_t s = result != NULL ? result->imports : NULL; s != NULL; s = s->next)
    {
      if (s->result == 0 && s->fpr != NULL)
        {
          g_strv_builder_add (found, s->fpr);
          n++;
        }
    }
  if (n == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   looks_like_pkcs12 (data)
                   ? "Nothing was imported from the PKCS#12 bundle (wrong password, or "
                     "gpgsm could not ask for it through pinentry)"
                   : "No certificate was found in the data (PEM or DER X.509 expected)");
      return NULL;
    }
  return g_strv_builder_end (found);
}

GBytes *
missive_smime_export_keys (MissiveCryptoContext *context,
                           const char * const   *patterns,
                           gboolean              secret,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(MissiveSmimeOp) op = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  gpgme_data_t out;
  gpgme_error_t err;

  op = missive_smime_op_new (MISSIVE_SMIME_CONTEXT (context), cancellable, error);
  if (op == NULL)
    return NULL;
  gpgme_set_armor (op->ctx, missive_crypto_context_get_armor (context) ? 1 : 0);
  out = missive_smime_data_new (error);
  if (out == NULL)
    return NULL;

  for (gsize i = 0; patterns != NULL && patterns[i] != NULL; i++)
    g_ptr_array_add (list, (char *) patterns[i]);
  g_ptr_array_add (list, NULL);

  /* gpgsm exports a secret key only as PKCS#12, one at a time. */
  err = gpgme_op_export_ext (op->ctx, (const char **) list->pdata,
                             secret ? GPGME_EXPORT_MODE_SECRET | GPGME_EXPORT_MODE_PKCS12 : 0,
                             out);
  bytes = missive_gpgme_data_steal_bytes (out);
  if (missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                               secret ? "Could not export the secret key as PKCS#12"
                                      : "Could not export the certificates"))
    return NULL;
  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                           "No S/MIME certificate matched");
      return NULL;
    }
  return g_steal_pointer (&bytes);
}
