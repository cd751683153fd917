/* missive-smime-private.h: the S/MIME backend's internal interfaces
 *
 * The backend implements MissiveCryptoContext with GPGME's CMS protocol
 * (gpgsm). GMime builds and takes apart the MIME structures of RFC 8551;
 * every cryptographic operation goes through GPGME.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gpgme.h>
#include <missive/missive-plugin.h>
#include <missive/missive-crypto-backend.h>

#include "missive-gpgme-util.h"

G_BEGIN_DECLS

#define MISSIVE_TYPE_SMIME_CONTEXT (missive_smime_context_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSmimeContext, missive_smime_context, MISSIVE, SMIME_CONTEXT, MissiveCryptoContext)

/* At most this many passphrase attempts per key and operation. */
#define MISSIVE_SMIME_PASSPHRASE_ATTEMPTS 3

/* The deepest certificate chain followed for a signer. */
#define MISSIVE_SMIME_MAX_CHAIN 16

void           missive_smime_context_register        (GIOModule            *module);
gboolean       missive_smime_context_get_opaque_sign (MissiveSmimeContext  *self);
gboolean       missive_smime_context_get_include_certs_set (MissiveSmimeContext *self,
                                                      int                  *include_certs);

/* missive-smime-gpgme.c: contexts, errors, data */

/* One GPGME context (one gpgsm process) for one operation, cancelled
 * through gpgme_cancel_async() when @cancellable is. */
typedef struct
{
  gpgme_ctx_t   ctx;
  GCancellable *cancellable;
  gulong        cancel_id;
} MissiveSmimeOp;

MissiveSmimeOp *missive_smime_op_new                 (MissiveSmimeContext  *self,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
void           missive_smime_op_free                 (MissiveSmimeOp       *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveSmimeOp, missive_smime_op_free)
void           missive_smime_data_free               (gpgme_data_t          data);
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gpgme_data_t, missive_smime_data_free, NULL)
void           missive_smime_key_unref               (gpgme_key_t           key);
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gpgme_key_t, missive_smime_key_unref, NULL)
gboolean       missive_smime_set_error               (GError              **error,
                                                      gpgme_error_t         err,
                                                      int                   code,
                                                      const char           *what);
gpgme_data_t   missive_smime_data_new_from_bytes     (GBytes               *bytes,
                                                      GError              **error);
gpgme_data_t   missive_smime_data_new                (GError              **error);
gboolean       missive_smime_check_cancelled         (GCancellable         *cancellable,
                                                      GError              **error);
GPtrArray     *missive_smime_find_keys               (gpgme_ctx_t           ctx,
                                                      const char * const   *patterns,
                                                      gboolean              for_signing,
                                                      GError              **error);
char          *missive_smime_key_describe            (gpgme_key_t           key);
char          *missive_smime_uid_email               (gpgme_user_id_t       uid);

/* missive-smime-agent.c: passphrases through gpg-agent's loopback mode */
gboolean       missive_smime_unlock_keys             (MissiveSmimeContext  *self,
                                                      GPtrArray            *keys,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* missive-smime-keys.c: certificates as MissiveCryptoKey */
MissiveCryptoKey *missive_smime_key_to_object        (gpgme_key_t           key);
GListModel    *missive_smime_list_keys               (MissiveCryptoContext *context,
                                                      const char           *pattern,
                                                      gboolean              secret_only,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
char         **missive_smime_import_keys             (MissiveCryptoContext *context,
                                                      GBytes               *data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
GBytes        *missive_smime_export_keys             (MissiveCryptoContext *context,
                                                      const char * const   *patterns,
                                                      gboolean              secret,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* missive-smime-verify.c: signatures and their signers */
gboolean       missive_smime_is_pkcs7_mime           (GMimeObject          *object,
                                                      const char           *smime_type);
GListModel    *missive_smime_signatures_from_result  (gpgme_ctx_t           ctx,
                                                      gpgme_verify_result_t result);
GListModel    *missive_smime_verify_object           (MissiveSmimeContext  *self,
                                                      MissiveSmimeOp       *op,
                                                      GMimeObject          *object,
                                                      GMimeObject         **content,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* missive-smime-mime.c: the operations */
GMimeMessage  *missive_smime_sign                    (MissiveCryptoContext  *context,
                                                      GMimeMessage          *message,
                                                      const char * const    *signers,
                                                      MissiveCryptoFlags     flags,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
GMimeMessage  *missive_smime_encrypt                 (MissiveCryptoContext  *context,
                                                      GMimeMessage          *message,
                                                      const char * const    *signers,
                                                      const char * const    *recipients,
                                                      MissiveCryptoFlags     flags,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
GMimeMessage  *missive_smime_decrypt                 (MissiveCryptoContext  *context,
                                                      GMimeMessage          *message,
                                                      gboolean               verify,
                                                      MissiveDecryptResult **result,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
GListModel    *missive_smime_verify                  (MissiveCryptoContext  *context,
                                                      GMimeMessage          *message,
                                                      GMimeMessage         **content,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

G_END_DECLS
