/* missive-envelope.c: the SMTP envelope of one message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-service-private.h"

/**
 * MissiveEnvelope:
 *
 * The envelope of one message: the reverse path (`MAIL FROM`) and the
 * recipients (`RCPT TO`), which need not match the message's headers — a
 * Bcc recipient is in the envelope but not in the transmitted headers, and
 * a mailing list rewrites the reverse path.
 *
 * [ctor@Envelope.new_from_message] derives an envelope the usual way: the
 * reverse path from Return-Path, else Sender, else the first From address;
 * the recipients from To, Cc and Bcc in that order, groups expanded,
 * duplicates removed. [method@Sender.send_message] does this itself when it
 * is given no envelope.
 *
 * The envelope also records what the message's bytes need from the
 * transport: its [enum@ContentClass] (8BITMIME, BINARYMIME) and whether the
 * headers carry raw UTF-8 addresses (SMTPUTF8); the sender fills these in
 * for a #GMimeMessage.
 *
 * Since: 1.0
 */
struct _MissiveEnvelope
{
  GObject parent_instance;

  char *from;
  GPtrArray *addresses;          /* char * */
  GArray *kinds;                 /* MissiveRecipientKind */
  GArray *notify;                /* MissiveDsnNotify, per recipient */
  MissiveContentClass content_class;
  gboolean headers_utf8;
};

enum {
  PROP_0,
  PROP_FROM,
  PROP_CONTENT_CLASS,
  PROP_HEADERS_UTF8,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveEnvelope, missive_envelope, G_TYPE_OBJECT)

static void
missive_envelope_finalize (GObject *object)
{
  MissiveEnvelope *self = MISSIVE_ENVELOPE (object);

  g_free (self->from);
  g_ptr_array_unref (self->addresses);
  g_array_unref (self->kinds);
  g_array_unref (self->notify);

  G_OBJECT_CLASS (missive_envelope_parent_class)->finalize (object);
}

static void
missive_envelope_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MissiveEnvelope *self = MISSIVE_ENVELOPE (object);

  switch (prop_id)
    {
    case PROP_FROM:
      g_value_set_string (value, self->from);
      break;
    case PROP_CONTENT_CLASS:
      g_value_set_enum (value, self->content_class);
      break;
    case PROP_HEADERS_UTF8:
      g_value_set_boolean (value, self->headers_utf8);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_envelope_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MissiveEnvelope *self = MISSIVE_ENVELOPE (object);

  switch (prop_id)
    {
    case PROP_FROM:
      missive_envelope_set_from (self, g_value_get_string (value));
      break;
    case PROP_CONTENT_CLASS:
      missive_envelope_set_content_class (self, g_value_get_enum (value));
      break;
    case PROP_HEADERS_UTF8:
      missive_envelope_set_headers_utf8 (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_envelope_class_init (MissiveEnvelopeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = missive_envelope_finalize;
  object_class->get_property = missive_envelope_get_property;
  object_class->set_property = missive_envelope_set_property;

  /**
   * MissiveEnvelope:from:
   *
   * The reverse path: the address bounces go to, without angle brackets.
   * The empty string is the null reverse path (`MAIL FROM:<>`), as used by
   * bounces themselves.
   *
   * Since: 1.0
   */
  properties[PROP_FROM] =
    g_param_spec_string ("from", NULL, NULL, "", flags);

  /**
   * MissiveEnvelope:content-class:
   *
   * What the message's bytes need from the transport.
   *
   * Since: 1.0
   */
  properties[PROP_CONTENT_CLASS] =
    g_param_spec_enum ("content-class", NULL, NULL,
                       MISSIVE_TYPE_CONTENT_CLASS, MISSIVE_CONTENT_7BIT, flags);

  /**
   * MissiveEnvelope:headers-utf8:
   *
   * Whether the message's headers contain UTF-8 addresses, which only
   * SMTPUTF8 (RFC 6531) can carry.
   *
   * Since: 1.0
   */
  properties[PROP_HEADERS_UTF8] =
    g_param_spec_boolean ("headers-utf8", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_envelope_init (MissiveEnvelope *self)
{
  self->from = g_strdup ("");
  self->addresses = g_ptr_array_new_with_free_func (g_free);
  self->kinds = g_array_new (FALSE, FALSE, sizeof (MissiveRecipientKind));
  self->notify = g_array_new (FALSE, TRUE, sizeof (MissiveDsnNotify));
}

/**
 * missive_envelope_new:
 * @from: (nullable): the reverse path; %NULL or "" for the null path
 *
 * Creates an envelope without recipients.
 *
 * Returns: (transfer full): a new envelope
 *
 * Since: 1.0
 */
MissiveEnvelope *
missive_envelope_new (const char *from)
{
  return g_object_new (MISSIVE_TYPE_ENVELOPE, "from", from != NULL ? from : "", NULL);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* Walks @list (groups included) and calls @func for each mailbox address. */
static void
foreach_mailbox (InternetAddressList *list,
                 void (*func) (const char *addr, gpointer data),
                 gpointer data)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (ia))
        foreach_mailbox (internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)),
                         func, data);
      else if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));

          if (addr != NULL && *addr != '\0')
            func (addr, data);
        }
    }
}

typedef struct
{
  MissiveEnvelope *envelope;
  MissiveRecipientKind kind;
  GHashTable *seen;               /* case-folded addresses */
  char *first;                    /* first address seen, for the reverse path */
  gboolean utf8;
} Collect;

static void
collect_recipient (const char *addr,
                   gpointer    data)
{
  Collect *c = data;
  char *key = g_utf8_casefold (addr, -1);

  if (!is_ascii (addr))
    c->utf8 = TRUE;
  if (!g_hash_table_add (c->seen, key))
    return;
  missive_envelope_add_recipient (c->envelope, addr, c->kind);
}

static void
collect_first (const char *addr,
               gpointer    data)
{
  Collect *c = data;

  if (!is_ascii (addr))
    c->utf8 = TRUE;
  if (c->first == NULL)
    c->first = g_strdup (addr);
}

/**
 * missive_envelope_new_from_message:
 * @message: a message
 * @error: return location for a #GError
 *
 * Derives the envelope of @message: the reverse path from its Return-Path
 * header, else its Sender, else its first From address; the recipients
 * from To, Cc and Bcc, groups expanded, each address once. The content
 * class is left at %MISSIVE_CONTENT_7BIT ([method@Sender.send_message]
 * measures it when it serialises the message);
 * [property@Envelope:headers-utf8] is set when an address in the headers
 * is not ASCII.
 *
 * Returns: (transfer full): the envelope, or %NULL with
 *   %MISSIVE_ERROR_INVALID_ARGUMENT when the message names no sender or
 *   no recipient
 *
 * Since: 1.0
 */
MissiveEnvelope *
missive_envelope_new_from_message (GMimeMessage  *message,
                                   GError       **error)
{
  static const struct { GMimeAddressType type; MissiveRecipientKind kind; } fields[] = {
    { GMIME_ADDRESS_TYPE_TO, MISSIVE_RECIPIENT_TO },
    { GMIME_ADDRESS_TYPE_CC, MISSIVE_RECIPIENT_CC },
    { GMIME_ADDRESS_TYPE_BCC, MISSIVE_RECIPIENT_BCC },
  };
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GHashTable) seen = NULL;
  Collect c = { 0, };
  const char *return_path;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  envelope = missive_envelope_new (NULL);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.envelope = envelope;
  c.seen = seen;

  /* Return-Path holds one address in angle brackets (or "<>"). */
  return_path = g_mime_object_get_header (GMIME_OBJECT (message), "Return-Path");
  if (return_path != NULL)
    {
      InternetAddressList *list = internet_address_list_parse (NULL, return_path);

      foreach_mailbox (list, collect_first, &c);
      g_clear_object (&list);
      if (c.first == NULL && strstr (return_path, "<>") != NULL)
        c.first = g_strdup ("");
    }
  if (c.first == NULL)
    foreach_mailbox (g_mime_message_get_sender (message), collect_first, &c);
  if (c.first == NULL)
    foreach_mailbox (g_mime_message_get_from (message), collect_first, &c);
  if (c.first == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The message has no From, Sender or Return-Path address "
                           "to send it from");
      return NULL;
    }
  missive_envelope_set_from (envelope, c.first);
  g_clear_pointer (&c.first, g_free);

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      c.kind = fields[i].kind;
      foreach_mailbox (g_mime_message_get_addresses (message, fields[i].type),
                       collect_recipient, &c);
    }
  foreach_mailbox (g_mime_message_get_reply_to (message), collect_first, &c);
  g_clear_pointer (&c.first, g_free);

  if (envelope->addresses->len == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The message has no To, Cc or Bcc address to send it to");
      return NULL;
    }
  missive_envelope_set_headers_utf8 (envelope, c.utf8);

  return g_steal_pointer (&envelope);
}

/**
 * missive_envelope_get_from:
 * @self: the envelope
 *
 * Gets the reverse path (the SMTP MAIL FROM address).
 *
 * Returns: the reverse path, "" for the null path
 *
 * Since: 1.0
 */
const char *
missive_envelope_get_from (MissiveEnvelope *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), NULL);
  return self->from;
}

/**
 * missive_envelope_set_from:
 * @self: the envelope
 * @from: (nullable): the reverse path; %NULL or "" for the null path
 *
 * Sets [property@Envelope:from]: this is how an application overrides
 * `MAIL FROM` (a Return-Path of its own).
 *
 * Since: 1.0
 */
void
missive_envelope_set_from (MissiveEnvelope *self,
                           const char      *from)
{
  g_return_if_fail (MISSIVE_IS_ENVELOPE (self));

  if (from == NULL)
    from = "";
  if (g_strcmp0 (self->from, from) == 0)
    return;
  g_free (self->from);
  self->from = g_strdup (from);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM]);
}

/**
 * missive_envelope_add_recipient:
 * @self: the envelope
 * @address: an address, without angle brackets
 * @kind: where the address came from (it decides which
 *   [flags@StopOn] flag applies when the server refuses it)
 *
 * Appends a recipient. Addresses are checked when the message is sent
 * (see [method@Envelope.validate]).
 *
 * Since: 1.0
 */
void
missive_envelope_add_recipient (MissiveEnvelope      *self,
                                const char           *address,
                                MissiveRecipientKind  kind)
{
  g_return_if_fail (MISSIVE_IS_ENVELOPE (self));
  g_return_if_fail (address != NULL);

  g_ptr_array_add (self->addresses, g_strdup (address));
  g_array_append_val (self->kinds, kind);
  g_array_set_size (self->notify, self->addresses->len);
}

/**
 * missive_envelope_get_n_recipients:
 * @self: the envelope
 *
 * Gets the number of recipients.
 *
 * Returns: the number of recipients
 *
 * Since: 1.0
 */
guint
missive_envelope_get_n_recipients (MissiveEnvelope *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), 0);
  return self->addresses->len;
}

/**
 * missive_envelope_get_recipient:
 * @self: the envelope
 * @index: which recipient, from 0
 * @kind: (out) (optional): where it came from
 *
 * Gets one recipient's address and kind.
 *
 * Returns: the address of recipient @index
 *
 * Since: 1.0
 */
const char *
missive_envelope_get_recipient (MissiveEnvelope      *self,
                                guint                 index,
                                MissiveRecipientKind *kind)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), NULL);
  g_return_val_if_fail (index < self->addresses->len, NULL);

  if (kind != NULL)
    *kind = g_array_index (self->kinds, MissiveRecipientKind, index);
  return g_ptr_array_index (self->addresses, index);
}

/**
 * missive_envelope_get_recipient_notify:
 * @self: the envelope
 * @index: which recipient, from 0
 *
 * Gets the delivery status notification choice set for one recipient.
 *
 * Returns: the recipient's own delivery status notification choice, or
 *   %MISSIVE_DSN_NOTIFY_DEFAULT when it follows the send options'
 *   [property@SendOptions:dsn-notify]
 *
 * Since: 1.0
 */
MissiveDsnNotify
missive_envelope_get_recipient_notify (MissiveEnvelope *self,
                                       guint            index)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), MISSIVE_DSN_NOTIFY_DEFAULT);
  g_return_val_if_fail (index < self->addresses->len, MISSIVE_DSN_NOTIFY_DEFAULT);

  return g_array_index (self->notify, MissiveDsnNotify, index);
}

/**
 * missive_envelope_set_recipient_notify:
 * @self: the envelope
 * @index: which recipient, from 0
 * @notify: when to notify about this recipient (RFC 3461 NOTIFY);
 *   %MISSIVE_DSN_NOTIFY_DEFAULT to follow the send options
 *
 * Overrides [property@SendOptions:dsn-notify] for one recipient, e.g. a
 * success report for the To recipient only.
 *
 * Since: 1.0
 */
void
missive_envelope_set_recipient_notify (MissiveEnvelope  *self,
                                       guint             index,
                                       MissiveDsnNotify  notify)
{
  g_return_if_fail (MISSIVE_IS_ENVELOPE (self));
  g_return_if_fail (index < self->addresses->len);
  g_return_if_fail (!(notify & MISSIVE_DSN_NOTIFY_NEVER) || notify == MISSIVE_DSN_NOTIFY_NEVER);

  g_array_index (self->notify, MissiveDsnNotify, index) = notify;
}

/**
 * missive_envelope_needs_smtputf8:
 * @self: the envelope
 *
 * Tells whether sending this envelope needs the SMTPUTF8 extension.
 *
 * Returns: whether the reverse path, a recipient or (per
 *   [property@Envelope:headers-utf8]) the headers are not ASCII, so the
 *   message can only go to a server offering SMTPUTF8
 *
 * Since: 1.0
 */
gboolean
missive_envelope_needs_smtputf8 (MissiveEnvelope *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), FALSE);

  if (self->headers_utf8 || !is_ascii (self->from))
    return TRUE;
  for (guint i = 0; i < self->addresses->len; i++)
    if (!is_ascii (g_ptr_array_index (self->addresses, i)))
      return TRUE;
  return FALSE;
}

/**
 * missive_envelope_get_content_class:
 * @self: the envelope
 *
 * Gets the content class of the message (7bit, 8bit or binary).
 *
 * Returns: the [property@Envelope:content-class]
 *
 * Since: 1.0
 */
MissiveContentClass
missive_envelope_get_content_class (MissiveEnvelope *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), MISSIVE_CONTENT_7BIT);
  return self->content_class;
}

/**
 * missive_envelope_set_content_class:
 * @self: the envelope
 * @content_class: what the message's bytes need
 *
 * Sets [property@Envelope:content-class]. Set it when sending a raw
 * stream with 8-bit or binary content ([method@Sender.send_stream] cannot
 * look inside the stream before sending it).
 *
 * Since: 1.0
 */
void
missive_envelope_set_content_class (MissiveEnvelope     *self,
                                    MissiveContentClass  content_class)
{
  g_return_if_fail (MISSIVE_IS_ENVELOPE (self));

  if (self->content_class == content_class)
    return;
  self->content_class = content_class;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_CLASS]);
}

/**
 * missive_envelope_get_headers_utf8:
 * @self: the envelope
 *
 * Gets whether the message headers contain UTF-8.
 *
 * Returns: the [property@Envelope:headers-utf8] flag
 *
 * Since: 1.0
 */
gboolean
missive_envelope_get_headers_utf8 (MissiveEnvelope *self)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), FALSE);
  return self->headers_utf8;
}

/**
 * missive_envelope_set_headers_utf8:
 * @self: the envelope
 * @headers_utf8: whether the headers carry UTF-8 addresses
 *
 * Sets [property@Envelope:headers-utf8].
 *
 * Since: 1.0
 */
void
missive_envelope_set_headers_utf8 (MissiveEnvelope *self,
                                   gboolean         headers_utf8)
{
  g_return_if_fail (MISSIVE_IS_ENVELOPE (self));

  headers_utf8 = !!headers_utf8;
  if (self->headers_utf8 == headers_utf8)
    return;
  self->headers_utf8 = headers_utf8;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS_UTF8]);
}

static gboolean
address_is_valid (const char *address,
                  gboolean    allow_empty)
{
  if (*address == '\0')
    return allow_empty;
  if (!g_utf8_validate (address, -1, NULL))
    return FALSE;
  /* No line breaks, controls, spaces or brackets: they would break out of
   * the command line or its <> path. */
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == ' ' || *p == '<' || *p == '>')
      return FALSE;
  return TRUE;
}

/**
 * missive_envelope_validate:
 * @self: the envelope
 * @error: return location for a #GError
 *
 * Checks that the envelope can be sent: at least one recipient, and no
 * address that is empty (except the null reverse path), not UTF-8, or
 * contains a control character, a space or an angle bracket.
 *
 * Returns: %TRUE when valid, else %FALSE with
 *   %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
gboolean
missive_envelope_validate (MissiveEnvelope  *self,
                           GError          **error)
{
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (self), FALSE);

  if (!address_is_valid (self->from, TRUE))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The reverse path is not a valid address: no spaces, "
                           "control characters or angle brackets");
      return FALSE;
    }
  if (self->addresses->len == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The envelope has no recipient");
      return FALSE;
    }
  for (guint i = 0; i < self->addresses->len; i++)
    {
      if (!address_is_valid (g_ptr_array_index (self->addresses, i), FALSE))
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "Recipient %u is not a valid address: it is empty or has "
                       "spaces, control characters or angle brackets", i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/* A copy the sender may annotate without touching the caller's object. */
MissiveEnvelope *
missive_envelope_copy (MissiveEnvelope *self)
{
  MissiveEnvelope *copy = missive_envelope_new (self->from);

  for (guint i = 0; i < self->addresses->len; i++)
    {
      missive_envelope_add_recipient (copy, g_ptr_array_index (self->addresses, i),
                                      g_array_index (self->kinds, MissiveRecipientKind, i));
      missive_envelope_set_recipient_notify (copy, i, g_array_index (self->notify, MissiveDsnNotify, i));
    }
  copy->content_class = self->content_class;
  copy->headers_utf8 = self->headers_utf8;
  return copy;
}
