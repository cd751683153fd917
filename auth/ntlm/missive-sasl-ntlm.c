/* missive-sasl-ntlm.c: the NTLM SASL mechanism (MS-NLMP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/md5.h>

#include "missive-sasl-ntlm.h"

/* NTLM over IMAP/SMTP/POP3 AUTH: the client sends a NEGOTIATE message
 * (type 1), the server answers with a CHALLENGE message (type 2) and the
 * client finishes with an AUTHENTICATE message (type 3). The server proves
 * nothing, so the exchange is complete once the type 3 is computed.
 *
 * Which responses: NTLMv2 (MS-NLMP 3.3.2) whenever the CHALLENGE message
 * carries target information (the NTLMSSP_NEGOTIATE_TARGET_INFO flag and
 * its TargetInfo buffer), which every server that can do NTLMv2 sends.
 * A CHALLENGE without target information means the server only does
 * NTLMv1 (MS-NLMP 3.3.1): the exchange then fails with
 * MISSIVE_ERROR_MECHANISM_UNAVAILABLE unless the "allow-ntlmv1" property is
 * set, in which case NTLMv1 responses are sent: with extended session
 * security when the server set NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY
 * (we always ask for it), else the plain DES responses, where the LM
 * response is computed from the LM hash when the password has one (at most
 * 14 ASCII characters) and is a copy of the NT response otherwise (what
 * MS-NLMP calls NoLMResponseNTLMv1).
 *
 * The session base key is computed (and readable for tests) but no key is
 * exchanged (no signing or sealing) and no MIC is sent.
 *
 * The domain comes from a "DOMAIN\user" user name, else from the
 * "domain" property, else from a "user@domain" user name; otherwise it is
 * empty. */

#define NTLM_MAX_CHALLENGE    (64 * 1024)
#define NTLM_CHALLENGE_MIN    32
#define NTLM_TYPE1_FLAGS      0x00088207u
#define NTLM_TYPE3_HEADER     64

#define NTLMSSP_NEGOTIATE_UNICODE                  0x00000001u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO              0x00800000u

/* The longest password that has an LM hash. */
#define LM_PASSWORD_MAX 14

#define MSV_AV_EOL       0
#define MSV_AV_TIMESTAMP 7

/* Seconds between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_OFFSET G_GUINT64_CONSTANT (11644473600)

typedef enum {
  STATE_START,
  STATE_SENT_NEGOTIATE,
  STATE_DONE,
} NtlmState;

/**
 * MissiveSaslNtlm:
 *
 * The NTLM mechanism (MS-NLMP), provided by the `ntlm` plugin, for
 * Microsoft servers. It needs the [property@SaslMechanism:username] and
 * [property@SaslMechanism:password] properties and computes NTLMv2
 * responses. The user name may carry the domain as `DOMAIN\user` or
 * `user@domain`; the [property@SaslNtlm:domain] property sets it otherwise.
 *
 * A server whose CHALLENGE message has no target information only does
 * NTLMv1, which is weak: it is refused with
 * %MISSIVE_ERROR_MECHANISM_UNAVAILABLE unless
 * [property@SaslNtlm:allow-ntlmv1] is set.
 *
 * Since: 1.0
 */
struct _MissiveSaslNtlm
{
  MissiveSaslMechanism parent_instance;

  NtlmState state;
  char *domain;
  char *workstation;
  char *client_challenge; /* test hook: 16 hex digits, NULL: random */
  gint64 timestamp;       /* test hook: FILETIME, -1: now */
  gboolean allow_ntlmv1;
  gboolean have_session_base_key;
  guint8 session_base_key[16];
};

enum {
  PROP_0,
  PROP_DOMAIN,
  PROP_WORKSTATION,
  PROP_CLIENT_CHALLENGE,
  PROP_TIMESTAMP,
  PROP_ALLOW_NTLMV1,
  PROP_SESSION_BASE_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSaslNtlm, missive_sasl_ntlm,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_FINAL, {})

static const guint8 ntlm_signature[8] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };

/* ---- helpers ------------------------------------------------------------ */

static void
secret_array_free (GByteArray *array)
{
  if (array == NULL)
    return;
  missive_sasl_wipe (array->data, array->len);
  g_byte_array_unref (array);
}

typedef GByteArray GByteArray_secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GByteArray_secret, secret_array_free)

static guint16
read_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
         ((guint32) p[3] << 24);
}

static void
write_le16 (guint8  *p,
            guint16  value)
{
  p[0] = value & 0xff;
  p[1] = value >> 8;
}

static void
write_le32 (guint8  *p,
            guint32  value)
{
  for (int i = 0; i < 4; i++)
    p[i] = (value >> (8 * i)) & 0xff;
}

static gboolean
protocol_error (GError     **error,
                const char  *message)
{
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
               "Malformed NTLM challenge: %s", message);
  return FALSE;
}

/* UTF-16LE of a UTF-8 string, appended to @out. */
static gboolean
append_utf16le (GByteArray  *out,
                const char  *text,
                GError     **error)
{
  glong n_items = 0;
  gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, &n_items, NULL);

  if (utf16 == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "A credential for NTLM is not valid UTF-8");
      return FALSE;
    }
  for (glong i = 0; i < n_items; i++)
    {
      guint8 pair[2];

      write_le16 (pair, utf16[i]);
      g_byte_array_append (out, pair, 2);
    }
  missive_sasl_wipe (utf16, n_items * sizeof (gunichar2));
  g_free (utf16);
  return TRUE;
}

/* Encodes a string of the AUTHENTICATE message: UTF-16LE when Unicode was
 * negotiated, else OEM, which is only attempted for plain ASCII. */
static gboolean
append_string (GByteArray  *out,
               const char  *text,
               gboolean     unicode,
               GError     **error)
{
  if (unicode)
    return append_utf16le (out, text, error);
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The NTLM server does not accept Unicode and a "
                               "credential is not ASCII");
          return FALSE;
        }
    }
  g_byte_array_append (out, (const guint8 *) text, strlen (text));
  return TRUE;
}

static void
hmac_md5 (const guint8 *key,
          gsize         key_length,
          const guint8 *data1,
          gsize         length1,
          const guint8 *data2,
          gsize         length2,
          guint8        digest[16])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_MD5, key, key_length);
  gsize digest_length = 16;

  g_hmac_update (hmac, data1, length1);
  if (data2 != NULL)
    g_hmac_update (hmac, data2, length2);
  g_hmac_get_digest (hmac, digest, &digest_length);
  g_hmac_unref (hmac);
}

/* DES of one block with a 56-bit key (7 bytes), spread over the 8 bytes
 * DES takes: 7 key bits in the top of each byte, the low bit for parity. */
static void
des_56 (const guint8 key56[7],
        const guint8 data[DES_BLOCK_SIZE],
        guint8       out[DES_BLOCK_SIZE])
{
  guint8 key[DES_KEY_SIZE];
  struct des_ctx ctx;

  key[0] = key56[0];
  for (int i = 1; i < 7; i++)
    key[i] = (guint8) (key56[i - 1] << (8 - i)) | (key56[i] >> i);
  key[7] = (guint8) (key56[6] << 1);
  des_fix_parity (sizeof key, key, key);

  /* The keys come from hashes: a weak one cannot be avoided, and
   * des_set_key() sets the key up all the same. */
  (void) des_set_key (&ctx, key);
  des_encrypt (&ctx, DES_BLOCK_SIZE, out, data);
  missive_sasl_wipe (&ctx, sizeof ctx);
  missive_sasl_wipe (key, sizeof key);
}

/* DESL (MS-NLMP section 6): the 16-byte key padded with zeros to 21 bytes,
 * as three DES keys over the same 8 bytes. */
static void
desl (const guint8 key[16],
      const guint8 data[8],
      guint8       out[24])
{
  guint8 last[7] = { key[14], key[15], 0, 0, 0, 0, 0 };

  des_56 (key, data, out);
  des_56 (key + 7, data, out + 8);
  des_56 (last, data, out + 16);
  missive_sasl_wipe (last, sizeof last);
}

/* LMOWFv1 (MS-NLMP 3.3.1): the upper-cased password, null-padded to 14
 * bytes, as two DES keys over "KGS!@#$%". Only for passwords of at most 14
 * ASCII characters: longer ones have no LM hash, and the OEM code page of
 * other characters is unknown. */
static gboolean
lm_hash (const char *password,
         guint8      hash[16])
{
  static const guint8 magic[8] = { 'K', 'G', 'S', '!', '@', '#', '$', '%' };
  guint8 upper[LM_PASSWORD_MAX] = { 0 };
  gsize length = strlen (password);

  if (length > LM_PASSWORD_MAX)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if ((guchar) password[i] >= 0x80)
        {
          missive_sasl_wipe (upper, sizeof upper);
          return FALSE;
        }
      upper[i] = (guint8) g_ascii_toupper (password[i]);
    }
  des_56 (upper, magic, hash);
  des_56 (upper + 7, magic, hash + 8);
  missive_sasl_wipe (upper, sizeof upper);
  return TRUE;
}

/* ---- the CHALLENGE message ---------------------------------------------- */

typedef struct
{
  guint32 flags;
  guint8 server_challenge[8];
  gboolean have_target_info; /* FALSE: the server only does NTLMv1 */
  const guint8 *target_info; /* points into the challenge */
  gsize target_info_length;
  gboolean have_timestamp;
  guint8 timestamp[8];
} Challenge;

/* Reads the security buffer descriptor at @field and checks that the
 * buffer lies inside the message. */
static gboolean
read_buffer (const guint8  *data,
             gsize          length,
             gsize          field,
             const guint8 **buffer,
             gsize         *buffer_length,
             GError       **error)
{
  guint16 len = read_le16 (data + field);
  guint32 offset = read_le32 (data + field + 4);

  if ((guint64) offset > length || (guint64) len > length - (guint64) offset)
    return protocol_error (error, "a buffer lies outside the message");
  *buffer = data + offset;
  *buffer_length = len;
  return TRUE;
}

static gboolean
parse_target_info (Challenge  *challenge,
                   GError    **error)
{
  const guint8 *p = challenge->target_info;
  gsize left = challenge->target_info_length;

  /* Each pair is AvId (2), AvLen (2), value; the list ends with MsvAvEOL.
   * Every pair takes at least 4 bytes, so the loop is bounded by left. */
  while (TRUE)
    {
      guint16 id, len;

      if (left < 4)
        return protocol_error (error, "the target information is truncated");
      id = read_le16 (p);
      len = read_le16 (p + 2);
      p += 4;
      left -= 4;
      if (len > left)
        return protocol_error (error, "a target information entry is too long");
      if (id == MSV_AV_EOL)
        return TRUE;
      if (id == MSV_AV_TIMESTAMP)
        {
          if (len != 8)
            return protocol_error (error, "the timestamp has the wrong size");
          memcpy (challenge->timestamp, p, 8);
          challenge->have_timestamp = TRUE;
        }
      p += len;
      left -= len;
    }
}

static gboolean
parse_challenge (GBytes     *bytes,
                 Challenge  *challenge,
                 GError    **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  const guint8 *target_name;
  gsize target_name_length;

  memset (challenge, 0, sizeof *challenge);
  if (length > NTLM_MAX_CHALLENGE)
    return protocol_error (error, "it is too long");
  if (length < NTLM_CHALLENGE_MIN)
    return protocol_error (error, "it is too short");
  if (memcmp (data, ntlm_signature, sizeof ntlm_signature) != 0)
    return protocol_error (error, "the signature is wrong");
  if (read_le32 (data + 8) != 2)
    return protocol_error (error, "it is not a CHALLENGE message");

  if (!read_buffer (data, length, 12, &target_name, &target_name_length, error))
    return FALSE;
  challenge->flags = read_le32 (data + 20);
  memcpy (challenge->server_challenge, data + 24, 8);

  /* Old servers stop after the server challenge (32 bytes) or the reserved
   * field (40 bytes); without the target information (whose fields are
   * then not read) the server only does NTLMv1. */
  if (length < 48 || (challenge->flags & NTLMSSP_NEGOTIATE_TARGET_INFO) == 0)
    return TRUE;
  if (!read_buffer (data, length, 40, &challenge->target_info,
                    &challenge->target_info_length, error))
    return FALSE;
  challenge->have_target_info = TRUE;

  return parse_target_info (challenge, error);
}

/* ---- the exchange ------------------------------------------------------- */

static GBytes *
make_negotiate (void)
{
  guint8 message[32] = { 0 };

  memcpy (message, ntlm_signature, 8);
  write_le32 (message + 8, 1);
  write_le32 (message + 12, NTLM_TYPE1_FLAGS);
  /* Domain and workstation buffers stay empty (offset 0, length 0). */
  return g_bytes_new (message, sizeof message);
}

/* Splits the user name into user and domain (see the top of the file). */
static void
split_username (MissiveSaslNtlm  *self,
                const char       *username,
                char            **user,
                char            **domain)
{
  const char *backslash = strchr (username, '\\');
  const char *at = strrchr (username, '@');

  if (backslash != NULL)
    {
      *domain = g_strndup (username, backslash - username);
      *user = g_strdup (backslash + 1);
    }
  else if (self->domain != NULL)
    {
      *domain = g_strdup (self->domain);
      *user = g_strdup (username);
    }
  else if (at != NULL)
    {
      *user = g_strndup (username, at - username);
      *domain = g_strdup (at + 1);
    }
  else
    {
      *user = g_strdup (username);
      *domain = g_strdup ("");
    }
}

static gboolean
get_client_challenge (MissiveSaslNtlm  *self,
                      guint8            client_challenge[8],
                      GError          **error)
{
  if (self->client_challenge != NULL)
    {
      if (strlen (self->client_challenge) != 16)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The NTLM client challenge is not 16 hex digits");
          return FALSE;
        }
      for (int i = 0; i < 8; i++)
        {
          int high = g_ascii_xdigit_value (self->client_challenge[2 * i]);
          int low = high < 0 ? -1 : g_ascii_xdigit_value (self->client_challenge[2 * i + 1]);

          if (high < 0 || low < 0)
            {
              g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                   "The NTLM client challenge is not 16 hex digits");
              return FALSE;
            }
          client_challenge[i] = (guint8) (high << 4 | low);
        }
      return TRUE;
    }
  if (gnutls_rnd (GNUTLS_RND_NONCE, client_challenge, 8) < 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                           "Could not generate an NTLM client challenge");
      return FALSE;
    }
  return TRUE;
}

static void
put_buffer (GByteArray   *message,
            gsize         field,
            const guint8 *data,
            gsize         length)
{
  write_le16 (message->data + field, (guint16) length);
  write_le16 (message->data + field + 2, (guint16) length);
  write_le32 (message->data + field + 4, message->len);
  g_byte_array_append (message, data, length);
}

/* NTLMv2 (MS-NLMP 3.3.2): the LMv2 and NTLMv2 responses and the session
 * base key, from NTOWFv2 = HMAC-MD5(NT hash, UTF-16LE(UPPER(user) domain)). */
static gboolean
ntlmv2_responses (MissiveSaslNtlm  *self,
                  const Challenge  *challenge,
                  const guint8      nt_hash[16],
                  const char       *user,
                  const char       *domain,
                  const guint8      client_challenge[8],
                  GByteArray       *lm_response,
                  GByteArray       *nt_response,
                  guint8            session_base_key[16],
                  GError          **error)
{
  static const guint8 version[2] = { 1, 1 };
  static const guint8 zeros[8] = { 0 };
  g_autoptr(GByteArray_secret) identity = g_byte_array_new ();
  g_autofree char *user_upper = g_utf8_strup (user, -1);
  guint8 v2_hash[16], proof[16], lm[16], timestamp[8];

  if (!append_utf16le (identity, user_upper, error) ||
      !append_utf16le (identity, domain, error))
    return FALSE;
  hmac_md5 (nt_hash, 16, identity->data, identity->len, NULL, 0, v2_hash);

  /* The blob (the "temp" of MS-NLMP): 0x01 0x01, 6 zero bytes, the time,
   * the client challenge, 4 zero bytes, the target information, 4 zero
   * bytes. */
  if (challenge->have_timestamp)
    memcpy (timestamp, challenge->timestamp, 8);
  else
    {
      guint64 filetime;

      if (self->timestamp >= 0)
        filetime = (guint64) self->timestamp;
      else
        filetime = ((guint64) g_get_real_time () + FILETIME_UNIX_OFFSET * G_USEC_PER_SEC) * 10;
      for (int i = 0; i < 8; i++)
        timestamp[i] = (filetime >> (8 * i)) & 0xff;
    }

  /* NT response = NTProofStr + blob; the proof is filled in below. */
  g_byte_array_set_size (nt_response, 16);
  g_byte_array_append (nt_response, version, 2);
  g_byte_array_append (nt_response, zeros, 6);
  g_byte_array_append (nt_response, timestamp, 8);
  g_byte_array_append (nt_response, client_challenge, 8);
  g_byte_array_append (nt_response, zeros, 4);
  g_byte_array_append (nt_response, challenge->target_info, challenge->target_info_length);
  g_byte_array_append (nt_response, zeros, 4);
  hmac_md5 (v2_hash, sizeof v2_hash, challenge->server_challenge, 8,
            nt_response->data + 16, nt_response->len - 16, proof);
  memcpy (nt_response->data, proof, sizeof proof);

  hmac_md5 (v2_hash, sizeof v2_hash, proof, sizeof proof, NULL, 0, session_base_key);

  /* LMv2; replaced by zeros when the server sent a timestamp
   * (MS-NLMP section 3.1.5.1.2). */
  if (challenge->have_timestamp)
    {
      g_byte_array_set_size (lm_response, 24);
      memset (lm_response->data, 0, 24);
    }
  else
    {
      hmac_md5 (v2_hash, sizeof v2_hash, challenge->server_challenge, 8,
                client_challenge, 8, lm);
      g_byte_array_append (lm_response, lm, sizeof lm);
      g_byte_array_append (lm_response, client_challenge, 8);
    }

  missive_sasl_wipe (v2_hash, sizeof v2_hash);
  missive_sasl_wipe (proof, sizeof proof);
  missive_sasl_wipe (lm, sizeof lm);
  return TRUE;
}

/* NTLMv1 (MS-NLMP 3.3.1), only reached when allow-ntlmv1 is set: DESL of
 * the NT hash over the server challenge, or with extended session
 * security over the first half of MD5(server challenge, client challenge),
 * the LM response then being the client challenge and zeros. */
static void
ntlmv1_responses (const Challenge *challenge,
                  const guint8     nt_hash[16],
                  const char      *password,
                  const guint8     client_challenge[8],
                  GByteArray      *lm_response,
                  GByteArray      *nt_response,
                  guint8           session_base_key[16])
{
  guint8 nt[24], lm[24], hash[16];
  struct md4_ctx md4;

  if (challenge->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
    {
      static const guint8 zeros[16] = { 0 };
      guint8 digest[MD5_DIGEST_SIZE];
      struct md5_ctx md5;

      md5_init (&md5);
      md5_update (&md5, 8, challenge->server_challenge);
      md5_update (&md5, 8, client_challenge);
      md5_digest (&md5, sizeof digest, digest);
      desl (nt_hash, digest, nt);
      memcpy (lm, client_challenge, 8);
      memcpy (lm + 8, zeros, sizeof zeros);
    }
  else
    {
      desl (nt_hash, challenge->server_challenge, nt);
      if (lm_hash (password, hash))
        desl (hash, challenge->server_challenge, lm);
      else
        memcpy (lm, nt, sizeof lm);
    }
  g_byte_array_append (nt_response, nt, sizeof nt);
  g_byte_array_append (lm_response, lm, sizeof lm);

  /* SessionBaseKey = MD4(NTOWFv1), with or without extended security. */
  md4_init (&md4);
  md4_update (&md4, 16, nt_hash);
  md4_digest (&md4, 16, session_base_key);

  missive_sasl_wipe (&md4, sizeof md4);
  missive_sasl_wipe (nt, sizeof nt);
  missive_sasl_wipe (lm, sizeof lm);
  missive_sasl_wipe (hash, sizeof hash);
}

static GBytes *
make_authenticate (MissiveSaslNtlm  *self,
                   GBytes           *bytes,
                   GError          **error)
{
  MissiveSaslMechanism *mech = MISSIVE_SASL_MECHANISM (self);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *password = missive_sasl_mechanism_get_password (mech);
  g_autoptr(GByteArray_secret) pass16 = g_byte_array_new ();
  g_autoptr(GByteArray_secret) lm_response = g_byte_array_new ();
  g_autoptr(GByteArray_secret) nt_response = g_byte_array_new ();
  g_autoptr(GByteArray_secret) message = g_byte_array_new ();
  g_autoptr(GByteArray) domain16 = g_byte_array_new ();
  g_autoptr(GByteArray) user16 = g_byte_array_new ();
  g_autoptr(GByteArray) workstation16 = g_byte_array_new ();
  g_autofree char *user = NULL;
  g_autofree char *domain = NULL;
  guint8 nt_hash[16], session_base_key[16], client_challenge[8];
  guint8 header[NTLM_TYPE3_HEADER] = { 0 };
  struct md4_ctx md4;
  Challenge challenge;
  gboolean unicode;
  guint32 flags;

  if (username == NULL || *username == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No username for NTLM authentication");
      return NULL;
    }
  if (password == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No password for NTLM authentication");
      return NULL;
    }
  if (!parse_challenge (bytes, &challenge, error))
    return NULL;
  if (!challenge.have_target_info && !self->allow_ntlmv1)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE,
                           "Refusing NTLMv1: the NTLM server sent no target "
                           "information, so it only does the weak NTLMv1 "
                           "(set allow-ntlmv1 on the NTLM mechanism to permit it)");
      return NULL;
    }
  if (!get_client_challenge (self, client_challenge, error))
    return NULL;

  split_username (self, username, &user, &domain);
  if (!g_utf8_validate (user, -1, NULL) || !g_utf8_validate (domain, -1, NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The NTLM user name or domain is not valid UTF-8");
      return NULL;
    }

  /* NT hash (NTOWFv1) = MD4(UTF-16LE(password)). */
  if (!append_utf16le (pass16, password, error))
    return NULL;
  md4_init (&md4);
  md4_update (&md4, pass16->len, pass16->data);
  md4_digest (&md4, sizeof nt_hash, nt_hash);
  missive_sasl_wipe (&md4, sizeof md4);

  if (challenge.have_target_info)
    {
      if (!ntlmv2_responses (self, &challenge, nt_hash, user, domain, client_challenge,
                             lm_response, nt_response, session_base_key, error))
        {
          missive_sasl_wipe (nt_hash, sizeof nt_hash);
          return NULL;
        }
    }
  else
    ntlmv1_responses (&challenge, nt_hash, password, client_challenge,
                      lm_response, nt_response, session_base_key);
  missive_sasl_wipe (nt_hash, sizeof nt_hash);

  unicode = (challenge.flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
  flags = (challenge.flags & NTLM_TYPE1_FLAGS & ~0x3u) | (unicode ? 0x1u : 0x2u);
  if (!append_string (domain16, domain, unicode, error) ||
      !append_string (user16, user, unicode, error) ||
      !append_string (workstation16, self->workstation != NULL ? self->workstation : "",
                      unicode, error))
    {
      missive_sasl_wipe (session_base_key, sizeof session_base_key);
      return NULL;
    }
  if (nt_response->len > G_MAXUINT16 || domain16->len > G_MAXUINT16 ||
      user16->len > G_MAXUINT16 || workstation16->len > G_MAXUINT16)
    {
      missive_sasl_wipe (session_base_key, sizeof session_base_key);
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The NTLM response would be too large");
      return NULL;
    }

  memcpy (header, ntlm_signature, 8);
  write_le32 (header + 8, 3);
  write_le32 (header + 60, flags);
  g_byte_array_append (message, header, sizeof header);
  put_buffer (message, 12, lm_response->data, lm_response->len);
  put_buffer (message, 20, nt_response->data, nt_response->len);
  put_buffer (message, 28, domain16->data, domain16->len);
  put_buffer (message, 36, user16->data, user16->len);
  put_buffer (message, 44, workstation16->data, workstation16->len);
  put_buffer (message, 52, NULL, 0);

  memcpy (self->session_base_key, session_base_key, sizeof session_base_key);
  missive_sasl_wipe (session_base_key, sizeof session_base_key);
  self->have_session_base_key = TRUE;
  self->state = STATE_DONE;
  missive_sasl_mechanism_set_complete (mech, TRUE);
  {
    gsize length = message->len;

    return missive_sasl_secret_bytes_new_take (g_byte_array_free (g_steal_pointer (&message), FALSE),
                                               length);
  }
}

static const char *
missive_sasl_ntlm_get_name (MissiveSaslMechanism *mech)
{
  return "NTLM";
}

static int
missive_sasl_ntlm_get_strength (MissiveSaslMechanism *mech)
{
  return 25;
}

static MissiveSaslFlags
missive_sasl_ntlm_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_PASSWORD;
}

static GBytes *
missive_sasl_ntlm_step (MissiveSaslMechanism  *mech,
                        GBytes                *challenge,
                        GError               **error)
{
  MissiveSaslNtlm *self = MISSIVE_SASL_NTLM (mech);

  switch (self->state)
    {
    case STATE_START:
      if (challenge != NULL && g_bytes_get_size (challenge) != 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                               "The NTLM server sent data before the "
                               "NEGOTIATE message");
          return NULL;
        }
      self->state = STATE_SENT_NEGOTIATE;
      return make_negotiate ();
    case STATE_SENT_NEGOTIATE:
      if (challenge == NULL)
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                               "NTLM needs a CHALLENGE message");
          return NULL;
        }
      return make_authenticate (self, challenge, error);
    case STATE_DONE:
    default:
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a challenge after the NTLM "
                           "exchange was over");
      return NULL;
    }
}

static void
clear_session_base_key (MissiveSaslNtlm *self)
{
  missive_sasl_wipe (self->session_base_key, sizeof self->session_base_key);
  self->have_session_base_key = FALSE;
}

static void
missive_sasl_ntlm_reset (MissiveSaslMechanism *mech)
{
  MissiveSaslNtlm *self = MISSIVE_SASL_NTLM (mech);

  self->state = STATE_START;
  clear_session_base_key (self);

  MISSIVE_SASL_MECHANISM_CLASS (missive_sasl_ntlm_parent_class)->reset (mech);
}

static void
missive_sasl_ntlm_finalize (GObject *object)
{
  MissiveSaslNtlm *self = MISSIVE_SASL_NTLM (object);

  g_free (self->domain);
  g_free (self->workstation);
  g_free (self->client_challenge);
  clear_session_base_key (self);

  G_OBJECT_CLASS (missive_sasl_ntlm_parent_class)->finalize (object);
}

static void
missive_sasl_ntlm_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MissiveSaslNtlm *self = MISSIVE_SASL_NTLM (object);

  switch (prop_id)
    {
    case PROP_DOMAIN:
      g_value_set_string (value, self->domain);
      break;
    case PROP_WORKSTATION:
      g_value_set_string (value, self->workstation);
      break;
    case PROP_CLIENT_CHALLENGE:
      g_value_set_string (value, self->client_challenge);
      break;
    case PROP_TIMESTAMP:
      g_value_set_int64 (value, self->timestamp);
      break;
    case PROP_ALLOW_NTLMV1:
      g_value_set_boolean (value, self->allow_ntlmv1);
      break;
    case PROP_SESSION_BASE_KEY:
      if (self->have_session_base_key)
        g_value_take_boxed (value,
                            missive_sasl_secret_bytes_new_take (g_memdup2 (self->session_base_key,
                                                                           sizeof self->session_base_key),
                                                                sizeof self->session_base_key));
      else
        g_value_set_boxed (value, NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (GObject      *object,
            char        **field,
            const GValue *value,
            GParamSpec   *pspec)
{
  if (g_strcmp0 (*field, g_value_get_string (value)) == 0)
    return;
  g_free (*field);
  *field = g_value_dup_string (value);
  g_object_notify_by_pspec (object, pspec);
}

static void
missive_sasl_ntlm_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MissiveSaslNtlm *self = MISSIVE_SASL_NTLM (object);

  switch (prop_id)
    {
    case PROP_DOMAIN:
      set_string (object, &self->domain, value, pspec);
      break;
    case PROP_WORKSTATION:
      set_string (object, &self->workstation, value, pspec);
      break;
    case PROP_CLIENT_CHALLENGE:
      set_string (object, &self->client_challenge, value, pspec);
      break;
    case PROP_TIMESTAMP:
      if (self->timestamp != g_value_get_int64 (value))
        {
          self->timestamp = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ALLOW_NTLMV1:
      if (self->allow_ntlmv1 != g_value_get_boolean (value))
        {
          self->allow_ntlmv1 = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_sasl_ntlm_class_init (MissiveSaslNtlmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  object_class->finalize = missive_sasl_ntlm_finalize;
  object_class->get_property = missive_sasl_ntlm_get_property;
  object_class->set_property = missive_sasl_ntlm_set_property;

  mech_class->get_name = missive_sasl_ntlm_get_name;
  mech_class->get_strength = missive_sasl_ntlm_get_strength;
  mech_class->get_flags = missive_sasl_ntlm_get_flags;
  mech_class->step = missive_sasl_ntlm_step;
  mech_class->reset = missive_sasl_ntlm_reset;

  /**
   * MissiveSaslNtlm:domain:
   *
   * The NT domain of the user, when the user name does not hold it
   * (`DOMAIN\user` in the user name takes precedence).
   *
   * Since: 1.0
   */
  properties[PROP_DOMAIN] =
    g_param_spec_string ("domain", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslNtlm:workstation:
   *
   * The workstation name sent in the AUTHENTICATE message; empty by
   * default.
   *
   * Since: 1.0
   */
  properties[PROP_WORKSTATION] =
    g_param_spec_string ("workstation", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslNtlm:client-challenge:
   *
   * For tests only: the 8-byte client challenge as 16 hexadecimal digits,
   * instead of a random one. Never set it otherwise.
   *
   * Since: 1.0
   */
  properties[PROP_CLIENT_CHALLENGE] =
    g_param_spec_string ("client-challenge", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslNtlm:timestamp:
   *
   * For tests only: the time put in the NTLMv2 blob, as a Windows FILETIME
   * (100 ns units since 1601), when the server sends none; -1 means the
   * current time.
   *
   * Since: 1.0
   */
  properties[PROP_TIMESTAMP] =
    g_param_spec_int64 ("timestamp", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                        G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslNtlm:allow-ntlmv1:
   *
   * Whether to answer with NTLMv1 when the server only does NTLMv1 (its
   * CHALLENGE message has no target information). NTLMv1 is weak: its DES
   * responses give away the password's NT hash to anyone who records the
   * exchange (and, without extended session security, its LM hash too, when
   * the password has one). Set it only for legacy servers that cannot do
   * NTLMv2. When it is %FALSE, such a server makes the exchange fail with
   * %MISSIVE_ERROR_MECHANISM_UNAVAILABLE. Servers that send target
   * information always get NTLMv2 responses, whatever this says.
   *
   * Since: 1.0
   */
  properties[PROP_ALLOW_NTLMV1] =
    g_param_spec_boolean ("allow-ntlmv1", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveSaslNtlm:session-base-key:
   *
   * For tests only: the 16-byte session base key of the last exchange
   * (MS-NLMP section 3.3), or %NULL before the AUTHENTICATE message is
   * computed and after a reset. No key is exchanged with the server.
   *
   * Since: 1.0
   */
  properties[PROP_SESSION_BASE_KEY] =
    g_param_spec_boxed ("session-base-key", NULL, NULL,
                        G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_sasl_ntlm_class_finalize (MissiveSaslNtlmClass *klass)
{
}

static void
missive_sasl_ntlm_init (MissiveSaslNtlm *self)
{
  self->state = STATE_START;
  self->timestamp = -1;
}

void
missive_sasl_ntlm_register (GIOModule *module)
{
  missive_plugin_ensure_extension_points ();

  missive_sasl_ntlm_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SASL_NTLM, "NTLM", 25);
}
