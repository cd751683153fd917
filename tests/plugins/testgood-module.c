/* testgood-module.c: the GIO entry points of libmissive-testgood.so, a
 * valid plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-plugin.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_testgood_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_testgood_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_testgood_query  (void);

void
g_io_missive_testgood_load (GIOModule *module)
{
  missive_test_service_register (module);
  missive_test_mechanism_register (module);
  missive_test_crypto_register (module);
}

void
g_io_missive_testgood_unload (GIOModule *module)
{
}

char **
g_io_missive_testgood_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
    MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
    MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
