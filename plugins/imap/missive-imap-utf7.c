/* missive-imap-utf7.c: IMAP's modified UTF-7 for mailbox names
 * (RFC 3501 section 5.1.3)
 *
 * Printable ASCII (0x20-0x7e) stands for itself, except "&", which is
 * written "&-". Every other character is written as UTF-16 in base64
 * (with "," instead of "/", no padding) between "&" and "-".
 *
 * The decoder accepts only what an encoder following the RFC can produce,
 * so that every mailbox has one spelling: anything else (bad base64, a
 * shift that encodes printable ASCII or encodes nothing, a missing "-",
 * surrogates out of pairs, bits left over or not zero, raw 8-bit or
 * control bytes, an encoded NUL) is an error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-utf7.h"

static const char base64_chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static inline gboolean
is_direct (guchar c)
{
  return c >= 0x20 && c <= 0x7e;
}

/* The value of a modified base64 character, or -1. */
static inline int
base64_value (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == ',')
    return 63;
  return -1;
}

typedef struct
{
  GString *out;
  guint32 bits;
  guint nbits;
} Encoder;

static void
encode_unit (Encoder *enc,
             guint16  unit)
{
  enc->bits = (enc->bits << 16) | unit;
  enc->nbits += 16;
  while (enc->nbits >= 6)
    {
      enc->nbits -= 6;
      g_string_append_c (enc->out, base64_chars[(enc->bits >> enc->nbits) & 0x3f]);
    }
  enc->bits &= (1u << enc->nbits) - 1;
}

/**
 * missive_imap_utf7_encode:
 * @utf8: a mailbox name in UTF-8
 * @length: its length in bytes, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Encodes a mailbox name in modified UTF-7.
 *
 * Returns: (transfer full) (nullable): the encoded name, or %NULL if @utf8
 *   is not valid UTF-8
 */
char *
missive_imap_utf7_encode (const char  *utf8,
                          gssize       length,
                          GError     **error)
{
  const char *p;
  const char *end;
  GString *out;

  g_return_val_if_fail (utf8 != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (utf8 == NULL)
    utf8 = "";
  if (length < 0)
    length = strlen (utf8);
  if (!g_utf8_validate_len (utf8, length, NULL))
    {
      g_set_error_literal (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                           "Mailbox name is not valid UTF-8");
      return NULL;
    }

  out = g_string_sized_new (length + 8);
  p = utf8;
  end = utf8 + length;
  while (p < end)
    {
      Encoder enc = { out, 0, 0 };

      if (is_direct (*p))
        {
          if (*p == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, *p);
          p++;
          continue;
        }

      /* A run of characters that need base64. */
      g_string_append_c (out, '&');
      while (p < end && !is_direct (*p))
        {
          gunichar c = g_utf8_get_char (p);

          p = g_utf8_next_char (p);
          if (c >= 0x10000)
            {
              c -= 0x10000;
              encode_unit (&enc, 0xd800 + (c >> 10));
              encode_unit (&enc, 0xdc00 + (c & 0x3ff));
            }
          else
            {
              encode_unit (&enc, c);
            }
        }
      if (enc.nbits > 0)
        g_string_append_c (out, base64_chars[(enc.bits << (6 - enc.nbits)) & 0x3f]);
      g_string_append_c (out, '-');
    }
  return g_string_free (out, FALSE);
}

static char *
decode_error (GString    *out,
              GError    **error,
              const char *what)
{
  g_string_free (out, TRUE);
  g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
               "Invalid modified UTF-7 mailbox name: %s", what);
  return NULL;
}

/**
 * missive_imap_utf7_decode:
 * @utf7: a mailbox name in modified UTF-7
 * @length: its length in bytes, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Decodes a mailbox name from modified UTF-7, strictly.
 *
 * Returns: (transfer full) (nullable): the name in UTF-8, or %NULL if
 *   @utf7 is not a valid modified UTF-7 name
 */
char *
missive_imap_utf7_decode (const char  *utf7,
                          gssize       length,
                          GError     **error)
{
  const char *p;
  const char *end;
  GString *out;

  g_return_val_if_fail (utf7 != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (utf7 == NULL)
    utf7 = "";
  if (length < 0)
    length = strlen (utf7);
  out = g_string_sized_new (length + 8);
  p = utf7;
  end = utf7 + length;
  while (p < end)
    {
      guint32 bits = 0;
      guint nbits = 0;
      gunichar high = 0;

      if (!is_direct (*p))
        return decode_error (out, error, "8-bit or control byte");
      if (*p != '&')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      if (p < end && *p == '-')
        {
          g_string_append_c (out, '&');
          p++;
          continue;
        }

      /* A shift: base64 up to "-". */
      for (; p < end && *p != '-'; p++)
        {
          int v = base64_value (*p);
          gunichar unit;

          if (v < 0)
            return decode_error (out, error, "bad base64");
          bits = (bits << 6) | v;
          nbits += 6;
          if (nbits < 16)
            continue;
          nbits -= 16;
          unit = (bits >> nbits) & 0xffff;
          bits &= (1u << nbits) - 1;

          if (high != 0)
            {
              if (unit < 0xdc00 || unit > 0xdfff)
                return decode_error (out, error, "unpaired surrogate");
              g_string_append_unichar (out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
              high = 0;
            }
          else if (unit >= 0xd800 && unit <= 0xdbff)
            {
              high = unit;
            }
          else if (unit >= 0xdc00 && unit <= 0xdfff)
            {
              return decode_error (out, error, "unpaired surrogate");
            }
          else if ((unit >= 0x20 && unit <= 0x7e) || unit == 0)
            {
              return decode_error (out, error, unit == 0 ? "encoded NUL"
                                                         : "printable ASCII in base64");
            }
          else
            {
              g_string_append_unichar (out, unit);
            }
        }
      if (p == end)
        return decode_error (out, error, "unterminated shift sequence");
      if (high != 0)
        return decode_error (out, error, "unpaired surrogate");
      if (nbits >= 6 || bits != 0)
        return decode_error (out, error, "leftover bits in base64");
      p++; /* the "-" */
    }
  return g_string_free (out, FALSE);
}
