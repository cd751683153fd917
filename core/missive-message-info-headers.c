/* missive-message-info-headers.c: the header block and the address lists
 * of a message summary
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-message-info-private.h"

static void
finish_field (GPtrArray *fields,
              GString   *name,
              GString   *value)
{
  gsize end = value->len;

  if (name->len == 0)
    return;
  while (end > 0 && g_ascii_isspace (value->str[end - 1]))
    end--;
  g_ptr_array_add (fields, g_strndup (name->str, name->len));
  g_ptr_array_add (fields, g_strndup (value->str, end));
  g_string_truncate (name, 0);
  g_string_truncate (value, 0);
}

GPtrArray *
missive_message_info_parse_headers (GBytes *raw_headers)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  gsize size = 0;
  const char *data = raw_headers != NULL ? g_bytes_get_data (raw_headers, &size) : NULL;
  const char *end = data + size;
  const char *line = data;

  while (line != NULL && line < end)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *next = eol != NULL ? eol + 1 : end;
      const char *stop = eol != NULL ? eol : end;
      const char *colon;

      if (stop > line && stop[-1] == '\r')
        stop--;
      if (stop == line)
        break; /* the empty line that ends the header */

      if (*line == ' ' || *line == '\t')
        {
          /* A continuation: unfolding keeps the white space, drops the
           * line break. */
          if (name->len > 0)
            g_string_append_len (value, line, stop - line);
        }
      else
        {
          finish_field (fields, name, value);
          colon = memchr (line, ':', stop - line);
          if (colon != NULL)
            {
              const char *name_end = colon;
              const char *v = colon + 1;

              while (name_end > line && (name_end[-1] == ' ' || name_end[-1] == '\t'))
                name_end--;
              while (v < stop && (*v == ' ' || *v == '\t'))
                v++;
              if (name_end > line)
                {
                  g_string_append_len (name, line, name_end - line);
                  g_string_append_len (value, v, stop - v);
                }
            }
        }
      line = next;
    }
  finish_field (fields, name, value);
  return fields;
}

static void
append_address (GString         *out,
                InternetAddress *address)
{
  const char *name = internet_address_get_name (address);

  if (INTERNET_ADDRESS_IS_GROUP (address))
    {
      InternetAddressList *members =
        internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address));
      g_autofree char *inner = missive_message_info_format_addresses (members);

      g_string_append_printf (out, "%s:", name != NULL ? name : "");
      if (inner[0] != '\0')
        g_string_append_printf (out, " %s", inner);
      g_string_append_c (out, ';');
      return;
    }
  if (INTERNET_ADDRESS_IS_MAILBOX (address))
    {
      const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));

      if (name != NULL && name[0] != '\0')
        g_string_append_printf (out, "%s <%s>", name, addr != NULL ? addr : "");
      else
        g_string_append (out, addr != NULL ? addr : "");
    }
}

char *
missive_message_info_format_addresses (InternetAddressList *list)
{
  GString *out = g_string_new (NULL);
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      if (out->len > 0)
        g_string_append (out, ", ");
      append_address (out, internet_address_list_get_address (list, i));
    }
  return g_string_free (out, FALSE);
}

/* Keeps what is set; otherwise takes the header's parsed value. */
static void
fill_addresses (MissiveMessageInfo  *self,
                MissiveAddressField  field,
                const char          *header)
{
  const char *value = missive_message_info_get_header (self, header);
  InternetAddressList *list;

  if (value == NULL || missive_message_info_get_addresses (self, field) != NULL)
    return;
  list = internet_address_list_parse (NULL, value);
  if (list == NULL)
    return;
  missive_message_info_set_addresses (self, field, list);
  g_object_unref (list);
}

/**
 * missive_message_info_fill_from_headers:
 * @self: a message info with [property@MessageInfo:raw-headers]
 *
 * Fills the envelope fields that are not set yet — subject (RFC 2047
 * words decoded), the From, Sender, Reply-To, To, Cc and Bcc address
 * lists, date, Message-ID and In-Reply-To — from the raw header block.
 * Protocol plugins call it for servers that send headers but no parsed
 * envelope (POP3 TOP); a header that cannot be parsed leaves its field
 * unset.
 *
 * Since: 1.0
 */
void
missive_message_info_fill_from_headers (MissiveMessageInfo *self)
{
  static const struct { MissiveAddressField field; const char *header; } address_fields[] = {
    { MISSIVE_ADDRESS_FIELD_FROM, "From" },
    { MISSIVE_ADDRESS_FIELD_SENDER, "Sender" },
    { MISSIVE_ADDRESS_FIELD_REPLY_TO, "Reply-To" },
    { MISSIVE_ADDRESS_FIELD_TO, "To" },
    { MISSIVE_ADDRESS_FIELD_CC, "Cc" },
    { MISSIVE_ADDRESS_FIELD_BCC, "Bcc" },
  };
  const char *value;

  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (missive_message_info_get_raw_headers (self) == NULL)
    return;

  value = missive_message_info_get_header (self, "Subject");
  if (value != NULL && missive_message_info_get_subject (self) == NULL)
    {
      g_autofree char *subject = g_mime_utils_header_decode_text (NULL, value);

      missive_message_info_set_subject (self, subject);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (address_fields); i++)
    fill_addresses (self, address_fields[i].field, address_fields[i].header);

  value = missive_message_info_get_header (self, "Date");
  if (value != NULL && missive_message_info_get_date (self) == NULL)
    {
      g_autoptr(GDateTime) date = g_mime_utils_header_decode_date (value);

      if (date != NULL)
        missive_message_info_set_date (self, date);
    }
  value = missive_message_info_get_header (self, "Message-ID");
  if (value != NULL && missive_message_info_get_message_id (self) == NULL)
    {
      g_autofree char *message_id = g_strstrip (g_strdup (value));

      missive_message_info_set_message_id (self, message_id);
    }
  value = missive_message_info_get_header (self, "In-Reply-To");
  if (value != NULL && missive_message_info_get_in_reply_to (self) == NULL)
    missive_message_info_set_in_reply_to (self, value);
}
