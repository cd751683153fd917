/* missive-smtp-reply.h: SMTP reply parsing (no I/O)
 *
 * Multi-line replies (RFC 5321 section 4.2), RFC 3463 enhanced status
 * codes, the EHLO keywords, the errors made from refusals, and the xtext
 * encoding of DSN parameters (RFC 3461).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include <missive/missive.h>

G_BEGIN_DECLS

/* Bounds of one reply: a server that never ends its reply meets these. */
#define MISSIVE_SMTP_MAX_REPLY_LINES 1000
#define MISSIVE_SMTP_MAX_REPLY_BYTES (256 * 1024)
/* The longest reply line read (RFC 5321 allows 512 octets; servers send
 * more in EHLO and multi-line texts). */
#define MISSIVE_SMTP_MAX_LINE_LENGTH 8192

typedef struct
{
  guint code;          /* the three digits, 0 before the first line */
  char *enhanced;      /* RFC 3463 "x.y.z" of the first line, or NULL */
  GPtrArray *lines;    /* every line as received, valid UTF-8 */
  GPtrArray *texts;    /* the text of each line, without the code and the
                        * enhanced status code, valid UTF-8 */
  gsize bytes;
  gboolean inconsistent; /* a line's code differed from the first one's */
  gboolean complete;
} MissiveSmtpReply;

typedef enum
{
  MISSIVE_SMTP_REPLY_MORE,     /* a continuation line: more lines follow */
  MISSIVE_SMTP_REPLY_DONE,     /* the last line of the reply */
  MISSIVE_SMTP_REPLY_ERROR,    /* see the GError */
} MissiveSmtpReplyStatus;

MissiveSmtpReply *missive_smtp_reply_new  (void);
void              missive_smtp_reply_free (MissiveSmtpReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveSmtpReply, missive_smtp_reply_free)

/* Adds one line of @length bytes (without its CRLF) to @reply. With
 * @enhanced_codes (the server advertised ENHANCEDSTATUSCODES) a leading
 * "x.y.z" of the reply's class is taken as the enhanced status code.
 *
 * Errors: MISSIVE_ERROR_PROTOCOL for a line that is not a reply line (the
 * client cannot tell where the reply ends: the connection is out of step)
 * or a reply over the bounds above; MISSIVE_ERROR_MALFORMED_RESPONSE when
 * the reply ended but its lines carried different codes (read to its end:
 * the connection stays in step). */
MissiveSmtpReplyStatus missive_smtp_reply_add_line (MissiveSmtpReply  *reply,
                                                    const char        *line,
                                                    gsize              length,
                                                    gboolean           enhanced_codes,
                                                    GError           **error);

/* The texts of every line joined with @separator. */
char         *missive_smtp_reply_join_text  (const MissiveSmtpReply *reply,
                                             const char             *separator);
/* The reply as the public boxed type: status the three digits, text the
 * last line's text (with its enhanced status code), lines every line. */
MissiveReply *missive_smtp_reply_to_public  (const MissiveSmtpReply *reply);
/* The error for a refusal: 4xx → MISSIVE_ERROR_SERVER_TEMPORARY, 5xx (and
 * anything else) → @code_5xx, with "@what failed: CODE TEXT" as message
 * and the reply attached (missive_error_set_server_reply()). */
GError       *missive_smtp_reply_to_error   (const MissiveSmtpReply *reply,
                                             int                     code_5xx,
                                             const char             *what);

/* Length of an RFC 3463 enhanced status code at the start of @text whose
 * class is @klass ('2', '4' or '5'; 0: any of them), followed by a space or
 * the end; 0 if there is none. */
gsize         missive_smtp_parse_enhanced   (const char *text,
                                             gsize       length,
                                             char        klass);

/* ---- EHLO ---------------------------------------------------------------- */

typedef enum
{
  MISSIVE_SMTP_CAP_SIZE                = 1 << 0,
  MISSIVE_SMTP_CAP_PIPELINING          = 1 << 1,
  MISSIVE_SMTP_CAP_8BITMIME            = 1 << 2,
  MISSIVE_SMTP_CAP_SMTPUTF8            = 1 << 3,
  MISSIVE_SMTP_CAP_BINARYMIME          = 1 << 4,
  MISSIVE_SMTP_CAP_CHUNKING            = 1 << 5,
  MISSIVE_SMTP_CAP_DSN                 = 1 << 6,
  MISSIVE_SMTP_CAP_ENHANCEDSTATUSCODES = 1 << 7,
  MISSIVE_SMTP_CAP_REQUIRETLS          = 1 << 8,
  MISSIVE_SMTP_CAP_AUTH                = 1 << 9,
  MISSIVE_SMTP_CAP_DELIVERBY           = 1 << 10,
  MISSIVE_SMTP_CAP_MT_PRIORITY         = 1 << 11,
  MISSIVE_SMTP_CAP_STARTTLS            = 1 << 12,
  MISSIVE_SMTP_CAP_VRFY                = 1 << 13,
  MISSIVE_SMTP_CAP_EXPN                = 1 << 14,
} MissiveSmtpCapFlags;

typedef struct
{
  guint flags;         /* MissiveSmtpCapFlags */
  guint64 max_size;    /* SIZE n; 0 when not given or unlimited */
  gint64 min_by;       /* DELIVERBY's minimum, 0 if none */
  char **mechanisms;   /* AUTH mechanisms (upper case), never NULL */
  char **names;        /* every keyword (upper case) plus AUTH=<mech> for
                        * each mechanism, for missive_service_set_capabilities() */
} MissiveSmtpCaps;

void      missive_smtp_caps_clear (MissiveSmtpCaps        *caps);
/* Parses a 250 reply to EHLO or LHLO (the first line is the greeting). */
void      missive_smtp_caps_parse (MissiveSmtpCaps        *caps,
                                   const MissiveSmtpReply *reply);

/* ---- parameters ------------------------------------------------------------ */

/* RFC 3461 xtext: "+", "=", controls, space and non-ASCII bytes as +XX. */
char     *missive_smtp_xtext_encode (const char *text);

G_END_DECLS
