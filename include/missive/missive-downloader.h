/* missive-downloader.h: download new mail and leave it on the server for
 * a while (the POP3 "leave on server" pattern, on any store)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gio/gio.h>

#include <missive/missive-types.h>
#include <missive/missive-store.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_DOWNLOADER (missive_downloader_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveDownloader, missive_downloader, MISSIVE, DOWNLOADER, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveDownloader *missive_downloader_new                   (MissiveStore       *store,
                                                             const char         *state_file);

MISSIVE_AVAILABLE_IN_1_0
MissiveStore      *missive_downloader_get_store             (MissiveDownloader  *self);
MISSIVE_AVAILABLE_IN_1_0
const char        *missive_downloader_get_state_file        (MissiveDownloader  *self);

MISSIVE_AVAILABLE_IN_1_0
const char        *missive_downloader_get_download_directory (MissiveDownloader *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_downloader_set_download_directory (MissiveDownloader *self,
                                                              const char        *directory);

MISSIVE_AVAILABLE_IN_1_0
guint              missive_downloader_get_delete_after_days (MissiveDownloader  *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_downloader_set_delete_after_days (MissiveDownloader  *self,
                                                             guint               days);

MISSIVE_AVAILABLE_IN_1_0
GDateTime         *missive_downloader_get_current_time      (MissiveDownloader  *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_downloader_set_current_time      (MissiveDownloader  *self,
                                                             GDateTime          *now);

MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_downloader_sync                  (MissiveDownloader  *self,
                                                             guint              *n_new,
                                                             guint              *n_deleted,
                                                             guint              *n_kept,
                                                             GCancellable       *cancellable,
                                                             GError            **error);
MISSIVE_AVAILABLE_IN_1_0
void               missive_downloader_sync_async            (MissiveDownloader  *self,
                                                             int                 io_priority,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_downloader_sync_finish           (MissiveDownloader  *self,
                                                             GAsyncResult       *result,
                                                             guint              *n_new,
                                                             guint              *n_deleted,
                                                             guint              *n_kept,
                                                             GError            **error);

G_END_DECLS
