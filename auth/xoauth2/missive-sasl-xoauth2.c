/* missive-sasl-xoauth2.c: Google's XOAUTH2 SASL mechanism
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-xoauth2.h"
#include "oauth-common.h"

/* XOAUTH2 is client-first. The client sends, in one message,
 *
 *   "user=" username ^A "auth=Bearer " token ^A ^A
 *
 * (^A is the byte 0x01). On success the server answers with its final OK.
 * On failure it first sends a challenge holding a JSON object such as
 * {"status":"401","schemes":"bearer","scope":"https://mail.google.com/"};
 * the client must answer it with an empty response, after which the server
 * sends its final failure. */

typedef enum {
  STATE_START,      /* nothing sent yet */
  STATE_SENT,       /* the initial response is out */
  STATE_ERROR_SEEN, /* the server sent its JSON error; we sent the dummy */
} State;

/**
 * MissiveSaslXoauth2:
 *
 * The XOAUTH2 mechanism, provided by the `xoauth2` plugin: Google's (and
 * Microsoft's) predecessor of OAUTHBEARER. It needs the
 * [property@SaslMechanism:username] and an OAuth 2.0 access token, taken
 * from [property@SaslMechanism:oauth-token] or, when that is unset, from a
 * [signal@SaslXoauth2::token-requested] handler. Strength 40.
 *
 * When the server rejects the token, the details it gave are in the
 * [property@SaslXoauth2:server-error] property.
 *
 * Since: 1.0
 */
struct _MissiveSaslXoauth2
{
  MissiveSaslMechanism parent_instance;

  State state;
  char *server_error;
};

enum {
  PROP_0,
  PROP_SERVER_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TOKEN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSaslXoauth2, missive_sasl_xoauth2,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_FINAL, {})

static void
set_server_error (MissiveSaslXoauth2 *self,
                  char               *server_error)
{
  if (g_strcmp0 (self->server_error, server_error) == 0)
    {
      g_free (server_error);
      return;
    }
  g_free (self->server_error);
  self->server_error = server_error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_ERROR]);
}

static const char *
missive_sasl_xoauth2_get_name (MissiveSaslMechanism *mech)
{
  return "XOAUTH2";
}

static int
missive_sasl_xoauth2_get_strength (MissiveSaslMechanism *mech)
{
  return 40;
}

static MissiveSaslFlags
missive_sasl_xoauth2_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_TOKEN;
}

static GBytes *
initial_response (MissiveSaslXoauth2  *self,
                  GError             **error)
{
  MissiveSaslMechanism *mech = MISSIVE_SASL_MECHANISM (self);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *token;
  GString *message;

  if (username == NULL || *username == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No username for XOAUTH2 authentication");
      return NULL;
    }
  if (!missive_oauth_check_field (username, "username", "XOAUTH2", error))
    return NULL;

  token = missive_oauth_get_token (mech, signals[SIGNAL_TOKEN_REQUESTED], error);
  if (token == NULL)
    return NULL;

  message = g_string_sized_new (strlen ("user=\001auth=Bearer \001\001") +
                                strlen (username) + strlen (token) + 1);
  g_string_append (message, "user=");
  g_string_append (message, username);
  g_string_append (message, "\001auth=Bearer ");
  g_string_append (message, token);
  g_string_append (message, "\001\001");

  self->state = STATE_SENT;
  missive_sasl_mechanism_set_complete (mech, TRUE);
  return missive_oauth_secret_bytes_new_take (message);
}

static GBytes *
missive_sasl_xoauth2_step (MissiveSaslMechanism  *mech,
                           GBytes                *challenge,
                           GError               **error)
{
  MissiveSaslXoauth2 *self = MISSIVE_SASL_XOAUTH2 (mech);
  g_autofree char *status = NULL;
  g_autofree char *schemes = NULL;
  g_autofree char *scope = NULL;
  const guint8 *data = NULL;
  gsize length = 0;

  if (challenge != NULL)
    data = g_bytes_get_data (challenge, &length);

  switch (self->state)
    {
    case STATE_START:
      if (length != 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                               "The server sent an XOAUTH2 challenge before "
                               "the initial response");
          return NULL;
        }
      return initial_response (self, error);

    case STATE_SENT:
      if (length == 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                               "The server sent an empty XOAUTH2 challenge "
                               "after the initial response");
          return NULL;
        }
      if (!missive_oauth_parse_error (data, length, "XOAUTH2",
                                      &status, &schemes, &scope, error))
        return NULL;
      set_server_error (self, missive_oauth_format_error (status, schemes, scope));
      self->state = STATE_ERROR_SEEN;
      missive_sasl_mechanism_set_complete (mech, FALSE);
      /* The required empty answer; the server then reports the failure. */
      return g_bytes_new (NULL, 0);

    case STATE_ERROR_SEEN:
    default:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent another XOAUTH2 challenge after "
                           "its error");
      return NULL;
    }
}

static void
missive_sasl_xoauth2_reset (MissiveSaslMechanism *mech)
{
  MissiveSaslXoauth2 *self = MISSIVE_SASL_XOAUTH2 (mech);

  self->state = STATE_START;
  set_server_error (self, NULL);
}

static void
missive_sasl_xoauth2_finalize (GObject *object)
{
  MissiveSaslXoauth2 *self = MISSIVE_SASL_XOAUTH2 (object);

  g_free (self->server_error);

  G_OBJECT_CLASS (missive_sasl_xoauth2_parent_class)->finalize (object);
}

static void
missive_sasl_xoauth2_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MissiveSaslXoauth2 *self = MISSIVE_SASL_XOAUTH2 (object);

  switch (prop_id)
    {
    case PROP_SERVER_ERROR:
      g_value_set_string (value, self->server_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_xoauth2_class_init (MissiveSaslXoauth2Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  object_class->finalize = missive_sasl_xoauth2_finalize;
  object_class->get_property = missive_sasl_xoauth2_get_property;

  mech_class->get_name = missive_sasl_xoauth2_get_name;
  mech_class->get_strength = missive_sasl_xoauth2_get_strength;
  mech_class->get_flags = missive_sasl_xoauth2_get_flags;
  mech_class->step = missive_sasl_xoauth2_step;
  mech_class->reset = missive_sasl_xoauth2_reset;

  /**
   * MissiveSaslXoauth2:server-error:
   *
   * What the server said when it rejected the token, from the JSON object
   * of its error challenge: the members `status`, `schemes` and `scope`
   * that it sent, as space-separated `name=value` pairs in that order, for
   * example `status=401 schemes=bearer scope=https://mail.google.com/`
   * (control characters are replaced by `?`; an error object with none of
   * these members gives the empty string).
   *
   * %NULL until the server sends an error challenge, and again after
   * [method@SaslMechanism.reset]. A `status` of 401 means the token is
   * invalid or expired: get a new one and authenticate again.
   *
   * Since: 1.0
   */
  properties[PROP_SERVER_ERROR] =
    g_param_spec_string ("server-error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveSaslXoauth2::token-requested:
   * @self: the mechanism
   *
   * Emitted when the mechanism builds its initial response and
   * [property@SaslMechanism:oauth-token] is unset (or empty), so that the
   * application can supply a fresh access token at the last moment.
   *
   * The first handler that returns a token wins; one that returns %NULL
   * lets the next handler try. The token returned is stored in
   * [property@SaslMechanism:oauth-token], so later exchanges with the same
   * object reuse it until it is cleared. When no handler returns a token
   * the exchange fails with %MISSIVE_ERROR_INVALID_ARGUMENT.
   *
   * Returns: (transfer full) (nullable): the access token, or %NULL
   *
   * Since: 1.0
   */
  signals[SIGNAL_TOKEN_REQUESTED] =
    missive_oauth_install_token_requested_signal (G_TYPE_FROM_CLASS (klass));
}

static void
missive_sasl_xoauth2_class_finalize (MissiveSaslXoauth2Class *klass)
{
}

static void
missive_sasl_xoauth2_init (MissiveSaslXoauth2 *self)
{
}

/* Registers the type with @module and adds it to the SASL mechanism
 * extension point. */
void
missive_sasl_xoauth2_register (GIOModule *module)
{
  missive_plugin_ensure_extension_points ();
  missive_sasl_xoauth2_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SASL_XOAUTH2, "XOAUTH2", 40);
}
