/* pop3-module.c: the GIO entry points of libmissive-pop3.so
 *
 * The plugin implements the "missive-protocol" extension point under the
 * name "pop3". The engine's scheme table maps "pop3://" (port 110, STLS)
 * and "pop3s://" (port 995, TLS) to it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-pop3-private.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_pop3_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_pop3_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_pop3_query  (void);

void
g_io_missive_pop3_load (GIOModule *module)
{
  missive_pop3_store_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_POP3_STORE, "pop3", 0);
}

void
g_io_missive_pop3_unload (GIOModule *module)
{
}

char **
g_io_missive_pop3_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
