/* fuzz-smtp-reply.c: libFuzzer target for the SMTP reply parser
 * (plugins/smtp/missive-smtp-reply.c)
 *
 * The input is what the "server" sends, cut into lines at each LF (a CR
 * before it is dropped), as the connection's reader does. The lines are fed
 * to a reply until it is complete (or fails), then a new reply starts. The
 * first input byte chooses whether enhanced status codes are parsed. Every
 * complete reply is also turned into the public reply, an error, and EHLO
 * capabilities; every line goes through the enhanced-code scanner and the
 * xtext encoder.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "missive-smtp-reply.h"

#define FUZZ_MAX_LINES 4096

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_reply (MissiveSmtpReply *reply)
{
  g_autoptr(MissiveReply) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  MissiveSmtpCaps caps = { 0 };

  g_assert_true (reply->complete);
  g_assert_cmpuint (reply->code, >=, 200);
  g_assert_cmpuint (reply->code, <=, 599);
  g_assert_cmpuint (reply->lines->len, ==, reply->texts->len);
  g_assert_cmpuint (reply->lines->len, <=, MISSIVE_SMTP_MAX_REPLY_LINES);
  for (guint i = 0; i < reply->lines->len; i++)
    {
      g_assert_true (g_utf8_validate (reply->lines->pdata[i], -1, NULL));
      g_assert_true (g_utf8_validate (reply->texts->pdata[i], -1, NULL));
    }
  if (reply->enhanced != NULL)
    {
      gsize n = strlen (reply->enhanced);

      g_assert_cmpuint (missive_smtp_parse_enhanced (reply->enhanced, n, 0), ==, n);
      g_assert_cmpint (reply->enhanced[0], ==, '0' + reply->code / 100);
    }

  pub = missive_smtp_reply_to_public (reply);
  g_assert_cmpuint (missive_reply_get_code (pub), ==, reply->code);
  g_assert_cmpuint (strlen (missive_reply_get_status (pub)), ==, 3);
  error = missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT, "MAIL");
  g_assert_nonnull (error);
  g_assert_cmpuint (missive_error_get_server_code (error), ==, reply->code);
  text = missive_smtp_reply_join_text (reply, " ");
  g_assert_nonnull (text);

  missive_smtp_caps_parse (&caps, reply);
  g_assert_nonnull (caps.names);
  g_assert_nonnull (caps.mechanisms);
  for (gsize i = 0; caps.mechanisms[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat ("AUTH=", caps.mechanisms[i], NULL);

      g_assert_true (g_strv_contains ((const char * const *) caps.names, name));
    }
  missive_smtp_caps_clear (&caps);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *p = (const char *) data;
  const char *end = p + size;
  gboolean enhanced;
  MissiveSmtpReply *reply = NULL;
  guint lines = 0;

  if (size == 0)
    return 0;
  enhanced = (data[0] & 1) != 0;
  p++;

  while (p < end && lines++ < FUZZ_MAX_LINES)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      gsize length = line_end - p;
      GError *error = NULL;
      MissiveSmtpReplyStatus status;

      if (length > 0 && p[length - 1] == '\r')
        length--;

      {
        gsize n = missive_smtp_parse_enhanced (p, length, 0);
        char *copy = g_strndup (p, length);
        char *x = missive_smtp_xtext_encode (copy);

        g_assert_cmpuint (n, <=, length);
        for (const char *c = x; *c != '\0'; c++)
          g_assert_true (*c > 32 && *c < 127 && *c != '=');
        g_free (x);
        g_free (copy);
      }

      if (reply == NULL)
        reply = missive_smtp_reply_new ();
      status = missive_smtp_reply_add_line (reply, p, length, enhanced, &error);
      switch (status)
        {
        case MISSIVE_SMTP_REPLY_MORE:
          g_assert_null (error);
          g_assert_false (reply->complete);
          break;
        case MISSIVE_SMTP_REPLY_DONE:
          g_assert_null (error);
          check_reply (reply);
          g_clear_pointer (&reply, missive_smtp_reply_free);
          break;
        case MISSIVE_SMTP_REPLY_ERROR:
        default:
          g_assert_nonnull (error);
          g_assert_true (error->domain == MISSIVE_ERROR);
          if (error->code == MISSIVE_ERROR_MALFORMED_RESPONSE)
            g_assert_true (reply->complete);
          else
            g_assert_cmpint (error->code, ==, MISSIVE_ERROR_PROTOCOL);
          g_error_free (error);
          g_clear_pointer (&reply, missive_smtp_reply_free);
          break;
        }
      p = nl != NULL ? nl + 1 : end;
    }

  missive_smtp_reply_free (reply);
  return 0;
}
