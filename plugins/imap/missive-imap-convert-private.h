/* missive-imap-convert-private.h: what the files of the conversions share
 *
 * The conversions of missive-imap-convert.h are in two files:
 *
 *   missive-imap-convert.c       flags, dates, sets, addresses, ENVELOPE,
 *                                FETCH, LIST, STATUS, SELECT; the helpers
 *                                below that check and read values
 *   missive-imap-convert-body.c  BODYSTRUCTURE / BODY, RFC 2231
 *                                parameters, header blocks
 *
 * Not installed; the symbols are hidden in the static library.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "missive-imap-convert.h"

G_BEGIN_DECLS

/* ---- in missive-imap-convert.c ---- */

/* Sets MISSIVE_ERROR_PROTOCOL; always returns FALSE. */
gboolean missive_imap_convert_fail (GError    **error,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (2, 3);

/* What @value is ("a list", "NIL", ...), for error messages. */
const char *missive_imap_convert_describe (const MissiveImapValue *value);

/* @text as UTF-8 (8-bit text through GMime's fallback charsets); NULL for
 * NULL. */
char *missive_imap_convert_to_utf8 (const char *text);

/* Header text as UTF-8, unfolded, with RFC 2047 encoded words decoded when
 * @decode_words; NULL for NULL. */
char *missive_imap_convert_header_text (const char *raw,
                                        gboolean    decode_words);

/* Adds @text to @builder as UTF-8. */
void missive_imap_convert_builder_add_utf8 (GStrvBuilder *builder,
                                            const char   *text);

/* An nstring at @value (*@out is NULL for NIL, else points into @value);
 * @what names it in errors. */
gboolean missive_imap_convert_get_nstring (const MissiveImapValue  *value,
                                           const char              *what,
                                           const char             **out,
                                           GError                 **error);

/* A number at @value that fits in @max. */
gboolean missive_imap_convert_get_number (const MissiveImapValue  *value,
                                          const char              *what,
                                          guint64                  max,
                                          guint64                 *out,
                                          GError                 **error);

/* An ENVELOPE list applied to @info; @info is untouched on failure. */
gboolean missive_imap_convert_apply_envelope (const MissiveImapValue  *envelope,
                                              MissiveMessageInfo      *info,
                                              gboolean                 decode_words,
                                              GError                 **error);

static inline gboolean
missive_imap_convert_is_list (const MissiveImapValue *value)
{
  return value != NULL && value->type == MISSIVE_IMAP_VALUE_LIST;
}

static inline gboolean
missive_imap_convert_is_nil (const MissiveImapValue *value)
{
  return value != NULL && value->type == MISSIVE_IMAP_VALUE_NIL;
}

static inline gboolean
missive_imap_convert_is_text (const MissiveImapValue *value)
{
  return value != NULL &&
         (value->type == MISSIVE_IMAP_VALUE_STRING || value->type == MISSIVE_IMAP_VALUE_ATOM);
}

/* ---- in missive-imap-convert-body.c ---- */

/* A BODYSTRUCTURE (or BODY) value as a part tree, the root numbered "TEXT"
 * for a multipart and "1" for a single part. */
MissiveBodyPart *missive_imap_convert_body_from_value (const MissiveImapValue  *value,
                                                       gboolean                 decode_words,
                                                       GError                 **error);

/* Calls @func for each field of the header block @data, unfolded. */
void missive_imap_convert_split_headers (const char           *data,
                                         gsize                 length,
                                         MissiveImapHeaderFunc func,
                                         gpointer              user_data);

G_END_DECLS
