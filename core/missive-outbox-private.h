/* missive-outbox-private.h: the files behind MissiveOutbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Shared by missive-outbox.c and missive-outbox-flush.c. */
struct _MissiveOutbox
{
  GObject parent_instance;

  char *path;
  gboolean keep_sent;
  guint retry_delay;
  guint max_retry_delay;
  guint max_attempts;
  MissiveSendOptions *send_options;

  /* The flush running in this process, if any, and its message. */
  GTask *flush_task;
  char *sending_id;
};

void               missive_outbox_emit_message_sent   (MissiveOutbox      *self,
                                                       const char         *id,
                                                       MissiveSendResult  *result);
void               missive_outbox_emit_message_failed (MissiveOutbox      *self,
                                                       const char         *id,
                                                       const GError       *error,
                                                       gboolean            permanent);
void               missive_outbox_emit_progress       (MissiveOutbox      *self,
                                                       guint               done,
                                                       guint               total);

/* The item doubles as the in-memory form of a message's sidecar file. Items
 * handed to the application are never changed afterwards: the outbox
 * changes only copies it reads for itself. */
MissiveOutboxItem *missive_outbox_item_new            (const char         *id,
                                                       MissiveOutboxState  state,
                                                       MissiveEnvelope    *envelope);
void               missive_outbox_item_set_state      (MissiveOutboxItem  *self,
                                                       MissiveOutboxState  state);
void               missive_outbox_item_set_size       (MissiveOutboxItem  *self,
                                                       guint64             size);
void               missive_outbox_item_set_attempts   (MissiveOutboxItem  *self,
                                                       guint               attempts);
/* Times are Unix seconds; 0 means "never" / "at once". */
gint64             missive_outbox_item_get_queued     (MissiveOutboxItem  *self);
void               missive_outbox_item_set_queued     (MissiveOutboxItem  *self,
                                                       gint64              when);
gint64             missive_outbox_item_get_next       (MissiveOutboxItem  *self);
void               missive_outbox_item_set_next       (MissiveOutboxItem  *self,
                                                       gint64              when);
void               missive_outbox_item_set_last_error (MissiveOutboxItem  *self,
                                                       const GError       *error);

/* ---- the directory (missive-outbox-store.c) ---------------------------- */

gboolean           missive_outbox_store_init          (const char         *path,
                                                       GError            **error);
char              *missive_outbox_store_new_id        (void);
gboolean           missive_outbox_store_id_is_valid   (const char         *id);
/* Creates tmp/<id>.eml exclusively; returns its fd (and its path). */
int                missive_outbox_store_create_temp   (const char         *path,
                                                       const char         *id,
                                                       char              **temp_path,
                                                       GError            **error);
/* Makes the temporary message durable and puts it with its sidecar into
 * queue/: the rename of the message is the commit point. Closes @fd. */
gboolean           missive_outbox_store_commit        (const char         *path,
                                                       MissiveOutboxItem  *item,
                                                       int                 fd,
                                                       const char         *temp_path,
                                                       GError            **error);
char             **missive_outbox_store_list_ids      (const char         *path,
                                                       MissiveOutboxState  state,
                                                       GError            **error);
MissiveOutboxItem *missive_outbox_store_read_item     (const char         *path,
                                                       MissiveOutboxState  state,
                                                       const char         *id,
                                                       GError            **error);
gboolean           missive_outbox_store_find          (const char         *path,
                                                       const char         *id,
                                                       MissiveOutboxState *state);
GInputStream      *missive_outbox_store_open_message  (const char         *path,
                                                       MissiveOutboxState  state,
                                                       const char         *id,
                                                       goffset            *size,
                                                       GError            **error);
/* Rewrites the sidecar of a message where it is. */
gboolean           missive_outbox_store_update        (const char         *path,
                                                       MissiveOutboxItem  *item,
                                                       GError            **error);
/* Moves a message (sidecar first, then the message) from @from to the
 * state of @item. */
gboolean           missive_outbox_store_move          (const char         *path,
                                                       MissiveOutboxItem  *item,
                                                       MissiveOutboxState  from,
                                                       GError            **error);
/* Deletes a message (the message first, then its sidecar). */
gboolean           missive_outbox_store_delete        (const char         *path,
                                                       MissiveOutboxState  state,
                                                       const char         *id,
                                                       GError            **error);
/* Takes the lock that lets only one flush run on the directory: returns
 * an fd to close to release it, or -1. */
int                missive_outbox_store_lock          (const char         *path,
                                                       GError            **error);

G_END_DECLS
