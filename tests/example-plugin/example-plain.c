/* example-plain.c: a SASL mechanism plugin written outside Missive's tree
 *
 * It implements PLAIN (RFC 4616) again, under its own type name, and
 * registers it with a higher priority than the built-in one, so that the
 * engine picks it whenever a server offers PLAIN. A third party would do
 * the same for a mechanism Missive does not have; PLAIN is used here
 * because every test server speaks it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <missive/missive-plugin.h>

#define EXAMPLE_TYPE_PLAIN (example_plain_get_type ())
G_DECLARE_FINAL_TYPE (ExamplePlain, example_plain, EXAMPLE, PLAIN, MissiveSaslMechanism)

struct _ExamplePlain
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_DYNAMIC_TYPE (ExamplePlain, example_plain, MISSIVE_TYPE_SASL_MECHANISM)

MISSIVE_PLUGIN_DECLARE_ABI;

MISSIVE_PLUGIN_EXPORT void   g_io_missive_example_plain_load   (GIOModule *module);
MISSIVE_PLUGIN_EXPORT void   g_io_missive_example_plain_unload (GIOModule *module);
MISSIVE_PLUGIN_EXPORT char **g_io_missive_example_plain_query  (void);

static const char *
example_plain_get_name (MissiveSaslMechanism *mech)
{
  return "PLAIN";
}

static int
example_plain_get_strength (MissiveSaslMechanism *mech)
{
  return 10;
}

static MissiveSaslFlags
example_plain_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_PLAINTEXT |
         MISSIVE_SASL_FLAG_CLIENT_FIRST |
         MISSIVE_SASL_FLAG_NEEDS_PASSWORD;
}

/* authzid NUL authcid NUL password, sent once. */
static GBytes *
example_plain_step (MissiveSaslMechanism  *mech,
                    GBytes                *challenge,
                    GError               **error)
{
  const char *authzid = missive_sasl_mechanism_get_authzid (mech);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *password = missive_sasl_mechanism_get_password (mech);
  gsize a, u, p;
  guint8 *message;

  if (missive_sasl_mechanism_is_complete (mech))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a challenge after PLAIN was complete");
      return NULL;
    }
  if (challenge != NULL && g_bytes_get_size (challenge) > 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "PLAIN expects no challenge");
      return NULL;
    }
  if (username == NULL || password == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "PLAIN needs a user name and a password");
      return NULL;
    }

  a = authzid != NULL ? strlen (authzid) : 0;
  u = strlen (username);
  p = strlen (password);
  message = g_malloc (a + u + p + 2);
  if (a > 0)
    memcpy (message, authzid, a);
  message[a] = '\0';
  memcpy (message + a + 1, username, u);
  message[a + 1 + u] = '\0';
  memcpy (message + a + u + 2, password, p);

  missive_sasl_mechanism_set_complete (mech, TRUE);
  /* The bytes hold the password: wiped when released. */
  return missive_sasl_secret_bytes_new_take (message, a + u + p + 2);
}

static void
example_plain_class_init (ExamplePlainClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = example_plain_get_name;
  mech_class->get_strength = example_plain_get_strength;
  mech_class->get_flags = example_plain_get_flags;
  mech_class->step = example_plain_step;
}

static void
example_plain_class_finalize (ExamplePlainClass *klass)
{
}

static void
example_plain_init (ExamplePlain *self)
{
}

void
g_io_missive_example_plain_load (GIOModule *module)
{
  missive_plugin_ensure_extension_points ();
  example_plain_register_type (G_TYPE_MODULE (module));
  /* Priority 1000: above the built-in PLAIN (10), so this one is used. */
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  EXAMPLE_TYPE_PLAIN, "PLAIN", 1000);
}

void
g_io_missive_example_plain_unload (GIOModule *module)
{
}

char **
g_io_missive_example_plain_query (void)
{
  const char * const extension_points[] = {
    MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
    NULL,
  };

  return g_strdupv ((char **) extension_points);
}
