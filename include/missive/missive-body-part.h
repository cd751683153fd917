/* missive-body-part.h: one part of a message's MIME structure
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_BODY_PART (missive_body_part_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveBodyPart, missive_body_part, MISSIVE, BODY_PART, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveBodyPart    *missive_body_part_new                             (void);

/* The media type */
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_media_type                  (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_media_type                  (MissiveBodyPart    *self,
                                                                       const char         *media_type);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_media_subtype               (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_media_subtype               (MissiveBodyPart    *self,
                                                                       const char         *media_subtype);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_content_type                (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_body_part_is_multipart                    (MissiveBodyPart    *self);

/* Content-Type parameters */
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_parameter                   (MissiveBodyPart    *self,
                                                                       const char         *name,
                                                                       const char         *value);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_parameter                   (MissiveBodyPart    *self,
                                                                       const char         *name);
MISSIVE_AVAILABLE_IN_1_0
char              **missive_body_part_get_parameter_names             (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_charset                     (MissiveBodyPart    *self);

/* The other fields of a BODYSTRUCTURE */
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_id                          (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_id                          (MissiveBodyPart    *self,
                                                                       const char         *id);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_description                 (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_description                 (MissiveBodyPart    *self,
                                                                       const char         *description);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_encoding                    (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_encoding                    (MissiveBodyPart    *self,
                                                                       const char         *encoding);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_body_part_get_size                        (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_size                        (MissiveBodyPart    *self,
                                                                       guint64             size);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_body_part_get_lines                       (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_lines                       (MissiveBodyPart    *self,
                                                                       guint64             lines);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_md5                         (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_md5                         (MissiveBodyPart    *self,
                                                                       const char         *md5);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_disposition                 (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_disposition                 (MissiveBodyPart    *self,
                                                                       const char         *disposition);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_disposition_parameter       (MissiveBodyPart    *self,
                                                                       const char         *name,
                                                                       const char         *value);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_disposition_parameter       (MissiveBodyPart    *self,
                                                                       const char         *name);
MISSIVE_AVAILABLE_IN_1_0
char              **missive_body_part_get_disposition_parameter_names (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_body_part_get_language                    (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_language                    (MissiveBodyPart    *self,
                                                                       const char * const *language);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_location                    (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_location                    (MissiveBodyPart    *self,
                                                                       const char         *location);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_section                     (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_section                     (MissiveBodyPart    *self,
                                                                       const char         *section);

/* The tree */
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_add_child                       (MissiveBodyPart    *self,
                                                                       MissiveBodyPart    *child);
MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_body_part_get_children                    (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_body_part_get_n_children                  (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveBodyPart    *missive_body_part_get_child                       (MissiveBodyPart    *self,
                                                                       guint               index);
MISSIVE_AVAILABLE_IN_1_0
MissiveBodyPart    *missive_body_part_find_section                    (MissiveBodyPart    *self,
                                                                       const char         *section);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageInfo *missive_body_part_get_message_info                (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_body_part_set_message_info                (MissiveBodyPart    *self,
                                                                       MissiveMessageInfo *info);

/* Conveniences */
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_body_part_get_filename                    (MissiveBodyPart    *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_body_part_is_attachment                   (MissiveBodyPart    *self);

G_END_DECLS
