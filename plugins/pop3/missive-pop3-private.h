/* missive-pop3-private.h: the POP3 plugin's store type and its command
 * helper, shared by the plugin's files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

#include "missive-pop3-reply.h"

G_BEGIN_DECLS

/* Capability bits from CAPA. */
enum
{
  MISSIVE_POP3_CAP_TOP        = 1 << 0,
  MISSIVE_POP3_CAP_UIDL       = 1 << 1,
  MISSIVE_POP3_CAP_SASL       = 1 << 2,
  MISSIVE_POP3_CAP_RESP_CODES = 1 << 3,
  MISSIVE_POP3_CAP_PIPELINING = 1 << 4,
  MISSIVE_POP3_CAP_STLS       = 1 << 5,
  MISSIVE_POP3_CAP_UTF8       = 1 << 6,
  MISSIVE_POP3_CAP_USER       = 1 << 7,
  MISSIVE_POP3_CAP_LANG       = 1 << 8,
  MISSIVE_POP3_CAP_UTF8_USER  = 1 << 9,   /* "UTF8 USER": UTF-8 in USER/PASS */
};

/* EXPIRE NEVER, as the value of expire_days. */
#define MISSIVE_POP3_EXPIRE_NEVER G_MAXINT

#define MISSIVE_TYPE_POP3_STORE (missive_pop3_store_get_type ())

typedef struct _MissivePop3Store MissivePop3Store;
typedef struct _MissivePop3StoreClass MissivePop3StoreClass;

struct _MissivePop3Store
{
  MissiveStore parent_instance;

  char *timestamp;        /* APOP timestamp of the greeting */
  guint caps;
  gboolean caps_known;    /* CAPA answered */
  char **sasl;            /* SASL mechanisms from CAPA */
  char *implementation;
  int expire_days;        /* -1: not announced; MISSIVE_POP3_EXPIRE_NEVER */
  gboolean expire_per_user;
  int login_delay;        /* seconds; -1: not announced */
  gboolean login_delay_per_user;
  gboolean utf8_enabled;  /* the server accepted UTF8 */
  gboolean utf8_sent;     /* UTF8 was sent in this session */

  gboolean use_sasl;      /* property "use-sasl" */
  gboolean use_apop;      /* property "use-apop" */
  gboolean utf8;          /* property "utf8": send UTF8 when offered */
  int max_lines;          /* property "max-lines": -1 RETR, else TOP n N */

  /* SASL exchange in progress */
  GBytes *pending_ir;     /* initial response too long for the command line */
  const char *sasl_mechanism;

  /* A command was cancelled after (possibly) being sent: its reply may
   * still come, so the connection is out of step with the server. */
  gboolean out_of_step;

  /* STAT of the maildrop */
  guint32 count;
  guint64 size;
  GHashTable *sizes;      /* message number → size (from LIST) */

  /* The operation queue (missive-pop3-queue.c) */
  GQueue queue;           /* MissivePop3Op *, waiting (some pipelined) */
  gboolean busy;          /* an operation runs */
  gboolean running_sent;  /* ... and its command was pipelined */
  gboolean writing;       /* a pipelined batch is being written */
  gboolean advance_pending; /* the queue's idle is scheduled */
  GMainContext *context;  /* the running operation's */
  GError *fatal_error;    /* the connection broke: queued operations fail */
};

struct _MissivePop3StoreClass
{
  MissiveStoreClass parent_class;
};

GType    missive_pop3_store_get_type      (void);
void     missive_pop3_store_register_type (GTypeModule *module);

#define MISSIVE_POP3_STORE(o) (G_TYPE_CHECK_INSTANCE_CAST ((o), MISSIVE_TYPE_POP3_STORE, MissivePop3Store))
#define MISSIVE_IS_POP3_STORE(o) (G_TYPE_CHECK_INSTANCE_TYPE ((o), MISSIVE_TYPE_POP3_STORE))

/* ---- one command --------------------------------------------------------- */

typedef enum
{
  MISSIVE_POP3_REPLY_SINGLE,   /* a status line only */
  MISSIVE_POP3_REPLY_LINES,    /* +OK then lines, collected (bounded) */
  MISSIVE_POP3_REPLY_STREAM,   /* +OK then lines, written to a sink */
} MissivePop3ReplyKind;

typedef struct
{
  MissivePop3ReplyKind kind;
  char *line;
  gboolean sensitive;
  int error_code;               /* for -ERR: MISSIVE_ERROR_SERVER_NO, ... */
  gboolean keep_err;            /* -ERR is returned as a result, not an error */

  gboolean sent;                /* already written (pipelining): only read */

  MissivePop3Status status;
  GPtrArray *lines;             /* LINES: unstuffed lines (char *) */
  gsize lines_bytes;

  GOutputStream *sink;          /* STREAM */
  gboolean skip_header;         /* STREAM: drop lines up to the first empty one */
  GByteArray *buffer;
  guint32 message_id;
  guint64 done;
  guint64 total;
} MissivePop3Command;

MissivePop3Command *missive_pop3_command_new  (MissivePop3ReplyKind kind,
                                               const char          *line);
void                missive_pop3_command_free (MissivePop3Command  *command);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissivePop3Command, missive_pop3_command_free)

/* Sends @command (transfer full) and reads its reply. The finish function
 * returns the command on +OK (and on -ERR with keep_err), else NULL and
 * the mapped error. */
void                missive_pop3_command_async  (MissivePop3Store    *self,
                                                 MissivePop3Command  *command,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
MissivePop3Command *missive_pop3_command_finish (MissivePop3Store    *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* PIPELINING (RFC 2449): writes @lines (no secrets) in one write; their
 * replies are then read with commands marked "sent". At most
 * MISSIVE_POP3_PIPELINE_WINDOW lines at once. */
#define MISSIVE_POP3_PIPELINE_WINDOW 64

void                missive_pop3_write_batch_async  (MissivePop3Store    *self,
                                                     const char * const  *lines,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            missive_pop3_write_batch_finish (MissivePop3Store    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Whether a command's error leaves the connection in step with the server
 * (a -ERR, a reply that could not be understood). */
gboolean            missive_pop3_error_is_reply     (const GError        *error);

void     missive_pop3_store_class_init_mailbox (MissiveStoreClass *klass);

/* ---- the operation queue (missive-pop3-queue.c) ---------------------------- */

typedef struct _MissivePop3Op MissivePop3Op;
typedef void (*MissivePop3StartFunc) (GTask *task);

/* Queues an operation of one command: when its turn comes, @command
 * (transfer full) runs with missive_pop3_command_async() and @done gets
 * @task (transfer full) as its user data. @pipelinable: a RETR or TOP
 * that may be written ahead with PIPELINING. The next operation starts
 * once @task has completed. */
void     missive_pop3_store_queue_command (MissivePop3Store    *self,
                                           GTask               *task,
                                           MissivePop3Command  *command,
                                           gboolean             pipelinable,
                                           GAsyncReadyCallback  done);
/* Queues an operation of several commands: @start gets @task (transfer
 * full) when its turn comes. */
void     missive_pop3_store_queue_start   (MissivePop3Store    *self,
                                           GTask               *task,
                                           MissivePop3StartFunc start);
/* Records an error that breaks the connection: queued operations then
 * fail with it. */
void     missive_pop3_store_note_error    (MissivePop3Store    *self,
                                           const GError        *error);
/* A new connection (forgets the broken one's error), or finalization. */
void     missive_pop3_store_reset_queue   (MissivePop3Store    *self,
                                           gboolean             finalizing);

G_END_DECLS
