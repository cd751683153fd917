/* missive-sasl-scram.h: the SCRAM family of SASL mechanisms (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* The abstract base of the six SCRAM types; each registered subtype only
 * differs by its class data (hash and channel binding). */
#define MISSIVE_TYPE_SASL_SCRAM (missive_sasl_scram_get_type ())
G_DECLARE_DERIVABLE_TYPE (MissiveSaslScram, missive_sasl_scram, MISSIVE, SASL_SCRAM, MissiveSaslMechanism)

typedef struct _MissiveSaslScramVariant MissiveSaslScramVariant;

struct _MissiveSaslScramClass
{
  MissiveSaslMechanismClass parent_class;

  const MissiveSaslScramVariant *variant;
};

/* Registers the types with @module and implements the SASL mechanism
 * extension point for SCRAM-SHA-{1,256,512}[-PLUS]. */
void missive_sasl_scram_register (GIOModule *module);

G_END_DECLS
