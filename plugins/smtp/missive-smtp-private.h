/* missive-smtp-private.h: the SMTP plugin's sender type and its command
 * helpers, shared by the plugin's files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

#include "missive-smtp-reply.h"
#include "missive-smtp-data.h"

G_BEGIN_DECLS

#define MISSIVE_TYPE_SMTP_SENDER (missive_smtp_sender_get_type ())
#define MISSIVE_TYPE_LMTP_SENDER (missive_lmtp_sender_get_type ())

typedef struct _MissiveSmtpSender MissiveSmtpSender;
typedef struct _MissiveSmtpSenderClass MissiveSmtpSenderClass;

struct _MissiveSmtpSender
{
  MissiveSender parent_instance;

  /* Properties */
  gboolean allow_extensions;  /* "allow-extensions": EHLO (else HELO only) */
  char *helo_name;            /* "helo-name", NULL: the local host name */
  gboolean use_chunking;      /* "use-chunking": BDAT for every message */
  gboolean use_pipelining;    /* "use-pipelining" */

  /* Connection state */
  MissiveSmtpCaps caps;
  gboolean ehlo_done;         /* EHLO answered (else HELO, or nothing yet) */

  /* SASL exchange in progress */
  GBytes *pending_ir;         /* initial response too long for the AUTH line */

  /* The connection cannot be used any more: a command was cancelled after
   * (possibly) being sent, or the reply could not be parsed (out of step),
   * or the server said 421 and is closing it. The next command fails with
   * a fatal error, and the core closes the connection. */
  gboolean out_of_step;
  gboolean closed_by_server;
  char *closed_reason;
};

struct _MissiveSmtpSenderClass
{
  MissiveSenderClass parent_class;

  gboolean lmtp;
};

GType    missive_smtp_sender_get_type      (void);
GType    missive_lmtp_sender_get_type      (void);
void     missive_smtp_sender_register_types (GTypeModule *module);

#define MISSIVE_SMTP_SENDER(o) (G_TYPE_CHECK_INSTANCE_CAST ((o), MISSIVE_TYPE_SMTP_SENDER, MissiveSmtpSender))
#define MISSIVE_IS_SMTP_SENDER(o) (G_TYPE_CHECK_INSTANCE_TYPE ((o), MISSIVE_TYPE_SMTP_SENDER))
#define MISSIVE_SMTP_SENDER_GET_CLASS(o) (G_TYPE_INSTANCE_GET_CLASS ((o), MISSIVE_TYPE_SMTP_SENDER, MissiveSmtpSenderClass))

/* Whether the sender speaks LMTP (the lmtp:// scheme). */
gboolean missive_smtp_sender_is_lmtp       (MissiveSmtpSender *self);

/* ---- commands (missive-smtp-command.c) -------------------------------------- */

/* Fails with a fatal error (the core then closes the connection) when the
 * connection cannot be used any more. */
gboolean missive_smtp_check_usable (MissiveSmtpSender  *self,
                                    GError            **error);

/* Reads one reply. A 421 marks the connection as closed by the server and,
 * unless @raw, fails with MISSIVE_ERROR_SERVER_TEMPORARY naming it. Other
 * replies are returned whatever their code. A cancellation or a reply
 * that cannot be parsed leaves the connection out of step. */
void              missive_smtp_read_reply_async  (MissiveSmtpSender    *self,
                                                  gboolean              raw,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
MissiveSmtpReply *missive_smtp_read_reply_finish (MissiveSmtpSender    *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Writes @line (one command, @sensitive for the trace) and reads its
 * reply, as missive_smtp_read_reply_async(). */
void              missive_smtp_command_async     (MissiveSmtpSender    *self,
                                                  const char           *line,
                                                  gboolean              sensitive,
                                                  gboolean              raw,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
MissiveSmtpReply *missive_smtp_command_finish    (MissiveSmtpSender    *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Writes @lines (no secrets; each traced) in one write, each followed by
 * CRLF, for PIPELINING. */
void              missive_smtp_write_lines_async  (MissiveSmtpSender   *self,
                                                   const char * const  *lines,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          missive_smtp_write_lines_finish (MissiveSmtpSender   *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Whether the connection is still in step after @error (a refusal or a
 * reply read to its end), so that RSET can follow. */
gboolean          missive_smtp_error_keeps_step   (MissiveSmtpSender   *self,
                                                   const GError        *error);

/* ---- the transaction (missive-smtp-send.c) ------------------------------ */

void     missive_smtp_sender_class_init_send (MissiveSenderClass *klass);

G_END_DECLS
