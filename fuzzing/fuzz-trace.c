/* fuzz-trace.c: libFuzzer target for missive_trace_mask_line()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *line = (const char *) data;
  g_autofree char *masked = missive_trace_mask_line (line, size);
  g_autofree char *again = NULL;
  gsize masked_length;
  gsize tail = 0;
  gsize from;

  g_assert_nonnull (masked);

  /* With NUL bytes inside, the result's length is unknown: memory safety
   * is all there is to check. */
  if (memchr (data, '\0', size) != NULL)
    return 0;

  masked_length = strlen (masked);
  if (masked_length == size && memcmp (masked, data, size) == 0)
    return 0;

  /* Otherwise: the input's start, "****", the input's line end. */
  if (size > 0 && line[size - 1] == '\n')
    tail++;
  if (size > tail && line[size - tail - 1] == '\r')
    tail++;
  g_assert_cmpuint (masked_length, >=, 4 + tail);
  g_assert_cmpmem (masked + masked_length - tail, tail, line + size - tail, tail);
  g_assert_cmpmem (masked + masked_length - tail - 4, 4, "****", 4);
  from = masked_length - tail - 4;
  g_assert_cmpuint (from, <, size - tail);
  g_assert_cmpmem (masked, from, line, from);

  /* Masking is idempotent. */
  again = missive_trace_mask_line (masked, -1);
  g_assert_cmpstr (again, ==, masked);
  return 0;
}
