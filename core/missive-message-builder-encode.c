/* missive-message-builder-encode.c: checks, RFC 2047 / RFC 2231 encoders
 * and header folding for the message builder
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-message-builder-private.h"

/* The builder writes every header value itself as one line whose pieces
 * are separated by white space wherever a fold is allowed, and makes each
 * piece it generates (encoded words, parameter sections) short enough for
 * the fold length. missive_builder_fold() then breaks the line before white
 * space, never inside a quoted string. Headers GMime writes (Content-Type,
 * Content-Transfer-Encoding, MIME-Version) go through the same folding once
 * the tree is complete, because GMime 3.2's GMimeFormatOptions has no line
 * length setting (GMime always folds at 78). */

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

gboolean
missive_builder_check_text (const char  *what,
                            const char  *text,
                            gboolean     multiline,
                            GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, "%s is not valid UTF-8", what);
  if (multiline)
    return TRUE;
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n')
        return invalid (error, "%s must not contain CR or LF", what);
      if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
        return invalid (error, "%s must not contain control characters", what);
    }
  return TRUE;
}

gboolean
missive_builder_check_header_name (const char  *name,
                                   GError     **error)
{
  size_t len;

  if (name == NULL || *name == '\0')
    return invalid (error, "A header name must not be empty");
  len = strlen (name);
  if (len > 200)
    return invalid (error, "The header name is too long");
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    if (*p < 33 || *p > 126 || *p == ':')
      return invalid (error, "“%s” is not a valid header field name",
                      g_utf8_validate (name, -1, NULL) ? name : "(not UTF-8)");
  return TRUE;
}

gboolean
missive_builder_check_charset (const char  *charset,
                               GError     **error)
{
  GIConv conv;

  if (charset == NULL || *charset == '\0')
    return invalid (error, "The charset must not be empty");
  if (strlen (charset) > 40)
    return invalid (error, "The charset name is too long");
  for (const char *p = charset; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.:+", *p) == NULL)
      return invalid (error, "“%s” is not a charset name",
                      g_utf8_validate (charset, -1, NULL) ? charset : "(not UTF-8)");
  conv = g_iconv_open (charset, "UTF-8");
  if (conv == (GIConv) -1)
    return invalid (error, "The charset “%s” is not supported", charset);
  g_iconv_close (conv);
  return TRUE;
}

static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static gboolean
check_local_part (const char *local,
                  size_t      len)
{
  if (len == 0)
    return FALSE;
  if (local[0] == '"')
    {
      if (len < 2 || local[len - 1] != '"')
        return FALSE;
      for (size_t i = 1; i < len - 1; i++)
        {
          guchar c = local[i];
          if (c == '\\')
            {
              if (i + 1 >= len - 1)
                return FALSE;
              i++;
              continue;
            }
          if (c == '"' || (c < 0x20 && c != '\t') || c == 0x7f)
            return FALSE;
        }
      return TRUE;
    }
  for (size_t i = 0; i < len; i++)
    {
      guchar c = local[i];
      if (c == '.')
        {
          if (i == 0 || i == len - 1 || local[i - 1] == '.')
            return FALSE;
          continue;
        }
      /* Non-ASCII local parts are RFC 6531/6532 (SMTPUTF8) addresses. */
      if (!is_atext (c) && c < 0x80)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_ascii_domain (const char *domain)
{
  size_t label = 0;

  if (*domain == '\0')
    return FALSE;
  for (const char *p = domain; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label == 0)
            return FALSE;
          label = 0;
          continue;
        }
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
      if (++label > 63)
        return FALSE;
    }
  return label > 0;
}

char *
missive_builder_normalize_address (const char  *what,
                                   const char  *address,
                                   GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *ascii_domain = NULL;
  char *spec, *at, *domain;
  size_t len;

  if (!missive_builder_check_text (what, address, FALSE, error))
    return NULL;
  copy = g_strstrip (g_strdup (address));
  spec = copy;
  len = strlen (spec);
  if (len >= 2 && spec[0] == '<' && spec[len - 1] == '>')
    {
      spec[len - 1] = '\0';
      spec++;
    }
  if (strlen (spec) > 900)
    {
      invalid (error, "%s is too long", what);
      return NULL;
    }
  at = strrchr (spec, '@');
  if (at == NULL || at == spec || at[1] == '\0')
    {
      invalid (error, "%s “%s” is not an address of the form local@domain", what, spec);
      return NULL;
    }
  *at = '\0';
  domain = at + 1;
  if (!check_local_part (spec, at - spec))
    {
      invalid (error, "%s has an invalid local part “%s”", what, spec);
      return NULL;
    }
  if (domain[0] == '[')
    {
      size_t dlen = strlen (domain);
      if (dlen < 3 || domain[dlen - 1] != ']')
        {
          invalid (error, "%s has an invalid domain literal", what);
          return NULL;
        }
      for (size_t i = 1; i < dlen - 1; i++)
        if (domain[i] <= ' ' || domain[i] > '~' || strchr ("[]\\", domain[i]) != NULL)
          {
            invalid (error, "%s has an invalid domain literal", what);
            return NULL;
          }
      ascii_domain = g_strdup (domain);
    }
  else
    {
      if (g_str_is_ascii (domain))
        ascii_domain = g_strdup (domain);
      else
        ascii_domain = g_hostname_to_ascii (domain);
      if (ascii_domain == NULL || !check_ascii_domain (ascii_domain))
        {
          invalid (error, "%s has an invalid domain “%s”", what, domain);
          return NULL;
        }
    }
  return g_strconcat (spec, "@", ascii_domain, NULL);
}

char *
missive_builder_normalize_msg_id (const char  *what,
                                  const char  *id,
                                  gboolean     need_at,
                                  GError     **error)
{
  g_autofree char *copy = NULL;
  char *p;
  size_t len;

  if (!missive_builder_check_text (what, id, FALSE, error))
    return NULL;
  copy = g_strstrip (g_strdup (id));
  p = copy;
  len = strlen (p);
  if (len >= 2 && p[0] == '<' && p[len - 1] == '>')
    {
      p[len - 1] = '\0';
      p++;
    }
  if (*p == '\0' || strlen (p) > 900)
    {
      invalid (error, "%s must not be empty or too long", what);
      return NULL;
    }
  for (const char *c = p; *c != '\0'; c++)
    if (*c <= ' ' || *c > '~' || strchr ("<>\"(),;:\\", *c) != NULL)
      {
        invalid (error, "%s “%s” contains a character not allowed in an identifier",
                 what, copy);
        return NULL;
      }
  if (need_at)
    {
      const char *at = strchr (p, '@');
      if (at == NULL || at == p || at[1] == '\0')
        {
          invalid (error, "%s “%s” is not of the form left@right", what, p);
          return NULL;
        }
    }
  return g_strdup (p);
}

/* ---- RFC 2047 encoded words ---- */

static gboolean
is_utf8_charset (const char *charset)
{
  return g_ascii_strcasecmp (charset, "UTF-8") == 0 || g_ascii_strcasecmp (charset, "UTF8") == 0;
}

/* Characters allowed unencoded in a "Q" word in a phrase (RFC 2047 5(3)),
 * the strictest context, so one encoder serves every header. */
static gboolean
q_plain (guchar c)
{
  return g_ascii_isalnum (c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

static char *
convert_to (const char *utf8,
            gssize      len,
            const char *charset,
            gsize      *out_len)
{
  if (is_utf8_charset (charset))
    {
      if (len < 0)
        len = strlen (utf8);
      *out_len = len;
      return g_strndup (utf8, len);
    }
  return g_convert (utf8, len, charset, "UTF-8", NULL, out_len, NULL);
}

static gsize
q_length (const guchar *data,
          gsize         len)
{
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    n += (q_plain (data[i]) || data[i] == ' ') ? 1 : 3;
  return n;
}

static gsize
b_length (gsize len)
{
  return 4 * ((len + 2) / 3);
}

static void
append_encoded_word (GString      *out,
                     const char   *charset,
                     gboolean      use_b,
                     const guchar *data,
                     gsize         len)
{
  g_string_append_printf (out, "=?%s?%c?", charset, use_b ? 'B' : 'Q');
  if (use_b)
    {
      g_autofree char *b64 = g_base64_encode (data, len);
      g_string_append (out, b64);
    }
  else
    {
      for (gsize i = 0; i < len; i++)
        {
          if (data[i] == ' ')
            g_string_append_c (out, '_');
          else if (q_plain (data[i]))
            g_string_append_c (out, data[i]);
          else
            g_string_append_printf (out, "=%02X", data[i]);
        }
    }
  g_string_append (out, "?=");
}

/* Encodes @run (UTF-8) as encoded words of at most @max_word bytes each,
 * separated by single spaces (which decoders drop between encoded words). */
static void
encode_run (GString    *out,
            const char *run,
            gssize      run_len,
            const char *charset,
            guint       max_word)
{
  g_autofree char *whole = NULL;
  gsize whole_len = 0;
  gboolean use_b;
  gssize budget;
  const char *p, *end;

  if (run_len < 0)
    run_len = strlen (run);
  end = run + run_len;

  whole = convert_to (run, run_len, charset, &whole_len);
  if (whole == NULL)
    {
      /* Not representable in the chosen charset: fall back to UTF-8. */
      charset = "UTF-8";
      whole = g_strndup (run, run_len);
      whole_len = run_len;
    }
  budget = (gssize) max_word - 7 - (gssize) strlen (charset);
  if (budget < 16 && !is_utf8_charset (charset))
    {
      charset = "UTF-8";
      g_clear_pointer (&whole, g_free);
      whole = g_strndup (run, run_len);
      whole_len = run_len;
      budget = (gssize) max_word - 12;
    }
  if (budget < 16)
    budget = 16;
  use_b = b_length (whole_len) < q_length ((const guchar *) whole, whole_len);

  p = run;
  while (p < end)
    {
      const char *good = NULL, *good3 = NULL;
      const char *q = p;
      g_autofree char *bytes = NULL;
      gsize bytes_len = 0;

      while (q < end)
        {
          const char *next = g_utf8_next_char (q);
          g_autofree char *candidate = NULL;
          gsize clen = 0, elen;

          candidate = convert_to (p, next - p, charset, &clen);
          if (candidate == NULL)
            break;
          elen = use_b ? b_length (clen) : q_length ((const guchar *) candidate, clen);
          if ((gssize) elen > budget)
            break;
          good = next;
          if (clen % 3 == 0)
            good3 = next;
          q = next;
        }
      /* Some decoders (GMime among them) join the payloads of adjacent B
       * words before decoding them, which fails on padding in the middle:
       * end every B word but the last on a multiple of three bytes when a
       * character boundary allows it. */
      if (use_b && good != NULL && good < end && good3 != NULL)
        good = good3;
      if (good == NULL)
        good = g_utf8_next_char (p);  /* one character that cannot fit */
      bytes = convert_to (p, good - p, charset, &bytes_len);
      if (bytes == NULL)
        {
          bytes = g_strndup (p, good - p);
          bytes_len = good - p;
          append_encoded_word (out, "UTF-8", use_b, (const guchar *) bytes, bytes_len);
        }
      else
        append_encoded_word (out, charset, use_b, (const guchar *) bytes, bytes_len);
      p = good;
      if (p < end)
        g_string_append_c (out, ' ');
    }
}

typedef struct
{
  const char *ws;
  gsize ws_len;
  const char *word;
  gsize word_len;
} Segment;

static GArray *
split_segments (const char *text)
{
  GArray *segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  const char *p = text;

  while (*p != '\0')
    {
      Segment s;

      s.ws = p;
      while (*p == ' ' || *p == '\t')
        p++;
      s.ws_len = p - s.ws;
      s.word = p;
      while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
      s.word_len = p - s.word;
      g_array_append_val (segments, s);
    }
  return segments;
}

static gboolean
word_needs_encoding (const char *word,
                     gsize       len,
                     guint       max_word,
                     gboolean    strict)
{
  if (strict && len > max_word)
    return TRUE;
  for (gsize i = 0; i < len; i++)
    {
      if ((guchar) word[i] >= 0x80)
        return TRUE;
      /* Plain text that would read as an encoded word must be encoded. */
      if (strict && word[i] == '=' && i + 1 < len && word[i + 1] == '?')
        return TRUE;
    }
  return FALSE;
}

char *
missive_builder_encode_text (const char *text,
                             const char *charset,
                             guint       max_word,
                             gboolean    strict)
{
  g_autoptr(GArray) segments = split_segments (text);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < segments->len; i++)
    {
      Segment *s = &g_array_index (segments, Segment, i);
      guint j;

      if (s->word_len == 0 ||
          !word_needs_encoding (s->word, s->word_len, max_word, strict))
        {
          g_string_append_len (out, s->ws, s->ws_len + s->word_len);
          continue;
        }
      /* A run of words that need encoding is encoded as one piece, so the
       * white space between them survives inside the encoded text. */
      for (j = i; j + 1 < segments->len; j++)
        {
          Segment *n = &g_array_index (segments, Segment, j + 1);
          if (n->word_len == 0 || !word_needs_encoding (n->word, n->word_len, max_word, strict))
            break;
        }
      {
        Segment *last = &g_array_index (segments, Segment, j);
        g_string_append_len (out, s->ws, s->ws_len);
        if (s->ws_len == 0 && out->len > 0)
          g_string_append_c (out, ' ');
        encode_run (out, s->word, (last->word + last->word_len) - s->word, charset, max_word);
      }
      i = j;
    }
  return g_string_free (out, FALSE);
}

char *
missive_builder_encode_phrase (const char *phrase,
                               const char *charset,
                               guint       max_word)
{
  gboolean printable = TRUE, atoms = TRUE;
  size_t len = strlen (phrase);
  GString *out;

  if (len == 0)
    return g_strdup ("");
  for (size_t i = 0; i < len; i++)
    {
      guchar c = phrase[i];
      if (c < 0x20 || c > 0x7e)
        printable = FALSE;
      if (!is_atext (c))
        atoms = FALSE;
    }
  if (printable && strstr (phrase, "=?") == NULL)
    {
      /* A single atom stays as it is. Several words are quoted, so the
       * folder keeps them on one line: some parsers (GMime among them)
       * keep the line break of a fold inside a phrase of plain words. */
      if (atoms && len <= max_word)
        return g_strdup (phrase);
      out = g_string_new ("\"");
      for (size_t i = 0; i < len; i++)
        {
          if (phrase[i] == '"' || phrase[i] == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, phrase[i]);
        }
      g_string_append_c (out, '"');
      if (out->len <= max_word)
        return g_string_free (out, FALSE);
      g_string_free (out, TRUE);
    }
  out = g_string_new (NULL);
  encode_run (out, phrase, len, charset, max_word);
  return g_string_free (out, FALSE);
}

char *
missive_builder_format_mailbox (const char *name,
                                const char *address,
                                const char *charset,
                                guint       max_word)
{
  g_autofree char *phrase = NULL;

  if (name == NULL || *name == '\0')
    return g_strdup (address);
  phrase = missive_builder_encode_phrase (name, charset, max_word);
  return g_strdup_printf ("%s <%s>", phrase, address);
}

/* ---- RFC 2231 parameters ---- */

static gboolean
is_tchar (guchar c)
{
  return c > ' ' && c < 0x7f && strchr ("()<>@,;:\\\"/[]?=", c) == NULL;
}

static gboolean
is_attr_char (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$&+-.^_`|~", c) != NULL);
}

char *
missive_builder_encode_param (const char *name,
                              const char *value,
                              guint       max_word)
{
  gboolean printable = TRUE, token = *value != '\0';
  GString *out;
  g_autoptr(GPtrArray) pieces = NULL;
  gsize total = 0;
  guint section = 0;
  GString *current;

  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p > 0x7e)
        printable = FALSE;
      if (!is_tchar (*p))
        token = FALSE;
    }
  if (printable)
    {
      out = g_string_new (name);
      g_string_append_c (out, '=');
      if (token)
        g_string_append (out, value);
      else
        {
          g_string_append_c (out, '"');
          for (const char *p = value; *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      if (out->len + 1 <= max_word)
        return g_string_free (out, FALSE);
      g_string_free (out, TRUE);
    }

  /* Percent-encode each character as one piece, so sections never split
   * a character. */
  pieces = g_ptr_array_new_with_free_func (g_free);
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      GString *piece = g_string_new (NULL);

      for (const guchar *b = (const guchar *) p; b < (const guchar *) next; b++)
        {
          if (is_attr_char (*b))
            g_string_append_c (piece, *b);
          else
            g_string_append_printf (piece, "%%%02X", *b);
        }
      total += piece->len;
      g_ptr_array_add (pieces, g_string_free (piece, FALSE));
    }
  if (strlen (name) + strlen ("*=UTF-8''") + total + 1 <= max_word)
    {
      out = g_string_new (name);
      g_string_append (out, "*=UTF-8''");
      for (guint i = 0; i < pieces->len; i++)
        g_string_append (out, g_ptr_array_index (pieces, i));
      return g_string_free (out, FALSE);
    }

  out = g_string_new (NULL);
  current = g_string_new (NULL);
  g_string_printf (current, "%s*0*=UTF-8''", name);
  for (guint i = 0; i < pieces->len; i++)
    {
      const char *piece = g_ptr_array_index (pieces, i);
      gboolean has_piece = current->str[current->len - 1] != '=' &&
                           current->str[current->len - 1] != '\'';

      if (has_piece && current->len + strlen (piece) + 1 > max_word)
        {
          if (out->len > 0)
            g_string_append (out, "; ");
          g_string_append (out, current->str);
          section++;
          g_string_printf (current, "%s*%u*=", name, section);
        }
      g_string_append (current, piece);
    }
  if (out->len > 0)
    g_string_append (out, "; ");
  g_string_append (out, current->str);
  g_string_free (current, TRUE);
  return g_string_free (out, FALSE);
}

/* ---- folding ---- */

char *
missive_builder_unfold (const char *raw)
{
  GString *out = g_string_new (NULL);

  for (const char *p = raw; *p != '\0'; p++)
    if (*p != '\r' && *p != '\n')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

char *
missive_builder_fold (const char *name,
                      const char *value,
                      guint       fold_length)
{
  GString *out = g_string_new (NULL);
  gsize line_len = strlen (name) + 1;
  gboolean has_word = FALSE;
  const char *p = value;

  while (*p != '\0')
    {
      const char *ws = p, *word;
      gsize ws_len, word_len;
      gboolean in_quote = FALSE;

      while (*p == ' ' || *p == '\t')
        p++;
      ws_len = p - ws;
      word = p;
      while (*p != '\0' && (in_quote || (*p != ' ' && *p != '\t')))
        {
          if (in_quote && *p == '\\' && p[1] != '\0')
            {
              p += 2;
              continue;
            }
          if (*p == '"')
            in_quote = !in_quote;
          p++;
        }
      word_len = p - word;

      if (ws_len > 0 && word_len > 0 &&
          line_len + ws_len + word_len > fold_length &&
          (has_word || ws_len + word_len <= fold_length))
        {
          g_string_append_c (out, '\n');
          line_len = 0;
        }
      g_string_append_len (out, ws, ws_len + word_len);
      line_len += ws_len + word_len;
      if (word_len > 0)
        has_word = TRUE;
    }
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

void
missive_builder_append_header (GMimeObject *object,
                               const char  *name,
                               const char  *value)
{
  GMimeHeaderList *list = g_mime_object_get_header_list (object);
  GMimeHeader *header;
  g_autofree char *raw = NULL;

  g_mime_object_append_header (object, name, "", NULL);
  header = g_mime_header_list_get_header_at (list, g_mime_header_list_get_count (list) - 1);
  raw = g_strconcat (" ", value, "\n", NULL);
  g_mime_header_set_raw_value (header, raw);
}

void
missive_builder_refold_object (GMimeObject *object,
                               guint        fold_length)
{
  GMimeHeaderList *list = g_mime_object_get_header_list (object);
  int count = g_mime_header_list_get_count (list);

  for (int i = 0; i < count; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (list, i);
      const char *raw = g_mime_header_get_raw_value (header);
      g_autofree char *unfolded = NULL;
      g_autofree char *folded = NULL;

      if (raw == NULL)
        continue;
      unfolded = missive_builder_unfold (raw);
      folded = missive_builder_fold (g_mime_header_get_raw_name (header), unfolded,
                                     fold_length);
      if (strcmp (folded, raw) != 0)
        g_mime_header_set_raw_value (header, folded);
    }

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        missive_builder_refold_object (g_mime_multipart_get_part (multipart, i), fold_length);
    }
  else if (GMIME_IS_MESSAGE (object))
    {
      GMimeObject *part = g_mime_message_get_mime_part (GMIME_MESSAGE (object));
      if (part != NULL)
        missive_builder_refold_object (part, fold_length);
    }
}
