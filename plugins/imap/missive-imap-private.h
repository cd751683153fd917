/* missive-imap-private.h: what the files of the IMAP plugin share
 *
 * The plugin's type, MissiveImapStore, is a final MissiveStore registered
 * in the GIO module (not introspected). Its files:
 *
 *   imap-module.c               GIO module entry points
 *   missive-imap-store.c        the type: properties, the service vfuncs
 *                               (greet, CAPABILITY, STARTTLS, LOGIN,
 *                               AUTHENTICATE, LOGOUT, NOOP, raw commands)
 *   missive-imap-engine.c       commands in flight: tags, pipelining,
 *                               reading and routing responses, literals
 *   missive-imap-command.c      building command lines and their literals
 *   missive-imap-mailbox.c      LIST, STATUS, SELECT/EXAMINE, CREATE, ...
 *   missive-imap-message.c      SEARCH, SORT, STORE, COPY/MOVE, APPEND,
 *                               EXPUNGE
 *   missive-imap-idle.c         IDLE and its fallbacks
 *   missive-imap-extra.c        ACL, QUOTA, rights
 *   missive-imap-thread.c       THREAD, NAMESPACE, resync (QRESYNC)
 *   missive-imap-admin.c        LISTRIGHTS, GETQUOTA, SETQUOTA, METADATA
 *   missive-imap-append.c       MULTIAPPEND, REPLACE, X-GM-LABELS
 *   missive-imap-notify.c       PARTIAL searches, NOTIFY
 *   missive-imap-raw.c          raw commands (send_command)
 *   missive-imap-fetch.c        FETCH of summaries and of parts
 *   missive-imap-convert.c, missive-imap-convert-body.c
 *                               pure conversions from parsed responses
 *                               (missive-imap-convert.h, a static library)
 *   missive-imap-quirks.c       the table of known server quirks
 *   missive-imap-compress.c     COMPRESS=DEFLATE: the deflate streams
 *   missive-imap-parser.c, missive-imap-utf7.c (the static parser library)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

#include "missive-imap-parser.h"

G_BEGIN_DECLS

#define MISSIVE_TYPE_IMAP_STORE (missive_imap_store_get_type ())
G_DECLARE_FINAL_TYPE (MissiveImapStore, missive_imap_store, MISSIVE, IMAP_STORE, MissiveStore)

void missive_imap_store_register_type (GTypeModule *module);

/* ---- capabilities, as bits for quick tests ---- */

typedef enum
{
  MISSIVE_IMAP_CAP_IMAP4REV1      = 1 << 0,
  MISSIVE_IMAP_CAP_IMAP4REV2      = 1 << 1,
  MISSIVE_IMAP_CAP_STARTTLS       = 1 << 2,
  MISSIVE_IMAP_CAP_LOGINDISABLED  = 1 << 3,
  MISSIVE_IMAP_CAP_SASL_IR        = 1 << 4,
  MISSIVE_IMAP_CAP_LITERAL_PLUS   = 1 << 5,
  MISSIVE_IMAP_CAP_LITERAL_MINUS  = 1 << 6,
  MISSIVE_IMAP_CAP_IDLE           = 1 << 7,
  MISSIVE_IMAP_CAP_UIDPLUS        = 1 << 8,
  MISSIVE_IMAP_CAP_MOVE           = 1 << 9,
  MISSIVE_IMAP_CAP_CONDSTORE      = 1 << 10,
  MISSIVE_IMAP_CAP_QRESYNC        = 1 << 11,
  MISSIVE_IMAP_CAP_ESEARCH        = 1 << 12,
  MISSIVE_IMAP_CAP_SPECIAL_USE    = 1 << 13,
  MISSIVE_IMAP_CAP_LIST_EXTENDED  = 1 << 14,
  MISSIVE_IMAP_CAP_LIST_STATUS    = 1 << 15,
  MISSIVE_IMAP_CAP_COMPRESS       = 1 << 16,
  MISSIVE_IMAP_CAP_UTF8_ACCEPT    = 1 << 17,
  MISSIVE_IMAP_CAP_BINARY         = 1 << 18,
  MISSIVE_IMAP_CAP_ENABLE         = 1 << 19,
  MISSIVE_IMAP_CAP_ID             = 1 << 20,
  MISSIVE_IMAP_CAP_NAMESPACE      = 1 << 21,
  MISSIVE_IMAP_CAP_UNSELECT       = 1 << 22,
  MISSIVE_IMAP_CAP_ACL            = 1 << 23,
  MISSIVE_IMAP_CAP_QUOTA          = 1 << 24,
  MISSIVE_IMAP_CAP_SORT           = 1 << 25,
  MISSIVE_IMAP_CAP_THREAD         = 1 << 26,
  MISSIVE_IMAP_CAP_MULTIAPPEND    = 1 << 27,
  MISSIVE_IMAP_CAP_NOTIFY         = 1 << 28,
  MISSIVE_IMAP_CAP_METADATA       = 1 << 29,
  MISSIVE_IMAP_CAP_OBJECTID       = 1 << 30,
  MISSIVE_IMAP_CAP_STATUS_SIZE    = 1u << 31,
  MISSIVE_IMAP_CAP_SAVEDATE       = G_GUINT64_CONSTANT (1) << 32,
  MISSIVE_IMAP_CAP_PREVIEW        = G_GUINT64_CONSTANT (1) << 33,
  MISSIVE_IMAP_CAP_REPLACE        = G_GUINT64_CONSTANT (1) << 34,
  MISSIVE_IMAP_CAP_PARTIAL        = G_GUINT64_CONSTANT (1) << 35,
  MISSIVE_IMAP_CAP_XLIST          = G_GUINT64_CONSTANT (1) << 36,
  MISSIVE_IMAP_CAP_GMAIL          = G_GUINT64_CONSTANT (1) << 37, /* X-GM-EXT-1 */
  MISSIVE_IMAP_CAP_APPENDLIMIT    = G_GUINT64_CONSTANT (1) << 38,
  MISSIVE_IMAP_CAP_ESORT          = G_GUINT64_CONSTANT (1) << 39,
} MissiveImapCapability;

/* Whether the server offered @cap (in its last CAPABILITY). */
gboolean missive_imap_store_has_cap (MissiveImapStore *self,
                                     guint64           cap);

/* ---- commands ---- */

typedef struct _MissiveImapCommand MissiveImapCommand;

/* Called for each untagged response the engine offers the command (while
 * it is in flight), and once more with the command's own tagged response
 * (kind TAGGED) just before it completes. Return TRUE if the response was
 * the command's (it is then not offered to anyone else). The response is
 * valid only during the call. An error set through
 * missive_imap_command_fail() makes the command fail once it completes. */
typedef gboolean (*MissiveImapResponseFunc) (MissiveImapStore          *store,
                                             MissiveImapCommand        *command,
                                             const MissiveImapResponse *response,
                                             gpointer                   user_data);

/* While a response for this command announces a literal: return a stream
 * (transfer none) to send its bytes to, or NULL to keep it in memory (then
 * it is bounded by the parser's limit). */
typedef GOutputStream *(*MissiveImapLiteralFunc) (MissiveImapStore          *store,
                                                  MissiveImapCommand        *command,
                                                  const MissiveImapResponse *partial,
                                                  const MissiveImapValue    *previous,
                                                  guint64                    size,
                                                  gpointer                   user_data);

/* A continuation request ("+ ...") for a command that does not send a
 * literal: AUTHENTICATE and IDLE. Return the line to send (transfer full;
 * without CRLF), or NULL to send nothing now. */
typedef char *(*MissiveImapContinueFunc) (MissiveImapStore          *store,
                                          MissiveImapCommand        *command,
                                          const MissiveImapResponse *response,
                                          gpointer                   user_data);

/* A command line under construction: "<tag> NAME args...". Arguments are
 * separated by one space. */
MissiveImapCommand *missive_imap_command_new            (MissiveImapStore   *store,
                                                         const char         *name);
void                missive_imap_command_free           (MissiveImapCommand *self);

/* An atom, sent as is ("(FLAGS UID)", "BODY.PEEK[1.2]", "\\Seen"). The
 * caller guarantees it holds no CR, LF or NUL. */
void missive_imap_command_add_atom          (MissiveImapCommand *self,
                                             const char         *atom);
void missive_imap_command_add_number        (MissiveImapCommand *self,
                                             guint64             number);
/* A string from the user: an atom when it can be, else a quoted string,
 * else a literal (8-bit without UTF8=ACCEPT, or CR/LF inside). */
void missive_imap_command_add_astring       (MissiveImapCommand *self,
                                             const char         *string);
/* Always a quoted string or a literal (never an atom). */
void missive_imap_command_add_string        (MissiveImapCommand *self,
                                             const char         *string);
/* A mailbox name: modified UTF-7 unless UTF8=ACCEPT is enabled (or the
 * store's utf7 switch is off), then as add_astring. INBOX in any case is
 * sent as INBOX. */
void missive_imap_command_add_mailbox       (MissiveImapCommand *self,
                                             const char         *name);
/* A sequence set: the caller splits large sets before (see
 * missive_message_set_split()). */
void missive_imap_command_add_set           (MissiveImapCommand *self,
                                             MissiveMessageSet  *set);
/* A literal read from @stream (@size bytes), "~{n}" when @binary (APPEND of
 * 8-bit data with BINARY). Uses LITERAL+ / LITERAL- when offered, waits
 * for the server's "+" otherwise. */
void missive_imap_command_add_literal_stream (MissiveImapCommand *self,
                                              GInputStream       *stream,
                                              goffset             size,
                                              gboolean            binary);

void missive_imap_command_set_response_func (MissiveImapCommand     *self,
                                             MissiveImapResponseFunc func,
                                             gpointer                user_data);
void missive_imap_command_set_literal_func  (MissiveImapCommand     *self,
                                             MissiveImapLiteralFunc  func);
void missive_imap_command_set_continue_func (MissiveImapCommand     *self,
                                             MissiveImapContinueFunc func);
/* The line holds a secret (LOGIN): masked in the protocol trace. */
void missive_imap_command_set_sensitive     (MissiveImapCommand *self);
/* Makes the command fail with @error (transfer full) when it completes
 * (the first error wins). */
void missive_imap_command_fail              (MissiveImapCommand *self,
                                             GError             *error);
const char *missive_imap_command_get_tag    (MissiveImapCommand *self);

/* Queues @command (transfer full) and runs it: it is written as soon as
 * the commands before it allow (pipelining: without waiting for their
 * replies, except while one waits for a continuation), and completes with
 * its tagged response. Finishes TRUE on OK; on NO or BAD with
 * MISSIVE_ERROR_SERVER_NO / _BAD carrying the response code and text; with
 * MISSIVE_ERROR_PROTOCOL when its tagged response could not be parsed; with
 * a fatal error when the connection is lost (every queued command fails the
 * same way). Cancelling a command that was already written fails it with
 * G_IO_ERROR_CANCELLED but keeps reading its responses to stay in step. */
void     missive_imap_store_run_async  (MissiveImapStore    *self,
                                        MissiveImapCommand  *command,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean missive_imap_store_run_finish (MissiveImapStore    *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Turns a NO/BAD/BYE tagged or untagged status response into a GError in
 * MISSIVE_ERROR with the extended data (code, text). */
GError  *missive_imap_status_to_error  (const MissiveImapResponse *response);

/* ---- selected mailbox state (missive-imap-mailbox.c) ---- */

/* The mailbox selected now (name as the user gave it), or NULL. */
const char         *missive_imap_store_get_selected      (MissiveImapStore *self);
/* The selected mailbox's info, kept up to date by EXISTS, EXPUNGE, ... */
MissiveMailboxInfo *missive_imap_store_get_selected_info (MissiveImapStore *self);
/* Whether ids are UIDs (the use-uid property). */
gboolean            missive_imap_store_get_use_uid       (MissiveImapStore *self);
/* Whether RFC 2047 words in envelopes are decoded (decode-headers). */
gboolean            missive_imap_store_get_decode_headers (MissiveImapStore *self);

/* ---- additions by the engine (H-engine) ---- */

/* A command that runs alone: it is written only once every command before
 * it has completed, and nothing after it is written until it completes
 * (STARTTLS, COMPRESS). A command with a continue func is exclusive
 * anyway (AUTHENTICATE, IDLE). */
void missive_imap_command_set_exclusive     (MissiveImapCommand *self);
/* A line the engine sends by itself if the command is cancelled while it
 * waits in a continuation: "DONE" for IDLE, "*" for AUTHENTICATE. Without
 * it a cancelled command in a continuation stays until the server ends it. */
void missive_imap_command_set_cancel_line   (MissiveImapCommand *self,
                                             const char         *line);
/* Sends @line (CRLF added) now, for a command in flight that has a continue
 * func: IDLE's "DONE" at any time, a SASL response. @sensitive masks it in
 * the trace. Lines are written in order; a write error fails the
 * connection. */
void missive_imap_command_send_line         (MissiveImapCommand *self,
                                             const char         *line,
                                             gboolean            sensitive);

/* Fails every queued and in-flight command with @error (transfer full;
 * should be fatal, e.g. MISSIVE_ERROR_CONNECTION_LOST after a dead-peer
 * probe; a non-fatal code is turned into CONNECTION_LOST), and every
 * command after it until the next connection; the store's public wrappers
 * then close the connection.
 *
 * Main contexts: the engine's pending reads and writes complete in the
 * thread-default main context they were started in. While any is pending,
 * missive_imap_store_run_async() from another context fails with
 * MISSIVE_ERROR_INVALID_STATE instead of waiting forever (a blocking call,
 * which runs on a private context, while an async operation of the same
 * store is still running). */
void     missive_imap_store_fail_connection (MissiveImapStore *self,
                                             GError           *error);
/* Whether a command is queued or in flight. */
gboolean missive_imap_store_is_busy         (MissiveImapStore *self);

/* What ENABLE turned on (MISSIVE_IMAP_CAP_CONDSTORE, _QRESYNC,
 * _UTF8_ACCEPT): those change what the server sends. */
gboolean missive_imap_store_is_enabled      (MissiveImapStore *self,
                                             guint64           cap);

/* Whether the connection speaks IMAP4rev2 (RFC 9051): the server turned
 * it on with ENABLE, or offers IMAP4rev2 without IMAP4rev1. Mailbox names
 * and quoted strings are then UTF-8, STATUS has no RECENT, and the
 * extensions IMAP4rev2 includes count as offered (see has_cap). */
gboolean missive_imap_store_is_rev2         (MissiveImapStore *self);

/* The idle-max-seconds and keepalive-seconds properties. */
guint    missive_imap_store_get_idle_max_seconds (MissiveImapStore *self);
guint    missive_imap_store_get_keepalive_seconds (MissiveImapStore *self);

/* Known server quirks (missive-imap-quirks.h): the MissiveImapQuirk bits
 * that apply to this server. */
guint    missive_imap_store_get_quirks      (MissiveImapStore *self);
/* The longest message set (as text) to put in one command for this
 * server: pass it to missive_message_set_split(). */
gsize    missive_imap_store_get_max_set_length (MissiveImapStore *self);

/* The store's handling of an untagged response that no command claimed
 * (EXISTS, EXPUNGE, FETCH, VANISHED, FLAGS, CAPABILITY, status responses
 * with [ALERT]...): IDLE may call it for responses it looked at first. */
void     missive_imap_store_handle_unsolicited (MissiveImapStore          *self,
                                                const MissiveImapResponse *response);

/* ---- additions by H-ops: the vfuncs of the other files ----
 *
 * missive_imap_store_class_init() calls each of these once; they fill in
 * the MissiveStoreClass vfuncs their file implements:
 *   _message: fetch_summaries, fetch_part, search, sort, set_flags,
 *             copy_messages, append_message, expunge
 *   _idle:    idle, stop_idle
 *   _extra:   get_quota, get_acl, set_acl, get_my_rights */
void missive_imap_message_class_init (MissiveStoreClass *klass);
void missive_imap_idle_class_init    (MissiveStoreClass *klass);
void missive_imap_extra_class_init   (MissiveStoreClass *klass);
/* missive_imap_store_register_type() calls this with its module: the
 * plugin's helper types (the output stream that fetch_part hands to the
 * engine: local decoding, progress) are dynamic types of the module. */
void missive_imap_message_register_types (GTypeModule *module);
/* The fetch vfuncs live in missive-imap-fetch.c;
 * missive_imap_message_class_init() calls this. */
void missive_imap_fetch_class_init   (MissiveStoreClass *klass);
/* fetch_part gathers the body fetches asked in a row into one FETCH;
 * this sends the gathered ones now. missive_imap_command_new() calls it,
 * so that every other command is sent after them. */
void missive_imap_fetch_flush        (MissiveImapStore  *self);

/* Runs one command per piece of @set (split after
 * missive_imap_store_get_max_set_length()), a few pieces in flight at a
 * time; @build makes the command for a piece (an IMAP sequence-set
 * string). @build_data must stay valid until the operation finishes.
 * Finishes once every command that was started has completed: TRUE, or
 * the first error (no further piece is started after one).
 * (missive-imap-message.c) */
typedef MissiveImapCommand *(*MissiveImapChunkBuildFunc) (MissiveImapStore *store,
                                                          const char       *piece,
                                                          gpointer          build_data);
void     missive_imap_run_chunks_async  (MissiveImapStore          *self,
                                         MissiveMessageSet         *set,
                                         MissiveImapChunkBuildFunc  build,
                                         gpointer                   build_data,
                                         GCancellable              *cancellable,
                                         GAsyncReadyCallback        callback,
                                         gpointer                   user_data);
gboolean missive_imap_run_chunks_finish (MissiveImapStore          *self,
                                         GAsyncResult              *result,
                                         GError                   **error);

/* ---- additions by H-imap (session 3) ----
 *
 * Helpers of missive-imap-message.c for the other files: a command named
 * "UID name" when the store uses UIDs; the "No mailbox is selected"
 * check; a search program (CHARSET UTF-8 first when @charset and needed);
 * "(\\Seen $Junk)" from flags, NULL with an error for an invalid one. */
MissiveImapCommand *missive_imap_command_new_for_ids (MissiveImapStore    *self,
                                                      const char          *name);
gboolean            missive_imap_check_selected      (MissiveImapStore    *self,
                                                      GError             **error);
void                missive_imap_add_search_program  (MissiveImapStore    *self,
                                                      MissiveImapCommand  *command,
                                                      MissiveSearchQuery  *query,
                                                      gboolean             charset);
char               *missive_imap_flag_list           (const char * const  *flags,
                                                      GError             **error);
/* The vfuncs of the newer files, called by missive_imap_extra_class_init():
 *   _thread: thread, get_namespaces, resync_mailbox
 *   _admin:  list_rights, get_quota_by_root, set_quota, get_metadata,
 *            set_metadata
 *   _append: append_messages, replace_message, set_gmail_labels */
void missive_imap_thread_class_init (MissiveStoreClass *klass);
void missive_imap_admin_class_init  (MissiveStoreClass *klass);
void missive_imap_append_class_init (MissiveStoreClass *klass);
/* run_extension_async: paged searches (PARTIAL) and NOTIFY
 * (missive-imap-notify.c); called by missive_imap_extra_class_init(). */
void missive_imap_notify_class_init (MissiveStoreClass *klass);
/* A response func that adds a MissiveQuota per QUOTA response to
 * @user_data, a GListStore (missive-imap-extra.c). */
gboolean missive_imap_on_quota_response (MissiveImapStore          *store,
                                         MissiveImapCommand        *command,
                                         const MissiveImapResponse *response,
                                         gpointer                   user_data);
/* The APPENDLIMIT=n capability's value, or 0 (missive-imap-store.c). */
guint64 missive_imap_store_get_append_limit (MissiveImapStore *self);

/* ---- internals of the engine's files (store, engine, command, mailbox) ----
 *
 * The other files of the plugin use the functions above; the structures
 * below are shared only so that the store, the engine and the command
 * builder can reach each other's fields. */

typedef struct _MissiveImapEngine MissiveImapEngine;

struct _MissiveImapStore
{
  MissiveStore parent_instance;

  /* Properties */
  gboolean use_uid;
  gboolean utf7_names;
  gboolean decode_headers;
  gboolean send_id;
  gboolean compress;       /* the compress property */
  gboolean enable_rev2;    /* the enable-imap4rev2 property */
  gboolean sequence_match; /* the resync-sequence-match property */
  guint idle_max_seconds;
  guint keepalive_seconds;

  /* What the server said about itself (reset with each connection) */
  guint64 caps;            /* MissiveImapCapability bits */
  guint64 enabled;         /* what ENABLE turned on */
  guint quirks;            /* MissiveImapQuirk bits */
  int server_kind;         /* MissiveImapServerKind */
  gboolean caps_fresh;     /* the capabilities came with the last status
                            * response: refresh_capabilities need not ask */
  gboolean preauth;        /* PREAUTH greeting */
  gboolean session_ready;  /* ID and ENABLE done after login */
  char *greeting;          /* the greeting's text */
  GHashTable *server_id;   /* the ID response (lower-cased keys), or NULL */

  /* The selected mailbox */
  char *selected;
  MissiveMailboxInfo *selected_info;

  /* The AUTHENTICATE exchange in progress */
  MissiveImapCommand *sasl_command;
  GTask *sasl_task;        /* the sasl_start/continue step waiting */
  gpointer sasl_pending;   /* a step result nobody waited for yet */
  GError *sasl_pending_error;
  GError *sasl_error;      /* why we aborted the exchange ourselves */

  MissiveImapEngine *engine;

  /* COMPRESS=DEFLATE while active on this connection, else NULL */
  struct _MissiveImapCompression *compression;

  /* What ENABLED listed, as the server spelled it (NULL: nothing), and
   * the APPENDLIMIT=n capability's n (0: none or per mailbox) */
  GPtrArray *enabled_names;
  guint64 append_limit;

  /* fetch_part requests waiting to go out as one FETCH
   * (missive-imap-fetch.c), or NULL */
  struct _MissiveImapFetchBatch *fetch_batch;
};

typedef struct
{
  GString *text;           /* a text part: the bytes, line end included */
  GInputStream *stream;    /* a literal part: its data ... */
  guint64 size;            /* ... and size */
  gboolean sync;           /* a synchronising literal: wait for "+" */
} MissiveImapCommandPart;

typedef enum
{
  MISSIVE_IMAP_COMMAND_NEW,       /* being built */
  MISSIVE_IMAP_COMMAND_QUEUED,    /* waiting to be written */
  MISSIVE_IMAP_COMMAND_WRITING,   /* its parts are being written */
  MISSIVE_IMAP_COMMAND_WAIT_CONTINUATION, /* waiting for "+" (literal) */
  MISSIVE_IMAP_COMMAND_SENT,      /* written, waiting for its tagged reply */
} MissiveImapCommandState;

struct _MissiveImapCommand
{
  MissiveImapStore *store;        /* not a reference */
  char *name;
  char tag[16];
  GPtrArray *parts;               /* of MissiveImapCommandPart */
  guint next_part;
  MissiveImapCommandState state;
  gboolean exclusive;
  gboolean sensitive;
  gboolean expects_bye;           /* LOGOUT */
  gboolean got_bye;               /* ... and the BYE came */
  gboolean is_greeting;           /* the greeting pseudo-command */
  gboolean raw;                   /* send_command: collects raw lines */
  gboolean detached;              /* cancelled: its task has returned */
  gboolean got_continuation;      /* a "+" arrived for its continue func */
  gboolean cancel_line_sent;
  char *cancel_line;
  MissiveImapResponseFunc response_func;
  gpointer user_data;
  MissiveImapLiteralFunc literal_func;
  MissiveImapContinueFunc continue_func;
  GError *error;
  GTask *task;
  GSource *cancel_source;
  GPtrArray *raw_lines;           /* raw: the untagged responses, as text */
  char *raw_tagged;               /* raw: the tagged response after the tag */
};

/* The store's capabilities from a CAPABILITY response or [CAPABILITY ...]
 * code: @atoms is the first atom (linked through ->next). */
void     missive_imap_store_update_capabilities (MissiveImapStore       *self,
                                                 const MissiveImapValue *atoms);

/* The mailbox vfuncs (missive-imap-mailbox.c); see also the hooks of
 * H-ops below. */
void     missive_imap_mailbox_class_init (MissiveStoreClass *klass);

/* Forgets the selected mailbox (missive-imap-mailbox.c). */
void     missive_imap_store_clear_selected (MissiveImapStore *self);
/* Records @name (as the user gave it) as selected, with @info (a
 * reference is taken): for a SELECT built elsewhere (QRESYNC resync). */
void     missive_imap_store_set_selected   (MissiveImapStore   *self,
                                            const char         *name,
                                            MissiveMailboxInfo *info);
/* Whether mailbox names on the wire are modified UTF-7 (utf7-names and
 * UTF8=ACCEPT not enabled). */
gboolean missive_imap_store_names_are_utf7 (MissiveImapStore *self);

/* The engine (missive-imap-engine.c) */
MissiveImapEngine *missive_imap_engine_new     (MissiveImapStore  *store);
void               missive_imap_engine_free    (MissiveImapEngine *engine);
/* Whether @command is in flight (compared by address only). */
gboolean           missive_imap_engine_is_in_flight (MissiveImapEngine  *engine,
                                                     MissiveImapCommand *command);
/* A new connection: fails whatever is left of the old one and starts
 * again from tag A0001. */
void               missive_imap_engine_reset   (MissiveImapEngine *engine);
/* Starts reading the greeting (an untagged status response) as a
 * pseudo-command; its response func gets it. */
void               missive_imap_engine_run_greeting (MissiveImapStore    *store,
                                                     MissiveImapCommand  *command,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);

/* Makes the engine write to @output (a reference is taken) instead of the
 * service's output stream, until the next connection (COMPRESS); NULL
 * goes back to the service's stream. */
void               missive_imap_engine_set_output (MissiveImapEngine *engine,
                                                   GOutputStream     *output);

/* COMPRESS=DEFLATE, RFC 4978 (missive-imap-compress.c) */
typedef struct _MissiveImapCompression MissiveImapCompression;
void     missive_imap_compress_register_types (GTypeModule *module);
/* The COMPRESS DEFLATE command when the compress property is set, the
 * server offers COMPRESS=DEFLATE and no compression is active yet; else
 * NULL. On its tagged OK it switches the connection to deflate. */
MissiveImapCommand *missive_imap_compress_command_new (MissiveImapStore *self);
void     missive_imap_compression_free        (MissiveImapCompression *compression);
/* Traces the bytes counted on the wire and before/after (de)compression. */
void     missive_imap_compress_trace_figures  (MissiveImapStore *self);

/* Shared by the store's files (missive-imap-store.c, missive-imap-auth.c) */
/* A failed server reply (NO/BAD) as @code, keeping the server's response
 * code and text; other errors are returned unchanged. Takes @error. */
GError  *missive_imap_remap_server_error     (GError              *error,
                                              int                  code,
                                              const char          *what);
/* After LOGIN, AUTHENTICATE or a PREAUTH greeting: CAPABILITY, COMPRESS,
 * ID, ENABLE as the settings and the server's capabilities say. */
void     missive_imap_session_setup_async    (MissiveImapStore    *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean missive_imap_session_setup_finish   (MissiveImapStore    *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* A finish function for tasks that return a boolean. */
gboolean missive_imap_boolean_finish         (MissiveService      *service,
                                              GAsyncResult        *result,
                                              GError             **error);
void     missive_imap_sasl_step_free         (gpointer             data);
/* The service's send_command (missive-imap-raw.c). */
void          missive_imap_store_send_command_async  (MissiveService       *service,
                                                      const char           *line,
                                                      int                   io_priority,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MissiveReply *missive_imap_store_send_command_finish (MissiveService       *service,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* Sets the SASL and LOGIN virtual methods (missive-imap-auth.c). */
void     missive_imap_store_class_init_auth  (MissiveServiceClass *service_class);

/* The command builder (missive-imap-command.c) */
/* TRUE when @string holds CR or LF (which would end a protocol line). */
gboolean missive_imap_has_line_break         (const char         *string);
/* Ends the last line of the command (before it is queued). */
void     missive_imap_command_end           (MissiveImapCommand *self);

G_END_DECLS
