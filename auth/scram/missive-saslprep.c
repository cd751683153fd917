/* missive-saslprep.c: SASLprep (RFC 4013) for the SCRAM plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-saslprep.h"

/* A range of code points, both ends included. */
typedef struct {
  gunichar first;
  gunichar last;
} Range;

/* RFC 3454 table C.1.2: non-ASCII space characters, mapped to U+0020 by
 * RFC 4013 section 2.1. U+200B is also in table B.1 and is removed
 * instead (that table is applied first). */
static const Range non_ascii_spaces[] = {
  { 0x00A0, 0x00A0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200A },
  { 0x202F, 0x202F }, { 0x205F, 0x205F }, { 0x3000, 0x3000 },
};

/* RFC 3454 table B.1: commonly mapped to nothing. */
static const Range mapped_to_nothing[] = {
  { 0x00AD, 0x00AD }, { 0x034F, 0x034F }, { 0x1806, 0x1806 },
  { 0x180B, 0x180D }, { 0x200B, 0x200D }, { 0x2060, 0x2060 },
  { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF },
};

/* RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6,
 * C.7, C.8 and C.9 of RFC 3454. Non-characters U+xxFFFE and U+xxFFFF of
 * every plane are checked separately. */
static const Range prohibited[] = {
  /* C.2.1 ASCII control characters */
  { 0x0000, 0x001F }, { 0x007F, 0x007F },
  /* C.2.2 non-ASCII control characters */
  { 0x0080, 0x009F }, { 0x06DD, 0x06DD }, { 0x070F, 0x070F },
  { 0x180E, 0x180E }, { 0x200C, 0x200D }, { 0x2028, 0x2029 },
  { 0x2060, 0x2063 }, { 0x206A, 0x206F }, { 0xFEFF, 0xFEFF },
  { 0xFFF9, 0xFFFC }, { 0x1D173, 0x1D17A },
  /* C.1.2 non-ASCII spaces (left over after NFKC, which cannot happen
   * with the mapping above, but cheap to check) */
  { 0x00A0, 0x00A0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200B },
  { 0x202F, 0x202F }, { 0x205F, 0x205F }, { 0x3000, 0x3000 },
  /* C.3 private use */
  { 0xE000, 0xF8FF }, { 0xF0000, 0xFFFFD }, { 0x100000, 0x10FFFD },
  /* C.4 non-character code points (besides xxFFFE-xxFFFF) */
  { 0xFDD0, 0xFDEF },
  /* C.5 surrogates (g_utf8_validate already refuses them) */
  { 0xD800, 0xDFFF },
  /* C.6 inappropriate for plain text */
  { 0xFFF9, 0xFFFD },
  /* C.7 inappropriate for canonical representation */
  { 0x2FF0, 0x2FFB },
  /* C.8 change display properties or deprecated */
  { 0x0340, 0x0341 }, { 0x200E, 0x200F }, { 0x202A, 0x202E },
  /* C.9 tagging characters */
  { 0xE0001, 0xE0001 }, { 0xE0020, 0xE007F },
};

static gboolean
in_ranges (gunichar     c,
           const Range *ranges,
           gsize        n_ranges)
{
  for (gsize i = 0; i < n_ranges; i++)
    {
      if (c >= ranges[i].first && c <= ranges[i].last)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_prohibited (gunichar c)
{
  if ((c & 0xFFFE) == 0xFFFE)
    return TRUE;
  return in_ranges (c, prohibited, G_N_ELEMENTS (prohibited));
}

static gboolean
is_printable_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if ((guchar) *s < 0x20 || (guchar) *s > 0x7E)
        return FALSE;
    }
  return TRUE;
}

/* Overwrites a string that may hold a password before freeing it. */
static void
wipe_string_free (GString *string)
{
  volatile char *p = string->str;

  for (gsize i = 0; i < string->allocated_len; i++)
    p[i] = 0;
  g_string_free (string, TRUE);
}

char *
missive_saslprep (const char  *input,
                  const char  *what,
                  GError     **error)
{
  GString *mapped;
  char *normalized;

  g_return_val_if_fail (input != NULL, NULL);

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s is not valid UTF-8", what);
      return NULL;
    }

  /* Printable ASCII is left unchanged by every step. */
  if (is_printable_ascii (input))
    return g_strdup (input);

  /* Step 1: mapping. */
  mapped = g_string_sized_new (strlen (input) + 1);
  for (const char *p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (in_ranges (c, mapped_to_nothing, G_N_ELEMENTS (mapped_to_nothing)))
        continue;
      if (in_ranges (c, non_ascii_spaces, G_N_ELEMENTS (non_ascii_spaces)))
        c = ' ';
      g_string_append_unichar (mapped, c);
    }

  /* Step 2: normalization (Unicode form KC). */
  normalized = g_utf8_normalize (mapped->str, mapped->len, G_NORMALIZE_NFKC);
  wipe_string_free (mapped);
  if (normalized == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s cannot be normalized", what);
      return NULL;
    }

  /* Step 3: prohibited output. */
  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_prohibited (c))
        {
          volatile char *v = normalized;

          for (gsize i = 0; v[i] != '\0'; i++)
            v[i] = 0;
          g_free (normalized);
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "The %s contains a prohibited character", what);
          return NULL;
        }
    }

  return normalized;
}
