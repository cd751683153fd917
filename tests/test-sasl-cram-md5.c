/* test-sasl-cram-md5.c: the CRAM-MD5 plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

#define RFC2195_CHALLENGE "<1896.697170952@postoffice.reston.mci.net>"

static MissiveSaslMechanism *
new_mech (const char *username,
          const char *password)
{
  g_autoptr(GError) error = NULL;
  MissiveSaslMechanism *mech;

  mech = missive_engine_create_sasl_mechanism (missive_engine_get_default (),
                                               "CRAM-MD5", &error);
  g_assert_no_error (error);
  g_assert_nonnull (mech);
  missive_sasl_mechanism_set_username (mech, username);
  missive_sasl_mechanism_set_password (mech, password);
  return mech;
}

static GBytes *
bytes_from_string (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static void
assert_bytes_eq (GBytes     *bytes,
                 const char *expected)
{
  gsize len = 0;
  const guint8 *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, strlen (expected));
}

static void
test_facts (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("tim", "tanstaaftanstaaf");

  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, "CRAM-MD5");
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 30);
  g_assert_cmpint (missive_sasl_mechanism_get_flags (mech), ==,
                   MISSIVE_SASL_FLAG_NEEDS_PASSWORD);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
}

/* RFC 2195 section 2. */
static void
test_rfc2195 (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("tim", "tanstaaftanstaaf");
  g_autoptr(GBytes) challenge = bytes_from_string (RFC2195_CHALLENGE);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, "tim b913a602c7eda7a495b4e6e7334d3890");
  g_assert_true (missive_sasl_mechanism_is_complete (mech));
}

/* RFC 2202 test case 2 (HMAC-MD5, key "Jefe") through the mechanism, to
 * check a second, independent vector. */
static void
test_rfc2202 (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("u", "Jefe");
  g_autoptr(GBytes) challenge = bytes_from_string ("what do ya want for nothing?");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, "u 750c783e6ab0b503eaa86e310a5db738");
}

static void
test_second_challenge (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("tim", "tanstaaftanstaaf");
  g_autoptr(GBytes) challenge = bytes_from_string (RFC2195_CHALLENGE);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  again = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (again);
  g_clear_error (&error);

  /* reset() starts over. */
  missive_sasl_mechanism_reset (mech);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
  again = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  assert_bytes_eq (again, "tim b913a602c7eda7a495b4e6e7334d3890");
}

static void
test_bad_challenges (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("tim", "tanstaaftanstaaf");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree char *huge_data = g_strnfill (100000, '<');
  g_autoptr(GBytes) huge = bytes_from_string (huge_data);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  response = missive_sasl_mechanism_step (mech, empty, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  /* No initial response. */
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  response = missive_sasl_mechanism_step (mech, huge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  /* None of these counted as an answer. */
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
}

/* Binary challenges are hashed as they are. */
static void
test_binary_challenge (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("tim", "tanstaaftanstaaf");
  static const guint8 raw[] = { 0x00, 0xff, 0x01, '<', '>' };
  g_autoptr(GBytes) challenge = g_bytes_new_static (raw, sizeof raw);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_digest = NULL;
  g_autofree char *expected = NULL;

  expected_digest = g_compute_hmac_for_data (G_CHECKSUM_MD5,
                                             (const guchar *) "tanstaaftanstaaf", 16,
                                             raw, sizeof raw);
  expected = g_strconcat ("tim ", expected_digest, NULL);

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, expected);
}

static void
test_missing_credentials (void)
{
  const struct {
    const char *username;
    const char *password;
  } cases[] = {
    { NULL, "secret" },
    { "", "secret" },
    { "tim", NULL },
    { "tim", "" },
    { "\xff\xfe", "secret" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mech (cases[i].username, cases[i].password);
      g_autoptr(GBytes) challenge = bytes_from_string (RFC2195_CHALLENGE);
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;

      response = missive_sasl_mechanism_step (mech, challenge, &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_assert_null (response);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

static void
test_listed (void)
{
  g_auto(GStrv) names = NULL;

  names = missive_engine_list_sasl_mechanisms (missive_engine_get_default ());
  g_assert_true (g_strv_contains ((const char * const *) names, "CRAM-MD5"));
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/sasl/cram-md5/facts", test_facts);
  g_test_add_func ("/sasl/cram-md5/rfc2195", test_rfc2195);
  g_test_add_func ("/sasl/cram-md5/rfc2202", test_rfc2202);
  g_test_add_func ("/sasl/cram-md5/second-challenge", test_second_challenge);
  g_test_add_func ("/sasl/cram-md5/bad-challenges", test_bad_challenges);
  g_test_add_func ("/sasl/cram-md5/binary-challenge", test_binary_challenge);
  g_test_add_func ("/sasl/cram-md5/missing-credentials", test_missing_credentials);
  g_test_add_func ("/sasl/cram-md5/listed", test_listed);

  return g_test_run ();
}
