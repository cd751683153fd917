/* test-sasl-oauth.c: the XOAUTH2 and OAUTHBEARER plugins
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

/* RFC 7628 section 4.1. */
#define RFC7628_TOKEN "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="

static MissiveSaslMechanism *
new_mech (const char *name,
          const char *username,
          const char *token)
{
  g_autoptr(GError) error = NULL;
  MissiveSaslMechanism *mech;

  mech = missive_engine_create_sasl_mechanism (missive_engine_get_default (),
                                               name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mech);
  missive_sasl_mechanism_set_username (mech, username);
  missive_sasl_mechanism_set_oauth_token (mech, token);
  return mech;
}

static void
assert_bytes_eq (GBytes     *bytes,
                 const char *expected,
                 gsize       expected_len)
{
  gsize len = 0;
  const guint8 *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, expected_len);
}

#define assert_bytes_eq_str(b, s) assert_bytes_eq ((b), (s), sizeof (s) - 1)

static GBytes *
bytes_from_string (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static char *
get_server_error (MissiveSaslMechanism *mech)
{
  char *value = NULL;

  g_object_get (mech, "server-error", &value, NULL);
  return value;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* ---- XOAUTH2 ------------------------------------------------------------ */

static void
test_xoauth2_facts (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("XOAUTH2", "u", "t");

  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, "XOAUTH2");
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 40);
  g_assert_cmpint (missive_sasl_mechanism_get_flags (mech), ==,
                   MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_TOKEN);
}

static void
test_xoauth2_initial (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("XOAUTH2", "someuser@example.com",
                                                   "ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *server_error = NULL;

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq_str (response,
                       "user=someuser@example.com\001auth=Bearer "
                       "ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg\001\001");
  g_assert_true (missive_sasl_mechanism_is_complete (mech));
  server_error = get_server_error (mech);
  g_assert_null (server_error);
  g_clear_pointer (&response, g_bytes_unref);

  /* Asked for with an empty challenge instead: the same message. */
  missive_sasl_mechanism_reset (mech);
  response = missive_sasl_mechanism_step (mech, empty, &error);
  g_assert_no_error (error);
  assert_bytes_eq_str (response,
                       "user=someuser@example.com\001auth=Bearer "
                       "ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg\001\001");
}

static void
test_xoauth2_error_challenge (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("XOAUTH2", "u@example.com", "tok");
  g_autoptr(GBytes) challenge =
    bytes_from_string ("{\"status\":\"401\",\n  \"schemes\":\"bearer\",\n"
                       "  \"scope\":\"https://mail.google.com/\"}");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_error = NULL;
  guint notified = 0;

  g_signal_connect (mech, "notify::server-error", G_CALLBACK (count_notify), &notified);

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&response, g_bytes_unref);

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, "", 0);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
  server_error = get_server_error (mech);
  g_assert_cmpstr (server_error, ==,
                   "status=401 schemes=bearer scope=https://mail.google.com/");
  g_assert_cmpuint (notified, ==, 1);
  g_clear_pointer (&response, g_bytes_unref);

  /* Nothing more is expected. */
  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  /* reset() forgets the error. */
  missive_sasl_mechanism_reset (mech);
  g_clear_pointer (&server_error, g_free);
  server_error = get_server_error (mech);
  g_assert_null (server_error);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_xoauth2_unexpected (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("XOAUTH2", "u", "tok");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) json = bytes_from_string ("{}");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  /* A non-empty challenge before anything was sent. */
  response = missive_sasl_mechanism_step (mech, json, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
  g_clear_error (&error);

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&response, g_bytes_unref);

  /* An empty challenge after the initial response. */
  response = missive_sasl_mechanism_step (mech, empty, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
}

static void
test_xoauth2_bad_credentials (void)
{
  const struct {
    const char *username;
    const char *token;
  } cases[] = {
    { NULL, "tok" },
    { "", "tok" },
    { "u", NULL },
    { "u", "" },
    { "u\001x", "tok" },
    { "\xff", "tok" },
    { "u", "to k" },
    { "u", "tok\001auth=x" },
    { "u", "t\xc3\xa9" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mech ("XOAUTH2", cases[i].username, cases[i].token);
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;

      response = missive_sasl_mechanism_step (mech, NULL, &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_assert_null (response);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

/* ---- token-requested ---------------------------------------------------- */

typedef struct {
  guint calls;
  const char *token;
} TokenHandler;

static char *
token_requested_cb (MissiveSaslMechanism *mech,
                    gpointer              user_data)
{
  TokenHandler *handler = user_data;

  handler->calls++;
  return g_strdup (handler->token);
}

static void
test_token_requested (gconstpointer data)
{
  const char *name = data;
  g_autoptr(MissiveSaslMechanism) mech = new_mech (name, "u", NULL);
  TokenHandler first = { 0, NULL };
  TokenHandler second = { 0, "from-signal" };
  TokenHandler third = { 0, "never-used" };
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *bytes;
  gsize length;

  g_signal_connect (mech, "token-requested", G_CALLBACK (token_requested_cb), &first);
  g_signal_connect (mech, "token-requested", G_CALLBACK (token_requested_cb), &second);
  g_signal_connect (mech, "token-requested", G_CALLBACK (token_requested_cb), &third);

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first.calls, ==, 1);
  g_assert_cmpuint (second.calls, ==, 1);
  g_assert_cmpuint (third.calls, ==, 0);
  g_assert_cmpstr (missive_sasl_mechanism_get_oauth_token (mech), ==, "from-signal");
  bytes = g_bytes_get_data (response, &length);
  g_assert_nonnull (g_strstr_len ((const char *) bytes, length, "auth=Bearer from-signal\001\001"));
  g_clear_pointer (&response, g_bytes_unref);

  /* With a token set, nobody is asked. */
  missive_sasl_mechanism_reset (mech);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first.calls, ==, 1);
  g_clear_pointer (&response, g_bytes_unref);

  /* No handler gives one: a missing credential. */
  missive_sasl_mechanism_reset (mech);
  missive_sasl_mechanism_set_oauth_token (mech, NULL);
  second.token = NULL;
  third.token = NULL;
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_assert_cmpuint (third.calls, ==, 1);
}

/* ---- OAUTHBEARER -------------------------------------------------------- */

static void
test_oauthbearer_facts (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("OAUTHBEARER", "u", "t");

  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, "OAUTHBEARER");
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 45);
  g_assert_cmpint (missive_sasl_mechanism_get_flags (mech), ==,
                   MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_TOKEN);
}

/* RFC 7628 section 4.1, without the port (the mechanism does not know it). */
static void
test_oauthbearer_rfc7628 (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("OAUTHBEARER", "user@example.com",
                                                   RFC7628_TOKEN);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  missive_sasl_mechanism_set_host (mech, "server.example.com");
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq_str (response,
                       "n,a=user@example.com,\001host=server.example.com\001"
                       "auth=Bearer " RFC7628_TOKEN "\001\001");
  g_assert_true (missive_sasl_mechanism_is_complete (mech));
}

static void
test_oauthbearer_identity (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("OAUTHBEARER", "user@example.com", "tok");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  /* The authzid wins over the username, and is escaped (RFC 5801). */
  missive_sasl_mechanism_set_authzid (mech, "a,b=c=,");
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq_str (response, "n,a=a=2Cb=3Dc=3D=2C,\001auth=Bearer tok\001\001");
  g_clear_pointer (&response, g_bytes_unref);

  /* Neither: no "a=" at all. */
  missive_sasl_mechanism_reset (mech);
  missive_sasl_mechanism_set_authzid (mech, NULL);
  missive_sasl_mechanism_set_username (mech, NULL);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq_str (response, "n,,\001auth=Bearer tok\001\001");
  g_clear_pointer (&response, g_bytes_unref);

  /* A host with a separator in it is refused. */
  missive_sasl_mechanism_reset (mech);
  missive_sasl_mechanism_set_host (mech, "evil\001auth=Bearer x");
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_clear_error (&error);

  missive_sasl_mechanism_set_host (mech, NULL);
  missive_sasl_mechanism_set_oauth_token (mech, NULL);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
}

/* RFC 7628 section 4.3: the error challenge and the dummy response. */
static void
test_oauthbearer_error_challenge (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("OAUTHBEARER", "user@example.com", "tok");
  g_autoptr(GBytes) challenge =
    bytes_from_string ("{\n\"status\":\"invalid_token\",\n\"scope\":\"example_scope\",\n"
                       "\"openid-configuration\":\"https://example.com/.well-known/openid-configuration\"\n}");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_error = NULL;

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&response, g_bytes_unref);

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_no_error (error);
  assert_bytes_eq_str (response, "\001");
  server_error = get_server_error (mech);
  g_assert_cmpstr (server_error, ==, "status=invalid_token scope=example_scope");
  g_clear_pointer (&response, g_bytes_unref);

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (response);
}

/* ---- the JSON of error challenges --------------------------------------- */

static void
check_json (const char *mech_name,
            const char *json,
            gssize      json_len,
            const char *expected_server_error)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech (mech_name, "u", "tok");
  g_autoptr(GBytes) challenge = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_error = NULL;

  challenge = g_bytes_new (json, json_len < 0 ? strlen (json) : (gsize) json_len);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&response, g_bytes_unref);

  response = missive_sasl_mechanism_step (mech, challenge, &error);
  server_error = get_server_error (mech);
  if (expected_server_error == NULL)
    {
      /* Escaped: raw 8-bit bytes are not valid TAP output. */
      g_autofree char *copy = json != NULL ? g_strndup (json, g_bytes_get_size (challenge)) : g_strdup ("");
      g_autofree char *printable = g_strescape (copy, NULL);

      g_test_message ("expecting rejection of: %s", printable);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
      g_assert_null (response);
      g_assert_null (server_error);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (response);
      g_assert_cmpstr (server_error, ==, expected_server_error);
    }
}

static void
test_json_good (gconstpointer data)
{
  const char *name = data;
  const struct {
    const char *json;
    const char *expected;
  } cases[] = {
    { "{}", "" },
    { " \t\r\n{ } \n", "" },
    { "{\"status\":401}", "status=401" },
    { "{\"status\":-4.5e+2}", "status=-4.5e+2" },
    { "{\"scope\":\"a b\",\"status\":\"400\",\"schemes\":\"bearer mac\"}",
      "status=400 schemes=bearer mac scope=a b" },
    /* Unknown members of every kind are skipped, including nested ones
     * that hold the names we look for. */
    { "{\"x\":{\"status\":\"nested\",\"y\":[1,2,{\"z\":null}]},\"t\":true,"
      "\"f\":false,\"n\":null,\"a\":[],\"o\":{},\"status\":\"ok\"}",
      "status=ok" },
    /* Escapes; control characters come out as '?'. */
    { "{\"status\":\"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\n\\t\"}",
      "status=a\"b\\c/d\xc3\xa9\xf0\x9f\x98\x80??" },
    /* A repeated member: the last one wins. */
    { "{\"status\":\"1\",\"status\":\"2\"}", "status=2" },
    /* A status that is neither string nor number is ignored. */
    { "{\"status\":null,\"scope\":[\"x\"]}", "" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    check_json (name, cases[i].json, -1, cases[i].expected);
}

static void
test_json_bad (gconstpointer data)
{
  const char *name = data;
  const char *cases[] = {
    "hello",
    "[]",
    "\"status\"",
    "401",
    "{",
    "{\"status\"",
    "{\"status\":",
    "{\"status\":\"401\"",
    "{\"status\":\"401",
    "{\"status\":\"401\",}",
    "{,}",
    "{\"status\" \"401\"}",
    "{status:\"401\"}",
    "{'status':'401'}",
    "{\"status\":\"4\x01\"}",
    "{\"status\":\"\\q\"}",
    "{\"status\":\"\\u12\"}",
    "{\"status\":\"\\u12G4\"}",
    "{\"status\":\"\\ud800\"}",
    "{\"status\":\"\\ud800\\u0041\"}",
    "{\"status\":\"\\udc00\"}",
    "{\"status\":\"\\u0000\"}",
    "{\"status\":\"\xff\"}",
    "{\"x\":\"\xc3\"}",
    "{\"status\":01}",
    "{\"status\":-}",
    "{\"status\":1.}",
    "{\"status\":1e}",
    "{\"x\":tru}",
    "{\"x\":nul}",
    "{\"x\":[1,]}",
    "{\"x\":[1 2]}",
    "{\"x\":{\"y\"}}",
    "{} {}",
    "{} x",
    "{\"status\":\"401\"}\x01",
  };
  g_autoptr(GString) deep = g_string_new ("{\"x\":");
  g_autoptr(GString) huge = g_string_new ("{\"x\":\"");
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    check_json (name, cases[i], -1, NULL);

  /* A NUL inside the data. */
  check_json (name, "{\"status\":\"4\0001\"}", 15, NULL);
  check_json (name, "{}\0", 3, NULL);

  /* Nesting beyond the limit. */
  for (i = 0; i < 100; i++)
    g_string_append (deep, "[");
  for (i = 0; i < 100; i++)
    g_string_append (deep, "]");
  g_string_append (deep, "}");
  check_json (name, deep->str, -1, NULL);

  /* Longer than any real error. */
  for (i = 0; i < 20000; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\"}");
  check_json (name, huge->str, -1, NULL);
}

/* Every truncation of a valid error object is refused, without reading
 * past the end (ASan checks the latter). */
static void
test_json_truncated (gconstpointer data)
{
  const char *name = data;
  const char *json = "{\"status\":\"40\\u00e91\",\"n\":[1.5e3,true,{\"k\":null}],\"scope\":\"s\"}";
  gsize len = strlen (json);
  gsize i;

  check_json (name, json, -1, "status=40\xc3\xa9" "1 scope=s");
  for (i = 0; i < len; i++)
    {
      g_autofree char *copy = g_memdup2 (json, i);

      check_json (name, copy, (gssize) i, NULL);
    }
}

static void
test_listed (void)
{
  g_auto(GStrv) names = NULL;

  names = missive_engine_list_sasl_mechanisms (missive_engine_get_default ());
  g_assert_true (g_strv_contains ((const char * const *) names, "XOAUTH2"));
  g_assert_true (g_strv_contains ((const char * const *) names, "OAUTHBEARER"));
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/sasl/xoauth2/facts", test_xoauth2_facts);
  g_test_add_func ("/sasl/xoauth2/initial", test_xoauth2_initial);
  g_test_add_func ("/sasl/xoauth2/error-challenge", test_xoauth2_error_challenge);
  g_test_add_func ("/sasl/xoauth2/unexpected", test_xoauth2_unexpected);
  g_test_add_func ("/sasl/xoauth2/bad-credentials", test_xoauth2_bad_credentials);
  g_test_add_data_func ("/sasl/xoauth2/token-requested", "XOAUTH2", test_token_requested);
  g_test_add_data_func ("/sasl/xoauth2/json-good", "XOAUTH2", test_json_good);
  g_test_add_data_func ("/sasl/xoauth2/json-bad", "XOAUTH2", test_json_bad);
  g_test_add_data_func ("/sasl/xoauth2/json-truncated", "XOAUTH2", test_json_truncated);

  g_test_add_func ("/sasl/oauthbearer/facts", test_oauthbearer_facts);
  g_test_add_func ("/sasl/oauthbearer/rfc7628", test_oauthbearer_rfc7628);
  g_test_add_func ("/sasl/oauthbearer/identity", test_oauthbearer_identity);
  g_test_add_func ("/sasl/oauthbearer/error-challenge", test_oauthbearer_error_challenge);
  g_test_add_data_func ("/sasl/oauthbearer/token-requested", "OAUTHBEARER", test_token_requested);
  g_test_add_data_func ("/sasl/oauthbearer/json-good", "OAUTHBEARER", test_json_good);
  g_test_add_data_func ("/sasl/oauthbearer/json-bad", "OAUTHBEARER", test_json_bad);
  g_test_add_data_func ("/sasl/oauthbearer/json-truncated", "OAUTHBEARER", test_json_truncated);

  g_test_add_func ("/sasl/oauth/listed", test_listed);

  return g_test_run ();
}
