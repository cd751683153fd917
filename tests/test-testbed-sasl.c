/* test-testbed-sasl.c: every SASL mechanism against the real servers, on
 * every protocol
 *
 * The private Dovecot offers PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5,
 * SCRAM-SHA-1, SCRAM-SHA-256, XOAUTH2 and OAUTHBEARER (NTLM too when
 * Samba's ntlm_auth is installed); Postfix's submission service asks
 * Dovecot to check the same mechanisms. Each is used to log in over IMAP,
 * POP3 and SMTP submission, and a wrong password or an expired token must
 * fail with MISSIVE_ERROR_AUTHENTICATION_FAILED carrying the server's own
 * words. docs/reference/sasl-mechanisms.md reports this matrix.
 *
 * Needs root and the testbed (tests/testbed/); skipped otherwise (failed
 * with MISSIVE_TESTBED_REQUIRED=1).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"

#define PORT_OFFSET 460

typedef struct
{
  const char *name;
  const char *scheme;
  MissiveSecurity security;
  gsize port_offset;               /* of the port in MissiveTestbed */
  const char *refusal;             /* what the server says, lower case */
} Protocol;

static const Protocol protocols[] = {
  { "IMAP", "imap", MISSIVE_SECURITY_STARTTLS, G_STRUCT_OFFSET (MissiveTestbed, imap_port),
    "authentication failed" },
  { "IMAP", "imaps", MISSIVE_SECURITY_TLS, G_STRUCT_OFFSET (MissiveTestbed, imaps_port),
    "authentication failed" },
  { "POP3", "pop3", MISSIVE_SECURITY_STARTTLS, G_STRUCT_OFFSET (MissiveTestbed, pop3_port),
    "authentication failed" },
  { "POP3", "pop3s", MISSIVE_SECURITY_TLS, G_STRUCT_OFFSET (MissiveTestbed, pop3s_port),
    "authentication failed" },
  { "SMTP", "submission", MISSIVE_SECURITY_STARTTLS,
    G_STRUCT_OFFSET (MissiveTestbed, submission_port), "authentication failed" },
  { "SMTP", "submissions", MISSIVE_SECURITY_TLS, G_STRUCT_OFFSET (MissiveTestbed, smtps_port),
    "authentication failed" },
};

static const char *password_mechanisms[] = {
  "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
};

static const char *token_mechanisms[] = { "XOAUTH2", "OAUTHBEARER" };

/* Opens @protocol's service with @mechanism; the service on success, else
 * NULL with @error. */
static MissiveService *
open_service (const MissiveTestbed  *tb,
              const Protocol        *protocol,
              const char            *mechanism,
              const char            *user,
              const char            *password,
              const char            *token,
              GError               **error)
{
  guint16 port = G_STRUCT_MEMBER (guint16, tb, protocol->port_offset);
  g_autofree char *uri = g_strdup_printf ("%s://%s@%s:%u", protocol->scheme, user,
                                          tb->host, port);
  g_autoptr(MissiveService) service = missive_engine_create_service (missive_engine_get_default (),
                                                                     uri, error);

  if (service == NULL)
    return NULL;
  missive_service_set_security (service, protocol->security);
  missive_service_set_ca_file (service, tb->ca_file);
  missive_service_set_auth_mechanism (service, mechanism);
  if (token != NULL)
    missive_service_set_oauth_token (service, token);
  else
    missive_service_set_password (service, password);
  if (!missive_service_open (service, NULL, error))
    return NULL;
  return g_steal_pointer (&service);
}

static void
check_login (const MissiveTestbed *tb,
             const Protocol       *protocol,
             const char           *mechanism,
             const char           *user,
             const char           *password,
             const char           *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;

  g_test_message ("%s (%s) %s as %s", protocol->name, protocol->scheme, mechanism, user);
  service = open_service (tb, protocol, mechanism, user, password, token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (service);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, mechanism);
  g_assert_true (missive_service_close (service, NULL, &error));
  g_assert_no_error (error);
}

static void
check_refused (const MissiveTestbed *tb,
               const Protocol       *protocol,
               const char           *mechanism,
               const char           *user,
               const char           *password,
               const char           *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveService) service = NULL;
  g_autofree char *text = NULL;

  g_test_message ("%s (%s) %s as %s, refused", protocol->name, protocol->scheme, mechanism, user);
  service = open_service (tb, protocol, mechanism, user, password, token, &error);
  g_assert_null (service);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  /* The server's own words reach the application. */
  text = g_ascii_strdown (error->message, -1);
  g_assert_nonnull (strstr (text, protocol->refusal));
}

static void
test_passwords (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);

  if (tb == NULL)
    return;
  for (gsize p = 0; p < G_N_ELEMENTS (protocols); p++)
    for (gsize m = 0; m < G_N_ELEMENTS (password_mechanisms); m++)
      {
        check_login (tb, &protocols[p], password_mechanisms[m], tb->user1, tb->pass1, NULL);
        /* user2's password has a space and a quote; a wrong password must
         * be refused. Each once per protocol and mechanism (one on the
         * STARTTLS port, the other on the TLS port) keeps the run short
         * under the sanitizers. */
        if (protocols[p].security == MISSIVE_SECURITY_STARTTLS)
          check_login (tb, &protocols[p], password_mechanisms[m], tb->user2, tb->pass2, NULL);
        else
          check_refused (tb, &protocols[p], password_mechanisms[m], tb->user1,
                         "not the password", NULL);
      }
}

static void
test_tokens (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expired = NULL;

  if (tb == NULL)
    return;
  token = missive_test_testbed_mint_token (tb, tb->user1, 600, &error);
  g_assert_no_error (error);
  expired = missive_test_testbed_mint_token (tb, tb->user1, -600, &error);
  g_assert_no_error (error);

  for (gsize p = 0; p < G_N_ELEMENTS (protocols); p++)
    for (gsize m = 0; m < G_N_ELEMENTS (token_mechanisms); m++)
      {
        check_login (tb, &protocols[p], token_mechanisms[m], tb->user1, NULL, token);
        check_refused (tb, &protocols[p], token_mechanisms[m], tb->user1, NULL, expired);
      }
}

static void
test_ntlm (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autofree char *ntlm = NULL;

  if (tb == NULL)
    return;
  ntlm = missive_test_testbed_getenv (tb, "TESTBED_NTLM");
  if (g_strcmp0 (ntlm, "yes") != 0)
    {
      g_test_skip ("the testbed offers no NTLM (no ntlm_auth)");
      return;
    }
  for (gsize p = 0; p < G_N_ELEMENTS (protocols); p++)
    {
      check_login (tb, &protocols[p], "NTLM", tb->user1, tb->pass1, NULL);
      check_refused (tb, &protocols[p], "NTLM", tb->user1, "not the password", NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/sasl/passwords", test_passwords);
  g_test_add_func ("/testbed/sasl/tokens", test_tokens);
  g_test_add_func ("/testbed/sasl/ntlm", test_ntlm);

  return g_test_run ();
}
