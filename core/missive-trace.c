/* missive-trace.c: masking of credentials in protocol traces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#define MASK "****"

/* A cursor over the line, which may hold any bytes, NUL included. */
typedef struct {
  const char *data;
  gsize pos;
  gsize end;
} Scanner;

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

static void
skip_spaces (Scanner *s)
{
  while (s->pos < s->end && is_space (s->data[s->pos]))
    s->pos++;
}

/* Skips one word (up to the next space) and reports where it was. */
static void
next_word (Scanner     *s,
           const char **word,
           gsize       *length)
{
  gsize start;

  skip_spaces (s);
  start = s->pos;
  while (s->pos < s->end && !is_space (s->data[s->pos]))
    s->pos++;
  *word = s->data + start;
  *length = s->pos - start;
}

static gboolean
word_is (const char *word,
         gsize       length,
         const char *keyword)
{
  return length == strlen (keyword) &&
         g_ascii_strncasecmp (word, keyword, length) == 0;
}

/* Skips one IMAP string or atom: a quoted string with backslash escapes,
 * a literal marker "{N}" or "{N+}", or anything up to the next space.
 * Returns FALSE if a quoted string does not end, when nothing after it can
 * be told apart from it. */
static gboolean
skip_imap_string (Scanner *s)
{
  skip_spaces (s);
  if (s->pos < s->end && s->data[s->pos] == '"')
    {
      for (s->pos++; s->pos < s->end; s->pos++)
        {
          char c = s->data[s->pos];

          if (c == '\\')
            s->pos++;
          else if (c == '"')
            {
              s->pos++;
              return TRUE;
            }
        }
      return FALSE;
    }
  while (s->pos < s->end && !is_space (s->data[s->pos]))
    s->pos++;
  return TRUE;
}

/* Returns where the secret starts: after the spaces at the cursor, or
 * nowhere (the end) when only spaces are left. */
static gsize
secret_start (Scanner *s)
{
  skip_spaces (s);
  return s->pos;
}

/* Finds the bytes to mask in a client line, as [from, s->end). Returns
 * FALSE when the line carries no credentials. */
static gboolean
find_secret (Scanner *s,
             gsize   *from)
{
  const char *word;
  gsize length;
  Scanner after_first;

  next_word (s, &word, &length);

  /* SMTP and POP3: AUTH <mechanism> [<initial response>] */
  if (word_is (word, length, "AUTH"))
    {
      next_word (s, &word, &length);
      *from = secret_start (s);
      return TRUE;
    }
  /* POP3: PASS <password>, spaces and all */
  if (word_is (word, length, "PASS"))
    {
      *from = secret_start (s);
      return TRUE;
    }
  /* POP3: APOP <user> <digest> */
  if (word_is (word, length, "APOP"))
    {
      next_word (s, &word, &length);
      *from = secret_start (s);
      return TRUE;
    }

  /* IMAP: <tag> LOGIN <user> <password>, <tag> AUTHENTICATE <mechanism> [<ir>] */
  after_first = *s;
  next_word (s, &word, &length);
  if (word_is (word, length, "LOGIN"))
    {
      if (!skip_imap_string (s))
        {
          /* An unterminated user name: hide all of it, to be safe. */
          *s = after_first;
          next_word (s, &word, &length);
        }
      *from = secret_start (s);
      return TRUE;
    }
  if (word_is (word, length, "AUTHENTICATE"))
    {
      next_word (s, &word, &length);
      *from = secret_start (s);
      return TRUE;
    }

  return FALSE;
}

/**
 * missive_trace_mask_line:
 * @line: a line the client sends, with or without its line end
 * @length: the length of @line in bytes, or -1 if it is NUL-terminated
 *
 * Hides the credentials in a client line before it is traced: the
 * password of IMAP `LOGIN` (atom, quoted string or literal marker: all that
 * follows the user name), the initial response of IMAP `AUTHENTICATE` and
 * of SMTP and POP3 `AUTH` (the mechanism stays visible), the argument of
 * POP3 `PASS`, and the digest of POP3 `APOP`. Each is replaced by "****";
 * command words match in any case. Other lines are copied unchanged.
 *
 * All @length bytes are examined, NUL bytes included; the copy keeps a line
 * end "\r\n" or "\n" and is NUL-terminated (it contains a NUL byte
 * wherever the unmasked part of @line did).
 *
 * Returns: (transfer full): the masked copy
 *
 * Since: 1.0
 */
char *
missive_trace_mask_line (const char *line,
                         gssize      length)
{
  Scanner s;
  gsize total;
  gsize from;
  GString *masked;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  total = length < 0 ? strlen (line) : (gsize) length;

  s.data = line;
  s.pos = 0;
  s.end = total;
  if (s.end > 0 && line[s.end - 1] == '\n')
    s.end--;
  if (s.end > 0 && line[s.end - 1] == '\r')
    s.end--;

  if (!find_secret (&s, &from) || from >= s.end)
    {
      char *copy = g_malloc (total + 1);

      if (total > 0)
        memcpy (copy, line, total);
      copy[total] = '\0';
      return copy;
    }

  masked = g_string_sized_new (from + strlen (MASK) + (total - s.end) + 1);
  g_string_append_len (masked, line, from);
  g_string_append (masked, MASK);
  g_string_append_len (masked, line + s.end, total - s.end);
  return g_string_free (masked, FALSE);
}
