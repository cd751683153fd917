/* missive-sasl-builtin-private.h: the SASL mechanisms built into the core
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SASL_PLAIN (missive_sasl_plain_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslPlain, missive_sasl_plain, MISSIVE, SASL_PLAIN, MissiveSaslMechanism)

#define MISSIVE_TYPE_SASL_LOGIN (missive_sasl_login_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslLogin, missive_sasl_login, MISSIVE, SASL_LOGIN, MissiveSaslMechanism)

#define MISSIVE_TYPE_SASL_EXTERNAL (missive_sasl_external_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslExternal, missive_sasl_external, MISSIVE, SASL_EXTERNAL, MissiveSaslMechanism)

#define MISSIVE_TYPE_SASL_ANONYMOUS (missive_sasl_anonymous_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSaslAnonymous, missive_sasl_anonymous, MISSIVE, SASL_ANONYMOUS, MissiveSaslMechanism)

/* Registers PLAIN, LOGIN, EXTERNAL and ANONYMOUS with the
 * "missive-sasl-mechanism" extension point, which must already exist
 * (missive_plugin_ensure_extension_points() creates it). The extension
 * priority of each is its strength. Safe to call more than once. */
void missive_sasl_builtin_register (void);

G_END_DECLS
