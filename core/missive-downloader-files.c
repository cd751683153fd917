/* missive-downloader-files.c: MissiveDownloader's state file and the
 * local file work it does in worker threads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "missive-downloader-private.h"

#define STATE_HEADER "# Missive downloader state 1"
#define MAX_KEY_LENGTH 256

/* ---- the state file --------------------------------------------------------------- */

/* Whether @key can be a line's id: printable ASCII without spaces. */
gboolean
missive_downloader_key_is_valid (const char *key,
              gsize       length)
{
  if (length == 0 || length > MAX_KEY_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if ((guchar) key[i] <= 0x20 || (guchar) key[i] >= 0x7f)
      return FALSE;
  return TRUE;
}

/* Parses the state file's text into id → time (gint64 *). */
GHashTable *
missive_downloader_parse_state (const char  *path,
             const char  *text,
             gsize        length,
             GError     **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = text;
  const char *end = text + length;
  guint number = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol != NULL ? eol : end;
      g_autofree char *line = g_strndup (p, line_end - p);
      char *space;
      char *after;
      gint64 when;

      number++;
      p = eol != NULL ? eol + 1 : end;
      g_strchomp (line);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      space = strchr (line, ' ');
      if (space != NULL)
        {
          *space = '\0';
          errno = 0;
          when = g_ascii_strtoll (line, &after, 10);
          if (errno == 0 && after == space && after != line && when >= 0 &&
              missive_downloader_key_is_valid (space + 1, strlen (space + 1)))
            {
              g_hash_table_replace (entries, g_strdup (space + 1), g_memdup2 (&when, sizeof when));
              continue;
            }
        }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Line %u of the downloader state file %s is not understood",
                   number, path);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
missive_downloader_format_state (GHashTable *entries)
{
  g_autoptr(GString) text = g_string_new (STATE_HEADER "\n");
  g_autofree gpointer *keys = NULL;
  guint n = 0;

  keys = g_hash_table_get_keys_as_array (entries, &n);
  qsort (keys, n, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n; i++)
    {
      const gint64 *when = g_hash_table_lookup (entries, keys[i]);

      g_string_append_printf (text, "%" G_GINT64_FORMAT " %s\n", *when, (const char *) keys[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- worker-thread jobs (local files only) ----------------------------------------- */


void
missive_downloader_prepare_job_free (PrepareJob *job)
{
  g_free (job->state_file);
  g_free (job->directory);
  g_free (job);
}

/* Reads the state file (a missing one is an empty state) and makes the
 * maildir's folders. */
void
missive_downloader_prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareJob *job = task_data;
  g_autofree char *text = NULL;
  gsize length = 0;
  GError *error = NULL;
  GHashTable *entries;

  if (job->directory != NULL)
    {
      const char *subdirs[] = { "tmp", "new", "cur" };

      for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
        {
          g_autofree char *path = g_build_filename (job->directory, subdirs[i], NULL);

          if (g_mkdir_with_parents (path, 0700) != 0)
            {
              int saved = errno;

              g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                       "Cannot create the folder %s: %s", path,
                                       g_strerror (saved));
              return;
            }
        }
    }

  if (!g_file_get_contents (job->state_file, &text, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
      entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  else
    {
      entries = missive_downloader_parse_state (job->state_file, text, length, &error);
      if (entries == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_pointer (task, entries, (GDestroyNotify) g_hash_table_unref);
}


void
missive_downloader_save_job_free (SaveJob *job)
{
  g_free (job->path);
  g_free (job->text);
  g_free (job);
}

/* Writes the state: a temporary file, fsync, rename. */
void
missive_downloader_save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (!g_file_set_contents_full (job->path, job->text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}


void
missive_downloader_deliver_job_free (DeliverJob *job)
{
  g_free (job->tmp_path);
  g_free (job->new_path);
  g_free (job);
}

static gboolean
fsync_path (const char  *path,
            int          flags,
            GError     **error)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot flush %s to disk: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Maildir delivery: the file in tmp/ is flushed, renamed into new/, and
 * new/ is flushed so that the rename is on disk too. */
void
missive_downloader_deliver_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DeliverJob *job = task_data;
  g_autofree char *new_dir = g_path_get_dirname (job->new_path);
  GError *error = NULL;

  if (!fsync_path (job->tmp_path, O_RDONLY, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_rename (job->tmp_path, job->new_path) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "Cannot move %s to %s: %s", job->tmp_path, job->new_path,
                               g_strerror (saved));
      return;
    }
  if (!fsync_path (new_dir, O_RDONLY | O_DIRECTORY, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}
