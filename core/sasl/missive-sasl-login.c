/* missive-sasl-login.c: the LOGIN SASL mechanism (draft-murchison-sasl-login)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-builtin-private.h"
#include "missive-sasl-mechanism-private.h"

/* LOGIN is the obsolete two-question mechanism that many servers still
 * offer: the server asks for the user name, then for the password, each
 * with a prompt ("Username:", "Password:") that clients must not rely on,
 * since servers word and localize it as they like. So the answers are
 * given by position: the first challenge gets the user name, the second
 * the password, and a third is a protocol error. There is no initial
 * response. */

struct _MissiveSaslLogin
{
  MissiveSaslMechanism parent_instance;

  guint steps;
};

G_DEFINE_FINAL_TYPE (MissiveSaslLogin, missive_sasl_login, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
missive_sasl_login_get_name (MissiveSaslMechanism *mech)
{
  return "LOGIN";
}

static int
missive_sasl_login_get_strength (MissiveSaslMechanism *mech)
{
  return 5;
}

static MissiveSaslFlags
missive_sasl_login_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_PLAINTEXT | MISSIVE_SASL_FLAG_NEEDS_PASSWORD;
}

static GBytes *
missive_sasl_login_step (MissiveSaslMechanism  *mech,
                         GBytes                *challenge,
                         GError               **error)
{
  MissiveSaslLogin *self = MISSIVE_SASL_LOGIN (mech);
  const char *value;
  gsize length;

  if (challenge == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "LOGIN has no initial response; wait for the "
                           "server's first challenge");
      return NULL;
    }

  if (self->steps >= 2 || missive_sasl_mechanism_is_complete (mech))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent more than two LOGIN challenges");
      return NULL;
    }

  if (self->steps == 0)
    {
      value = missive_sasl_mechanism_get_username (mech);
      if (value == NULL || *value == '\0')
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No username for LOGIN authentication");
          return NULL;
        }
      self->steps++;
      return g_bytes_new (value, strlen (value));
    }

  value = missive_sasl_mechanism_get_password (mech);
  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No password for LOGIN authentication");
      return NULL;
    }
  self->steps++;
  missive_sasl_mechanism_set_complete (mech, TRUE);
  length = strlen (value);
  return missive_sasl_secret_bytes_new_take (g_memdup2 (value, length), length);
}

static void
missive_sasl_login_reset (MissiveSaslMechanism *mech)
{
  MissiveSaslLogin *self = MISSIVE_SASL_LOGIN (mech);

  self->steps = 0;
  MISSIVE_SASL_MECHANISM_CLASS (missive_sasl_login_parent_class)->reset (mech);
}

static void
missive_sasl_login_class_init (MissiveSaslLoginClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = missive_sasl_login_get_name;
  mech_class->get_strength = missive_sasl_login_get_strength;
  mech_class->get_flags = missive_sasl_login_get_flags;
  mech_class->step = missive_sasl_login_step;
  mech_class->reset = missive_sasl_login_reset;
}

static void
missive_sasl_login_init (MissiveSaslLogin *self)
{
}
