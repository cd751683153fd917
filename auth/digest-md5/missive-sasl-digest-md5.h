/* missive-sasl-digest-md5.h: the DIGEST-MD5 SASL mechanism (private to the plugin)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SASL_DIGEST_MD5 (missive_sasl_digest_md5_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslDigestMd5, missive_sasl_digest_md5, MISSIVE, SASL_DIGEST_MD5, MissiveSaslMechanism)

void missive_sasl_digest_md5_register (GIOModule *module);

G_END_DECLS
