/* test-message-builder.c: MissiveMessageBuilder, checked by writing the
 * built message out and parsing it back with GMime
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <missive/missive.h>

/* ---- helpers ---- */

static char *
serialize (GMimeMessage *message)
{
  return g_mime_object_to_string (GMIME_OBJECT (message), NULL);
}

static GMimeMessage *
reparse_text (const char *text)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

/* Builds, writes out and parses back; optionally returns the text. */
static GMimeMessage *
build_and_reparse (MissiveMessageBuilder *builder,
                   char                 **text_out)
{
  GError *error = NULL;
  GMimeMessage *built = missive_message_builder_build (builder, &error);
  GMimeMessage *parsed;
  char *text;

  g_assert_no_error (error);
  g_assert_nonnull (built);
  text = serialize (built);
  parsed = reparse_text (text);
  g_object_unref (built);
  if (text_out != NULL)
    *text_out = text;
  else
    g_free (text);
  return parsed;
}

static GBytes *
part_bytes (GMimeObject *object)
{
  GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));
  GMimeStream *out = g_mime_stream_mem_new ();
  GByteArray *array;
  GBytes *bytes;

  g_assert_nonnull (content);
  g_assert_cmpint (g_mime_data_wrapper_write_to_stream (content, out), >=, 0);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (out);
  return bytes;
}

static gboolean
is_type (GMimeObject *object,
         const char  *type,
         const char  *subtype)
{
  return g_mime_content_type_is_type (g_mime_object_get_content_type (object), type, subtype);
}

static GMimeObject *
child (GMimeObject *object,
       int          index)
{
  g_assert_true (GMIME_IS_MULTIPART (object));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (object)), >, index);
  return g_mime_multipart_get_part (GMIME_MULTIPART (object), index);
}

static const char *
header (GMimeMessage *message,
        const char   *name)
{
  return g_mime_object_get_header (GMIME_OBJECT (message), name);
}

static MissiveMessageBuilder *
basic_builder (void)
{
  MissiveMessageBuilder *builder = missive_message_builder_new ();
  GError *error = NULL;

  g_assert_true (missive_message_builder_set_from (builder, "Alice Example", "alice@example.org", &error));
  g_assert_no_error (error);
  g_assert_true (missive_message_builder_add_to (builder, NULL, "bob@example.net", &error));
  g_assert_no_error (error);
  return builder;
}

/* Every header line of @object and of all its parts is at most @limit
 * bytes long; returns the longest seen. */
static gsize
check_header_lines (GMimeObject *object,
                    gsize        limit)
{
  char *headers = g_mime_object_get_headers (object, NULL);
  char **lines = g_strsplit (headers, "\n", -1);
  gsize longest = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize len = strlen (lines[i]);
      if (len > 0 && lines[i][len - 1] == '\r')
        len--;
      /* A Message-ID or Content-ID is a single word, which cannot be
       * folded (its length depends on the host name). */
      if ((g_str_has_prefix (lines[i], "Message-ID: <") || g_str_has_prefix (lines[i], "Content-Id: <")) &&
          strchr (lines[i] + 12, ' ') == NULL)
        continue;
      if (len > limit)
        g_test_message ("line too long (%" G_GSIZE_FORMAT "): %s", len, lines[i]);
      g_assert_cmpuint (len, <=, limit);
      longest = MAX (longest, len);
    }
  g_strfreev (lines);
  g_free (headers);

  if (GMIME_IS_MULTIPART (object))
    for (int i = 0; i < g_mime_multipart_get_count (GMIME_MULTIPART (object)); i++)
      longest = MAX (longest, check_header_lines (g_mime_multipart_get_part (GMIME_MULTIPART (object), i),
                                                  limit));
  else if (GMIME_IS_MESSAGE (object))
    longest = MAX (longest,
                   check_header_lines (g_mime_message_get_mime_part (GMIME_MESSAGE (object)), limit));
  return longest;
}

/* ---- tests ---- */

static void
test_simple (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GError *error = NULL;
  GMimeMessage *message;
  InternetAddressList *list;
  GMimeObject *body;
  char *text = NULL;

  g_assert_true (missive_message_builder_set_subject (builder, "Hello there", &error));
  g_assert_true (missive_message_builder_set_text_body (builder, "Line one\r\nLine two\n", &error));
  g_assert_no_error (error);

  message = build_and_reparse (builder, &text);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Hello there");
  list = g_mime_message_get_from (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (list, 0)), ==,
                   "Alice Example");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (list, 0))),
                   ==, "alice@example.org");
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_to (message)), ==, 1);
  g_assert_nonnull (header (message, "Date"));
  g_assert_nonnull (g_mime_message_get_date (message));
  g_assert_nonnull (g_mime_message_get_message_id (message));
  g_assert_cmpstr (header (message, "MIME-Version"), ==, "1.0");
  g_assert_null (header (message, "Importance"));
  g_assert_null (header (message, "X-Priority"));

  body = g_mime_message_get_mime_part (message);
  g_assert_true (is_type (body, "text", "plain"));
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==, GMIME_CONTENT_ENCODING_7BIT);
  g_assert_nonnull (strstr (text, "Content-Transfer-Encoding: 7bit"));
  {
    char *decoded = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
    g_assert_cmpstr (decoded, ==, "Line one\nLine two\n");
    g_free (decoded);
  }
  /* The Date comes before From, the Subject after the recipients. */
  g_assert_true (strstr (text, "Date:") < strstr (text, "From:"));
  g_assert_true (strstr (text, "To:") < strstr (text, "Subject:"));

  g_free (text);
  g_object_unref (message);
  g_object_unref (builder);
}

static void
test_empty (void)
{
  MissiveMessageBuilder *builder = missive_message_builder_new ();
  GMimeMessage *message = build_and_reparse (builder, NULL);

  /* No body at all still gives a valid, empty text part. */
  g_assert_true (is_type (g_mime_message_get_mime_part (message), "text", "plain"));
  g_assert_null (header (message, "From"));
  g_assert_nonnull (g_mime_message_get_message_id (message));
  g_object_unref (message);
  g_object_unref (builder);
}

static void
test_alternative (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GMimeMessage *message;
  GMimeObject *body;
  char *text;

  g_assert_true (missive_message_builder_set_text_body (builder, "plain", NULL));
  g_assert_true (missive_message_builder_set_html_body (builder, "<p>html</p>", NULL));
  message = build_and_reparse (builder, NULL);
  body = g_mime_message_get_mime_part (message);
  g_assert_true (is_type (body, "multipart", "alternative"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  g_assert_true (is_type (child (body, 0), "text", "plain"));
  g_assert_true (is_type (child (body, 1), "text", "html"));
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (child (body, 1)));
  g_assert_cmpstr (text, ==, "<p>html</p>");
  g_free (text);
  g_object_unref (message);

  /* HTML alone is a single part. */
  g_assert_true (missive_message_builder_set_text_body (builder, NULL, NULL));
  message = build_and_reparse (builder, NULL);
  g_assert_true (is_type (g_mime_message_get_mime_part (message), "text", "html"));
  g_object_unref (message);
  g_object_unref (builder);
}

static const guint8 png_data[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0,
  'I', 'E', 'N', 'D', 0xae, 'B', 0x60, 0x82,
};

static void
test_related (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GBytes *png = g_bytes_new_static (png_data, sizeof png_data);
  GBytes *doc = g_bytes_new_static ("report", 6);
  GError *error = NULL;
  GMimeMessage *message;
  GMimeObject *body, *alternative, *related, *image;
  char *cid, *cid2;
  GBytes *round;

  g_assert_true (missive_message_builder_set_text_body (builder, "see the picture", NULL));
  cid = missive_message_builder_add_inline_bytes (builder, png, "logo.png", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cid);
  g_assert_null (strchr (cid, '<'));
  cid2 = missive_message_builder_add_inline_bytes (builder, png, NULL, "<chosen@example.org>",
                                                   "image/png", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cid2, ==, "chosen@example.org");
  {
    char *html = g_strdup_printf ("<img src=\"cid:%s\"><img src=\"cid:%s\">", cid, cid2);
    g_assert_true (missive_message_builder_set_html_body (builder, html, NULL));
    g_free (html);
  }
  g_assert_true (missive_message_builder_add_attachment_bytes (builder, doc, "report.txt", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_builder_get_attachment_count (builder), ==, 3);

  message = build_and_reparse (builder, NULL);
  body = g_mime_message_get_mime_part (message);
  g_assert_true (is_type (body, "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  alternative = child (body, 0);
  g_assert_true (is_type (alternative, "multipart", "alternative"));
  g_assert_true (is_type (child (alternative, 0), "text", "plain"));
  related = child (alternative, 1);
  g_assert_true (is_type (related, "multipart", "related"));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (related, "type"), ==, "text/html");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (related)), ==, 3);
  g_assert_true (is_type (child (related, 0), "text", "html"));
  image = child (related, 1);
  g_assert_true (is_type (image, "image", "png"));
  g_assert_cmpstr (g_mime_object_get_content_id (image), ==, cid);
  g_assert_cmpstr (g_mime_object_get_disposition (image), ==, "inline");
  g_assert_cmpstr (g_mime_object_get_content_id (child (related, 2)), ==, "chosen@example.org");
  round = part_bytes (image);
  g_assert_true (g_bytes_equal (round, png));
  g_bytes_unref (round);
  g_assert_true (is_type (child (body, 1), "text", "plain"));
  g_assert_cmpstr (g_mime_object_get_disposition (child (body, 1)), ==, "attachment");
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (child (body, 1))), ==, "report.txt");
  g_object_unref (message);

  /* Without HTML, inline parts sit in multipart/mixed beside the text. */
  g_assert_true (missive_message_builder_set_html_body (builder, NULL, NULL));
  message = build_and_reparse (builder, NULL);
  body = g_mime_message_get_mime_part (message);
  g_assert_true (is_type (body, "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 4);
  g_assert_true (is_type (child (body, 0), "text", "plain"));
  g_assert_cmpstr (g_mime_object_get_content_id (child (body, 1)), ==, cid);
  g_object_unref (message);

  /* Invalid Content-IDs. */
  g_assert_null (missive_message_builder_add_inline_bytes (builder, png, NULL, "a b@c", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_free (cid);
  g_free (cid2);
  g_bytes_unref (png);
  g_bytes_unref (doc);
  g_object_unref (builder);
}

static void
test_rfc2047_names (void)
{
  MissiveMessageBuilder *builder = missive_message_builder_new ();
  GError *error = NULL;
  GMimeMessage *message;
  InternetAddressList *to;
  char *text = NULL;

  g_assert_true (missive_message_builder_set_charset (builder, "ISO-8859-1", &error));
  g_assert_no_error (error);
  g_assert_true (missive_message_builder_set_from (builder, "Jörg Müller", "joerg@example.de", &error));
  g_assert_true (missive_message_builder_add_to (builder, "Doe, John \"JD\"", "john@example.com", &error));
  g_assert_true (missive_message_builder_add_to (builder, "山田 太郎", "taro@example.jp", &error));
  g_assert_true (missive_message_builder_add_cc (builder, "=?not encoded?=", "cc@example.com", &error));
  g_assert_no_error (error);

  message = build_and_reparse (builder, &text);
  /* Latin-1 for what Latin-1 can hold, UTF-8 for the rest; never raw 8-bit. */
  g_assert_nonnull (strstr (text, "=?ISO-8859-1?"));
  g_assert_nonnull (strstr (text, "=?UTF-8?"));
  for (const char *p = text; *p != '\0' && !(p[0] == '\n' && p[1] == '\n'); p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);

  to = g_mime_message_get_from (message);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==, "Jörg Müller");
  to = g_mime_message_get_to (message);
  g_assert_cmpint (internet_address_list_length (to), ==, 2);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==, "Doe, John \"JD\"");
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 1)), ==, "山田 太郎");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (to, 1))),
                   ==, "taro@example.jp");
  to = g_mime_message_get_cc (message);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==, "=?not encoded?=");

  g_free (text);
  g_object_unref (message);
  g_object_unref (builder);
}

static void
test_idn (void)
{
  MissiveMessageBuilder *builder = missive_message_builder_new ();
  GError *error = NULL;
  GMimeMessage *message;
  char *text = NULL;
  const char *name = NULL;

  g_assert_true (missive_message_builder_add_to (builder, NULL, "kunde@bücher.example", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (missive_message_builder_get_address (builder, MISSIVE_ADDRESS_FIELD_TO, 0, &name), ==,
                   "kunde@xn--bcher-kva.example");
  g_assert_null (name);
  g_assert_true (missive_message_builder_set_from (builder, NULL, "<me@ÉCOLE.example>", &error));
  g_assert_no_error (error);
  message = build_and_reparse (builder, &text);
  g_assert_nonnull (strstr (text, "kunde@xn--bcher-kva.example"));
  /* GMime shows the Unicode form when parsing; the ASCII form is on the wire. */
  g_assert_cmpstr (internet_address_mailbox_get_idn_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (g_mime_message_get_to (message), 0))),
                   ==, "kunde@xn--bcher-kva.example");
  /* The generated Message-ID uses the author's (converted) domain. */
  g_assert_true (g_str_has_suffix (g_mime_message_get_message_id (message), "@xn--cole-9oa.example"));

  g_assert_false (missive_message_builder_add_to (builder, NULL, "x@bad..domain", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_message_builder_add_to (builder, NULL, "no-at-sign", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_message_builder_add_to (builder, NULL, "a b@example.com", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (missive_message_builder_add_to (builder, NULL, "\"a b\"@example.com", &error));
  g_assert_no_error (error);

  g_free (text);
  g_object_unref (message);
  g_object_unref (builder);
}

static void
test_address_list (void)
{
  MissiveMessageBuilder *builder = missive_message_builder_new ();
  GError *error = NULL;
  GMimeMessage *message;
  InternetAddressList *to;
  const char *name = NULL;

  g_assert_true (missive_message_builder_add_address_list (builder, MISSIVE_ADDRESS_FIELD_TO,
                                                           "\"Alice A.\" <alice@example.org>, bob@example.net, "
                                                           "=?UTF-8?Q?J=C3=B6rg?= <j@bücher.example>, "
                                                           "Team: carol@example.org, dave@example.org;",
                                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_builder_get_address_count (builder, MISSIVE_ADDRESS_FIELD_TO), ==, 5);
  g_assert_cmpstr (missive_message_builder_get_address (builder, MISSIVE_ADDRESS_FIELD_TO, 2, &name), ==,
                   "j@xn--bcher-kva.example");
  g_assert_cmpstr (name, ==, "Jörg");

  /* All or nothing. */
  g_assert_false (missive_message_builder_add_address_list (builder, MISSIVE_ADDRESS_FIELD_TO,
                                                            "ok@example.org, broken", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_message_builder_add_address_list (builder, MISSIVE_ADDRESS_FIELD_TO, "", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (missive_message_builder_get_address_count (builder, MISSIVE_ADDRESS_FIELD_TO), ==, 5);

  g_assert_true (missive_message_builder_add_address_list (builder, MISSIVE_ADDRESS_FIELD_REPLY_TO,
                                                           "replies@example.org", &error));
  g_assert_no_error (error);
  message = build_and_reparse (builder, NULL);
  to = g_mime_message_get_to (message);
  g_assert_cmpint (internet_address_list_length (to), ==, 5);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==, "Alice A.");
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 2)), ==, "Jörg");
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_reply_to (message)), ==, 1);
  g_object_unref (message);

  missive_message_builder_clear_addresses (builder, MISSIVE_ADDRESS_FIELD_TO);
  g_assert_cmpuint (missive_message_builder_get_address_count (builder, MISSIVE_ADDRESS_FIELD_TO), ==, 0);
  g_object_unref (builder);
}

static void
test_subject (void)
{
  static const char *const subjects[] = {
    "Grüße aus München",
    "ASCII words then ünïcödé words then ASCII again",
    "literal =?utf-8?q?not_encoded?= text",
    "Ελληνικά και русский и 日本語のテキスト、とても長い件名でも大丈夫です。折り返しのテスト",
    "averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces",
    "tab\tand  two spaces",
  };
  guint lengths[] = { 40, 78 };

  for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
    for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
      {
        MissiveMessageBuilder *builder = missive_message_builder_new ();
        GMimeMessage *message;

        missive_message_builder_set_fold_length (builder, lengths[l]);
        g_assert_true (missive_message_builder_set_subject (builder, subjects[i], NULL));
        message = build_and_reparse (builder, NULL);
        g_assert_cmpstr (g_mime_message_get_subject (message), ==, subjects[i]);
        check_header_lines (GMIME_OBJECT (message), lengths[l]);
        g_object_unref (message);
        g_object_unref (builder);
      }
}

static char *
write_temp_file (const char   *name,
                 const guint8 *data,
                 gsize         size)
{
  char *dir = g_dir_make_tmp ("builder-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  g_free (dir);
  return path;
}

static void
remove_temp_file (char *path)
{
  char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
  g_free (path);
}

static void
test_attachments (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  guint8 binary[3000];
  GBytes *binary_bytes;
  char *path;
  GFile *file;
  GInputStream *stream;
  GError *error = NULL;
  GMimeMessage *message;
  GMimeObject *body;
  const char *long_name = "a very long file name that will certainly not fit on one header line at all, "
                          "so it needs RFC 2231 continuations.txt";
  char *text = NULL;

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (guint8) (i * 7 + (i >> 3));
  binary_bytes = g_bytes_new (binary, sizeof binary);
  g_assert_true (missive_message_builder_set_text_body (builder, "attached", NULL));

  path = write_temp_file ("picture.png", png_data, sizeof png_data);
  g_assert_true (missive_message_builder_add_attachment_path (builder, path, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  g_assert_true (missive_message_builder_add_attachment_file (builder, file, "résumé 2024 — final.bin",
                                                              "application/x-custom; version=2", &error));
  g_assert_no_error (error);
  g_assert_true (missive_message_builder_add_attachment_bytes (builder, binary_bytes, long_name, NULL, &error));
  g_assert_no_error (error);
  stream = g_memory_input_stream_new_from_bytes (binary_bytes);
  g_assert_true (missive_message_builder_add_attachment_stream (builder, stream, "données.dat",
                                                                "application/octet-stream", NULL, &error));
  g_assert_no_error (error);
  g_object_unref (stream);
  g_assert_true (missive_message_builder_add_attachment_bytes (builder, binary_bytes, NULL, NULL, &error));
  g_assert_no_error (error);

  message = build_and_reparse (builder, &text);
  body = g_mime_message_get_mime_part (message);
  g_assert_true (is_type (body, "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 6);
  g_assert_true (is_type (child (body, 0), "text", "plain"));

  /* From a path: name and type guessed. */
  g_assert_true (is_type (child (body, 1), "image", "png"));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (child (body, 1))), ==, "picture.png");
  {
    GBytes *round = part_bytes (child (body, 1));
    GBytes *expected = g_bytes_new_static (png_data, sizeof png_data);
    g_assert_true (g_bytes_equal (round, expected));
    g_bytes_unref (round);
    g_bytes_unref (expected);
  }
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (child (body, 1))), ==,
                   GMIME_CONTENT_ENCODING_BASE64);

  /* A non-ASCII name: RFC 2231, and the explicit type keeps its parameter. */
  g_assert_true (is_type (child (body, 2), "application", "x-custom"));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (child (body, 2), "version"), ==, "2");
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (child (body, 2))), ==, "résumé 2024 — final.bin");
  g_assert_nonnull (strstr (text, "filename*=UTF-8''r%C3%A9sum%C3%A9%202024%20%E2%80%94%20final.bin"));

  /* A long name: RFC 2231 continuations. */
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (child (body, 3))), ==, long_name);
  g_assert_nonnull (strstr (text, "filename*1*="));
  {
    GBytes *round = part_bytes (child (body, 3));
    g_assert_true (g_bytes_equal (round, binary_bytes));
    g_bytes_unref (round);
  }

  /* From a stream. */
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (child (body, 4))), ==, "données.dat");
  {
    GBytes *round = part_bytes (child (body, 4));
    g_assert_true (g_bytes_equal (round, binary_bytes));
    g_bytes_unref (round);
  }
  /* No name: no filename parameter, octet-stream guessed. */
  g_assert_null (g_mime_part_get_filename (GMIME_PART (child (body, 5))));
  g_assert_true (is_type (child (body, 5), "application", "octet-stream"));
  check_header_lines (GMIME_OBJECT (message), 78);
  g_object_unref (message);
  g_free (text);

  /* Errors: a missing file, a bad type, a name with a line break. */
  {
    GFile *missing = g_file_new_for_path ("/nonexistent/missive/file.txt");
    g_assert_false (missive_message_builder_add_attachment_file (builder, missing, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_object_unref (missing);
  }
  g_assert_false (missive_message_builder_add_attachment_bytes (builder, binary_bytes, NULL, "nonsense", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_message_builder_add_attachment_bytes (builder, binary_bytes, NULL, "multipart/mixed", &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (missive_message_builder_get_attachment_count (builder), ==, 5);
  missive_message_builder_clear_attachments (builder);
  g_assert_cmpuint (missive_message_builder_get_attachment_count (builder), ==, 0);

  g_object_unref (file);
  remove_temp_file (path);
  g_bytes_unref (binary_bytes);
  g_object_unref (builder);
}

static void
test_body_encodings (void)
{
  struct {
    const char *charset;
    const char *text;
    GMimeContentEncoding expected;
    const char *label;
  } cases[] = {
    { "UTF-8", "plain ASCII text\n", GMIME_CONTENT_ENCODING_7BIT, "UTF-8" },
    { "ISO-8859-1", "Grüße aus München, mostly ASCII text here\n", GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, "ISO-8859-1" },
    { "UTF-8", "Привет, мир! Это почти полностью кириллический текст.\n", GMIME_CONTENT_ENCODING_BASE64, "UTF-8" },
    /* Latin-1 cannot hold Cyrillic: UTF-8 instead. */
    { "ISO-8859-1", "Привет, мир! Это почти полностью кириллический текст.\n", GMIME_CONTENT_ENCODING_BASE64, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MissiveMessageBuilder *builder = missive_message_builder_new ();
      GMimeMessage *message;
      GMimeObject *body;
      char *decoded;

      g_assert_true (missive_message_builder_set_charset (builder, cases[i].charset, NULL));
      g_assert_true (missive_message_builder_set_text_body (builder, cases[i].text, NULL));
      message = build_and_reparse (builder, NULL);
      body = g_mime_message_get_mime_part (message);
      g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==, cases[i].expected);
      g_assert_true (g_ascii_strcasecmp (g_mime_text_part_get_charset (GMIME_TEXT_PART (body)),
                                         cases[i].label) == 0);
      decoded = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
      g_assert_cmpstr (decoded, ==, cases[i].text);
      g_free (decoded);
      g_object_unref (message);
      g_object_unref (builder);
    }
}

static void
test_flags (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GError *error = NULL;
  GMimeMessage *message;

  missive_message_builder_set_importance (builder, MISSIVE_MESSAGE_IMPORTANCE_HIGH);
  missive_message_builder_set_priority (builder, MISSIVE_MESSAGE_PRIORITY_HIGHEST);
  missive_message_builder_set_sensitivity (builder, MISSIVE_MESSAGE_SENSITIVITY_COMPANY_CONFIDENTIAL);
  g_assert_true (missive_message_builder_set_read_receipt_to (builder, "receipts@example.org", &error));
  g_assert_true (missive_message_builder_set_delivery_receipt_to (builder, "dsn@bücher.example", &error));
  g_assert_true (missive_message_builder_set_return_path (builder, "bounces@example.org", &error));
  g_assert_no_error (error);

  message = build_and_reparse (builder, NULL);
  g_assert_cmpstr (header (message, "Importance"), ==, "high");
  g_assert_cmpstr (header (message, "X-Priority"), ==, "1 (Highest)");
  g_assert_cmpstr (header (message, "Priority"), ==, "urgent");
  g_assert_cmpstr (header (message, "Sensitivity"), ==, "Company-Confidential");
  g_assert_cmpstr (header (message, "Disposition-Notification-To"), ==, "<receipts@example.org>");
  g_assert_cmpstr (header (message, "Return-Receipt-To"), ==, "<dsn@xn--bcher-kva.example>");
  g_assert_cmpstr (header (message, "Return-Path"), ==, "<bounces@example.org>");
  g_object_unref (message);

  missive_message_builder_set_importance (builder, MISSIVE_MESSAGE_IMPORTANCE_LOW);
  missive_message_builder_set_priority (builder, MISSIVE_MESSAGE_PRIORITY_LOWEST);
  missive_message_builder_set_priority_headers (builder, MISSIVE_PRIORITY_HEADERS_X_PRIORITY);
  missive_message_builder_set_sensitivity (builder, MISSIVE_MESSAGE_SENSITIVITY_PERSONAL);
  g_assert_true (missive_message_builder_set_return_path (builder, "", &error));
  g_assert_true (missive_message_builder_set_read_receipt_to (builder, NULL, &error));
  message = build_and_reparse (builder, NULL);
  g_assert_cmpstr (header (message, "Importance"), ==, "low");
  g_assert_cmpstr (header (message, "X-Priority"), ==, "5 (Lowest)");
  g_assert_null (header (message, "Priority"));
  g_assert_cmpstr (header (message, "Sensitivity"), ==, "Personal");
  g_assert_cmpstr (header (message, "Return-Path"), ==, "<>");
  g_assert_null (header (message, "Disposition-Notification-To"));
  g_object_unref (message);

  missive_message_builder_set_priority_headers (builder, MISSIVE_PRIORITY_HEADERS_PRIORITY);
  missive_message_builder_set_priority (builder, MISSIVE_MESSAGE_PRIORITY_NORMAL);
  missive_message_builder_set_sensitivity (builder, MISSIVE_MESSAGE_SENSITIVITY_PRIVATE);
  message = build_and_reparse (builder, NULL);
  g_assert_null (header (message, "X-Priority"));
  g_assert_cmpstr (header (message, "Priority"), ==, "normal");
  g_assert_cmpstr (header (message, "Sensitivity"), ==, "Private");
  g_object_unref (message);
  g_object_unref (builder);
}

#define EVIL "x\r\nBcc: victim@example.org"

static void
assert_invalid (gboolean  ok,
                GError  **error)
{
  g_assert_false (ok);
  g_assert_error (*error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (error);
}

static void
test_injection (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GBytes *bytes = g_bytes_new_static ("x", 1);
  GError *error = NULL;
  GMimeMessage *message;
  char *text = NULL;
  char *cid;

  g_assert_true (missive_message_builder_set_subject (builder, "safe", &error));
  assert_invalid (missive_message_builder_set_subject (builder, EVIL, &error), &error);
  assert_invalid (missive_message_builder_set_subject (builder, "lf\nonly", &error), &error);
  assert_invalid (missive_message_builder_set_subject (builder, "cr\ronly", &error), &error);
  assert_invalid (missive_message_builder_set_subject (builder, "bell\a", &error), &error);
  assert_invalid (missive_message_builder_set_subject (builder, "bad utf-8 \xff", &error), &error);
  g_assert_cmpstr (missive_message_builder_get_subject (builder), ==, "safe");
  assert_invalid (missive_message_builder_set_from (builder, EVIL, "a@example.org", &error), &error);
  assert_invalid (missive_message_builder_set_from (builder, NULL, "a@example.org" EVIL, &error), &error);
  assert_invalid (missive_message_builder_set_sender (builder, EVIL, "a@example.org", &error), &error);
  assert_invalid (missive_message_builder_add_to (builder, EVIL, "a@example.org", &error), &error);
  assert_invalid (missive_message_builder_add_cc (builder, NULL, "a@exa\nmple.org", &error), &error);
  assert_invalid (missive_message_builder_add_bcc (builder, NULL, "a\r@example.org", &error), &error);
  assert_invalid (missive_message_builder_add_reply_to (builder, EVIL, "a@example.org", &error), &error);
  assert_invalid (missive_message_builder_add_address_list (builder, MISSIVE_ADDRESS_FIELD_TO,
                                                            "a@example.org\r\nBcc: b@example.org", &error), &error);
  assert_invalid (missive_message_builder_set_read_receipt_to (builder, "a@example.org" EVIL, &error), &error);
  assert_invalid (missive_message_builder_set_delivery_receipt_to (builder, "a@example.org" EVIL, &error), &error);
  assert_invalid (missive_message_builder_set_return_path (builder, "a@example.org" EVIL, &error), &error);
  assert_invalid (missive_message_builder_set_message_id (builder, "id@example.org" EVIL, &error), &error);
  assert_invalid (missive_message_builder_set_charset (builder, "UTF-8" EVIL, &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "X-Test", EVIL, &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "X-Test\r\nBcc", "v", &error), &error);
  assert_invalid (missive_message_builder_add_attachment_bytes (builder, bytes, "name" EVIL, NULL, &error), &error);
  assert_invalid (missive_message_builder_add_attachment_bytes (builder, bytes, "n", "text/plain" EVIL, &error), &error);
  cid = missive_message_builder_add_inline_bytes (builder, bytes, NULL, "cid@x" EVIL, NULL, &error);
  g_assert_null (cid);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (missive_message_builder_get_address_count (builder, MISSIVE_ADDRESS_FIELD_TO), ==, 1);
  g_assert_cmpuint (missive_message_builder_get_address_count (builder, MISSIVE_ADDRESS_FIELD_BCC), ==, 0);
  g_assert_cmpuint (missive_message_builder_get_attachment_count (builder), ==, 0);

  message = build_and_reparse (builder, &text);
  g_assert_null (strstr (text, "victim"));
  g_assert_null (header (message, "Bcc"));
  g_free (text);
  g_object_unref (message);

  /* Through the properties, which cannot refuse: build() does. */
  {
    static const char *const props[] = {
      "subject", "read-receipt-to", "delivery-receipt-to", "return-path", "message-id", "charset",
    };
    for (guint i = 0; i < G_N_ELEMENTS (props); i++)
      {
        MissiveMessageBuilder *b = basic_builder ();
        GMimeMessage *m;

        g_object_set (b, props[i], "a@example.org" EVIL, NULL);
        m = missive_message_builder_build (b, &error);
        g_assert_null (m);
        g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
        g_clear_error (&error);
        g_object_unref (b);
      }
  }

  g_bytes_unref (bytes);
  g_object_unref (builder);
}

static void
test_extra_headers (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GError *error = NULL;
  GMimeMessage *message;
  char *text = NULL;

  g_assert_true (missive_message_builder_set_subject (builder, "builder subject", &error));
  g_assert_true (missive_message_builder_add_header (builder, "X-Mailer", "Missive test", &error));
  g_assert_true (missive_message_builder_add_header (builder, "X-Label", "naïve", &error));
  g_assert_true (missive_message_builder_add_header (builder, "subject", "raw subject", &error));
  g_assert_true (missive_message_builder_add_headers_string (builder,
                                                             "X-One: 1\r\nX-Two: two\r\n\tcontinued\r\nX-One: again\n",
                                                             &error));
  g_assert_no_error (error);

  assert_invalid (missive_message_builder_add_header (builder, "Bad Name", "v", &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "Bad:Name", "v", &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "", "v", &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "Naïve", "v", &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "Content-Type", "text/html", &error), &error);
  assert_invalid (missive_message_builder_add_header (builder, "MIME-Version", "2.0", &error), &error);
  assert_invalid (missive_message_builder_add_headers_string (builder, " starts with a continuation", &error), &error);
  assert_invalid (missive_message_builder_add_headers_string (builder, "X-Ok: 1\nnot a header\n", &error), &error);
  assert_invalid (missive_message_builder_add_headers_string (builder, "X-Ok: 1\nContent-Type: x/y\n", &error), &error);

  message = build_and_reparse (builder, &text);
  g_assert_cmpstr (header (message, "X-Mailer"), ==, "Missive test");
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "raw subject");
  g_assert_null (strstr (text, "builder subject"));
  g_assert_null (strstr (text, "X-Ok"));
  g_assert_nonnull (strstr (text, "X-One: 1\n"));
  g_assert_nonnull (strstr (text, "X-One: again\n"));
  g_assert_cmpstr (header (message, "X-Two"), ==, "two\tcontinued");
  {
    char *decoded = g_mime_utils_header_decode_text (NULL, header (message, "X-Label"));
    g_assert_cmpstr (decoded, ==, "naïve");
    g_free (decoded);
  }
  g_free (text);
  g_object_unref (message);

  missive_message_builder_clear_headers (builder);
  message = build_and_reparse (builder, NULL);
  g_assert_null (header (message, "X-Mailer"));
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "builder subject");
  g_object_unref (message);
  g_object_unref (builder);
}

static void
test_message_id (void)
{
  struct {
    GChecksumType type;
    gsize hex;
  } cases[] = {
    { G_CHECKSUM_MD5, 32 }, { G_CHECKSUM_SHA1, 40 }, { G_CHECKSUM_SHA256, 64 },
    { G_CHECKSUM_SHA384, 96 }, { G_CHECKSUM_SHA512, 128 },
  };
  MissiveMessageBuilder *builder = basic_builder ();
  GError *error = NULL;
  GMimeMessage *message;
  char *first;

  g_assert_cmpint (missive_message_builder_get_message_id_hash (builder), ==, G_CHECKSUM_SHA1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *id;
      const char *at;

      missive_message_builder_set_message_id_hash (builder, cases[i].type);
      message = build_and_reparse (builder, NULL);
      id = g_mime_message_get_message_id (message);
      at = strchr (id, '@');
      g_assert_nonnull (at);
      g_assert_cmpuint (at - id, ==, cases[i].hex);
      for (const char *p = id; p < at; p++)
        g_assert_true (g_ascii_isxdigit (*p));
      g_assert_cmpstr (at + 1, ==, "example.org");
      g_object_unref (message);
    }

  /* A new one per build. */
  message = build_and_reparse (builder, NULL);
  first = g_strdup (g_mime_message_get_message_id (message));
  g_object_unref (message);
  message = build_and_reparse (builder, NULL);
  g_assert_cmpstr (first, !=, g_mime_message_get_message_id (message));
  g_object_unref (message);
  g_free (first);

  /* Explicit. */
  g_assert_true (missive_message_builder_set_message_id (builder, "<fixed.1@example.org>", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (missive_message_builder_get_message_id (builder), ==, "fixed.1@example.org");
  message = build_and_reparse (builder, NULL);
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, "fixed.1@example.org");
  g_assert_cmpstr (header (message, "Message-ID"), ==, "<fixed.1@example.org>");
  g_object_unref (message);
  assert_invalid (missive_message_builder_set_message_id (builder, "no-at-sign", &error), &error);
  assert_invalid (missive_message_builder_set_message_id (builder, "two words@example.org", &error), &error);
  g_assert_cmpstr (missive_message_builder_get_message_id (builder), ==, "fixed.1@example.org");

  /* Without From or Sender, the local host. */
  {
    MissiveMessageBuilder *anonymous = missive_message_builder_new ();
    message = build_and_reparse (anonymous, NULL);
    g_assert_nonnull (strchr (g_mime_message_get_message_id (message), '@'));
    g_object_unref (message);
    g_object_unref (anonymous);
  }
  g_object_unref (builder);
}

static void
test_date (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GTimeZone *tz = g_time_zone_new_offset (2 * 3600);
  GDateTime *date = g_date_time_new (tz, 2024, 2, 29, 13, 45, 10);
  GMimeMessage *message;
  GDateTime *parsed;

  missive_message_builder_set_date (builder, date);
  g_assert_true (missive_message_builder_get_date (builder) == date);
  message = build_and_reparse (builder, NULL);
  parsed = g_mime_message_get_date (message);
  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_to_unix (parsed), ==, g_date_time_to_unix (date));
  g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, g_date_time_get_utc_offset (date));
  g_assert_nonnull (strstr (header (message, "Date"), "29 Feb 2024 13:45:10 +0200"));
  g_object_unref (message);

  missive_message_builder_set_date (builder, NULL);
  {
    gint64 before = g_get_real_time () / G_USEC_PER_SEC;
    message = build_and_reparse (builder, NULL);
    g_assert_cmpint (g_date_time_to_unix (g_mime_message_get_date (message)), >=, before - 1);
    g_object_unref (message);
  }
  g_date_time_unref (date);
  g_time_zone_unref (tz);
  g_object_unref (builder);
}

static void
test_folding (void)
{
  guint lengths[] = { 40, 60, 78, 120 };

  for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
    {
      MissiveMessageBuilder *builder = missive_message_builder_new ();
      GBytes *bytes = g_bytes_new_static ("data", 4);
      GMimeMessage *message;
      GError *error = NULL;
      gsize longest;
      char *cid;
      const char *file_name = "Quarterly report — numbers and commentary for every region, final version (2).pdf";
      const char *subject = "A long subject line with plenty of words, some of them ünïcödé, "
                            "to make sure that folding happens more than once at every length";

      missive_message_builder_set_fold_length (builder, lengths[l]);
      g_assert_cmpuint (missive_message_builder_get_fold_length (builder), ==, lengths[l]);
      g_assert_true (missive_message_builder_set_from (builder, "Sender With A Fairly Long Display Name",
                                                       "sender@example.org", &error));
      for (guint i = 0; i < 12; i++)
        {
          char *name = g_strdup_printf ("Recipient Number %u, Ünïcödé Department", i);
          char *address = g_strdup_printf ("recipient%u@example.org", i);
          g_assert_true (missive_message_builder_add_to (builder, name, address, &error));
          g_free (name);
          g_free (address);
        }
      g_assert_true (missive_message_builder_add_cc (builder, "An ASCII display name that is way too long to fit on one line of forty characters",
                                                     "cc@example.org", &error));
      g_assert_true (missive_message_builder_set_subject (builder, subject, &error));
      g_assert_true (missive_message_builder_set_text_body (builder, "text", &error));
      g_assert_true (missive_message_builder_set_html_body (builder, "<b>html</b>", &error));
      g_assert_true (missive_message_builder_add_attachment_bytes (builder, bytes, file_name, NULL, &error));
      g_assert_true (missive_message_builder_add_header (builder, "X-Long", "many short words that can be folded "
                                                         "anywhere between them without any trouble at all", &error));
      cid = missive_message_builder_add_inline_bytes (builder, bytes, "inline image.png", NULL, "image/png", &error);
      g_assert_no_error (error);
      /* A Message-ID is one word that cannot be folded: keep it short. */
      g_assert_true (missive_message_builder_set_message_id (builder, "f@example.org", &error));

      message = build_and_reparse (builder, NULL);
      longest = check_header_lines (GMIME_OBJECT (message), lengths[l]);
      g_test_message ("fold length %u: longest header line %" G_GSIZE_FORMAT, lengths[l], longest);
      /* The values survive folding. */
      g_assert_cmpstr (g_mime_message_get_subject (message), ==, subject);
      g_assert_cmpint (internet_address_list_length (g_mime_message_get_to (message)), ==, 12);
      g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (g_mime_message_get_to (message), 11)),
                       ==, "Recipient Number 11, Ünïcödé Department");
      g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (g_mime_message_get_cc (message), 0)),
                       ==, "An ASCII display name that is way too long to fit on one line of forty characters");
      {
        GMimeObject *body = g_mime_message_get_mime_part (message);
        GMimeObject *attachment = child (body, 1);
        g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (attachment)), ==, file_name);
        g_assert_cmpstr (g_mime_object_get_content_type_parameter (attachment, "name"), ==, file_name);
      }
      {
        char *x_long = g_mime_utils_header_unfold (header (message, "X-Long"));
        g_assert_cmpstr (x_long, ==, "many short words that can be folded anywhere between them without any trouble at all");
        g_free (x_long);
      }
      g_object_unref (message);
      g_free (cid);
      g_bytes_unref (bytes);
      g_object_unref (builder);
    }
}

static void
test_bcc_kept (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GMimeMessage *message;
  InternetAddressList *bcc;

  g_assert_true (missive_message_builder_add_bcc (builder, "Hidden", "hidden@example.org", NULL));
  message = build_and_reparse (builder, NULL);
  bcc = g_mime_message_get_bcc (message);
  g_assert_cmpint (internet_address_list_length (bcc), ==, 1);
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (bcc, 0))),
                   ==, "hidden@example.org");
  g_object_unref (message);
  g_object_unref (builder);
}

static void
test_build_twice (void)
{
  MissiveMessageBuilder *builder = basic_builder ();
  GBytes *bytes = g_bytes_new_static ("attached", 8);
  GError *error = NULL;
  GMimeMessage *one, *two;
  char *text_one, *text_two;

  g_assert_true (missive_message_builder_set_text_body (builder, "body", NULL));
  g_assert_true (missive_message_builder_add_attachment_bytes (builder, bytes, "a.txt", NULL, NULL));
  one = missive_message_builder_build (builder, &error);
  g_assert_no_error (error);
  two = missive_message_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (one != two);
  g_assert_true (g_mime_message_get_mime_part (one) != g_mime_message_get_mime_part (two));
  g_assert_cmpstr (g_mime_message_get_message_id (one), !=, g_mime_message_get_message_id (two));

  /* Changing one leaves the other alone. */
  g_mime_message_set_subject (one, "changed", NULL);
  internet_address_list_clear (g_mime_message_get_to (one));
  g_assert_null (g_mime_message_get_subject (two));
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_to (two)), ==, 1);

  /* And the builder is unchanged by building. */
  text_one = serialize (two);
  g_object_unref (two);
  two = missive_message_builder_build (builder, &error);
  text_two = serialize (two);
  g_assert_cmpuint (strlen (text_one), ==, strlen (text_two));
  g_free (text_one);
  g_free (text_two);
  g_object_unref (one);
  g_object_unref (two);
  g_bytes_unref (bytes);
  g_object_unref (builder);
}

static void
test_properties (void)
{
  MissiveMessageBuilder *builder = missive_message_builder_new ();
  char *subject = NULL, *charset = NULL, *receipt = NULL, *text = NULL;
  MissiveMessageImportance importance;
  MissiveMessagePriority priority;
  MissivePriorityHeaders priority_headers;
  MissiveMessageSensitivity sensitivity;
  guint fold;
  int hash;
  GDateTime *date = g_date_time_new_from_unix_utc (1700000000);
  GDateTime *got_date = NULL;
  GMimeMessage *message;

  g_object_get (builder, "charset", &charset, "fold-length", &fold, "message-id-hash", &hash,
                "priority-headers", &priority_headers, NULL);
  g_assert_cmpstr (charset, ==, "UTF-8");
  g_assert_cmpuint (fold, ==, MISSIVE_MESSAGE_BUILDER_DEFAULT_FOLD_LENGTH);
  g_assert_cmpint (hash, ==, G_CHECKSUM_SHA1);
  g_assert_cmpint (priority_headers, ==, MISSIVE_PRIORITY_HEADERS_X_PRIORITY | MISSIVE_PRIORITY_HEADERS_PRIORITY);
  g_clear_pointer (&charset, g_free);

  g_object_set (builder,
                "subject", "Über",
                "text-body", "hello",
                "charset", "ISO-8859-15",
                "importance", MISSIVE_MESSAGE_IMPORTANCE_NORMAL,
                "priority", MISSIVE_MESSAGE_PRIORITY_LOW,
                "sensitivity", MISSIVE_MESSAGE_SENSITIVITY_PRIVATE,
                "read-receipt-to", "r@example.org",
                "date", date,
                "message-id-hash", G_CHECKSUM_SHA256,
                "fold-length", 100,
                NULL);
  g_object_get (builder, "subject", &subject, "charset", &charset, "importance", &importance,
                "priority", &priority, "sensitivity", &sensitivity, "read-receipt-to", &receipt,
                "date", &got_date, "fold-length", &fold, "message-id-hash", &hash, NULL);
  g_assert_cmpstr (subject, ==, "Über");
  g_assert_cmpstr (charset, ==, "ISO-8859-15");
  g_assert_cmpint (importance, ==, MISSIVE_MESSAGE_IMPORTANCE_NORMAL);
  g_assert_cmpint (priority, ==, MISSIVE_MESSAGE_PRIORITY_LOW);
  g_assert_cmpint (sensitivity, ==, MISSIVE_MESSAGE_SENSITIVITY_PRIVATE);
  g_assert_cmpstr (receipt, ==, "r@example.org");
  g_assert_true (got_date == date);
  g_assert_cmpuint (fold, ==, 100);
  g_assert_cmpint (hash, ==, G_CHECKSUM_SHA256);

  message = build_and_reparse (builder, &text);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Über");
  g_assert_nonnull (strstr (text, "Subject: =?ISO-8859-15?"));
  g_free (text);
  g_assert_cmpstr (header (message, "Importance"), ==, "normal");
  g_assert_cmpstr (header (message, "X-Priority"), ==, "4 (Low)");
  g_assert_cmpstr (header (message, "Priority"), ==, "non-urgent");
  g_object_unref (message);

  /* An unknown charset is refused by the setter and by build(). */
  {
    GError *error = NULL;
    assert_invalid (missive_message_builder_set_charset (builder, "NO-SUCH-CHARSET", &error), &error);
    g_object_set (builder, "charset", "NO-SUCH-CHARSET", NULL);
    g_assert_null (missive_message_builder_build (builder, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  g_free (subject);
  g_free (charset);
  g_free (receipt);
  g_date_time_unref (got_date);
  g_date_time_unref (date);
  g_object_unref (builder);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add_func ("/message-builder/simple", test_simple);
  g_test_add_func ("/message-builder/empty", test_empty);
  g_test_add_func ("/message-builder/alternative", test_alternative);
  g_test_add_func ("/message-builder/related", test_related);
  g_test_add_func ("/message-builder/rfc2047-names", test_rfc2047_names);
  g_test_add_func ("/message-builder/idn", test_idn);
  g_test_add_func ("/message-builder/address-list", test_address_list);
  g_test_add_func ("/message-builder/subject", test_subject);
  g_test_add_func ("/message-builder/attachments", test_attachments);
  g_test_add_func ("/message-builder/body-encodings", test_body_encodings);
  g_test_add_func ("/message-builder/flags", test_flags);
  g_test_add_func ("/message-builder/injection", test_injection);
  g_test_add_func ("/message-builder/extra-headers", test_extra_headers);
  g_test_add_func ("/message-builder/message-id", test_message_id);
  g_test_add_func ("/message-builder/date", test_date);
  g_test_add_func ("/message-builder/folding", test_folding);
  g_test_add_func ("/message-builder/bcc-kept", test_bcc_kept);
  g_test_add_func ("/message-builder/build-twice", test_build_twice);
  g_test_add_func ("/message-builder/properties", test_properties);

  return g_test_run ();
}
