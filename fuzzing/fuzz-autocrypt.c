/* fuzz-autocrypt.c: libFuzzer target for the Autocrypt header parser
 *
 * The whole input is an Autocrypt (or Autocrypt-Gossip) header value, as
 * a C string (a NUL byte ends it, as for a caller). A header that parses
 * must format and parse again to the same address, preference and key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/* A key larger than this says nothing new to the parser. */
#define FUZZ_MAX_VALUE 65536

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  g_autoptr(MissiveAutocryptHeader) header = NULL;
  g_autoptr(MissiveAutocryptHeader) again = NULL;
  g_autoptr(GError) error = NULL;

  if (size > FUZZ_MAX_VALUE)
    return 0;
  value = g_strndup ((const char *) data, size);
  header = missive_autocrypt_header_parse (value, &error);
  if (header == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_nonnull (missive_autocrypt_header_get_addr (header));
  g_assert_nonnull (missive_autocrypt_header_get_key_data (header));

  text = missive_autocrypt_header_to_string (header);
  again = missive_autocrypt_header_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_autocrypt_header_get_addr (again), ==,
                   missive_autocrypt_header_get_addr (header));
  g_assert_true (missive_autocrypt_header_get_prefer_encrypt (again) ==
                 missive_autocrypt_header_get_prefer_encrypt (header));
  g_assert_true (g_bytes_equal (missive_autocrypt_header_get_key_data (again),
                                missive_autocrypt_header_get_key_data (header)));
  return 0;
}
