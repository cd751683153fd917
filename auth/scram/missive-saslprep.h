/* missive-saslprep.h: SASLprep (RFC 4013), private to the SCRAM plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Prepares the UTF-8 string @input with the SASLprep profile of
 * stringprep: maps non-ASCII spaces to U+0020, removes the characters
 * commonly mapped to nothing, normalizes to NFKC and rejects prohibited
 * characters (MISSIVE_ERROR_INVALID_ARGUMENT). @what names the string in
 * error messages. Returns a newly allocated string. Unassigned code points
 * are let through (the "query" variant) and the bidi rules are not
 * checked. */
char *missive_saslprep (const char  *input,
                        const char  *what,
                        GError     **error);

G_END_DECLS
