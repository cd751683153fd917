/* missive-sasl-oauthbearer.c: the OAUTHBEARER SASL mechanism (RFC 7628)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-oauthbearer.h"
#include "oauth-common.h"

/* OAUTHBEARER is client-first. The client sends, in one message, a GS2
 * header (RFC 5801) without channel binding, then key=value pairs each
 * ended by ^A (the byte 0x01), then one more ^A:
 *
 *   "n,a=" saslname "," ^A "host=" host ^A "auth=Bearer " token ^A ^A
 *
 * The "a=" part names the authorization identity (the authzid, or else
 * the username; omitted when both are unset), with "," and "=" escaped as
 * "=2C" and "=3D". "host" is omitted when the host is unknown, and "port"
 * always is, since the mechanism is not told the port. On success the
 * server answers with its final OK. On failure it first sends a challenge
 * holding a JSON object such as {"status":"invalid_token","scope":"..."};
 * the client must answer it with the single byte ^A (RFC 7628 section
 * 3.2.3), after which the server sends its final failure. */

typedef enum {
  STATE_START,      /* nothing sent yet */
  STATE_SENT,       /* the initial response is out */
  STATE_ERROR_SEEN, /* the server sent its JSON error; we sent the dummy */
} State;

/**
 * MissiveSaslOauthbearer:
 *
 * The OAUTHBEARER mechanism (RFC 7628), provided by the `oauthbearer`
 * plugin. It needs an OAuth 2.0 bearer token, taken from
 * [property@SaslMechanism:oauth-token] or, when that is unset, from a
 * [signal@SaslOauthbearer::token-requested] handler. The authorization
 * identity sent is [property@SaslMechanism:authzid], or else
 * [property@SaslMechanism:username]; the host sent is
 * [property@SaslMechanism:host]. Strength 45.
 *
 * When the server rejects the token, the details it gave are in the
 * [property@SaslOauthbearer:server-error] property.
 *
 * Since: 1.0
 */
struct _MissiveSaslOauthbearer
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

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSaslOauthbearer, missive_sasl_oauthbearer,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_FINAL, {})

static void
set_server_error (MissiveSaslOauthbearer *self,
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
missive_sasl_oauthbearer_get_name (MissiveSaslMechanism *mech)
{
  return "OAUTHBEARER";
}

static int
missive_sasl_oauthbearer_get_strength (MissiveSaslMechanism *mech)
{
  return 45;
}

static MissiveSaslFlags
missive_sasl_oauthbearer_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_TOKEN;
}

static GBytes *
initial_response (MissiveSaslOauthbearer  *self,
                  GError             **error)
{
  MissiveSaslMechanism *mech = MISSIVE_SASL_MECHANISM (self);
  const char *identity = missive_sasl_mechanism_get_authzid (mech);
  const char *host = missive_sasl_mechanism_get_host (mech);
  const char *token;
  const char *p;
  GString *message;
  gsize length;

  if (identity == NULL || *identity == '\0')
    identity = missive_sasl_mechanism_get_username (mech);
  if (identity != NULL && *identity == '\0')
    identity = NULL;
  if (host != NULL && *host == '\0')
    host = NULL;

  if (identity != NULL &&
      !missive_oauth_check_field (identity, "authorization identity", "OAUTHBEARER", error))
    return NULL;
  if (host != NULL &&
      !missive_oauth_check_field (host, "host", "OAUTHBEARER", error))
    return NULL;

  token = missive_oauth_get_token (mech, signals[SIGNAL_TOKEN_REQUESTED], error);
  if (token == NULL)
    return NULL;

  /* Worst case: every identity byte escaped to three. */
  length = strlen ("n,a=,\001host=\001auth=Bearer \001\001") +
           (identity != NULL ? 3 * strlen (identity) : 0) +
           (host != NULL ? strlen (host) : 0) +
           strlen (token) + 1;
  message = g_string_sized_new (length);

  g_string_append (message, "n,");
  if (identity != NULL)
    {
      g_string_append (message, "a=");
      for (p = identity; *p != '\0'; p++)
        {
          if (*p == ',')
            g_string_append (message, "=2C");
          else if (*p == '=')
            g_string_append (message, "=3D");
          else
            g_string_append_c (message, *p);
        }
    }
  g_string_append_c (message, ',');
  if (host != NULL)
    {
      g_string_append (message, "\001host=");
      g_string_append (message, host);
    }
  g_string_append (message, "\001auth=Bearer ");
  g_string_append (message, token);
  g_string_append (message, "\001\001");
  g_assert (message->len < length);

  self->state = STATE_SENT;
  missive_sasl_mechanism_set_complete (mech, TRUE);
  return missive_oauth_secret_bytes_new_take (message);
}

static GBytes *
missive_sasl_oauthbearer_step (MissiveSaslMechanism  *mech,
                           GBytes                *challenge,
                           GError               **error)
{
  MissiveSaslOauthbearer *self = MISSIVE_SASL_OAUTHBEARER (mech);
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
                               "The server sent an OAUTHBEARER challenge before "
                               "the initial response");
          return NULL;
        }
      return initial_response (self, error);

    case STATE_SENT:
      if (length == 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                               "The server sent an empty OAUTHBEARER challenge "
                               "after the initial response");
          return NULL;
        }
      if (!missive_oauth_parse_error (data, length, "OAUTHBEARER",
                                      &status, &schemes, &scope, error))
        return NULL;
      set_server_error (self, missive_oauth_format_error (status, schemes, scope));
      self->state = STATE_ERROR_SEEN;
      missive_sasl_mechanism_set_complete (mech, FALSE);
      /* The required dummy answer; the server then reports the failure. */
      return g_bytes_new_static ("\001", 1);

    case STATE_ERROR_SEEN:
    default:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent another OAUTHBEARER challenge after "
                           "its error");
      return NULL;
    }
}

static void
missive_sasl_oauthbearer_reset (MissiveSaslMechanism *mech)
{
  MissiveSaslOauthbearer *self = MISSIVE_SASL_OAUTHBEARER (mech);

  self->state = STATE_START;
  set_server_error (self, NULL);
}

static void
missive_sasl_oauthbearer_finalize (GObject *object)
{
  MissiveSaslOauthbearer *self = MISSIVE_SASL_OAUTHBEARER (object);

  g_free (self->server_error);

  G_OBJECT_CLASS (missive_sasl_oauthbearer_parent_class)->finalize (object);
}

static void
missive_sasl_oauthbearer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MissiveSaslOauthbearer *self = MISSIVE_SASL_OAUTHBEARER (object);

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
missive_sasl_oauthbearer_class_init (MissiveSaslOauthbearerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  object_class->finalize = missive_sasl_oauthbearer_finalize;
  object_class->get_property = missive_sasl_oauthbearer_get_property;

  mech_class->get_name = missive_sasl_oauthbearer_get_name;
  mech_class->get_strength = missive_sasl_oauthbearer_get_strength;
  mech_class->get_flags = missive_sasl_oauthbearer_get_flags;
  mech_class->step = missive_sasl_oauthbearer_step;
  mech_class->reset = missive_sasl_oauthbearer_reset;

  /**
   * MissiveSaslOauthbearer:server-error:
   *
   * What the server said when it rejected the token, from the JSON object
   * of its error challenge: the members `status`, `schemes` and `scope`
   * that it sent, as space-separated `name=value` pairs in that order, for
   * example `status=invalid_token scope=https://mail.example.com/`
   * (control characters are replaced by `?`; an error object with none of
   * these members gives the empty string).
   *
   * %NULL until the server sends an error challenge, and again after
   * [method@SaslMechanism.reset]. A `status` of `invalid_token` (or
   * 401) means the token is invalid or expired: get a new one and
   * authenticate again.
   *
   * Since: 1.0
   */
  properties[PROP_SERVER_ERROR] =
    g_param_spec_string ("server-error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveSaslOauthbearer::token-requested:
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
missive_sasl_oauthbearer_class_finalize (MissiveSaslOauthbearerClass *klass)
{
}

static void
missive_sasl_oauthbearer_init (MissiveSaslOauthbearer *self)
{
}

/* Registers the type with @module and adds it to the SASL mechanism
 * extension point. */
void
missive_sasl_oauthbearer_register (GIOModule *module)
{
  missive_plugin_ensure_extension_points ();
  missive_sasl_oauthbearer_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SASL_OAUTHBEARER, "OAUTHBEARER", 45);
}
