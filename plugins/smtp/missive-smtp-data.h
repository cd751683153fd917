/* missive-smtp-data.h: the GConverter that turns message bytes into SMTP
 * DATA (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  /* Bare CR and bare LF become CRLF; the data ends with a line end. */
  MISSIVE_SMTP_DATA_NORMALIZE = 1 << 0,
  /* A "." at the start of a line is doubled (RFC 5321 section 4.5.2). */
  MISSIVE_SMTP_DATA_DOT_STUFF = 1 << 1,
  /* The end of the data is marked with CRLF "." CRLF (a CRLF is added
   * first when the data does not end with one). */
  MISSIVE_SMTP_DATA_TERMINATE = 1 << 2,
} MissiveSmtpDataFlags;

#define MISSIVE_SMTP_DATA_FOR_DATA \
  (MISSIVE_SMTP_DATA_NORMALIZE | MISSIVE_SMTP_DATA_DOT_STUFF | MISSIVE_SMTP_DATA_TERMINATE)

#define MISSIVE_SMTP_TYPE_DATA (missive_smtp_data_get_type ())
G_DECLARE_FINAL_TYPE (MissiveSmtpData, missive_smtp_data, MISSIVE_SMTP, DATA, GObject)

/* Registers the type in @module, or statically when @module is NULL
 * (unit tests). */
void             missive_smtp_data_register     (GTypeModule          *module);

MissiveSmtpData *missive_smtp_data_new          (MissiveSmtpDataFlags  flags);
/* Bytes taken from the input and given out so far. */
guint64          missive_smtp_data_get_bytes_in  (MissiveSmtpData     *self);
guint64          missive_smtp_data_get_bytes_out (MissiveSmtpData     *self);
/* Once finished: the bytes of the message as given out, without the dots
 * of dot-stuffing and the final "." line (line ends normalised). */
guint64          missive_smtp_data_get_message_bytes (MissiveSmtpData *self);
/* Whether the end of the input was seen and everything given out. */
gboolean         missive_smtp_data_is_finished   (MissiveSmtpData     *self);

G_END_DECLS
