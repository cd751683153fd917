/* missive-envelope.h: the SMTP envelope of one message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-send-options.h>

G_BEGIN_DECLS

/**
 * MissiveContentClass:
 * @MISSIVE_CONTENT_7BIT: every byte is ASCII and no line is over 998 octets
 * @MISSIVE_CONTENT_8BIT: there are bytes above 127 in lines (8BITMIME)
 * @MISSIVE_CONTENT_BINARY: a part has binary content (NUL bytes, bare CR or
 *   LF, or Content-Transfer-Encoding: binary): BINARYMIME and BDAT only
 *
 * What the bytes of a message need from the transport.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_CONTENT_7BIT,
  MISSIVE_CONTENT_8BIT,
  MISSIVE_CONTENT_BINARY,
} MissiveContentClass;

#define MISSIVE_TYPE_ENVELOPE (missive_envelope_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveEnvelope, missive_envelope, MISSIVE, ENVELOPE, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveEnvelope     *missive_envelope_new              (const char           *from);
MISSIVE_AVAILABLE_IN_1_0
MissiveEnvelope     *missive_envelope_new_from_message (GMimeMessage         *message,
                                                        GError              **error);
MISSIVE_AVAILABLE_IN_1_0
const char          *missive_envelope_get_from         (MissiveEnvelope      *self);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_envelope_set_from         (MissiveEnvelope      *self,
                                                        const char           *from);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_envelope_add_recipient    (MissiveEnvelope      *self,
                                                        const char           *address,
                                                        MissiveRecipientKind  kind);
MISSIVE_AVAILABLE_IN_1_0
guint                missive_envelope_get_n_recipients (MissiveEnvelope      *self);
MISSIVE_AVAILABLE_IN_1_0
const char          *missive_envelope_get_recipient    (MissiveEnvelope      *self,
                                                        guint                 index,
                                                        MissiveRecipientKind *kind);
MISSIVE_AVAILABLE_IN_1_0
MissiveDsnNotify     missive_envelope_get_recipient_notify (MissiveEnvelope  *self,
                                                            guint             index);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_envelope_set_recipient_notify (MissiveEnvelope  *self,
                                                            guint             index,
                                                            MissiveDsnNotify  notify);
MISSIVE_AVAILABLE_IN_1_0
gboolean             missive_envelope_needs_smtputf8   (MissiveEnvelope      *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveContentClass  missive_envelope_get_content_class (MissiveEnvelope     *self);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_envelope_set_content_class (MissiveEnvelope     *self,
                                                         MissiveContentClass  content_class);
MISSIVE_AVAILABLE_IN_1_0
gboolean             missive_envelope_get_headers_utf8 (MissiveEnvelope      *self);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_envelope_set_headers_utf8 (MissiveEnvelope      *self,
                                                        gboolean              headers_utf8);
MISSIVE_AVAILABLE_IN_1_0
gboolean             missive_envelope_validate         (MissiveEnvelope      *self,
                                                        GError              **error);

G_END_DECLS
