/* missive-imap-store.c: MissiveImapStore, the IMAP implementation of
 * MissiveStore: its properties, capabilities and the service's virtual
 * methods (greeting, CAPABILITY, STARTTLS, AUTHENTICATE, LOGIN; COMPRESS,
 * ID and ENABLE after login; LOGOUT, NOOP, raw commands)
 *
 * The mailbox and message operations live in the other files of the
 * plugin, which set their virtual methods through the *_class_init hooks
 * declared in missive-imap-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-quirks.h"

#define DEFAULT_IDLE_MAX_SECONDS  (29 * 60)
#define DEFAULT_KEEPALIVE_SECONDS 300

/* At most this many capabilities are kept (a hostile server could send
 * thousands). */
#define MAX_CAPABILITIES 512

enum {
  PROP_0,
  PROP_USE_UID,
  PROP_UTF7_NAMES,
  PROP_DECODE_HEADERS,
  PROP_SEND_ID,
  PROP_IDLE_MAX_SECONDS,
  PROP_KEEPALIVE_SECONDS,
  PROP_COMPRESS,
  PROP_SERVER_ID,
  PROP_ENABLED_EXTENSIONS,
  PROP_APPEND_LIMIT,
  PROP_ENABLE_IMAP4REV2,
  PROP_RESYNC_SEQUENCE_MATCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType missive_imap_store_type_id;
static gpointer missive_imap_store_parent_class;

GType
missive_imap_store_get_type (void)
{
  return missive_imap_store_type_id;
}

/* ---- capabilities ------------------------------------------------------- */

static void
update_quirks (MissiveImapStore *self)
{
  const char *id_name = NULL;
  MissiveImapServerKind kind;

  if (self->server_id != NULL)
    id_name = g_hash_table_lookup (self->server_id, "name");
  self->quirks = missive_imap_quirks_detect (self->greeting, id_name,
                                             missive_service_get_capabilities (MISSIVE_SERVICE (self)),
                                             &kind);
  if ((int) kind != self->server_kind)
    {
      self->server_kind = kind;
      if (kind != MISSIVE_IMAP_SERVER_UNKNOWN && missive_service_is_tracing (MISSIVE_SERVICE (self)))
        {
          g_autofree char *note = g_strdup_printf ("Server recognised as %s",
                                                   missive_imap_server_kind_to_string (kind));

          missive_service_trace (MISSIVE_SERVICE (self), MISSIVE_TRACE_INFO, note, -1, FALSE);
        }
    }
}

/* A debugging and testing aid: MISSIVE_IMAP_DISABLE_CAPS=MOVE,UIDPLUS makes
 * the plugin ignore those capabilities of any server (to exercise the
 * fallbacks against a server that has everything). */
static gboolean
capability_disabled (const char *name)
{
  const char *disabled = g_getenv ("MISSIVE_IMAP_DISABLE_CAPS");
  g_auto(GStrv) names = NULL;

  if (disabled == NULL || disabled[0] == '\0')
    return FALSE;
  names = g_strsplit (disabled, ",", -1);
  for (gsize i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (names[i]), name) == 0)
      return TRUE;
  return FALSE;
}

void
missive_imap_store_update_capabilities (MissiveImapStore       *self,
                                        const MissiveImapValue *atoms)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint64 caps = 0;
  guint64 append_limit = 0;

  for (const MissiveImapValue *v = atoms; v != NULL && names->len < MAX_CAPABILITIES; v = v->next)
    {
      const char *name = missive_imap_value_get_string (v);

      if (v->type != MISSIVE_IMAP_VALUE_ATOM || name == NULL || name[0] == '\0' ||
          capability_disabled (name))
        continue;
      caps |= missive_imap_capability_bit (name);
      g_ptr_array_add (names, g_strdup (name));
      if (g_ascii_strncasecmp (name, "APPENDLIMIT=", 12) == 0)
        {
          guint64 limit;

          if (g_ascii_string_to_unsigned (name + 12, 10, 1, G_MAXUINT64, &limit, NULL))
            append_limit = limit;
        }
    }
  g_ptr_array_add (names, NULL);

  self->caps = caps;
  self->append_limit = append_limit;
  self->caps_fresh = TRUE;
  missive_service_set_capabilities (MISSIVE_SERVICE (self), (const char * const *) names->pdata);
  update_quirks (self);
}

/* Forgets the capabilities: they change with STARTTLS and logging in. */
static void
forget_capabilities (MissiveImapStore *self)
{
  self->caps = 0;
  self->caps_fresh = FALSE;
}

/* What IMAP4rev2 includes of the IMAP4rev1 extensions (RFC 9051,
 * appendix E): in IMAP4rev2 mode they are there whether listed or not. */
#define REV2_IMPLIED_CAPS \
  (MISSIVE_IMAP_CAP_LITERAL_MINUS | MISSIVE_IMAP_CAP_NAMESPACE | \
   MISSIVE_IMAP_CAP_UNSELECT | MISSIVE_IMAP_CAP_UIDPLUS | MISSIVE_IMAP_CAP_ESEARCH | \
   MISSIVE_IMAP_CAP_ENABLE | MISSIVE_IMAP_CAP_IDLE | MISSIVE_IMAP_CAP_SASL_IR | \
   MISSIVE_IMAP_CAP_LIST_EXTENDED | MISSIVE_IMAP_CAP_LIST_STATUS | MISSIVE_IMAP_CAP_MOVE | \
   MISSIVE_IMAP_CAP_SPECIAL_USE | MISSIVE_IMAP_CAP_BINARY | MISSIVE_IMAP_CAP_STATUS_SIZE)

gboolean
missive_imap_store_is_rev2 (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), FALSE);

  if (self->enabled & MISSIVE_IMAP_CAP_IMAP4REV2)
    return TRUE;
  return (self->caps & MISSIVE_IMAP_CAP_IMAP4REV2) != 0 &&
         (self->caps & MISSIVE_IMAP_CAP_IMAP4REV1) == 0;
}

gboolean
missive_imap_store_has_cap (MissiveImapStore *self,
                            guint64           cap)
{
  guint64 caps;

  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), FALSE);

  caps = self->caps;
  if (missive_imap_store_is_rev2 (self))
    caps |= REV2_IMPLIED_CAPS;
  return (caps & cap) == cap;
}

gboolean
missive_imap_store_is_enabled (MissiveImapStore *self,
                               guint64           cap)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), FALSE);

  return (self->enabled & cap) == cap;
}

guint64
missive_imap_store_get_append_limit (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), 0);

  return self->append_limit;
}

guint
missive_imap_store_get_quirks (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), 0);

  return self->quirks;
}

gsize
missive_imap_store_get_max_set_length (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), 1000);

  /* Room for the tag, the command and its other arguments. */
  return missive_imap_quirks_max_line_length (self->quirks) - 200;
}

gboolean
missive_imap_store_get_use_uid (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), TRUE);

  return self->use_uid;
}

gboolean
missive_imap_store_get_decode_headers (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), TRUE);

  return self->decode_headers;
}

guint
missive_imap_store_get_idle_max_seconds (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), DEFAULT_IDLE_MAX_SECONDS);

  return self->idle_max_seconds;
}

guint
missive_imap_store_get_keepalive_seconds (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), DEFAULT_KEEPALIVE_SECONDS);

  return self->keepalive_seconds;
}

/* ---- helpers for the virtual methods ------------------------------------- */

/* A failed server reply (NO/BAD) as @code, keeping the server's response
 * code and text; other errors unchanged. */
GError *
missive_imap_remap_server_error (GError     *error,
                    int         code,
                    const char *what)
{
  GError *mapped;

  if (!g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO) &&
      !g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_BAD))
    return error;

  if (missive_error_get_server_text (error) != NULL &&
      missive_error_get_server_text (error)[0] != '\0')
    {
      g_autofree char *valid = g_utf8_make_valid (missive_error_get_server_text (error), -1);

      mapped = g_error_new (MISSIVE_ERROR, code, "%s: %s", what, valid);
    }
  else
    mapped = g_error_new (MISSIVE_ERROR, code, "%s", what);
  missive_error_set_server_reply (mapped, 0, NULL, missive_error_get_response_code (error),
                                  missive_error_get_server_text (error));
  g_error_free (error);
  return mapped;
}

/* Runs a command that needs nothing but its tagged OK, finishing @task. */
static void
simple_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
missive_imap_boolean_finish (MissiveService  *service,
                GAsyncResult    *result,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the session after login: CAPABILITY, COMPRESS, ID, ENABLE ----------- */

typedef enum
{
  SETUP_CAPABILITY,
  SETUP_COMPRESS,
  SETUP_ID,
  SETUP_ENABLE,
  SETUP_DONE,
} SetupStep;

static void setup_next (GTask *task);

static void
setup_step_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      /* ID and ENABLE are niceties: only a broken connection matters. */
      if (error->domain == MISSIVE_ERROR &&
          (error->code == MISSIVE_ERROR_SERVER_NO || error->code == MISSIVE_ERROR_SERVER_BAD))
        {
          missive_service_emit_warning (MISSIVE_SERVICE (self), error);
          g_error_free (error);
        }
      else
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  setup_next (task);
}

static gboolean
capability_response (MissiveImapStore          *self,
                     MissiveImapCommand        *command,
                     const MissiveImapResponse *response,
                     gpointer                   user_data)
{
  if (response->kind == MISSIVE_IMAP_RESPONSE_UNTAGGED && response->keyword != NULL &&
      strcmp (response->keyword, "CAPABILITY") == 0)
    {
      missive_imap_store_update_capabilities (self, response->args);
      return TRUE;
    }
  return FALSE;
}

static gboolean
id_response (MissiveImapStore          *self,
             MissiveImapCommand        *command,
             const MissiveImapResponse *response,
             gpointer                   user_data)
{
  const MissiveImapValue *list;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->keyword == NULL ||
      strcmp (response->keyword, "ID") != 0)
    return FALSE;

  g_clear_pointer (&self->server_id, g_hash_table_unref);
  list = response->args;
  if (list != NULL && list->type == MISSIVE_IMAP_VALUE_LIST)
    {
      self->server_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (const MissiveImapValue *v = list->children; v != NULL && v->next != NULL; v = v->next->next)
        {
          const char *key = missive_imap_value_get_string (v);
          const char *value = missive_imap_value_get_string (v->next);

          if (key != NULL && value != NULL && g_hash_table_size (self->server_id) < 64)
            g_hash_table_replace (self->server_id, g_ascii_strdown (key, -1), g_strdup (value));
        }
      update_quirks (self);
    }
  return TRUE;
}

static gboolean
enabled_response (MissiveImapStore          *self,
                  MissiveImapCommand        *command,
                  const MissiveImapResponse *response,
                  gpointer                   user_data)
{
  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED || response->keyword == NULL ||
      strcmp (response->keyword, "ENABLED") != 0)
    return FALSE;

  for (const MissiveImapValue *v = response->args; v != NULL; v = v->next)
    {
      const char *name = missive_imap_value_get_string (v);

      if (name == NULL)
        continue;
      if (self->enabled_names == NULL)
        self->enabled_names = g_ptr_array_new_with_free_func (g_free);
      if (self->enabled_names->len < 32)
        g_ptr_array_add (self->enabled_names, g_strdup (name));
      if (g_ascii_strcasecmp (name, "QRESYNC") == 0)
        /* RFC 7162 3.2.3: enabling QRESYNC enables CONDSTORE too. */
        self->enabled |= MISSIVE_IMAP_CAP_QRESYNC | MISSIVE_IMAP_CAP_CONDSTORE;
      else if (g_ascii_strcasecmp (name, "CONDSTORE") == 0)
        self->enabled |= MISSIVE_IMAP_CAP_CONDSTORE;
      else if (g_ascii_strcasecmp (name, "UTF8=ACCEPT") == 0)
        self->enabled |= MISSIVE_IMAP_CAP_UTF8_ACCEPT;
      else if (g_ascii_strcasecmp (name, "IMAP4rev2") == 0)
        self->enabled |= MISSIVE_IMAP_CAP_IMAP4REV2;
    }
  return TRUE;
}

static void
setup_next (GTask *task)
{
  MissiveImapStore *self = g_task_get_source_object (task);
  SetupStep *step = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  MissiveImapCommand *command = NULL;

  while (command == NULL)
    {
      switch ((*step)++)
        {
        case SETUP_CAPABILITY:
          if (self->caps_fresh)
            break;
          /* Without a CAPABILITY code in the login reply, ask; the core
           * sees the capabilities set and does not ask again. */
          missive_service_set_capabilities (MISSIVE_SERVICE (self), NULL);
          command = missive_imap_command_new (self, "CAPABILITY");
          missive_imap_command_set_response_func (command, capability_response, NULL);
          break;

        case SETUP_COMPRESS:
          /* First, so that everything after it is compressed; a NO is a
           * warning (setup_step_cb) and the session goes on as it was. */
          command = missive_imap_compress_command_new (self);
          break;

        case SETUP_ID:
          if (!self->send_id || !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_ID))
            break;
          command = missive_imap_command_new (self, "ID");
          missive_imap_command_add_atom (command, "(\"name\" \"Missive\" \"version\" \"" PACKAGE_VERSION "\")");
          missive_imap_command_set_response_func (command, id_response, NULL);
          break;

        case SETUP_ENABLE:
          {
            gboolean any = FALSE;

            /* IMAP4rev2 includes ENABLE, listed or not. */
            if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_ENABLE) &&
                !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_IMAP4REV2))
              break;
            command = missive_imap_command_new (self, "ENABLE");
            /* RFC 9051 9: a client that speaks both asks for IMAP4rev2
             * (first: it changes how the others' replies look). */
            if (self->enable_rev2 &&
                missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_IMAP4REV2))
              {
                missive_imap_command_add_atom (command, "IMAP4rev2");
                any = TRUE;
              }
            if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_QRESYNC))
              {
                missive_imap_command_add_atom (command, "QRESYNC");
                any = TRUE;
              }
            else if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE))
              {
                missive_imap_command_add_atom (command, "CONDSTORE");
                any = TRUE;
              }
            if (missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_UTF8_ACCEPT))
              {
                missive_imap_command_add_atom (command, "UTF8=ACCEPT");
                any = TRUE;
              }
            if (!any)
              g_clear_pointer (&command, missive_imap_command_free);
            else
              missive_imap_command_set_response_func (command, enabled_response, NULL);
          }
          break;

        case SETUP_DONE:
        default:
          if (!self->caps_fresh)
            {
              /* No CAPABILITY reply at all: record an empty list, so that
               * nobody keeps asking. */
              const char *none[] = { NULL };

              missive_service_set_capabilities (MISSIVE_SERVICE (self), none);
              self->caps_fresh = TRUE;
            }
          self->session_ready = TRUE;
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;
        }
    }

  missive_imap_store_run_async (self, command, cancellable, setup_step_cb, task);
}

/* After LOGIN, AUTHENTICATE or a PREAUTH greeting. */
void
missive_imap_session_setup_async (MissiveImapStore    *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SetupStep *step = g_new0 (SetupStep, 1);

  g_task_set_source_tag (task, missive_imap_session_setup_async);
  g_task_set_task_data (task, step, g_free);
  *step = SETUP_CAPABILITY;
  setup_next (task);
}

gboolean
missive_imap_session_setup_finish (MissiveImapStore  *self,
                      GAsyncResult      *result,
                      GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- greeting ------------------------------------------------------------ */

static guint16
missive_imap_store_get_default_port (MissiveService  *service,
                                     MissiveSecurity  security)
{
  return security == MISSIVE_SECURITY_TLS ? 993 : 143;
}

/* Everything learnt about the server goes with its connection. */
static void
reset_connection_state (MissiveImapStore *self)
{
  forget_capabilities (self);
  self->enabled = 0;
  self->quirks = 0;
  self->server_kind = MISSIVE_IMAP_SERVER_UNKNOWN;
  self->preauth = FALSE;
  self->session_ready = FALSE;
  g_clear_pointer (&self->compression, missive_imap_compression_free);
  missive_imap_engine_set_output (self->engine, NULL);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->server_id, g_hash_table_unref);
  g_clear_pointer (&self->enabled_names, g_ptr_array_unref);
  self->append_limit = 0;
  missive_imap_store_clear_selected (self);
  self->sasl_command = NULL;
  g_clear_object (&self->sasl_task);
  g_clear_pointer (&self->sasl_pending, g_free);
  g_clear_error (&self->sasl_pending_error);
  g_clear_error (&self->sasl_error);
}

static gboolean
greeting_response (MissiveImapStore          *self,
                   MissiveImapCommand        *command,
                   const MissiveImapResponse *response,
                   gpointer                   user_data)
{
  const char *text = response->text != NULL ? response->text : "";

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    {
      missive_imap_command_fail (command,
                                 g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                                      "The server did not greet with “* OK”, "
                                                      "“* PREAUTH” or “* BYE”: it does not seem "
                                                      "to speak IMAP"));
      return TRUE;
    }

  switch (response->status)
    {
    case MISSIVE_IMAP_STATUS_OK:
    case MISSIVE_IMAP_STATUS_PREAUTH:
      g_free (self->greeting);
      self->greeting = g_strdup (text);
      update_quirks (self);
      if (response->status == MISSIVE_IMAP_STATUS_PREAUTH)
        {
          self->preauth = TRUE;
          missive_service_set_preauthenticated (MISSIVE_SERVICE (self));
        }
      break;

    case MISSIVE_IMAP_STATUS_BYE:
    case MISSIVE_IMAP_STATUS_NO:
    case MISSIVE_IMAP_STATUS_BAD:
      {
        g_autofree char *valid = g_utf8_make_valid (text[0] != '\0' ? text : "no reason given", -1);
        GError *error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED,
                                     "The server refused the connection: %s", valid);

        missive_error_set_server_reply (error, 0, NULL, response->code, response->text);
        missive_imap_command_fail (command, error);
      }
      break;

    case MISSIVE_IMAP_STATUS_NONE:
    default:
      missive_imap_command_fail (command,
                                 g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                              "The server greeted with “* %s” instead of "
                                              "“* OK”: it does not seem to speak IMAP",
                                              response->keyword != NULL ? response->keyword : ""));
      break;
    }
  return TRUE;
}

static void
missive_imap_store_greet_async (MissiveService      *service,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;

  g_task_set_source_tag (task, missive_imap_store_greet_async);

  /* A new connection. */
  reset_connection_state (self);
  missive_imap_engine_reset (self->engine);

  command = missive_imap_command_new (self, "(greeting)");
  missive_imap_command_set_response_func (command, greeting_response, NULL);
  missive_imap_engine_run_greeting (self, command, cancellable, simple_done_cb, task);
}

/* ---- CAPABILITY ---------------------------------------------------------- */

static void
refresh_setup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!missive_imap_session_setup_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Whether the connection is still to be upgraded with STARTTLS. */
static gboolean
starttls_pending (MissiveImapStore *self)
{
  MissiveService *service = MISSIVE_SERVICE (self);
  MissiveTransport *transport = missive_service_get_transport (service);

  return missive_service_get_security (service) == MISSIVE_SECURITY_STARTTLS &&
         (transport == NULL || !missive_transport_is_tls (transport));
}

static void
refresh_done (GTask *task)
{
  MissiveImapStore *self = g_task_get_source_object (task);

  if (!self->caps_fresh)
    {
      const char *none[] = { NULL };

      missive_service_set_capabilities (MISSIVE_SERVICE (self), none);
      self->caps_fresh = TRUE;
    }
  /* A PREAUTH session is logged in from the start: set it up now (unless
   * STARTTLS is still to come, which then fails: see starttls_async). */
  if (self->preauth && !self->session_ready && !starttls_pending (self))
    {
      missive_imap_session_setup_async (self, g_task_get_cancellable (task), refresh_setup_cb, task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
refresh_capability_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  refresh_done (task);
}

static void
missive_imap_store_refresh_capabilities_async (MissiveService      *service,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;

  g_task_set_source_tag (task, missive_imap_store_refresh_capabilities_async);

  /* The greeting or the last tagged OK carried them: no round trip. */
  if (self->caps_fresh && missive_service_get_capabilities (service) != NULL)
    {
      refresh_done (task);
      return;
    }

  command = missive_imap_command_new (self, "CAPABILITY");
  missive_imap_command_set_response_func (command, capability_response, NULL);
  missive_imap_store_run_async (self, command, cancellable, refresh_capability_cb, task);
}

/* ---- STARTTLS ------------------------------------------------------------ */

static void
starttls_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveImapStore *self = MISSIVE_IMAP_STORE (source);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (self, result, &error))
    {
      g_task_return_error (task, missive_imap_remap_server_error (error, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                                                     "The server refused STARTTLS"));
      return;
    }
  /* What the server said before TLS could have been tampered with. */
  forget_capabilities (self);
  g_task_return_boolean (task, TRUE);
}

static void
missive_imap_store_starttls_async (MissiveService      *service,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveImapCommand *command;

  g_task_set_source_tag (task, missive_imap_store_starttls_async);

  if (self->preauth)
    {
      /* RFC 9051 7.1.5 / the PREAUTH downgrade: a session already logged
       * in over a clear connection cannot be protected any more. */
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                               "The server pre-authenticated the connection before TLS "
                               "(PREAUTH); refusing to continue without TLS");
      g_object_unref (task);
      return;
    }
  if (!missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_STARTTLS))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                               "The server does not offer STARTTLS");
      g_object_unref (task);
      return;
    }

  command = missive_imap_command_new (self, "STARTTLS");
  missive_imap_command_set_exclusive (command);
  missive_imap_store_run_async (self, command, cancellable, starttls_done_cb, task);
}

/* ---- LOGOUT, NOOP -------------------------------------------------------- */

static void
missive_imap_store_logout_async (MissiveService      *service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_imap_store_logout_async);
  missive_imap_compress_trace_figures (self);
  missive_imap_store_run_async (self, missive_imap_command_new (self, "LOGOUT"),
                                cancellable, simple_done_cb, task);
}

static void
missive_imap_store_noop_async (MissiveService      *service,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_imap_store_noop_async);
  g_task_set_priority (task, io_priority);
  missive_imap_store_run_async (self, missive_imap_command_new (self, "NOOP"),
                                cancellable, simple_done_cb, task);
}

/* ---- GObject --------------------------------------------------------------- */

static gboolean
connected (MissiveImapStore *self)
{
  return missive_service_get_state (MISSIVE_SERVICE (self)) != MISSIVE_SERVICE_STATE_DISCONNECTED;
}

static void
missive_imap_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (object);

  switch (prop_id)
    {
    case PROP_USE_UID:
      g_value_set_boolean (value, self->use_uid);
      break;
    case PROP_UTF7_NAMES:
      g_value_set_boolean (value, self->utf7_names);
      break;
    case PROP_DECODE_HEADERS:
      g_value_set_boolean (value, self->decode_headers);
      break;
    case PROP_SEND_ID:
      g_value_set_boolean (value, self->send_id);
      break;
    case PROP_IDLE_MAX_SECONDS:
      g_value_set_uint (value, self->idle_max_seconds);
      break;
    case PROP_KEEPALIVE_SECONDS:
      g_value_set_uint (value, self->keepalive_seconds);
      break;
    case PROP_COMPRESS:
      g_value_set_boolean (value, self->compress);
      break;
    /* What the server said belongs to the connection: nothing once it
     * is closed (the fields themselves are reset by the next greeting). */
    case PROP_SERVER_ID:
      g_value_set_boxed (value, connected (self) ? self->server_id : NULL);
      break;
    case PROP_ENABLED_EXTENSIONS:
      {
        GStrvBuilder *builder = g_strv_builder_new ();

        for (guint i = 0; connected (self) && self->enabled_names != NULL &&
                          i < self->enabled_names->len; i++)
          g_strv_builder_add (builder, self->enabled_names->pdata[i]);
        g_value_take_boxed (value, g_strv_builder_end (builder));
        g_strv_builder_unref (builder);
      }
      break;
    case PROP_APPEND_LIMIT:
      g_value_set_uint64 (value, connected (self) ? self->append_limit : 0);
      break;
    case PROP_ENABLE_IMAP4REV2:
      g_value_set_boolean (value, self->enable_rev2);
      break;
    case PROP_RESYNC_SEQUENCE_MATCH:
      g_value_set_boolean (value, self->sequence_match);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_imap_store_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (object);

  switch (prop_id)
    {
    case PROP_USE_UID:
      self->use_uid = g_value_get_boolean (value);
      break;
    case PROP_UTF7_NAMES:
      self->utf7_names = g_value_get_boolean (value);
      break;
    case PROP_DECODE_HEADERS:
      self->decode_headers = g_value_get_boolean (value);
      break;
    case PROP_SEND_ID:
      self->send_id = g_value_get_boolean (value);
      break;
    case PROP_IDLE_MAX_SECONDS:
      self->idle_max_seconds = g_value_get_uint (value);
      break;
    case PROP_KEEPALIVE_SECONDS:
      self->keepalive_seconds = g_value_get_uint (value);
      break;
    case PROP_COMPRESS:
      self->compress = g_value_get_boolean (value);
      break;
    case PROP_ENABLE_IMAP4REV2:
      self->enable_rev2 = g_value_get_boolean (value);
      break;
    case PROP_RESYNC_SEQUENCE_MATCH:
      self->sequence_match = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_imap_store_finalize (GObject *object)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (object);

  g_clear_pointer (&self->engine, missive_imap_engine_free);
  g_clear_pointer (&self->compression, missive_imap_compression_free);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->server_id, g_hash_table_unref);
  g_clear_pointer (&self->enabled_names, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_object (&self->selected_info);
  g_clear_object (&self->sasl_task);
  g_clear_pointer (&self->sasl_pending, missive_imap_sasl_step_free);
  g_clear_error (&self->sasl_pending_error);
  g_clear_error (&self->sasl_error);

  G_OBJECT_CLASS (missive_imap_store_parent_class)->finalize (object);
}

static void
missive_imap_store_class_init (MissiveImapStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);
  MissiveStoreClass *store_class = MISSIVE_STORE_CLASS (klass);

  missive_imap_store_parent_class = g_type_class_peek_parent (klass);

  object_class->get_property = missive_imap_store_get_property;
  object_class->set_property = missive_imap_store_set_property;
  object_class->finalize = missive_imap_store_finalize;

  service_class->get_default_port = missive_imap_store_get_default_port;
  service_class->greet_async = missive_imap_store_greet_async;
  service_class->greet_finish = missive_imap_boolean_finish;
  service_class->refresh_capabilities_async = missive_imap_store_refresh_capabilities_async;
  service_class->refresh_capabilities_finish = missive_imap_boolean_finish;
  service_class->starttls_async = missive_imap_store_starttls_async;
  service_class->starttls_finish = missive_imap_boolean_finish;
  missive_imap_store_class_init_auth (service_class);
  service_class->logout_async = missive_imap_store_logout_async;
  service_class->logout_finish = missive_imap_boolean_finish;
  service_class->noop_async = missive_imap_store_noop_async;
  service_class->noop_finish = missive_imap_boolean_finish;
  service_class->send_command_async = missive_imap_store_send_command_async;
  service_class->send_command_finish = missive_imap_store_send_command_finish;

  missive_imap_mailbox_class_init (store_class);
  missive_imap_message_class_init (store_class);
  missive_imap_idle_class_init (store_class);
  missive_imap_extra_class_init (store_class);

  /**
   * MissiveImapStore:use-uid:
   *
   * Whether message ids (in sets, fetch_part, the ids reported) are UIDs
   * rather than sequence numbers.
   */
  properties[PROP_USE_UID] =
    g_param_spec_boolean ("use-uid", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissiveImapStore:utf7-names:
   *
   * Whether mailbox names are converted from and to IMAP's modified UTF-7
   * (unless UTF8=ACCEPT is enabled, when names are UTF-8 on the wire).
   */
  properties[PROP_UTF7_NAMES] =
    g_param_spec_boolean ("utf7-names", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissiveImapStore:decode-headers:
   *
   * Whether RFC 2047 encoded words in subjects and address names are
   * decoded.
   */
  properties[PROP_DECODE_HEADERS] =
    g_param_spec_boolean ("decode-headers", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissiveImapStore:send-id:
   *
   * Whether the client identifies itself with ID (RFC 2971) after login
   * when the server offers it.
   */
  properties[PROP_SEND_ID] =
    g_param_spec_boolean ("send-id", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissiveImapStore:idle-max-seconds:
   *
   * How long one IDLE command may last before it is restarted (servers
   * may drop a client idle for 30 minutes).
   */
  properties[PROP_IDLE_MAX_SECONDS] =
    g_param_spec_uint ("idle-max-seconds", NULL, NULL, 1, 24 * 3600, DEFAULT_IDLE_MAX_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  /**
   * MissiveImapStore:keepalive-seconds:
   *
   * After this long without any data from the server during IDLE, the
   * connection is probed with NOOP; 0 disables the probe.
   */
  properties[PROP_KEEPALIVE_SECONDS] =
    g_param_spec_uint ("keepalive-seconds", NULL, NULL, 0, 24 * 3600, DEFAULT_KEEPALIVE_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /**
   * MissiveImapStore:compress:
   *
   * Whether the connection is compressed with COMPRESS=DEFLATE (RFC 4978)
   * after login when the server offers it: both directions then go
   * through raw deflate, each command flushed as it is written. Worth it
   * on slow links (summaries of many messages shrink several times);
   * costs a little CPU and memory (zlib's window in each direction). A
   * NO from the server leaves the connection uncompressed. Takes effect
   * at the next login.
   */
  properties[PROP_COMPRESS] =
    g_param_spec_boolean ("compress", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * MissiveImapStore:server-id:
   *
   * What the server said about itself in its reply to ID (RFC 2971):
   * a #GHashTable of lower-cased field names ("name", "version",
   * "vendor", ...) to values, or %NULL when it sent none (no ID
   * capability, send-id off, or not logged in yet). Read-only; valid
   * for the current connection.
   */
  properties[PROP_SERVER_ID] =
    g_param_spec_boxed ("server-id", NULL, NULL, G_TYPE_HASH_TABLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveImapStore:enabled-extensions:
   *
   * The extensions the server turned on for this connection in reply to
   * ENABLE (RFC 5161), as it spelled them: "QRESYNC", "CONDSTORE",
   * "UTF8=ACCEPT", "IMAP4rev2" ... The plugin asks for QRESYNC (or
   * CONDSTORE) and UTF8=ACCEPT where offered. Empty before login or
   * without ENABLE. Read-only.
   */
  properties[PROP_ENABLED_EXTENSIONS] =
    g_param_spec_boxed ("enabled-extensions", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveImapStore:append-limit:
   *
   * The largest message the server accepts in APPEND, in bytes, from its
   * APPENDLIMIT=n capability (RFC 7889); 0 when it announces none or
   * only per mailbox. Appends of larger messages fail before sending
   * with %MISSIVE_ERROR_MESSAGE_TOO_LARGE. Read-only.
   */
  properties[PROP_APPEND_LIMIT] =
    g_param_spec_uint64 ("append-limit", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveImapStore:enable-imap4rev2:
   *
   * Whether the plugin asks a server that offers IMAP4rev2 (RFC 9051)
   * to speak it, with ENABLE IMAP4rev2 after login. The connection then
   * follows IMAP4rev2: mailbox names are UTF-8 on the wire, SEARCH
   * results come as ESEARCH, STATUS has no RECENT (and there is no
   * \Recent flag), and the extensions IMAP4rev2 includes (UIDPLUS, MOVE,
   * ESEARCH, LIST-EXTENDED, LIST-STATUS, SPECIAL-USE, BINARY, ...) are
   * used without being listed. Set it to %FALSE to stay on IMAP4rev1 with
   * a server that offers both; a server offering only IMAP4rev2 is
   * spoken to in IMAP4rev2 anyway. Takes effect at the next login.
   */
  properties[PROP_ENABLE_IMAP4REV2] =
    g_param_spec_boolean ("enable-imap4rev2", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * MissiveImapStore:resync-sequence-match:
   *
   * Whether [method@Missive.Store.resync_mailbox] sends QRESYNC's message
   * sequence match data (RFC 7162 3.2.5.2) along with the known UIDs:
   * a few (sequence number, UID) pairs that let the server report only
   * the expunges after the last point where its numbering still agrees
   * with the application's. The pairs are derived from the known UIDs,
   * taking the n-th smallest as message n, which is right when they are
   * every message of the application's copy of the mailbox (the usual
   * case). Set this to %FALSE when the application passes only some of
   * them: wrong pairs could make the server leave out expunges.
   */
  properties[PROP_RESYNC_SEQUENCE_MATCH] =
    g_param_spec_boolean ("resync-sequence-match", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_imap_store_class_finalize (gpointer klass,
                                   gpointer class_data)
{
}

static void
missive_imap_store_init (GTypeInstance *instance,
                         gpointer       klass)
{
  MissiveImapStore *self = (MissiveImapStore *) instance;

  self->use_uid = TRUE;
  self->utf7_names = TRUE;
  self->decode_headers = TRUE;
  self->send_id = TRUE;
  self->enable_rev2 = TRUE;
  self->sequence_match = TRUE;
  self->idle_max_seconds = DEFAULT_IDLE_MAX_SECONDS;
  self->keepalive_seconds = DEFAULT_KEEPALIVE_SECONDS;
  self->engine = missive_imap_engine_new (self);
}

void
missive_imap_store_register_type (GTypeModule *module)
{
  const GTypeInfo info = {
    .class_size = sizeof (MissiveImapStoreClass),
    .class_init = (GClassInitFunc) (void (*) (void)) missive_imap_store_class_init,
    .class_finalize = missive_imap_store_class_finalize,
    .instance_size = sizeof (MissiveImapStore),
    .instance_init = missive_imap_store_init,
  };

  missive_imap_store_type_id =
    g_type_module_register_type (module, MISSIVE_TYPE_STORE, "MissiveImapStore",
                                 &info, G_TYPE_FLAG_FINAL);
  missive_imap_message_register_types (module);
  missive_imap_compress_register_types (module);
}
