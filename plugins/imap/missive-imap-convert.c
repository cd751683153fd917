/* missive-imap-convert.c: from parsed IMAP responses to Missive's types
 *
 * Everything here is a pure function of a parsed response (see
 * missive-imap-parser.h): no I/O, no store. The rule throughout is to check
 * the shape of what the server sent (a list where a list is due, the right
 * number of items, numbers that fit) and fail with MISSIVE_ERROR_PROTOCOL
 * naming the item when it is wrong, but to accept the deviations that real
 * servers are known to produce. Each such leniency is marked "Lenient:" in
 * a comment where it is applied.
 *
 * BODYSTRUCTURE, with its RFC 2231 parameters, and the splitting of header
 * blocks are in missive-imap-convert-body.c; what the two files share is
 * declared in missive-imap-convert-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <gmime/gmime.h>

#include "missive-imap-convert.h"
#include "missive-imap-convert-private.h"
#include "missive-imap-utf7.h"

/* ---- errors and small helpers ---- */

/* Sets MISSIVE_ERROR_PROTOCOL; always returns FALSE. */
gboolean
missive_imap_convert_fail (GError    **error,
                           const char *format,
                           ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL, message);
  g_free (message);
  return FALSE;
}

/* What @value is, for error messages. */
const char *
missive_imap_convert_describe (const MissiveImapValue *value)
{
  if (value == NULL)
    return "nothing";
  switch (value->type)
    {
    case MISSIVE_IMAP_VALUE_ATOM:
      return "an atom";
    case MISSIVE_IMAP_VALUE_STRING:
      return "a string";
    case MISSIVE_IMAP_VALUE_NIL:
      return "NIL";
    case MISSIVE_IMAP_VALUE_LIST:
      return "a list";
    case MISSIVE_IMAP_VALUE_STREAMED:
      return "a streamed literal";
    default:
      return "an unknown value";
    }
}

/* GMime keeps global tables (charsets, iconv cache) that its decoders
 * need; initialise them once, whoever calls first. */
static void
ensure_gmime (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_mime_init ();
      g_once_init_leave (&initialised, 1);
    }
}

/* A copy of @text as UTF-8: as is when it is valid UTF-8, otherwise through
 * GMime's 8-bit fallback (the user's charsets, then ISO-8859-1). Servers
 * pass raw 8-bit header bytes through in envelopes and header literals. */
char *
missive_imap_convert_to_utf8 (const char *text)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  ensure_gmime ();
  return g_mime_utils_decode_8bit (NULL, text, strlen (text));
}

/* Header text (a subject, a display name) as UTF-8, unfolded, with RFC
 * 2047 encoded words decoded when @decode_words. Servers copy a folded
 * header into the envelope as it is, CRLF included: unfolding removes the
 * line breaks and keeps the whitespace after them (RFC 5322 2.2.3). */
char *
missive_imap_convert_header_text (const char *raw,
                                  gboolean    decode_words)
{
  g_autofree char *unfolded = NULL;
  char *out;

  if (raw == NULL)
    return NULL;
  if (strpbrk (raw, "\r\n") != NULL)
    {
      unfolded = g_strdup (raw);
      out = unfolded;
      for (const char *in = raw; *in != '\0'; in++)
        if (*in != '\r' && *in != '\n')
          *out++ = *in;
      *out = '\0';
      raw = unfolded;
    }
  if (decode_words && strstr (raw, "=?") != NULL)
    {
      ensure_gmime ();
      return g_mime_utils_header_decode_text (NULL, raw);
    }
  return missive_imap_convert_to_utf8 (raw);
}

void
missive_imap_convert_builder_add_utf8 (GStrvBuilder *builder,
                                       const char   *text)
{
  g_autofree char *utf8 = missive_imap_convert_to_utf8 (text);

  g_strv_builder_add (builder, utf8);
}

/* An nstring (string or NIL) at @value; *out is NULL for NIL, and points
 * into the response otherwise.
 *
 * Lenient: an atom is accepted where a string is due. Some servers write
 * tokens such as 7BIT or a bare number unquoted. */
gboolean
missive_imap_convert_get_nstring (const MissiveImapValue  *value,
                                  const char              *what,
                                  const char             **out,
                                  GError                 **error)
{
  *out = NULL;
  if (missive_imap_convert_is_nil (value))
    return TRUE;
  if (missive_imap_convert_is_text (value))
    {
      *out = value->data;
      return TRUE;
    }
  return missive_imap_convert_fail (error, "%s is %s, not a string or NIL", what,
                                    missive_imap_convert_describe (value));
}

/* A number that fits in @max. */
gboolean
missive_imap_convert_get_number (const MissiveImapValue  *value,
                                 const char              *what,
                                 guint64                  max,
                                 guint64                 *out,
                                 GError                 **error)
{
  if (!missive_imap_value_get_number (value, out))
    {
      if (value != NULL && value->type == MISSIVE_IMAP_VALUE_ATOM)
        return missive_imap_convert_fail (error, "%s \"%s\" is not a number", what, value->data);
      return missive_imap_convert_fail (error, "%s is %s, not a number", what,
                                        missive_imap_convert_describe (value));
    }
  if (*out > max)
    return missive_imap_convert_fail (error, "%s %" G_GUINT64_FORMAT " is too large", what, *out);
  return TRUE;
}

/* The only child of a one-item list "(value)". */
static const MissiveImapValue *
single_child (const MissiveImapValue *list)
{
  if (!missive_imap_convert_is_list (list) || list->length != 1)
    return NULL;
  return list->children;
}

/* ---- flags ---- */

static const char * const system_flags[] = {
  "\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "\\Recent", "\\*",
};

/* Lenient: system flags in any case ("\SEEN", "\seen" from some servers)
 * are given the spelling of RFC 3501, so that has_flag ("\\Seen") works.
 * Keywords are kept as sent. */
static const char *
canonical_flag (const char *flag)
{
  for (gsize i = 0; i < G_N_ELEMENTS (system_flags); i++)
    if (g_ascii_strcasecmp (flag, system_flags[i]) == 0)
      return system_flags[i];
  return flag;
}

/* A flag list "(\Seen $Forwarded)" as a strv. */
static char **
flags_from_value (const MissiveImapValue  *value,
                  const char              *what,
                  GError                 **error)
{
  g_autoptr (GStrvBuilder) builder = NULL;

  if (!missive_imap_convert_is_list (value))
    {
      missive_imap_convert_fail (error, "%s is %s, not a list of flags", what,
                                 missive_imap_convert_describe (value));
      return NULL;
    }
  builder = g_strv_builder_new ();
  for (const MissiveImapValue *flag = value->children; flag != NULL; flag = flag->next)
    {
      if (flag->type != MISSIVE_IMAP_VALUE_ATOM)
        {
          missive_imap_convert_fail (error, "a flag in %s is %s, not an atom", what,
                                     missive_imap_convert_describe (flag));
          return NULL;
        }
      g_strv_builder_add (builder, canonical_flag (flag->data));
    }
  return g_strv_builder_end (builder);
}

/* ---- dates ---- */

static const char * const month_names[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Reads 1 to @max_digits digits at *@p. */
static gboolean
read_digits (const char **p,
             guint        min_digits,
             guint        max_digits,
             int         *out)
{
  guint n = 0;
  int value = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min_digits)
    return FALSE;
  *p += n;
  *out = value;
  return TRUE;
}

GDateTime *
missive_imap_parse_date_time (const char *text)
{
  const char *p = text;
  int day, month = -1, year, hour, minute, second, zone_hours = 0, zone_minutes = 0;
  int sign = 1;
  g_autoptr (GTimeZone) zone = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* Lenient: date-day-fixed is " 7" or "07"; a bare "7" is accepted too,
   * and so is any whitespace around the date. */
  while (*p == ' ')
    p++;
  if (!read_digits (&p, 1, 2, &day) || *p++ != '-')
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (g_ascii_strncasecmp (p, month_names[i], 3) == 0)
      month = i + 1;
  if (month < 0)
    return NULL;
  p += 3;
  if (*p++ != '-' || !read_digits (&p, 4, 4, &year) || *p != ' ')
    return NULL;
  while (*p == ' ')
    p++;
  if (!read_digits (&p, 2, 2, &hour) || *p++ != ':' ||
      !read_digits (&p, 2, 2, &minute) || *p++ != ':' ||
      !read_digits (&p, 2, 2, &second))
    return NULL;
  while (*p == ' ')
    p++;
  if (*p == '+' || *p == '-')
    {
      sign = *p == '-' ? -1 : 1;
      p++;
      if (!read_digits (&p, 2, 2, &zone_hours) || !read_digits (&p, 2, 2, &zone_minutes))
        return NULL;
      if (zone_hours > 23 || zone_minutes > 59)
        return NULL;
    }
  /* Lenient: a date-time without its zone is taken as UTC. */
  while (*p == ' ')
    p++;
  if (*p != '\0')
    return NULL;
  if (hour > 23 || minute > 59 || second > 60)
    return NULL;
  /* A leap second cannot be represented; it is the last second before. */
  if (second == 60)
    second = 59;

  zone = g_time_zone_new_offset (sign * (zone_hours * 3600 + zone_minutes * 60));
  /* NULL for impossible days ("31-Feb"). */
  return g_date_time_new (zone, year, month, day, hour, minute, second);
}

char *
missive_imap_format_date_time (GDateTime *date)
{
  GTimeSpan offset;
  gint64 minutes;
  char sign = '+';

  g_return_val_if_fail (date != NULL, NULL);

  offset = g_date_time_get_utc_offset (date);
  if (offset < 0)
    {
      sign = '-';
      offset = -offset;
    }
  minutes = offset / G_TIME_SPAN_MINUTE;
  return g_strdup_printf ("%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                          g_date_time_get_day_of_month (date),
                          month_names[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          sign, (int) (minutes / 60), (int) (minutes % 60));
}

char *
missive_imap_format_date (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  return g_strdup_printf ("%d-%s-%04d",
                          g_date_time_get_day_of_month (date),
                          month_names[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date));
}

/* ---- sets ---- */

MissiveMessageSet *
missive_imap_set_from_value (const MissiveImapValue  *value,
                             GError                 **error)
{
  g_autoptr (GError) local_error = NULL;
  MissiveMessageSet *set;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Lenient: a quoted set is accepted as well as the atom. */
  if (!missive_imap_convert_is_text (value) || value->data[0] == '\0')
    {
      missive_imap_convert_fail (error, "a sequence set is %s",
                                 missive_imap_convert_is_text (value) ?
                                 "empty" : missive_imap_convert_describe (value));
      return NULL;
    }
  set = missive_message_set_new_from_string (value->data, &local_error);
  if (set == NULL)
    missive_imap_convert_fail (error, "invalid sequence set \"%s\": %s", value->data,
                               local_error->message);
  return set;
}

/* ---- addresses ---- */

/* A group opened by a start marker and not yet closed. */
typedef struct
{
  InternetAddress *group;
  char *name;     /* the address's name field (normally NIL), decoded */
  char *mailbox;  /* the raw group name, for the fallback below */
} OpenGroup;

static void
open_group_clear (OpenGroup *open)
{
  g_clear_object (&open->group);
  g_clear_pointer (&open->name, g_free);
  g_clear_pointer (&open->mailbox, g_free);
}

/* Lenient: a "group start" that is never closed is not a group: Exchange
 * (and a few others) send addresses without a domain ("undisclosed", a
 * local user) as (name NIL mailbox NIL). Such an entry becomes a mailbox
 * of that local part, followed by whatever was collected as its members. */
static void
open_group_flush_unclosed (OpenGroup           *open,
                           InternetAddressList *list)
{
  InternetAddressList *members;
  InternetAddress *mailbox;

  if (open->group == NULL)
    return;
  mailbox = internet_address_mailbox_new (open->name, open->mailbox);
  internet_address_list_add (list, mailbox);
  g_object_unref (mailbox);
  members = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (open->group));
  for (int i = 0; i < internet_address_list_length (members); i++)
    internet_address_list_add (list, internet_address_list_get_address (members, i));
  open_group_clear (open);
}

InternetAddressList *
missive_imap_address_list_from_value (const MissiveImapValue  *value,
                                      gboolean                 decode_words,
                                      GError                 **error)
{
  InternetAddressList *list;  /* GMime has no autoptr for it */
  OpenGroup open = { NULL, NULL, NULL };
  guint index = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!missive_imap_convert_is_nil (value) && !missive_imap_convert_is_list (value))
    {
      missive_imap_convert_fail (error, "an address list is %s, not a list or NIL",
                                 missive_imap_convert_describe (value));
      return NULL;
    }
  /* The caller gets GMime objects: GMime must be initialised for them to
   * be usable (internet_address_list_to_string() crashes otherwise). */
  ensure_gmime ();
  list = internet_address_list_new ();
  if (missive_imap_convert_is_nil (value))
    return list;

  /* Lenient: "()" (an empty list, which the grammar does not allow) is
   * taken as NIL; it falls out of the loop. */
  for (const MissiveImapValue *address = value->children; address != NULL;
       address = address->next, index++)
    {
      const char *name, *adl, *mailbox, *host;
      g_autofree char *decoded_name = NULL;

      if (!missive_imap_convert_is_list (address) || address->length != 4)
        {
          if (missive_imap_convert_is_list (address))
            missive_imap_convert_fail (error, "address %u has %" G_GSIZE_FORMAT " fields, not 4",
                                       index + 1, address->length);
          else
            missive_imap_convert_fail (error, "address %u is %s, not a list", index + 1,
                                       missive_imap_convert_describe (address));
          open_group_clear (&open);
          g_object_unref (list);
          return NULL;
        }
      if (!missive_imap_convert_get_nstring (missive_imap_value_nth (address, 0),
                                             "the name of an address", &name, error) ||
          !missive_imap_convert_get_nstring (missive_imap_value_nth (address, 1),
                                             "the route of an address", &adl, error) ||
          !missive_imap_convert_get_nstring (missive_imap_value_nth (address, 2),
                                             "the mailbox of an address", &mailbox, error) ||
          !missive_imap_convert_get_nstring (missive_imap_value_nth (address, 3),
                                             "the host of an address", &host, error))
        {
          open_group_clear (&open);
          g_object_unref (list);
          return NULL;
        }
      /* Lenient: NIL names (and empty ones) are simply no name. */
      if (name != NULL && name[0] != '\0')
        decoded_name = missive_imap_convert_header_text (name, decode_words);

      if (host == NULL)
        {
          if (mailbox == NULL)
            {
              /* End of a group. Lenient: a stray end marker is ignored. */
              if (open.group != NULL)
                {
                  internet_address_list_add (list, open.group);
                  open_group_clear (&open);
                }
            }
          else
            {
              /* Start of a group; groups do not nest, so one still open
               * was not a group (see open_group_flush_unclosed). */
              g_autofree char *group_name =
                missive_imap_convert_header_text (mailbox, decode_words);

              open_group_flush_unclosed (&open, list);
              open.group = internet_address_group_new (group_name);
              open.name = g_steal_pointer (&decoded_name);
              open.mailbox = missive_imap_convert_to_utf8 (mailbox);
            }
        }
      else
        {
          g_autofree char *local = missive_imap_convert_to_utf8 (mailbox != NULL ? mailbox : "");
          g_autofree char *domain = missive_imap_convert_to_utf8 (host);
          g_autofree char *addr = NULL;
          InternetAddress *ia;

          /* Lenient: an empty host ("" rather than NIL) means no domain. */
          if (domain[0] != '\0')
            addr = g_strconcat (local, "@", domain, NULL);
          else
            addr = g_steal_pointer (&local);
          ia = internet_address_mailbox_new (decoded_name, addr);
          if (open.group != NULL)
            internet_address_group_add_member (INTERNET_ADDRESS_GROUP (open.group), ia);
          else
            internet_address_list_add (list, ia);
          g_object_unref (ia);
        }
    }
  open_group_flush_unclosed (&open, list);
  return list;
}

/* ---- ENVELOPE ---- */

static const struct
{
  const char *name;
  MissiveAddressField field;
} envelope_address_fields[] = {
  { "from", MISSIVE_ADDRESS_FIELD_FROM },
  { "sender", MISSIVE_ADDRESS_FIELD_SENDER },
  { "reply-to", MISSIVE_ADDRESS_FIELD_REPLY_TO },
  { "to", MISSIVE_ADDRESS_FIELD_TO },
  { "cc", MISSIVE_ADDRESS_FIELD_CC },
  { "bcc", MISSIVE_ADDRESS_FIELD_BCC },
};

/* "(date subject from sender reply-to to cc bcc in-reply-to message-id)".
 * Everything is checked before @info is touched. */
gboolean
missive_imap_convert_apply_envelope (const MissiveImapValue  *envelope,
                                     MissiveMessageInfo      *info,
                                     gboolean                 decode_words,
                                     GError                 **error)
{
  const MissiveImapValue *item;
  const char *date, *subject, *in_reply_to, *message_id;
  InternetAddressList *lists[G_N_ELEMENTS (envelope_address_fields)] = { NULL, };
  g_autoptr (GDateTime) parsed_date = NULL;
  g_autofree char *decoded_subject = NULL;
  g_autofree char *in_reply_to_utf8 = NULL;
  g_autofree char *message_id_utf8 = NULL;
  gboolean ok = FALSE;

  if (!missive_imap_convert_is_list (envelope))
    return missive_imap_convert_fail (error, "ENVELOPE is %s, not a list",
                                      missive_imap_convert_describe (envelope));
  if (envelope->length != 10)
    return missive_imap_convert_fail (error, "ENVELOPE has %" G_GSIZE_FORMAT " fields, not 10",
                                      envelope->length);

  item = envelope->children;
  if (!missive_imap_convert_get_nstring (item, "the date of ENVELOPE", &date, error))
    return FALSE;
  item = item->next;
  if (!missive_imap_convert_get_nstring (item, "the subject of ENVELOPE", &subject, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (envelope_address_fields); i++)
    {
      g_autoptr (GError) local_error = NULL;

      item = item->next;
      lists[i] = missive_imap_address_list_from_value (item, decode_words, &local_error);
      if (lists[i] == NULL)
        {
          missive_imap_convert_fail (error, "the %s addresses of ENVELOPE: %s",
                                     envelope_address_fields[i].name, local_error->message);
          goto out;
        }
    }
  item = item->next;
  if (!missive_imap_convert_get_nstring (item, "the in-reply-to of ENVELOPE", &in_reply_to, error))
    goto out;
  item = item->next;
  if (!missive_imap_convert_get_nstring (item, "the message-id of ENVELOPE", &message_id, error))
    goto out;

  /* The Date header is the sender's text, not the server's: one that
   * does not parse is no date rather than a protocol error. */
  if (date != NULL)
    {
      ensure_gmime ();
      parsed_date = g_mime_utils_header_decode_date (date);
    }
  decoded_subject = missive_imap_convert_header_text (subject, decode_words);
  in_reply_to_utf8 = missive_imap_convert_header_text (in_reply_to, FALSE);
  message_id_utf8 = missive_imap_convert_header_text (message_id, FALSE);

  missive_message_info_set_date (info, parsed_date);
  missive_message_info_set_subject (info, decoded_subject);
  for (gsize i = 0; i < G_N_ELEMENTS (envelope_address_fields); i++)
    missive_message_info_set_addresses (info, envelope_address_fields[i].field,
                                        internet_address_list_length (lists[i]) > 0 ? lists[i] : NULL);
  missive_message_info_set_in_reply_to (info, in_reply_to_utf8);
  missive_message_info_set_message_id (info, message_id_utf8);
  ok = TRUE;

out:
  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    g_clear_object (&lists[i]);
  return ok;
}

/* ---- FETCH ---- */

/* Whether a FETCH item name is the message's header: RFC822.HEADER,
 * BODY[HEADER], BODY[HEADER.FIELDS (...)], BODY[HEADER.FIELDS.NOT (...)],
 * with an optional <origin>. A part's header ("BODY[1.HEADER]") is not. */
static gboolean
is_header_item (const char *name)
{
  if (g_ascii_strcasecmp (name, "RFC822.HEADER") == 0)
    return TRUE;
  if (g_ascii_strncasecmp (name, "BODY[", 5) != 0)
    return FALSE;
  name += 5;
  if (g_ascii_strncasecmp (name, "HEADER", 6) != 0)
    return FALSE;
  name += 6;
  return *name == ']' || *name == '.';
}

/* The object id of "EMAILID (M6d99ac3275bb4e)" and the like. */
static gboolean
get_object_id (const MissiveImapValue  *value,
               const char              *what,
               gboolean                 nil_allowed,
               const char             **out,
               GError                 **error)
{
  const MissiveImapValue *id = single_child (value);

  *out = NULL;
  /* THREADID may be NIL (no threading for this message). */
  if (nil_allowed && missive_imap_convert_is_nil (value))
    return TRUE;
  /* Lenient: a bare atom without the parentheses. */
  if (id == NULL && missive_imap_convert_is_text (value))
    id = value;
  if (!missive_imap_convert_is_text (id))
    return missive_imap_convert_fail (error, "%s is %s, not \"(objectid)\"", what,
                                      missive_imap_convert_describe (value));
  *out = id->data;
  return TRUE;
}

/* Gmail's labels: atoms (\Inbox, \Important, Work) and strings ("My
 * label"), non-ASCII ones in modified UTF-7 like mailbox names (unless
 * UTF8=ACCEPT is on: then they are UTF-8 and do not decode as UTF-7, and
 * are kept as sent). */
static char **
labels_from_value (const MissiveImapValue  *value,
                   GError                 **error)
{
  g_autoptr (GStrvBuilder) builder = NULL;

  if (!missive_imap_convert_is_list (value))
    {
      missive_imap_convert_fail (error, "X-GM-LABELS is %s, not a list",
                                 missive_imap_convert_describe (value));
      return NULL;
    }
  builder = g_strv_builder_new ();
  for (const MissiveImapValue *label = value->children; label != NULL; label = label->next)
    {
      g_autofree char *decoded = NULL;

      if (!missive_imap_convert_is_text (label))
        {
          missive_imap_convert_fail (error, "a label in X-GM-LABELS is %s, not a string",
                                     missive_imap_convert_describe (label));
          return NULL;
        }
      if (strchr (label->data, '&') != NULL)
        decoded = missive_imap_utf7_decode (label->data, -1, NULL);
      if (decoded != NULL)
        g_strv_builder_add (builder, decoded);
      else
        missive_imap_convert_builder_add_utf8 (builder, label->data);
    }
  return g_strv_builder_end (builder);
}

/* The changes of one FETCH, collected before any is applied to the info,
 * so that a response with a bad item changes nothing. */
typedef struct
{
  gboolean has_uid;
  guint64 uid;
  char **flags;
  gboolean has_size;
  guint64 size;
  GDateTime *internal_date;
  gboolean has_internal_date;
  const MissiveImapValue *envelope;
  MissiveBodyPart *body;
  gboolean has_modseq;
  guint64 modseq;
  GBytes *raw_headers;
  gboolean has_preview;
  char *preview;
  const char *email_id;
  gboolean has_thread_id;
  const char *thread_id;
  GDateTime *save_date;
  gboolean has_save_date;
  char **labels;
  gboolean has_gm_msgid;
  guint64 gm_msgid;
  gboolean has_gm_thrid;
  guint64 gm_thrid;
} FetchItems;

static void
fetch_items_clear (FetchItems *items)
{
  g_clear_pointer (&items->flags, g_strfreev);
  g_clear_pointer (&items->internal_date, g_date_time_unref);
  g_clear_object (&items->body);
  g_clear_pointer (&items->raw_headers, g_bytes_unref);
  g_clear_pointer (&items->preview, g_free);
  g_clear_pointer (&items->save_date, g_date_time_unref);
  g_clear_pointer (&items->labels, g_strfreev);
}

/* A date-time item (INTERNALDATE, SAVEDATE): a string or NIL. */
static gboolean
get_date_time (const MissiveImapValue  *value,
               const char              *what,
               GDateTime              **out,
               GError                 **error)
{
  const char *text;

  if (!missive_imap_convert_get_nstring (value, what, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  *out = missive_imap_parse_date_time (text);
  if (*out == NULL)
    return missive_imap_convert_fail (error, "%s \"%s\" is not an IMAP date-time", what, text);
  return TRUE;
}

static gboolean
collect_item (const char             *name,
              const MissiveImapValue *value,
              FetchItems             *items,
              gboolean                decode_words,
              GError                **error)
{
  if (g_ascii_strcasecmp (name, "UID") == 0)
    {
      if (!missive_imap_convert_get_number (value, "UID", G_MAXUINT32, &items->uid, error))
        return FALSE;
      if (items->uid == 0)
        return missive_imap_convert_fail (error, "UID 0 is not a valid UID");
      items->has_uid = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "FLAGS") == 0)
    {
      g_clear_pointer (&items->flags, g_strfreev);
      items->flags = flags_from_value (value, "FLAGS", error);
      if (items->flags == NULL)
        return FALSE;
    }
  else if (g_ascii_strcasecmp (name, "RFC822.SIZE") == 0)
    {
      if (!missive_imap_convert_get_number (value, "RFC822.SIZE", G_MAXUINT64, &items->size, error))
        return FALSE;
      items->has_size = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "INTERNALDATE") == 0)
    {
      g_clear_pointer (&items->internal_date, g_date_time_unref);
      if (!get_date_time (value, "INTERNALDATE", &items->internal_date, error))
        return FALSE;
      items->has_internal_date = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "ENVELOPE") == 0)
    {
      if (!missive_imap_convert_is_list (value))
        return missive_imap_convert_fail (error, "ENVELOPE is %s, not a list",
                                          missive_imap_convert_describe (value));
      items->envelope = value;
    }
  else if (g_ascii_strcasecmp (name, "BODYSTRUCTURE") == 0 ||
           g_ascii_strcasecmp (name, "BODY") == 0)
    {
      /* BODY (the non-extensible form) is the same structure without the
       * extension data, which the parser takes as optional anyway. */
      g_clear_object (&items->body);
      items->body = missive_imap_convert_body_from_value (value, decode_words, error);
      if (items->body == NULL)
        {
          g_prefix_error (error, "%s: ", name);
          return FALSE;
        }
    }
  else if (g_ascii_strcasecmp (name, "MODSEQ") == 0)
    {
      const MissiveImapValue *number = single_child (value);

      /* Lenient: a bare number without the parentheses. */
      if (number == NULL && !missive_imap_convert_is_list (value))
        number = value;
      if (number == NULL)
        return missive_imap_convert_fail (error, "MODSEQ is %s, not \"(number)\"",
                                          missive_imap_convert_describe (value));
      if (!missive_imap_convert_get_number (number, "MODSEQ", G_MAXINT64, &items->modseq, error))
        return FALSE;
      items->has_modseq = TRUE;
    }
  else if (is_header_item (name))
    {
      /* NIL: the message has no header (or the server has no such
       * fields); a streamed literal went elsewhere and is not ours. */
      if (value->type == MISSIVE_IMAP_VALUE_STRING)
        {
          g_clear_pointer (&items->raw_headers, g_bytes_unref);
          items->raw_headers = g_bytes_new (value->data, value->length);
        }
      else if (!missive_imap_convert_is_nil (value) && value->type != MISSIVE_IMAP_VALUE_STREAMED)
        return missive_imap_convert_fail (error, "%s is %s, not a string", name,
                                          missive_imap_convert_describe (value));
    }
  else if (g_ascii_strcasecmp (name, "PREVIEW") == 0)
    {
      const char *text = NULL;

      /* Lenient: drafts of RFC 8970 (Dovecot 2.3) sent "(FUZZY text)"
       * or "(LAZY text)": the text is the last item. */
      if (missive_imap_convert_is_list (value) && value->length > 0)
        value = missive_imap_value_nth (value, value->length - 1);
      if (!missive_imap_convert_get_nstring (value, "PREVIEW", &text, error))
        return FALSE;
      g_clear_pointer (&items->preview, g_free);
      items->preview = missive_imap_convert_to_utf8 (text);
      items->has_preview = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "EMAILID") == 0)
    {
      if (!get_object_id (value, "EMAILID", FALSE, &items->email_id, error))
        return FALSE;
    }
  else if (g_ascii_strcasecmp (name, "THREADID") == 0)
    {
      if (!get_object_id (value, "THREADID", TRUE, &items->thread_id, error))
        return FALSE;
      items->has_thread_id = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "SAVEDATE") == 0)
    {
      g_clear_pointer (&items->save_date, g_date_time_unref);
      if (!get_date_time (value, "SAVEDATE", &items->save_date, error))
        return FALSE;
      items->has_save_date = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "X-GM-LABELS") == 0)
    {
      g_clear_pointer (&items->labels, g_strfreev);
      items->labels = labels_from_value (value, error);
      if (items->labels == NULL)
        return FALSE;
    }
  else if (g_ascii_strcasecmp (name, "X-GM-MSGID") == 0)
    {
      if (!missive_imap_convert_get_number (value, "X-GM-MSGID", G_MAXUINT64, &items->gm_msgid,
                                            error))
        return FALSE;
      items->has_gm_msgid = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "X-GM-THRID") == 0)
    {
      if (!missive_imap_convert_get_number (value, "X-GM-THRID", G_MAXUINT64, &items->gm_thrid,
                                            error))
        return FALSE;
      items->has_gm_thrid = TRUE;
    }
  /* Anything else (BODY[1.2], BINARY.SIZE, extensions) is the caller's or
   * nobody's. */
  return TRUE;
}

gboolean
missive_imap_fetch_to_info (const MissiveImapResponse  *response,
                            MissiveMessageInfo         *info,
                            gboolean                    decode_words,
                            MissiveImapHeaderFunc       header_func,
                            gpointer                    header_data,
                            GError                    **error)
{
  FetchItems items = { 0, };
  const MissiveImapValue *list;
  gboolean ok = FALSE;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (info), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (response->keyword, "FETCH") != 0 || !response->has_number)
    return missive_imap_convert_fail (error, "not a FETCH response");
  if (response->number == 0)
    return missive_imap_convert_fail (error, "FETCH for message number 0");
  list = response->args;
  if (!missive_imap_convert_is_list (list) || list->next != NULL)
    return missive_imap_convert_fail (error, "the data of FETCH %u is %s, not one list",
                                      response->number,
                                      list != NULL && list->next != NULL ?
                                      "more than one value" : missive_imap_convert_describe (list));

  for (const MissiveImapValue *name = list->children; name != NULL; name = name->next->next)
    {
      if (name->type != MISSIVE_IMAP_VALUE_ATOM)
        {
          missive_imap_convert_fail (error, "an item name in FETCH %u is %s, not an atom",
                                     response->number, missive_imap_convert_describe (name));
          goto out;
        }
      if (name->next == NULL)
        {
          missive_imap_convert_fail (error, "the item %s of FETCH %u has no value", name->data,
                                     response->number);
          goto out;
        }
      if (!collect_item (name->data, name->next, &items, decode_words, error))
        goto out;
    }

  /* All items are well-formed: apply them. The envelope was checked as a
   * list only, so it goes first (it can still fail). */
  if (items.envelope != NULL &&
      !missive_imap_convert_apply_envelope (items.envelope, info, decode_words, error))
    goto out;
  missive_message_info_set_sequence (info, response->number);
  if (items.has_uid)
    missive_message_info_set_uid (info, (guint) items.uid);
  if (items.flags != NULL)
    missive_message_info_set_flags (info, (const char * const *) items.flags);
  if (items.has_size)
    missive_message_info_set_size (info, items.size);
  if (items.has_internal_date)
    missive_message_info_set_internal_date (info, items.internal_date);
  if (items.body != NULL)
    missive_message_info_set_body_structure (info, items.body);
  if (items.has_modseq)
    missive_message_info_set_modseq (info, items.modseq);
  if (items.raw_headers != NULL)
    {
      missive_message_info_set_raw_headers (info, items.raw_headers);
      if (header_func != NULL)
        {
          gsize length;
          const char *data = g_bytes_get_data (items.raw_headers, &length);

          missive_imap_convert_split_headers (data, length, header_func, header_data);
        }
    }
  if (items.has_preview)
    missive_message_info_set_preview (info, items.preview);
  if (items.email_id != NULL)
    {
      g_autofree char *utf8 = missive_imap_convert_to_utf8 (items.email_id);

      missive_message_info_set_email_id (info, utf8);
    }
  if (items.has_thread_id)
    {
      g_autofree char *utf8 = missive_imap_convert_to_utf8 (items.thread_id);

      missive_message_info_set_thread_id (info, utf8);
    }
  if (items.has_save_date)
    missive_message_info_set_save_date (info, items.save_date);
  if (items.labels != NULL)
    missive_message_info_set_gmail_labels (info, (const char * const *) items.labels);
  if (items.has_gm_msgid)
    missive_message_info_set_gmail_message_id (info, items.gm_msgid);
  if (items.has_gm_thrid)
    missive_message_info_set_gmail_thread_id (info, items.gm_thrid);
  ok = TRUE;

out:
  fetch_items_clear (&items);
  return ok;
}

/* ---- LIST, LSUB, XLIST ---- */

/* Mailbox attributes in the spelling of their RFCs (3501, 5258, 6154,
 * 8457), and the XLIST names with their RFC 6154 equivalents. */
static const struct
{
  const char *name;
  const char *equivalent;
} known_attributes[] = {
  { "\\Noinferiors", NULL },
  { "\\Noselect", NULL },
  { "\\Marked", NULL },
  { "\\Unmarked", NULL },
  { "\\NonExistent", NULL },
  { "\\Subscribed", NULL },
  { "\\Remote", NULL },
  { "\\HasChildren", NULL },
  { "\\HasNoChildren", NULL },
  { "\\All", NULL },
  { "\\Archive", NULL },
  { "\\Drafts", NULL },
  { "\\Flagged", NULL },
  { "\\Junk", NULL },
  { "\\Sent", NULL },
  { "\\Trash", NULL },
  { "\\Important", NULL },
  { "\\Inbox", NULL },
  { "\\AllMail", "\\All" },
  { "\\Spam", "\\Junk" },
  { "\\Starred", "\\Flagged" },
};

static void
add_attribute (GPtrArray  *attributes,
               const char *attribute)
{
  for (guint i = 0; i < attributes->len; i++)
    if (g_ascii_strcasecmp (attributes->pdata[i], attribute) == 0)
      return;
  g_ptr_array_add (attributes, g_strdup (attribute));
}

MissiveMailboxInfo *
missive_imap_mailbox_from_list (const MissiveImapResponse  *response,
                                gboolean                    utf7,
                                GError                    **error)
{
  g_autoptr (GPtrArray) attributes = NULL;
  g_autoptr (MissiveMailboxInfo) info = NULL;
  g_autofree char *name = NULL;
  const MissiveImapValue *attr_list, *separator, *mailbox;
  const char *keyword;
  gboolean lsub, subscribed = FALSE, inbox = FALSE, noselect = FALSE;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keyword = response->keyword;
  if (g_strcmp0 (keyword, "LIST") != 0 && g_strcmp0 (keyword, "LSUB") != 0 &&
      g_strcmp0 (keyword, "XLIST") != 0)
    {
      missive_imap_convert_fail (error, "not a LIST response");
      return NULL;
    }
  lsub = strcmp (keyword, "LSUB") == 0;

  attr_list = response->args;
  separator = attr_list != NULL ? attr_list->next : NULL;
  mailbox = separator != NULL ? separator->next : NULL;
  if (!missive_imap_convert_is_list (attr_list))
    {
      missive_imap_convert_fail (error, "the attributes of %s are %s, not a list", keyword,
                                 missive_imap_convert_describe (attr_list));
      return NULL;
    }
  /* Lenient: the separator is a quoted character or NIL; an atom is
   * taken too. */
  if (!missive_imap_convert_is_nil (separator) && !missive_imap_convert_is_text (separator))
    {
      missive_imap_convert_fail (error, "the separator of %s is %s, not a string or NIL", keyword,
                                 missive_imap_convert_describe (separator));
      return NULL;
    }
  /* Lenient: a name is an astring, so a bare NIL is the name "NIL" (the
   * parser cannot know that it is not the NIL of an nstring). */
  if (!missive_imap_convert_is_text (mailbox) && !missive_imap_convert_is_nil (mailbox))
    {
      missive_imap_convert_fail (error, "the mailbox name of %s is %s, not a string", keyword,
                                 missive_imap_convert_describe (mailbox));
      return NULL;
    }
  /* Whatever follows (LIST-EXTENDED's ("CHILDINFO" ("SUBSCRIBED")),
   * ("OLDNAME" ("old")), vendor data) is not needed and not checked. */

  attributes = g_ptr_array_new_with_free_func (g_free);
  for (const MissiveImapValue *attr = attr_list->children; attr != NULL; attr = attr->next)
    {
      const char *spelled;

      if (attr->type != MISSIVE_IMAP_VALUE_ATOM)
        {
          missive_imap_convert_fail (error, "an attribute of %s is %s, not an atom", keyword,
                                     missive_imap_convert_describe (attr));
          return NULL;
        }
      /* Lenient: attributes are case-insensitive ("\NoSelect",
       * "\HASNOCHILDREN" are both seen); known ones are respelled. */
      spelled = attr->data;
      for (gsize i = 0; i < G_N_ELEMENTS (known_attributes); i++)
        if (g_ascii_strcasecmp (attr->data, known_attributes[i].name) == 0)
          {
            spelled = known_attributes[i].name;
            if (known_attributes[i].equivalent != NULL)
              add_attribute (attributes, known_attributes[i].equivalent);
          }
      add_attribute (attributes, spelled);
      if (strcmp (spelled, "\\Subscribed") == 0)
        subscribed = TRUE;
      else if (strcmp (spelled, "\\Inbox") == 0)
        inbox = TRUE;
      else if (strcmp (spelled, "\\Noselect") == 0)
        noselect = TRUE;
    }
  g_ptr_array_add (attributes, NULL);

  if (missive_imap_convert_is_nil (mailbox))
    name = g_strdup ("NIL");
  else if (g_ascii_strcasecmp (mailbox->data, "INBOX") == 0 || inbox)
    {
      /* INBOX is case-insensitive; XLIST names it in the user's language
       * ("Boîte de réception") and marks it \Inbox. */
      name = g_strdup ("INBOX");
    }
  else
    {
      if (utf7)
        name = missive_imap_utf7_decode (mailbox->data, -1, NULL);
      if (name == NULL)
        name = g_strdup (mailbox->data);
    }

  info = missive_mailbox_info_new (name);
  missive_mailbox_info_set_separator (info,
                                      missive_imap_convert_is_nil (separator) ?
                                      NULL : separator->data);
  missive_mailbox_info_set_attributes (info, (const char * const *) attributes->pdata);
  /* LSUB lists subscribed names, except that \Noselect there means "not
   * subscribed itself, but something below is" (RFC 3501 6.3.9). */
  if (subscribed || (lsub && !noselect))
    missive_mailbox_info_set_subscribed (info, TRUE);
  return g_steal_pointer (&info);
}

/* ---- STATUS ---- */

gboolean
missive_imap_apply_status (const MissiveImapValue  *list,
                           MissiveMailboxInfo      *info,
                           GError                 **error)
{
  struct
  {
    gboolean set;
    guint64 value;
  } messages = { 0, }, recent = { 0, }, uidnext = { 0, }, uidvalidity = { 0, },
    unseen = { 0, }, highestmodseq = { 0, }, size = { 0, };
  const char *mailbox_id = NULL;

  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (info), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!missive_imap_convert_is_list (list))
    return missive_imap_convert_fail (error, "the STATUS attributes are %s, not a list",
                                      missive_imap_convert_describe (list));
  for (const MissiveImapValue *name = list->children; name != NULL; name = name->next->next)
    {
      const MissiveImapValue *value = name->next;
      const char *n = name->data;

      if (name->type != MISSIVE_IMAP_VALUE_ATOM)
        return missive_imap_convert_fail (error, "a STATUS attribute is %s, not an atom",
                                          missive_imap_convert_describe (name));
      if (value == NULL)
        return missive_imap_convert_fail (error, "the STATUS attribute %s has no value", n);

#define NUMBER(attr, field, max) \
      if (g_ascii_strcasecmp (n, attr) == 0) \
        { \
          if (!missive_imap_convert_get_number (value, "STATUS " attr, max, &field.value, error)) \
            return FALSE; \
          field.set = TRUE; \
          continue; \
        }
      NUMBER ("MESSAGES", messages, G_MAXUINT32)
      NUMBER ("RECENT", recent, G_MAXUINT32)
      NUMBER ("UIDNEXT", uidnext, G_MAXUINT32)
      NUMBER ("UIDVALIDITY", uidvalidity, G_MAXUINT32)
      NUMBER ("UNSEEN", unseen, G_MAXUINT32)
      NUMBER ("HIGHESTMODSEQ", highestmodseq, G_MAXUINT64)
      NUMBER ("SIZE", size, G_MAXUINT64)
#undef NUMBER
      if (g_ascii_strcasecmp (n, "MAILBOXID") == 0 &&
          !get_object_id (value, "STATUS MAILBOXID", FALSE, &mailbox_id, error))
        return FALSE;
      /* DELETED, DELETED-STORAGE, APPENDLIMIT (a number or NIL), vendor
       * attributes: ignored, whatever their value. */
    }

  if (messages.set)
    missive_mailbox_info_set_messages (info, messages.value);
  if (recent.set)
    missive_mailbox_info_set_recent (info, recent.value);
  if (uidnext.set)
    missive_mailbox_info_set_uid_next (info, uidnext.value);
  if (uidvalidity.set)
    missive_mailbox_info_set_uid_validity (info, uidvalidity.value);
  if (unseen.set)
    missive_mailbox_info_set_unseen (info, unseen.value);
  if (highestmodseq.set)
    missive_mailbox_info_set_highest_modseq (info, highestmodseq.value);
  if (size.set)
    missive_mailbox_info_set_size (info, size.value);
  if (mailbox_id != NULL)
    {
      g_autofree char *utf8 = missive_imap_convert_to_utf8 (mailbox_id);

      missive_mailbox_info_set_mailbox_id (info, utf8);
    }
  return TRUE;
}

/* ---- SELECT / EXAMINE ---- */

/* The number of a response code "[UIDNEXT 4392]". */
static gboolean
code_number (const MissiveImapResponse *response,
             guint64                    max,
             guint64                   *out)
{
  return response->code_args != NULL && response->code_args->next == NULL &&
         missive_imap_value_get_number (response->code_args, out) && *out <= max;
}

gboolean
missive_imap_apply_select_response (const MissiveImapResponse *response,
                                    MissiveMailboxInfo        *info)
{
  guint64 number;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (info), FALSE);

  if (response->kind == MISSIVE_IMAP_RESPONSE_CONTINUATION || response->keyword == NULL)
    return FALSE;

  if (response->status == MISSIVE_IMAP_STATUS_NONE)
    {
      if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
        return FALSE;
      if (strcmp (response->keyword, "FLAGS") == 0)
        {
          g_auto (GStrv) flags = NULL;

          if (response->args == NULL || response->args->next != NULL)
            return FALSE;
          flags = flags_from_value (response->args, "FLAGS", NULL);
          if (flags == NULL)
            return FALSE;
          missive_mailbox_info_set_flags (info, (const char * const *) flags);
          return TRUE;
        }
      if (strcmp (response->keyword, "EXISTS") == 0 && response->has_number)
        {
          missive_mailbox_info_set_messages (info, response->number);
          return TRUE;
        }
      if (strcmp (response->keyword, "RECENT") == 0 && response->has_number)
        {
          missive_mailbox_info_set_recent (info, response->number);
          return TRUE;
        }
      return FALSE;
    }

  /* The codes of OK responses; READ-ONLY / READ-WRITE come with the
   * tagged OK that completes SELECT or EXAMINE. */
  if (response->status != MISSIVE_IMAP_STATUS_OK || response->code == NULL)
    return FALSE;
  if (strcmp (response->code, "READ-ONLY") == 0 || strcmp (response->code, "READ-WRITE") == 0)
    {
      missive_mailbox_info_set_read_only (info, strcmp (response->code, "READ-ONLY") == 0);
      return TRUE;
    }
  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    return FALSE;

  if (strcmp (response->code, "UNSEEN") == 0)
    {
      if (!code_number (response, G_MAXUINT32, &number))
        return FALSE;
      missive_mailbox_info_set_first_unseen (info, number);
      return TRUE;
    }
  if (strcmp (response->code, "UIDNEXT") == 0)
    {
      if (!code_number (response, G_MAXUINT32, &number))
        return FALSE;
      missive_mailbox_info_set_uid_next (info, number);
      return TRUE;
    }
  if (strcmp (response->code, "UIDVALIDITY") == 0)
    {
      if (!code_number (response, G_MAXUINT32, &number))
        return FALSE;
      missive_mailbox_info_set_uid_validity (info, number);
      return TRUE;
    }
  if (strcmp (response->code, "HIGHESTMODSEQ") == 0)
    {
      if (!code_number (response, G_MAXUINT64, &number))
        return FALSE;
      missive_mailbox_info_set_highest_modseq (info, number);
      return TRUE;
    }
  if (strcmp (response->code, "NOMODSEQ") == 0)
    {
      missive_mailbox_info_set_no_modseq (info, TRUE);
      return TRUE;
    }
  if (strcmp (response->code, "PERMANENTFLAGS") == 0)
    {
      g_auto (GStrv) flags = NULL;

      if (response->code_args == NULL || response->code_args->next != NULL)
        return FALSE;
      flags = flags_from_value (response->code_args, "PERMANENTFLAGS", NULL);
      if (flags == NULL)
        return FALSE;
      missive_mailbox_info_set_permanent_flags (info, (const char * const *) flags);
      return TRUE;
    }
  if (strcmp (response->code, "MAILBOXID") == 0)
    {
      const char *id = NULL;
      g_autofree char *utf8 = NULL;

      if (response->code_args == NULL || response->code_args->next != NULL ||
          !get_object_id (response->code_args, "MAILBOXID", FALSE, &id, NULL))
        return FALSE;
      utf8 = missive_imap_convert_to_utf8 (id);
      missive_mailbox_info_set_mailbox_id (info, utf8);
      return TRUE;
    }
  return FALSE;
}
