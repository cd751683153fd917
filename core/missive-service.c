/* missive-service.c: one connection to one mail server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-service-private.h"
#include "missive-sasl-driver-private.h"

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
#define LOGOUT_TIMEOUT 10

typedef struct
{
  /* Settings */
  char *scheme;
  char *host;
  guint16 port;
  MissiveSecurity security;
  char *username;
  char *password;
  char *oauth_token;
  char *authzid;
  char *auth_mechanism;
  gboolean allow_plaintext_auth;
  guint timeout;
  char *ca_file;
  GTlsDatabase *tls_database;
  MissiveTransport *transport;

  /* State */
  MissiveServiceState state;
  char **capabilities;
  char *sasl_mechanism_used;
  gboolean preauthenticated;
  int io_priority;

  /* The connection in use: the application's transport or our own */
  MissiveTransport *connection;
  gulong accept_certificate_id;
  gulong tls_established_id;
  MissiveReader *reader;
  GOutputStream *output;
} MissiveServicePrivate;

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

enum {
  PROTOCOL_TRACE,
  STATE_CHANGED,
  ACCEPT_CERTIFICATE,
  TLS_ESTABLISHED,
  TRANSFER_STARTED,
  TRANSFER_PROGRESS,
  TRANSFER_FINISHED,
  WARNING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MissiveService, missive_service, G_TYPE_OBJECT)

/* ---- small helpers ------------------------------------------------------ */

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      volatile char *p = (volatile char *) *secret;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (secret, g_free);
    }
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

gboolean
missive_string_has_line_break (const char *string)
{
  return string != NULL && strpbrk (string, "\r\n") != NULL;
}

static void
set_state (MissiveService      *self,
           MissiveServiceState  state)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  MissiveServiceState old = priv->state;

  if (old == state)
    return;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[STATE_CHANGED], 0, old, state);
}

static gboolean
on_accept_certificate (MissiveTransport     *transport,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  MissiveService *self = user_data;
  gboolean accept = FALSE;

  g_signal_emit (self, signals[ACCEPT_CERTIFICATE], 0, certificate, errors, &accept);
  return accept;
}

static void
on_tls_established (MissiveTransport *transport,
                    gpointer          user_data)
{
  MissiveService *self = user_data;

  if (missive_service_is_tracing (self))
    {
      g_autofree char *suite = missive_transport_get_tls_ciphersuite (transport);
      g_autofree char *note = g_strdup_printf ("TLS established (%s)",
                                               suite != NULL ? suite : "unknown cipher suite");

      missive_service_trace (self, MISSIVE_TRACE_INFO, note, -1, FALSE);
    }
  g_signal_emit (self, signals[TLS_ESTABLISHED], 0);
}

static void
on_reader_progress (MissiveReader *reader,
                    guint64        done,
                    guint64        total,
                    gpointer       user_data)
{
  missive_service_emit_transfer_progress (MISSIVE_SERVICE (user_data), done, total);
}

static guint16
effective_port (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (self);

  if (priv->port != 0)
    return priv->port;
  if (klass->get_default_port != NULL)
    return klass->get_default_port (self, priv->security);
  return 0;
}

/* Sets up priv->connection for a new connection. */
static gboolean
prepare_connection (MissiveService  *self,
                    GError         **error)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  g_assert (priv->connection == NULL);

  if (priv->transport != NULL)
    {
      priv->connection = g_object_ref (priv->transport);
    }
  else
    {
      MissiveSocketTransport *sock;
      guint16 port;

      if (priv->host == NULL || priv->host[0] == '\0')
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No host to connect to");
          return FALSE;
        }
      port = effective_port (self);
      if (port == 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No port to connect to");
          return FALSE;
        }

      sock = missive_socket_transport_new (priv->host, port, priv->security);
      missive_socket_transport_set_connect_timeout (sock, priv->timeout);
      missive_socket_transport_set_timeout (sock, priv->timeout);
      if (priv->ca_file != NULL)
        missive_socket_transport_set_ca_file (sock, priv->ca_file);
      if (priv->tls_database != NULL)
        missive_socket_transport_set_tls_database (sock, priv->tls_database);
      priv->connection = MISSIVE_TRANSPORT (sock);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
    }

  priv->accept_certificate_id =
    g_signal_connect_object (priv->connection, "accept-certificate",
                             G_CALLBACK (on_accept_certificate), self, 0);
  priv->tls_established_id =
    g_signal_connect_object (priv->connection, "tls-established",
                             G_CALLBACK (on_tls_established), self, 0);
  return TRUE;
}

/* Forgets the connection without any I/O. */
static void
drop_connection (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  gboolean ours;

  g_clear_object (&priv->reader);
  g_clear_object (&priv->output);
  if (priv->connection == NULL)
    return;

  g_clear_signal_handler (&priv->accept_certificate_id, priv->connection);
  g_clear_signal_handler (&priv->tls_established_id, priv->connection);
  ours = priv->connection != priv->transport;
  g_clear_object (&priv->connection);
  if (ours)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
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

/* ---- closing the connection after a failure or a logout ------------------ */

typedef struct
{
  GTask *task;
  GError *error;
} TeardownData;

static void
teardown_finish (TeardownData *data)
{
  MissiveService *self = g_task_get_source_object (data->task);

  drop_connection (self);
  set_state (self, MISSIVE_SERVICE_STATE_DISCONNECTED);
  if (data->error != NULL)
    g_task_return_error (data->task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (data->task, TRUE);
  g_object_unref (data->task);
  g_free (data);
}

static void
teardown_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  /* The connection is going away whatever happens: ignore close errors. */
  missive_transport_close_finish (MISSIVE_TRANSPORT (source), result, NULL);
  teardown_finish (user_data);
}

/* Closes the connection (no logout: the server is not waited for), goes to
 * DISCONNECTED, then finishes @task (transfer full) with @error (transfer
 * full) or with TRUE. */
static void
teardown_connection (MissiveService *self,
                     GTask          *task,
                     GError         *error)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  TeardownData *data = g_new0 (TeardownData, 1);

  data->task = task;
  data->error = error;

  /* No more I/O through the old streams from here on. */
  g_clear_object (&priv->reader);
  g_clear_object (&priv->output);

  if (priv->connection != NULL && missive_transport_is_open (priv->connection))
    missive_transport_close_async (priv->connection, g_task_get_priority (task),
                                   NULL, teardown_closed_cb, data);
  else
    teardown_finish (data);
}

gboolean
missive_service_error_is_fatal (const GError *error)
{
  if (error == NULL || error->domain != MISSIVE_ERROR)
    return FALSE;

  switch (error->code)
    {
    case MISSIVE_ERROR_CONNECTION_LOST:
    case MISSIVE_ERROR_TIMED_OUT:
    case MISSIVE_ERROR_TLS_FAILED:
    case MISSIVE_ERROR_LINE_TOO_LONG:
    case MISSIVE_ERROR_LITERAL_TOO_LARGE:
    case MISSIVE_ERROR_PROTOCOL:
      return TRUE;
    default:
      return FALSE;
    }
}

void
missive_service_return_error (MissiveService *self,
                              GTask          *task,
                              GError         *error)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  GError *mapped = missive_error_from_io_error (error);

  g_error_free (error);

  if (missive_service_error_is_fatal (mapped) &&
      priv->connection != NULL &&
      (priv->state == MISSIVE_SERVICE_STATE_CONNECTED ||
       priv->state == MISSIVE_SERVICE_STATE_AUTHENTICATED))
    {
      teardown_connection (self, task, mapped);
      return;
    }

  g_task_return_error (task, mapped);
  g_object_unref (task);
}

gboolean
missive_service_check_ready (MissiveService  *self,
                             gboolean         need_authenticated,
                             GError         **error)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  switch (priv->state)
    {
    case MISSIVE_SERVICE_STATE_AUTHENTICATED:
      return TRUE;
    case MISSIVE_SERVICE_STATE_CONNECTED:
      if (!need_authenticated)
        return TRUE;
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "Not logged in");
      return FALSE;
    case MISSIVE_SERVICE_STATE_DISCONNECTED:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "Not connected");
      return FALSE;
    case MISSIVE_SERVICE_STATE_CONNECTING:
    case MISSIVE_SERVICE_STATE_AUTHENTICATING:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "The connection is still being opened");
      return FALSE;
    case MISSIVE_SERVICE_STATE_CLOSING:
    default:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "The connection is being closed");
      return FALSE;
    }
}

void
missive_service_begin_operation (MissiveService *self,
                                 int             io_priority)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  priv->io_priority = io_priority;
}

/* ---- GObject ------------------------------------------------------------ */

static void
missive_service_dispose (GObject *object)
{
  MissiveService *self = MISSIVE_SERVICE (object);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  if (priv->connection != NULL && missive_transport_is_open (priv->connection))
    shut_transport_without_io (priv->connection);
  drop_connection (self);
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
  signals[PROTOCOL_TRACE] =
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
  signals[STATE_CHANGED] =
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
  signals[ACCEPT_CERTIFICATE] =
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
  signals[TLS_ESTABLISHED] =
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
  signals[TRANSFER_STARTED] =
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
  signals[TRANSFER_PROGRESS] =
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
  signals[TRANSFER_FINISHED] =
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
  signals[WARNING] =
    g_signal_new ("warning",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
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

/* ---- open --------------------------------------------------------------- */

typedef enum {
  OPEN_STAGE_TRANSPORT,
  OPEN_STAGE_GREETING,
  OPEN_STAGE_CAPABILITIES,
  OPEN_STAGE_STARTTLS,
  OPEN_STAGE_TLS_UPGRADE,
  OPEN_STAGE_TLS_CAPABILITIES,
  OPEN_STAGE_AUTHENTICATE,
  OPEN_STAGE_AUTH_CAPABILITIES,
  OPEN_STAGE_DONE,
} OpenStage;

typedef struct
{
  OpenStage stage;
} OpenData;

static void open_run_stage (GTask *task);

static void
open_fail (GTask  *task,
           GError *error)
{
  MissiveService *self = g_task_get_source_object (task);

  teardown_connection (self, task, missive_error_from_io_error (error));
  g_error_free (error);
}

static gboolean
has_credentials (MissiveService *self)
{
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);

  return (priv->username != NULL && priv->password != NULL) ||
         priv->oauth_token != NULL ||
         priv->auth_mechanism != NULL;
}

static void
open_stage_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = g_task_get_source_object (task);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (self);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  OpenData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (data->stage)
    {
    case OPEN_STAGE_TRANSPORT:
      ok = missive_transport_open_finish (MISSIVE_TRANSPORT (source), result, &error);
      break;
    case OPEN_STAGE_GREETING:
      ok = klass->greet_finish (self, result, &error);
      break;
    case OPEN_STAGE_CAPABILITIES:
    case OPEN_STAGE_TLS_CAPABILITIES:
    case OPEN_STAGE_AUTH_CAPABILITIES:
      ok = klass->refresh_capabilities_finish (self, result, &error);
      break;
    case OPEN_STAGE_STARTTLS:
      ok = klass->starttls_finish (self, result, &error);
      break;
    case OPEN_STAGE_TLS_UPGRADE:
      ok = missive_transport_start_tls_finish (MISSIVE_TRANSPORT (source), result, &error);
      break;
    case OPEN_STAGE_AUTHENTICATE:
      {
        g_autofree char *used = NULL;

        ok = missive_sasl_driver_authenticate_finish (self, result, &used, &error);
        if (ok)
          {
            g_free (priv->sasl_mechanism_used);
            priv->sasl_mechanism_used = g_steal_pointer (&used);
          }
      }
      break;
    case OPEN_STAGE_DONE:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                     "The protocol plugin failed without saying why");
      open_fail (task, error);
      return;
    }

  /* Stage-specific follow-ups. */
  if (data->stage == OPEN_STAGE_TRANSPORT)
    {
      GIOStream *stream = missive_transport_get_stream (priv->connection);

      if (stream == NULL)
        {
          open_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                                "The transport opened without a stream"));
          return;
        }
      priv->reader = missive_reader_new (g_io_stream_get_input_stream (stream));
      missive_reader_set_progress_func (priv->reader, on_reader_progress, self, NULL);
      priv->output = g_object_ref (g_io_stream_get_output_stream (stream));

      if (missive_service_is_tracing (self))
        {
          g_autofree char *note = NULL;

          if (priv->transport == NULL)
            note = g_strdup_printf ("Connected to %s port %u", priv->host,
                                    effective_port (self));
          else
            note = g_strdup_printf ("Connected through %s",
                                    G_OBJECT_TYPE_NAME (priv->connection));
          missive_service_trace (self, MISSIVE_TRACE_INFO, note, -1, FALSE);
        }

      if (priv->security == MISSIVE_SECURITY_TLS &&
          !missive_transport_is_tls (priv->connection))
        {
          open_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_TLS_FAILED,
                                                "TLS was required but the transport is not protected"));
          return;
        }
    }
  else if (data->stage == OPEN_STAGE_TLS_UPGRADE)
    {
      GIOStream *stream = missive_transport_get_stream (priv->connection);
      gsize discarded;

      if (stream == NULL)
        {
          open_fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                                "The transport lost its stream during STARTTLS"));
          return;
        }
      /* Whatever the server sent in clear after its go-ahead is dropped:
       * only what arrives through TLS is ever read as protected. */
      discarded = missive_reader_replace_stream (priv->reader,
                                                 g_io_stream_get_input_stream (stream));
      g_set_object (&priv->output, g_io_stream_get_output_stream (stream));
      if (discarded > 0)
        {
          g_autoptr(GError) warning =
            g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                         "Server sent %" G_GSIZE_FORMAT " bytes after the STARTTLS go-ahead; discarded",
                         discarded);

          missive_service_emit_warning (self, warning);
        }
      /* The capabilities from before TLS could have been tampered with. */
      missive_service_set_capabilities (self, NULL);
    }

  data->stage++;
  open_run_stage (task);
}

static void
open_run_stage (GTask *task)
{
  MissiveService *self = g_task_get_source_object (task);
  MissiveServiceClass *klass = MISSIVE_SERVICE_GET_CLASS (self);
  MissiveServicePrivate *priv = missive_service_get_instance_private (self);
  GCancellable *cancellable = g_task_get_cancellable (task);
  int io_priority = g_task_get_priority (task);
  OpenData *data = g_task_get_task_data (task);

  for (;;)
    {
      /* Each stage below either starts an asynchronous step (and returns)
       * or is skipped (and the loop goes on with the next one). */
      priv->io_priority = io_priority;

      switch (data->stage)
        {
        case OPEN_STAGE_TRANSPORT:
          missive_transport_open_async (priv->connection, io_priority, cancellable,
                                        open_stage_cb, task);
          return;

        case OPEN_STAGE_GREETING:
          if (klass->greet_async == NULL)
            break;
          klass->greet_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_CAPABILITIES:
        case OPEN_STAGE_TLS_CAPABILITIES:
          if (klass->refresh_capabilities_async == NULL)
            break;
          klass->refresh_capabilities_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_STARTTLS:
          if (priv->security != MISSIVE_SECURITY_STARTTLS ||
              missive_transport_is_tls (priv->connection))
            {
              /* No upgrade: skip straight past the TLS stages. */
              data->stage = OPEN_STAGE_TLS_CAPABILITIES;
              break;
            }
          if (klass->starttls_async == NULL)
            {
              open_fail (task, g_error_new_literal (MISSIVE_ERROR,
                                                    MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                                                    "STARTTLS was required but the protocol has no such command"));
              return;
            }
          klass->starttls_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_TLS_UPGRADE:
          missive_transport_start_tls_async (priv->connection, io_priority, cancellable,
                                             open_stage_cb, task);
          return;

        case OPEN_STAGE_AUTHENTICATE:
          if (priv->preauthenticated)
            {
              set_state (self, MISSIVE_SERVICE_STATE_AUTHENTICATED);
              data->stage = OPEN_STAGE_DONE;
              continue;
            }
          set_state (self, MISSIVE_SERVICE_STATE_CONNECTED);
          if (!has_credentials (self))
            {
              data->stage = OPEN_STAGE_DONE;
              continue;
            }
          set_state (self, MISSIVE_SERVICE_STATE_AUTHENTICATING);
          missive_sasl_driver_authenticate_async (self, io_priority, cancellable,
                                                  open_stage_cb, task);
          return;

        case OPEN_STAGE_AUTH_CAPABILITIES:
          /* The plugin forgets the capabilities when logging in changed
           * them. */
          if (priv->capabilities != NULL || klass->refresh_capabilities_async == NULL)
            break;
          klass->refresh_capabilities_async (self, cancellable, open_stage_cb, task);
          return;

        case OPEN_STAGE_DONE:
          if (priv->state == MISSIVE_SERVICE_STATE_AUTHENTICATING)
            set_state (self, MISSIVE_SERVICE_STATE_AUTHENTICATED);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;

        default:
          g_assert_not_reached ();
        }

      data->stage++;
    }
}

/**
 * missive_service_open_async:
 * @self: a service
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the service is open
 * @user_data: data for @callback
 *
 * Connects to the server, reads its greeting and capabilities, negotiates
 * TLS as [property@Service:security] asks, and authenticates when
 * credentials are set (a username and password, an OAuth token, or an
 * explicit [property@Service:auth-mechanism]). On success the service is
 * %MISSIVE_SERVICE_STATE_AUTHENTICATED, or %MISSIVE_SERVICE_STATE_CONNECTED
 * when no credentials were given.
 *
 * The service must be %MISSIVE_SERVICE_STATE_DISCONNECTED. On failure the
 * connection is closed and the service is disconnected again, ready for
 * another attempt.
 *
 * Since: 1.0
 */
void
missive_service_open_async (MissiveService      *self,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveServicePrivate *priv;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  OpenData *data;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_instance_private (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_open_async);
  g_task_set_priority (task, io_priority);
  /* A cancellation racing with success must not report failure for a
   * service that is in fact open. */
  g_task_set_check_cancellable (task, FALSE);

  if (priv->state != MISSIVE_SERVICE_STATE_DISCONNECTED)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The service is already open or busy");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!prepare_connection (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (OpenData, 1);
  data->stage = OPEN_STAGE_TRANSPORT;
  g_task_set_task_data (task, data, g_free);

  g_clear_pointer (&priv->sasl_mechanism_used, g_free);
  priv->preauthenticated = FALSE;
  missive_service_set_capabilities (self, NULL);
  set_state (self, MISSIVE_SERVICE_STATE_CONNECTING);

  open_run_stage (g_steal_pointer (&task));
}

/**
 * missive_service_open_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.open_async].
 *
 * Returns: %TRUE when the service is open
 *
 * Since: 1.0
 */
gboolean
missive_service_open_finish (MissiveService  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_open (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_service_open_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_service_open:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the service, blocking until done. See
 * [method@Service.open_async].
 *
 * Returns: %TRUE when the service is open
 *
 * Since: 1.0
 */
gboolean
missive_service_open (MissiveService  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  result = missive_run_sync (self, start_open, NULL, cancellable);
  return missive_service_open_finish (self, result, error);
}

/* ---- close -------------------------------------------------------------- */

typedef struct
{
  GCancellable *logout_cancellable;
  GCancellable *cancellable;
  gulong cancelled_id;
  GSource *timeout_source;
} CloseData;

static void
close_data_free (CloseData *data)
{
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancelled_id);
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_source_unref (data->timeout_source);
    }
  g_clear_object (&data->cancellable);
  g_clear_object (&data->logout_cancellable);
  g_free (data);
}

static void
on_close_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_logout_timeout (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
close_logout_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = MISSIVE_SERVICE (source);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  /* A failed logout still ends in a closed connection: only the caller's
   * own cancellation is reported. */
  MISSIVE_SERVICE_GET_CLASS (self)->logout_finish (self, result, NULL);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "Operation was cancelled");
  teardown_connection (self, task, error);
}

/**
 * missive_service_close_async:
 * @self: a service
 * @io_priority: the I/O priority of the requests
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the service is closed
 * @user_data: data for @callback
 *
 * Logs out (LOGOUT, QUIT) and closes the connection. The logout is given a
 * few seconds at most; whatever the server answers, the connection is
 * closed and the service ends %MISSIVE_SERVICE_STATE_DISCONNECTED, even when
 * the operation is cancelled. Closing a disconnected service succeeds at
 * once.
 *
 * Since: 1.0
 */
void
missive_service_close_async (MissiveService      *self,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MissiveServicePrivate *priv;
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  CloseData *data;
  guint limit;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_instance_private (self);
  klass = MISSIVE_SERVICE_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_close_async);
  g_task_set_priority (task, io_priority);
  g_task_set_check_cancellable (task, FALSE);

  switch (priv->state)
    {
    case MISSIVE_SERVICE_STATE_DISCONNECTED:
      g_task_return_boolean (task, TRUE);
      return;
    case MISSIVE_SERVICE_STATE_CONNECTING:
    case MISSIVE_SERVICE_STATE_AUTHENTICATING:
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The service is being opened; cancel the open instead");
      return;
    case MISSIVE_SERVICE_STATE_CLOSING:
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The service is already being closed");
      return;
    case MISSIVE_SERVICE_STATE_CONNECTED:
    case MISSIVE_SERVICE_STATE_AUTHENTICATED:
    default:
      break;
    }

  set_state (self, MISSIVE_SERVICE_STATE_CLOSING);
  priv->io_priority = io_priority;

  if (klass->logout_async == NULL || priv->output == NULL ||
      (cancellable != NULL && g_cancellable_is_cancelled (cancellable)))
    {
      GError *error = NULL;

      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "Operation was cancelled");
      teardown_connection (self, g_steal_pointer (&task), error);
      return;
    }

  /* The logout runs under its own cancellable, cancelled by the caller's
   * and by a time limit. */
  data = g_new0 (CloseData, 1);
  data->logout_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_close_cancelled),
                                                  data->logout_cancellable, NULL);
    }
  limit = LOGOUT_TIMEOUT;
  if (priv->timeout != 0 && priv->timeout < limit)
    limit = priv->timeout;
  data->timeout_source = g_timeout_source_new_seconds (limit);
  g_source_set_callback (data->timeout_source, on_logout_timeout,
                         g_object_ref (data->logout_cancellable), g_object_unref);
  g_source_set_static_name (data->timeout_source, "[missive] logout time limit");
  g_source_attach (data->timeout_source, g_task_get_context (task));
  g_task_set_task_data (task, data, (GDestroyNotify) close_data_free);

  klass->logout_async (self, data->logout_cancellable, close_logout_cb,
                       g_steal_pointer (&task));
}

/**
 * missive_service_close_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.close_async]. The service is disconnected
 * whatever this returns.
 *
 * Returns: %TRUE unless the close was cancelled or not allowed
 *
 * Since: 1.0
 */
gboolean
missive_service_close_finish (MissiveService  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_close (gpointer             source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             start_data)
{
  missive_service_close_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_service_close:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Logs out and closes the connection, blocking until done. See
 * [method@Service.close_async].
 *
 * Returns: %TRUE unless the close was cancelled or not allowed
 *
 * Since: 1.0
 */
gboolean
missive_service_close (MissiveService  *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  result = missive_run_sync (self, start_close, NULL, cancellable);
  return missive_service_close_finish (self, result, error);
}

/* ---- noop --------------------------------------------------------------- */

static void
noop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = MISSIVE_SERVICE (source);
  GError *error = NULL;

  if (!MISSIVE_SERVICE_GET_CLASS (self)->noop_finish (self, result, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                     "The protocol plugin failed without saying why");
      missive_service_return_error (self, task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_service_noop_async:
 * @self: a service
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Sends the protocol's no-op command (NOOP), which keeps the connection
 * alive and lets the server report news (e.g. new mail in IMAP). The
 * service must be connected.
 *
 * Since: 1.0
 */
void
missive_service_noop_async (MissiveService      *self,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SERVICE_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_noop_async);
  g_task_set_priority (task, io_priority);

  if (!missive_service_check_ready (self, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->noop_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s has no no-op command", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (self, io_priority);
  klass->noop_async (self, cancellable, noop_cb, g_steal_pointer (&task));
}

/**
 * missive_service_noop_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.noop_async].
 *
 * Returns: %TRUE when the server answered
 *
 * Since: 1.0
 */
gboolean
missive_service_noop_finish (MissiveService  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_noop (gpointer             source,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             start_data)
{
  missive_service_noop_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_service_noop:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends the protocol's no-op command, blocking until the server answers.
 * See [method@Service.noop_async].
 *
 * Returns: %TRUE when the server answered
 *
 * Since: 1.0
 */
gboolean
missive_service_noop (MissiveService  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  result = missive_run_sync (self, start_noop, NULL, cancellable);
  return missive_service_noop_finish (self, result, error);
}

/* ---- send_command ------------------------------------------------------- */

static void
send_command_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *self = MISSIVE_SERVICE (source);
  MissiveReply *reply;
  GError *error = NULL;

  reply = MISSIVE_SERVICE_GET_CLASS (self)->send_command_finish (self, result, &error);
  if (reply == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                     "The protocol plugin failed without saying why");
      missive_service_return_error (self, task, error);
      return;
    }
  g_task_return_pointer (task, reply, (GDestroyNotify) missive_reply_unref);
  g_object_unref (task);
}

/**
 * missive_service_send_command_async:
 * @self: a service
 * @command: one command line, without its line end
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Sends a raw command to the server and collects its reply, for what the
 * API does not cover. In IMAP the plugin adds the tag. The command must
 * not contain CR or LF: it is refused with
 * %MISSIVE_ERROR_INVALID_ARGUMENT before anything is sent.
 *
 * Since: 1.0
 */
void
missive_service_send_command_async (MissiveService      *self,
                                    const char          *command,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveServiceClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SERVICE_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_send_command_async);
  g_task_set_priority (task, io_priority);

  if (command[0] == '\0' || missive_string_has_line_break (command))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A command must be one non-empty line without CR or LF");
      return;
    }
  if (!missive_service_check_ready (self, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->send_command_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s cannot send raw commands", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (self, io_priority);
  klass->send_command_async (self, command, cancellable, send_command_cb,
                             g_steal_pointer (&task));
}

/**
 * missive_service_send_command_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.send_command_async]. A refusal by the server is
 * a reply like any other, not an error: look at its status.
 *
 * Returns: (transfer full): the server's reply, or %NULL on error
 *
 * Since: 1.0
 */
MissiveReply *
missive_service_send_command_finish (MissiveService  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_send_command (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  missive_service_send_command_async (source, start_data, G_PRIORITY_DEFAULT,
                                      cancellable, callback, user_data);
}

/**
 * missive_service_send_command:
 * @self: a service
 * @command: one command line, without its line end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends a raw command and waits for the reply. See
 * [method@Service.send_command_async].
 *
 * Returns: (transfer full): the server's reply, or %NULL on error
 *
 * Since: 1.0
 */
MissiveReply *
missive_service_send_command (MissiveService  *self,
                              const char      *command,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);
  g_return_val_if_fail (command != NULL, NULL);

  result = missive_run_sync (self, start_send_command, (gpointer) command, cancellable);
  return missive_service_send_command_finish (self, result, error);
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

/* ---- plugin helpers ----------------------------------------------------- */

/**
 * missive_service_get_reader:
 * @self: a service
 *
 * Gets the reader of the open connection, for protocol plugins. After
 * STARTTLS it reads from the TLS stream.
 *
 * Returns: (transfer none) (nullable): the reader, or %NULL when not
 *   connected
 *
 * Since: 1.0
 */
MissiveReader *
missive_service_get_reader (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return priv->reader;
}

/**
 * missive_service_get_output_stream:
 * @self: a service
 *
 * Gets the stream to write to the server, for protocol plugins that send
 * more than lines (message bodies, literals). After STARTTLS it is the TLS
 * stream.
 *
 * Returns: (transfer none) (nullable): the output stream, or %NULL when not
 *   connected
 *
 * Since: 1.0
 */
GOutputStream *
missive_service_get_output_stream (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);

  priv = missive_service_get_instance_private (self);
  return priv->output;
}

/**
 * missive_service_set_capabilities:
 * @self: a service
 * @capabilities: (nullable) (array zero-terminated=1): what the server can
 *   do, or %NULL to forget it
 *
 * Records the server's capabilities; protocol plugins call this from
 * [vfunc@Service.refresh_capabilities_async], and with %NULL when the
 * capabilities change (after login) so that they are asked for again.
 *
 * Since: 1.0
 */
void
missive_service_set_capabilities (MissiveService     *self,
                                  const char * const *capabilities)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_instance_private (self);
  if (priv->capabilities == NULL && capabilities == NULL)
    return;
  if (priv->capabilities != NULL && capabilities != NULL &&
      g_strv_equal ((const char * const *) priv->capabilities, capabilities))
    return;

  g_strfreev (priv->capabilities);
  priv->capabilities = g_strdupv ((char **) capabilities);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPABILITIES]);
}

/**
 * missive_service_set_preauthenticated:
 * @self: a service
 *
 * Tells the service that the server considers the session authenticated
 * already (IMAP PREAUTH greeting, a pre-authenticated local process).
 * Protocol plugins call this from [vfunc@Service.greet_async];
 * [method@Service.open] then skips authentication and ends
 * %MISSIVE_SERVICE_STATE_AUTHENTICATED.
 *
 * Since: 1.0
 */
void
missive_service_set_preauthenticated (MissiveService *self)
{
  MissiveServicePrivate *priv;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  priv = missive_service_get_instance_private (self);
  priv->preauthenticated = TRUE;
}

/**
 * missive_service_is_tracing:
 * @self: a service
 *
 * Whether anyone listens to [signal@Service::protocol-trace]. Plugins can
 * use it to skip formatting trace lines nobody reads.
 *
 * Returns: %TRUE if a handler is connected
 *
 * Since: 1.0
 */
gboolean
missive_service_is_tracing (MissiveService *self)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);

  return g_signal_has_handler_pending (self, signals[PROTOCOL_TRACE], 0, FALSE);
}

static gboolean
masking_changed (const char *masked,
                 const char *data,
                 gsize       length)
{
  return strlen (masked) != length || memcmp (masked, data, length) != 0;
}

/**
 * missive_service_trace:
 * @self: a service
 * @direction: who sent the data
 * @data: (array length=length) (element-type guint8): the line
 * @length: the length of @data, or -1 if it is nul-terminated
 * @sensitive: whether @data carries a secret (a password, a SASL response)
 *
 * Emits [signal@Service::protocol-trace] for one line, without its line
 * end. Sent lines always go through the credential masking of
 * missive_trace_mask_line(); a @sensitive line is replaced by `****`,
 * keeping only the command words the masking recognized. Does nothing,
 * cheaply, when no handler is connected.
 *
 * Since: 1.0
 */
void
missive_service_trace (MissiveService        *self,
                       MissiveTraceDirection  direction,
                       const char            *data,
                       gssize                 length,
                       gboolean               sensitive)
{
  g_autofree char *valid = NULL;
  gsize len;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (data != NULL || length == 0);

  if (!g_signal_has_handler_pending (self, signals[PROTOCOL_TRACE], 0, FALSE))
    return;

  if (data == NULL)
    data = "";
  len = length < 0 ? strlen (data) : (gsize) length;
  while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    len--;

  if (sensitive && direction != MISSIVE_TRACE_SENT)
    {
      valid = g_strdup ("****");
    }
  else if (direction == MISSIVE_TRACE_SENT)
    {
      g_autofree char *masked = missive_trace_mask_line (data, len);

      if (masked == NULL || (sensitive && !masking_changed (masked, data, len)))
        valid = g_strdup ("****");
      else
        valid = g_utf8_make_valid (masked, -1);
    }
  else
    {
      /* Invalid UTF-8 and NUL bytes show as U+FFFD. */
      valid = g_utf8_make_valid (data, len);
    }

  g_signal_emit (self, signals[PROTOCOL_TRACE], 0, direction, valid);
}

typedef struct
{
  char *buffer;
  gsize length;
} WriteLineData;

static void
write_line_data_free (WriteLineData *data)
{
  /* The line may have carried a password. */
  memset (data->buffer, 0, data->length);
  g_free (data->buffer);
  g_free (data);
}

static void
write_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, missive_error_from_io_error (error));
      g_error_free (error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * missive_service_write_line_async:
 * @self: a service
 * @line: one protocol line, without its line end
 * @sensitive: whether @line carries a secret, for the trace
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the line is written
 * @user_data: data for @callback
 *
 * Writes @line followed by CRLF to the server, in one write, after tracing
 * it (masked, or as `****` when @sensitive). A line containing CR or LF is
 * refused with %MISSIVE_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
void
missive_service_write_line_async (MissiveService      *self,
                                  const char          *line,
                                  gboolean             sensitive,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveServicePrivate *priv;
  g_autoptr(GTask) task = NULL;
  WriteLineData *data;
  gsize len;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (line != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_instance_private (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_write_line_async);
  g_task_set_priority (task, priv->io_priority);

  if (priv->output == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "Not connected");
      return;
    }
  if (missive_string_has_line_break (line))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A protocol line cannot contain CR or LF");
      return;
    }

  len = strlen (line);
  data = g_new0 (WriteLineData, 1);
  data->length = len + 2;
  data->buffer = g_malloc (data->length);
  memcpy (data->buffer, line, len);
  data->buffer[len] = '\r';
  data->buffer[len + 1] = '\n';
  g_task_set_task_data (task, data, (GDestroyNotify) write_line_data_free);

  missive_service_trace (self, MISSIVE_TRACE_SENT, line, len, sensitive);

  g_output_stream_write_all_async (priv->output, data->buffer, data->length,
                                   priv->io_priority, cancellable,
                                   write_line_cb, g_steal_pointer (&task));
}

/**
 * missive_service_write_line_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Service.write_line_async].
 *
 * Returns: %TRUE when the whole line was written
 *
 * Since: 1.0
 */
gboolean
missive_service_write_line_finish (MissiveService  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveService *self = g_task_get_source_object (task);
  gsize *length = g_task_get_task_data (task);
  GError *error = NULL;
  const char *line;

  line = missive_reader_read_line_finish (MISSIVE_READER (source), result, length, &error);
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                     "The server closed the connection");
      g_task_return_error (task, missive_error_from_io_error (error));
      g_error_free (error);
      return;
    }
  missive_service_trace (self, MISSIVE_TRACE_RECEIVED, line, *length, FALSE);
  g_task_return_pointer (task, (gpointer) line, NULL);
}

/**
 * missive_service_read_line_async:
 * @self: a service
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when a line has arrived
 * @user_data: data for @callback
 *
 * Reads one line from the server through the connection's
 * [class@Reader], and traces it. The end of the connection is
 * %MISSIVE_ERROR_CONNECTION_LOST; a line over the reader's limit is
 * %MISSIVE_ERROR_LINE_TOO_LONG.
 *
 * Since: 1.0
 */
void
missive_service_read_line_async (MissiveService      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MissiveServicePrivate *priv;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = missive_service_get_instance_private (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_service_read_line_async);
  g_task_set_priority (task, priv->io_priority);
  g_task_set_task_data (task, g_new0 (gsize, 1), g_free);

  if (priv->reader == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "Not connected");
      return;
    }

  missive_reader_read_line_async (priv->reader, priv->io_priority, cancellable,
                                  read_line_cb, g_steal_pointer (&task));
}

/**
 * missive_service_read_line_finish:
 * @self: a service
 * @result: the result passed to the callback
 * @length: (out) (optional): return location for the line's length
 * @error: return location for a #GError
 *
 * Finishes [method@Service.read_line_async].
 *
 * Returns: (transfer none) (nullable): the line without its line end,
 *   nul-terminated, valid until the next read; %NULL on error
 *
 * Since: 1.0
 */
const char *
missive_service_read_line_finish (MissiveService  *self,
                                  GAsyncResult    *result,
                                  gsize           *length,
                                  GError         **error)
{
  const char *line;

  g_return_val_if_fail (MISSIVE_IS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line != NULL ? *(gsize *) g_task_get_task_data (G_TASK (result)) : 0;
  return line;
}

/**
 * missive_service_emit_transfer_started:
 * @self: a service
 * @what: what is being transferred
 * @total: the size in bytes, or 0 if unknown
 *
 * Emits [signal@Service::transfer-started].
 *
 * Since: 1.0
 */
void
missive_service_emit_transfer_started (MissiveService *self,
                                       const char     *what,
                                       guint64         total)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  g_signal_emit (self, signals[TRANSFER_STARTED], 0, what, total);
}

/**
 * missive_service_emit_transfer_progress:
 * @self: a service
 * @done: the bytes transferred so far
 * @total: the size in bytes, or 0 if unknown
 *
 * Emits [signal@Service::transfer-progress]. Literals read through the
 * service's [class@Reader] report their progress this way by themselves.
 *
 * Since: 1.0
 */
void
missive_service_emit_transfer_progress (MissiveService *self,
                                        guint64         done,
                                        guint64         total)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  g_signal_emit (self, signals[TRANSFER_PROGRESS], 0, done, total);
}

/**
 * missive_service_emit_transfer_finished:
 * @self: a service
 * @total: the bytes transferred
 *
 * Emits [signal@Service::transfer-finished].
 *
 * Since: 1.0
 */
void
missive_service_emit_transfer_finished (MissiveService *self,
                                        guint64         total)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));

  g_signal_emit (self, signals[TRANSFER_FINISHED], 0, total);
}

/**
 * missive_service_emit_warning:
 * @self: a service
 * @warning: the problem
 *
 * Emits [signal@Service::warning] for a problem that does not stop the
 * operation.
 *
 * Since: 1.0
 */
void
missive_service_emit_warning (MissiveService *self,
                              const GError   *warning)
{
  g_return_if_fail (MISSIVE_IS_SERVICE (self));
  g_return_if_fail (warning != NULL);

  g_signal_emit (self, signals[WARNING], 0, warning);
}
