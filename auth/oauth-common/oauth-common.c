/* oauth-common.c: code shared by the XOAUTH2 and OAUTHBEARER plugins
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include <string.h>

#include "oauth-common.h"

/* ---- secrets ------------------------------------------------------------ */

GBytes *
missive_oauth_secret_bytes_new_take (GString *string)
{
  gsize length = string->len;

  /* Callers size @string up front (g_string_sized_new) so that it never
   * reallocates and leaves a copy of the token behind. */
  return missive_sasl_secret_bytes_new_take ((guint8 *) g_string_free (string, FALSE), length);
}

/* ---- JSON --------------------------------------------------------------- */

/* A strict, bounded reader of the one JSON object (RFC 8259) an OAuth
 * error challenge carries. It keeps only three top-level string members
 * and skips everything else; nesting is limited so that a hostile server
 * cannot make it recurse deeply. */

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} JsonReader;

typedef struct
{
  char *status;
  char *schemes;
  char *scope;
} JsonFields;

static gboolean json_skip_value (JsonReader *r, guint depth);

static void
json_skip_ws (JsonReader *r)
{
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
json_accept (JsonReader *r,
             guint8      c)
{
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
json_read_hex4 (JsonReader *r,
                gunichar   *value)
{
  gunichar v = 0;
  int i;

  if (r->end - r->p < 4)
    return FALSE;
  for (i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (r->p[i]);

      if (digit < 0)
        return FALSE;
      v = (v << 4) | (gunichar) digit;
    }
  r->p += 4;
  *value = v;
  return TRUE;
}

/* Reads a string; appends its decoded value to @out unless that is NULL.
 * The result is valid UTF-8 without NUL. */
static gboolean
json_read_string (JsonReader *r,
                  GString    *out)
{
  const guint8 *start;

  if (!json_accept (r, '"'))
    return FALSE;

  start = r->p;
  while (r->p < r->end)
    {
      guint8 c = *r->p++;

      if (c == '"')
        {
          /* Raw bytes were copied as they came: check them now. */
          if (out != NULL)
            return g_utf8_validate (out->str, out->len, NULL);
          return g_utf8_validate ((const char *) start, r->p - 1 - start, NULL);
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, (char) c);
          continue;
        }

      if (r->p >= r->end)
        return FALSE;
      c = *r->p++;
      switch (c)
        {
        case '"': case '\\': case '/':
          break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          {
            gunichar u, low;

            if (!json_read_hex4 (r, &u))
              return FALSE;
            if (u >= 0xdc00 && u <= 0xdfff)
              return FALSE;
            if (u >= 0xd800 && u <= 0xdbff)
              {
                if (!json_accept (r, '\\') || !json_accept (r, 'u') ||
                    !json_read_hex4 (r, &low) || low < 0xdc00 || low > 0xdfff)
                  return FALSE;
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            if (u == 0)
              return FALSE;
            if (out != NULL)
              g_string_append_unichar (out, u);
          }
          continue;
        default:
          return FALSE;
        }
      if (out != NULL)
        g_string_append_c (out, (char) c);
    }

  return FALSE;  /* unterminated */
}

/* Reads a number (RFC 8259 grammar); appends its text to @out unless that
 * is NULL. */
static gboolean
json_read_number (JsonReader *r,
                  GString    *out)
{
  const guint8 *start = r->p;

  json_accept (r, '-');
  if (json_accept (r, '0'))
    ;
  else if (r->p < r->end && *r->p >= '1' && *r->p <= '9')
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  else
    return FALSE;

  if (json_accept (r, '.'))
    {
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        return FALSE;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (json_accept (r, 'e') || json_accept (r, 'E'))
    {
      if (!json_accept (r, '+'))
        json_accept (r, '-');
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        return FALSE;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }

  if (out != NULL)
    g_string_append_len (out, (const char *) start, r->p - start);
  return TRUE;
}

static gboolean
json_read_literal (JsonReader *r,
                   const char *literal)
{
  gsize length = strlen (literal);

  if ((gsize) (r->end - r->p) < length || memcmp (r->p, literal, length) != 0)
    return FALSE;
  r->p += length;
  return TRUE;
}

/* Reads an object whose opening brace is next. At the top level (@fields
 * not NULL) it keeps the members we want. */
static gboolean
json_read_object (JsonReader *r,
                  guint       depth,
                  JsonFields *fields)
{
  if (depth > MISSIVE_OAUTH_MAX_JSON_DEPTH || !json_accept (r, '{'))
    return FALSE;

  json_skip_ws (r);
  if (json_accept (r, '}'))
    return TRUE;

  for (;;)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      char **slot = NULL;

      json_skip_ws (r);
      if (!json_read_string (r, key))
        return FALSE;
      json_skip_ws (r);
      if (!json_accept (r, ':'))
        return FALSE;
      json_skip_ws (r);

      if (fields != NULL)
        {
          if (strcmp (key->str, "status") == 0)
            slot = &fields->status;
          else if (strcmp (key->str, "schemes") == 0)
            slot = &fields->schemes;
          else if (strcmp (key->str, "scope") == 0)
            slot = &fields->scope;
        }

      if (slot != NULL &&
          r->p < r->end &&
          (*r->p == '"' || (slot == &fields->status &&
                            (*r->p == '-' || g_ascii_isdigit (*r->p)))))
        {
          g_autoptr(GString) value = g_string_new (NULL);

          if (*r->p == '"' ? !json_read_string (r, value)
                           : !json_read_number (r, value))
            return FALSE;
          /* A repeated member: the last one wins. */
          g_free (*slot);
          *slot = g_string_free (g_steal_pointer (&value), FALSE);
        }
      else if (!json_skip_value (r, depth))
        return FALSE;

      json_skip_ws (r);
      if (json_accept (r, '}'))
        return TRUE;
      if (!json_accept (r, ','))
        return FALSE;
    }
}

static gboolean
json_read_array (JsonReader *r,
                 guint       depth)
{
  if (depth > MISSIVE_OAUTH_MAX_JSON_DEPTH || !json_accept (r, '['))
    return FALSE;

  json_skip_ws (r);
  if (json_accept (r, ']'))
    return TRUE;

  for (;;)
    {
      json_skip_ws (r);
      if (!json_skip_value (r, depth))
        return FALSE;
      json_skip_ws (r);
      if (json_accept (r, ']'))
        return TRUE;
      if (!json_accept (r, ','))
        return FALSE;
    }
}

/* @depth is that of the container the value is in. */
static gboolean
json_skip_value (JsonReader *r,
                 guint       depth)
{
  if (r->p >= r->end)
    return FALSE;

  switch (*r->p)
    {
    case '"':
      return json_read_string (r, NULL);
    case '{':
      return json_read_object (r, depth + 1, NULL);
    case '[':
      return json_read_array (r, depth + 1);
    case 't':
      return json_read_literal (r, "true");
    case 'f':
      return json_read_literal (r, "false");
    case 'n':
      return json_read_literal (r, "null");
    default:
      return json_read_number (r, NULL);
    }
}

gboolean
missive_oauth_parse_error (const guint8  *data,
                           gsize          length,
                           const char    *mechanism_name,
                           char         **status,
                           char         **schemes,
                           char         **scope,
                           GError       **error)
{
  JsonFields fields = { NULL, NULL, NULL };
  JsonReader reader;
  gboolean ok;

  if (length > MISSIVE_OAUTH_MAX_ERROR_LENGTH)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The %s error challenge is too long (%" G_GSIZE_FORMAT " bytes)",
                   mechanism_name, length);
      return FALSE;
    }

  reader.p = data;
  reader.end = data + length;
  json_skip_ws (&reader);
  ok = json_read_object (&reader, 1, &fields);
  if (ok)
    {
      json_skip_ws (&reader);
      ok = reader.p == reader.end;
    }

  if (!ok)
    {
      g_free (fields.status);
      g_free (fields.schemes);
      g_free (fields.scope);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The %s error challenge is not a well-formed JSON object",
                   mechanism_name);
      return FALSE;
    }

  *status = fields.status;
  *schemes = fields.schemes;
  *scope = fields.scope;
  return TRUE;
}

static void
append_field (GString    *out,
              const char *name,
              const char *value)
{
  const char *p;

  if (value == NULL)
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, name);
  g_string_append_c (out, '=');
  for (p = value; *p != '\0'; p++)
    g_string_append_c (out, g_ascii_iscntrl (*p) ? '?' : *p);
}

char *
missive_oauth_format_error (const char *status,
                            const char *schemes,
                            const char *scope)
{
  GString *out = g_string_new (NULL);

  append_field (out, "status", status);
  append_field (out, "schemes", schemes);
  append_field (out, "scope", scope);
  return g_string_free (out, FALSE);
}

/* ---- the token ---------------------------------------------------------- */

/* The first handler that returns a token wins; handlers that return NULL
 * let the next one try. */
static gboolean
token_accumulator (GSignalInvocationHint *hint,
                   GValue                *return_accu,
                   const GValue          *handler_return,
                   gpointer               user_data)
{
  const char *token = g_value_get_string (handler_return);

  if (token == NULL)
    return TRUE;
  g_value_set_string (return_accu, token);
  return FALSE;
}

guint
missive_oauth_install_token_requested_signal (GType type)
{
  return g_signal_new ("token-requested",
                       type,
                       G_SIGNAL_RUN_LAST,
                       0,
                       token_accumulator, NULL,
                       NULL,
                       G_TYPE_STRING, 0);
}

static void
wipe_string_value (GValue *value)
{
  char *s = (char *) g_value_get_string (value);

  if (s != NULL)
    missive_sasl_wipe (s, strlen (s));
  g_value_unset (value);
}

gboolean
missive_oauth_check_field (const char  *value,
                           const char  *what,
                           const char  *mechanism_name,
                           GError     **error)
{
  const char *p;

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s for %s is not valid UTF-8", what, mechanism_name);
      return FALSE;
    }
  for (p = value; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      {
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "The %s for %s contains a control character", what, mechanism_name);
        return FALSE;
      }
  return TRUE;
}

const char *
missive_oauth_get_token (MissiveSaslMechanism  *mech,
                         guint                  signal_id,
                         GError               **error)
{
  const char *name = missive_sasl_mechanism_get_name (mech);
  const char *token = missive_sasl_mechanism_get_oauth_token (mech);
  const char *p;

  if (token == NULL || *token == '\0')
    {
      GValue supplied = G_VALUE_INIT;

      /* g_signal_emit() would do, but the value must be wiped. */
      GValue instance = G_VALUE_INIT;

      g_value_init (&instance, G_TYPE_FROM_INSTANCE (mech));
      g_value_set_object (&instance, mech);
      g_value_init (&supplied, G_TYPE_STRING);
      g_signal_emitv (&instance, signal_id, 0, &supplied);
      g_value_unset (&instance);

      if (g_value_get_string (&supplied) != NULL)
        missive_sasl_mechanism_set_oauth_token (mech, g_value_get_string (&supplied));
      wipe_string_value (&supplied);
      token = missive_sasl_mechanism_get_oauth_token (mech);
    }

  if (token == NULL || *token == '\0')
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "No OAuth token for %s authentication", name);
      return NULL;
    }

  /* A bearer token (RFC 6750 b64token) is printable ASCII without spaces;
   * be as lenient as that, but never let a separator through. */
  for (p = token; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      {
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                     "The OAuth token for %s contains a character a bearer "
                     "token cannot hold", name);
        return NULL;
      }

  return token;
}
