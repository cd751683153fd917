/* missive-imap-parser.h: the IMAP response parser (RFC 3501, RFC 9051)
 *
 * The parser does no I/O. The connection reads a line from the server and
 * feeds it; when the line ends with a literal announcement ({n} or ~{n}),
 * the parser says how many bytes follow, and the connection either reads
 * them into memory and hands them over (missive_imap_parser_add_literal)
 * or streams them elsewhere, a message body into the application's
 * GOutputStream say, and only reports their size
 * (missive_imap_parser_add_streamed_literal). Then it feeds the next line,
 * until the response is complete. The same parser thus serves blocking and
 * asynchronous reading, and literal bytes are never copied by the parser
 * when they are streamed.
 *
 * A response that cannot be parsed is still consumed to its end (every
 * literal it announces is asked for, so that the stream stays in step):
 * missive_imap_parser_feed_line() then returns
 * MISSIVE_IMAP_PARSE_FAILED with the first error, and whatever could be
 * read (the tag, for a tagged response) is in the response.
 *
 * The response and its values live in the parser's memory: they stay valid
 * until the next call to missive_imap_parser_feed_line() after a complete
 * (or failed) response, or missive_imap_parser_reset().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The errors of a response that failed to parse. The connection reports
 * them as MISSIVE_ERROR_PROTOCOL. */
#define MISSIVE_IMAP_PARSE_ERROR (missive_imap_parse_error_quark ())
GQuark missive_imap_parse_error_quark (void);

typedef enum
{
  MISSIVE_IMAP_PARSE_ERROR_MALFORMED, /* not IMAP's grammar */
  MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP,  /* lists nested deeper than the limit */
  MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE, /* more memory than the limit */
} MissiveImapParseError;

/* The default bounds; see missive_imap_parser_set_limits(). */
#define MISSIVE_IMAP_PARSER_DEFAULT_MAX_DEPTH     64
#define MISSIVE_IMAP_PARSER_DEFAULT_MAX_RESPONSE  (64 * 1024 * 1024)

typedef enum
{
  MISSIVE_IMAP_VALUE_ATOM,     /* an atom, a number, a flag, "BODY[1.2]<0>" */
  MISSIVE_IMAP_VALUE_STRING,   /* a quoted string or a literal kept in memory */
  MISSIVE_IMAP_VALUE_NIL,
  MISSIVE_IMAP_VALUE_LIST,     /* a parenthesised list */
  MISSIVE_IMAP_VALUE_STREAMED, /* a literal that went to a stream: only its size */
} MissiveImapValueType;

typedef struct _MissiveImapValue MissiveImapValue;

/* One value of a response. Siblings are linked through @next. */
struct _MissiveImapValue
{
  MissiveImapValueType type;
  gboolean binary;          /* a literal announced as ~{n} (BINARY) */
  gsize length;             /* bytes in @data (ATOM, STRING), children (LIST) */
  guint64 streamed_size;    /* STREAMED: the literal's size */
  const char *data;         /* ATOM and STRING: the bytes, NUL-terminated;
                             * a literal may hold NULs within @length */
  MissiveImapValue *children; /* LIST: the first child, or NULL */
  MissiveImapValue *next;   /* the next sibling, or NULL */
};

typedef enum
{
  MISSIVE_IMAP_RESPONSE_UNTAGGED,      /* "* ..." */
  MISSIVE_IMAP_RESPONSE_TAGGED,        /* "A0001 OK ..." */
  MISSIVE_IMAP_RESPONSE_CONTINUATION,  /* "+ ..." */
} MissiveImapResponseKind;

typedef enum
{
  MISSIVE_IMAP_STATUS_NONE,    /* not a status response (* 3 EXISTS, * LIST ...) */
  MISSIVE_IMAP_STATUS_OK,
  MISSIVE_IMAP_STATUS_NO,
  MISSIVE_IMAP_STATUS_BAD,
  MISSIVE_IMAP_STATUS_BYE,
  MISSIVE_IMAP_STATUS_PREAUTH,
} MissiveImapStatus;

/* One complete server response. Every string is NUL-terminated; keywords
 * and response codes are upper-cased. */
typedef struct
{
  MissiveImapResponseKind kind;
  const char *tag;             /* TAGGED: the tag; otherwise NULL */
  MissiveImapStatus status;    /* status responses, tagged or untagged */

  /* "* 12 FETCH (...)", "* 3 EXISTS": has_number is TRUE */
  gboolean has_number;
  guint32 number;

  /* The keyword: "FETCH", "EXISTS", "LIST", "CAPABILITY", "SEARCH", ...;
   * for status responses "OK", "NO", "BAD", "BYE" or "PREAUTH"; NULL for
   * continuations. */
  const char *keyword;

  /* The values after the keyword (not for status responses): the first
   * one, linked through ->next; NULL if none. */
  MissiveImapValue *args;

  /* Status responses: the response code in brackets, if any
   * ("UIDVALIDITY", "COPYUID", "ALERT", ...) and its arguments, parsed as
   * values ("[PERMANENTFLAGS (\Seen \*)]" gives one LIST). */
  const char *code;
  MissiveImapValue *code_args;

  /* Status responses: the human-readable text after the code (may be "").
   * Continuations: everything after "+ " (a base64 challenge, or text). */
  const char *text;
} MissiveImapResponse;

typedef enum
{
  MISSIVE_IMAP_PARSE_COMPLETE,     /* the response is complete */
  MISSIVE_IMAP_PARSE_NEED_LITERAL, /* a literal of *literal_size bytes follows */
  MISSIVE_IMAP_PARSE_FAILED,       /* the response is complete but malformed */
} MissiveImapParseResult;

typedef struct _MissiveImapParser MissiveImapParser;

MissiveImapParser *missive_imap_parser_new                   (void);
void               missive_imap_parser_free                  (MissiveImapParser *self);

/* @max_depth: deepest nesting of lists; @max_response: the most bytes of
 * one response kept in memory (lines and in-memory literals; what is
 * counted is the parsed form: strings, literals and ~48 bytes per value).
 * Exceeding either fails the response (which is still consumed to its
 * end). A literal announced with a size beyond 2^63 - 1 cannot be read at
 * all: the response fails at once, without asking for it. */
void               missive_imap_parser_set_limits            (MissiveImapParser *self,
                                                              guint              max_depth,
                                                              gsize              max_response);

/* Forgets any partial response (after the connection was lost). */
void               missive_imap_parser_reset                 (MissiveImapParser *self);

/* Feeds one line without its CRLF. @line may contain NUL bytes (which make
 * the response fail); it need not be NUL-terminated.
 *
 * Returns MISSIVE_IMAP_PARSE_NEED_LITERAL when the line announced a
 * literal: *literal_size is its size and the caller must next call
 * missive_imap_parser_add_literal(), _add_streamed_literal() or
 * _skip_literal() (also while a failed response is being skipped: see
 * missive_imap_parser_is_failing()), then feed the line that follows the
 * literal. Returns COMPLETE or FAILED when the response is complete; on
 * FAILED, @error is set. */
MissiveImapParseResult missive_imap_parser_feed_line         (MissiveImapParser *self,
                                                              const char        *line,
                                                              gsize              length,
                                                              guint64           *literal_size,
                                                              GError           **error);

/* The literal's bytes, copied into the response. */
void               missive_imap_parser_add_literal           (MissiveImapParser *self,
                                                              const char        *data,
                                                              gsize              length);
/* The literal went elsewhere; the value records only its size. */
void               missive_imap_parser_add_streamed_literal  (MissiveImapParser *self,
                                                              guint64            size);
/* The literal was read and thrown away although the response needed it
 * (it had no stream to go to and did not fit in memory: see
 * missive_imap_parser_literal_fits()): unless the response failed before,
 * it fails with MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE. */
void               missive_imap_parser_skip_literal          (MissiveImapParser *self);

/* While a literal is pending: whether the response already failed (then
 * the literal should be read and dropped; any of the three calls above
 * may follow). */
gboolean           missive_imap_parser_is_failing            (MissiveImapParser *self);
/* While a literal is pending: whether it fits in what the response may
 * still keep in memory (max_response). One that does not is never handed
 * to add_literal() (that fails the response without keeping it); it goes
 * to a stream if the caller has one for it (add_streamed_literal(): the
 * response stays good), else it is read, dropped and reported with
 * skip_literal(). Streamed literals take no memory, so a 1 GB body
 * streamed to a file is fine whatever the limit. */
gboolean           missive_imap_parser_literal_fits          (MissiveImapParser *self);

/* While a literal is pending, what it belongs to, so that the caller can
 * choose its destination: the response so far (kind, tag, number,
 * keyword), the value just before the literal in its list (for a FETCH
 * body, the atom "BODY[1.2]<0>"), or NULL, and the nesting depth (1 for
 * the items of "* 3 FETCH (...)"). */
const MissiveImapResponse *missive_imap_parser_get_partial   (MissiveImapParser *self);
const MissiveImapValue    *missive_imap_parser_get_previous  (MissiveImapParser *self);
guint                      missive_imap_parser_get_depth     (MissiveImapParser *self);

/* After COMPLETE or FAILED: the response. */
const MissiveImapResponse *missive_imap_parser_get_response  (MissiveImapParser *self);

/* ---- values ---- */

/* TRUE if @value is an atom equal to @atom, ignoring ASCII case. */
gboolean           missive_imap_value_is_atom     (const MissiveImapValue *value,
                                                   const char             *atom);
/* The text of an atom or string (an "nstring" or "astring"); NULL for NIL,
 * lists, streamed literals and a NULL @value. */
const char        *missive_imap_value_get_string  (const MissiveImapValue *value);
/* An atom made only of digits that fits in 64 bits (63 for a number64). */
gboolean           missive_imap_value_get_number  (const MissiveImapValue *value,
                                                   guint64                *number);
/* The @n-th child of a list (from 0), or NULL. */
const MissiveImapValue *missive_imap_value_nth    (const MissiveImapValue *list,
                                                   guint                   n);
/* In a list of alternating names and values ("UID 3 FLAGS (...)"), the
 * value after the atom @name (ASCII case ignored), or NULL. */
const MissiveImapValue *missive_imap_value_lookup (const MissiveImapValue *list,
                                                   const char             *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveImapParser, missive_imap_parser_free)

G_END_DECLS
