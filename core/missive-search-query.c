/* missive-search-query.c: search criteria for a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-search-query-private.h"

/**
 * MissiveSearchQuery:
 *
 * What [method@Store.search] and [method@Store.sort] look for: a list of
 * criteria that must all match. Build one with the `add_` methods:
 *
 * ```c
 * g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
 *
 * missive_search_query_add_flag (query, MISSIVE_FLAG_SEEN, FALSE);
 * missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_FROM, "alice");
 * ```
 *
 * which an IMAP store sends as `UNSEEN FROM "alice"`. Alternatives and
 * negations are queries of their own, combined with
 * [method@SearchQuery.add_or] and [method@SearchQuery.add_not]. Text from
 * the user is always sent as a string (quoted or as a literal), never
 * spliced into the command, so it cannot change the command's meaning.
 * Raw criteria ([ctor@SearchQuery.new_raw], [method@SearchQuery.add_raw])
 * are sent as they are, for what the builder does not cover.
 *
 * An empty query matches every message.
 *
 * Since: 1.0
 */

typedef struct
{
  gboolean is_string;
  char *text;
} Token;

struct _MissiveSearchQuery
{
  GObject parent_instance;

  GArray *tokens;      /* of Token */
  guint n_criteria;
  gboolean has_raw;    /* raw criteria may hold any number of keys */
  gboolean line_break; /* raw criteria with CR, LF: refused by stores */
};

G_DEFINE_FINAL_TYPE (MissiveSearchQuery, missive_search_query, G_TYPE_OBJECT)

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_free (token->text);
}

static void
missive_search_query_finalize (GObject *object)
{
  MissiveSearchQuery *self = MISSIVE_SEARCH_QUERY (object);

  g_array_unref (self->tokens);

  G_OBJECT_CLASS (missive_search_query_parent_class)->finalize (object);
}

static void
missive_search_query_class_init (MissiveSearchQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = missive_search_query_finalize;
}

static void
missive_search_query_init (MissiveSearchQuery *self)
{
  self->tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_array_set_clear_func (self->tokens, token_clear);
}

static void
push (MissiveSearchQuery *self,
      gboolean            is_string,
      const char         *text)
{
  Token token = { is_string, g_strdup (text) };

  g_array_append_val (self->tokens, token);
}

static void
push_atom_printf (MissiveSearchQuery *self,
                  const char         *format,
                  ...) G_GNUC_PRINTF (2, 3);

static void
push_atom_printf (MissiveSearchQuery *self,
                  const char         *format,
                  ...)
{
  Token token = { FALSE, NULL };
  va_list args;

  va_start (args, format);
  token.text = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (self->tokens, token);
}

/* Appends @other as one search key: as it is when it is exactly one
 * criterion, in parentheses otherwise, ALL when empty. */
static void
push_key (MissiveSearchQuery *self,
          MissiveSearchQuery *other)
{
  gboolean parens;

  if (other->tokens->len == 0)
    {
      push (self, FALSE, "ALL");
      return;
    }
  parens = other->n_criteria != 1 || other->has_raw;
  if (parens)
    push (self, FALSE, "(");
  for (guint i = 0; i < other->tokens->len; i++)
    {
      Token *t = &g_array_index (other->tokens, Token, i);

      push (self, t->is_string, t->text);
    }
  if (parens)
    push (self, FALSE, ")");
  self->line_break |= other->line_break;
}

/**
 * missive_search_query_new:
 *
 * Creates an empty query, which matches every message until criteria are
 * added.
 *
 * Returns: (transfer full): a new query
 *
 * Since: 1.0
 */
MissiveSearchQuery *
missive_search_query_new (void)
{
  return g_object_new (MISSIVE_TYPE_SEARCH_QUERY, NULL);
}

/**
 * missive_search_query_new_raw:
 * @criteria: search criteria in the protocol's own syntax, e.g. IMAP's
 *   `UNSEEN SINCE 1-Feb-2024`
 *
 * Creates a query from raw criteria, sent to the server as they are. Prefer
 * the builder methods for anything that holds user input. Criteria with CR
 * or LF are refused by the store's search methods.
 *
 * Returns: (transfer full): a new query
 *
 * Since: 1.0
 */
MissiveSearchQuery *
missive_search_query_new_raw (const char *criteria)
{
  MissiveSearchQuery *self;

  g_return_val_if_fail (criteria != NULL, NULL);

  self = missive_search_query_new ();
  missive_search_query_add_raw (self, criteria);
  return self;
}

/**
 * missive_search_query_add_raw:
 * @self: a query
 * @criteria: search criteria in the protocol's own syntax
 *
 * Adds raw criteria, sent as they are. See [ctor@SearchQuery.new_raw].
 *
 * Since: 1.0
 */
void
missive_search_query_add_raw (MissiveSearchQuery *self,
                              const char         *criteria)
{
  g_autofree char *copy = NULL;

  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (criteria != NULL);

  copy = g_strstrip (g_strdup (criteria));
  if (*copy == '\0')
    return;
  if (strpbrk (copy, "\r\n") != NULL)
    self->line_break = TRUE;
  push (self, FALSE, copy);
  self->has_raw = TRUE;
  self->n_criteria++;
}

/**
 * missive_search_query_add_all:
 * @self: a query
 *
 * Adds the criterion that matches every message (IMAP `ALL`): useful
 * as one side of [method@SearchQuery.add_or], or to make an empty query
 * explicit.
 *
 * Since: 1.0
 */
void
missive_search_query_add_all (MissiveSearchQuery *self)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));

  push (self, FALSE, "ALL");
  self->n_criteria++;
}

static const struct
{
  const char *flag;
  const char *set;
  const char *unset;
} system_flags[] = {
  { "\\Seen", "SEEN", "UNSEEN" },
  { "\\Answered", "ANSWERED", "UNANSWERED" },
  { "\\Flagged", "FLAGGED", "UNFLAGGED" },
  { "\\Deleted", "DELETED", "UNDELETED" },
  { "\\Draft", "DRAFT", "UNDRAFT" },
  { "\\Recent", "RECENT", "OLD" },
};

/* An IMAP atom: no space, control, "(){%*\"\\]" and not empty. */
static gboolean
is_atom (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p <= ' ' || *p >= 0x7f || strchr ("(){%*\"\\]", *p) != NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * missive_search_query_add_flag:
 * @self: a query
 * @flag: a system flag ("\\Seen", see %MISSIVE_FLAG_SEEN) or a keyword
 *   ("$Junk")
 * @set: %TRUE for messages with the flag, %FALSE for messages without
 *
 * Adds a criterion on a flag: IMAP `SEEN` / `UNSEEN` and the like for
 * system flags (`RECENT` / `OLD` for \Recent), `KEYWORD` / `UNKEYWORD`
 * for keywords. A keyword that is not a valid IMAP atom is sent as a
 * string, which the server refuses: the search then fails rather than
 * match something else.
 *
 * Since: 1.0
 */
void
missive_search_query_add_flag (MissiveSearchQuery *self,
                               const char         *flag,
                               gboolean            set)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (flag != NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (system_flags); i++)
    {
      if (g_ascii_strcasecmp (flag, system_flags[i].flag) == 0)
        {
          push (self, FALSE, set ? system_flags[i].set : system_flags[i].unset);
          self->n_criteria++;
          return;
        }
    }
  push (self, FALSE, set ? "KEYWORD" : "UNKEYWORD");
  push (self, !is_atom (flag), flag);
  self->n_criteria++;
}

/**
 * missive_search_query_add_text:
 * @self: a query
 * @field: where to look
 * @value: the text to look for (a substring, matched case-insensitively
 *   by IMAP servers)
 *
 * Adds a criterion on text in a header or the body: IMAP `FROM`, `TO`,
 * `CC`, `BCC`, `SUBJECT`, `BODY` or `TEXT`.
 *
 * Since: 1.0
 */
void
missive_search_query_add_text (MissiveSearchQuery *self,
                               MissiveSearchField  field,
                               const char         *value)
{
  static const char * const keys[] = {
    [MISSIVE_SEARCH_FIELD_FROM] = "FROM",
    [MISSIVE_SEARCH_FIELD_TO] = "TO",
    [MISSIVE_SEARCH_FIELD_CC] = "CC",
    [MISSIVE_SEARCH_FIELD_BCC] = "BCC",
    [MISSIVE_SEARCH_FIELD_SUBJECT] = "SUBJECT",
    [MISSIVE_SEARCH_FIELD_BODY] = "BODY",
    [MISSIVE_SEARCH_FIELD_TEXT] = "TEXT",
  };

  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail ((guint) field < G_N_ELEMENTS (keys));
  g_return_if_fail (value != NULL);

  push (self, FALSE, keys[field]);
  push (self, TRUE, value);
  self->n_criteria++;
}

/**
 * missive_search_query_add_header:
 * @self: a query
 * @name: a header field name, e.g. "List-Id"
 * @value: the text to look for in that field; "" for messages that have
 *   the field at all
 *
 * Adds a criterion on any header field (IMAP `HEADER`).
 *
 * Since: 1.0
 */
void
missive_search_query_add_header (MissiveSearchQuery *self,
                                 const char         *name,
                                 const char         *value)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (value != NULL);

  push (self, FALSE, "HEADER");
  push (self, TRUE, name);
  push (self, TRUE, value);
  self->n_criteria++;
}

/**
 * missive_search_query_add_date:
 * @self: a query
 * @which: which date to compare, and how
 * @date: the day, taken in @date's own time zone; the time is ignored
 *
 * Adds a criterion on the day a message was received or sent (IMAP
 * `BEFORE`, `ON`, `SINCE`, `SENTBEFORE`, `SENTON`, `SENTSINCE`).
 *
 * Since: 1.0
 */
void
missive_search_query_add_date (MissiveSearchQuery *self,
                               MissiveSearchDate   which,
                               GDateTime          *date)
{
  static const char * const keys[] = {
    [MISSIVE_SEARCH_DATE_BEFORE] = "BEFORE",
    [MISSIVE_SEARCH_DATE_ON] = "ON",
    [MISSIVE_SEARCH_DATE_SINCE] = "SINCE",
    [MISSIVE_SEARCH_DATE_SENT_BEFORE] = "SENTBEFORE",
    [MISSIVE_SEARCH_DATE_SENT_ON] = "SENTON",
    [MISSIVE_SEARCH_DATE_SENT_SINCE] = "SENTSINCE",
  };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  int year, month, day;

  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail ((guint) which < G_N_ELEMENTS (keys));
  g_return_if_fail (date != NULL);

  /* Month names are English whatever the locale, hence no strftime. */
  g_date_time_get_ymd (date, &year, &month, &day);
  push (self, FALSE, keys[which]);
  push_atom_printf (self, "%d-%s-%04d", day, months[month - 1], year);
  self->n_criteria++;
}

/**
 * missive_search_query_add_size:
 * @self: a query
 * @larger: %TRUE for messages larger than @size, %FALSE for smaller
 * @size: the size in bytes
 *
 * Adds a criterion on the size of messages (IMAP `LARGER`, `SMALLER`).
 *
 * Since: 1.0
 */
void
missive_search_query_add_size (MissiveSearchQuery *self,
                               gboolean            larger,
                               guint64             size)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));

  push (self, FALSE, larger ? "LARGER" : "SMALLER");
  push_atom_printf (self, "%" G_GUINT64_FORMAT, size);
  self->n_criteria++;
}

/**
 * missive_search_query_add_ids:
 * @self: a query
 * @set: the messages, not empty
 * @uids: %TRUE if @set holds UIDs, %FALSE for sequence numbers
 *
 * Limits the search to a set of messages (IMAP `UID <set>` or `<set>`).
 *
 * Since: 1.0
 */
void
missive_search_query_add_ids (MissiveSearchQuery *self,
                              MissiveMessageSet  *set,
                              gboolean            uids)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (set != NULL);
  g_return_if_fail (!missive_message_set_is_empty (set));

  text = missive_message_set_to_string (set);
  if (uids)
    push (self, FALSE, "UID");
  push (self, FALSE, text);
  self->n_criteria++;
}

/**
 * missive_search_query_add_modseq:
 * @self: a query
 * @modseq: a modification sequence
 *
 * Limits the search to messages changed at or after @modseq (IMAP
 * `MODSEQ`, CONDSTORE).
 *
 * Since: 1.0
 */
void
missive_search_query_add_modseq (MissiveSearchQuery *self,
                                 guint64             modseq)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));

  push (self, FALSE, "MODSEQ");
  push_atom_printf (self, "%" G_GUINT64_FORMAT, modseq);
  self->n_criteria++;
}

/**
 * missive_search_query_add_not:
 * @self: a query
 * @query: the criteria that must not match
 *
 * Adds a criterion that matches messages that do not match @query (IMAP
 * `NOT`). @query is copied: changing it later does not change @self.
 *
 * Since: 1.0
 */
void
missive_search_query_add_not (MissiveSearchQuery *self,
                              MissiveSearchQuery *query)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (query));
  g_return_if_fail (self != query);

  push (self, FALSE, "NOT");
  push_key (self, query);
  self->n_criteria++;
}

/**
 * missive_search_query_add_or:
 * @self: a query
 * @a: one set of criteria
 * @b: another set of criteria
 *
 * Adds a criterion that matches messages that match @a, @b or both (IMAP
 * `OR`). Nest calls for more alternatives. @a and @b are copied.
 *
 * Since: 1.0
 */
void
missive_search_query_add_or (MissiveSearchQuery *self,
                             MissiveSearchQuery *a,
                             MissiveSearchQuery *b)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (a));
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (b));
  g_return_if_fail (self != a && self != b);

  push (self, FALSE, "OR");
  push_key (self, a);
  push_key (self, b);
  self->n_criteria++;
}

/**
 * missive_search_query_add_gmail_raw:
 * @self: a query
 * @query: a search in Gmail's own syntax, e.g. "has:attachment in:unread"
 *
 * Adds a Gmail search (`X-GM-RAW`). Only servers with the X-GM-EXT-1
 * capability understand it; others fail the search.
 *
 * Since: 1.0
 */
void
missive_search_query_add_gmail_raw (MissiveSearchQuery *self,
                                    const char         *query)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (self));
  g_return_if_fail (query != NULL);

  push (self, FALSE, "X-GM-RAW");
  push (self, TRUE, query);
  self->n_criteria++;
}

/**
 * missive_search_query_is_empty:
 * @self: a query
 *
 * Checks whether criteria have been added to @self.
 *
 * Returns: %TRUE if the query has no criteria (and matches everything)
 *
 * Since: 1.0
 */
gboolean
missive_search_query_is_empty (MissiveSearchQuery *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (self), TRUE);

  return self->tokens->len == 0;
}

/**
 * missive_search_query_needs_utf8:
 * @self: a query
 *
 * Checks whether any text of @self is beyond ASCII, in which case an IMAP
 * store announces the UTF-8 charset (or relies on UTF8=ACCEPT).
 *
 * Returns: %TRUE if some text is not ASCII
 *
 * Since: 1.0
 */
gboolean
missive_search_query_needs_utf8 (MissiveSearchQuery *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (self), FALSE);

  for (guint i = 0; i < self->tokens->len; i++)
    {
      Token *t = &g_array_index (self->tokens, Token, i);

      for (const guchar *p = (const guchar *) t->text; *p != '\0'; p++)
        {
          if (*p >= 0x80)
            return TRUE;
        }
    }
  return FALSE;
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * missive_search_query_to_string:
 * @self: a query
 *
 * Formats @self in IMAP syntax, for display and logs: strings are quoted
 * (with `\` before `"` and `\`), everything else is as the store sends it.
 * An empty query gives "ALL". A store may send strings as literals
 * instead.
 *
 * Returns: (transfer full): the query as text
 *
 * Since: 1.0
 */
char *
missive_search_query_to_string (MissiveSearchQuery *self)
{
  GString *out;
  gboolean after_open = TRUE;

  g_return_val_if_fail (MISSIVE_IS_SEARCH_QUERY (self), NULL);

  if (self->tokens->len == 0)
    return g_strdup ("ALL");

  out = g_string_new (NULL);
  for (guint i = 0; i < self->tokens->len; i++)
    {
      Token *t = &g_array_index (self->tokens, Token, i);
      gboolean is_close = !t->is_string && strcmp (t->text, ")") == 0;

      if (!after_open && !is_close)
        g_string_append_c (out, ' ');
      if (t->is_string)
        append_quoted (out, t->text);
      else
        g_string_append (out, t->text);
      after_open = !t->is_string && strcmp (t->text, "(") == 0;
    }
  return g_string_free (out, FALSE);
}

/**
 * missive_search_query_foreach_token: (skip)
 * @query: a query
 * @func: called for each token, in order
 * @user_data: data for @func
 *
 * For protocol plugins: walks the tokens of @query so that the plugin can
 * render them in its syntax. See missive-plugin.h. An empty query has no
 * tokens (a plugin sends `ALL`). No space belongs after a "(" token or
 * before a ")" token.
 *
 * Since: 1.0
 */
void
missive_search_query_foreach_token (MissiveSearchQuery     *query,
                                    MissiveSearchTokenFunc  func,
                                    gpointer                user_data)
{
  g_return_if_fail (MISSIVE_IS_SEARCH_QUERY (query));
  g_return_if_fail (func != NULL);

  for (guint i = 0; i < query->tokens->len; i++)
    {
      Token *t = &g_array_index (query->tokens, Token, i);

      func (t->is_string, t->text, user_data);
    }
}

gboolean
missive_search_query_check (MissiveSearchQuery  *query,
                            GError             **error)
{
  if (query->line_break)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "Raw search criteria cannot contain CR or LF");
      return FALSE;
    }
  return TRUE;
}
