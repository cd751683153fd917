/* test-sasl-scram.c: the SCRAM plugin (SCRAM-SHA-1/256/512 and -PLUS)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

/* RFC 5802 section 5 (SCRAM-SHA-1). */
#define RFC5802_NONCE "fyko+d2lbbFgONRv9qkxdawL"
#define RFC5802_SERVER_FIRST "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"
#define RFC5802_CLIENT_FINAL "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="
#define RFC5802_SERVER_FINAL "v=rmF9pqV8S7suAoZWja4dJRkFsKQ="

/* RFC 7677 section 3 (SCRAM-SHA-256). */
#define RFC7677_NONCE "rOprNGfwEbeRWgbNEkqO"
#define RFC7677_SERVER_FIRST "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define RFC7677_CLIENT_FINAL "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define RFC7677_SERVER_FINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

/* SCRAM-SHA-512 has no published example: the same exchange as RFC 7677,
 * with the expected values computed independently (Python's hashlib
 * pbkdf2_hmac and hmac, which reproduce both RFC examples above). */
#define SHA512_CLIENT_FINAL "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp6dybEmDYXYTxwnYPJQ=="
#define SHA512_SERVER_FINAL "v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5ZxXnJq199RVG2rR7N7Zw=="

static MissiveSaslMechanism *
new_mech (const char *name,
          const char *username,
          const char *password,
          const char *nonce)
{
  g_autoptr(GError) error = NULL;
  MissiveSaslMechanism *mech;

  mech = missive_engine_create_sasl_mechanism (missive_engine_get_default (),
                                               name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mech);
  g_assert_cmpstr (missive_sasl_mechanism_get_name (mech), ==, name);
  missive_sasl_mechanism_set_username (mech, username);
  missive_sasl_mechanism_set_password (mech, password);
  if (nonce != NULL)
    g_object_set (mech, "client-nonce", nonce, NULL);
  return mech;
}

static GBytes *
bytes_from_string (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

/* Steps with @challenge (NULL: initial response), expects success and
 * returns the response as a string. */
static char *
step_ok (MissiveSaslMechanism *mech,
         const char           *challenge)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) in = challenge != NULL ? bytes_from_string (challenge) : NULL;
  g_autoptr(GBytes) out = NULL;
  gsize length;
  const char *data;

  out = missive_sasl_mechanism_step (mech, in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  data = g_bytes_get_data (out, &length);
  return length > 0 ? g_strndup (data, length) : g_strdup ("");
}

static void
step_fails (MissiveSaslMechanism *mech,
            const char           *challenge,
            gssize                length,
            int                   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;

  if (challenge != NULL)
    in = g_bytes_new (challenge, length >= 0 ? (gsize) length : strlen (challenge));
  out = missive_sasl_mechanism_step (mech, in, &error);
  g_assert_error (error, MISSIVE_ERROR, code);
  g_assert_null (out);
  g_assert_false (missive_sasl_mechanism_is_complete (mech));
}

static void
run_exchange (const char *name,
              const char *nonce,
              const char *server_first,
              const char *client_final,
              const char *server_final)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech (name, "user", "pencil", nonce);
  g_autofree char *expected_first = g_strconcat ("n,,n=user,r=", nonce, NULL);

  /* Twice, to check that reset() starts over. */
  for (int round = 0; round < 2; round++)
    {
      g_autofree char *first = NULL;
      g_autofree char *final = NULL;
      g_autofree char *last = NULL;

      first = step_ok (mech, NULL);
      g_assert_cmpstr (first, ==, expected_first);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
      final = step_ok (mech, server_first);
      g_assert_cmpstr (final, ==, client_final);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
      last = step_ok (mech, server_final);
      g_assert_cmpstr (last, ==, "");
      g_assert_true (missive_sasl_mechanism_is_complete (mech));

      /* Anything after completion is a protocol error. */
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) in = bytes_from_string (server_final);
        g_autoptr(GBytes) out = missive_sasl_mechanism_step (mech, in, &error);

        g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
        g_assert_null (out);
      }

      missive_sasl_mechanism_reset (mech);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

static void
test_rfc5802_sha1 (void)
{
  run_exchange ("SCRAM-SHA-1", RFC5802_NONCE, RFC5802_SERVER_FIRST,
                RFC5802_CLIENT_FINAL, RFC5802_SERVER_FINAL);
}

static void
test_rfc7677_sha256 (void)
{
  run_exchange ("SCRAM-SHA-256", RFC7677_NONCE, RFC7677_SERVER_FIRST,
                RFC7677_CLIENT_FINAL, RFC7677_SERVER_FINAL);
}

static void
test_sha512 (void)
{
  run_exchange ("SCRAM-SHA-512", RFC7677_NONCE, RFC7677_SERVER_FIRST,
                SHA512_CLIENT_FINAL, SHA512_SERVER_FINAL);
}

static void
test_empty_challenge_first (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("SCRAM-SHA-1", "user", "pencil", RFC5802_NONCE);
  g_autofree char *first = step_ok (mech, "");

  g_assert_cmpstr (first, ==, "n,,n=user,r=" RFC5802_NONCE);
}

static void
test_properties (void)
{
  static const struct {
    const char *name;
    int strength;
    gboolean plus;
  } expected[] = {
    { "SCRAM-SHA-1", 60, FALSE },
    { "SCRAM-SHA-1-PLUS", 65, TRUE },
    { "SCRAM-SHA-256", 70, FALSE },
    { "SCRAM-SHA-256-PLUS", 75, TRUE },
    { "SCRAM-SHA-512", 75, FALSE },
    { "SCRAM-SHA-512-PLUS", 80, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mech (expected[i].name, "u", "p", NULL);
      MissiveSaslFlags flags = MISSIVE_SASL_FLAG_CLIENT_FIRST |
                               MISSIVE_SASL_FLAG_NEEDS_PASSWORD |
                               MISSIVE_SASL_FLAG_MUTUAL;

      if (expected[i].plus)
        flags |= MISSIVE_SASL_FLAG_CHANNEL_BINDING;
      g_assert_cmpint (missive_sasl_mechanism_get_strength (mech), ==, expected[i].strength);
      g_assert_cmphex (missive_sasl_mechanism_get_flags (mech), ==, flags);
    }
}

static void
test_random_nonce (void)
{
  g_autoptr(MissiveSaslMechanism) a = new_mech ("SCRAM-SHA-256", "user", "pencil", NULL);
  g_autoptr(MissiveSaslMechanism) b = new_mech ("SCRAM-SHA-256", "user", "pencil", NULL);
  g_autofree char *first_a = step_ok (a, NULL);
  g_autofree char *first_b = step_ok (b, NULL);
  const char *nonce;

  g_assert_true (g_str_has_prefix (first_a, "n,,n=user,r="));
  nonce = first_a + strlen ("n,,n=user,r=");
  g_assert_cmpuint (strlen (nonce), >=, 24);
  g_assert_null (strchr (nonce, ','));
  for (const char *p = nonce; *p != '\0'; p++)
    g_assert_true (*p > 0x20 && *p < 0x7F);
  g_assert_cmpstr (first_a, !=, first_b);
}

static void
test_escaping_and_authzid (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("SCRAM-SHA-1", "us,er=x", "pencil", RFC5802_NONCE);
  g_autofree char *first = NULL;
  g_autofree char *final = NULL;
  g_autofree char *expected_c = NULL;

  missive_sasl_mechanism_set_authzid (mech, "ad=min,");
  first = step_ok (mech, NULL);
  g_assert_cmpstr (first, ==, "n,a=ad=3Dmin=2C,n=us=2Cer=3Dx,r=" RFC5802_NONCE);

  /* c= carries the whole gs2 header, authzid included. */
  final = step_ok (mech, RFC5802_SERVER_FIRST);
  expected_c = g_strconcat ("c=", "bixhPWFkPTNEbWluPTJDLA==", ",r=", NULL);
  g_assert_true (g_str_has_prefix (final, expected_c));
}

static void
test_missing_credentials (void)
{
  g_autoptr(MissiveSaslMechanism) no_user = new_mech ("SCRAM-SHA-256", NULL, "pencil", NULL);
  g_autoptr(MissiveSaslMechanism) no_password = new_mech ("SCRAM-SHA-256", "user", NULL, NULL);
  g_autoptr(MissiveSaslMechanism) bad_nonce = new_mech ("SCRAM-SHA-256", "user", "pencil", "a,b");

  step_fails (no_user, NULL, -1, MISSIVE_ERROR_INVALID_ARGUMENT);
  step_fails (no_password, NULL, -1, MISSIVE_ERROR_INVALID_ARGUMENT);
  step_fails (bad_nonce, NULL, -1, MISSIVE_ERROR_INVALID_ARGUMENT);
}

static void
test_plus_without_transport (void)
{
  const char *names[] = { "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mech (names[i], "user", "pencil", NULL);

      step_fails (mech, NULL, -1, MISSIVE_ERROR_MECHANISM_UNAVAILABLE);
    }
}

static void
test_plus_without_tls (void)
{
  g_autoptr(MissiveSocketTransport) transport =
    missive_socket_transport_new ("127.0.0.1", 143, MISSIVE_SECURITY_NONE);
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("SCRAM-SHA-256-PLUS", "user", "pencil", NULL);

  missive_sasl_mechanism_set_transport (mech, MISSIVE_TRANSPORT (transport));
  step_fails (mech, NULL, -1, MISSIVE_ERROR_MECHANISM_UNAVAILABLE);
}

static const MissiveTestStep tls_script[] = {
  MT_WAIT_CLOSE,
  MT_END
};

/* Over a real TLS connection, the -PLUS variant announces the binding type
 * in the gs2 header and puts the channel's binding data into c=. */
static void
test_plus_over_tls (void)
{
  g_autoptr(GTlsCertificate) server_cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (tls_script, server_cert, TRUE);
  g_autoptr(MissiveSocketTransport) transport = NULL;
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  g_autoptr(MissiveSaslMechanism) plain_mech = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) binding = NULL;
  g_autoptr(GByteArray) cbind_input = NULL;
  g_autofree char *ca = missive_test_cert_path ("ca.pem");
  g_autofree char *first = NULL;
  g_autofree char *final = NULL;
  g_autofree char *expected_final_prefix = NULL;
  g_autofree char *cbind_base64 = NULL;
  g_autofree char *plain_first = NULL;
  const char *gs2_header;
  GTlsChannelBindingType type;
  gboolean ok;

  transport = missive_socket_transport_new ("127.0.0.1", missive_test_server_get_port (server),
                                            MISSIVE_SECURITY_TLS);
  missive_socket_transport_set_ca_file (transport, ca);
  missive_socket_transport_set_connect_timeout (transport, 10);
  missive_socket_transport_set_timeout (transport, 10);
  ok = missive_transport_open (MISSIVE_TRANSPORT (transport), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  mech = new_mech ("SCRAM-SHA-256-PLUS", "user", "pencil", RFC7677_NONCE);
  missive_sasl_mechanism_set_transport (mech, MISSIVE_TRANSPORT (transport));
  first = step_ok (mech, NULL);

  if (g_str_has_prefix (first, "p=tls-exporter,,"))
    {
      type = G_TLS_CHANNEL_BINDING_TLS_EXPORTER;
      gs2_header = "p=tls-exporter,,";
    }
  else
    {
      type = G_TLS_CHANNEL_BINDING_TLS_SERVER_END_POINT;
      gs2_header = "p=tls-server-end-point,,";
    }
  g_test_message ("channel binding: %s", gs2_header);
  g_assert_cmpstr (first + strlen (gs2_header), ==, "n=user,r=" RFC7677_NONCE);
  g_assert_true (g_str_has_prefix (first, gs2_header));

  binding = missive_transport_get_channel_binding_data (MISSIVE_TRANSPORT (transport), type, &error);
  g_assert_no_error (error);
  g_assert_nonnull (binding);
  g_assert_cmpuint (g_bytes_get_size (binding), >, 0);
  cbind_input = g_byte_array_new ();
  g_byte_array_append (cbind_input, (const guint8 *) gs2_header, strlen (gs2_header));
  g_byte_array_append (cbind_input, g_bytes_get_data (binding, NULL), g_bytes_get_size (binding));
  cbind_base64 = g_base64_encode (cbind_input->data, cbind_input->len);
  expected_final_prefix = g_strconcat ("c=", cbind_base64,
                                       ",r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=",
                                       NULL);

  final = step_ok (mech, RFC7677_SERVER_FIRST);
  g_assert_true (g_str_has_prefix (final, expected_final_prefix));
  /* The server's RFC 7677 signature is for c=biws: it must not verify. */
  step_fails (mech, RFC7677_SERVER_FINAL, -1, MISSIVE_ERROR_AUTHENTICATION_FAILED);

  /* The non-PLUS variant says "n" even on TLS. */
  plain_mech = new_mech ("SCRAM-SHA-256", "user", "pencil", RFC7677_NONCE);
  missive_sasl_mechanism_set_transport (plain_mech, MISSIVE_TRANSPORT (transport));
  plain_first = step_ok (plain_mech, NULL);
  g_assert_cmpstr (plain_first, ==, "n,,n=user,r=" RFC7677_NONCE);

  ok = missive_transport_close (MISSIVE_TRANSPORT (transport), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  ok = missive_test_server_finish (server, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* A mechanism that sent the RFC 5802 client-first message. */
static MissiveSaslMechanism *
mech_after_first (void)
{
  MissiveSaslMechanism *mech = new_mech ("SCRAM-SHA-1", "user", "pencil", RFC5802_NONCE);
  g_autofree char *first = step_ok (mech, NULL);

  return mech;
}

static void
test_bad_server_first (void)
{
  static const struct {
    const char *challenge;
    int code;
  } cases[] = {
    /* nonce that does not extend the client's */
    { "r=XXko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096", MISSIVE_ERROR_AUTHENTICATION_FAILED },
    { "r=fyko+d2lbbFgONRv9qkxda,s=QSXCR+Q6sek8bf92,i=4096", MISSIVE_ERROR_AUTHENTICATION_FAILED },
    /* nonce with a non-printable character */
    { "r=fyko+d2lbbFgONRv9qkxdawL\x01,s=QSXCR+Q6sek8bf92,i=4096", MISSIVE_ERROR_PROTOCOL },
    /* missing or misplaced attributes */
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92", MISSIVE_ERROR_PROTOCOL },
    { "s=QSXCR+Q6sek8bf92,r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc", MISSIVE_ERROR_PROTOCOL },
    { "garbage", MISSIVE_ERROR_PROTOCOL },
    { "r=", MISSIVE_ERROR_PROTOCOL },
    /* iteration counts */
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=0", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=1000001", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=99999999999999999999999", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=-1", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=+4096", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096x", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=", MISSIVE_ERROR_PROTOCOL },
    /* salts */
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=,i=4096", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf9,i=4096", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXC*+Q6sek8bf92,i=4096", MISSIVE_ERROR_PROTOCOL },
    { "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QS=CR+Q6sek8bf92,i=4096", MISSIVE_ERROR_PROTOCOL },
    /* mandatory extension, server error */
    { "m=ext,r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096", MISSIVE_ERROR_PROTOCOL },
    { "e=unknown-user", MISSIVE_ERROR_AUTHENTICATION_FAILED },
    /* empty */
    { "", MISSIVE_ERROR_PROTOCOL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].challenge);
      step_fails (mech, cases[i].challenge, -1, cases[i].code);
    }

  /* Truncated versions of the RFC message, and one with an embedded NUL. */
  for (gsize length = 0; length < strlen (RFC5802_SERVER_FIRST); length++)
    {
      g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();
      g_autoptr(GError) error = NULL;
      g_autofree char *truncated = g_strndup (RFC5802_SERVER_FIRST, length);
      g_autoptr(GBytes) in = bytes_from_string (truncated);
      g_autoptr(GBytes) out = missive_sasl_mechanism_step (mech, in, &error);

      /* Cutting the iteration count short ("i=409") still parses. */
      if (g_str_has_suffix (truncated, ",i=4") || g_str_has_suffix (truncated, ",i=40") ||
          g_str_has_suffix (truncated, ",i=409"))
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_nonnull (error);
      g_assert_true (error->domain == MISSIVE_ERROR);
      g_assert_true (error->code == MISSIVE_ERROR_PROTOCOL ||
                     error->code == MISSIVE_ERROR_AUTHENTICATION_FAILED);
      g_assert_null (out);
    }

  {
    g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();

    step_fails (mech, RFC5802_SERVER_FIRST "\0,x=1", sizeof RFC5802_SERVER_FIRST + 4,
                MISSIVE_ERROR_PROTOCOL);
  }
  {
    g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();

    step_fails (mech, NULL, -1, MISSIVE_ERROR_PROTOCOL);
  }
}

static void
test_server_first_extensions (void)
{
  g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();
  g_autofree char *final = step_ok (mech, RFC5802_SERVER_FIRST ",x=optional");

  g_assert_true (g_str_has_prefix (final, "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p="));
  /* The extension is part of the AuthMessage, so the proof differs. */
  g_assert_cmpstr (final, !=, RFC5802_CLIENT_FINAL);
}

static void
test_server_data_before_first (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("SCRAM-SHA-1", "user", "pencil", RFC5802_NONCE);

  step_fails (mech, RFC5802_SERVER_FIRST, -1, MISSIVE_ERROR_PROTOCOL);
}

static void
test_bad_server_final (void)
{
  static const struct {
    const char *challenge;
    int code;
  } cases[] = {
    /* wrong verifier (last character changed) */
    { "v=rmF9pqV8S7suAoZWja4dJRkFsKA=", MISSIVE_ERROR_AUTHENTICATION_FAILED },
    /* right verifier of the wrong length */
    { "v=rmF9pqV8S7suAoZWja4dJRkF", MISSIVE_ERROR_AUTHENTICATION_FAILED },
    { "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=AAAA", MISSIVE_ERROR_PROTOCOL },
    /* bad base64 */
    { "v=rmF9pqV8S7suAoZWja4dJRkFsKQ", MISSIVE_ERROR_PROTOCOL },
    { "v=rmF9pqV8S7su*oZWja4dJRkFsKQ=", MISSIVE_ERROR_PROTOCOL },
    { "v=", MISSIVE_ERROR_PROTOCOL },
    /* server error */
    { "e=invalid-proof", MISSIVE_ERROR_AUTHENTICATION_FAILED },
    /* garbage, empty */
    { "x=rmF9pqV8S7suAoZWja4dJRkFsKQ=", MISSIVE_ERROR_PROTOCOL },
    { "v", MISSIVE_ERROR_PROTOCOL },
    { "", MISSIVE_ERROR_PROTOCOL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();
      g_autofree char *final = step_ok (mech, RFC5802_SERVER_FIRST);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].challenge);
      step_fails (mech, cases[i].challenge, -1, cases[i].code);
    }

  /* The server's error text reaches the error message. */
  {
    g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();
    g_autofree char *final = step_ok (mech, RFC5802_SERVER_FIRST);
    g_autoptr(GBytes) in = bytes_from_string ("e=other-error\x01,ext=1");
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) out = missive_sasl_mechanism_step (mech, in, &error);

    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
    g_assert_nonnull (strstr (error->message, "other-error?"));
    g_assert_null (strstr (error->message, "ext=1"));
  }

  /* The verifier may be followed by extensions. */
  {
    g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();
    g_autofree char *final = step_ok (mech, RFC5802_SERVER_FIRST);
    g_autofree char *last = step_ok (mech, RFC5802_SERVER_FINAL ",x=y");

    g_assert_cmpstr (last, ==, "");
    g_assert_true (missive_sasl_mechanism_is_complete (mech));
  }

  /* Truncated verifiers. */
  for (gsize length = 0; length < strlen (RFC5802_SERVER_FINAL); length++)
    {
      g_autoptr(MissiveSaslMechanism) mech = mech_after_first ();
      g_autofree char *final = step_ok (mech, RFC5802_SERVER_FIRST);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) in = g_bytes_new (RFC5802_SERVER_FINAL, length);
      g_autoptr(GBytes) out = missive_sasl_mechanism_step (mech, in, &error);

      g_assert_nonnull (error);
      g_assert_null (out);
      g_assert_false (missive_sasl_mechanism_is_complete (mech));
    }
}

/* RFC 4013 section 3 examples, through the user name of the client-first
 * message. */
static void
test_saslprep (void)
{
  static const struct {
    const char *input;
    const char *output;
  } cases[] = {
    { "I\xC2\xAD" "X", "IX" },            /* soft hyphen mapped to nothing */
    { "user", "user" },
    { "USER", "USER" },                   /* case preserved */
    { "\xC2\xAA", "a" },                  /* NFKC: feminine ordinal */
    { "\xE2\x85\xA8", "IX" },             /* NFKC: ROMAN NUMERAL NINE */
    { "a\xC2\xA0" "b", "a b" },           /* no-break space mapped to space */
    { "a\xE2\x80\x8B" "b", "ab" },        /* zero width space mapped to nothing */
    { "\xEF\xAC\x81", "fi" },             /* NFKC: fi ligature */
  };
  static const char *const bad[] = {
    "\x07",                  /* control character */
    "a\x7F",                 /* DEL */
    "a\xC2\x85",             /* C1 control (NEL) */
    "\xEE\x80\x80",          /* U+E000, private use */
    "\xEF\xB7\x90",          /* U+FDD0, non-character */
    "\xEF\xBF\xBE",          /* U+FFFE, non-character */
    "\xE2\x80\x8E",          /* U+200E, LEFT-TO-RIGHT MARK */
    "\xF3\xA0\x80\x81",      /* U+E0001, language tag */
    "\xC3\x28",              /* not UTF-8 */
    "\xC2\xAD",              /* empty after mapping */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveSaslMechanism) mech = new_mech ("SCRAM-SHA-256", cases[i].input, "pencil", "N");
      g_autofree char *first = step_ok (mech, NULL);
      g_autofree char *expected = g_strconcat ("n,,n=", cases[i].output, ",r=N", NULL);

      g_assert_cmpstr (first, ==, expected);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MissiveSaslMechanism) as_user = new_mech ("SCRAM-SHA-256", bad[i], "pencil", "N");
      g_autoptr(MissiveSaslMechanism) as_password = new_mech ("SCRAM-SHA-256", "user", bad[i], "N");

      g_test_message ("bad case %" G_GSIZE_FORMAT, i);
      step_fails (as_user, NULL, -1, MISSIVE_ERROR_INVALID_ARGUMENT);
      step_fails (as_password, NULL, -1, MISSIVE_ERROR_INVALID_ARGUMENT);
    }
}

/* The password goes through SASLprep too: "pen\u00ADcil" authenticates
 * like "pencil" and "\u2168" like "IX". */
static void
test_saslprep_password (void)
{
  g_autoptr(MissiveSaslMechanism) mech = new_mech ("SCRAM-SHA-1", "user", "pen\xC2\xAD" "cil", RFC5802_NONCE);
  g_autoptr(MissiveSaslMechanism) other = new_mech ("SCRAM-SHA-1", "user", "pen\xC2\xA0" "cil", RFC5802_NONCE);
  g_autofree char *first = step_ok (mech, NULL);
  g_autofree char *final = step_ok (mech, RFC5802_SERVER_FIRST);
  g_autofree char *last = step_ok (mech, RFC5802_SERVER_FINAL);
  g_autofree char *other_first = step_ok (other, NULL);
  g_autofree char *other_final = step_ok (other, RFC5802_SERVER_FIRST);

  g_assert_cmpstr (final, ==, RFC5802_CLIENT_FINAL);
  g_assert_true (missive_sasl_mechanism_is_complete (mech));
  /* "pen cil" is a different password. */
  g_assert_cmpstr (other_final, !=, RFC5802_CLIENT_FINAL);
  step_fails (other, RFC5802_SERVER_FINAL, -1, MISSIVE_ERROR_AUTHENTICATION_FAILED);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/sasl-scram/rfc5802-sha1", test_rfc5802_sha1);
  g_test_add_func ("/sasl-scram/rfc7677-sha256", test_rfc7677_sha256);
  g_test_add_func ("/sasl-scram/sha512", test_sha512);
  g_test_add_func ("/sasl-scram/empty-challenge-first", test_empty_challenge_first);
  g_test_add_func ("/sasl-scram/properties", test_properties);
  g_test_add_func ("/sasl-scram/random-nonce", test_random_nonce);
  g_test_add_func ("/sasl-scram/escaping-and-authzid", test_escaping_and_authzid);
  g_test_add_func ("/sasl-scram/missing-credentials", test_missing_credentials);
  g_test_add_func ("/sasl-scram/plus-without-transport", test_plus_without_transport);
  g_test_add_func ("/sasl-scram/plus-without-tls", test_plus_without_tls);
  g_test_add_func ("/sasl-scram/plus-over-tls", test_plus_over_tls);
  g_test_add_func ("/sasl-scram/bad-server-first", test_bad_server_first);
  g_test_add_func ("/sasl-scram/server-first-extensions", test_server_first_extensions);
  g_test_add_func ("/sasl-scram/server-data-before-first", test_server_data_before_first);
  g_test_add_func ("/sasl-scram/bad-server-final", test_bad_server_final);
  g_test_add_func ("/sasl-scram/saslprep", test_saslprep);
  g_test_add_func ("/sasl-scram/saslprep-password", test_saslprep_password);

  return g_test_run ();
}
