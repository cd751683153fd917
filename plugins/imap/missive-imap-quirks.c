/* missive-imap-quirks.c: the table of known IMAP server quirks
 *
 * Each row recognises one server family by any of: a piece of its
 * greeting text, a piece of the "name" in its ID response, or a
 * capability only it announces (all compared ignoring ASCII case). The
 * first row that matches wins. Only quirks the plugin acts on are listed;
 * servers with none are still recognised, for the trace and for later
 * rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-quirks.h"

/* RFC 7162 section 4 advises clients to keep command lines to about 8192
 * octets; we stay a little below. */
#define DEFAULT_MAX_LINE 8000
/* Dovecot's imap_max_line_length defaults to 64 KiB. */
#define LONG_MAX_LINE    64000

typedef struct
{
  MissiveImapServerKind kind;
  const char *name;
  const char *greeting;    /* a piece of the greeting's text */
  const char *id_name;     /* a piece of the ID "name" */
  const char *capability;  /* a capability only this server announces */
  guint quirks;
} QuirkRow;

static const QuirkRow quirk_table[] = {
  /* Gmail greets with "Gimap ready" and is the only server with
   * X-GM-EXT-1. Its mailboxes are labels (see
   * MISSIVE_IMAP_QUIRK_LABELS). */
  { MISSIVE_IMAP_SERVER_GMAIL, "Gmail", "Gimap ready", "GImap", "X-GM-EXT-1",
    MISSIVE_IMAP_QUIRK_LABELS },

  /* Exchange and Office 365: BODYSTRUCTURE is known to be wrong for some
   * messages (clients such as Thunderbird fetch whole messages from it
   * for that reason). */
  { MISSIVE_IMAP_SERVER_EXCHANGE, "Microsoft Exchange", "Microsoft Exchange",
    "Microsoft.Exchange", NULL,
    MISSIVE_IMAP_QUIRK_BROKEN_BODYSTRUCTURE },

  /* Yahoo: UID FETCH of a range past the last UID was reported never to
   * complete, and SEARCH was reported to ignore NOT (JavaMail's notes on
   * Yahoo Mail, 2015). It announces XYMHIGHESTMODSEQ, its own variant of
   * CONDSTORE. */
  { MISSIVE_IMAP_SERVER_YAHOO, "Yahoo", NULL, "Yahoo", "XYMHIGHESTMODSEQ",
    MISSIVE_IMAP_QUIRK_UID_RANGE_PAST_END | MISSIVE_IMAP_QUIRK_SEARCH_NOT_IGNORED },

  /* Yandex: nothing the plugin needs to do differently yet. */
  { MISSIVE_IMAP_SERVER_YANDEX, "Yandex", "Yandex IMAP", "Yandex", NULL,
    MISSIVE_IMAP_QUIRK_NONE },

  /* Dovecot accepts command lines of 64 KiB by default: big UID sets go in
   * fewer commands. */
  { MISSIVE_IMAP_SERVER_DOVECOT, "Dovecot", "Dovecot", "Dovecot", NULL,
    MISSIVE_IMAP_QUIRK_LONG_LINES },

  /* Cyrus and Courier: recognised, no quirk the plugin acts on. */
  { MISSIVE_IMAP_SERVER_CYRUS, "Cyrus", "Cyrus IMAP", "Cyrus", NULL,
    MISSIVE_IMAP_QUIRK_NONE },
  { MISSIVE_IMAP_SERVER_COURIER, "Courier", "Courier-IMAP", "Courier", NULL,
    MISSIVE_IMAP_QUIRK_NONE },
};

static gboolean
contains_ignoring_case (const char *haystack,
                        const char *needle)
{
  gsize needle_length;

  if (haystack == NULL || needle == NULL)
    return FALSE;
  needle_length = strlen (needle);
  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_capability (const char * const *capabilities,
                const char         *capability)
{
  if (capabilities == NULL || capability == NULL)
    return FALSE;
  for (gsize i = 0; capabilities[i] != NULL; i++)
    if (g_ascii_strcasecmp (capabilities[i], capability) == 0)
      return TRUE;
  return FALSE;
}

guint
missive_imap_quirks_detect (const char            *greeting,
                            const char            *id_name,
                            const char * const    *capabilities,
                            MissiveImapServerKind *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (quirk_table); i++)
    {
      const QuirkRow *row = &quirk_table[i];

      if (contains_ignoring_case (greeting, row->greeting) ||
          contains_ignoring_case (id_name, row->id_name) ||
          has_capability (capabilities, row->capability))
        {
          if (kind != NULL)
            *kind = row->kind;
          return row->quirks;
        }
    }

  if (kind != NULL)
    *kind = MISSIVE_IMAP_SERVER_UNKNOWN;
  return MISSIVE_IMAP_QUIRK_NONE;
}

const char *
missive_imap_server_kind_to_string (MissiveImapServerKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (quirk_table); i++)
    if (quirk_table[i].kind == kind)
      return quirk_table[i].name;
  return NULL;
}

gsize
missive_imap_quirks_max_line_length (guint quirks)
{
  return (quirks & MISSIVE_IMAP_QUIRK_LONG_LINES) ? LONG_MAX_LINE : DEFAULT_MAX_LINE;
}

/* ---- capabilities ------------------------------------------------------- */

/* The capabilities the plugin acts on; "prefix" rows match any value
 * ("THREAD=REFERENCES", "QUOTA=RES-STORAGE"). */
static const struct
{
  const char *name;
  guint64 cap;
  gboolean prefix;  /* name is a prefix ("THREAD=", "QUOTA=") */
} capability_table[] = {
  { "IMAP4REV1", MISSIVE_IMAP_CAP_IMAP4REV1, FALSE },
  { "IMAP4REV2", MISSIVE_IMAP_CAP_IMAP4REV2, FALSE },
  { "STARTTLS", MISSIVE_IMAP_CAP_STARTTLS, FALSE },
  { "LOGINDISABLED", MISSIVE_IMAP_CAP_LOGINDISABLED, FALSE },
  { "SASL-IR", MISSIVE_IMAP_CAP_SASL_IR, FALSE },
  { "LITERAL+", MISSIVE_IMAP_CAP_LITERAL_PLUS, FALSE },
  { "LITERAL-", MISSIVE_IMAP_CAP_LITERAL_MINUS, FALSE },
  { "IDLE", MISSIVE_IMAP_CAP_IDLE, FALSE },
  { "UIDPLUS", MISSIVE_IMAP_CAP_UIDPLUS, FALSE },
  { "MOVE", MISSIVE_IMAP_CAP_MOVE, FALSE },
  { "CONDSTORE", MISSIVE_IMAP_CAP_CONDSTORE, FALSE },
  { "QRESYNC", MISSIVE_IMAP_CAP_QRESYNC, FALSE },
  { "ESEARCH", MISSIVE_IMAP_CAP_ESEARCH, FALSE },
  { "SPECIAL-USE", MISSIVE_IMAP_CAP_SPECIAL_USE, FALSE },
  { "LIST-EXTENDED", MISSIVE_IMAP_CAP_LIST_EXTENDED, FALSE },
  { "LIST-STATUS", MISSIVE_IMAP_CAP_LIST_STATUS, FALSE },
  { "COMPRESS=DEFLATE", MISSIVE_IMAP_CAP_COMPRESS, FALSE },
  { "UTF8=ACCEPT", MISSIVE_IMAP_CAP_UTF8_ACCEPT, FALSE },
  { "UTF8=ONLY", MISSIVE_IMAP_CAP_UTF8_ACCEPT, FALSE },
  { "BINARY", MISSIVE_IMAP_CAP_BINARY, FALSE },
  { "ENABLE", MISSIVE_IMAP_CAP_ENABLE, FALSE },
  { "ID", MISSIVE_IMAP_CAP_ID, FALSE },
  { "NAMESPACE", MISSIVE_IMAP_CAP_NAMESPACE, FALSE },
  { "UNSELECT", MISSIVE_IMAP_CAP_UNSELECT, FALSE },
  { "ACL", MISSIVE_IMAP_CAP_ACL, FALSE },
  { "QUOTA", MISSIVE_IMAP_CAP_QUOTA, FALSE },
  { "QUOTA=", MISSIVE_IMAP_CAP_QUOTA, TRUE },
  { "SORT", MISSIVE_IMAP_CAP_SORT, FALSE },
  { "SORT=", MISSIVE_IMAP_CAP_SORT, TRUE },
  { "THREAD=", MISSIVE_IMAP_CAP_THREAD, TRUE },
  { "MULTIAPPEND", MISSIVE_IMAP_CAP_MULTIAPPEND, FALSE },
  { "NOTIFY", MISSIVE_IMAP_CAP_NOTIFY, FALSE },
  { "METADATA", MISSIVE_IMAP_CAP_METADATA, FALSE },
  { "METADATA-SERVER", MISSIVE_IMAP_CAP_METADATA, FALSE },
  { "OBJECTID", MISSIVE_IMAP_CAP_OBJECTID, FALSE },
  { "STATUS=SIZE", MISSIVE_IMAP_CAP_STATUS_SIZE, FALSE },
  { "SAVEDATE", MISSIVE_IMAP_CAP_SAVEDATE, FALSE },
  { "PREVIEW", MISSIVE_IMAP_CAP_PREVIEW, FALSE },
  { "REPLACE", MISSIVE_IMAP_CAP_REPLACE, FALSE },
  { "PARTIAL", MISSIVE_IMAP_CAP_PARTIAL, FALSE },
  { "XLIST", MISSIVE_IMAP_CAP_XLIST, FALSE },
  { "X-GM-EXT-1", MISSIVE_IMAP_CAP_GMAIL, FALSE },
  { "APPENDLIMIT", MISSIVE_IMAP_CAP_APPENDLIMIT, FALSE },
  { "APPENDLIMIT=", MISSIVE_IMAP_CAP_APPENDLIMIT, TRUE },
  { "ESORT", MISSIVE_IMAP_CAP_ESORT, FALSE },
};

guint64
missive_imap_capability_bit (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (capability_table); i++)
    {
      const char *known = capability_table[i].name;

      if (capability_table[i].prefix
          ? g_ascii_strncasecmp (name, known, strlen (known)) == 0
          : g_ascii_strcasecmp (name, known) == 0)
        return capability_table[i].cap;
    }
  return 0;
}
