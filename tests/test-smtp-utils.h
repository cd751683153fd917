/* test-smtp-utils.h: what the SMTP suites against real servers share
 * (test-testbed-smtp.c, test-testbed-smtp-sink.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

#include "test-utils.h"

G_BEGIN_DECLS

#define ASSERT_OK(call) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

/* TRUE when a plugin handles submission:// and lmtp://; otherwise skips
 * the case (fails it with MISSIVE_TESTBED_REQUIRED=1). */
gboolean have_smtp_plugin (void);

/* ---- the protocol trace: a GPtrArray of "C: ...", "S: ...", "*: ..." ---- */
void  trace_cb    (MissiveService        *service,
                   MissiveTraceDirection  direction,
                   const char            *line,
                   gpointer               user_data);
/* The index of the first line from @from starting with @prefix (case-
 * insensitive), or -1. */
int   trace_find  (GPtrArray  *trace,
                   guint       from,
                   const char *prefix);
guint trace_count (GPtrArray  *trace,
                   const char *prefix);
/* Prints the lines (but long ones) as TAP comments. */
void  trace_dump  (GPtrArray  *trace);

/* ---- connecting ---- */
typedef struct
{
  const char *scheme;        /* submission, smtps, smtp, lmtp */
  guint16 port;
  MissiveSecurity security;
  const char *mechanism;     /* NULL: the driver's choice */
  const char *user;          /* NULL: user1, unless anonymous */
  const char *password;      /* NULL: user1's */
  const char *token;         /* an OAuth2 token instead of the password */
  gboolean anonymous;        /* no credentials at all */
} Conn;

/* Creates the service for @conn on @host, sets the credentials (user1's
 * unless given or anonymous) and opens it; @tb may be NULL when anonymous;
 * @trace (nullable) collects the protocol trace. */
MissiveSender *open_sender_full (const char            *host,
                                 const char            *ca_file,
                                 const MissiveTestbed  *tb,
                                 const Conn            *conn,
                                 GPtrArray             *trace,
                                 GError               **error);
void           close_sender     (MissiveSender         *sender);

/* ---- messages ---- */
/* A Message-ID no other case or run uses. */
char              *new_message_id (const char *tag);
/* A raw message with CRLF line ends; @body is appended as it is. */
GString           *raw_message    (const char          *from,
                                   const char          *to,
                                   const char          *subject,
                                   const char          *message_id,
                                   const char          *body);
/* missive_sender_send_stream() of @msg. */
MissiveSendResult *send_raw       (MissiveSender       *sender,
                                   MissiveEnvelope     *envelope,
                                   const GString       *msg,
                                   MissiveSendOptions  *options,
                                   GError             **error);

/* ---- signals: transfer-* and recipient-rejected counted ---- */
typedef struct
{
  guint started;
  guint64 started_total;
  guint progress;
  guint64 last_done;
  gboolean monotonic;
  guint finished;
  guint64 finished_total;
  GPtrArray *rejected;       /* addresses, from recipient-rejected */
} Signals;

void signals_connect (MissiveSender *sender,
                      Signals       *s);
void signals_clear   (MissiveSender *sender,
                      Signals       *s);
MissiveRecipientResult *result_recipient (MissiveSendResult *result,
                                          guint              index);

G_END_DECLS
