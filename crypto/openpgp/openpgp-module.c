/* openpgp-module.c: the GIO entry points of libmissive-openpgp.so
 *
 * The plugin implements the "missive-crypto-backend" extension point under
 * the name "openpgp": PGP/MIME (RFC 3156) and inline OpenPGP through GPGME.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-openpgp-private.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_openpgp_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_openpgp_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_openpgp_query  (void);

void
g_io_missive_openpgp_load (GIOModule *module)
{
  /* GPGME must be initialised once, before any context exists. */
  gpgme_check_version (NULL);
  missive_openpgp_context_register (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_OPENPGP_CONTEXT, "openpgp", 0);
}

void
g_io_missive_openpgp_unload (GIOModule *module)
{
}

char **
g_io_missive_openpgp_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
