/* scram-module.c: the GIO entry points of libmissive-scram.so
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-sasl-scram.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_scram_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_scram_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_scram_query  (void);

void
g_io_missive_scram_load (GIOModule *module)
{
  missive_sasl_scram_register (module);
}

void
g_io_missive_scram_unload (GIOModule *module)
{
}

char **
g_io_missive_scram_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
