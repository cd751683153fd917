/* missive-message-set.c: a set of message ids (IMAP sequence sets)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

/**
 * MissiveMessageSet:
 *
 * A set of message ids: IMAP UIDs or sequence numbers, POP3 message
 * numbers. It is what a store's operations take ([method@Store.fetch_summaries],
 * [method@Store.set_flags] ...) and what a search returns.
 *
 * A set is built from single ids, from an array, or from an IMAP
 * sequence-set string such as "2,4:7,9,12:*", where `*` stands for the
 * highest id of the mailbox (stored as %MISSIVE_MESSAGE_SET_STAR). It keeps
 * its ids as sorted, merged ranges, so "1:1000000" costs as little as "1",
 * adding ids in increasing order is cheap, and [method@MessageSet.to_string]
 * gives the shortest form ("1:3,5"). [method@MessageSet.split] cuts a large
 * set into strings that fit in a command line.
 *
 * Ids are 1 or more; 0 is not a message id.
 *
 * Since: 1.0
 */

typedef struct
{
  guint32 first;
  guint32 last;
} Range;

struct _MissiveMessageSet
{
  gatomicrefcount ref_count;
  GArray *ranges; /* of Range: sorted, disjoint, never adjacent */
};

G_DEFINE_BOXED_TYPE (MissiveMessageSet, missive_message_set,
                     missive_message_set_ref, missive_message_set_unref)

#define RANGE(self, i) (&g_array_index ((self)->ranges, Range, (i)))

/**
 * missive_message_set_new:
 *
 * Creates an empty set.
 *
 * Returns: (transfer full): a new set
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_message_set_new (void)
{
  MissiveMessageSet *self = g_new0 (MissiveMessageSet, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  return self;
}

/**
 * missive_message_set_new_single:
 * @id: a message id, 1 or more
 *
 * Creates a set of one id.
 *
 * Returns: (transfer full): a new set
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_message_set_new_single (guint32 id)
{
  MissiveMessageSet *self;

  g_return_val_if_fail (id != 0, NULL);

  self = missive_message_set_new ();
  missive_message_set_add (self, id);
  return self;
}

/**
 * missive_message_set_new_from_array:
 * @ids: (array length=n_ids) (nullable): message ids, in any order, each 1
 *   or more
 * @n_ids: the number of ids
 *
 * Creates a set of the given ids. Duplicates are fine.
 *
 * Returns: (transfer full): a new set
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_message_set_new_from_array (const guint32 *ids,
                                    gsize          n_ids)
{
  MissiveMessageSet *self;

  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  self = missive_message_set_new ();
  for (gsize i = 0; i < n_ids; i++)
    {
      if (ids[i] == 0)
        {
          g_critical ("%s: message id 0 at index %" G_GSIZE_FORMAT " ignored", G_STRFUNC, i);
          continue;
        }
      missive_message_set_add (self, ids[i]);
    }
  return self;
}

/* Parses one seq-number at *@p: nz-number or "*". */
static gboolean
parse_number (const char  *string,
              const char **p,
              guint32     *out,
              GError     **error)
{
  const char *s = *p;
  guint64 value = 0;

  if (*s == '*')
    {
      *out = MISSIVE_MESSAGE_SET_STAR;
      *p = s + 1;
      return TRUE;
    }
  if (*s < '1' || *s > '9')
    {
      if (*s == '0' && g_ascii_isdigit (s[1]))
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "Invalid message set “%s”: a number has a leading zero", string);
      else if (*s == '0')
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "Invalid message set “%s”: 0 is not a message id", string);
      else
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "Invalid message set “%s”: expected a number or “*” at offset %d",
                     string, (int) (s - string));
      return FALSE;
    }
  while (g_ascii_isdigit (*s))
    {
      value = value * 10 + (guint64) (*s - '0');
      if (value > G_MAXUINT32)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "Invalid message set “%s”: a number is larger than 4294967295",
                       string);
          return FALSE;
        }
      s++;
    }
  *out = (guint32) value;
  *p = s;
  return TRUE;
}

/**
 * missive_message_set_new_from_string:
 * @string: an IMAP sequence set, e.g. "2,4:7,9,12:*"
 * @error: return location for a #GError
 *
 * Parses an IMAP sequence set (RFC 3501 `sequence-set`): numbers and
 * ranges separated by commas, `*` for the highest id. A range may be given
 * in either order ("7:4" is "4:7"). Nothing else is allowed: no spaces, no
 * empty elements, no 0, no number above 4294967295.
 *
 * Returns: (transfer full) (nullable): a new set, or %NULL with
 *   %MISSIVE_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_message_set_new_from_string (const char  *string,
                                     GError     **error)
{
  g_autoptr(MissiveMessageSet) self = NULL;
  const char *p;

  g_return_val_if_fail (string != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*string == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "Invalid message set: it is empty");
      return NULL;
    }

  self = missive_message_set_new ();
  p = string;
  for (;;)
    {
      guint32 first, last;

      if (!parse_number (string, &p, &first, error))
        return NULL;
      last = first;
      if (*p == ':')
        {
          p++;
          if (!parse_number (string, &p, &last, error))
            return NULL;
        }
      missive_message_set_add_range (self, first, last);
      if (*p == '\0')
        break;
      if (*p != ',')
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "Invalid message set “%s”: unexpected character at offset %d",
                       string, (int) (p - string));
          return NULL;
        }
      p++;
    }
  return g_steal_pointer (&self);
}

/**
 * missive_message_set_copy:
 * @self: a set
 *
 * Copies a set: changing the copy leaves @self as it is.
 *
 * Returns: (transfer full): a new set with the same ids
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_message_set_copy (MissiveMessageSet *self)
{
  MissiveMessageSet *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = missive_message_set_new ();
  g_array_append_vals (copy->ranges, self->ranges->data, self->ranges->len);
  return copy;
}

/**
 * missive_message_set_ref:
 * @self: a set
 *
 * Takes a reference on @self.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_message_set_ref (MissiveMessageSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * missive_message_set_unref:
 * @self: (transfer full): a set
 *
 * Drops a reference on @self, freeing it when it was the last one.
 *
 * Since: 1.0
 */
void
missive_message_set_unref (MissiveMessageSet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->ranges);
  g_free (self);
}

/* The index of the first range whose last id is >= @id (ranges->len if
 * none). */
static guint
lower_bound (MissiveMessageSet *self,
             guint64            id)
{
  guint lo = 0, hi = self->ranges->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((guint64) RANGE (self, mid)->last < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * missive_message_set_add_range:
 * @self: a set
 * @first: the first id of the range, 1 or more
 * @last: the last id of the range, 1 or more, or
 *   %MISSIVE_MESSAGE_SET_STAR
 *
 * Adds the ids from @first to @last, both included, to @self. The two
 * bounds may come in either order.
 *
 * Since: 1.0
 */
void
missive_message_set_add_range (MissiveMessageSet *self,
                               guint32            first,
                               guint32            last)
{
  GArray *ranges;
  guint lo, hi;
  Range merged;

  g_return_if_fail (self != NULL);
  g_return_if_fail (first != 0 && last != 0);

  if (first > last)
    {
      guint32 tmp = first;

      first = last;
      last = tmp;
    }

  ranges = self->ranges;
  /* Fast paths: ids arriving in increasing order. */
  if (ranges->len == 0 ||
      (guint64) first > (guint64) RANGE (self, ranges->len - 1)->last + 1)
    {
      Range r = { first, last };

      g_array_append_val (ranges, r);
      return;
    }
  if (first >= RANGE (self, ranges->len - 1)->first)
    {
      Range *tail = RANGE (self, ranges->len - 1);

      if (last > tail->last)
        tail->last = last;
      return;
    }

  /* General case: the ranges from lo to hi - 1 touch or overlap
   * [first, last] and are merged with it. */
  lo = lower_bound (self, (guint64) first - 1);
  hi = lower_bound (self, (guint64) last + 1);
  if (hi < ranges->len && RANGE (self, hi)->first <= (guint64) last + 1)
    hi++;

  if (lo == hi)
    {
      Range r = { first, last };

      g_array_insert_val (ranges, lo, r);
      return;
    }
  merged.first = MIN (first, RANGE (self, lo)->first);
  merged.last = MAX (last, RANGE (self, hi - 1)->last);
  *RANGE (self, lo) = merged;
  if (hi - lo > 1)
    g_array_remove_range (ranges, lo + 1, hi - lo - 1);
}

/**
 * missive_message_set_add:
 * @self: a set
 * @id: a message id, 1 or more
 *
 * Adds @id to @self. Adding ids in increasing order takes constant time.
 *
 * Since: 1.0
 */
void
missive_message_set_add (MissiveMessageSet *self,
                         guint32            id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (id != 0);

  missive_message_set_add_range (self, id, id);
}

/**
 * missive_message_set_add_set:
 * @self: a set
 * @other: another set
 *
 * Adds every id of @other to @self.
 *
 * Since: 1.0
 */
void
missive_message_set_add_set (MissiveMessageSet *self,
                             MissiveMessageSet *other)
{
  g_autoptr(GArray) copy = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (other != NULL);

  /* @other may be @self. */
  copy = g_array_copy (other->ranges);
  for (guint i = 0; i < copy->len; i++)
    {
      Range *r = &g_array_index (copy, Range, i);

      missive_message_set_add_range (self, r->first, r->last);
    }
}

/**
 * missive_message_set_remove:
 * @self: a set
 * @id: a message id
 *
 * Removes @id from @self, if it is there.
 *
 * Since: 1.0
 */
void
missive_message_set_remove (MissiveMessageSet *self,
                            guint32            id)
{
  guint i;
  Range *r;

  g_return_if_fail (self != NULL);

  i = lower_bound (self, id);
  if (i == self->ranges->len || RANGE (self, i)->first > id)
    return;
  r = RANGE (self, i);
  if (r->first == r->last)
    g_array_remove_index (self->ranges, i);
  else if (r->first == id)
    r->first++;
  else if (r->last == id)
    r->last--;
  else
    {
      Range upper = { id + 1, r->last };

      r->last = id - 1;
      g_array_insert_val (self->ranges, i + 1, upper);
    }
}

/**
 * missive_message_set_contains:
 * @self: a set
 * @id: a message id
 *
 * Checks whether @id is in @self. `*` is taken literally: "5:*" contains
 * every id from 5 up.
 *
 * Returns: %TRUE if @id is in the set
 *
 * Since: 1.0
 */
gboolean
missive_message_set_contains (MissiveMessageSet *self,
                              guint32            id)
{
  guint i;

  g_return_val_if_fail (self != NULL, FALSE);

  i = lower_bound (self, id);
  return i < self->ranges->len && RANGE (self, i)->first <= id;
}

/**
 * missive_message_set_is_empty:
 * @self: a set
 *
 * Checks whether @self has no ids.
 *
 * Returns: %TRUE if the set is empty
 *
 * Since: 1.0
 */
gboolean
missive_message_set_is_empty (MissiveMessageSet *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->ranges->len == 0;
}

/**
 * missive_message_set_has_star:
 * @self: a set
 *
 * Checks whether @self ends with `*` (contains
 * %MISSIVE_MESSAGE_SET_STAR), which the server resolves to the highest id
 * of the mailbox.
 *
 * Returns: %TRUE if the set has a `*`
 *
 * Since: 1.0
 */
gboolean
missive_message_set_has_star (MissiveMessageSet *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->ranges->len > 0 &&
         RANGE (self, self->ranges->len - 1)->last == MISSIVE_MESSAGE_SET_STAR;
}

/**
 * missive_message_set_get_count:
 * @self: a set
 *
 * Counts the ids in @self. A range ending at `*` counts as its first id
 * only, since what `*` stands for is up to the server.
 *
 * Returns: the number of ids
 *
 * Since: 1.0
 */
guint64
missive_message_set_get_count (MissiveMessageSet *self)
{
  guint64 count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->ranges->len; i++)
    {
      Range *r = RANGE (self, i);

      if (r->last == MISSIVE_MESSAGE_SET_STAR)
        count += 1;
      else
        count += (guint64) r->last - r->first + 1;
    }
  return count;
}

/**
 * missive_message_set_get_min:
 * @self: a set
 *
 * Gets the smallest id of @self.
 *
 * Returns: the smallest id, or 0 if the set is empty
 *
 * Since: 1.0
 */
guint32
missive_message_set_get_min (MissiveMessageSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->ranges->len > 0 ? RANGE (self, 0)->first : 0;
}

/**
 * missive_message_set_get_max:
 * @self: a set
 *
 * Gets the largest id of @self.
 *
 * Returns: the largest id (%MISSIVE_MESSAGE_SET_STAR for a set with `*`),
 *   or 0 if the set is empty
 *
 * Since: 1.0
 */
guint32
missive_message_set_get_max (MissiveMessageSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->ranges->len > 0 ? RANGE (self, self->ranges->len - 1)->last : 0;
}

/**
 * missive_message_set_get_n_ranges:
 * @self: a set
 *
 * Gets the number of disjoint ranges @self is made of: 3 for "1:3,5,7:*".
 *
 * Returns: the number of ranges
 *
 * Since: 1.0
 */
guint
missive_message_set_get_n_ranges (MissiveMessageSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->ranges->len;
}

/**
 * missive_message_set_get_range:
 * @self: a set
 * @index: the range's position, below [method@MessageSet.get_n_ranges]
 * @first: (out) (optional): the first id of the range
 * @last: (out) (optional): the last id of the range
 *   (%MISSIVE_MESSAGE_SET_STAR for `*`)
 *
 * Gets one of the ranges of @self, in increasing order.
 *
 * Since: 1.0
 */
void
missive_message_set_get_range (MissiveMessageSet *self,
                               guint              index,
                               guint32           *first,
                               guint32           *last)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->ranges->len);

  if (first != NULL)
    *first = RANGE (self, index)->first;
  if (last != NULL)
    *last = RANGE (self, index)->last;
}

/**
 * missive_message_set_equal:
 * @a: a set
 * @b: another set
 *
 * Checks whether two sets have the same ids.
 *
 * Returns: %TRUE if they are equal
 *
 * Since: 1.0
 */
gboolean
missive_message_set_equal (MissiveMessageSet *a,
                           MissiveMessageSet *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->ranges->len != b->ranges->len)
    return FALSE;
  return a->ranges->len == 0 ||
         memcmp (a->ranges->data, b->ranges->data, a->ranges->len * sizeof (Range)) == 0;
}

/* Appends one range, IMAP style, to @out. */
static void
append_range (GString     *out,
              const Range *r)
{
  if (r->first == MISSIVE_MESSAGE_SET_STAR)
    g_string_append_c (out, '*');
  else if (r->first == r->last)
    g_string_append_printf (out, "%" G_GUINT32_FORMAT, r->first);
  else if (r->last == MISSIVE_MESSAGE_SET_STAR)
    g_string_append_printf (out, "%" G_GUINT32_FORMAT ":*", r->first);
  else
    g_string_append_printf (out, "%" G_GUINT32_FORMAT ":%" G_GUINT32_FORMAT,
                            r->first, r->last);
}

/**
 * missive_message_set_to_string:
 * @self: a set
 *
 * Formats @self as an IMAP sequence set, sorted and as short as possible:
 * "1:3,5,9:*".
 *
 * Returns: (transfer full): the set as a string; "" for an empty set
 *
 * Since: 1.0
 */
char *
missive_message_set_to_string (MissiveMessageSet *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->ranges->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_range (out, RANGE (self, i));
    }
  return g_string_free (out, FALSE);
}

/**
 * missive_message_set_to_array:
 * @self: a set
 * @n_ids: (out): return location for the number of ids
 *
 * Lists every id of @self in increasing order. This fails for a set with
 * `*`, whose meaning only the server knows, and for a set too large for
 * memory.
 *
 * Returns: (array length=n_ids) (transfer full) (nullable): the ids, or
 *   %NULL (with @n_ids 0) when the set has `*` or is too large
 *
 * Since: 1.0
 */
guint32 *
missive_message_set_to_array (MissiveMessageSet *self,
                              gsize             *n_ids)
{
  guint64 count;
  guint32 *ids;
  gsize n = 0;

  g_return_val_if_fail (n_ids != NULL, NULL);
  *n_ids = 0;
  g_return_val_if_fail (self != NULL, NULL);

  if (missive_message_set_has_star (self))
    return NULL;
  count = missive_message_set_get_count (self);
  if (count > G_MAXSIZE / sizeof (guint32) - 1)
    return NULL;
  ids = g_try_new (guint32, count + 1);
  if (ids == NULL)
    return NULL;
  for (guint i = 0; i < self->ranges->len; i++)
    {
      Range *r = RANGE (self, i);

      for (guint64 id = r->first; id <= r->last; id++)
        ids[n++] = (guint32) id;
    }
  *n_ids = n;
  return ids;
}

/**
 * missive_message_set_split:
 * @self: a set
 * @max_length: the longest string wanted, in bytes; at least
 *   %MISSIVE_MESSAGE_SET_MIN_SPLIT_LENGTH
 *
 * Cuts @self into IMAP sequence sets of at most @max_length bytes each,
 * for commands whose line would otherwise be too long. Together they hold
 * exactly the ids of @self, in increasing order.
 *
 * Returns: (array zero-terminated=1) (transfer full): the strings; none
 *   for an empty set
 *
 * Since: 1.0
 */
char **
missive_message_set_split (MissiveMessageSet *self,
                           gsize              max_length)
{
  GPtrArray *parts;
  GString *current;
  GString *piece;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (max_length >= MISSIVE_MESSAGE_SET_MIN_SPLIT_LENGTH, NULL);

  parts = g_ptr_array_new ();
  current = g_string_new (NULL);
  piece = g_string_new (NULL);
  for (guint i = 0; i < self->ranges->len; i++)
    {
      g_string_truncate (piece, 0);
      append_range (piece, RANGE (self, i));
      if (current->len > 0 && current->len + 1 + piece->len > max_length)
        {
          g_ptr_array_add (parts, g_strndup (current->str, current->len));
          g_string_truncate (current, 0);
        }
      if (current->len > 0)
        g_string_append_c (current, ',');
      g_string_append_len (current, piece->str, piece->len);
    }
  if (current->len > 0)
    g_ptr_array_add (parts, g_strndup (current->str, current->len));
  g_ptr_array_add (parts, NULL);
  g_string_free (current, TRUE);
  g_string_free (piece, TRUE);
  return (char **) g_ptr_array_free (parts, FALSE);
}

/**
 * missive_message_set_foreach:
 * @self: a set
 * @func: (scope call): called for each id
 * @user_data: data for @func
 *
 * Calls @func for each id of @self in increasing order, until it returns
 * %FALSE. A range ending at `*` gives its first id only (as
 * [method@MessageSet.get_count] counts it).
 *
 * Since: 1.0
 */
void
missive_message_set_foreach (MissiveMessageSet     *self,
                             MissiveMessageSetFunc  func,
                             gpointer               user_data)
{
  g_autoptr(GArray) ranges = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  /* @func may change the set. */
  ranges = g_array_copy (self->ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      Range *r = &g_array_index (ranges, Range, i);
      guint64 last = r->last == MISSIVE_MESSAGE_SET_STAR ? r->first : r->last;

      for (guint64 id = r->first; id <= last; id++)
        {
          if (!func ((guint32) id, user_data))
            return;
        }
    }
}
