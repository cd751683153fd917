/* missive-imap-convert.h: from parsed IMAP responses to Missive's types
 *
 * Pure functions: no I/O, no store. Each checks the shape of what it is
 * given and fails with MISSIVE_ERROR_PROTOCOL (naming what was wrong) rather
 * than guessing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

#include "missive-imap-parser.h"

G_BEGIN_DECLS

/* Applies the items of one "* n FETCH (...)" response (@response->args is
 * the list) to @info: UID, FLAGS, RFC822.SIZE, INTERNALDATE, ENVELOPE,
 * BODYSTRUCTURE / BODY, MODSEQ, BODY[HEADER] (the raw header block, also
 * reported through @header_func), PREVIEW, EMAILID, THREADID, SAVEDATE,
 * X-GM-LABELS, X-GM-MSGID, X-GM-THRID. The sequence number comes from
 * @response->number. Unknown items are ignored. With @decode_words, RFC
 * 2047 encoded words in the subject and address names are decoded. */
typedef void (*MissiveImapHeaderFunc) (const char *name,
                                       const char *value,
                                       gpointer    user_data);
gboolean missive_imap_fetch_to_info           (const MissiveImapResponse *response,
                                               MissiveMessageInfo        *info,
                                               gboolean                   decode_words,
                                               MissiveImapHeaderFunc      header_func,
                                               gpointer                   header_data,
                                               GError                   **error);

/* An ENVELOPE's address list ("((name adl mailbox host) ...)" or NIL) as
 * GMime's list; group syntax (host NIL) becomes InternetAddressGroup. */
InternetAddressList *missive_imap_address_list_from_value (const MissiveImapValue *value,
                                                           gboolean                decode_words,
                                                           GError                **error);

/* A BODYSTRUCTURE (or BODY) value as a part tree; sections are numbered as
 * in RFC 3501 ("1", "1.2", "TEXT" parts of message/rfc822 ...).
 * The root multipart is "TEXT"; the body of a message/rfc822 part "2" is
 * its only child, "2.TEXT" when multipart (children "2.1", ...) or "2.1",
 * and the part's message info carries the embedded envelope. Parameter
 * values are joined and decoded (RFC 2231) and RFC 2047 words decoded, in
 * parameters and embedded envelopes alike (missive_imap_fetch_to_info()
 * follows its @decode_words instead). */
MissiveBodyPart *missive_imap_body_part_from_value (const MissiveImapValue *value,
                                                    GError                **error);

/* "17-Jul-1996 02:44:25 -0700" (date-time) to a GDateTime, and back.
 * Also accepts a leading space for single-digit days. */
GDateTime *missive_imap_parse_date_time  (const char *text);
char      *missive_imap_format_date_time (GDateTime  *date);
/* "17-Jul-1996" (the date of SEARCH criteria). */
char      *missive_imap_format_date      (GDateTime  *date);

/* A sequence set as the server sends it (COPYUID, APPENDUID, VANISHED,
 * ESEARCH ALL, SEARCH numbers as separate atoms are joined by the caller).
 * NULL with MISSIVE_ERROR_PROTOCOL if malformed. */
MissiveMessageSet *missive_imap_set_from_value (const MissiveImapValue *value,
                                                GError                **error);

/* A LIST/LSUB/XLIST response's args ("(\HasNoChildren) "/" INBOX") as a
 * mailbox info; @utf7: decode the name from modified UTF-7 (a name that
 * does not decode is kept as sent). LIST-STATUS and LIST-EXTENDED extras
 * are applied when present. */
MissiveMailboxInfo *missive_imap_mailbox_from_list (const MissiveImapResponse *response,
                                                    gboolean                   utf7,
                                                    GError                   **error);

/* Applies "STATUS name (MESSAGES 3 UIDNEXT 4 ...)" attributes (the list)
 * to @info. */
gboolean missive_imap_apply_status             (const MissiveImapValue *list,
                                                MissiveMailboxInfo     *info,
                                                GError                **error);

/* Applies one untagged response received during SELECT/EXAMINE (FLAGS,
 * EXISTS, RECENT, OK [UNSEEN n], [PERMANENTFLAGS ...], [UIDNEXT n],
 * [UIDVALIDITY n], [HIGHESTMODSEQ n], [NOMODSEQ], [MAILBOXID (...)]) to
 * @info. Returns TRUE if the response was one of those. */
gboolean missive_imap_apply_select_response    (const MissiveImapResponse *response,
                                                MissiveMailboxInfo        *info);

G_END_DECLS
