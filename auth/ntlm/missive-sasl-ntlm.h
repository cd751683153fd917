/* missive-sasl-ntlm.h: the NTLM SASL mechanism (private to the plugin)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SASL_NTLM (missive_sasl_ntlm_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslNtlm, missive_sasl_ntlm, MISSIVE, SASL_NTLM, MissiveSaslMechanism)

void missive_sasl_ntlm_register (GIOModule *module);

G_END_DECLS
