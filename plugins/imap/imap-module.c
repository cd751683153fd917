/* imap-module.c: the GIO entry points of libmissive-imap.so
 *
 * The plugin implements the "missive-protocol" extension point under the
 * name "imap". The engine's scheme table maps both "imap://" (port 143,
 * STARTTLS) and "imaps://" (port 993, TLS) to that protocol; the store
 * itself also answers get_default_port for the security mode it is given.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-imap-private.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_imap_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_imap_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_imap_query  (void);

void
g_io_missive_imap_load (GIOModule *module)
{
  missive_imap_store_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_IMAP_STORE, "imap", 0);
}

void
g_io_missive_imap_unload (GIOModule *module)
{
}

char **
g_io_missive_imap_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
