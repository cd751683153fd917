/* missive-imap-quirks.h: what known IMAP servers need done differently
 *
 * One table (missive-imap-quirks.c) recognises the server from its
 * greeting, its ID response or a capability only it announces, and gives
 * the quirks that apply. The rest of the plugin asks for quirk bits; no
 * server name appears anywhere else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MISSIVE_IMAP_SERVER_UNKNOWN,
  MISSIVE_IMAP_SERVER_GMAIL,
  MISSIVE_IMAP_SERVER_EXCHANGE,   /* Exchange and Outlook.com / Office 365 */
  MISSIVE_IMAP_SERVER_YAHOO,
  MISSIVE_IMAP_SERVER_YANDEX,
  MISSIVE_IMAP_SERVER_DOVECOT,
  MISSIVE_IMAP_SERVER_CYRUS,
  MISSIVE_IMAP_SERVER_COURIER,
} MissiveImapServerKind;

typedef enum
{
  MISSIVE_IMAP_QUIRK_NONE                 = 0,
  /* Command lines up to 64 KiB are accepted, so large UID sets need fewer
   * commands (everyone else gets RFC 7162's advice of about 8 KiB). */
  MISSIVE_IMAP_QUIRK_LONG_LINES           = 1 << 0,
  /* BODYSTRUCTURE cannot be trusted for every message (sizes and
   * encodings of some parts are wrong), so fetching one part by its
   * section may give the wrong bytes: fetch the whole message instead when
   * the part's content matters. */
  MISSIVE_IMAP_QUIRK_BROKEN_BODYSTRUCTURE = 1 << 1,
  /* UID FETCH with a range that starts above the highest UID has been
   * seen never to complete: clamp ranges to UIDNEXT - 1 and skip empty
   * ones. */
  MISSIVE_IMAP_QUIRK_UID_RANGE_PAST_END   = 1 << 2,
  /* SEARCH ignores NOT: a query with NOT gets a superset of the answer. */
  MISSIVE_IMAP_QUIRK_SEARCH_NOT_IGNORED   = 1 << 3,
  /* Gmail: mailboxes are labels; \Deleted plus EXPUNGE in a label only
   * removes the label, the message stays in "All Mail" (move it to the
   * \Trash mailbox to delete it). */
  MISSIVE_IMAP_QUIRK_LABELS               = 1 << 4,
} MissiveImapQuirk;

/* Recognises the server. @greeting: the text of the greeting (nullable);
 * @id_name: the "name" field of its ID response (nullable); @capabilities
 * (nullable). Returns the quirks and sets @kind. */
guint       missive_imap_quirks_detect      (const char            *greeting,
                                             const char            *id_name,
                                             const char * const    *capabilities,
                                             MissiveImapServerKind *kind);

/* The server's name for traces ("Dovecot"), or NULL when unknown. */
const char *missive_imap_server_kind_to_string (MissiveImapServerKind kind);

/* The longest command line to build for servers with @quirks. */
gsize       missive_imap_quirks_max_line_length (guint quirks);

/* The MissiveImapCapability bit of a capability name (ASCII case
 * ignored), or 0 for one the plugin does not act on. */
guint64     missive_imap_capability_bit     (const char *name);

G_END_DECLS
