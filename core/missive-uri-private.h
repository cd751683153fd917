/* missive-uri-private.h: parsing of service URIs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* What a service URI such as "imaps://alice%40example.org@mail.example.org"
 * says, with the scheme's defaults filled in. Every string is decoded and
 * free of CR, LF and NUL. */
typedef struct
{
  char            *scheme;          /* lowercase, e.g. "imaps" */
  char            *protocol;        /* the missive-protocol extension, e.g. "imap" */
  char            *host;            /* IPv6 literals without brackets */
  guint16          port;            /* explicit, or the default (see missive_uri_parse) */
  MissiveSecurity  security;        /* ?security=, or the scheme's default */
  char            *username;        /* nullable */
  char            *password;        /* nullable; discouraged in URIs */
  char            *auth_mechanism;  /* nullable; uppercase */
  gboolean         has_allow_plaintext;
  gboolean         allow_plaintext;
  gboolean         has_timeout;
  guint            timeout;         /* seconds */
} MissiveUri;

/* Parses @uri. A scheme of the built-in table (imap, imaps, pop3, pop3s,
 * smtp, submission, submissions, smtps, lmtp) gets that protocol and its
 * default port and security (when ?security= switches between implicit TLS
 * and a clear-text start, the default port follows: imap + tls -> 993,
 * smtps + starttls -> 587); a scheme listed in @extra_schemes (protocol
 * extensions that plugins add) is its own protocol, needs an explicit port
 * and defaults to MISSIVE_SECURITY_NONE. Any other scheme fails with
 * MISSIVE_ERROR_UNKNOWN_SCHEME; malformed URIs fail with
 * MISSIVE_ERROR_INVALID_ARGUMENT. Error messages never quote the password. */
MissiveUri  *missive_uri_parse                (const char          *uri,
                                               const char * const  *extra_schemes,
                                               GError             **error);
void         missive_uri_free                 (MissiveUri          *uri);

/* The schemes of the built-in table, in table order (static, NULL-terminated). */
const char * const *missive_uri_get_known_schemes (void);

/* The protocol extension name of a built-in scheme (case-insensitive), or
 * NULL when @scheme is not in the table. */
const char  *missive_uri_scheme_get_protocol  (const char          *scheme);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveUri, missive_uri_free)

G_END_DECLS
