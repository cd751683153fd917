/* missive-message-builder-attach.c: attachments, inline parts and the MIME
 * tree of the message builder
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-message-builder-private.h"

#define SNIFF_SIZE 4096

void
missive_builder_attachment_free (gpointer data)
{
  MissiveBuilderAttachment *attachment = data;

  g_clear_object (&attachment->file);
  g_clear_pointer (&attachment->bytes, g_bytes_unref);
  g_free (attachment->filename);
  g_free (attachment->content_type);
  g_free (attachment->content_id);
  g_free (attachment);
}

/* Checks a content type given by the application and returns it in a
 * normal form ("type/subtype; param=value..."). */
static char *
check_content_type (const char  *content_type,
                    GError     **error)
{
  GMimeContentType *parsed;
  const char *slash;
  gboolean ok;

  if (!missive_builder_check_text ("The content type", content_type, FALSE, error))
    return NULL;
  slash = strchr (content_type, '/');
  parsed = g_mime_content_type_parse (NULL, content_type);
  ok = slash != NULL && parsed != NULL;
  if (ok && (
      g_mime_content_type_get_media_type (parsed) == NULL ||
      g_mime_content_type_get_media_subtype (parsed) == NULL ||
      g_ascii_strncasecmp (content_type + strspn (content_type, " \t"),
                           g_mime_content_type_get_media_type (parsed),
                           strlen (g_mime_content_type_get_media_type (parsed))) != 0))
    ok = FALSE;
  if (!ok)
    {
      g_clear_object (&parsed);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a content type of the form type/subtype", content_type);
      return NULL;
    }
  if (g_ascii_strcasecmp (g_mime_content_type_get_media_type (parsed), "multipart") == 0 ||
      g_ascii_strcasecmp (g_mime_content_type_get_media_type (parsed), "message") == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "An attachment cannot be declared as %s/*",
                   g_mime_content_type_get_media_type (parsed));
      g_object_unref (parsed);
      return NULL;
    }
  g_object_unref (parsed);
  return g_strdup (content_type);
}

static char *
guess_content_type (const char   *filename,
                    const guchar *data,
                    gsize         size)
{
  g_autofree char *guessed = NULL;
  char *mime;

  guessed = g_content_type_guess (filename, data, size, NULL);
  mime = guessed != NULL ? g_content_type_get_mime_type (guessed) : NULL;
  if (mime == NULL || strchr (mime, '/') == NULL)
    {
      g_free (mime);
      mime = g_strdup ("application/octet-stream");
    }
  return mime;
}

static char *
file_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  char *utf8;

  if (basename == NULL)
    return NULL;
  utf8 = g_filename_to_utf8 (basename, -1, NULL, NULL, NULL);
  if (utf8 == NULL)
    utf8 = g_filename_display_name (basename);
  return utf8;
}

static char *
generate_content_id (void)
{
  g_autofree char *domain = missive_builder_local_domain ();

  /* 80 random bits: unique enough within a message, and short enough to
   * leave room on the line for the domain. */
  return g_strdup_printf ("%08x%08x%04x@%s", g_random_int (), g_random_int (),
                          g_random_int () & 0xffff, domain);
}

/* Fills a new attachment record; takes ownership of nothing. */
static MissiveBuilderAttachment *
make_attachment (GFile        *file,
                 GBytes       *bytes,
                 const char   *filename,
                 const char   *content_type,
                 const char   *content_id,
                 gboolean      is_inline,
                 GCancellable *cancellable,
                 GError      **error)
{
  MissiveBuilderAttachment *attachment;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *cid = NULL;

  if (filename != NULL)
    {
      if (!missive_builder_check_text ("The file name", filename, FALSE, error))
        return NULL;
      name = g_strdup (filename);
    }
  else if (file != NULL)
    name = file_display_name (file);

  if (content_type != NULL)
    {
      type = check_content_type (content_type, error);
      if (type == NULL)
        return NULL;
    }

  if (is_inline)
    {
      if (content_id != NULL)
        {
          cid = missive_builder_normalize_msg_id ("The Content-ID", content_id, FALSE, error);
          if (cid == NULL)
            return NULL;
        }
      else
        cid = generate_content_id ();
    }

  if (file != NULL)
    {
      /* Open the file now: a missing or unreadable file is reported here,
       * and its first bytes help guess the type. The data itself is read
       * only when the message is written. */
      g_autoptr(GFileInputStream) in = NULL;
      guchar buffer[SNIFF_SIZE];
      gsize got = 0;

      in = g_file_read (file, cancellable, error);
      if (in == NULL)
        return NULL;
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), buffer, sizeof buffer, &got,
                                    cancellable, error))
        return NULL;
      if (type == NULL)
        type = guess_content_type (name, buffer, got);
    }
  else if (type == NULL)
    {
      gsize size = 0;
      const guchar *data = g_bytes_get_data (bytes, &size);
      type = guess_content_type (name, data, MIN (size, SNIFF_SIZE));
    }

  attachment = g_new0 (MissiveBuilderAttachment, 1);
  attachment->file = file != NULL ? g_object_ref (file) : NULL;
  attachment->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  attachment->filename = g_steal_pointer (&name);
  attachment->content_type = g_steal_pointer (&type);
  attachment->content_id = g_steal_pointer (&cid);
  attachment->is_inline = is_inline;
  return attachment;
}

/**
 * missive_message_builder_add_attachment_file:
 * @self: a #MissiveMessageBuilder
 * @file: the file to attach
 * @filename: (nullable): the file name the recipients see (UTF-8), or
 *   %NULL for the file's own name
 * @content_type: (nullable): the content type, e.g. `application/pdf`, or
 *   %NULL to guess it from the name and the first bytes of the file
 * @error: return location for a #GError
 *
 * Attaches a file. The file is opened now (so that a missing file is
 * reported here) but read only when the built message is written, so a
 * large file is never held in memory; it must still exist then.
 *
 * Returns: %TRUE; %FALSE with the #GIOError when the file cannot be read,
 *   or %MISSIVE_ERROR_INVALID_ARGUMENT when the name or type is not valid
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_attachment_file (MissiveMessageBuilder *self,
                                             GFile                 *file,
                                             const char            *filename,
                                             const char            *content_type,
                                             GError               **error)
{
  MissiveBuilderAttachment *attachment;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attachment = make_attachment (file, NULL, filename, content_type, NULL, FALSE, NULL, error);
  if (attachment == NULL)
    return FALSE;
  g_ptr_array_add (self->attachments, attachment);
  return TRUE;
}

/**
 * missive_message_builder_add_attachment_path:
 * @self: a #MissiveMessageBuilder
 * @path: (type filename): the path of the file to attach
 * @error: return location for a #GError
 *
 * Attaches a file by path, with its own name and a guessed content type;
 * see [method@MessageBuilder.add_attachment_file].
 *
 * Returns: %TRUE, or %FALSE with an error
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_attachment_path (MissiveMessageBuilder *self,
                                             const char            *path,
                                             GError               **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  return missive_message_builder_add_attachment_file (self, file, NULL, NULL, error);
}

/**
 * missive_message_builder_add_attachment_bytes:
 * @self: a #MissiveMessageBuilder
 * @bytes: the data to attach
 * @filename: (nullable): the file name the recipients see (UTF-8), or %NULL
 * @content_type: (nullable): the content type, or %NULL to guess it from
 *   the name and the data
 * @error: return location for a #GError
 *
 * Attaches data held in memory.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when the
 *   name or type is not valid
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_attachment_bytes (MissiveMessageBuilder *self,
                                              GBytes                *bytes,
                                              const char            *filename,
                                              const char            *content_type,
                                              GError               **error)
{
  MissiveBuilderAttachment *attachment;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attachment = make_attachment (NULL, bytes, filename, content_type, NULL, FALSE, NULL, error);
  if (attachment == NULL)
    return FALSE;
  g_ptr_array_add (self->attachments, attachment);
  return TRUE;
}

/**
 * missive_message_builder_add_attachment_stream:
 * @self: a #MissiveMessageBuilder
 * @stream: the data to attach
 * @filename: (nullable): the file name the recipients see (UTF-8), or %NULL
 * @content_type: (nullable): the content type, or %NULL to guess it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Attaches the rest of a stream. The stream is read to its end now (and
 * kept in memory, so the builder can build more than one message), without
 * closing it. This blocks; read a large stream into a file and use
 * [method@MessageBuilder.add_attachment_file] instead.
 *
 * Returns: %TRUE; %FALSE with the stream's error, %G_IO_ERROR_CANCELLED,
 *   or %MISSIVE_ERROR_INVALID_ARGUMENT when the name or type is not valid
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_attachment_stream (MissiveMessageBuilder *self,
                                               GInputStream          *stream,
                                               const char            *filename,
                                               const char            *content_type,
                                               GCancellable          *cancellable,
                                               GError               **error)
{
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check the arguments before consuming the stream. */
  if (!missive_builder_check_text ("The file name", filename, FALSE, error))
    return FALSE;
  if (content_type != NULL)
    {
      g_autofree char *checked = check_content_type (content_type, error);
      if (checked == NULL)
        return FALSE;
    }

  memory = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              cancellable, error) < 0)
    return FALSE;
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  return missive_message_builder_add_attachment_bytes (self, bytes, filename, content_type, error);
}

/**
 * missive_message_builder_add_inline_file:
 * @self: a #MissiveMessageBuilder
 * @file: the file, e.g. an image the HTML body shows
 * @content_id: (nullable): the Content-ID (angle brackets optional), or
 *   %NULL to generate one
 * @content_type: (nullable): the content type, or %NULL to guess it
 * @error: return location for a #GError
 *
 * Adds an inline part that the HTML body refers to as `cid:` followed by
 * the returned Content-ID. With an HTML body, the HTML and its inline
 * parts are wrapped in a `multipart/related`; without one, inline parts
 * are added to the message like attachments, with an inline disposition.
 * The file is read when the message is written, as for
 * [method@MessageBuilder.add_attachment_file].
 *
 * Returns: (transfer full) (nullable): the Content-ID, without angle
 *   brackets; %NULL with the #GIOError when the file cannot be read, or
 *   %MISSIVE_ERROR_INVALID_ARGUMENT when the Content-ID or type is not valid
 *
 * Since: 1.0
 */
char *
missive_message_builder_add_inline_file (MissiveMessageBuilder *self,
                                         GFile                 *file,
                                         const char            *content_id,
                                         const char            *content_type,
                                         GError               **error)
{
  MissiveBuilderAttachment *attachment;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  attachment = make_attachment (file, NULL, NULL, content_type, content_id, TRUE, NULL, error);
  if (attachment == NULL)
    return NULL;
  g_ptr_array_add (self->attachments, attachment);
  return g_strdup (attachment->content_id);
}

/**
 * missive_message_builder_add_inline_bytes:
 * @self: a #MissiveMessageBuilder
 * @bytes: the data
 * @filename: (nullable): a file name for the part (UTF-8), or %NULL
 * @content_id: (nullable): the Content-ID (angle brackets optional), or
 *   %NULL to generate one
 * @content_type: (nullable): the content type, or %NULL to guess it
 * @error: return location for a #GError
 *
 * Adds an inline part from memory; see
 * [method@MessageBuilder.add_inline_file].
 *
 * Returns: (transfer full) (nullable): the Content-ID, without angle
 *   brackets, or %NULL with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
char *
missive_message_builder_add_inline_bytes (MissiveMessageBuilder *self,
                                          GBytes                *bytes,
                                          const char            *filename,
                                          const char            *content_id,
                                          const char            *content_type,
                                          GError               **error)
{
  MissiveBuilderAttachment *attachment;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  attachment = make_attachment (NULL, bytes, filename, content_type, content_id, TRUE,
                                NULL, error);
  if (attachment == NULL)
    return NULL;
  g_ptr_array_add (self->attachments, attachment);
  return g_strdup (attachment->content_id);
}

/**
 * missive_message_builder_get_attachment_count:
 * @self: a #MissiveMessageBuilder
 *
 * Gets the number of attachments and inline parts added.
 *
 * Returns: the number of attachments and inline parts
 *
 * Since: 1.0
 */
guint
missive_message_builder_get_attachment_count (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), 0);
  return self->attachments->len;
}

/**
 * missive_message_builder_clear_attachments:
 * @self: a #MissiveMessageBuilder
 *
 * Removes every attachment and inline part.
 *
 * Since: 1.0
 */
void
missive_message_builder_clear_attachments (MissiveMessageBuilder *self)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_ptr_array_set_size (self->attachments, 0);
}

/* ---- the MIME tree ---- */

static void
set_raw_content_type (GMimeObject *object,
                      const char  *value)
{
  GMimeHeaderList *list = g_mime_object_get_header_list (object);
  GMimeHeader *header = g_mime_header_list_get_header (list, "Content-Type");
  g_autofree char *raw = g_strconcat (" ", value, "\n", NULL);

  if (header == NULL)
    {
      missive_builder_append_header (object, "Content-Type", value);
      return;
    }
  g_mime_header_set_raw_value (header, raw);
}

static GMimeObject *
make_text_part (const char *text,
                const char *subtype,
                const char *charset)
{
  g_autoptr(GString) normalized = g_string_sized_new (strlen (text));
  g_autofree char *converted = NULL;
  gsize converted_len = 0;
  GMimeStream *stream;
  GMimeDataWrapper *content;
  GMimeContentEncoding encoding;
  GMimeTextPart *part;

  /* Store LF line endings, as GMime does; the writer turns them into CRLF
   * where the output asks for it. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (normalized, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (normalized, *p);
    }

  if (g_ascii_strcasecmp (charset, "UTF-8") != 0 && g_ascii_strcasecmp (charset, "UTF8") != 0)
    converted = g_convert (normalized->str, normalized->len, charset, "UTF-8",
                           NULL, &converted_len, NULL);
  if (converted == NULL)
    {
      charset = "UTF-8";
      converted = g_strndup (normalized->str, normalized->len);
      converted_len = normalized->len;
    }

  part = g_mime_text_part_new_with_subtype (subtype);
  stream = g_mime_stream_mem_new_with_buffer (converted, converted_len);
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (part), content);
  g_object_unref (content);
  g_object_unref (stream);
  g_mime_text_part_set_charset (part, charset);
  encoding = g_mime_part_get_best_content_encoding (GMIME_PART (part),
                                                   GMIME_ENCODING_CONSTRAINT_7BIT);
  /* Say 7bit explicitly rather than leave the header out. */
  if (encoding == GMIME_CONTENT_ENCODING_DEFAULT)
    encoding = GMIME_CONTENT_ENCODING_7BIT;
  g_mime_part_set_content_encoding (GMIME_PART (part), encoding);
  return GMIME_OBJECT (part);
}

static GMimeObject *
make_attachment_part (MissiveBuilderAttachment *attachment,
                      guint                     max_word,
                      gboolean                  force_inline)
{
  GMimeContentType *type = g_mime_content_type_parse (NULL, attachment->content_type);
  GMimeParamList *params = g_mime_content_type_get_parameters (type);
  GMimeStream *stream;
  GMimeDataWrapper *content;
  g_autoptr(GString) value = g_string_new (NULL);
  GMimePart *part;

  part = g_mime_part_new_with_type (g_mime_content_type_get_media_type (type),
                                    g_mime_content_type_get_media_subtype (type));
  if (attachment->file != NULL)
    stream = g_mime_stream_gio_new (g_object_ref (attachment->file));  /* takes the ref */
  else
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (attachment->bytes, &size);
      stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
    }
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_object_unref (content);
  g_object_unref (stream);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);

  /* Content-Type, with the file name as a "name" parameter for old
   * readers; both headers are written by us so the parameters follow the
   * fold length. */
  g_string_append_printf (value, "%s/%s", g_mime_content_type_get_media_type (type),
                          g_mime_content_type_get_media_subtype (type));
  for (int i = 0; i < g_mime_param_list_length (params); i++)
    {
      GMimeParam *param = g_mime_param_list_get_parameter_at (params, i);
      g_autofree char *encoded = NULL;

      if (g_ascii_strcasecmp (g_mime_param_get_name (param), "name") == 0)
        continue;
      encoded = missive_builder_encode_param (g_mime_param_get_name (param),
                                              g_mime_param_get_value (param), max_word);
      g_string_append_printf (value, "; %s", encoded);
    }
  if (attachment->filename != NULL)
    {
      g_autofree char *encoded = missive_builder_encode_param ("name", attachment->filename,
                                                               max_word);
      g_string_append_printf (value, "; %s", encoded);
    }
  set_raw_content_type (GMIME_OBJECT (part), value->str);
  g_object_unref (type);

  g_string_assign (value, (attachment->is_inline || force_inline) ? "inline" : "attachment");
  if (attachment->filename != NULL)
    {
      g_autofree char *encoded = missive_builder_encode_param ("filename", attachment->filename,
                                                               max_word);
      g_string_append_printf (value, "; %s", encoded);
    }
  missive_builder_append_header (GMIME_OBJECT (part), "Content-Disposition", value->str);

  if (attachment->content_id != NULL)
    g_mime_object_set_content_id (GMIME_OBJECT (part), attachment->content_id);
  return GMIME_OBJECT (part);
}

static GMimeMultipart *
make_multipart (const char *subtype)
{
  GMimeMultipart *multipart = g_mime_multipart_new_with_subtype (subtype);

  /* Choose the boundary now: GMime would otherwise pick one while writing
   * and rewrite the Content-Type header past our folding. */
  g_mime_multipart_set_boundary (multipart, NULL);
  return multipart;
}

GMimeObject *
missive_builder_make_body (MissiveMessageBuilder *self)
{
  GMimeObject *text = NULL;
  GMimeObject *html = NULL;
  GMimeObject *body = NULL;
  g_autoptr(GPtrArray) mixed_parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) related_parts = g_ptr_array_new_with_free_func (g_object_unref);
  guint max_word = self->fold_length - 1;

  if (self->text_body != NULL)
    text = make_text_part (self->text_body, "plain", self->charset);
  if (self->html_body != NULL)
    html = make_text_part (self->html_body, "html", self->charset);

  for (guint i = 0; i < self->attachments->len; i++)
    {
      MissiveBuilderAttachment *attachment = g_ptr_array_index (self->attachments, i);

      if (attachment->is_inline && html != NULL)
        g_ptr_array_add (related_parts, make_attachment_part (attachment, max_word, TRUE));
      else
        g_ptr_array_add (mixed_parts, make_attachment_part (attachment, max_word, FALSE));
    }

  if (html != NULL && related_parts->len > 0)
    {
      GMimeMultipart *related = make_multipart ("related");

      g_mime_object_set_content_type_parameter (GMIME_OBJECT (related), "type", "text/html");
      g_mime_multipart_add (related, html);
      for (guint i = 0; i < related_parts->len; i++)
        g_mime_multipart_add (related, g_ptr_array_index (related_parts, i));
      g_clear_object (&html);
      html = GMIME_OBJECT (related);
    }

  if (text != NULL && html != NULL)
    {
      GMimeMultipart *alternative = make_multipart ("alternative");

      g_mime_multipart_add (alternative, text);
      g_mime_multipart_add (alternative, html);
      g_clear_object (&text);
      g_clear_object (&html);
      body = GMIME_OBJECT (alternative);
    }
  else if (html != NULL)
    body = g_steal_pointer (&html);
  else if (text != NULL)
    body = g_steal_pointer (&text);

  if (mixed_parts->len > 0)
    {
      GMimeMultipart *mixed = make_multipart ("mixed");

      if (body != NULL)
        g_mime_multipart_add (mixed, body);
      for (guint i = 0; i < mixed_parts->len; i++)
        g_mime_multipart_add (mixed, g_ptr_array_index (mixed_parts, i));
      g_clear_object (&body);
      body = GMIME_OBJECT (mixed);
    }

  if (body == NULL)
    body = make_text_part ("", "plain", self->charset);
  return body;
}
