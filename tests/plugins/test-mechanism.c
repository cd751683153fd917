/* test-mechanism.c: the SASL mechanism "X-TEST" of the fixture plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "test-plugin.h"

struct _MissiveTestMechanism
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveTestMechanism, missive_test_mechanism,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_FINAL, {})

static const char *
missive_test_mechanism_get_name (MissiveSaslMechanism *mechanism)
{
  return "X-TEST";
}

static int
missive_test_mechanism_get_strength (MissiveSaslMechanism *mechanism)
{
  return 25;
}

static MissiveSaslFlags
missive_test_mechanism_get_flags (MissiveSaslMechanism *mechanism)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST;
}

static GBytes *
missive_test_mechanism_step (MissiveSaslMechanism  *mechanism,
                             GBytes                *challenge,
                             GError               **error)
{
  const char *username = missive_sasl_mechanism_get_username (mechanism);
  char *response = g_strconcat ("x-test:", username != NULL ? username : "", NULL);

  missive_sasl_mechanism_set_complete (mechanism, TRUE);
  return g_bytes_new_take (response, strlen (response));
}

static void
missive_test_mechanism_class_init (MissiveTestMechanismClass *klass)
{
  MissiveSaslMechanismClass *mechanism_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mechanism_class->get_name = missive_test_mechanism_get_name;
  mechanism_class->get_strength = missive_test_mechanism_get_strength;
  mechanism_class->get_flags = missive_test_mechanism_get_flags;
  mechanism_class->step = missive_test_mechanism_step;
}

static void
missive_test_mechanism_class_finalize (MissiveTestMechanismClass *klass)
{
}

static void
missive_test_mechanism_init (MissiveTestMechanism *self)
{
}

void
missive_test_mechanism_register (GIOModule *module)
{
  if (module == NULL)
    missive_plugin_ensure_extension_points ();

  missive_test_mechanism_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_TEST_MECHANISM, "X-TEST", 25);
}
