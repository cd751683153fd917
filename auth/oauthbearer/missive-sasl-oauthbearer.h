/* missive-sasl-oauthbearer.h: the OAUTHBEARER SASL mechanism (private to the plugin)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SASL_OAUTHBEARER (missive_sasl_oauthbearer_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslOauthbearer, missive_sasl_oauthbearer, MISSIVE, SASL_OAUTHBEARER, MissiveSaslMechanism)

void missive_sasl_oauthbearer_register (GIOModule *module);

G_END_DECLS
