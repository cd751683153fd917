/* test-uri.c: the service URI parser (core/missive-uri.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "missive-uri-private.h"
#include "test-utils.h"

#define NONE MISSIVE_SECURITY_NONE
#define STARTTLS MISSIVE_SECURITY_STARTTLS
#define TLS MISSIVE_SECURITY_TLS

/* A protocol a plugin adds: its name is its own scheme. */
static const char * const extra_schemes[] = { "x-proto", NULL };

typedef struct
{
  const char *uri;
  const char *scheme;
  const char *protocol;
  const char *host;
  guint16 port;
  MissiveSecurity security;
  const char *username;
  const char *password;
  const char *auth_mechanism;
  int allow_plaintext;  /* -1: not given */
  int timeout;          /* -1: not given */
} GoodUri;

static const GoodUri good_uris[] = {
  /* The scheme table. */
  { "imap://mail.example.org", "imap", "imap", "mail.example.org", 143, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "imaps://mail.example.org", "imaps", "imap", "mail.example.org", 993, TLS, NULL, NULL, NULL, -1, -1 },
  { "pop3://mail.example.org", "pop3", "pop3", "mail.example.org", 110, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "pop3s://mail.example.org", "pop3s", "pop3", "mail.example.org", 995, TLS, NULL, NULL, NULL, -1, -1 },
  { "smtp://mail.example.org", "smtp", "smtp", "mail.example.org", 25, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "submission://mail.example.org", "submission", "smtp", "mail.example.org", 587, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "submissions://mail.example.org", "submissions", "smtp", "mail.example.org", 465, TLS, NULL, NULL, NULL, -1, -1 },
  { "smtps://mail.example.org", "smtps", "smtp", "mail.example.org", 465, TLS, NULL, NULL, NULL, -1, -1 },
  { "lmtp://127.0.0.1", "lmtp", "lmtp", "127.0.0.1", 24, NONE, NULL, NULL, NULL, -1, -1 },
  /* Scheme case, explicit port, trailing slash, empty query. */
  { "IMAPS://Mail.Example.org:10993/", "imaps", "imap", "Mail.Example.org", 10993, TLS, NULL, NULL, NULL, -1, -1 },
  { "imap://h/?", "imap", "imap", "h", 143, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "imap://h?&security=none&", "imap", "imap", "h", 143, NONE, NULL, NULL, NULL, -1, -1 },
  /* IPv6 and IPv4 literals, IDN. */
  { "imap://[::1]:1143", "imap", "imap", "::1", 1143, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "imaps://[2001:db8::1]", "imaps", "imap", "2001:db8::1", 993, TLS, NULL, NULL, NULL, -1, -1 },
  { "smtp://192.0.2.1:2525", "smtp", "smtp", "192.0.2.1", 2525, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "imap://b%C3%BCcher.example", "imap", "imap", "xn--bcher-kva.example", 143, STARTTLS, NULL, NULL, NULL, -1, -1 },
  /* User names and passwords are percent-decoded. */
  { "imap://alice@h", "imap", "imap", "h", 143, STARTTLS, "alice", NULL, NULL, -1, -1 },
  { "imaps://alice%40example.org@mail.example.org", "imaps", "imap", "mail.example.org", 993, TLS, "alice@example.org", NULL, NULL, -1, -1 },
  { "imap://bob:pa%3Ass%20word@h", "imap", "imap", "h", 143, STARTTLS, "bob", "pa:ss word", NULL, -1, -1 },
  { "imap://%C3%A9lodie@h", "imap", "imap", "h", 143, STARTTLS, "élodie", NULL, NULL, -1, -1 },
  { "imap://@h", "imap", "imap", "h", 143, STARTTLS, NULL, NULL, NULL, -1, -1 },
  /* Security; switching TLS on or off without a port switches the port. */
  { "imap://h?security=none", "imap", "imap", "h", 143, NONE, NULL, NULL, NULL, -1, -1 },
  { "imap://h?security=tls", "imap", "imap", "h", 993, TLS, NULL, NULL, NULL, -1, -1 },
  { "imap://h:1234?security=tls", "imap", "imap", "h", 1234, TLS, NULL, NULL, NULL, -1, -1 },
  { "imaps://h?Security=STARTTLS", "imaps", "imap", "h", 143, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "pop3://h?security=tls", "pop3", "pop3", "h", 995, TLS, NULL, NULL, NULL, -1, -1 },
  { "pop3s://h?security=none", "pop3s", "pop3", "h", 110, NONE, NULL, NULL, NULL, -1, -1 },
  { "smtp://h?security=tls", "smtp", "smtp", "h", 465, TLS, NULL, NULL, NULL, -1, -1 },
  { "submission://h?security=none", "submission", "smtp", "h", 587, NONE, NULL, NULL, NULL, -1, -1 },
  { "smtps://h?security=starttls", "smtps", "smtp", "h", 587, STARTTLS, NULL, NULL, NULL, -1, -1 },
  { "lmtp://h?security=tls", "lmtp", "lmtp", "h", 24, TLS, NULL, NULL, NULL, -1, -1 },
  /* Mechanisms, uppercased; RFC 5092 ";AUTH=". */
  { "smtp://h?auth=cram-md5", "smtp", "smtp", "h", 25, STARTTLS, NULL, NULL, "CRAM-MD5", -1, -1 },
  { "smtp://h?mechanism=SCRAM-SHA-256-PLUS", "smtp", "smtp", "h", 25, STARTTLS, NULL, NULL, "SCRAM-SHA-256-PLUS", -1, -1 },
  { "imap://bob;AUTH=GSSAPI@h", "imap", "imap", "h", 143, STARTTLS, "bob", NULL, "GSSAPI", -1, -1 },
  { "imap://bob;auth=*@h", "imap", "imap", "h", 143, STARTTLS, "bob", NULL, NULL, -1, -1 },
  { "imap://bob:secret;AUTH=PLAIN@h", "imap", "imap", "h", 143, STARTTLS, "bob", "secret", "PLAIN", -1, -1 },
  /* The other parameters. */
  { "imap://h?allow-plaintext=true", "imap", "imap", "h", 143, STARTTLS, NULL, NULL, NULL, TRUE, -1 },
  { "imap://h?allow-plaintext=FALSE", "imap", "imap", "h", 143, STARTTLS, NULL, NULL, NULL, FALSE, -1 },
  { "imap://h?allow-plaintext=1&timeout=0", "imap", "imap", "h", 143, STARTTLS, NULL, NULL, NULL, TRUE, 0 },
  { "submission://u@h:2587?timeout=30&auth=PLAIN&allow-plaintext=no&security=tls",
    "submission", "smtp", "h", 2587, TLS, "u", NULL, "PLAIN", FALSE, 30 },
  /* A plugin's protocol as scheme: port required, no TLS by default. */
  { "x-proto://h:99", "x-proto", "x-proto", "h", 99, NONE, NULL, NULL, NULL, -1, -1 },
  { "X-Proto://bob@[::1]:99?security=tls&auth=X-TEST", "x-proto", "x-proto", "::1", 99, TLS, "bob", NULL, "X-TEST", -1, -1 },
};

static void
test_good (gconstpointer data)
{
  const GoodUri *expected = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveUri) uri = NULL;

  g_test_message ("%s", expected->uri);
  uri = missive_uri_parse (expected->uri, extra_schemes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uri);

  g_assert_cmpstr (uri->scheme, ==, expected->scheme);
  g_assert_cmpstr (uri->protocol, ==, expected->protocol);
  g_assert_cmpstr (uri->host, ==, expected->host);
  g_assert_cmpuint (uri->port, ==, expected->port);
  g_assert_cmpint (uri->security, ==, expected->security);
  g_assert_cmpstr (uri->username, ==, expected->username);
  g_assert_cmpstr (uri->password, ==, expected->password);
  g_assert_cmpstr (uri->auth_mechanism, ==, expected->auth_mechanism);
  g_assert_cmpint (uri->has_allow_plaintext, ==, expected->allow_plaintext >= 0);
  if (expected->allow_plaintext >= 0)
    g_assert_cmpint (uri->allow_plaintext, ==, expected->allow_plaintext);
  g_assert_cmpint (uri->has_timeout, ==, expected->timeout >= 0);
  if (expected->timeout >= 0)
    g_assert_cmpuint (uri->timeout, ==, (guint) expected->timeout);
}

typedef struct
{
  const char *uri;
  MissiveError code;
  const char *message_part; /* a part of the error message, or NULL */
} BadUri;

static const BadUri bad_uris[] = {
  /* Schemes. */
  { "gopher://example.org", MISSIVE_ERROR_UNKNOWN_SCHEME, "gopher" },
  { "http://example.org", MISSIVE_ERROR_UNKNOWN_SCHEME, NULL },
  { "x-proto-2://h:1", MISSIVE_ERROR_UNKNOWN_SCHEME, NULL },
  { "mail.example.org", MISSIVE_ERROR_INVALID_ARGUMENT, "scheme" },
  { "", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  /* Hosts. */
  { "imap://", MISSIVE_ERROR_INVALID_ARGUMENT, "no host" },
  { "imap:mail.example.org", MISSIVE_ERROR_INVALID_ARGUMENT, "no host" },
  { "imap://bob@", MISSIVE_ERROR_INVALID_ARGUMENT, "no host" },
  { "imap://:143", MISSIVE_ERROR_INVALID_ARGUMENT, "no host" },
  { "imap://ho st", MISSIVE_ERROR_INVALID_ARGUMENT, "host" },
  { "imap://h%0Ast", MISSIVE_ERROR_INVALID_ARGUMENT, "host" },
  { "imap://h%0Dst", MISSIVE_ERROR_INVALID_ARGUMENT, "host" },
  { "imap://h%00st", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://alice@example.org@h", MISSIVE_ERROR_INVALID_ARGUMENT, "%40" },
  { "imap://[::1", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  /* Ports. */
  { "imap://h:0", MISSIVE_ERROR_INVALID_ARGUMENT, "port" },
  { "imap://h:65536", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://h:12x", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://h:-1", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "x-proto://h", MISSIVE_ERROR_INVALID_ARGUMENT, "port" },
  /* User names and passwords. */
  { "imap://a%0Db@h", MISSIVE_ERROR_INVALID_ARGUMENT, "user name" },
  { "imap://a%0Ab@h", MISSIVE_ERROR_INVALID_ARGUMENT, "user name" },
  { "imap://a%00b@h", MISSIVE_ERROR_INVALID_ARGUMENT, "user name" },
  { "imap://a%ffb@h", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://%zz@h", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://bob:hunter2%0A@h", MISSIVE_ERROR_INVALID_ARGUMENT, "password" },
  { "imap://bob;FOO=1@h", MISSIVE_ERROR_INVALID_ARGUMENT, "FOO" },
  /* Paths and fragments. */
  { "imap://h/INBOX", MISSIVE_ERROR_INVALID_ARGUMENT, "path" },
  { "imap://h#top", MISSIVE_ERROR_INVALID_ARGUMENT, "fragment" },
  /* Parameters. */
  { "imap://h?security=ssl", MISSIVE_ERROR_INVALID_ARGUMENT, "ssl" },
  { "imap://h?security=", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://h?security", MISSIVE_ERROR_INVALID_ARGUMENT, "no value" },
  { "imap://h?security=tls&security=none", MISSIVE_ERROR_INVALID_ARGUMENT, "more than once" },
  { "imap://h?foo=bar", MISSIVE_ERROR_INVALID_ARGUMENT, "foo" },
  { "imap://h?auth=PLAIN&mechanism=LOGIN", MISSIVE_ERROR_INVALID_ARGUMENT, "more than once" },
  { "imap://bob;AUTH=PLAIN@h?auth=PLAIN", MISSIVE_ERROR_INVALID_ARGUMENT, "more than once" },
  { "imap://h?auth=", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://h?auth=BAD%20NAME", MISSIVE_ERROR_INVALID_ARGUMENT, "SASL" },
  { "imap://h?auth=ABCDEFGHIJKLMNOPQRSTU", MISSIVE_ERROR_INVALID_ARGUMENT, "SASL" },
  { "imap://h?auth=PLAIN%0D%0ANOOP", MISSIVE_ERROR_INVALID_ARGUMENT, "line break" },
  { "imap://h?auth=%ff", MISSIVE_ERROR_INVALID_ARGUMENT, "UTF-8" },
  { "imap://h?allow-plaintext=maybe", MISSIVE_ERROR_INVALID_ARGUMENT, "maybe" },
  { "imap://h?allow-plaintext=true&allow-plaintext=true", MISSIVE_ERROR_INVALID_ARGUMENT, "more than once" },
  { "imap://h?timeout=-1", MISSIVE_ERROR_INVALID_ARGUMENT, "timeout" },
  { "imap://h?timeout=ten", MISSIVE_ERROR_INVALID_ARGUMENT, "timeout" },
  { "imap://h?timeout=99999999999", MISSIVE_ERROR_INVALID_ARGUMENT, "timeout" },
  { "imap://h?timeout=1&timeout=2", MISSIVE_ERROR_INVALID_ARGUMENT, "more than once" },
  { "imap://h?sec%00urity=tls", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
  { "imap://h?x=%zz", MISSIVE_ERROR_INVALID_ARGUMENT, NULL },
};

static void
test_bad (gconstpointer data)
{
  const BadUri *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveUri) uri = NULL;

  g_test_message ("%s", bad->uri);
  uri = missive_uri_parse (bad->uri, extra_schemes, &error);
  g_assert_error (error, MISSIVE_ERROR, (int) bad->code);
  g_assert_null (uri);
  if (bad->message_part != NULL && strstr (error->message, bad->message_part) == NULL)
    g_error ("“%s” not in the error message “%s”", bad->message_part, error->message);
}

static void
test_password_not_in_errors (void)
{
  static const char * const uris[] = {
    "imap://bob:hunter2%0A@h",
    "imap://bob:hunter2@h?foo=bar",
    "imap://bob:hunter2@h:0",
    "imap://bob:hunter2@ho st",
    "imap://bob:hunter2@h/path",
    "imap://bob:hunter2@h:99999",
    "imap://bob:hunter2%zz@h",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveUri) uri = NULL;

      uri = missive_uri_parse (uris[i], NULL, &error);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

static void
test_extra_schemes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveUri) uri = NULL;
  static const char * const imap_too[] = { "imap", "x-proto", NULL };

  /* Without the plugin's protocol, its scheme is unknown. */
  uri = missive_uri_parse ("x-proto://h:99", NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_SCHEME);
  g_assert_null (uri);
  g_clear_error (&error);

  /* A table scheme keeps its defaults even if listed as extra. */
  uri = missive_uri_parse ("imap://h", imap_too, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uri->port, ==, 143);
  g_assert_cmpint (uri->security, ==, MISSIVE_SECURITY_STARTTLS);
}

static void
test_scheme_table (void)
{
  const char * const *schemes = missive_uri_get_known_schemes ();
  static const char * const expected[] = {
    "imap", "imaps", "pop3", "pop3s", "smtp", "submission", "submissions",
    "smtps", "lmtp",
  };

  g_assert_cmpuint (g_strv_length ((char **) schemes), ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (schemes[i], ==, expected[i]);

  g_assert_cmpstr (missive_uri_scheme_get_protocol ("imaps"), ==, "imap");
  g_assert_cmpstr (missive_uri_scheme_get_protocol ("POP3S"), ==, "pop3");
  g_assert_cmpstr (missive_uri_scheme_get_protocol ("submission"), ==, "smtp");
  g_assert_cmpstr (missive_uri_scheme_get_protocol ("lmtp"), ==, "lmtp");
  g_assert_null (missive_uri_scheme_get_protocol ("x-proto"));
  g_assert_null (missive_uri_scheme_get_protocol ("imapss"));
}

/* Parsing untrusted URIs must not grow process-global tables: the scheme
 * of an unknown URI is not interned (g_uri_peek_scheme() would). */
static void
test_unknown_scheme_not_interned (void)
{
  g_autoptr(GError) error = NULL;
  MissiveUri *uri;

  g_assert_cmpuint (g_quark_try_string ("zz-never-seen-scheme"), ==, 0);
  uri = missive_uri_parse ("zz-never-seen-scheme://host", NULL, &error);
  g_assert_null (uri);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_UNKNOWN_SCHEME);
  g_assert_cmpuint (g_quark_try_string ("zz-never-seen-scheme"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (good_uris); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uri/good/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &good_uris[i], test_good);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_uris); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uri/bad/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &bad_uris[i], test_bad);
    }
  g_test_add_func ("/uri/password-not-in-errors", test_password_not_in_errors);
  g_test_add_func ("/uri/extra-schemes", test_extra_schemes);
  g_test_add_func ("/uri/scheme-table", test_scheme_table);
  g_test_add_func ("/uri/unknown-scheme-not-interned", test_unknown_scheme_not_interned);

  return g_test_run ();
}
