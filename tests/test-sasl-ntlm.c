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
#define SPEC_FLAGS 0xe28a8233u

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

/* A CHALLENGE message: the 48-byte header with the target name "Server"
 * (UTF-16LE) and @target_info after it. */
static GByteArray *
build_challenge (const guint8 *target_info,
                 gsize         target_info_length)
{
  GByteArray *message = g_byte_array_new ();
  guint8 header[48] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };
  static const guint8 name[] = { 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0, 'r', 0 };

  put_le32 (header + 8, 2);
  put_le16 (header + 12, sizeof name);
  put_le16 (header + 14, sizeof name);
  put_le32 (header + 16, 48);
  put_le32 (header + 20, SPEC_FLAGS);
  memcpy (header + 24, spec_server_challenge, 8);
  put_le16 (header + 40, target_info_length);
  put_le16 (header + 42, target_info_length);
  put_le32 (header + 44, 48 + sizeof name);
  g_byte_array_append (message, header, sizeof header);
  g_byte_array_append (message, name, sizeof name);
  g_byte_array_append (message, target_info, target_info_length);
  return message;
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

  /* Extra step. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (challenge->data, challenge->len);
    g_autoptr(GBytes) extra = missive_sasl_mechanism_step (mech, bytes, &error);

    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
    g_assert_null (extra);
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

  for (guint i = 0; i < 12; i++)
    {
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
        case 9: /* no target information: NTLMv1 only */
          put_le32 (challenge->data + 20, SPEC_FLAGS & ~0x00800000u);
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

      g_test_message ("case %u", i);
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
  g_test_add_func ("/sasl/ntlm/domain-forms", test_domain_forms);
  g_test_add_func ("/sasl/ntlm/server-timestamp", test_server_timestamp);
  g_test_add_func ("/sasl/ntlm/bad-challenges", test_bad_challenges);
  g_test_add_func ("/sasl/ntlm/missing-credentials", test_missing_credentials);

  return g_test_run ();
}
