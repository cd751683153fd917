/* missive-sasl-digest-md5.c: the DIGEST-MD5 SASL mechanism (RFC 2831)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "missive-sasl-digest-md5.h"

/* DIGEST-MD5 is server-first and takes two round trips:
 *
 *   S: realm="...",nonce="...",qop="auth",charset=utf-8,algorithm=md5-sess
 *   C: charset=utf-8,username="...",realm="...",nonce="...",nc=00000001,
 *      cnonce="...",digest-uri="imap/host",response=<32 hex>,qop=auth
 *   S: rspauth=<32 hex>
 *   C: (empty)
 *
 * Only the "auth" quality of protection is implemented (no integrity or
 * confidentiality layer). The server's rspauth proves that it knows the
 * password too, so the exchange is mutual.
 *
 * Realm: the first realm the server offers, or the
 * [property@SaslMechanism:host] when it offers none. The credentials are
 * hashed as UTF-8 when the server announces charset=utf-8; otherwise
 * RFC 2831 wants ISO 8859-1, so they are converted when they can be and
 * hashed as UTF-8 when they cannot. */

#define DIGEST_MD5_MAX_CHALLENGE  4096
#define DIGEST_MD5_MAX_DIRECTIVES 64
#define DIGEST_MD5_NONCE_BYTES    16

typedef enum {
  STATE_START,
  STATE_SENT_RESPONSE,
  STATE_DONE,
} DigestState;

/**
 * MissiveSaslDigestMd5:
 *
 * The DIGEST-MD5 mechanism (RFC 2831), provided by the `digest-md5`
 * plugin. It needs the [property@SaslMechanism:username],
 * [property@SaslMechanism:password], [property@SaslMechanism:service-name]
 * and [property@SaslMechanism:host] properties, and checks the server's
 * proof (rspauth) before it reports itself complete.
 *
 * RFC 6331 moved DIGEST-MD5 to Historic; it is here for old servers only.
 *
 * Since: 1.0
 */
struct _MissiveSaslDigestMd5
{
  MissiveSaslMechanism parent_instance;

  DigestState state;
  char *client_nonce;     /* test hook; NULL: random */
  char *expected_rspauth; /* 32 lowercase hex digits while waiting for it */
};

enum {
  PROP_0,
  PROP_CLIENT_NONCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSaslDigestMd5, missive_sasl_digest_md5,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_FINAL, {})

/* ---- secrets ------------------------------------------------------------ */

static void
secret_string_free (GString *string)
{
  if (string == NULL)
    return;
  missive_sasl_wipe (string->str, string->allocated_len);
  g_string_free (string, TRUE);
}

typedef GString GString_secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GString_secret, secret_string_free)


/* ---- challenge parsing -------------------------------------------------- */

typedef struct
{
  char *name;
  char *value;
} Directive;

static void
directive_clear (gpointer data)
{
  Directive *directive = data;

  g_free (directive->name);
  g_free (directive->value);
}

static gboolean
is_lws (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 2616 token characters: visible ASCII except separators. */
static gboolean
is_token_char (char c)
{
  if (c <= 0x20 || c >= 0x7f)
    return FALSE;
  return strchr ("()<>@,;:\\\"/[]?={}", c) == NULL;
}

static gboolean
parse_error (GError     **error,
             const char  *message)
{
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
               "Malformed DIGEST-MD5 challenge: %s", message);
  return FALSE;
}

/* Parses a comma-separated list of name=value directives (RFC 2831
 * section 7.1: empty list elements are allowed, values are tokens or
 * quoted strings with backslash escapes). @data is not NUL-terminated. */
static GArray *
parse_directives (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GArray) directives = g_array_new (FALSE, TRUE, sizeof (Directive));
  gsize i = 0;

  g_array_set_clear_func (directives, directive_clear);

  if (length > DIGEST_MD5_MAX_CHALLENGE)
    {
      parse_error (error, "it is too long");
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      parse_error (error, "it contains a NUL byte");
      return NULL;
    }

  while (i < length)
    {
      Directive directive = { NULL, NULL };
      gsize start;
      GString *value;

      while (i < length && (is_lws (data[i]) || data[i] == ','))
        i++;
      if (i == length)
        break;

      start = i;
      while (i < length && is_token_char (data[i]))
        i++;
      if (i == start)
        {
          parse_error (error, "a directive name is missing");
          return NULL;
        }
      directive.name = g_ascii_strdown (data + start, i - start);

      while (i < length && is_lws (data[i]))
        i++;
      if (i == length || data[i] != '=')
        {
          g_free (directive.name);
          parse_error (error, "a directive has no value");
          return NULL;
        }
      i++;
      while (i < length && is_lws (data[i]))
        i++;

      value = g_string_new (NULL);
      if (i < length && data[i] == '"')
        {
          gboolean closed = FALSE;

          for (i++; i < length; i++)
            {
              if (data[i] == '\\')
                {
                  if (++i == length)
                    break;
                  g_string_append_c (value, data[i]);
                }
              else if (data[i] == '"')
                {
                  closed = TRUE;
                  i++;
                  break;
                }
              else
                g_string_append_c (value, data[i]);
            }
          if (!closed)
            {
              g_free (directive.name);
              g_string_free (value, TRUE);
              parse_error (error, "a quoted string is not terminated");
              return NULL;
            }
        }
      else
        {
          start = i;
          while (i < length && is_token_char (data[i]))
            i++;
          g_string_append_len (value, data + start, i - start);
        }
      directive.value = g_string_free (value, FALSE);

      while (i < length && is_lws (data[i]))
        i++;
      if (i < length && data[i] != ',')
        {
          directive_clear (&directive);
          parse_error (error, "garbage after a directive");
          return NULL;
        }

      if (directives->len == DIGEST_MD5_MAX_DIRECTIVES)
        {
          directive_clear (&directive);
          parse_error (error, "too many directives");
          return NULL;
        }
      g_array_append_val (directives, directive);
    }

  return g_steal_pointer (&directives);
}

/* Returns the value of the directive @name, failing if it occurs more than
 * once (RFC 2831: only realm may be repeated). */
static gboolean
find_unique (GArray      *directives,
             const char  *name,
             const char **value,
             GError     **error)
{
  *value = NULL;
  for (guint i = 0; i < directives->len; i++)
    {
      const Directive *directive = &g_array_index (directives, Directive, i);

      if (strcmp (directive->name, name) != 0)
        continue;
      if (*value != NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "Malformed DIGEST-MD5 challenge: “%s” occurs twice",
                       name);
          return FALSE;
        }
      *value = directive->value;
    }
  return TRUE;
}

static const char *
find_first (GArray     *directives,
            const char *name)
{
  for (guint i = 0; i < directives->len; i++)
    {
      const Directive *directive = &g_array_index (directives, Directive, i);

      if (strcmp (directive->name, name) == 0)
        return directive->value;
    }
  return NULL;
}

/* TRUE when the comma-separated @list contains @item (case-insensitive). */
static gboolean
list_contains (const char *list,
               const char *item)
{
  g_auto(GStrv) items = g_strsplit (list, ",", DIGEST_MD5_MAX_DIRECTIVES);

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (g_strstrip (items[i]), item) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ---- hashing ------------------------------------------------------------ */

static char *
md5_hex (const void *data,
         gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_MD5, data, length);
}

/* Converts a credential to ISO 8859-1 when the server did not announce
 * UTF-8 and the value can be converted (RFC 2831 section 2.1.2.1). */
static char *
credential_for_hash (const char *value,
                     gboolean    utf8)
{
  char *converted;

  if (utf8)
    return g_strdup (value);
  converted = g_convert (value, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
  return converted != NULL ? converted : g_strdup (value);
}

/* HEX(KD(HEX(H(A1)), nonce:nc:cnonce:qop:HEX(H(A2)))) with
 * A1 = H(user:realm:pass):nonce:cnonce[:authzid] and
 * A2 = prefix digest-uri. */
static char *
compute_digest (const guint8 *user_realm_pass_md5,
                const char   *nonce,
                const char   *cnonce,
                const char   *authzid,
                const char   *a2_prefix,
                const char   *digest_uri)
{
  g_autoptr(GString_secret) a1 = g_string_new (NULL);
  g_autoptr(GString_secret) kd = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  char *result;

  g_string_append_len (a1, (const char *) user_realm_pass_md5, 16);
  g_string_append_printf (a1, ":%s:%s", nonce, cnonce);
  if (authzid != NULL && *authzid != '\0')
    g_string_append_printf (a1, ":%s", authzid);
  ha1 = md5_hex (a1->str, a1->len);

  a2 = g_strconcat (a2_prefix, digest_uri, NULL);
  ha2 = md5_hex (a2, strlen (a2));

  kd = g_string_new (NULL);
  g_string_append_printf (kd, "%s:%s:00000001:%s:auth:%s", ha1, nonce, cnonce, ha2);
  result = md5_hex (kd->str, kd->len);
  missive_sasl_wipe (ha1, strlen (ha1));
  return result;
}

static void
append_quoted (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ",%s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Values we put in quoted strings must not hold control characters. */
static gboolean
check_value (const char  *value,
             const char  *what,
             GError     **error)
{
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s for DIGEST-MD5 is not valid UTF-8", what);
      return FALSE;
    }
  for (const char *p = value; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                       "The %s for DIGEST-MD5 contains a control character",
                       what);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
make_client_nonce (MissiveSaslDigestMd5  *self,
                   GError               **error)
{
  guint8 random[DIGEST_MD5_NONCE_BYTES];

  if (self->client_nonce != NULL)
    return g_strdup (self->client_nonce);

  if (gnutls_rnd (GNUTLS_RND_NONCE, random, sizeof random) < 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                           "Could not generate a DIGEST-MD5 client nonce");
      return NULL;
    }
  return g_base64_encode (random, sizeof random);
}

/* ---- the exchange ------------------------------------------------------- */

static GBytes *
answer_challenge (MissiveSaslDigestMd5  *self,
                  GBytes                *challenge,
                  GError               **error)
{
  MissiveSaslMechanism *mech = MISSIVE_SASL_MECHANISM (self);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *password = missive_sasl_mechanism_get_password (mech);
  const char *authzid = missive_sasl_mechanism_get_authzid (mech);
  const char *service = missive_sasl_mechanism_get_service_name (mech);
  const char *host = missive_sasl_mechanism_get_host (mech);
  const char *nonce, *qop, *algorithm, *charset, *realm;
  g_autoptr(GArray) directives = NULL;
  g_autofree char *cnonce = NULL;
  g_autofree char *digest_uri = NULL;
  g_autofree char *response = NULL;
  g_autofree char *hash_user = NULL;
  g_autofree char *hash_realm = NULL;
  g_autoptr(GString_secret) urp = NULL;
  g_autoptr(GString) out = NULL;
  guint8 urp_md5[16];
  gsize urp_md5_len = sizeof urp_md5;
  gboolean utf8;
  GChecksum *checksum;
  char *hash_pass;
  gsize length;

  if (username == NULL || *username == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No username for DIGEST-MD5 authentication");
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No password for DIGEST-MD5 authentication");
      return NULL;
    }
  if (service == NULL || *service == '\0' || host == NULL || *host == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "DIGEST-MD5 needs the service name and the host");
      return NULL;
    }
  if (!check_value (username, "username", error) ||
      !check_value (password, "password", error) ||
      (authzid != NULL && !check_value (authzid, "authorization identity", error)) ||
      !check_value (service, "service name", error) ||
      !check_value (host, "host", error))
    return NULL;

  if (challenge == NULL || g_bytes_get_size (challenge) == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "DIGEST-MD5 needs a challenge from the server");
      return NULL;
    }

  directives = parse_directives (g_bytes_get_data (challenge, &length),
                                 g_bytes_get_size (challenge), error);
  if (directives == NULL)
    return NULL;

  if (!find_unique (directives, "nonce", &nonce, error) ||
      !find_unique (directives, "qop", &qop, error) ||
      !find_unique (directives, "algorithm", &algorithm, error) ||
      !find_unique (directives, "charset", &charset, error) ||
      !find_unique (directives, "maxbuf", &(const char *) { NULL }, error) ||
      !find_unique (directives, "stale", &(const char *) { NULL }, error))
    return NULL;

  if (nonce == NULL || *nonce == '\0')
    {
      parse_error (error, "no nonce");
      return NULL;
    }
  if (!check_value (nonce, "server nonce", error))
    {
      g_clear_error (error);
      parse_error (error, "the nonce holds invalid characters");
      return NULL;
    }
  /* An absent qop means "auth" (RFC 2831 section 2.1.1). */
  if (qop != NULL && !list_contains (qop, "auth"))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                           "The DIGEST-MD5 server does not offer qop=auth");
      return NULL;
    }
  if (algorithm == NULL || g_ascii_strcasecmp (algorithm, "md5-sess") != 0)
    {
      parse_error (error, "the algorithm is not md5-sess");
      return NULL;
    }
  utf8 = charset != NULL && g_ascii_strcasecmp (charset, "utf-8") == 0;

  realm = find_first (directives, "realm");
  if (realm == NULL)
    realm = host;
  if (!check_value (realm, "realm", error))
    {
      g_clear_error (error);
      parse_error (error, "the realm holds invalid characters");
      return NULL;
    }

  cnonce = make_client_nonce (self, error);
  if (cnonce == NULL)
    return NULL;
  digest_uri = g_strconcat (service, "/", host, NULL);

  /* H(username:realm:password), raw bytes. */
  hash_user = credential_for_hash (username, utf8);
  hash_realm = credential_for_hash (realm, utf8);
  hash_pass = credential_for_hash (password, utf8);
  urp = g_string_new (NULL);
  g_string_append_printf (urp, "%s:%s:%s", hash_user, hash_realm, hash_pass);
  missive_sasl_secret_free (hash_pass);
  checksum = g_checksum_new (G_CHECKSUM_MD5);
  g_checksum_update (checksum, (const guchar *) urp->str, urp->len);
  g_checksum_get_digest (checksum, urp_md5, &urp_md5_len);
  g_checksum_free (checksum);

  response = compute_digest (urp_md5, nonce, cnonce, authzid,
                             "AUTHENTICATE:", digest_uri);
  g_free (self->expected_rspauth);
  self->expected_rspauth = compute_digest (urp_md5, nonce, cnonce, authzid,
                                           ":", digest_uri);
  missive_sasl_wipe (urp_md5, sizeof urp_md5);

  out = g_string_new (NULL);
  if (utf8)
    g_string_append (out, "charset=utf-8");
  append_quoted (out, "username", username);
  append_quoted (out, "realm", realm);
  append_quoted (out, "nonce", nonce);
  g_string_append (out, ",nc=00000001");
  append_quoted (out, "cnonce", cnonce);
  append_quoted (out, "digest-uri", digest_uri);
  g_string_append_printf (out, ",response=%s,qop=auth", response);
  if (authzid != NULL && *authzid != '\0')
    append_quoted (out, "authzid", authzid);

  self->state = STATE_SENT_RESPONSE;
  /* Without the charset the list starts with a stray comma. */
  if (out->str[0] == ',')
    g_string_erase (out, 0, 1);
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
check_rspauth (MissiveSaslDigestMd5  *self,
               GBytes                *challenge,
               GError               **error)
{
  g_autoptr(GArray) directives = NULL;
  const char *rspauth;
  guint8 difference = 0;

  if (challenge == NULL || g_bytes_get_size (challenge) == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The DIGEST-MD5 server did not send rspauth");
      return NULL;
    }
  directives = parse_directives (g_bytes_get_data (challenge, NULL),
                                 g_bytes_get_size (challenge), error);
  if (directives == NULL)
    return NULL;
  if (!find_unique (directives, "rspauth", &rspauth, error))
    return NULL;
  if (rspauth == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The DIGEST-MD5 server did not send rspauth");
      return NULL;
    }

  /* Constant time over the 32 digits; hex digits compare case-insensitively. */
  if (strlen (rspauth) != 32)
    difference = 1;
  else
    {
      for (gsize i = 0; i < 32; i++)
        difference |= (guint8) (g_ascii_tolower (rspauth[i]) ^
                                self->expected_rspauth[i]);
    }
  g_clear_pointer (&self->expected_rspauth, g_free);
  self->state = STATE_DONE;
  if (difference != 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                           "The DIGEST-MD5 server failed to prove its identity");
      return NULL;
    }

  missive_sasl_mechanism_set_complete (MISSIVE_SASL_MECHANISM (self), TRUE);
  return g_bytes_new (NULL, 0);
}

static const char *
missive_sasl_digest_md5_get_name (MissiveSaslMechanism *mech)
{
  return "DIGEST-MD5";
}

static int
missive_sasl_digest_md5_get_strength (MissiveSaslMechanism *mech)
{
  return 35;
}

static MissiveSaslFlags
missive_sasl_digest_md5_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_NEEDS_PASSWORD | MISSIVE_SASL_FLAG_MUTUAL;
}

static GBytes *
missive_sasl_digest_md5_step (MissiveSaslMechanism  *mech,
                              GBytes                *challenge,
                              GError               **error)
{
  MissiveSaslDigestMd5 *self = MISSIVE_SASL_DIGEST_MD5 (mech);

  switch (self->state)
    {
    case STATE_START:
      return answer_challenge (self, challenge, error);
    case STATE_SENT_RESPONSE:
      return check_rspauth (self, challenge, error);
    case STATE_DONE:
    default:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a challenge after the DIGEST-MD5 "
                           "exchange was over");
      return NULL;
    }
}

static void
missive_sasl_digest_md5_reset (MissiveSaslMechanism *mech)
{
  MissiveSaslDigestMd5 *self = MISSIVE_SASL_DIGEST_MD5 (mech);

  self->state = STATE_START;
  g_clear_pointer (&self->expected_rspauth, g_free);

  MISSIVE_SASL_MECHANISM_CLASS (missive_sasl_digest_md5_parent_class)->reset (mech);
}

static void
missive_sasl_digest_md5_finalize (GObject *object)
{
  MissiveSaslDigestMd5 *self = MISSIVE_SASL_DIGEST_MD5 (object);

  g_free (self->client_nonce);
  g_free (self->expected_rspauth);

  G_OBJECT_CLASS (missive_sasl_digest_md5_parent_class)->finalize (object);
}

static void
missive_sasl_digest_md5_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MissiveSaslDigestMd5 *self = MISSIVE_SASL_DIGEST_MD5 (object);

  switch (prop_id)
    {
    case PROP_CLIENT_NONCE:
      g_value_set_string (value, self->client_nonce);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_digest_md5_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MissiveSaslDigestMd5 *self = MISSIVE_SASL_DIGEST_MD5 (object);

  switch (prop_id)
    {
    case PROP_CLIENT_NONCE:
      if (g_strcmp0 (self->client_nonce, g_value_get_string (value)) != 0)
        {
          g_free (self->client_nonce);
          self->client_nonce = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_digest_md5_class_init (MissiveSaslDigestMd5Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  object_class->finalize = missive_sasl_digest_md5_finalize;
  object_class->get_property = missive_sasl_digest_md5_get_property;
  object_class->set_property = missive_sasl_digest_md5_set_property;

  mech_class->get_name = missive_sasl_digest_md5_get_name;
  mech_class->get_strength = missive_sasl_digest_md5_get_strength;
  mech_class->get_flags = missive_sasl_digest_md5_get_flags;
  mech_class->step = missive_sasl_digest_md5_step;
  mech_class->reset = missive_sasl_digest_md5_reset;

  /**
   * MissiveSaslDigestMd5:client-nonce:
   *
   * For tests only: the client nonce (cnonce) to send instead of a random
   * one, so that published examples can be reproduced. Never set it
   * otherwise: a fixed nonce makes the exchange replayable.
   *
   * Since: 1.0
   */
  properties[PROP_CLIENT_NONCE] =
    g_param_spec_string ("client-nonce", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_sasl_digest_md5_class_finalize (MissiveSaslDigestMd5Class *klass)
{
}

static void
missive_sasl_digest_md5_init (MissiveSaslDigestMd5 *self)
{
  self->state = STATE_START;
}

void
missive_sasl_digest_md5_register (GIOModule *module)
{
  missive_plugin_ensure_extension_points ();

  missive_sasl_digest_md5_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SASL_DIGEST_MD5, "DIGEST-MD5", 35);
}
