/* missive-sender.h: mail submission (SMTP, LMTP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-service.h>
#include <missive/missive-recipient-result.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SENDER (missive_sender_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveSender, missive_sender, MISSIVE, SENDER, MissiveService)

/**
 * MissiveSenderClass:
 * @parent_class: the parent class
 * @send_message_async: submits a message to the given envelope
 * @send_message_finish: finishes @send_message_async; returns a #GListModel
 *   of [class@RecipientResult], one per recipient
 *
 * The virtual methods of a mail sender. A method a plugin leaves unset fails
 * with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
struct _MissiveSenderClass
{
  MissiveServiceClass parent_class;

  void        (*send_message_async)  (MissiveSender        *self,
                                      GMimeMessage         *message,
                                      const char           *from,
                                      const char * const   *recipients,
                                      int                   io_priority,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  GListModel *(*send_message_finish) (MissiveSender        *self,
                                      GAsyncResult         *result,
                                      GError              **error);

  /*< private >*/
  gpointer padding[32];
};

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_sender_send_message        (MissiveSender        *self,
                                                GMimeMessage         *message,
                                                const char           *from,
                                                const char * const   *recipients,
                                                GCancellable         *cancellable,
                                                GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void        missive_sender_send_message_async  (MissiveSender        *self,
                                                GMimeMessage         *message,
                                                const char           *from,
                                                const char * const   *recipients,
                                                int                   io_priority,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_sender_send_message_finish (MissiveSender        *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
