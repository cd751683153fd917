/* missive-message-builder.c: compose a message from simple settings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-message-builder-private.h"

/**
 * MissiveMessageBuilder:
 *
 * The simple way to compose a message: set the addresses, the subject, a
 * plain-text and/or an HTML body, attachments, inline images and a few
 * flags, then call [method@MessageBuilder.build] to get a `GMimeMessage`
 * ready for [method@Sender.send_message] or [method@Outbox.queue].
 *
 * The builder decides the MIME structure: a single text part, a
 * `multipart/alternative` of the plain text and the HTML, a
 * `multipart/related` around the HTML and its inline parts, and a
 * `multipart/mixed` around the body and the attachments. Text is written in
 * [property@MessageBuilder:charset] (UTF-8 unless set), in 7bit when it is
 * plain ASCII, otherwise quoted-printable when it is mostly ASCII and
 * base64 when it is not; attachments are always base64.
 *
 * Headers: display names and the subject that are not plain ASCII are
 * written as RFC 2047 encoded words in the chosen charset (UTF-8 where the
 * charset cannot represent the text); international domain names are
 * converted to their ASCII (punycode) form; attachment file names that are
 * not plain ASCII, or too long for one line, are written as RFC 2231
 * parameters in UTF-8. Every header line the builder writes is folded at
 * [property@MessageBuilder:fold-length], before white space, wherever
 * the syntax allows a fold: a single word longer than the line (a long
 * Message-ID or address, or a raw header value) stays unbroken.
 *
 * Nothing the application passes can inject a header: every setter that
 * takes text refuses CR, LF and other control characters with
 * %MISSIVE_ERROR_INVALID_ARGUMENT, and [method@MessageBuilder.build] checks
 * everything again (values set through GObject properties are only checked
 * there).
 *
 * The Bcc header is part of the built message; [class@Sender] removes it
 * from the copy it transmits.
 *
 * A builder can be built any number of times; each call returns a new,
 * independent message (with a new Message-ID unless one was set). A builder
 * is not thread-safe.
 *
 * Since: 1.0
 */

enum {
  PROP_0,
  PROP_SUBJECT,
  PROP_TEXT_BODY,
  PROP_HTML_BODY,
  PROP_CHARSET,
  PROP_IMPORTANCE,
  PROP_PRIORITY,
  PROP_PRIORITY_HEADERS,
  PROP_SENSITIVITY,
  PROP_READ_RECEIPT_TO,
  PROP_DELIVERY_RECEIPT_TO,
  PROP_RETURN_PATH,
  PROP_DATE,
  PROP_MESSAGE_ID,
  PROP_MESSAGE_ID_HASH,
  PROP_FOLD_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveMessageBuilder, missive_message_builder, G_TYPE_OBJECT)

void
missive_builder_address_free (gpointer data)
{
  MissiveBuilderAddress *address = data;

  g_free (address->name);
  g_free (address->address);
  g_free (address);
}

void
missive_builder_header_free (gpointer data)
{
  MissiveBuilderHeader *header = data;

  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static void
missive_message_builder_finalize (GObject *object)
{
  MissiveMessageBuilder *self = MISSIVE_MESSAGE_BUILDER (object);

  for (guint i = 0; i < MISSIVE_BUILDER_N_FIELDS; i++)
    g_ptr_array_unref (self->addresses[i]);
  g_free (self->subject);
  g_free (self->text_body);
  g_free (self->html_body);
  g_free (self->charset);
  g_free (self->read_receipt_to);
  g_free (self->delivery_receipt_to);
  g_free (self->return_path);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->message_id);
  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->attachments);

  G_OBJECT_CLASS (missive_message_builder_parent_class)->finalize (object);
}

/* Stores a string property without checking it (the checked C setters
 * check first; build() checks again). */
static void
store_string (MissiveMessageBuilder *self,
              char                 **field,
              const char            *value,
              guint                  prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
missive_message_builder_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MissiveMessageBuilder *self = MISSIVE_MESSAGE_BUILDER (object);

  switch (prop_id)
    {
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_TEXT_BODY:
      g_value_set_string (value, self->text_body);
      break;
    case PROP_HTML_BODY:
      g_value_set_string (value, self->html_body);
      break;
    case PROP_CHARSET:
      g_value_set_string (value, self->charset);
      break;
    case PROP_IMPORTANCE:
      g_value_set_enum (value, self->importance);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, self->priority);
      break;
    case PROP_PRIORITY_HEADERS:
      g_value_set_flags (value, self->priority_headers);
      break;
    case PROP_SENSITIVITY:
      g_value_set_enum (value, self->sensitivity);
      break;
    case PROP_READ_RECEIPT_TO:
      g_value_set_string (value, self->read_receipt_to);
      break;
    case PROP_DELIVERY_RECEIPT_TO:
      g_value_set_string (value, self->delivery_receipt_to);
      break;
    case PROP_RETURN_PATH:
      g_value_set_string (value, self->return_path);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_MESSAGE_ID_HASH:
      g_value_set_int (value, self->message_id_hash);
      break;
    case PROP_FOLD_LENGTH:
      g_value_set_uint (value, self->fold_length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_message_builder_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MissiveMessageBuilder *self = MISSIVE_MESSAGE_BUILDER (object);

  switch (prop_id)
    {
    case PROP_SUBJECT:
      store_string (self, &self->subject, g_value_get_string (value), prop_id);
      break;
    case PROP_TEXT_BODY:
      store_string (self, &self->text_body, g_value_get_string (value), prop_id);
      break;
    case PROP_HTML_BODY:
      store_string (self, &self->html_body, g_value_get_string (value), prop_id);
      break;
    case PROP_CHARSET:
      store_string (self, &self->charset,
                    g_value_get_string (value) ? g_value_get_string (value) : "UTF-8",
                    prop_id);
      break;
    case PROP_IMPORTANCE:
      missive_message_builder_set_importance (self, g_value_get_enum (value));
      break;
    case PROP_PRIORITY:
      missive_message_builder_set_priority (self, g_value_get_enum (value));
      break;
    case PROP_PRIORITY_HEADERS:
      missive_message_builder_set_priority_headers (self, g_value_get_flags (value));
      break;
    case PROP_SENSITIVITY:
      missive_message_builder_set_sensitivity (self, g_value_get_enum (value));
      break;
    case PROP_READ_RECEIPT_TO:
      store_string (self, &self->read_receipt_to, g_value_get_string (value), prop_id);
      break;
    case PROP_DELIVERY_RECEIPT_TO:
      store_string (self, &self->delivery_receipt_to, g_value_get_string (value), prop_id);
      break;
    case PROP_RETURN_PATH:
      store_string (self, &self->return_path, g_value_get_string (value), prop_id);
      break;
    case PROP_DATE:
      missive_message_builder_set_date (self, g_value_get_boxed (value));
      break;
    case PROP_MESSAGE_ID:
      store_string (self, &self->message_id, g_value_get_string (value), prop_id);
      break;
    case PROP_MESSAGE_ID_HASH:
      missive_message_builder_set_message_id_hash (self, g_value_get_int (value));
      break;
    case PROP_FOLD_LENGTH:
      missive_message_builder_set_fold_length (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_message_builder_class_init (MissiveMessageBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  /* The builder may be the first user of GMime in the process (e.g. from
   * Python, without the engine); g_mime_init() only counts later calls. */
  g_mime_init ();

  object_class->finalize = missive_message_builder_finalize;
  object_class->get_property = missive_message_builder_get_property;
  object_class->set_property = missive_message_builder_set_property;

  /**
   * MissiveMessageBuilder:subject:
   *
   * The subject (UTF-8), or %NULL for no Subject header. Written as RFC
   * 2047 encoded words where it is not plain ASCII.
   *
   * Since: 1.0
   */
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:text-body:
   *
   * The plain-text body (UTF-8, any line endings), or %NULL for none.
   *
   * Since: 1.0
   */
  properties[PROP_TEXT_BODY] =
    g_param_spec_string ("text-body", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:html-body:
   *
   * The HTML body (UTF-8), or %NULL for none. With a plain-text body as
   * well, the two become a `multipart/alternative`.
   *
   * Since: 1.0
   */
  properties[PROP_HTML_BODY] =
    g_param_spec_string ("html-body", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:charset:
   *
   * The charset of the text parts and of the RFC 2047 encoded words in the
   * headers, e.g. `UTF-8` (the default) or `ISO-8859-1`. Text the charset
   * cannot represent is written in UTF-8 instead.
   *
   * Since: 1.0
   */
  properties[PROP_CHARSET] =
    g_param_spec_string ("charset", NULL, NULL, "UTF-8", flags);

  /**
   * MissiveMessageBuilder:importance:
   *
   * The Importance header.
   *
   * Since: 1.0
   */
  properties[PROP_IMPORTANCE] =
    g_param_spec_enum ("importance", NULL, NULL,
                       MISSIVE_TYPE_MESSAGE_IMPORTANCE,
                       MISSIVE_MESSAGE_IMPORTANCE_UNSPECIFIED, flags);

  /**
   * MissiveMessageBuilder:priority:
   *
   * The priority, written in the headers chosen by
   * [property@MessageBuilder:priority-headers].
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL,
                       MISSIVE_TYPE_MESSAGE_PRIORITY,
                       MISSIVE_MESSAGE_PRIORITY_UNSPECIFIED, flags);

  /**
   * MissiveMessageBuilder:priority-headers:
   *
   * Which headers carry [property@MessageBuilder:priority]: by default both
   * X-Priority and Priority.
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY_HEADERS] =
    g_param_spec_flags ("priority-headers", NULL, NULL,
                        MISSIVE_TYPE_PRIORITY_HEADERS,
                        MISSIVE_PRIORITY_HEADERS_X_PRIORITY | MISSIVE_PRIORITY_HEADERS_PRIORITY,
                        flags);

  /**
   * MissiveMessageBuilder:sensitivity:
   *
   * The Sensitivity header.
   *
   * Since: 1.0
   */
  properties[PROP_SENSITIVITY] =
    g_param_spec_enum ("sensitivity", NULL, NULL,
                       MISSIVE_TYPE_MESSAGE_SENSITIVITY,
                       MISSIVE_MESSAGE_SENSITIVITY_UNSPECIFIED, flags);

  /**
   * MissiveMessageBuilder:read-receipt-to:
   *
   * The address that asks for a read receipt (the
   * Disposition-Notification-To header of RFC 8098), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_READ_RECEIPT_TO] =
    g_param_spec_string ("read-receipt-to", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:delivery-receipt-to:
   *
   * The address written in a Return-Receipt-To header, which some servers
   * honour with a delivery notification, or %NULL. Reliable delivery
   * notifications are asked for with DSN ([class@SendOptions]).
   *
   * Since: 1.0
   */
  properties[PROP_DELIVERY_RECEIPT_TO] =
    g_param_spec_string ("delivery-receipt-to", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:return-path:
   *
   * The address of the Return-Path header (the empty string writes the
   * null path `<>`), or %NULL for none.
   *
   * Since: 1.0
   */
  properties[PROP_RETURN_PATH] =
    g_param_spec_string ("return-path", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:date:
   *
   * The Date header, or %NULL for the time of [method@MessageBuilder.build].
   *
   * Since: 1.0
   */
  properties[PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);

  /**
   * MissiveMessageBuilder:message-id:
   *
   * The Message-ID (with or without the angle brackets), or %NULL to
   * generate a new one each time the message is built.
   *
   * Since: 1.0
   */
  properties[PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL, NULL, flags);

  /**
   * MissiveMessageBuilder:message-id-hash:
   *
   * The `GChecksumType` that hashes the random data of a generated
   * Message-ID (its left part is the hexadecimal digest): 0 for MD5, 1 for
   * SHA-1 (the default), 2 for SHA-256, 3 for SHA-512, 4 for SHA-384.
   *
   * Since: 1.0
   */
  properties[PROP_MESSAGE_ID_HASH] =
    g_param_spec_int ("message-id-hash", NULL, NULL,
                      G_CHECKSUM_MD5, G_CHECKSUM_SHA384, G_CHECKSUM_SHA1, flags);

  /**
   * MissiveMessageBuilder:fold-length:
   *
   * The longest header line (in bytes, without the line ending) the
   * builder writes where the syntax allows a fold, between
   * %MISSIVE_MESSAGE_BUILDER_MIN_FOLD_LENGTH and
   * %MISSIVE_MESSAGE_BUILDER_MAX_FOLD_LENGTH.
   *
   * Since: 1.0
   */
  properties[PROP_FOLD_LENGTH] =
    g_param_spec_uint ("fold-length", NULL, NULL,
                       MISSIVE_MESSAGE_BUILDER_MIN_FOLD_LENGTH,
                       MISSIVE_MESSAGE_BUILDER_MAX_FOLD_LENGTH,
                       MISSIVE_MESSAGE_BUILDER_DEFAULT_FOLD_LENGTH, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_message_builder_init (MissiveMessageBuilder *self)
{
  for (guint i = 0; i < MISSIVE_BUILDER_N_FIELDS; i++)
    self->addresses[i] = g_ptr_array_new_with_free_func (missive_builder_address_free);
  self->charset = g_strdup ("UTF-8");
  self->priority_headers = MISSIVE_PRIORITY_HEADERS_X_PRIORITY | MISSIVE_PRIORITY_HEADERS_PRIORITY;
  self->message_id_hash = G_CHECKSUM_SHA1;
  self->fold_length = MISSIVE_MESSAGE_BUILDER_DEFAULT_FOLD_LENGTH;
  self->headers = g_ptr_array_new_with_free_func (missive_builder_header_free);
  self->attachments = g_ptr_array_new_with_free_func (missive_builder_attachment_free);
}

/**
 * missive_message_builder_new:
 *
 * Creates an empty message builder.
 *
 * Returns: (transfer full): a new #MissiveMessageBuilder
 *
 * Since: 1.0
 */
MissiveMessageBuilder *
missive_message_builder_new (void)
{
  return g_object_new (MISSIVE_TYPE_MESSAGE_BUILDER, NULL);
}

/* ---- text settings ---- */

/**
 * missive_message_builder_set_subject:
 * @self: a #MissiveMessageBuilder
 * @subject: (nullable): the subject (UTF-8), or %NULL for none
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:subject].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT (the
 *   subject is unchanged) when @subject contains CR, LF or other control
 *   characters or is not UTF-8
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_subject (MissiveMessageBuilder *self,
                                     const char            *subject,
                                     GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!missive_builder_check_text ("The subject", subject, FALSE, error))
    return FALSE;
  store_string (self, &self->subject, subject, PROP_SUBJECT);
  return TRUE;
}

/**
 * missive_message_builder_get_subject:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:subject].
 *
 * Returns: (nullable): the subject
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_subject (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->subject;
}

/**
 * missive_message_builder_set_text_body:
 * @self: a #MissiveMessageBuilder
 * @text: (nullable): the plain-text body (UTF-8), or %NULL for none
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:text-body].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when
 *   @text is not UTF-8
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_text_body (MissiveMessageBuilder *self,
                                       const char            *text,
                                       GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!missive_builder_check_text ("The text body", text, TRUE, error))
    return FALSE;
  store_string (self, &self->text_body, text, PROP_TEXT_BODY);
  return TRUE;
}

/**
 * missive_message_builder_get_text_body:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:text-body].
 *
 * Returns: (nullable): the plain-text body
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_text_body (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->text_body;
}

/**
 * missive_message_builder_set_html_body:
 * @self: a #MissiveMessageBuilder
 * @html: (nullable): the HTML body (UTF-8), or %NULL for none
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:html-body]. Inline parts added with
 * [method@MessageBuilder.add_inline_file] are referred to from the HTML as
 * `cid:` URLs.
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when
 *   @html is not UTF-8
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_html_body (MissiveMessageBuilder *self,
                                       const char            *html,
                                       GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!missive_builder_check_text ("The HTML body", html, TRUE, error))
    return FALSE;
  store_string (self, &self->html_body, html, PROP_HTML_BODY);
  return TRUE;
}

/**
 * missive_message_builder_get_html_body:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:html-body].
 *
 * Returns: (nullable): the HTML body
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_html_body (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->html_body;
}

/**
 * missive_message_builder_set_charset:
 * @self: a #MissiveMessageBuilder
 * @charset: (nullable): a charset name known to iconv, or %NULL for UTF-8
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:charset].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when the
 *   charset is not a valid name or not supported
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_charset (MissiveMessageBuilder *self,
                                     const char            *charset,
                                     GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (charset == NULL)
    charset = "UTF-8";
  if (!missive_builder_check_charset (charset, error))
    return FALSE;
  store_string (self, &self->charset, charset, PROP_CHARSET);
  return TRUE;
}

/**
 * missive_message_builder_get_charset:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:charset].
 *
 * Returns: the charset name
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_charset (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->charset;
}

/* ---- flags ---- */

/**
 * missive_message_builder_set_importance:
 * @self: a #MissiveMessageBuilder
 * @importance: the importance
 *
 * Sets [property@MessageBuilder:importance].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_importance (MissiveMessageBuilder    *self,
                                        MissiveMessageImportance  importance)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (importance <= MISSIVE_MESSAGE_IMPORTANCE_HIGH);

  if (self->importance == importance)
    return;
  self->importance = importance;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTANCE]);
}

/**
 * missive_message_builder_get_importance:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:importance].
 *
 * Returns: the importance
 *
 * Since: 1.0
 */
MissiveMessageImportance
missive_message_builder_get_importance (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), MISSIVE_MESSAGE_IMPORTANCE_UNSPECIFIED);
  return self->importance;
}

/**
 * missive_message_builder_set_priority:
 * @self: a #MissiveMessageBuilder
 * @priority: the priority
 *
 * Sets [property@MessageBuilder:priority].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_priority (MissiveMessageBuilder  *self,
                                      MissiveMessagePriority  priority)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (priority <= MISSIVE_MESSAGE_PRIORITY_LOWEST);

  if (self->priority == priority)
    return;
  self->priority = priority;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

/**
 * missive_message_builder_get_priority:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:priority].
 *
 * Returns: the priority
 *
 * Since: 1.0
 */
MissiveMessagePriority
missive_message_builder_get_priority (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), MISSIVE_MESSAGE_PRIORITY_UNSPECIFIED);
  return self->priority;
}

/**
 * missive_message_builder_set_priority_headers:
 * @self: a #MissiveMessageBuilder
 * @headers: the headers that carry the priority
 *
 * Sets [property@MessageBuilder:priority-headers].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_priority_headers (MissiveMessageBuilder  *self,
                                              MissivePriorityHeaders  headers)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));

  headers &= MISSIVE_PRIORITY_HEADERS_X_PRIORITY | MISSIVE_PRIORITY_HEADERS_PRIORITY;
  if (self->priority_headers == headers)
    return;
  self->priority_headers = headers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY_HEADERS]);
}

/**
 * missive_message_builder_get_priority_headers:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:priority-headers].
 *
 * Returns: the headers that carry the priority
 *
 * Since: 1.0
 */
MissivePriorityHeaders
missive_message_builder_get_priority_headers (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), MISSIVE_PRIORITY_HEADERS_NONE);
  return self->priority_headers;
}

/**
 * missive_message_builder_set_sensitivity:
 * @self: a #MissiveMessageBuilder
 * @sensitivity: the sensitivity
 *
 * Sets [property@MessageBuilder:sensitivity].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_sensitivity (MissiveMessageBuilder     *self,
                                         MissiveMessageSensitivity  sensitivity)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (sensitivity <= MISSIVE_MESSAGE_SENSITIVITY_COMPANY_CONFIDENTIAL);

  if (self->sensitivity == sensitivity)
    return;
  self->sensitivity = sensitivity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENSITIVITY]);
}

/**
 * missive_message_builder_get_sensitivity:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:sensitivity].
 *
 * Returns: the sensitivity
 *
 * Since: 1.0
 */
MissiveMessageSensitivity
missive_message_builder_get_sensitivity (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), MISSIVE_MESSAGE_SENSITIVITY_UNSPECIFIED);
  return self->sensitivity;
}

/* ---- single addresses ---- */

static gboolean
set_single_address (MissiveMessageBuilder *self,
                    char                 **field,
                    guint                  prop,
                    const char            *what,
                    const char            *address,
                    gboolean               allow_null_path,
                    GError               **error)
{
  g_autofree char *normalized = NULL;

  if (address != NULL && !(allow_null_path && (*address == '\0' || strcmp (address, "<>") == 0)))
    {
      normalized = missive_builder_normalize_address (what, address, error);
      if (normalized == NULL)
        return FALSE;
    }
  else if (address != NULL)
    normalized = g_strdup ("");
  store_string (self, field, normalized, prop);
  return TRUE;
}

/**
 * missive_message_builder_set_read_receipt_to:
 * @self: a #MissiveMessageBuilder
 * @address: (nullable): the address, or %NULL
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:read-receipt-to].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_read_receipt_to (MissiveMessageBuilder *self,
                                             const char            *address,
                                             GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_single_address (self, &self->read_receipt_to, PROP_READ_RECEIPT_TO,
                             "The read-receipt address", address, FALSE, error);
}

/**
 * missive_message_builder_get_read_receipt_to:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:read-receipt-to].
 *
 * Returns: (nullable): the address
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_read_receipt_to (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->read_receipt_to;
}

/**
 * missive_message_builder_set_delivery_receipt_to:
 * @self: a #MissiveMessageBuilder
 * @address: (nullable): the address, or %NULL
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:delivery-receipt-to].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_delivery_receipt_to (MissiveMessageBuilder *self,
                                                 const char            *address,
                                                 GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_single_address (self, &self->delivery_receipt_to, PROP_DELIVERY_RECEIPT_TO,
                             "The delivery-receipt address", address, FALSE, error);
}

/**
 * missive_message_builder_get_delivery_receipt_to:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:delivery-receipt-to].
 *
 * Returns: (nullable): the address
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_delivery_receipt_to (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->delivery_receipt_to;
}

/**
 * missive_message_builder_set_return_path:
 * @self: a #MissiveMessageBuilder
 * @address: (nullable): the address, the empty string for the null path,
 *   or %NULL for no Return-Path header
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:return-path].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_return_path (MissiveMessageBuilder *self,
                                         const char            *address,
                                         GError               **error)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_single_address (self, &self->return_path, PROP_RETURN_PATH,
                             "The Return-Path address", address, TRUE, error);
}

/**
 * missive_message_builder_get_return_path:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:return-path].
 *
 * Returns: (nullable): the address (empty for the null path)
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_return_path (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->return_path;
}

/* ---- identity ---- */

/**
 * missive_message_builder_set_date:
 * @self: a #MissiveMessageBuilder
 * @date: (nullable): the date, or %NULL for the time of building
 *
 * Sets [property@MessageBuilder:date].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_date (MissiveMessageBuilder *self,
                                  GDateTime             *date)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));

  if (self->date == date)
    return;
  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_ref (date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

/**
 * missive_message_builder_get_date:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:date].
 *
 * Returns: (nullable) (transfer none): the date, or %NULL
 *
 * Since: 1.0
 */
GDateTime *
missive_message_builder_get_date (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->date;
}

/**
 * missive_message_builder_set_message_id:
 * @self: a #MissiveMessageBuilder
 * @message_id: (nullable): the Message-ID (`left@right`, angle brackets
 *   optional), or %NULL to generate one per build
 * @error: return location for a #GError
 *
 * Sets [property@MessageBuilder:message-id].
 *
 * Returns: %TRUE, or %FALSE with %MISSIVE_ERROR_INVALID_ARGUMENT when it
 *   is not of the form `left@right` or contains white space, control
 *   characters or specials
 *
 * Since: 1.0
 */
gboolean
missive_message_builder_set_message_id (MissiveMessageBuilder *self,
                                        const char            *message_id,
                                        GError               **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (message_id != NULL)
    {
      normalized = missive_builder_normalize_msg_id ("The Message-ID", message_id, TRUE, error);
      if (normalized == NULL)
        return FALSE;
    }
  store_string (self, &self->message_id, normalized, PROP_MESSAGE_ID);
  return TRUE;
}

/**
 * missive_message_builder_get_message_id:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:message-id].
 *
 * Returns: (nullable): the Message-ID set, or %NULL when it is generated
 *
 * Since: 1.0
 */
const char *
missive_message_builder_get_message_id (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  return self->message_id;
}

/**
 * missive_message_builder_set_message_id_hash:
 * @self: a #MissiveMessageBuilder
 * @hash: the hash of generated Message-IDs
 *
 * Sets [property@MessageBuilder:message-id-hash].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_message_id_hash (MissiveMessageBuilder *self,
                                             GChecksumType          hash)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (g_checksum_type_get_length (hash) > 0);

  if (self->message_id_hash == hash)
    return;
  self->message_id_hash = hash;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_ID_HASH]);
}

/**
 * missive_message_builder_get_message_id_hash:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:message-id-hash].
 *
 * Returns: the hash of generated Message-IDs
 *
 * Since: 1.0
 */
GChecksumType
missive_message_builder_get_message_id_hash (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), G_CHECKSUM_SHA1);
  return self->message_id_hash;
}

/**
 * missive_message_builder_set_fold_length:
 * @self: a #MissiveMessageBuilder
 * @length: the longest header line, from
 *   %MISSIVE_MESSAGE_BUILDER_MIN_FOLD_LENGTH to
 *   %MISSIVE_MESSAGE_BUILDER_MAX_FOLD_LENGTH
 *
 * Sets [property@MessageBuilder:fold-length].
 *
 * Since: 1.0
 */
void
missive_message_builder_set_fold_length (MissiveMessageBuilder *self,
                                         guint                  length)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (length >= MISSIVE_MESSAGE_BUILDER_MIN_FOLD_LENGTH &&
                    length <= MISSIVE_MESSAGE_BUILDER_MAX_FOLD_LENGTH);

  if (self->fold_length == length)
    return;
  self->fold_length = length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLD_LENGTH]);
}

/**
 * missive_message_builder_get_fold_length:
 * @self: a #MissiveMessageBuilder
 *
 * Gets [property@MessageBuilder:fold-length].
 *
 * Returns: the longest header line
 *
 * Since: 1.0
 */
guint
missive_message_builder_get_fold_length (MissiveMessageBuilder *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), 0);
  return self->fold_length;
}
