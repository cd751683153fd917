/* missive-gpgme-util.c: conversions between GPGME and Missive that the
 * OpenPGP and S/MIME backends share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-gpgme-util.h"

MissiveKeyValidity
missive_gpgme_validity (gpgme_validity_t validity)
{
  switch (validity)
    {
    case GPGME_VALIDITY_UNDEFINED:
      return MISSIVE_KEY_VALIDITY_UNDEFINED;
    case GPGME_VALIDITY_NEVER:
      return MISSIVE_KEY_VALIDITY_NEVER;
    case GPGME_VALIDITY_MARGINAL:
      return MISSIVE_KEY_VALIDITY_MARGINAL;
    case GPGME_VALIDITY_FULL:
      return MISSIVE_KEY_VALIDITY_FULL;
    case GPGME_VALIDITY_ULTIMATE:
      return MISSIVE_KEY_VALIDITY_ULTIMATE;
    case GPGME_VALIDITY_UNKNOWN:
    default:
      return MISSIVE_KEY_VALIDITY_UNKNOWN;
    }
}

GDateTime *
missive_gpgme_date (long seconds)
{
  return seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;
}

gpgme_error_t
missive_gpgme_data_new (GBytes       *bytes,
                        gpgme_data_t *data)
{
  const char *buffer;
  gsize length = 0;

  *data = NULL;
  if (bytes == NULL)
    return gpgme_data_new (data);
  buffer = g_bytes_get_data (bytes, &length);
  /* copy=1: GPGME keeps its own copy, @bytes may go away. */
  return gpgme_data_new_from_mem (data, buffer != NULL ? buffer : "", length, 1);
}

GBytes *
missive_gpgme_data_steal_bytes (gpgme_data_t data)
{
  size_t length = 0;
  char *buffer = gpgme_data_release_and_get_mem (data, &length);
  GBytes *bytes = g_bytes_new (buffer, buffer != NULL ? length : 0);

  gpgme_free (buffer);
  return bytes;
}
