/* missive-send-options.h: how one message is to be submitted
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

/**
 * MissiveDsnNotify:
 * @MISSIVE_DSN_NOTIFY_DEFAULT: no NOTIFY parameter: the server's default
 *   (usually a report on failure and delay)
 * @MISSIVE_DSN_NOTIFY_NEVER: never send a delivery status notification
 * @MISSIVE_DSN_NOTIFY_SUCCESS: report successful delivery
 * @MISSIVE_DSN_NOTIFY_FAILURE: report failed delivery
 * @MISSIVE_DSN_NOTIFY_DELAY: report delayed delivery
 *
 * When delivery status notifications are wanted (RFC 3461 NOTIFY).
 * %MISSIVE_DSN_NOTIFY_NEVER cannot be combined with the other flags.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  MISSIVE_DSN_NOTIFY_DEFAULT = 0,
  MISSIVE_DSN_NOTIFY_NEVER   = 1 << 0,
  MISSIVE_DSN_NOTIFY_SUCCESS = 1 << 1,
  MISSIVE_DSN_NOTIFY_FAILURE = 1 << 2,
  MISSIVE_DSN_NOTIFY_DELAY   = 1 << 3,
} MissiveDsnNotify;

/**
 * MissiveDsnReturn:
 * @MISSIVE_DSN_RETURN_DEFAULT: no RET parameter
 * @MISSIVE_DSN_RETURN_FULL: a notification carries the whole message
 * @MISSIVE_DSN_RETURN_HEADERS: a notification carries only the headers
 *
 * What a delivery status notification returns (RFC 3461 RET).
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_DSN_RETURN_DEFAULT,
  MISSIVE_DSN_RETURN_FULL,
  MISSIVE_DSN_RETURN_HEADERS,
} MissiveDsnReturn;

/**
 * MissiveSendMode:
 * @MISSIVE_SEND_MODE_MAIL: deliver to mailboxes (MAIL FROM), the normal case
 * @MISSIVE_SEND_MODE_SEND: deliver to the recipients' terminals (SEND FROM)
 * @MISSIVE_SEND_MODE_SOML: to terminals, or mailboxes where not logged in
 *   (SOML FROM)
 * @MISSIVE_SEND_MODE_SAML: to terminals and mailboxes (SAML FROM)
 *
 * The transaction command. The terminal variants are from RFC 821 and almost
 * no server offers them any more; a server that refuses one fails the send.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_SEND_MODE_MAIL,
  MISSIVE_SEND_MODE_SEND,
  MISSIVE_SEND_MODE_SOML,
  MISSIVE_SEND_MODE_SAML,
} MissiveSendMode;

/**
 * MissiveRecipientKind:
 * @MISSIVE_RECIPIENT_ENVELOPE: given explicitly as an envelope recipient
 * @MISSIVE_RECIPIENT_TO: taken from the To header
 * @MISSIVE_RECIPIENT_CC: taken from the Cc header
 * @MISSIVE_RECIPIENT_BCC: taken from the Bcc header
 *
 * Where an envelope recipient came from.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_RECIPIENT_ENVELOPE,
  MISSIVE_RECIPIENT_TO,
  MISSIVE_RECIPIENT_CC,
  MISSIVE_RECIPIENT_BCC,
} MissiveRecipientKind;

/**
 * MissiveStopOn:
 * @MISSIVE_STOP_ON_NONE: send to the recipients that were accepted, however
 *   many were refused
 * @MISSIVE_STOP_ON_TO: give up when a To recipient is refused
 * @MISSIVE_STOP_ON_CC: give up when a Cc recipient is refused
 * @MISSIVE_STOP_ON_BCC: give up when a Bcc recipient is refused
 * @MISSIVE_STOP_ON_ENVELOPE: give up when an explicitly given envelope
 *   recipient is refused
 *
 * Which refused recipients abort the whole transaction (RSET, nothing
 * sent) instead of only being reported.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  MISSIVE_STOP_ON_NONE     = 0,
  MISSIVE_STOP_ON_TO       = 1 << 0,
  MISSIVE_STOP_ON_CC       = 1 << 1,
  MISSIVE_STOP_ON_BCC      = 1 << 2,
  MISSIVE_STOP_ON_ENVELOPE = 1 << 3,
} MissiveStopOn;

/**
 * MissiveBodyType:
 * @MISSIVE_BODY_AUTO: decided from the content: 7BIT when every byte is
 *   ASCII, 8BITMIME when there are 8-bit bytes in lines, BINARYMIME when a
 *   part has binary content transfer encoding
 * @MISSIVE_BODY_7BIT: declare BODY=7BIT
 * @MISSIVE_BODY_8BITMIME: declare BODY=8BITMIME (RFC 6152)
 * @MISSIVE_BODY_BINARYMIME: declare BODY=BINARYMIME and send with BDAT
 *   (RFC 3030)
 *
 * The BODY parameter of the transaction. A declared body type the server
 * does not advertise fails the send with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_BODY_AUTO,
  MISSIVE_BODY_7BIT,
  MISSIVE_BODY_8BITMIME,
  MISSIVE_BODY_BINARYMIME,
} MissiveBodyType;

#define MISSIVE_TYPE_SEND_OPTIONS (missive_send_options_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveSendOptions, missive_send_options, MISSIVE, SEND_OPTIONS, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveSendOptions *missive_send_options_new (void);

MISSIVE_AVAILABLE_IN_1_0
MissiveDsnNotify missive_send_options_get_dsn_notify     (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_dsn_notify     (MissiveSendOptions *self,
                                                          MissiveDsnNotify    notify);
MISSIVE_AVAILABLE_IN_1_0
MissiveDsnReturn missive_send_options_get_dsn_return     (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_dsn_return     (MissiveSendOptions *self,
                                                          MissiveDsnReturn    ret);
MISSIVE_AVAILABLE_IN_1_0
const char      *missive_send_options_get_envelope_id    (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_envelope_id    (MissiveSendOptions *self,
                                                          const char         *envelope_id);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_send_options_get_original_recipients (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_original_recipients (MissiveSendOptions *self,
                                                               gboolean            orcpt);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_send_options_get_require_tls    (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_require_tls    (MissiveSendOptions *self,
                                                          gboolean            require_tls);
MISSIVE_AVAILABLE_IN_1_0
gint64           missive_send_options_get_deliver_by     (MissiveSendOptions *self,
                                                          gboolean           *return_on_fail);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_deliver_by     (MissiveSendOptions *self,
                                                          gint64              seconds,
                                                          gboolean            return_on_fail);
MISSIVE_AVAILABLE_IN_1_0
int              missive_send_options_get_priority       (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_priority       (MissiveSendOptions *self,
                                                          int                 priority);
MISSIVE_AVAILABLE_IN_1_0
MissiveSendMode  missive_send_options_get_mode           (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_mode           (MissiveSendOptions *self,
                                                          MissiveSendMode     mode);
MISSIVE_AVAILABLE_IN_1_0
MissiveStopOn    missive_send_options_get_stop_on        (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_stop_on        (MissiveSendOptions *self,
                                                          MissiveStopOn       stop_on);
MISSIVE_AVAILABLE_IN_1_0
MissiveBodyType  missive_send_options_get_body_type      (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_body_type      (MissiveSendOptions *self,
                                                          MissiveBodyType     body_type);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_send_options_get_smtputf8       (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_smtputf8       (MissiveSendOptions *self,
                                                          gboolean            smtputf8);
MISSIVE_AVAILABLE_IN_1_0
MissiveCryptoContext *missive_send_options_get_crypto_context (MissiveSendOptions   *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_crypto_context (MissiveSendOptions   *self,
                                                          MissiveCryptoContext *context);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_send_options_get_sign           (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_sign           (MissiveSendOptions *self,
                                                          gboolean            sign);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_send_options_get_encrypt        (MissiveSendOptions *self);
MISSIVE_AVAILABLE_IN_1_0
void             missive_send_options_set_encrypt        (MissiveSendOptions *self,
                                                          gboolean            encrypt);

G_END_DECLS
