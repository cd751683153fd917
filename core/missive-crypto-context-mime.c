/* missive-crypto-context-mime.c: MIME helpers for crypto backends
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-crypto-backend.h>

static void
add_mailboxes (GPtrArray           *array,
               InternetAddressList *list)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (address))
        add_mailboxes (array, internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address)));
      else if (INTERNET_ADDRESS_IS_MAILBOX (address))
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
          gboolean seen = FALSE;

          if (addr == NULL || *addr == '\0')
            continue;
          for (guint j = 0; j < array->len && !seen; j++)
            seen = g_ascii_strcasecmp (g_ptr_array_index (array, j), addr) == 0;
          if (!seen)
            g_ptr_array_add (array, g_strdup (addr));
        }
    }
}

/**
 * missive_crypto_message_get_addresses: (skip)
 * @message: a message
 * @from: %TRUE for the From addresses, %FALSE for To, Cc and Bcc
 *
 * For crypto backends: the mailboxes of @message's From, or To, Cc and
 * Bcc headers, in order, without duplicates (groups are flattened).
 *
 * Returns: (transfer full): the addresses (perhaps none)
 *
 * Since: 1.0
 */
char **
missive_crypto_message_get_addresses (GMimeMessage *message,
                                      gboolean      from)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  if (from)
    add_mailboxes (array, g_mime_message_get_from (message));
  else
    {
      add_mailboxes (array, g_mime_message_get_to (message));
      add_mailboxes (array, g_mime_message_get_cc (message));
      add_mailboxes (array, g_mime_message_get_bcc (message));
    }
  g_ptr_array_add (array, NULL);
  return (char **) g_ptr_array_free (array, FALSE);
}

static gboolean
is_mime_header (const char *name)
{
  return g_ascii_strncasecmp (name, "Content-", 8) == 0 ||
         g_ascii_strcasecmp (name, "MIME-Version") == 0;
}

/**
 * missive_crypto_message_new_with_part: (skip)
 * @message: the message whose headers to keep
 * @mime_part: the new body
 *
 * For crypto backends: a new message with the headers of @message (their
 * raw text, so nothing is re-encoded; MIME-Version and the Content-*
 * headers left out) and @mime_part as its body.
 *
 * Returns: (transfer full): the new message
 *
 * Since: 1.0
 */
GMimeMessage *
missive_crypto_message_new_with_part (GMimeMessage *message,
                                      GMimeObject  *mime_part)
{
  GMimeHeaderList *headers;
  g_autoptr(GString) text = g_string_new (NULL);
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *copy;
  int n;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (GMIME_IS_OBJECT (mime_part), NULL);

  /* Written out and parsed again: GMime then keeps each header's raw
   * value and sets the message's address lists, subject and date. */
  headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  n = g_mime_header_list_get_count (headers);
  for (int i = 0; i < n; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      const char *name = g_mime_header_get_name (header);
      const char *raw = g_mime_header_get_raw_value (header);

      if (is_mime_header (name) || raw == NULL)
        continue;
      g_string_append_printf (text, "%s:%s", name, raw);
      if (text->len == 0 || text->str[text->len - 1] != '\n')
        g_string_append_c (text, '\n');
    }
  g_string_append_c (text, '\n');

  stream = g_mime_stream_mem_new_with_buffer (text->str, text->len);
  parser = g_mime_parser_new_with_stream (stream);
  copy = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  if (copy == NULL)
    copy = g_mime_message_new (TRUE);
  g_mime_message_set_mime_part (copy, mime_part);
  return copy;
}

/**
 * missive_crypto_object_to_canonical_bytes: (skip)
 * @object: a MIME entity
 *
 * For crypto backends: writes @object (headers and body) with CRLF line
 * ends, the canonical form signatures are made over (RFC 3156 section 5,
 * RFC 8551 section 3.1.1).
 *
 * Returns: (transfer full): the bytes
 *
 * Since: 1.0
 */
GBytes *
missive_crypto_object_to_canonical_bytes (GMimeObject *object)
{
  GMimeStream *mem, *filtered;
  GMimeFilter *filter;
  GByteArray *array;
  GBytes *bytes;

  g_return_val_if_fail (GMIME_IS_OBJECT (object), NULL);

  mem = g_mime_stream_mem_new ();
  filtered = g_mime_stream_filter_new (mem);
  filter = g_mime_filter_unix2dos_new (FALSE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);
  g_object_unref (filter);
  g_mime_object_write_to_stream (object, NULL, filtered);
  g_mime_stream_flush (filtered);
  g_object_unref (filtered);

  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (mem);
  return bytes;
}

/**
 * missive_crypto_object_new_from_bytes: (skip)
 * @data: a MIME entity (headers and body), with CRLF or LF line ends
 * @error: return location for a #GError
 *
 * For crypto backends: parses @data, e.g. a decrypted body.
 *
 * Returns: (transfer full) (nullable): the entity, or %NULL with
 *   %MISSIVE_ERROR_INVALID_MESSAGE
 *
 * Since: 1.0
 */
GMimeObject *
missive_crypto_object_new_from_bytes (GBytes  *data,
                                      GError **error)
{
  GMimeStream *mem, *filtered;
  GMimeFilter *filter;
  GMimeParser *parser;
  gsize length;
  const guint8 *bytes;
  GMimeObject *object;

  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  mem = g_mime_stream_mem_new_with_buffer ((const char *) bytes, length);
  filtered = g_mime_stream_filter_new (mem);
  filter = g_mime_filter_dos2unix_new (FALSE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);
  g_object_unref (filter);
  parser = g_mime_parser_new_with_stream (filtered);
  object = g_mime_parser_construct_part (parser, NULL);
  g_object_unref (parser);
  g_object_unref (filtered);
  g_object_unref (mem);
  if (object == NULL)
    g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                         "The decrypted or signed content is not a MIME entity");
  return object;
}

/**
 * missive_crypto_part_get_content_bytes: (skip)
 * @part: a leaf MIME part
 *
 * For crypto backends: the content of @part with its transfer encoding
 * (base64, quoted-printable) removed.
 *
 * Returns: (transfer full): the bytes (empty when the part has none)
 *
 * Since: 1.0
 */
GBytes *
missive_crypto_part_get_content_bytes (GMimePart *part)
{
  GMimeDataWrapper *wrapper;
  GMimeStream *mem;
  GByteArray *array;
  GBytes *bytes;

  g_return_val_if_fail (GMIME_IS_PART (part), NULL);

  wrapper = g_mime_part_get_content (part);
  if (wrapper == NULL)
    return g_bytes_new (NULL, 0);
  mem = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (wrapper, mem);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (mem);
  return bytes;
}
