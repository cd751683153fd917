/* testnoentry-module.c: libmissive-testnoentry.so, a shared object with
 * the plugin ABI symbol but without g_io_missive_testnoentry_load/_unload
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <missive/missive-plugin.h>

MISSIVE_PLUGIN_DECLARE_ABI;

/* Only the query entry point: not enough to be loaded. */
MISSIVE_PLUGIN_EXPORT char **g_io_missive_testnoentry_query (void);

char **
g_io_missive_testnoentry_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
