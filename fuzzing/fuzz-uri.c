/* fuzz-uri.c: libFuzzer target for the service URI parser
 *
 * The whole input is the URI. It is handed over as a C string, so a NUL
 * byte inside the input ends the URI there, as it would for a caller.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-uri-private.h"

/* Longer URIs say nothing new to the parser. */
#define FUZZ_MAX_URI 4096

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
assert_clean (const char *value)
{
  if (value == NULL)
    return;
  g_assert_null (strpbrk (value, "\r\n"));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const extra_schemes[] = { "jmap", "x-test", NULL };
  g_autofree char *text = NULL;
  g_autoptr(MissiveUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  if (size > FUZZ_MAX_URI)
    return 0;
  text = g_malloc (size + 1);
  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';

  uri = missive_uri_parse (text, extra_schemes, &error);
  if (uri == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == MISSIVE_ERROR);
      g_assert_true (error->code == MISSIVE_ERROR_INVALID_ARGUMENT ||
                     error->code == MISSIVE_ERROR_UNKNOWN_SCHEME);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_nonnull (uri->scheme);
  g_assert_nonnull (uri->protocol);
  g_assert_nonnull (uri->host);
  g_assert_cmpuint (uri->port, !=, 0);
  assert_clean (uri->scheme);
  assert_clean (uri->protocol);
  assert_clean (uri->host);
  assert_clean (uri->username);
  assert_clean (uri->password);
  assert_clean (uri->auth_mechanism);
  for (const char *p = uri->scheme; *p != '\0'; p++)
    g_assert_false (g_ascii_isupper (*p));

  return 0;
}
