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
