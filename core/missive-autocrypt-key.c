/* missive-autocrypt-key.c: the Autocrypt header of an outgoing message,
 * made from the sender's OpenPGP key
 *
 * The key is exported with the context's export_keys and cut down to
 * what Autocrypt Level 1 asks for: the primary key, the user ids with the
 * address and their self-signatures, and the subkeys with their binding
 * signatures; certifications by other keys and user attributes (photos)
 * are left out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-crypto-backend.h>

#include "missive-crypto-context-private.h"

enum
{
  TAG_SIGNATURE = 2,
  TAG_PUBLIC_KEY = 6,
  TAG_USER_ID = 13,
  TAG_PUBLIC_SUBKEY = 14,
};

/* One OpenPGP packet (RFC 4880 section 4.2) at @data; FALSE when it is
 * malformed or uses a partial or indeterminate length. */
static gboolean
next_packet (const guint8  *data,
             gsize          length,
             guint         *tag,
             gsize         *header_length,
             gsize         *body_length)
{
  guint8 first;
  gsize body;

  if (length < 2 || !(data[0] & 0x80))
    return FALSE;
  first = data[0];
  if (first & 0x40)
    {
      guint8 o1 = data[1];

      *tag = first & 0x3f;
      if (o1 < 192)
        {
          body = o1;
          *header_length = 2;
        }
      else if (o1 < 224)
        {
          if (length < 3)
            return FALSE;
          body = ((gsize) (o1 - 192) << 8) + data[2] + 192;
          *header_length = 3;
        }
      else if (o1 == 255)
        {
          if (length < 6)
            return FALSE;
          body = ((gsize) data[2] << 24) | ((gsize) data[3] << 16) | ((gsize) data[4] << 8) | data[5];
          *header_length = 6;
        }
      else
        return FALSE;
    }
  else
    {
      guint type = first & 0x03;

      *tag = (first >> 2) & 0x0f;
      if (type == 3)
        return FALSE;
      *header_length = 1 + (1u << type);
      if (length < *header_length)
        return FALSE;
      body = 0;
      for (gsize i = 1; i < *header_length; i++)
        body = (body << 8) | data[i];
    }
  if (body > length - *header_length)
    return FALSE;
  *body_length = body;
  return TRUE;
}

/* Whether the v4 signature @sig names @key_id (8 bytes) as its issuer,
 * by an issuer (16) or issuer fingerprint (33) subpacket. */
static gboolean
signature_by (const guint8 *sig,
              gsize         length,
              const guint8 *key_id)
{
  gsize pos = 4;

  if (length < 6 || sig[0] != 4)
    return FALSE;
  for (guint area = 0; area < 2; area++)
    {
      gsize area_length, end;

      if (pos + 2 > length)
        return FALSE;
      area_length = ((gsize) sig[pos] << 8) | sig[pos + 1];
      pos += 2;
      if (area_length > length - pos)
        return FALSE;
      end = pos + area_length;
      while (pos < end)
        {
          gsize sub_length, header = 1;
          guint8 type;

          if (sig[pos] < 192)
            sub_length = sig[pos];
          else if (sig[pos] < 255)
            {
              if (pos + 2 > end)
                return FALSE;
              sub_length = ((gsize) (sig[pos] - 192) << 8) + sig[pos + 1] + 192;
              header = 2;
            }
          else
            {
              if (pos + 5 > end)
                return FALSE;
              sub_length = ((gsize) sig[pos + 1] << 24) | ((gsize) sig[pos + 2] << 16) |
                           ((gsize) sig[pos + 3] << 8) | sig[pos + 4];
              header = 5;
            }
          if (sub_length == 0 || sub_length > end - pos - header)
            return FALSE;
          type = sig[pos + header] & 0x7f;
          if (type == 16 && sub_length == 9 && memcmp (sig + pos + header + 1, key_id, 8) == 0)
            return TRUE;
          if (type == 33 && sub_length == 22 && memcmp (sig + pos + header + 2 + 12, key_id, 8) == 0)
            return TRUE;
          pos += header + sub_length;
        }
    }
  return FALSE;
}

static gboolean
parse_key_id (const char *fingerprint,
              guint8     *key_id)
{
  gsize length = fingerprint != NULL ? strlen (fingerprint) : 0;

  /* A v4 key id is the last 8 bytes of the fingerprint. */
  if (length != 40)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    {
      int high = g_ascii_xdigit_value (fingerprint[24 + 2 * i]);
      int low = g_ascii_xdigit_value (fingerprint[24 + 2 * i + 1]);

      if (high < 0 || low < 0)
        return FALSE;
      key_id[i] = (guint8) (high << 4 | low);
    }
  return TRUE;
}

static gboolean
user_id_has_addr (const guint8 *uid,
                  gsize         length,
                  const char   *addr)
{
  g_autofree char *text = g_strndup ((const char *) uid, length);
  g_autofree char *bracketed = g_strdup_printf ("<%s>", addr);
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *lower_bracketed = g_ascii_strdown (bracketed, -1);
  g_autofree char *lower_addr = g_ascii_strdown (addr, -1);

  return strstr (lower, lower_bracketed) != NULL || g_strcmp0 (lower, lower_addr) == 0;
}

/* The transferable public key @data (one key) cut down for Autocrypt. */
static GBytes *
minimize_key (GBytes      *data,
              const char  *fingerprint,
              const char  *addr,
              GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 *bytes;
  gsize length, pos = 0;
  guint8 key_id[8];
  gboolean keep = FALSE;    /* whether the current component is kept */
  guint primaries = 0, user_ids = 0, subkeys = 0;

  bytes = g_bytes_get_data (data, &length);
  if (!parse_key_id (fingerprint, key_id))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                   "The key %s is not an OpenPGP v4 key", fingerprint);
      return NULL;
    }
  while (pos < length)
    {
      guint tag;
      gsize header, body;
      gboolean keep_packet = FALSE;

      if (!next_packet (bytes + pos, length - pos, &tag, &header, &body))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                               "The exported key is not a sequence of OpenPGP packets");
          return NULL;
        }
      switch (tag)
        {
        case TAG_PUBLIC_KEY:
          keep = keep_packet = ++primaries == 1;
          break;
        case TAG_USER_ID:
          keep = keep_packet = user_id_has_addr (bytes + pos + header, body, addr);
          user_ids += keep;
          break;
        case TAG_PUBLIC_SUBKEY:
          keep = keep_packet = TRUE;
          subkeys++;
          break;
        case TAG_SIGNATURE:
          keep_packet = keep && signature_by (bytes + pos + header, body, key_id);
          break;
        default:
          /* User attributes (17), trust packets (12): left out, and so
           * are the signatures that follow them. */
          keep = FALSE;
          break;
        }
      if (keep_packet)
        g_byte_array_append (out, bytes + pos, header + body);
      pos += header + body;
    }
  if (primaries != 1 || user_ids == 0 || subkeys == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                   "The key %s has %s for Autocrypt", fingerprint,
                   user_ids == 0 ? "no user id with the address" : "no encryption subkey");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Armoured export: the base64 between the header block and the checksum. */
static GBytes *
dearmor (GBytes *data)
{
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  g_autofree char *copy = g_strndup (text, length);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autoptr(GString) base64 = g_string_new (NULL);
  gboolean in_body = FALSE, in_headers = FALSE;
  guchar *decoded;
  gsize decoded_length;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "-----BEGIN PGP PUBLIC KEY BLOCK"))
        in_headers = TRUE;
      else if (g_str_has_prefix (line, "-----END PGP"))
        break;
      else if (in_headers)
        {
          if (*line == '\0')
            {
              in_headers = FALSE;
              in_body = TRUE;
            }
        }
      else if (in_body && line[0] != '=')
        g_string_append (base64, line);
    }
  decoded = g_base64_decode (base64->str, &decoded_length);
  return g_bytes_new_take (decoded, decoded_length);
}

typedef struct
{
  char *addr;
  gboolean prefer_encrypt;
} AutocryptData;

static void
autocrypt_data_free (gpointer data)
{
  AutocryptData *ad = data;

  g_free (ad->addr);
  g_free (ad);
}

static void
make_header (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  MissiveCryptoContext *self = source;
  AutocryptData *ad = task_data;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GBytes) minimal = NULL;
  g_autofree char *fingerprint = NULL;
  GError *error = NULL;
  const char *patterns[2] = { NULL, NULL };

  /* The first usable secret key with the address. */
  keys = missive_crypto_context_list_keys (self, ad->addr, TRUE, cancellable, &error);
  if (keys == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (keys) && fingerprint == NULL; i++)
    {
      g_autoptr(MissiveCryptoKey) key = g_list_model_get_item (keys, i);
      const char * const *emails = missive_crypto_key_get_emails (key);

      if (missive_crypto_key_get_expired (key) || missive_crypto_key_get_revoked (key) ||
          missive_crypto_key_get_disabled (key))
        continue;
      for (gsize j = 0; emails != NULL && emails[j] != NULL; j++)
        if (g_ascii_strcasecmp (emails[j], ad->addr) == 0)
          fingerprint = g_strdup (missive_crypto_key_get_fingerprint (key));
    }
  if (fingerprint == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                               "No usable secret key for %s", ad->addr);
      return;
    }

  patterns[0] = fingerprint;
  exported = missive_crypto_context_export_keys (self, patterns, FALSE, cancellable, &error);
  if (exported == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (exported) > 0 && (((const guint8 *) g_bytes_get_data (exported, NULL))[0] & 0x80))
    binary = g_bytes_ref (exported);
  else
    binary = dearmor (exported);
  minimal = minimize_key (binary, fingerprint, ad->addr, &error);
  if (minimal == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, missive_autocrypt_header_new (ad->addr, ad->prefer_encrypt, minimal),
                         g_object_unref);
}

/**
 * missive_crypto_context_get_autocrypt_header_async:
 * @self: an OpenPGP crypto context
 * @addr: the sender's e-mail address
 * @prefer_encrypt: %TRUE to say `prefer-encrypt=mutual`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the header is made
 * @user_data: data for @callback
 *
 * Makes the Autocrypt Level 1 header for mail from @addr: the first
 * usable secret key of the keyring with that address is exported and cut
 * down to the primary key, the user ids with @addr and their
 * self-signatures, and the subkeys with their binding signatures. Add it
 * to the outgoing message with
 * `g_mime_object_set_header (message, "Autocrypt", value, NULL)`, the
 * value from [method@AutocryptHeader.to_string].
 *
 * Fails with %MISSIVE_ERROR_KEY_NOT_FOUND when there is no such key (or
 * it has no encryption subkey), and with %MISSIVE_ERROR_NOT_SUPPORTED on
 * a context that is not OpenPGP.
 *
 * Since: 1.0
 */
void
missive_crypto_context_get_autocrypt_header_async (MissiveCryptoContext *self,
                                                   const char           *addr,
                                                   gboolean              prefer_encrypt,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  AutocryptData *ad;

  g_return_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self));
  g_return_if_fail (addr != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_crypto_context_get_autocrypt_header_async);
  ad = g_new0 (AutocryptData, 1);
  ad->addr = g_strdup (addr);
  ad->prefer_encrypt = prefer_encrypt;
  g_task_set_task_data (task, ad, autocrypt_data_free);

  if (g_strcmp0 (missive_crypto_context_get_name (self), "openpgp") != 0)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "Autocrypt needs an OpenPGP context");
      return;
    }
  if (*addr == '\0' || strpbrk (addr, " \t\r\n;<>\"") != NULL || strchr (addr, '@') == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "“%s” is not an e-mail address", addr);
      return;
    }
  g_task_run_in_thread (task, make_header);
}

/**
 * missive_crypto_context_get_autocrypt_header_finish:
 * @self: a crypto context
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@CryptoContext.get_autocrypt_header_async].
 *
 * Returns: (transfer full): the header, or %NULL on error
 *
 * Since: 1.0
 */
MissiveAutocryptHeader *
missive_crypto_context_get_autocrypt_header_finish (MissiveCryptoContext  *self,
                                                    GAsyncResult          *result,
                                                    GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *addr;
  gboolean prefer_encrypt;
} SyncArgs;

static void
start_sync (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  SyncArgs *args = start_data;

  missive_crypto_context_get_autocrypt_header_async (source, args->addr, args->prefer_encrypt,
                                                     cancellable, callback, user_data);
}

/**
 * missive_crypto_context_get_autocrypt_header:
 * @self: an OpenPGP crypto context
 * @addr: the sender's e-mail address
 * @prefer_encrypt: %TRUE to say `prefer-encrypt=mutual`
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes the Autocrypt header for mail from @addr; the blocking form of
 * [method@CryptoContext.get_autocrypt_header_async].
 *
 * Returns: (transfer full): the header, or %NULL on error
 *
 * Since: 1.0
 */
MissiveAutocryptHeader *
missive_crypto_context_get_autocrypt_header (MissiveCryptoContext  *self,
                                             const char            *addr,
                                             gboolean               prefer_encrypt,
                                             GCancellable          *cancellable,
                                             GError               **error)
{
  SyncArgs args = { addr, prefer_encrypt };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_CRYPTO_CONTEXT (self), NULL);
  g_return_val_if_fail (addr != NULL, NULL);

  result = missive_run_sync (self, start_sync, &args, cancellable);
  return missive_crypto_context_get_autocrypt_header_finish (self, result, error);
}
