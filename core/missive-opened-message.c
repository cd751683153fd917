/* missive-opened-message.c: a received message after decryption and
 * signature checks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

#include "missive-crypto-context-private.h"

/**
 * MissiveOpenedMessage:
 *
 * What [method@CryptoContext.open_message] made of a received message:
 * the readable message (decrypted, and without its signature wrapper),
 * the signatures that were checked, and, when the message was encrypted,
 * the [class@DecryptResult]. A message that was neither signed nor
 * encrypted is given back as it is, with no signatures.
 *
 * The object is immutable.
 *
 * Since: 1.0
 */
struct _MissiveOpenedMessage
{
  GObject parent_instance;

  GMimeMessage *message;
  GListModel *signatures;
  MissiveDecryptResult *decrypt_result;
};

G_DEFINE_FINAL_TYPE (MissiveOpenedMessage, missive_opened_message, G_TYPE_OBJECT)

static void
missive_opened_message_dispose (GObject *object)
{
  MissiveOpenedMessage *self = MISSIVE_OPENED_MESSAGE (object);

  g_clear_object (&self->message);
  g_clear_object (&self->signatures);
  g_clear_object (&self->decrypt_result);

  G_OBJECT_CLASS (missive_opened_message_parent_class)->dispose (object);
}

static void
missive_opened_message_class_init (MissiveOpenedMessageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = missive_opened_message_dispose;
}

static void
missive_opened_message_init (MissiveOpenedMessage *self)
{
}

MissiveOpenedMessage *
missive_opened_message_new (GMimeMessage         *message,
                            GListModel           *signatures,
                            MissiveDecryptResult *decrypt_result)
{
  MissiveOpenedMessage *self = g_object_new (MISSIVE_TYPE_OPENED_MESSAGE, NULL);

  self->message = g_object_ref (message);
  if (signatures != NULL)
    self->signatures = g_object_ref (signatures);
  else
    self->signatures = G_LIST_MODEL (g_list_store_new (MISSIVE_TYPE_SIGNATURE));
  if (decrypt_result != NULL)
    self->decrypt_result = g_object_ref (decrypt_result);
  return self;
}

/**
 * missive_opened_message_get_message:
 * @self: an opened message
 *
 * The readable message: the headers of the received message with the
 * decrypted body, and without the multipart/signed (or signed-data)
 * wrapper when it was signed. The received message itself when it was
 * neither signed nor encrypted.
 *
 * Returns: (transfer none): the message
 *
 * Since: 1.0
 */
GMimeMessage *
missive_opened_message_get_message (MissiveOpenedMessage *self)
{
  g_return_val_if_fail (MISSIVE_IS_OPENED_MESSAGE (self), NULL);

  return self->message;
}

/**
 * missive_opened_message_get_signatures:
 * @self: an opened message
 *
 * The signatures that were checked, outside or inside the encryption,
 * one for each signer. Each has its own status: a bad signature is
 * reported here, not as an error.
 *
 * Returns: (transfer none): a #GListModel of [class@Signature], empty
 *   when the message was not signed
 *
 * Since: 1.0
 */
GListModel *
missive_opened_message_get_signatures (MissiveOpenedMessage *self)
{
  g_return_val_if_fail (MISSIVE_IS_OPENED_MESSAGE (self), NULL);

  return self->signatures;
}

/**
 * missive_opened_message_get_decrypt_result:
 * @self: an opened message
 *
 * What the decryption found out (recipients, cipher, the key used).
 *
 * Returns: (transfer none) (nullable): the decrypt result, or %NULL when
 *   the message was not encrypted
 *
 * Since: 1.0
 */
MissiveDecryptResult *
missive_opened_message_get_decrypt_result (MissiveOpenedMessage *self)
{
  g_return_val_if_fail (MISSIVE_IS_OPENED_MESSAGE (self), NULL);

  return self->decrypt_result;
}

/**
 * missive_opened_message_get_encrypted:
 * @self: an opened message
 *
 * Whether the received message was encrypted (and has been decrypted).
 *
 * Returns: %TRUE when it was encrypted
 *
 * Since: 1.0
 */
gboolean
missive_opened_message_get_encrypted (MissiveOpenedMessage *self)
{
  g_return_val_if_fail (MISSIVE_IS_OPENED_MESSAGE (self), FALSE);

  return self->decrypt_result != NULL;
}

/**
 * missive_opened_message_get_signed:
 * @self: an opened message
 *
 * Whether the received message carried at least one signature, good or
 * not.
 *
 * Returns: %TRUE when it was signed
 *
 * Since: 1.0
 */
gboolean
missive_opened_message_get_signed (MissiveOpenedMessage *self)
{
  g_return_val_if_fail (MISSIVE_IS_OPENED_MESSAGE (self), FALSE);

  return g_list_model_get_n_items (self->signatures) > 0;
}

/**
 * missive_opened_message_get_verified:
 * @self: an opened message
 *
 * Whether the message was signed and every signature is
 * %MISSIVE_SIGNATURE_STATUS_GOOD. Whether the signer is the one the
 * application expects (the From address, a known key) is still for the
 * application to check, with [method@Signature.get_email] or
 * [method@Signature.get_fingerprint].
 *
 * Returns: %TRUE when signed and all signatures are good
 *
 * Since: 1.0
 */
gboolean
missive_opened_message_get_verified (MissiveOpenedMessage *self)
{
  guint n;

  g_return_val_if_fail (MISSIVE_IS_OPENED_MESSAGE (self), FALSE);

  n = g_list_model_get_n_items (self->signatures);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveSignature) signature = g_list_model_get_item (self->signatures, i);

      if (missive_signature_get_status (signature) != MISSIVE_SIGNATURE_STATUS_GOOD)
        return FALSE;
    }
  return n > 0;
}
