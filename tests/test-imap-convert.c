/* test-imap-convert.c: from parsed IMAP responses to Missive's types
 *
 * Every response here goes through the real parser first (lines fed one at
 * a time, literals added as the parser asks), then through the conversion
 * under test.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-imap-convert.h"
#include "missive-imap-parser.h"
#include "test-utils.h"

/* ---- helpers ---- */

/* Feeds a response to @parser: @first is the first line; when the parser
 * asks for a literal, the next argument is the literal and the one after
 * it the line that follows. A "{#}" in a line is replaced by "{n}", n being
 * the length of the literal that follows it. The list ends with NULL. */
static const MissiveImapResponse *
parse_va (MissiveImapParser *parser,
          const char        *first,
          va_list            args)
{
  const char *line = first;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *fixed = NULL;
      const char *marker = strstr (line, "{#}");
      const char *literal = NULL;
      MissiveImapParseResult result;
      guint64 size = 0;

      if (marker != NULL)
        {
          literal = va_arg (args, const char *);
          g_assert_nonnull (literal);
          fixed = g_strdup_printf ("%.*s{%" G_GSIZE_FORMAT "}%s", (int) (marker - line), line,
                                   strlen (literal), marker + 3);
          line = fixed;
        }
      result = missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error);
      g_assert_no_error (error);
      if (result == MISSIVE_IMAP_PARSE_COMPLETE)
        {
          g_assert_null (literal);
          break;
        }
      g_assert_cmpint (result, ==, MISSIVE_IMAP_PARSE_NEED_LITERAL);
      if (literal == NULL)
        {
          literal = va_arg (args, const char *);
          g_assert_nonnull (literal);
        }
      g_assert_cmpuint (size, ==, strlen (literal));
      missive_imap_parser_add_literal (parser, literal, size);
      line = va_arg (args, const char *);
      g_assert_nonnull (line);
    }
  return missive_imap_parser_get_response (parser);
}

static const MissiveImapResponse *
parse (MissiveImapParser *parser,
       const char        *first,
       ...)
{
  const MissiveImapResponse *response;
  va_list args;

  va_start (args, first);
  response = parse_va (parser, first, args);
  va_end (args);
  return response;
}

/* The value of a "* n FETCH (ITEM value)" response's only item. */
static const MissiveImapValue *
fetch_value (MissiveImapParser *parser,
             const char        *item_and_value)
{
  g_autofree char *line = g_strdup_printf ("* 1 FETCH (%s)", item_and_value);
  const MissiveImapResponse *response = parse (parser, line, NULL);

  g_assert_nonnull (response->args);
  g_assert_cmpint (response->args->type, ==, MISSIVE_IMAP_VALUE_LIST);
  g_assert_cmpuint (response->args->length, ==, 2);
  return response->args->children->next;
}

/* Converts one FETCH response into a new info; asserts success. */
static MissiveMessageInfo *
fetch_info (MissiveImapParser *parser,
            gboolean           decode_words,
            const char        *first,
            ...)
{
  g_autoptr (GError) error = NULL;
  MissiveMessageInfo *info = missive_message_info_new ();
  const MissiveImapResponse *response;
  va_list args;

  va_start (args, first);
  response = parse_va (parser, first, args);
  va_end (args);
  g_assert_true (missive_imap_fetch_to_info (response, info, decode_words, NULL, NULL, &error));
  g_assert_no_error (error);
  return info;
}

/* A body structure from its text ("(\"TEXT\" ...)"); asserts success. */
static MissiveBodyPart *
body_from_text (MissiveImapParser *parser,
                const char        *text)
{
  g_autofree char *item = g_strdup_printf ("BODYSTRUCTURE %s", text);
  g_autoptr (GError) error = NULL;
  MissiveBodyPart *part;

  part = missive_imap_body_part_from_value (fetch_value (parser, item), &error);
  g_assert_no_error (error);
  g_assert_nonnull (part);
  return part;
}

/* Asserts that the body structure @text fails with a message containing
 * @fragment. */
static void
assert_body_fails (MissiveImapParser *parser,
                   const char        *text,
                   const char        *fragment)
{
  g_autofree char *item = g_strdup_printf ("BODYSTRUCTURE %s", text);
  g_autoptr (GError) error = NULL;
  MissiveBodyPart *part;

  part = missive_imap_body_part_from_value (fetch_value (parser, item), &error);
  g_assert_null (part);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", error->message, fragment);
}

/* Asserts that the FETCH response @line fails with a message containing
 * @fragment, and leaves @info as it was (UID 0, no flags). */
static void
assert_fetch_fails (MissiveImapParser *parser,
                    const char        *line,
                    const char        *fragment)
{
  g_autoptr (MissiveMessageInfo) info = missive_message_info_new ();
  g_autoptr (GError) error = NULL;
  const MissiveImapResponse *response = parse (parser, line, NULL);

  g_assert_false (missive_imap_fetch_to_info (response, info, TRUE, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", error->message, fragment);
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 0);
  g_assert_cmpuint (missive_message_info_get_sequence (info), ==, 0);
  g_assert_true (missive_message_info_get_flags (info) == NULL ||
                 missive_message_info_get_flags (info)[0] == NULL);
  g_assert_null (missive_message_info_get_subject (info));
}

/* GMime gives NULL for an empty list: "" here. */
static char *
addresses_to_string (InternetAddressList *list)
{
  char *text = internet_address_list_to_string (list, NULL, FALSE);

  return text != NULL ? text : g_strdup ("");
}

static void
assert_mailbox (InternetAddressList *list,
                int                  index,
                const char          *name,
                const char          *addr)
{
  InternetAddress *ia;

  g_assert_nonnull (list);
  g_assert_cmpint (index, <, internet_address_list_length (list));
  ia = internet_address_list_get_address (list, index);
  g_assert_true (INTERNET_ADDRESS_IS_MAILBOX (ia));
  g_assert_cmpstr (internet_address_get_name (ia), ==, name);
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), ==, addr);
}

static void
assert_utc (GDateTime  *date,
            const char *iso8601)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (date);
  utc = g_date_time_to_utc (date);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (text, ==, iso8601);
}

/* ---- dates ---- */

static void
test_date_parse (void)
{
  static const struct
  {
    const char *text;
    const char *utc;          /* NULL: must fail */
    GTimeSpan offset_minutes;
  } cases[] = {
    { "17-Jul-2023 02:44:25 -0700", "2023-07-17T09:44:25Z", -7 * 60 },
    { "01-Jan-2024 00:00:00 +0000", "2024-01-01T00:00:00Z", 0 },
    { " 4-Mar-2024 23:59:59 +0530", "2024-03-04T18:29:59Z", 5 * 60 + 30 },  /* date-day-fixed */
    { "4-Mar-2024 23:59:59 +0530", "2024-03-04T18:29:59Z", 5 * 60 + 30 },   /* lenient */
    { "09-dec-2022 12:00:00 -0030", "2022-12-09T12:30:00Z", -30 },           /* lower case */
    { "29-Feb-2024 10:00:00 +1400", "2024-02-28T20:00:00Z", 14 * 60 },
    { "30-Jun-2015 23:59:60 +0000", "2015-06-30T23:59:59Z", 0 },              /* leap second */
    { "12-Aug-2021 08:15:00", "2021-08-12T08:15:00Z", 0 },                    /* no zone: UTC */
    { "", NULL, 0 },
    { "17-Jul-96 02:44:25 -0700", NULL, 0 },
    { "17-Jly-2023 02:44:25 -0700", NULL, 0 },
    { "32-Jul-2023 02:44:25 -0700", NULL, 0 },
    { "31-Feb-2023 02:44:25 +0000", NULL, 0 },
    { "17-Jul-2023 24:00:00 +0000", NULL, 0 },
    { "17-Jul-2023 02:61:00 +0000", NULL, 0 },
    { "17-Jul-2023 02:44:25 +2500", NULL, 0 },
    { "17-Jul-2023 02:44:25 +07", NULL, 0 },
    { "17-Jul-2023 02:44:25 -0700 trailing", NULL, 0 },
    { "17-Jul-2023T02:44:25 -0700", NULL, 0 },
    { "Mon, 17 Jul 2023 02:44:25 -0700", NULL, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) date = missive_imap_parse_date_time (cases[i].text);

      if (cases[i].utc == NULL)
        {
          if (date != NULL)
            g_error ("\"%s\" parsed", cases[i].text);
          continue;
        }
      if (date == NULL)
        g_error ("\"%s\" did not parse", cases[i].text);
      assert_utc (date, cases[i].utc);
      g_assert_cmpint (g_date_time_get_utc_offset (date), ==,
                       cases[i].offset_minutes * G_TIME_SPAN_MINUTE);
    }
}

static void
test_date_round_trip (void)
{
  static const struct
  {
    int offset_seconds;
    const char *text;
  } cases[] = {
    { 0, "05-Nov-2023 07:08:09 +0000" },
    { -7 * 3600, "05-Nov-2023 07:08:09 -0700" },
    { 5 * 3600 + 1800, "05-Nov-2023 07:08:09 +0530" },
    { -(3 * 3600 + 1800), "05-Nov-2023 07:08:09 -0330" },
    { -1800, "05-Nov-2023 07:08:09 -0030" },
    { 12 * 3600 + 45 * 60, "05-Nov-2023 07:08:09 +1245" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GTimeZone) zone = g_time_zone_new_offset (cases[i].offset_seconds);
      g_autoptr (GDateTime) date = g_date_time_new (zone, 2023, 11, 5, 7, 8, 9);
      g_autofree char *text = missive_imap_format_date_time (date);
      g_autoptr (GDateTime) back = NULL;
      g_autofree char *again = NULL;

      g_assert_cmpstr (text, ==, cases[i].text);
      back = missive_imap_parse_date_time (text);
      g_assert_nonnull (back);
      g_assert_true (g_date_time_equal (date, back));
      g_assert_cmpint (g_date_time_get_utc_offset (back), ==, g_date_time_get_utc_offset (date));
      again = missive_imap_format_date_time (back);
      g_assert_cmpstr (again, ==, text);
    }
}

static void
test_date_format (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset (-8 * 3600);
  g_autoptr (GDateTime) date = g_date_time_new (zone, 2024, 2, 1, 23, 30, 0);
  g_autoptr (GDateTime) december = g_date_time_new_utc (1999, 12, 31, 0, 0, 0);
  g_autofree char *text = missive_imap_format_date (date);
  g_autofree char *text2 = missive_imap_format_date (december);
  g_autofree char *full = missive_imap_format_date_time (december);

  /* The date in the date-time's own zone, not in UTC. */
  g_assert_cmpstr (text, ==, "1-Feb-2024");
  g_assert_cmpstr (text2, ==, "31-Dec-1999");
  g_assert_cmpstr (full, ==, "31-Dec-1999 00:00:00 +0000");
}

/* ---- sets ---- */

static void
test_set (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *value;
    const char *expected;   /* NULL: must fail */
  } cases[] = {
    { "1:3,5", "1:3,5" },
    { "42", "42" },
    { "7:4,9,8", "4:9" },
    { "\"2,4:7\"", "2,4:7" },      /* lenient: quoted */
    { "12:*", "12:*" },
    { "NIL", NULL },
    { "(1 2)", NULL },
    { "1:x", NULL },
    { "\"\"", NULL },
    { "0", NULL },
    { "1,,2", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf ("* OK [COPYUID 38505 %s 1:3] Done", cases[i].value);
      const MissiveImapResponse *response = parse (parser, line, NULL);
      const MissiveImapValue *value;
      g_autoptr (MissiveMessageSet) set = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_cmpstr (response->code, ==, "COPYUID");
      value = response->code_args->next;
      set = missive_imap_set_from_value (value, &error);
      if (cases[i].expected == NULL)
        {
          g_assert_null (set);
          g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
        }
      else
        {
          g_autofree char *text = NULL;

          g_assert_no_error (error);
          text = missive_message_set_to_string (set);
          g_assert_cmpstr (text, ==, cases[i].expected);
        }
    }
}

/* ---- ENVELOPE and addresses ---- */

#define DOVECOT_FETCH \
  "* 12 FETCH (UID 4827 FLAGS (\\Seen $Forwarded \\ANSWERED) RFC822.SIZE 4455 " \
  "INTERNALDATE \"17-Jul-2023 02:44:25 -0700\" MODSEQ (12121231000) " \
  "ENVELOPE (\"Mon, 17 Jul 2023 11:42:05 +0200 (CEST)\" \"Quarterly numbers\" " \
  "((\"Ana Lima\" NIL \"ana\" \"example.org\")) " \
  "((\"Ana Lima\" NIL \"ana\" \"example.org\")) " \
  "((NIL NIL \"replies\" \"lists.example.org\")) " \
  "((\"Bo Kim\" NIL \"bo.kim\" \"example.com\")(NIL NIL \"team\" \"example.com\")) " \
  "NIL NIL \"<prev@example.org>\" \"<q3-numbers@example.org>\"))"

static void
test_fetch_dovecot (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMessageInfo) info = fetch_info (parser, TRUE, DOVECOT_FETCH, NULL);
  const char * const *flags = missive_message_info_get_flags (info);
  InternetAddressList *to;

  g_assert_cmpuint (missive_message_info_get_sequence (info), ==, 12);
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 4827);
  g_assert_cmpuint (missive_message_info_get_size (info), ==, 4455);
  g_assert_cmpuint (missive_message_info_get_modseq (info), ==, G_GUINT64_CONSTANT (12121231000));
  g_assert_nonnull (flags);
  g_assert_cmpuint (g_strv_length ((char **) flags), ==, 3);
  g_assert_true (missive_message_info_has_flag (info, "\\Seen"));
  g_assert_true (missive_message_info_has_flag (info, "$Forwarded"));
  /* Lenient: upper-case system flag respelled. */
  g_assert_cmpstr (flags[2], ==, "\\Answered");
  assert_utc (missive_message_info_get_internal_date (info), "2023-07-17T09:44:25Z");
  assert_utc (missive_message_info_get_date (info), "2023-07-17T09:42:05Z");
  g_assert_cmpstr (missive_message_info_get_subject (info), ==, "Quarterly numbers");
  g_assert_cmpstr (missive_message_info_get_message_id (info), ==, "<q3-numbers@example.org>");
  g_assert_cmpstr (missive_message_info_get_in_reply_to (info), ==, "<prev@example.org>");

  assert_mailbox (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_FROM),
                  0, "Ana Lima", "ana@example.org");
  assert_mailbox (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_SENDER),
                  0, "Ana Lima", "ana@example.org");
  assert_mailbox (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_REPLY_TO),
                  0, NULL, "replies@lists.example.org");
  to = missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_TO);
  g_assert_cmpint (internet_address_list_length (to), ==, 2);
  assert_mailbox (to, 0, "Bo Kim", "bo.kim@example.com");
  assert_mailbox (to, 1, NULL, "team@example.com");
  g_assert_null (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_CC));
  g_assert_null (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_BCC));
  g_assert_nonnull (missive_message_info_get_from (info));
  g_assert_nonnull (strstr (missive_message_info_get_from (info), "ana@example.org"));
}

static void
test_fetch_updates (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMessageInfo) info = fetch_info (parser, TRUE, DOVECOT_FETCH, NULL);
  g_autoptr (GError) error = NULL;
  const MissiveImapResponse *response;

  /* An unsolicited flag change touches only the flags (and the sequence
   * number). */
  response = parse (parser, "* 11 FETCH (FLAGS () MODSEQ (12121231001))", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_info_get_sequence (info), ==, 11);
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 4827);
  g_assert_false (missive_message_info_has_flag (info, "\\Seen"));
  g_assert_cmpuint (missive_message_info_get_modseq (info), ==, G_GUINT64_CONSTANT (12121231001));
  g_assert_cmpstr (missive_message_info_get_subject (info), ==, "Quarterly numbers");

  /* Unknown items are ignored; BODY[] data is the caller's. */
  response = parse (parser, "* 11 FETCH (X-UNKNOWN (1 2 (3)) BINARY.SIZE[1] 77 BODY[1] {#}", "hello",
                    " UID 4827)", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (missive_message_info_get_raw_headers (info));
}

static void
test_envelope_rfc2047 (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *raw;
    const char *decoded;
  } cases[] = {
    { "=?UTF-8?B?SGVsbG8gd8O2cmxkIOKckw==?=", "Hello w\xc3\xb6rld \xe2\x9c\x93" },
    { "=?ISO-8859-1?Q?Caf=E9_cr=E8me?=", "Caf\xc3\xa9 cr\xc3\xa8me" },
    { "Re: =?utf-8?q?=C3=BCber?= alles", "Re: \xc3\xbc" "ber alles" },
    { "=?iso-8859-1?q?Gr=FC?= =?iso-8859-1?q?=DFe?=", "Gr\xc3\xbc\xc3\x9f" "e" },
    { "Plain subject", "Plain subject" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf (
        "* 3 FETCH (ENVELOPE (NIL \"%s\" ((\"=?utf-8?b?R3LDvMOfZQ==?=\" NIL \"g\" \"example.de\")) "
        "NIL NIL NIL NIL NIL NIL NIL))", cases[i].raw);
      g_autoptr (MissiveMessageInfo) decoded = fetch_info (parser, TRUE, line, NULL);
      g_autoptr (MissiveMessageInfo) raw = fetch_info (parser, FALSE, line, NULL);

      g_assert_cmpstr (missive_message_info_get_subject (decoded), ==, cases[i].decoded);
      g_assert_cmpstr (missive_message_info_get_subject (raw), ==, cases[i].raw);
      assert_mailbox (missive_message_info_get_addresses (decoded, MISSIVE_ADDRESS_FIELD_FROM),
                      0, "Gr\xc3\xbc\xc3\x9f" "e", "g@example.de");
      assert_mailbox (missive_message_info_get_addresses (raw, MISSIVE_ADDRESS_FIELD_FROM),
                      0, "=?utf-8?b?R3LDvMOfZQ==?=", "g@example.de");
      /* No date, and NIL everywhere else. */
      g_assert_null (missive_message_info_get_date (decoded));
      g_assert_null (missive_message_info_get_message_id (decoded));
      g_assert_null (missive_message_info_get_addresses (decoded, MISSIVE_ADDRESS_FIELD_TO));
    }
}

static void
test_envelope_8bit (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMessageInfo) info = NULL;

  /* Raw ISO-8859-1 in the subject (a server passing 8-bit headers through)
   * comes out as UTF-8; an unparseable Date header is no date. */
  info = fetch_info (parser, TRUE,
                     "* 3 FETCH (ENVELOPE (\"someday\" {#}", "Caf\xe9",
                     " NIL NIL NIL NIL NIL NIL NIL NIL))", NULL);
  g_assert_cmpstr (missive_message_info_get_subject (info), ==, "Caf\xc3\xa9");
  g_assert_null (missive_message_info_get_date (info));

  /* A folded subject (CRLF kept by the server) is unfolded, decoded or
   * not; so is a folded In-Reply-To. */
  for (guint decode = 0; decode < 2; decode++)
    {
      g_clear_object (&info);
      info = fetch_info (parser, decode,
                         "* 3 FETCH (ENVELOPE (NIL {#}", "Re: a rather\r\n long\r\n\tsubject",
                         " NIL NIL NIL NIL NIL NIL {#}", "<a@x>\r\n <b@x>", " NIL))", NULL);
      g_assert_cmpstr (missive_message_info_get_subject (info), ==, "Re: a rather long\tsubject");
      g_assert_cmpstr (missive_message_info_get_in_reply_to (info), ==, "<a@x> <b@x>");
    }
  g_clear_object (&info);
  info = fetch_info (parser, TRUE,
                     "* 3 FETCH (ENVELOPE (NIL {#}", "=?utf-8?q?caf=C3=A9?=\r\n =?utf-8?q?_cr=C3=A8me?=",
                     " NIL NIL NIL NIL NIL NIL NIL NIL))", NULL);
  g_assert_cmpstr (missive_message_info_get_subject (info), ==, "caf\xc3\xa9 cr\xc3\xa8me");
}

static void
test_address_groups (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *value;
    const char *expected;
    int length;
  } cases[] = {
    /* An empty group */
    { "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))",
      "undisclosed-recipients: ;", 1 },
    /* A group with members, between two plain addresses */
    { "((\"Al\" NIL \"al\" \"a.example\")(NIL NIL \"Team\" NIL)(\"Bea\" NIL \"bea\" \"b.example\")"
      "(NIL NIL \"cy\" \"c.example\")(NIL NIL NIL NIL)(NIL NIL \"dee\" \"d.example\"))",
      "Al <al@a.example>, Team: Bea <bea@b.example>, cy@c.example;, dee@d.example", 3 },
    /* Lenient: an unclosed "group" is a local address (Exchange) */
    { "((\"Postmaster\" NIL \"postmaster\" NIL))", "Postmaster <postmaster>", 1 },
    { "((NIL NIL \"root\" NIL)(NIL NIL \"x\" \"y.example\"))", "root, x@y.example", 2 },
    /* Lenient: a stray end marker, an empty host, "()" */
    { "((NIL NIL NIL NIL)(NIL NIL \"local\" \"\"))", "local", 1 },
    { "()", "", 0 },
    { "NIL", "", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *item = g_strdup_printf ("X %s", cases[i].value);
      g_autoptr (GError) error = NULL;
      InternetAddressList *list;
      g_autofree char *text = NULL;

      list = missive_imap_address_list_from_value (fetch_value (parser, item), TRUE, &error);
      g_assert_no_error (error);
      g_assert_nonnull (list);
      g_assert_cmpint (internet_address_list_length (list), ==, cases[i].length);
      text = addresses_to_string (list);
      g_assert_cmpstr (text, ==, cases[i].expected);
      g_object_unref (list);
    }
}

static void
test_address_errors (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *value;
    const char *fragment;
  } cases[] = {
    { "((\"A\" NIL \"a\"))", "address 1 has 3 fields" },
    { "((NIL NIL \"a\" \"b\") ATOM)", "address 2 is an atom" },
    { "((NIL NIL \"a\" \"b\" \"c\"))", "address 1 has 5 fields" },
    { "(((\"x\") NIL \"a\" \"b\"))", "the name of an address is a list" },
    { "((NIL NIL (\"a\") \"b\"))", "the mailbox of an address is a list" },
    { "\"someone@example.org\"", "an address list is a string" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *item = g_strdup_printf ("X %s", cases[i].value);
      g_autoptr (GError) error = NULL;
      InternetAddressList *list;

      list = missive_imap_address_list_from_value (fetch_value (parser, item), TRUE, &error);
      g_assert_null (list);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("\"%s\" does not mention \"%s\"", error->message, cases[i].fragment);
    }
}

/* ---- BODYSTRUCTURE ---- */

static void
test_body_single_text (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveBodyPart) part = body_from_text (parser,
    "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\" \"FORMAT\" \"flowed\") \"<id1@x>\" \"A note\" "
    "\"QUOTED-PRINTABLE\" 1152 23 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"inline\" NIL) \"en\" "
    "\"http://example.org/note\" \"future\" (1 2))");

  g_assert_cmpstr (missive_body_part_get_content_type (part), ==, "text/plain");
  g_assert_cmpstr (missive_body_part_get_section (part), ==, "1");
  g_assert_cmpstr (missive_body_part_get_parameter (part, "charset"), ==, "UTF-8");
  g_assert_cmpstr (missive_body_part_get_parameter (part, "Format"), ==, "flowed");
  g_assert_cmpstr (missive_body_part_get_id (part), ==, "<id1@x>");
  g_assert_cmpstr (missive_body_part_get_description (part), ==, "A note");
  g_assert_cmpstr (missive_body_part_get_encoding (part), ==, "quoted-printable");
  g_assert_cmpuint (missive_body_part_get_size (part), ==, 1152);
  g_assert_cmpuint (missive_body_part_get_lines (part), ==, 23);
  g_assert_cmpstr (missive_body_part_get_md5 (part), ==, "Q2hlY2sgSW50ZWdyaXR5IQ==");
  g_assert_cmpstr (missive_body_part_get_disposition (part), ==, "inline");
  g_assert_cmpstr (missive_body_part_get_language (part)[0], ==, "en");
  g_assert_null (missive_body_part_get_language (part)[1]);
  g_assert_cmpstr (missive_body_part_get_location (part), ==, "http://example.org/note");
  g_assert_cmpuint (missive_body_part_get_n_children (part), ==, 0);
  g_assert_false (missive_body_part_is_attachment (part));
}

static void
test_body_multipart (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveBodyPart) root = body_from_text (parser,
    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1 NIL NIL NIL NIL)"
    "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 40 2 NIL NIL NIL NIL)"
    " \"alternative\" (\"boundary\" \"alt-b\") NIL NIL NIL)");
  MissiveBodyPart *html;

  g_assert_cmpstr (missive_body_part_get_content_type (root), ==, "multipart/alternative");
  g_assert_cmpstr (missive_body_part_get_section (root), ==, "TEXT");
  g_assert_cmpstr (missive_body_part_get_parameter (root, "boundary"), ==, "alt-b");
  g_assert_cmpuint (missive_body_part_get_n_children (root), ==, 2);
  g_assert_cmpstr (missive_body_part_get_section (missive_body_part_get_child (root, 0)), ==, "1");
  html = missive_body_part_get_child (root, 1);
  g_assert_cmpstr (missive_body_part_get_section (html), ==, "2");
  g_assert_cmpstr (missive_body_part_get_content_type (html), ==, "text/html");
  g_assert_cmpuint (missive_body_part_get_lines (html), ==, 2);
}

static void
test_body_attachments (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveBodyPart) root = body_from_text (parser,
    "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL)"
    /* RFC 2231 continuations and charset in the disposition */
    "(\"APPLICATION\" \"PDF\" (\"NAME\" \"rate.pdf\") NIL NIL \"BASE64\" 2000 NIL "
    "(\"ATTACHMENT\" (\"FILENAME*0*\" \"utf-8''%E2%82%AC\" \"FILENAME*1\" \" rate.pdf\" "
    "\"SIZE\" \"1460\")) (\"de\" \"fr\") NIL)"
    /* RFC 2047 in a parameter (Outlook), RFC 2231 single value in ISO-8859-1 */
    "(\"IMAGE\" \"JPEG\" (\"NAME\" \"=?UTF-8?Q?f=C3=B6to.jpg?=\" \"X*\" \"iso-8859-1'en'caf%E9\") "
    "\"<img1@x>\" NIL \"BASE64\" 5000 NIL (\"INLINE\" (\"FILENAME\" \"=?UTF-8?Q?f=C3=B6to.jpg?=\")) NIL "
    "\"cid:img1\")"
    " \"MIXED\" (\"BOUNDARY\" \"mixed-b\") (\"inline\" NIL) NIL NIL)");
  MissiveBodyPart *pdf = missive_body_part_get_child (root, 1);
  MissiveBodyPart *image = missive_body_part_get_child (root, 2);
  const char * const *languages;

  g_assert_cmpstr (missive_body_part_get_content_type (root), ==, "multipart/mixed");
  g_assert_cmpstr (missive_body_part_get_disposition (root), ==, "inline");

  g_assert_cmpstr (missive_body_part_get_section (pdf), ==, "2");
  g_assert_cmpstr (missive_body_part_get_disposition (pdf), ==, "attachment");
  g_assert_cmpstr (missive_body_part_get_disposition_parameter (pdf, "filename"), ==,
                   "\xe2\x82\xac rate.pdf");
  g_assert_cmpstr (missive_body_part_get_disposition_parameter (pdf, "size"), ==, "1460");
  g_assert_cmpstr (missive_body_part_get_filename (pdf), ==, "\xe2\x82\xac rate.pdf");
  g_assert_true (missive_body_part_is_attachment (pdf));
  g_assert_null (missive_body_part_get_md5 (pdf));
  languages = missive_body_part_get_language (pdf);
  g_assert_cmpuint (g_strv_length ((char **) languages), ==, 2);
  g_assert_cmpstr (languages[1], ==, "fr");
  g_assert_cmpuint (missive_body_part_get_lines (pdf), ==, 0);

  g_assert_cmpstr (missive_body_part_get_section (image), ==, "3");
  g_assert_cmpstr (missive_body_part_get_parameter (image, "name"), ==, "f\xc3\xb6to.jpg");
  g_assert_cmpstr (missive_body_part_get_parameter (image, "x"), ==, "caf\xc3\xa9");
  g_assert_cmpstr (missive_body_part_get_filename (image), ==, "f\xc3\xb6to.jpg");
  g_assert_cmpstr (missive_body_part_get_location (image), ==, "cid:img1");
  g_assert_cmpstr (missive_body_part_get_id (image), ==, "<img1@x>");
}

/* The numbering example of RFC 3501 section 6.4.5, as a structure. */
#define TEXT_PART(sub, size) \
  "(\"TEXT\" \"" sub "\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" " #size " 3 NIL NIL NIL NIL)"
#define NESTED_ENVELOPE(subject) \
  "(\"Tue, 1 Aug 2023 10:00:00 +0000\" \"" subject "\" ((NIL NIL \"a\" \"x.example\")) " \
  "NIL NIL ((NIL NIL \"b\" \"x.example\")) NIL NIL NIL \"<" subject "@x.example>\")"

static void
test_body_rfc3501_numbering (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveBodyPart) root = body_from_text (parser,
    "(" TEXT_PART ("PLAIN", 10)
    "(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"BASE64\" 100 NIL NIL NIL NIL)"
    "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 900 " NESTED_ENVELOPE ("three")
    " (" TEXT_PART ("PLAIN", 20) TEXT_PART ("HTML", 30) " \"ALTERNATIVE\" (\"BOUNDARY\" \"b3\") NIL NIL NIL)"
    " 40 NIL NIL NIL NIL)"
    "((\"IMAGE\" \"GIF\" NIL NIL NIL \"BASE64\" 300 NIL NIL NIL NIL)"
    " (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 800 " NESTED_ENVELOPE ("four")
    "  (" TEXT_PART ("PLAIN", 40) "(" TEXT_PART ("PLAIN", 50) TEXT_PART ("RICHTEXT", 60)
    "   \"ALTERNATIVE\") \"MIXED\") 50)"
    " \"MIXED\")"
    " \"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)");
  static const struct
  {
    const char *section;
    const char *type;
  } expected[] = {
    { "TEXT", "multipart/mixed" },
    { "1", "text/plain" },
    { "2", "application/octet-stream" },
    { "3", "message/rfc822" },
    { "3.TEXT", "multipart/alternative" },
    { "3.1", "text/plain" },
    { "3.2", "text/html" },
    { "4", "multipart/mixed" },
    { "4.1", "image/gif" },
    { "4.2", "message/rfc822" },
    { "4.2.TEXT", "multipart/mixed" },
    { "4.2.1", "text/plain" },
    { "4.2.2", "multipart/alternative" },
    { "4.2.2.1", "text/plain" },
    { "4.2.2.2", "text/richtext" },
  };
  MissiveBodyPart *message, *embedded, *four_two;
  MissiveMessageInfo *info;

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      MissiveBodyPart *part = missive_body_part_find_section (root, expected[i].section);

      if (part == NULL)
        g_error ("no part %s", expected[i].section);
      g_assert_cmpstr (missive_body_part_get_section (part), ==, expected[i].section);
      g_assert_cmpstr (missive_body_part_get_content_type (part), ==, expected[i].type);
    }

  /* The message/rfc822 part: its envelope, lines and one child (the
   * embedded body), also the info's body structure. */
  message = missive_body_part_get_child (root, 2);
  g_assert_cmpstr (missive_body_part_get_section (message), ==, "3");
  g_assert_cmpuint (missive_body_part_get_lines (message), ==, 40);
  g_assert_cmpuint (missive_body_part_get_size (message), ==, 900);
  info = missive_body_part_get_message_info (message);
  g_assert_nonnull (info);
  g_assert_cmpstr (missive_message_info_get_subject (info), ==, "three");
  g_assert_cmpstr (missive_message_info_get_message_id (info), ==, "<three@x.example>");
  assert_mailbox (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_TO),
                  0, NULL, "b@x.example");
  g_assert_cmpuint (missive_body_part_get_n_children (message), ==, 1);
  embedded = missive_body_part_get_child (message, 0);
  g_assert_true (missive_message_info_get_body_structure (info) == embedded);
  g_assert_cmpuint (missive_body_part_get_n_children (embedded), ==, 2);

  four_two = missive_body_part_find_section (root, "4.2");
  g_assert_cmpstr (missive_message_info_get_subject (missive_body_part_get_message_info (four_two)),
                   ==, "four");
  /* BODY-style parts (no extension data) inside: nothing set. */
  g_assert_null (missive_body_part_get_disposition (missive_body_part_find_section (root, "4.2.2.2")));
  g_assert_null (missive_body_part_get_parameter (missive_body_part_find_section (root, "4"), "boundary"));
}

static void
test_body_message_single (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  /* A message that is itself a message/rfc822 (a bounce, say), holding a
   * plain text message: 1 and 1.1; and one inside a multipart: 2.1. */
  g_autoptr (MissiveBodyPart) root = body_from_text (parser,
    "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 700 " NESTED_ENVELOPE ("inner")
    " " TEXT_PART ("PLAIN", 70) " 12 NIL (\"ATTACHMENT\" NIL) NIL NIL)");
  g_autoptr (MissiveBodyPart) mixed = body_from_text (parser,
    "(" TEXT_PART ("PLAIN", 10) "(\"message\" \"rfc822\" NIL NIL NIL \"8bit\" 700 "
    NESTED_ENVELOPE ("fwd") " " TEXT_PART ("HTML", 70) " 12) \"mixed\")");
  MissiveBodyPart *inner;

  g_assert_cmpstr (missive_body_part_get_section (root), ==, "1");
  g_assert_cmpstr (missive_body_part_get_content_type (root), ==, "message/rfc822");
  g_assert_cmpuint (missive_body_part_get_lines (root), ==, 12);
  g_assert_cmpstr (missive_body_part_get_disposition (root), ==, "attachment");
  inner = missive_body_part_get_child (root, 0);
  g_assert_cmpstr (missive_body_part_get_section (inner), ==, "1.1");
  g_assert_cmpstr (missive_body_part_get_content_type (inner), ==, "text/plain");

  inner = missive_body_part_find_section (mixed, "2.1");
  g_assert_nonnull (inner);
  g_assert_cmpstr (missive_body_part_get_content_type (inner), ==, "text/html");
  g_assert_cmpstr (missive_message_info_get_subject (
                     missive_body_part_get_message_info (missive_body_part_get_child (mixed, 1))),
                   ==, "fwd");
}

static void
test_body_deep (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (GString) text = g_string_new (TEXT_PART ("PLAIN", 1));
  g_autoptr (MissiveBodyPart) root = NULL;
  g_autoptr (GString) section = g_string_new ("1");
  MissiveBodyPart *part;
  const guint depth = 40;

  /* 40 nested multiparts, each with its child and a second text part. */
  for (guint i = 0; i < depth; i++)
    {
      g_string_prepend (text, "(");
      g_string_append (text, TEXT_PART ("HTML", 2) " \"MIXED\" NIL NIL NIL NIL)");
    }
  root = body_from_text (parser, text->str);
  g_assert_cmpstr (missive_body_part_get_section (root), ==, "TEXT");
  part = root;
  for (guint i = 0; i < depth; i++)
    {
      MissiveBodyPart *second;

      g_assert_cmpuint (missive_body_part_get_n_children (part), ==, 2);
      second = missive_body_part_get_child (part, 1);
      part = missive_body_part_get_child (part, 0);
      g_assert_cmpstr (missive_body_part_get_section (part), ==, section->str);
      g_assert_cmpstr (missive_body_part_get_content_type (second), ==, "text/html");
      g_assert_true (g_str_has_suffix (missive_body_part_get_section (second), ".2") ||
                     strcmp (missive_body_part_get_section (second), "2") == 0);
      g_string_append (section, ".1");
    }
  g_assert_cmpstr (missive_body_part_get_content_type (part), ==, "text/plain");
  g_assert_cmpuint (strlen (missive_body_part_get_section (part)), ==, 2 * depth - 1);
}

static void
test_body_lenient (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveBodyPart) exchange = NULL;
  g_autoptr (MissiveBodyPart) body = NULL;
  g_autoptr (MissiveBodyPart) nolines = NULL;
  g_autoptr (MissiveBodyPart) bare_message = NULL;
  g_autoptr (MissiveMessageInfo) info = NULL;
  MissiveBodyPart *part;

  /* Exchange: NIL where strings are due, "()" parameters, a bare
   * disposition string, lower-case everything, no extension data. */
  exchange = body_from_text (parser,
    "((\"text\" NIL () NIL NIL NIL NIL 0)"
    "(NIL NIL NIL NIL NIL \"base64\" 120 NIL \"attachment\")"
    " NIL)");
  g_assert_cmpstr (missive_body_part_get_content_type (exchange), ==, "multipart/mixed");
  part = missive_body_part_get_child (exchange, 0);
  g_assert_cmpstr (missive_body_part_get_content_type (part), ==, "text/plain");
  g_assert_null (missive_body_part_get_encoding (part));
  g_assert_cmpuint (missive_body_part_get_size (part), ==, 0);
  part = missive_body_part_get_child (exchange, 1);
  g_assert_cmpstr (missive_body_part_get_content_type (part), ==, "application/octet-stream");
  g_assert_cmpstr (missive_body_part_get_disposition (part), ==, "attachment");

  /* BODY (no extension data at all), through FETCH. */
  info = fetch_info (parser, TRUE,
                     "* 5 FETCH (BODY ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 5 1)"
                     "(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 9 1) \"ALTERNATIVE\") UID 9)", NULL);
  part = missive_message_info_get_body_structure (info);
  g_assert_nonnull (part);
  g_assert_cmpstr (missive_body_part_get_content_type (part), ==, "multipart/alternative");
  g_assert_cmpstr (missive_body_part_get_section (missive_body_part_get_child (part, 1)), ==, "2");

  /* A text part without its line count, straight into the MD5. */
  nolines = body_from_text (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 \"md5sum\" NIL NIL)");
  g_assert_cmpuint (missive_body_part_get_lines (nolines), ==, 0);
  g_assert_cmpstr (missive_body_part_get_md5 (nolines), ==, "md5sum");

  /* A message/rfc822 sent as a basic part (no envelope). */
  bare_message = body_from_text (parser, "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 5 NIL NIL NIL NIL)");
  g_assert_cmpstr (missive_body_part_get_content_type (bare_message), ==, "message/rfc822");
  g_assert_null (missive_body_part_get_message_info (bare_message));
  g_assert_cmpuint (missive_body_part_get_n_children (bare_message), ==, 0);

  /* Lower-case atoms for the strings, and "body" as the item name. */
  g_clear_object (&info);
  info = fetch_info (parser, TRUE,
                     "* 5 FETCH (body (text plain (charset utf-8) nil nil 7bit 5 1))", NULL);
  part = missive_message_info_get_body_structure (info);
  g_assert_cmpstr (missive_body_part_get_content_type (part), ==, "text/plain");
  g_assert_cmpstr (missive_body_part_get_parameter (part, "charset"), ==, "utf-8");
  g_assert_cmpstr (missive_body_part_get_encoding (part), ==, "7bit");
  g_assert_null (missive_body_part_get_id (part));
}

static void
test_body_errors (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();

  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\")", "part 1 has 6 fields");
  assert_body_fails (parser, "()", "empty list");
  assert_body_fails (parser, "(" TEXT_PART ("PLAIN", 1) ")", "subtype of multipart TEXT is nothing");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" (\"CHARSET\") NIL NIL \"7BIT\" 5 1)", "odd number");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" \"CHARSET\" NIL NIL \"7BIT\" 5 1)",
                     "parameters of part 1 are a string");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" ((\"A\") \"B\") NIL NIL \"7BIT\" 5 1)",
                     "a parameter of part 1 is a list");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" abc 1)", "size \"abc\" is not a number");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" (5) 1)", "size is a list");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1x)", "line count \"1x\"");
  assert_body_fails (parser, "(\"TEXT\" (\"PLAIN\") NIL NIL NIL \"7BIT\" 5 1)", "media subtype is a list");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1 NIL (\"A\" NIL \"x\"))",
                     "disposition of part 1 has 3 items");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1 NIL ((\"A\") NIL))",
                     "disposition type of part 1 is a list");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1 NIL NIL (\"en\" (\"de\")))",
                     "a language of part 1 is a list");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1 NIL NIL NIL (\"loc\"))",
                     "location of part 1 is a list");
  assert_body_fails (parser, "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1 (\"md5\"))", "MD5 is a list");
  assert_body_fails (parser,
                     "(" TEXT_PART ("PLAIN", 1) "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 5 "
                     "(NIL NIL NIL NIL NIL NIL NIL NIL NIL) " TEXT_PART ("PLAIN", 1) " 3) \"MIXED\")",
                     "part 2: ENVELOPE has 9 fields");
  assert_body_fails (parser,
                     "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 5 " NESTED_ENVELOPE ("x") " NIL 3)",
                     "body of message part 1 is NIL");
  assert_body_fails (parser,
                     "(" TEXT_PART ("PLAIN", 1) "(" TEXT_PART ("PLAIN", 1) "(\"TEXT\" \"PLAIN\" NIL) "
                     "\"MIXED\") \"MIXED\")",
                     "part 2.2 has 3 fields");
  assert_body_fails (parser, "NIL", "is NIL, not a list");
}

/* ---- headers ---- */

static void
collect_header (const char *name,
                const char *value,
                gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s=[%s]", name, value));
}

static void
test_fetch_headers (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMessageInfo) info = missive_message_info_new ();
  g_autoptr (GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *block =
    "Return-Path: <ana@example.org>\r\n"
    "Subject: A long subject\r\n"
    "  that was folded\r\n"
    "\ttwice\r\n"
    "From: Ana <ana@example.org>   \r\n"
    "X-Empty:\r\n"
    "X-Latin: caf\xe9\r\n"
    "X-Lf: bare line feed\n"
    "Obsolete : spaced name\r\n"
    "not a header line\r\n"
    "\r\n";
  const MissiveImapResponse *response;
  static const char * const expected[] = {
    "Return-Path=[<ana@example.org>]",
    "Subject=[A long subject  that was folded\ttwice]",
    "From=[Ana <ana@example.org>]",
    "X-Empty=[]",
    "X-Latin=[caf\xc3\xa9]",
    "X-Lf=[bare line feed]",
    "Obsolete=[spaced name]",
  };
  GBytes *raw;

  response = parse (parser, "* 7 FETCH (UID 70 BODY[HEADER] {#}", block, ")", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, collect_header, headers, &error));
  g_assert_no_error (error);
  raw = missive_message_info_get_raw_headers (info);
  g_assert_nonnull (raw);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), block, strlen (block));
  g_assert_cmpuint (headers->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (headers->pdata[i], ==, expected[i]);

  /* Without a callback only the raw block is kept; a header block
   * without the final empty line (or CRLF) loses nothing. */
  g_ptr_array_set_size (headers, 0);
  g_clear_object (&info);
  info = missive_message_info_new ();
  response = parse (parser, "* 7 FETCH (BODY[HEADER.FIELDS (SUBJECT DATE)] {#}",
                    "Subject: last\r\n continued", " UID 70)", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, collect_header, headers, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 1);
  g_assert_cmpstr (headers->pdata[0], ==, "Subject=[last continued]");
  g_assert_nonnull (missive_message_info_get_raw_headers (info));

  /* RFC822.HEADER, and NIL (no header at all). */
  g_ptr_array_set_size (headers, 0);
  response = parse (parser, "* 7 FETCH (RFC822.HEADER {#}", "A: 1\r\nB: 2\r\n\r\n", ")", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, collect_header, headers, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 2);
  response = parse (parser, "* 7 FETCH (BODY[HEADER] NIL)", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, collect_header, headers, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 2);

  /* A part's header is not the message's. */
  g_clear_object (&info);
  info = missive_message_info_new ();
  response = parse (parser, "* 7 FETCH (BODY[2.HEADER] {#}", "C: 3\r\n\r\n", ")", NULL);
  g_assert_true (missive_imap_fetch_to_info (response, info, TRUE, collect_header, headers, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 2);
  g_assert_null (missive_message_info_get_raw_headers (info));
}

/* ---- Gmail and other extensions ---- */

static void
test_fetch_gmail (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMessageInfo) info = fetch_info (parser, TRUE,
    "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334866 "
    "X-GM-LABELS (\\Inbox \\Important \"Muy Importante\" Work \"&AOk-t&AOk-\" \"R&D\" \"a\\\\b\") "
    "UID 1 FLAGS (\\seen))", NULL);
  const char * const *labels = missive_message_info_get_gmail_labels (info);
  static const char * const expected[] = {
    "\\Inbox", "\\Important", "Muy Importante", "Work", "\xc3\xa9t\xc3\xa9", "R&D", "a\\b",
  };

  g_assert_cmpuint (missive_message_info_get_gmail_thread_id (info), ==,
                    G_GUINT64_CONSTANT (1278455344230334865));
  g_assert_cmpuint (missive_message_info_get_gmail_message_id (info), ==,
                    G_GUINT64_CONSTANT (1278455344230334866));
  g_assert_nonnull (labels);
  g_assert_cmpuint (g_strv_length ((char **) labels), ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (labels[i], ==, expected[i]);
  g_assert_true (missive_message_info_has_flag (info, "\\Seen"));

  /* An empty label list is an empty list, not none. */
  g_clear_object (&info);
  info = fetch_info (parser, TRUE, "* 2 FETCH (X-GM-LABELS ())", NULL);
  g_assert_nonnull (missive_message_info_get_gmail_labels (info));
  g_assert_null (missive_message_info_get_gmail_labels (info)[0]);
}

static void
test_fetch_extensions (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMessageInfo) info = fetch_info (parser, TRUE,
    "* 4 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9) "
    "SAVEDATE \"02-Mar-2024 10:00:00 +0100\" PREVIEW \"Hi Bo, the numbers are in\" UID 40)", NULL);
  g_autoptr (MissiveMessageInfo) draft = NULL;
  g_autoptr (MissiveMessageInfo) nil = NULL;

  g_assert_cmpstr (missive_message_info_get_email_id (info), ==, "M6d99ac3275bb4e");
  g_assert_cmpstr (missive_message_info_get_thread_id (info), ==, "T64b478a75b7ea9");
  assert_utc (missive_message_info_get_save_date (info), "2024-03-02T09:00:00Z");
  g_assert_cmpstr (missive_message_info_get_preview (info), ==, "Hi Bo, the numbers are in");

  /* Lenient: the draft's "(FUZZY text)" form of PREVIEW, bare object ids,
   * a literal preview. */
  draft = fetch_info (parser, TRUE, "* 4 FETCH (PREVIEW (FUZZY {#}", "Long \xe2\x9c\x93", ") EMAILID Mabc)", NULL);
  g_assert_cmpstr (missive_message_info_get_preview (draft), ==, "Long \xe2\x9c\x93");
  g_assert_cmpstr (missive_message_info_get_email_id (draft), ==, "Mabc");

  /* NIL: no thread, no save date, no preview. */
  nil = fetch_info (parser, TRUE, "* 4 FETCH (THREADID NIL SAVEDATE NIL PREVIEW NIL INTERNALDATE NIL)", NULL);
  g_assert_null (missive_message_info_get_thread_id (nil));
  g_assert_null (missive_message_info_get_save_date (nil));
  g_assert_null (missive_message_info_get_preview (nil));
  g_assert_null (missive_message_info_get_internal_date (nil));
}

static void
test_fetch_errors (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *line;
    const char *fragment;
  } cases[] = {
    { "* 1 FETCH UID 5", "not one list" },
    { "* 1 FETCH (UID 5) (FLAGS ())", "more than one value" },
    { "* 1 EXISTS", "not a FETCH response" },
    { "* 1 FETCH (UID 5 FLAGS)", "the item FLAGS of FETCH 1 has no value" },
    { "* 1 FETCH (\"UID\" 5)", "an item name in FETCH 1 is a string" },
    { "* 1 FETCH (UID five)", "UID \"five\" is not a number" },
    { "* 1 FETCH (UID 4294967296)", "UID 4294967296 is too large" },
    { "* 1 FETCH (UID 0)", "UID 0" },
    { "* 1 FETCH (UID 5 FLAGS \\Seen)", "FLAGS is an atom, not a list" },
    { "* 1 FETCH (UID 5 FLAGS (\"\\\\Seen\"))", "a flag in FLAGS is a string" },
    { "* 1 FETCH (UID 5 RFC822.SIZE NIL)", "RFC822.SIZE is NIL" },
    { "* 1 FETCH (UID 5 INTERNALDATE \"yesterday\")", "INTERNALDATE \"yesterday\" is not" },
    { "* 1 FETCH (UID 5 INTERNALDATE (1))", "INTERNALDATE is a list" },
    { "* 1 FETCH (UID 5 ENVELOPE NIL)", "ENVELOPE is NIL, not a list" },
    { "* 1 FETCH (UID 5 ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))", "ENVELOPE has 11 fields" },
    { "* 1 FETCH (UID 5 ENVELOPE (NIL (\"s\") NIL NIL NIL NIL NIL NIL NIL NIL))",
      "the subject of ENVELOPE is a list" },
    { "* 1 FETCH (UID 5 ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL))",
      "the to addresses of ENVELOPE: address 1 has 3 fields" },
    { "* 1 FETCH (UID 5 BODYSTRUCTURE (\"TEXT\"))", "BODYSTRUCTURE: part 1 has 1 fields" },
    { "* 1 FETCH (UID 5 MODSEQ (1 2))", "MODSEQ is a list" },
    { "* 1 FETCH (UID 5 MODSEQ (x))", "MODSEQ \"x\" is not a number" },
    { "* 1 FETCH (UID 5 BODY[HEADER] (1))", "BODY[HEADER] is a list" },
    { "* 1 FETCH (UID 5 EMAILID ((x)))", "EMAILID is a list" },
    { "* 1 FETCH (UID 5 X-GM-LABELS \\Inbox)", "X-GM-LABELS is an atom" },
    { "* 1 FETCH (UID 5 X-GM-LABELS ((a)))", "a label in X-GM-LABELS is a list" },
    { "* 1 FETCH (UID 5 X-GM-MSGID -1)", "X-GM-MSGID \"-1\" is not a number" },
    { "* 1 FETCH (UID 5 PREVIEW (FUZZY (x)))", "PREVIEW is a list" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_fetch_fails (parser, cases[i].line, cases[i].fragment);
}

/* ---- LIST, STATUS, SELECT ---- */

static MissiveMailboxInfo *
list_info (MissiveImapParser *parser,
           gboolean           utf7,
           const char        *first,
           ...)
{
  g_autoptr (GError) error = NULL;
  const MissiveImapResponse *response;
  MissiveMailboxInfo *info;
  va_list args;

  va_start (args, first);
  response = parse_va (parser, first, args);
  va_end (args);
  info = missive_imap_mailbox_from_list (response, utf7, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static void
test_list (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMailboxInfo) sent = NULL;
  g_autoptr (MissiveMailboxInfo) flat = NULL;
  g_autoptr (MissiveMailboxInfo) utf7 = NULL;
  g_autoptr (MissiveMailboxInfo) raw = NULL;
  g_autoptr (MissiveMailboxInfo) broken = NULL;
  g_autoptr (MissiveMailboxInfo) literal = NULL;
  g_autoptr (MissiveMailboxInfo) extended = NULL;
  g_autoptr (MissiveMailboxInfo) inbox = NULL;
  g_autoptr (MissiveMailboxInfo) xlist = NULL;
  g_autoptr (MissiveMailboxInfo) lsub = NULL;
  g_autoptr (MissiveMailboxInfo) lsub_parent = NULL;
  const char * const *attributes;

  sent = list_info (parser, TRUE, "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (sent), ==, "Sent Items");
  g_assert_cmpstr (missive_mailbox_info_get_separator (sent), ==, "/");
  g_assert_true (missive_mailbox_info_has_attribute (sent, "\\HasNoChildren"));
  g_assert_cmpstr (missive_mailbox_info_get_special_use (sent), ==, "\\Sent");
  g_assert_false (missive_mailbox_info_get_subscribed (sent));

  /* NIL separator (a flat namespace), lower-case attributes (respelled) */
  flat = list_info (parser, TRUE, "* LIST (\\noselect \\HASCHILDREN) NIL Archive", NULL);
  g_assert_null (missive_mailbox_info_get_separator (flat));
  attributes = missive_mailbox_info_get_attributes (flat);
  g_assert_cmpstr (attributes[0], ==, "\\Noselect");
  g_assert_cmpstr (attributes[1], ==, "\\HasChildren");
  g_assert_cmpstr (missive_mailbox_info_get_name (flat), ==, "Archive");

  /* Modified UTF-7, decoded or not; one that does not decode is kept. */
  utf7 = list_info (parser, TRUE, "* LIST () \".\" \"Entw&APw-rfe.&AOk-t&AOk- &- hiver\"", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (utf7), ==,
                   "Entw\xc3\xbcrfe.\xc3\xa9t\xc3\xa9 & hiver");
  g_assert_cmpstr (missive_mailbox_info_get_separator (utf7), ==, ".");
  raw = list_info (parser, FALSE, "* LIST () \".\" \"Entw&APw-rfe\"", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (raw), ==, "Entw&APw-rfe");
  broken = list_info (parser, TRUE, "* LIST () \"/\" \"R&D\"", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (broken), ==, "R&D");

  /* A name sent as a literal, a separator with a backslash */
  literal = list_info (parser, TRUE, "* LIST (\\Marked) \"\\\\\" {#}", "Projects\\2024", "", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (literal), ==, "Projects\\2024");
  g_assert_cmpstr (missive_mailbox_info_get_separator (literal), ==, "\\");

  /* LIST-EXTENDED data after the name is ignored */
  extended = list_info (parser, TRUE,
                        "* LIST (\\Subscribed \\NonExistent) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\") "
                        "\"OLDNAME\" (\"Bar\"))", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (extended), ==, "Foo");
  g_assert_true (missive_mailbox_info_get_subscribed (extended));
  g_assert_true (missive_mailbox_info_has_attribute (extended, "\\NonExistent"));

  /* INBOX in any case is INBOX */
  inbox = list_info (parser, TRUE, "* LIST (\\HasNoChildren) \"/\" inbox", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (inbox), ==, "INBOX");
  g_clear_object (&inbox);
  /* A mailbox called NIL, sent as an atom */
  inbox = list_info (parser, TRUE, "* LIST () \"/\" NIL", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (inbox), ==, "NIL");

  /* Gmail's XLIST: the localised inbox, XLIST flags with their RFC 6154
   * equivalents */
  xlist = list_info (parser, TRUE, "* XLIST (\\HasNoChildren \\Inbox) \"/\" \"Bo&AO4-te de r&AOk-ception\"", NULL);
  g_assert_cmpstr (missive_mailbox_info_get_name (xlist), ==, "INBOX");
  g_clear_object (&xlist);
  xlist = list_info (parser, TRUE, "* XLIST (\\HasNoChildren \\AllMail) \"/\" \"[Gmail]/All Mail\"", NULL);
  g_assert_true (missive_mailbox_info_has_attribute (xlist, "\\AllMail"));
  g_assert_true (missive_mailbox_info_has_attribute (xlist, "\\All"));
  g_assert_cmpstr (missive_mailbox_info_get_special_use (xlist), ==, "\\All");
  g_clear_object (&xlist);
  xlist = list_info (parser, TRUE, "* XLIST (\\Spam) \"/\" \"[Gmail]/Spam\"", NULL);
  g_assert_true (missive_mailbox_info_has_attribute (xlist, "\\Junk"));

  /* LSUB: subscribed, except a \Noselect parent */
  lsub = list_info (parser, TRUE, "* LSUB () \"/\" \"News/comp.mail\"", NULL);
  g_assert_true (missive_mailbox_info_get_subscribed (lsub));
  lsub_parent = list_info (parser, TRUE, "* LSUB (\\Noselect) \"/\" \"News\"", NULL);
  g_assert_false (missive_mailbox_info_get_subscribed (lsub_parent));
}

static void
test_list_errors (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *line;
    const char *fragment;
  } cases[] = {
    { "* LIST \\Noselect \"/\" \"x\"", "attributes of LIST are an atom" },
    { "* LIST (\\Noselect) \"/\"", "mailbox name of LIST is nothing" },
    { "* LIST (\\Noselect) \"/\" (x)", "mailbox name of LIST is a list" },
    { "* LIST (\\Noselect) (\"/\") \"x\"", "separator of LIST is a list" },
    { "* LSUB (\"\\\\Noselect\") \"/\" \"x\"", "an attribute of LSUB is a string" },
    { "* LIST", "attributes of LIST are nothing" },
    { "* STATUS \"x\" (MESSAGES 1)", "not a LIST response" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MissiveImapResponse *response = parse (parser, cases[i].line, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (MissiveMailboxInfo) info = missive_imap_mailbox_from_list (response, TRUE, &error);

      g_assert_null (info);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("\"%s\" does not mention \"%s\"", error->message, cases[i].fragment);
    }
}

static void
test_status (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMailboxInfo) info = missive_mailbox_info_new ("INBOX");
  g_autoptr (GError) error = NULL;
  const MissiveImapResponse *response;

  response = parse (parser,
                    "* STATUS \"INBOX\" (MESSAGES 231 RECENT 2 UIDNEXT 44292 UIDVALIDITY 1700000001 "
                    "UNSEEN 3 HIGHESTMODSEQ 7011231777 SIZE 123456789012 "
                    "MAILBOXID (F2212ea87-6097-4256-9d51-71338625) APPENDLIMIT NIL DELETED 4 X-VENDOR (a b))",
                    NULL);
  g_assert_cmpstr (response->keyword, ==, "STATUS");
  g_assert_true (missive_imap_apply_status (response->args->next, info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 231);
  g_assert_cmpuint (missive_mailbox_info_get_recent (info), ==, 2);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 44292);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 1700000001);
  g_assert_cmpuint (missive_mailbox_info_get_unseen (info), ==, 3);
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), ==, G_GUINT64_CONSTANT (7011231777));
  g_assert_cmpuint (missive_mailbox_info_get_size (info), ==, G_GUINT64_CONSTANT (123456789012));
  g_assert_cmpstr (missive_mailbox_info_get_mailbox_id (info), ==, "F2212ea87-6097-4256-9d51-71338625");

  /* Only what is there changes; lower-case names are fine. */
  response = parse (parser, "* STATUS blurdybloop (messages 17)", NULL);
  g_assert_true (missive_imap_apply_status (response->args->next, info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 17);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 44292);
}

static void
test_status_errors (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  static const struct
  {
    const char *line;
    const char *fragment;
  } cases[] = {
    { "* STATUS x (MESSAGES)", "STATUS attribute MESSAGES has no value" },
    { "* STATUS x (MESSAGES many)", "STATUS MESSAGES \"many\" is not a number" },
    { "* STATUS x (UIDNEXT 4294967296)", "STATUS UIDNEXT 4294967296 is too large" },
    { "* STATUS x (MESSAGES 3 (UNSEEN) 1)", "a STATUS attribute is a list" },
    { "* STATUS x (MAILBOXID NIL)", "STATUS MAILBOXID" },
    { "* STATUS x MESSAGES", "not a list" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MissiveImapResponse *response = parse (parser, cases[i].line, NULL);
      g_autoptr (MissiveMailboxInfo) info = missive_mailbox_info_new ("x");
      g_autoptr (GError) error = NULL;

      g_assert_false (missive_imap_apply_status (response->args->next, info, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("\"%s\" does not mention \"%s\"", error->message, cases[i].fragment);
      g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 0);
    }
}

static void
test_select (void)
{
  g_autoptr (MissiveImapParser) parser = missive_imap_parser_new ();
  g_autoptr (MissiveMailboxInfo) info = missive_mailbox_info_new ("INBOX");
  static const struct
  {
    const char *line;
    gboolean applies;
  } lines[] = {
    { "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)", TRUE },
    { "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] Flags permitted.", TRUE },
    { "* 1208 EXISTS", TRUE },
    { "* 3 RECENT", TRUE },
    { "* OK [UNSEEN 1150] First unseen.", TRUE },
    { "* OK [UIDVALIDITY 1700000001] UIDs valid", TRUE },
    { "* OK [UIDNEXT 4402] Predicted next UID", TRUE },
    { "* OK [HIGHESTMODSEQ 90210] Highest", TRUE },
    { "* OK [MAILBOXID (Fa1b2c3d4)] Ok", TRUE },
    { "* OK [UIDNEXT soon] Broken", FALSE },
    { "* OK [UNSEEN] Broken", FALSE },
    { "* OK Still here", FALSE },
    { "* 3 EXPUNGE", FALSE },
    { "* LIST () \"/\" INBOX", FALSE },
    { "* NO [UIDNEXT 5] Odd", FALSE },
    { "A0002 OK [UIDNEXT 6] Tagged codes other than READ-* are not SELECT's", FALSE },
    { "A0003 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).", TRUE },
  };
  const char * const *flags;

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      const MissiveImapResponse *response = parse (parser, lines[i].line, NULL);

      if (missive_imap_apply_select_response (response, info) != lines[i].applies)
        g_error ("\"%s\" %s", lines[i].line, lines[i].applies ? "was not applied" : "was applied");
    }
  flags = missive_mailbox_info_get_flags (info);
  g_assert_cmpuint (g_strv_length ((char **) flags), ==, 6);
  g_assert_cmpstr (flags[5], ==, "$Forwarded");
  flags = missive_mailbox_info_get_permanent_flags (info);
  g_assert_cmpuint (g_strv_length ((char **) flags), ==, 7);
  g_assert_cmpstr (flags[6], ==, "\\*");
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 1208);
  g_assert_cmpuint (missive_mailbox_info_get_recent (info), ==, 3);
  g_assert_cmpuint (missive_mailbox_info_get_first_unseen (info), ==, 1150);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 1700000001);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 4402);
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), ==, 90210);
  g_assert_cmpstr (missive_mailbox_info_get_mailbox_id (info), ==, "Fa1b2c3d4");
  g_assert_false (missive_mailbox_info_get_no_modseq (info));
  g_assert_false (missive_mailbox_info_get_read_only (info));

  g_assert_true (missive_imap_apply_select_response (
    parse (parser, "* OK [NOMODSEQ] Sorry, no modseqs", NULL), info));
  g_assert_true (missive_mailbox_info_get_no_modseq (info));
  g_assert_true (missive_imap_apply_select_response (
    parse (parser, "A0004 OK [READ-ONLY] Examine completed", NULL), info));
  g_assert_true (missive_mailbox_info_get_read_only (info));
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/imap-convert/date/parse", test_date_parse);
  g_test_add_func ("/imap-convert/date/round-trip", test_date_round_trip);
  g_test_add_func ("/imap-convert/date/format", test_date_format);
  g_test_add_func ("/imap-convert/set", test_set);
  g_test_add_func ("/imap-convert/fetch/dovecot", test_fetch_dovecot);
  g_test_add_func ("/imap-convert/fetch/updates", test_fetch_updates);
  g_test_add_func ("/imap-convert/fetch/headers", test_fetch_headers);
  g_test_add_func ("/imap-convert/fetch/gmail", test_fetch_gmail);
  g_test_add_func ("/imap-convert/fetch/extensions", test_fetch_extensions);
  g_test_add_func ("/imap-convert/fetch/errors", test_fetch_errors);
  g_test_add_func ("/imap-convert/envelope/rfc2047", test_envelope_rfc2047);
  g_test_add_func ("/imap-convert/envelope/8bit", test_envelope_8bit);
  g_test_add_func ("/imap-convert/address/groups", test_address_groups);
  g_test_add_func ("/imap-convert/address/errors", test_address_errors);
  g_test_add_func ("/imap-convert/body/single-text", test_body_single_text);
  g_test_add_func ("/imap-convert/body/multipart", test_body_multipart);
  g_test_add_func ("/imap-convert/body/attachments", test_body_attachments);
  g_test_add_func ("/imap-convert/body/rfc3501-numbering", test_body_rfc3501_numbering);
  g_test_add_func ("/imap-convert/body/message-single", test_body_message_single);
  g_test_add_func ("/imap-convert/body/deep", test_body_deep);
  g_test_add_func ("/imap-convert/body/lenient", test_body_lenient);
  g_test_add_func ("/imap-convert/body/errors", test_body_errors);
  g_test_add_func ("/imap-convert/list", test_list);
  g_test_add_func ("/imap-convert/list/errors", test_list_errors);
  g_test_add_func ("/imap-convert/status", test_status);
  g_test_add_func ("/imap-convert/status/errors", test_status_errors);
  g_test_add_func ("/imap-convert/select", test_select);

  return g_test_run ();
}
