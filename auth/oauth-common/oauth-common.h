/* oauth-common.h: code shared by the XOAUTH2 and OAUTHBEARER plugins
 *
 * Compiled into each of the two plugins (hidden visibility), so nothing
 * here is exported.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* The longest error challenge we accept, and how deep its JSON may nest. */
#define MISSIVE_OAUTH_MAX_ERROR_LENGTH 16384
#define MISSIVE_OAUTH_MAX_JSON_DEPTH   16

/* Parses the JSON object of an OAuth error challenge (RFC 7628 section
 * 3.2.2; Google's XOAUTH2 sends the same shape) and returns the string
 * values of its "status", "schemes" and "scope" members (a number is
 * accepted for "status"); a member that is absent gives NULL. Unknown
 * members are skipped. Fails with MISSIVE_ERROR_PROTOCOL unless @data is
 * exactly one well-formed JSON object (surrounding white space allowed). */
gboolean    missive_oauth_parse_error   (const guint8  *data,
                                         gsize          length,
                                         const char    *mechanism_name,
                                         char         **status,
                                         char         **schemes,
                                         char         **scope,
                                         GError       **error);

/* "status=401 schemes=bearer scope=https://mail.google.com/": the members
 * that are present, in that order, with control characters replaced by
 * '?'. The empty string if none is. */
char       *missive_oauth_format_error  (const char    *status,
                                         const char    *schemes,
                                         const char    *scope);

/* Creates the "token-requested" signal on @type (see the mechanisms' class
 * documentation) and returns its id. */
guint       missive_oauth_install_token_requested_signal (GType type);

/* The token to send: the oauth-token property if set, otherwise the one a
 * "token-requested" handler returns (stored into the property). Fails with
 * MISSIVE_ERROR_INVALID_ARGUMENT when there is none or when it holds a
 * character the mechanisms cannot carry. */
const char *missive_oauth_get_token     (MissiveSaslMechanism  *mech,
                                         guint                  signal_id,
                                         GError               **error);

/* Fails with MISSIVE_ERROR_INVALID_ARGUMENT if @value (named @what) is not
 * UTF-8 or holds a control character (the fields are separated by ^A). */
gboolean    missive_oauth_check_field   (const char    *value,
                                         const char    *what,
                                         const char    *mechanism_name,
                                         GError       **error);

/* Takes @string (which holds a bearer token) and returns its bytes in a
 * GBytes that overwrites them before freeing. */
GBytes     *missive_oauth_secret_bytes_new_take (GString *string);

G_END_DECLS
