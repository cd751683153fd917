/* missive-smtp-reply.c: SMTP reply parsing (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smtp-reply.h"

/* At most this many EHLO keywords and AUTH mechanisms are kept. */
#define MAX_KEYWORDS 256

MissiveSmtpReply *
missive_smtp_reply_new (void)
{
  MissiveSmtpReply *reply = g_new0 (MissiveSmtpReply, 1);

  reply->lines = g_ptr_array_new_with_free_func (g_free);
  reply->texts = g_ptr_array_new_with_free_func (g_free);
  return reply;
}

void
missive_smtp_reply_free (MissiveSmtpReply *reply)
{
  if (reply == NULL)
    return;
  g_ptr_array_unref (reply->lines);
  g_ptr_array_unref (reply->texts);
  g_free (reply->enhanced);
  g_free (reply);
}

/* Up to three digits, at least one. */
static gsize
digits (const char *p,
        const char *end)
{
  gsize n = 0;

  while (p + n < end && n < 4 && g_ascii_isdigit (p[n]))
    n++;
  return n >= 1 && n <= 3 ? n : 0;
}

gsize
missive_smtp_parse_enhanced (const char *text,
                             gsize       length,
                             char        klass)
{
  const char *p = text;
  const char *end = text + length;
  gsize n;

  if (length < 5)
    return 0;
  /* RFC 3463: the class is 2, 4 or 5 (a 3xx reply has no enhanced
   * code), and it must match the reply's class when one is given. */
  if ((*p != '2' && *p != '4' && *p != '5') || (klass != 0 && *p != klass))
    return 0;
  p++;
  if (*p++ != '.')
    return 0;
  n = digits (p, end);
  if (n == 0)
    return 0;
  p += n;
  if (p >= end || *p++ != '.')
    return 0;
  n = digits (p, end);
  if (n == 0)
    return 0;
  p += n;
  if (p < end && *p != ' ')
    return 0;
  return p - text;
}

static char *
shown (const char *line,
       gsize       length)
{
  return g_utf8_make_valid (line, MIN (length, 80));
}

MissiveSmtpReplyStatus
missive_smtp_reply_add_line (MissiveSmtpReply  *reply,
                             const char        *line,
                             gsize              length,
                             gboolean           enhanced_codes,
                             GError           **error)
{
  guint code;
  gboolean last;
  const char *text;
  gsize text_length, skip;

  g_return_val_if_fail (!reply->complete, MISSIVE_SMTP_REPLY_ERROR);

  /* Reply-line: three digits, then "-" (more follow), " " or the end. */
  if (length < 3 || line[0] < '2' || line[0] > '5' ||
      !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
      (length > 3 && line[3] != ' ' && line[3] != '-'))
    {
      g_autofree char *s = shown (line, length);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The SMTP server sent something that is not a reply: “%s”", s);
      return MISSIVE_SMTP_REPLY_ERROR;
    }
  if (reply->lines->len >= MISSIVE_SMTP_MAX_REPLY_LINES ||
      reply->bytes + length > MISSIVE_SMTP_MAX_REPLY_BYTES)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The SMTP server's reply does not end (more than %u lines or %u bytes)",
                   MISSIVE_SMTP_MAX_REPLY_LINES, MISSIVE_SMTP_MAX_REPLY_BYTES);
      return MISSIVE_SMTP_REPLY_ERROR;
    }

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  last = length == 3 || line[3] == ' ';
  if (reply->code == 0)
    reply->code = code;
  else if (code != reply->code)
    reply->inconsistent = TRUE;

  text = length > 4 ? line + 4 : "";
  text_length = length > 4 ? length - 4 : 0;
  skip = enhanced_codes ? missive_smtp_parse_enhanced (text, text_length, line[0]) : 0;
  if (skip > 0)
    {
      if (reply->enhanced == NULL && reply->lines->len == 0)
        reply->enhanced = g_strndup (text, skip);
      text += skip;
      text_length -= skip;
      while (text_length > 0 && *text == ' ')
        {
          text++;
          text_length--;
        }
    }

  reply->bytes += length + 1;
  /* NUL bytes and invalid UTF-8 never reach the application's strings. */
  g_ptr_array_add (reply->lines, g_utf8_make_valid (line, length));
  g_ptr_array_add (reply->texts, g_utf8_make_valid (text, text_length));

  if (!last)
    return MISSIVE_SMTP_REPLY_MORE;

  reply->complete = TRUE;
  if (reply->inconsistent)
    {
      g_autofree char *first = shown (reply->lines->pdata[0], strlen (reply->lines->pdata[0]));
      g_autofree char *s = shown (line, length);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                   "The SMTP server's reply changes its code between lines (“%s” … “%s”)",
                   first, s);
      return MISSIVE_SMTP_REPLY_ERROR;
    }
  return MISSIVE_SMTP_REPLY_DONE;
}

char *
missive_smtp_reply_join_text (const MissiveSmtpReply *reply,
                              const char             *separator)
{
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < reply->texts->len; i++)
    {
      const char *text = reply->texts->pdata[i];

      if (text[0] == '\0')
        continue;
      if (all->len > 0)
        g_string_append (all, separator);
      g_string_append (all, text);
    }
  return g_string_free (all, FALSE);
}

MissiveReply *
missive_smtp_reply_to_public (const MissiveSmtpReply *reply)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  char status[4];
  const char *last = "";

  g_snprintf (status, sizeof status, "%03u", reply->code % 1000);
  for (guint i = 0; i < reply->lines->len; i++)
    g_ptr_array_add (lines, reply->lines->pdata[i]);
  g_ptr_array_add (lines, NULL);
  if (reply->lines->len > 0)
    {
      const char *line = reply->lines->pdata[reply->lines->len - 1];

      last = strlen (line) > 4 ? line + 4 : "";
    }
  return missive_reply_new (reply->code, status, last, (const char * const *) lines->pdata);
}

GError *
missive_smtp_reply_to_error (const MissiveSmtpReply *reply,
                             int                     code_5xx,
                             const char             *what)
{
  g_autofree char *text = missive_smtp_reply_join_text (reply, " ");
  int code = reply->code / 100 == 4 ? MISSIVE_ERROR_SERVER_TEMPORARY : code_5xx;
  GError *error;

  if (reply->enhanced != NULL)
    error = g_error_new (MISSIVE_ERROR, code, "%s failed: %03u %s %s", what,
                         reply->code, reply->enhanced, text);
  else
    error = g_error_new (MISSIVE_ERROR, code, "%s failed: %03u %s", what, reply->code, text);
  missive_error_set_server_reply (error, reply->code, reply->enhanced, NULL, text);
  return error;
}

/* ---- EHLO ------------------------------------------------------------------ */

void
missive_smtp_caps_clear (MissiveSmtpCaps *caps)
{
  g_clear_pointer (&caps->mechanisms, g_strfreev);
  g_clear_pointer (&caps->names, g_strfreev);
  caps->flags = 0;
  caps->max_size = 0;
  caps->min_by = 0;
}

static gboolean
parse_u64 (const char *s,
           guint64    *value)
{
  guint64 v = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  for (; g_ascii_isdigit (*s); s++)
    {
      guint d = *s - '0';

      if (v > (G_MAXUINT64 - d) / 10)
        return FALSE;
      v = v * 10 + d;
    }
  *value = v;
  return *s == '\0';
}

static void
add_unique (GPtrArray  *array,
            const char *name)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (array->pdata[i], name))
      return;
  if (array->len < MAX_KEYWORDS)
    g_ptr_array_add (array, g_strdup (name));
}

static const struct
{
  const char *name;
  guint flag;
} keyword_flags[] = {
  { "SIZE", MISSIVE_SMTP_CAP_SIZE },
  { "PIPELINING", MISSIVE_SMTP_CAP_PIPELINING },
  { "8BITMIME", MISSIVE_SMTP_CAP_8BITMIME },
  { "SMTPUTF8", MISSIVE_SMTP_CAP_SMTPUTF8 },
  { "BINARYMIME", MISSIVE_SMTP_CAP_BINARYMIME },
  { "CHUNKING", MISSIVE_SMTP_CAP_CHUNKING },
  { "DSN", MISSIVE_SMTP_CAP_DSN },
  { "ENHANCEDSTATUSCODES", MISSIVE_SMTP_CAP_ENHANCEDSTATUSCODES },
  { "REQUIRETLS", MISSIVE_SMTP_CAP_REQUIRETLS },
  { "AUTH", MISSIVE_SMTP_CAP_AUTH },
  { "DELIVERBY", MISSIVE_SMTP_CAP_DELIVERBY },
  { "MT-PRIORITY", MISSIVE_SMTP_CAP_MT_PRIORITY },
  { "STARTTLS", MISSIVE_SMTP_CAP_STARTTLS },
  { "VRFY", MISSIVE_SMTP_CAP_VRFY },
  { "EXPN", MISSIVE_SMTP_CAP_EXPN },
};

void
missive_smtp_caps_parse (MissiveSmtpCaps        *caps,
                         const MissiveSmtpReply *reply)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func (g_free);

  missive_smtp_caps_clear (caps);

  /* The first line carries the server's name and greeting. */
  for (guint i = 1; i < reply->lines->len; i++)
    {
      const char *line = reply->lines->pdata[i];
      g_auto(GStrv) words = NULL;
      g_autofree char *keyword = NULL;
      const char *equals;

      words = g_strsplit_set (strlen (line) > 4 ? line + 4 : "", " \t", -1);
      if (words[0] == NULL || words[0][0] == '\0')
        continue;
      keyword = g_ascii_strup (words[0], -1);

      /* The pre-standard "AUTH=LOGIN PLAIN" form. */
      equals = strchr (keyword, '=');
      if (equals != NULL && g_str_has_prefix (keyword, "AUTH="))
        {
          if (equals[1] != '\0')
            add_unique (mechs, equals + 1);
          keyword[4] = '\0';
        }
      else if (equals != NULL)
        continue;
      /* Keywords are letters, digits and "-" (RFC 5321 ehlo-keyword). */
      for (const char *p = keyword; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          goto next;

      for (gsize k = 0; k < G_N_ELEMENTS (keyword_flags); k++)
        if (g_str_equal (keyword, keyword_flags[k].name))
          caps->flags |= keyword_flags[k].flag;

      if (g_str_equal (keyword, "AUTH"))
        {
          for (gsize j = 1; words[j] != NULL; j++)
            if (words[j][0] != '\0')
              {
                g_autofree char *mech = g_ascii_strup (words[j], -1);

                add_unique (mechs, mech);
              }
        }
      else if (g_str_equal (keyword, "SIZE") && words[1] != NULL)
        {
          guint64 size;

          if (parse_u64 (words[1], &size))
            caps->max_size = size;
        }
      else if (g_str_equal (keyword, "DELIVERBY") && words[1] != NULL)
        {
          guint64 by;

          if (parse_u64 (words[1], &by) && by <= G_MAXINT32)
            caps->min_by = (gint64) by;
        }
      add_unique (names, keyword);
    next:
      ;
    }

  for (guint i = 0; i < mechs->len; i++)
    {
      g_autofree char *name = g_strconcat ("AUTH=", (const char *) mechs->pdata[i], NULL);

      add_unique (names, name);
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (mechs, NULL);
  caps->names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  caps->mechanisms = (char **) g_ptr_array_free (g_steal_pointer (&mechs), FALSE);
}

/* ---- xtext ------------------------------------------------------------------ */

char *
missive_smtp_xtext_encode (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 33 || *p > 126 || *p == '+' || *p == '=')
        g_string_append_printf (out, "+%02X", *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
