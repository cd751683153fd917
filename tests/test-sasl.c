/* test-sasl.c: the SASL mechanism base class and the built-in mechanisms
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-sasl-mechanism-private.h"
#include "sasl/missive-sasl-builtin-private.h"
#include "test-utils.h"

/* ---- helpers ------------------------------------------------------------ */

static MissiveSaslMechanism *
new_mech (GType       type,
          const char *username,
          const char *password,
          const char *authzid)
{
  return g_object_new (type,
                       "username", username,
                       "password", password,
                       "authzid", authzid,
                       NULL);
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

static GBytes *
bytes_from_string (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* ---- PLAIN -------------------------------------------------------------- */

static void
test_plain_rfc4616 (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autofree char *encoded = NULL;
  GError *error = NULL;
  static const char expected[] = "\0tim\0tanstaaftanstaaf";

  /* RFC 4616 section 4, first example. */
  mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, "tim", "tanstaaftanstaaf", NULL);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, expected, sizeof expected - 1);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  encoded = g_base64_encode (g_bytes_get_data (response, NULL),
                             g_bytes_get_size (response));
  g_assert_cmpstr (encoded, ==, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
}

static void
test_plain_authzid (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) response = NULL;
  GError *error = NULL;
  static const char expected[] = "Ursel\0Kurt\0xipj3plmq";

  /* RFC 4616 section 4, second example. */
  mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, "Kurt", "xipj3plmq", "Ursel");
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, expected, sizeof expected - 1);
}

static void
test_plain_utf8 (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  GError *error = NULL;
  /* "jürgen", "pässwörd€" in UTF-8 */
  static const char expected[] =
    "\0j\xc3\xbcrgen\0p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac";

  mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, "j\xc3\xbcrgen",
                   "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac", NULL);
  /* Without room for an initial response, the server sends an empty
   * challenge and gets the same message. */
  response = missive_sasl_mechanism_step (mech, empty, &error);
  g_assert_no_error (error);
  assert_bytes_eq (response, expected, sizeof expected - 1);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));
}

static void
test_plain_extra_challenge (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) challenge = bytes_from_string ("more?");
  GBytes *extra;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, "tim", "secret", NULL);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);

  extra = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (extra);
  g_clear_error (&error);
}

static void
test_plain_missing_credentials (void)
{
  struct {
    const char *username;
    const char *password;
  } cases[] = {
    { NULL, "secret" },
    { "", "secret" },
    { "tim", NULL },
    { "tim", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = NULL;
      GBytes *response;
      GError *error = NULL;

      mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, cases[i].username,
                       cases[i].password, NULL);
      response = missive_sasl_mechanism_step (mech, NULL, &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_assert_null (response);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
      g_clear_error (&error);
    }
}

/* C strings cannot carry a NUL into PLAIN's fields, so what is left to
 * reject is anything that is not UTF-8. */
static void
test_plain_invalid_utf8 (void)
{
  struct {
    const char *username;
    const char *password;
    const char *authzid;
  } cases[] = {
    { "tim\xff", "secret", NULL },
    { "tim", "sec\xc3", NULL },
    { "tim", "secret", "\xe2\x82" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = NULL;
      GBytes *response;
      GError *error = NULL;

      mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, cases[i].username,
                       cases[i].password, cases[i].authzid);
      response = missive_sasl_mechanism_step (mech, NULL, &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_assert_null (response);
      g_clear_error (&error);
    }
}

/* ---- LOGIN -------------------------------------------------------------- */

static void
test_login_two_steps (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  /* Prompts worded unlike the usual ones: LOGIN answers by position. */
  g_autoptr(GBytes) prompt1 = bytes_from_string ("Password:");
  g_autoptr(GBytes) prompt2 = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) prompt3 = bytes_from_string ("Username:");
  GBytes *third;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_LOGIN, "alice", "s3cret", NULL);

  first = missive_sasl_mechanism_step (mech, prompt1, &error);
  g_assert_no_error (error);
  assert_bytes_eq (first, "alice", 5);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  second = missive_sasl_mechanism_step (mech, prompt2, &error);
  g_assert_no_error (error);
  assert_bytes_eq (second, "s3cret", 6);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  third = missive_sasl_mechanism_step (mech, prompt3, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (third);
  g_clear_error (&error);
}

static void
test_login_no_initial_response (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) prompt = bytes_from_string ("VXNlcm5hbWU6");
  g_autoptr(GBytes) first = NULL;
  GBytes *response;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_LOGIN, "alice", "s3cret", NULL);
  g_assert_false (missive_sasl_mechanism_get_flags (mech) & MISSIVE_SASL_FLAG_CLIENT_FIRST);

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_assert_null (response);
  g_clear_error (&error);

  /* The refused call did not use up the first step. */
  first = missive_sasl_mechanism_step (mech, prompt, &error);
  g_assert_no_error (error);
  assert_bytes_eq (first, "alice", 5);
}

static void
test_login_missing_credentials (void)
{
  g_autoptr(MissiveSaslMechanism) no_user = NULL;
  g_autoptr(MissiveSaslMechanism) no_pass = NULL;
  g_autoptr(GBytes) prompt = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) first = NULL;
  GBytes *response;
  GError *error = NULL;

  no_user = new_mech (MISSIVE_TYPE_SASL_LOGIN, NULL, "s3cret", NULL);
  response = missive_sasl_mechanism_step (no_user, prompt, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_clear_error (&error);

  no_pass = new_mech (MISSIVE_TYPE_SASL_LOGIN, "alice", NULL, NULL);
  first = missive_sasl_mechanism_step (no_pass, prompt, &error);
  g_assert_no_error (error);
  response = missive_sasl_mechanism_step (no_pass, prompt, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_assert_false (missive_sasl_mechanism_is_complete (no_pass));
  g_clear_error (&error);
}

static void
test_login_reset (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) prompt = g_bytes_new (NULL, 0);
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_LOGIN, "alice", "s3cret", NULL);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GBytes) user = NULL;
      g_autoptr(GBytes) pass = NULL;

      user = missive_sasl_mechanism_step (mech, prompt, &error);
      g_assert_no_error (error);
      assert_bytes_eq (user, "alice", 5);
      pass = missive_sasl_mechanism_step (mech, prompt, &error);
      g_assert_no_error (error);
      assert_bytes_eq (pass, "s3cret", 6);
      g_assert_true (missive_sasl_mechanism_is_complete (mech));

      missive_sasl_mechanism_reset (mech);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

/* ---- EXTERNAL ----------------------------------------------------------- */

static void
test_external (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GBytes) with_authzid = NULL;
  g_autoptr(GBytes) challenge = bytes_from_string ("x");
  GBytes *extra;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_EXTERNAL, "ignored", "ignored", NULL);
  empty = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  extra = missive_sasl_mechanism_step (mech, challenge, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (extra);
  g_clear_error (&error);

  missive_sasl_mechanism_reset (mech);
  missive_sasl_mechanism_set_authzid (mech, "postmaster@example.org");
  with_authzid = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq (with_authzid, "postmaster@example.org", 22);
}

/* ---- ANONYMOUS ---------------------------------------------------------- */

static void
test_anonymous_trace (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) fallback = NULL;
  g_autoptr(GBytes) trace = NULL;
  g_autoptr(GBytes) utf8 = NULL;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_ANONYMOUS, NULL, NULL, NULL);
  fallback = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq (fallback, "anonymous", 9);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  missive_sasl_mechanism_reset (mech);
  missive_sasl_mechanism_set_username (mech, "sirhc@example.org");
  trace = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq (trace, "sirhc@example.org", 17);

  missive_sasl_mechanism_reset (mech);
  missive_sasl_mechanism_set_username (mech, "\xe6\x97\xa5\xe6\x9c\xac");
  utf8 = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_eq (utf8, "\xe6\x97\xa5\xe6\x9c\xac", 6);
}

static void
test_anonymous_invalid (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GString) at_limit = g_string_new (NULL);
  g_autoptr(GString) too_long = NULL;
  g_autoptr(GBytes) ok = NULL;
  GBytes *response;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_ANONYMOUS, "bad\xff", NULL, NULL);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
  g_clear_error (&error);

  /* The limit counts characters, not bytes: 255 two-byte characters fit. */
  for (guint i = 0; i < 255; i++)
    g_string_append (at_limit, "\xc3\xa9");
  missive_sasl_mechanism_set_username (mech, at_limit->str);
  ok = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (ok), ==, 510);

  missive_sasl_mechanism_reset (mech);
  too_long = g_string_new (at_limit->str);
  g_string_append_c (too_long, 'x');
  missive_sasl_mechanism_set_username (mech, too_long->str);
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (response);
  g_clear_error (&error);
}

/* ---- facts about the built-ins ------------------------------------------ */

static void
test_builtin_facts (void)
{
  struct {
    GType type;
    const char *name;
    int strength;
    MissiveSaslFlags flags;
  } cases[] = {
    { MISSIVE_TYPE_SASL_PLAIN, "PLAIN", 10,
      MISSIVE_SASL_FLAG_PLAINTEXT | MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_PASSWORD },
    { MISSIVE_TYPE_SASL_LOGIN, "LOGIN", 5,
      MISSIVE_SASL_FLAG_PLAINTEXT | MISSIVE_SASL_FLAG_NEEDS_PASSWORD },
    { MISSIVE_TYPE_SASL_EXTERNAL, "EXTERNAL", 50,
      MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_EXPLICIT_ONLY },
    { MISSIVE_TYPE_SASL_ANONYMOUS, "ANONYMOUS", 0,
      MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_EXPLICIT_ONLY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = g_object_new (cases[i].type, NULL);
      g_autofree char *name = NULL;
      int strength = -1;
      MissiveSaslFlags flags = 0;

      g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, cases[i].name);
      g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, cases[i].strength);
      g_assert_cmphex (missive_sasl_mechanism_get_flags (mech), ==, cases[i].flags);

      /* The read-only properties say the same. */
      g_object_get (mech, "name", &name, "strength", &strength, "flags", &flags, NULL);
      g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_cmpint (strength, ==, cases[i].strength);
      g_assert_cmphex (flags, ==, cases[i].flags);
    }
}

static void
test_builtin_register (void)
{
  GIOExtensionPoint *point;
  GList *extensions;
  const char *names[] = { "EXTERNAL", "PLAIN", "LOGIN", "ANONYMOUS" };
  gint priorities[] = { 50, 10, 5, 0 };
  guint i = 0;

  point = g_io_extension_point_register (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME);
  g_io_extension_point_set_required_type (point, MISSIVE_TYPE_SASL_MECHANISM);

  missive_sasl_builtin_register ();
  missive_sasl_builtin_register ();  /* idempotent */

  /* Sorted by priority, highest first. */
  extensions = g_io_extension_point_get_extensions (point);
  g_assert_cmpuint (g_list_length (extensions), ==, 4);
  for (GList *l = extensions; l != NULL; l = l->next, i++)
    {
      GIOExtension *extension = l->data;

      g_assert_cmpstr (g_io_extension_get_name (extension), ==, names[i]);
      g_assert_cmpint (g_io_extension_get_priority (extension), ==, priorities[i]);
      g_assert_true (g_type_is_a (g_io_extension_get_type (extension),
                                  MISSIVE_TYPE_SASL_MECHANISM));
    }

  g_assert_true (g_io_extension_point_get_extension_by_name (point, "PLAIN") != NULL);
  g_assert_cmpuint (g_io_extension_get_type (g_io_extension_point_get_extension_by_name (point, "LOGIN")),
                    ==, MISSIVE_TYPE_SASL_LOGIN);
}

/* ---- the base class ----------------------------------------------------- */

static void
test_complete_notify (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) response = NULL;
  guint notified = 0;
  gboolean complete = TRUE;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, "tim", "secret", NULL);
  g_signal_connect (mech, "notify::complete", G_CALLBACK (count_notify), &notified);

  g_object_get (mech, "complete", &complete, NULL);
  g_assert_false (complete);

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (mech, "complete", &complete, NULL);
  g_assert_true (complete);

  /* Setting the same value again does not notify. */
  missive_sasl_mechanism_set_complete (mech, TRUE);
  g_assert_cmpuint (notified, ==, 1);

  missive_sasl_mechanism_reset (mech);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  missive_sasl_mechanism_reset (mech);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_credentials_properties (void)
{
  g_autoptr(MissiveSaslMechanism) mech = g_object_new (MISSIVE_TYPE_SASL_PLAIN, NULL);
  const char *props[] = {
    "username", "password", "authzid", "oauth-token", "service-name", "host",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);
      g_autofree char *value = NULL;
      guint notified = 0;
      gulong id;

      id = g_signal_connect (mech, signal, G_CALLBACK (count_notify), &notified);

      g_object_set (mech, props[i], "first", NULL);
      g_assert_cmpuint (notified, ==, 1);
      g_object_set (mech, props[i], "first", NULL);
      g_assert_cmpuint (notified, ==, 1);
      g_object_set (mech, props[i], "second", NULL);
      g_assert_cmpuint (notified, ==, 2);
      g_object_get (mech, props[i], &value, NULL);
      g_assert_cmpstr (value, ==, "second");
      g_object_set (mech, props[i], NULL, NULL);
      g_assert_cmpuint (notified, ==, 3);

      g_signal_handler_disconnect (mech, id);
    }

  missive_sasl_mechanism_set_username (mech, "u");
  missive_sasl_mechanism_set_password (mech, "p");
  missive_sasl_mechanism_set_authzid (mech, "a");
  missive_sasl_mechanism_set_oauth_token (mech, "t");
  missive_sasl_mechanism_set_service_name (mech, "imap");
  missive_sasl_mechanism_set_host (mech, "mail.example.org");
  g_assert_cmpstr (missive_sasl_mechanism_get_username (mech), ==, "u");
  g_assert_cmpstr (missive_sasl_mechanism_get_password (mech), ==, "p");
  g_assert_cmpstr (missive_sasl_mechanism_get_authzid (mech), ==, "a");
  g_assert_cmpstr (missive_sasl_mechanism_get_oauth_token (mech), ==, "t");
  g_assert_cmpstr (missive_sasl_mechanism_get_service_name (mech), ==, "imap");
  g_assert_cmpstr (missive_sasl_mechanism_get_host (mech), ==, "mail.example.org");
  g_assert_null (missive_sasl_mechanism_get_transport (mech));

  /* Setting a property to its own current value is no change. */
  {
    guint notified = 0;

    g_signal_connect (mech, "notify::username", G_CALLBACK (count_notify), &notified);
    missive_sasl_mechanism_set_username (mech, missive_sasl_mechanism_get_username (mech));
    g_assert_cmpuint (notified, ==, 0);
    g_assert_cmpstr (missive_sasl_mechanism_get_username (mech), ==, "u");
  }
}

/* ---- wiping secrets ----------------------------------------------------- */

typedef struct {
  guint calls;
  guint all_zero;
  gsize total_length;
} WipeRecord;

static void
record_wipe (const guint8 *buffer,
             gsize         length,
             gpointer      user_data)
{
  WipeRecord *record = user_data;
  gboolean zero = TRUE;

  for (gsize i = 0; i < length; i++)
    zero = zero && buffer[i] == 0;
  record->calls++;
  record->total_length += length;
  if (zero)
    record->all_zero++;
}

static void
test_secrets_wiped (void)
{
  MissiveSaslMechanism *mech;
  WipeRecord record = { 0, };
  GBytes *response;
  GError *error = NULL;

  mech = new_mech (MISSIVE_TYPE_SASL_PLAIN, "tim", "first-password", NULL);
  missive_sasl_mechanism_set_oauth_token (mech, "token-1");
  missive_sasl_set_wipe_hook_for_testing (record_wipe, &record);

  /* Replacing the password wipes the old one (14 bytes). */
  missive_sasl_mechanism_set_password (mech, "second");
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.all_zero, ==, 1);
  g_assert_cmpuint (record.total_length, ==, strlen ("first-password"));

  /* The user name is no secret. */
  missive_sasl_mechanism_set_username (mech, "tom");
  g_assert_cmpuint (record.calls, ==, 1);

  /* PLAIN's response holds the password: wiped when released. */
  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record.calls, ==, 1);
  g_bytes_unref (response);
  g_assert_cmpuint (record.calls, ==, 2);
  g_assert_cmpuint (record.all_zero, ==, 2);
  g_assert_cmpuint (record.total_length, ==, 14 + sizeof "\0tom\0second" - 1);

  /* Finalizing wipes the password and the token. */
  memset (&record, 0, sizeof record);
  g_object_unref (mech);
  g_assert_cmpuint (record.calls, ==, 2);
  g_assert_cmpuint (record.all_zero, ==, 2);
  g_assert_cmpuint (record.total_length, ==, strlen ("second") + strlen ("token-1"));

  missive_sasl_set_wipe_hook_for_testing (NULL, NULL);
}

/* ---- a mechanism written by an application ------------------------------ */

#define TEST_TYPE_ECHO_MECH (test_echo_mech_get_type ())
G_DECLARE_FINAL_TYPE (TestEchoMech, test_echo_mech, TEST, ECHO_MECH, MissiveSaslMechanism)

/* Answers each challenge with "<username>:<challenge>"; the server's
 * final data must be "ok", and the exchange then completes. */
struct _TestEchoMech
{
  MissiveSaslMechanism parent_instance;
  guint rounds;
  guint resets;
};

G_DEFINE_FINAL_TYPE (TestEchoMech, test_echo_mech, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
test_echo_mech_get_name (MissiveSaslMechanism *mech)
{
  return "X-ECHO";
}

static MissiveSaslFlags
test_echo_mech_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_MUTUAL;
}

static GBytes *
test_echo_mech_step (MissiveSaslMechanism  *mech,
                     GBytes                *challenge,
                     GError               **error)
{
  TestEchoMech *self = TEST_ECHO_MECH (mech);
  g_autofree char *text = NULL;

  if (challenge == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "no initial response");
      return NULL;
    }
  /* An empty GBytes may have NULL data. */
  text = g_bytes_get_size (challenge) > 0 ?
         g_strndup (g_bytes_get_data (challenge, NULL), g_bytes_get_size (challenge)) :
         g_strdup ("");
  self->rounds++;
  if (self->rounds == 3)
    {
      if (g_strcmp0 (text, "ok") != 0)
        {
          g_set_error_literal (error, MISSIVE_ERROR,
                               MISSIVE_ERROR_AUTHENTICATION_FAILED,
                               "server proof wrong");
          return NULL;
        }
      missive_sasl_mechanism_set_complete (mech, TRUE);
      return NULL;  /* nothing to send: becomes an empty response */
    }
  if (self->rounds > 3)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "exchange already complete");
      return NULL;
    }
  return g_bytes_new_take (g_strdup_printf ("%s:%s",
                                            missive_sasl_mechanism_get_username (mech),
                                            text),
                           strlen (missive_sasl_mechanism_get_username (mech)) + 1 + strlen (text));
}

static void
test_echo_mech_reset (MissiveSaslMechanism *mech)
{
  TestEchoMech *self = TEST_ECHO_MECH (mech);

  self->rounds = 0;
  self->resets++;
  /* Deliberately no chain-up: the base class clears "complete" anyway. */
}

static void
test_echo_mech_class_init (TestEchoMechClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = test_echo_mech_get_name;
  mech_class->get_flags = test_echo_mech_get_flags;
  mech_class->step = test_echo_mech_step;
  mech_class->reset = test_echo_mech_reset;
}

static void
test_echo_mech_init (TestEchoMech *self)
{
}

static void
test_subclass (void)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(GBytes) c1 = bytes_from_string ("abc");
  g_autoptr(GBytes) c2 = bytes_from_string ("");
  g_autoptr(GBytes) final = bytes_from_string ("ok");
  g_autoptr(GBytes) r1 = NULL;
  g_autoptr(GBytes) r2 = NULL;
  g_autoptr(GBytes) r3 = NULL;
  GBytes *r4;
  GError *error = NULL;

  mech = g_object_new (TEST_TYPE_ECHO_MECH, "username", "bob", NULL);
  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, "X-ECHO");
  /* Not overridden: the base class's defaults. */
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 0);
  g_assert_cmphex (missive_sasl_mechanism_get_flags (mech), ==, MISSIVE_SASL_FLAG_MUTUAL);

  r1 = missive_sasl_mechanism_step (mech, c1, &error);
  g_assert_no_error (error);
  assert_bytes_eq (r1, "bob:abc", 7);
  r2 = missive_sasl_mechanism_step (mech, c2, &error);
  g_assert_no_error (error);
  assert_bytes_eq (r2, "bob:", 4);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  /* The server's final data reaches the mechanism even though it is the
   * mechanism, not the base class, that decides what it accepts. A NULL
   * return without error is an empty response. */
  r3 = missive_sasl_mechanism_step (mech, final, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r3);
  g_assert_cmpuint (g_bytes_get_size (r3), ==, 0);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));

  r4 = missive_sasl_mechanism_step (mech, final, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_null (r4);
  g_clear_error (&error);

  /* reset: the override runs, and "complete" is cleared even though it
   * did not chain up. */
  missive_sasl_mechanism_reset (mech);
  g_assert_cmpuint (TEST_ECHO_MECH (mech)->resets, ==, 1);
  g_assert_cmpuint (TEST_ECHO_MECH (mech)->rounds, ==, 0);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
}

/* A subclass that overrides nothing: no name, no step. */
#define TEST_TYPE_EMPTY_MECH (test_empty_mech_get_type ())
G_DECLARE_FINAL_TYPE (TestEmptyMech, test_empty_mech, TEST, EMPTY_MECH, MissiveSaslMechanism)

struct _TestEmptyMech
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_FINAL_TYPE (TestEmptyMech, test_empty_mech, MISSIVE_TYPE_SASL_MECHANISM)

static void
test_empty_mech_class_init (TestEmptyMechClass *klass)
{
}

static void
test_empty_mech_init (TestEmptyMech *self)
{
}

static void
test_base_defaults (void)
{
  g_autoptr(MissiveSaslMechanism) mech = g_object_new (TEST_TYPE_EMPTY_MECH, NULL);
  GBytes *response;
  GError *error = NULL;

  g_assert_null (missive_sasl_mechanism_get_name (mech));
  g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, 0);
  g_assert_cmphex (missive_sasl_mechanism_get_flags (mech), ==, MISSIVE_SASL_FLAG_NONE);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  response = missive_sasl_mechanism_step (mech, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (response);
  g_clear_error (&error);

  missive_sasl_mechanism_set_complete (mech, TRUE);
  missive_sasl_mechanism_reset (mech);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));

  /* Errors may be ignored by passing NULL. */
  response = missive_sasl_mechanism_step (mech, NULL, NULL);
  g_assert_null (response);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/sasl/plain/rfc4616", test_plain_rfc4616);
  g_test_add_func ("/sasl/plain/authzid", test_plain_authzid);
  g_test_add_func ("/sasl/plain/utf8", test_plain_utf8);
  g_test_add_func ("/sasl/plain/extra-challenge", test_plain_extra_challenge);
  g_test_add_func ("/sasl/plain/missing-credentials", test_plain_missing_credentials);
  g_test_add_func ("/sasl/plain/invalid-utf8", test_plain_invalid_utf8);
  g_test_add_func ("/sasl/login/two-steps", test_login_two_steps);
  g_test_add_func ("/sasl/login/no-initial-response", test_login_no_initial_response);
  g_test_add_func ("/sasl/login/missing-credentials", test_login_missing_credentials);
  g_test_add_func ("/sasl/login/reset", test_login_reset);
  g_test_add_func ("/sasl/external", test_external);
  g_test_add_func ("/sasl/anonymous/trace", test_anonymous_trace);
  g_test_add_func ("/sasl/anonymous/invalid", test_anonymous_invalid);
  g_test_add_func ("/sasl/builtin/facts", test_builtin_facts);
  g_test_add_func ("/sasl/builtin/register", test_builtin_register);
  g_test_add_func ("/sasl/base/complete-notify", test_complete_notify);
  g_test_add_func ("/sasl/base/credentials", test_credentials_properties);
  g_test_add_func ("/sasl/base/secrets-wiped", test_secrets_wiped);
  g_test_add_func ("/sasl/base/subclass", test_subclass);
  g_test_add_func ("/sasl/base/defaults", test_base_defaults);

  return g_test_run ();
}
