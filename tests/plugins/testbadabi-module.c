/* testbadabi-module.c: libmissive-testbadabi.so, a complete plugin that
 * declares plugin ABI 999. If the engine loaded it anyway, a crypto
 * backend "badabi" would appear.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <missive/missive-plugin.h>

/* What MISSIVE_PLUGIN_DECLARE_ABI would say with another ABI version. */
__attribute__((visibility ("default"))) const guint missive_plugin_abi_version = 999;

#define MISSIVE_TYPE_BAD_ABI_CRYPTO (missive_bad_abi_crypto_get_type ())
G_DECLARE_FINAL_TYPE (MissiveBadAbiCrypto, missive_bad_abi_crypto, MISSIVE, BAD_ABI_CRYPTO, MissiveCryptoContext)

struct _MissiveBadAbiCrypto
{
  MissiveCryptoContext parent_instance;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveBadAbiCrypto, missive_bad_abi_crypto,
                                MISSIVE_TYPE_CRYPTO_CONTEXT, G_TYPE_FLAG_FINAL, {})

static void
missive_bad_abi_crypto_class_init (MissiveBadAbiCryptoClass *klass)
{
}

static void
missive_bad_abi_crypto_class_finalize (MissiveBadAbiCryptoClass *klass)
{
}

static void
missive_bad_abi_crypto_init (MissiveBadAbiCrypto *self)
{
}

MISSIVE_PLUGIN_EXPORT void g_io_missive_testbadabi_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void g_io_missive_testbadabi_unload (GIOModule *module);

void
g_io_missive_testbadabi_load (GIOModule *module)
{
  missive_bad_abi_crypto_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_BAD_ABI_CRYPTO, "badabi", 0);
}

void
g_io_missive_testbadabi_unload (GIOModule *module)
{
}
