/* missive-autocrypt.c: Autocrypt Level 1 headers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

/**
 * MissiveAutocryptHeader:
 *
 * One `Autocrypt:` or `Autocrypt-Gossip:` header of Autocrypt Level 1:
 * an e-mail address, whether its owner prefers encrypted mail
 * (`prefer-encrypt=mutual`), and an OpenPGP public key (binary, the
 * `keydata` attribute decoded).
 *
 * Outgoing: [method@CryptoContext.get_autocrypt_header] makes one from
 * the sender's key; [method@AutocryptHeader.add_to_message] adds it to
 * the outgoing message (or [method@AutocryptHeader.to_string] gives the
 * folded value).
 *
 * Incoming: [ctor@AutocryptHeader.new_from_message] takes the one valid
 * `Autocrypt` header of the From address (several, or one for another
 * address, count as none, as the specification says);
 * [func@Missive.AutocryptHeader.list_gossip] takes the `Autocrypt-Gossip` headers
 * of a decrypted message. The application decides, after its own
 * Autocrypt state, whether to import a key with
 * [method@CryptoContext.import_keys] and
 * [method@AutocryptHeader.get_key_data].
 *
 * A header with an unknown critical attribute (one whose name does not
 * start with `_`), without `addr` or `keydata`, or with `keydata` that is
 * not base64 is invalid and is never returned: parsing it fails with
 * %MISSIVE_ERROR_INVALID_MESSAGE.
 *
 * Since: 1.0
 */
struct _MissiveAutocryptHeader
{
  GObject parent_instance;

  char *addr;
  gboolean prefer_encrypt;
  GBytes *key_data;
};

G_DEFINE_FINAL_TYPE (MissiveAutocryptHeader, missive_autocrypt_header, G_TYPE_OBJECT)

static void
missive_autocrypt_header_finalize (GObject *object)
{
  MissiveAutocryptHeader *self = MISSIVE_AUTOCRYPT_HEADER (object);

  g_free (self->addr);
  g_clear_pointer (&self->key_data, g_bytes_unref);

  G_OBJECT_CLASS (missive_autocrypt_header_parent_class)->finalize (object);
}

static void
missive_autocrypt_header_class_init (MissiveAutocryptHeaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = missive_autocrypt_header_finalize;
}

static void
missive_autocrypt_header_init (MissiveAutocryptHeader *self)
{
}

static gboolean
addr_valid (const char *addr)
{
  const char *at;

  if (addr == NULL || *addr == '\0' || strpbrk (addr, " \t\r\n;<>\"") != NULL)
    return FALSE;
  at = strchr (addr, '@');
  return at != NULL && at != addr && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

/**
 * missive_autocrypt_header_new:
 * @addr: the e-mail address (the sender's, for an `Autocrypt` header):
 *   `local@domain`, without a display name or angle brackets
 * @prefer_encrypt: %TRUE for `prefer-encrypt=mutual`
 * @key_data: the OpenPGP public key, binary (not armoured), not empty
 *
 * A header for @addr and its key. [method@CryptoContext.get_autocrypt_header]
 * makes one from a key of the keyring.
 *
 * Returns: (transfer full): the header
 *
 * Since: 1.0
 */
MissiveAutocryptHeader *
missive_autocrypt_header_new (const char *addr,
                              gboolean    prefer_encrypt,
                              GBytes     *key_data)
{
  MissiveAutocryptHeader *self;

  g_return_val_if_fail (addr_valid (addr), NULL);
  g_return_val_if_fail (key_data != NULL && g_bytes_get_size (key_data) > 0, NULL);

  self = g_object_new (MISSIVE_TYPE_AUTOCRYPT_HEADER, NULL);
  self->addr = g_strdup (addr);
  self->prefer_encrypt = !!prefer_encrypt;
  self->key_data = g_bytes_ref (key_data);
  return self;
}

/* Strict base64 with whitespace (the folding) allowed anywhere. */
static GBytes *
decode_keydata (const char  *value,
                GError     **error)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  guchar *data;
  gsize length, pad = 0;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        continue;
      if (*p == '=')
        pad++;
      else if (pad > 0 || !(g_ascii_isalnum (*p) || *p == '+' || *p == '/'))
        goto bad;
      g_string_append_c (clean, *p);
    }
  if (clean->len == 0 || clean->len % 4 != 0 || pad > 2)
    goto bad;
  data = g_base64_decode (clean->str, &length);
  if (length == 0)
    {
      g_free (data);
      goto bad;
    }
  return g_bytes_new_take (data, length);

bad:
  g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                       "The Autocrypt keydata is not valid base64");
  return NULL;
}

/**
 * missive_autocrypt_header_parse:
 * @value: the value of an `Autocrypt` or `Autocrypt-Gossip` header
 *   (unfolded or not)
 * @error: return location for a #GError
 *
 * Parses a header value: `;`-separated `name=value` attributes, of which
 * `addr` and `keydata` are required, `prefer-encrypt` is optional (only
 * `mutual` means anything), and others are ignored when their name starts
 * with `_` and make the whole header invalid otherwise.
 *
 * Returns: (transfer full) (nullable): the header, or %NULL with
 *   %MISSIVE_ERROR_INVALID_MESSAGE when it is invalid
 *
 * Since: 1.0
 */
MissiveAutocryptHeader *
missive_autocrypt_header_parse (const char  *value,
                                GError     **error)
{
  g_auto(GStrv) attributes = NULL;
  g_autofree char *addr = NULL;
  g_autoptr(GBytes) key_data = NULL;
  gboolean prefer_encrypt = FALSE;
  gboolean seen_prefer = FALSE;

  g_return_val_if_fail (value != NULL, NULL);

  attributes = g_strsplit (value, ";", -1);
  for (guint i = 0; attributes[i] != NULL; i++)
    {
      char *attribute = g_strstrip (attributes[i]);
      char *equals = strchr (attribute, '=');
      char *name, *attr_value;

      if (*attribute == '\0')
        continue;
      if (equals == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                       "The Autocrypt attribute “%s” has no value", attribute);
          return NULL;
        }
      *equals = '\0';
      name = g_strstrip (attribute);
      attr_value = g_strstrip (equals + 1);

      if (g_ascii_strcasecmp (name, "addr") == 0 && addr == NULL)
        addr = g_strdup (attr_value);
      else if (g_ascii_strcasecmp (name, "keydata") == 0 && key_data == NULL)
        {
          key_data = decode_keydata (attr_value, error);
          if (key_data == NULL)
            return NULL;
        }
      else if (g_ascii_strcasecmp (name, "prefer-encrypt") == 0 && !seen_prefer)
        {
          seen_prefer = TRUE;
          prefer_encrypt = g_ascii_strcasecmp (attr_value, "mutual") == 0;
        }
      else if (name[0] == '_')
        continue;
      else
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                       "The Autocrypt header has an unknown or repeated critical attribute “%s”",
                       name);
          return NULL;
        }
    }

  if (addr == NULL || key_data == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                   "The Autocrypt header has no %s attribute", addr == NULL ? "addr" : "keydata");
      return NULL;
    }
  if (!addr_valid (addr))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                   "The Autocrypt addr “%s” is not an e-mail address", addr);
      return NULL;
    }
  return missive_autocrypt_header_new (addr, prefer_encrypt, key_data);
}

/* The raw (unfolded) values of the headers named @name. */
static GPtrArray *
header_values (GMimeMessage *message,
               const char   *name)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  int n = g_mime_header_list_get_count (headers);

  for (int i = 0; i < n; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      const char *raw = g_mime_header_get_raw_value (header);

      if (g_ascii_strcasecmp (g_mime_header_get_name (header), name) == 0)
        g_ptr_array_add (values, g_strdup (raw != NULL ? raw : g_mime_header_get_value (header)));
    }
  return values;
}

static gboolean
list_has_addr (InternetAddressList *list,
               const char          *addr)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (address))
        {
          if (list_has_addr (internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address)), addr))
            return TRUE;
        }
      else if (INTERNET_ADDRESS_IS_MAILBOX (address))
        {
          const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));

          if (a != NULL && g_ascii_strcasecmp (a, addr) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/**
 * missive_autocrypt_header_new_from_message:
 * @message: a received message
 * @error: return location for a #GError
 *
 * The `Autocrypt` header of @message, as Autocrypt Level 1 reads it: the
 * only valid one whose `addr` is the From address. Invalid headers are
 * left out; when several valid ones remain, or none, there is none.
 *
 * Returns: (transfer full) (nullable): the header, or %NULL with
 *   %MISSIVE_ERROR_INVALID_MESSAGE (the message says why) when there is
 *   none
 *
 * Since: 1.0
 */
MissiveAutocryptHeader *
missive_autocrypt_header_new_from_message (GMimeMessage  *message,
                                           GError       **error)
{
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(MissiveAutocryptHeader) found = NULL;
  InternetAddressList *from;
  guint valid = 0;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  from = g_mime_message_get_from (message);
  if (from == NULL || internet_address_list_length (from) != 1)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                           "The message does not have exactly one From address");
      return NULL;
    }
  values = header_values (message, "Autocrypt");
  for (guint i = 0; i < values->len; i++)
    {
      MissiveAutocryptHeader *header = missive_autocrypt_header_parse (g_ptr_array_index (values, i), NULL);

      if (header == NULL)
        continue;
      if (!list_has_addr (from, header->addr))
        {
          g_object_unref (header);
          continue;
        }
      valid++;
      g_clear_object (&found);
      found = header;
    }
  if (valid != 1)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                   valid == 0 ? "The message has no valid Autocrypt header for its From address"
                              : "The message has %u Autocrypt headers for its From address", valid);
      return NULL;
    }
  return g_steal_pointer (&found);
}

/**
 * missive_autocrypt_header_list_gossip:
 * @message: a received message, decrypted (gossip headers travel inside
 *   the encryption, see [method@CryptoContext.open_message])
 *
 * The valid `Autocrypt-Gossip` headers of @message whose `addr` is one of
 * its To or Cc recipients; the others are left out.
 *
 * Returns: (transfer full): a #GListModel of [class@AutocryptHeader],
 *   perhaps empty
 *
 * Since: 1.0
 */
GListModel *
missive_autocrypt_header_list_gossip (GMimeMessage *message)
{
  g_autoptr(GPtrArray) values = NULL;
  GListStore *store;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  store = g_list_store_new (MISSIVE_TYPE_AUTOCRYPT_HEADER);
  values = header_values (message, "Autocrypt-Gossip");
  for (guint i = 0; i < values->len; i++)
    {
      g_autoptr(MissiveAutocryptHeader) header =
        missive_autocrypt_header_parse (g_ptr_array_index (values, i), NULL);

      if (header != NULL &&
          (list_has_addr (g_mime_message_get_to (message), header->addr) ||
           list_has_addr (g_mime_message_get_cc (message), header->addr)))
        g_list_store_append (store, header);
    }
  return G_LIST_MODEL (store);
}

/**
 * missive_autocrypt_header_get_addr:
 * @self: a header
 *
 * Gets the e-mail address the header is for (its addr attribute).
 *
 * Returns: the e-mail address the key is for
 *
 * Since: 1.0
 */
const char *
missive_autocrypt_header_get_addr (MissiveAutocryptHeader *self)
{
  g_return_val_if_fail (MISSIVE_IS_AUTOCRYPT_HEADER (self), NULL);
  return self->addr;
}

/**
 * missive_autocrypt_header_get_prefer_encrypt:
 * @self: a header
 *
 * Gets whether the header says prefer-encrypt=mutual.
 *
 * Returns: %TRUE for `prefer-encrypt=mutual`, %FALSE for no preference
 *
 * Since: 1.0
 */
gboolean
missive_autocrypt_header_get_prefer_encrypt (MissiveAutocryptHeader *self)
{
  g_return_val_if_fail (MISSIVE_IS_AUTOCRYPT_HEADER (self), FALSE);
  return self->prefer_encrypt;
}

/**
 * missive_autocrypt_header_get_key_data:
 * @self: a header
 *
 * The OpenPGP public key, binary, for [method@CryptoContext.import_keys].
 *
 * Returns: (transfer none): the key
 *
 * Since: 1.0
 */
GBytes *
missive_autocrypt_header_get_key_data (MissiveAutocryptHeader *self)
{
  g_return_val_if_fail (MISSIVE_IS_AUTOCRYPT_HEADER (self), NULL);
  return self->key_data;
}

/**
 * missive_autocrypt_header_to_string:
 * @self: a header
 *
 * The header value, e.g. for g_mime_object_set_header() with the name
 * `Autocrypt`: `addr=…; [prefer-encrypt=mutual; ]keydata=…`, the base64
 * folded into lines of at most 78 characters (each continuation line
 * starts with a space).
 *
 * Returns: (transfer full): the value
 *
 * Since: 1.0
 */
char *
missive_autocrypt_header_to_string (MissiveAutocryptHeader *self)
{
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *base64 = NULL;
  gsize length;

  g_return_val_if_fail (MISSIVE_IS_AUTOCRYPT_HEADER (self), NULL);

  g_string_append_printf (value, "addr=%s; ", self->addr);
  if (self->prefer_encrypt)
    g_string_append (value, "prefer-encrypt=mutual; ");
  g_string_append (value, "keydata=");
  base64 = g_base64_encode (g_bytes_get_data (self->key_data, NULL), g_bytes_get_size (self->key_data));
  length = strlen (base64);
  /* The header name and the attributes stay on the first line; the key
   * follows in lines of a space and 76 characters. */
  for (gsize i = 0; i < length; i += 76)
    {
      g_string_append (value, "\n ");
      g_string_append_len (value, base64 + i, MIN (76, length - i));
    }
  return g_string_free (g_steal_pointer (&value), FALSE);
}

/**
 * missive_autocrypt_header_add_to_message:
 * @self: a header
 * @message: an outgoing message
 * @gossip: %FALSE for the sender's `Autocrypt` header (an existing one is
 *   replaced), %TRUE to append an `Autocrypt-Gossip` header (put those in
 *   the message that is then encrypted)
 *
 * Adds the header to @message, folded as
 * [method@AutocryptHeader.to_string] folds it. GMime's own header setters
 * would encode the value (RFC 2047), which Autocrypt does not allow.
 *
 * Since: 1.0
 */
void
missive_autocrypt_header_add_to_message (MissiveAutocryptHeader *self,
                                         GMimeMessage           *message,
                                         gboolean                gossip)
{
  GMimeHeaderList *headers;
  g_autofree char *value = NULL;
  g_autofree char *raw = NULL;
  const char *name = gossip ? "Autocrypt-Gossip" : "Autocrypt";
  GMimeHeader *header;
  int n;

  g_return_if_fail (MISSIVE_IS_AUTOCRYPT_HEADER (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));

  if (!gossip)
    while (g_mime_object_remove_header (GMIME_OBJECT (message), name))
      ;
  value = missive_autocrypt_header_to_string (self);
  g_mime_object_append_header (GMIME_OBJECT (message), name, "-", NULL);
  headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  n = g_mime_header_list_get_count (headers);
  header = g_mime_header_list_get_header_at (headers, n - 1);
  g_return_if_fail (g_ascii_strcasecmp (g_mime_header_get_name (header), name) == 0);
  /* The raw value as GMime keeps it: after the colon, with the line end. */
  raw = g_strdup_printf (" %s\n", value);
  g_mime_header_set_raw_value (header, raw);
}
