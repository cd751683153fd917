/* testunresolved-module.c: libmissive-testunresolved.so, a complete plugin
 * that needs a variable no library defines. A data reference is bound when
 * the object is loaded (lazy binding only defers function calls), so
 * dlopen() fails. If it were loaded anyway, a crypto backend "unresolved"
 * would appear.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <missive/missive-plugin.h>

MISSIVE_PLUGIN_DECLARE_ABI;

/* Defined nowhere. */
extern const char missive_test_symbol_defined_nowhere[];

#define MISSIVE_TYPE_UNRESOLVED_CRYPTO (missive_unresolved_crypto_get_type ())
G_DECLARE_FINAL_TYPE (MissiveUnresolvedCrypto, missive_unresolved_crypto, MISSIVE, UNRESOLVED_CRYPTO, MissiveCryptoContext)

struct _MissiveUnresolvedCrypto
{
  MissiveCryptoContext parent_instance;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveUnresolvedCrypto, missive_unresolved_crypto,
                                MISSIVE_TYPE_CRYPTO_CONTEXT, G_TYPE_FLAG_FINAL, {})

static const char *
missive_unresolved_crypto_get_name (MissiveCryptoContext *context)
{
  return missive_test_symbol_defined_nowhere;
}

static void
missive_unresolved_crypto_class_init (MissiveUnresolvedCryptoClass *klass)
{
  MISSIVE_CRYPTO_CONTEXT_CLASS (klass)->get_name = missive_unresolved_crypto_get_name;
}

static void
missive_unresolved_crypto_class_finalize (MissiveUnresolvedCryptoClass *klass)
{
}

static void
missive_unresolved_crypto_init (MissiveUnresolvedCrypto *self)
{
}

MISSIVE_PLUGIN_EXPORT void g_io_missive_testunresolved_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void g_io_missive_testunresolved_unload (GIOModule *module);

void
g_io_missive_testunresolved_load (GIOModule *module)
{
  missive_unresolved_crypto_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_UNRESOLVED_CRYPTO, "unresolved", 0);
}

void
g_io_missive_testunresolved_unload (GIOModule *module)
{
}
