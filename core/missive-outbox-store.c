/* missive-outbox-store.c: the directory behind MissiveOutbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>

#include "missive-outbox-private.h"

/* The layout, maildir-like:
 *
 *   tmp/            files being written; never read
 *   queue/          <id>.eml (the message) + <id>.meta (its sidecar key file)
 *   failed/         the same, for messages refused for good
 *   sent/           the same, for sent messages when they are kept
 *   flush.lock      flock()ed by the one flush running on the directory
 *
 * Where a message is, is where its .eml file is: a rename moves it
 * atomically. A sidecar is always in place before its message arrives (the
 * message's rename is the commit point), and is removed only after the
 * message left, so a crash can leave a sidecar without a message (an
 * orphan, ignored and cleaned up later) but never a message without its
 * sidecar. Each file is fsync()ed before its rename and each directory
 * after it, so the order also holds across a power failure. */

#define SUFFIX_MESSAGE ".eml"
#define SUFFIX_META ".meta"
#define META_VERSION 1
/* Leftovers of a crash older than this are removed when the outbox is
 * opened; younger ones may belong to a queue running right now in
 * another process. */
#define STALE_SECONDS (60 * 60)

static const char *
state_dir (MissiveOutboxState state)
{
  switch (state)
    {
    case MISSIVE_OUTBOX_STATE_FAILED:
      return "failed";
    case MISSIVE_OUTBOX_STATE_SENT:
      return "sent";
    case MISSIVE_OUTBOX_STATE_QUEUED:
    default:
      return "queue";
    }
}

static char *
file_path (const char         *path,
           MissiveOutboxState  state,
           const char         *id,
           const char         *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_build_filename (path, state_dir (state), name, NULL);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *file)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Outbox: cannot %s %s: %s", what, file, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
sync_dir (const char  *dir,
          GError     **error)
{
  int fd;
  int saved_errno;

  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_errno_error (error, errno, "open directory", dir);
  /* Some file systems cannot sync a directory (EINVAL): nothing more can
   * be done there. */
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      saved_errno = errno;
      close (fd);
      return set_errno_error (error, saved_errno, "sync directory", dir);
    }
  close (fd);
  return TRUE;
}

static gboolean
sync_state_dir (const char          *path,
                MissiveOutboxState   state,
                GError             **error)
{
  g_autofree char *dir = g_build_filename (path, state_dir (state), NULL);

  return sync_dir (dir, error);
}

static void
remove_stale (const char *dir,
              gboolean    orphans_only)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (orphans_only)
        {
          g_autofree char *id = NULL;
          g_autofree char *message = NULL;

          if (!g_str_has_suffix (name, SUFFIX_META))
            continue;
          id = g_strndup (name, strlen (name) - strlen (SUFFIX_META));
          message = g_strconcat (dir, G_DIR_SEPARATOR_S, id, SUFFIX_MESSAGE, NULL);
          if (g_file_test (message, G_FILE_TEST_EXISTS))
            continue;
        }
      if (g_lstat (file, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (now - (gint64) st.st_mtime < STALE_SECONDS)
        continue;
      g_unlink (file);
    }
}

gboolean
missive_outbox_store_init (const char  *path,
                           GError     **error)
{
  static const char *const dirs[] = { "tmp", "queue", "failed", "sent" };

  if (g_mkdir_with_parents (path, 0700) != 0)
    return set_errno_error (error, errno, "create", path);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   "Outbox: %s is not a directory", path);
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (path, dirs[i], NULL);

      if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
        return set_errno_error (error, errno, "create", dir);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                       "Outbox: %s is not a directory", dir);
          return FALSE;
        }
      remove_stale (dir, i != 0);
    }
  return sync_dir (path, error);
}

/* Ids sort in the order the messages were queued: the time in
 * microseconds, then random bits against collisions. */
char *
missive_outbox_store_new_id (void)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x-%08x",
                          (guint64) g_get_real_time (), g_random_int ());
}

gboolean
missive_outbox_store_id_is_valid (const char *id)
{
  gsize i;

  if (id == NULL)
    return FALSE;
  for (i = 0; id[i] != '\0'; i++)
    {
      if (i == 16)
        {
          if (id[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (id[i]) || g_ascii_isupper (id[i]))
        return FALSE;
    }
  return i == 25;
}

int
missive_outbox_store_create_temp (const char  *path,
                                  const char  *id,
                                  char       **temp_path,
                                  GError     **error)
{
  g_autofree char *name = g_strconcat (id, SUFFIX_MESSAGE, NULL);
  g_autofree char *file = g_build_filename (path, "tmp", name, NULL);
  int fd;

  fd = g_open (file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "create", file);
      return -1;
    }
  *temp_path = g_steal_pointer (&file);
  return fd;
}

/* ---- sidecar files ----------------------------------------------------- */

static char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return g_strdup (v != NULL ? v->value_nick : "");
}

static gboolean
nick_to_enum (GType       type,
              const char *nick,
              int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (v == NULL)
    return FALSE;
  *value = v->value;
  return TRUE;
}

static GKeyFile *
item_to_key_file (MissiveOutboxItem *item)
{
  MissiveEnvelope *envelope = missive_outbox_item_get_envelope (item);
  const GError *last_error = missive_outbox_item_get_last_error (item);
  guint n = missive_envelope_get_n_recipients (envelope);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *content_class = NULL;

  g_key_file_set_integer (key_file, "message", "version", META_VERSION);
  g_key_file_set_string (key_file, "message", "id", missive_outbox_item_get_id (item));
  g_key_file_set_uint64 (key_file, "message", "size", missive_outbox_item_get_size (item));
  g_key_file_set_int64 (key_file, "message", "queued", missive_outbox_item_get_queued (item));

  g_key_file_set_string (key_file, "envelope", "from", missive_envelope_get_from (envelope));
  for (guint i = 0; i < n; i++)
    {
      MissiveRecipientKind kind = MISSIVE_RECIPIENT_ENVELOPE;

      g_ptr_array_add (addresses, (gpointer) missive_envelope_get_recipient (envelope, i, &kind));
      g_ptr_array_add (kinds, enum_to_nick (MISSIVE_TYPE_RECIPIENT_KIND, kind));
    }
  g_key_file_set_string_list (key_file, "envelope", "recipients",
                              (const char * const *) addresses->pdata, addresses->len);
  g_key_file_set_string_list (key_file, "envelope", "kinds",
                              (const char * const *) kinds->pdata, kinds->len);
  content_class = enum_to_nick (MISSIVE_TYPE_CONTENT_CLASS,
                                missive_envelope_get_content_class (envelope));
  g_key_file_set_string (key_file, "envelope", "content-class", content_class);
  g_key_file_set_boolean (key_file, "envelope", "headers-utf8",
                          missive_envelope_get_headers_utf8 (envelope));

  g_key_file_set_uint64 (key_file, "delivery", "attempts", missive_outbox_item_get_attempts (item));
  g_key_file_set_int64 (key_file, "delivery", "next-attempt", missive_outbox_item_get_next (item));

  if (last_error != NULL)
    {
      const char *text;

      g_key_file_set_string (key_file, "error", "domain", g_quark_to_string (last_error->domain));
      g_key_file_set_integer (key_file, "error", "code", last_error->code);
      g_key_file_set_string (key_file, "error", "message",
                             last_error->message != NULL ? last_error->message : "");
      if (last_error->domain == MISSIVE_ERROR)
        {
          g_key_file_set_integer (key_file, "error", "server-code",
                                  (int) missive_error_get_server_code (last_error));
          if ((text = missive_error_get_enhanced_status (last_error)) != NULL)
            g_key_file_set_string (key_file, "error", "enhanced-status", text);
          if ((text = missive_error_get_response_code (last_error)) != NULL)
            g_key_file_set_string (key_file, "error", "response-code", text);
          if ((text = missive_error_get_server_text (last_error)) != NULL)
            g_key_file_set_string (key_file, "error", "server-text", text);
        }
    }

  return g_steal_pointer (&key_file);
}

static gboolean
bad_meta (GError     **error,
          const char  *file,
          const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "Outbox: %s is damaged: %s", file, what);
  return FALSE;
}

static MissiveOutboxItem *
item_from_key_file (GKeyFile            *key_file,
                    const char          *file,
                    const char          *id,
                    MissiveOutboxState   state,
                    GError             **error)
{
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(MissiveOutboxItem) item = NULL;
  g_autofree char *stored_id = NULL;
  g_autofree char *from = NULL;
  g_auto(GStrv) addresses = NULL;
  g_auto(GStrv) kinds = NULL;
  g_autofree char *content_class = NULL;
  gsize n_addresses = 0, n_kinds = 0;
  int value;

  if (g_key_file_get_integer (key_file, "message", "version", NULL) != META_VERSION)
    {
      bad_meta (error, file, "unknown version");
      return NULL;
    }
  stored_id = g_key_file_get_string (key_file, "message", "id", NULL);
  if (g_strcmp0 (stored_id, id) != 0)
    {
      bad_meta (error, file, "the id does not match the file name");
      return NULL;
    }
  from = g_key_file_get_string (key_file, "envelope", "from", NULL);
  addresses = g_key_file_get_string_list (key_file, "envelope", "recipients", &n_addresses, NULL);
  kinds = g_key_file_get_string_list (key_file, "envelope", "kinds", &n_kinds, NULL);
  if (from == NULL || n_addresses != n_kinds)
    {
      bad_meta (error, file, "no valid envelope");
      return NULL;
    }

  envelope = missive_envelope_new (from);
  for (gsize i = 0; i < n_addresses; i++)
    {
      if (!nick_to_enum (MISSIVE_TYPE_RECIPIENT_KIND, kinds[i], &value))
        {
          bad_meta (error, file, "unknown recipient kind");
          return NULL;
        }
      missive_envelope_add_recipient (envelope, addresses[i], value);
    }
  content_class = g_key_file_get_string (key_file, "envelope", "content-class", NULL);
  if (content_class != NULL && nick_to_enum (MISSIVE_TYPE_CONTENT_CLASS, content_class, &value))
    missive_envelope_set_content_class (envelope, value);
  missive_envelope_set_headers_utf8 (envelope,
                                     g_key_file_get_boolean (key_file, "envelope",
                                                             "headers-utf8", NULL));

  item = missive_outbox_item_new (id, state, envelope);
  missive_outbox_item_set_size (item, g_key_file_get_uint64 (key_file, "message", "size", NULL));
  missive_outbox_item_set_queued (item, g_key_file_get_int64 (key_file, "message", "queued", NULL));
  missive_outbox_item_set_attempts (item, (guint) MIN (g_key_file_get_uint64 (key_file, "delivery",
                                                                                  "attempts", NULL),
                                                        G_MAXUINT));
  missive_outbox_item_set_next (item, g_key_file_get_int64 (key_file, "delivery", "next-attempt", NULL));

  if (g_key_file_has_group (key_file, "error"))
    {
      g_autofree char *domain = g_key_file_get_string (key_file, "error", "domain", NULL);
      g_autofree char *message = g_key_file_get_string (key_file, "error", "message", NULL);
      int code = g_key_file_get_integer (key_file, "error", "code", NULL);
      g_autoptr(GError) last_error = NULL;

      if (domain == NULL || *domain == '\0')
        domain = g_strdup (g_quark_to_string (MISSIVE_ERROR));
      last_error = g_error_new_literal (g_quark_from_string (domain), code,
                                        message != NULL ? message : "");
      if (last_error->domain == MISSIVE_ERROR)
        {
          g_autofree char *enhanced = g_key_file_get_string (key_file, "error", "enhanced-status", NULL);
          g_autofree char *response = g_key_file_get_string (key_file, "error", "response-code", NULL);
          g_autofree char *text = g_key_file_get_string (key_file, "error", "server-text", NULL);
          int server_code = g_key_file_get_integer (key_file, "error", "server-code", NULL);

          missive_error_set_server_reply (last_error, (guint) CLAMP (server_code, 0, 999),
                                          enhanced, response, text);
        }
      missive_outbox_item_set_last_error (item, last_error);
    }

  return g_steal_pointer (&item);
}

/* Writes the sidecar of @item into the directory of its state: a new file
 * in tmp/, synced, renamed over the old one, the directory synced. */
static gboolean
write_meta (const char         *path,
            MissiveOutboxItem  *item,
            GError            **error)
{
  const char *id = missive_outbox_item_get_id (item);
  MissiveOutboxState state = missive_outbox_item_get_state (item);
  g_autoptr(GKeyFile) key_file = item_to_key_file (item);
  g_autofree char *data = NULL;
  g_autofree char *temp_name = NULL;
  g_autofree char *temp = NULL;
  g_autofree char *target = NULL;
  gsize length = 0;
  gsize written = 0;
  int fd;

  data = g_key_file_to_data (key_file, &length, NULL);
  temp_name = g_strdup_printf ("%s%s.%08x", id, SUFFIX_META, g_random_int ());
  temp = g_build_filename (path, "tmp", temp_name, NULL);
  target = file_path (path, state, id, SUFFIX_META);

  fd = g_open (temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, "create", temp);
  while (written < length)
    {
      gssize n = write (fd, data + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (temp);
          return set_errno_error (error, saved_errno, "write", temp);
        }
      written += n;
    }
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temp);
      return set_errno_error (error, saved_errno, "sync", temp);
    }
  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (temp);
      return set_errno_error (error, saved_errno, "close", temp);
    }
  if (g_rename (temp, target) != 0)
    {
      int saved_errno = errno;

      g_unlink (temp);
      return set_errno_error (error, saved_errno, "rename into place", target);
    }
  return sync_state_dir (path, state, error);
}

gboolean
missive_outbox_store_commit (const char         *path,
                             MissiveOutboxItem  *item,
                             int                 fd,
                             const char         *temp_path,
                             GError            **error)
{
  const char *id = missive_outbox_item_get_id (item);
  g_autofree char *target = NULL;
  struct stat st;

  if (fsync (fd) != 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, "sync", temp_path);
    }
  if (close (fd) != 0)
    return set_errno_error (error, errno, "close", temp_path);
  missive_outbox_item_set_size (item, (guint64) st.st_size);
  missive_outbox_item_set_state (item, MISSIVE_OUTBOX_STATE_QUEUED);

  /* The sidecar first: until the message is renamed into queue/, the
   * sidecar alone is an orphan that nobody reads. */
  if (!write_meta (path, item, error))
    return FALSE;
  target = file_path (path, MISSIVE_OUTBOX_STATE_QUEUED, id, SUFFIX_MESSAGE);
  if (g_rename (temp_path, target) != 0)
    {
      int saved_errno = errno;
      g_autofree char *meta = file_path (path, MISSIVE_OUTBOX_STATE_QUEUED, id, SUFFIX_META);

      g_unlink (meta);
      return set_errno_error (error, saved_errno, "rename into place", target);
    }
  if (!sync_state_dir (path, MISSIVE_OUTBOX_STATE_QUEUED, error))
    {
      g_autofree char *meta = file_path (path, MISSIVE_OUTBOX_STATE_QUEUED, id, SUFFIX_META);

      /* Not known to be durable: the caller hears of a failure, so the
       * message must not be sent either. */
      g_unlink (target);
      g_unlink (meta);
      return FALSE;
    }
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

char **
missive_outbox_store_list_ids (const char          *path,
                               MissiveOutboxState   state,
                               GError             **error)
{
  g_autofree char *dir = g_build_filename (path, state_dir (state), NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) handle = NULL;
  const char *name;

  handle = g_dir_open (dir, 0, error);
  if (handle == NULL)
    return NULL;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (name, SUFFIX_MESSAGE))
        continue;
      id = g_strndup (name, strlen (name) - strlen (SUFFIX_MESSAGE));
      if (missive_outbox_store_id_is_valid (id))
        g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

MissiveOutboxItem *
missive_outbox_store_read_item (const char          *path,
                                MissiveOutboxState   state,
                                const char          *id,
                                GError             **error)
{
  g_autofree char *meta = file_path (path, state, id, SUFFIX_META);
  g_autofree char *message = file_path (path, state, id, SUFFIX_MESSAGE);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(MissiveOutboxItem) item = NULL;
  GStatBuf st;

  if (g_stat (message, &st) != 0)
    {
      set_errno_error (error, errno, "find", message);
      return NULL;
    }
  if (!g_key_file_load_from_file (key_file, meta, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "Outbox: cannot read %s: ", meta);
      return NULL;
    }
  item = item_from_key_file (key_file, meta, id, state, error);
  if (item != NULL)
    missive_outbox_item_set_size (item, (guint64) st.st_size);
  return g_steal_pointer (&item);
}

gboolean
missive_outbox_store_find (const char         *path,
                           const char         *id,
                           MissiveOutboxState *state)
{
  static const MissiveOutboxState states[] = {
    MISSIVE_OUTBOX_STATE_QUEUED, MISSIVE_OUTBOX_STATE_FAILED, MISSIVE_OUTBOX_STATE_SENT,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *message = file_path (path, states[i], id, SUFFIX_MESSAGE);

      if (g_file_test (message, G_FILE_TEST_EXISTS))
        {
          *state = states[i];
          return TRUE;
        }
    }
  return FALSE;
}

GInputStream *
missive_outbox_store_open_message (const char          *path,
                                   MissiveOutboxState   state,
                                   const char          *id,
                                   goffset             *size,
                                   GError             **error)
{
  g_autofree char *message = file_path (path, state, id, SUFFIX_MESSAGE);
  struct stat st;
  int fd;

  fd = g_open (message, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno, "open", message);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      set_errno_error (error, saved_errno, "read", message);
      return NULL;
    }
  if (size != NULL)
    *size = st.st_size;
  return g_unix_input_stream_new (fd, TRUE);
}

gboolean
missive_outbox_store_update (const char         *path,
                             MissiveOutboxItem  *item,
                             GError            **error)
{
  return write_meta (path, item, error);
}

gboolean
missive_outbox_store_move (const char          *path,
                           MissiveOutboxItem   *item,
                           MissiveOutboxState   from,
                           GError             **error)
{
  const char *id = missive_outbox_item_get_id (item);
  MissiveOutboxState to = missive_outbox_item_get_state (item);
  g_autofree char *source = file_path (path, from, id, SUFFIX_MESSAGE);
  g_autofree char *target = file_path (path, to, id, SUFFIX_MESSAGE);
  g_autofree char *old_meta = file_path (path, from, id, SUFFIX_META);

  g_return_val_if_fail (from != to, FALSE);

  if (!write_meta (path, item, error))
    return FALSE;
  if (g_rename (source, target) != 0)
    return set_errno_error (error, errno, "move", source);
  /* The target first: once it is durable the message is in its new place;
   * if only the source were, it could be gone from both. */
  if (!sync_state_dir (path, to, error) || !sync_state_dir (path, from, error))
    return FALSE;
  /* An orphan if this is lost: harmless. */
  g_unlink (old_meta);
  return TRUE;
}

gboolean
missive_outbox_store_delete (const char          *path,
                             MissiveOutboxState   state,
                             const char          *id,
                             GError             **error)
{
  g_autofree char *message = file_path (path, state, id, SUFFIX_MESSAGE);
  g_autofree char *meta = file_path (path, state, id, SUFFIX_META);

  if (g_unlink (message) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "delete", message);
  if (!sync_state_dir (path, state, error))
    return FALSE;
  g_unlink (meta);
  return TRUE;
}

int
missive_outbox_store_lock (const char  *path,
                           GError     **error)
{
  g_autofree char *file = g_build_filename (path, "flush.lock", NULL);
  int fd;

  fd = g_open (file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "open", file);
      return -1;
    }
  /* The kernel drops the lock when the process dies, whatever the way. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                     "Outbox: another flush of %s is running", path);
      else
        set_errno_error (error, saved_errno, "lock", file);
      return -1;
    }
  return fd;
}
