/* test-imap-parser.c: the IMAP response parser and modified UTF-7
 * (plugins/imap/missive-imap-parser.c, missive-imap-utf7.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "missive-imap-parser.h"
#include "missive-imap-utf7.h"

/* ---- helpers -------------------------------------------------------------- */

typedef enum
{
  LITERALS_IN_MEMORY,
  LITERALS_STREAMED,
} LiteralMode;

/* Feeds @wire (lines ending in CRLF, each literal's bytes right after the
 * line that announced it) until one response is complete, as a connection
 * would. *@consumed is how many bytes of @wire that took. */
static MissiveImapParseResult
feed_wire (MissiveImapParser  *parser,
           const char         *wire,
           gsize               wire_length,
           LiteralMode         mode,
           gsize              *consumed,
           GError            **error)
{
  gsize pos = 0;

  for (;;)
    {
      MissiveImapParseResult result;
      gsize line_end = pos;
      gsize next;
      guint64 size = 0;

      while (line_end + 1 < wire_length && !(wire[line_end] == '\r' && wire[line_end + 1] == '\n'))
        line_end++;
      if (line_end + 1 >= wire_length)
        {
          line_end = wire_length;
          next = wire_length;
        }
      else
        {
          next = line_end + 2;
        }

      result = missive_imap_parser_feed_line (parser, wire + pos, line_end - pos, &size, error);
      pos = next;
      if (result != MISSIVE_IMAP_PARSE_NEED_LITERAL)
        {
          if (consumed != NULL)
            *consumed = pos;
          return result;
        }
      g_assert_cmpuint (size, <=, wire_length - pos);
      if (missive_imap_parser_is_failing (parser))
        {
          g_assert_false (missive_imap_parser_literal_fits (parser));
          missive_imap_parser_add_streamed_literal (parser, size);
        }
      else if (mode == LITERALS_STREAMED)
        missive_imap_parser_add_streamed_literal (parser, size);
      else if (!missive_imap_parser_literal_fits (parser))
        missive_imap_parser_skip_literal (parser);
      else
        missive_imap_parser_add_literal (parser, wire + pos, size);
      pos += size;
    }
}

/* Parses @wire, which must be exactly one good response. */
static const MissiveImapResponse *
parse_len (MissiveImapParser *parser,
           const char        *wire,
           gsize              length)
{
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  MissiveImapParseResult result;

  result = feed_wire (parser, wire, length, LITERALS_IN_MEMORY, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, MISSIVE_IMAP_PARSE_COMPLETE);
  g_assert_cmpuint (consumed, ==, length);
  return missive_imap_parser_get_response (parser);
}

static const MissiveImapResponse *
parse (MissiveImapParser *parser,
       const char        *wire)
{
  return parse_len (parser, wire, strlen (wire));
}

/* Parses @wire, which must be exactly one response that fails with @code. */
static const MissiveImapResponse *
parse_fail_len (MissiveImapParser     *parser,
                const char            *wire,
                gsize                  length,
                MissiveImapParseError  code)
{
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  MissiveImapParseResult result;

  result = feed_wire (parser, wire, length, LITERALS_IN_MEMORY, &consumed, &error);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, (int) code);
  g_assert_cmpint (result, ==, MISSIVE_IMAP_PARSE_FAILED);
  g_assert_cmpuint (consumed, ==, length);
  g_test_message ("error (expected): %s", error->message);
  return missive_imap_parser_get_response (parser);
}

static const MissiveImapResponse *
parse_fail (MissiveImapParser     *parser,
            const char            *wire,
            MissiveImapParseError  code)
{
  return parse_fail_len (parser, wire, strlen (wire), code);
}

static void dump_values (GString *out, const MissiveImapValue *first);

/* A canonical text form of a value: atoms as they are, strings quoted
 * (with \" \\ and \xNN for control bytes), "~" before binary literals,
 * lists in parentheses, <streamed N> for streamed literals. */
static void
dump_value (GString                *out,
            const MissiveImapValue *value)
{
  guint n = 0;

  switch (value->type)
    {
    case MISSIVE_IMAP_VALUE_ATOM:
      g_assert_cmpuint (strlen (value->data), ==, value->length);
      g_string_append_len (out, value->data, value->length);
      break;
    case MISSIVE_IMAP_VALUE_STRING:
      g_assert_nonnull (value->data);
      g_assert_cmpint (value->data[value->length], ==, '\0');
      if (value->binary)
        g_string_append_c (out, '~');
      g_string_append_c (out, '"');
      for (gsize i = 0; i < value->length; i++)
        {
          guchar c = value->data[i];

          if (c == '"' || c == '\\')
            g_string_append_printf (out, "\\%c", c);
          else if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, c);
        }
      g_string_append_c (out, '"');
      break;
    case MISSIVE_IMAP_VALUE_NIL:
      g_string_append (out, "NIL");
      break;
    case MISSIVE_IMAP_VALUE_LIST:
      g_string_append_c (out, '(');
      dump_values (out, value->children);
      g_string_append_c (out, ')');
      for (const MissiveImapValue *c = value->children; c != NULL; c = c->next)
        n++;
      g_assert_cmpuint (n, ==, value->length);
      break;
    case MISSIVE_IMAP_VALUE_STREAMED:
      g_string_append_printf (out, "%s<streamed %" G_GUINT64_FORMAT ">",
                              value->binary ? "~" : "", value->streamed_size);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
dump_values (GString                *out,
             const MissiveImapValue *first)
{
  for (const MissiveImapValue *v = first; v != NULL; v = v->next)
    {
      dump_value (out, v);
      if (v->next != NULL)
        g_string_append_c (out, ' ');
    }
}

/* The values from @first on, as text (freed with the test). */
static const char *
dump (const MissiveImapValue *first)
{
  GString *out = g_string_new (NULL);
  char *text;

  dump_values (out, first);
  text = g_string_free (out, FALSE);
  g_test_queue_free (text);
  return text;
}

/* One value alone, as text. */
static const char *
dump1 (const MissiveImapValue *value)
{
  GString *out = g_string_new (NULL);
  char *text;

  g_assert_nonnull (value);
  dump_value (out, value);
  text = g_string_free (out, FALSE);
  g_test_queue_free (text);
  return text;
}

static MissiveImapParser *
new_parser (void)
{
  MissiveImapParser *parser = missive_imap_parser_new ();

  g_test_queue_destroy ((GDestroyNotify) missive_imap_parser_free, parser);
  return parser;
}

/* Checks an untagged keyword response. */
static void
check_keyword (MissiveImapParser *parser,
               const char        *wire,
               const char        *keyword,
               const char        *args)
{
  const MissiveImapResponse *r = parse (parser, wire);

  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_UNTAGGED);
  g_assert_cmpint (r->status, ==, MISSIVE_IMAP_STATUS_NONE);
  g_assert_false (r->has_number);
  g_assert_null (r->tag);
  g_assert_cmpstr (r->keyword, ==, keyword);
  g_assert_cmpstr (dump (r->args), ==, args);
  g_assert_null (r->code);
  g_assert_null (r->text);
}

/* Checks a status response. */
static void
check_status (MissiveImapParser *parser,
              const char        *wire,
              const char        *tag,
              MissiveImapStatus  status,
              const char        *code,
              const char        *code_args,
              const char        *text)
{
  const MissiveImapResponse *r = parse (parser, wire);

  g_assert_cmpint (r->kind, ==, tag != NULL ? MISSIVE_IMAP_RESPONSE_TAGGED
                                            : MISSIVE_IMAP_RESPONSE_UNTAGGED);
  g_assert_cmpstr (r->tag, ==, tag);
  g_assert_cmpint (r->status, ==, status);
  g_assert_false (r->has_number);
  g_assert_null (r->args);
  g_assert_cmpstr (r->code, ==, code);
  g_assert_cmpstr (dump (r->code_args), ==, code_args);
  g_assert_cmpstr (r->text, ==, text);
}

/* ---- status responses ----------------------------------------------------- */

static void
test_tagged (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;

  check_status (parser, "A0001 OK [READ-WRITE] SELECT completed",
                "A0001", MISSIVE_IMAP_STATUS_OK, "READ-WRITE", "", "SELECT completed");
  check_status (parser, "A3 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).",
                "A3", MISSIVE_IMAP_STATUS_OK, "READ-WRITE", "",
                "Select completed (0.002 + 0.000 + 0.001 secs).");
  check_status (parser, "A2 NO [TRYCREATE] Mailbox doesn't exist: Archive/2024",
                "A2", MISSIVE_IMAP_STATUS_NO, "TRYCREATE", "", "Mailbox doesn't exist: Archive/2024");
  check_status (parser, "a7 bad Error in IMAP command UID: Invalid arguments.",
                "a7", MISSIVE_IMAP_STATUS_BAD, NULL, "", "Error in IMAP command UID: Invalid arguments.");
  check_status (parser, "A1 OK LOGIN completed.",
                "A1", MISSIVE_IMAP_STATUS_OK, NULL, "", "LOGIN completed.");
  /* No text at all, or only a code. */
  check_status (parser, "A4 OK", "A4", MISSIVE_IMAP_STATUS_OK, NULL, "", "");
  check_status (parser, "A4 OK ", "A4", MISSIVE_IMAP_STATUS_OK, NULL, "", "");
  check_status (parser, "A5 OK [CLOSED]", "A5", MISSIVE_IMAP_STATUS_OK, "CLOSED", "", "");
  /* Codes with arguments; case of codes and status. */
  check_status (parser, "A6 ok [appenduid 38505 3955] APPEND completed",
                "A6", MISSIVE_IMAP_STATUS_OK, "APPENDUID", "38505 3955", "APPEND completed");
  check_status (parser, "A7 OK [COPYUID 38505 304,319:320 3956:3958] Done",
                "A7", MISSIVE_IMAP_STATUS_OK, "COPYUID", "38505 304,319:320 3956:3958", "Done");
  check_status (parser, "A8 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset",
                "A8", MISSIVE_IMAP_STATUS_NO, "BADCHARSET", "(UTF-8 US-ASCII)", "Unsupported charset");
  check_status (parser, "A9 OK [MODIFIED 7,9] Conditional STORE failed",
                "A9", MISSIVE_IMAP_STATUS_OK, "MODIFIED", "7,9", "Conditional STORE failed");
  /* Text with brackets, quotes and parentheses that do not balance. */
  check_status (parser, "A10 NO Can't open \"mailbox: [it's (locked",
                "A10", MISSIVE_IMAP_STATUS_NO, NULL, "", "Can't open \"mailbox: [it's (locked");
  check_status (parser, "A11 BAD [PARSE] Unexpected ']' or ')' {5}",
                "A11", MISSIVE_IMAP_STATUS_BAD, "PARSE", "", "Unexpected ']' or ')' {5}");
  /* Tags are anything IMAP allows. */
  check_status (parser, "x.y-1]$#!_~ OK done", "x.y-1]$#!_~", MISSIVE_IMAP_STATUS_OK, NULL, "", "done");
  check_status (parser, "0 OK done", "0", MISSIVE_IMAP_STATUS_OK, NULL, "", "done");
  /* Several spaces. */
  check_status (parser, "A12  OK   [ALERT]   spaced", "A12", MISSIVE_IMAP_STATUS_OK, "ALERT", "", "spaced");

  r = parse (parser, "A13 NO [ALERT] Your account is over quota");
  g_assert_cmpstr (r->keyword, ==, "NO");
}

static void
test_untagged_status (void)
{
  MissiveImapParser *parser = new_parser ();

  /* Greetings. */
  check_status (parser, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
                "STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.",
                NULL, MISSIVE_IMAP_STATUS_OK, "CAPABILITY",
                "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN",
                "Dovecot (Debian) ready.");
  check_status (parser, "* OK Gimap ready for requests from 192.0.2.7 a12mb3456789xyz",
                NULL, MISSIVE_IMAP_STATUS_OK, NULL, "", "Gimap ready for requests from 192.0.2.7 a12mb3456789xyz");
  check_status (parser, "* OK The Microsoft Exchange IMAP4 service is ready. "
                "[QQBNADMAUABSADAAMQBDAEEAMAAwADIAMwAuAGUAdQByAHAAcgBk]",
                NULL, MISSIVE_IMAP_STATUS_OK, NULL, "",
                "The Microsoft Exchange IMAP4 service is ready. "
                "[QQBNADMAUABSADAAMQBDAEEAMAAwADIAMwAuAGUAdQByAHAAcgBk]");
  check_status (parser, "* OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE ACL RIGHTS=kxten QUOTA "
                "MAILBOX-REFERRALS NAMESPACE UIDPLUS] mail.example.org Cyrus IMAP 3.8.1 server ready",
                NULL, MISSIVE_IMAP_STATUS_OK, "CAPABILITY",
                "IMAP4rev1 LITERAL+ ID ENABLE ACL RIGHTS=kxten QUOTA MAILBOX-REFERRALS NAMESPACE UIDPLUS",
                "mail.example.org Cyrus IMAP 3.8.1 server ready");
  check_status (parser, "* PREAUTH [CAPABILITY IMAP4rev2] Logged in as alice",
                NULL, MISSIVE_IMAP_STATUS_PREAUTH, "CAPABILITY", "IMAP4rev2", "Logged in as alice");
  check_status (parser, "* BYE Autologout; idle for too long",
                NULL, MISSIVE_IMAP_STATUS_BYE, NULL, "", "Autologout; idle for too long");
  check_status (parser, "* BYE", NULL, MISSIVE_IMAP_STATUS_BYE, NULL, "", "");
  check_status (parser, "* BAD [SERVERBUG] Internal error occurred. Refer to server log for more information.",
                NULL, MISSIVE_IMAP_STATUS_BAD, "SERVERBUG", "",
                "Internal error occurred. Refer to server log for more information.");
  check_status (parser, "* NO [ALERT] Disk quota exceeded [95%]",
                NULL, MISSIVE_IMAP_STATUS_NO, "ALERT", "", "Disk quota exceeded [95%]");

  /* SELECT. */
  check_status (parser, "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] Flags permitted.",
                NULL, MISSIVE_IMAP_STATUS_OK, "PERMANENTFLAGS",
                "(\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)", "Flags permitted.");
  check_status (parser, "* OK [PERMANENTFLAGS ()] No permanent flags permitted",
                NULL, MISSIVE_IMAP_STATUS_OK, "PERMANENTFLAGS", "()", "No permanent flags permitted");
  check_status (parser, "* OK [UIDVALIDITY 3857529045] UIDs valid",
                NULL, MISSIVE_IMAP_STATUS_OK, "UIDVALIDITY", "3857529045", "UIDs valid");
  check_status (parser, "* OK [UIDNEXT 4392] Predicted next UID",
                NULL, MISSIVE_IMAP_STATUS_OK, "UIDNEXT", "4392", "Predicted next UID");
  check_status (parser, "* OK [UNSEEN 12] Message 12 is first unseen",
                NULL, MISSIVE_IMAP_STATUS_OK, "UNSEEN", "12", "Message 12 is first unseen");
  check_status (parser, "* OK [HIGHESTMODSEQ 715194045007]",
                NULL, MISSIVE_IMAP_STATUS_OK, "HIGHESTMODSEQ", "715194045007", "");
  check_status (parser, "* OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Ok",
                NULL, MISSIVE_IMAP_STATUS_OK, "MAILBOXID", "(F2212ea87-6097-4256-9d51-71338625)", "Ok");
  check_status (parser, "* OK [REFERRAL imap://alice@[2001:db8::1]/INBOX;UIDVALIDITY=7] Try there",
                NULL, MISSIVE_IMAP_STATUS_OK, "REFERRAL", "imap://alice@[2001:db8::1]/INBOX;UIDVALIDITY=7",
                "Try there");
  check_status (parser, "* NO [METADATA LONGENTRIES 2000] Some entries were too long",
                NULL, MISSIVE_IMAP_STATUS_NO, "METADATA", "LONGENTRIES 2000", "Some entries were too long");
  /* Unknown codes: values when they are values, else the raw bytes. */
  check_status (parser, "* OK [X-FOO bar \"baz qux\" (1 2)] whatever",
                NULL, MISSIVE_IMAP_STATUS_OK, "X-FOO", "bar \"baz qux\" (1 2)", "whatever");
  check_status (parser, "* OK [X-NOTE It's \"quoted] text",
                NULL, MISSIVE_IMAP_STATUS_OK, "X-NOTE", "\"It's \\\"quoted\"", "text");
  check_status (parser, "* OK [X-LIST (a b] text",
                NULL, MISSIVE_IMAP_STATUS_OK, "X-LIST", "\"(a b\"", "text");
  check_status (parser, "* OK [X-CLOSE a) b] text",
                NULL, MISSIVE_IMAP_STATUS_OK, "X-CLOSE", "\"a) b\"", "text");
  check_status (parser, "* OK [X-SECT a[b c] text",
                NULL, MISSIVE_IMAP_STATUS_OK, "X-SECT", "\"a[b c\"", "text");
  /* A "[" that opens no code is text. */
  check_status (parser, "* OK [no closing bracket", NULL, MISSIVE_IMAP_STATUS_OK, NULL, "", "[no closing bracket");
  check_status (parser, "* OK [] empty", NULL, MISSIVE_IMAP_STATUS_OK, NULL, "", "[] empty");
  check_status (parser, "* OK [(x)] odd", NULL, MISSIVE_IMAP_STATUS_OK, NULL, "", "[(x)] odd");
  check_status (parser, "* OK [ALERT]text", NULL, MISSIVE_IMAP_STATUS_OK, "ALERT", "", "text");
}

static void
test_continuation (void)
{
  MissiveImapParser *parser = new_parser ();
  struct { const char *line; const char *text; } cases[] = {
    { "+ ", "" },
    { "+", "" },
    { "+ idling", "idling" },
    { "+ Ready for literal data", "Ready for literal data" },
    { "+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzmeTxS0dKj8=",
      "YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzmeTxS0dKj8=" },
    { "+ {5}", "{5}" },
    { "+ [ALERT] \"unbalanced ( text", "[ALERT] \"unbalanced ( text" },
    { "+go", "go" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MissiveImapResponse *r = parse (parser, cases[i].line);

      g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_CONTINUATION);
      g_assert_null (r->tag);
      g_assert_null (r->keyword);
      g_assert_null (r->args);
      g_assert_null (r->code);
      g_assert_cmpint (r->status, ==, MISSIVE_IMAP_STATUS_NONE);
      g_assert_cmpstr (r->text, ==, cases[i].text);
    }
}

/* ---- "* n KEYWORD" -------------------------------------------------------- */

static void
test_numbered (void)
{
  MissiveImapParser *parser = new_parser ();
  struct { const char *line; guint32 number; const char *keyword; const char *args; } cases[] = {
    { "* 23 EXISTS", 23, "EXISTS", "" },
    { "* 0 RECENT", 0, "RECENT", "" },
    { "* 44 EXPUNGE", 44, "EXPUNGE", "" },
    { "* 44 expunge", 44, "EXPUNGE", "" },
    { "* 4294967295 EXISTS", G_MAXUINT32, "EXISTS", "" },
    { "* 12 FETCH (FLAGS (\\Seen) UID 4827)", 12, "FETCH", "(FLAGS (\\Seen) UID 4827)" },
    { "*  7  FETCH  (UID 8)", 7, "FETCH", "(UID 8)" },
    { "* 3 X-UNKNOWN a \"b\" NIL", 3, "X-UNKNOWN", "a \"b\" NIL" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MissiveImapResponse *r = parse (parser, cases[i].line);

      g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_UNTAGGED);
      g_assert_true (r->has_number);
      g_assert_cmpuint (r->number, ==, cases[i].number);
      g_assert_cmpstr (r->keyword, ==, cases[i].keyword);
      g_assert_cmpint (r->status, ==, MISSIVE_IMAP_STATUS_NONE);
      g_assert_cmpstr (dump (r->args), ==, cases[i].args);
    }

  parse_fail (parser, "* 4294967296 EXISTS", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 99999999999999999999999 EXISTS", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 3", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 3 ", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 3x EXISTS", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 3 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 3 (FETCH)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 3 FETCH(UID 1)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
}

/* ---- keyword responses ---------------------------------------------------- */

static void
test_capability (void)
{
  MissiveImapParser *parser = new_parser ();

  check_keyword (parser,
                 "* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ LITERAL- SASL-IR AUTH=PLAIN AUTH=XOAUTH2 "
                 "X-GM-EXT-1 APPENDLIMIT=35651584 UTF8=ACCEPT COMPRESS=DEFLATE STATUS=SIZE "
                 "CONTEXT=SEARCH I18NLEVEL=1 SORT=DISPLAY",
                 "CAPABILITY",
                 "IMAP4rev1 IMAP4rev2 LITERAL+ LITERAL- SASL-IR AUTH=PLAIN AUTH=XOAUTH2 X-GM-EXT-1 "
                 "APPENDLIMIT=35651584 UTF8=ACCEPT COMPRESS=DEFLATE STATUS=SIZE CONTEXT=SEARCH "
                 "I18NLEVEL=1 SORT=DISPLAY");
  check_keyword (parser, "* capability imap4rev1", "CAPABILITY", "imap4rev1");
  check_keyword (parser, "* CAPABILITY", "CAPABILITY", "");
  check_keyword (parser, "* ENABLED CONDSTORE QRESYNC", "ENABLED", "CONDSTORE QRESYNC");
  check_keyword (parser, "* ENABLED", "ENABLED", "");
}

static void
test_list (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;

  /* Dovecot. */
  check_keyword (parser, "* LIST (\\HasNoChildren) \".\" INBOX", "LIST", "(\\HasNoChildren) \".\" INBOX");
  check_keyword (parser, "* LIST (\\HasNoChildren \\Sent) \"/\" Sent", "LIST",
                 "(\\HasNoChildren \\Sent) \"/\" Sent");
  check_keyword (parser, "* LIST (\\Noselect \\HasChildren) \"/\" \"Shared Folders\"", "LIST",
                 "(\\Noselect \\HasChildren) \"/\" \"Shared Folders\"");
  check_keyword (parser, "* LIST (\\HasNoChildren) \"/\" \"&ZeVnLIqe-\"", "LIST",
                 "(\\HasNoChildren) \"/\" \"&ZeVnLIqe-\"");
  /* UTF8=ACCEPT: raw UTF-8 in a quoted string and in an atom. */
  check_keyword (parser, "* LIST () \"/\" \"Entwürfe\"", "LIST", "() \"/\" \"Entwürfe\"");
  check_keyword (parser, "* LIST () \"/\" Gelöscht", "LIST", "() \"/\" Gelöscht");
  /* Gmail. */
  check_keyword (parser, "* LIST (\\HasNoChildren \\All) \"/\" \"[Gmail]/All Mail\"", "LIST",
                 "(\\HasNoChildren \\All) \"/\" \"[Gmail]/All Mail\"");
  check_keyword (parser, "* XLIST (\\HasNoChildren \\Inbox) \"/\" \"Inbox\"", "XLIST",
                 "(\\HasNoChildren \\Inbox) \"/\" \"Inbox\"");
  check_keyword (parser, "* LIST (\\HasChildren \\Noselect) \"/\" [Gmail]", "LIST",
                 "(\\HasChildren \\Noselect) \"/\" [Gmail]");
  check_keyword (parser, "* LIST () \"/\" [Gmail]/Spam", "LIST", "() \"/\" [Gmail]/Spam");
  check_keyword (parser, "* LIST () \"/\" foo]bar", "LIST", "() \"/\" foo]bar");
  /* Cyrus, a flat namespace, LSUB. */
  check_keyword (parser, "* LIST (\\HasNoChildren) \".\" INBOX.Sent", "LIST", "(\\HasNoChildren) \".\" INBOX.Sent");
  check_keyword (parser, "* LIST (\\Noinferiors) NIL INBOX", "LIST", "(\\Noinferiors) NIL INBOX");
  check_keyword (parser, "* LSUB () \".\" #news.comp.mail.misc", "LSUB", "() \".\" #news.comp.mail.misc");
  check_keyword (parser, "* LIST () \"\\\\\" \"Public Folders\\\\Team\"", "LIST",
                 "() \"\\\\\" \"Public Folders\\\\Team\"");
  /* LIST-EXTENDED, LIST-STATUS. */
  check_keyword (parser, "* LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                 "LIST", "(\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
  check_keyword (parser, "* LIST () \"/\" Foo (\"OLDNAME\" (\"Bar\"))", "LIST", "() \"/\" Foo (\"OLDNAME\" (\"Bar\"))");

  /* The name as a literal. */
  r = parse (parser, "* LIST (\\HasNoChildren) \"/\" {11}\r\nWeird\"Name)\r\n");
  g_assert_cmpstr (dump (r->args), ==, "(\\HasNoChildren) \"/\" \"Weird\\\"Name)\"");
  g_assert_cmpstr (missive_imap_value_get_string (r->args->next->next), ==, "Weird\"Name)");
}

static void
test_status_and_search (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  guint64 n = 0;

  check_keyword (parser, "* STATUS \"INBOX\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1 UNSEEN 0 SIZE 1234567)",
                 "STATUS", "\"INBOX\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1 UNSEEN 0 SIZE 1234567)");
  check_keyword (parser, "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)", "STATUS",
                 "blurdybloop (MESSAGES 231 UIDNEXT 44292)");
  r = parse (parser, "* STATUS {5}\r\nA (B) (HIGHESTMODSEQ 90060115205545359)\r\n");
  g_assert_cmpstr (dump (r->args), ==, "\"A (B)\" (HIGHESTMODSEQ 90060115205545359)");
  g_assert_true (missive_imap_value_get_number (missive_imap_value_lookup (r->args->next, "highestmodseq"), &n));
  g_assert_cmpuint (n, ==, G_GUINT64_CONSTANT (90060115205545359));

  check_keyword (parser, "* SEARCH 2 84 882", "SEARCH", "2 84 882");
  check_keyword (parser, "* SEARCH", "SEARCH", "");
  check_keyword (parser, "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)", "SEARCH",
                 "2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)");
  check_keyword (parser, "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800 COUNT 15 ALL 7,11:15,3800", "ESEARCH",
                 "(TAG \"A285\") UID MIN 7 MAX 3800 COUNT 15 ALL 7,11:15,3800");
  check_keyword (parser, "* ESEARCH (TAG \"A1\")", "ESEARCH", "(TAG \"A1\")");
  check_keyword (parser, "* SORT 2 3 6", "SORT", "2 3 6");
  check_keyword (parser, "* THREAD (2)(3 6 (4 23)(44 7 96))", "THREAD", "(2) (3 6 (4 23) (44 7 96))");
  check_keyword (parser, "* THREAD ((3)(5))", "THREAD", "((3) (5))");
  check_keyword (parser, "* THREAD", "THREAD", "");
}

static void
test_other_keywords (void)
{
  MissiveImapParser *parser = new_parser ();

  check_keyword (parser, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $Junk NonJunk)",
                 "FLAGS", "(\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $Junk NonJunk)");
  check_keyword (parser, "* FLAGS ()", "FLAGS", "()");
  check_keyword (parser, "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\"))",
                 "NAMESPACE", "((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\") (\"#public/\" \"/\"))");
  check_keyword (parser, "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL", "NAMESPACE", "((\"INBOX.\" \".\")) NIL NIL");
  check_keyword (parser, "* NAMESPACE ((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL", "NAMESPACE",
                 "((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL");
  check_keyword (parser, "* ID (\"name\" \"Dovecot\" \"version\" \"2.3.21\")", "ID",
                 "(\"name\" \"Dovecot\" \"version\" \"2.3.21\")");
  check_keyword (parser, "* ID NIL", "ID", "NIL");
  check_keyword (parser, "* ACL INBOX fred lrswipkxtecda \"-bob\" lr", "ACL", "INBOX fred lrswipkxtecda \"-bob\" lr");
  check_keyword (parser, "* MYRIGHTS INBOX rwiptsldaex", "MYRIGHTS", "INBOX rwiptsldaex");
  check_keyword (parser, "* LISTRIGHTS ~/Mail/saved smith la r swicdkxte", "LISTRIGHTS",
                 "~/Mail/saved smith la r swicdkxte");
  check_keyword (parser, "* QUOTAROOT INBOX \"\"", "QUOTAROOT", "INBOX \"\"");
  check_keyword (parser, "* QUOTAROOT INBOX user.fred", "QUOTAROOT", "INBOX user.fred");
  check_keyword (parser, "* QUOTA \"\" (STORAGE 10 512)", "QUOTA", "\"\" (STORAGE 10 512)");
  check_keyword (parser, "* QUOTA user.fred (STORAGE 1024 10240 MESSAGE 12 1000)", "QUOTA",
                 "user.fred (STORAGE 1024 10240 MESSAGE 12 1000)");
  check_keyword (parser, "* METADATA \"INBOX\" (/private/comment \"My own comment\")", "METADATA",
                 "\"INBOX\" (/private/comment \"My own comment\")");
  check_keyword (parser, "* METADATA \"\" /shared/comment /private/comment", "METADATA",
                 "\"\" /shared/comment /private/comment");
  check_keyword (parser, "* VANISHED (EARLIER) 300:310,405,411", "VANISHED", "(EARLIER) 300:310,405,411");
  check_keyword (parser, "* VANISHED 405,407,410,425", "VANISHED", "405,407,410,425");
  /* Unknown ones are parsed generically. */
  check_keyword (parser, "* X-SOMETHING (a (b \"c\") NIL) {0}\r\n\r\n", "X-SOMETHING", "(a (b \"c\") NIL) \"\"");
  check_keyword (parser, "* x-lower-case", "X-LOWER-CASE", "");
}

/* ---- FETCH ---------------------------------------------------------------- */

static void
test_fetch (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  const MissiveImapValue *items, *envelope, *from, *addr;
  guint64 n = 0;

  /* Dovecot. */
  r = parse (parser,
             "* 12 FETCH (UID 4827 FLAGS (\\Seen $Forwarded) RFC822.SIZE 44827 "
             "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" MODSEQ (12121231000) "
             "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
             "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
             "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
             "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
             "((NIL NIL \"imap\" \"cac.washington.edu\")) "
             "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
             "NIL NIL \"<B27397-0100000@cac.washington.edu>\"))");
  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_UNTAGGED);
  g_assert_true (r->has_number);
  g_assert_cmpuint (r->number, ==, 12);
  g_assert_cmpstr (r->keyword, ==, "FETCH");
  items = r->args;
  g_assert_nonnull (items);
  g_assert_null (items->next);
  g_assert_cmpint (items->type, ==, MISSIVE_IMAP_VALUE_LIST);
  g_assert_cmpuint (items->length, ==, 12);

  g_assert_true (missive_imap_value_get_number (missive_imap_value_lookup (items, "UID"), &n));
  g_assert_cmpuint (n, ==, 4827);
  g_assert_true (missive_imap_value_get_number (missive_imap_value_lookup (items, "rfc822.size"), &n));
  g_assert_cmpuint (n, ==, 44827);
  g_assert_cmpstr (dump1 (missive_imap_value_lookup (items, "FLAGS")), ==, "(\\Seen $Forwarded)");
  g_assert_cmpstr (dump (missive_imap_value_lookup (items, "FLAGS")), ==,
                   "(\\Seen $Forwarded) RFC822.SIZE 44827 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
                   "MODSEQ (12121231000) ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                   "\"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                   "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                   "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                   "((NIL NIL \"imap\" \"cac.washington.edu\")) "
                   "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\") (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
                   "NIL NIL \"<B27397-0100000@cac.washington.edu>\")");
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_lookup (items, "INTERNALDATE")), ==,
                   "17-Jul-1996 02:44:25 -0700");
  g_assert_true (missive_imap_value_get_number (missive_imap_value_nth (missive_imap_value_lookup (items, "MODSEQ"), 0), &n));
  g_assert_cmpuint (n, ==, G_GUINT64_CONSTANT (12121231000));

  envelope = missive_imap_value_lookup (items, "ENVELOPE");
  g_assert_cmpint (envelope->type, ==, MISSIVE_IMAP_VALUE_LIST);
  g_assert_cmpuint (envelope->length, ==, 10);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (envelope, 1)), ==,
                   "IMAP4rev1 WG mtg summary and minutes");
  from = missive_imap_value_nth (envelope, 2);
  addr = missive_imap_value_nth (from, 0);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (addr, 0)), ==, "Terry Gray");
  g_assert_cmpint (missive_imap_value_nth (addr, 1)->type, ==, MISSIVE_IMAP_VALUE_NIL);
  g_assert_null (missive_imap_value_get_string (missive_imap_value_nth (addr, 1)));
  g_assert_cmpint (missive_imap_value_nth (envelope, 7)->type, ==, MISSIVE_IMAP_VALUE_NIL);
  g_assert_null (missive_imap_value_nth (envelope, 10));
  g_assert_cmpuint (missive_imap_value_nth (envelope, 6)->length, ==, 2);

  /* Gmail: labels as atoms and quoted strings with escapes, 64-bit ids. */
  r = parse (parser,
             "* 1 FETCH (X-GM-THRID 1712345678901234567 X-GM-MSGID 1712345678901234568 "
             "X-GM-LABELS (\"\\\\Important\" \"\\\\Inbox\" Work \"Project X\" \"Say \\\"hi\\\"\" \"Überweisung\") "
             "UID 4 FLAGS (\\Seen))");
  items = r->args;
  g_assert_cmpstr (dump1 (missive_imap_value_lookup (items, "X-GM-LABELS")), ==,
                   "(\"\\\\Important\" \"\\\\Inbox\" Work \"Project X\" \"Say \\\"hi\\\"\" \"Überweisung\")");
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (missive_imap_value_lookup (items, "X-GM-LABELS"), 0)),
                   ==, "\\Important");
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (missive_imap_value_lookup (items, "X-GM-LABELS"), 4)),
                   ==, "Say \"hi\"");
  g_assert_true (missive_imap_value_get_number (missive_imap_value_lookup (items, "X-GM-MSGID"), &n));
  g_assert_cmpuint (n, ==, G_GUINT64_CONSTANT (1712345678901234568));
  r = parse (parser, "* 2 FETCH (X-GM-LABELS () UID 5)");
  g_assert_cmpstr (dump (r->args), ==, "(X-GM-LABELS () UID 5)");

  /* Exchange: upper-case NIL in odd places, lower-case keywords. */
  r = parse (parser, "* 1 fetch (uid 31 flags () internaldate \"01-Jan-2024 00:00:00 +0000\" body[] nil)");
  g_assert_cmpstr (r->keyword, ==, "FETCH");
  g_assert_true (missive_imap_value_get_number (missive_imap_value_lookup (r->args, "UID"), &n));
  g_assert_cmpuint (n, ==, 31);
  g_assert_cmpint (missive_imap_value_lookup (r->args, "BODY[]")->type, ==, MISSIVE_IMAP_VALUE_NIL);

  /* Empty and flag-only fetches; PREVIEW, EMAILID, SAVEDATE. */
  r = parse (parser, "* 3 FETCH ()");
  g_assert_cmpstr (dump (r->args), ==, "()");
  r = parse (parser, "* 4 FETCH (FLAGS (\\Recent \\Deleted) PREVIEW \"Hello (there\" EMAILID (M6d99ac3275bb4e) "
             "THREADID NIL SAVEDATE \"15-Nov-2023 10:00:00 +0100\")");
  g_assert_cmpstr (dump (r->args), ==, "(FLAGS (\\Recent \\Deleted) PREVIEW \"Hello (there\" EMAILID (M6d99ac3275bb4e) "
                   "THREADID NIL SAVEDATE \"15-Nov-2023 10:00:00 +0100\")");
}

static void
test_envelope_groups (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  const MissiveImapValue *envelope, *to;

  /* "undisclosed-recipients:;" and a named group with members (RFC 3501
   * 7.4.2: start of group with a NIL host, end with all NIL). */
  r = parse (parser,
             "* 7 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"alice\" \"example.org\")) NIL NIL "
             "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) "
             "((NIL NIL \"Team\" NIL)(\"Bob\" NIL \"bob\" \"example.org\")(NIL NIL NIL NIL)(\"Carol\" NIL \"carol\" \"example.com\")) "
             "NIL \"<a@b>\" NIL))");
  envelope = missive_imap_value_lookup (r->args, "ENVELOPE");
  g_assert_cmpuint (envelope->length, ==, 10);
  g_assert_cmpint (missive_imap_value_nth (envelope, 0)->type, ==, MISSIVE_IMAP_VALUE_NIL);
  g_assert_cmpint (missive_imap_value_nth (envelope, 1)->type, ==, MISSIVE_IMAP_VALUE_NIL);
  to = missive_imap_value_nth (envelope, 5);
  g_assert_cmpstr (dump1 (to), ==, "((NIL NIL \"undisclosed-recipients\" NIL) (NIL NIL NIL NIL))");
  g_assert_cmpuint (missive_imap_value_nth (envelope, 6)->length, ==, 4);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (missive_imap_value_nth (envelope, 6), 0)->children->next->next),
                   ==, "Team");

  /* A subject as a literal (with a CRLF inside), names with quotes. */
  r = parse (parser,
             "* 8 FETCH (ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" {14}\r\nline 1\r\nline 2 "
             "((\"O'Brien, \\\"Pat\\\"\" NIL \"pat\" \"example.ie\")) NIL NIL NIL NIL NIL NIL NIL) UID 9)\r\n");
  envelope = missive_imap_value_lookup (r->args, "ENVELOPE");
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (envelope, 1)), ==, "line 1\r\nline 2");
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (missive_imap_value_nth (missive_imap_value_nth (envelope, 2), 0), 0)),
                   ==, "O'Brien, \"Pat\"");
  g_assert_cmpstr (dump1 (missive_imap_value_lookup (r->args, "UID")), ==, "9");
}

static void
test_bodystructure (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  const MissiveImapValue *bs, *part, *related, *rfc822;
  guint64 n = 0;

  /* multipart/mixed (text/plain, multipart/related (text/html, image/png),
   * message/rfc822 (with its own envelope and body)). */
  r = parse (parser,
             "* 5 FETCH (UID 77 BODYSTRUCTURE ("
             "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\" \"FORMAT\" \"flowed\") NIL NIL \"7BIT\" 1152 23 NIL NIL NIL NIL)"
             "((\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 2048 41 NIL NIL (\"en\" \"de\") NIL)"
             "(\"IMAGE\" \"PNG\" (\"NAME\" \"logo.png\") \"<logo@x>\" \"The logo\" \"BASE64\" 4096 NIL "
             "(\"INLINE\" (\"FILENAME\" \"logo.png\")) NIL NIL) \"RELATED\" (\"BOUNDARY\" \"rel-1\") NIL NIL NIL)"
             "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 342 "
             "(\"Tue, 2 Jan 2024 08:00:00 +0000\" \"Fwd\" ((NIL NIL \"x\" \"y.z\")) NIL NIL NIL NIL NIL NIL NIL) "
             "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 12 1 NIL NIL NIL NIL) 10 NIL "
             "(\"ATTACHMENT\" (\"FILENAME\" \"fwd.eml\")) NIL NIL) "
             "\"MIXED\" (\"BOUNDARY\" \"----=_Part_0\") NIL NIL NIL))");
  bs = missive_imap_value_lookup (r->args, "BODYSTRUCTURE");
  g_assert_nonnull (bs);
  g_assert_cmpuint (bs->length, ==, 8);
  /* The children come first, then the subtype. */
  part = missive_imap_value_nth (bs, 0);
  g_assert_cmpint (part->type, ==, MISSIVE_IMAP_VALUE_LIST);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (part, 1)), ==, "PLAIN");
  g_assert_cmpstr (dump1 (missive_imap_value_nth (part, 2)), ==, "(\"CHARSET\" \"utf-8\" \"FORMAT\" \"flowed\")");
  g_assert_true (missive_imap_value_get_number (missive_imap_value_nth (part, 6), &n));
  g_assert_cmpuint (n, ==, 1152);
  related = missive_imap_value_nth (bs, 1);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (related, 2)), ==, "RELATED");
  g_assert_cmpstr (dump1 (missive_imap_value_nth (missive_imap_value_nth (related, 0), 10)), ==, "(\"en\" \"de\")");
  g_assert_cmpstr (dump1 (missive_imap_value_nth (missive_imap_value_nth (related, 1), 8)), ==,
                   "(\"INLINE\" (\"FILENAME\" \"logo.png\"))");
  rfc822 = missive_imap_value_nth (bs, 2);
  g_assert_cmpuint (rfc822->length, ==, 14);
  g_assert_cmpuint (missive_imap_value_nth (rfc822, 7)->length, ==, 10);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (missive_imap_value_nth (rfc822, 8), 0)), ==, "TEXT");
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_value_nth (bs, 3)), ==, "MIXED");
  g_assert_cmpint (missive_imap_value_nth (bs, 7)->type, ==, MISSIVE_IMAP_VALUE_NIL);

  /* A single part, BODY (non-extensible) form, Exchange's spacing. */
  r = parse (parser, "* 6 FETCH (BODY (\"text\" \"plain\" (\"charset\" \"ISO-8859-1\") NIL NIL \"quoted-printable\" 29 2) UID 6)");
  g_assert_cmpuint (missive_imap_value_lookup (r->args, "BODY")->length, ==, 8);
  r = parse (parser, "* 6 FETCH (UID 6 BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0)(\"text\" \"html\" NIL NIL NIL \"7bit\" 0 0) \"alternative\"))");
  g_assert_cmpstr (dump1 (missive_imap_value_lookup (r->args, "BODYSTRUCTURE")), ==,
                   "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0) (\"text\" \"html\" NIL NIL NIL \"7bit\" 0 0) \"alternative\")");
}

static void
test_sections (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  static const char binary[] =
    "* 2 FETCH (BINARY[1.2] ~{4}\r\n\x01\x00\x02\xff BINARY.SIZE[1.2] 4 BODY[1.2.MIME] \"x\" BODY[]<100> NIL)\r\n";

  r = parse (parser, "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)]<0> {22}\r\nSubject: hi\r\nFrom: x\r\n UID 5)\r\n");
  g_assert_cmpstr (dump (r->args), ==, "(BODY[HEADER.FIELDS (SUBJECT FROM)]<0> \"Subject: hi\\x0d\\x0aFrom: x\\x0d\\x0a\" UID 5)");
  g_assert_true (missive_imap_value_is_atom (r->args->children, "body[header.fields (subject from)]<0>"));

  r = parse_len (parser, binary, sizeof binary - 1);
  g_assert_cmpstr (dump (r->args), ==,
                   "(BINARY[1.2] ~\"\\x01\\x00\\x02\xff\" BINARY.SIZE[1.2] 4 BODY[1.2.MIME] \"x\" BODY[]<100> NIL)");
  g_assert_true (missive_imap_value_nth (r->args, 1)->binary);

  r = parse (parser, "* 3 FETCH (BODY[HEADER.FIELDS.NOT (\"Received\" \"X-Spam]\")] \"x\")");
  g_assert_cmpstr (missive_imap_value_get_string (r->args->children), ==,
                   "BODY[HEADER.FIELDS.NOT (\"Received\" \"X-Spam]\")]");
  r = parse (parser, "* 4 FETCH (BODY[1.TEXT] \"\" BODY[TEXT]<0> \"\")");
  g_assert_cmpstr (dump (r->args), ==, "(BODY[1.TEXT] \"\" BODY[TEXT]<0> \"\")");

  /* Quoted strings with escapes and nested brackets inside a section. */
  r = parse (parser, "* 6 FETCH (BODY[HEADER.FIELDS (\"X-A\\\"]B\" \"C\\\\\" X-[Y])]<5> NIL)");
  g_assert_cmpstr (missive_imap_value_get_string (r->args->children), ==,
                   "BODY[HEADER.FIELDS (\"X-A\\\"]B\" \"C\\\\\" X-[Y])]<5>");
  g_assert_cmpuint (r->args->length, ==, 2);

  /* A section that does not close, or holds a broken string. */
  parse_fail (parser, "* 5 FETCH (BODY[HEADER.FIELDS (SUBJECT) \"x\")", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 5 FETCH (BODY[HEADER.FIELDS (\"SUBJECT)] \"x\")", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  {
    static const char nul[] = "* 5 FETCH (BODY[HEADER.FIELDS (\"SUB\0JECT\")] \"x\")";

    parse_fail_len (parser, nul, sizeof nul - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  }
}

/* ---- strings, literals ---------------------------------------------------- */

static void
test_quoted (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;

  /* Escapes; an unknown escape keeps its backslash; TAB, DEL, UTF-8. */
  r = parse (parser, "* X \"a\\\"b\\\\c\" \"\" \"C:\\dir\" \"tab\there\" \"Entwürfe\" \"\x7f\"");
  g_assert_cmpstr (missive_imap_value_get_string (r->args), ==, "a\"b\\c");
  g_assert_cmpuint (r->args->length, ==, 5);
  g_assert_cmpstr (missive_imap_value_get_string (r->args->next), ==, "");
  g_assert_cmpint (r->args->next->type, ==, MISSIVE_IMAP_VALUE_STRING);
  g_assert_cmpstr (missive_imap_value_get_string (r->args->next->next), ==, "C:\\dir");
  g_assert_cmpstr (dump (r->args), ==, "\"a\\\"b\\\\c\" \"\" \"C:\\\\dir\" \"tab\\x09here\" \"Entwürfe\" \"\\x7f\"");

  /* Quotes next to quotes, lists and atoms. */
  r = parse (parser, "* X (\"a\"\"b\")\"c\"d");
  g_assert_cmpstr (dump (r->args), ==, "(\"a\" \"b\") \"c\" d");

  parse_fail (parser, "* LIST () \"/\" \"INBOX", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* LIST () \"/\" \"INBOX\\\"", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* X \"", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* X \"bare\rCR\"", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* X \"bare\nLF\"", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
}

static void
test_literal_memory (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  static const char with_nul[] = "* 1 FETCH (UID 7 BODY[] {12}\r\nHel\0o\r\nWorld)\r\n";

  r = parse (parser, "* 1 FETCH (UID 7 BODY[] {13}\r\nHello\r\nWorld))\r\n");
  g_assert_cmpstr (dump (r->args), ==, "(UID 7 BODY[] \"Hello\\x0d\\x0aWorld)\")");
  g_assert_cmpuint (missive_imap_value_lookup (r->args, "BODY[]")->length, ==, 13);

  /* NUL bytes inside a literal are data. */
  r = parse_len (parser, with_nul, sizeof with_nul - 1);
  g_assert_cmpuint (missive_imap_value_lookup (r->args, "BODY[]")->length, ==, 12);
  g_assert_cmpint (memcmp (missive_imap_value_lookup (r->args, "BODY[]")->data, "Hel\0o\r\nWorld", 12), ==, 0);
  g_assert_cmpstr (dump (r->args), ==, "(UID 7 BODY[] \"Hel\\x00o\\x0d\\x0aWorld\")");

  /* Several literals, nested, empty, "{n+}", at the top level. */
  r = parse (parser, "* 2 FETCH (BODY[1] {3}\r\nabc BODY[2] {0}\r\n BODY[3] {2+}\r\nxy ENVELOPE (NIL {1}\r\n\" NIL))\r\n");
  g_assert_cmpstr (dump (r->args), ==, "(BODY[1] \"abc\" BODY[2] \"\" BODY[3] \"xy\" ENVELOPE (NIL \"\\\"\" NIL))");
  r = parse (parser, "* LIST () \"/\" {5}\r\nINBOX\r\n");
  g_assert_cmpstr (dump (r->args), ==, "() \"/\" \"INBOX\"");
  r = parse (parser, "* LIST () {1}\r\n/ {5}\r\nINBOX\r\n");
  g_assert_cmpstr (dump (r->args), ==, "() \"/\" \"INBOX\"");
  r = parse (parser, "* SEARCH {1}\r\n1\r\n");
  g_assert_cmpint (r->args->type, ==, MISSIVE_IMAP_VALUE_STRING);

  /* A literal in a response code. */
  r = parse (parser, "A1 NO [BADCHARSET ({5}\r\nUTF-8 US-ASCII)] Charset not supported\r\n");
  g_assert_cmpstr (r->tag, ==, "A1");
  g_assert_cmpint (r->status, ==, MISSIVE_IMAP_STATUS_NO);
  g_assert_cmpstr (r->code, ==, "BADCHARSET");
  g_assert_cmpstr (dump (r->code_args), ==, "(\"UTF-8\" US-ASCII)");
  g_assert_cmpstr (r->text, ==, "Charset not supported");
  r = parse (parser, "* OK [X-FOO {3}\r\na]b]\r\n");
  g_assert_cmpstr (dump (r->code_args), ==, "\"a]b\"");
  g_assert_cmpstr (r->text, ==, "");

  /* Literals only where a value starts; never in text. */
  parse_fail (parser, "* 1 FETCH (BODY[] {5} UID 1)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {5}x", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {}", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {x}", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {-1}", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {5x}", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {5", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  r = parse (parser, "A2 OK text {5}");
  g_assert_cmpstr (r->text, ==, "text {5}");
  /* The response code is not closed after a literal. */
  parse_fail (parser, "* OK [X-FOO {3}\r\nabc\r\n", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  /* Lists left open after a literal. */
  parse_fail (parser, "* 1 FETCH (BODY[] {3}\r\nabc\r\n", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
}

static void
test_literal_context (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  const MissiveImapValue *previous;
  GError *error = NULL;
  guint64 size = 0;
  const char *line;

  line = "* 42 FETCH (UID 1001 FLAGS (\\Seen) BODY[] {26}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, 26);
  g_assert_false (missive_imap_parser_is_failing (parser));
  r = missive_imap_parser_get_partial (parser);
  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_UNTAGGED);
  g_assert_true (r->has_number);
  g_assert_cmpuint (r->number, ==, 42);
  g_assert_cmpstr (r->keyword, ==, "FETCH");
  g_assert_null (r->tag);
  previous = missive_imap_parser_get_previous (parser);
  g_assert_true (missive_imap_value_is_atom (previous, "BODY[]"));
  g_assert_cmpuint (missive_imap_parser_get_depth (parser), ==, 1);
  /* The items so far are there too. */
  g_assert_cmpstr (dump (r->args), ==, "(UID 1001 FLAGS (\\Seen) BODY[])");
  missive_imap_parser_add_streamed_literal (parser, 26);
  line = " BODY[HEADER.FIELDS (SUBJECT DATE)]<0> {42}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_cmpuint (size, ==, 42);
  g_assert_true (missive_imap_value_is_atom (missive_imap_parser_get_previous (parser),
                                             "BODY[HEADER.FIELDS (SUBJECT DATE)]<0>"));
  missive_imap_parser_add_literal (parser, "Subject: x\r\nDate: Mon, 1 Jan 2024 0:00\r\n\r\n", 42);
  line = " BINARY[2] ~{1000000}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_cmpuint (size, ==, 1000000);
  g_assert_true (missive_imap_value_is_atom (missive_imap_parser_get_previous (parser), "BINARY[2]"));
  missive_imap_parser_add_streamed_literal (parser, 1000000);
  line = ")";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_COMPLETE);
  g_assert_no_error (error);
  r = missive_imap_parser_get_response (parser);
  g_assert_cmpstr (dump (r->args), ==,
                   "(UID 1001 FLAGS (\\Seen) BODY[] <streamed 26> BODY[HEADER.FIELDS (SUBJECT DATE)]<0> "
                   "\"Subject: x\\x0d\\x0aDate: Mon, 1 Jan 2024 0:00\\x0d\\x0a\\x0d\\x0a\" "
                   "BINARY[2] ~<streamed 1000000>)");
  g_assert_cmpint (missive_imap_value_lookup (r->args, "BODY[]")->type, ==, MISSIVE_IMAP_VALUE_STREAMED);
  g_assert_null (missive_imap_value_get_string (missive_imap_value_lookup (r->args, "BODY[]")));
  g_assert_false (missive_imap_value_get_number (missive_imap_value_lookup (r->args, "BODY[]"), NULL));

  /* A literal first in its list has no previous value; depth 2. */
  line = "* 3 FETCH (ENVELOPE ({6}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_null (missive_imap_parser_get_previous (parser));
  g_assert_cmpuint (missive_imap_parser_get_depth (parser), ==, 2);
  missive_imap_parser_add_literal (parser, "a date", 6);
  line = " NIL))";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_COMPLETE);
  g_assert_cmpstr (dump (missive_imap_parser_get_response (parser)->args), ==, "(ENVELOPE (\"a date\" NIL))");

  /* At the top level: depth 0. A tagged response's code. */
  line = "* LIST () \"/\" {5}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_cmpuint (missive_imap_parser_get_depth (parser), ==, 0);
  g_assert_cmpstr (missive_imap_value_get_string (missive_imap_parser_get_previous (parser)), ==, "/");
  missive_imap_parser_add_literal (parser, "INBOX", 5);
  g_assert_cmpint (missive_imap_parser_feed_line (parser, "", 0, &size, &error), ==, MISSIVE_IMAP_PARSE_COMPLETE);

  line = "A9 NO [BADCHARSET (UTF-8 {6}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  r = missive_imap_parser_get_partial (parser);
  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (r->tag, ==, "A9");
  g_assert_cmpstr (r->code, ==, "BADCHARSET");
  g_assert_cmpuint (missive_imap_parser_get_depth (parser), ==, 1);
  missive_imap_parser_add_literal (parser, "KOI8-R", 6);
  line = ")] No";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, line, strlen (line), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_COMPLETE);
  r = missive_imap_parser_get_response (parser);
  g_assert_cmpstr (dump (r->code_args), ==, "(UTF-8 \"KOI8-R\")");
  g_assert_cmpstr (r->text, ==, "No");
}

static void
test_literal_streamed (void)
{
  MissiveImapParser *parser = new_parser ();
  static const char wire[] = "* 9 FETCH (UID 10 BODY[] {5}\r\nhello BINARY[1] ~{3}\r\n\x00\x01\x02)\r\n";
  gsize length = sizeof wire - 1;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  const MissiveImapResponse *r;

  g_assert_cmpint (feed_wire (parser, wire, length, LITERALS_STREAMED, &consumed, &error), ==,
                   MISSIVE_IMAP_PARSE_COMPLETE);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, length);
  r = missive_imap_parser_get_response (parser);
  g_assert_cmpstr (dump (r->args), ==, "(UID 10 BODY[] <streamed 5> BINARY[1] ~<streamed 3>)");
  g_assert_cmpuint (missive_imap_value_lookup (r->args, "BODY[]")->streamed_size, ==, 5);
}

/* ---- bad input ------------------------------------------------------------ */

static void
test_nul (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  static const char in_atom[] = "* 1 FETCH (UID 1\0 FLAGS ())";
  static const char in_quoted[] = "* LIST () \"/\" \"IN\0BOX\"";
  static const char in_text[] = "A1 OK done\0 really";
  static const char in_tag[] = "A\0 OK done";
  static const char in_code[] = "* OK [ALERT \0] hm";
  static const char in_continuation[] = "+ abc\0def";
  static const char in_keyword[] = "* CAPA\0BILITY IMAP4rev1";
  static const char in_section[] = "* 1 FETCH (BODY[HEADER\0] NIL)";
  /* A failed line with a literal at its end: the literal is still read. */
  static const char then_literal[] = "* 1 FETCH (UID \0 BODY[] {3}\r\nabc)\r\n";

  parse_fail_len (parser, in_atom, sizeof in_atom - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail_len (parser, in_quoted, sizeof in_quoted - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  r = parse_fail_len (parser, in_text, sizeof in_text - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A1");
  g_assert_cmpint (r->status, ==, MISSIVE_IMAP_STATUS_OK);
  r = parse_fail_len (parser, in_tag, sizeof in_tag - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (r->tag, ==, "A");
  parse_fail_len (parser, in_code, sizeof in_code - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail_len (parser, in_continuation, sizeof in_continuation - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail_len (parser, in_keyword, sizeof in_keyword - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail_len (parser, in_section, sizeof in_section - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail_len (parser, then_literal, sizeof then_literal - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (UID \x01 BODY[] {3+}\r\nabc BINARY[] ~{2}\r\nxy)\r\n",
              MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  /* Other control characters outside strings. */
  parse_fail (parser, "* 1 FETCH (UID\t1)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (UID 1\r)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* X \x7f", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
}

static void
test_unbalanced (void)
{
  MissiveImapParser *parser = new_parser ();

  parse_fail (parser, "* 1 FETCH (UID 1", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH ((UID 1)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH UID 1)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (UID 1))", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* LIST ) \"/\" INBOX", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* X (a) (b)) (c)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* X ((((((((((a)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
}

static void
test_unbalanced_code (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;

  /* In a response code, unbalanced lists make the code's arguments raw. */
  r = parse (parser, "* OK [PERMANENTFLAGS (\\Seen] x");
  g_assert_cmpstr (r->code, ==, "PERMANENTFLAGS");
  g_assert_cmpstr (dump (r->code_args), ==, "\"(\\\\Seen\"");
  g_assert_cmpstr (r->text, ==, "x");
  /* Across lines they fail the response. */
  parse_fail (parser, "* 1 FETCH (BODY[] {2}\r\nab\r\n", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* 1 FETCH (BODY[] {2}\r\nab))\r\n", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
}

static void
test_depth (void)
{
  MissiveImapParser *parser = new_parser ();
  GString *line = g_string_new ("* 1 FETCH ");
  const MissiveImapResponse *r;

  /* Exactly the limit is fine. */
  for (guint i = 0; i < MISSIVE_IMAP_PARSER_DEFAULT_MAX_DEPTH; i++)
    g_string_append_c (line, '(');
  for (guint i = 0; i < MISSIVE_IMAP_PARSER_DEFAULT_MAX_DEPTH; i++)
    g_string_append_c (line, ')');
  r = parse (parser, line->str);
  g_assert_cmpuint (r->args->length, ==, 1);

  /* One more is not; nor is a bomb of a million. */
  g_string_assign (line, "* 1 FETCH ");
  for (guint i = 0; i <= MISSIVE_IMAP_PARSER_DEFAULT_MAX_DEPTH; i++)
    g_string_append_c (line, '(');
  for (guint i = 0; i <= MISSIVE_IMAP_PARSER_DEFAULT_MAX_DEPTH; i++)
    g_string_append_c (line, ')');
  parse_fail (parser, line->str, MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP);
  g_string_assign (line, "* 1 FETCH ");
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (line, '(');
  g_string_append (line, " {3}\r\nabc\r\n");
  parse_fail (parser, line->str, MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP);

  /* A custom limit, also in response codes (no raw fallback there). */
  missive_imap_parser_set_limits (parser, 2, MISSIVE_IMAP_PARSER_DEFAULT_MAX_RESPONSE);
  parse (parser, "* X ((a) (b)) ((c))");
  parse_fail (parser, "* X (((a)))", MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP);
  parse_fail (parser, "* OK [X (((a)))] text", MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP);
  missive_imap_parser_set_limits (parser, 0, MISSIVE_IMAP_PARSER_DEFAULT_MAX_RESPONSE);
  parse (parser, "* SEARCH 1 2");
  parse_fail (parser, "* FLAGS ()", MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP);
  g_string_free (line, TRUE);
}

static void
test_size_limit (void)
{
  MissiveImapParser *parser = new_parser ();
  GString *line = g_string_new ("* SEARCH");
  const MissiveImapResponse *r;
  GError *error = NULL;
  guint64 size = 0;
  const char *l;

  missive_imap_parser_set_limits (parser, 64, 4096);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (line, " %u", i);
  parse (parser, line->str);
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (line, " %u", i);
  parse_fail (parser, line->str, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  /* A long text, a long tag, a long code. */
  g_string_assign (line, "* OK ");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (line, 'x');
  parse_fail (parser, line->str, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_string_assign (line, "");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (line, 'A');
  g_string_append (line, " OK done");
  parse_fail (parser, line->str, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_string_assign (line, "* OK [X-");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (line, 'C');
  g_string_append (line, "] done");
  parse_fail (parser, line->str, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);

  /* A literal larger than what is left: the caller is told not to keep it
   * (literal_fits()), and dropping it fails the response. */
  l = "* 1 FETCH (UID 1 BODY[] {5000}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_cmpuint (size, ==, 5000);
  g_assert_false (missive_imap_parser_is_failing (parser));
  g_assert_false (missive_imap_parser_literal_fits (parser));
  /* The context is there for the caller to find a stream. */
  g_assert_true (missive_imap_value_is_atom (missive_imap_parser_get_previous (parser), "BODY[]"));
  missive_imap_parser_skip_literal (parser);
  g_assert_true (missive_imap_parser_is_failing (parser));
  l = " BODY[1] {2}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_true (missive_imap_parser_is_failing (parser));
  g_assert_false (missive_imap_parser_literal_fits (parser));
  missive_imap_parser_add_literal (parser, "ab", 2);
  g_assert_cmpint (missive_imap_parser_feed_line (parser, ")", 1, &size, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* The same literal streamed: fine. */
  l = "* 1 FETCH (UID 1 BODY[] {5000}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_false (missive_imap_parser_literal_fits (parser));
  missive_imap_parser_add_streamed_literal (parser, 5000);
  g_assert_false (missive_imap_parser_is_failing (parser));
  g_assert_cmpint (missive_imap_parser_feed_line (parser, ")", 1, &size, &error), ==,
                   MISSIVE_IMAP_PARSE_COMPLETE);
  g_assert_no_error (error);
  r = missive_imap_parser_get_response (parser);
  g_assert_cmpstr (dump (r->args), ==, "(UID 1 BODY[] <streamed 5000>)");

  /* Kept in memory anyway: fails, without keeping it. */
  l = "* 1 FETCH (BODY[] {3000}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_false (missive_imap_parser_is_failing (parser));
  g_assert_true (missive_imap_parser_literal_fits (parser));
  {
    g_autofree char *data = g_malloc0 (3000);

    missive_imap_parser_add_literal (parser, data, 3000);
  }
  l = " BODY[1] {3000}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_false (missive_imap_parser_is_failing (parser));
  g_assert_false (missive_imap_parser_literal_fits (parser));
  {
    g_autofree char *data = g_malloc0 (3000);

    missive_imap_parser_add_literal (parser, data, 3000);
  }
  g_assert_cmpint (missive_imap_parser_feed_line (parser, ")", 1, &size, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* The limit is per response: the next one starts afresh. */
  parse (parser, "* SEARCH 1 2 3");
  g_string_free (line, TRUE);
}

static void
test_huge_literal (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  GError *error = NULL;
  guint64 size = 0;
  const char *l;

  /* Sizes that cannot be read fail at once, without a literal. */
  r = parse_fail (parser, "* 1 FETCH (BODY[] {99999999999999999999}", MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_assert_cmpstr (r->keyword, ==, "FETCH");
  parse_fail (parser, "* 1 FETCH (BODY[] {18446744073709551616}", MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  parse_fail (parser, "* 1 FETCH (BODY[] {9223372036854775808}", MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  r = parse_fail (parser, "* 7 X {18446744073709551615}", MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_assert_cmpstr (r->keyword, ==, "X");
  /* Without a readable literal, a "[" with no "]" is only text. */
  r = parse (parser, "A1 NO [X {99999999999999999999999999999999999999999999999999}");
  g_assert_null (r->code);
  g_assert_cmpstr (r->text, ==, "[X {99999999999999999999999999999999999999999999999999}");

  /* The largest size is asked for, and must not be kept in memory. */
  l = "* 1 FETCH (BODY[] {9223372036854775807}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_cmpuint (size, ==, G_MAXINT64);
  g_assert_false (missive_imap_parser_is_failing (parser));
  g_assert_false (missive_imap_parser_literal_fits (parser));
  missive_imap_parser_skip_literal (parser);
  g_assert_cmpint (missive_imap_parser_feed_line (parser, ")", 1, &size, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A literal of a failed response may be streamed too: still failed. */
  l = "* 1 FETCH (BODY[] \x01 {10}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_true (missive_imap_parser_is_failing (parser));
  g_assert_null (missive_imap_parser_get_previous (parser));
  missive_imap_parser_add_streamed_literal (parser, 10);
  g_assert_cmpint (missive_imap_parser_feed_line (parser, ")", 1, &size, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Within a failed response, a size too big to read ends it. */
  {
    static const char failed[] = "* 1 FETCH (UID \"\0\" {99999999999999999999}";

    parse_fail_len (parser, failed, sizeof failed - 1, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  }
  parse (parser, "* 2 EXISTS");
}

static void
test_empty_and_star (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;

  r = parse_fail (parser, "", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_null (r->tag);
  r = parse_fail (parser, "*", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_UNTAGGED);
  parse_fail (parser, "* ", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "*    ", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "*3 EXISTS", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "** OK", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, " OK", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* (a b)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* \"OK\"", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  parse_fail (parser, "* OK[ALERT] x", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  /* The parser goes on. */
  parse (parser, "* 1 EXISTS");
}

static void
test_tags (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;

  r = parse (parser, "A.1 OK x");
  g_assert_cmpstr (r->tag, ==, "A.1");
  r = parse (parser, "tag]1 NO x");
  g_assert_cmpstr (r->tag, ==, "tag]1");
  r = parse (parser, "[tag] BAD x");
  g_assert_cmpstr (r->tag, ==, "[tag]");

  /* Characters IMAP forbids in tags: failed, tag kept. */
  r = parse_fail (parser, "A(1 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A(1");
  r = parse_fail (parser, "A{1 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A{1");
  r = parse_fail (parser, "A\"1 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A\"1");
  r = parse_fail (parser, "A%1 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A%1");
  r = parse_fail (parser, "A+1 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A+1");
  r = parse_fail (parser, "Ä1 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "Ä1");
  r = parse_fail (parser, "A\x01 OK done", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A\x01");

  /* A tag alone, a tagged response that is not a status. */
  r = parse_fail (parser, "A1", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpint (r->kind, ==, MISSIVE_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (r->tag, ==, "A1");
  r = parse_fail (parser, "A1 ", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A1");
  r = parse_fail (parser, "A2 FETCH (UID 1)", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A2");
  g_assert_cmpstr (r->keyword, ==, "FETCH");
  r = parse_fail (parser, "A3 BYE bye", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A3");
  r = parse_fail (parser, "A4 PREAUTH x", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A4");
  r = parse_fail (parser, "A5 OK\x01", MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_assert_cmpstr (r->tag, ==, "A5");
}

/* A failed response is consumed to its end, literals included, and the
 * next one parses. */
static void
test_recovery (void)
{
  MissiveImapParser *parser = new_parser ();
  static const char wire[] =
    /* Fails on its first line, then has two literals to skip. */
    "* 1 FETCH (UID \"bad\0\" BODY[] {5}\r\n"
    "((((( BODY[1] {3}\r\n"
    "{9})\r\n"
    /* Fails after its first literal, then has another. */
    "* 2 FETCH (BODY[] {4}\r\n"
    "abcd)) BODY[2] {2}\r\n"
    "xy)\r\n"
    /* Fails without literals. */
    "* 3 FETCH (UID 3))\r\n"
    "A1 OK [READ-ONLY] done\r\n";
  gsize pos = 0, consumed = 0;
  g_autoptr(GError) error = NULL;
  const MissiveImapResponse *r;

  g_assert_cmpint (feed_wire (parser, wire + pos, sizeof wire - 1 - pos, LITERALS_IN_MEMORY, &consumed, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_clear_error (&error);
  r = missive_imap_parser_get_response (parser);
  g_assert_cmpuint (r->number, ==, 1);
  g_assert_cmpstr (r->keyword, ==, "FETCH");
  pos += consumed;
  g_assert_cmpint (feed_wire (parser, wire + pos, sizeof wire - 1 - pos, LITERALS_IN_MEMORY, &consumed, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_assert_error (error, MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_cmpuint (missive_imap_parser_get_response (parser)->number, ==, 2);
  pos += consumed;
  g_assert_cmpint (feed_wire (parser, wire + pos, sizeof wire - 1 - pos, LITERALS_IN_MEMORY, &consumed, &error), ==,
                   MISSIVE_IMAP_PARSE_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (missive_imap_parser_get_response (parser)->number, ==, 3);
  pos += consumed;
  g_assert_cmpint (feed_wire (parser, wire + pos, sizeof wire - 1 - pos, LITERALS_IN_MEMORY, &consumed, &error), ==,
                   MISSIVE_IMAP_PARSE_COMPLETE);
  g_assert_no_error (error);
  pos += consumed;
  g_assert_cmpuint (pos, ==, sizeof wire - 1);
  r = missive_imap_parser_get_response (parser);
  g_assert_cmpstr (r->tag, ==, "A1");
  g_assert_cmpstr (r->code, ==, "READ-ONLY");
  g_assert_cmpstr (r->text, ==, "done");
  g_assert_null (r->code_args);
  g_assert_null (r->args);
}

static void
test_reset (void)
{
  MissiveImapParser *parser = new_parser ();
  GError *error = NULL;
  guint64 size = 0;
  const char *l;

  /* Mid-response, waiting for a literal. */
  l = "* 1 FETCH (BODY[] {100}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  missive_imap_parser_reset (parser);
  check_keyword (parser, "* SEARCH 1", "SEARCH", "1");

  /* After the literal, in the middle of its lists. */
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  missive_imap_parser_add_streamed_literal (parser, 100);
  missive_imap_parser_reset (parser);
  check_status (parser, "A1 OK x", "A1", MISSIVE_IMAP_STATUS_OK, NULL, "", "x");

  /* While skipping a failed response. */
  l = "* 1 FETCH (BODY[] \x01 {100}";
  g_assert_cmpint (missive_imap_parser_feed_line (parser, l, strlen (l), &size, &error), ==,
                   MISSIVE_IMAP_PARSE_NEED_LITERAL);
  g_assert_true (missive_imap_parser_is_failing (parser));
  missive_imap_parser_skip_literal (parser);
  missive_imap_parser_reset (parser);
  g_assert_false (missive_imap_parser_is_failing (parser));
  check_keyword (parser, "* FLAGS ()", "FLAGS", "()");

  /* After a complete response; reset twice. */
  missive_imap_parser_reset (parser);
  missive_imap_parser_reset (parser);
  check_keyword (parser, "* FLAGS ()", "FLAGS", "()");
  g_assert_no_error (error);
}

/* Many responses through one parser: memory is reused, and a big response
 * does not disturb the small ones after it. */
static void
test_reuse (void)
{
  MissiveImapParser *parser = new_parser ();
  GString *big = g_string_new ("* SEARCH");
  const MissiveImapResponse *r;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (big, " %u", i);
  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i < 1000; i++)
        {
          g_autofree char *line = g_strdup_printf ("* %u FETCH (UID %u FLAGS (\\Seen) RFC822.SIZE %u)", i + 1, i + 100, i * 7);
          guint64 n = 0;

          r = parse (parser, line);
          g_assert_cmpuint (r->number, ==, i + 1);
          g_assert_true (missive_imap_value_get_number (missive_imap_value_lookup (r->args, "UID"), &n));
          g_assert_cmpuint (n, ==, i + 100);
        }
      r = parse (parser, big->str);
      g_assert_cmpuint (missive_imap_value_get_string (r->args) != NULL, ==, TRUE);
      {
        guint count = 0;

        for (const MissiveImapValue *v = r->args; v != NULL; v = v->next)
          count++;
        g_assert_cmpuint (count, ==, 200000);
      }
    }
  g_string_free (big, TRUE);
}

/* ---- value accessors ------------------------------------------------------ */

static void
test_values (void)
{
  MissiveImapParser *parser = new_parser ();
  const MissiveImapResponse *r;
  const MissiveImapValue *list;
  guint64 n = 1;

  r = parse (parser, "* X 0 18446744073709551615 18446744073709551616 12a \"12\" -1 NIL (a 1 B 2 c) (odd 1 name) nil");
  list = r->args;
  g_assert_true (missive_imap_value_get_number (list, &n));
  g_assert_cmpuint (n, ==, 0);
  list = list->next;
  g_assert_true (missive_imap_value_get_number (list, &n));
  g_assert_cmpuint (n, ==, G_MAXUINT64);
  list = list->next;
  g_assert_false (missive_imap_value_get_number (list, &n));
  g_assert_cmpuint (n, ==, G_MAXUINT64);
  list = list->next;
  g_assert_false (missive_imap_value_get_number (list, &n));
  list = list->next;
  g_assert_false (missive_imap_value_get_number (list, &n)); /* a string */
  g_assert_cmpstr (missive_imap_value_get_string (list), ==, "12");
  list = list->next;
  g_assert_false (missive_imap_value_get_number (list, NULL));
  list = list->next;
  g_assert_cmpint (list->type, ==, MISSIVE_IMAP_VALUE_NIL);
  g_assert_null (missive_imap_value_get_string (list));
  g_assert_false (missive_imap_value_is_atom (list, "NIL"));
  g_assert_false (missive_imap_value_get_number (list, NULL));
  list = list->next;
  g_assert_cmpint (list->type, ==, MISSIVE_IMAP_VALUE_LIST);
  g_assert_null (missive_imap_value_get_string (list));
  g_assert_cmpuint (list->length, ==, 5);
  g_assert_true (missive_imap_value_is_atom (missive_imap_value_lookup (list, "a"), "1"));
  g_assert_true (missive_imap_value_is_atom (missive_imap_value_lookup (list, "b"), "2"));
  g_assert_null (missive_imap_value_lookup (list, "c")); /* no value after it */
  g_assert_null (missive_imap_value_lookup (list, "1")); /* values are not names */
  g_assert_null (missive_imap_value_lookup (list, "x"));
  g_assert_true (missive_imap_value_is_atom (missive_imap_value_nth (list, 4), "C"));
  g_assert_null (missive_imap_value_nth (list, 5));
  g_assert_null (missive_imap_value_nth (list, G_MAXUINT));
  g_assert_null (missive_imap_value_nth (list->children, 0)); /* not a list */
  g_assert_null (missive_imap_value_lookup (list->children, "a"));
  g_assert_null (missive_imap_value_lookup (NULL, "a"));
  g_assert_null (missive_imap_value_nth (NULL, 0));
  g_assert_true (missive_imap_value_is_atom (missive_imap_value_lookup (list->next, "name"), "x") == FALSE);
  g_assert_null (missive_imap_value_lookup (list->next, "name"));
  g_assert_cmpint (list->next->next->type, ==, MISSIVE_IMAP_VALUE_NIL);
  g_assert_false (missive_imap_value_is_atom (NULL, "x"));
  g_assert_null (missive_imap_value_get_string (NULL));
  g_assert_false (missive_imap_value_get_number (NULL, NULL));
  g_assert_false (missive_imap_value_is_atom (r->args, "00"));
  g_assert_true (missive_imap_value_is_atom (r->args, "0"));

  /* An empty list. */
  r = parse (parser, "* FLAGS ()");
  g_assert_cmpuint (r->args->length, ==, 0);
  g_assert_null (r->args->children);
  g_assert_null (missive_imap_value_nth (r->args, 0));
  g_assert_null (missive_imap_value_lookup (r->args, "x"));
}

/* ---- modified UTF-7 ------------------------------------------------------- */

static void
check_utf7 (const char *utf8,
            const char *utf7)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = missive_imap_utf7_encode (utf8, -1, &error);
  g_autofree char *decoded = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (encoded, ==, utf7);
  decoded = missive_imap_utf7_decode (utf7, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, utf8);
}

static void
test_utf7_known (void)
{
  /* RFC 3501's example. */
  check_utf7 ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  check_utf7 ("&", "&-");
  check_utf7 ("a&b&&", "a&-b&-&-");
  check_utf7 ("", "");
  check_utf7 ("INBOX", "INBOX");
  check_utf7 ("Entwürfe", "Entw&APw-rfe");
  check_utf7 ("Gelöschte Elemente", "Gel&APY-schte Elemente");
  check_utf7 ("Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-");
  check_utf7 ("😀", "&2D3eAA-");
  check_utf7 ("aéb&c", "a&AOk-b&-c");
  /* Controls are not printable: encoded. */
  check_utf7 ("\t", "&AAk-");
  check_utf7 ("a\x7f", "a&AH8-");
  /* Every printable ASCII character but "&" stands for itself. */
  check_utf7 (" !\"#$%'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", " !\"#$%'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~");

  /* With explicit lengths. */
  {
    g_autofree char *e = missive_imap_utf7_encode ("日本語XXX", 9, NULL);
    g_autofree char *d = missive_imap_utf7_decode ("&ZeVnLIqe-XXX", 10, NULL);

    g_assert_cmpstr (e, ==, "&ZeVnLIqe-");
    g_assert_cmpstr (d, ==, "日本語");
  }
  /* Two shifts in a row are not canonical but RFC 3501 allows them. */
  {
    g_autofree char *d = missive_imap_utf7_decode ("&APw-&APw-", -1, NULL);

    g_assert_cmpstr (d, ==, "üü");
  }
}

static void
test_utf7_roundtrip (void)
{
  for (guint round = 0; round < 2000; round++)
    {
      GString *s = g_string_new (NULL);
      guint n = g_test_rand_int_range (0, 20);
      g_autoptr(GError) error = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;

      for (guint i = 0; i < n; i++)
        {
          gunichar c;

          switch (g_test_rand_int_range (0, 4))
            {
            case 0:
              c = g_test_rand_int_range (0x20, 0x7f);
              break;
            case 1:
              c = g_test_rand_int_range (0x01, 0x800);
              break;
            case 2:
              c = g_test_rand_int_range (0x800, 0x10000);
              break;
            default:
              c = g_test_rand_int_range (0x10000, 0x110000);
              break;
            }
          if (c >= 0xd800 && c <= 0xdfff)
            c = '&';
          g_string_append_unichar (s, c);
        }
      encoded = missive_imap_utf7_encode (s->str, s->len, &error);
      g_assert_no_error (error);
      for (const char *p = encoded; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
      decoded = missive_imap_utf7_decode (encoded, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, s->str);
      g_string_free (s, TRUE);
    }
}

static void
test_utf7_invalid (void)
{
  static const char * const bad_utf7[] = {
    "&",              /* unterminated shift */
    "abc&",
    "&U,BTFw",        /* unterminated after base64 */
    "&U,BTFw-/&ZeV",
    "&U/BTFw-",       /* "/" is not modified base64 */
    "&U=BTFw-",
    "&U BTFw-",
    "&A-",            /* leftover bits, no character */
    "&AA-",
    "&APx-",          /* leftover bits not zero */
    "&APwA-",         /* too many leftover bits */
    "&AGE-",          /* "a" in base64 */
    "&ACY-",          /* "&" in base64 */
    "&ACA-",          /* a space in base64 */
    "&AAA-",          /* NUL */
    "&2D0-",          /* high surrogate alone */
    "&2D0AGE-",       /* high surrogate then "a" */
    "&2D3YPQ-",       /* two high surrogates */
    "&3gA-",          /* low surrogate alone */
    "Entw\xc3\xbcrfe", /* raw 8-bit */
    "tab\there",      /* raw control */
    "\x7f",
    "&-&",
  };
  static const char * const bad_utf8[] = {
    "\xff",
    "a\xc3",
    "\xed\xa0\x80",   /* an encoded surrogate */
    "\xc0\xaf",       /* overlong */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad_utf7); i++)
    {
      g_autoptr(GError) error = NULL;
      char *decoded = missive_imap_utf7_decode (bad_utf7[i], -1, &error);

      g_test_message ("decoding \"%s\"", bad_utf7[i]);
      g_assert_null (decoded);
      g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_utf8); i++)
    {
      g_autoptr(GError) error = NULL;
      char *encoded = missive_imap_utf7_encode (bad_utf8[i], -1, &error);

      g_assert_null (encoded);
      g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
    }
  /* NUL inside an explicit length. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (missive_imap_utf7_encode ("a\0b", 3, &error));
    g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
    g_clear_error (&error);
    g_assert_null (missive_imap_utf7_decode ("a\0b", 3, &error));
    g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imap-parser/tagged", test_tagged);
  g_test_add_func ("/imap-parser/untagged-status", test_untagged_status);
  g_test_add_func ("/imap-parser/continuation", test_continuation);
  g_test_add_func ("/imap-parser/numbered", test_numbered);
  g_test_add_func ("/imap-parser/capability", test_capability);
  g_test_add_func ("/imap-parser/list", test_list);
  g_test_add_func ("/imap-parser/status-search", test_status_and_search);
  g_test_add_func ("/imap-parser/other-keywords", test_other_keywords);
  g_test_add_func ("/imap-parser/fetch", test_fetch);
  g_test_add_func ("/imap-parser/envelope-groups", test_envelope_groups);
  g_test_add_func ("/imap-parser/bodystructure", test_bodystructure);
  g_test_add_func ("/imap-parser/sections", test_sections);
  g_test_add_func ("/imap-parser/quoted", test_quoted);
  g_test_add_func ("/imap-parser/literal-memory", test_literal_memory);
  g_test_add_func ("/imap-parser/literal-context", test_literal_context);
  g_test_add_func ("/imap-parser/literal-streamed", test_literal_streamed);
  g_test_add_func ("/imap-parser/nul", test_nul);
  g_test_add_func ("/imap-parser/unbalanced", test_unbalanced);
  g_test_add_func ("/imap-parser/unbalanced-code", test_unbalanced_code);
  g_test_add_func ("/imap-parser/depth", test_depth);
  g_test_add_func ("/imap-parser/size-limit", test_size_limit);
  g_test_add_func ("/imap-parser/huge-literal", test_huge_literal);
  g_test_add_func ("/imap-parser/empty-and-star", test_empty_and_star);
  g_test_add_func ("/imap-parser/tags", test_tags);
  g_test_add_func ("/imap-parser/recovery", test_recovery);
  g_test_add_func ("/imap-parser/reset", test_reset);
  g_test_add_func ("/imap-parser/reuse", test_reuse);
  g_test_add_func ("/imap-parser/values", test_values);
  g_test_add_func ("/imap-utf7/known", test_utf7_known);
  g_test_add_func ("/imap-utf7/roundtrip", test_utf7_roundtrip);
  g_test_add_func ("/imap-utf7/invalid", test_utf7_invalid);

  return g_test_run ();
}
