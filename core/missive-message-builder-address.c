/* missive-message-builder-address.c: the builder's address headers and
 * extra headers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-message-builder-private.h"

/* ---- addresses ---- */

static const char *
field_label (MissiveAddressField field)
{
  static const char *const labels[] = {
    "The From address", "The Sender address", "The Reply-To address",
    "The To address", "The Cc address", "The Bcc address",
  };
  return labels[field];
}

static MissiveBuilderAddress *
make_address (MissiveAddressField   field,
              const char           *name,
              const char           *address,
              GError              **error)
{
  MissiveBuilderAddress *entry;
  char *normalized;

  if (!missive_builder_check_text ("The display name", name, FALSE, error))
    return NULL;
  normalized = missive_builder_normalize_address (field_label (field), address, error);
  if (normalized == NULL)
    return NULL;
  entry = g_new0 (MissiveBuilderAddress, 1);
  entry->name = (name != NULL && *name != '\0') ? g_strdup (name) : NULL;
  entry->address = normalized;
  return entry;
}

/**
 * missive_message_builder_add_address:
 * @self: a #MissiveMessageBuilder
 * @field: the header to add to
 * @name: (nullable): the display name (UTF-8), or %NULL
 * @address: the address, `local@domain` (an international domain is
 *   converted to its ASCII form; angle brackets are allowed)
 * @error: return location for a #GError
 *
 * Adds a mailbox to an address header. For %MISSIVE_ADDRESS_FIELD_SENDER,
 * which holds one mailbox, it replaces the previous one.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when the
 *   name or address contains CR, LF or other control characters, or the
 *   address is not a valid address
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_address (MissiveMessageBuilder *self,
                                     MissiveAddressField    field,
                                     const char            *name,
                                     const char            *address,
                                     GError               **error)
{
  MissiveBuilderAddress *entry;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (field <= MISSIVE_ADDRESS_FIELD_BCC, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = make_address (field, name, address, error);
  if (entry == NULL)
    return FALSE;
  if (field == MISSIVE_ADDRESS_FIELD_SENDER)
    g_ptr_array_set_size (self->addresses[field], 0);
  g_ptr_array_add (self->addresses[field], entry);
  return TRUE;
}

static void
add_parsed (GPtrArray           *out,
            MissiveAddressField  field,
            InternetAddressList *list,
            GError             **error)
{
  int n = internet_address_list_length (list);

  for (int i = 0; i < n && (error == NULL || *error == NULL); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (ia))
        add_parsed (out, field,
                    internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)),
                    error);
      else if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          MissiveBuilderAddress *entry;

          entry = make_address (field, internet_address_get_name (ia),
                                internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)),
                                error);
          if (entry != NULL)
            g_ptr_array_add (out, entry);
        }
    }
}

/**
 * missive_message_builder_add_address_list:
 * @self: a #MissiveMessageBuilder
 * @field: the header to add to
 * @list: an RFC 5322 address list, e.g.
 *   `"Alice" <alice@example.org>, bob@example.net` (RFC 2047 encoded
 *   names are decoded; the members of a group are added one by one)
 * @error: return location for a #GError
 *
 * Parses @list and adds every mailbox in it to an address header. Either
 * all of them are added or, on error, none.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when the
 *   list contains CR or LF, has no address, or one of its addresses is not
 *   valid
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_address_list (MissiveMessageBuilder *self,
                                          MissiveAddressField    field,
                                          const char            *list,
                                          GError               **error)
{
  InternetAddressList *parsed = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (field <= MISSIVE_ADDRESS_FIELD_BCC, FALSE);
  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!missive_builder_check_text ("The address list", list, FALSE, error))
    return FALSE;
  parsed = internet_address_list_parse (NULL, list);
  entries = g_ptr_array_new_with_free_func (missive_builder_address_free);
  if (parsed != NULL)
    {
      add_parsed (entries, field, parsed, &local_error);
      g_object_unref (parsed);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (entries->len == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "No address found in “%s”", list);
      return FALSE;
    }
  if (field == MISSIVE_ADDRESS_FIELD_SENDER)
    {
      if (entries->len > 1)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The Sender header holds a single address");
          return FALSE;
        }
      g_ptr_array_set_size (self->addresses[field], 0);
    }
  while (entries->len > 0)
    g_ptr_array_add (self->addresses[field], g_ptr_array_steal_index (entries, 0));
  return TRUE;
}

/**
 * missive_message_builder_clear_addresses:
 * @self: a #MissiveMessageBuilder
 * @field: the header to empty
 *
 * Removes every mailbox from an address header.
 *
 * Since: 1.0
 */
void
missive_message_builder_clear_addresses (MissiveMessageBuilder *self,
                                         MissiveAddressField    field)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (field <= MISSIVE_ADDRESS_FIELD_BCC);

  g_ptr_array_set_size (self->addresses[field], 0);
}

/**
 * missive_message_builder_get_address_count:
 * @self: a #MissiveMessageBuilder
 * @field: an address header
 *
 * Gets the number of mailboxes in an address header.
 *
 * Returns: the number of mailboxes
 *
 * Since: 1.0
 */
guint
missive_message_builder_get_address_count (MissiveMessageBuilder *self,
                                           MissiveAddressField    field)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), 0);
  g_return_val_if_fail (field <= MISSIVE_ADDRESS_FIELD_BCC, 0);

  return self->addresses[field]->len;
}

/**
 * missive_message_builder_get_address:
 * @self: a #MissiveMessageBuilder
 * @field: an address header
 * @index: the position of the mailbox in the header
 * @name: (out) (optional) (nullable) (transfer none): return location for
 *   the display name, or %NULL
 *
 * Gets one mailbox of an address header, as it will be written (an
 * international domain in its ASCII form).
 *
 * Returns: (transfer none): the address
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_address (MissiveMessageBuilder *self,
                                     MissiveAddressField    field,
                                     guint                  index,
                                     const char           **name)
{
  MissiveBuilderAddress *entry;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (field <= MISSIVE_ADDRESS_FIELD_BCC, NULL);
  g_return_val_if_fail (index < self->addresses[field]->len, NULL);

  entry = g_ptr_array_index (self->addresses[field], index);
  if (name != NULL)
    *name = entry->name;
  return entry->address;
}

/**
 * missive_message_builder_set_from:
 * @self: a #MissiveMessageBuilder
 * @name: (nullable): the display name, or %NULL
 * @address: the author's address
 * @error: return location for a #GError
 *
 * Sets the From header to a single mailbox, replacing any earlier one. Use
 * [method@MessageBuilder.add_address] for several authors.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_from (MissiveMessageBuilder *self,
                                  const char            *name,
                                  const char            *address,
                                  GError               **error)
{
  MissiveBuilderAddress *entry;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = make_address (MISSIVE_ADDRESS_FIELD_FROM, name, address, error);
  if (entry == NULL)
    return FALSE;
  g_ptr_array_set_size (self->addresses[MISSIVE_ADDRESS_FIELD_FROM], 0);
  g_ptr_array_add (self->addresses[MISSIVE_ADDRESS_FIELD_FROM], entry);
  return TRUE;
}

/**
 * missive_message_builder_set_sender:
 * @self: a #MissiveMessageBuilder
 * @name: (nullable): the display name, or %NULL
 * @address: the address of the mailbox that sends the message
 * @error: return location for a #GError
 *
 * Sets the Sender header (the agent sending on behalf of the authors).
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_sender (MissiveMessageBuilder *self,
                                    const char            *name,
                                    const char            *address,
                                    GError               **error)
{
  return missive_message_builder_add_address (self, MISSIVE_ADDRESS_FIELD_SENDER,
                                              name, address, error);
}

/**
 * missive_message_builder_add_to:
 * @self: a #MissiveMessageBuilder
 * @name: (nullable): the display name, or %NULL
 * @address: the recipient's address
 * @error: return location for a #GError
 *
 * Adds a primary recipient.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_to (MissiveMessageBuilder *self,
                                const char            *name,
                                const char            *address,
                                GError               **error)
{
  return missive_message_builder_add_address (self, MISSIVE_ADDRESS_FIELD_TO,
                                              name, address, error);
}

/**
 * missive_message_builder_add_cc:
 * @self: a #MissiveMessageBuilder
 * @name: (nullable): the display name, or %NULL
 * @address: the recipient's address
 * @error: return location for a #GError
 *
 * Adds a carbon-copy recipient.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_cc (MissiveMessageBuilder *self,
                                const char            *name,
                                const char            *address,
                                GError               **error)
{
  return missive_message_builder_add_address (self, MISSIVE_ADDRESS_FIELD_CC,
                                              name, address, error);
}

/**
 * missive_message_builder_add_bcc:
 * @self: a #MissiveMessageBuilder
 * @name: (nullable): the display name, or %NULL
 * @address: the recipient's address
 * @error: return location for a #GError
 *
 * Adds a blind-carbon-copy recipient. The Bcc header stays in the built
 * message; the sender leaves it out of what it transmits.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_bcc (MissiveMessageBuilder *self,
                                 const char            *name,
                                 const char            *address,
                                 GError               **error)
{
  return missive_message_builder_add_address (self, MISSIVE_ADDRESS_FIELD_BCC,
                                              name, address, error);
}

/**
 * missive_message_builder_add_reply_to:
 * @self: a #MissiveMessageBuilder
 * @name: (nullable): the display name, or %NULL
 * @address: where replies should go
 * @error: return location for a #GError
 *
 * Adds a mailbox to the Reply-To header.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_reply_to (MissiveMessageBuilder *self,
                                      const char            *name,
                                      const char            *address,
                                      GError               **error)
{
  return missive_message_builder_add_address (self, MISSIVE_ADDRESS_FIELD_REPLY_TO,
                                              name, address, error);
}

/* ---- extra headers ---- */

static gboolean
check_extra_header (const char  *name,
                    const char  *value,
                    GError     **error)
{
  if (!missive_builder_check_header_name (name, error))
    return FALSE;
  if (g_ascii_strncasecmp (name, "Content-", 8) == 0 ||
      g_ascii_strcasecmp (name, "MIME-Version") == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s header is written by the builder from the parts", name);
      return FALSE;
    }
  return missive_builder_check_text ("A header value", value, FALSE, error);
}

/**
 * missive_message_builder_add_header:
 * @self: a #MissiveMessageBuilder
 * @name: the field name, e.g. `X-Mailer`
 * @value: the value, written as given (ASCII) except that words that are
 *   not ASCII are RFC 2047 encoded and the line is folded
 * @error: return location for a #GError
 *
 * Adds an extra header. A header of the same name that the builder writes
 * itself (Subject, Date, To...) is replaced by the first extra header of
 * that name; other extra headers are added after the builder's.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when the
 *   name is not a valid field name (printable ASCII without a colon), is
 *   a `Content-` or `MIME-Version` header (those follow the parts), or the
 *   value contains CR, LF or other control characters
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_header (MissiveMessageBuilder *self,
                                    const char            *name,
                                    const char            *value,
                                    GError               **error)
{
  MissiveBuilderHeader *header;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_extra_header (name, value, error))
    return FALSE;
  header = g_new0 (MissiveBuilderHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value);
  g_ptr_array_add (self->headers, header);
  return TRUE;
}

/**
 * missive_message_builder_add_headers_string:
 * @self: a #MissiveMessageBuilder
 * @headers: header lines `Name: value`, separated by CRLF or LF; a line
 *   that starts with white space continues the previous one
 * @error: return location for a #GError
 *
 * Adds several extra headers from a block of text, as
 * [method@MessageBuilder.add_header] does for one. Either all of them are
 * added or, on error, none. Empty lines are ignored.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when a
 *   line is not a header, a continuation line comes first, or a header is
 *   refused by [method@MessageBuilder.add_header]
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_add_headers_string (MissiveMessageBuilder *self,
                                            const char            *headers,
                                            GError               **error)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  MissiveBuilderHeader *current = NULL;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (headers != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!missive_builder_check_text ("The headers", headers, TRUE, error))
    return FALSE;
  parsed = g_ptr_array_new_with_free_func (missive_builder_header_free);
  lines = g_strsplit (headers, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      size_t len = strlen (line);
      char *colon;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0)
        {
          current = NULL;
          continue;
        }
      if (line[0] == ' ' || line[0] == '\t')
        {
          char *joined;

          if (current == NULL)
            {
              g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                   "A continuation line has no header to continue");
              return FALSE;
            }
          joined = g_strconcat (current->value, line, NULL);
          g_free (current->value);
          current->value = joined;
          continue;
        }
      colon = strchr (line, ':');
      if (colon == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "“%s” is not a header line", line);
          return FALSE;
        }
      *colon = '\0';
      current = g_new0 (MissiveBuilderHeader, 1);
      current->name = g_strdup (line);
      current->value = g_strdup (colon + 1 + strspn (colon + 1, " \t"));
      g_ptr_array_add (parsed, current);
    }
  for (guint i = 0; i < parsed->len; i++)
    {
      MissiveBuilderHeader *header = g_ptr_array_index (parsed, i);
      if (!check_extra_header (header->name, header->value, error))
        return FALSE;
    }
  while (parsed->len > 0)
    g_ptr_array_add (self->headers, g_ptr_array_steal_index (parsed, 0));
  return TRUE;
}

/**
 * missive_message_builder_clear_headers:
 * @self: a #MissiveMessageBuilder
 *
 * Removes every extra header.
 *
 * Since: 1.0
 */
void
missive_message_builder_clear_headers (MissiveMessageBuilder *self)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));

  g_ptr_array_set_size (self->headers, 0);
}
