/* test-pop3-reply.c: the POP3 reply parser on its own (no I/O)
 *
 * Status lines and RFC 2449 response codes, the mapping of -ERR to
 * errors, the lines of multi-line replies (the terminator and
 * dot-unstuffing), STAT/LIST/UIDL items, CAPA's EXPIRE and LOGIN-DELAY
 * arguments and the APOP timestamp, with over-long and malformed input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "missive-pop3-reply.h"
#include "test-utils.h"

/* ---- status lines ---------------------------------------------------------------- */

typedef struct
{
  const char *line;
  gboolean ok;
  const char *code;   /* NULL: none */
  const char *text;
} StatusCase;

static const StatusCase status_cases[] = {
  { "+OK", TRUE, NULL, "" },
  { "-ERR", FALSE, NULL, "" },
  { "+OK 2 320", TRUE, NULL, "2 320" },
  { "+OK   spaces before", TRUE, NULL, "spaces before" },
  { "-ERR no such message", FALSE, NULL, "no such message" },
  { "-ERR [IN-USE] Mailbox locked", FALSE, "IN-USE", "Mailbox locked" },
  { "-ERR [SYS/TEMP]", FALSE, "SYS/TEMP", "" },
  { "-ERR [AUTH]no space after", FALSE, "AUTH", "no space after" },
  { "+OK [X-CODE] fine", TRUE, "X-CODE", "fine" },
  /* "[]" or no closing bracket: not a code, kept as text */
  { "-ERR [] empty", FALSE, NULL, "[] empty" },
  { "-ERR [unclosed code", FALSE, NULL, "[unclosed code" },
  /* a code in the middle of the text is text */
  { "-ERR text [AUTH] later", FALSE, NULL, "text [AUTH] later" },
};

static void
test_status_lines (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      const StatusCase *c = &status_cases[i];
      MissivePop3Status status;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", c->line);
      g_assert_true (missive_pop3_parse_status (c->line, strlen (c->line), &status, &error));
      g_assert_no_error (error);
      g_assert_cmpint (status.ok, ==, c->ok);
      g_assert_cmpstr (status.code, ==, c->code);
      g_assert_cmpstr (status.text, ==, c->text);
      missive_pop3_status_clear (&status);
      g_assert_null (status.code);
      g_assert_null (status.text);
    }
}

static void
test_status_bad (void)
{
  const char *bad[] = {
    "", "+", "+O", "+ok", "-err no", "+OKAY", "-ERRor", "* OK imap", "OK", "+ OK", " +OK",
    "250 smtp",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      MissivePop3Status status;
      g_autoptr(GError) error = NULL;

      g_test_message ("“%s”", bad[i]);
      g_assert_false (missive_pop3_parse_status (bad[i], strlen (bad[i]), &status, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      g_assert_null (status.text);
    }
}

/* The length is honoured (no NUL needed), NUL bytes and invalid UTF-8 in
 * the text are made valid, a very long line is taken whole, and a very
 * long "code" is not a code. */
static void
test_status_odd_bytes (void)
{
  const char with_nul[] = "-ERR bad\0byte and more";
  const char invalid[] = "+OK caf\xe9 \xff";
  MissivePop3Status status;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = g_strnfill (100000, 'x');
  g_autofree char *long_line = g_strconcat ("+OK ", long_text, NULL);
  g_autofree char *long_code = g_strnfill (65, 'C');
  g_autofree char *code_line = g_strdup_printf ("-ERR [%s] text", long_code);
  g_autofree char *max_code = g_strnfill (64, 'C');
  g_autofree char *max_line = g_strdup_printf ("-ERR [%s] text", max_code);

  /* Only the first 7 bytes: "+OK 2 3" */
  g_assert_true (missive_pop3_parse_status ("+OK 2 320 more", 7, &status, &error));
  g_assert_cmpstr (status.text, ==, "2 3");
  missive_pop3_status_clear (&status);

  g_assert_true (missive_pop3_parse_status (with_nul, sizeof with_nul - 1, &status, &error));
  g_assert_false (status.ok);
  g_assert_true (g_utf8_validate (status.text, -1, NULL));
  g_assert_true (g_str_has_prefix (status.text, "bad"));
  missive_pop3_status_clear (&status);

  g_assert_true (missive_pop3_parse_status (invalid, sizeof invalid - 1, &status, &error));
  g_assert_true (g_utf8_validate (status.text, -1, NULL));
  g_assert_true (g_str_has_prefix (status.text, "caf"));
  missive_pop3_status_clear (&status);

  g_assert_true (missive_pop3_parse_status (long_line, strlen (long_line), &status, &error));
  g_assert_cmpuint (strlen (status.text), ==, 100000);
  missive_pop3_status_clear (&status);

  g_assert_true (missive_pop3_parse_status (code_line, strlen (code_line), &status, &error));
  g_assert_null (status.code);
  g_assert_true (g_str_has_prefix (status.text, "[CCC"));
  missive_pop3_status_clear (&status);

  g_assert_true (missive_pop3_parse_status (max_line, strlen (max_line), &status, &error));
  g_assert_cmpstr (status.code, ==, max_code);
  g_assert_cmpstr (status.text, ==, "text");
  missive_pop3_status_clear (&status);

  /* A garbage line in the error message is cut and made valid. */
  {
    g_autofree char *garbage = g_strnfill (5000, '\xff');

    g_assert_false (missive_pop3_parse_status (garbage, 5000, &status, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_cmpuint (strlen (error->message), <, 600);
  }
}

/* ---- RESP-CODES to errors ---------------------------------------------------------- */

typedef struct
{
  const char *line;
  int code;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "-ERR [AUTH] bad password", MISSIVE_ERROR_AUTHENTICATION_FAILED },
  { "-ERR [auth] lower case", MISSIVE_ERROR_AUTHENTICATION_FAILED },
  { "-ERR [SYS/TEMP] later", MISSIVE_ERROR_SERVER_TEMPORARY },
  { "-ERR [SYS/TEMP/DISK] hierarchical", MISSIVE_ERROR_SERVER_TEMPORARY },
  { "-ERR [SYS/PERM] never", MISSIVE_ERROR_SERVER_PERMANENT },
  { "-ERR [IN-USE] locked", MISSIVE_ERROR_SERVER_TEMPORARY },
  { "-ERR [LOGIN-DELAY] too soon", MISSIVE_ERROR_SERVER_TEMPORARY },
  /* unknown codes, a prefix that is not a hierarchy, no code: the default */
  { "-ERR [X-UNKNOWN] what", MISSIVE_ERROR_SERVER_NO },
  { "-ERR [AUTHX] not AUTH", MISSIVE_ERROR_SERVER_NO },
  { "-ERR [SYS] only the top", MISSIVE_ERROR_SERVER_NO },
  { "-ERR plain", MISSIVE_ERROR_SERVER_NO },
};

static void
test_status_to_error (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      MissivePop3Status status;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) mapped = NULL;

      g_test_message ("%s", c->line);
      g_assert_true (missive_pop3_parse_status (c->line, strlen (c->line), &status, &error));
      mapped = missive_pop3_status_to_error (&status, MISSIVE_ERROR_SERVER_NO, "RETR");
      g_assert_error (mapped, MISSIVE_ERROR, c->code);
      g_assert_true (g_str_has_prefix (mapped->message, "RETR failed: "));
      g_assert_cmpstr (missive_error_get_server_text (mapped), ==, status.text);
      g_assert_cmpstr (missive_error_get_response_code (mapped), ==, status.code);
      missive_pop3_status_clear (&status);
    }
}

/* ---- multi-line replies ------------------------------------------------------------- */

typedef struct
{
  const char *line;
  gboolean more;       /* FALSE: the terminator */
  const char *data;
} UnstuffCase;

static const UnstuffCase unstuff_cases[] = {
  { ".", FALSE, NULL },
  { "", TRUE, "" },
  { "..", TRUE, "." },
  { "...", TRUE, ".." },
  { ".x", TRUE, "x" },        /* not stuffed by the rules, unstuffed anyway */
  { "..x", TRUE, ".x" },
  { "x.", TRUE, "x." },
  { " .", TRUE, " ." },
  { "text", TRUE, "text" },
};

static void
test_unstuff (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (unstuff_cases); i++)
    {
      const UnstuffCase *c = &unstuff_cases[i];
      const char *data = NULL;
      gsize length = 0;
      gboolean more;

      g_test_message ("“%s”", c->line);
      more = missive_pop3_unstuff (c->line, strlen (c->line), &data, &length);
      g_assert_cmpint (more, ==, c->more);
      if (more)
        g_assert_cmpmem (data, length, c->data, strlen (c->data));
    }
}

/* A whole multi-line reply split into lines as the reader does: the
 * reply ends at the first lone ".", later lines are not part of it, and
 * a reply without its terminator is not complete. */
static gboolean
collect_reply (const char  *wire,
               GString     *out,
               const char **rest)
{
  const char *p = wire;

  while (*p != '\0')
    {
      const char *eol = strstr (p, "\r\n");
      const char *data;
      gsize length;

      if (eol == NULL)
        break;    /* a partial line: wait for more */
      if (!missive_pop3_unstuff (p, eol - p, &data, &length))
        {
          *rest = eol + 2;
          return TRUE;
        }
      g_string_append_len (out, data, length);
      g_string_append (out, "\r\n");
      p = eol + 2;
    }
  *rest = p;
  return FALSE;
}

static void
test_multiline_termination (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *rest = NULL;

  g_assert_true (collect_reply ("Subject: a\r\n\r\n..\r\n.. two\r\n.\r\n+OK next\r\n", out, &rest));
  g_assert_cmpstr (out->str, ==, "Subject: a\r\n\r\n.\r\n. two\r\n");
  g_assert_cmpstr (rest, ==, "+OK next\r\n");

  /* ". " is a line with a space, not the end. */
  g_string_truncate (out, 0);
  g_assert_true (collect_reply (". \r\n.\r\n", out, &rest));
  g_assert_cmpstr (out->str, ==, " \r\n");

  /* No terminator, or one without its CRLF: incomplete. */
  g_string_truncate (out, 0);
  g_assert_false (collect_reply ("1 100\r\n2 200\r\n", out, &rest));
  g_assert_cmpstr (rest, ==, "");
  g_string_truncate (out, 0);
  g_assert_false (collect_reply ("1 100\r\n.", out, &rest));
  g_assert_cmpstr (rest, ==, ".");

  /* An empty reply. */
  g_string_truncate (out, 0);
  g_assert_true (collect_reply (".\r\n", out, &rest));
  g_assert_cmpuint (out->len, ==, 0);
}

/* ---- STAT, LIST, UIDL items ------------------------------------------------------------ */

static void
test_scan (void)
{
  guint32 n = 0;
  guint64 size = 0;

  g_assert_true (missive_pop3_parse_scan ("2 320", &n, &size));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (size, ==, 320);
  g_assert_true (missive_pop3_parse_scan ("1 120 more text", &n, &size));
  g_assert_cmpuint (size, ==, 120);
  g_assert_true (missive_pop3_parse_scan ("0 0", &n, &size));
  g_assert_true (missive_pop3_parse_scan ("4294967295 18446744073709551615", &n, &size));
  g_assert_cmpuint (n, ==, G_MAXUINT32);
  g_assert_cmpuint (size, ==, G_MAXUINT64);

  g_assert_false (missive_pop3_parse_scan ("4294967296 1", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("1 18446744073709551616", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("1", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("1 ", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("-1 10", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("1 10x", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("a 10", &n, &size));
  g_assert_false (missive_pop3_parse_scan ("1\t10", &n, &size));
  g_assert_false (missive_pop3_parse_scan (" 1 10", &n, &size));
}

static void
test_uidl (void)
{
  guint32 n = 0;
  char *uidl = NULL;
  g_autofree char *max = g_strnfill (70, 'u');
  g_autofree char *max_line = g_strconcat ("3 ", max, NULL);
  g_autofree char *over = g_strnfill (71, 'u');
  g_autofree char *over_line = g_strconcat ("3 ", over, NULL);

  g_assert_true (missive_pop3_parse_uidl ("1 whqtswO00WBw418f9t5JxYwZ", &n, &uidl));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (uidl, ==, "whqtswO00WBw418f9t5JxYwZ");
  g_clear_pointer (&uidl, g_free);

  /* Any printable character but space, 1 to 70 of them. */
  g_assert_true (missive_pop3_parse_uidl ("2 !~[]=:.", &n, &uidl));
  g_assert_cmpstr (uidl, ==, "!~[]=:.");
  g_clear_pointer (&uidl, g_free);
  g_assert_true (missive_pop3_parse_uidl (max_line, &n, &uidl));
  g_assert_cmpstr (uidl, ==, max);
  g_clear_pointer (&uidl, g_free);
  g_assert_true (missive_pop3_parse_uidl ("4 abc trailing", &n, &uidl));
  g_assert_cmpstr (uidl, ==, "abc");
  g_clear_pointer (&uidl, g_free);

  g_assert_false (missive_pop3_parse_uidl (over_line, &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("0 abc", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("1", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("1 ", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("x abc", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("1 ab\x7f" "c", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("1 caf\xc3\xa9", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("1 a\tb", &n, &uidl));
  g_assert_false (missive_pop3_parse_uidl ("99999999999 abc", &n, &uidl));
  g_assert_null (uidl);
}

/* ---- CAPA arguments, APOP timestamp --------------------------------------------------- */

typedef struct
{
  const char *args;
  gboolean allow_never;
  gboolean ok;
  int value;
  gboolean per_user;
} CapaCase;

static const CapaCase capa_cases[] = {
  { " 0", TRUE, TRUE, 0, FALSE },
  { " 31", TRUE, TRUE, 31, FALSE },
  { " NEVER", TRUE, TRUE, G_MAXINT, FALSE },
  { " never", TRUE, TRUE, G_MAXINT, FALSE },
  { " 5 USER", TRUE, TRUE, 5, TRUE },
  { " 5 user ", TRUE, TRUE, 5, TRUE },
  { " NEVER USER", TRUE, TRUE, G_MAXINT, TRUE },
  { " 900", FALSE, TRUE, 900, FALSE },
  { " 900 USER", FALSE, TRUE, 900, TRUE },
  { " NEVER", FALSE, FALSE, 0, FALSE },
  { "", TRUE, FALSE, 0, FALSE },
  { " ", TRUE, FALSE, 0, FALSE },
  { " -1", TRUE, FALSE, 0, FALSE },
  { " 5days", TRUE, FALSE, 0, FALSE },
  { " 5 USERS", TRUE, FALSE, 0, FALSE },
  { " 5 USER X", TRUE, FALSE, 0, FALSE },
  { " NEVERMORE", TRUE, FALSE, 0, FALSE },
  { " 99999999999999999999", TRUE, FALSE, 0, FALSE },
  { " 2147483647", TRUE, FALSE, 0, FALSE },   /* G_MAXINT is NEVER's */
  { " 2147483646", TRUE, TRUE, G_MAXINT - 1, FALSE },
};

static void
test_capa_numbers (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (capa_cases); i++)
    {
      const CapaCase *c = &capa_cases[i];
      int value = -7;
      gboolean per_user = -7;
      gboolean ok;

      g_test_message ("“%s”", c->args);
      ok = missive_pop3_parse_capa_number (c->args, c->allow_never, &value, &per_user);
      g_assert_cmpint (ok, ==, c->ok);
      if (ok)
        {
          g_assert_cmpint (value, ==, c->value);
          g_assert_cmpint (per_user, ==, c->per_user);
        }
      else
        g_assert_cmpint (value, ==, -7);
    }
}

static void
test_timestamp (void)
{
  g_autofree char *rfc = missive_pop3_greeting_timestamp ("POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
  g_autofree char *first = missive_pop3_greeting_timestamp ("<a@b> and <c@d>");
  g_autofree char *huge_inside = g_strnfill (600, 'x');
  g_autofree char *huge = g_strdup_printf ("<%s@y>", huge_inside);

  g_assert_cmpstr (rfc, ==, "<1896.697170952@dbc.mtview.ca.us>");
  g_assert_cmpstr (first, ==, "<a@b>");
  g_assert_null (missive_pop3_greeting_timestamp ("ready"));
  g_assert_null (missive_pop3_greeting_timestamp ("<1896.697170952>"));
  g_assert_null (missive_pop3_greeting_timestamp ("<unclosed@x"));
  g_assert_null (missive_pop3_greeting_timestamp ("<sp ace@x>"));
  g_assert_null (missive_pop3_greeting_timestamp ("<caf\xc3\xa9@x>"));
  g_assert_null (missive_pop3_greeting_timestamp (huge));
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/pop3-reply/status/lines", test_status_lines);
  g_test_add_func ("/pop3-reply/status/bad", test_status_bad);
  g_test_add_func ("/pop3-reply/status/odd-bytes", test_status_odd_bytes);
  g_test_add_func ("/pop3-reply/status/to-error", test_status_to_error);
  g_test_add_func ("/pop3-reply/multiline/unstuff", test_unstuff);
  g_test_add_func ("/pop3-reply/multiline/termination", test_multiline_termination);
  g_test_add_func ("/pop3-reply/items/scan", test_scan);
  g_test_add_func ("/pop3-reply/items/uidl", test_uidl);
  g_test_add_func ("/pop3-reply/capa/numbers", test_capa_numbers);
  g_test_add_func ("/pop3-reply/greeting/timestamp", test_timestamp);

  return g_test_run ();
}
