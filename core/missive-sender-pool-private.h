/* missive-sender-pool-private.h: shared by the files of MissiveSenderPool,
 * and hooks for testing it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* One message waiting for, or being sent on, a connection: the task data
 * of its GTask. */
typedef struct
{
  GMimeMessage *message;
  GInputStream *stream;
  gint64 size;
  goffset start;
  gboolean can_rewind;
  MissiveEnvelope *envelope;
  MissiveSendOptions *options;
  gboolean retried;
  gulong cancelled_id;
  gpointer connection;        /* the Connection sending it */
} MissiveSenderPoolRequest;

void missive_sender_pool_request_free (MissiveSenderPoolRequest *request);
/* Queues @task (transfer full), whose data is a request. */
void missive_sender_pool_submit       (MissiveSenderPool        *self,
                                       GTask                    *task);
void missive_sender_pool_start_close  (MissiveSenderPool        *self,
                                       GTask                    *task);

/* Returns the time in microseconds on a monotonic scale. */
typedef gint64 (*MissiveSenderPoolClock) (gpointer user_data);

/* Replaces g_get_monotonic_time() for the rate limit (NULL restores it). */
void missive_sender_pool_set_clock (MissiveSenderPool      *self,
                                    MissiveSenderPoolClock  clock,
                                    gpointer                user_data);
/* Hands out queued messages now, as the rate limit's timer would. */
void missive_sender_pool_kick      (MissiveSenderPool      *self);

G_END_DECLS
