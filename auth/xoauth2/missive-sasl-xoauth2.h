/* missive-sasl-xoauth2.h: the XOAUTH2 SASL mechanism (private to the plugin)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SASL_XOAUTH2 (missive_sasl_xoauth2_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslXoauth2, missive_sasl_xoauth2, MISSIVE, SASL_XOAUTH2, MissiveSaslMechanism)

void missive_sasl_xoauth2_register (GIOModule *module);

G_END_DECLS
