/* missive-imap-parser.c: the incremental IMAP response parser
 *
 * How it works
 *
 * A response is a first line, then, for each literal a line announces, the
 * literal's bytes and the line that follows them. The parser reads each
 * line once, from left to right, and keeps between lines only what it needs
 * to go on: the lists still open (a stack of frames, each with the list and
 * where its next child goes) and whether the values belong to the arguments
 * or to a response code. Appending a value is O(1); nothing is ever
 * re-scanned.
 *
 * Memory: every value and string of a response comes from an arena (a list
 * of chunks) that the parser owns. It is rewound when the next response
 * starts, so after the first few responses no parsing allocates from the
 * heap at all; chunks beyond a small reserve, and the dedicated ones of big
 * literals, are freed at that point so that one large response does not
 * pin its memory. The response limit counts the bytes taken from the arena
 * (strings, in-memory literals and the value structures themselves), so
 * that it bounds the real memory of a response, whatever its shape.
 *
 * Grammar and leniency, in short:
 * - The tag is everything up to the first space; characters IMAP does not
 *   allow in tags make the response fail, but the tag is kept.
 * - Status responses (OK, NO, BAD, BYE, PREAUTH) take an optional
 *   "[CODE args]" and then human text, which is never tokenised. A "["
 *   with no "]" on the line is text. Arguments of a code that are not
 *   IMAP values (an unbalanced quote, say) become one string holding the
 *   raw bytes up to the first "]", so that an odd code never fails an
 *   otherwise good status response.
 * - Values may be separated by any number of spaces, or none where a
 *   list or string ends ("((a)(b))", as BODYSTRUCTURE and THREAD have it).
 * - An atom runs up to a space, a parenthesis, a quote or a control
 *   character. A "[" inside an atom opens a section that runs to its
 *   matching "]", spaces, parentheses and quoted strings included, so that
 *   BODY[HEADER.FIELDS (SUBJECT FROM)]<0> is one atom. Outside response
 *   codes a "]" is part of atoms too (astrings allow it); inside a code it
 *   ends the code. "%", "*" and "\" are accepted in atoms (flags such as
 *   \* and list patterns). 8-bit bytes are accepted in atoms and quoted
 *   strings (UTF8=ACCEPT); CR, LF and NUL are not.
 * - Quoted strings unescape \" and \\; any other backslash is kept as is.
 * - A literal is {n}, ~{n} (BINARY) or, leniently, {n+}; it must end its
 *   line and stand where a value may; its size is at most 2^63 - 1.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-parser.h"

G_DEFINE_QUARK (missive-imap-parse-error-quark, missive_imap_parse_error)

/* ---- character classes ---------------------------------------------------- */

enum
{
  CH_ATOM = 1 << 0,   /* part of an atom ("[" and "]" are handled apart) */
  CH_QUOTED = 1 << 1, /* stands for itself in a quoted string */
  CH_TAG = 1 << 2,    /* allowed in a tag */
};

static const guint8 char_class[256] = {
  0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 0, 2, 2,  /* 0x00 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 0x10 */
  2, 7, 0, 7, 7, 3, 7, 7, 2, 2, 3, 3, 7, 7, 7, 7,  /* 0x20  !"#$%&'()*+,-./ */
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x30 0-9:;<=>? */
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x40 @A-O */
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 1, 6, 7, 7,  /* 0x50 P-Z[\]^_ */
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x60 `a-o */
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2, 7, 7, 7, 2,  /* 0x70 p-z{|}~DEL */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0x80 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0x90 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0xa0 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0xb0 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0xc0 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0xd0 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0xe0 */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0xf0 */
};

#define IS_CLASS(c, cls) ((char_class[(guchar) (c)] & (cls)) != 0)

/* ---- the arena ------------------------------------------------------------ */

/* The first chunk's size; each new chunk doubles it, up to the maximum.
 * Requests bigger than that get a chunk of their own. */
#define ARENA_FIRST_CHUNK (8 * 1024)
#define ARENA_MAX_CHUNK   (256 * 1024)
/* How much of its chunks the arena keeps when it is rewound. */
#define ARENA_KEEP        (1024 * 1024)
/* The alignment of values (they hold pointers and 64-bit integers). */
#define VALUE_ALIGN       8

typedef struct _ArenaChunk ArenaChunk;

struct _ArenaChunk
{
  ArenaChunk *next;
  gsize size;
  gsize used;
};

/* The chunk header, rounded up so that the data is well aligned. */
#define CHUNK_HEADER ((sizeof (ArenaChunk) + 15) & ~(gsize) 15)
#define CHUNK_DATA(c) ((char *) (c) + CHUNK_HEADER)

typedef struct
{
  ArenaChunk *first;
  /* The chunk allocations come from; every chunk after it is empty. */
  ArenaChunk *current;
  gsize next_size;
} Arena;

static gpointer
arena_alloc_slow (Arena *arena,
                  gsize  size)
{
  ArenaChunk *chunk;
  ArenaChunk *current = arena->current;

  /* A kept chunk after the current one, if it is big enough. */
  if (current != NULL && current->next != NULL && current->next->size >= size)
    {
      chunk = current->next;
    }
  else
    {
      gsize chunk_size = MAX (arena->next_size, size);

      if (arena->next_size < ARENA_MAX_CHUNK)
        arena->next_size *= 2;
      chunk = g_malloc (CHUNK_HEADER + chunk_size);
      chunk->size = chunk_size;
      chunk->used = 0;
      if (current != NULL)
        {
          chunk->next = current->next;
          current->next = chunk;
        }
      else
        {
          chunk->next = arena->first;
          arena->first = chunk;
        }
    }
  arena->current = chunk;
  chunk->used = size;
  return CHUNK_DATA (chunk);
}

static inline gpointer
arena_alloc (Arena *arena,
             gsize  size,
             gsize  align)
{
  ArenaChunk *chunk = arena->current;

  if (G_LIKELY (chunk != NULL))
    {
      gsize start = (chunk->used + align - 1) & ~(align - 1);

      if (start <= chunk->size && chunk->size - start >= size)
        {
          chunk->used = start + size;
          return CHUNK_DATA (chunk) + start;
        }
    }
  return arena_alloc_slow (arena, size);
}

/* Forgets everything allocated, keeping up to ARENA_KEEP bytes of chunks
 * of the usual sizes for the next response. */
static void
arena_rewind (Arena *arena)
{
  ArenaChunk **link = &arena->first;
  gsize kept = 0;

  while (*link != NULL)
    {
      ArenaChunk *chunk = *link;

      if (chunk->size > ARENA_MAX_CHUNK || kept + chunk->size > ARENA_KEEP)
        {
          *link = chunk->next;
          g_free (chunk);
        }
      else
        {
          kept += chunk->size;
          chunk->used = 0;
          link = &chunk->next;
        }
    }
  arena->current = arena->first;
}

static void
arena_clear (Arena *arena)
{
  while (arena->first != NULL)
    {
      ArenaChunk *chunk = arena->first;

      arena->first = chunk->next;
      g_free (chunk);
    }
  arena->current = NULL;
}

/* ---- the parser ----------------------------------------------------------- */

typedef enum
{
  PHASE_NEW,     /* the next line starts a response */
  PHASE_VALUES,  /* after a literal: the next line goes on with the values */
  PHASE_SKIP,    /* failed, after a literal: the next line is only checked
                  * for another literal */
} Phase;

/* An open list, or the top level (list NULL) of the arguments or of the
 * response code. */
typedef struct
{
  MissiveImapValue *list;
  MissiveImapValue **tail;  /* where the next sibling goes */
  MissiveImapValue *last;   /* the last value added, or NULL */
} Frame;

struct _MissiveImapParser
{
  guint max_depth;
  gsize max_response;

  Arena arena;
  gsize used;               /* arena bytes the response took */

  MissiveImapResponse response;
  Phase phase;
  gboolean in_code;         /* the values are the response code's */
  gboolean failed;
  GError *error;            /* the first error of a failed response */

  /* frames[0] is the top level; frames[depth] the innermost open list. */
  Frame *frames;
  guint n_frames;
  guint depth;

  gboolean literal_pending;
  gboolean literal_binary;
  gboolean literal_too_large; /* it would not fit in memory */
  guint64 literal_size;

  /* For error messages. */
  const char *line_start;
  guint line_no;
};

/* What parsing a run of values stopped at. */
typedef enum
{
  STOP_END,      /* the end of the line */
  STOP_LITERAL,  /* a literal announcement (which ends the line) */
  STOP_BRACKET,  /* the "]" that closes a response code */
  STOP_ERROR,    /* the response failed */
} Stop;

/* What the response needs after a line. */
typedef enum
{
  STEP_DONE,
  STEP_LITERAL,
} Step;

static const char * const status_names[] = {
  [MISSIVE_IMAP_STATUS_NONE] = NULL,
  [MISSIVE_IMAP_STATUS_OK] = "OK",
  [MISSIVE_IMAP_STATUS_NO] = "NO",
  [MISSIVE_IMAP_STATUS_BAD] = "BAD",
  [MISSIVE_IMAP_STATUS_BYE] = "BYE",
  [MISSIVE_IMAP_STATUS_PREAUTH] = "PREAUTH",
};

static void fail (MissiveImapParser     *self,
                  MissiveImapParseError  code,
                  const char            *format,
                  ...) G_GNUC_PRINTF (3, 4);

/* Fails the response with the first error only. */
static void
fail (MissiveImapParser     *self,
      MissiveImapParseError  code,
      const char            *format,
      ...)
{
  va_list args;

  self->failed = TRUE;
  if (self->error != NULL)
    return;
  va_start (args, format);
  self->error = g_error_new_valist (MISSIVE_IMAP_PARSE_ERROR, code, format, args);
  va_end (args);
}

/* A malformed response, at @p of the current line. */
static void
fail_at (MissiveImapParser *self,
         const char        *p,
         const char        *what)
{
  fail (self, MISSIVE_IMAP_PARSE_ERROR_MALFORMED,
        "Malformed IMAP response: %s (line %u, byte %" G_GSIZE_FORMAT ")",
        what, self->line_no, (gsize) (p - self->line_start));
}

static void
fail_too_large (MissiveImapParser *self)
{
  fail (self, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE,
        "IMAP response larger than the limit of %" G_GSIZE_FORMAT " bytes",
        self->max_response);
}

/* @size bytes of the arena, within the response limit. */
static inline gpointer
parser_alloc (MissiveImapParser *self,
              gsize              size,
              gsize              align)
{
  if (G_UNLIKELY (self->used > self->max_response || size > self->max_response - self->used))
    {
      fail_too_large (self);
      return NULL;
    }
  self->used += size;
  return arena_alloc (&self->arena, size, align);
}

/* A value with @extra bytes after it (for its string). */
static inline MissiveImapValue *
new_value (MissiveImapParser    *self,
           MissiveImapValueType  type,
           gsize                 extra)
{
  MissiveImapValue *value;

  if (extra > G_MAXSIZE - sizeof (MissiveImapValue))
    extra = G_MAXSIZE - sizeof (MissiveImapValue); /* fails the limit */
  value = parser_alloc (self, sizeof (MissiveImapValue) + extra, VALUE_ALIGN);
  if (value == NULL)
    return NULL;
  *value = (MissiveImapValue) { .type = type };
  if (extra > 0)
    value->data = (const char *) (value + 1);
  return value;
}

/* A value of @type holding a copy of @length bytes at @s. */
static inline MissiveImapValue *
new_string_value (MissiveImapParser    *self,
                  MissiveImapValueType  type,
                  const char           *s,
                  gsize                 length)
{
  MissiveImapValue *value = new_value (self, type, length + 1);
  char *data;

  if (value == NULL)
    return NULL;
  data = (char *) value->data;
  memcpy (data, s, length);
  data[length] = '\0';
  value->length = length;
  return value;
}

static char *
copy_string (MissiveImapParser *self,
             const char        *s,
             gsize              length)
{
  char *copy = parser_alloc (self, length + 1, 1);

  if (copy == NULL)
    return NULL;
  memcpy (copy, s, length);
  copy[length] = '\0';
  return copy;
}

static char *
copy_upper (MissiveImapParser *self,
            const char        *s,
            gsize              length)
{
  char *copy = parser_alloc (self, length + 1, 1);

  if (copy == NULL)
    return NULL;
  for (gsize i = 0; i < length; i++)
    copy[i] = g_ascii_toupper (s[i]);
  copy[length] = '\0';
  return copy;
}

static inline void
append_value (MissiveImapParser *self,
              MissiveImapValue  *value)
{
  Frame *frame = &self->frames[self->depth];

  *frame->tail = value;
  frame->tail = &value->next;
  frame->last = value;
  if (frame->list != NULL)
    frame->list->length++;
}

/* Makes the values that follow go to @first (the arguments or the
 * response code's). */
static void
start_top_level (MissiveImapParser  *self,
                 MissiveImapValue  **first,
                 gboolean            in_code)
{
  self->in_code = in_code;
  self->depth = 0;
  *first = NULL;
  self->frames[0] = (Frame) { NULL, first, NULL };
}

static gboolean
open_list (MissiveImapParser *self,
           const char        *p)
{
  MissiveImapValue *list;

  if (self->depth >= self->max_depth)
    {
      fail (self, MISSIVE_IMAP_PARSE_ERROR_TOO_DEEP,
            "IMAP response nested deeper than %u lists (line %u, byte %" G_GSIZE_FORMAT ")",
            self->max_depth, self->line_no, (gsize) (p - self->line_start));
      return FALSE;
    }
  list = new_value (self, MISSIVE_IMAP_VALUE_LIST, 0);
  if (list == NULL)
    return FALSE;
  append_value (self, list);

  if (self->depth + 1 >= self->n_frames)
    {
      self->n_frames = MAX (self->n_frames * 2, self->depth + 2);
      self->frames = g_renew (Frame, self->frames, self->n_frames);
    }
  self->depth++;
  self->frames[self->depth] = (Frame) { list, &list->children, NULL };
  return TRUE;
}

/* Parses a size of up to 2^63 - 1 from the digits in [p, end). */
static gboolean
parse_size (const char *p,
            const char *end,
            guint64    *size)
{
  guint64 n = 0;

  if (p == end)
    return FALSE;
  for (; p < end; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = *p - '0';
      if (n > ((guint64) G_MAXINT64 - digit) / 10)
        return FALSE;
      n = n * 10 + digit;
    }
  *size = n;
  return TRUE;
}

/* Whether the line [line, end) ends with a literal announcement, the only
 * thing a failed response still looks for. */
static gboolean
find_trailing_literal (const char *line,
                       const char *end,
                       guint64    *size,
                       gboolean   *binary)
{
  const char *p = end;
  const char *digits_end;

  if (p == line || p[-1] != '}')
    return FALSE;
  p--;
  if (p > line && p[-1] == '+')
    p--;
  digits_end = p;
  while (p > line && g_ascii_isdigit (p[-1]))
    p--;
  if (p == digits_end || p == line || p[-1] != '{')
    return FALSE;
  if (!parse_size (p, digits_end, size))
    return FALSE;
  p--;
  *binary = p > line && p[-1] == '~';
  return TRUE;
}

/* After the response failed on a line that ends at @end: if the line
 * announces a literal, it is still asked for. */
static Step
failed_step (MissiveImapParser *self,
             const char        *end)
{
  guint64 size;
  gboolean binary;

  g_assert (self->failed);
  if (!find_trailing_literal (self->line_start, end, &size, &binary))
    return STEP_DONE;
  self->literal_pending = TRUE;
  self->literal_size = size;
  self->literal_binary = binary;
  self->literal_too_large = FALSE;
  return STEP_LITERAL;
}

/* Skips the body of a quoted string from @p (after the opening quote);
 * returns the position after the closing quote, or NULL. */
static const char *
skip_quoted (const char *p,
             const char *end)
{
  while (p < end)
    {
      char c = *p;

      if (IS_CLASS (c, CH_QUOTED))
        p++;
      else if (c == '"')
        return p + 1;
      else if (c == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
        p += 2;
      else if (c == '\\')
        p++;
      else
        return NULL;
    }
  return NULL;
}

/* Scans a section of an atom from @p (after its "[") to after its
 * matching "]"; NULL if it is not closed on the line. */
static const char *
scan_section (MissiveImapParser *self,
              const char        *p,
              const char        *end)
{
  const char *open = p - 1;
  gsize nesting = 1;

  while (p < end)
    {
      char c = *p;

      if (c == ']')
        {
          p++;
          if (--nesting == 0)
            return p;
        }
      else if (c == '[')
        {
          nesting++;
          p++;
        }
      else if (c == '"')
        {
          const char *after = skip_quoted (p + 1, end);

          if (after == NULL)
            {
              fail_at (self, p, "unterminated quoted string in a section");
              return NULL;
            }
          p = after;
        }
      else if (c == '\0' || c == '\r' || c == '\n')
        {
          fail_at (self, p, c == '\0' ? "NUL byte" : "bare CR or LF");
          return NULL;
        }
      else
        {
          p++;
        }
    }
  fail_at (self, open, "'[' without ']'");
  return NULL;
}

/* An atom (or NIL) from @p; returns the position after it, or NULL. */
static const char *
parse_atom (MissiveImapParser *self,
            const char        *p,
            const char        *end)
{
  const char *start = p;
  MissiveImapValue *value;
  gsize length;

  for (;;)
    {
      while (p < end && IS_CLASS (*p, CH_ATOM))
        p++;
      if (p == end)
        break;
      if (*p == '[')
        {
          p = scan_section (self, p + 1, end);
          if (p == NULL)
            return NULL;
        }
      else if (*p == ']' && !self->in_code)
        {
          p++;
        }
      else
        {
          break;
        }
    }

  length = p - start;
  if (length == 3 &&
      (start[0] | 0x20) == 'n' && (start[1] | 0x20) == 'i' && (start[2] | 0x20) == 'l')
    value = new_value (self, MISSIVE_IMAP_VALUE_NIL, 0);
  else
    value = new_string_value (self, MISSIVE_IMAP_VALUE_ATOM, start, length);
  if (value == NULL)
    return NULL;
  append_value (self, value);
  return p;
}

/* A quoted string from @p (after the opening quote); returns the position
 * after it, or NULL. */
static const char *
parse_quoted (MissiveImapParser *self,
              const char        *p,
              const char        *end)
{
  const char *start = p;
  gsize escapes = 0;
  MissiveImapValue *value;
  char *out;

  for (;;)
    {
      char c;

      while (p < end && IS_CLASS (*p, CH_QUOTED))
        p++;
      if (p == end)
        {
          fail_at (self, start - 1, "unterminated quoted string");
          return NULL;
        }
      c = *p;
      if (c == '"')
        break;
      if (c == '\\')
        {
          if (p + 1 < end && (p[1] == '"' || p[1] == '\\'))
            {
              escapes++;
              p += 2;
            }
          else
            {
              p++; /* kept as is */
            }
          continue;
        }
      fail_at (self, p, c == '\0' ? "NUL byte in a quoted string"
                                  : "CR or LF in a quoted string");
      return NULL;
    }

  if (escapes == 0)
    {
      value = new_string_value (self, MISSIVE_IMAP_VALUE_STRING, start, p - start);
      if (value == NULL)
        return NULL;
    }
  else
    {
      const char *q;

      value = new_value (self, MISSIVE_IMAP_VALUE_STRING, (p - start) - escapes + 1);
      if (value == NULL)
        return NULL;
      out = (char *) value->data;
      for (q = start; q < p; q++)
        {
          if (*q == '\\' && q + 1 < p && (q[1] == '"' || q[1] == '\\'))
            q++;
          *out++ = *q;
        }
      *out = '\0';
      value->length = out - value->data;
    }
  append_value (self, value);
  return p + 1;
}

/* A literal announcement at @p ("{" or "~{"). */
static Stop
parse_literal (MissiveImapParser *self,
               const char        *p,
               const char        *end)
{
  gboolean binary = (*p == '~');
  const char *digits = p + (binary ? 2 : 1);
  const char *q = digits;
  gsize room;
  guint64 size;

  while (q < end && g_ascii_isdigit (*q))
    q++;
  if (q == digits)
    {
      fail_at (self, p, "'{' without a literal size");
      return STOP_ERROR;
    }
  if (!parse_size (digits, q, &size))
    {
      fail (self, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE,
            "IMAP literal size %.*s does not fit in 63 bits",
            (int) MIN (q - digits, 40), digits);
      return STOP_ERROR;
    }
  if (q < end && *q == '+')
    q++;
  if (q == end || *q != '}')
    {
      fail_at (self, p, "malformed literal announcement");
      return STOP_ERROR;
    }
  if (q + 1 != end)
    {
      fail_at (self, p, "a literal announcement must end the line");
      return STOP_ERROR;
    }

  self->literal_pending = TRUE;
  self->literal_binary = binary;
  self->literal_size = size;
  room = self->used > self->max_response ? 0 : self->max_response - self->used;
  self->literal_too_large = room < sizeof (MissiveImapValue) + 1 ||
                            size > room - sizeof (MissiveImapValue) - 1;
  return STOP_LITERAL;
}

/* Parses values from *@pp to the end of the line, a literal announcement,
 * or (in a response code) the "]" that ends the code. */
static Stop
parse_values (MissiveImapParser  *self,
              const char        **pp,
              const char         *end)
{
  const char *p = *pp;

  while (p < end)
    {
      char c = *p;

      if (c == ' ')
        {
          p++;
        }
      else if (c == '(')
        {
          if (!open_list (self, p))
            return STOP_ERROR;
          p++;
        }
      else if (c == ')')
        {
          if (self->depth == 0)
            {
              fail_at (self, p, "unbalanced parentheses: ')' without '('");
              return STOP_ERROR;
            }
          self->depth--;
          p++;
        }
      else if (c == '"')
        {
          p = parse_quoted (self, p + 1, end);
          if (p == NULL)
            return STOP_ERROR;
        }
      else if (c == '{' || (c == '~' && p + 1 < end && p[1] == '{'))
        {
          return parse_literal (self, p, end);
        }
      else if (IS_CLASS (c, CH_ATOM) || c == '[' || (c == ']' && !self->in_code))
        {
          p = parse_atom (self, p, end);
          if (p == NULL)
            return STOP_ERROR;
        }
      else if (c == ']')
        {
          if (self->depth > 0)
            {
              fail_at (self, p, "unbalanced parentheses: ']' inside a list");
              return STOP_ERROR;
            }
          *pp = p + 1;
          return STOP_BRACKET;
        }
      else if (c == '\0')
        {
          fail_at (self, p, "NUL byte");
          return STOP_ERROR;
        }
      else
        {
          fail_at (self, p, "control character");
          return STOP_ERROR;
        }
    }
  *pp = p;
  return STOP_END;
}

/* The human-readable text of a status response, from @p. */
static Step
parse_text (MissiveImapParser *self,
            const char        *p,
            const char        *end)
{
  const char *nul;

  while (p < end && *p == ' ')
    p++;
  nul = memchr (p, '\0', end - p);
  if (nul != NULL)
    {
      fail_at (self, nul, "NUL byte in the text");
      return STEP_DONE;
    }
  self->response.text = copy_string (self, p, end - p);
  return STEP_DONE;
}

/* Values up to the end of the line, then what the response needs next. */
static Step
run_values (MissiveImapParser *self,
            const char        *p,
            const char        *end)
{
  switch (parse_values (self, &p, end))
    {
    case STOP_LITERAL:
      return STEP_LITERAL;
    case STOP_BRACKET:
      return parse_text (self, p, end);
    case STOP_ERROR:
      return failed_step (self, end);
    case STOP_END:
    default:
      break;
    }
  if (self->depth > 0)
    {
      fail (self, MISSIVE_IMAP_PARSE_ERROR_MALFORMED,
            "Malformed IMAP response: unbalanced parentheses: %u list%s not closed",
            self->depth, self->depth == 1 ? "" : "s");
      return STEP_DONE;
    }
  if (self->in_code)
    {
      fail (self, MISSIVE_IMAP_PARSE_ERROR_MALFORMED,
            "Malformed IMAP response: the response code is not closed");
      return STEP_DONE;
    }
  return STEP_DONE;
}

/* The arguments of a response code that are not values: one string with
 * their bytes up to the first "]", and the text after it. */
static Step
code_fallback (MissiveImapParser *self,
               const char        *args,
               const char        *end)
{
  const char *close = memchr (args, ']', end - args);
  MissiveImapValue *value;

  if (close == NULL || memchr (args, '\0', close - args) != NULL)
    return failed_step (self, end);

  g_clear_error (&self->error);
  self->failed = FALSE;
  start_top_level (self, &self->response.code_args, TRUE);
  self->in_code = FALSE;
  value = new_string_value (self, MISSIVE_IMAP_VALUE_STRING, args, close - args);
  if (value == NULL)
    return STEP_DONE;
  append_value (self, value);
  return parse_text (self, close + 1, end);
}

/* The rest of a status response from @p: "[CODE args] text". */
static Step
parse_status (MissiveImapParser *self,
              const char        *p,
              const char        *end)
{
  MissiveImapResponse *r = &self->response;
  const char *name;
  const char *args;
  guint64 literal_size;
  gboolean binary;

  while (p < end && *p == ' ')
    p++;
  /* A code needs its "]" on the line, unless a literal comes first. */
  if (p == end || *p != '[' ||
      (memchr (p, ']', end - p) == NULL &&
       !find_trailing_literal (p, end, &literal_size, &binary)))
    return parse_text (self, p, end);

  /* The code's name runs to a space or "]". */
  name = p + 1;
  for (p = name; p < end && IS_CLASS (*p, CH_ATOM); p++)
    ;
  if (p == name || p == end || (*p != ' ' && *p != ']'))
    return parse_text (self, name - 1, end); /* not a code after all */
  r->code = copy_upper (self, name, p - name);
  if (r->code == NULL)
    return failed_step (self, end);
  if (*p == ']')
    return parse_text (self, p + 1, end);

  args = ++p;
  start_top_level (self, &r->code_args, TRUE);
  switch (parse_values (self, &p, end))
    {
    case STOP_BRACKET:
      return parse_text (self, p, end);
    case STOP_LITERAL:
      return STEP_LITERAL;
    case STOP_ERROR:
      if (self->error->code != MISSIVE_IMAP_PARSE_ERROR_MALFORMED)
        return failed_step (self, end);
      return code_fallback (self, args, end);
    case STOP_END:
    default:
      return code_fallback (self, args, end);
    }
}

static MissiveImapStatus
status_from_keyword (const char *s,
                     gsize       length)
{
  for (guint i = MISSIVE_IMAP_STATUS_OK; i <= MISSIVE_IMAP_STATUS_PREAUTH; i++)
    {
      if (strlen (status_names[i]) == length &&
          g_ascii_strncasecmp (s, status_names[i], length) == 0)
        return i;
    }
  return MISSIVE_IMAP_STATUS_NONE;
}

static Step
parse_first_line (MissiveImapParser *self,
                  const char        *p,
                  const char        *end)
{
  MissiveImapResponse *r = &self->response;
  const char *start;

  if (p == end)
    {
      fail_at (self, p, "empty line");
      return STEP_DONE;
    }

  if (*p == '+')
    {
      r->kind = MISSIVE_IMAP_RESPONSE_CONTINUATION;
      p++;
      if (p < end && *p == ' ')
        p++;
      if (memchr (p, '\0', end - p) != NULL)
        {
          fail_at (self, memchr (p, '\0', end - p), "NUL byte in the text");
          return STEP_DONE;
        }
      r->text = copy_string (self, p, end - p);
      return STEP_DONE;
    }

  if (*p == '*')
    {
      r->kind = MISSIVE_IMAP_RESPONSE_UNTAGGED;
      p++;
      if (p == end || *p != ' ')
        {
          fail_at (self, p, "'*' not followed by a space");
          return failed_step (self, end);
        }
      while (p < end && *p == ' ')
        p++;
      if (p < end && g_ascii_isdigit (*p))
        {
          guint64 number = 0;

          start = p;
          while (p < end && g_ascii_isdigit (*p) && number <= G_MAXUINT32)
            number = number * 10 + (*p++ - '0');
          if (number > G_MAXUINT32)
            {
              fail_at (self, start, "message number does not fit in 32 bits");
              return failed_step (self, end);
            }
          if (p == end)
            {
              fail_at (self, p, "a number without a keyword");
              return failed_step (self, end);
            }
          if (*p != ' ')
            {
              fail_at (self, p, "malformed number");
              return failed_step (self, end);
            }
          r->has_number = TRUE;
          r->number = (guint32) number;
          while (p < end && *p == ' ')
            p++;
        }
    }
  else
    {
      gboolean bad = FALSE;

      r->kind = MISSIVE_IMAP_RESPONSE_TAGGED;
      for (start = p; p < end && *p != ' '; p++)
        bad |= !IS_CLASS (*p, CH_TAG);
      r->tag = copy_string (self, start, p - start);
      if (r->tag == NULL)
        return failed_step (self, end);
      if (p == start)
        {
          fail_at (self, start, "empty tag");
          return failed_step (self, end);
        }
      if (bad)
        {
          fail_at (self, start, "invalid character in the tag");
          return failed_step (self, end);
        }
      while (p < end && *p == ' ')
        p++;
    }

  /* The keyword. */
  for (start = p; p < end && IS_CLASS (*p, CH_ATOM); p++)
    ;
  if (p == start)
    {
      fail_at (self, p, p == end ? "missing keyword" : "malformed keyword");
      return failed_step (self, end);
    }
  r->status = status_from_keyword (start, p - start);
  if (r->status != MISSIVE_IMAP_STATUS_NONE)
    r->keyword = status_names[r->status];
  else if ((r->keyword = copy_upper (self, start, p - start)) == NULL)
    return failed_step (self, end);
  if (p < end && *p != ' ')
    {
      fail_at (self, p, "malformed keyword");
      return failed_step (self, end);
    }

  if (r->kind == MISSIVE_IMAP_RESPONSE_TAGGED &&
      r->status != MISSIVE_IMAP_STATUS_OK &&
      r->status != MISSIVE_IMAP_STATUS_NO &&
      r->status != MISSIVE_IMAP_STATUS_BAD)
    {
      fail_at (self, start, "a tagged response must be OK, NO or BAD");
      return failed_step (self, end);
    }
  if (r->has_number && r->status != MISSIVE_IMAP_STATUS_NONE)
    {
      fail_at (self, start, "a status response with a message number");
      return failed_step (self, end);
    }

  if (r->status != MISSIVE_IMAP_STATUS_NONE)
    {
      r->text = "";
      return parse_status (self, p, end);
    }

  start_top_level (self, &r->args, FALSE);
  return run_values (self, p, end);
}

static void
begin_response (MissiveImapParser *self)
{
  arena_rewind (&self->arena);
  self->used = 0;
  self->response = (MissiveImapResponse) { 0 };
  self->failed = FALSE;
  g_clear_error (&self->error);
  self->in_code = FALSE;
  self->depth = 0;
  self->frames[0] = (Frame) { NULL, &self->response.args, NULL };
  self->literal_pending = FALSE;
  self->line_no = 0;
}

/**
 * missive_imap_parser_new:
 *
 * Creates a parser with the default limits.
 *
 * Returns: (transfer full): a new parser
 */
MissiveImapParser *
missive_imap_parser_new (void)
{
  MissiveImapParser *self = g_new0 (MissiveImapParser, 1);

  self->max_depth = MISSIVE_IMAP_PARSER_DEFAULT_MAX_DEPTH;
  self->max_response = MISSIVE_IMAP_PARSER_DEFAULT_MAX_RESPONSE;
  self->arena.next_size = ARENA_FIRST_CHUNK;
  self->n_frames = 8;
  self->frames = g_new0 (Frame, self->n_frames);
  self->phase = PHASE_NEW;
  begin_response (self);
  return self;
}

/**
 * missive_imap_parser_free:
 * @self: (nullable): a parser
 *
 * Frees the parser and the last response.
 */
void
missive_imap_parser_free (MissiveImapParser *self)
{
  if (self == NULL)
    return;
  arena_clear (&self->arena);
  g_clear_error (&self->error);
  g_free (self->frames);
  g_free (self);
}

/**
 * missive_imap_parser_set_limits:
 * @self: a parser
 * @max_depth: the deepest nesting of lists
 * @max_response: the most memory one response may take, in bytes
 *
 * Sets the bounds a response must stay within. The memory counts what the
 * parsed response takes: its strings and in-memory literals plus about 48
 * bytes per value. The new limits apply from the next response on.
 */
void
missive_imap_parser_set_limits (MissiveImapParser *self,
                                guint              max_depth,
                                gsize              max_response)
{
  g_return_if_fail (self != NULL);

  self->max_depth = max_depth;
  self->max_response = max_response;
}

/**
 * missive_imap_parser_reset:
 * @self: a parser
 *
 * Forgets any partial response, and the last complete one.
 */
void
missive_imap_parser_reset (MissiveImapParser *self)
{
  g_return_if_fail (self != NULL);

  begin_response (self);
  self->phase = PHASE_NEW;
}

/**
 * missive_imap_parser_feed_line:
 * @self: a parser
 * @line: (array length=length): a line without its CRLF
 * @length: the length of @line
 * @literal_size: (out) (optional): the size of the literal that follows
 * @error: return location for a #GError
 *
 * Feeds one line of a response; see the header for the protocol.
 *
 * Returns: whether the response is complete, failed or needs a literal
 */
MissiveImapParseResult
missive_imap_parser_feed_line (MissiveImapParser  *self,
                               const char         *line,
                               gsize               length,
                               guint64            *literal_size,
                               GError            **error)
{
  const char *end;
  Step step = STEP_DONE;

  g_return_val_if_fail (self != NULL, MISSIVE_IMAP_PARSE_FAILED);
  g_return_val_if_fail (line != NULL || length == 0, MISSIVE_IMAP_PARSE_FAILED);
  g_return_val_if_fail (!self->literal_pending, MISSIVE_IMAP_PARSE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, MISSIVE_IMAP_PARSE_FAILED);

  if (line == NULL)
    line = "";
  end = line + length;

  if (self->phase == PHASE_NEW)
    begin_response (self);
  self->line_start = line;
  self->line_no++;

  switch (self->phase)
    {
    case PHASE_NEW:
      step = parse_first_line (self, line, end);
      break;
    case PHASE_VALUES:
      step = run_values (self, line, end);
      break;
    case PHASE_SKIP:
      step = failed_step (self, end);
      break;
    default:
      g_assert_not_reached ();
    }
  self->line_start = NULL;

  if (step == STEP_LITERAL)
    {
      self->phase = self->failed ? PHASE_SKIP : PHASE_VALUES;
      if (literal_size != NULL)
        *literal_size = self->literal_size;
      return MISSIVE_IMAP_PARSE_NEED_LITERAL;
    }

  self->phase = PHASE_NEW;
  if (self->failed)
    {
      g_assert (self->error != NULL);
      g_propagate_error (error, g_error_copy (self->error));
      return MISSIVE_IMAP_PARSE_FAILED;
    }
  return MISSIVE_IMAP_PARSE_COMPLETE;
}

/* Ends a pending literal; FALSE if the response already failed. */
static gboolean
end_literal (MissiveImapParser *self)
{
  self->literal_pending = FALSE;
  if (self->failed)
    {
      self->phase = PHASE_SKIP;
      return FALSE;
    }
  return TRUE;
}

/**
 * missive_imap_parser_add_literal:
 * @self: a parser
 * @data: (array length=length): the literal's bytes
 * @length: their number
 *
 * Hands over the literal a line announced, to be kept in the response (a
 * copy). If it does not fit in the response limit, the response fails
 * with %MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE.
 */
void
missive_imap_parser_add_literal (MissiveImapParser *self,
                                 const char        *data,
                                 gsize              length)
{
  MissiveImapValue *value;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->literal_pending);
  g_return_if_fail (data != NULL || length == 0);

  if (!end_literal (self))
    return;
  value = new_string_value (self, MISSIVE_IMAP_VALUE_STRING, data != NULL ? data : "", length);
  if (value == NULL)
    {
      self->phase = PHASE_SKIP;
      return;
    }
  value->binary = self->literal_binary;
  append_value (self, value);
}

/**
 * missive_imap_parser_add_streamed_literal:
 * @self: a parser
 * @size: the literal's size
 *
 * Says that the literal a line announced went elsewhere: the response
 * records a %MISSIVE_IMAP_VALUE_STREAMED value of @size bytes.
 */
void
missive_imap_parser_add_streamed_literal (MissiveImapParser *self,
                                          guint64            size)
{
  MissiveImapValue *value;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->literal_pending);

  if (!end_literal (self))
    return;
  value = new_value (self, MISSIVE_IMAP_VALUE_STREAMED, 0);
  if (value == NULL)
    {
      self->phase = PHASE_SKIP;
      return;
    }
  value->streamed_size = size;
  value->binary = self->literal_binary;
  append_value (self, value);
}

/**
 * missive_imap_parser_skip_literal:
 * @self: a parser
 *
 * Says that the literal a line announced was read and thrown away,
 * although the response needed it (it did not fit in memory, see
 * missive_imap_parser_literal_fits(), and had no stream to go to). Unless
 * it failed before, the response fails with
 * %MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE.
 */
void
missive_imap_parser_skip_literal (MissiveImapParser *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->literal_pending);

  if (!self->failed)
    fail (self, MISSIVE_IMAP_PARSE_ERROR_TOO_LARGE,
          "IMAP literal of %" G_GUINT64_FORMAT " bytes %s",
          self->literal_size,
          self->literal_too_large ? "larger than the response limit" : "was dropped");
  end_literal (self);
}

/**
 * missive_imap_parser_is_failing:
 * @self: a parser
 *
 * While a literal is pending: whether the response already failed, so
 * that the literal is only to be read and dropped.
 *
 * Returns: %TRUE if the response failed
 */
gboolean
missive_imap_parser_is_failing (MissiveImapParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->failed;
}

/**
 * missive_imap_parser_literal_fits:
 * @self: a parser
 *
 * While a literal is pending: whether it fits in the memory the response
 * may still take. One that does not must not be read into memory: it goes
 * to a stream, or is dropped and reported with
 * missive_imap_parser_skip_literal().
 *
 * Returns: %TRUE if the pending literal may be kept in memory
 */
gboolean
missive_imap_parser_literal_fits (MissiveImapParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->literal_pending && !self->failed && !self->literal_too_large;
}

/**
 * missive_imap_parser_get_partial:
 * @self: a parser
 *
 * The response parsed so far, while a literal is pending.
 *
 * Returns: (transfer none): the partial response
 */
const MissiveImapResponse *
missive_imap_parser_get_partial (MissiveImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->response;
}

/**
 * missive_imap_parser_get_previous:
 * @self: a parser
 *
 * While a literal is pending: the value before it in its list.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL
 */
const MissiveImapValue *
missive_imap_parser_get_previous (MissiveImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!self->literal_pending || self->failed)
    return NULL;
  return self->frames[self->depth].last;
}

/**
 * missive_imap_parser_get_depth:
 * @self: a parser
 *
 * While a literal is pending: how many lists around it are open.
 *
 * Returns: the nesting depth
 */
guint
missive_imap_parser_get_depth (MissiveImapParser *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->depth;
}

/**
 * missive_imap_parser_get_response:
 * @self: a parser
 *
 * The last response, after missive_imap_parser_feed_line() returned
 * %MISSIVE_IMAP_PARSE_COMPLETE or %MISSIVE_IMAP_PARSE_FAILED.
 *
 * Returns: (transfer none): the response
 */
const MissiveImapResponse *
missive_imap_parser_get_response (MissiveImapParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->response;
}

/* ---- values --------------------------------------------------------------- */

/**
 * missive_imap_value_is_atom:
 * @value: (nullable): a value
 * @atom: the atom to compare with
 *
 * Returns: %TRUE if @value is an atom equal to @atom, ignoring ASCII case
 */
gboolean
missive_imap_value_is_atom (const MissiveImapValue *value,
                            const char             *atom)
{
  g_return_val_if_fail (atom != NULL, FALSE);

  return value != NULL && value->type == MISSIVE_IMAP_VALUE_ATOM &&
         g_ascii_strcasecmp (value->data, atom) == 0;
}

/**
 * missive_imap_value_get_string:
 * @value: (nullable): a value
 *
 * Returns: (nullable): the text of an atom or string, or %NULL
 */
const char *
missive_imap_value_get_string (const MissiveImapValue *value)
{
  if (value == NULL ||
      (value->type != MISSIVE_IMAP_VALUE_ATOM && value->type != MISSIVE_IMAP_VALUE_STRING))
    return NULL;
  return value->data;
}

/**
 * missive_imap_value_get_number:
 * @value: (nullable): a value
 * @number: (out) (optional): the number
 *
 * Reads an atom made only of ASCII digits whose value fits in 64 bits.
 *
 * Returns: %TRUE if @value is such a number
 */
gboolean
missive_imap_value_get_number (const MissiveImapValue *value,
                               guint64                *number)
{
  guint64 n = 0;

  if (value == NULL || value->type != MISSIVE_IMAP_VALUE_ATOM || value->length == 0)
    return FALSE;
  for (gsize i = 0; i < value->length; i++)
    {
      guint digit;

      if (!g_ascii_isdigit (value->data[i]))
        return FALSE;
      digit = value->data[i] - '0';
      if (n > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      n = n * 10 + digit;
    }
  if (number != NULL)
    *number = n;
  return TRUE;
}

/**
 * missive_imap_value_nth:
 * @list: (nullable): a list
 * @n: the index of a child, from 0
 *
 * Returns: (nullable): the @n-th child of @list, or %NULL
 */
const MissiveImapValue *
missive_imap_value_nth (const MissiveImapValue *list,
                        guint                   n)
{
  const MissiveImapValue *child;

  if (list == NULL || list->type != MISSIVE_IMAP_VALUE_LIST || n >= list->length)
    return NULL;
  for (child = list->children; n > 0 && child != NULL; n--)
    child = child->next;
  return child;
}

/**
 * missive_imap_value_lookup:
 * @list: (nullable): a list of alternating names and values
 * @name: the name
 *
 * Returns: (nullable): the value after the atom @name (ASCII case
 *   ignored), or %NULL
 */
const MissiveImapValue *
missive_imap_value_lookup (const MissiveImapValue *list,
                           const char             *name)
{
  const MissiveImapValue *child;

  g_return_val_if_fail (name != NULL, NULL);

  if (list == NULL || list->type != MISSIVE_IMAP_VALUE_LIST)
    return NULL;
  for (child = list->children; child != NULL && child->next != NULL; child = child->next->next)
    {
      if (missive_imap_value_is_atom (child, name))
        return child->next;
    }
  return NULL;
}
