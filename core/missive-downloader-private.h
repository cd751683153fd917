/* missive-downloader-private.h: MissiveDownloader's state file and the
 * jobs it runs in worker threads (local files only)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads the state file (a missing one is an empty state: id → download
 * time, gint64 *) and makes the maildir's folders. */
typedef struct
{
  char *state_file;
  char *directory;        /* nullable */
} PrepareJob;

void        missive_downloader_prepare_job_free (PrepareJob   *job);
void        missive_downloader_prepare_thread   (GTask        *task,
                                                 gpointer      source,
                                                 gpointer      task_data,
                                                 GCancellable *cancellable);

/* Writes the state file: a temporary file, fsync, rename. */
typedef struct
{
  char *path;
  char *text;
} SaveJob;

void        missive_downloader_save_job_free    (SaveJob      *job);
void        missive_downloader_save_thread      (GTask        *task,
                                                 gpointer      source,
                                                 gpointer      task_data,
                                                 GCancellable *cancellable);

/* Maildir delivery of a file in tmp/ into new/, flushed to disk. */
typedef struct
{
  char *tmp_path;
  char *new_path;
} DeliverJob;

void        missive_downloader_deliver_job_free (DeliverJob   *job);
void        missive_downloader_deliver_thread   (GTask        *task,
                                                 gpointer      source,
                                                 gpointer      task_data,
                                                 GCancellable *cancellable);

/* Whether @key can be an id in the state file: printable ASCII without
 * spaces, at most 256 bytes. */
gboolean    missive_downloader_key_is_valid     (const char   *key,
                                                 gsize         length);
GHashTable *missive_downloader_parse_state      (const char   *path,
                                                 const char   *text,
                                                 gsize         length,
                                                 GError      **error);
char       *missive_downloader_format_state     (GHashTable   *entries);

G_END_DECLS
