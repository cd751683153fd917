/* missive-pop3-reply.c: POP3 reply parsing (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "missive-pop3-reply.h"

/* Response codes longer than this are not taken as codes. */
#define MAX_CODE_LENGTH 64

void
missive_pop3_status_clear (MissivePop3Status *status)
{
  g_clear_pointer (&status->code, g_free);
  g_clear_pointer (&status->text, g_free);
  status->ok = FALSE;
}

gboolean
missive_pop3_parse_status (const char        *line,
                           gsize              length,
                           MissivePop3Status *status,
                           GError           **error)
{
  const char *rest;
  const char *end = line + length;

  memset (status, 0, sizeof *status);

  if (length >= 3 && memcmp (line, "+OK", 3) == 0 && (length == 3 || line[3] == ' '))
    {
      status->ok = TRUE;
      rest = line + 3;
    }
  else if (length >= 4 && memcmp (line, "-ERR", 4) == 0 && (length == 4 || line[4] == ' '))
    rest = line + 4;
  else
    {
      g_autofree char *shown = g_utf8_make_valid (line, MIN (length, 80));

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "Unexpected reply from the POP3 server: “%s”", shown);
      return FALSE;
    }

  while (rest < end && *rest == ' ')
    rest++;
  if (rest < end && *rest == '[')
    {
      const char *close = memchr (rest, ']', end - rest);

      if (close != NULL && close - rest - 1 > 0 && close - rest - 1 <= MAX_CODE_LENGTH)
        {
          status->code = g_strndup (rest + 1, close - rest - 1);
          rest = close + 1;
          while (rest < end && *rest == ' ')
            rest++;
        }
    }
  /* NUL bytes or invalid UTF-8 never reach the application's strings. */
  status->text = g_utf8_make_valid (rest, end - rest);
  return TRUE;
}

static gboolean
code_is (const char *code,
         const char *name)
{
  gsize n = strlen (name);

  /* Hierarchical codes: "SYS/TEMP" is also matched by "SYS/TEMP/MORE". */
  return code != NULL && g_ascii_strncasecmp (code, name, n) == 0 &&
         (code[n] == '\0' || code[n] == '/');
}

GError *
missive_pop3_status_to_error (const MissivePop3Status *status,
                              int                      default_code,
                              const char              *what)
{
  int code = default_code;
  GError *error;

  if (code_is (status->code, "AUTH"))
    code = MISSIVE_ERROR_AUTHENTICATION_FAILED;
  else if (code_is (status->code, "SYS/TEMP") || code_is (status->code, "IN-USE") ||
           code_is (status->code, "LOGIN-DELAY"))
    code = MISSIVE_ERROR_SERVER_TEMPORARY;
  else if (code_is (status->code, "SYS/PERM"))
    code = MISSIVE_ERROR_SERVER_PERMANENT;

  if (status->code != NULL)
    error = g_error_new (MISSIVE_ERROR, code, "%s failed: [%s] %s", what,
                         status->code, status->text);
  else
    error = g_error_new (MISSIVE_ERROR, code, "%s failed: %s", what, status->text);
  missive_error_set_server_reply (error, 0, NULL, status->code, status->text);
  return error;
}

gboolean
missive_pop3_unstuff (const char  *line,
                      gsize        length,
                      const char **data,
                      gsize       *out_length)
{
  if (length == 1 && line[0] == '.')
    return FALSE;
  if (length > 0 && line[0] == '.')
    {
      line++;
      length--;
    }
  *data = line;
  *out_length = length;
  return TRUE;
}

static gboolean
parse_number (const char **p,
              guint64      max,
              guint64     *value)
{
  const char *s = *p;
  guint64 v = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  for (; g_ascii_isdigit (*s); s++)
    {
      guint d = *s - '0';

      if (v > (max - d) / 10)
        return FALSE;
      v = v * 10 + d;
    }
  *p = s;
  *value = v;
  return TRUE;
}

gboolean
missive_pop3_parse_scan (const char *text,
                         guint32    *number,
                         guint64    *size)
{
  guint64 n, s;

  if (!parse_number (&text, G_MAXUINT32, &n))
    return FALSE;
  if (*text != ' ')
    return FALSE;
  while (*text == ' ')
    text++;
  if (!parse_number (&text, G_MAXUINT64, &s))
    return FALSE;
  if (*text != '\0' && *text != ' ')
    return FALSE;
  *number = (guint32) n;
  *size = s;
  return TRUE;
}

gboolean
missive_pop3_parse_uidl (const char  *text,
                         guint32     *number,
                         char       **uidl)
{
  guint64 n;
  const char *start;

  if (!parse_number (&text, G_MAXUINT32, &n) || n == 0)
    return FALSE;
  if (*text != ' ')
    return FALSE;
  while (*text == ' ')
    text++;
  start = text;
  for (; *text > 0x20 && *text < 0x7f; text++)
    ;
  if (text == start || text - start > 70 || (*text != '\0' && *text != ' '))
    return FALSE;
  *number = (guint32) n;
  *uidl = g_strndup (start, text - start);
  return TRUE;
}

gboolean
missive_pop3_parse_capa_number (const char *args,
                                gboolean    allow_never,
                                int        *value,
                                gboolean   *per_user)
{
  const char *p = args;
  guint64 v;
  int result;

  while (*p == ' ' || *p == '\t')
    p++;
  if (allow_never && g_ascii_strncasecmp (p, "NEVER", 5) == 0 &&
      (p[5] == '\0' || p[5] == ' ' || p[5] == '\t'))
    {
      result = G_MAXINT;
      p += 5;
    }
  else if (parse_number (&p, G_MAXINT - 1, &v))
    result = (int) v;
  else
    return FALSE;
  if (*p != '\0' && *p != ' ' && *p != '\t')
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  *per_user = FALSE;
  if (*p != '\0')
    {
      const char *end = p;

      while (*end != '\0' && *end != ' ' && *end != '\t')
        end++;
      if (end - p != 4 || g_ascii_strncasecmp (p, "USER", 4) != 0)
        return FALSE;
      while (*end == ' ' || *end == '\t')
        end++;
      if (*end != '\0')
        return FALSE;
      *per_user = TRUE;
    }
  *value = result;
  return TRUE;
}

char *
missive_pop3_greeting_timestamp (const char *text)
{
  const char *open = strchr (text, '<');
  const char *close;

  if (open == NULL)
    return NULL;
  close = strchr (open, '>');
  if (close == NULL || memchr (open, '@', close - open) == NULL || close - open > 512)
    return NULL;
  for (const char *p = open; p <= close; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      return NULL;
  return g_strndup (open, close - open + 1);
}
