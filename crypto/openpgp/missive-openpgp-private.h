/* missive-openpgp-private.h: the OpenPGP crypto backend (GPGME)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gpgme.h>
#include <missive/missive-crypto-backend.h>

#include "missive-gpgme-util.h"

G_BEGIN_DECLS

/* GMime 3.2 defines no g_autoptr() cleanup for its types: this unrefs
 * any GObject pointer variable when it goes out of scope. */
static inline void
missive_openpgp_unref_ptr (void *location)
{
  GObject **object = location;

  if (*object != NULL)
    g_object_unref (*object);
}
#define MISSIVE_AUTO_UNREF __attribute__ ((cleanup (missive_openpgp_unref_ptr)))

#define MISSIVE_TYPE_OPENPGP_CONTEXT (missive_openpgp_context_get_type ())
G_DECLARE_FINAL_TYPE (MissiveOpenpgpContext, missive_openpgp_context, MISSIVE, OPENPGP_CONTEXT, MissiveCryptoContext)

void missive_openpgp_context_register (GTypeModule *module);

/* One GPGME context for one operation, with its passphrase hook. */
typedef struct
{
  MissiveCryptoContext *self;
  GCancellable *cancellable;
  gpgme_ctx_t ctx;
  gboolean passphrase_refused;   /* the application answered NULL */
  guint passphrase_asked;
  gboolean previous_was_bad;     /* the last attempt failed on it */
} MissiveOpenpgpOp;

MissiveOpenpgpOp *missive_openpgp_op_new      (MissiveCryptoContext  *self,
                                               GCancellable          *cancellable,
                                               GError               **error);
void              missive_openpgp_op_free     (MissiveOpenpgpOp      *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveOpenpgpOp, missive_openpgp_op_free)

/* A GError for a GPGME failure of @what ("Signing", "Decryption"...). */
GError           *missive_openpgp_error       (MissiveOpenpgpOp      *op,
                                               gpgme_error_t          err,
                                               const char            *what);
gboolean          missive_openpgp_find_keys   (MissiveOpenpgpOp      *op,
                                               const char * const    *names,
                                               gboolean               for_signing,
                                               GPtrArray             *keys,
                                               GError               **error);
gpgme_data_t      missive_openpgp_data_new    (GBytes                *bytes);

MissiveCryptoKey *missive_openpgp_key_new     (gpgme_key_t            key);
MissiveSignature *missive_openpgp_signature_new (MissiveOpenpgpOp    *op,
                                                 gpgme_signature_t    signature);
GListModel       *missive_openpgp_signatures_new (MissiveOpenpgpOp   *op,
                                                  gpgme_verify_result_t result);

GListModel       *missive_openpgp_list_keys   (MissiveCryptoContext  *self,
                                               const char            *pattern,
                                               gboolean               secret_only,
                                               GCancellable          *cancellable,
                                               GError               **error);
char            **missive_openpgp_import_keys (MissiveCryptoContext  *self,
                                               GBytes                *data,
                                               GCancellable          *cancellable,
                                               GError               **error);
GBytes           *missive_openpgp_export_keys (MissiveCryptoContext  *self,
                                               const char * const    *patterns,
                                               gboolean               secret,
                                               GCancellable          *cancellable,
                                               GError               **error);

GMimeMessage     *missive_openpgp_sign        (MissiveCryptoContext  *self,
                                               GMimeMessage          *message,
                                               const char * const    *signers,
                                               MissiveCryptoFlags     flags,
                                               GCancellable          *cancellable,
                                               GError               **error);
GMimeMessage     *missive_openpgp_encrypt     (MissiveCryptoContext  *self,
                                               GMimeMessage          *message,
                                               const char * const    *signers,
                                               const char * const    *recipients,
                                               MissiveCryptoFlags     flags,
                                               GCancellable          *cancellable,
                                               GError               **error);
GMimeMessage     *missive_openpgp_decrypt     (MissiveCryptoContext  *self,
                                               GMimeMessage          *message,
                                               gboolean               verify,
                                               MissiveDecryptResult **result,
                                               GCancellable          *cancellable,
                                               GError               **error);
GListModel       *missive_openpgp_verify      (MissiveCryptoContext  *self,
                                               GMimeMessage          *message,
                                               GMimeMessage         **content,
                                               GCancellable          *cancellable,
                                               GError               **error);

G_END_DECLS
