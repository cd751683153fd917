/* missive-send-options.c: how one message is to be submitted
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveSendOptions:
 *
 * The per-message choices of a submission: delivery status notifications
 * (RFC 3461), REQUIRETLS (RFC 8689), DELIVERBY (RFC 2852), MT-PRIORITY
 * (RFC 6710), the transaction command, which refused recipients abort the
 * whole send, the body type, and whether the message is signed and/or
 * encrypted on the way out (OpenPGP or S/MIME, with a
 * [class@CryptoContext]).
 *
 * An extension the server does not advertise is left out when the option
 * is at its default, and fails the send with %MISSIVE_ERROR_NOT_SUPPORTED
 * when the option asks for it, so a message never goes out without a
 * guarantee the application asked for. A #MissiveSendOptions can be reused
 * for many messages.
 *
 * Since: 1.0
 */
struct _MissiveSendOptions
{
  GObject parent_instance;

  MissiveDsnNotify dsn_notify;
  MissiveDsnReturn dsn_return;
  char *envelope_id;
  gboolean original_recipients;
  gboolean require_tls;
  gint64 deliver_by;
  gboolean deliver_by_return;
  int priority;
  MissiveSendMode mode;
  MissiveStopOn stop_on;
  MissiveBodyType body_type;
  gboolean smtputf8;
  MissiveCryptoContext *crypto_context;
  gboolean sign;
  gboolean encrypt;
};

enum {
  PROP_0,
  PROP_DSN_NOTIFY,
  PROP_DSN_RETURN,
  PROP_ENVELOPE_ID,
  PROP_ORIGINAL_RECIPIENTS,
  PROP_REQUIRE_TLS,
  PROP_DELIVER_BY,
  PROP_DELIVER_BY_RETURN,
  PROP_PRIORITY,
  PROP_MODE,
  PROP_STOP_ON,
  PROP_BODY_TYPE,
  PROP_SMTPUTF8,
  PROP_CRYPTO_CONTEXT,
  PROP_SIGN,
  PROP_ENCRYPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveSendOptions, missive_send_options, G_TYPE_OBJECT)

static void
missive_send_options_finalize (GObject *object)
{
  MissiveSendOptions *self = MISSIVE_SEND_OPTIONS (object);

  g_free (self->envelope_id);
  g_clear_object (&self->crypto_context);

  G_OBJECT_CLASS (missive_send_options_parent_class)->finalize (object);
}

static void
missive_send_options_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MissiveSendOptions *self = MISSIVE_SEND_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_DSN_NOTIFY:
      g_value_set_flags (value, self->dsn_notify);
      break;
    case PROP_DSN_RETURN:
      g_value_set_enum (value, self->dsn_return);
      break;
    case PROP_ENVELOPE_ID:
      g_value_set_string (value, self->envelope_id);
      break;
    case PROP_ORIGINAL_RECIPIENTS:
      g_value_set_boolean (value, self->original_recipients);
      break;
    case PROP_REQUIRE_TLS:
      g_value_set_boolean (value, self->require_tls);
      break;
    case PROP_DELIVER_BY:
      g_value_set_int64 (value, self->deliver_by);
      break;
    case PROP_DELIVER_BY_RETURN:
      g_value_set_boolean (value, self->deliver_by_return);
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_STOP_ON:
      g_value_set_flags (value, self->stop_on);
      break;
    case PROP_BODY_TYPE:
      g_value_set_enum (value, self->body_type);
      break;
    case PROP_SMTPUTF8:
      g_value_set_boolean (value, self->smtputf8);
      break;
    case PROP_CRYPTO_CONTEXT:
      g_value_set_object (value, self->crypto_context);
      break;
    case PROP_SIGN:
      g_value_set_boolean (value, self->sign);
      break;
    case PROP_ENCRYPT:
      g_value_set_boolean (value, self->encrypt);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_send_options_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MissiveSendOptions *self = MISSIVE_SEND_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_DSN_NOTIFY:
      missive_send_options_set_dsn_notify (self, g_value_get_flags (value));
      break;
    case PROP_DSN_RETURN:
      missive_send_options_set_dsn_return (self, g_value_get_enum (value));
      break;
    case PROP_ENVELOPE_ID:
      missive_send_options_set_envelope_id (self, g_value_get_string (value));
      break;
    case PROP_ORIGINAL_RECIPIENTS:
      missive_send_options_set_original_recipients (self, g_value_get_boolean (value));
      break;
    case PROP_REQUIRE_TLS:
      missive_send_options_set_require_tls (self, g_value_get_boolean (value));
      break;
    case PROP_DELIVER_BY:
      missive_send_options_set_deliver_by (self, g_value_get_int64 (value),
                                           self->deliver_by_return);
      break;
    case PROP_DELIVER_BY_RETURN:
      missive_send_options_set_deliver_by (self, self->deliver_by,
                                           g_value_get_boolean (value));
      break;
    case PROP_PRIORITY:
      missive_send_options_set_priority (self, g_value_get_int (value));
      break;
    case PROP_MODE:
      missive_send_options_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_STOP_ON:
      missive_send_options_set_stop_on (self, g_value_get_flags (value));
      break;
    case PROP_BODY_TYPE:
      missive_send_options_set_body_type (self, g_value_get_enum (value));
      break;
    case PROP_SMTPUTF8:
      missive_send_options_set_smtputf8 (self, g_value_get_boolean (value));
      break;
    case PROP_CRYPTO_CONTEXT:
      missive_send_options_set_crypto_context (self, g_value_get_object (value));
      break;
    case PROP_SIGN:
      missive_send_options_set_sign (self, g_value_get_boolean (value));
      break;
    case PROP_ENCRYPT:
      missive_send_options_set_encrypt (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_send_options_class_init (MissiveSendOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = missive_send_options_finalize;
  object_class->get_property = missive_send_options_get_property;
  object_class->set_property = missive_send_options_set_property;

  /**
   * MissiveSendOptions:dsn-notify:
   *
   * When delivery status notifications are wanted, sent as the NOTIFY
   * parameter of every recipient. Needs the server's DSN extension unless
   * it is %MISSIVE_DSN_NOTIFY_DEFAULT.
   *
   * Since: 1.0
   */
  properties[PROP_DSN_NOTIFY] =
    g_param_spec_flags ("dsn-notify", NULL, NULL,
                        MISSIVE_TYPE_DSN_NOTIFY, MISSIVE_DSN_NOTIFY_DEFAULT, flags);

  /**
   * MissiveSendOptions:dsn-return:
   *
   * How much of the message a notification returns (the RET parameter).
   *
   * Since: 1.0
   */
  properties[PROP_DSN_RETURN] =
    g_param_spec_enum ("dsn-return", NULL, NULL,
                       MISSIVE_TYPE_DSN_RETURN, MISSIVE_DSN_RETURN_DEFAULT, flags);

  /**
   * MissiveSendOptions:envelope-id:
   *
   * An identifier that notifications will quote (the ENVID parameter),
   * printable ASCII; %NULL for none.
   *
   * Since: 1.0
   */
  properties[PROP_ENVELOPE_ID] =
    g_param_spec_string ("envelope-id", NULL, NULL, NULL, flags);

  /**
   * MissiveSendOptions:original-recipients:
   *
   * Whether each recipient carries an ORCPT parameter naming its address,
   * so notifications show the address as the application gave it.
   *
   * Since: 1.0
   */
  properties[PROP_ORIGINAL_RECIPIENTS] =
    g_param_spec_boolean ("original-recipients", NULL, NULL, FALSE, flags);

  /**
   * MissiveSendOptions:require-tls:
   *
   * Whether every hop must use verified TLS (RFC 8689 REQUIRETLS). The send
   * fails unless the connection is protected by TLS and the server
   * advertises REQUIRETLS.
   *
   * Since: 1.0
   */
  properties[PROP_REQUIRE_TLS] =
    g_param_spec_boolean ("require-tls", NULL, NULL, FALSE, flags);

  /**
   * MissiveSendOptions:deliver-by:
   *
   * The time in seconds within which the message must be delivered
   * (RFC 2852 BY parameter); 0 for no limit.
   *
   * Since: 1.0
   */
  properties[PROP_DELIVER_BY] =
    g_param_spec_int64 ("deliver-by", NULL, NULL, -999999999, 999999999, 0, flags);

  /**
   * MissiveSendOptions:deliver-by-return:
   *
   * With [property@SendOptions:deliver-by]: whether a message that cannot
   * be delivered in time comes back (mode R) instead of only being reported
   * (mode N).
   *
   * Since: 1.0
   */
  properties[PROP_DELIVER_BY_RETURN] =
    g_param_spec_boolean ("deliver-by-return", NULL, NULL, TRUE, flags);

  /**
   * MissiveSendOptions:priority:
   *
   * The message transfer priority from -9 to 9 (RFC 6710 MT-PRIORITY);
   * 0, the default priority, sends no parameter.
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL, -9, 9, 0, flags);

  /**
   * MissiveSendOptions:mode:
   *
   * The transaction command: MAIL, or one of RFC 821's terminal variants.
   *
   * Since: 1.0
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       MISSIVE_TYPE_SEND_MODE, MISSIVE_SEND_MODE_MAIL, flags);

  /**
   * MissiveSendOptions:stop-on:
   *
   * Which refused recipients abort the transaction.
   *
   * Since: 1.0
   */
  properties[PROP_STOP_ON] =
    g_param_spec_flags ("stop-on", NULL, NULL,
                        MISSIVE_TYPE_STOP_ON, MISSIVE_STOP_ON_NONE, flags);

  /**
   * MissiveSendOptions:body-type:
   *
   * The BODY parameter; %MISSIVE_BODY_AUTO decides from the content.
   *
   * Since: 1.0
   */
  properties[PROP_BODY_TYPE] =
    g_param_spec_enum ("body-type", NULL, NULL,
                       MISSIVE_TYPE_BODY_TYPE, MISSIVE_BODY_AUTO, flags);

  /**
   * MissiveSendOptions:smtputf8:
   *
   * Whether to declare SMTPUTF8 (RFC 6531) even when neither the envelope
   * nor the headers need it. It is declared anyway when they do.
   *
   * Since: 1.0
   */
  properties[PROP_SMTPUTF8] =
    g_param_spec_boolean ("smtputf8", NULL, NULL, FALSE, flags);

  /**
   * MissiveSendOptions:crypto-context:
   *
   * The crypto context (OpenPGP or S/MIME) that signs and/or encrypts the
   * message on the way out when [property@SendOptions:sign] or
   * [property@SendOptions:encrypt] is set. Only
   * [method@Sender.send_message_async] can do so: a raw stream
   * ([method@Sender.send_stream_async], the outbox) cannot be protected,
   * and such a send fails with %MISSIVE_ERROR_NOT_SUPPORTED.
   *
   * Since: 1.0
   */
  properties[PROP_CRYPTO_CONTEXT] =
    g_param_spec_object ("crypto-context", NULL, NULL, MISSIVE_TYPE_CRYPTO_CONTEXT, flags);

  /**
   * MissiveSendOptions:sign:
   *
   * Whether [method@Sender.send_message_async] signs the message with
   * [property@SendOptions:crypto-context] before sending it. The signer is
   * the context's [property@CryptoContext:default-key], else the key of
   * the message's From address.
   *
   * Since: 1.0
   */
  properties[PROP_SIGN] =
    g_param_spec_boolean ("sign", NULL, NULL, FALSE, flags);

  /**
   * MissiveSendOptions:encrypt:
   *
   * Whether [method@Sender.send_message_async] encrypts the message with
   * [property@SendOptions:crypto-context] before sending it, to the keys of
   * every envelope recipient (Bcc ones included), and signs it inside the
   * encryption as well when [property@SendOptions:sign] is set. A
   * recipient without a usable key fails the send with
   * %MISSIVE_ERROR_KEY_NOT_FOUND before anything is transmitted.
   *
   * Since: 1.0
   */
  properties[PROP_ENCRYPT] =
    g_param_spec_boolean ("encrypt", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_send_options_init (MissiveSendOptions *self)
{
  self->deliver_by_return = TRUE;
}

/**
 * missive_send_options_new:
 *
 * Creates options with every choice at its default: a plain MAIL
 * transaction, the server's own notification policy.
 *
 * Returns: (transfer full): new options
 *
 * Since: 1.0
 */
MissiveSendOptions *
missive_send_options_new (void)
{
  return g_object_new (MISSIVE_TYPE_SEND_OPTIONS, NULL);
}

/* One setter body: assign when changed and notify. */
#define SET_FIELD(field, prop)                                          \
  G_STMT_START {                                                        \
    if (self->field != field)                                           \
      {                                                                 \
        self->field = field;                                            \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);   \
      }                                                                 \
  } G_STMT_END

/**
 * missive_send_options_get_dsn_notify:
 * @self: the options
 *
 * Gets when delivery status notifications are asked for (DSN NOTIFY).
 *
 * Returns: the [property@SendOptions:dsn-notify] flags
 *
 * Since: 1.0
 */
MissiveDsnNotify
missive_send_options_get_dsn_notify (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), MISSIVE_DSN_NOTIFY_DEFAULT);
  return self->dsn_notify;
}

/**
 * missive_send_options_set_dsn_notify:
 * @self: the options
 * @notify: when to notify; %MISSIVE_DSN_NOTIFY_NEVER alone or any of the
 *   others
 *
 * Sets [property@SendOptions:dsn-notify].
 *
 * Since: 1.0
 */
void
missive_send_options_set_dsn_notify (MissiveSendOptions *self,
                                     MissiveDsnNotify    notify)
{
  MissiveDsnNotify dsn_notify = notify;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  g_return_if_fail (!(notify & MISSIVE_DSN_NOTIFY_NEVER) || notify == MISSIVE_DSN_NOTIFY_NEVER);

  SET_FIELD (dsn_notify, PROP_DSN_NOTIFY);
}

/**
 * missive_send_options_get_dsn_return:
 * @self: the options
 *
 * Gets how much of the message a delivery status notification returns (DSN RET).
 *
 * Returns: the [property@SendOptions:dsn-return] choice
 *
 * Since: 1.0
 */
MissiveDsnReturn
missive_send_options_get_dsn_return (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), MISSIVE_DSN_RETURN_DEFAULT);
  return self->dsn_return;
}

/**
 * missive_send_options_set_dsn_return:
 * @self: the options
 * @ret: what a notification returns
 *
 * Sets [property@SendOptions:dsn-return].
 *
 * Since: 1.0
 */
void
missive_send_options_set_dsn_return (MissiveSendOptions *self,
                                     MissiveDsnReturn    ret)
{
  MissiveDsnReturn dsn_return = ret;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (dsn_return, PROP_DSN_RETURN);
}

/**
 * missive_send_options_get_envelope_id:
 * @self: the options
 *
 * Gets the envelope identifier sent with DSN (ENVID).
 *
 * Returns: (nullable): the [property@SendOptions:envelope-id]
 *
 * Since: 1.0
 */
const char *
missive_send_options_get_envelope_id (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), NULL);
  return self->envelope_id;
}

/**
 * missive_send_options_set_envelope_id:
 * @self: the options
 * @envelope_id: (nullable): printable ASCII (no spaces, at most 100
 *   characters), or %NULL
 *
 * Sets [property@SendOptions:envelope-id]. The plugin encodes it as the
 * protocol needs (xtext in SMTP).
 *
 * Since: 1.0
 */
void
missive_send_options_set_envelope_id (MissiveSendOptions *self,
                                      const char         *envelope_id)
{
  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));

  if (envelope_id != NULL)
    {
      gsize n = strlen (envelope_id);

      g_return_if_fail (n > 0 && n <= 100);
      for (gsize i = 0; i < n; i++)
        g_return_if_fail (envelope_id[i] > ' ' && envelope_id[i] < 0x7f);
    }

  if (g_strcmp0 (self->envelope_id, envelope_id) == 0)
    return;
  g_free (self->envelope_id);
  self->envelope_id = g_strdup (envelope_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENVELOPE_ID]);
}

/**
 * missive_send_options_get_original_recipients:
 * @self: the options
 *
 * Gets whether each recipient is sent with its original address (DSN ORCPT).
 *
 * Returns: whether recipients carry ORCPT
 *
 * Since: 1.0
 */
gboolean
missive_send_options_get_original_recipients (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), FALSE);
  return self->original_recipients;
}

/**
 * missive_send_options_set_original_recipients:
 * @self: the options
 * @orcpt: whether each recipient carries an ORCPT parameter
 *
 * Sets [property@SendOptions:original-recipients].
 *
 * Since: 1.0
 */
void
missive_send_options_set_original_recipients (MissiveSendOptions *self,
                                              gboolean            orcpt)
{
  gboolean original_recipients = !!orcpt;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (original_recipients, PROP_ORIGINAL_RECIPIENTS);
}

/**
 * missive_send_options_get_require_tls:
 * @self: the options
 *
 * Gets whether the message asks for TLS on every hop (REQUIRETLS).
 *
 * Returns: whether REQUIRETLS is asked for
 *
 * Since: 1.0
 */
gboolean
missive_send_options_get_require_tls (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), FALSE);
  return self->require_tls;
}

/**
 * missive_send_options_set_require_tls:
 * @self: the options
 * @require_tls: whether every hop must use verified TLS
 *
 * Sets [property@SendOptions:require-tls].
 *
 * Since: 1.0
 */
void
missive_send_options_set_require_tls (MissiveSendOptions *self,
                                      gboolean            require_tls)
{
  require_tls = !!require_tls;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (require_tls, PROP_REQUIRE_TLS);
}

/**
 * missive_send_options_get_deliver_by:
 * @self: the options
 * @return_on_fail: (out) (optional): whether a late message comes back
 *
 * Gets the delivery time limit (DELIVERBY).
 *
 * Returns: the delivery time limit in seconds, 0 for none
 *
 * Since: 1.0
 */
gint64
missive_send_options_get_deliver_by (MissiveSendOptions *self,
                                     gboolean           *return_on_fail)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), 0);

  if (return_on_fail != NULL)
    *return_on_fail = self->deliver_by_return;
  return self->deliver_by;
}

/**
 * missive_send_options_set_deliver_by:
 * @self: the options
 * @seconds: the time limit in seconds, 0 for none
 * @return_on_fail: whether a message not delivered in time comes back
 *   (%TRUE) or is only reported (%FALSE)
 *
 * Sets [property@SendOptions:deliver-by] and
 * [property@SendOptions:deliver-by-return].
 *
 * Since: 1.0
 */
void
missive_send_options_set_deliver_by (MissiveSendOptions *self,
                                     gint64              seconds,
                                     gboolean            return_on_fail)
{
  gint64 deliver_by = seconds;
  gboolean deliver_by_return = !!return_on_fail;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  g_return_if_fail (seconds >= -999999999 && seconds <= 999999999);

  g_object_freeze_notify (G_OBJECT (self));
  SET_FIELD (deliver_by, PROP_DELIVER_BY);
  SET_FIELD (deliver_by_return, PROP_DELIVER_BY_RETURN);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * missive_send_options_get_priority:
 * @self: the options
 *
 * Gets the message transfer priority (MT-PRIORITY).
 *
 * Returns: the MT-PRIORITY value, 0 when none is sent
 *
 * Since: 1.0
 */
int
missive_send_options_get_priority (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), 0);
  return self->priority;
}

/**
 * missive_send_options_set_priority:
 * @self: the options
 * @priority: from -9 (lowest) to 9 (highest); 0 sends nothing
 *
 * Sets [property@SendOptions:priority].
 *
 * Since: 1.0
 */
void
missive_send_options_set_priority (MissiveSendOptions *self,
                                   int                 priority)
{
  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  g_return_if_fail (priority >= -9 && priority <= 9);
  SET_FIELD (priority, PROP_PRIORITY);
}

/**
 * missive_send_options_get_mode:
 * @self: the options
 *
 * Gets the command that starts the transaction (MAIL, SEND, SOML or SAML).
 *
 * Returns: the transaction command
 *
 * Since: 1.0
 */
MissiveSendMode
missive_send_options_get_mode (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), MISSIVE_SEND_MODE_MAIL);
  return self->mode;
}

/**
 * missive_send_options_set_mode:
 * @self: the options
 * @mode: the transaction command
 *
 * Sets [property@SendOptions:mode].
 *
 * Since: 1.0
 */
void
missive_send_options_set_mode (MissiveSendOptions *self,
                               MissiveSendMode     mode)
{
  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (mode, PROP_MODE);
}

/**
 * missive_send_options_get_stop_on:
 * @self: the options
 *
 * Gets which refused recipients abort the send.
 *
 * Returns: which refused recipients abort the send
 *
 * Since: 1.0
 */
MissiveStopOn
missive_send_options_get_stop_on (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), MISSIVE_STOP_ON_NONE);
  return self->stop_on;
}

/**
 * missive_send_options_set_stop_on:
 * @self: the options
 * @stop_on: which refused recipients abort the send
 *
 * Sets [property@SendOptions:stop-on].
 *
 * Since: 1.0
 */
void
missive_send_options_set_stop_on (MissiveSendOptions *self,
                                  MissiveStopOn       stop_on)
{
  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (stop_on, PROP_STOP_ON);
}

/**
 * missive_send_options_get_body_type:
 * @self: the options
 *
 * Gets the BODY parameter choice.
 *
 * Returns: the BODY choice
 *
 * Since: 1.0
 */
MissiveBodyType
missive_send_options_get_body_type (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), MISSIVE_BODY_AUTO);
  return self->body_type;
}

/**
 * missive_send_options_set_body_type:
 * @self: the options
 * @body_type: the BODY choice
 *
 * Sets [property@SendOptions:body-type].
 *
 * Since: 1.0
 */
void
missive_send_options_set_body_type (MissiveSendOptions *self,
                                    MissiveBodyType     body_type)
{
  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (body_type, PROP_BODY_TYPE);
}

/**
 * missive_send_options_get_smtputf8:
 * @self: the options
 *
 * Gets whether SMTPUTF8 is declared even when the envelope does not need it.
 *
 * Returns: whether SMTPUTF8 is declared even when not needed
 *
 * Since: 1.0
 */
gboolean
missive_send_options_get_smtputf8 (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), FALSE);
  return self->smtputf8;
}

/**
 * missive_send_options_set_smtputf8:
 * @self: the options
 * @smtputf8: whether to declare SMTPUTF8 always
 *
 * Sets [property@SendOptions:smtputf8].
 *
 * Since: 1.0
 */
void
missive_send_options_set_smtputf8 (MissiveSendOptions *self,
                                   gboolean            smtputf8)
{
  smtputf8 = !!smtputf8;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (smtputf8, PROP_SMTPUTF8);
}

/**
 * missive_send_options_get_crypto_context:
 * @self: the options
 *
 * Gets the crypto context that signs or encrypts the message on sending.
 *
 * Returns: (transfer none) (nullable): the context that signs or
 *   encrypts, see [property@SendOptions:crypto-context]
 *
 * Since: 1.0
 */
MissiveCryptoContext *
missive_send_options_get_crypto_context (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), NULL);
  return self->crypto_context;
}

/**
 * missive_send_options_set_crypto_context:
 * @self: the options
 * @context: (nullable): an OpenPGP or S/MIME context, or %NULL
 *
 * Sets [property@SendOptions:crypto-context].
 *
 * Since: 1.0
 */
void
missive_send_options_set_crypto_context (MissiveSendOptions   *self,
                                         MissiveCryptoContext *context)
{
  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  g_return_if_fail (context == NULL || MISSIVE_IS_CRYPTO_CONTEXT (context));

  if (g_set_object (&self->crypto_context, context))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRYPTO_CONTEXT]);
}

/**
 * missive_send_options_get_sign:
 * @self: the options
 *
 * Gets whether the message is signed on sending.
 *
 * Returns: whether the message is signed on the way out
 *
 * Since: 1.0
 */
gboolean
missive_send_options_get_sign (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), FALSE);
  return self->sign;
}

/**
 * missive_send_options_set_sign:
 * @self: the options
 * @sign: whether to sign the message before sending it
 *
 * Sets [property@SendOptions:sign].
 *
 * Since: 1.0
 */
void
missive_send_options_set_sign (MissiveSendOptions *self,
                               gboolean            sign)
{
  sign = !!sign;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (sign, PROP_SIGN);
}

/**
 * missive_send_options_get_encrypt:
 * @self: the options
 *
 * Gets whether the message is encrypted to the envelope's recipients on sending.
 *
 * Returns: whether the message is encrypted on the way out
 *
 * Since: 1.0
 */
gboolean
missive_send_options_get_encrypt (MissiveSendOptions *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_OPTIONS (self), FALSE);
  return self->encrypt;
}

/**
 * missive_send_options_set_encrypt:
 * @self: the options
 * @encrypt: whether to encrypt the message before sending it
 *
 * Sets [property@SendOptions:encrypt].
 *
 * Since: 1.0
 */
void
missive_send_options_set_encrypt (MissiveSendOptions *self,
                                  gboolean            encrypt)
{
  encrypt = !!encrypt;

  g_return_if_fail (MISSIVE_IS_SEND_OPTIONS (self));
  SET_FIELD (encrypt, PROP_ENCRYPT);
}
