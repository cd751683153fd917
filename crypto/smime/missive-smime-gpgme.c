/* missive-smime-gpgme.c: GPGME contexts, data buffers, errors and key look-up
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smime-private.h"

static void
op_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  MissiveSmimeOp *op = user_data;

  /* Thread-safe: GPGME stops the running operation, which then fails
   * with GPG_ERR_CANCELED. */
  gpgme_cancel_async (op->ctx);
}

/* A CMS context for one operation: the context's home directory,
 * certificates validated when listed, DER output. */
MissiveSmimeOp *
missive_smime_op_new (MissiveSmimeContext *self,
                      GCancellable        *cancellable,
                      GError             **error)
{
  MissiveCryptoContext *context = MISSIVE_CRYPTO_CONTEXT (self);
  g_autofree char *home = NULL;
  MissiveSmimeOp *op;
  gpgme_ctx_t ctx = NULL;
  gpgme_error_t err;
  int include_certs;

  if (missive_smime_check_cancelled (cancellable, error))
    return NULL;

  home = g_strdup (missive_crypto_context_get_home_directory (context));
  err = gpgme_new (&ctx);
  if (!err)
    err = gpgme_set_protocol (ctx, GPGME_PROTOCOL_CMS);
  if (!err && home != NULL && *home != '\0')
    err = gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_CMS, NULL, home);
  if (!err)
    err = gpgme_set_keylist_mode (ctx, GPGME_KEYLIST_MODE_LOCAL |
                                       GPGME_KEYLIST_MODE_VALIDATE);
  if (err)
    {
      if (ctx != NULL)
        gpgme_release (ctx);
      missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                               "Could not start gpgsm for S/MIME");
      return NULL;
    }
  gpgme_set_armor (ctx, 0);
  if (missive_smime_context_get_include_certs_set (self, &include_certs))
    gpgme_set_include_certs (ctx, include_certs);

  op = g_new0 (MissiveSmimeOp, 1);
  op->ctx = ctx;
  if (cancellable != NULL)
    {
      op->cancellable = g_object_ref (cancellable);
      op->cancel_id = g_cancellable_connect (cancellable,
                                             G_CALLBACK (op_cancelled_cb),
                                             op, NULL);
    }
  return op;
}

void
missive_smime_op_free (MissiveSmimeOp *op)
{
  if (op == NULL)
    return;
  if (op->cancellable != NULL)
    {
      g_cancellable_disconnect (op->cancellable, op->cancel_id);
      g_object_unref (op->cancellable);
    }
  gpgme_release (op->ctx);
  g_free (op);
}

void
missive_smime_data_free (gpgme_data_t data)
{
  if (data != NULL)
    gpgme_data_release (data);
}

void
missive_smime_key_unref (gpgme_key_t key)
{
  if (key != NULL)
    gpgme_key_unref (key);
}

gboolean
missive_smime_check_cancelled (GCancellable *cancellable,
                               GError      **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Sets @error from a GPGME error (if @err is not 0) and returns TRUE when
 * it did. GPGME's own code picks the Missive code where one fits,
 * otherwise @code is used. */
gboolean
missive_smime_set_error (GError       **error,
                         gpgme_error_t  err,
                         int            code,
                         const char    *what)
{
  gpgme_err_code_t ec = gpgme_err_code (err);

  if (err == 0)
    return FALSE;

  switch (ec)
    {
    case GPG_ERR_CANCELED:
    case GPG_ERR_FULLY_CANCELED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "%s: the operation was cancelled", what);
      return TRUE;
    case GPG_ERR_BAD_PASSPHRASE:
      code = MISSIVE_ERROR_BAD_PASSPHRASE;
      break;
    case GPG_ERR_NO_PUBKEY:
    case GPG_ERR_UNUSABLE_PUBKEY:
    case GPG_ERR_UNUSABLE_SECKEY:
    case GPG_ERR_CERT_EXPIRED:
    case GPG_ERR_CERT_REVOKED:
      code = MISSIVE_ERROR_KEY_NOT_FOUND;
      break;
    case GPG_ERR_ENOENT:
      if (gpgme_err_source (err) == GPG_ERR_SOURCE_GPGME)
        code = MISSIVE_ERROR_NOT_SUPPORTED;
      break;
    default:
      break;
    }
  g_set_error (error, MISSIVE_ERROR, code, "%s: %s (%s)",
               what, gpgme_strerror (err), gpgme_strsource (err));
  return TRUE;
}

gpgme_data_t
missive_smime_data_new_from_bytes (GBytes  *bytes,
                                   GError **error)
{
  gpgme_data_t data;

  if (missive_smime_set_error (error, missive_gpgme_data_new (bytes, &data),
                               MISSIVE_ERROR_FAILED, "Could not create a GPGME buffer"))
    return NULL;
  return data;
}

gpgme_data_t
missive_smime_data_new (GError **error)
{
  return missive_smime_data_new_from_bytes (NULL, error);
}

/* "Alice Example <alice@example.org>" → "alice@example.org": gpgsm looks
 * certificates up by mailbox, fingerprint, key id or subject. */
static char *
pattern_normalise (const char *pattern)
{
  const char *lt = strrchr (pattern, '<');
  const char *gt = lt != NULL ? strchr (lt, '>') : NULL;

  if (lt != NULL && gt != NULL && gt > lt + 1)
    return g_strndup (lt + 1, gt - lt - 1);
  return g_strstrip (g_strdup (pattern));
}

static gboolean
key_is_usable (gpgme_key_t key,
               gboolean    for_signing)
{
  if (key->revoked || key->expired || key->disabled || key->invalid)
    return FALSE;
  if (for_signing)
    return key->can_sign && key->secret;
  return key->can_encrypt;
}

/* One certificate for each of @patterns (a mailbox, a fingerprint, a key
 * id or a subject), for signing (with a secret key) or encrypting. An
 * array of gpgme_key_t (unref'd when freed). */
GPtrArray *
missive_smime_find_keys (gpgme_ctx_t         ctx,
                         const char * const *patterns,
                         gboolean            for_signing,
                         GError            **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) gpgme_key_unref);

  for (gsize i = 0; patterns != NULL && patterns[i] != NULL; i++)
    {
      g_autofree char *pattern = pattern_normalise (patterns[i]);
      gpgme_key_t found = NULL;
      gboolean unusable = FALSE;
      gpgme_error_t err;

      if (*pattern == '\0')
        continue;
      err = gpgme_op_keylist_start (ctx, pattern, for_signing ? 1 : 0);
      while (!err)
        {
          gpgme_key_t key = NULL;

          err = gpgme_op_keylist_next (ctx, &key);
          if (err)
            break;
          if (found == NULL && key_is_usable (key, for_signing))
            found = key;
          else
            {
              unusable = unusable || found == NULL;
              gpgme_key_unref (key);
            }
        }
      gpgme_op_keylist_end (ctx);
      if (gpgme_err_code (err) != GPG_ERR_EOF && err != 0)
        {
          if (found != NULL)
            gpgme_key_unref (found);
          missive_smime_set_error (error, err, MISSIVE_ERROR_KEY_NOT_FOUND,
                                   "Could not list S/MIME certificates");
          return NULL;
        }
      if (found == NULL)
        {
          if (unusable)
            g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                         "No usable S/MIME certificate for “%s”: it is expired, "
                         "revoked or not allowed to %s", pattern,
                         for_signing ? "sign" : "encrypt");
          else
            g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                         "No S/MIME certificate%s for “%s”",
                         for_signing ? " with a secret key" : "", pattern);
          return NULL;
        }
      g_ptr_array_add (keys, found);
    }
  if (keys->len == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                           for_signing ? "No signer was given" : "No recipient was given");
      return NULL;
    }
  return g_steal_pointer (&keys);
}

/* gpgsm lists a certificate's mailboxes as "<alice@example.org>": the
 * mailbox without the brackets (NULL when @uid has none). */
char *
missive_smime_uid_email (gpgme_user_id_t uid)
{
  const char *email = uid->email;
  gsize length;

  if (email == NULL || *email == '\0')
    return NULL;
  length = strlen (email);
  if (email[0] == '<' && length >= 2 && email[length - 1] == '>')
    return length > 2 ? g_strndup (email + 1, length - 2) : NULL;
  return g_strdup (email);
}

/* "CN=Alice,O=Example <alice@example.org>", for the passphrase request. */
char *
missive_smime_key_describe (gpgme_key_t key)
{
  const char *subject = NULL;
  g_autofree char *email = NULL;

  for (gpgme_user_id_t uid = key->uids; uid != NULL; uid = uid->next)
    {
      if (subject == NULL && uid->uid != NULL && uid->uid[0] != '<')
        subject = uid->uid;
      if (email == NULL)
        email = missive_smime_uid_email (uid);
    }
  if (subject != NULL && email != NULL)
    return g_strdup_printf ("%s <%s>", subject, email);
  return g_strdup (subject != NULL ? subject : email);
}
