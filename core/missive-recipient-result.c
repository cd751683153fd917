/* missive-recipient-result.c: what the server said about one recipient
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveRecipientResult:
 *
 * The server's answer about one recipient of a message: the reply to its
 * `RCPT TO` command in SMTP, or, in LMTP, the per-recipient reply after the
 * data. [class@Sender] returns one for each recipient.
 *
 * A recipient is [property@RecipientResult:accepted] when the reply code is
 * in the 2xx range, which includes 251 ("will forward") and 252 ("cannot
 * verify, but will try").
 *
 * Since: 1.0
 */
struct _MissiveRecipientResult
{
  GObject parent_instance;

  char *address;
  guint code;
  char *enhanced_status;
  char *text;
};

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_CODE,
  PROP_ENHANCED_STATUS,
  PROP_TEXT,
  PROP_ACCEPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveRecipientResult, missive_recipient_result, G_TYPE_OBJECT)

static void
missive_recipient_result_finalize (GObject *object)
{
  MissiveRecipientResult *self = MISSIVE_RECIPIENT_RESULT (object);

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->enhanced_status, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (missive_recipient_result_parent_class)->finalize (object);
}

static void
missive_recipient_result_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  MissiveRecipientResult *self = MISSIVE_RECIPIENT_RESULT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_CODE:
      g_value_set_uint (value, self->code);
      break;
    case PROP_ENHANCED_STATUS:
      g_value_set_string (value, self->enhanced_status);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_ACCEPTED:
      g_value_set_boolean (value, missive_recipient_result_get_accepted (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_recipient_result_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  MissiveRecipientResult *self = MISSIVE_RECIPIENT_RESULT (object);

  /* All construct-only: each is set exactly once, before anyone watches. */
  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_value_dup_string (value);
      break;
    case PROP_CODE:
      self->code = g_value_get_uint (value);
      break;
    case PROP_ENHANCED_STATUS:
      g_free (self->enhanced_status);
      self->enhanced_status = g_value_dup_string (value);
      break;
    case PROP_TEXT:
      g_free (self->text);
      self->text = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_recipient_result_class_init (MissiveRecipientResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_recipient_result_finalize;
  object_class->get_property = missive_recipient_result_get_property;
  object_class->set_property = missive_recipient_result_set_property;

  /**
   * MissiveRecipientResult:address:
   *
   * The recipient's address, as given in `RCPT TO` (without the angle
   * brackets).
   *
   * Since: 1.0
   */
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveRecipientResult:code:
   *
   * The three-digit reply code, e.g. 250 or 550; 0 when the server never
   * answered for this recipient.
   *
   * Since: 1.0
   */
  properties[PROP_CODE] =
    g_param_spec_uint ("code", NULL, NULL,
                       0, 999, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveRecipientResult:enhanced-status:
   *
   * The RFC 3463 enhanced status code of the reply (e.g. "5.1.1"), when the
   * server sent one.
   *
   * Since: 1.0
   */
  properties[PROP_ENHANCED_STATUS] =
    g_param_spec_string ("enhanced-status", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveRecipientResult:text:
   *
   * The human-readable text of the reply, without the codes.
   *
   * Since: 1.0
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveRecipientResult:accepted:
   *
   * Whether the server accepted the recipient: the code is 2xx (including
   * 251 and 252).
   *
   * Since: 1.0
   */
  properties[PROP_ACCEPTED] =
    g_param_spec_boolean ("accepted", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_recipient_result_init (MissiveRecipientResult *self)
{
}

/**
 * missive_recipient_result_new:
 * @address: the recipient's address
 * @code: the reply code, or 0 if there was none
 * @enhanced_status: (nullable): the enhanced status code, e.g. "2.1.5"
 * @text: (nullable): the text of the reply
 *
 * Creates a recipient result. Protocol plugins call this.
 *
 * Returns: (transfer full): a new recipient result
 *
 * Since: 1.0
 */
MissiveRecipientResult *
missive_recipient_result_new (const char *address,
                              guint       code,
                              const char *enhanced_status,
                              const char *text)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (code <= 999, NULL);

  return g_object_new (MISSIVE_TYPE_RECIPIENT_RESULT,
                       "address", address,
                       "code", code,
                       "enhanced-status", enhanced_status,
                       "text", text,
                       NULL);
}

/**
 * missive_recipient_result_get_address:
 * @self: a recipient result
 *
 * Gets the [property@RecipientResult:address] property.
 *
 * Returns: the recipient's address
 *
 * Since: 1.0
 */
const char *
missive_recipient_result_get_address (MissiveRecipientResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECIPIENT_RESULT (self), NULL);
  return self->address;
}

/**
 * missive_recipient_result_get_code:
 * @self: a recipient result
 *
 * Gets the [property@RecipientResult:code] property.
 *
 * Returns: the reply code, or 0
 *
 * Since: 1.0
 */
guint
missive_recipient_result_get_code (MissiveRecipientResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECIPIENT_RESULT (self), 0);
  return self->code;
}

/**
 * missive_recipient_result_get_enhanced_status:
 * @self: a recipient result
 *
 * Gets the [property@RecipientResult:enhanced-status] property.
 *
 * Returns: (nullable): the enhanced status code
 *
 * Since: 1.0
 */
const char *
missive_recipient_result_get_enhanced_status (MissiveRecipientResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECIPIENT_RESULT (self), NULL);
  return self->enhanced_status;
}

/**
 * missive_recipient_result_get_text:
 * @self: a recipient result
 *
 * Gets the [property@RecipientResult:text] property.
 *
 * Returns: (nullable): the reply text
 *
 * Since: 1.0
 */
const char *
missive_recipient_result_get_text (MissiveRecipientResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECIPIENT_RESULT (self), NULL);
  return self->text;
}

/**
 * missive_recipient_result_get_accepted:
 * @self: a recipient result
 *
 * Gets the [property@RecipientResult:accepted] property.
 *
 * Returns: %TRUE if the server accepted the recipient
 *
 * Since: 1.0
 */
gboolean
missive_recipient_result_get_accepted (MissiveRecipientResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECIPIENT_RESULT (self), FALSE);
  return self->code >= 200 && self->code <= 299;
}
