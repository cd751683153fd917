/* missive-message-builder-private.h: the builder's state and its header
 * encoders, shared by the builder's source files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

#define MISSIVE_BUILDER_N_FIELDS (MISSIVE_ADDRESS_FIELD_BCC + 1)

typedef struct
{
  char *name;     /* UTF-8 display name, or NULL */
  char *address;  /* validated; an IDN domain already in its ASCII form */
} MissiveBuilderAddress;

typedef struct
{
  char *name;
  char *value;
} MissiveBuilderHeader;

typedef struct
{
  GFile *file;          /* read when the message is written, or NULL */
  GBytes *bytes;        /* the data when there is no file */
  char *filename;       /* UTF-8, or NULL */
  char *content_type;   /* "type/subtype" plus parameters, never NULL */
  char *content_id;     /* without angle brackets; inline parts only */
  gboolean is_inline;
} MissiveBuilderAttachment;

struct _MissiveMessageBuilder
{
  GObject parent_instance;

  GPtrArray *addresses[MISSIVE_BUILDER_N_FIELDS];  /* of MissiveBuilderAddress */
  char *subject;
  char *text_body;
  char *html_body;
  char *charset;
  MissiveMessageImportance importance;
  MissiveMessagePriority priority;
  MissivePriorityHeaders priority_headers;
  MissiveMessageSensitivity sensitivity;
  char *read_receipt_to;
  char *delivery_receipt_to;
  char *return_path;
  GDateTime *date;
  char *message_id;
  GChecksumType message_id_hash;
  guint fold_length;
  GPtrArray *headers;       /* of MissiveBuilderHeader */
  GPtrArray *attachments;   /* of MissiveBuilderAttachment */
};

void      missive_builder_address_free       (gpointer data);
void      missive_builder_attachment_free    (gpointer data);
void      missive_builder_header_free        (gpointer data);

/* checks (every failure is MISSIVE_ERROR_INVALID_ARGUMENT) */
gboolean  missive_builder_check_text         (const char  *what,
                                              const char  *text,
                                              gboolean     multiline,
                                              GError     **error);
gboolean  missive_builder_check_header_name  (const char  *name,
                                              GError     **error);
gboolean  missive_builder_check_charset      (const char  *charset,
                                              GError     **error);
char     *missive_builder_normalize_address  (const char  *what,
                                              const char  *address,
                                              GError     **error);
char     *missive_builder_normalize_msg_id   (const char  *what,
                                              const char  *id,
                                              gboolean     need_at,
                                              GError     **error);

/* encoders: each returns one unfolded line whose unbreakable pieces are at
 * most @max_word bytes long where that is possible */
char     *missive_builder_encode_text        (const char  *text,
                                              const char  *charset,
                                              guint        max_word,
                                              gboolean     strict);
char     *missive_builder_encode_phrase      (const char  *phrase,
                                              const char  *charset,
                                              guint        max_word);
char     *missive_builder_format_mailbox     (const char  *name,
                                              const char  *address,
                                              const char  *charset,
                                              guint        max_word);
char     *missive_builder_encode_param       (const char  *name,
                                              const char  *value,
                                              guint        max_word);

/* folding */
char     *missive_builder_unfold             (const char  *raw);
char     *missive_builder_fold               (const char  *name,
                                              const char  *value,
                                              guint        fold_length);
void      missive_builder_append_header      (GMimeObject *object,
                                              const char  *name,
                                              const char  *value);
void      missive_builder_refold_object      (GMimeObject *object,
                                              guint        fold_length);

/* missive-message-builder-build.c */
char     *missive_builder_local_domain       (void);

/* the MIME tree (missive-message-builder-attach.c) */
GMimeObject *missive_builder_make_body       (MissiveMessageBuilder *self);

G_END_DECLS
