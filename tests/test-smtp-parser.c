/* test-smtp-parser.c: the SMTP plugin's parts without I/O: the reply
 * parser, EHLO keywords, xtext, and the DATA converter on every chunk
 * boundary
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smtp-reply.h"
#include "missive-smtp-data.h"

#include "test-utils.h"

/* Feeds @text (lines separated by "\n") to a new reply; returns the status
 * of the last line fed. */
static MissiveSmtpReplyStatus
parse (const char         *text,
       gboolean            enhanced,
       MissiveSmtpReply  **out,
       GError            **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  MissiveSmtpReply *reply = missive_smtp_reply_new ();
  MissiveSmtpReplyStatus status = MISSIVE_SMTP_REPLY_MORE;

  for (gsize i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      status = missive_smtp_reply_add_line (reply, lines[i], strlen (lines[i]), enhanced, error);
      if (status != MISSIVE_SMTP_REPLY_MORE)
        break;
    }
  *out = reply;
  return status;
}

static void
test_reply_single (void)
{
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) pub = NULL;

  g_assert_cmpint (parse ("250 2.1.0 Sender ok", TRUE, &reply, &error), ==, MISSIVE_SMTP_REPLY_DONE);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 250);
  g_assert_cmpstr (reply->enhanced, ==, "2.1.0");
  g_assert_cmpstr (reply->texts->pdata[0], ==, "Sender ok");
  pub = missive_smtp_reply_to_public (reply);
  g_assert_cmpuint (missive_reply_get_code (pub), ==, 250);
  g_assert_cmpstr (missive_reply_get_status (pub), ==, "250");
  g_assert_cmpstr (missive_reply_get_text (pub), ==, "2.1.0 Sender ok");
  g_assert_true (missive_reply_is_success (pub));
  g_assert_cmpstr (missive_reply_get_lines (pub)[0], ==, "250 2.1.0 Sender ok");
}

/* Enhanced codes only when advertised, and only of the reply's class. */
static void
test_reply_enhanced (void)
{
  g_autoptr(MissiveSmtpReply) r1 = NULL;
  g_autoptr(MissiveSmtpReply) r2 = NULL;
  g_autoptr(MissiveSmtpReply) r3 = NULL;
  g_autoptr(GError) error = NULL;

  parse ("550 5.1.1 No such user", FALSE, &r1, &error);
  g_assert_null (r1->enhanced);
  g_assert_cmpstr (r1->texts->pdata[0], ==, "5.1.1 No such user");
  parse ("550 2.1.1 odd", TRUE, &r2, &error);
  g_assert_null (r2->enhanced);
  parse ("452 4.5.3 Too many recipients", TRUE, &r3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r3->enhanced, ==, "4.5.3");

  g_assert_cmpuint (missive_smtp_parse_enhanced ("5.7.1 x", 7, '5'), ==, 5);
  g_assert_cmpuint (missive_smtp_parse_enhanced ("5.7.123", 7, 0), ==, 7);
  g_assert_cmpuint (missive_smtp_parse_enhanced ("5.7.1234", 8, 0), ==, 0);
  g_assert_cmpuint (missive_smtp_parse_enhanced ("5.7.", 4, 0), ==, 0);
  g_assert_cmpuint (missive_smtp_parse_enhanced ("3.1.1 x", 7, 0), ==, 0);
  /* A 3xx reply has no enhanced code, even one of its own class (found by
   * fuzz-smtp-reply). */
  g_assert_cmpuint (missive_smtp_parse_enhanced ("3.1.0 Ok", 8, '3'), ==, 0);
  g_assert_cmpuint (missive_smtp_parse_enhanced ("5.1.1x", 6, 0), ==, 0);
}

static void
test_reply_multiline (void)
{
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GError) refusal = NULL;

  g_assert_cmpint (parse ("550-5.7.1 first\n550-5.7.1 second\n550 5.7.1 third", TRUE, &reply, &error),
                   ==, MISSIVE_SMTP_REPLY_DONE);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->lines->len, ==, 3);
  joined = missive_smtp_reply_join_text (reply, " ");
  g_assert_cmpstr (joined, ==, "first second third");
  refusal = missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT, "RCPT");
  g_assert_error (refusal, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_PERMANENT);
  g_assert_cmpuint (missive_error_get_server_code (refusal), ==, 550);
  g_assert_cmpstr (missive_error_get_enhanced_status (refusal), ==, "5.7.1");
  g_assert_nonnull (strstr (refusal->message, "550"));
}

static void
test_reply_temporary (void)
{
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refusal = NULL;

  parse ("451 Try later", TRUE, &reply, &error);
  refusal = missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT, "MAIL");
  g_assert_error (refusal, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_TEMPORARY);
  g_assert_cmpstr (missive_error_get_server_text (refusal), ==, "Try later");
}

/* A bare code is a complete reply. */
static void
test_reply_bare_code (void)
{
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (parse ("250", TRUE, &reply, &error), ==, MISSIVE_SMTP_REPLY_DONE);
  g_assert_cmpuint (reply->code, ==, 250);
  g_assert_cmpstr (reply->texts->pdata[0], ==, "");
}

static void
test_reply_inconsistent (void)
{
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (parse ("250-first\n251-second\n250 last", FALSE, &reply, &error), ==,
                   MISSIVE_SMTP_REPLY_ERROR);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE);
  /* Read to its end. */
  g_assert_true (reply->complete);
  g_assert_cmpuint (reply->lines->len, ==, 3);
}

static void
test_reply_garbage (void)
{
  const char *bad[] = {
    "hello", "25", "2500 x", "250x", "650 nope", "1xx", "", "abc def", "25 0",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MissiveSmtpReply) reply = missive_smtp_reply_new ();
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (missive_smtp_reply_add_line (reply, bad[i], strlen (bad[i]), TRUE, &error),
                       ==, MISSIVE_SMTP_REPLY_ERROR);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
    }
}

/* NUL bytes and bad UTF-8 are made valid. */
static void
test_reply_binary (void)
{
  g_autoptr(MissiveSmtpReply) reply = missive_smtp_reply_new ();
  g_autoptr(GError) error = NULL;
  const char line[] = "250 a\0b\xff";

  g_assert_cmpint (missive_smtp_reply_add_line (reply, line, sizeof line - 1, TRUE, &error), ==,
                   MISSIVE_SMTP_REPLY_DONE);
  g_assert_true (g_utf8_validate (reply->lines->pdata[0], -1, NULL));
  g_assert_true (g_utf8_validate (reply->texts->pdata[0], -1, NULL));
}

/* A reply that never ends meets the bounds. */
static void
test_reply_unbounded (void)
{
  g_autoptr(MissiveSmtpReply) reply = missive_smtp_reply_new ();
  g_autoptr(GError) error = NULL;
  MissiveSmtpReplyStatus status = MISSIVE_SMTP_REPLY_MORE;
  guint n = 0;

  while (status == MISSIVE_SMTP_REPLY_MORE && n < 100000)
    {
      status = missive_smtp_reply_add_line (reply, "250-more", 8, FALSE, &error);
      n++;
    }
  g_assert_cmpint (status, ==, MISSIVE_SMTP_REPLY_ERROR);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_cmpuint (n, <=, MISSIVE_SMTP_MAX_REPLY_LINES + 1);
}

static void
test_ehlo (void)
{
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  MissiveSmtpCaps caps = { 0 };

  g_assert_cmpint (parse ("250-mx.example.com Hello\n"
                          "250-SIZE 35882577\n"
                          "250-8BITMIME\n"
                          "250-AUTH LOGIN plain XOAUTH2\n"
                          "250-AUTH=LOGIN CRAM-MD5\n"
                          "250-ENHANCEDSTATUSCODES\n"
                          "250-PIPELINING\n"
                          "250-CHUNKING\n"
                          "250-BINARYMIME\n"
                          "250-SMTPUTF8\n"
                          "250-DSN\n"
                          "250-DELIVERBY 240\n"
                          "250-MT-PRIORITY MIXER\n"
                          "250-REQUIRETLS\n"
                          "250-STARTTLS\n"
                          "250-X-WEIRD=1\n"
                          "250 VRFY", FALSE, &reply, &error), ==, MISSIVE_SMTP_REPLY_DONE);
  missive_smtp_caps_parse (&caps, reply);
  g_assert_cmpuint (caps.max_size, ==, 35882577);
  g_assert_cmpint (caps.min_by, ==, 240);
  for (guint f = MISSIVE_SMTP_CAP_SIZE; f <= MISSIVE_SMTP_CAP_VRFY; f <<= 1)
    g_assert_true (caps.flags & f);
  g_assert_false (caps.flags & MISSIVE_SMTP_CAP_EXPN);
  g_assert_cmpuint (g_strv_length (caps.mechanisms), ==, 4);
  g_assert_true (g_strv_contains ((const char * const *) caps.mechanisms, "PLAIN"));
  g_assert_true (g_strv_contains ((const char * const *) caps.mechanisms, "CRAM-MD5"));
  g_assert_true (g_strv_contains ((const char * const *) caps.names, "AUTH=XOAUTH2"));
  g_assert_true (g_strv_contains ((const char * const *) caps.names, "MT-PRIORITY"));
  g_assert_false (g_strv_contains ((const char * const *) caps.names, "X-WEIRD=1"));
  g_assert_false (g_strv_contains ((const char * const *) caps.names, "MX.EXAMPLE.COM"));
  missive_smtp_caps_clear (&caps);
  missive_smtp_caps_clear (&caps);
}

static void
test_xtext (void)
{
  g_autofree char *a = missive_smtp_xtext_encode ("a+b=c d@e");
  g_autofree char *b = missive_smtp_xtext_encode ("j\xc3\xb6@x");

  g_assert_cmpstr (a, ==, "a+2Bb+3Dc+20d@e");
  g_assert_cmpstr (b, ==, "j+C3+B6@x");
}

/* ---- the DATA converter ---------------------------------------------------- */

/* What the converter must give: computed the simple way, on the whole. */
static GString *
reference (const char           *in,
           gsize                 n,
           MissiveSmtpDataFlags  flags)
{
  GString *out = g_string_new (NULL);
  gboolean line_start = TRUE;

  for (gsize i = 0; i < n; i++)
    {
      char c = in[i];

      if ((flags & MISSIVE_SMTP_DATA_NORMALIZE) && (c == '\r' || c == '\n'))
        {
          if (c == '\r' && i + 1 < n && in[i + 1] == '\n')
            i++;
          g_string_append (out, "\r\n");
          line_start = TRUE;
          continue;
        }
      if (line_start && c == '.' && (flags & MISSIVE_SMTP_DATA_DOT_STUFF))
        g_string_append_c (out, '.');
      g_string_append_c (out, c);
      line_start = c == '\n';
    }
  if (((flags & MISSIVE_SMTP_DATA_NORMALIZE) || (flags & MISSIVE_SMTP_DATA_TERMINATE)) &&
      n > 0 && !line_start)
    g_string_append (out, "\r\n");
  if (flags & MISSIVE_SMTP_DATA_TERMINATE)
    g_string_append (out, ".\r\n");
  return out;
}

/* Runs @in through a converter in two pieces cut at @cut, with an output
 * buffer of @out_size bytes. */
static GString *
convert (const char           *in,
         gsize                 n,
         gsize                 cut,
         gsize                 out_size,
         MissiveSmtpDataFlags  flags)
{
  g_autoptr(MissiveSmtpData) data = missive_smtp_data_new (flags);
  GString *out = g_string_new (NULL);
  g_autofree char *buffer = g_malloc (out_size);
  struct { const char *p; gsize n; } pieces[2] = { { in, cut }, { in + cut, n - cut } };
  gboolean finished = FALSE;

  for (guint k = 0; k < 2 && !finished; k++)
    {
      gsize pos = 0;
      gboolean at_end = k == 1;
      guint rounds = 0;

      for (;;)
        {
          gsize read = 0, written = 0;
          GError *error = NULL;
          GConverterResult r;

          g_assert_cmpuint (++rounds, <, 100000);
          r = g_converter_convert (G_CONVERTER (data), pieces[k].p + pos, pieces[k].n - pos,
                                   buffer, out_size, at_end ? G_CONVERTER_INPUT_AT_END : 0,
                                   &read, &written, &error);
          if (r == G_CONVERTER_ERROR)
            {
              g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
              g_assert_false (at_end);
              g_error_free (error);
              break;
            }
          g_string_append_len (out, buffer, written);
          pos += read;
          if (r == G_CONVERTER_FINISHED)
            {
              g_assert_true (at_end);
              g_assert_cmpuint (pos, ==, pieces[k].n);
              finished = TRUE;
              break;
            }
          if (pos == pieces[k].n && !at_end)
            break;
        }
    }
  g_assert_true (finished);
  g_assert_cmpuint (missive_smtp_data_get_bytes_in (data), ==, n);
  g_assert_cmpuint (missive_smtp_data_get_bytes_out (data), ==, out->len);
  g_assert_true (missive_smtp_data_is_finished (data));
  /* The message bytes: the output without the stuffing dots and the final
   * "." line. */
  {
    gsize dots = 0;
    gboolean line_start = TRUE;

    for (gsize i = 0; i < out->len; i++)
      {
        if (line_start && out->str[i] == '.' && (flags & MISSIVE_SMTP_DATA_DOT_STUFF) &&
            i + 1 < out->len && out->str[i + 1] == '.')
          {
            dots++;
            i++;
          }
        line_start = out->str[i] == '\n';
      }
    g_assert_cmpuint (missive_smtp_data_get_message_bytes (data), ==,
                      out->len - dots - ((flags & MISSIVE_SMTP_DATA_TERMINATE) ? 3 : 0));
  }
  return out;
}

static const char *const data_cases[] = {
  "",
  "a",
  ".",
  "..",
  ".\n",
  "Subject: x\r\n\r\nbody\r\n",
  "Subject: x\n\nbody\n.\n..\n.x\n",
  "line\r.dot\r\r\n\n.\r\n",
  "no final line end",
  "\r\n.\r\n",
  "a\r\n.\r\nb",
  "\n\n\n",
  "\r\r\r",
  ".a\r\n.b\n.c\r.d",
  "x\r",
};

static void
check_all_cuts (const char           *in,
                gsize                 n,
                MissiveSmtpDataFlags  flags)
{
  g_autoptr(GString) expected = reference (in, n, flags);
  const gsize out_sizes[] = { 1, 2, 3, 5, 4096 };

  for (gsize cut = 0; cut <= n; cut++)
    for (gsize s = 0; s < G_N_ELEMENTS (out_sizes); s++)
      {
        g_autoptr(GString) got = convert (in, n, cut, out_sizes[s], flags);

        if (!g_string_equal (got, expected))
          {
            g_autofree char *e = g_strescape (expected->str, NULL);
            g_autofree char *g = g_strescape (got->str, NULL);

            g_error ("flags %u, cut %" G_GSIZE_FORMAT ", out %" G_GSIZE_FORMAT ": expected “%s”, got “%s”",
                     flags, cut, out_sizes[s], e, g);
          }
      }
}

static void
test_data_cuts (void)
{
  const MissiveSmtpDataFlags modes[] = {
    MISSIVE_SMTP_DATA_FOR_DATA,
    MISSIVE_SMTP_DATA_NORMALIZE,
    MISSIVE_SMTP_DATA_DOT_STUFF | MISSIVE_SMTP_DATA_TERMINATE,
    0,
  };

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize i = 0; i < G_N_ELEMENTS (data_cases); i++)
      check_all_cuts (data_cases[i], strlen (data_cases[i]), modes[m]);
}

/* Exact expectations for DATA (not only agreement with the reference). */
static void
test_data_examples (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "", ".\r\n" },
    { "a", "a\r\n.\r\n" },
    { ".", "..\r\n.\r\n" },
    { "a\n.\nb\n", "a\r\n..\r\nb\r\n.\r\n" },
    { "a\r\n.\r\n", "a\r\n..\r\n.\r\n" },
    { "x\ry\r\n", "x\r\ny\r\n.\r\n" },
    { "..a\n", "...a\r\n.\r\n" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) got = convert (cases[i].in, strlen (cases[i].in), 0, 4096,
                                        MISSIVE_SMTP_DATA_FOR_DATA);

      g_assert_cmpstr (got->str, ==, cases[i].out);
    }
}

/* A random message of a few hundred kilobytes through a
 * GConverterInputStream, read in odd sizes. */
static void
test_data_stream (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  gsize n = 300 * 1024;
  g_autofree char *in = g_malloc (n);
  g_autoptr(GString) expected = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(MissiveSmtpData) data = missive_smtp_data_new (MISSIVE_SMTP_DATA_FOR_DATA);
  const char alphabet[] = "ab.\r\n x";
  char buffer[777];

  for (gsize i = 0; i < n; i++)
    in[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
  expected = reference (in, n, MISSIVE_SMTP_DATA_FOR_DATA);
  base = g_memory_input_stream_new_from_data (in, n, NULL);
  stream = g_converter_input_stream_new (base, G_CONVERTER (data));
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize r = g_input_stream_read (stream, buffer, 1 + g_rand_int_range (rand, 0, sizeof buffer - 1),
                                      NULL, &error);

      g_assert_no_error (error);
      if (r == 0)
        break;
      g_string_append_len (got, buffer, r);
    }
  g_assert_cmpuint (got->len, ==, expected->len);
  g_assert_true (memcmp (got->str, expected->str, got->len) == 0);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);
  missive_smtp_data_register (NULL);

  g_test_add_func ("/smtp-parser/reply/single", test_reply_single);
  g_test_add_func ("/smtp-parser/reply/enhanced", test_reply_enhanced);
  g_test_add_func ("/smtp-parser/reply/multiline", test_reply_multiline);
  g_test_add_func ("/smtp-parser/reply/temporary", test_reply_temporary);
  g_test_add_func ("/smtp-parser/reply/bare-code", test_reply_bare_code);
  g_test_add_func ("/smtp-parser/reply/inconsistent", test_reply_inconsistent);
  g_test_add_func ("/smtp-parser/reply/garbage", test_reply_garbage);
  g_test_add_func ("/smtp-parser/reply/binary", test_reply_binary);
  g_test_add_func ("/smtp-parser/reply/unbounded", test_reply_unbounded);
  g_test_add_func ("/smtp-parser/ehlo", test_ehlo);
  g_test_add_func ("/smtp-parser/xtext", test_xtext);
  g_test_add_func ("/smtp-parser/data/cuts", test_data_cuts);
  g_test_add_func ("/smtp-parser/data/examples", test_data_examples);
  g_test_add_func ("/smtp-parser/data/stream", test_data_stream);

  return g_test_run ();
}
