/* missive-message-builder-build.c: turn the builder's settings into a
 * GMimeMessage
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "missive-message-builder-private.h"

/* Checks again everything that may have been set through a property. */
static gboolean
check_all (MissiveMessageBuilder *self,
           GError               **error)
{
  g_autofree char *checked = NULL;

  if (!missive_builder_check_text ("The subject", self->subject, FALSE, error) ||
      !missive_builder_check_text ("The text body", self->text_body, TRUE, error) ||
      !missive_builder_check_text ("The HTML body", self->html_body, TRUE, error) ||
      !missive_builder_check_charset (self->charset, error))
    return FALSE;
  if (self->read_receipt_to != NULL &&
      (checked = missive_builder_normalize_address ("The read-receipt address",
                                                    self->read_receipt_to, error)) == NULL)
    return FALSE;
  g_clear_pointer (&checked, g_free);
  if (self->delivery_receipt_to != NULL &&
      (checked = missive_builder_normalize_address ("The delivery-receipt address",
                                                    self->delivery_receipt_to, error)) == NULL)
    return FALSE;
  g_clear_pointer (&checked, g_free);
  if (self->return_path != NULL && *self->return_path != '\0' &&
      strcmp (self->return_path, "<>") != 0 &&
      (checked = missive_builder_normalize_address ("The Return-Path address",
                                                    self->return_path, error)) == NULL)
    return FALSE;
  g_clear_pointer (&checked, g_free);
  if (self->message_id != NULL &&
      (checked = missive_builder_normalize_msg_id ("The Message-ID", self->message_id,
                                                   TRUE, error)) == NULL)
    return FALSE;
  return TRUE;
}

char *
missive_builder_local_domain (void)
{
  g_autofree char *ascii = g_hostname_to_ascii (g_get_host_name ());
  gboolean usable = ascii != NULL && *ascii != '\0';

  for (const char *p = ascii; usable && *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      usable = FALSE;
  return g_strdup (usable ? ascii : "localhost");
}

/* The right part of generated identifiers: the domain of the Sender, or of
 * the first author, or the local host name. */
static char *
message_id_domain (MissiveMessageBuilder *self)
{
  GPtrArray *candidates[] = {
    self->addresses[MISSIVE_ADDRESS_FIELD_SENDER],
    self->addresses[MISSIVE_ADDRESS_FIELD_FROM],
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i]->len > 0)
      {
        MissiveBuilderAddress *first = g_ptr_array_index (candidates[i], 0);
        const char *at = strrchr (first->address, '@');

        if (at != NULL && at[1] != '\0' && at[1] != '[')
          return g_strdup (at + 1);
      }
  return missive_builder_local_domain ();
}

static char *
generate_message_id (MissiveMessageBuilder *self)
{
  static gint counter;
  g_autoptr(GChecksum) checksum = g_checksum_new (self->message_id_hash);
  g_autofree char *domain = message_id_domain (self);
  gint64 stamps[3];
  gint extra[2];

  /* Random data, the time and a per-process counter: unique without
   * revealing anything but the domain. */
  for (guint i = 0; i < 8; i++)
    {
      guint32 r = g_random_int ();
      g_checksum_update (checksum, (const guchar *) &r, sizeof r);
    }
  stamps[0] = g_get_real_time ();
  stamps[1] = g_get_monotonic_time ();
  stamps[2] = (gint64) getpid ();
  extra[0] = g_atomic_int_add (&counter, 1);
  extra[1] = 0;
  g_checksum_update (checksum, (const guchar *) stamps, sizeof stamps);
  g_checksum_update (checksum, (const guchar *) extra, sizeof extra);
  return g_strdup_printf ("%s@%s", g_checksum_get_string (checksum), domain);
}

static void
put_header (GMimeObject *object,
            GHashTable  *written,
            const char  *name,
            const char  *value)
{
  missive_builder_append_header (object, name, value);
  g_hash_table_add (written, g_ascii_strdown (name, -1));
}

static void
put_addresses (MissiveMessageBuilder *self,
               GMimeObject           *object,
               GHashTable            *written,
               MissiveAddressField    field,
               const char            *name)
{
  GPtrArray *list = self->addresses[field];
  g_autoptr(GString) value = NULL;

  if (list->len == 0)
    return;
  value = g_string_new (NULL);
  for (guint i = 0; i < list->len; i++)
    {
      MissiveBuilderAddress *entry = g_ptr_array_index (list, i);
      g_autofree char *mailbox = missive_builder_format_mailbox (entry->name, entry->address,
                                                                 self->charset,
                                                                 self->fold_length - 1);
      if (i > 0)
        g_string_append (value, ", ");
      g_string_append (value, mailbox);
    }
  put_header (object, written, name, value->str);
}

static void
put_angle_address (GMimeObject *object,
                   GHashTable  *written,
                   const char  *name,
                   const char  *address)
{
  g_autofree char *normalized = NULL;
  g_autofree char *value = NULL;

  if (address == NULL)
    return;
  if (*address != '\0' && strcmp (address, "<>") != 0)
    normalized = missive_builder_normalize_address (name, address, NULL);
  value = g_strdup_printf ("<%s>", normalized != NULL ? normalized : "");
  put_header (object, written, name, value);
}

static void
put_flags (MissiveMessageBuilder *self,
           GMimeObject           *object,
           GHashTable            *written)
{
  static const char *const importance[] = { NULL, "low", "normal", "high" };
  static const char *const x_priority[] = {
    NULL, "1 (Highest)", "2 (High)", "3 (Normal)", "4 (Low)", "5 (Lowest)",
  };
  static const char *const priority[] = {
    NULL, "urgent", "urgent", "normal", "non-urgent", "non-urgent",
  };
  static const char *const sensitivity[] = {
    NULL, "Personal", "Private", "Company-Confidential",
  };

  if (importance[self->importance] != NULL)
    put_header (object, written, "Importance", importance[self->importance]);
  if (x_priority[self->priority] != NULL &&
      (self->priority_headers & MISSIVE_PRIORITY_HEADERS_X_PRIORITY) != 0)
    put_header (object, written, "X-Priority", x_priority[self->priority]);
  if (priority[self->priority] != NULL &&
      (self->priority_headers & MISSIVE_PRIORITY_HEADERS_PRIORITY) != 0)
    put_header (object, written, "Priority", priority[self->priority]);
  if (sensitivity[self->sensitivity] != NULL)
    put_header (object, written, "Sensitivity", sensitivity[self->sensitivity]);
}

static void
put_extra_headers (MissiveMessageBuilder *self,
                   GMimeObject           *object,
                   GHashTable            *written)
{
  for (guint i = 0; i < self->headers->len; i++)
    {
      MissiveBuilderHeader *header = g_ptr_array_index (self->headers, i);
      g_autofree char *lower = g_ascii_strdown (header->name, -1);
      g_autofree char *value = NULL;

      /* The first extra header of a name the builder wrote replaces the
       * builder's own. */
      if (g_hash_table_remove (written, lower))
        while (g_mime_object_remove_header (object, header->name))
          ;
      value = missive_builder_encode_text (header->value, self->charset,
                                           self->fold_length - 1, FALSE);
      missive_builder_append_header (object, header->name, value);
    }
}

/**
 * missive_message_builder_build:
 * @self: a #MissiveMessageBuilder
 * @error: return location for a #GError
 *
 * Builds a new message from the current settings. Each call returns a new
 * message that shares nothing with earlier ones (attachments added from a
 * file refer to the same file, read when each message is written). The
 * Date is the current time and the Message-ID a new one unless they were
 * set.
 *
 * The message has no From header unless one was set; a sender needs one
 * (or an explicit envelope) to derive the envelope from.
 *
 * Returns: (transfer full): a new message, or %NULL with
 *   %MISSIVE_ERROR_INVALID_ARGUMENT when a value set through a property is
 *   not valid (CR or LF in the subject, an address that is not valid, an
 *   unknown charset...)
 *
 * Since: 1.0
 */
GMimeMessage *
missive_message_builder_build (MissiveMessageBuilder *self,
                               GError               **error)
{
  g_autoptr(GHashTable) written = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *id_value = NULL;
  GMimeMessage *message;
  GMimeObject *object;
  GMimeObject *body;
  guint max_word;

  g_return_val_if_fail (MISSIVE_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_all (self, error))
    return NULL;

  max_word = self->fold_length - 1;
  written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  message = g_mime_message_new (FALSE);
  object = GMIME_OBJECT (message);

  put_angle_address (object, written, "Return-Path", self->return_path);

  if (self->date == NULL)
    now = g_date_time_new_now_local ();
  date = g_mime_utils_header_format_date (self->date != NULL ? self->date : now);
  put_header (object, written, "Date", date);

  put_addresses (self, object, written, MISSIVE_ADDRESS_FIELD_FROM, "From");
  put_addresses (self, object, written, MISSIVE_ADDRESS_FIELD_SENDER, "Sender");
  put_addresses (self, object, written, MISSIVE_ADDRESS_FIELD_REPLY_TO, "Reply-To");
  put_addresses (self, object, written, MISSIVE_ADDRESS_FIELD_TO, "To");
  put_addresses (self, object, written, MISSIVE_ADDRESS_FIELD_CC, "Cc");
  put_addresses (self, object, written, MISSIVE_ADDRESS_FIELD_BCC, "Bcc");

  if (self->subject != NULL)
    {
      g_autofree char *subject = missive_builder_encode_text (self->subject, self->charset,
                                                              max_word, TRUE);
      put_header (object, written, "Subject", subject);
    }

  if (self->message_id != NULL)
    message_id = missive_builder_normalize_msg_id ("The Message-ID", self->message_id,
                                                   TRUE, NULL);
  else
    message_id = generate_message_id (self);
  id_value = g_strdup_printf ("<%s>", message_id);
  put_header (object, written, "Message-ID", id_value);

  put_angle_address (object, written, "Disposition-Notification-To", self->read_receipt_to);
  put_angle_address (object, written, "Return-Receipt-To", self->delivery_receipt_to);
  put_flags (self, object, written);
  put_extra_headers (self, object, written);

  body = missive_builder_make_body (self);
  g_mime_message_set_mime_part (message, body);
  g_object_unref (body);

  missive_builder_refold_object (object, self->fold_length);
  return message;
}
