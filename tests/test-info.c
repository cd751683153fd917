/* test-info.c: MissiveMailboxInfo, MissiveMessageInfo, MissiveRecipientResult,
 * MissiveMessageSet, MissiveSearchQuery, MissiveBodyPart, MissiveUidMap,
 * MissiveQuota, MissiveAclEntry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

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

/* ---- new MissiveMailboxInfo fields -------------------------------------- */

static void
test_mailbox_extended (void)
{
  g_autoptr(MissiveMailboxInfo) info = missive_mailbox_info_new ("Sent Items");
  GObject *object = G_OBJECT (info);
  const char * const flags[] = { "\\Seen", "\\Deleted", "$Junk", NULL };
  const char * const permanent[] = { "\\Seen", "\\*", NULL };
  const char * const sent[] = { "\\HasNoChildren", "\\sent", "\\Trash", NULL };
  const char * const plain[] = { "\\HasNoChildren", NULL };
  g_auto(GStrv) read_flags = NULL;
  g_autofree char *special = NULL;
  guint64 modseq = 0;
  gboolean boolean = FALSE;
  NotifyLog log;

  g_assert_cmpuint (missive_mailbox_info_get_recent (info), ==, 0);
  g_assert_cmpuint (missive_mailbox_info_get_first_unseen (info), ==, 0);
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), ==, 0);
  g_assert_false (missive_mailbox_info_get_no_modseq (info));
  g_assert_null (missive_mailbox_info_get_flags (info));
  g_assert_null (missive_mailbox_info_get_permanent_flags (info));
  g_assert_null (missive_mailbox_info_get_mailbox_id (info));
  g_assert_false (missive_mailbox_info_get_subscribed (info));
  g_assert_null (missive_mailbox_info_get_special_use (info));

  notify_log_init (&log, info);
  check_uint_property (object, &log, "recent", 3);
  check_uint_property (object, &log, "first-unseen", 12);
  check_string_property (object, &log, "mailbox-id", "F2212ea87-6097-4256-9d51-71338625");

  g_object_set (object, "highest-modseq", G_GUINT64_CONSTANT (9007199254740993), NULL);
  missive_mailbox_info_set_highest_modseq (info, G_GUINT64_CONSTANT (9007199254740993));
  g_assert_cmpuint (notify_count (&log, "highest-modseq"), ==, 1);
  g_object_get (object, "highest-modseq", &modseq, NULL);
  g_assert_cmpuint (modseq, ==, G_GUINT64_CONSTANT (9007199254740993));

  missive_mailbox_info_set_no_modseq (info, TRUE);
  missive_mailbox_info_set_no_modseq (info, TRUE);
  g_assert_cmpuint (notify_count (&log, "no-modseq"), ==, 1);
  g_object_get (object, "no-modseq", &boolean, NULL);
  g_assert_true (boolean);
  missive_mailbox_info_set_subscribed (info, TRUE);
  g_assert_true (missive_mailbox_info_get_subscribed (info));
  g_assert_cmpuint (notify_count (&log, "subscribed"), ==, 1);

  missive_mailbox_info_set_flags (info, flags);
  missive_mailbox_info_set_flags (info, flags);
  g_assert_cmpuint (notify_count (&log, "flags"), ==, 1);
  g_assert_cmpstrv (missive_mailbox_info_get_flags (info), flags);
  g_object_get (object, "flags", &read_flags, NULL);
  g_assert_cmpstrv (read_flags, flags);
  missive_mailbox_info_set_permanent_flags (info, permanent);
  g_assert_cmpstrv (missive_mailbox_info_get_permanent_flags (info), permanent);
  /* An empty list is not the same as none reported. */
  missive_mailbox_info_set_permanent_flags (info, (const char * const *) &permanent[2]);
  g_assert_nonnull (missive_mailbox_info_get_permanent_flags (info));
  g_assert_null (missive_mailbox_info_get_permanent_flags (info)[0]);
  missive_mailbox_info_set_permanent_flags (info, NULL);
  g_assert_null (missive_mailbox_info_get_permanent_flags (info));
  g_assert_cmpuint (notify_count (&log, "permanent-flags"), ==, 3);

  /* The special use follows the attributes: the first RFC 6154 one, in
   * its usual spelling. */
  missive_mailbox_info_set_attributes (info, sent);
  g_assert_cmpstr (missive_mailbox_info_get_special_use (info), ==, "\\Sent");
  g_object_get (object, "special-use", &special, NULL);
  g_assert_cmpstr (special, ==, "\\Sent");
  g_assert_cmpuint (notify_count (&log, "special-use"), ==, 1);
  missive_mailbox_info_set_attributes (info, plain);
  g_assert_null (missive_mailbox_info_get_special_use (info));
  g_assert_cmpuint (notify_count (&log, "special-use"), ==, 2);
  missive_mailbox_info_set_attributes (info, NULL);
  g_assert_cmpuint (notify_count (&log, "special-use"), ==, 2);

  notify_log_clear (&log, info);
}

/* ---- new MissiveMessageInfo fields -------------------------------------- */

static void
check_uint64_property (GObject    *object,
                       NotifyLog  *log,
                       const char *name,
                       guint64     value)
{
  guint before = notify_count (log, name);
  guint64 read = 0;

  g_object_set (object, name, value, NULL);
  g_object_set (object, name, value, NULL);
  g_assert_cmpuint (notify_count (log, name), ==, before + 1);
  g_object_get (object, name, &read, NULL);
  g_assert_cmpuint (read, ==, value);
}

static void
test_message_extended (void)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  g_autoptr(MissiveBodyPart) part = missive_body_part_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 2, 1, 9, 30, 0);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2024, 2, 1, 9, 30, 0);
  GObject *object = G_OBJECT (info);
  const char * const labels[] = { "\\Inbox", "Work", NULL };
  NotifyLog log;

  g_assert_cmpuint (missive_message_info_get_modseq (info), ==, 0);
  g_assert_null (missive_message_info_get_date (info));
  g_assert_null (missive_message_info_get_in_reply_to (info));
  g_assert_null (missive_message_info_get_body_structure (info));
  g_assert_null (missive_message_info_get_raw_headers (info));
  g_assert_null (missive_message_info_get_header (info, "Subject"));
  g_assert_null (missive_message_info_get_preview (info));
  g_assert_null (missive_message_info_get_email_id (info));
  g_assert_null (missive_message_info_get_thread_id (info));
  g_assert_null (missive_message_info_get_save_date (info));
  g_assert_null (missive_message_info_get_gmail_labels (info));
  g_assert_cmpuint (missive_message_info_get_gmail_message_id (info), ==, 0);
  g_assert_cmpuint (missive_message_info_get_gmail_thread_id (info), ==, 0);
  for (MissiveAddressField f = MISSIVE_ADDRESS_FIELD_FROM; f <= MISSIVE_ADDRESS_FIELD_BCC; f++)
    g_assert_null (missive_message_info_get_addresses (info, f));

  notify_log_init (&log, info);
  check_uint64_property (object, &log, "modseq", G_GUINT64_CONSTANT (12345678901));
  check_uint64_property (object, &log, "gmail-message-id", G_GUINT64_CONSTANT (1278455344230334865));
  check_uint64_property (object, &log, "gmail-thread-id", G_GUINT64_CONSTANT (1266894439832287888));
  check_string_property (object, &log, "in-reply-to", "<parent@example.org>");
  check_string_property (object, &log, "preview", "Hello there");
  check_string_property (object, &log, "email-id", "M6d99ac3275bb4e");
  check_string_property (object, &log, "thread-id", "T64b478a75b7ea9");

  missive_message_info_set_date (info, date);
  missive_message_info_set_date (info, same);
  g_assert_cmpuint (notify_count (&log, "date"), ==, 1);
  g_assert_true (missive_message_info_get_date (info) == date);
  missive_message_info_set_save_date (info, same);
  g_assert_true (g_date_time_equal (missive_message_info_get_save_date (info), date));
  missive_message_info_set_save_date (info, NULL);
  g_assert_null (missive_message_info_get_save_date (info));
  g_assert_cmpuint (notify_count (&log, "save-date"), ==, 2);

  missive_message_info_set_gmail_labels (info, labels);
  missive_message_info_set_gmail_labels (info, labels);
  g_assert_cmpuint (notify_count (&log, "gmail-labels"), ==, 1);
  g_assert_cmpstrv (missive_message_info_get_gmail_labels (info), labels);

  missive_body_part_set_media_type (part, "TEXT");
  missive_message_info_set_body_structure (info, part);
  missive_message_info_set_body_structure (info, part);
  g_assert_cmpuint (notify_count (&log, "body-structure"), ==, 1);
  g_assert_true (missive_message_info_get_body_structure (info) == part);
  missive_message_info_set_body_structure (info, NULL);
  g_assert_null (missive_message_info_get_body_structure (info));

  notify_log_clear (&log, info);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_message_addresses (void)
{
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  InternetAddressList *from;
  InternetAddressList *to;
  guint from_notified = 0;

  g_mime_init ();
  from = internet_address_list_parse (NULL, "Alice Liddell <alice@example.org>, bob@example.org");
  to = internet_address_list_parse (NULL, "Team: carol@example.org, dave@example.org;");
  g_assert_nonnull (from);
  g_assert_nonnull (to);

  g_signal_connect (info, "notify::from", G_CALLBACK (count_notify), &from_notified);

  missive_message_info_set_addresses (info, MISSIVE_ADDRESS_FIELD_TO, to);
  g_assert_true (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_TO) == to);
  g_assert_null (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_CC));
  g_assert_null (missive_message_info_get_from (info));

  /* From also gives the display string. */
  missive_message_info_set_addresses (info, MISSIVE_ADDRESS_FIELD_FROM, from);
  g_assert_true (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_FROM) == from);
  g_assert_cmpstr (missive_message_info_get_from (info), ==,
                   "Alice Liddell <alice@example.org>, bob@example.org");
  g_assert_cmpuint (from_notified, ==, 1);

  /* Groups, when set as From (rare, but legal). */
  missive_message_info_set_addresses (info, MISSIVE_ADDRESS_FIELD_FROM, to);
  g_assert_cmpstr (missive_message_info_get_from (info), ==,
                   "Team: carol@example.org, dave@example.org;");

  missive_message_info_set_addresses (info, MISSIVE_ADDRESS_FIELD_FROM, NULL);
  g_assert_null (missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_FROM));
  g_assert_null (missive_message_info_get_from (info));
  g_assert_cmpuint (from_notified, ==, 3);

  /* The info keeps its own reference. */
  missive_message_info_set_addresses (info, MISSIVE_ADDRESS_FIELD_BCC, from);
  g_object_unref (from);
  g_object_unref (to);
  from = missive_message_info_get_addresses (info, MISSIVE_ADDRESS_FIELD_BCC);
  g_assert_cmpint (internet_address_list_length (from), ==, 2);
}

static void
test_message_headers (void)
{
  static const char block[] =
    "Received: from a\r\n"
    "\tby b; Thu, 1 Feb 2024 10:00:00 +0000\r\n"
    "Subject:   Hello\r\n"
    "  world  \r\n"
    "not a header line\r\n"
    "X-Empty:\r\n"
    "subject: second\r\n"
    "List-Id : <list.example.org>\n"
    "\r\n"
    "After: the body\r\n";
  g_autoptr(MissiveMessageInfo) info = missive_message_info_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (block, sizeof block - 1);
  g_autoptr(GBytes) equal = g_bytes_new_static (block, sizeof block - 1);
  g_autoptr(GBytes) other = g_bytes_new_static ("Subject: other", 14);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  guint notified = 0;

  g_signal_connect (info, "notify::raw-headers", G_CALLBACK (count_notify), &notified);

  missive_message_info_set_raw_headers (info, bytes);
  g_assert_true (missive_message_info_get_raw_headers (info) == bytes);
  g_assert_cmpstr (missive_message_info_get_header (info, "received"), ==,
                   "from a\tby b; Thu, 1 Feb 2024 10:00:00 +0000");
  g_assert_cmpstr (missive_message_info_get_header (info, "SUBJECT"), ==, "Hello  world");
  g_assert_cmpstr (missive_message_info_get_header (info, "X-Empty"), ==, "");
  g_assert_cmpstr (missive_message_info_get_header (info, "List-Id"), ==, "<list.example.org>");
  g_assert_null (missive_message_info_get_header (info, "After"));
  g_assert_null (missive_message_info_get_header (info, "not a header line"));
  g_assert_null (missive_message_info_get_header (info, "From"));

  /* Equal bytes: no change; new bytes: parsed again. */
  missive_message_info_set_raw_headers (info, equal);
  g_assert_cmpuint (notified, ==, 1);
  missive_message_info_set_raw_headers (info, other);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (missive_message_info_get_header (info, "Subject"), ==, "other");
  missive_message_info_set_raw_headers (info, empty);
  g_assert_null (missive_message_info_get_header (info, "Subject"));
  missive_message_info_set_raw_headers (info, NULL);
  g_assert_null (missive_message_info_get_header (info, "Subject"));
  g_assert_cmpuint (notified, ==, 4);
}

/* ---- MissiveMessageSet --------------------------------------------------- */

static char *
set_string (MissiveMessageSet *set)
{
  return missive_message_set_to_string (set);
}

#define ASSERT_SET(set, expected) \
  G_STMT_START {                                                        \
    g_autofree char *text_ = set_string (set);                          \
    g_assert_cmpstr (text_, ==, (expected));                            \
  } G_STMT_END

static void
test_set_parse (void)
{
  static const struct {
    const char *input;
    const char *normalised;
    guint64 count;
  } valid[] = {
    { "1", "1", 1 },
    { "1:3", "1:3", 3 },
    { "7:4", "4:7", 4 },
    { "2,4:7,9,12:*", "2,4:7,9,12:*", 7 },
    { "1:*", "1:*", 1 },
    { "*:4", "4:*", 1 },
    { "*", "*", 1 },
    { "*:*", "*", 1 },
    { "3,1,2", "1:3", 3 },
    { "5:9,1:6", "1:9", 9 },
    { "1,1,1", "1", 1 },
    { "4294967295", "*", 1 },
    { "4294967294", "4294967294", 1 },
    { "1:4294967294", "1:4294967294", G_GUINT64_CONSTANT (4294967294) },
    { "10:20,21:30", "10:30", 21 },
    { "10:20,22:30", "10:20,22:30", 20 },
  };
  static const char * const invalid[] = {
    "", ",", "1:", ":1", ":", "0", "0:5", "5:0", "01", "4294967296", "99999999999999999999",
    "1,", ",1", "1,,2", "1::2", "1:2:3", " 1", "1 ", "1, 2", "1 ,2", "\t1", "1\r\n",
    "a", "1a", "-1", "+1", "1.5", "$", "**", "*1", "1*",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string (valid[i].input, &error);

      g_test_message ("valid: “%s”", valid[i].input);
      g_assert_no_error (error);
      g_assert_nonnull (set);
      ASSERT_SET (set, valid[i].normalised);
      g_assert_cmpuint (missive_message_set_get_count (set), ==, valid[i].count);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string (invalid[i], &error);

      g_test_message ("invalid: “%s”", invalid[i]);
      g_assert_null (set);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_set_build (void)
{
  const guint32 ids[] = { 9, 5, 3, 1, 2, 3, 10, 11 };
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_array (ids, G_N_ELEMENTS (ids));
  g_autoptr(MissiveMessageSet) other = NULL;
  g_autoptr(MissiveMessageSet) copy = NULL;
  g_autoptr(MissiveMessageSet) empty = missive_message_set_new ();
  g_autoptr(MissiveMessageSet) none = missive_message_set_new_from_array (NULL, 0);
  guint32 first = 0, last = 0;

  ASSERT_SET (set, "1:3,5,9:11");
  g_assert_cmpuint (missive_message_set_get_n_ranges (set), ==, 3);
  missive_message_set_get_range (set, 1, &first, &last);
  g_assert_cmpuint (first, ==, 5);
  g_assert_cmpuint (last, ==, 5);
  g_assert_cmpuint (missive_message_set_get_min (set), ==, 1);
  g_assert_cmpuint (missive_message_set_get_max (set), ==, 11);
  g_assert_cmpuint (missive_message_set_get_count (set), ==, 7);

  /* Adjacent ranges merge; overlapping ones too; a range can swallow
   * several. */
  missive_message_set_add (set, 4);
  ASSERT_SET (set, "1:5,9:11");
  missive_message_set_add_range (set, 20, 15);
  ASSERT_SET (set, "1:5,9:11,15:20");
  missive_message_set_add_range (set, 12, 14);
  ASSERT_SET (set, "1:5,9:20");
  missive_message_set_add_range (set, 30, 40);
  missive_message_set_add_range (set, 50, 60);
  missive_message_set_add_range (set, 25, 26);
  ASSERT_SET (set, "1:5,9:20,25:26,30:40,50:60");
  missive_message_set_add_range (set, 8, 45);
  ASSERT_SET (set, "1:5,8:45,50:60");
  missive_message_set_add_range (set, 2, 3);
  ASSERT_SET (set, "1:5,8:45,50:60");
  missive_message_set_add (set, 7);
  missive_message_set_add (set, 6);
  ASSERT_SET (set, "1:45,50:60");
  missive_message_set_add (set, 100);
  missive_message_set_add (set, 61);
  ASSERT_SET (set, "1:45,50:61,100");

  /* Removing splits and shrinks. */
  missive_message_set_remove (set, 10);
  missive_message_set_remove (set, 1);
  missive_message_set_remove (set, 61);
  missive_message_set_remove (set, 100);
  missive_message_set_remove (set, 99);
  ASSERT_SET (set, "2:9,11:45,50:60");

  /* Copies are independent; add_set unites, with itself too. */
  copy = missive_message_set_copy (set);
  missive_message_set_add (copy, 10);
  ASSERT_SET (set, "2:9,11:45,50:60");
  ASSERT_SET (copy, "2:45,50:60");
  g_assert_false (missive_message_set_equal (set, copy));
  other = missive_message_set_new_single (46);
  missive_message_set_add_set (other, set);
  ASSERT_SET (other, "2:9,11:46,50:60");
  missive_message_set_add_set (other, other);
  ASSERT_SET (other, "2:9,11:46,50:60");
  missive_message_set_add (set, 46);
  g_assert_true (missive_message_set_equal (set, other));

  /* Empty sets. */
  g_assert_true (missive_message_set_is_empty (empty));
  g_assert_true (missive_message_set_is_empty (none));
  g_assert_true (missive_message_set_equal (empty, none));
  ASSERT_SET (empty, "");
  g_assert_cmpuint (missive_message_set_get_count (empty), ==, 0);
  g_assert_cmpuint (missive_message_set_get_min (empty), ==, 0);
  g_assert_cmpuint (missive_message_set_get_max (empty), ==, 0);
  g_assert_false (missive_message_set_contains (empty, 1));
  g_assert_false (missive_message_set_has_star (empty));

  /* Reference counting. */
  g_assert_true (missive_message_set_ref (set) == set);
  missive_message_set_unref (set);
  g_assert_true (G_TYPE_IS_BOXED (MISSIVE_TYPE_MESSAGE_SET));
}

static void
test_set_limits (void)
{
  g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
  g_autoptr(MissiveMessageSet) huge = missive_message_set_new ();
  g_autoptr(GError) error = NULL;
  gsize n = 99;

  /* The top of the range: no wrap-around anywhere. */
  missive_message_set_add (set, G_MAXUINT32 - 1);
  missive_message_set_add (set, G_MAXUINT32);
  ASSERT_SET (set, "4294967294:*");
  g_assert_true (missive_message_set_has_star (set));
  missive_message_set_add (set, G_MAXUINT32);
  missive_message_set_add_range (set, G_MAXUINT32, G_MAXUINT32 - 5);
  ASSERT_SET (set, "4294967290:*");
  missive_message_set_add (set, 1);
  ASSERT_SET (set, "1,4294967290:*");
  g_assert_true (missive_message_set_contains (set, G_MAXUINT32));
  g_assert_true (missive_message_set_contains (set, G_MAXUINT32 - 5));
  g_assert_false (missive_message_set_contains (set, G_MAXUINT32 - 6));
  g_assert_false (missive_message_set_contains (set, 0));
  g_assert_cmpuint (missive_message_set_get_count (set), ==, 2);
  g_assert_null (missive_message_set_to_array (set, &n));
  g_assert_cmpuint (n, ==, 0);

  /* Counting a huge range does not overflow, and neither does "1:*"
   * with the rest. */
  missive_message_set_add_range (huge, 1, G_MAXUINT32 - 1);
  g_assert_cmpuint (missive_message_set_get_count (huge), ==, G_GUINT64_CONSTANT (4294967294));
  g_assert_false (missive_message_set_has_star (huge));
  g_assert_true (missive_message_set_contains (huge, 3000000000u));
  missive_message_set_add (huge, G_MAXUINT32);
  ASSERT_SET (huge, "1:*");
  g_assert_cmpuint (missive_message_set_get_count (huge), ==, 1);
  g_assert_true (missive_message_set_contains (huge, G_MAXUINT32));
  missive_message_set_remove (huge, G_MAXUINT32);
  ASSERT_SET (huge, "1:4294967294");

  /* Many increasing ids with gaps: one range each, nothing merged. */
  g_clear_pointer (&set, missive_message_set_unref);
  set = missive_message_set_new ();
  for (guint32 id = 2; id <= 20000; id += 2)
    missive_message_set_add (set, id);
  g_assert_cmpuint (missive_message_set_get_n_ranges (set), ==, 10000);
  for (guint32 id = 1; id <= 20001; id += 2)
    missive_message_set_add (set, id);
  g_assert_cmpuint (missive_message_set_get_n_ranges (set), ==, 1);
  ASSERT_SET (set, "1:20001");
  g_clear_pointer (&set, missive_message_set_unref);
  set = missive_message_set_new_from_string ("1:200001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_set_get_count (set), ==, 200001);
}

static gboolean
collect_id (guint32  id,
            gpointer user_data)
{
  GArray *ids = user_data;

  g_array_append_val (ids, id);
  return ids->len < 6;
}

static void
test_set_convert (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("9,2:4,7", &error);
  g_autoptr(MissiveMessageSet) star = missive_message_set_new_from_string ("3,8:*", &error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *array = NULL;
  gsize n = 0;

  g_assert_no_error (error);
  array = missive_message_set_to_array (set, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (array[0], ==, 2);
  g_assert_cmpuint (array[2], ==, 4);
  g_assert_cmpuint (array[3], ==, 7);
  g_assert_cmpuint (array[4], ==, 9);
  {
    g_autoptr(MissiveMessageSet) back = missive_message_set_new_from_array (array, n);

    g_assert_true (missive_message_set_equal (back, set));
  }

  /* foreach: in order, stops when asked; `*` gives its first id. */
  missive_message_set_foreach (set, collect_id, ids);
  g_assert_cmpuint (ids->len, ==, 5);
  g_assert_cmpuint (g_array_index (ids, guint32, 3), ==, 7);
  g_array_set_size (ids, 0);
  missive_message_set_foreach (star, collect_id, ids);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpuint (g_array_index (ids, guint32, 1), ==, 8);
  g_array_set_size (ids, 0);
  g_clear_pointer (&set, missive_message_set_unref);
  set = missive_message_set_new_from_string ("1:100", &error);
  missive_message_set_foreach (set, collect_id, ids);
  g_assert_cmpuint (ids->len, ==, 6);
}

/* Checks missive_message_set_split() on @set: every string fits, parses,
 * and together they hold exactly @set. */
static void
check_split (MissiveMessageSet *set,
             gsize              max_length)
{
  g_auto(GStrv) parts = missive_message_set_split (set, max_length);
  g_autoptr(MissiveMessageSet) all = missive_message_set_new ();
  guint32 previous_max = 0;

  g_assert_nonnull (parts);
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveMessageSet) part = missive_message_set_new_from_string (parts[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (parts[i]), <=, max_length);
      /* In increasing order, without overlap. */
      g_assert_cmpuint (missive_message_set_get_min (part), >, previous_max);
      previous_max = missive_message_set_get_max (part);
      missive_message_set_add_set (all, part);
    }
  g_assert_true (missive_message_set_equal (all, set));
}

static void
test_set_split (void)
{
  const gsize lengths[] = { 21, 22, 30, 64, 1000, 100000 };
  g_autoptr(MissiveMessageSet) empty = missive_message_set_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) edge =
    missive_message_set_new_from_string ("1,4294967290:4294967294,*", &error);
  g_auto(GStrv) none = missive_message_set_split (empty, 21);
  g_auto(GStrv) one = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_null (none[0]);
  for (gsize l = 0; l < G_N_ELEMENTS (lengths); l++)
    check_split (edge, lengths[l]);
  one = missive_message_set_split (edge, 100);
  g_assert_cmpstrv (one, ((const char * const[]) { "1,4294967290:*", NULL }));

  /* Random sets, with long and short ranges and huge ids. */
  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(MissiveMessageSet) set = missive_message_set_new ();
      guint n = g_test_rand_int_range (0, 400);

      for (guint i = 0; i < n; i++)
        {
          guint32 first = (guint32) g_test_rand_int_range (1, G_MAXINT32);
          guint32 span = g_test_rand_bit () ? 0 : (guint32) g_test_rand_int_range (0, 1000);

          if (g_test_rand_bit ())
            first = first * 2u;
          missive_message_set_add_range (set, first, first + MIN (span, G_MAXUINT32 - first));
        }
      for (gsize l = 0; l < G_N_ELEMENTS (lengths); l++)
        check_split (set, lengths[l]);
    }
}

/* ---- MissiveSearchQuery -------------------------------------------------- */

static void
append_token (gboolean    is_string,
              const char *text,
              gpointer    user_data)
{
  GString *out = user_data;

  if (out->len > 0)
    g_string_append_c (out, '|');
  g_string_append_printf (out, "%s%s", is_string ? "s:" : "", text);
}

static char *
tokens (MissiveSearchQuery *query)
{
  GString *out = g_string_new (NULL);

  missive_search_query_foreach_token (query, append_token, out);
  return g_string_free (out, FALSE);
}

#define ASSERT_QUERY(query, text, toks) \
  G_STMT_START {                                                        \
    g_autofree char *text_ = missive_search_query_to_string (query);    \
    g_autofree char *toks_ = tokens (query);                            \
    g_assert_cmpstr (text_, ==, (text));                                \
    g_assert_cmpstr (toks_, ==, (toks));                                \
  } G_STMT_END

static void
test_search_query (void)
{
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) a = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) b = missive_search_query_new ();
  g_autoptr(MissiveSearchQuery) raw = missive_search_query_new_raw ("  SINCE 1-Jan-2024 \t");
  g_autoptr(MissiveSearchQuery) empty = missive_search_query_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 2, 1, 23, 59, 0);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (-5 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (tz, 2024, 12, 25, 0, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:3,7", &error);

  g_assert_no_error (error);
  g_assert_true (missive_search_query_is_empty (query));
  ASSERT_QUERY (query, "ALL", "");
  g_assert_false (missive_search_query_needs_utf8 (query));

  missive_search_query_add_flag (query, MISSIVE_FLAG_SEEN, FALSE);
  missive_search_query_add_flag (query, "\\flagged", TRUE);
  missive_search_query_add_flag (query, MISSIVE_FLAG_RECENT, FALSE);
  missive_search_query_add_flag (query, "$Junk", TRUE);
  missive_search_query_add_flag (query, "$Forwarded", FALSE);
  g_assert_false (missive_search_query_is_empty (query));
  ASSERT_QUERY (query, "UNSEEN FLAGGED OLD KEYWORD $Junk UNKEYWORD $Forwarded",
                "UNSEEN|FLAGGED|OLD|KEYWORD|$Junk|UNKEYWORD|$Forwarded");
  g_clear_object (&query);

  /* A keyword that is no atom is sent as a string (and refused by the
   * server), never spliced in. */
  query = missive_search_query_new ();
  missive_search_query_add_flag (query, "bad word) OR (ALL", TRUE);
  ASSERT_QUERY (query, "KEYWORD \"bad word) OR (ALL\"", "KEYWORD|s:bad word) OR (ALL");
  g_clear_object (&query);

  query = missive_search_query_new ();
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_FROM, "alice");
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_SUBJECT, "say \"hi\" \\o/");
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_BODY, "line\r\nbreak");
  missive_search_query_add_header (query, "List-Id", "");
  missive_search_query_add_date (query, MISSIVE_SEARCH_DATE_SINCE, date);
  missive_search_query_add_date (query, MISSIVE_SEARCH_DATE_SENT_BEFORE, local);
  missive_search_query_add_size (query, TRUE, G_GUINT64_CONSTANT (10000000000));
  missive_search_query_add_size (query, FALSE, 100);
  missive_search_query_add_ids (query, set, TRUE);
  missive_search_query_add_ids (query, set, FALSE);
  missive_search_query_add_modseq (query, 620162338);
  missive_search_query_add_all (query);
  ASSERT_QUERY (query,
                "FROM \"alice\" SUBJECT \"say \\\"hi\\\" \\\\o/\" BODY \"line\r\nbreak\" "
                "HEADER \"List-Id\" \"\" SINCE 1-Feb-2024 SENTBEFORE 25-Dec-2024 "
                "LARGER 10000000000 SMALLER 100 UID 1:3,7 1:3,7 MODSEQ 620162338 ALL",
                "FROM|s:alice|SUBJECT|s:say \"hi\" \\o/|BODY|s:line\r\nbreak|"
                "HEADER|s:List-Id|s:|SINCE|1-Feb-2024|SENTBEFORE|25-Dec-2024|"
                "LARGER|10000000000|SMALLER|100|UID|1:3,7|1:3,7|MODSEQ|620162338|ALL");
  g_assert_false (missive_search_query_needs_utf8 (query));
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_TO, "Ren\xc3\xa9");
  g_assert_true (missive_search_query_needs_utf8 (query));
  g_clear_object (&query);

  /* NOT and OR: one criterion as it is, several in parentheses, none as
   * ALL. */
  missive_search_query_add_flag (a, MISSIVE_FLAG_SEEN, TRUE);
  missive_search_query_add_text (b, MISSIVE_SEARCH_FIELD_FROM, "bob");
  missive_search_query_add_flag (b, MISSIVE_FLAG_DELETED, FALSE);
  query = missive_search_query_new ();
  missive_search_query_add_not (query, a);
  missive_search_query_add_not (query, b);
  missive_search_query_add_or (query, a, b);
  missive_search_query_add_or (query, empty, raw);
  ASSERT_QUERY (query,
                "NOT SEEN NOT (FROM \"bob\" UNDELETED) OR SEEN (FROM \"bob\" UNDELETED) "
                "OR ALL (SINCE 1-Jan-2024)",
                "NOT|SEEN|NOT|(|FROM|s:bob|UNDELETED|)|OR|SEEN|(|FROM|s:bob|UNDELETED|)|"
                "OR|ALL|(|SINCE 1-Jan-2024|)");
  /* The operands were copied. */
  missive_search_query_add_all (a);
  ASSERT_QUERY (a, "SEEN ALL", "SEEN|ALL");
  g_clear_object (&query);

  /* Nested: OR inside NOT. */
  query = missive_search_query_new ();
  {
    g_autoptr(MissiveSearchQuery) either = missive_search_query_new ();

    missive_search_query_add_or (either, a, b);
    missive_search_query_add_not (query, either);
  }
  ASSERT_QUERY (query, "NOT OR (SEEN ALL) (FROM \"bob\" UNDELETED)",
                "NOT|OR|(|SEEN|ALL|)|(|FROM|s:bob|UNDELETED|)");
  g_clear_object (&query);

  /* Raw criteria pass through; empty ones are ignored; Gmail's search is
   * a string. */
  ASSERT_QUERY (raw, "SINCE 1-Jan-2024", "SINCE 1-Jan-2024");
  missive_search_query_add_raw (raw, "   ");
  missive_search_query_add_gmail_raw (raw, "has:attachment in:unread");
  ASSERT_QUERY (raw, "SINCE 1-Jan-2024 X-GM-RAW \"has:attachment in:unread\"",
                "SINCE 1-Jan-2024|X-GM-RAW|s:has:attachment in:unread");
  g_clear_object (&raw);
  raw = missive_search_query_new_raw ("SUBJECT \"Caf\xc3\xa9\"");
  g_assert_true (missive_search_query_needs_utf8 (raw));
}

/* ---- MissiveBodyPart ----------------------------------------------------- */

static void
test_body_part (void)
{
  g_autoptr(MissiveBodyPart) root = missive_body_part_new ();
  g_autoptr(MissiveBodyPart) text = missive_body_part_new ();
  g_autoptr(MissiveBodyPart) file = missive_body_part_new ();
  g_autoptr(MissiveBodyPart) attached = missive_body_part_new ();
  g_autoptr(MissiveBodyPart) inner = missive_body_part_new ();
  g_autoptr(MissiveMessageInfo) envelope = missive_message_info_new ();
  g_autoptr(MissiveBodyPart) item = NULL;
  g_auto(GStrv) names = NULL;
  const char * const languages[] = { "en", "de-CH", NULL };

  /* Defaults: text/plain, nothing else. */
  g_assert_cmpstr (missive_body_part_get_content_type (text), ==, "text/plain");
  g_assert_null (missive_body_part_get_charset (text));
  g_assert_null (missive_body_part_get_section (text));
  g_assert_null (missive_body_part_get_disposition (text));
  g_assert_null (missive_body_part_get_language (text));
  g_assert_null (missive_body_part_get_message_info (text));
  g_assert_cmpuint (missive_body_part_get_n_children (text), ==, 0);
  g_assert_false (missive_body_part_is_attachment (text));
  g_assert_null (missive_body_part_get_filename (text));

  missive_body_part_set_media_type (root, "MULTIPART");
  missive_body_part_set_media_subtype (root, "Mixed");
  missive_body_part_set_parameter (root, "BOUNDARY", "b1");
  g_assert_cmpstr (missive_body_part_get_media_type (root), ==, "multipart");
  g_assert_cmpstr (missive_body_part_get_media_subtype (root), ==, "mixed");
  g_assert_cmpstr (missive_body_part_get_content_type (root), ==, "multipart/mixed");
  g_assert_true (missive_body_part_is_multipart (root));
  g_assert_cmpstr (missive_body_part_get_parameter (root, "boundary"), ==, "b1");

  missive_body_part_set_section (text, "1");
  missive_body_part_set_parameter (text, "charset", "UTF-8");
  missive_body_part_set_parameter (text, "Format", "flowed");
  missive_body_part_set_parameter (text, "CHARSET", "ISO-8859-1");
  missive_body_part_set_encoding (text, "QUOTED-PRINTABLE");
  missive_body_part_set_size (text, G_GUINT64_CONSTANT (5000000000));
  missive_body_part_set_lines (text, 12);
  missive_body_part_set_language (text, languages);
  missive_body_part_set_disposition (text, "INLINE");
  g_assert_cmpstr (missive_body_part_get_charset (text), ==, "ISO-8859-1");
  names = missive_body_part_get_parameter_names (text);
  g_assert_cmpstrv (names, ((const char * const[]) { "charset", "format", NULL }));
  g_clear_pointer (&names, g_strfreev);
  missive_body_part_set_parameter (text, "format", NULL);
  missive_body_part_set_parameter (text, "missing", NULL);
  g_assert_null (missive_body_part_get_parameter (text, "Format"));
  names = missive_body_part_get_parameter_names (text);
  g_assert_cmpstrv (names, ((const char * const[]) { "charset", NULL }));
  g_clear_pointer (&names, g_strfreev);
  g_assert_cmpstr (missive_body_part_get_encoding (text), ==, "QUOTED-PRINTABLE");
  g_assert_cmpuint (missive_body_part_get_size (text), ==, G_GUINT64_CONSTANT (5000000000));
  g_assert_cmpuint (missive_body_part_get_lines (text), ==, 12);
  g_assert_cmpstrv (missive_body_part_get_language (text), languages);
  g_assert_cmpstr (missive_body_part_get_disposition (text), ==, "inline");
  g_assert_false (missive_body_part_is_attachment (text));

  missive_body_part_set_section (file, "2");
  missive_body_part_set_media_type (file, "application");
  missive_body_part_set_media_subtype (file, "pdf");
  missive_body_part_set_parameter (file, "name", "old.pdf");
  missive_body_part_set_id (file, "<part2@example.org>");
  missive_body_part_set_description (file, "The report");
  missive_body_part_set_md5 (file, "Q2hlY2sgSW50ZWdyaXR5IQ==");
  missive_body_part_set_location (file, "http://example.org/report.pdf");
  /* No disposition, but a name: an attachment. */
  g_assert_true (missive_body_part_is_attachment (file));
  g_assert_cmpstr (missive_body_part_get_filename (file), ==, "old.pdf");
  missive_body_part_set_disposition (file, "attachment");
  missive_body_part_set_disposition_parameter (file, "FILENAME", "report.pdf");
  missive_body_part_set_disposition_parameter (file, "size", "1234");
  g_assert_cmpstr (missive_body_part_get_filename (file), ==, "report.pdf");
  g_assert_cmpstr (missive_body_part_get_disposition_parameter (file, "Filename"), ==, "report.pdf");
  names = missive_body_part_get_disposition_parameter_names (file);
  g_assert_cmpstrv (names, ((const char * const[]) { "filename", "size", NULL }));
  g_clear_pointer (&names, g_strfreev);
  g_assert_true (missive_body_part_is_attachment (file));
  g_assert_cmpstr (missive_body_part_get_id (file), ==, "<part2@example.org>");
  g_assert_cmpstr (missive_body_part_get_description (file), ==, "The report");
  g_assert_cmpstr (missive_body_part_get_md5 (file), ==, "Q2hlY2sgSW50ZWdyaXR5IQ==");
  g_assert_cmpstr (missive_body_part_get_location (file), ==, "http://example.org/report.pdf");
  missive_body_part_set_description (file, NULL);
  g_assert_null (missive_body_part_get_description (file));

  /* message/rfc822: an envelope and the embedded body as the only child. */
  missive_body_part_set_section (attached, "3");
  missive_body_part_set_media_type (attached, "message");
  missive_body_part_set_media_subtype (attached, "rfc822");
  missive_body_part_set_parameter (attached, "name", "forwarded.eml");
  missive_message_info_set_subject (envelope, "Forwarded");
  missive_body_part_set_message_info (attached, envelope);
  missive_body_part_set_section (inner, "3.1");
  missive_body_part_add_child (attached, inner);
  g_assert_true (missive_body_part_get_message_info (attached) == envelope);
  g_assert_false (missive_body_part_is_attachment (attached));

  missive_body_part_add_child (root, text);
  missive_body_part_add_child (root, file);
  missive_body_part_add_child (root, attached);
  g_assert_cmpuint (missive_body_part_get_n_children (root), ==, 3);
  g_assert_true (missive_body_part_get_child (root, 1) == file);
  g_assert_null (missive_body_part_get_child (root, 3));
  g_assert_cmpuint (g_list_model_get_n_items (missive_body_part_get_children (root)), ==, 3);
  g_assert_true (g_list_model_get_item_type (missive_body_part_get_children (root)) ==
                 MISSIVE_TYPE_BODY_PART);
  item = g_list_model_get_item (missive_body_part_get_children (root), 2);
  g_assert_true (item == attached);
  g_assert_true (missive_body_part_find_section (root, "3.1") == inner);
  g_assert_true (missive_body_part_find_section (root, "2") == file);
  g_assert_null (missive_body_part_find_section (root, "4"));
  g_assert_null (missive_body_part_find_section (root, ""));
}

/* ---- MissiveUidMap, MissiveQuota, MissiveAclEntry ------------------------ */

static void
test_uid_map (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMessageSet) source = missive_message_set_new_from_string ("3:5,9,20:21", &error);
  g_autoptr(MissiveMessageSet) destination = missive_message_set_new_from_string ("100,102:106", &error);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveUidMap) empty = missive_uid_map_new (0, NULL, NULL);
  g_autoptr(MissiveUidMap) append = NULL;
  g_autoptr(MissiveUidMap) short_map = NULL;
  g_autoptr(MissiveMessageSet) one = missive_message_set_new_single (8);
  guint validity = 0;

  g_assert_no_error (error);
  map = missive_uid_map_new (1234567890, source, destination);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==, 1234567890);
  g_object_get (map, "uid-validity", &validity, NULL);
  g_assert_cmpuint (validity, ==, 1234567890);
  g_assert_true (missive_message_set_equal (missive_uid_map_get_source (map), source));
  g_assert_true (missive_message_set_equal (missive_uid_map_get_destination (map), destination));
  g_assert_false (missive_uid_map_is_empty (map));
  g_assert_cmpuint (missive_uid_map_lookup (map, 3), ==, 100);
  g_assert_cmpuint (missive_uid_map_lookup (map, 4), ==, 102);
  g_assert_cmpuint (missive_uid_map_lookup (map, 5), ==, 103);
  g_assert_cmpuint (missive_uid_map_lookup (map, 9), ==, 104);
  g_assert_cmpuint (missive_uid_map_lookup (map, 20), ==, 105);
  g_assert_cmpuint (missive_uid_map_lookup (map, 21), ==, 106);
  g_assert_cmpuint (missive_uid_map_lookup (map, 6), ==, 0);
  g_assert_cmpuint (missive_uid_map_lookup (map, 22), ==, 0);

  /* The map copied the sets. */
  missive_message_set_add (source, 6);
  g_assert_cmpuint (missive_uid_map_lookup (map, 6), ==, 0);

  /* Fewer destination UIDs than source UIDs (a broken server): 0. */
  short_map = missive_uid_map_new (1, source, one);
  g_assert_cmpuint (missive_uid_map_lookup (short_map, 3), ==, 8);
  g_assert_cmpuint (missive_uid_map_lookup (short_map, 4), ==, 0);

  append = missive_uid_map_new (77, NULL, one);
  g_assert_null (missive_uid_map_get_source (append));
  g_assert_cmpuint (missive_message_set_get_min (missive_uid_map_get_destination (append)), ==, 8);
  g_assert_cmpuint (missive_uid_map_lookup (append, 8), ==, 0);

  g_assert_true (missive_uid_map_is_empty (empty));
  g_assert_cmpuint (missive_uid_map_get_uid_validity (empty), ==, 0);
  g_assert_null (missive_uid_map_get_source (empty));
  g_assert_nonnull (missive_uid_map_get_destination (empty));
  g_assert_cmpuint (missive_uid_map_lookup (empty, 1), ==, 0);
}

static void
test_quota (void)
{
  g_autoptr(MissiveQuota) quota = missive_quota_new ("");
  g_autofree char *root = NULL;

  g_assert_cmpstr (missive_quota_get_root (quota), ==, "");
  g_object_get (quota, "root", &root, NULL);
  g_assert_cmpstr (root, ==, "");
  g_assert_null (missive_quota_get_resources (quota)[0]);
  g_assert_false (missive_quota_has_resource (quota, "STORAGE"));
  g_assert_cmpuint (missive_quota_get_usage (quota, "STORAGE"), ==, 0);

  missive_quota_add_resource (quota, "STORAGE", 512, G_GUINT64_CONSTANT (1099511627776));
  missive_quota_add_resource (quota, "MESSAGE", 10, 1000);
  g_assert_cmpstrv (missive_quota_get_resources (quota),
                    ((const char * const[]) { "STORAGE", "MESSAGE", NULL }));
  g_assert_true (missive_quota_has_resource (quota, "storage"));
  g_assert_cmpuint (missive_quota_get_usage (quota, "Storage"), ==, 512);
  g_assert_cmpuint (missive_quota_get_limit (quota, "STORAGE"), ==, G_GUINT64_CONSTANT (1099511627776));
  g_assert_cmpuint (missive_quota_get_limit (quota, "MESSAGE"), ==, 1000);

  /* Adding again updates. */
  missive_quota_add_resource (quota, "message", 11, 2000);
  g_assert_cmpuint (g_strv_length ((char **) missive_quota_get_resources (quota)), ==, 2);
  g_assert_cmpuint (missive_quota_get_usage (quota, "MESSAGE"), ==, 11);
  g_assert_cmpuint (missive_quota_get_limit (quota, "MESSAGE"), ==, 2000);
  g_assert_cmpuint (missive_quota_get_limit (quota, "MAILBOX"), ==, 0);
}

static void
test_acl_entry (void)
{
  g_autoptr(MissiveAclEntry) entry = missive_acl_entry_new ("anyone", "lrs");
  g_autoptr(MissiveAclEntry) nothing = missive_acl_entry_new ("bob", "");
  g_autofree char *identifier = NULL;

  g_assert_cmpstr (missive_acl_entry_get_identifier (entry), ==, "anyone");
  g_assert_cmpstr (missive_acl_entry_get_rights (entry), ==, "lrs");
  g_object_get (entry, "identifier", &identifier, NULL);
  g_assert_cmpstr (identifier, ==, "anyone");
  g_assert_true (missive_acl_entry_has_right (entry, "r"));
  g_assert_true (missive_acl_entry_has_right (entry, "sl"));
  g_assert_false (missive_acl_entry_has_right (entry, "rw"));
  g_assert_true (missive_acl_entry_has_right (entry, ""));
  g_assert_false (missive_acl_entry_has_right (nothing, "l"));
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
  g_test_add_func ("/info/mailbox/extended", test_mailbox_extended);
  g_test_add_func ("/info/message/extended", test_message_extended);
  g_test_add_func ("/info/message/addresses", test_message_addresses);
  g_test_add_func ("/info/message/headers", test_message_headers);
  g_test_add_func ("/info/message-set/parse", test_set_parse);
  g_test_add_func ("/info/message-set/build", test_set_build);
  g_test_add_func ("/info/message-set/limits", test_set_limits);
  g_test_add_func ("/info/message-set/convert", test_set_convert);
  g_test_add_func ("/info/message-set/split", test_set_split);
  g_test_add_func ("/info/search-query", test_search_query);
  g_test_add_func ("/info/body-part", test_body_part);
  g_test_add_func ("/info/uid-map", test_uid_map);
  g_test_add_func ("/info/quota", test_quota);
  g_test_add_func ("/info/acl-entry", test_acl_entry);

  return g_test_run ();
}
