/* missive-message-builder.h: compose a message from simple settings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-message-info.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/**
 * MissiveMessageImportance:
 * @MISSIVE_MESSAGE_IMPORTANCE_UNSPECIFIED: no Importance header
 * @MISSIVE_MESSAGE_IMPORTANCE_LOW: `Importance: low`
 * @MISSIVE_MESSAGE_IMPORTANCE_NORMAL: `Importance: normal`
 * @MISSIVE_MESSAGE_IMPORTANCE_HIGH: `Importance: high`
 *
 * How important the author says the message is (the Importance header of
 * RFC 2156, as mail clients show it).
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_MESSAGE_IMPORTANCE_UNSPECIFIED,
  MISSIVE_MESSAGE_IMPORTANCE_LOW,
  MISSIVE_MESSAGE_IMPORTANCE_NORMAL,
  MISSIVE_MESSAGE_IMPORTANCE_HIGH,
} MissiveMessageImportance;

/**
 * MissiveMessagePriority:
 * @MISSIVE_MESSAGE_PRIORITY_UNSPECIFIED: no priority header
 * @MISSIVE_MESSAGE_PRIORITY_HIGHEST: `X-Priority: 1`, `Priority: urgent`
 * @MISSIVE_MESSAGE_PRIORITY_HIGH: `X-Priority: 2`, `Priority: urgent`
 * @MISSIVE_MESSAGE_PRIORITY_NORMAL: `X-Priority: 3`, `Priority: normal`
 * @MISSIVE_MESSAGE_PRIORITY_LOW: `X-Priority: 4`, `Priority: non-urgent`
 * @MISSIVE_MESSAGE_PRIORITY_LOWEST: `X-Priority: 5`, `Priority: non-urgent`
 *
 * The priority of a message. The numeric value of each member is its
 * X-Priority number. Which headers are written is chosen with
 * [property@MessageBuilder:priority-headers].
 *
 * This is a header for the recipients' mail clients; the SMTP MT-PRIORITY
 * extension is set with [class@SendOptions] instead.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_MESSAGE_PRIORITY_UNSPECIFIED = 0,
  MISSIVE_MESSAGE_PRIORITY_HIGHEST = 1,
  MISSIVE_MESSAGE_PRIORITY_HIGH = 2,
  MISSIVE_MESSAGE_PRIORITY_NORMAL = 3,
  MISSIVE_MESSAGE_PRIORITY_LOW = 4,
  MISSIVE_MESSAGE_PRIORITY_LOWEST = 5,
} MissiveMessagePriority;

/**
 * MissivePriorityHeaders:
 * @MISSIVE_PRIORITY_HEADERS_NONE: write no priority header at all
 * @MISSIVE_PRIORITY_HEADERS_X_PRIORITY: the X-Priority header (1 to 5, with
 *   a word after the number), which most mail clients read
 * @MISSIVE_PRIORITY_HEADERS_PRIORITY: the Priority header of RFC 2156
 *   (`urgent`, `normal` or `non-urgent`)
 *
 * The headers that carry [property@MessageBuilder:priority].
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  MISSIVE_PRIORITY_HEADERS_NONE = 0,
  MISSIVE_PRIORITY_HEADERS_X_PRIORITY = 1 << 0,
  MISSIVE_PRIORITY_HEADERS_PRIORITY = 1 << 1,
} MissivePriorityHeaders;

/**
 * MissiveMessageSensitivity:
 * @MISSIVE_MESSAGE_SENSITIVITY_UNSPECIFIED: no Sensitivity header
 * @MISSIVE_MESSAGE_SENSITIVITY_PERSONAL: `Sensitivity: Personal`
 * @MISSIVE_MESSAGE_SENSITIVITY_PRIVATE: `Sensitivity: Private`
 * @MISSIVE_MESSAGE_SENSITIVITY_COMPANY_CONFIDENTIAL:
 *   `Sensitivity: Company-Confidential`
 *
 * How sensitive the author says the message is (the Sensitivity header of
 * RFC 2156).
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_MESSAGE_SENSITIVITY_UNSPECIFIED,
  MISSIVE_MESSAGE_SENSITIVITY_PERSONAL,
  MISSIVE_MESSAGE_SENSITIVITY_PRIVATE,
  MISSIVE_MESSAGE_SENSITIVITY_COMPANY_CONFIDENTIAL,
} MissiveMessageSensitivity;

/**
 * MISSIVE_MESSAGE_BUILDER_DEFAULT_FOLD_LENGTH:
 *
 * The default of [property@MessageBuilder:fold-length]: 78 characters, the
 * line length RFC 5322 recommends.
 *
 * Since: 1.0
 */
#define MISSIVE_MESSAGE_BUILDER_DEFAULT_FOLD_LENGTH 78

/**
 * MISSIVE_MESSAGE_BUILDER_MIN_FOLD_LENGTH:
 *
 * The smallest [property@MessageBuilder:fold-length] allowed.
 *
 * Since: 1.0
 */
#define MISSIVE_MESSAGE_BUILDER_MIN_FOLD_LENGTH 40

/**
 * MISSIVE_MESSAGE_BUILDER_MAX_FOLD_LENGTH:
 *
 * The largest [property@MessageBuilder:fold-length] allowed: 998, the hard
 * limit of RFC 5322.
 *
 * Since: 1.0
 */
#define MISSIVE_MESSAGE_BUILDER_MAX_FOLD_LENGTH 998

#define MISSIVE_TYPE_MESSAGE_BUILDER (missive_message_builder_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveMessageBuilder, missive_message_builder, MISSIVE, MESSAGE_BUILDER, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveMessageBuilder *missive_message_builder_new (void);

/* addresses */
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_from          (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_sender        (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_to            (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_cc            (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_bcc           (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_reply_to      (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_address       (MissiveMessageBuilder *self,
                                                        MissiveAddressField    field,
                                                        const char            *name,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_address_list  (MissiveMessageBuilder *self,
                                                        MissiveAddressField    field,
                                                        const char            *list,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_clear_addresses   (MissiveMessageBuilder *self,
                                                        MissiveAddressField    field);
MISSIVE_AVAILABLE_IN_1_0
guint        missive_message_builder_get_address_count (MissiveMessageBuilder *self,
                                                        MissiveAddressField    field);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_address       (MissiveMessageBuilder *self,
                                                        MissiveAddressField    field,
                                                        guint                  index,
                                                        const char           **name);

/* text settings */
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_subject       (MissiveMessageBuilder *self,
                                                        const char            *subject,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_subject       (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_text_body     (MissiveMessageBuilder *self,
                                                        const char            *text,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_text_body     (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_html_body     (MissiveMessageBuilder *self,
                                                        const char            *html,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_html_body     (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_charset       (MissiveMessageBuilder *self,
                                                        const char            *charset,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_charset       (MissiveMessageBuilder *self);

/* flags of the message */
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_importance    (MissiveMessageBuilder    *self,
                                                        MissiveMessageImportance  importance);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageImportance missive_message_builder_get_importance (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_priority      (MissiveMessageBuilder  *self,
                                                        MissiveMessagePriority  priority);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessagePriority missive_message_builder_get_priority (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_priority_headers (MissiveMessageBuilder  *self,
                                                           MissivePriorityHeaders  headers);
MISSIVE_AVAILABLE_IN_1_0
MissivePriorityHeaders missive_message_builder_get_priority_headers (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_sensitivity   (MissiveMessageBuilder     *self,
                                                        MissiveMessageSensitivity  sensitivity);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSensitivity missive_message_builder_get_sensitivity (MissiveMessageBuilder *self);

/* notification and envelope-related headers */
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_read_receipt_to (MissiveMessageBuilder *self,
                                                          const char            *address,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_read_receipt_to (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_delivery_receipt_to (MissiveMessageBuilder *self,
                                                              const char            *address,
                                                              GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_delivery_receipt_to (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_return_path   (MissiveMessageBuilder *self,
                                                        const char            *address,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_return_path   (MissiveMessageBuilder *self);

/* identity */
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_date          (MissiveMessageBuilder *self,
                                                        GDateTime             *date);
MISSIVE_AVAILABLE_IN_1_0
GDateTime   *missive_message_builder_get_date          (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_set_message_id    (MissiveMessageBuilder *self,
                                                        const char            *message_id,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
const char  *missive_message_builder_get_message_id    (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_message_id_hash (MissiveMessageBuilder *self,
                                                          GChecksumType          hash);
MISSIVE_AVAILABLE_IN_1_0
GChecksumType missive_message_builder_get_message_id_hash (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_set_fold_length   (MissiveMessageBuilder *self,
                                                        guint                  length);
MISSIVE_AVAILABLE_IN_1_0
guint        missive_message_builder_get_fold_length   (MissiveMessageBuilder *self);

/* extra headers */
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_header        (MissiveMessageBuilder *self,
                                                        const char            *name,
                                                        const char            *value,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_headers_string (MissiveMessageBuilder *self,
                                                         const char            *headers,
                                                         GError               **error);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_clear_headers     (MissiveMessageBuilder *self);

/* attachments and inline parts */
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_attachment_file   (MissiveMessageBuilder *self,
                                                            GFile                 *file,
                                                            const char            *filename,
                                                            const char            *content_type,
                                                            GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_attachment_path   (MissiveMessageBuilder *self,
                                                            const char            *path,
                                                            GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_attachment_bytes  (MissiveMessageBuilder *self,
                                                            GBytes                *bytes,
                                                            const char            *filename,
                                                            const char            *content_type,
                                                            GError               **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean     missive_message_builder_add_attachment_stream (MissiveMessageBuilder *self,
                                                            GInputStream          *stream,
                                                            const char            *filename,
                                                            const char            *content_type,
                                                            GCancellable          *cancellable,
                                                            GError               **error);
MISSIVE_AVAILABLE_IN_1_0
char        *missive_message_builder_add_inline_file       (MissiveMessageBuilder *self,
                                                            GFile                 *file,
                                                            const char            *content_id,
                                                            const char            *content_type,
                                                            GError               **error);
MISSIVE_AVAILABLE_IN_1_0
char        *missive_message_builder_add_inline_bytes      (MissiveMessageBuilder *self,
                                                            GBytes                *bytes,
                                                            const char            *filename,
                                                            const char            *content_id,
                                                            const char            *content_type,
                                                            GError               **error);
MISSIVE_AVAILABLE_IN_1_0
guint        missive_message_builder_get_attachment_count  (MissiveMessageBuilder *self);
MISSIVE_AVAILABLE_IN_1_0
void         missive_message_builder_clear_attachments     (MissiveMessageBuilder *self);

/* output */
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_message_builder_build            (MissiveMessageBuilder *self,
                                                        GError               **error);

G_END_DECLS
