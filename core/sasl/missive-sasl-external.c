/* missive-sasl-external.c: the EXTERNAL SASL mechanism (RFC 4422 appendix A)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-builtin-private.h"
#include "missive-sasl-mechanism-private.h"

/* EXTERNAL authenticates with what the channel already established, in
 * practice a TLS client certificate. The client only says which identity
 * it wants to act as: the authorization identity, or nothing to let the
 * server derive it from the certificate. Never chosen automatically. */

struct _MissiveSaslExternal
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_FINAL_TYPE (MissiveSaslExternal, missive_sasl_external, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
missive_sasl_external_get_name (MissiveSaslMechanism *mech)
{
  return "EXTERNAL";
}

static int
missive_sasl_external_get_strength (MissiveSaslMechanism *mech)
{
  return 50;
}

static MissiveSaslFlags
missive_sasl_external_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_EXPLICIT_ONLY;
}

static GBytes *
missive_sasl_external_step (MissiveSaslMechanism  *mech,
                            GBytes                *challenge,
                            GError               **error)
{
  const char *authzid = missive_sasl_mechanism_get_authzid (mech);

  if (missive_sasl_mechanism_is_complete (mech))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a challenge after the EXTERNAL "
                           "exchange was complete");
      return NULL;
    }

  if (authzid == NULL)
    authzid = "";
  if (!g_utf8_validate (authzid, -1, NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The authorization identity for EXTERNAL is not "
                           "valid UTF-8");
      return NULL;
    }

  missive_sasl_mechanism_set_complete (mech, TRUE);
  return g_bytes_new (authzid, strlen (authzid));
}

static void
missive_sasl_external_class_init (MissiveSaslExternalClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = missive_sasl_external_get_name;
  mech_class->get_strength = missive_sasl_external_get_strength;
  mech_class->get_flags = missive_sasl_external_get_flags;
  mech_class->step = missive_sasl_external_step;
}

static void
missive_sasl_external_init (MissiveSaslExternal *self)
{
}
