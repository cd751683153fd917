/* missive-plugin-loader.c: finding and loading plugins
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/auxv.h>

#include <gmodule.h>

#include <missive/missive-plugin.h>

#include "missive-plugin-loader-private.h"
#include "sasl/missive-sasl-builtin-private.h"

/*
 * Plugins are GIO modules (GIOModule + GIOExtensionPoint) in Missive's own
 * directories: first those of MISSIVE_PLUGIN_PATH, then MISSIVE_PLUGINDIR.
 * Before GIO sees a directory, every lib*.so in it is opened once here to
 * check that it is a shared object whose symbols resolve, that it was built
 * for this plugin ABI and that it has GIO's entry points; a plugin that
 * fails gets a warning, is recorded for missive_engine_list_skipped_plugins()
 * and is blocked in the GIOModuleScope, so GIO never calls into it.
 * The scope also blocks duplicates: the first directory that has a given
 * file name wins.
 */

#define ABI_SYMBOL "missive_plugin_abi_version"

static GPtrArray *skipped_plugins; /* "path: reason"; written once, then read-only */

/**
 * missive_plugin_ensure_extension_points: (skip)
 *
 * Registers Missive's three GIO extension points, `missive-protocol`
 * (implementations must derive from [class@Service]),
 * `missive-sasl-mechanism` ([class@SaslMechanism]) and
 * `missive-crypto-backend` ([class@CryptoContext]), and the SASL mechanisms
 * built into the core. Only the first call does anything; it is
 * thread-safe.
 *
 * The engine calls this before it loads plugins, so plugins loaded by it
 * need not. A plugin linked statically into an application, whose
 * registration function receives a %NULL module, calls it before
 * implementing an extension point.
 *
 * Since: 1.0
 */
void
missive_plugin_ensure_extension_points (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      GIOExtensionPoint *ep;

      ep = g_io_extension_point_register (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME);
      g_io_extension_point_set_required_type (ep, MISSIVE_TYPE_SERVICE);

      ep = g_io_extension_point_register (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME);
      g_io_extension_point_set_required_type (ep, MISSIVE_TYPE_SASL_MECHANISM);

      ep = g_io_extension_point_register (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME);
      g_io_extension_point_set_required_type (ep, MISSIVE_TYPE_CRYPTO_CONTEXT);

      missive_sasl_builtin_register ();

      g_once_init_leave (&registered, 1);
    }
}

/* The name GIO derives from a module's file name for its entry points
 * ("libmissive-imap.so" -> "missive_imap"), by GIO's rule, so that we look
 * for the symbols GIO will look for. */
static char *
module_name_from_file_name (const char *filename)
{
  g_autofree char *base = g_path_get_basename (filename);
  gsize prefix = 0;
  const char *dot;

  g_strdelimit (base, "-", '_');
  if (g_str_has_prefix (base, "libgio"))
    prefix = 6;
  else if (g_str_has_prefix (base, "lib") || g_str_has_prefix (base, "gio"))
    prefix = 3;

  dot = strchr (base, '.');
  if (dot != NULL)
    return g_strndup (base + prefix, (gsize) (dot - base) - prefix);
  return g_strdup (base + prefix);
}

static gboolean
is_plugin_file_name (const char *name)
{
  /* The file names GIO considers on this platform. */
  return g_str_has_prefix (name, "lib") && g_str_has_suffix (name, ".so");
}

/* Opens @path the way GIO will (which runs only its ELF constructors, if it
 * has any) and checks what we need before GIO calls into it. Returns NULL
 * when the plugin is fine, or why not. */
static char *
check_plugin (const char *path)
{
  GModule *module;
  gpointer symbol = NULL;
  char *reason = NULL;
  g_autofree char *name = NULL;
  g_autofree char *load_name = NULL;
  g_autofree char *unload_name = NULL;

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      const char *message = g_module_error ();
      gsize path_length = strlen (path);

      if (message == NULL)
        message = "unknown error";
      /* dlerror() usually starts with the path, which the caller shows. */
      if (strncmp (message, path, path_length) == 0 && message[path_length] == ':')
        message += path_length + 1;
      while (*message == ' ')
        message++;
      return g_strdup_printf ("cannot be loaded: %s", message);
    }

  name = module_name_from_file_name (path);
  load_name = g_strconcat ("g_io_", name, "_load", NULL);
  unload_name = g_strconcat ("g_io_", name, "_unload", NULL);

  if (!g_module_symbol (module, ABI_SYMBOL, &symbol) || symbol == NULL)
    {
      reason = g_strdup ("no " ABI_SYMBOL " symbol: not a Missive plugin, or "
                         "built without MISSIVE_PLUGIN_DECLARE_ABI");
    }
  else if (*(const guint *) symbol != MISSIVE_PLUGIN_ABI_VERSION)
    {
      reason = g_strdup_printf ("built for plugin ABI %u, but this Missive "
                                "has plugin ABI %u",
                                *(const guint *) symbol,
                                (guint) MISSIVE_PLUGIN_ABI_VERSION);
    }
  else if (!g_module_symbol (module, load_name, &symbol) ||
           !g_module_symbol (module, unload_name, &symbol))
    {
      reason = g_strdup_printf ("no GIO module entry points %s and %s",
                                load_name, unload_name);
    }

  g_module_close (module);
  return reason;
}

static void
skip_plugin (GIOModuleScope *scope,
             const char     *path,
             const char     *basename,
             const char     *reason)
{
  g_warning ("Skipping plugin %s: %s", path, reason);
  g_ptr_array_add (skipped_plugins, g_strdup_printf ("%s: %s", path, reason));
  g_io_module_scope_block (scope, basename);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Checks every plugin of @dirname; refused ones are blocked in @scope.
 * @seen holds the file names found in earlier directories, which GIO's
 * duplicate blocking will ignore anyway. */
static void
check_directory (const char     *dirname,
                 GIOModuleScope *scope,
                 GHashTable     *seen)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  dir = g_dir_open (dirname, 0, NULL);
  if (dir == NULL)
    return; /* a missing directory is fine */

  /* Sorted, so that warnings and the skipped list come in a stable order. */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (is_plugin_file_name (name) && !g_hash_table_contains (seen, name))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dirname, file, NULL);
      g_autofree char *reason = NULL;

      g_hash_table_add (seen, g_strdup (file));

      reason = check_plugin (path);
      if (reason != NULL)
        skip_plugin (scope, path, file, reason);
    }
}

static GPtrArray *
get_plugin_directories (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  const char *env = NULL;

  /* A setuid or setgid process must not load code the invoking user
   * chooses. */
  if (getauxval (AT_SECURE) == 0)
    env = g_getenv ("MISSIVE_PLUGIN_PATH");

  if (env != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (gsize i = 0; parts[i] != NULL; i++)
        {
          if (parts[i][0] != '\0')
            g_ptr_array_add (dirs, g_canonicalize_filename (parts[i], NULL));
        }
    }
  g_ptr_array_add (dirs, g_canonicalize_filename (MISSIVE_PLUGINDIR, NULL));

  /* The same directory twice would only produce duplicate warnings. */
  for (guint i = 1; i < dirs->len; i++)
    {
      for (guint j = 0; j < i; j++)
        {
          if (strcmp (g_ptr_array_index (dirs, i), g_ptr_array_index (dirs, j)) == 0)
            {
              g_ptr_array_remove_index (dirs, i--);
              break;
            }
        }
    }

  return dirs;
}

static void
load_plugins (void)
{
  g_autoptr(GPtrArray) dirs = get_plugin_directories ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GIOModuleScope *scope;

  if (!g_module_supported ())
    return;

  scope = g_io_module_scope_new (G_IO_MODULE_SCOPE_BLOCK_DUPLICATES);
  for (guint i = 0; i < dirs->len; i++)
    check_directory (g_ptr_array_index (dirs, i), scope, seen);
  for (guint i = 0; i < dirs->len; i++)
    g_io_modules_scan_all_in_directory_with_scope (g_ptr_array_index (dirs, i), scope);
  g_io_module_scope_free (scope);

  /* Modules listed in a giomodule.cache are only recorded by the scan and
   * initialised by the first g_io_extension_point_get_extensions(), which
   * GIO does not lock: do it now, under our once-guard, so that the
   * engine's later lookups from any thread only read. (The check above has
   * opened every plugin already, so the cache saves nothing here.) */
  g_io_extension_point_get_extensions (g_io_extension_point_lookup (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME));
  g_io_extension_point_get_extensions (g_io_extension_point_lookup (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME));
  g_io_extension_point_get_extensions (g_io_extension_point_lookup (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME));
}

void
missive_plugin_loader_ensure_loaded (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      missive_plugin_ensure_extension_points ();

      skipped_plugins = g_ptr_array_new_with_free_func (g_free);
      load_plugins ();

      g_once_init_leave (&loaded, 1);
    }
}

char **
missive_plugin_loader_dup_skipped (void)
{
  GStrvBuilder *builder;
  char **result;

  missive_plugin_loader_ensure_loaded ();

  builder = g_strv_builder_new ();
  for (guint i = 0; i < skipped_plugins->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (skipped_plugins, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}
