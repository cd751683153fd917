/* missive-pop3-reply.h: POP3 reply parsing (no I/O)
 *
 * Status lines ("+OK ...", "-ERR [CODE] ..."), RFC 2449 response codes,
 * the lines of multi-line replies (the "." terminator and dot-unstuffing),
 * and the items of STAT, LIST, UIDL and CAPA.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean ok;      /* +OK rather than -ERR */
  char *code;       /* the response code without brackets, or NULL */
  char *text;       /* the rest of the line (without the code), never NULL */
} MissivePop3Status;

void      missive_pop3_status_clear   (MissivePop3Status *status);

/* Parses a status line of @length bytes. Fails with MISSIVE_ERROR_PROTOCOL
 * when it starts with neither "+OK" nor "-ERR". */
gboolean  missive_pop3_parse_status   (const char        *line,
                                       gsize              length,
                                       MissivePop3Status *status,
                                       GError           **error);

/* The error for a -ERR reply: [AUTH] → AUTHENTICATION_FAILED,
 * [SYS/TEMP], [IN-USE] and [LOGIN-DELAY] → SERVER_TEMPORARY, [SYS/PERM]
 * → SERVER_PERMANENT, otherwise @default_code; the response code and the
 * server's text are kept as the error's server reply. @what names the
 * command ("RETR"). */
GError   *missive_pop3_status_to_error (const MissivePop3Status *status,
                                        int                      default_code,
                                        const char              *what);

/* One line of a multi-line reply (without its CRLF): returns FALSE for the
 * terminating ".", else TRUE with @data and @out_length set to the line after
 * dot-unstuffing. */
gboolean  missive_pop3_unstuff        (const char  *line,
                                       gsize        length,
                                       const char **data,
                                       gsize       *out_length);

/* "N SIZE" (STAT's text, a LIST line). Trailing text is ignored. */
gboolean  missive_pop3_parse_scan     (const char  *text,
                                       guint32     *number,
                                       guint64     *size);

/* "N UIDL" (a UIDL line): the UIDL is 1 to 70 characters 0x21..0x7E. */
gboolean  missive_pop3_parse_uidl     (const char  *text,
                                       guint32     *number,
                                       char       **uidl);

/* The arguments of EXPIRE or LOGIN-DELAY in CAPA (RFC 2449): a number of
 * days or seconds, or (EXPIRE only, @allow_never) "NEVER" as G_MAXINT,
 * optionally followed by "USER" (the value may differ per user; the
 * real one comes with CAPA after logging in). FALSE for anything else. */
gboolean  missive_pop3_parse_capa_number (const char *args,
                                          gboolean    allow_never,
                                          int        *value,
                                          gboolean   *per_user);

/* The APOP timestamp "<...@...>" in a greeting's text, or NULL. */
char     *missive_pop3_greeting_timestamp (const char *text);

G_END_DECLS
