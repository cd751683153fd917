/* missive-sasl-scram.c: the SCRAM SASL mechanisms (RFC 5802, RFC 7677)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/pbkdf2.h>

#include "missive-sasl-scram.h"
#include "missive-saslprep.h"

/* SCRAM runs in three client messages' worth of steps:
 *
 *   C: gs2-header client-first-bare     gs2-header = "n,," / "p=<type>,,"
 *                                        client-first-bare = "n=<user>,r=<cnonce>"
 *   S: r=<cnonce snonce>,s=<salt>,i=<iterations>
 *   C: c=<base64 (gs2-header cbind-data)>,r=<cnonce snonce>,p=<proof>
 *   S: v=<server signature>     or     e=<error>
 *
 * The six mechanisms share this file: each is a final subtype of the
 * abstract MissiveSaslScram whose class data (a MissiveSaslScramVariant)
 * names the hash and says whether the mechanism binds to the TLS channel.
 *
 * The gs2 flag of the non-PLUS variants is always "n" (the client does not
 * offer channel binding), even on TLS: RFC 5802 section 6 allows "y" there
 * to detect a downgrade, but the client cannot know whether the server
 * offered a -PLUS mechanism the application chose not to use. */

#define MAX_DIGEST_LENGTH 64
#define CLIENT_NONCE_RANDOM_BYTES 18 /* 24 characters of base64 */
#define MAX_ITERATIONS 1000000
#define MAX_SERVER_MESSAGE 16384

struct _MissiveSaslScramVariant
{
  const char    *name;
  const char    *type_name;
  int            strength;
  GChecksumType  hash;
  gsize          digest_length;
  gboolean       plus;
};

static const MissiveSaslScramVariant variants[] = {
  { "SCRAM-SHA-1",        "MissiveSaslScramSha1",       60, G_CHECKSUM_SHA1,   20, FALSE },
  { "SCRAM-SHA-1-PLUS",   "MissiveSaslScramSha1Plus",   65, G_CHECKSUM_SHA1,   20, TRUE },
  { "SCRAM-SHA-256",      "MissiveSaslScramSha256",     70, G_CHECKSUM_SHA256, 32, FALSE },
  { "SCRAM-SHA-256-PLUS", "MissiveSaslScramSha256Plus", 75, G_CHECKSUM_SHA256, 32, TRUE },
  { "SCRAM-SHA-512",      "MissiveSaslScramSha512",     75, G_CHECKSUM_SHA512, 64, FALSE },
  { "SCRAM-SHA-512-PLUS", "MissiveSaslScramSha512Plus", 80, G_CHECKSUM_SHA512, 64, TRUE },
};

typedef enum {
  STATE_START,
  STATE_CLIENT_FIRST_SENT,
  STATE_CLIENT_FINAL_SENT,
} ScramState;

typedef struct
{
  ScramState state;
  char *nonce_for_testing;
  char *client_nonce;
  char *gs2_header;
  GBytes *cbind_data;
  char *client_first_bare;
  guint8 server_signature[MAX_DIGEST_LENGTH];
} MissiveSaslScramPrivate;

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSaslScram, missive_sasl_scram,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_ABSTRACT,
                                G_ADD_PRIVATE_DYNAMIC (MissiveSaslScram))

enum {
  PROP_0,
  PROP_CLIENT_NONCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- helpers ------------------------------------------------------------ */

static const MissiveSaslScramVariant *
get_variant (MissiveSaslScram *self)
{
  return MISSIVE_SASL_SCRAM_GET_CLASS (self)->variant;
}

/* Printable ASCII except ',': what RFC 5802 allows in a nonce. */
static gboolean
is_valid_nonce (const char *nonce)
{
  if (*nonce == '\0')
    return FALSE;
  for (; *nonce != '\0'; nonce++)
    {
      if (*nonce < 0x21 || *nonce > 0x7E || *nonce == ',')
        return FALSE;
    }
  return TRUE;
}

/* RFC 5802 saslname: ',' and '=' are escaped as "=2C" and "=3D". */
static char *
escape_saslname (const char *name)
{
  GString *escaped = g_string_sized_new (strlen (name) + 8);

  for (; *name != '\0'; name++)
    {
      if (*name == ',')
        g_string_append (escaped, "=2C");
      else if (*name == '=')
        g_string_append (escaped, "=3D");
      else
        g_string_append_c (escaped, *name);
    }
  return g_string_free (escaped, FALSE);
}

/* Decodes base64 that must be well-formed: g_base64_decode() silently skips
 * what it does not understand. Returns NULL for empty or invalid input. */
static guint8 *
decode_base64_strict (const char *text,
                      gsize      *out_length)
{
  gsize length = strlen (text);
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return NULL;
  if (text[length - 1] == '=')
    padding++;
  if (length >= 2 && text[length - 2] == '=')
    padding++;
  for (gsize i = 0; i < length - padding; i++)
    {
      if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
        return NULL;
    }
  return g_base64_decode (text, out_length);
}

/* Copies an attribute value received from the server into something fit
 * for an error message: printable ASCII, bounded length. */
static char *
sanitize_server_text (const char *text)
{
  GString *clean = g_string_new (NULL);

  for (gsize i = 0; text[i] != '\0' && text[i] != ',' && i < 200; i++)
    g_string_append_c (clean, g_ascii_isprint (text[i]) ? text[i] : '?');
  return g_string_free (clean, FALSE);
}

/* The server messages as C strings: no NUL inside, bounded. */
static char *
challenge_to_string (GBytes   *challenge,
                     GError  **error)
{
  gsize length;
  const char *data = g_bytes_get_data (challenge, &length);

  if (length == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent an empty SCRAM message");
      return NULL;
    }
  if (length > MAX_SERVER_MESSAGE || memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a malformed SCRAM message");
      return NULL;
    }
  return g_strndup (data, length);
}

static void
hmac (GChecksumType  hash,
      const guint8  *key,
      gsize          key_length,
      const void    *data,
      gsize          data_length,
      guint8        *out,
      gsize          out_length)
{
  g_autoptr(GHmac) h = g_hmac_new (hash, key, key_length);
  gsize length = out_length;

  g_hmac_update (h, data, data_length);
  g_hmac_get_digest (h, out, &length);
  g_assert (length == out_length);
}

static void
digest (GChecksumType  hash,
        const guint8  *data,
        gsize          data_length,
        guint8        *out,
        gsize          out_length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (hash);
  gsize length = out_length;

  g_checksum_update (checksum, data, data_length);
  g_checksum_get_digest (checksum, out, &length);
  g_assert (length == out_length);
}

static void
salt_password (const MissiveSaslScramVariant *variant,
               const char                    *password,
               const guint8                  *salt,
               gsize                          salt_length,
               guint                          iterations,
               guint8                        *out)
{
  gsize password_length = strlen (password);

  switch (variant->hash)
    {
    case G_CHECKSUM_SHA1:
      pbkdf2_hmac_sha1 (password_length, (const guint8 *) password, iterations,
                        salt_length, salt, variant->digest_length, out);
      break;
    case G_CHECKSUM_SHA256:
      pbkdf2_hmac_sha256 (password_length, (const guint8 *) password, iterations,
                          salt_length, salt, variant->digest_length, out);
      break;
    case G_CHECKSUM_SHA512:
      pbkdf2_hmac_sha512 (password_length, (const guint8 *) password, iterations,
                          salt_length, salt, variant->digest_length, out);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
clear_exchange (MissiveSaslScram *self)
{
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);

  priv->state = STATE_START;
  g_clear_pointer (&priv->client_nonce, g_free);
  g_clear_pointer (&priv->gs2_header, g_free);
  g_clear_pointer (&priv->cbind_data, g_bytes_unref);
  g_clear_pointer (&priv->client_first_bare, g_free);
  missive_sasl_wipe (priv->server_signature, sizeof priv->server_signature);
}

/* ---- the exchange ------------------------------------------------------- */

static GBytes *
get_channel_binding (MissiveSaslScram  *self,
                     const char       **cbind_name,
                     GError           **error)
{
  MissiveTransport *transport;
  g_autoptr(GError) local_error = NULL;
  GBytes *data;

  transport = missive_sasl_mechanism_get_transport (MISSIVE_SASL_MECHANISM (self));
  if (transport == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                   "%s needs a TLS connection to bind to", get_variant (self)->name);
      return NULL;
    }

  data = missive_transport_get_channel_binding_data (transport,
                                                     G_TLS_CHANNEL_BINDING_TLS_EXPORTER,
                                                     NULL);
  if (data != NULL)
    {
      *cbind_name = "tls-exporter";
      return data;
    }

  data = missive_transport_get_channel_binding_data (transport,
                                                     G_TLS_CHANNEL_BINDING_TLS_SERVER_END_POINT,
                                                     &local_error);
  if (data != NULL)
    {
      *cbind_name = "tls-server-end-point";
      return data;
    }

  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
               "%s cannot bind to the connection: %s",
               get_variant (self)->name, local_error->message);
  return NULL;
}

static GBytes *
client_first (MissiveSaslScram  *self,
              GError           **error)
{
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);
  MissiveSaslMechanism *mech = MISSIVE_SASL_MECHANISM (self);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *password = missive_sasl_mechanism_get_password (mech);
  const char *authzid = missive_sasl_mechanism_get_authzid (mech);
  g_autofree char *prepared_user = NULL;
  g_autofree char *escaped_user = NULL;
  g_autofree char *escaped_authzid = NULL;
  g_autofree char *cbind_flag = NULL;
  g_autoptr(GBytes) cbind_data = NULL;
  char *prepared_password;
  char *message;

  if (username == NULL || *username == '\0')
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "No username for %s authentication", get_variant (self)->name);
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "No password for %s authentication", get_variant (self)->name);
      return NULL;
    }

  prepared_user = missive_saslprep (username, "username", error);
  if (prepared_user == NULL)
    return NULL;
  if (*prepared_user == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The username is empty after SASLprep");
      return NULL;
    }

  /* Check the password now, before anything goes to the server. */
  prepared_password = missive_saslprep (password, "password", error);
  if (prepared_password == NULL)
    return NULL;
  if (*prepared_password == '\0')
    {
      missive_sasl_secret_free (prepared_password);
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The password is empty after SASLprep");
      return NULL;
    }
  missive_sasl_secret_free (prepared_password);

  if (authzid != NULL && *authzid != '\0')
    {
      if (!g_utf8_validate (authzid, -1, NULL))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The authorization identity is not valid UTF-8");
          return NULL;
        }
      escaped_authzid = escape_saslname (authzid);
    }

  if (get_variant (self)->plus)
    {
      const char *cbind_name = NULL;

      cbind_data = get_channel_binding (self, &cbind_name, error);
      if (cbind_data == NULL)
        return NULL;
      cbind_flag = g_strconcat ("p=", cbind_name, NULL);
    }
  else
    {
      cbind_flag = g_strdup ("n");
    }

  if (priv->nonce_for_testing != NULL)
    {
      if (!is_valid_nonce (priv->nonce_for_testing))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The client nonce set for testing is not valid");
          return NULL;
        }
      priv->client_nonce = g_strdup (priv->nonce_for_testing);
    }
  else
    {
      guint8 random[CLIENT_NONCE_RANDOM_BYTES];

      if (gnutls_rnd (GNUTLS_RND_NONCE, random, sizeof random) < 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                               "Could not generate a random SCRAM nonce");
          return NULL;
        }
      priv->client_nonce = g_base64_encode (random, sizeof random);
    }

  escaped_user = escape_saslname (prepared_user);
  priv->gs2_header = g_strdup_printf ("%s,%s%s,", cbind_flag,
                                      escaped_authzid != NULL ? "a=" : "",
                                      escaped_authzid != NULL ? escaped_authzid : "");
  priv->cbind_data = g_steal_pointer (&cbind_data);
  priv->client_first_bare = g_strdup_printf ("n=%s,r=%s", escaped_user, priv->client_nonce);
  priv->state = STATE_CLIENT_FIRST_SENT;

  message = g_strconcat (priv->gs2_header, priv->client_first_bare, NULL);
  return g_bytes_new_take (message, strlen (message));
}

static GBytes *
client_final (MissiveSaslScram  *self,
              GBytes            *challenge,
              GError           **error)
{
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);
  const MissiveSaslScramVariant *variant = get_variant (self);
  const char *password = missive_sasl_mechanism_get_password (MISSIVE_SASL_MECHANISM (self));
  g_autofree char *server_first = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree char *cbind_input = NULL;
  g_autofree char *without_proof = NULL;
  g_autofree char *auth_message = NULL;
  g_autofree char *proof_base64 = NULL;
  const char *nonce, *iteration_text;
  gsize salt_length, gs2_length, cbind_length = 0, cbind_input_length;
  const guint8 *cbind = NULL;
  guint64 iterations;
  guint8 salted[MAX_DIGEST_LENGTH];
  guint8 client_key[MAX_DIGEST_LENGTH];
  guint8 stored_key[MAX_DIGEST_LENGTH];
  guint8 client_signature[MAX_DIGEST_LENGTH];
  guint8 server_key[MAX_DIGEST_LENGTH];
  gsize n = variant->digest_length;
  char *prepared_password;
  char *message;

  server_first = challenge_to_string (challenge, error);
  if (server_first == NULL)
    return NULL;

  if (g_str_has_prefix (server_first, "e="))
    {
      g_autofree char *text = sanitize_server_text (server_first + 2);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                   "The server refused the %s authentication: %s", variant->name, text);
      return NULL;
    }
  if (g_str_has_prefix (server_first, "m="))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server requires a %s extension that is not supported",
                   variant->name);
      return NULL;
    }

  fields = g_strsplit (server_first, ",", -1);
  if (g_strv_length (fields) < 3 ||
      !g_str_has_prefix (fields[0], "r=") ||
      !g_str_has_prefix (fields[1], "s=") ||
      !g_str_has_prefix (fields[2], "i="))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server's first %s message is malformed", variant->name);
      return NULL;
    }

  nonce = fields[0] + 2;
  if (!is_valid_nonce (nonce))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server sent an invalid %s nonce", variant->name);
      return NULL;
    }
  if (!g_str_has_prefix (nonce, priv->client_nonce))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                   "The server's %s nonce does not extend the client's", variant->name);
      return NULL;
    }

  salt = decode_base64_strict (fields[1] + 2, &salt_length);
  if (salt == NULL || salt_length == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server sent an invalid %s salt", variant->name);
      return NULL;
    }

  iteration_text = fields[2] + 2;
  if (*iteration_text == '\0' ||
      strspn (iteration_text, "0123456789") != strlen (iteration_text) ||
      !g_ascii_string_to_unsigned (iteration_text, 10, 1, MAX_ITERATIONS, &iterations, NULL))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server sent an invalid or unreasonable %s iteration count",
                   variant->name);
      return NULL;
    }

  /* c= covers the gs2 header and, for -PLUS, the channel-binding data. */
  gs2_length = strlen (priv->gs2_header);
  if (priv->cbind_data != NULL)
    cbind = g_bytes_get_data (priv->cbind_data, &cbind_length);
  cbind_input_length = gs2_length + cbind_length;
  cbind_input = g_malloc (cbind_input_length);
  memcpy (cbind_input, priv->gs2_header, gs2_length);
  if (cbind_length > 0)
    memcpy (cbind_input + gs2_length, cbind, cbind_length);
  {
    g_autofree char *cbind_base64 = g_base64_encode ((const guint8 *) cbind_input,
                                                     cbind_input_length);

    without_proof = g_strdup_printf ("c=%s,r=%s", cbind_base64, nonce);
  }
  auth_message = g_strconcat (priv->client_first_bare, ",", server_first, ",",
                              without_proof, NULL);

  prepared_password = missive_saslprep (password != NULL ? password : "", "password", error);
  if (prepared_password == NULL)
    return NULL;
  salt_password (variant, prepared_password, salt, salt_length, (guint) iterations, salted);
  missive_sasl_secret_free (prepared_password);

  hmac (variant->hash, salted, n, "Client Key", 10, client_key, n);
  digest (variant->hash, client_key, n, stored_key, n);
  hmac (variant->hash, stored_key, n, auth_message, strlen (auth_message),
        client_signature, n);
  for (gsize i = 0; i < n; i++)
    client_key[i] ^= client_signature[i]; /* now the ClientProof */
  proof_base64 = g_base64_encode (client_key, n);

  hmac (variant->hash, salted, n, "Server Key", 10, server_key, n);
  hmac (variant->hash, server_key, n, auth_message, strlen (auth_message),
        priv->server_signature, n);

  missive_sasl_wipe (salted, sizeof salted);
  missive_sasl_wipe (client_key, sizeof client_key);
  missive_sasl_wipe (stored_key, sizeof stored_key);
  missive_sasl_wipe (client_signature, sizeof client_signature);
  missive_sasl_wipe (server_key, sizeof server_key);

  priv->state = STATE_CLIENT_FINAL_SENT;
  message = g_strconcat (without_proof, ",p=", proof_base64, NULL);
  return g_bytes_new_take (message, strlen (message));
}

static GBytes *
verify_server_final (MissiveSaslScram  *self,
                     GBytes            *challenge,
                     GError           **error)
{
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);
  const MissiveSaslScramVariant *variant = get_variant (self);
  g_autofree char *server_final = NULL;
  g_autofree guint8 *verifier = NULL;
  gsize verifier_length;
  char *comma;
  guint8 difference = 0;

  server_final = challenge_to_string (challenge, error);
  if (server_final == NULL)
    return NULL;

  if (g_str_has_prefix (server_final, "e="))
    {
      g_autofree char *text = sanitize_server_text (server_final + 2);

      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                   "The server refused the %s authentication: %s", variant->name, text);
      return NULL;
    }
  if (!g_str_has_prefix (server_final, "v="))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server's final %s message is malformed", variant->name);
      return NULL;
    }

  /* Extensions may follow the verifier. */
  comma = strchr (server_final, ',');
  if (comma != NULL)
    *comma = '\0';
  verifier = decode_base64_strict (server_final + 2, &verifier_length);
  if (verifier == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server sent an invalid %s verifier", variant->name);
      return NULL;
    }
  if (verifier_length != variant->digest_length)
    {
      difference = 1;
    }
  else
    {
      for (gsize i = 0; i < verifier_length; i++)
        difference |= verifier[i] ^ priv->server_signature[i];
    }
  if (difference != 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                   "The server could not prove that it knows the %s credentials",
                   variant->name);
      return NULL;
    }

  missive_sasl_mechanism_set_complete (MISSIVE_SASL_MECHANISM (self), TRUE);
  return g_bytes_new (NULL, 0);
}

/* ---- the class ---------------------------------------------------------- */

static const char *
missive_sasl_scram_get_name (MissiveSaslMechanism *mech)
{
  return get_variant (MISSIVE_SASL_SCRAM (mech))->name;
}

static int
missive_sasl_scram_get_strength (MissiveSaslMechanism *mech)
{
  return get_variant (MISSIVE_SASL_SCRAM (mech))->strength;
}

static MissiveSaslFlags
missive_sasl_scram_get_flags (MissiveSaslMechanism *mech)
{
  MissiveSaslFlags flags = MISSIVE_SASL_FLAG_CLIENT_FIRST |
                           MISSIVE_SASL_FLAG_NEEDS_PASSWORD |
                           MISSIVE_SASL_FLAG_MUTUAL;

  if (get_variant (MISSIVE_SASL_SCRAM (mech))->plus)
    flags |= MISSIVE_SASL_FLAG_CHANNEL_BINDING;
  return flags;
}

static GBytes *
missive_sasl_scram_step (MissiveSaslMechanism  *mech,
                         GBytes                *challenge,
                         GError               **error)
{
  MissiveSaslScram *self = MISSIVE_SASL_SCRAM (mech);
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);

  if (missive_sasl_mechanism_is_complete (mech))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The server sent a challenge after the %s exchange was complete",
                   get_variant (self)->name);
      return NULL;
    }

  switch (priv->state)
    {
    case STATE_START:
      /* An empty challenge asks for the initial response. */
      if (challenge != NULL && g_bytes_get_size (challenge) > 0)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "The server sent data before the client's first %s message",
                       get_variant (self)->name);
          return NULL;
        }
      return client_first (self, error);

    case STATE_CLIENT_FIRST_SENT:
      if (challenge == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "No server message for %s", get_variant (self)->name);
          return NULL;
        }
      return client_final (self, challenge, error);

    case STATE_CLIENT_FINAL_SENT:
      if (challenge == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                       "No server message for %s", get_variant (self)->name);
          return NULL;
        }
      return verify_server_final (self, challenge, error);

    default:
      g_assert_not_reached ();
    }
}

static void
missive_sasl_scram_reset (MissiveSaslMechanism *mech)
{
  clear_exchange (MISSIVE_SASL_SCRAM (mech));
}

static void
missive_sasl_scram_finalize (GObject *object)
{
  MissiveSaslScram *self = MISSIVE_SASL_SCRAM (object);
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);

  clear_exchange (self);
  g_clear_pointer (&priv->nonce_for_testing, g_free);

  G_OBJECT_CLASS (missive_sasl_scram_parent_class)->finalize (object);
}

static void
missive_sasl_scram_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MissiveSaslScram *self = MISSIVE_SASL_SCRAM (object);
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT_NONCE:
      g_value_set_string (value, priv->nonce_for_testing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_scram_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MissiveSaslScram *self = MISSIVE_SASL_SCRAM (object);
  MissiveSaslScramPrivate *priv = missive_sasl_scram_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT_NONCE:
      if (g_strcmp0 (priv->nonce_for_testing, g_value_get_string (value)) != 0)
        {
          g_free (priv->nonce_for_testing);
          priv->nonce_for_testing = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_scram_class_init (MissiveSaslScramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  object_class->finalize = missive_sasl_scram_finalize;
  object_class->get_property = missive_sasl_scram_get_property;
  object_class->set_property = missive_sasl_scram_set_property;

  mech_class->get_name = missive_sasl_scram_get_name;
  mech_class->get_strength = missive_sasl_scram_get_strength;
  mech_class->get_flags = missive_sasl_scram_get_flags;
  mech_class->step = missive_sasl_scram_step;
  mech_class->reset = missive_sasl_scram_reset;

  /**
   * MissiveSaslScram:client-nonce:
   *
   * For tests only: the client nonce to use instead of a random one, so
   * that the exchange can be checked against published examples. It must
   * be printable ASCII without ','. Never set it outside a test suite: a
   * fixed nonce allows replay attacks.
   */
  properties[PROP_CLIENT_NONCE] =
    g_param_spec_string ("client-nonce", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_sasl_scram_class_finalize (MissiveSaslScramClass *klass)
{
}

static void
missive_sasl_scram_init (MissiveSaslScram *self)
{
}

static void
variant_class_init (gpointer klass,
                    gpointer class_data)
{
  MISSIVE_SASL_SCRAM_CLASS (klass)->variant = class_data;
}

void
missive_sasl_scram_register (GIOModule *module)
{
  g_return_if_fail (G_IO_IS_MODULE (module));

  missive_plugin_ensure_extension_points ();
  missive_sasl_scram_register_type (G_TYPE_MODULE (module));

  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      const GTypeInfo info = {
        .class_size = sizeof (MissiveSaslScramClass),
        .class_init = variant_class_init,
        .class_data = &variants[i],
        .instance_size = sizeof (MissiveSaslScram),
      };
      GType type;

      type = g_type_module_register_type (G_TYPE_MODULE (module),
                                          MISSIVE_TYPE_SASL_SCRAM,
                                          variants[i].type_name,
                                          &info, G_TYPE_FLAG_FINAL);
      g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                      type, variants[i].name, variants[i].strength);
    }
}
