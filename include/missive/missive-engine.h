/* missive-engine.h: plugin discovery and object creation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_ENGINE (missive_engine_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveEngine, missive_engine, MISSIVE, ENGINE, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveEngine        *missive_engine_get_default            (void);

MISSIVE_AVAILABLE_IN_1_0
char                **missive_engine_list_protocols         (MissiveEngine  *self);
MISSIVE_AVAILABLE_IN_1_0
char                **missive_engine_list_schemes           (MissiveEngine  *self);
MISSIVE_AVAILABLE_IN_1_0
char                **missive_engine_list_sasl_mechanisms   (MissiveEngine  *self);
MISSIVE_AVAILABLE_IN_1_0
char                **missive_engine_list_crypto_backends   (MissiveEngine  *self);
MISSIVE_AVAILABLE_IN_1_0
char                **missive_engine_list_skipped_plugins   (MissiveEngine  *self);

MISSIVE_AVAILABLE_IN_1_0
MissiveService       *missive_engine_create_service         (MissiveEngine  *self,
                                                             const char     *uri,
                                                             GError        **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveSaslMechanism *missive_engine_create_sasl_mechanism  (MissiveEngine  *self,
                                                             const char     *name,
                                                             GError        **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveCryptoContext *missive_engine_create_crypto_context  (MissiveEngine  *self,
                                                             const char     *name,
                                                             GError        **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean              missive_engine_register_sasl_mechanism (MissiveEngine *self,
                                                              GType          mechanism_type,
                                                              GError       **error);

G_END_DECLS
