/* fuzz-imap-parser.c: libFuzzer target for the IMAP response parser and
 * modified UTF-7 (plugins/imap/missive-imap-parser.c, missive-imap-utf7.c)
 *
 * The first byte of the input picks the parser's limits and how literals
 * are taken (into memory, streamed, or dropped when they cannot be kept);
 * the rest is what the "server" sends. It is cut into lines at each LF (a
 * CR before it is dropped), as the connection's reader does, and each
 * literal the parser asks for is taken from the bytes that follow the
 * line. After each response the target walks every value with
 * the accessors, checks the invariants the header promises, and runs the
 * strings through the UTF-7 codec both ways (a name that decodes must
 * encode back to itself, and the other way round). Every complete
 * untagged response also goes through the conversions of
 * missive-imap-convert.h (FETCH to a message info, LIST/LSUB/XLIST to a
 * mailbox info, STATUS and the SELECT responses applied to one).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "missive-imap-convert.h"
#include "missive-imap-parser.h"
#include "missive-imap-utf7.h"

#define FUZZ_MAX_STEPS 4096

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_mime_init ();
  return 0;
}

static void
count_header (const char *name,
              const char *value,
              gpointer    user_data)
{
  guint *count = user_data;

  g_assert_nonnull (name);
  g_assert_nonnull (value);
  (*count)++;
}

/* Runs a complete untagged response through the conversions. */
static void
convert_response (const MissiveImapResponse *r,
                  MissiveMailboxInfo        *selected)
{
  GError *error = NULL;

  if (r->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    return;

  (void) missive_imap_apply_select_response (r, selected);

  if (g_strcmp0 (r->keyword, "FETCH") == 0)
    {
      MissiveMessageInfo *info;
      guint headers = 0;

      info = missive_message_info_new ();
      if (!missive_imap_fetch_to_info (r, info, TRUE, NULL, NULL, &error))
        {
          g_assert_nonnull (error);
          g_clear_error (&error);
        }
      g_object_unref (info);

      info = missive_message_info_new ();
      if (!missive_imap_fetch_to_info (r, info, TRUE, count_header, &headers, &error))
        {
          g_assert_nonnull (error);
          g_clear_error (&error);
        }
      g_object_unref (info);
    }
  else if (g_strcmp0 (r->keyword, "LIST") == 0 || g_strcmp0 (r->keyword, "LSUB") == 0 ||
           g_strcmp0 (r->keyword, "XLIST") == 0)
    {
      MissiveMailboxInfo *mailbox;

      mailbox = missive_imap_mailbox_from_list (r, TRUE, &error);
      if (mailbox != NULL)
        {
          g_assert_null (error);
          g_object_unref (mailbox);
        }
      else
        {
          g_assert_nonnull (error);
          g_clear_error (&error);
        }
    }
  else if (g_strcmp0 (r->keyword, "STATUS") == 0)
    {
      /* "STATUS name (attributes)": the list follows the name. */
      const MissiveImapValue *list = r->args != NULL ? r->args->next : NULL;

      if (list != NULL)
        {
          MissiveMailboxInfo *mailbox = missive_mailbox_info_new ("INBOX");

          if (!missive_imap_apply_status (list, mailbox, &error))
            {
              g_assert_nonnull (error);
              g_clear_error (&error);
            }
          g_object_unref (mailbox);
        }
    }
}

static void
check_utf7 (const char *s,
            gsize       length)
{
  char *decoded = missive_imap_utf7_decode (s, length, NULL);
  char *encoded;

  if (decoded != NULL)
    {
      /* Only a canonical name decodes (adjacent shifts aside, which the
       * encoder merges): it must survive a round trip through UTF-8. */
      encoded = missive_imap_utf7_encode (decoded, -1, NULL);
      g_assert_nonnull (encoded);
      if (strstr (s, "-&") == NULL)
        g_assert_cmpstr (encoded, ==, s);
      g_free (encoded);
      g_free (decoded);
    }

  encoded = missive_imap_utf7_encode (s, length, NULL);
  if (encoded != NULL)
    {
      g_assert_true (g_utf8_validate_len (s, length, NULL));
      for (const char *p = encoded; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
      decoded = missive_imap_utf7_decode (encoded, -1, NULL);
      g_assert_nonnull (decoded);
      g_assert_cmpuint (strlen (decoded), ==, length);
      g_assert_true (memcmp (decoded, s, length) == 0);
      g_free (decoded);
      g_free (encoded);
    }
}

static void
walk_values (const MissiveImapValue *first,
             guint                   depth)
{
  for (const MissiveImapValue *v = first; v != NULL; v = v->next)
    {
      guint64 number;
      guint n = 0;

      switch (v->type)
        {
        case MISSIVE_IMAP_VALUE_ATOM:
        case MISSIVE_IMAP_VALUE_STRING:
          g_assert_nonnull (v->data);
          g_assert_true (v->data[v->length] == '\0');
          g_assert_true (missive_imap_value_get_string (v) == v->data);
          if (v->type == MISSIVE_IMAP_VALUE_ATOM)
            {
              g_assert_cmpuint (strlen (v->data), ==, v->length);
              g_assert_true (missive_imap_value_is_atom (v, v->data));
              g_assert_false (missive_imap_value_is_atom (v, "NIL"));
            }
          if (missive_imap_value_get_number (v, &number))
            g_assert_true (v->type == MISSIVE_IMAP_VALUE_ATOM && g_ascii_isdigit (v->data[0]));
          if (v->length < 4096)
            check_utf7 (v->data, v->length);
          break;
        case MISSIVE_IMAP_VALUE_NIL:
          g_assert_null (missive_imap_value_get_string (v));
          break;
        case MISSIVE_IMAP_VALUE_LIST:
          g_assert_null (missive_imap_value_get_string (v));
          for (const MissiveImapValue *c = v->children; c != NULL; c = c->next)
            n++;
          g_assert_cmpuint (n, ==, v->length);
          if (n > 0)
            g_assert_true (missive_imap_value_nth (v, n - 1) != NULL);
          g_assert_null (missive_imap_value_nth (v, n));
          (void) missive_imap_value_lookup (v, "UID");
          (void) missive_imap_value_lookup (v, "BODY[]");
          walk_values (v->children, depth + 1);
          break;
        case MISSIVE_IMAP_VALUE_STREAMED:
          g_assert_null (missive_imap_value_get_string (v));
          g_assert_false (missive_imap_value_get_number (v, NULL));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
check_keyword (const char *s)
{
  if (s == NULL)
    return;
  for (const char *p = s; *p != '\0'; p++)
    g_assert_false (g_ascii_islower (*p));
}

static void
check_response (const MissiveImapResponse *r,
                gboolean                   failed)
{
  switch (r->kind)
    {
    case MISSIVE_IMAP_RESPONSE_TAGGED:
      if (!failed)
        g_assert_nonnull (r->tag);
      if (!failed)
        g_assert_true (r->status == MISSIVE_IMAP_STATUS_OK ||
                       r->status == MISSIVE_IMAP_STATUS_NO ||
                       r->status == MISSIVE_IMAP_STATUS_BAD);
      break;
    case MISSIVE_IMAP_RESPONSE_UNTAGGED:
      g_assert_null (r->tag);
      break;
    case MISSIVE_IMAP_RESPONSE_CONTINUATION:
      g_assert_null (r->tag);
      g_assert_null (r->keyword);
      if (!failed)
        g_assert_nonnull (r->text);
      break;
    default:
      g_assert_not_reached ();
    }
  check_keyword (r->keyword);
  check_keyword (r->code);
  if (!failed)
    {
      if (r->status != MISSIVE_IMAP_STATUS_NONE)
        {
          g_assert_nonnull (r->text);
          g_assert_null (r->args);
        }
      else
        {
          g_assert_null (r->code);
        }
      if (r->kind != MISSIVE_IMAP_RESPONSE_CONTINUATION)
        g_assert_nonnull (r->keyword);
    }
  if (r->text != NULL)
    check_utf7 (r->text, strlen (r->text));
  walk_values (r->args, 0);
  walk_values (r->code_args, 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  MissiveImapParser *parser;
  MissiveMailboxInfo *selected;
  const char *p;
  const char *end;
  guint8 settings;
  guint steps = 0;

  if (size < 1)
    return 0;
  settings = data[0];
  p = (const char *) data + 1;
  end = (const char *) data + size;

  parser = missive_imap_parser_new ();
  selected = missive_mailbox_info_new ("INBOX");
  /* Small limits, so that they are reached: depth 2 to 62, 256 bytes to
   * 8 MiB. */
  missive_imap_parser_set_limits (parser, 2 + (settings & 0x0f) * 4, (gsize) 256 << ((settings >> 6) * 5));

  while (p < end && steps++ < FUZZ_MAX_STEPS)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      gsize length;
      guint64 literal_size = 0;
      GError *error = NULL;
      MissiveImapParseResult result;

      length = line_end - p;
      if (length > 0 && p[length - 1] == '\r')
        length--;
      result = missive_imap_parser_feed_line (parser, p, length, &literal_size, &error);
      p = nl != NULL ? nl + 1 : end;

      switch (result)
        {
        case MISSIVE_IMAP_PARSE_NEED_LITERAL:
          {
            const MissiveImapResponse *partial = missive_imap_parser_get_partial (parser);
            const MissiveImapValue *previous = missive_imap_parser_get_previous (parser);
            gsize available = end - p;
            gsize take;

            g_assert_null (error);
            g_assert_cmpuint (literal_size, <=, G_MAXINT64);
            g_assert_nonnull (partial);
            check_keyword (partial->keyword);
            if (previous != NULL)
              (void) missive_imap_value_get_string (previous);
            (void) missive_imap_parser_get_depth (parser);

            if (literal_size > available)
              {
                /* The connection ends in the middle of the literal. */
                missive_imap_parser_reset (parser);
                p = end;
                break;
              }
            take = literal_size;
            if (missive_imap_parser_is_failing (parser))
              {
                g_assert_false (missive_imap_parser_literal_fits (parser));
                if (settings & 0x20)
                  missive_imap_parser_add_streamed_literal (parser, take);
                else
                  missive_imap_parser_skip_literal (parser);
              }
            else if ((take & 1) && (settings & 0x10))
              {
                missive_imap_parser_add_streamed_literal (parser, take);
              }
            else if (!missive_imap_parser_literal_fits (parser))
              {
                if (settings & 0x20)
                  missive_imap_parser_add_literal (parser, p, take); /* fails it */
                else
                  missive_imap_parser_skip_literal (parser);
              }
            else
              {
                missive_imap_parser_add_literal (parser, p, take);
              }
            p += take;
          }
          break;
        case MISSIVE_IMAP_PARSE_COMPLETE:
          g_assert_null (error);
          check_response (missive_imap_parser_get_response (parser), FALSE);
          convert_response (missive_imap_parser_get_response (parser), selected);
          break;
        case MISSIVE_IMAP_PARSE_FAILED:
          g_assert_nonnull (error);
          g_assert_true (error->domain == MISSIVE_IMAP_PARSE_ERROR);
          g_clear_error (&error);
          check_response (missive_imap_parser_get_response (parser), TRUE);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  g_object_unref (selected);
  missive_imap_parser_free (parser);
  return 0;
}
