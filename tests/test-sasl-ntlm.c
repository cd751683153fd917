/* test-sasl-ntlm.c: tests of the NTLM plugin (MS-NLMP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>
#include <missive/missive-plugin.h>

#include "test-utils.h"

/* MS-NLMP section 4.2.4 (NTLMv2 authentication). */
static const guint8 spec_server_challenge[8] = {
  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
};
static const guint8 spec_target_info[] = {
  0x02, 0x00, 0x0c, 0x00, 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0,
  0x01, 0x00, 0x0c, 0x00, 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0, 'r', 0,
  0x00, 0x00, 0x00, 0x00,
};
static const guint8 spec_nt_proof[16] = {
  0x68, 0xcd, 0x0a, 0xb8, 0x51, 0xe5, 0x1c, 0x96,
  0xaa, 0xbc, 0x92, 0x7b, 0xeb, 0xef, 0x6a, 0x1c,
};
static const guint8 spec_lmv2[24] = {
  0x86, 0xc3, 0x50, 0x97, 0xac, 0x9c, 0xec, 0x10,
  0x25, 0x54, 0x76, 0x4a, 0x57, 0xcc, 0xcc, 0x19,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
};
/* 4.2.4.1.1 NTOWFv2 (also LMOWFv2) and 4.2.4.1.2 the session base key. */
static const guint8 spec_ntowfv2[16] = {
  0x0c, 0x86, 0x8a, 0x40, 0x3b, 0xfd, 0x7a, 0x93,
  0xa3, 0x00, 0x1e, 0xf2, 0x2e, 0xf0, 0x2e, 0x3f,
};
static const guint8 spec_v2_session_base_key[16] = {
  0x8d, 0xe4, 0x0c, 0xca, 0xdb, 0xc1, 0x4a, 0x82,
  0xf1, 0x5c, 0xb0, 0xad, 0x0d, 0xe9, 0x5c, 0xa3,
};
#define SPEC_FLAGS 0xe28a8233u

/* MS-NLMP section 4.2.2 (NTLMv1) and 4.2.3 (NTLMv1 with extended session
 * security): the same user, password and challenges, no target info. */
#define SPEC_V1_FLAGS     0xe2028233u
#define SPEC_V1_ESS_FLAGS 0x820a8233u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO              0x00800000u
/* 4.2.2.1.3: the session base key, MD4(NTOWFv1), also that of 4.2.3. */
static const guint8 spec_v1_session_base_key[16] = {
  0xd8, 0x72, 0x62, 0xb0, 0xcd, 0xe4, 0xb1, 0xcb,
  0x74, 0x99, 0xbe, 0xcc, 0xcd, 0xf1, 0x07, 0x84,
};
/* 4.2.2.2.1 NTLMv1 response and 4.2.2.2.2 LMv1 response. */
static const guint8 spec_v1_nt[24] = {
  0x67, 0xc4, 0x30, 0x11, 0xf3, 0x02, 0x98, 0xa2,
  0xad, 0x35, 0xec, 0xe6, 0x4f, 0x16, 0x33, 0x1c,
  0x44, 0xbd, 0xbe, 0xd9, 0x27, 0x84, 0x1f, 0x94,
};
static const guint8 spec_v1_lm[24] = {
  0x98, 0xde, 0xf7, 0xb8, 0x7f, 0x88, 0xaa, 0x5d,
  0xaf, 0xe2, 0xdf, 0x77, 0x96, 0x88, 0xa1, 0x72,
  0xde, 0xf1, 0x1c, 0x7d, 0x5c, 0xcd, 0xef, 0x13,
};
/* 4.2.3.2.1 LMv1 response and 4.2.3.2.2 NTLMv1 response. */
static const guint8 spec_v1_ess_lm[24] = {
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
};
static const guint8 spec_v1_ess_nt[24] = {
  0x75, 0x37, 0xf8, 0x03, 0xae, 0x36, 0x71, 0x28,
  0xca, 0x45, 0x82, 0x04, 0xbd, 0xe7, 0xca, 0xf8,
  0x1e, 0x97, 0xed, 0x26, 0x83, 0x26, 0x72, 0x32,
};

static void
put_le16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put_le32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

static guint16
get_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
get_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
         ((guint32) p[3] << 24);
}

/* A CHALLENGE message: the 48-byte header with @flags and the target
 * name "Server" (UTF-16LE), and @target_info after it; with no target
 * info its descriptor stays zero. */
static GByteArray *
build_challenge_full (guint32       flags,
                      const guint8 *target_info,
                      gsize         target_info_length)
{
  GByteArray *message = g_byte_array_new ();
  guint8 header[48] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };
  static const guint8 name[] = { 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0, 'r', 0 };

  put_le32 (header + 8, 2);
  put_le16 (header + 12, sizeof name);
  put_le16 (header + 14, sizeof name);
  put_le32 (header + 16, 48);
  put_le32 (header + 20, flags);
  memcpy (header + 24, spec_server_challenge, 8);
  if (target_info != NULL)
    {
      put_le16 (header + 40, target_info_length);
      put_le16 (header + 42, target_info_length);
      put_le32 (header + 44, 48 + sizeof name);
    }
  g_byte_array_append (message, header, sizeof header);
  g_byte_array_append (message, name, sizeof name);
  if (target_info != NULL)
    g_byte_array_append (message, target_info, target_info_length);
  return message;
}

static GByteArray *
build_challenge (const guint8 *target_info,
                 gsize         target_info_length)
{
  return build_challenge_full (SPEC_FLAGS, target_info, target_info_length);
}

static MissiveSaslMechanism *
new_mechanism (const char *username)
{
  g_autoptr(GError) error = NULL;
  MissiveSaslMechanism *mech;

  mech = missive_engine_create_sasl_mechanism (missive_engine_get_default (),
                                               "NTLM", &error);
  g_assert_no_error (error);
  g_assert_nonnull (mech);
  missive_sasl_mechanism_set_username (mech, username);
  missive_sasl_mechanism_set_password (mech, "Password");
  g_object_set (mech,
                "client-challenge", "aaaaaaaaaaaaaaaa",
                "timestamp", (gint64) 0,
                NULL);
  return mech;
}

/* Runs the exchange up to the AUTHENTICATE message. */
static GBytes *
run (MissiveSaslMechanism  *mech,
     GByteArray            *challenge,
     GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) negotiate = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (challenge->data, challenge->len);

  negotiate = missive_sasl_mechanism_step (mech, NULL, &local_error);
  g_assert_no_error (local_error);
  g_assert_nonnull (negotiate);
  return missive_sasl_mechanism_step (mech, bytes, error);
}

/* Returns the payload of the security buffer at @field of @message. */
static GBytes *
get_field (GBytes *message,
           gsize   field)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (message, &length);
  guint16 len = get_le16 (data + field);
  guint32 offset = get_le32 (data + field + 4);

  g_assert_cmpuint (get_le16 (data + field + 2), ==, len);
  g_assert_cmpuint ((guint64) offset + len, <=, length);
  return g_bytes_new (data + offset, len);
}

static void
assert_field (GBytes       *message,
              gsize         field,
              const guint8 *expected,
              gsize         expected_length)
{
  g_autoptr(GBytes) value = get_field (message, field);

  g_assert_cmpmem (g_bytes_get_data (value, NULL), g_bytes_get_size (value),
                   expected, expected_length);
}

static void
assert_session_base_key (MissiveSaslMechanism *mech,
                         const guint8         *expected)
{
  g_autoptr(GBytes) key = NULL;

  g_object_get (mech, "session-base-key", &key, NULL);
  g_assert_nonnull (key);
  g_assert_cmpmem (g_bytes_get_data (key, NULL), g_bytes_get_size (key), expected, 16);
}

static void
hmac_md5 (const guint8 *key,
          const guint8 *data1,
          gsize         length1,
          const guint8 *data2,
          gsize         length2,
          guint8        digest[16])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_MD5, key, 16);
  gsize digest_length = 16;

  g_hmac_update (hmac, data1, length1);
  g_hmac_update (hmac, data2, length2);
  g_hmac_get_digest (hmac, digest, &digest_length);
}

static void
test_negotiate (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("User");
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ("User");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) negotiate = NULL;
  g_autoptr(GBytes) negotiate2 = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  static const guint8 expected[32] = {
    'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0,
    0x07, 0x82, 0x08, 0x00,
  };

  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, "NTLM");
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 25);
  g_assert_cmpint (missive_sasl_mechanism_get_flags (mech), ==,
                   MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_PASSWORD);

  negotiate = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (negotiate, NULL), g_bytes_get_size (negotiate),
                   expected, sizeof expected);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  /* Without an initial response the server sends an empty challenge. */
  negotiate2 = missive_sasl_mechanism_step (mech2, empty, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (negotiate, negotiate2));
}

static void
test_spec_vectors (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
  g_autoptr(GByteArray) challenge = build_challenge (spec_target_info, sizeof spec_target_info);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) authenticate = NULL;
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  static const guint8 blob_start[16] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 client[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
  static const guint8 zeros[4] = { 0 };
  static const guint8 domain16[] = { 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0 };
  static const guint8 user16[] = { 'U', 0, 's', 0, 'e', 0, 'r', 0 };
  static const guint8 workstation16[] = { 'C', 0, 'O', 0, 'M', 0, 'P', 0,
                                          'U', 0, 'T', 0, 'E', 0, 'R', 0 };
  const guint8 *data;
  gsize length;

  g_object_set (mech, "workstation", "COMPUTER", NULL);
  authenticate = run (mech, challenge, &error);
  g_assert_no_error (error);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  data = g_bytes_get_data (authenticate, &length);
  g_assert_cmpuint (length, >=, 64);
  g_assert_cmpmem (data, 8, "NTLMSSP", 8);
  g_assert_cmpuint (get_le32 (data + 8), ==, 3);
  g_assert_cmpuint (get_le32 (data + 60) & 0x3, ==, 0x1);

  assert_field (authenticate, 12, spec_lmv2, sizeof spec_lmv2);

  g_byte_array_append (blob, spec_nt_proof, sizeof spec_nt_proof);
  g_byte_array_append (blob, blob_start, sizeof blob_start);
  g_byte_array_append (blob, client, sizeof client);
  g_byte_array_append (blob, zeros, sizeof zeros);
  g_byte_array_append (blob, spec_target_info, sizeof spec_target_info);
  g_byte_array_append (blob, zeros, sizeof zeros);
  assert_field (authenticate, 20, blob->data, blob->len);

  assert_field (authenticate, 28, domain16, sizeof domain16);
  assert_field (authenticate, 36, user16, sizeof user16);
  assert_field (authenticate, 44, workstation16, sizeof workstation16);
  assert_field (authenticate, 52, NULL, 0);

  /* 4.2.4.1.2: the session base key, HMAC-MD5(NTOWFv2, NTProofStr). */
  assert_session_base_key (mech, spec_v2_session_base_key);

  /* 4.2.4.1.1: the published NTOWFv2 gives the NTProofStr (over the
   * server challenge and the temp the mechanism sent), the LMv2 response
   * and the session base key the mechanism computed. The mechanism keeps
   * its NTOWFv2 to itself; these HMAC-MD5 relations pin it down. */
  {
    g_autoptr(GBytes) nt = get_field (authenticate, 20);
    const guint8 *nt_data = g_bytes_get_data (nt, NULL);
    guint8 digest[16];

    hmac_md5 (spec_ntowfv2, spec_server_challenge, 8,
              nt_data + 16, g_bytes_get_size (nt) - 16, digest);
    g_assert_cmpmem (digest, 16, spec_nt_proof, 16);
    hmac_md5 (spec_ntowfv2, spec_server_challenge, 8, client, 8, digest);
    g_assert_cmpmem (digest, 16, spec_lmv2, 16);
    hmac_md5 (spec_ntowfv2, spec_nt_proof, 16, NULL, 0, digest);
    g_assert_cmpmem (digest, 16, spec_v2_session_base_key, 16);
  }

  /* A reset forgets the key. */
  {
    g_autoptr(GBytes) key = NULL;

    missive_sasl_mechanism_reset (mech);
    g_object_get (mech, "session-base-key", &key, NULL);
    g_assert_null (key);
    g_clear_pointer (&authenticate, g_bytes_unref);
    authenticate = run (mech, challenge, &error);
    g_assert_no_error (error);
    assert_field (authenticate, 12, spec_lmv2, sizeof spec_lmv2);
    assert_session_base_key (mech, spec_v2_session_base_key);
  }

  /* Extra step. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (challenge->data, challenge->len);
    g_autoptr(GBytes) extra = missive_sasl_mechanism_step (mech, bytes, &error);

    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
    g_assert_null (extra);
  }
}

/* allow-ntlmv1 changes nothing for a server that does NTLMv2. */
static void
test_v2_despite_allow_v1 (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
  g_autoptr(GByteArray) challenge = build_challenge (spec_target_info, sizeof spec_target_info);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) authenticate = NULL;
  g_autoptr(GBytes) nt = NULL;

  g_object_set (mech, "allow-ntlmv1", TRUE, NULL);
  authenticate = run (mech, challenge, &error);
  g_assert_no_error (error);
  assert_field (authenticate, 12, spec_lmv2, sizeof spec_lmv2);
  nt = get_field (authenticate, 20);
  g_assert_cmpuint (g_bytes_get_size (nt), >, 24);
  g_assert_cmpmem (g_bytes_get_data (nt, NULL), 16, spec_nt_proof, 16);
  assert_session_base_key (mech, spec_v2_session_base_key);
}

/* Runs the NTLMv1 exchange of MS-NLMP 4.2.2 or 4.2.3 (by @flags) and
 * checks the published responses and session base key. */
static void
check_v1_vectors (guint32       flags,
                  const guint8 *expected_lm,
                  const guint8 *expected_nt)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
  g_autoptr(GByteArray) challenge = build_challenge_full (flags, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) authenticate = NULL;
  static const guint8 domain16[] = { 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0 };
  static const guint8 user16[] = { 'U', 0, 's', 0, 'e', 0, 'r', 0 };
  static const guint8 workstation16[] = { 'C', 0, 'O', 0, 'M', 0, 'P', 0,
                                          'U', 0, 'T', 0, 'E', 0, 'R', 0 };
  const guint8 *data;
  gboolean allow = FALSE;
  gsize length;

  g_object_get (mech, "allow-ntlmv1", &allow, NULL);
  g_assert_false (allow);
  g_object_set (mech, "allow-ntlmv1", TRUE, "workstation", "COMPUTER", NULL);
  authenticate = run (mech, challenge, &error);
  g_assert_no_error (error);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  data = g_bytes_get_data (authenticate, &length);
  g_assert_cmpuint (length, >=, 64);
  g_assert_cmpmem (data, 8, "NTLMSSP", 8);
  g_assert_cmpuint (get_le32 (data + 8), ==, 3);
  g_assert_cmpuint (get_le32 (data + 60) & 0x3, ==, 0x1);
  g_assert_cmpuint (get_le32 (data + 60) & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, ==,
                    flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);

  assert_field (authenticate, 12, expected_lm, 24);
  assert_field (authenticate, 20, expected_nt, 24);
  assert_field (authenticate, 28, domain16, sizeof domain16);
  assert_field (authenticate, 36, user16, sizeof user16);
  assert_field (authenticate, 44, workstation16, sizeof workstation16);
  assert_field (authenticate, 52, NULL, 0);
  /* 4.2.2.1.3 (NTOWFv1 a4f49c40... enters the responses above and the
   * key only through MD4 and DES, so these values pin it down). */
  assert_session_base_key (mech, spec_v1_session_base_key);
}

static void
test_v1_vectors (void)
{
  check_v1_vectors (SPEC_V1_FLAGS, spec_v1_lm, spec_v1_nt);
}

static void
test_v1_ess_vectors (void)
{
  check_v1_vectors (SPEC_V1_ESS_FLAGS, spec_v1_ess_lm, spec_v1_ess_nt);
}

/* A password without an LM hash (over 14 characters, or not ASCII): the
 * LM response repeats the NT response. A 14-character one still has an
 * LM response of its own. */
static void
test_v1_no_lm_hash (void)
{
  const char * const passwords[] = { "Password-longer-than-14", "Pässword", "Password123456" };
  g_autoptr(GByteArray) challenge = build_challenge_full (SPEC_V1_FLAGS, NULL, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) authenticate = NULL;
      g_autoptr(GBytes) lm = NULL;
      g_autoptr(GBytes) nt = NULL;

      missive_sasl_mechanism_set_password (mech, passwords[i]);
      g_object_set (mech, "allow-ntlmv1", TRUE, NULL);
      authenticate = run (mech, challenge, &error);
      g_assert_no_error (error);
      lm = get_field (authenticate, 12);
      nt = get_field (authenticate, 20);
      g_assert_cmpuint (g_bytes_get_size (nt), ==, 24);
      if (i < 2)
        g_assert_true (g_bytes_equal (lm, nt));
      else
        g_assert_false (g_bytes_equal (lm, nt));
    }
}

/* By default a server that only does NTLMv1 is refused, however short its
 * CHALLENGE (old servers stop after the server challenge). */
static void
test_v1_refused (void)
{
  g_autoptr(GByteArray) full = build_challenge_full (SPEC_V1_FLAGS, NULL, 0);
  g_autoptr(GByteArray) ess = build_challenge_full (SPEC_V1_ESS_FLAGS, NULL, 0);
  g_autoptr(GByteArray) old = build_challenge_full (SPEC_V1_FLAGS, NULL, 0);
  /* Target info present but the flag that announces it missing. */
  g_autoptr(GByteArray) unflagged = build_challenge_full (SPEC_FLAGS & ~NTLMSSP_NEGOTIATE_TARGET_INFO,
                                                          spec_target_info,
                                                          sizeof spec_target_info);
  GByteArray *challenges[] = { full, ess, old, unflagged };

  /* 32 bytes: no reserved field, no target info descriptor; the target
   * name is dropped too. */
  g_byte_array_set_size (old, 32);
  put_le16 (old->data + 12, 0);
  put_le16 (old->data + 14, 0);
  put_le32 (old->data + 16, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (challenges); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
      g_autoptr(MissiveSaslMechanism) allowed = new_mechanism ("Domain\\User");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GBytes) nt = NULL;
      g_autoptr(GBytes) key = NULL;

      g_test_message ("challenge %" G_GSIZE_FORMAT, i);
      response = run (mech, challenges[i], &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "NTLMv1"));
      g_assert_nonnull (strstr (error->message, "allow-ntlmv1"));
      g_assert_null (response);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
      g_object_get (mech, "session-base-key", &key, NULL);
      g_assert_null (key);
      g_clear_error (&error);

      g_object_set (allowed, "allow-ntlmv1", TRUE, NULL);
      response = run (allowed, challenges[i], &error);
      g_assert_no_error (error);
      nt = get_field (response, 20);
      g_assert_cmpuint (g_bytes_get_size (nt), ==, 24);
      if (get_le32 (challenges[i]->data + 20) & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        g_assert_cmpmem (g_bytes_get_data (nt, NULL), 24, spec_v1_ess_nt, 24);
      else
        g_assert_cmpmem (g_bytes_get_data (nt, NULL), 24, spec_v1_nt, 24);
    }
}

/* The three ways to give the domain compute the same response. */
static void
test_domain_forms (void)
{
  const char * const usernames[] = { "Domain\\User", "User", "User@Domain" };
  g_autoptr(GBytes) first_nt = NULL;
  g_autoptr(GByteArray) challenge = build_challenge (spec_target_info, sizeof spec_target_info);

  for (gsize i = 0; i < G_N_ELEMENTS (usernames); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism (usernames[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) authenticate = NULL;
      g_autoptr(GBytes) nt = NULL;

      if (i == 1)
        g_object_set (mech, "domain", "Domain", NULL);
      authenticate = run (mech, challenge, &error);
      g_assert_no_error (error);
      nt = get_field (authenticate, 20);
      g_assert_cmpmem (g_bytes_get_data (nt, NULL), 16, spec_nt_proof, 16);
    }
}

/* With an MsvAvTimestamp the server's time goes into the blob and the
 * LMv2 response is all zeros; the random client challenge differs. */
static void
test_server_timestamp (void)
{
  static const guint8 target_info[] = {
    0x07, 0x00, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8,
    0x00, 0x00, 0x00, 0x00,
  };
  g_autoptr(GByteArray) challenge = build_challenge (target_info, sizeof target_info);
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ("Domain\\User");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) authenticate = NULL;
  g_autoptr(GBytes) authenticate2 = NULL;
  g_autoptr(GBytes) nt = NULL;
  g_autoptr(GBytes) nt2 = NULL;
  static const guint8 zeros[24] = { 0 };
  static const guint8 timestamp[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  const guint8 *blob;

  g_object_set (mech, "client-challenge", NULL, "timestamp", (gint64) -1, NULL);
  g_object_set (mech2, "client-challenge", NULL, NULL);
  authenticate = run (mech, challenge, &error);
  g_assert_no_error (error);
  authenticate2 = run (mech2, challenge, &error);
  g_assert_no_error (error);
  assert_field (authenticate, 12, zeros, sizeof zeros);
  nt = get_field (authenticate, 20);
  nt2 = get_field (authenticate2, 20);
  blob = g_bytes_get_data (nt, NULL);
  g_assert_cmpmem (blob + 24, 8, timestamp, 8);
  g_assert_false (g_bytes_equal (nt, nt2));
}

static void
test_bad_challenges (void)
{
  g_autoptr(GByteArray) good = build_challenge (spec_target_info, sizeof spec_target_info);

  /* Each case twice: NTLMv1 refused, then allowed. */
  for (guint n = 0; n < 24; n++)
    {
      guint i = n % 12;
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("Domain\\User");
      g_autoptr(GByteArray) challenge = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) response = NULL;

      g_byte_array_append (challenge, good->data, good->len);
      switch (i)
        {
        case 0: /* short */
          g_byte_array_set_size (challenge, 20);
          break;
        case 1: /* wrong signature */
          challenge->data[3] = 'X';
          break;
        case 2: /* wrong type */
          put_le32 (challenge->data + 8, 3);
          break;
        case 3: /* target name past the end */
          put_le32 (challenge->data + 16, challenge->len);
          break;
        case 4: /* target info offset past the end */
          put_le32 (challenge->data + 44, 0xfffffff0u);
          break;
        case 5: /* offset + length wraps around 32 bits */
          put_le32 (challenge->data + 44, 0xffffffffu);
          put_le16 (challenge->data + 40, 0xffff);
          break;
        case 6: /* huge target info length */
          put_le16 (challenge->data + 40, 0xffff);
          break;
        case 7: /* truncated AV pair list (no MsvAvEOL) */
          g_byte_array_set_size (challenge, challenge->len - 4);
          put_le16 (challenge->data + 40, sizeof spec_target_info - 4);
          break;
        case 8: /* AV pair longer than the target info */
          put_le16 (challenge->data + 48 + 12 + 2, 0x7fff);
          break;
        case 9: /* NTLMv1 only, and the target name past the end */
          put_le32 (challenge->data + 20, SPEC_V1_FLAGS);
          put_le16 (challenge->data + 12, 0x100);
          break;
        case 10: /* bad timestamp size */
          {
            static const guint8 bad_ts[] = { 7, 0, 4, 0, 1, 2, 3, 4, 0, 0, 0, 0 };

            g_byte_array_unref (challenge);
            challenge = build_challenge (bad_ts, sizeof bad_ts);
          }
          break;
        case 11: /* larger than the limit */
          g_byte_array_set_size (challenge, 70 * 1024);
          break;
        default:
          g_assert_not_reached ();
        }

      g_object_set (mech, "allow-ntlmv1", n >= 12, NULL);
      g_test_message ("case %u, NTLMv1 %s", i, n >= 12 ? "allowed" : "refused");
      response = run (mech, challenge, &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      g_assert_null (response);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

static void
test_missing_credentials (void)
{
  g_autoptr(GByteArray) challenge = build_challenge (spec_target_info, sizeof spec_target_info);
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ("User");
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ("User");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) data = g_bytes_new ("x", 1);

  missive_sasl_mechanism_set_password (mech, NULL);
  response = run (mech, challenge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_clear_error (&error);

  /* The server cannot speak first. */
  response = missive_sasl_mechanism_step (mech2, data, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/sasl/ntlm/negotiate", test_negotiate);
  g_test_add_func ("/sasl/ntlm/ms-nlmp-4.2.4", test_spec_vectors);
  g_test_add_func ("/sasl/ntlm/v2-despite-allow-v1", test_v2_despite_allow_v1);
  g_test_add_func ("/sasl/ntlm/ms-nlmp-4.2.2", test_v1_vectors);
  g_test_add_func ("/sasl/ntlm/ms-nlmp-4.2.3", test_v1_ess_vectors);
  g_test_add_func ("/sasl/ntlm/v1-no-lm-hash", test_v1_no_lm_hash);
  g_test_add_func ("/sasl/ntlm/v1-refused", test_v1_refused);
  g_test_add_func ("/sasl/ntlm/domain-forms", test_domain_forms);
  g_test_add_func ("/sasl/ntlm/server-timestamp", test_server_timestamp);
  g_test_add_func ("/sasl/ntlm/bad-challenges", test_bad_challenges);
  g_test_add_func ("/sasl/ntlm/missing-credentials", test_missing_credentials);

  return g_test_run ();
}
