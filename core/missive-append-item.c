/* missive-append-item.c: one message to add to a mailbox, with its flags
 * and date
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveAppendItem:
 *
 * One message for [method@Store.append_messages]: its content (a stream
 * of a known size, read once), and optionally the flags and the internal
 * date it gets in the mailbox.
 *
 * Since: 1.0
 */
struct _MissiveAppendItem
{
  GObject parent_instance;

  GInputStream *stream;
  goffset size;
  GStrv flags;
  GDateTime *internal_date;
};

G_DEFINE_FINAL_TYPE (MissiveAppendItem, missive_append_item, G_TYPE_OBJECT)

static void
missive_append_item_finalize (GObject *object)
{
  MissiveAppendItem *self = MISSIVE_APPEND_ITEM (object);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->flags, g_strfreev);
  g_clear_pointer (&self->internal_date, g_date_time_unref);

  G_OBJECT_CLASS (missive_append_item_parent_class)->finalize (object);
}

static void
missive_append_item_class_init (MissiveAppendItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = missive_append_item_finalize;
}

static void
missive_append_item_init (MissiveAppendItem *self)
{
}

/**
 * missive_append_item_new:
 * @message: the message, in RFC 5322 form (CRLF line ends)
 * @size: the number of bytes @message will give
 *
 * Creates an item from a stream. The stream is read once, when the item
 * is sent.
 *
 * Returns: (transfer full): a new item
 *
 * Since: 1.0
 */
MissiveAppendItem *
missive_append_item_new (GInputStream *message,
                         goffset       size)
{
  MissiveAppendItem *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (message), NULL);
  g_return_val_if_fail (size >= 0, NULL);

  self = g_object_new (MISSIVE_TYPE_APPEND_ITEM, NULL);
  self->stream = g_object_ref (message);
  self->size = size;
  return self;
}

/**
 * missive_append_item_new_from_bytes:
 * @message: the message, in RFC 5322 form (CRLF line ends)
 *
 * Creates an item from bytes in memory.
 *
 * Returns: (transfer full): a new item
 *
 * Since: 1.0
 */
MissiveAppendItem *
missive_append_item_new_from_bytes (GBytes *message)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (message);
  return missive_append_item_new (stream, (goffset) g_bytes_get_size (message));
}

/**
 * missive_append_item_get_stream:
 * @self: an item
 *
 * Gets the message's content.
 *
 * Returns: (transfer none): the stream
 *
 * Since: 1.0
 */
GInputStream *
missive_append_item_get_stream (MissiveAppendItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_APPEND_ITEM (self), NULL);
  return self->stream;
}

/**
 * missive_append_item_get_size:
 * @self: an item
 *
 * Gets the size of the message.
 *
 * Returns: the number of bytes of the stream
 *
 * Since: 1.0
 */
goffset
missive_append_item_get_size (MissiveAppendItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_APPEND_ITEM (self), 0);
  return self->size;
}

/**
 * missive_append_item_set_flags:
 * @self: an item
 * @flags: (nullable) (array zero-terminated=1): the flags and keywords
 *   the message gets, or %NULL for none
 *
 * Sets the flags of the message in the mailbox.
 *
 * Since: 1.0
 */
void
missive_append_item_set_flags (MissiveAppendItem  *self,
                               const char * const *flags)
{
  g_return_if_fail (MISSIVE_IS_APPEND_ITEM (self));

  g_strfreev (self->flags);
  self->flags = flags != NULL && flags[0] != NULL ? g_strdupv ((char **) flags) : NULL;
}

/**
 * missive_append_item_get_flags:
 * @self: an item
 *
 * Gets the flags set with [method@AppendItem.set_flags].
 *
 * Returns: (nullable) (transfer none) (array zero-terminated=1): the
 *   flags, or %NULL for none
 *
 * Since: 1.0
 */
const char * const *
missive_append_item_get_flags (MissiveAppendItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_APPEND_ITEM (self), NULL);
  return (const char * const *) self->flags;
}

/**
 * missive_append_item_set_internal_date:
 * @self: an item
 * @date: (nullable): the internal date, or %NULL for the time the server
 *   stores the message
 *
 * Sets the date the server records as the message's arrival.
 *
 * Since: 1.0
 */
void
missive_append_item_set_internal_date (MissiveAppendItem *self,
                                       GDateTime         *date)
{
  g_return_if_fail (MISSIVE_IS_APPEND_ITEM (self));

  if (date != NULL)
    g_date_time_ref (date);
  g_clear_pointer (&self->internal_date, g_date_time_unref);
  self->internal_date = date;
}

/**
 * missive_append_item_get_internal_date:
 * @self: an item
 *
 * Gets the date set with [method@AppendItem.set_internal_date].
 *
 * Returns: (nullable) (transfer none): the date, or %NULL
 *
 * Since: 1.0
 */
GDateTime *
missive_append_item_get_internal_date (MissiveAppendItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_APPEND_ITEM (self), NULL);
  return self->internal_date;
}
