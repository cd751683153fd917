/* missive-engine.c: plugin discovery and object creation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gmime/gmime.h>

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-plugin-loader-private.h"
#include "missive-uri-private.h"

/**
 * MissiveEngine:
 *
 * The entry point of Missive: it knows which protocols, SASL mechanisms
 * and crypto backends are installed, and creates objects by name.
 *
 * ```c
 * MissiveEngine *engine = missive_engine_get_default ();
 * g_autoptr(GError) error = NULL;
 * g_autoptr(MissiveService) service =
 *   missive_engine_create_service (engine, "imaps://alice%40example.org@mail.example.org",
 *                                  &error);
 * ```
 *
 * Everything but the trivial SASL mechanisms (PLAIN, LOGIN, EXTERNAL and
 * ANONYMOUS, which are built in) comes from plugins: GIO modules that
 * implement one of the extension points `missive-protocol`,
 * `missive-sasl-mechanism` and `missive-crypto-backend`. The engine loads
 * them the first time it is asked for something, from these directories:
 *
 * - every directory of the environment variable `MISSIVE_PLUGIN_PATH`
 *   (separated by colons), in order; the variable is ignored in setuid and
 *   setgid processes;
 * - then the directory Missive was built for, `$libdir/missive-1.0/plugins`
 *   (the `plugindir` variable of the `missive-1.0` pkg-config file).
 *
 * When two directories hold a plugin file of the same name, the first one
 * wins. A file that cannot be loaded, that was built for another plugin ABI
 * (%MISSIVE_PLUGIN_ABI_VERSION) or that lacks the GIO module entry points
 * is skipped with a warning, and the engine works on without it; see
 * [method@Engine.list_skipped_plugins].
 *
 * Applications can add SASL mechanisms of their own, written in C or any
 * language with GObject-Introspection, with
 * [method@Engine.register_sasl_mechanism].
 *
 * All methods of the engine are thread-safe.
 *
 * Since: 1.0
 */

typedef struct
{
  char *name;   /* uppercase, or NULL when the mechanism gives none */
  int strength;
} MechanismInfo;

struct _MissiveEngine
{
  GObject parent_instance;

  GMutex lock;
  GHashTable *registered;      /* uppercase name -> GType, under @lock */
  GHashTable *mechanism_info;  /* GType -> MechanismInfo, under @lock */
};

G_DEFINE_FINAL_TYPE (MissiveEngine, missive_engine, G_TYPE_OBJECT)

static void
mechanism_info_free (gpointer data)
{
  MechanismInfo *info = data;

  g_free (info->name);
  g_free (info);
}

static void
missive_engine_finalize (GObject *object)
{
  MissiveEngine *self = MISSIVE_ENGINE (object);

  g_hash_table_unref (self->registered);
  g_hash_table_unref (self->mechanism_info);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (missive_engine_parent_class)->finalize (object);
}

static void
missive_engine_class_init (MissiveEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_engine_finalize;
}

static void
missive_engine_init (MissiveEngine *self)
{
  g_mutex_init (&self->lock);
  self->registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mechanism_info = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                                NULL, mechanism_info_free);
}

static gpointer
create_default_engine (gpointer data)
{
  /* GMime is Missive's message model: plugins hand GMime objects to the
   * application (address lists, messages), and GMime needs its global
   * set-up before the first one is made. */
  g_mime_init ();
  return g_object_new (MISSIVE_TYPE_ENGINE, NULL);
}

/**
 * missive_engine_get_default:
 *
 * Gets the engine of the process, creating it on the first call. Plugins
 * are loaded later, the first time the engine is asked for something.
 *
 * Returns: (transfer none): the engine; it lives as long as the process
 *
 * Since: 1.0
 */
MissiveEngine *
missive_engine_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, create_default_engine, NULL);
}

/* ---- helpers ------------------------------------------------------------ */

static GList *
get_extensions (const char *extension_point_name)
{
  GIOExtensionPoint *ep;

  missive_plugin_loader_ensure_loaded ();
  ep = g_io_extension_point_lookup (extension_point_name);
  g_return_val_if_fail (ep != NULL, NULL);
  return g_io_extension_point_get_extensions (ep);
}

/* The extension named @name (ASCII case ignored), or NULL. */
static GIOExtension *
find_extension (const char *extension_point_name,
                const char *name)
{
  for (GList *l = get_extensions (extension_point_name); l != NULL; l = l->next)
    {
      GIOExtension *extension = l->data;

      if (g_ascii_strcasecmp (g_io_extension_get_name (extension), name) == 0)
        return extension;
    }
  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorts and de-duplicates @names, then turns it into a strv. */
static char **
ptr_array_to_sorted_strv (GPtrArray *names)
{
  GPtrArray *result = g_ptr_array_new ();

  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (i > 0 && strcmp (name, g_ptr_array_index (names, i - 1)) == 0)
        continue;
      g_ptr_array_add (result, g_strdup (name));
    }
  g_ptr_array_add (result, NULL);
  return (char **) g_ptr_array_free (result, FALSE);
}

static char **
list_extension_names (const char *extension_point_name)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (GList *l = get_extensions (extension_point_name); l != NULL; l = l->next)
    g_ptr_array_add (names, (gpointer) g_io_extension_get_name (l->data));
  return ptr_array_to_sorted_strv (names);
}

/* RFC 4422 section 3.1 (after uppercasing). */
static gboolean
sasl_name_is_valid (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 20)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_instantiable (GType    type,
                    GError **error)
{
  if (G_TYPE_IS_ABSTRACT (type))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PLUGIN,
                   "The plugin type %s cannot be instantiated: it is abstract",
                   g_type_name (type));
      return FALSE;
    }
  return TRUE;
}

/* Copies the name (uppercase) and strength of the mechanism @type into
 * @name and @strength, instantiating @type the first time. */
static void
get_mechanism_info (MissiveEngine  *self,
                    GType           type,
                    char          **name,
                    int            *strength)
{
  MechanismInfo *info;
  MechanismInfo *fresh;

  g_mutex_lock (&self->lock);
  info = g_hash_table_lookup (self->mechanism_info, GSIZE_TO_POINTER (type));
  if (info != NULL)
    {
      *name = g_strdup (info->name);
      *strength = info->strength;
      g_mutex_unlock (&self->lock);
      return;
    }
  g_mutex_unlock (&self->lock);

  /* Instantiated without the lock held: the type may be written in any
   * language and run arbitrary code. */
  fresh = g_new0 (MechanismInfo, 1);
  {
    g_autoptr(MissiveSaslMechanism) mechanism = g_object_new (type, NULL);
    const char *mechanism_name = missive_sasl_mechanism_get_name (mechanism);

    if (mechanism_name != NULL && mechanism_name[0] != '\0')
      fresh->name = g_ascii_strup (mechanism_name, -1);
    fresh->strength = missive_sasl_mechanism_get_strength (mechanism);
  }

  g_mutex_lock (&self->lock);
  info = g_hash_table_lookup (self->mechanism_info, GSIZE_TO_POINTER (type));
  if (info == NULL)
    {
      info = fresh;
      g_hash_table_insert (self->mechanism_info, GSIZE_TO_POINTER (type), info);
    }
  else
    {
      mechanism_info_free (fresh);
    }
  *name = g_strdup (info->name);
  *strength = info->strength;
  g_mutex_unlock (&self->lock);
}

/* The mechanisms the application registered, as (name, type) pairs. */
static GPtrArray *
dup_registered (MissiveEngine *self,
                GArray        *types)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->registered);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GType type = GPOINTER_TO_SIZE (value);

      g_ptr_array_add (names, g_strdup (key));
      g_array_append_val (types, type);
    }
  g_mutex_unlock (&self->lock);

  return names;
}

/* ---- listing ------------------------------------------------------------ */

/**
 * missive_engine_list_protocols:
 * @self: the engine
 *
 * Lists the protocols that installed plugins implement, such as "imap",
 * "smtp" and "pop3" (the names of the `missive-protocol` extensions).
 *
 * Returns: (transfer full) (array zero-terminated=1): the protocol names,
 *   sorted
 *
 * Since: 1.0
 */
char **
missive_engine_list_protocols (MissiveEngine *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);

  return list_extension_names (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME);
}

/**
 * missive_engine_list_schemes:
 * @self: the engine
 *
 * Lists the URI schemes [method@Engine.create_service] accepts now: those
 * of the built-in table (imap, imaps, pop3, pop3s, smtp, submission,
 * submissions, smtps, lmtp) whose protocol plugin is installed, plus the
 * name of every other installed protocol, which serves as its own scheme.
 *
 * Returns: (transfer full) (array zero-terminated=1): the schemes, sorted
 *
 * Since: 1.0
 */
char **
missive_engine_list_schemes (MissiveEngine *self)
{
  g_autoptr(GPtrArray) schemes = g_ptr_array_new_with_free_func (g_free);
  const char * const *known = missive_uri_get_known_schemes ();

  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);

  for (gsize i = 0; known[i] != NULL; i++)
    {
      const char *protocol = missive_uri_scheme_get_protocol (known[i]);

      if (find_extension (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME, protocol) != NULL)
        g_ptr_array_add (schemes, g_strdup (known[i]));
    }

  for (GList *l = get_extensions (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME); l != NULL; l = l->next)
    {
      const char *name = g_io_extension_get_name (l->data);

      if (missive_uri_scheme_get_protocol (name) == NULL)
        g_ptr_array_add (schemes, g_ascii_strdown (name, -1));
    }

  return ptr_array_to_sorted_strv (schemes);
}

typedef struct
{
  char *name;
  int strength;
} MechanismEntry;

static int
compare_mechanism_entries (gconstpointer a,
                           gconstpointer b)
{
  const MechanismEntry *ea = a;
  const MechanismEntry *eb = b;

  if (ea->strength != eb->strength)
    return ea->strength > eb->strength ? -1 : 1;
  return strcmp (ea->name, eb->name);
}

static void
mechanism_entry_clear (gpointer data)
{
  MechanismEntry *entry = data;

  g_free (entry->name);
}

/**
 * missive_engine_list_sasl_mechanisms:
 * @self: the engine
 *
 * Lists the SASL mechanisms that can be created with
 * [method@Engine.create_sasl_mechanism]: the built-in ones, those of
 * plugins and those the application registered, by their uppercase names.
 * The strongest come first (see [vfunc@SaslMechanism.get_strength]);
 * mechanisms of equal strength are sorted by name.
 *
 * Returns: (transfer full) (array zero-terminated=1): the mechanism names
 *
 * Since: 1.0
 */
char **
missive_engine_list_sasl_mechanisms (MissiveEngine *self)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GArray) registered_types = NULL;
  g_autoptr(GPtrArray) registered_names = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *result;

  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);

  missive_plugin_loader_ensure_loaded ();

  entries = g_array_new (FALSE, FALSE, sizeof (MechanismEntry));
  g_array_set_clear_func (entries, mechanism_entry_clear);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The application's mechanisms first: they win over a built-in or plugin
   * one of the same name, as in missive_engine_create_sasl_mechanism(). */
  registered_types = g_array_new (FALSE, FALSE, sizeof (GType));
  registered_names = dup_registered (self, registered_types);
  for (guint i = 0; i < registered_names->len; i++)
    {
      MechanismEntry entry;
      g_autofree char *ignored = NULL;

      entry.name = g_strdup (g_ptr_array_index (registered_names, i));
      get_mechanism_info (self, g_array_index (registered_types, GType, i),
                          &ignored, &entry.strength);
      g_hash_table_add (seen, g_strdup (entry.name));
      g_array_append_val (entries, entry);
    }

  for (GList *l = get_extensions (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME); l != NULL; l = l->next)
    {
      GType type = g_io_extension_get_type (l->data);
      MechanismEntry entry;

      if (G_TYPE_IS_ABSTRACT (type))
        continue; /* a broken plugin: it could not be created */

      get_mechanism_info (self, type, &entry.name, &entry.strength);
      if (entry.name == NULL)
        entry.name = g_ascii_strup (g_io_extension_get_name (l->data), -1);
      if (!g_hash_table_add (seen, g_strdup (entry.name)))
        {
          g_free (entry.name);
          continue;
        }
      g_array_append_val (entries, entry);
    }

  g_array_sort (entries, compare_mechanism_entries);

  result = g_ptr_array_new ();
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (result, g_strdup (g_array_index (entries, MechanismEntry, i).name));
  g_ptr_array_add (result, NULL);

  return (char **) g_ptr_array_free (result, FALSE);
}

/**
 * missive_engine_list_crypto_backends:
 * @self: the engine
 *
 * Lists the installed crypto backends, such as "openpgp" and "smime" (the
 * names of the `missive-crypto-backend` extensions).
 *
 * Returns: (transfer full) (array zero-terminated=1): the backend names,
 *   sorted
 *
 * Since: 1.0
 */
char **
missive_engine_list_crypto_backends (MissiveEngine *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);

  return list_extension_names (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME);
}

/**
 * missive_engine_list_skipped_plugins:
 * @self: the engine
 *
 * Lists the plugin files the engine refused to load, each as
 * "path: reason": files that are not loadable shared objects or whose
 * symbols do not resolve, plugins built for another plugin ABI, and
 * modules without the GIO entry points. Each was also reported with a
 * warning when the plugins were loaded.
 *
 * Returns: (transfer full) (array zero-terminated=1): the skipped plugins,
 *   usually none
 *
 * Since: 1.0
 */
char **
missive_engine_list_skipped_plugins (MissiveEngine *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);

  return missive_plugin_loader_dup_skipped ();
}

/* ---- creating objects --------------------------------------------------- */

/* The protocol names that are not in the built-in scheme table: each is
 * accepted as a URI scheme of its own. */
static GStrv
dup_extra_schemes (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GList *l = get_extensions (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME); l != NULL; l = l->next)
    {
      const char *name = g_io_extension_get_name (l->data);

      if (missive_uri_scheme_get_protocol (name) == NULL)
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

/**
 * missive_engine_create_service:
 * @self: the engine
 * @uri: the URI of the server
 * @error: return location for a #GError
 *
 * Creates a service (a [class@Store] or a [class@Sender]) for the server
 * that @uri names, with its settings taken from the URI. Nothing is
 * connected yet: call [method@Service.open].
 *
 * The URI has the form
 * `scheme://[user[;AUTH=MECH][:password]@]host[:port][/][?parameters]`.
 * The scheme selects the protocol, the default port and the default
 * security:
 *
 * | scheme | protocol | port | security |
 * | --- | --- | --- | --- |
 * | `imap` | imap | 143 | STARTTLS |
 * | `imaps` | imap | 993 | TLS |
 * | `pop3` | pop3 | 110 | STARTTLS |
 * | `pop3s` | pop3 | 995 | TLS |
 * | `smtp` | smtp | 25 | STARTTLS |
 * | `submission` | smtp | 587 | STARTTLS |
 * | `submissions`, `smtps` | smtp | 465 | TLS |
 * | `lmtp` | lmtp | 24 | none |
 *
 * A protocol plugin whose name is not in this table (see
 * [method@Engine.list_schemes]) is reached with its name as the scheme;
 * such URIs must give the port, and the security defaults to none.
 *
 * The user name is percent-decoded: write a login that is an e-mail
 * address as `alice%40example.org`. IPv6 addresses go in brackets
 * (`imaps://[2001:db8::1]`). A password may be given after the user name,
 * but that is discouraged, because URIs end up in logs, shell histories
 * and configuration files; set [property@Service:password] instead.
 *
 * The query parameters are:
 *
 * - `security=none|starttls|tls`: overrides the scheme's default; without
 *   an explicit port, switching between implicit TLS and a clear-text start
 *   also switches to the protocol's port for that mode
 *   (`imap://host?security=tls` connects to port 993,
 *   `smtps://host?security=starttls` to 587);
 * - `auth=MECH` (or `mechanism=MECH`, or `;AUTH=MECH` after the user name as
 *   in RFC 5092): the SASL mechanism to use, see
 *   [property@Service:auth-mechanism];
 * - `allow-plaintext=true|false`: see [property@Service:allow-plaintext-auth];
 * - `timeout=SECONDS`: see [property@Service:timeout].
 *
 * A malformed URI (no host, a bad port, an unknown parameter or value, CR,
 * LF or NUL anywhere) fails with %MISSIVE_ERROR_INVALID_ARGUMENT; an
 * unknown scheme, or one whose plugin is not installed, with
 * %MISSIVE_ERROR_UNKNOWN_SCHEME.
 *
 * Returns: (transfer full): a new service, or %NULL on error
 *
 * Since: 1.0
 */
MissiveService *
missive_engine_create_service (MissiveEngine  *self,
                               const char     *uri,
                               GError        **error)
{
  g_autoptr(MissiveUri) parsed = NULL;
  g_auto(GStrv) extra_schemes = NULL;
  GIOExtension *extension;
  GType type;
  MissiveService *service;

  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  extra_schemes = dup_extra_schemes ();
  parsed = missive_uri_parse (uri, (const char * const *) extra_schemes, error);
  if (parsed == NULL)
    return NULL;

  extension = find_extension (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME, parsed->protocol);
  if (extension == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_SCHEME,
                   "Cannot handle “%s://” URIs: the plugin for the “%s” "
                   "protocol is not installed",
                   parsed->scheme, parsed->protocol);
      return NULL;
    }

  type = g_io_extension_get_type (extension);
  if (!check_instantiable (type, error))
    return NULL;

  service = g_object_new (type,
                          "scheme", parsed->scheme,
                          "host", parsed->host,
                          "port", (guint) parsed->port,
                          "security", parsed->security,
                          "username", parsed->username,
                          "auth-mechanism", parsed->auth_mechanism,
                          NULL);
  if (parsed->password != NULL)
    missive_service_set_password (service, parsed->password);
  if (parsed->has_allow_plaintext)
    missive_service_set_allow_plaintext_auth (service, parsed->allow_plaintext);
  if (parsed->has_timeout)
    missive_service_set_timeout (service, parsed->timeout);

  return service;
}

/**
 * missive_engine_create_sasl_mechanism:
 * @self: the engine
 * @name: the name of the mechanism, e.g. "CRAM-MD5"; ASCII case is ignored
 * @error: return location for a #GError
 *
 * Creates a SASL mechanism by name. A mechanism the application registered
 * with [method@Engine.register_sasl_mechanism] comes before a built-in or
 * plugin mechanism of the same name. An unknown name fails with
 * %MISSIVE_ERROR_UNKNOWN_MECHANISM.
 *
 * Returns: (transfer full): a new mechanism, or %NULL on error
 *
 * Since: 1.0
 */
MissiveSaslMechanism *
missive_engine_create_sasl_mechanism (MissiveEngine  *self,
                                      const char     *name,
                                      GError        **error)
{
  g_autofree char *upper = NULL;
  GIOExtension *extension;
  GType type = G_TYPE_INVALID;

  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  missive_plugin_loader_ensure_loaded ();

  upper = g_ascii_strup (name, -1);
  g_mutex_lock (&self->lock);
  type = GPOINTER_TO_SIZE (g_hash_table_lookup (self->registered, upper));
  g_mutex_unlock (&self->lock);

  if (type == G_TYPE_INVALID)
    {
      extension = find_extension (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME, name);
      if (extension != NULL)
        type = g_io_extension_get_type (extension);
    }

  /* A plugin whose extension name differs from the mechanism's own name
   * (as listed by list_sasl_mechanisms) is found by the latter too. */
  if (type == G_TYPE_INVALID)
    {
      for (GList *l = get_extensions (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME);
           l != NULL && type == G_TYPE_INVALID; l = l->next)
        {
          GType candidate = g_io_extension_get_type (l->data);
          g_autofree char *candidate_name = NULL;
          int strength;

          if (G_TYPE_IS_ABSTRACT (candidate))
            continue;
          get_mechanism_info (self, candidate, &candidate_name, &strength);
          if (g_strcmp0 (candidate_name, upper) == 0)
            type = candidate;
        }
    }

  if (type == G_TYPE_INVALID)
    {
      g_autofree char *escaped = g_strescape (name, NULL);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_MECHANISM,
                   "No SASL mechanism “%s” is available", escaped);
      return NULL;
    }

  if (!check_instantiable (type, error))
    return NULL;
  return g_object_new (type, NULL);
}

/**
 * missive_engine_create_crypto_context:
 * @self: the engine
 * @name: the name of the backend, e.g. "openpgp" or "smime"; ASCII case is
 *   ignored
 * @error: return location for a #GError
 *
 * Creates a crypto context of the named backend. A backend that is not
 * installed fails with %MISSIVE_ERROR_UNKNOWN_BACKEND.
 *
 * Returns: (transfer full): a new crypto context, or %NULL on error
 *
 * Since: 1.0
 */
MissiveCryptoContext *
missive_engine_create_crypto_context (MissiveEngine  *self,
                                      const char     *name,
                                      GError        **error)
{
  GIOExtension *extension;
  GType type;

  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  extension = find_extension (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME, name);
  if (extension == NULL)
    {
      g_autofree char *escaped = g_strescape (name, NULL);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_BACKEND,
                   "No crypto backend “%s” is installed", escaped);
      return NULL;
    }

  type = g_io_extension_get_type (extension);
  if (!check_instantiable (type, error))
    return NULL;
  return g_object_new (type, NULL);
}

/**
 * missive_engine_register_sasl_mechanism:
 * @self: the engine
 * @mechanism_type: a subclass of [class@SaslMechanism] that is not abstract
 * @error: return location for a #GError
 *
 * Makes a SASL mechanism written by the application available by its name
 * (which is read from an instance, so [vfunc@SaslMechanism.get_name] must
 * work on a fresh object) to [method@Engine.create_sasl_mechanism],
 * [method@Engine.list_sasl_mechanisms] and the services' automatic choice.
 * It may replace a built-in or plugin mechanism of the same name, but not
 * another registered one.
 *
 * Fails with %MISSIVE_ERROR_INVALID_ARGUMENT when @mechanism_type is not a
 * non-abstract subclass of [class@SaslMechanism], has no name, or when a
 * mechanism of that name is already registered.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_engine_register_sasl_mechanism (MissiveEngine  *self,
                                        GType           mechanism_type,
                                        GError        **error)
{
  g_autofree char *name = NULL;
  int strength;

  g_return_val_if_fail (MISSIVE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (mechanism_type == G_TYPE_INVALID ||
      !g_type_is_a (mechanism_type, MISSIVE_TYPE_SASL_MECHANISM) ||
      G_TYPE_IS_ABSTRACT (mechanism_type))
    {
      const char *type_name = mechanism_type != G_TYPE_INVALID ? g_type_name (mechanism_type) : NULL;

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "Cannot register %s as a SASL mechanism: it must be a "
                   "subclass of MissiveSaslMechanism that is not abstract",
                   type_name != NULL ? type_name : "an invalid type");
      return FALSE;
    }

  missive_plugin_loader_ensure_loaded ();

  get_mechanism_info (self, mechanism_type, &name, &strength);
  if (name == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "Cannot register %s as a SASL mechanism: it has no name",
                   g_type_name (mechanism_type));
      return FALSE;
    }
  if (!sasl_name_is_valid (name))
    {
      g_autofree char *escaped = g_strescape (name, NULL);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "Cannot register %s as a SASL mechanism: “%s” is not a "
                   "valid mechanism name (1 to 20 of A-Z, 0-9, “-” and “_”)",
                   g_type_name (mechanism_type), escaped);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (self->registered, name))
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "A SASL mechanism named “%s” is already registered", name);
      return FALSE;
    }
  g_hash_table_insert (self->registered, g_steal_pointer (&name),
                       GSIZE_TO_POINTER (mechanism_type));
  g_mutex_unlock (&self->lock);

  return TRUE;
}
