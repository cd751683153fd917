/* test-trace.c: tests of the masking of credentials in protocol traces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "test-utils.h"

typedef struct {
  const char *name;
  const char *line;
  gsize line_length;  /* 0: strlen (line) */
  const char *masked;
  gsize masked_length; /* 0: strlen (masked) */
} MaskCase;

static const MaskCase mask_cases[] = {
  /* IMAP LOGIN */
  { "imap-login-atom", "A1 LOGIN alice s3cret\r\n", 0, "A1 LOGIN alice ****\r\n", 0 },
  { "imap-login-no-crlf", "A1 LOGIN alice s3cret", 0, "A1 LOGIN alice ****", 0 },
  { "imap-login-lf", "A1 LOGIN alice s3cret\n", 0, "A1 LOGIN alice ****\n", 0 },
  { "imap-login-quoted", "a001 LOGIN \"alice\" \"pass word\"\r\n", 0,
    "a001 LOGIN \"alice\" ****\r\n", 0 },
  { "imap-login-quoted-escapes", "a001 LOGIN alice \"p\\\"a ss\\\\\"\r\n", 0,
    "a001 LOGIN alice ****\r\n", 0 },
  { "imap-login-quoted-user-with-spaces", "a LOGIN \"al ice \\\" x\" hunter2\r\n", 0,
    "a LOGIN \"al ice \\\" x\" ****\r\n", 0 },
  { "imap-login-literal", "A2 LOGIN alice {6}\r\n", 0, "A2 LOGIN alice ****\r\n", 0 },
  { "imap-login-literal-plus", "A2 LOGIN alice {6+}\r\n", 0, "A2 LOGIN alice ****\r\n", 0 },
  { "imap-login-literal-plus-inline", "A2 LOGIN alice {6+}\r\nsecret\r\n", 0,
    "A2 LOGIN alice ****\r\n", 0 },
  { "imap-login-user-literal", "A2 LOGIN {5}\r\n", 0, "A2 LOGIN {5}\r\n", 0 },
  { "imap-login-literal-plus-both", "A2 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n", 0,
    "A2 LOGIN {5+}\r\nalice ****\r\n", 0 },
  { "imap-login-lowercase", "x login Alice Secret\r\n", 0, "x login Alice ****\r\n", 0 },
  { "imap-login-mixed-case", "x LoGiN bob pw\r\n", 0, "x LoGiN bob ****\r\n", 0 },
  { "imap-login-unterminated-user", "x LOGIN \"bob secret\r\n", 0, "x LOGIN ****\r\n", 0 },
  { "imap-login-no-password", "x LOGIN bob\r\n", 0, "x LOGIN bob\r\n", 0 },
  { "imap-login-extra-spaces", "x LOGIN  bob   pw word\r\n", 0, "x LOGIN  bob   ****\r\n", 0 },
  { "imap-login-nul-in-password", "a LOGIN bob se\0cret\r\n", 21, "a LOGIN bob ****\r\n", 0 },
  { "imap-login-nul-in-user", "a LOGIN b\0b secret\r\n", 20, "a LOGIN b\0b ****\r\n", 18 },

  /* IMAP AUTHENTICATE */
  { "imap-authenticate-ir", "A3 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n", 0,
    "A3 AUTHENTICATE PLAIN ****\r\n", 0 },
  { "imap-authenticate-no-ir", "A3 AUTHENTICATE SCRAM-SHA-256\r\n", 0,
    "A3 AUTHENTICATE SCRAM-SHA-256\r\n", 0 },
  { "imap-authenticate-lowercase", "a3 authenticate xoauth2 dXNlcj1\r\n", 0,
    "a3 authenticate xoauth2 ****\r\n", 0 },
  { "imap-authenticate-empty-ir", "A3 AUTHENTICATE PLAIN =\r\n", 0,
    "A3 AUTHENTICATE PLAIN ****\r\n", 0 },

  /* SMTP and POP3 AUTH */
  { "smtp-auth-ir", "AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n", 0, "AUTH PLAIN ****\r\n", 0 },
  { "smtp-auth-no-ir", "AUTH LOGIN\r\n", 0, "AUTH LOGIN\r\n", 0 },
  { "smtp-auth-lowercase", "auth plain AGFsaWNl\r\n", 0, "auth plain ****\r\n", 0 },
  { "pop3-auth-ir", "AUTH XOAUTH2 dXNlcj1hbGljZQ==\r\n", 0, "AUTH XOAUTH2 ****\r\n", 0 },
  { "auth-alone", "AUTH\r\n", 0, "AUTH\r\n", 0 },

  /* POP3 PASS and APOP */
  { "pop3-pass", "PASS hunter2\r\n", 0, "PASS ****\r\n", 0 },
  { "pop3-pass-spaces", "PASS my secret pass\r\n", 0, "PASS ****\r\n", 0 },
  { "pop3-pass-lowercase", "pass hunter2\r\n", 0, "pass ****\r\n", 0 },
  { "pop3-pass-empty", "PASS\r\n", 0, "PASS\r\n", 0 },
  { "pop3-apop", "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n", 0, "APOP mrose ****\r\n", 0 },
  { "pop3-apop-lowercase", "apop mrose c4c9334b\r\n", 0, "apop mrose ****\r\n", 0 },

  /* Nothing to hide */
  { "pop3-user", "USER alice\r\n", 0, "USER alice\r\n", 0 },
  { "imap-select", "A4 SELECT INBOX\r\n", 0, "A4 SELECT INBOX\r\n", 0 },
  { "imap-login-in-mailbox-name", "A4 SELECT LOGIN\r\n", 0, "A4 SELECT LOGIN\r\n", 0 },
  { "smtp-mail", "MAIL FROM:<alice@example.org>\r\n", 0, "MAIL FROM:<alice@example.org>\r\n", 0 },
  { "word-prefix", "PASSWORD x\r\n", 0, "PASSWORD x\r\n", 0 },
  { "authx", "A1 AUTHENTICATEX PLAIN abc\r\n", 0, "A1 AUTHENTICATEX PLAIN abc\r\n", 0 },
  { "empty", "", 0, "", 0 },
  { "crlf-only", "\r\n", 0, "\r\n", 0 },
  { "spaces-only", "   ", 0, "   ", 0 },
  { "nul-in-command", "PA\0SS hunter2\r\n", 15, "PA\0SS hunter2\r\n", 15 },
  { "binary", "\xff\xfe\x01 \x80\r\n", 0, "\xff\xfe\x01 \x80\r\n", 0 },
};

static void
test_mask_table (gconstpointer data)
{
  const MaskCase *mc = data;
  gsize line_length = mc->line_length > 0 ? mc->line_length : strlen (mc->line);
  gsize masked_length = mc->masked_length > 0 ? mc->masked_length : strlen (mc->masked);
  g_autofree char *masked = missive_trace_mask_line (mc->line, line_length);

  g_assert_nonnull (masked);
  g_assert_cmpmem (masked, masked_length, mc->masked, masked_length);
  g_assert_cmpint (masked[masked_length], ==, '\0');

  /* Without an explicit length, the same as far as the first NUL. */
  if (mc->line_length == 0)
    {
      g_autofree char *again = missive_trace_mask_line (mc->line, -1);

      g_assert_cmpstr (again, ==, masked);
    }
}

/* Only the given length is examined. */
static void
test_mask_length (void)
{
  g_autofree char *masked = NULL;

  masked = missive_trace_mask_line ("PASS hunter2", 4);
  g_assert_cmpstr (masked, ==, "PASS");
  g_clear_pointer (&masked, g_free);

  masked = missive_trace_mask_line ("A1 LOGIN bob pw trailing garbage", 15);
  g_assert_cmpstr (masked, ==, "A1 LOGIN bob ****");
  g_clear_pointer (&masked, g_free);

  masked = missive_trace_mask_line (NULL, 0);
  g_assert_cmpstr (masked, ==, "");
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (mask_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/trace/mask/%s", mask_cases[i].name);

      g_test_add_data_func (path, &mask_cases[i], test_mask_table);
    }
  g_test_add_func ("/trace/mask/length", test_mask_length);

  return g_test_run ();
}
