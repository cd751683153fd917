/* missive-sasl-mechanism.c: the base class of client SASL mechanisms
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-sasl-mechanism-private.h"
#include "sasl/missive-sasl-builtin-private.h"

/**
 * MissiveSaslMechanism:
 *
 * The client side of one SASL mechanism (RFC 4422): PLAIN, LOGIN, CRAM-MD5,
 * SCRAM-SHA-256, XOAUTH2 and so on.
 *
 * A mechanism object holds the credentials (the [property@SaslMechanism:username],
 * [property@SaslMechanism:password], [property@SaslMechanism:authzid] and
 * [property@SaslMechanism:oauth-token] properties), a few facts about the
 * connection ([property@SaslMechanism:service-name],
 * [property@SaslMechanism:host] and the [property@SaslMechanism:transport],
 * whose TLS channel some mechanisms bind to), and the state of one exchange.
 * [class@Service] creates one, fills these in and drives the exchange; an
 * application only writes a subclass when it needs a mechanism that no
 * plugin provides.
 *
 * ## The exchange
 *
 * The driver (the service) calls [method@SaslMechanism.step]:
 *
 * - with %NULL for the initial response, when the mechanism has
 *   %MISSIVE_SASL_FLAG_CLIENT_FIRST and the protocol lets the client send
 *   one with the command (IMAP `SASL-IR`, SMTP `AUTH`);
 * - with the decoded data of each server challenge (an empty #GBytes for an
 *   empty challenge: a client-first mechanism must then answer as it would
 *   have answered %NULL);
 * - once more with the server's additional data when the server's final
 *   success carries some (RFC 4422 section 5), so that a mechanism with
 *   %MISSIVE_SASL_FLAG_MUTUAL can check the server's proof. The response to
 *   that call is not sent; it is normally empty.
 *
 * Each call returns the response to send (possibly empty) or fails with a
 * #GError, which aborts the exchange. The mechanism calls
 * [method@SaslMechanism.set_complete] once it has sent everything it needs
 * to send and, for mutual mechanisms, has verified the server. A mechanism
 * that receives a challenge it does not expect (for example one after it
 * completed) fails with %MISSIVE_ERROR_PROTOCOL. The base class does not
 * enforce the order of calls: every mechanism knows best what it may still
 * accept. [method@SaslMechanism.reset] prepares the object for a new
 * exchange.
 *
 * Secrets: the password and the token are overwritten with zeros before
 * their memory is freed, both when they are replaced and when the object is
 * finalized. Mechanisms should do the same with the buffers they compute.
 *
 * ## Writing a mechanism in C
 *
 * Derive from #MissiveSaslMechanism and override at least
 * [vfunc@SaslMechanism.get_name] and [vfunc@SaslMechanism.step]; override
 * [vfunc@SaslMechanism.get_strength] and [vfunc@SaslMechanism.get_flags]
 * so that the service chooses it sensibly, and [vfunc@SaslMechanism.reset]
 * (chaining up) if the mechanism keeps per-exchange state:
 *
 * ```c
 * static GBytes *
 * my_token_mech_step (MissiveSaslMechanism  *mech,
 *                     GBytes                *challenge,
 *                     GError               **error)
 * {
 *   const char *token = missive_sasl_mechanism_get_oauth_token (mech);
 *
 *   if (missive_sasl_mechanism_is_complete (mech))
 *     {
 *       g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
 *                            "Unexpected challenge");
 *       return NULL;
 *     }
 *   if (token == NULL)
 *     {
 *       g_set_error_literal (error, MISSIVE_ERROR,
 *                            MISSIVE_ERROR_INVALID_ARGUMENT, "No token");
 *       return NULL;
 *     }
 *   missive_sasl_mechanism_set_complete (mech, TRUE);
 *   return g_bytes_new (token, strlen (token));
 * }
 *
 * static void
 * my_token_mech_class_init (MyTokenMechClass *klass)
 * {
 *   MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);
 *
 *   mech_class->get_name = my_token_mech_get_name;  // returns "X-MY-TOKEN"
 *   mech_class->get_flags = my_token_mech_get_flags; // CLIENT_FIRST | NEEDS_TOKEN
 *   mech_class->step = my_token_mech_step;
 * }
 * ```
 *
 * A plugin implements the `missive-sasl-mechanism` extension point (see
 * `<missive/missive-plugin.h>`) with the mechanism's name as the extension
 * name. Code inside an application registers the type at run time instead:
 *
 * ```c
 * missive_engine_register_sasl_mechanism (missive_engine_get_default (),
 *                                         MY_TYPE_TOKEN_MECH, &error);
 * ```
 *
 * ## Writing a mechanism in Python or JavaScript
 *
 * Subclass `Missive.SaslMechanism` and override the virtual methods (in
 * Python with a `do_` prefix, in GJS with a `vfunc_` prefix). Raise a
 * `GLib.Error` to fail a step:
 *
 * ```python
 * class XMyToken(Missive.SaslMechanism):
 *     def do_get_name(self):
 *         return "X-MY-TOKEN"
 *
 *     def do_get_flags(self):
 *         return (Missive.SaslFlags.CLIENT_FIRST |
 *                 Missive.SaslFlags.NEEDS_TOKEN)
 *
 *     def do_step(self, challenge):
 *         self.set_complete(True)
 *         return GLib.Bytes.new(self.props.oauth_token.encode())
 *
 * Missive.Engine.get_default().register_sasl_mechanism(XMyToken.__gtype__)
 * ```
 *
 * ```js
 * const XMyToken = GObject.registerClass(
 * class XMyToken extends Missive.SaslMechanism {
 *     vfunc_get_name() { return 'X-MY-TOKEN'; }
 *     vfunc_step(challenge) {
 *         this.set_complete(true);
 *         return new TextEncoder().encode(this.oauth_token);
 *     }
 * });
 * Missive.Engine.get_default().register_sasl_mechanism(XMyToken.$gtype);
 * ```
 *
 * Since: 1.0
 */

typedef struct
{
  char *username;
  char *password;
  char *authzid;
  char *oauth_token;
  char *service_name;
  char *host;
  MissiveTransport *transport;
  gboolean complete;
} MissiveSaslMechanismPrivate;

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_AUTHZID,
  PROP_OAUTH_TOKEN,
  PROP_SERVICE_NAME,
  PROP_HOST,
  PROP_TRANSPORT,
  PROP_COMPLETE,
  PROP_NAME,
  PROP_STRENGTH,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MissiveSaslMechanism, missive_sasl_mechanism, G_TYPE_OBJECT)

/* ---- secrets ------------------------------------------------------------ */

static MissiveSaslWipeHook wipe_hook;
static gpointer wipe_hook_data;

/**
 * missive_sasl_wipe: (skip)
 * @data: (nullable): memory holding a secret
 * @length: how many bytes to overwrite
 *
 * Overwrites @length bytes at @data with zeros in a way the compiler may
 * not drop as a dead store (explicit_bzero() where the C library has it).
 * For plugin authors: call it on every buffer that held a password, a key
 * or a token before freeing it.
 *
 * Since: 1.0
 */
void
missive_sasl_wipe (gpointer data,
                   gsize    length)
{
  if (data == NULL || length == 0)
    return;
#ifdef MISSIVE_HAVE_EXPLICIT_BZERO
  explicit_bzero (data, length);
#else
  {
    volatile guint8 *p = data;

    while (length-- > 0)
      *p++ = 0;
  }
#endif
}

static void
wipe_and_free (gpointer data,
               gsize    length)
{
  if (data == NULL)
    return;
  missive_sasl_wipe (data, length);
  if (wipe_hook != NULL)
    wipe_hook (data, length, wipe_hook_data);
  g_free (data);
}

/**
 * missive_sasl_secret_free: (skip)
 * @secret: (nullable) (transfer full): a NUL-terminated secret
 *
 * Wipes @secret with missive_sasl_wipe(), then frees it with g_free().
 *
 * Since: 1.0
 */
void
missive_sasl_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  wipe_and_free (secret, strlen (secret));
}

typedef struct
{
  guint8 *data;
  gsize length;
} SecretBuffer;

static void
secret_buffer_free (gpointer user_data)
{
  SecretBuffer *buffer = user_data;

  wipe_and_free (buffer->data, buffer->length);
  g_free (buffer);
}

/**
 * missive_sasl_secret_bytes_new_take: (skip)
 * @data: (transfer full) (nullable): g_malloc()ed bytes
 * @length: the length of @data
 *
 * Wraps @data in a #GBytes that wipes the memory before freeing it, for
 * SASL responses that carry a password or a token.
 *
 * Returns: (transfer full): a new #GBytes owning @data
 *
 * Since: 1.0
 */
GBytes *
missive_sasl_secret_bytes_new_take (guint8 *data,
                                    gsize   length)
{
  SecretBuffer *buffer;

  if (data == NULL || length == 0)
    {
      g_free (data);
      return g_bytes_new (NULL, 0);
    }

  buffer = g_new (SecretBuffer, 1);
  buffer->data = data;
  buffer->length = length;
  return g_bytes_new_with_free_func (data, length, secret_buffer_free, buffer);
}

void
missive_sasl_set_wipe_hook_for_testing (MissiveSaslWipeHook hook,
                                        gpointer            user_data)
{
  wipe_hook = hook;
  wipe_hook_data = user_data;
}

/* Replaces *@field with a copy of @value; returns whether it changed. */
static gboolean
replace_string (char       **field,
                const char  *value,
                gboolean     secret)
{
  char *old;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  old = *field;
  *field = g_strdup (value);
  if (secret)
    missive_sasl_secret_free (old);
  else
    g_free (old);
  return TRUE;
}

/* ---- default virtual methods -------------------------------------------- */

static const char *
missive_sasl_mechanism_real_get_name (MissiveSaslMechanism *self)
{
  return NULL;
}

static int
missive_sasl_mechanism_real_get_strength (MissiveSaslMechanism *self)
{
  return 0;
}

static MissiveSaslFlags
missive_sasl_mechanism_real_get_flags (MissiveSaslMechanism *self)
{
  return MISSIVE_SASL_FLAG_NONE;
}

static void
missive_sasl_mechanism_real_reset (MissiveSaslMechanism *self)
{
  missive_sasl_mechanism_set_complete (self, FALSE);
}

/* ---- GObject ------------------------------------------------------------ */

static void
missive_sasl_mechanism_dispose (GObject *object)
{
  MissiveSaslMechanism *self = MISSIVE_SASL_MECHANISM (object);
  MissiveSaslMechanismPrivate *priv = missive_sasl_mechanism_get_instance_private (self);

  g_clear_object (&priv->transport);

  G_OBJECT_CLASS (missive_sasl_mechanism_parent_class)->dispose (object);
}

static void
missive_sasl_mechanism_finalize (GObject *object)
{
  MissiveSaslMechanism *self = MISSIVE_SASL_MECHANISM (object);
  MissiveSaslMechanismPrivate *priv = missive_sasl_mechanism_get_instance_private (self);

  g_clear_pointer (&priv->password, missive_sasl_secret_free);
  g_clear_pointer (&priv->oauth_token, missive_sasl_secret_free);
  g_clear_pointer (&priv->username, g_free);
  g_clear_pointer (&priv->authzid, g_free);
  g_clear_pointer (&priv->service_name, g_free);
  g_clear_pointer (&priv->host, g_free);

  G_OBJECT_CLASS (missive_sasl_mechanism_parent_class)->finalize (object);
}

static void
missive_sasl_mechanism_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MissiveSaslMechanism *self = MISSIVE_SASL_MECHANISM (object);
  MissiveSaslMechanismPrivate *priv = missive_sasl_mechanism_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_value_set_string (value, priv->username);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, priv->password);
      break;
    case PROP_AUTHZID:
      g_value_set_string (value, priv->authzid);
      break;
    case PROP_OAUTH_TOKEN:
      g_value_set_string (value, priv->oauth_token);
      break;
    case PROP_SERVICE_NAME:
      g_value_set_string (value, priv->service_name);
      break;
    case PROP_HOST:
      g_value_set_string (value, priv->host);
      break;
    case PROP_TRANSPORT:
      g_value_set_object (value, priv->transport);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_NAME:
      g_value_set_string (value, missive_sasl_mechanism_get_name (self));
      break;
    case PROP_STRENGTH:
      g_value_set_int (value, missive_sasl_mechanism_get_strength (self));
      break;
    case PROP_FLAGS:
      g_value_set_flags (value, missive_sasl_mechanism_get_flags (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_mechanism_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MissiveSaslMechanism *self = MISSIVE_SASL_MECHANISM (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      missive_sasl_mechanism_set_username (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      missive_sasl_mechanism_set_password (self, g_value_get_string (value));
      break;
    case PROP_AUTHZID:
      missive_sasl_mechanism_set_authzid (self, g_value_get_string (value));
      break;
    case PROP_OAUTH_TOKEN:
      missive_sasl_mechanism_set_oauth_token (self, g_value_get_string (value));
      break;
    case PROP_SERVICE_NAME:
      missive_sasl_mechanism_set_service_name (self, g_value_get_string (value));
      break;
    case PROP_HOST:
      missive_sasl_mechanism_set_host (self, g_value_get_string (value));
      break;
    case PROP_TRANSPORT:
      missive_sasl_mechanism_set_transport (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_mechanism_class_init (MissiveSaslMechanismClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_sasl_mechanism_dispose;
  object_class->finalize = missive_sasl_mechanism_finalize;
  object_class->get_property = missive_sasl_mechanism_get_property;
  object_class->set_property = missive_sasl_mechanism_set_property;

  klass->get_name = missive_sasl_mechanism_real_get_name;
  klass->get_strength = missive_sasl_mechanism_real_get_strength;
  klass->get_flags = missive_sasl_mechanism_real_get_flags;
  klass->reset = missive_sasl_mechanism_real_reset;

  /**
   * MissiveSaslMechanism:username:
   *
   * The authentication identity: the user name the credentials belong to.
   * ANONYMOUS sends it as its trace information.
   *
   * Since: 1.0
   */
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:password:
   *
   * The password. Its memory is overwritten with zeros when it is replaced
   * and when the mechanism is finalized.
   *
   * Since: 1.0
   */
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:authzid:
   *
   * The authorization identity: the user to act as, when it differs from
   * [property@SaslMechanism:username] (an administrator logging in as
   * someone else). %NULL to act as oneself.
   *
   * Since: 1.0
   */
  properties[PROP_AUTHZID] =
    g_param_spec_string ("authzid", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:oauth-token:
   *
   * The OAuth 2.0 bearer token, for XOAUTH2 and OAUTHBEARER. Its memory is
   * overwritten with zeros when it is replaced and when the mechanism is
   * finalized.
   *
   * Since: 1.0
   */
  properties[PROP_OAUTH_TOKEN] =
    g_param_spec_string ("oauth-token", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:service-name:
   *
   * The registered SASL service name of the protocol: "imap", "smtp" or
   * "pop". DIGEST-MD5 and GSSAPI put it in their messages.
   *
   * Since: 1.0
   */
  properties[PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:host:
   *
   * The host name of the server, as the application gave it.
   *
   * Since: 1.0
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:transport:
   *
   * The transport of the connection being authenticated, from which
   * mechanisms read TLS facts and channel-binding data, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL,
                         MISSIVE_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:complete:
   *
   * Whether the mechanism considers the exchange finished on its side: it
   * sent all it had to send and, for mutual mechanisms, verified the
   * server. Set by the mechanism with [method@SaslMechanism.set_complete].
   *
   * Since: 1.0
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslMechanism:name:
   *
   * The IANA name of the mechanism, from [vfunc@SaslMechanism.get_name].
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSaslMechanism:strength:
   *
   * How strong the mechanism is, from [vfunc@SaslMechanism.get_strength].
   *
   * Since: 1.0
   */
  properties[PROP_STRENGTH] =
    g_param_spec_int ("strength", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSaslMechanism:flags:
   *
   * Facts about the mechanism, from [vfunc@SaslMechanism.get_flags].
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] =
    g_param_spec_flags ("flags", NULL, NULL,
                        MISSIVE_TYPE_SASL_FLAGS, MISSIVE_SASL_FLAG_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_sasl_mechanism_init (MissiveSaslMechanism *self)
{
}

/* ---- public API --------------------------------------------------------- */

/**
 * missive_sasl_mechanism_get_name: (virtual get_name)
 * @self: a SASL mechanism
 *
 * Gets the IANA name of the mechanism, in upper case, e.g. "CRAM-MD5".
 *
 * Every subclass must override [vfunc@SaslMechanism.get_name]; the base
 * class has no name and returns %NULL.
 *
 * Returns: (nullable): the name of the mechanism
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_name (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismClass *klass;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  klass = MISSIVE_SASL_MECHANISM_GET_CLASS (self);
  if (klass->get_name == NULL)
    return NULL;
  return klass->get_name (self);
}

/**
 * missive_sasl_mechanism_get_strength: (virtual get_strength)
 * @self: a SASL mechanism
 *
 * Gets how strong the mechanism is. When the application does not ask for
 * a mechanism by name, the service picks the strongest one that both sides
 * support. The built-in values are: ANONYMOUS 0, LOGIN 5, PLAIN 10,
 * CRAM-MD5 30, SCRAM 60; EXTERNAL is 50 but only used when asked for.
 *
 * Returns: the strength; 0 unless the subclass says otherwise
 *
 * Since: 1.0
 */
int
missive_sasl_mechanism_get_strength (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismClass *klass;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), 0);

  klass = MISSIVE_SASL_MECHANISM_GET_CLASS (self);
  if (klass->get_strength == NULL)
    return 0;
  return klass->get_strength (self);
}

/**
 * missive_sasl_mechanism_get_flags: (virtual get_flags)
 * @self: a SASL mechanism
 *
 * Gets the facts the service needs to choose and drive the mechanism:
 * whether it exposes the password, can send an initial response, needs a
 * password or a token, and so on.
 *
 * Returns: the mechanism's flags; %MISSIVE_SASL_FLAG_NONE unless the
 *   subclass says otherwise
 *
 * Since: 1.0
 */
MissiveSaslFlags
missive_sasl_mechanism_get_flags (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismClass *klass;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), MISSIVE_SASL_FLAG_NONE);

  klass = MISSIVE_SASL_MECHANISM_GET_CLASS (self);
  if (klass->get_flags == NULL)
    return MISSIVE_SASL_FLAG_NONE;
  return klass->get_flags (self);
}

/**
 * missive_sasl_mechanism_step: (virtual step)
 * @self: a SASL mechanism
 * @challenge: (nullable): the decoded server challenge; %NULL to get the
 *   initial response, an empty #GBytes for an empty challenge
 * @error: return location for a #GError
 *
 * Computes the response to @challenge. See the class description for when
 * the driver calls this.
 *
 * An implementation returns the response (an empty #GBytes when there is
 * nothing to say), or %NULL and sets @error. An implementation that returns
 * %NULL without setting an error (a Python or JavaScript override returning
 * `None` or `null`) is taken to have sent an empty response. A mechanism
 * that receives a challenge it cannot accept fails with
 * %MISSIVE_ERROR_PROTOCOL; one that lacks credentials fails with
 * %MISSIVE_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full) (nullable): the response, or %NULL on error
 *
 * Since: 1.0
 */
GBytes *
missive_sasl_mechanism_step (MissiveSaslMechanism  *self,
                             GBytes                *challenge,
                             GError               **error)
{
  MissiveSaslMechanismClass *klass;
  GError *local_error = NULL;
  GBytes *response;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = MISSIVE_SASL_MECHANISM_GET_CLASS (self);
  if (klass->step == NULL)
    {
      const char *name = missive_sasl_mechanism_get_name (self);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                   "The SASL mechanism %s does not implement step()",
                   name != NULL ? name : G_OBJECT_TYPE_NAME (self));
      return NULL;
    }

  response = klass->step (self, challenge, &local_error);
  if (local_error != NULL)
    {
      g_clear_pointer (&response, g_bytes_unref);
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (response == NULL)
    response = g_bytes_new (NULL, 0);
  return response;
}

/**
 * missive_sasl_mechanism_reset: (virtual reset)
 * @self: a SASL mechanism
 *
 * Forgets the state of a previous exchange, so that the object can run a
 * new one with the same credentials. Afterwards
 * [method@SaslMechanism.is_complete] returns %FALSE, whether or not the
 * subclass's override chained up.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_reset (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismClass *klass;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  klass = MISSIVE_SASL_MECHANISM_GET_CLASS (self);
  if (klass->reset != NULL)
    klass->reset (self);
  missive_sasl_mechanism_set_complete (self, FALSE);
}

/**
 * missive_sasl_mechanism_is_complete:
 * @self: a SASL mechanism
 *
 * Gets whether the mechanism considers the exchange finished on its side.
 * For mechanisms with %MISSIVE_SASL_FLAG_MUTUAL, the service treats a
 * server success as a failure unless this is %TRUE afterwards.
 *
 * Returns: %TRUE once the mechanism has completed
 *
 * Since: 1.0
 */
gboolean
missive_sasl_mechanism_is_complete (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), FALSE);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->complete;
}

/**
 * missive_sasl_mechanism_set_complete:
 * @self: a SASL mechanism
 * @complete: whether the exchange is complete
 *
 * Marks the exchange complete (or not). Mechanisms call this from their
 * [vfunc@SaslMechanism.step]; applications have no reason to.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_complete (MissiveSaslMechanism *self,
                                     gboolean              complete)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/**
 * missive_sasl_mechanism_get_username:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:username] property.
 *
 * Returns: (nullable): the user name
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_username (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->username;
}

/**
 * missive_sasl_mechanism_set_username:
 * @self: a SASL mechanism
 * @username: (nullable): the user name
 *
 * Sets the [property@SaslMechanism:username] property.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_username (MissiveSaslMechanism *self,
                                     const char           *username)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (replace_string (&priv->username, username, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * missive_sasl_mechanism_get_password:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:password] property. The string stays
 * valid until the password is replaced or @self is finalized, at which
 * point it is overwritten.
 *
 * Returns: (nullable): the password
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_password (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->password;
}

/**
 * missive_sasl_mechanism_set_password:
 * @self: a SASL mechanism
 * @password: (nullable): the password
 *
 * Sets the [property@SaslMechanism:password] property. The previous
 * password, if any, is overwritten before its memory is freed.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_password (MissiveSaslMechanism *self,
                                     const char           *password)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (replace_string (&priv->password, password, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

/**
 * missive_sasl_mechanism_get_authzid:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:authzid] property.
 *
 * Returns: (nullable): the authorization identity
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_authzid (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->authzid;
}

/**
 * missive_sasl_mechanism_set_authzid:
 * @self: a SASL mechanism
 * @authzid: (nullable): the authorization identity
 *
 * Sets the [property@SaslMechanism:authzid] property.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_authzid (MissiveSaslMechanism *self,
                                    const char           *authzid)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (replace_string (&priv->authzid, authzid, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHZID]);
}

/**
 * missive_sasl_mechanism_get_oauth_token:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:oauth-token] property.
 *
 * Returns: (nullable): the bearer token
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_oauth_token (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->oauth_token;
}

/**
 * missive_sasl_mechanism_set_oauth_token:
 * @self: a SASL mechanism
 * @token: (nullable): the bearer token
 *
 * Sets the [property@SaslMechanism:oauth-token] property. The previous
 * token, if any, is overwritten before its memory is freed.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_oauth_token (MissiveSaslMechanism *self,
                                        const char           *token)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (replace_string (&priv->oauth_token, token, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OAUTH_TOKEN]);
}

/**
 * missive_sasl_mechanism_get_service_name:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:service-name] property.
 *
 * Returns: (nullable): the SASL service name
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_service_name (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->service_name;
}

/**
 * missive_sasl_mechanism_set_service_name:
 * @self: a SASL mechanism
 * @service_name: (nullable): the SASL service name, e.g. "imap"
 *
 * Sets the [property@SaslMechanism:service-name] property.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_service_name (MissiveSaslMechanism *self,
                                         const char           *service_name)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (replace_string (&priv->service_name, service_name, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_NAME]);
}

/**
 * missive_sasl_mechanism_get_host:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:host] property.
 *
 * Returns: (nullable): the server's host name
 *
 * Since: 1.0
 */
const char *
missive_sasl_mechanism_get_host (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->host;
}

/**
 * missive_sasl_mechanism_set_host:
 * @self: a SASL mechanism
 * @host: (nullable): the server's host name
 *
 * Sets the [property@SaslMechanism:host] property.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_host (MissiveSaslMechanism *self,
                                 const char           *host)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (replace_string (&priv->host, host, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

/**
 * missive_sasl_mechanism_get_transport:
 * @self: a SASL mechanism
 *
 * Gets the [property@SaslMechanism:transport] property.
 *
 * Returns: (nullable) (transfer none): the transport
 *
 * Since: 1.0
 */
MissiveTransport *
missive_sasl_mechanism_get_transport (MissiveSaslMechanism *self)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_SASL_MECHANISM (self), NULL);

  priv = missive_sasl_mechanism_get_instance_private (self);
  return priv->transport;
}

/**
 * missive_sasl_mechanism_set_transport:
 * @self: a SASL mechanism
 * @transport: (nullable): the transport of the connection
 *
 * Sets the [property@SaslMechanism:transport] property.
 *
 * Since: 1.0
 */
void
missive_sasl_mechanism_set_transport (MissiveSaslMechanism *self,
                                      MissiveTransport     *transport)
{
  MissiveSaslMechanismPrivate *priv;

  g_return_if_fail (MISSIVE_IS_SASL_MECHANISM (self));
  g_return_if_fail (transport == NULL || MISSIVE_IS_TRANSPORT (transport));

  priv = missive_sasl_mechanism_get_instance_private (self);
  if (g_set_object (&priv->transport, transport))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

/* ---- built-in mechanisms ------------------------------------------------ */

static void
register_builtin (GType type)
{
  g_autoptr(MissiveSaslMechanism) mech = g_object_new (type, NULL);

  /* The extension point keeps one entry per type, so calling this twice
   * registers nothing new. */
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  type,
                                  missive_sasl_mechanism_get_name (mech),
                                  missive_sasl_mechanism_get_strength (mech));
}

void
missive_sasl_builtin_register (void)
{
  g_return_if_fail (g_io_extension_point_lookup (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME) != NULL);

  register_builtin (MISSIVE_TYPE_SASL_PLAIN);
  register_builtin (MISSIVE_TYPE_SASL_LOGIN);
  register_builtin (MISSIVE_TYPE_SASL_EXTERNAL);
  register_builtin (MISSIVE_TYPE_SASL_ANONYMOUS);
}
