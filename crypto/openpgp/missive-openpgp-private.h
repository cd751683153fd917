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
gpgme_data_t      missive_openpgp_data_new    (GBytes                *bytes);

/* missive-openpgp-keyrings.c: the first usable key for @name in @op's
 * home (*@key_out NULL when none; FALSE only on a GPGME failure). */
gboolean          missive_openpgp_lookup_key  (MissiveOpenpgpOp      *op,
                                               const char            *name,
                                               gboolean               for_signing,
                                               gpgme_key_t           *key_out,
                                               GError               **error);

/* The GnuPG homes of one operation: the context's home, then its
 * keyrings (MissiveCryptoContext:keyrings). @op works in home 0 first. */
typedef struct _MissiveOpenpgpHomes MissiveOpenpgpHomes;

MissiveOpenpgpHomes *missive_openpgp_homes_new  (MissiveOpenpgpOp     *op);
void              missive_openpgp_homes_free  (MissiveOpenpgpHomes   *homes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveOpenpgpHomes, missive_openpgp_homes_free)
guint             missive_openpgp_homes_count (MissiveOpenpgpHomes   *homes);
const char       *missive_openpgp_homes_get   (MissiveOpenpgpHomes   *homes,
                                               guint                  index);
/* Makes @op work in home @index. */
gboolean          missive_openpgp_homes_use   (MissiveOpenpgpHomes   *homes,
                                               guint                  index,
                                               GError               **error);
/* Finds each signer's secret key in the first home that has one: the
 * keys go to @keys (gpgme_key_t), their homes' indexes to @key_homes. */
gboolean          missive_openpgp_homes_find_signers (MissiveOpenpgpHomes *homes,
                                                      const char * const  *names,
                                                      GPtrArray           *keys,
                                                      GArray              *key_homes,
                                                      GError             **error);
/* Finds each recipient's public key (to @keys). When some are in another
 * home than @op's, *@recpstring is a gpgme_op_encrypt_ext() recipient
 * string naming all of them (those keys as exported files), else NULL. */
gboolean          missive_openpgp_homes_find_recipients (MissiveOpenpgpHomes *homes,
                                                         const char * const  *names,
                                                         GPtrArray           *keys,
                                                         char               **recpstring,
                                                         GError             **error);

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
