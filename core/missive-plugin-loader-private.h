/* missive-plugin-loader-private.h: finding and loading plugins
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Registers the extension points (missive_plugin_ensure_extension_points)
 * and loads the plugins of MISSIVE_PLUGIN_PATH and MISSIVE_PLUGINDIR. Only
 * the first call does any work; it is thread-safe, and later callers wait
 * until the first one is done. */
void    missive_plugin_loader_ensure_loaded      (void);

/* "path: reason" for every plugin the loader refused, in the order they
 * were found. Loads the plugins first. Free with g_strfreev(). */
char  **missive_plugin_loader_dup_skipped        (void);

G_END_DECLS
