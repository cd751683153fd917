/* missive-service.c: one connection to one mail server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-service-private.h"

/**
 * MissiveService:
 *
 * One connection to one mail server, the base class of [class@Store] and
 * [class@Sender].
 *
 * The settings are properties: where to connect ([property@Service:host],
 * [property@Service:port]), how to protect the connection
 * ([property@Service:security], [property@Service:ca-file],
 * [property@Service:tls-database]), and who to log in as
 * ([property@Service:username], [property@Service:password],
 * [property@Service:oauth-token]...). A protocol plugin supplies the
 * subclass; applications create services with
 * [method@Engine.create_service].
 *
 * [method@Service.open] connects, reads the greeting, asks for the
 * capabilities, upgrades the connection with STARTTLS when
 * [property@Service:security] is %MISSIVE_SECURITY_STARTTLS (failing with
 * %MISSIVE_ERROR_STARTTLS_UNAVAILABLE rather than going on in clear) and
 * authenticates when credentials are set. For authentication it chooses
 * the strongest SASL mechanism that both the server and the client offer
 * and for which the credentials are present, or the one named by
 * [property@Service:auth-mechanism]. A mechanism that reveals the password
 * to anyone watching the wire (PLAIN, LOGIN) is never used over an
 * unprotected connection unless [property@Service:allow-plaintext-auth] is
 * set.
 *
 * [method@Service.close] logs out and disconnects. When an operation fails
 * because the connection broke (lost, timed out, or the server sent
 * something that cannot be understood), the service closes the connection
 * and goes back to %MISSIVE_SERVICE_STATE_DISCONNECTED, so it can be opened
 * again.
 *
 * A service is not thread-safe: use it from one thread, and run one
 * operation at a time. Signals are emitted in the thread-default main
 * context of the operation that causes them.
 *
 * Since: 1.0
 */

#define DEFAULT_TIMEOUT 60

enum {
  PROP_0,
  PROP_SCHEME,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_OAUTH_TOKEN,
  PROP_AUTHZID,
  PROP_AUTH_MECHANISM,
  PROP_ALLOW_PLAINTEXT_AUTH,
  PROP_TIMEOUT,
  PROP_CA_FILE,
  PROP_TLS_DATABASE,
  PROP_TRANSPORT,
  PROP_STATE,
  PROP_CAPABILITIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint signals[MISSIVE_SERVICE_N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MissiveService, missive_service, G_TYPE_OBJECT)

/* ---- small helpers ------------------------------------------------------ */

static void
clear_secret (char **secret)
{
  missive_sasl_secret_free (g_steal_pointer (secret));
}

/* Replaces *@field by a copy of @value; TRUE if it changed. */
static gboolean
set_string (char       **field,
            const char  *value,
            gboolean     secret)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  if (secret)
    clear_secret (field);
  else
    g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

MissiveService *
missive_service_new_like (MissiveService *template_service)
{
  GObject *template_object = G_OBJECT (template_service);
  g_autofree GParamSpec **pspecs = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (GValue));
  guint n_pspecs = 0;

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);

  /* Every setting, the plugin's own included, except what belongs to one
   * connection. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (template_object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      GValue value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          (pspec->flags & G_PARAM_DEPRECATED) != 0 ||
          strcmp (pspec->name, "transport") == 0)
        continue;
      g_value_init (&value, pspec->value_type);
      g_object_get_property (template_object, pspec->name, &value);
      g_ptr_array_add (names, (gpointer) pspec->name);
      g_array_append_val (values, value);
    }

  return MISSIVE_SERVICE (g_object_new_with_properties (G_OBJECT_TYPE (template_object),
                                                        names->len,
                                                        (const char **) names->pdata,
                                                        (const GValue *) values->data));
}

gboolean
missive_string_has_line_break (const char *string)
{
  return string != NULL && strpbrk (string, "\r\n") != NULL;
}

void
missive_service_set_state (MissiveService      *self,
                           MissiveServiceState  state)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  MissiveServiceState old = priv->state;

  if (old == state)
    return;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[MISSIVE_SERVICE_SIGNAL_STATE_CHANGED], 0, old, state);
}

/* ---- for the other missive-service-*.c files --------------------------- */

MissiveServicePrivate *
missive_service_get_priv (MissiveService *self)
{
  return missive_service_get_instance_private (self);
}

guint
missive_service_get_signal_id (MissiveServiceSignal signal)
{
  return signals[signal];
}

void
missive_service_notify_transport (MissiveService *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

void
missive_service_notify_capabilities (MissiveService *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPABILITIES]);
}

/* Shuts the socket under @transport, if there is one, without sending
 * anything (no TLS close_notify, no logout). */
static void
shut_transport_without_io (MissiveTransport *transport)
{
  GIOStream *stream = missive_transport_get_stream (transport);
  g_autoptr(GIOStream) base = NULL;

  if (stream == NULL)
    return;
  if (G_IS_TLS_CONNECTION (stream))
    g_object_get (stream, "base-io-stream", &base, NULL);
  else
    base = g_object_ref (stream);
  if (G_IS_SOCKET_CONNECTION (base))
    g_socket_close (g_socket_connection_get_socket (G_SOCKET_CONNECTION (base)), NULL);
}

/* ---- GObject ------------------------------------------------------------ */

static void
missive_service_dispose (GObject *object)
{
  MissiveService *self = MISSIVE_SERVICE (object);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  if (priv->connection != NULL && missive_transport_is_open (priv->connection))
    shut_transport_without_io (priv->connection);
  missive_service_drop_connection (self);
  g_clear_object (&priv->transport);
  g_clear_object (&priv->tls_database);

  G_OBJECT_CLASS (missive_service_parent_class)->dispose (object);
}

static void
missive_service_finalize (GObject *object)
{
  MissiveService *self = MISSIVE_SERVICE (object);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  g_free (priv->scheme);
  g_free (priv->host);
  g_free (priv->username);
  clear_secret (&priv->password);
  clear_secret (&priv->oauth_token);
  g_free (priv->authzid);
  g_free (priv->auth_mechanism);
  g_free (priv->ca_file);
  g_strfreev (priv->capabilities);
  g_free (priv->sasl_mechanism_used);

  G_OBJECT_CLASS (missive_service_parent_class)->finalize (object);
}

static void
missive_service_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MissiveService *self = MISSIVE_SERVICE (object);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SCHEME:
      g_value_set_string (value, priv->scheme);
      break;
    case PROP_HOST:
      g_value_set_string (value, priv->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, priv->port);
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, priv->security);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, priv->username);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, priv->password);
      break;
    case PROP_OAUTH_TOKEN:
      g_value_set_string (value, priv->oauth_token);
      break;
    case PROP_AUTHZID:
      g_value_set_string (value, priv->authzid);
      break;
    case PROP_AUTH_MECHANISM:
      g_value_set_string (value, priv->auth_mechanism);
      break;
    case PROP_ALLOW_PLAINTEXT_AUTH:
      g_value_set_boolean (value, priv->allow_plaintext_auth);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, priv->timeout);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, priv->ca_file);
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, priv->tls_database);
      break;
    case PROP_TRANSPORT:
      g_value_set_object (value, missive_service_get_transport (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_CAPABILITIES:
      g_value_set_boxed (value, priv->capabilities);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_service_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MissiveService *self = MISSIVE_SERVICE (object);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SCHEME:
      priv->scheme = g_value_dup_string (value);
      break;
    case PROP_HOST:
      missive_service_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      missive_service_set_port (self, (guint16) g_value_get_uint (value));
      break;
    case PROP_SECURITY:
      missive_service_set_security (self, g_value_get_enum (value));
      break;
    case PROP_USERNAME:
      missive_service_set_username (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      missive_service_set_password (self, g_value_get_string (value));
      break;
    case PROP_OAUTH_TOKEN:
      missive_service_set_oauth_token (self, g_value_get_string (value));
      break;
    case PROP_AUTHZID:
      missive_service_set_authzid (self, g_value_get_string (value));
      break;
    case PROP_AUTH_MECHANISM:
      missive_service_set_auth_mechanism (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_PLAINTEXT_AUTH:
      missive_service_set_allow_plaintext_auth (self, g_value_get_boolean (value));
      break;
    case PROP_TIMEOUT:
      missive_service_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_CA_FILE:
      missive_service_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TLS_DATABASE:
      missive_service_set_tls_database (self, g_value_get_object (value));
      break;
    case PROP_TRANSPORT:
      missive_service_set_transport (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The first handler that returns a token wins. */
static gboolean
first_token_accumulator (GSignalInvocationHint *hint,
                         GValue                *return_accu,
                         const GValue          *handler_return,
                         gpointer               user_data)
{
  if (g_value_get_string (handler_return) == NULL)
    return TRUE;
  g_value_copy (handler_return, return_accu);
  return FALSE;
}

static void
missive_service_class_init (MissiveServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_service_dispose;
  object_class->finalize = missive_service_finalize;
  object_class->get_property = missive_service_get_property;
  object_class->set_property = missive_service_set_property;

  /**
   * MissiveService:scheme:
   *
   * The URI scheme the service was created for, e.g. "imaps" or
   * "submission". It also names the SASL service ("imap", "smtp", "pop").
   *
   * Since: 1.0
   */
  properties[PROP_SCHEME] =
    g_param_spec_string ("scheme", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:host:
   *
   * The host name or address of the server. It is also the name the
   * server's certificate must match.
   *
   * Since: 1.0
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:port:
   *
   * The TCP port of the server, or 0 for the protocol's default port for
   * the [property@Service:security] mode (e.g. 143 or 993 for IMAP).
   *
   * Since: 1.0
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:security:
   *
   * How the connection is protected. With %MISSIVE_SECURITY_STARTTLS (the
   * default), [method@Service.open] fails when the server does not offer
   * STARTTLS: it never goes on unprotected.
   *
   * Since: 1.0
   */
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       MISSIVE_TYPE_SECURITY, MISSIVE_SECURITY_STARTTLS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:username:
   *
   * The name to log in as. [method@Service.open] authenticates when a
   * username and password, an OAuth token or an
   * [property@Service:auth-mechanism] are set.
   *
   * Since: 1.0
   */
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:password:
   *
   * The password. It never appears in the `protocol-trace` signal.
   *
   * Since: 1.0
   */
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:oauth-token:
   *
   * An OAuth 2.0 bearer token, for the XOAUTH2 and OAUTHBEARER mechanisms.
   *
   * Since: 1.0
   */
  properties[PROP_OAUTH_TOKEN] =
    g_param_spec_string ("oauth-token", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:authzid:
   *
   * The identity to act as, when it differs from the one logged in as
   * (SASL authorization identity), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_AUTHZID] =
    g_param_spec_string ("authzid", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:auth-mechanism:
   *
   * The SASL mechanism to use, e.g. "SCRAM-SHA-256", or %NULL to choose
   * the strongest one available. A mechanism named here must be offered by
   * the server, else [method@Service.open] fails with
   * %MISSIVE_ERROR_MECHANISM_UNAVAILABLE.
   *
   * Since: 1.0
   */
  properties[PROP_AUTH_MECHANISM] =
    g_param_spec_string ("auth-mechanism", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:allow-plaintext-auth:
   *
   * Whether mechanisms that send the password readably (PLAIN, LOGIN, the
   * protocol's own login command) may be used over a connection that is
   * not protected by TLS.
   *
   * Since: 1.0
   */
  properties[PROP_ALLOW_PLAINTEXT_AUTH] =
    g_param_spec_boolean ("allow-plaintext-auth", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:timeout:
   *
   * How long, in seconds, connecting and each wait for the server may take,
   * or 0 for no limit. It applies to the transport the service creates;
   * a transport set with [property@Service:transport] keeps its own.
   *
   * Since: 1.0
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:ca-file:
   *
   * A PEM file of certificate authorities to trust instead of the system's,
   * or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:tls-database:
   *
   * The certificate database to verify the server against, or %NULL for
   * the default one.
   *
   * Since: 1.0
   */
  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:transport:
   *
   * The transport to talk to the server through. When none is set,
   * [method@Service.open] creates a [class@SocketTransport] from
   * [property@Service:host], [property@Service:port],
   * [property@Service:security], [property@Service:ca-file],
   * [property@Service:tls-database] and [property@Service:timeout]; reading
   * the property while connected then returns that transport.
   *
   * Since: 1.0
   */
  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL,
                         MISSIVE_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:state:
   *
   * Where the service is in its life cycle.
   *
   * Since: 1.0
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       MISSIVE_TYPE_SERVICE_STATE, MISSIVE_SERVICE_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /**
   * MissiveService:capabilities:
   *
   * What the server said it can do (IMAP CAPABILITY, SMTP EHLO keywords,
   * POP3 CAPA), or %NULL when not known.
   *
   * Since: 1.0
   */
  properties[PROP_CAPABILITIES] =
    g_param_spec_boxed ("capabilities", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveService::protocol-trace:
   * @self: the service
   * @direction: who sent the line
   * @line: the line, without its line end; passwords, tokens and SASL
   *   exchanges are replaced by `****`
   *
   * Emitted for every protocol line sent or received, and for notes from
   * Missive itself (connection, TLS). Connecting to it slows the service
   * down a little; nothing is formatted while no handler is connected.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_PROTOCOL_TRACE] =
    g_signal_new ("protocol-trace",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  MISSIVE_TYPE_TRACE_DIRECTION,
                  G_TYPE_STRING);

  /**
   * MissiveService::state-changed:
   * @self: the service
   * @old_state: the previous state
   * @new_state: the current state
   *
   * Emitted when [property@Service:state] changes.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  MISSIVE_TYPE_SERVICE_STATE,
                  MISSIVE_TYPE_SERVICE_STATE);

  /**
   * MissiveService::accept-certificate:
   * @self: the service
   * @certificate: the server's certificate
   * @errors: why it failed verification
   *
   * Emitted during the TLS handshake when the server's certificate does not
   * verify. Return %TRUE to accept it anyway (after asking the user, or
   * because it matches a certificate seen before). When no handler returns
   * %TRUE, the connection fails with %MISSIVE_ERROR_CERTIFICATE_REJECTED.
   *
   * Returns: %TRUE to accept the certificate
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_ACCEPT_CERTIFICATE] =
    g_signal_new ("accept-certificate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2,
                  G_TYPE_TLS_CERTIFICATE,
                  G_TYPE_TLS_CERTIFICATE_FLAGS);

  /**
   * MissiveService::tls-established:
   * @self: the service
   *
   * Emitted when the TLS handshake has completed, with implicit TLS or after
   * STARTTLS. The TLS facts can then be read from
   * [property@Service:transport].
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_TLS_ESTABLISHED] =
    g_signal_new ("tls-established",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * MissiveService::transfer-started:
   * @self: the service
   * @what: what is being transferred, e.g. "message" or "attachment"
   * @total: the size of the transfer in bytes, or 0 if unknown
   *
   * Emitted when a large transfer (a message being fetched or sent)
   * begins.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_TRANSFER_STARTED] =
    g_signal_new ("transfer-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING,
                  G_TYPE_UINT64);

  /**
   * MissiveService::transfer-progress:
   * @self: the service
   * @done: the bytes transferred so far
   * @total: the size of the transfer, or 0 if unknown
   *
   * Emitted as a transfer makes progress.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_TRANSFER_PROGRESS] =
    g_signal_new ("transfer-progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_UINT64,
                  G_TYPE_UINT64);

  /**
   * MissiveService::transfer-finished:
   * @self: the service
   * @total: the bytes transferred
   *
   * Emitted when a transfer announced by
   * [signal@Service::transfer-started] has ended.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_TRANSFER_FINISHED] =
    g_signal_new ("transfer-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_UINT64);

  /**
   * MissiveService::warning:
   * @self: the service
   * @error: what went wrong
   *
   * Emitted for a problem that does not stop the operation in progress,
   * e.g. a server that sent data it should not have, which was discarded.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_WARNING] =
    g_signal_new ("warning",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MissiveService::token-requested:
   * @self: the service
   *
   * Emitted each time the service is about to authenticate with a
   * mechanism that sends an OAuth 2.0 bearer token (XOAUTH2,
   * OAUTHBEARER), and once more when the server rejected the token (it
   * may have expired): the service then retries once with the new token,
   * if it differs. This is the one place where an application refreshes
   * its tokens. Handlers return a fresh token, or %NULL to keep
   * [property@Service:oauth-token] (the first non-%NULL answer wins).
   *
   * With a handler connected, token mechanisms are candidates even while
   * [property@Service:oauth-token] is unset.
   *
   * Returns: (transfer full) (nullable): the token to use, or %NULL
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_TOKEN_REQUESTED] =
    g_signal_new ("token-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, first_token_accumulator, NULL, NULL,
                  G_TYPE_STRING, 0);

  /**
   * MissiveService::prepare-sasl-mechanism:
   * @self: the service
   * @mechanism: the mechanism about to run
   *
   * Emitted before each SASL exchange, once the service has given
   * @mechanism its credentials (user name, password or token, authzid,
   * host, transport) and before the first step. Handlers may set what is
   * particular to one mechanism, e.g. the NTLM domain, workstation or
   * `allow-ntlmv1`; they must not start I/O.
   *
   * Since: 1.0
   */
  signals[MISSIVE_SERVICE_SIGNAL_PREPARE_SASL_MECHANISM] =
    g_signal_new ("prepare-sasl-mechanism",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MISSIVE_TYPE_SASL_MECHANISM);
}

static void
missive_service_init (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  priv->security = MISSIVE_SECURITY_STARTTLS;
  priv->timeout = DEFAULT_TIMEOUT;
  priv->state = MISSIVE_SERVICE_STATE_DISCONNECTED;
  priv->io_priority = G_PRIORITY_DEFAULT;
}

gboolean
missive_service_request_token (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  char *token = NULL;
  gboolean changed;

  g_signal_emit (self, signals[MISSIVE_SERVICE_SIGNAL_TOKEN_REQUESTED], 0, &token);
  if (token == NULL)
    return FALSE;
  changed = g_strcmp0 (token, priv->oauth_token) != 0;
  if (changed)
    missive_service_set_oauth_token (self, token);
  missive_sasl_wipe (token, strlen (token));
  g_free (token);
  return changed;
}

/* ---- state and capabilities --------------------------------------------- */

/**
 * missive_service_get_state:
 * @self: a service
 *
 * Gets where the service is in its life cycle.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
MissiveServiceState
missive_service_get_state (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), MISSIVE_SERVICE_STATE_DISCONNECTED);

  priv = missive_service_get_instance_private (self);
  return priv->state;
}

/**
 * missive_service_get_capabilities:
 * @self: a service
 *
 * Gets what the server said it can do, as the protocol plugin recorded it
 * (e.g. "IMAP4rev1", "IDLE", "AUTH=PLAIN" in IMAP; "PIPELINING",
 * "SIZE 35882577" in SMTP).
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   capabilities, or %NULL when not known
 *
 * Since: 1.0
 */
const char * const *
missive_service_get_capabilities (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return (const char * const *) priv->capabilities;
}

/**
 * missive_service_has_capability:
 * @self: a service
 * @capability: a capability name, e.g. "IDLE" or "STARTTLS"
 *
 * Whether the server announced @capability. Names compare without regard
 * to ASCII case, and a capability that carries parameters after a space
 * ("SIZE 35882577") matches its bare name ("SIZE").
 *
 * Returns: %TRUE if the server has the capability
 *
 * Since: 1.0
 */
gboolean
missive_service_has_capability (MissiveService *self,
                                const char     *capability)
{
  MissiveServicePrivate *priv;
  gsize len;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  priv = missive_service_get_instance_private (self);
  if (priv->capabilities == NULL)
    return FALSE;

  len = strlen (capability);
  for (guint i = 0; priv->capabilities[i] != NULL; i++)
    {
      const char *cap = priv->capabilities[i];

      if (g_ascii_strncasecmp (cap, capability, len) == 0 &&
          (cap[len] == '\0' || cap[len] == ' '))
        return TRUE;
    }
  return FALSE;
}

/**
 * missive_service_get_sasl_mechanism_used:
 * @self: a service
 *
 * Gets the SASL mechanism the last successful authentication used.
 *
 * Returns: (nullable): the mechanism's name, or %NULL when the service has
 *   not authenticated with SASL (no credentials, or the protocol's own
 *   login command was used)
 *
 * Since: 1.0
 */
const char *
missive_service_get_sasl_mechanism_used (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return priv->sasl_mechanism_used;
}

/**
 * missive_service_get_transport:
 * @self: a service
 *
 * Gets the transport: the one in use while connected (which the service
 * may have created itself), else the one set with
 * [method@Service.set_transport].
 *
 * Returns: (transfer none) (nullable): the transport
 *
 * Since: 1.0
 */
MissiveTransport *
missive_service_get_transport (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return priv->connection != NULL ? priv->connection : priv->transport;
}

/**
 * missive_service_set_transport:
 * @self: a service
 * @transport: (nullable): a transport, or %NULL to let the service create one
 *
 * Sets the transport to use from the next [method@Service.open] on, e.g. a
 * [class@CommandTransport] or a [class@StreamTransport]. With a transport
 * set, [property@Service:host], [property@Service:port],
 * [property@Service:ca-file], [property@Service:tls-database] and
 * [property@Service:timeout] are not used for connecting.
 *
 * Since: 1.0
 */
void
missive_service_set_transport (MissiveService   *self,
                               MissiveTransport *transport)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (transport == NULL || MISSIVE_IS_TRANSPORT (transport));

  priv = missive_service_get_instance_private (self);
  if (g_set_object (&priv->transport, transport))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

/* ---- settings ----------------------------------------------------------- */

/**
 * missive_service_get_scheme:
 * @self: a service
 *
 * Gets the URI scheme the service was created for.
 *
 * Returns: (nullable): the scheme, e.g. "imaps"
 *
 * Since: 1.0
 */
const char *
missive_service_get_scheme (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return priv->scheme;
}

#define DEFINE_STRING_SETTING(name, PROP, secret)                              \
const char *                                                                   \
missive_service_get_##name (MissiveService *self)                              \
{                                                                              \
  MissiveServicePrivate *priv;                                                 \
                                                                               \
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);                      \
                                                                               \
  priv = missive_service_get_instance_private (self);                          \
  return priv->name;                                                           \
}                                                                              \
                                                                               \
void                                                                           \
missive_service_set_##name (MissiveService *self,                              \
                            const char     *value)                             \
{                                                                              \
  MissiveServicePrivate *priv;                                                 \
                                                                               \
  g_return_if_fail (MISSIVE_IS_SERVICE (self));                                \
                                                                               \
  priv = missive_service_get_instance_private (self);                          \
  if (set_string (&priv->name, value, secret))                                 \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);              \
}

/**
 * missive_service_get_host:
 * @self: a service
 *
 * Gets [property@Service:host].
 *
 * Returns: (nullable): the server's host name
 *
 * Since: 1.0
 */
/**
 * missive_service_set_host:
 * @self: a service
 * @host: (nullable): the server's host name or address
 *
 * Sets [property@Service:host].
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (host, PROP_HOST, FALSE)

/**
 * missive_service_get_username:
 * @self: a service
 *
 * Gets [property@Service:username].
 *
 * Returns: (nullable): the name to log in as
 *
 * Since: 1.0
 */
/**
 * missive_service_set_username:
 * @self: a service
 * @username: (nullable): the name to log in as
 *
 * Sets [property@Service:username].
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (username, PROP_USERNAME, FALSE)

/**
 * missive_service_get_password:
 * @self: a service
 *
 * Gets [property@Service:password].
 *
 * Returns: (nullable): the password
 *
 * Since: 1.0
 */
/**
 * missive_service_set_password:
 * @self: a service
 * @password: (nullable): the password
 *
 * Sets [property@Service:password]. The previous one is wiped from memory.
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (password, PROP_PASSWORD, TRUE)

/**
 * missive_service_get_oauth_token:
 * @self: a service
 *
 * Gets [property@Service:oauth-token].
 *
 * Returns: (nullable): the OAuth 2.0 bearer token
 *
 * Since: 1.0
 */
/**
 * missive_service_set_oauth_token:
 * @self: a service
 * @token: (nullable): an OAuth 2.0 bearer token
 *
 * Sets [property@Service:oauth-token]. The previous one is wiped from
 * memory.
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (oauth_token, PROP_OAUTH_TOKEN, TRUE)

/**
 * missive_service_get_authzid:
 * @self: a service
 *
 * Gets [property@Service:authzid].
 *
 * Returns: (nullable): the authorization identity
 *
 * Since: 1.0
 */
/**
 * missive_service_set_authzid:
 * @self: a service
 * @authzid: (nullable): the identity to act as
 *
 * Sets [property@Service:authzid].
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (authzid, PROP_AUTHZID, FALSE)

/**
 * missive_service_get_auth_mechanism:
 * @self: a service
 *
 * Gets [property@Service:auth-mechanism].
 *
 * Returns: (nullable): the SASL mechanism to use, or %NULL to choose
 *
 * Since: 1.0
 */
/**
 * missive_service_set_auth_mechanism:
 * @self: a service
 * @mechanism: (nullable): a SASL mechanism name, or %NULL to choose
 *
 * Sets [property@Service:auth-mechanism].
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (auth_mechanism, PROP_AUTH_MECHANISM, FALSE)

/**
 * missive_service_get_ca_file:
 * @self: a service
 *
 * Gets [property@Service:ca-file].
 *
 * Returns: (nullable) (type filename): the certificate authorities file
 *
 * Since: 1.0
 */
/**
 * missive_service_set_ca_file:
 * @self: a service
 * @ca_file: (nullable) (type filename): a PEM file of certificate authorities
 *
 * Sets [property@Service:ca-file].
 *
 * Since: 1.0
 */
DEFINE_STRING_SETTING (ca_file, PROP_CA_FILE, FALSE)

#undef DEFINE_STRING_SETTING

/**
 * missive_service_get_port:
 * @self: a service
 *
 * Gets [property@Service:port].
 *
 * Returns: the port, or 0 for the protocol's default
 *
 * Since: 1.0
 */
guint16
missive_service_get_port (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), 0);

  priv = missive_service_get_instance_private (self);
  return priv->port;
}

/**
 * missive_service_set_port:
 * @self: a service
 * @port: a TCP port, or 0 for the protocol's default
 *
 * Sets [property@Service:port].
 *
 * Since: 1.0
 */
void
missive_service_set_port (MissiveService *self,
                          guint16         port)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_instance_private (self);
  if (priv->port == port)
    return;
  priv->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

/**
 * missive_service_get_security:
 * @self: a service
 *
 * Gets [property@Service:security].
 *
 * Returns: how the connection is protected
 *
 * Since: 1.0
 */
MissiveSecurity
missive_service_get_security (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), MISSIVE_SECURITY_STARTTLS);

  priv = missive_service_get_instance_private (self);
  return priv->security;
}

/**
 * missive_service_set_security:
 * @self: a service
 * @security: how to protect the connection
 *
 * Sets [property@Service:security].
 *
 * Since: 1.0
 */
void
missive_service_set_security (MissiveService  *self,
                              MissiveSecurity  security)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (security <= MISSIVE_SECURITY_TLS);

  priv = missive_service_get_instance_private (self);
  if (priv->security == security)
    return;
  priv->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

/**
 * missive_service_get_allow_plaintext_auth:
 * @self: a service
 *
 * Gets [property@Service:allow-plaintext-auth].
 *
 * Returns: whether plaintext authentication over an unprotected
 *   connection is allowed
 *
 * Since: 1.0
 */
gboolean
missive_service_get_allow_plaintext_auth (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  priv = missive_service_get_instance_private (self);
  return priv->allow_plaintext_auth;
}

/**
 * missive_service_set_allow_plaintext_auth:
 * @self: a service
 * @allow: whether to allow plaintext authentication without TLS
 *
 * Sets [property@Service:allow-plaintext-auth].
 *
 * Since: 1.0
 */
void
missive_service_set_allow_plaintext_auth (MissiveService *self,
                                          gboolean        allow)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_instance_private (self);
  allow = !!allow;
  if (priv->allow_plaintext_auth == allow)
    return;
  priv->allow_plaintext_auth = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PLAINTEXT_AUTH]);
}

/**
 * missive_service_get_timeout:
 * @self: a service
 *
 * Gets [property@Service:timeout].
 *
 * Returns: the time limit in seconds, or 0 for none
 *
 * Since: 1.0
 */
guint
missive_service_get_timeout (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), 0);

  priv = missive_service_get_instance_private (self);
  return priv->timeout;
}

/**
 * missive_service_set_timeout:
 * @self: a service
 * @seconds: the time limit in seconds, or 0 for none
 *
 * Sets [property@Service:timeout]. It applies from the next
 * [method@Service.open] on.
 *
 * Since: 1.0
 */
void
missive_service_set_timeout (MissiveService *self,
                             guint           seconds)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_instance_private (self);
  if (priv->timeout == seconds)
    return;
  priv->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * missive_service_get_tls_database:
 * @self: a service
 *
 * Gets [property@Service:tls-database].
 *
 * Returns: (transfer none) (nullable): the certificate database
 *
 * Since: 1.0
 */
GTlsDatabase *
missive_service_get_tls_database (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return priv->tls_database;
}

/**
 * missive_service_set_tls_database:
 * @self: a service
 * @database: (nullable): a certificate database, or %NULL for the default
 *
 * Sets [property@Service:tls-database].
 *
 * Since: 1.0
 */
void
missive_service_set_tls_database (MissiveService *self,
                                  GTlsDatabase   *database)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  priv = missive_service_get_instance_private (self);
  if (g_set_object (&priv->tls_database, database))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_DATABASE]);
}
