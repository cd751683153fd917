/* missive-gpgme-util.h: conversions between GPGME and Missive that the
 * OpenPGP and S/MIME backends share (a static library linked into both)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gpgme.h>
#include <missive/missive.h>

G_BEGIN_DECLS

/* A key's or user id's validity as Missive reports it. */
MissiveKeyValidity missive_gpgme_validity         (gpgme_validity_t   validity);
/* GPGME's seconds since the epoch, where 0 (or less) means "none". */
GDateTime         *missive_gpgme_date             (long               seconds);
/* A GPGME memory buffer holding a copy of @bytes, or an empty one when
 * @bytes is NULL. */
gpgme_error_t      missive_gpgme_data_new         (GBytes            *bytes,
                                                   gpgme_data_t      *data);
/* The contents of a memory buffer; @data is released. */
GBytes            *missive_gpgme_data_steal_bytes (gpgme_data_t       data);

G_END_DECLS
