/* missive-imap-utf7.h: IMAP's modified UTF-7 for mailbox names
 * (RFC 3501 section 5.1.3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* UTF-8 to modified UTF-7 ("&" becomes "&-", non-ASCII becomes "&...-").
 * @length may be -1 for a NUL-terminated @utf8. Returns NULL (and sets
 * G_CONVERT_ERROR_ILLEGAL_SEQUENCE) if @utf8 is not valid UTF-8. */
char *missive_imap_utf7_encode (const char  *utf8,
                                gssize       length,
                                GError     **error);

/* Modified UTF-7 to UTF-8. Returns NULL (and sets
 * G_CONVERT_ERROR_ILLEGAL_SEQUENCE) on anything RFC 3501 forbids: bad
 * base64, a shift sequence that encodes ASCII, an unterminated shift,
 * unpaired surrogates, leftover bits, raw 8-bit bytes. */
char *missive_imap_utf7_decode (const char  *utf7,
                                gssize       length,
                                GError     **error);

G_END_DECLS
