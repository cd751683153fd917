/* missive-sasl-anonymous.c: the ANONYMOUS SASL mechanism (RFC 4505)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-builtin-private.h"
#include "missive-sasl-mechanism-private.h"

/* ANONYMOUS logs in as nobody in particular. The client sends optional
 * "trace information" (RFC 4505 section 2), traditionally an e-mail
 * address, of at most 255 UTF-8 characters; we send the username property
 * when set, else "anonymous". Never chosen automatically. */

#define TRACE_MAX_CHARS 255

struct _MissiveSaslAnonymous
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_FINAL_TYPE (MissiveSaslAnonymous, missive_sasl_anonymous, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
missive_sasl_anonymous_get_name (MissiveSaslMechanism *mech)
{
  return "ANONYMOUS";
}

static int
missive_sasl_anonymous_get_strength (MissiveSaslMechanism *mech)
{
  return 0;
}

static MissiveSaslFlags
missive_sasl_anonymous_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_EXPLICIT_ONLY;
}

static GBytes *
missive_sasl_anonymous_step (MissiveSaslMechanism  *mech,
                             GBytes                *challenge,
                             GError               **error)
{
  const char *trace = missive_sasl_mechanism_get_username (mech);

  if (missive_sasl_mechanism_is_complete (mech))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a challenge after the ANONYMOUS "
                           "exchange was complete");
      return NULL;
    }

  if (trace == NULL)
    trace = "anonymous";
  if (!g_utf8_validate (trace, -1, NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The ANONYMOUS trace information is not valid UTF-8");
      return NULL;
    }
  if (g_utf8_strlen (trace, -1) > TRACE_MAX_CHARS)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The ANONYMOUS trace information is longer than %d characters",
                   TRACE_MAX_CHARS);
      return NULL;
    }

  missive_sasl_mechanism_set_complete (mech, TRUE);
  return g_bytes_new (trace, strlen (trace));
}

static void
missive_sasl_anonymous_class_init (MissiveSaslAnonymousClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = missive_sasl_anonymous_get_name;
  mech_class->get_strength = missive_sasl_anonymous_get_strength;
  mech_class->get_flags = missive_sasl_anonymous_get_flags;
  mech_class->step = missive_sasl_anonymous_step;
}

static void
missive_sasl_anonymous_init (MissiveSaslAnonymous *self)
{
}
