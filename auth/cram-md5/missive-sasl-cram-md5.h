/* missive-sasl-cram-md5.h: the CRAM-MD5 SASL mechanism (private to the plugin)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SASL_CRAM_MD5 (missive_sasl_cram_md5_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslCramMd5, missive_sasl_cram_md5, MISSIVE, SASL_CRAM_MD5, MissiveSaslMechanism)

void missive_sasl_cram_md5_register (GIOModule *module);

G_END_DECLS
