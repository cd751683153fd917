/* fuzz-pop3-reply.c: libFuzzer target for the POP3 reply parser
 * (plugins/pop3/missive-pop3-reply.c)
 *
 * The input is what the "server" sends, cut into lines at each LF (a CR
 * before it is dropped), as the connection's reader does. The first line
 * is a status line; while a multi-line reply is open (after a status line
 * that parses as +OK), each following line goes through the dot-unstuffing
 * code until the terminating "."; after it, the next line is a status line
 * again. Every line is also tried as a STAT/LIST item, a UIDL item, a
 * greeting (APOP timestamp) and, when it is a -ERR reply, as an error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "missive-pop3-reply.h"

#define FUZZ_MAX_LINES 4096

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_items (const char *text)
{
  guint32 number = 0;
  guint64 size = 0;
  char *uidl = NULL;
  char *stamp;

  (void) missive_pop3_parse_scan (text, &number, &size);

  if (missive_pop3_parse_uidl (text, &number, &uidl))
    {
      gsize n;

      g_assert_nonnull (uidl);
      n = strlen (uidl);
      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (n, <=, 70);
      for (const char *p = uidl; *p != '\0'; p++)
        g_assert_true (*p >= 0x21 && *p <= 0x7e);
      g_free (uidl);
    }

  stamp = missive_pop3_greeting_timestamp (text);
  if (stamp != NULL)
    {
      g_assert_true (stamp[0] == '<');
      g_assert_nonnull (strchr (stamp, '@'));
      g_assert_true (stamp[strlen (stamp) - 1] == '>');
      g_free (stamp);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *p = (const char *) data;
  const char *end = p + size;
  gboolean multi_line = FALSE;
  guint lines = 0;

  while (p < end && lines++ < FUZZ_MAX_LINES)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      gsize length = line_end - p;
      char *copy;

      if (length > 0 && p[length - 1] == '\r')
        length--;
      /* The parsers of items take NUL-terminated text. */
      copy = g_strndup (p, length);

      if (multi_line)
        {
          const char *out = NULL;
          gsize out_length = 0;

          if (missive_pop3_unstuff (p, length, &out, &out_length))
            {
              g_assert_nonnull (out);
              g_assert_cmpuint (out_length, <=, length);
              g_assert_true (out >= p && out + out_length <= p + length);
              if (length > 0 && p[0] == '.')
                g_assert_cmpuint (out_length, ==, length - 1);
              else
                g_assert_cmpuint (out_length, ==, length);
            }
          else
            {
              g_assert_true (length == 1 && p[0] == '.');
              multi_line = FALSE;
            }
        }
      else
        {
          MissivePop3Status status = { 0, };
          GError *error = NULL;

          if (missive_pop3_parse_status (p, length, &status, &error))
            {
              GError *reply_error;

              g_assert_null (error);
              g_assert_nonnull (status.text);
              reply_error = missive_pop3_status_to_error (&status, MISSIVE_ERROR_PROTOCOL,
                                                          (length & 1) ? "RETR" : "STAT");
              g_assert_nonnull (reply_error);
              g_assert_nonnull (reply_error->message);
              g_error_free (reply_error);
              check_items (status.text);
              multi_line = status.ok;
            }
          else
            {
              g_assert_nonnull (error);
              g_error_free (error);
            }
          missive_pop3_status_clear (&status);
          /* Clearing twice must be harmless. */
          missive_pop3_status_clear (&status);
        }

      check_items (copy);
      g_free (copy);
      p = nl != NULL ? nl + 1 : end;
    }

  return 0;
}
