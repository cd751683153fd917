/* test-sasl-digest-md5.c: tests of the DIGEST-MD5 plugin (RFC 2831)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>
#include <missive/missive-plugin.h>

#include "test-utils.h"

/* RFC 2831 section 4, the IMAP example. */
#define RFC_CHALLENGE \
  "realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\",qop=\"auth\"," \
  "algorithm=md5-sess,charset=utf-8"
#define RFC_RESPONSE \
  "charset=utf-8,username=\"chris\",realm=\"elwood.innosoft.com\"," \
  "nonce=\"OA6MG9tEQGm2hh\",nc=00000001,cnonce=\"OA6MHXh6VqTrRk\"," \
  "digest-uri=\"imap/elwood.innosoft.com\"," \
  "response=d388dad90d4bbd760a152321f2143af7,qop=auth"
#define RFC_RSPAUTH "rspauth=ea40f60335c427b5527b84dbabcdfffd"

static MissiveSaslMechanism *
new_mechanism (void)
{
  g_autoptr(GError) error = NULL;
  MissiveSaslMechanism *mech;

  mech = missive_engine_create_sasl_mechanism (missive_engine_get_default (),
                                               "DIGEST-MD5", &error);
  g_assert_no_error (error);
  g_assert_nonnull (mech);
  missive_sasl_mechanism_set_username (mech, "chris");
  missive_sasl_mechanism_set_password (mech, "secret");
  missive_sasl_mechanism_set_service_name (mech, "imap");
  missive_sasl_mechanism_set_host (mech, "elwood.innosoft.com");
  g_object_set (mech, "client-nonce", "OA6MHXh6VqTrRk", NULL);
  return mech;
}

static GBytes *
step_string (MissiveSaslMechanism  *mech,
             const char            *challenge,
             GError               **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (challenge, strlen (challenge));

  return missive_sasl_mechanism_step (mech, bytes, error);
}

static void
assert_bytes_equal_string (GBytes     *bytes,
                           const char *expected)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *copy = g_strndup (data, length);

  g_assert_cmpstr (copy, ==, expected);
}

static void
test_properties (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();

  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, "DIGEST-MD5");
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 35);
  g_assert_cmpint (missive_sasl_mechanism_get_flags (mech), ==,
                   MISSIVE_SASL_FLAG_NEEDS_PASSWORD | MISSIVE_SASL_FLAG_MUTUAL);
}

static void
test_rfc_example (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) final = NULL;
  g_autoptr(GBytes) extra = NULL;

  response = step_string (mech, RFC_CHALLENGE, &error);
  g_assert_no_error (error);
  assert_bytes_equal_string (response, RFC_RESPONSE);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  final = step_string (mech, RFC_RSPAUTH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (final), ==, 0);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  /* Extra step after completion. */
  extra = step_string (mech, RFC_RSPAUTH, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (extra);
}

/* Dovecot quotes the algorithm; whitespace and empty list elements are
 * allowed; uppercase rspauth digits are accepted. The reset lets the object
 * run a second exchange. */
static void
test_dovecot_style (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) final = NULL;

  response = step_string (mech, "realm=\"elwood.innosoft.com\" , ,nonce=\"OA6MG9tEQGm2hh\","
                          "qop=\"auth,auth-int\",charset=\"utf-8\",algorithm=\"md5-sess\"",
                          &error);
  g_assert_no_error (error);
  assert_bytes_equal_string (response, RFC_RESPONSE);
  final = step_string (mech, "rspauth=EA40F60335C427B5527B84DBABCDFFFD", &error);
  g_assert_no_error (error);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  missive_sasl_mechanism_reset (mech);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
  g_clear_pointer (&response, g_bytes_unref);
  response = step_string (mech, RFC_CHALLENGE, &error);
  g_assert_no_error (error);
  assert_bytes_equal_string (response, RFC_RESPONSE);
}

/* No realm offered: the host is used; no charset: none is sent; the
 * authzid is sent and goes into A1; quoting escapes backslashes. */
static void
test_no_realm_authzid (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ();
  const char *data;
  gsize length;
  g_autofree char *text = NULL;

  missive_sasl_mechanism_set_username (mech, "a\"b\\c");
  response = step_string (mech, "nonce=\"abc\",algorithm=md5-sess", &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (response, &length);
  text = g_strndup (data, length);
  g_assert_true (g_str_has_prefix (text, "username=\"a\\\"b\\\\c\",realm=\"elwood.innosoft.com\","));
  g_assert_null (strstr (text, "charset"));
  g_assert_null (strstr (text, "authzid"));

  missive_sasl_mechanism_set_username (mech2, "a\"b\\c");
  missive_sasl_mechanism_set_authzid (mech2, "admin");
  other = step_string (mech2, "nonce=\"abc\",algorithm=md5-sess", &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  data = g_bytes_get_data (other, &length);
  text = g_strndup (data, length);
  g_assert_true (g_str_has_suffix (text, ",qop=auth,authzid=\"admin\""));
  /* The authzid changes the response digest. */
  g_assert_false (g_bytes_equal (response, other));
}

static void
test_random_nonce (void)
{
  g_autoptr(MissiveSaslMechanism) mech1 = new_mechanism ();
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response1 = NULL;
  g_autoptr(GBytes) response2 = NULL;

  g_object_set (mech1, "client-nonce", NULL, NULL);
  g_object_set (mech2, "client-nonce", NULL, NULL);
  response1 = step_string (mech1, RFC_CHALLENGE, &error);
  g_assert_no_error (error);
  response2 = step_string (mech2, RFC_CHALLENGE, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (response1, response2));
}

static void
test_bad_challenges (void)
{
  static const struct {
    const char *challenge;
    int code;
  } cases[] = {
    { "realm=\"x\",qop=\"auth\",algorithm=md5-sess", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc,algorithm=md5-sess", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc\\", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc\",qop=\"auth-int,auth-conf\",algorithm=md5-sess", MISSIVE_ERROR_MECHANISM_UNAVAILABLE },
    { "nonce=\"abc\",qop=\"auth\"", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc\",algorithm=md5", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc\",nonce=\"def\",algorithm=md5-sess", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc\",algorithm=md5-sess,charset=utf-8,charset=utf-8", MISSIVE_ERROR_PROTOCOL },
    { "nonce", MISSIVE_ERROR_PROTOCOL },
    { "=abc", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"abc\" junk,algorithm=md5-sess", MISSIVE_ERROR_PROTOCOL },
    { "nonce=\"a\nb\",algorithm=md5-sess", MISSIVE_ERROR_PROTOCOL },
    { "", MISSIVE_ERROR_PROTOCOL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) response = NULL;

      g_test_message ("challenge %s", cases[i].challenge);
      response = step_string (mech, cases[i].challenge, &error);
      g_assert_error (error, MISSIVE_ERROR, cases[i].code);
      g_assert_null (response);
    }
}

static void
test_huge_challenge (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GString) huge = g_string_new ("nonce=\"abc\",algorithm=md5-sess,realm=\"");
  g_autoptr(GString) many = g_string_new ("nonce=\"abc\",algorithm=md5-sess");
  static const guint8 with_nul[] = "nonce=\"a\0b\",algorithm=md5-sess";
  g_autoptr(GBytes) nul_bytes = g_bytes_new (with_nul, sizeof with_nul - 1);

  while (huge->len < 5000)
    g_string_append (huge, "xxxxxxxxxx");
  g_string_append_c (huge, '"');
  response = step_string (mech, huge->str, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  for (guint i = 0; i < 70; i++)
    g_string_append_printf (many, ",realm=\"r%u\"", i);
  g_assert_cmpuint (many->len, <, 4096);
  response = step_string (mech2, many->str, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  response = missive_sasl_mechanism_step (mech2, nul_bytes, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
}

static void
test_wrong_rspauth (void)
{
  static const char * const bad[] = {
    "rspauth=ea40f60335c427b5527b84dbabcdfffe",
    "rspauth=ea40f60335c427b5527b84dbabcdfff",
    "rspauth=ea40f60335c427b5527b84dbabcdfffd00",
    "rspauth=",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GBytes) final = NULL;

      response = step_string (mech, RFC_CHALLENGE, &error);
      g_assert_no_error (error);
      final = step_string (mech, bad[i], &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
      g_assert_null (final);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }

  /* No rspauth at all, or an empty second challenge. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GBytes) final = NULL;

      response = step_string (mech, RFC_CHALLENGE, &error);
      g_assert_no_error (error);
      final = step_string (mech, i == 0 ? "foo=bar" : "", &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      g_assert_null (final);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

static void
test_missing_credentials (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mechanism ();
  g_autoptr(MissiveSaslMechanism) mech2 = new_mechanism ();
  g_autoptr(MissiveSaslMechanism) mech3 = new_mechanism ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;

  missive_sasl_mechanism_set_password (mech, NULL);
  response = step_string (mech, RFC_CHALLENGE, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  missive_sasl_mechanism_set_host (mech2, NULL);
  response = step_string (mech2, RFC_CHALLENGE, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Server-first: no initial response. */
  response = missive_sasl_mechanism_step (mech3, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/sasl/digest-md5/properties", test_properties);
  g_test_add_func ("/sasl/digest-md5/rfc2831-example", test_rfc_example);
  g_test_add_func ("/sasl/digest-md5/dovecot-style", test_dovecot_style);
  g_test_add_func ("/sasl/digest-md5/no-realm-authzid", test_no_realm_authzid);
  g_test_add_func ("/sasl/digest-md5/random-nonce", test_random_nonce);
  g_test_add_func ("/sasl/digest-md5/bad-challenges", test_bad_challenges);
  g_test_add_func ("/sasl/digest-md5/huge-challenge", test_huge_challenge);
  g_test_add_func ("/sasl/digest-md5/wrong-rspauth", test_wrong_rspauth);
  g_test_add_func ("/sasl/digest-md5/missing-credentials", test_missing_credentials);

  return g_test_run ();
}
