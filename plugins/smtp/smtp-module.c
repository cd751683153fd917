/* smtp-module.c: the GIO entry points of libmissive-smtp.so
 *
 * The plugin implements the "missive-protocol" extension point under the
 * names "smtp" and "lmtp". The engine's scheme table maps "smtp://" (port
 * 25), "submission://" (587, STARTTLS), "submissions://" and "smtps://"
 * (465, TLS) to the first, and "lmtp://" to the second.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-smtp-private.h"

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_smtp_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_smtp_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_smtp_query  (void);

void
g_io_missive_smtp_load (GIOModule *module)
{
  missive_smtp_sender_register_types (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SMTP_SENDER, "smtp", 0);
  g_io_extension_point_implement (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_LMTP_SENDER, "lmtp", 0);
}

void
g_io_missive_smtp_unload (GIOModule *module)
{
}

char **
g_io_missive_smtp_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
