/* test-engine.c: MissiveEngine and the plugin loader, with fixture plugins
 *
 * Every test runs the engine in a subprocess, because plugins are loaded
 * once per process: the subprocess finds MISSIVE_PLUGIN_PATH pointing at
 * tests/plugins in the build directory, where libmissive-testgood.so is a
 * valid plugin and four more files are broken in different ways.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <missive/missive.h>

#include "test-utils.h"

#define SUBPROCESS_TIMEOUT (30 * G_USEC_PER_SEC)

static char *fixture_dir;
static guint n_loader_warnings;

/* ---- mechanisms defined by the "application" --------------------------- */

#define DEFINE_TEST_MECHANISM(TypeName, type_name, TYPE_NAME, mech_name, mech_strength) \
  G_DECLARE_FINAL_TYPE (TypeName, type_name, TEST, TYPE_NAME, MissiveSaslMechanism)   \
  struct _##TypeName { MissiveSaslMechanism parent_instance; };                       \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, MISSIVE_TYPE_SASL_MECHANISM)             \
  static const char *                                                                 \
  type_name##_get_name (MissiveSaslMechanism *mechanism)                              \
  {                                                                                   \
    return mech_name;                                                                 \
  }                                                                                   \
  static int                                                                          \
  type_name##_get_strength (MissiveSaslMechanism *mechanism)                          \
  {                                                                                   \
    return mech_strength;                                                             \
  }                                                                                   \
  static void                                                                         \
  type_name##_class_init (TypeName##Class *klass)                                     \
  {                                                                                   \
    MISSIVE_SASL_MECHANISM_CLASS (klass)->get_name = type_name##_get_name;            \
    MISSIVE_SASL_MECHANISM_CLASS (klass)->get_strength = type_name##_get_strength;    \
  }                                                                                   \
  static void                                                                         \
  type_name##_init (TypeName *self)                                                   \
  {                                                                                   \
  }

/* Stronger than everything else, so it must come first in the list. */
DEFINE_TEST_MECHANISM (TestAppMechanism, test_app_mechanism, APP_MECHANISM, "X-APP", 1000)
/* The same name as the plugin's mechanism: the application's wins. */
DEFINE_TEST_MECHANISM (TestShadowMechanism, test_shadow_mechanism, SHADOW_MECHANISM, "x-test", 1)
/* Names that cannot be registered. */
DEFINE_TEST_MECHANISM (TestBadNameMechanism, test_bad_name_mechanism, BAD_NAME_MECHANISM, "BAD NAME", 1)
DEFINE_TEST_MECHANISM (TestNoNameMechanism, test_no_name_mechanism, NO_NAME_MECHANISM, NULL, 1)
/* For the thread race. */
DEFINE_TEST_MECHANISM (TestRaceMechanism, test_race_mechanism, RACE_MECHANISM, "X-RACE", 3)

/* ---- helpers ------------------------------------------------------------ */

/* In the subprocess, the loader's "Skipping plugin" warnings are expected:
 * they are counted and copied to stderr (where the parent looks for them)
 * instead of being fatal. Every other message goes the default way. */
static GLogWriterOutput
child_log_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  if (log_level & G_LOG_LEVEL_WARNING)
    {
      const char *message = NULL;

      for (gsize i = 0; i < n_fields; i++)
        {
          if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
            message = fields[i].value;
        }
      if (message != NULL && g_str_has_prefix (message, "Skipping plugin "))
        {
          n_loader_warnings++;
          g_printerr ("loader warning: %s\n", message);
          return G_LOG_WRITER_HANDLED;
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
child_setup (void)
{
  g_log_set_writer_func (child_log_writer, NULL, NULL);
}

static void
run_in_subprocess (void)
{
  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static gboolean
strv_contains (char       **strv,
               const char  *string)
{
  return g_strv_contains ((const char * const *) strv, string);
}

/* The entries of the skipped list that are about files in the fixture
 * directory (the compiled-in plugin directory may add its own). */
static GPtrArray *
fixture_skipped (MissiveEngine *engine)
{
  g_auto(GStrv) skipped = missive_engine_list_skipped_plugins (engine);
  g_autofree char *prefix = g_build_filename (fixture_dir, "lib", NULL);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; skipped[i] != NULL; i++)
    {
      if (g_str_has_prefix (skipped[i], prefix))
        g_ptr_array_add (result, g_strdup (skipped[i]));
    }
  return result;
}

/* The skipped entry for @basename, which must be there exactly once. */
static const char *
find_skipped (GPtrArray  *skipped,
              const char *basename)
{
  g_autofree char *prefix = g_strconcat (fixture_dir, G_DIR_SEPARATOR_S, basename, ": ", NULL);
  const char *found = NULL;

  for (guint i = 0; i < skipped->len; i++)
    {
      const char *entry = g_ptr_array_index (skipped, i);

      if (g_str_has_prefix (entry, prefix))
        {
          g_assert_null (found);
          found = entry;
        }
    }
  g_assert_nonnull (found);
  return found + strlen (prefix);
}

/* Copies the fixture @basename into @dir. */
static void
copy_fixture (const char *basename,
              const char *dir)
{
  g_autofree char *from = g_build_filename (fixture_dir, basename, NULL);
  g_autofree char *to = g_build_filename (dir, basename, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Whether a file under @dir is mapped into this process. */
static gboolean
is_mapped_from (const char *dir)
{
  g_autofree char *maps = NULL;
  g_autofree char *needle = g_strconcat (" ", dir, G_DIR_SEPARATOR_S, NULL);

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, needle) != NULL;
}

static void
assert_broken_fixtures_skipped (MissiveEngine *engine)
{
  g_autoptr(GPtrArray) skipped = fixture_skipped (engine);
  const char *reason;

  g_assert_cmpuint (skipped->len, ==, 4);

  reason = find_skipped (skipped, "libmissive-testnotelf.so");
  g_assert_true (g_str_has_prefix (reason, "cannot be loaded: "));

  reason = find_skipped (skipped, "libmissive-testnoentry.so");
  g_assert_nonnull (strstr (reason, "g_io_missive_testnoentry_load"));

  reason = find_skipped (skipped, "libmissive-testbadabi.so");
  g_assert_nonnull (strstr (reason, "plugin ABI 999"));

  reason = find_skipped (skipped, "libmissive-testunresolved.so");
  g_assert_true (g_str_has_prefix (reason, "cannot be loaded: "));
  g_assert_nonnull (strstr (reason, "missive_test_symbol_defined_nowhere"));
}

static void
assert_stderr_has_skip_warnings (void)
{
  g_test_trap_assert_stderr ("*Skipping plugin */libmissive-testnotelf.so: cannot be loaded*");
  g_test_trap_assert_stderr ("*Skipping plugin */libmissive-testnoentry.so: *g_io_missive_testnoentry_load*");
  g_test_trap_assert_stderr ("*Skipping plugin */libmissive-testbadabi.so: *ABI 999*");
  g_test_trap_assert_stderr ("*Skipping plugin */libmissive-testunresolved.so: cannot be loaded*");
  g_test_trap_assert_stderr_unmatched ("*Skipping plugin */libmissive-testgood.so*");
}

/* ---- listing ------------------------------------------------------------ */

static void
test_list (void)
{
  MissiveEngine *engine;
  g_auto(GStrv) protocols = NULL;
  g_auto(GStrv) schemes = NULL;
  g_auto(GStrv) mechanisms = NULL;
  g_auto(GStrv) backends = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      assert_stderr_has_skip_warnings ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();
  g_assert_true (MISSIVE_IS_ENGINE (engine));
  g_assert_true (missive_engine_get_default () == engine);

  protocols = missive_engine_list_protocols (engine);
  g_assert_true (strv_contains (protocols, "testproto"));

  schemes = missive_engine_list_schemes (engine);
  g_assert_true (strv_contains (schemes, "testproto"));
  /* A table scheme is usable only when its protocol plugin is there. */
  g_assert_cmpint (strv_contains (schemes, "imaps"), ==, strv_contains (protocols, "imap"));
  g_assert_cmpint (strv_contains (schemes, "submission"), ==, strv_contains (protocols, "smtp"));
  g_assert_false (strv_contains (schemes, "gopher"));

  mechanisms = missive_engine_list_sasl_mechanisms (engine);
  g_assert_true (strv_contains (mechanisms, "X-TEST"));

  backends = missive_engine_list_crypto_backends (engine);
  g_assert_true (strv_contains (backends, "testcrypto"));
  /* What the broken plugins would have added. */
  g_assert_false (strv_contains (backends, "badabi"));
  g_assert_false (strv_contains (backends, "unresolved"));

  /* Loading happened once, with one warning per broken plugin. */
  g_assert_cmpuint (n_loader_warnings, >=, 4);
  assert_broken_fixtures_skipped (engine);
}

static void
test_list_mechanisms_order (void)
{
  MissiveEngine *engine;
  g_auto(GStrv) mechanisms = NULL;
  g_autoptr(GError) error = NULL;
  int previous_strength = G_MAXINT;
  const char *previous_name = NULL;
  guint n_test = 0;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();
  g_assert_true (missive_engine_register_sasl_mechanism (engine, test_app_mechanism_get_type (), &error));
  g_assert_no_error (error);

  mechanisms = missive_engine_list_sasl_mechanisms (engine);
  g_assert_cmpstr (mechanisms[0], ==, "X-APP");
  for (gsize i = 0; mechanisms[i] != NULL; i++)
    {
      g_autoptr(MissiveSaslMechanism) mechanism = NULL;
      g_autofree char *upper = g_ascii_strup (mechanisms[i], -1);
      g_autofree char *own_name = NULL;
      int strength;

      /* Listed in uppercase, and creatable by the listed name. */
      g_assert_cmpstr (mechanisms[i], ==, upper);
      mechanism = missive_engine_create_sasl_mechanism (engine, mechanisms[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (mechanism);
      own_name = g_ascii_strup (missive_sasl_mechanism_get_name (mechanism), -1);
      g_assert_cmpstr (own_name, ==, mechanisms[i]);

      strength = missive_sasl_mechanism_get_strength (mechanism);
      g_assert_cmpint (strength, <=, previous_strength);
      if (strength == previous_strength)
        g_assert_cmpstr (previous_name, <, mechanisms[i]);
      previous_strength = strength;
      previous_name = mechanisms[i];

      if (strcmp (mechanisms[i], "X-TEST") == 0)
        n_test++;
    }
  g_assert_cmpuint (n_test, ==, 1);
}

static void
test_skipped (void)
{
  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      assert_stderr_has_skip_warnings ();
      return;
    }

  child_setup ();
  assert_broken_fixtures_skipped (missive_engine_get_default ());
  /* Asking again neither reloads nor warns again. */
  assert_broken_fixtures_skipped (missive_engine_get_default ());
  g_assert_cmpuint (n_loader_warnings, ==, 4);
}

static void
test_path_with_missing_and_repeated_dirs (void)
{
  MissiveEngine *engine;
  g_autofree char *path = NULL;
  g_auto(GStrv) protocols = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      g_test_trap_assert_stderr_unmatched ("*nonexistent*");
      return;
    }

  child_setup ();
  /* A missing directory is fine; the same directory twice (also spelled
   * differently) and an empty element change nothing. */
  path = g_strdup_printf ("/nonexistent/missive-plugins:%s::%s/.:%s",
                          fixture_dir, fixture_dir, fixture_dir);
  g_setenv ("MISSIVE_PLUGIN_PATH", path, TRUE);

  engine = missive_engine_get_default ();
  protocols = missive_engine_list_protocols (engine);
  g_assert_true (strv_contains (protocols, "testproto"));
  assert_broken_fixtures_skipped (engine);
  g_assert_cmpuint (n_loader_warnings, ==, 4);
}

static void
test_no_plugin_path (void)
{
  MissiveEngine *engine;
  g_auto(GStrv) protocols = NULL;
  g_auto(GStrv) mechanisms = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      g_test_trap_assert_stderr_unmatched ("*libmissive-test*");
      return;
    }

  child_setup ();
  g_unsetenv ("MISSIVE_PLUGIN_PATH");

  engine = missive_engine_get_default ();
  protocols = missive_engine_list_protocols (engine);
  g_assert_false (strv_contains (protocols, "testproto"));
  mechanisms = missive_engine_list_sasl_mechanisms (engine);
  g_assert_false (strv_contains (mechanisms, "X-TEST"));
  skipped = fixture_skipped (engine);
  g_assert_cmpuint (skipped->len, ==, 0);

  service = missive_engine_create_service (engine, "testproto://127.0.0.1:1234", &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_SCHEME);
  g_assert_null (service);
}

static void
test_duplicate_plugins (void)
{
  MissiveEngine *engine;
  g_autofree char *first_dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  /* libmissive-testgood.so in two directories: only the first is loaded
   * (a second load would register its types twice, with warnings). */
  first_dir = g_dir_make_tmp ("missive-test-plugins-XXXXXX", &error);
  g_assert_no_error (error);
  copy_fixture ("libmissive-testgood.so", first_dir);
  path = g_strconcat (first_dir, ":", fixture_dir, NULL);
  g_setenv ("MISSIVE_PLUGIN_PATH", path, TRUE);

  engine = missive_engine_get_default ();
  service = missive_engine_create_service (engine, "testproto://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (service), ==, "MissiveTestService");
  g_assert_true (is_mapped_from (first_dir));
  g_assert_false (is_mapped_from (fixture_dir));
  assert_broken_fixtures_skipped (engine);

  g_clear_object (&service);
  remove_dir (first_dir);
}

static void
test_module_cache (void)
{
  MissiveEngine *engine;
  g_autofree char *dir = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) protocols = NULL;
  g_auto(GStrv) backends = NULL;
  g_autoptr(MissiveSaslMechanism) mechanism = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  /* What gio-querymodules writes after installation: GIO then registers
   * the plugin without loading it, and loads it on first use. */
  dir = g_dir_make_tmp ("missive-test-plugins-XXXXXX", &error);
  g_assert_no_error (error);
  copy_fixture ("libmissive-testgood.so", dir);
  cache = g_build_filename (dir, "giomodule.cache", NULL);
  g_file_set_contents (cache,
                       "libmissive-testgood.so: missive-protocol,"
                       "missive-sasl-mechanism,missive-crypto-backend\n",
                       -1, &error);
  g_assert_no_error (error);
  g_setenv ("MISSIVE_PLUGIN_PATH", dir, TRUE);

  engine = missive_engine_get_default ();
  protocols = missive_engine_list_protocols (engine);
  g_assert_true (strv_contains (protocols, "testproto"));
  backends = missive_engine_list_crypto_backends (engine);
  g_assert_true (strv_contains (backends, "testcrypto"));
  mechanism = missive_engine_create_sasl_mechanism (engine, "X-TEST", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_sasl_mechanism_get_name (mechanism), ==, "X-TEST");
  g_assert_cmpuint (n_loader_warnings, ==, 0);

  g_clear_object (&mechanism);
  remove_dir (dir);
}

/* ---- services ----------------------------------------------------------- */

static void
test_create_service (void)
{
  MissiveEngine *engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(MissiveService) service2 = NULL;
  g_autoptr(MissiveService) service3 = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();

  service = missive_engine_create_service (engine,
                                           "testproto://bob@127.0.0.1:1234?security=tls&auth=X-TEST",
                                           &error);
  g_assert_no_error (error);
  g_assert_nonnull (service);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (service), ==, "MissiveTestService");
  g_assert_cmpstr (missive_service_get_scheme (service), ==, "testproto");
  g_assert_cmpstr (missive_service_get_host (service), ==, "127.0.0.1");
  g_assert_cmpuint (missive_service_get_port (service), ==, 1234);
  g_assert_cmpint (missive_service_get_security (service), ==, MISSIVE_SECURITY_TLS);
  g_assert_cmpstr (missive_service_get_username (service), ==, "bob");
  g_assert_cmpstr (missive_service_get_auth_mechanism (service), ==, "X-TEST");
  g_assert_null (missive_service_get_password (service));

  /* Scheme case, IPv6, an address as login, the other parameters. */
  service2 = missive_engine_create_service (engine,
                                            "TestProto://alice%40example.org:s3cret@[::1]:2000/"
                                            "?timeout=7&allow-plaintext=true",
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_service_get_scheme (service2), ==, "testproto");
  g_assert_cmpstr (missive_service_get_host (service2), ==, "::1");
  g_assert_cmpuint (missive_service_get_port (service2), ==, 2000);
  g_assert_cmpint (missive_service_get_security (service2), ==, MISSIVE_SECURITY_NONE);
  g_assert_cmpstr (missive_service_get_username (service2), ==, "alice@example.org");
  g_assert_cmpstr (missive_service_get_password (service2), ==, "s3cret");
  g_assert_null (missive_service_get_auth_mechanism (service2));
  g_assert_cmpuint (missive_service_get_timeout (service2), ==, 7);
  g_assert_true (missive_service_get_allow_plaintext_auth (service2));

  /* Each call creates a new object. */
  service3 = missive_engine_create_service (engine, "testproto://127.0.0.1:1234", &error);
  g_assert_no_error (error);
  g_assert_true (service3 != service);
  g_assert_null (missive_service_get_username (service3));
  g_assert_false (missive_service_get_allow_plaintext_auth (service3));
}

static void
test_create_service_errors (void)
{
  MissiveEngine *engine;
  g_auto(GStrv) protocols = NULL;
  static const struct {
    const char *uri;
    int code;
  } cases[] = {
    { "gopher://example.org", MISSIVE_ERROR_UNKNOWN_SCHEME },
    { "testprotocol://127.0.0.1:1", MISSIVE_ERROR_UNKNOWN_SCHEME },
    { "testproto://127.0.0.1", MISSIVE_ERROR_INVALID_ARGUMENT },     /* no default port */
    { "testproto://127.0.0.1:0", MISSIVE_ERROR_INVALID_ARGUMENT },
    { "testproto://:1234", MISSIVE_ERROR_INVALID_ARGUMENT },
    { "testproto://127.0.0.1:1234?security=ssl", MISSIVE_ERROR_INVALID_ARGUMENT },
    { "testproto://127.0.0.1:1234?bogus=1", MISSIVE_ERROR_INVALID_ARGUMENT },
    { "testproto://a%0Ab@127.0.0.1:1234", MISSIVE_ERROR_INVALID_ARGUMENT },
    { "not a uri", MISSIVE_ERROR_INVALID_ARGUMENT },
  };

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveService) service = NULL;

      g_test_message ("%s", cases[i].uri);
      service = missive_engine_create_service (engine, cases[i].uri, &error);
      g_assert_error (error, MISSIVE_ERROR, cases[i].code);
      g_assert_null (service);
    }

  /* A scheme of the table whose plugin is missing. */
  protocols = missive_engine_list_protocols (engine);
  if (strv_contains (protocols, "imap"))
    {
      g_test_skip ("an imap plugin is installed");
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveService) service = NULL;

      service = missive_engine_create_service (engine, "imap://mail.example.org", &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_SCHEME);
      g_assert_nonnull (strstr (error->message, "plugin"));
      g_assert_nonnull (strstr (error->message, "imap"));
      g_assert_null (service);
    }
}

/* ---- SASL mechanisms ---------------------------------------------------- */

static void
test_create_mechanism (void)
{
  MissiveEngine *engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveSaslMechanism) mechanism = NULL;
  g_autoptr(MissiveSaslMechanism) none = NULL;
  g_autoptr(GBytes) response = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();

  mechanism = missive_engine_create_sasl_mechanism (engine, "x-test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (mechanism), ==, "MissiveTestMechanism");
  g_assert_cmpstr (missive_sasl_mechanism_get_name (mechanism), ==, "X-TEST");
  missive_sasl_mechanism_set_username (mechanism, "bob");
  response = missive_sasl_mechanism_step (mechanism, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response), "x-test:bob", 10);
  g_assert_true (missive_sasl_mechanism_is_complete (mechanism));

  none = missive_engine_create_sasl_mechanism (engine, "NOPE", &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_MECHANISM);
  g_assert_null (none);
}

static void
test_builtin_mechanisms (void)
{
  MissiveEngine *engine;
  g_auto(GStrv) mechanisms = NULL;
  static const char * const builtin[] = { "PLAIN", "LOGIN", "EXTERNAL", "ANONYMOUS" };

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  g_unsetenv ("MISSIVE_PLUGIN_PATH");
  engine = missive_engine_get_default ();
  mechanisms = missive_engine_list_sasl_mechanisms (engine);

  for (gsize i = 0; i < G_N_ELEMENTS (builtin); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveSaslMechanism) mechanism = NULL;
      g_autofree char *lower = g_ascii_strdown (builtin[i], -1);

      g_assert_true (strv_contains (mechanisms, builtin[i]));
      mechanism = missive_engine_create_sasl_mechanism (engine, lower, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (missive_sasl_mechanism_get_name (mechanism), ==, builtin[i]);
    }
}

static void
test_register_mechanism (void)
{
  MissiveEngine *engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveSaslMechanism) mechanism = NULL;
  g_autoptr(MissiveSaslMechanism) shadow = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  guint n_test = 0;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();

  before = missive_engine_list_sasl_mechanisms (engine);
  g_assert_false (strv_contains (before, "X-APP"));
  mechanism = missive_engine_create_sasl_mechanism (engine, "X-APP", &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_MECHANISM);
  g_clear_error (&error);

  g_assert_true (missive_engine_register_sasl_mechanism (engine, test_app_mechanism_get_type (), &error));
  g_assert_no_error (error);
  mechanism = missive_engine_create_sasl_mechanism (engine, "x-App", &error);
  g_assert_no_error (error);
  g_assert_true (G_OBJECT_TYPE (mechanism) == test_app_mechanism_get_type ());

  /* The same name again. */
  g_assert_false (missive_engine_register_sasl_mechanism (engine, test_app_mechanism_get_type (), &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "already registered"));
  g_clear_error (&error);

  /* Not mechanisms, or not usable ones. */
  g_assert_false (missive_engine_register_sasl_mechanism (engine, G_TYPE_OBJECT, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_engine_register_sasl_mechanism (engine, G_TYPE_INT, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_engine_register_sasl_mechanism (engine, MISSIVE_TYPE_SASL_MECHANISM, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_engine_register_sasl_mechanism (engine, test_bad_name_mechanism_get_type (), &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_engine_register_sasl_mechanism (engine, test_no_name_mechanism_get_type (), &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The application's mechanism replaces the plugin's of the same name. */
  g_assert_true (missive_engine_register_sasl_mechanism (engine, test_shadow_mechanism_get_type (), &error));
  g_assert_no_error (error);
  shadow = missive_engine_create_sasl_mechanism (engine, "X-TEST", &error);
  g_assert_no_error (error);
  g_assert_true (G_OBJECT_TYPE (shadow) == test_shadow_mechanism_get_type ());

  after = missive_engine_list_sasl_mechanisms (engine);
  g_assert_true (strv_contains (after, "X-APP"));
  for (gsize i = 0; after[i] != NULL; i++)
    n_test += strcmp (after[i], "X-TEST") == 0;
  g_assert_cmpuint (n_test, ==, 1);
  /* Everything listed before is still listed. */
  g_assert_cmpuint (g_strv_length (after), ==, g_strv_length (before) + 1);
}

#define N_RACERS 4

static gpointer
register_race_thread (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = missive_engine_register_sasl_mechanism (missive_engine_get_default (), type, &error);
  if (!ok)
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  return GINT_TO_POINTER (ok);
}

static void
test_register_mechanism_threads (void)
{
  GThread *threads[N_RACERS];
  guint n_ok = 0;
  g_auto(GStrv) mechanisms = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  for (guint i = 0; i < N_RACERS; i++)
    threads[i] = g_thread_new ("register", register_race_thread,
                               GSIZE_TO_POINTER (test_race_mechanism_get_type ()));
  for (guint i = 0; i < N_RACERS; i++)
    n_ok += GPOINTER_TO_INT (g_thread_join (threads[i]));

  g_assert_cmpuint (n_ok, ==, 1);
  mechanisms = missive_engine_list_sasl_mechanisms (missive_engine_get_default ());
  g_assert_true (strv_contains (mechanisms, "X-RACE"));
}

/* ---- crypto backends ---------------------------------------------------- */

static char *
on_passphrase_null (MissiveCryptoContext *context,
                    const char           *key_id,
                    const char           *user_id,
                    gboolean              previous_was_bad,
                    gpointer              user_data)
{
  guint *calls = user_data;

  (*calls)++;
  return NULL;
}

static char *
on_passphrase_answer (MissiveCryptoContext *context,
                      const char           *key_id,
                      const char           *user_id,
                      gboolean              previous_was_bad,
                      gpointer              user_data)
{
  guint *calls = user_data;

  (*calls)++;
  g_assert_cmpstr (key_id, ==, "0xDEADBEEF");
  g_assert_cmpstr (user_id, ==, "Alice <alice@example.org>");
  return g_strdup (previous_was_bad ? "second try" : "first try");
}

static void
test_crypto (void)
{
  MissiveEngine *engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveCryptoContext) none = NULL;
  char *passphrase = NULL;
  guint null_calls = 0, answer_calls = 0;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  engine = missive_engine_get_default ();

  context = missive_engine_create_crypto_context (engine, "TestCrypto", &error);
  g_assert_no_error (error);
  g_assert_true (MISSIVE_IS_CRYPTO_CONTEXT (context));
  g_assert_cmpstr (missive_crypto_context_get_name (context), ==, "testcrypto");

  none = missive_engine_create_crypto_context (engine, "badabi", &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_BACKEND);
  g_assert_null (none);
  g_clear_error (&error);

  /* No handler: no passphrase. */
  g_signal_emit_by_name (context, "passphrase-requested", "0xDEADBEEF",
                         "Alice <alice@example.org>", FALSE, &passphrase);
  g_assert_null (passphrase);

  /* A handler returning NULL lets the next one answer. */
  g_signal_connect (context, "passphrase-requested", G_CALLBACK (on_passphrase_null), &null_calls);
  g_signal_connect (context, "passphrase-requested", G_CALLBACK (on_passphrase_answer), &answer_calls);
  g_signal_emit_by_name (context, "passphrase-requested", "0xDEADBEEF",
                         "Alice <alice@example.org>", TRUE, &passphrase);
  g_assert_cmpstr (passphrase, ==, "second try");
  g_assert_cmpuint (null_calls, ==, 1);
  g_assert_cmpuint (answer_calls, ==, 1);
  g_free (passphrase);
}

/* ---- concurrency -------------------------------------------------------- */

static gpointer
list_thread (gpointer data)
{
  MissiveEngine *engine = missive_engine_get_default ();
  g_auto(GStrv) protocols = missive_engine_list_protocols (engine);

  g_assert_true (strv_contains (protocols, "testproto"));
  return engine;
}

static void
test_concurrent_first_use (void)
{
  GThread *threads[N_RACERS];
  gpointer engines[N_RACERS];

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  child_setup ();
  /* The first use from several threads at once: one engine, plugins
   * loaded once. */
  for (guint i = 0; i < N_RACERS; i++)
    threads[i] = g_thread_new ("first-use", list_thread, NULL);
  for (guint i = 0; i < N_RACERS; i++)
    engines[i] = g_thread_join (threads[i]);
  for (guint i = 1; i < N_RACERS; i++)
    g_assert_true (engines[i] == engines[0]);
  g_assert_cmpuint (n_loader_warnings, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  missive_test_init (&argc, &argv);

  fixture_dir = g_test_build_filename (G_TEST_BUILT, "plugins", NULL);
  /* Read by the subprocesses, which run the tests proper. */
  g_setenv ("MISSIVE_PLUGIN_PATH", fixture_dir, TRUE);

  g_test_add_func ("/engine/list/basic", test_list);
  g_test_add_func ("/engine/list/mechanisms-order", test_list_mechanisms_order);
  g_test_add_func ("/engine/plugins/skipped", test_skipped);
  g_test_add_func ("/engine/plugins/path-missing-and-repeated-dirs", test_path_with_missing_and_repeated_dirs);
  g_test_add_func ("/engine/plugins/no-path", test_no_plugin_path);
  g_test_add_func ("/engine/plugins/concurrent-first-use", test_concurrent_first_use);
  g_test_add_func ("/engine/plugins/duplicates", test_duplicate_plugins);
  g_test_add_func ("/engine/plugins/module-cache", test_module_cache);
  g_test_add_func ("/engine/service/create", test_create_service);
  g_test_add_func ("/engine/service/errors", test_create_service_errors);
  g_test_add_func ("/engine/sasl/create", test_create_mechanism);
  g_test_add_func ("/engine/sasl/builtin", test_builtin_mechanisms);
  g_test_add_func ("/engine/sasl/register", test_register_mechanism);
  g_test_add_func ("/engine/sasl/register-threads", test_register_mechanism_threads);
  g_test_add_func ("/engine/crypto", test_crypto);

  result = g_test_run ();
  g_free (fixture_dir);
  return result;
}
