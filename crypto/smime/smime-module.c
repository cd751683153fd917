/* smime-module.c: the GIO entry points of libmissive-smime.so
 *
 * The plugin implements the "missive-crypto-backend" extension point under
 * the name "smime".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-smime-private.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_smime_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_smime_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_smime_query  (void);

void
g_io_missive_smime_load (GIOModule *module)
{
  missive_smime_context_register (module);
}

void
g_io_missive_smime_unload (GIOModule *module)
{
}

char **
g_io_missive_smime_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
