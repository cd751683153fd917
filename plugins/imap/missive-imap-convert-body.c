/* missive-imap-convert-body.c: BODYSTRUCTURE and header blocks
 *
 * The conversions of missive-imap-convert.c (whose rules apply here too:
 * the shape of what the server sent is checked, known deviations are
 * accepted and marked "Lenient:") for a message's structure: BODYSTRUCTURE
 * or BODY as a tree of MissiveBodyPart, with the parameters of its parts
 * decoded from RFC 2231 (continuations, charsets), and a raw header block
 * split into unfolded fields.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-convert-private.h"

/* ---- BODYSTRUCTURE ---- */

/* One parameter of an RFC 2231 split or encoded value ("name*0*", "name*1",
 * "name*"). */
typedef struct
{
  guint index;
  gboolean encoded;
  const char *value;
} Rfc2231Segment;

typedef struct
{
  char *name;         /* lower-case, without the '*' part */
  GArray *segments;   /* of Rfc2231Segment */
} Rfc2231Param;

static void
rfc2231_param_free (gpointer data)
{
  Rfc2231Param *param = data;

  g_free (param->name);
  g_array_unref (param->segments);
  g_free (param);
}

/* The continuation index of "name*12*" etc.; FALSE if @star is not the
 * start of a valid RFC 2231 suffix. */
#define MAX_RFC2231_SEGMENTS 1000
static gboolean
parse_rfc2231_suffix (const char *star,
                      guint      *index,
                      gboolean   *encoded)
{
  const char *p = star + 1;
  guint n = 0, digits = 0;

  if (*p == '\0')
    {
      *index = 0;
      *encoded = TRUE;
      return TRUE;
    }
  while (g_ascii_isdigit (*p) && digits < 4)
    {
      n = n * 10 + (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0 || n >= MAX_RFC2231_SEGMENTS)
    return FALSE;
  *encoded = FALSE;
  if (*p == '*')
    {
      *encoded = TRUE;
      p++;
    }
  if (*p != '\0')
    return FALSE;
  *index = n;
  return TRUE;
}

static int
compare_segments (gconstpointer a,
                  gconstpointer b)
{
  const Rfc2231Segment *sa = a, *sb = b;

  return sa->index < sb->index ? -1 : sa->index > sb->index ? 1 : 0;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Joins the segments of an RFC 2231 parameter and converts the value from
 * its charset ("utf-8''%E2%82%AC"). */
static char *
rfc2231_decode (Rfc2231Param *param)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autofree char *charset = NULL;
  char *converted;

  g_array_sort (param->segments, compare_segments);
  for (guint i = 0; i < param->segments->len; i++)
    {
      Rfc2231Segment *segment = &g_array_index (param->segments, Rfc2231Segment, i);
      const char *p = segment->value;

      if (segment->encoded && i == 0)
        {
          /* charset'language'value; a value without the quotes is taken
           * as having neither (lenient). */
          const char *quote1 = strchr (p, '\'');
          const char *quote2 = quote1 != NULL ? strchr (quote1 + 1, '\'') : NULL;

          if (quote2 != NULL)
            {
              if (quote1 > p)
                charset = g_strndup (p, quote1 - p);
              p = quote2 + 1;
            }
        }
      for (; *p != '\0'; p++)
        {
          guint8 byte = (guint8) *p;

          if (segment->encoded && *p == '%' && hex_value (p[1]) >= 0 && hex_value (p[2]) >= 0)
            {
              byte = (guint8) (hex_value (p[1]) * 16 + hex_value (p[2]));
              p += 2;
            }
          /* A NUL cannot be part of a C string; drop it. */
          if (byte != 0)
            g_byte_array_append (bytes, &byte, 1);
        }
    }
  g_byte_array_append (bytes, (const guint8 *) "", 1);

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "us-ascii") != 0)
    {
      converted = g_convert ((const char *) bytes->data, -1, "UTF-8", charset, NULL, NULL, NULL);
      if (converted != NULL)
        return converted;
    }
  return missive_imap_convert_to_utf8 ((const char *) bytes->data);
}

/* A body-fld-param list "(name value ...)" or NIL into @part (or into the
 * disposition's parameters when @disposition). */
static gboolean
apply_parameters (const MissiveImapValue  *value,
                  MissiveBodyPart         *part,
                  gboolean                 disposition,
                  gboolean                 decode_words,
                  const char              *what,
                  GError                 **error)
{
  g_autoptr (GPtrArray) plain = NULL;         /* alternating name, value */
  g_autoptr (GPtrArray) extended = NULL;      /* of Rfc2231Param */

  if (missive_imap_convert_is_nil (value))
    return TRUE;
  if (!missive_imap_convert_is_list (value))
    return missive_imap_convert_fail (error, "the parameters of %s are %s, not a list or NIL", what,
                                      missive_imap_convert_describe (value));
  /* Lenient: "()" (empty, not allowed by the grammar) is taken as NIL. */
  if (value->length % 2 != 0)
    return missive_imap_convert_fail (error,
                                      "the parameters of %s are an odd number of strings"
                                      " (%" G_GSIZE_FORMAT ")", what, value->length);

  plain = g_ptr_array_new_with_free_func (g_free);
  extended = g_ptr_array_new_with_free_func (rfc2231_param_free);
  for (const MissiveImapValue *name = value->children; name != NULL; name = name->next->next)
    {
      const MissiveImapValue *val = name->next;
      const char *star;
      guint index;
      gboolean encoded;

      if (!missive_imap_convert_is_text (name) || !missive_imap_convert_is_text (val))
        {
          const MissiveImapValue *bad = missive_imap_convert_is_text (name) ? val : name;

          return missive_imap_convert_fail (error, "a parameter of %s is %s, not a string", what,
                                            missive_imap_convert_describe (bad));
        }
      star = strchr (name->data, '*');
      if (star != NULL && star > name->data && parse_rfc2231_suffix (star, &index, &encoded))
        {
          g_autofree char *base = g_ascii_strdown (name->data, star - name->data);
          Rfc2231Param *param = NULL;
          Rfc2231Segment segment = { index, encoded, val->data };

          for (guint i = 0; i < extended->len && param == NULL; i++)
            if (strcmp (((Rfc2231Param *) extended->pdata[i])->name, base) == 0)
              param = extended->pdata[i];
          if (param == NULL)
            {
              param = g_new0 (Rfc2231Param, 1);
              param->name = g_steal_pointer (&base);
              param->segments = g_array_new (FALSE, FALSE, sizeof (Rfc2231Segment));
              g_ptr_array_add (extended, param);
            }
          /* A server that decodes nothing passes RFC 2231 through as is;
           * a value that repeats a segment keeps its first copy. */
          for (guint i = 0; i < param->segments->len && segment.value != NULL; i++)
            if (g_array_index (param->segments, Rfc2231Segment, i).index == index)
              segment.value = NULL;
          if (segment.value != NULL)
            g_array_append_val (param->segments, segment);
        }
      else
        {
          g_ptr_array_add (plain, g_ascii_strdown (name->data, -1));
          /* Lenient: RFC 2047 words in parameter values are against the
           * rules but common (Outlook, Thunderbird's filename="=?...?="). */
          g_ptr_array_add (plain, missive_imap_convert_header_text (val->data, decode_words));
        }
    }

  for (guint i = 0; i + 1 < plain->len; i += 2)
    {
      if (disposition)
        missive_body_part_set_disposition_parameter (part, plain->pdata[i], plain->pdata[i + 1]);
      else
        missive_body_part_set_parameter (part, plain->pdata[i], plain->pdata[i + 1]);
    }
  /* An RFC 2231 value wins over a plain one of the same name (senders add
   * the plain one for old readers). */
  for (guint i = 0; i < extended->len; i++)
    {
      Rfc2231Param *param = extended->pdata[i];
      g_autofree char *decoded = rfc2231_decode (param);

      if (disposition)
        missive_body_part_set_disposition_parameter (part, param->name, decoded);
      else
        missive_body_part_set_parameter (part, param->name, decoded);
    }
  return TRUE;
}

/* body-fld-dsp: "(" string SP body-fld-param ")" / NIL */
static gboolean
apply_disposition (const MissiveImapValue  *value,
                   MissiveBodyPart         *part,
                   gboolean                 decode_words,
                   GError                 **error)
{
  const MissiveImapValue *type;
  g_autofree char *lower = NULL;

  if (missive_imap_convert_is_nil (value))
    return TRUE;
  /* Lenient: a bare string (the type without its parameter list) is
   * accepted; so is a list with the type only. */
  if (missive_imap_convert_is_text (value))
    type = value;
  else if (missive_imap_convert_is_list (value) && (value->length == 1 || value->length == 2))
    type = value->children;
  else if (missive_imap_convert_is_list (value))
    return missive_imap_convert_fail (error,
                                      "the disposition of part %s has %" G_GSIZE_FORMAT
                                      " items, not 2",
                                      missive_body_part_get_section (part), value->length);
  else
    return missive_imap_convert_fail (error, "the disposition of part %s is %s, not a list or NIL",
                                      missive_body_part_get_section (part),
                                      missive_imap_convert_describe (value));

  if (!missive_imap_convert_is_text (type))
    return missive_imap_convert_fail (error, "the disposition type of part %s is %s, not a string",
                                      missive_body_part_get_section (part),
                                      missive_imap_convert_describe (type));
  lower = g_ascii_strdown (type->data, -1);
  missive_body_part_set_disposition (part, lower);
  if (missive_imap_convert_is_list (value) && value->length == 2)
    {
      g_autofree char *what = g_strdup_printf ("the disposition of part %s",
                                               missive_body_part_get_section (part));

      return apply_parameters (type->next, part, TRUE, decode_words, what, error);
    }
  return TRUE;
}

/* body-fld-lang: nstring / "(" string *(SP string) ")" */
static gboolean
apply_language (const MissiveImapValue  *value,
                MissiveBodyPart         *part,
                GError                 **error)
{
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) languages = NULL;

  if (missive_imap_convert_is_nil (value))
    return TRUE;
  builder = g_strv_builder_new ();
  if (missive_imap_convert_is_text (value))
    missive_imap_convert_builder_add_utf8 (builder, value->data);
  else if (missive_imap_convert_is_list (value))
    {
      for (const MissiveImapValue *language = value->children; language != NULL;
           language = language->next)
        {
          if (!missive_imap_convert_is_text (language))
            return missive_imap_convert_fail (error, "a language of part %s is %s, not a string",
                                              missive_body_part_get_section (part),
                                              missive_imap_convert_describe (language));
          missive_imap_convert_builder_add_utf8 (builder, language->data);
        }
    }
  else
    return missive_imap_convert_fail (error,
                                      "the language of part %s is %s, not a string or a list",
                                      missive_body_part_get_section (part),
                                      missive_imap_convert_describe (value));
  languages = g_strv_builder_end (builder);
  if (languages[0] != NULL)
    missive_body_part_set_language (part, (const char * const *) languages);
  return TRUE;
}

/* The extension data shared by both kinds of parts, from @value on:
 * [disposition [language [location *extension]]]. Missing items are fine
 * (BODY has none; older servers stop early); what follows the location is
 * ignored (future extensions). */
static gboolean
apply_common_extensions (const MissiveImapValue  *value,
                         MissiveBodyPart         *part,
                         gboolean                 decode_words,
                         GError                 **error)
{
  const char *location;
  g_autofree char *what = NULL;

  if (value == NULL)
    return TRUE;
  if (!apply_disposition (value, part, decode_words, error))
    return FALSE;
  value = value->next;
  if (value == NULL)
    return TRUE;
  if (!apply_language (value, part, error))
    return FALSE;
  value = value->next;
  if (value == NULL)
    return TRUE;
  what = g_strdup_printf ("the location of part %s", missive_body_part_get_section (part));
  if (!missive_imap_convert_get_nstring (value, what, &location, error))
    return FALSE;
  if (location != NULL)
    {
      g_autofree char *utf8 = missive_imap_convert_to_utf8 (location);

      missive_body_part_set_location (part, utf8);
    }
  return TRUE;
}

static MissiveBodyPart *parse_body (const MissiveImapValue  *value,
                                    const char              *section,
                                    gboolean                 decode_words,
                                    GError                 **error);

/* The section of child @n (from 1) of the multipart at @section: the
 * children of the top-level multipart ("TEXT") are 1, 2, ...; those of a
 * multipart that is the body of the message/rfc822 part 3 ("3.TEXT") are
 * 3.1, 3.2, ...; those of a nested multipart 2 are 2.1, 2.2, ... */
static char *
child_section (const char *section,
               guint       n)
{
  if (strcmp (section, "TEXT") == 0)
    return g_strdup_printf ("%u", n);
  if (g_str_has_suffix (section, ".TEXT"))
    return g_strdup_printf ("%.*s.%u", (int) (strlen (section) - 5), section, n);
  return g_strdup_printf ("%s.%u", section, n);
}

/* body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
 * body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang
 *                   [SP body-fld-loc *(SP body-extension)]]] */
static MissiveBodyPart *
parse_multipart (const MissiveImapValue  *value,
                 const char              *section,
                 gboolean                 decode_words,
                 GError                 **error)
{
  g_autoptr (MissiveBodyPart) part = missive_body_part_new ();
  const MissiveImapValue *item = value->children;
  g_autofree char *subtype = NULL;
  g_autofree char *what = NULL;
  guint n = 0;

  missive_body_part_set_section (part, section);
  missive_body_part_set_media_type (part, "multipart");
  for (; missive_imap_convert_is_list (item); item = item->next)
    {
      g_autofree char *child_number = child_section (section, ++n);
      g_autoptr (MissiveBodyPart) child = parse_body (item, child_number, decode_words, error);

      if (child == NULL)
        return NULL;
      missive_body_part_add_child (part, child);
    }

  /* Lenient: Exchange has been seen to send NIL for the subtype. */
  if (missive_imap_convert_is_nil (item))
    subtype = g_strdup ("mixed");
  else if (missive_imap_convert_is_text (item))
    subtype = g_ascii_strdown (item->data, -1);
  else
    {
      missive_imap_convert_fail (error, "the subtype of multipart %s is %s, not a string", section,
                                 missive_imap_convert_describe (item));
      return NULL;
    }
  missive_body_part_set_media_subtype (part, subtype);

  item = item->next;
  if (item == NULL)
    return g_steal_pointer (&part);
  what = g_strdup_printf ("multipart %s", section);
  if (!apply_parameters (item, part, FALSE, decode_words, what, error) ||
      !apply_common_extensions (item->next, part, decode_words, error))
    return NULL;
  return g_steal_pointer (&part);
}

/* body-type-1part = (body-type-basic / body-type-msg / body-type-text)
 *                   [SP body-ext-1part]
 * body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP
 *                   body-fld-enc SP body-fld-octets
 * body-type-text  = media-text SP body-fields SP body-fld-lines
 * body-type-msg   = media-message SP body-fields SP envelope SP body SP
 *                   body-fld-lines
 * body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
 *                   [SP body-fld-loc *(SP body-extension)]]] */
static MissiveBodyPart *
parse_single_part (const MissiveImapValue  *value,
                   const char              *section,
                   gboolean                 decode_words,
                   GError                 **error)
{
  g_autoptr (MissiveBodyPart) part = missive_body_part_new ();
  const MissiveImapValue *item;
  const char *type, *subtype, *id, *description, *encoding, *md5;
  g_autofree char *type_lower = NULL;
  g_autofree char *subtype_lower = NULL;
  g_autofree char *what = NULL;
  guint64 size = 0, lines = 0;

  missive_body_part_set_section (part, section);
  if (value->length < 7)
    {
      missive_imap_convert_fail (error, "part %s has %" G_GSIZE_FORMAT " fields, not at least 7",
                                 section, value->length);
      return NULL;
    }
  what = g_strdup_printf ("part %s", section);

  item = value->children;
  if (!missive_imap_convert_get_nstring (item, "the media type", &type, error) ||
      !missive_imap_convert_get_nstring (item->next, "the media subtype", &subtype, error))
    {
      g_prefix_error (error, "part %s: ", section);
      return NULL;
    }
  /* Lenient: Exchange sends NIL for strings that the grammar requires
   * (type, subtype, encoding, size). Missing types are those of RFC 2045's
   * default for parts nobody can interpret. */
  type_lower = g_ascii_strdown (type != NULL ? type : "application", -1);
  if (subtype != NULL)
    subtype_lower = g_ascii_strdown (subtype, -1);
  else
    subtype_lower = g_strdup (strcmp (type_lower, "text") == 0 ? "plain" : "octet-stream");
  missive_body_part_set_media_type (part, type_lower);
  missive_body_part_set_media_subtype (part, subtype_lower);

  item = item->next->next;
  if (!apply_parameters (item, part, FALSE, decode_words, what, error))
    return NULL;
  item = item->next;
  if (!missive_imap_convert_get_nstring (item, "the id", &id, error) ||
      !missive_imap_convert_get_nstring (item->next, "the description", &description, error) ||
      !missive_imap_convert_get_nstring (item->next->next, "the encoding", &encoding, error))
    {
      g_prefix_error (error, "part %s: ", section);
      return NULL;
    }
  if (id != NULL)
    {
      g_autofree char *utf8 = missive_imap_convert_to_utf8 (id);

      missive_body_part_set_id (part, utf8);
    }
  if (description != NULL)
    {
      g_autofree char *decoded = missive_imap_convert_header_text (description, decode_words);

      missive_body_part_set_description (part, decoded);
    }
  if (encoding != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (encoding, -1);

      missive_body_part_set_encoding (part, lower);
    }
  item = item->next->next->next;
  /* Lenient: NIL for the size (Exchange) is 0. */
  if (!missive_imap_convert_is_nil (item) &&
      !missive_imap_convert_get_number (item, "the size", G_MAXUINT64, &size, error))
    {
      g_prefix_error (error, "part %s: ", section);
      return NULL;
    }
  missive_body_part_set_size (part, size);
  item = item->next;

  if (strcmp (type_lower, "message") == 0 &&
      (strcmp (subtype_lower, "rfc822") == 0 || strcmp (subtype_lower, "global") == 0) &&
      missive_imap_convert_is_list (item))
    {
      /* The embedded message: its envelope, its body (numbered under this
       * part: a multipart body is "<section>.TEXT" with children
       * <section>.1, ...; a single body is "<section>.1"), its lines.
       * Lenient: without an envelope list in place, the part was sent as a
       * basic one (some servers do that for messages they cannot parse). */
      g_autoptr (MissiveMessageInfo) info = missive_message_info_new ();
      g_autoptr (MissiveBodyPart) body = NULL;
      g_autofree char *body_section = NULL;

      if (!missive_imap_convert_apply_envelope (item, info, decode_words, error))
        {
          g_prefix_error (error, "part %s: ", section);
          return NULL;
        }
      item = item->next;
      if (!missive_imap_convert_is_list (item))
        {
          missive_imap_convert_fail (error, "the body of message part %s is %s, not a list",
                                     section, missive_imap_convert_describe (item));
          return NULL;
        }
      body_section = g_strdup_printf (missive_imap_convert_is_list (item->children) ?
                                      "%s.TEXT" : "%s.1", section);
      body = parse_body (item, body_section, decode_words, error);
      if (body == NULL)
        return NULL;
      missive_message_info_set_body_structure (info, body);
      missive_body_part_add_child (part, body);
      missive_body_part_set_message_info (part, info);
      item = item->next;
      /* Lenient: a missing line count is 0. */
      if (item != NULL && !missive_imap_convert_is_nil (item))
        {
          if (!missive_imap_convert_get_number (item, "the line count", G_MAXUINT64, &lines, error))
            {
              g_prefix_error (error, "part %s: ", section);
              return NULL;
            }
          item = item->next;
        }
      else if (item != NULL)
        item = item->next;
      missive_body_part_set_lines (part, lines);
    }
  else if (strcmp (type_lower, "text") == 0)
    {
      /* Lenient: the line count may be missing (then what follows, if
       * anything, is a string: the MD5 of the extension data), or NIL. */
      if (item != NULL && item->type == MISSIVE_IMAP_VALUE_ATOM)
        {
          if (!missive_imap_convert_get_number (item, "the line count", G_MAXUINT64, &lines, error))
            {
              g_prefix_error (error, "part %s: ", section);
              return NULL;
            }
          item = item->next;
        }
      else if (missive_imap_convert_is_nil (item))
        item = item->next;
      missive_body_part_set_lines (part, lines);
    }

  /* Extension data (BODYSTRUCTURE only; any of it may be missing). */
  if (item == NULL)
    return g_steal_pointer (&part);
  if (!missive_imap_convert_get_nstring (item, "the MD5", &md5, error))
    {
      g_prefix_error (error, "part %s: ", section);
      return NULL;
    }
  if (md5 != NULL)
    {
      g_autofree char *utf8 = missive_imap_convert_to_utf8 (md5);

      missive_body_part_set_md5 (part, utf8);
    }
  if (!apply_common_extensions (item->next, part, decode_words, error))
    return NULL;
  return g_steal_pointer (&part);
}

static MissiveBodyPart *
parse_body (const MissiveImapValue  *value,
            const char              *section,
            gboolean                 decode_words,
            GError                 **error)
{
  if (!missive_imap_convert_is_list (value))
    {
      missive_imap_convert_fail (error, "the body structure of part %s is %s, not a list", section,
                                 missive_imap_convert_describe (value));
      return NULL;
    }
  if (value->length == 0)
    {
      missive_imap_convert_fail (error, "the body structure of part %s is an empty list", section);
      return NULL;
    }
  /* A multipart starts with the list of its first child. */
  if (missive_imap_convert_is_list (value->children))
    return parse_multipart (value, section, decode_words, error);
  return parse_single_part (value, section, decode_words, error);
}

/* The root: a multipart is "TEXT" (its children 1, 2, ...), a single part
 * is "1" (RFC 3501 6.4.5: every message has a part 1). */
MissiveBodyPart *
missive_imap_convert_body_from_value (const MissiveImapValue  *value,
                                      gboolean                 decode_words,
                                      GError                 **error)
{
  const char *section = missive_imap_convert_is_list (value) &&
                        missive_imap_convert_is_list (value->children) ? "TEXT" : "1";

  return parse_body (value, section, decode_words, error);
}

MissiveBodyPart *
missive_imap_body_part_from_value (const MissiveImapValue  *value,
                                   GError                 **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return missive_imap_convert_body_from_value (value, TRUE, error);
}

/* ---- headers ---- */

static void
emit_field (GString              *field,
            MissiveImapHeaderFunc func,
            gpointer              user_data)
{
  char *colon = strchr (field->str, ':');
  char *name_end = colon;
  const char *value = colon + 1;
  g_autofree char *name = NULL;
  g_autofree char *utf8 = NULL;
  gsize length;

  /* Lenient: "Subject :" (obsolete syntax) names "Subject". */
  while (name_end > field->str && (name_end[-1] == ' ' || name_end[-1] == '\t'))
    name_end--;
  if (name_end == field->str)
    return;
  name = g_strndup (field->str, name_end - field->str);
  while (*value == ' ' || *value == '\t')
    value++;
  length = strlen (value);
  while (length > 0 && (value[length - 1] == ' ' || value[length - 1] == '\t' ||
                        value[length - 1] == '\r'))
    length--;
  field->str[(value - field->str) + length] = '\0';
  utf8 = missive_imap_convert_to_utf8 (value);
  if (g_utf8_validate (name, -1, NULL))
    func (name, utf8, user_data);
}

/* Splits a header block into fields, unfolded (the line breaks before
 * continuation lines removed, their whitespace kept), and calls @func for
 * each. Lines end with CRLF or a bare LF; the block ends at the first empty
 * line or at the end of @data. A line that is neither a field nor a
 * continuation (an mbox "From " line, garbage) is skipped. */
void
missive_imap_convert_split_headers (const char           *data,
                                    gsize                 length,
                                    MissiveImapHeaderFunc func,
                                    gpointer              user_data)
{
  g_autoptr (GString) field = g_string_new (NULL);
  gboolean have_field = FALSE;
  const char *end = data + length;
  const char *line = data;

  while (line < end)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *next = eol != NULL ? eol + 1 : end;
      gsize line_length = (eol != NULL ? eol : end) - line;
      const char *nul;

      if (line_length > 0 && line[line_length - 1] == '\r')
        line_length--;
      /* A NUL ends the usable part of a line. */
      nul = memchr (line, '\0', line_length);
      if (nul != NULL)
        line_length = nul - line;

      if (line_length > 0 && (line[0] == ' ' || line[0] == '\t'))
        {
          if (have_field)
            g_string_append_len (field, line, line_length);
        }
      else
        {
          if (have_field)
            emit_field (field, func, user_data);
          have_field = FALSE;
          if (line_length == 0)
            break;
          if (memchr (line, ':', line_length) != NULL)
            {
              g_string_truncate (field, 0);
              g_string_append_len (field, line, line_length);
              have_field = TRUE;
            }
        }
      line = next;
    }
  if (have_field)
    emit_field (field, func, user_data);
}
