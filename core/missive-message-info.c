/* missive-message-info.c: the summary of one message in a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

#include "missive-message-info-private.h"

/**
 * MissiveMessageInfo:
 *
 * The summary of one message in a mailbox, as a [class@Store] fetches it:
 * identifiers (UID, sequence number, POP3 UIDL, server object ids), size,
 * flags, dates, the envelope (subject, addresses, Message-ID,
 * In-Reply-To), the MIME structure and the raw header block. Which fields
 * are filled in depends on what was fetched; the others are 0 or %NULL.
 *
 * Every field is a property that notifies when it changes, so a list view
 * can bind to it while a store updates the flags. The address lists
 * ([method@MessageInfo.get_addresses]) are the exception: they are set
 * once, when the envelope arrives.
 *
 * Since: 1.0
 */
struct _MissiveMessageInfo
{
  GObject parent_instance;

  guint uid;
  guint sequence;
  guint64 size;
  char *uidl;
  char **flags;
  GDateTime *internal_date;
  char *subject;
  char *from;
  char *message_id;
  guint64 modseq;
  GDateTime *date;
  char *in_reply_to;
  InternetAddressList *addresses[MISSIVE_ADDRESS_FIELD_BCC + 1];
  MissiveBodyPart *body_structure;
  GBytes *raw_headers;
  GPtrArray *headers; /* parsed from raw_headers on demand: name, value, ... */
  char *preview;
  char *email_id;
  char *thread_id;
  GDateTime *save_date;
  char **gmail_labels;
  guint64 gmail_message_id;
  guint64 gmail_thread_id;
};

enum {
  PROP_0,
  PROP_UID,
  PROP_SEQUENCE,
  PROP_SIZE,
  PROP_UIDL,
  PROP_FLAGS,
  PROP_INTERNAL_DATE,
  PROP_SUBJECT,
  PROP_FROM,
  PROP_MESSAGE_ID,
  PROP_MODSEQ,
  PROP_DATE,
  PROP_IN_REPLY_TO,
  PROP_BODY_STRUCTURE,
  PROP_RAW_HEADERS,
  PROP_PREVIEW,
  PROP_EMAIL_ID,
  PROP_THREAD_ID,
  PROP_SAVE_DATE,
  PROP_GMAIL_LABELS,
  PROP_GMAIL_MESSAGE_ID,
  PROP_GMAIL_THREAD_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveMessageInfo, missive_message_info, G_TYPE_OBJECT)

/* Replaces *@field with a copy of @value; returns whether it changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  char *old = *field;

  if (g_strcmp0 (old, value) == 0)
    return FALSE;
  *field = g_strdup (value);
  g_free (old);
  return TRUE;
}

/* Replaces *@field with a reference on @date; returns whether it changed.
 * The same instant with the same offset counts as no change. */
static gboolean
replace_date (GDateTime **field,
              GDateTime  *date)
{
  GDateTime *old = *field;

  if (old == date)
    return FALSE;
  if (old != NULL && date != NULL &&
      g_date_time_equal (old, date) &&
      g_date_time_get_utc_offset (old) == g_date_time_get_utc_offset (date))
    return FALSE;
  *field = date != NULL ? g_date_time_ref (date) : NULL;
  g_clear_pointer (&old, g_date_time_unref);
  return TRUE;
}

/* Replaces *@field with a copy of @strv; returns whether it changed. */
static gboolean
replace_strv (char               ***field,
              const char * const   *strv)
{
  char **old = *field;

  if (old == NULL && strv == NULL)
    return FALSE;
  if (old != NULL && strv != NULL && g_strv_equal ((const char * const *) old, strv))
    return FALSE;
  *field = g_strdupv ((char **) strv);
  g_strfreev (old);
  return TRUE;
}

static void
missive_message_info_finalize (GObject *object)
{
  MissiveMessageInfo *self = MISSIVE_MESSAGE_INFO (object);

  g_clear_pointer (&self->uidl, g_free);
  g_clear_pointer (&self->flags, g_strfreev);
  g_clear_pointer (&self->internal_date, g_date_time_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->in_reply_to, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->addresses); i++)
    g_clear_object (&self->addresses[i]);
  g_clear_object (&self->body_structure);
  g_clear_pointer (&self->raw_headers, g_bytes_unref);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->email_id, g_free);
  g_clear_pointer (&self->thread_id, g_free);
  g_clear_pointer (&self->save_date, g_date_time_unref);
  g_clear_pointer (&self->gmail_labels, g_strfreev);

  G_OBJECT_CLASS (missive_message_info_parent_class)->finalize (object);
}

static void
missive_message_info_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MissiveMessageInfo *self = MISSIVE_MESSAGE_INFO (object);

  switch (prop_id)
    {
    case PROP_UID:
      g_value_set_uint (value, self->uid);
      break;
    case PROP_SEQUENCE:
      g_value_set_uint (value, self->sequence);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_UIDL:
      g_value_set_string (value, self->uidl);
      break;
    case PROP_FLAGS:
      g_value_set_boxed (value, self->flags);
      break;
    case PROP_INTERNAL_DATE:
      g_value_set_boxed (value, self->internal_date);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_FROM:
      g_value_set_string (value, self->from);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_MODSEQ:
      g_value_set_uint64 (value, self->modseq);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;
    case PROP_IN_REPLY_TO:
      g_value_set_string (value, self->in_reply_to);
      break;
    case PROP_BODY_STRUCTURE:
      g_value_set_object (value, self->body_structure);
      break;
    case PROP_RAW_HEADERS:
      g_value_set_boxed (value, self->raw_headers);
      break;
    case PROP_PREVIEW:
      g_value_set_string (value, self->preview);
      break;
    case PROP_EMAIL_ID:
      g_value_set_string (value, self->email_id);
      break;
    case PROP_THREAD_ID:
      g_value_set_string (value, self->thread_id);
      break;
    case PROP_SAVE_DATE:
      g_value_set_boxed (value, self->save_date);
      break;
    case PROP_GMAIL_LABELS:
      g_value_set_boxed (value, self->gmail_labels);
      break;
    case PROP_GMAIL_MESSAGE_ID:
      g_value_set_uint64 (value, self->gmail_message_id);
      break;
    case PROP_GMAIL_THREAD_ID:
      g_value_set_uint64 (value, self->gmail_thread_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_message_info_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MissiveMessageInfo *self = MISSIVE_MESSAGE_INFO (object);

  switch (prop_id)
    {
    case PROP_UID:
      missive_message_info_set_uid (self, g_value_get_uint (value));
      break;
    case PROP_SEQUENCE:
      missive_message_info_set_sequence (self, g_value_get_uint (value));
      break;
    case PROP_SIZE:
      missive_message_info_set_size (self, g_value_get_uint64 (value));
      break;
    case PROP_UIDL:
      missive_message_info_set_uidl (self, g_value_get_string (value));
      break;
    case PROP_FLAGS:
      missive_message_info_set_flags (self, g_value_get_boxed (value));
      break;
    case PROP_INTERNAL_DATE:
      missive_message_info_set_internal_date (self, g_value_get_boxed (value));
      break;
    case PROP_SUBJECT:
      missive_message_info_set_subject (self, g_value_get_string (value));
      break;
    case PROP_FROM:
      missive_message_info_set_from (self, g_value_get_string (value));
      break;
    case PROP_MESSAGE_ID:
      missive_message_info_set_message_id (self, g_value_get_string (value));
      break;
    case PROP_MODSEQ:
      missive_message_info_set_modseq (self, g_value_get_uint64 (value));
      break;
    case PROP_DATE:
      missive_message_info_set_date (self, g_value_get_boxed (value));
      break;
    case PROP_IN_REPLY_TO:
      missive_message_info_set_in_reply_to (self, g_value_get_string (value));
      break;
    case PROP_BODY_STRUCTURE:
      missive_message_info_set_body_structure (self, g_value_get_object (value));
      break;
    case PROP_RAW_HEADERS:
      missive_message_info_set_raw_headers (self, g_value_get_boxed (value));
      break;
    case PROP_PREVIEW:
      missive_message_info_set_preview (self, g_value_get_string (value));
      break;
    case PROP_EMAIL_ID:
      missive_message_info_set_email_id (self, g_value_get_string (value));
      break;
    case PROP_THREAD_ID:
      missive_message_info_set_thread_id (self, g_value_get_string (value));
      break;
    case PROP_SAVE_DATE:
      missive_message_info_set_save_date (self, g_value_get_boxed (value));
      break;
    case PROP_GMAIL_LABELS:
      missive_message_info_set_gmail_labels (self, g_value_get_boxed (value));
      break;
    case PROP_GMAIL_MESSAGE_ID:
      missive_message_info_set_gmail_message_id (self, g_value_get_uint64 (value));
      break;
    case PROP_GMAIL_THREAD_ID:
      missive_message_info_set_gmail_thread_id (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_message_info_class_init (MissiveMessageInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_message_info_finalize;
  object_class->get_property = missive_message_info_get_property;
  object_class->set_property = missive_message_info_set_property;

  /**
   * MissiveMessageInfo:uid:
   *
   * The IMAP UID of the message, or 0 if unknown (POP3 has none).
   *
   * Since: 1.0
   */
  properties[PROP_UID] =
    g_param_spec_uint ("uid", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:sequence:
   *
   * The message sequence number (its 1-based position in the mailbox when
   * the summary was fetched), or 0 if unknown. Sequence numbers shift when
   * messages are expunged; prefer the UID to refer to a message later.
   *
   * Since: 1.0
   */
  properties[PROP_SEQUENCE] =
    g_param_spec_uint ("sequence", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:size:
   *
   * The size of the message in octets (IMAP `RFC822.SIZE`, POP3 `LIST`).
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:uidl:
   *
   * The POP3 unique-id listing (`UIDL`) of the message, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_UIDL] =
    g_param_spec_string ("uidl", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:flags:
   *
   * The message's flags, system ("\\Seen", "\\Answered"...) and keywords
   * ("$Forwarded", "$Junk"...). Check for one with
   * [method@MessageInfo.has_flag], which ignores case as IMAP does.
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] =
    g_param_spec_boxed ("flags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:internal-date:
   *
   * When the server received the message (IMAP `INTERNALDATE`), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_INTERNAL_DATE] =
    g_param_spec_boxed ("internal-date", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:subject:
   *
   * The subject, decoded from RFC 2047 words, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:from:
   *
   * The sender as written in the From header, decoded, or %NULL. Setting
   * the From addresses with [method@MessageInfo.set_addresses] sets it to
   * their display form.
   *
   * Since: 1.0
   */
  properties[PROP_FROM] =
    g_param_spec_string ("from", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:message-id:
   *
   * The Message-ID header, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:modseq:
   *
   * The modification sequence of the message (IMAP CONDSTORE `MODSEQ`),
   * or 0 if unknown. It grows each time the message's flags change.
   *
   * Since: 1.0
   */
  properties[PROP_MODSEQ] =
    g_param_spec_uint64 ("modseq", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:date:
   *
   * The date from the message's Date header (the envelope date), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:in-reply-to:
   *
   * The In-Reply-To header, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_IN_REPLY_TO] =
    g_param_spec_string ("in-reply-to", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:body-structure:
   *
   * The MIME structure of the message (IMAP `BODYSTRUCTURE`), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_BODY_STRUCTURE] =
    g_param_spec_object ("body-structure", NULL, NULL,
                         MISSIVE_TYPE_BODY_PART,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:raw-headers:
   *
   * The message's header block as the server sent it, or %NULL. Read
   * single fields with [method@MessageInfo.get_header].
   *
   * Since: 1.0
   */
  properties[PROP_RAW_HEADERS] =
    g_param_spec_boxed ("raw-headers", NULL, NULL,
                        G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:preview:
   *
   * A short preview of the message's text (IMAP `PREVIEW`), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_PREVIEW] =
    g_param_spec_string ("preview", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:email-id:
   *
   * The server's stable id of the message (IMAP OBJECTID `EMAILID`), the
   * same in every mailbox that holds it, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_EMAIL_ID] =
    g_param_spec_string ("email-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:thread-id:
   *
   * The server's id of the message's thread (IMAP OBJECTID `THREADID`),
   * or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_THREAD_ID] =
    g_param_spec_string ("thread-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:save-date:
   *
   * When the message was saved in this mailbox (IMAP `SAVEDATE`), or
   * %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_SAVE_DATE] =
    g_param_spec_boxed ("save-date", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:gmail-labels:
   *
   * Gmail's labels of the message (`X-GM-LABELS`), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_GMAIL_LABELS] =
    g_param_spec_boxed ("gmail-labels", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:gmail-message-id:
   *
   * Gmail's message id (`X-GM-MSGID`), or 0.
   *
   * Since: 1.0
   */
  properties[PROP_GMAIL_MESSAGE_ID] =
    g_param_spec_uint64 ("gmail-message-id", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:gmail-thread-id:
   *
   * Gmail's thread id (`X-GM-THRID`), or 0.
   *
   * Since: 1.0
   */
  properties[PROP_GMAIL_THREAD_ID] =
    g_param_spec_uint64 ("gmail-thread-id", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_message_info_init (MissiveMessageInfo *self)
{
  self->flags = g_new0 (char *, 1);
}

/**
 * missive_message_info_new:
 *
 * Creates an empty message summary: no flags, everything else 0 or %NULL.
 *
 * Returns: (transfer full): a new message info
 *
 * Since: 1.0
 */
MissiveMessageInfo *
missive_message_info_new (void)
{
  return g_object_new (MISSIVE_TYPE_MESSAGE_INFO, NULL);
}

/**
 * missive_message_info_get_uid:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:uid] property.
 *
 * Returns: the UID, or 0 if unknown
 *
 * Since: 1.0
 */
guint
missive_message_info_get_uid (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->uid;
}

/**
 * missive_message_info_set_uid:
 * @self: a message info
 * @uid: the UID
 *
 * Sets the [property@MessageInfo:uid] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_uid (MissiveMessageInfo *self,
                              guint               uid)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->uid == uid)
    return;
  self->uid = uid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UID]);
}

/**
 * missive_message_info_get_sequence:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:sequence] property.
 *
 * Returns: the sequence number, or 0 if unknown
 *
 * Since: 1.0
 */
guint
missive_message_info_get_sequence (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->sequence;
}

/**
 * missive_message_info_set_sequence:
 * @self: a message info
 * @sequence: the sequence number
 *
 * Sets the [property@MessageInfo:sequence] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_sequence (MissiveMessageInfo *self,
                                   guint               sequence)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->sequence == sequence)
    return;
  self->sequence = sequence;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQUENCE]);
}

/**
 * missive_message_info_get_size:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:size] property.
 *
 * Returns: the size in octets, or 0 if unknown
 *
 * Since: 1.0
 */
guint64
missive_message_info_get_size (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->size;
}

/**
 * missive_message_info_set_size:
 * @self: a message info
 * @size: the size in octets
 *
 * Sets the [property@MessageInfo:size] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_size (MissiveMessageInfo *self,
                               guint64             size)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->size == size)
    return;
  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

/**
 * missive_message_info_get_uidl:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:uidl] property.
 *
 * Returns: (nullable): the POP3 unique id
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_uidl (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->uidl;
}

/**
 * missive_message_info_set_uidl:
 * @self: a message info
 * @uidl: (nullable): the POP3 unique id
 *
 * Sets the [property@MessageInfo:uidl] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_uidl (MissiveMessageInfo *self,
                               const char         *uidl)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->uidl, uidl))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UIDL]);
}

/**
 * missive_message_info_get_flags:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:flags] property.
 *
 * Returns: (array zero-terminated=1) (transfer none): the flags, possibly
 *   none
 *
 * Since: 1.0
 */
const char * const *
missive_message_info_get_flags (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return (const char * const *) self->flags;
}

/**
 * missive_message_info_set_flags:
 * @self: a message info
 * @flags: (array zero-terminated=1) (nullable): the flags; %NULL for none
 *
 * Sets the [property@MessageInfo:flags] property to a copy of @flags.
 *
 * Since: 1.0
 */
void
missive_message_info_set_flags (MissiveMessageInfo *self,
                                const char * const *flags)
{
  static const char * const none[] = { NULL };
  char **copy;

  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (flags == NULL)
    flags = none;
  if (g_strv_equal ((const char * const *) self->flags, flags))
    return;
  copy = g_strdupv ((char **) flags);
  g_strfreev (self->flags);
  self->flags = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
}

/**
 * missive_message_info_has_flag:
 * @self: a message info
 * @flag: a flag, e.g. "\\Seen" or "$Junk"
 *
 * Checks whether the message has @flag. IMAP flags are case-insensitive,
 * so "\\SEEN" matches "\\Seen".
 *
 * Returns: %TRUE if @flag is among the message's flags
 *
 * Since: 1.0
 */
gboolean
missive_message_info_has_flag (MissiveMessageInfo *self,
                               const char         *flag)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), FALSE);
  g_return_val_if_fail (flag != NULL, FALSE);

  for (guint i = 0; self->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->flags[i], flag) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * missive_message_info_get_internal_date:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:internal-date] property.
 *
 * Returns: (nullable) (transfer none): when the server received the message
 *
 * Since: 1.0
 */
GDateTime *
missive_message_info_get_internal_date (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->internal_date;
}

/**
 * missive_message_info_set_internal_date:
 * @self: a message info
 * @date: (nullable): when the server received the message
 *
 * Sets the [property@MessageInfo:internal-date] property. @self keeps a
 * reference on @date.
 *
 * Since: 1.0
 */
void
missive_message_info_set_internal_date (MissiveMessageInfo *self,
                                        GDateTime          *date)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_date (&self->internal_date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERNAL_DATE]);
}

/**
 * missive_message_info_get_subject:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:subject] property.
 *
 * Returns: (nullable): the subject
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_subject (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->subject;
}

/**
 * missive_message_info_set_subject:
 * @self: a message info
 * @subject: (nullable): the subject
 *
 * Sets the [property@MessageInfo:subject] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_subject (MissiveMessageInfo *self,
                                  const char         *subject)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->subject, subject))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT]);
}

/**
 * missive_message_info_get_from:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:from] property.
 *
 * Returns: (nullable): the sender
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_from (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->from;
}

/**
 * missive_message_info_set_from:
 * @self: a message info
 * @from: (nullable): the sender
 *
 * Sets the [property@MessageInfo:from] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_from (MissiveMessageInfo *self,
                               const char         *from)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->from, from))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM]);
}

/**
 * missive_message_info_get_message_id:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:message-id] property.
 *
 * Returns: (nullable): the Message-ID
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_message_id (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->message_id;
}

/**
 * missive_message_info_set_message_id:
 * @self: a message info
 * @message_id: (nullable): the Message-ID
 *
 * Sets the [property@MessageInfo:message-id] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_message_id (MissiveMessageInfo *self,
                                     const char         *message_id)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->message_id, message_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_ID]);
}

/**
 * missive_message_info_get_modseq:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:modseq] property.
 *
 * Returns: the modification sequence, or 0 if unknown
 *
 * Since: 1.0
 */
guint64
missive_message_info_get_modseq (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->modseq;
}

/**
 * missive_message_info_set_modseq:
 * @self: a message info
 * @modseq: the modification sequence, or 0 if unknown
 *
 * Sets the [property@MessageInfo:modseq] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_modseq (MissiveMessageInfo *self,
                                      guint64             modseq)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->modseq == modseq)
    return;
  self->modseq = modseq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODSEQ]);
}

/**
 * missive_message_info_get_date:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:date] property.
 *
 * Returns: (nullable) (transfer none): the date of the Date header
 *
 * Since: 1.0
 */
GDateTime *
missive_message_info_get_date (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->date;
}

/**
 * missive_message_info_set_date:
 * @self: a message info
 * @date: (nullable): the date of the Date header
 *
 * Sets the [property@MessageInfo:date] property. @self keeps a
 * reference on @date.
 *
 * Since: 1.0
 */
void
missive_message_info_set_date (MissiveMessageInfo *self,
                                    GDateTime          *date)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_date (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

/**
 * missive_message_info_get_in_reply_to:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:in-reply-to] property.
 *
 * Returns: (nullable): the In-Reply-To header
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_in_reply_to (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->in_reply_to;
}

/**
 * missive_message_info_set_in_reply_to:
 * @self: a message info
 * @in_reply_to: (nullable): the In-Reply-To header
 *
 * Sets the [property@MessageInfo:in-reply-to] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_in_reply_to (MissiveMessageInfo *self,
                                           const char         *in_reply_to)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->in_reply_to, in_reply_to))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_REPLY_TO]);
}

/**
 * missive_message_info_get_addresses:
 * @self: a message info
 * @field: which address field
 *
 * Gets the addresses of one envelope field, as GMime's address list
 * (mailboxes and groups, names decoded).
 *
 * Returns: (transfer none) (nullable): the addresses, or %NULL if the
 *   field was not fetched or is empty
 *
 * Since: 1.0
 */
InternetAddressList *
missive_message_info_get_addresses (MissiveMessageInfo  *self,
                                    MissiveAddressField  field)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  g_return_val_if_fail ((guint) field < G_N_ELEMENTS (self->addresses), NULL);

  return self->addresses[field];
}

/**
 * missive_message_info_set_addresses:
 * @self: a message info
 * @field: which address field
 * @addresses: (nullable): the addresses
 *
 * Sets the addresses of one envelope field. @self keeps a reference on
 * @addresses; do not change the list afterwards. Setting the From field
 * also sets [property@MessageInfo:from] to the addresses' display form
 * ("Alice <alice@example.org>, bob@example.org").
 *
 * Since: 1.0
 */
void
missive_message_info_set_addresses (MissiveMessageInfo  *self,
                                    MissiveAddressField  field,
                                    InternetAddressList *addresses)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));
  g_return_if_fail ((guint) field < G_N_ELEMENTS (self->addresses));
  g_return_if_fail (addresses == NULL || IS_INTERNET_ADDRESS_LIST (addresses));

  g_set_object (&self->addresses[field], addresses);
  if (field == MISSIVE_ADDRESS_FIELD_FROM)
    {
      g_autofree char *display = NULL;

      if (addresses != NULL)
        display = missive_message_info_format_addresses (addresses);
      missive_message_info_set_from (self, display);
    }
}

/**
 * missive_message_info_get_body_structure:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:body-structure] property.
 *
 * Returns: (nullable) (transfer none): the root of the MIME structure
 *
 * Since: 1.0
 */
MissiveBodyPart *
missive_message_info_get_body_structure (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->body_structure;
}

/**
 * missive_message_info_set_body_structure:
 * @self: a message info
 * @body_structure: (nullable): the root of the MIME structure
 *
 * Sets the [property@MessageInfo:body-structure] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_body_structure (MissiveMessageInfo *self,
                                         MissiveBodyPart    *body_structure)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));
  g_return_if_fail (body_structure == NULL || MISSIVE_IS_BODY_PART (body_structure));

  if (g_set_object (&self->body_structure, body_structure))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY_STRUCTURE]);
}

/**
 * missive_message_info_get_raw_headers:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:raw-headers] property.
 *
 * Returns: (transfer none) (nullable): the header block as sent
 *
 * Since: 1.0
 */
GBytes *
missive_message_info_get_raw_headers (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->raw_headers;
}

/**
 * missive_message_info_set_raw_headers:
 * @self: a message info
 * @raw_headers: (nullable): the header block, as the server sent it
 *
 * Sets the [property@MessageInfo:raw-headers] property. @self keeps a
 * reference on @raw_headers.
 *
 * Since: 1.0
 */
void
missive_message_info_set_raw_headers (MissiveMessageInfo *self,
                                      GBytes             *raw_headers)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->raw_headers == raw_headers)
    return;
  if (self->raw_headers != NULL && raw_headers != NULL &&
      g_bytes_equal (self->raw_headers, raw_headers))
    return;
  g_clear_pointer (&self->raw_headers, g_bytes_unref);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  if (raw_headers != NULL)
    self->raw_headers = g_bytes_ref (raw_headers);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RAW_HEADERS]);
}

/**
 * missive_message_info_get_header:
 * @self: a message info
 * @name: a header field name, in any case, e.g. "List-Id"
 *
 * Looks up a field of [property@MessageInfo:raw-headers]: the value of
 * its first occurrence, unfolded (line breaks inside the value removed)
 * and without surrounding white space, but not otherwise decoded.
 *
 * Returns: (nullable): the value, or %NULL if the field is not there or
 *   the headers were not fetched
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_header (MissiveMessageInfo *self,
                                 const char         *name)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->raw_headers == NULL)
    return NULL;
  if (self->headers == NULL)
    self->headers = missive_message_info_parse_headers (self->raw_headers);
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
        return g_ptr_array_index (self->headers, i + 1);
    }
  return NULL;
}

/**
 * missive_message_info_get_preview:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:preview] property.
 *
 * Returns: (nullable): the preview text
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_preview (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->preview;
}

/**
 * missive_message_info_set_preview:
 * @self: a message info
 * @preview: (nullable): the preview text
 *
 * Sets the [property@MessageInfo:preview] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_preview (MissiveMessageInfo *self,
                                       const char         *preview)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->preview, preview))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
}

/**
 * missive_message_info_get_email_id:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:email-id] property.
 *
 * Returns: (nullable): the server's id of the message
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_email_id (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->email_id;
}

/**
 * missive_message_info_set_email_id:
 * @self: a message info
 * @email_id: (nullable): the server's id of the message
 *
 * Sets the [property@MessageInfo:email-id] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_email_id (MissiveMessageInfo *self,
                                        const char         *email_id)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->email_id, email_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL_ID]);
}

/**
 * missive_message_info_get_thread_id:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:thread-id] property.
 *
 * Returns: (nullable): the server's id of the thread
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_thread_id (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->thread_id;
}

/**
 * missive_message_info_set_thread_id:
 * @self: a message info
 * @thread_id: (nullable): the server's id of the thread
 *
 * Sets the [property@MessageInfo:thread-id] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_thread_id (MissiveMessageInfo *self,
                                         const char         *thread_id)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->thread_id, thread_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD_ID]);
}

/**
 * missive_message_info_get_save_date:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:save-date] property.
 *
 * Returns: (nullable) (transfer none): when the message was saved in the mailbox
 *
 * Since: 1.0
 */
GDateTime *
missive_message_info_get_save_date (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->save_date;
}

/**
 * missive_message_info_set_save_date:
 * @self: a message info
 * @date: (nullable): when the message was saved in the mailbox
 *
 * Sets the [property@MessageInfo:save-date] property. @self keeps a
 * reference on @date.
 *
 * Since: 1.0
 */
void
missive_message_info_set_save_date (MissiveMessageInfo *self,
                                         GDateTime          *date)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_date (&self->save_date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_DATE]);
}

/**
 * missive_message_info_get_gmail_labels:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:gmail-labels] property.
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the
 *   labels, or %NULL if not fetched
 *
 * Since: 1.0
 */
const char * const *
missive_message_info_get_gmail_labels (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return (const char * const *) self->gmail_labels;
}

/**
 * missive_message_info_set_gmail_labels:
 * @self: a message info
 * @labels: (array zero-terminated=1) (nullable): the labels
 *
 * Sets the [property@MessageInfo:gmail-labels] property to a copy of
 * @labels.
 *
 * Since: 1.0
 */
void
missive_message_info_set_gmail_labels (MissiveMessageInfo *self,
                                       const char * const *labels)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_strv (&self->gmail_labels, labels))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GMAIL_LABELS]);
}

/**
 * missive_message_info_get_gmail_message_id:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:gmail-message-id] property.
 *
 * Returns: Gmail's message id, or 0
 *
 * Since: 1.0
 */
guint64
missive_message_info_get_gmail_message_id (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->gmail_message_id;
}

/**
 * missive_message_info_set_gmail_message_id:
 * @self: a message info
 * @id: Gmail's message id, or 0
 *
 * Sets the [property@MessageInfo:gmail-message-id] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_gmail_message_id (MissiveMessageInfo *self,
                                                guint64             id)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->gmail_message_id == id)
    return;
  self->gmail_message_id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GMAIL_MESSAGE_ID]);
}

/**
 * missive_message_info_get_gmail_thread_id:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:gmail-thread-id] property.
 *
 * Returns: Gmail's thread id, or 0
 *
 * Since: 1.0
 */
guint64
missive_message_info_get_gmail_thread_id (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->gmail_thread_id;
}

/**
 * missive_message_info_set_gmail_thread_id:
 * @self: a message info
 * @id: Gmail's thread id, or 0
 *
 * Sets the [property@MessageInfo:gmail-thread-id] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_gmail_thread_id (MissiveMessageInfo *self,
                                               guint64             id)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->gmail_thread_id == id)
    return;
  self->gmail_thread_id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GMAIL_THREAD_ID]);
}
