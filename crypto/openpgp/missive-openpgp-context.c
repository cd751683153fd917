/* missive-openpgp-context.c: the "openpgp" crypto backend
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-openpgp-private.h"

/*
 * MissiveOpenpgpContext:
 *
 * OpenPGP through GPGME (gpg and gpg-agent): PGP/MIME (RFC 3156) by
 * default, inline OpenPGP with MISSIVE_CRYPTO_FLAGS_INLINE. Every
 * operation makes its own GPGME context in the worker thread the core
 * runs it in, with the loopback pinentry so that passphrases come from
 * MissiveCryptoContext::passphrase-requested.
 */
struct _MissiveOpenpgpContext
{
  MissiveCryptoContext parent_instance;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveOpenpgpContext, missive_openpgp_context,
                                MISSIVE_TYPE_CRYPTO_CONTEXT, G_TYPE_FLAG_FINAL, {})

static const char *
missive_openpgp_context_get_name (MissiveCryptoContext *context)
{
  return "openpgp";
}

static void
missive_openpgp_context_class_init (MissiveOpenpgpContextClass *klass)
{
  MissiveCryptoContextClass *context_class = MISSIVE_CRYPTO_CONTEXT_CLASS (klass);

  context_class->get_name = missive_openpgp_context_get_name;
  context_class->sign = missive_openpgp_sign;
  context_class->encrypt = missive_openpgp_encrypt;
  context_class->decrypt = missive_openpgp_decrypt;
  context_class->verify = missive_openpgp_verify;
  context_class->list_keys = missive_openpgp_list_keys;
  context_class->import_keys = missive_openpgp_import_keys;
  context_class->export_keys = missive_openpgp_export_keys;
}

static void
missive_openpgp_context_class_finalize (MissiveOpenpgpContextClass *klass)
{
}

static void
missive_openpgp_context_init (MissiveOpenpgpContext *self)
{
}

void
missive_openpgp_context_register (GTypeModule *module)
{
  missive_openpgp_context_register_type (module);
}
