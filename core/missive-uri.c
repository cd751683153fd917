/* missive-uri.c: parsing of service URIs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-uri-private.h"

/*
 * A service URI names one server and how to talk to it:
 *
 *   scheme://[user[;AUTH=MECH][:password]@]host[:port][/][?param=value&...]
 *
 * The user name is percent-decoded, so a login that is itself an address is
 * written "alice%40example.org". A password may be given but is
 * discouraged: URIs end up in logs, shell histories and configuration
 * files. The parameters are security=none|starttls|tls, auth=MECH (or
 * mechanism=MECH), allow-plaintext=true|false and timeout=SECONDS.
 *
 * Without a port, the scheme's default is used, unless security= switches
 * between implicit TLS and a clear-text start: then it is the protocol's
 * port for that mode (imap://host?security=tls connects to 993).
 */

typedef struct
{
  const char *scheme;
  const char *protocol;
  guint16 port;               /* the default port... */
  MissiveSecurity security;   /* ...for the default security */
  guint16 switched_port;      /* the default port when ?security= switches
                               * between implicit TLS and a clear start */
} SchemeInfo;

static const SchemeInfo scheme_table[] = {
  { "imap",        "imap", 143, MISSIVE_SECURITY_STARTTLS, 993 },
  { "imaps",       "imap", 993, MISSIVE_SECURITY_TLS,      143 },
  { "pop3",        "pop3", 110, MISSIVE_SECURITY_STARTTLS, 995 },
  { "pop3s",       "pop3", 995, MISSIVE_SECURITY_TLS,      110 },
  { "smtp",        "smtp",  25, MISSIVE_SECURITY_STARTTLS, 465 },
  { "submission",  "smtp", 587, MISSIVE_SECURITY_STARTTLS, 465 },
  { "submissions", "smtp", 465, MISSIVE_SECURITY_TLS,      587 },
  { "smtps",       "smtp", 465, MISSIVE_SECURITY_TLS,      587 },
  { "lmtp",        "lmtp",  24, MISSIVE_SECURITY_NONE,      24 },
};

static const char * const known_schemes[] = {
  "imap", "imaps", "pop3", "pop3s", "smtp", "submission", "submissions",
  "smtps", "lmtp", NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (known_schemes) == G_N_ELEMENTS (scheme_table) + 1);

/* RFC 4422 section 3.1: 1 to 20 of A-Z, 0-9, "-" and "_". */
#define SASL_NAME_MAX 20

static const SchemeInfo *
lookup_scheme (const char *scheme)
{
  for (gsize i = 0; i < G_N_ELEMENTS (scheme_table); i++)
    {
      if (g_ascii_strcasecmp (scheme_table[i].scheme, scheme) == 0)
        return &scheme_table[i];
    }
  return NULL;
}

const char * const *
missive_uri_get_known_schemes (void)
{
  return known_schemes;
}

const char *
missive_uri_scheme_get_protocol (const char *scheme)
{
  const SchemeInfo *info;

  g_return_val_if_fail (scheme != NULL, NULL);

  info = lookup_scheme (scheme);
  return info != NULL ? info->protocol : NULL;
}

void
missive_uri_free (MissiveUri *uri)
{
  if (uri == NULL)
    return;

  g_free (uri->scheme);
  g_free (uri->protocol);
  g_free (uri->host);
  g_free (uri->username);
  missive_sasl_secret_free (uri->password);
  g_free (uri->auth_mechanism);
  g_free (uri);
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
               "Invalid service URI: %s", message);
  return FALSE;
}

/* Percent-decodes @encoded; refuses CR, LF, NUL and invalid UTF-8. @what
 * names the part for the error message; the value itself is never quoted,
 * since it may be a password. */
static char *
decode_component (const char  *encoded,
                  const char  *what,
                  GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize length;

  bytes = g_uri_unescape_bytes (encoded, -1, NULL, NULL);
  if (bytes == NULL)
    {
      invalid (error, "bad percent-encoding in the %s", what);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\0' || data[i] == '\r' || data[i] == '\n')
        {
          invalid (error, "the %s contains a line break or a NUL character", what);
          return NULL;
        }
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      invalid (error, "the %s is not valid UTF-8", what);
      return NULL;
    }

  return g_strndup (data, length);
}

static gboolean
host_is_valid (const char *host)
{
  gsize length = strlen (host);

  if (length == 0 || length > 255)
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* Host names (GUri already turned IDNs into their ASCII form); the
   * underscore is tolerated because real-world internal names use it. */
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

static gboolean
sasl_name_is_valid (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > SASL_NAME_MAX)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_auth_mechanism (MissiveUri  *result,
                    const char  *value,
                    GError     **error)
{
  g_autofree char *escaped = NULL;

  if (result->auth_mechanism != NULL)
    return invalid (error, "the SASL mechanism is given more than once");

  /* RFC 5092 ";AUTH=*": any mechanism, i.e. the default choice. */
  if (strcmp (value, "*") == 0)
    return TRUE;

  if (!sasl_name_is_valid (value))
    {
      escaped = g_strescape (value, NULL);
      return invalid (error, "“%s” is not a SASL mechanism name", escaped);
    }

  result->auth_mechanism = g_ascii_strup (value, -1);
  return TRUE;
}

static gboolean
parse_boolean (const char *value,
               gboolean   *out)
{
  if (g_ascii_strcasecmp (value, "true") == 0 ||
      g_ascii_strcasecmp (value, "yes") == 0 ||
      strcmp (value, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "false") == 0 ||
           g_ascii_strcasecmp (value, "no") == 0 ||
           strcmp (value, "0") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_param (MissiveUri  *result,
             const char  *name,
             const char  *value,
             gboolean    *seen_security,
             GError     **error)
{
  g_autofree char *escaped = g_strescape (value, NULL);

  if (g_ascii_strcasecmp (name, "security") == 0)
    {
      if (*seen_security)
        return invalid (error, "the parameter “security” is given more than once");
      *seen_security = TRUE;

      if (g_ascii_strcasecmp (value, "none") == 0)
        result->security = MISSIVE_SECURITY_NONE;
      else if (g_ascii_strcasecmp (value, "starttls") == 0)
        result->security = MISSIVE_SECURITY_STARTTLS;
      else if (g_ascii_strcasecmp (value, "tls") == 0)
        result->security = MISSIVE_SECURITY_TLS;
      else
        return invalid (error, "unknown security “%s” (use none, starttls or tls)",
                        escaped);
    }
  else if (g_ascii_strcasecmp (name, "auth") == 0 ||
           g_ascii_strcasecmp (name, "mechanism") == 0)
    {
      return set_auth_mechanism (result, value, error);
    }
  else if (g_ascii_strcasecmp (name, "allow-plaintext") == 0)
    {
      if (result->has_allow_plaintext)
        return invalid (error, "the parameter “allow-plaintext” is given more than once");
      if (!parse_boolean (value, &result->allow_plaintext))
        return invalid (error, "allow-plaintext must be true or false, not “%s”",
                        escaped);
      result->has_allow_plaintext = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "timeout") == 0)
    {
      guint64 seconds;

      if (result->has_timeout)
        return invalid (error, "the parameter “timeout” is given more than once");
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &seconds, NULL))
        return invalid (error, "the timeout must be a number of seconds, not “%s”",
                        escaped);
      result->timeout = (guint) seconds;
      result->has_timeout = TRUE;
    }
  else
    {
      g_autofree char *escaped_name = g_strescape (name, NULL);

      return invalid (error,
                      "unknown parameter “%s” (known: security, auth, "
                      "allow-plaintext, timeout)", escaped_name);
    }

  return TRUE;
}

static gboolean
parse_query (MissiveUri  *result,
             const char  *query,
             GError     **error)
{
  g_auto(GStrv) pairs = g_strsplit (query, "&", -1);
  gboolean seen_security = FALSE;

  for (gsize i = 0; pairs[i] != NULL; i++)
    {
      const char *equals;
      g_autofree char *encoded_name = NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue; /* "?a=b&" or "?&" */

      equals = strchr (pairs[i], '=');
      encoded_name = equals != NULL ? g_strndup (pairs[i], equals - pairs[i])
                                    : g_strdup (pairs[i]);
      name = decode_component (encoded_name, "name of a parameter", error);
      if (name == NULL)
        return FALSE;

      if (equals == NULL)
        {
          g_autofree char *escaped = g_strescape (name, NULL);
          return invalid (error, "the parameter “%s” has no value", escaped);
        }

      value = decode_component (equals + 1, "value of a parameter", error);
      if (value == NULL)
        return FALSE;

      if (!parse_param (result, name, value, &seen_security, error))
        return FALSE;
    }

  return TRUE;
}

/* RFC 5092 / RFC 2384 style ";AUTH=MECH" after the user name. */
static gboolean
parse_auth_params (MissiveUri  *result,
                   const char  *auth_params,
                   GError     **error)
{
  g_auto(GStrv) params = g_strsplit (auth_params, ";", -1);

  for (gsize i = 0; params[i] != NULL; i++)
    {
      g_autofree char *param = NULL;

      if (params[i][0] == '\0')
        continue;

      param = decode_component (params[i], "user-name parameters", error);
      if (param == NULL)
        return FALSE;

      if (g_ascii_strncasecmp (param, "AUTH=", 5) == 0)
        {
          if (!set_auth_mechanism (result, param + 5, error))
            return FALSE;
        }
      else
        {
          g_autofree char *escaped = g_strescape (param, NULL);
          return invalid (error, "unknown user-name parameter “%s” (only AUTH= is known)",
                          escaped);
        }
    }

  return TRUE;
}

static gboolean
is_extra_scheme (const char          *scheme,
                 const char * const  *extra_schemes,
                 const char         **protocol)
{
  if (extra_schemes == NULL)
    return FALSE;

  for (gsize i = 0; extra_schemes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (extra_schemes[i], scheme) == 0)
        {
          *protocol = extra_schemes[i];
          return TRUE;
        }
    }
  return FALSE;
}

/* The scheme of @uri (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
 * before the first ":"), in lowercase, or NULL when it has none. */
static char *
dup_scheme (const char *uri)
{
  gsize length = 0;

  if (!g_ascii_isalpha (uri[0]))
    return NULL;
  while (g_ascii_isalnum (uri[length]) || uri[length] == '+' ||
         uri[length] == '-' || uri[length] == '.')
    length++;
  if (uri[length] != ':')
    return NULL;
  return g_ascii_strdown (uri, length);
}

MissiveUri *
missive_uri_parse (const char          *uri,
                   const char * const  *extra_schemes,
                   GError             **error)
{
  g_autoptr(MissiveUri) result = NULL;
  g_autoptr(GUri) guri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *scheme = NULL;
  const SchemeInfo *info;
  const char *extra_protocol = NULL;
  const char *host;
  const char *user;
  const char *password;
  const char *auth_params;
  const char *path;
  const char *query;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The scheme first: an unknown one is the more useful complaint. Not
   * with g_uri_peek_scheme(): it interns every scheme it sees, so that
   * parsing untrusted URIs would grow the quark table without bound. */
  scheme = dup_scheme (uri);
  if (scheme == NULL)
    {
      invalid (error, "it does not start with a scheme such as “imaps://”");
      return NULL;
    }

  info = lookup_scheme (scheme);
  if (info == NULL && !is_extra_scheme (scheme, extra_schemes, &extra_protocol))
    {
      g_autofree char *escaped = g_strescape (scheme, NULL);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_SCHEME,
                   "Unknown URI scheme “%s”", escaped);
      return NULL;
    }

  guri = g_uri_parse (uri,
                      G_URI_FLAGS_ENCODED |
                      G_URI_FLAGS_HAS_PASSWORD |
                      G_URI_FLAGS_HAS_AUTH_PARAMS,
                      &local_error);
  if (guri == NULL)
    {
      invalid (error, "%s", local_error->message);
      return NULL;
    }

  result = g_new0 (MissiveUri, 1);
  result->scheme = g_strdup (scheme);
  if (info != NULL)
    {
      result->protocol = g_strdup (info->protocol);
      result->security = info->security;
    }
  else
    {
      result->protocol = g_strdup (extra_protocol);
      result->security = MISSIVE_SECURITY_NONE;
    }

  host = g_uri_get_host (guri);
  if (host == NULL || host[0] == '\0')
    {
      invalid (error, "it names no host (expected “%s://host”)", result->scheme);
      return NULL;
    }
  if (!host_is_valid (host))
    {
      g_autofree char *escaped = g_strescape (host, NULL);

      invalid (error, "“%s” is not a valid host name%s", escaped,
               strchr (host, '@') != NULL ? " (write an “@” in the user name as “%40”)" : "");
      return NULL;
    }
  result->host = g_strdup (host);

  user = g_uri_get_user (guri);
  if (user != NULL && user[0] != '\0')
    {
      result->username = decode_component (user, "user name", error);
      if (result->username == NULL)
        return NULL;
    }

  password = g_uri_get_password (guri);
  if (password != NULL)
    {
      result->password = decode_component (password, "password", error);
      if (result->password == NULL)
        return NULL;
    }

  auth_params = g_uri_get_auth_params (guri);
  if (auth_params != NULL && !parse_auth_params (result, auth_params, error))
    return NULL;

  path = g_uri_get_path (guri);
  if (path[0] != '\0' && strcmp (path, "/") != 0)
    {
      invalid (error, "a service URI names a server only; it cannot have a path");
      return NULL;
    }
  if (g_uri_get_fragment (guri) != NULL)
    {
      invalid (error, "a service URI cannot have a fragment (“#…”)");
      return NULL;
    }

  query = g_uri_get_query (guri);
  if (query != NULL && !parse_query (result, query, error))
    return NULL;

  port = g_uri_get_port (guri);
  if (port == 0)
    {
      invalid (error, "port 0 cannot be used");
      return NULL;
    }
  else if (port > 0)
    {
      result->port = (guint16) port;
    }
  else if (info != NULL)
    {
      /* "imap://host?security=tls" means port 993, not 143. */
      gboolean tls_by_default = info->security == MISSIVE_SECURITY_TLS;
      gboolean tls = result->security == MISSIVE_SECURITY_TLS;

      result->port = tls == tls_by_default ? info->port : info->switched_port;
    }
  else
    {
      invalid (error, "the scheme “%s” has no default port; give one, as in “%s://%s:PORT”",
               result->scheme, result->scheme,
               strchr (result->host, ':') != NULL ? "[host]" : "host");
      return NULL;
    }

  return g_steal_pointer (&result);
}
