/* test-info.c: MissiveMailboxInfo, MissiveMessageInfo, MissiveRecipientResult
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

#include "test-utils.h"

typedef struct {
  GHashTable *counts;  /* property name -> number of notifications */
} NotifyLog;

static void
record_notify (GObject    *object,
               GParamSpec *pspec,
               gpointer    user_data)
{
  NotifyLog *log = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static void
notify_log_init (NotifyLog *log,
                 gpointer   object)
{
  log->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (object, "notify", G_CALLBACK (record_notify), log);
}

static guint
notify_count (NotifyLog  *log,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static guint
notify_total (NotifyLog *log)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, log->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);
  return total;
}

static void
notify_log_clear (NotifyLog *log,
                  gpointer   object)
{
  g_signal_handlers_disconnect_by_data (object, log);
  g_clear_pointer (&log->counts, g_hash_table_unref);
}

/* Sets @name to @value twice through GObject and checks that exactly one
 * notification came, and that reading it back gives @value. */
static void
check_uint_property (GObject    *object,
                     NotifyLog  *log,
                     const char *name,
                     guint       value)
{
  guint before = notify_count (log, name);
  guint read = 0;

  g_object_set (object, name, value, NULL);
  g_object_set (object, name, value, NULL);
  g_assert_cmpuint (notify_count (log, name), ==, before + 1);
  g_object_get (object, name, &read, NULL);
  g_assert_cmpuint (read, ==, value);
}

static void
check_string_property (GObject    *object,
                       NotifyLog  *log,
                       const char *name,
                       const char *value)
{
  guint before = notify_count (log, name);
  g_autofree char *read = NULL;

  g_object_set (object, name, value, NULL);
  g_object_set (object, name, value, NULL);
  g_assert_cmpuint (notify_count (log, name), ==, before + 1);
  g_object_get (object, name, &read, NULL);
  g_assert_cmpstr (read, ==, value);
}

/* ---- MissiveMailboxInfo ------------------------------------------------- */

static void
test_mailbox_defaults (void)
{
  g_autoptr(MissiveMailboxInfo) info = missive_mailbox_info_new ("INBOX");
  const char * const *attributes;

  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "INBOX");
  g_assert_null (missive_mailbox_info_get_separator (info));
  attributes = missive_mailbox_info_get_attributes (info);
  g_assert_nonnull (attributes);
  g_assert_null (attributes[0]);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 0);
  g_assert_cmpuint (missive_mailbox_info_get_unseen (info), ==, 0);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, 0);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (info), ==, 0);
  g_assert_cmpuint (missive_mailbox_info_get_size (info), ==, 0);
  g_assert_false (missive_mailbox_info_get_read_only (info));
  g_assert_false (missive_mailbox_info_has_attribute (info, "\\Noselect"));
}

static void
test_mailbox_properties (void)
{
  g_autoptr(MissiveMailboxInfo) info = missive_mailbox_info_new ("Archive/2024");
  GObject *object = G_OBJECT (info);
  NotifyLog log;
  guint64 size = 0;
  gboolean read_only = FALSE;
  g_autofree char *name = NULL;

  notify_log_init (&log, info);

  check_string_property (object, &log, "separator", "/");
  check_string_property (object, &log, "separator", NULL);
  check_uint_property (object, &log, "messages", 42);
  check_uint_property (object, &log, "unseen", 7);
  check_uint_property (object, &log, "uid-validity", 1700000000);
  check_uint_property (object, &log, "uid-next", G_MAXUINT);

  g_object_set (object, "size", G_GUINT64_CONSTANT (5000000000), NULL);
  g_object_set (object, "size", G_GUINT64_CONSTANT (5000000000), NULL);
  g_assert_cmpuint (notify_count (&log, "size"), ==, 1);
  g_object_get (object, "size", &size, NULL);
  g_assert_cmpuint (size, ==, G_GUINT64_CONSTANT (5000000000));

  g_object_set (object, "read-only", TRUE, NULL);
  g_object_set (object, "read-only", TRUE, NULL);
  g_assert_cmpuint (notify_count (&log, "read-only"), ==, 1);
  g_object_get (object, "read-only", &read_only, NULL);
  g_assert_true (read_only);

  /* The C setters notify the same way. */
  missive_mailbox_info_set_messages (info, 42);
  g_assert_cmpuint (notify_count (&log, "messages"), ==, 1);
  missive_mailbox_info_set_messages (info, 43);
  g_assert_cmpuint (notify_count (&log, "messages"), ==, 2);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 43);
  missive_mailbox_info_set_unseen (info, 7);
  missive_mailbox_info_set_uid_validity (info, 1700000000);
  missive_mailbox_info_set_uid_next (info, G_MAXUINT);
  missive_mailbox_info_set_size (info, G_GUINT64_CONSTANT (5000000000));
  missive_mailbox_info_set_read_only (info, TRUE);
  missive_mailbox_info_set_separator (info, NULL);
  g_assert_cmpuint (notify_total (&log), ==, 9);

  missive_mailbox_info_set_read_only (info, FALSE);
  g_assert_false (missive_mailbox_info_get_read_only (info));
  missive_mailbox_info_set_separator (info, ".");
  g_assert_cmpstr (missive_mailbox_info_get_separator (info), ==, ".");
  g_assert_cmpuint (notify_total (&log), ==, 11);

  /* The name is fixed at construction. */
  g_object_get (object, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "Archive/2024");
  g_assert_cmpuint (notify_count (&log, "name"), ==, 0);

  notify_log_clear (&log, info);
}

static void
test_mailbox_attributes (void)
{
  g_autoptr(MissiveMailboxInfo) info = missive_mailbox_info_new ("Sent");
  const char *attrs[] = { "\\HasNoChildren", "\\Sent", NULL };
  const char *same[] = { "\\HasNoChildren", "\\Sent", NULL };
  char *owned[] = { g_strdup ("\\Noselect"), NULL };
  g_auto(GStrv) read = NULL;
  NotifyLog log;

  notify_log_init (&log, info);

  missive_mailbox_info_set_attributes (info, attrs);
  g_assert_cmpuint (notify_count (&log, "attributes"), ==, 1);
  /* Equal contents in another array: no change. */
  missive_mailbox_info_set_attributes (info, same);
  g_assert_cmpuint (notify_count (&log, "attributes"), ==, 1);
  /* The array was copied. */
  g_assert_true (missive_mailbox_info_get_attributes (info) != attrs);
  g_assert_true (g_strv_equal (missive_mailbox_info_get_attributes (info), attrs));

  /* IMAP attributes ignore case. */
  g_assert_true (missive_mailbox_info_has_attribute (info, "\\sent"));
  g_assert_true (missive_mailbox_info_has_attribute (info, "\\HASNOCHILDREN"));
  g_assert_false (missive_mailbox_info_has_attribute (info, "\\Trash"));
  g_assert_false (missive_mailbox_info_has_attribute (info, "Sent"));

  g_object_get (info, "attributes", &read, NULL);
  g_assert_true (g_strv_equal ((const char * const *) read, attrs));

  g_object_set (info, "attributes", owned, NULL);
  g_free (owned[0]);
  owned[0] = NULL;
  g_assert_cmpuint (notify_count (&log, "attributes"), ==, 2);
  g_assert_true (missive_mailbox_info_has_attribute (info, "\\NoSelect"));
  g_assert_false (missive_mailbox_info_has_attribute (info, "\\Sent"));

  /* NULL means none. */
  missive_mailbox_info_set_attributes (info, NULL);
  g_assert_cmpuint (notify_count (&log, "attributes"), ==, 3);
  g_assert_null (missive_mailbox_info_get_attributes (info)[0]);
  missive_mailbox_info_set_attributes (info, (const char * const *) owned);
  g_assert_cmpuint (notify_count (&log, "attributes"), ==, 3);

  notify_log_clear (&log, info);
}

/* ---- MissiveMessageInfo ------------------------------------------------- */

static void
test_message_defaults (void)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();

  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 0);
  g_assert_cmpuint (missive_message_info_get_sequence (info), ==, 0);
  g_assert_cmpuint (missive_message_info_get_size (info), ==, 0);
  g_assert_null (missive_message_info_get_uidl (info));
  g_assert_nonnull (missive_message_info_get_flags (info));
  g_assert_null (missive_message_info_get_flags (info)[0]);
  g_assert_null (missive_message_info_get_internal_date (info));
  g_assert_null (missive_message_info_get_subject (info));
  g_assert_null (missive_message_info_get_from (info));
  g_assert_null (missive_message_info_get_message_id (info));
  g_assert_false (missive_message_info_has_flag (info, "\\Seen"));
}

static void
test_message_properties (void)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  GObject *object = G_OBJECT (info);
  NotifyLog log;
  guint64 size = 0;

  notify_log_init (&log, info);

  check_uint_property (object, &log, "uid", 4242);
  check_uint_property (object, &log, "sequence", 17);
  check_string_property (object, &log, "uidl", "1b2c3d");
  check_string_property (object, &log, "subject", "R\xc3\xa9union");
  check_string_property (object, &log, "from", "Alice <alice@example.org>");
  check_string_property (object, &log, "message-id", "<1234@example.org>");
  check_string_property (object, &log, "subject", NULL);

  g_object_set (object, "size", G_GUINT64_CONSTANT (123456), NULL);
  g_object_set (object, "size", G_GUINT64_CONSTANT (123456), NULL);
  g_assert_cmpuint (notify_count (&log, "size"), ==, 1);
  g_object_get (object, "size", &size, NULL);
  g_assert_cmpuint (size, ==, 123456);
  g_assert_cmpuint (notify_total (&log), ==, 8);

  /* The C API agrees and notifies only on change. */
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 4242);
  missive_message_info_set_uid (info, 4242);
  missive_message_info_set_sequence (info, 17);
  missive_message_info_set_size (info, 123456);
  missive_message_info_set_uidl (info, "1b2c3d");
  missive_message_info_set_from (info, "Alice <alice@example.org>");
  missive_message_info_set_message_id (info, "<1234@example.org>");
  missive_message_info_set_subject (info, NULL);
  g_assert_cmpuint (notify_total (&log), ==, 8);

  missive_message_info_set_uid (info, 4243);
  missive_message_info_set_sequence (info, 18);
  missive_message_info_set_size (info, 1);
  missive_message_info_set_uidl (info, NULL);
  missive_message_info_set_from (info, "bob@example.org");
  missive_message_info_set_message_id (info, NULL);
  missive_message_info_set_subject (info, "Hi");
  g_assert_cmpuint (notify_total (&log), ==, 15);
  g_assert_cmpuint (missive_message_info_get_uid (info), ==, 4243);
  g_assert_cmpuint (missive_message_info_get_sequence (info), ==, 18);
  g_assert_cmpuint (missive_message_info_get_size (info), ==, 1);
  g_assert_null (missive_message_info_get_uidl (info));
  g_assert_cmpstr (missive_message_info_get_from (info), ==, "bob@example.org");
  g_assert_null (missive_message_info_get_message_id (info));
  g_assert_cmpstr (missive_message_info_get_subject (info), ==, "Hi");

  notify_log_clear (&log, info);
}

static void
test_message_flags (void)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  const char *flags[] = { "\\Seen", "$Forwarded", NULL };
  const char *other[] = { "\\Seen", NULL };
  g_auto(GStrv) read = NULL;
  NotifyLog log;

  notify_log_init (&log, info);

  missive_message_info_set_flags (info, flags);
  missive_message_info_set_flags (info, flags);
  g_assert_cmpuint (notify_count (&log, "flags"), ==, 1);
  g_assert_true (missive_message_info_get_flags (info) != flags);

  g_assert_true (missive_message_info_has_flag (info, "\\Seen"));
  g_assert_true (missive_message_info_has_flag (info, "\\SEEN"));
  g_assert_true (missive_message_info_has_flag (info, "\\seen"));
  g_assert_true (missive_message_info_has_flag (info, "$forwarded"));
  g_assert_false (missive_message_info_has_flag (info, "\\Flagged"));
  g_assert_false (missive_message_info_has_flag (info, "Seen"));

  g_object_get (info, "flags", &read, NULL);
  g_assert_true (g_strv_equal ((const char * const *) read, flags));

  g_object_set (info, "flags", other, NULL);
  g_assert_cmpuint (notify_count (&log, "flags"), ==, 2);
  g_assert_false (missive_message_info_has_flag (info, "$Forwarded"));

  missive_message_info_set_flags (info, NULL);
  g_assert_cmpuint (notify_count (&log, "flags"), ==, 3);
  g_assert_false (missive_message_info_has_flag (info, "\\Seen"));
  missive_message_info_set_flags (info, NULL);
  g_assert_cmpuint (notify_count (&log, "flags"), ==, 3);

  notify_log_clear (&log, info);
}

static void
test_message_internal_date (void)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 3, 1, 12, 30, 0);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2024, 3, 1, 12, 30, 0);
  g_autoptr(GDateTime) same_instant_other_zone = g_date_time_to_timezone (date, plus2);
  g_autoptr(GDateTime) read = NULL;
  NotifyLog log;

  notify_log_init (&log, info);

  missive_message_info_set_internal_date (info, date);
  g_assert_cmpuint (notify_count (&log, "internal-date"), ==, 1);
  /* Referenced, not copied. */
  g_assert_true (missive_message_info_get_internal_date (info) == date);

  /* An equal date is no change. */
  missive_message_info_set_internal_date (info, same);
  g_assert_cmpuint (notify_count (&log, "internal-date"), ==, 1);
  g_assert_true (missive_message_info_get_internal_date (info) == date);

  /* The same instant in another zone shows differently: a change. */
  missive_message_info_set_internal_date (info, same_instant_other_zone);
  g_assert_cmpuint (notify_count (&log, "internal-date"), ==, 2);
  g_assert_cmpint (g_date_time_get_hour (missive_message_info_get_internal_date (info)), ==, 14);

  g_object_get (info, "internal-date", &read, NULL);
  g_assert_true (read == same_instant_other_zone);

  g_object_set (info, "internal-date", NULL, NULL);
  g_assert_cmpuint (notify_count (&log, "internal-date"), ==, 3);
  g_assert_null (missive_message_info_get_internal_date (info));
  missive_message_info_set_internal_date (info, NULL);
  g_assert_cmpuint (notify_count (&log, "internal-date"), ==, 3);

  notify_log_clear (&log, info);
}

/* ---- MissiveRecipientResult --------------------------------------------- */

static void
test_recipient_fields (void)
{
  g_autoptr(MissiveRecipientResult) result = NULL;
  g_autofree char *address = NULL;
  g_autofree char *status = NULL;
  g_autofree char *text = NULL;
  guint code = 0;
  gboolean accepted = TRUE;
  GParamSpec *pspec;

  result = missive_recipient_result_new ("bob@example.org", 550, "5.1.1",
                                         "No such user");
  g_assert_cmpstr (missive_recipient_result_get_address (result), ==, "bob@example.org");
  g_assert_cmpuint (missive_recipient_result_get_code (result), ==, 550);
  g_assert_cmpstr (missive_recipient_result_get_enhanced_status (result), ==, "5.1.1");
  g_assert_cmpstr (missive_recipient_result_get_text (result), ==, "No such user");
  g_assert_false (missive_recipient_result_get_accepted (result));

  g_object_get (result,
                "address", &address,
                "code", &code,
                "enhanced-status", &status,
                "text", &text,
                "accepted", &accepted,
                NULL);
  g_assert_cmpstr (address, ==, "bob@example.org");
  g_assert_cmpuint (code, ==, 550);
  g_assert_cmpstr (status, ==, "5.1.1");
  g_assert_cmpstr (text, ==, "No such user");
  g_assert_false (accepted);

  /* Fixed at construction; "accepted" is computed. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (result), "code");
  g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (result), "accepted");
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);
}

static void
test_recipient_optional (void)
{
  g_autoptr(MissiveRecipientResult) result = NULL;

  result = missive_recipient_result_new ("carol@example.org", 250, NULL, NULL);
  g_assert_null (missive_recipient_result_get_enhanced_status (result));
  g_assert_null (missive_recipient_result_get_text (result));
  g_assert_true (missive_recipient_result_get_accepted (result));
}

static void
test_recipient_accepted (void)
{
  struct {
    guint code;
    gboolean accepted;
  } cases[] = {
    { 0, FALSE },     /* no answer */
    { 199, FALSE },
    { 200, TRUE },
    { 250, TRUE },
    { 251, TRUE },    /* user not local; will forward */
    { 252, TRUE },    /* cannot verify, will try */
    { 299, TRUE },
    { 300, FALSE },
    { 354, FALSE },
    { 421, FALSE },
    { 450, FALSE },
    { 452, FALSE },
    { 550, FALSE },
    { 553, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MissiveRecipientResult) result = NULL;
      gboolean accepted = !cases[i].accepted;

      result = missive_recipient_result_new ("x@example.org", cases[i].code, NULL, NULL);
      g_assert_cmpint (missive_recipient_result_get_accepted (result), ==, cases[i].accepted);
      g_object_get (result, "accepted", &accepted, NULL);
      g_assert_cmpint (accepted, ==, cases[i].accepted);
    }
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/info/mailbox/defaults", test_mailbox_defaults);
  g_test_add_func ("/info/mailbox/properties", test_mailbox_properties);
  g_test_add_func ("/info/mailbox/attributes", test_mailbox_attributes);
  g_test_add_func ("/info/message/defaults", test_message_defaults);
  g_test_add_func ("/info/message/properties", test_message_properties);
  g_test_add_func ("/info/message/flags", test_message_flags);
  g_test_add_func ("/info/message/internal-date", test_message_internal_date);
  g_test_add_func ("/info/recipient/fields", test_recipient_fields);
  g_test_add_func ("/info/recipient/optional", test_recipient_optional);
  g_test_add_func ("/info/recipient/accepted", test_recipient_accepted);

  return g_test_run ();
}
