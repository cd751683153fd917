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
#include <missive/missive-envelope.h>
#include <missive/missive-send-options.h>
#include <missive/missive-send-result.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SENDER (missive_sender_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveSender, missive_sender, MISSIVE, SENDER, MissiveService)

/**
 * MissiveSenderClass:
 * @parent_class: the parent class
 * @send_async: submits @data, the bytes of one RFC 5322 message, to the
 *   envelope's recipients. @size is its length in bytes, or -1 when unknown;
 *   @options is never %NULL. The plugin normalises line ends and applies the
 *   protocol's transparency (dot-stuffing) while it streams; it emits
 *   `recipient-rejected` for each refused recipient and the service's
 *   transfer signals while the data goes out
 * @send_finish: finishes @send_async
 * @verify_async: asks the server about one address (SMTP VRFY) or, with
 *   @expand, a mailing list (SMTP EXPN); emits `address-expanded` for each
 *   address of the answer
 * @verify_finish: finishes @verify_async; returns the addresses
 * @reset_async: aborts a transaction the server may have begun (SMTP RSET)
 * @reset_finish: finishes @reset_async
 * @get_max_size: the largest message the server accepts in bytes (SMTP
 *   SIZE), or 0 when it does not say
 *
 * The virtual methods of a mail sender. A method a plugin leaves unset fails
 * with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
struct _MissiveSenderClass
{
  MissiveServiceClass parent_class;

  void               (*send_async)    (MissiveSender        *self,
                                       MissiveEnvelope      *envelope,
                                       GInputStream         *data,
                                       gint64                size,
                                       MissiveSendOptions   *options,
                                       int                   io_priority,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  MissiveSendResult *(*send_finish)   (MissiveSender        *self,
                                       GAsyncResult         *result,
                                       GError              **error);
  void               (*verify_async)  (MissiveSender        *self,
                                       const char           *address,
                                       gboolean              expand,
                                       int                   io_priority,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  char             **(*verify_finish) (MissiveSender        *self,
                                       GAsyncResult         *result,
                                       GError              **error);
  void               (*reset_async)   (MissiveSender        *self,
                                       int                   io_priority,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean           (*reset_finish)  (MissiveSender        *self,
                                       GAsyncResult         *result,
                                       GError              **error);
  guint64            (*get_max_size)  (MissiveSender        *self);

  /*< private >*/
  gpointer padding[28];
};

MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_send_message        (MissiveSender        *self,
                                                       GMimeMessage         *message,
                                                       MissiveEnvelope      *envelope,
                                                       MissiveSendOptions   *options,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_send_message_async  (MissiveSender        *self,
                                                       GMimeMessage         *message,
                                                       MissiveEnvelope      *envelope,
                                                       MissiveSendOptions   *options,
                                                       int                   io_priority,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_send_message_finish (MissiveSender        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_send_stream         (MissiveSender        *self,
                                                       GInputStream         *stream,
                                                       gint64                size,
                                                       MissiveEnvelope      *envelope,
                                                       MissiveSendOptions   *options,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_send_stream_async   (MissiveSender        *self,
                                                       GInputStream         *stream,
                                                       gint64                size,
                                                       MissiveEnvelope      *envelope,
                                                       MissiveSendOptions   *options,
                                                       int                   io_priority,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_sender_send_stream_finish  (MissiveSender        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
char             **missive_sender_verify_address      (MissiveSender        *self,
                                                       const char           *address,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
char             **missive_sender_expand_list         (MissiveSender        *self,
                                                       const char           *list,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_verify_async        (MissiveSender        *self,
                                                       const char           *address,
                                                       gboolean              expand,
                                                       int                   io_priority,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
char             **missive_sender_verify_finish       (MissiveSender        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_sender_reset               (MissiveSender        *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_sender_reset_async         (MissiveSender        *self,
                                                       int                   io_priority,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_sender_reset_finish        (MissiveSender        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
MISSIVE_AVAILABLE_IN_1_0
guint64            missive_sender_get_max_size        (MissiveSender        *self);

G_END_DECLS
