/* test-crypto.c: the crypto backend "testcrypto" of the fixture plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-plugin.h"

struct _MissiveTestCrypto
{
  MissiveCryptoContext parent_instance;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveTestCrypto, missive_test_crypto,
                                MISSIVE_TYPE_CRYPTO_CONTEXT, G_TYPE_FLAG_FINAL, {})

static const char *
missive_test_crypto_get_name (MissiveCryptoContext *context)
{
  return "testcrypto";
}

static void
missive_test_crypto_class_init (MissiveTestCryptoClass *klass)
{
  MissiveCryptoContextClass *context_class = MISSIVE_CRYPTO_CONTEXT_CLASS (klass);

  context_class->get_name = missive_test_crypto_get_name;
}

static void
missive_test_crypto_class_finalize (MissiveTestCryptoClass *klass)
{
}

static void
missive_test_crypto_init (MissiveTestCrypto *self)
{
}

void
missive_test_crypto_register (GIOModule *module)
{
  if (module == NULL)
    missive_plugin_ensure_extension_points ();

  missive_test_crypto_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_TEST_CRYPTO, "testcrypto", 0);
}
