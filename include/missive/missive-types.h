/* missive-types.h: forward declarations of Missive's types
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gio/gio.h>
#include <missive/missive-version.h>

G_BEGIN_DECLS

typedef struct _MissiveEngine MissiveEngine;
typedef struct _MissiveTransport MissiveTransport;
typedef struct _MissiveSocketTransport MissiveSocketTransport;
typedef struct _MissiveCommandTransport MissiveCommandTransport;
typedef struct _MissiveStreamTransport MissiveStreamTransport;
typedef struct _MissiveService MissiveService;
typedef struct _MissiveStore MissiveStore;
typedef struct _MissiveSender MissiveSender;
typedef struct _MissiveReply MissiveReply;
typedef struct _MissiveSaslMechanism MissiveSaslMechanism;
typedef struct _MissiveCryptoContext MissiveCryptoContext;
typedef struct _MissiveMailboxInfo MissiveMailboxInfo;
typedef struct _MissiveMessageInfo MissiveMessageInfo;
typedef struct _MissiveRecipientResult MissiveRecipientResult;
typedef struct _MissiveReader MissiveReader;

/**
 * MissiveSecurity:
 * @MISSIVE_SECURITY_NONE: no TLS at all; credentials and mail travel in clear
 * @MISSIVE_SECURITY_STARTTLS: connect in clear, then upgrade with the
 *   protocol's STARTTLS command; the upgrade is required, never skipped
 * @MISSIVE_SECURITY_TLS: TLS from the first byte (implicit TLS, e.g. port 993)
 *
 * How a connection is protected.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_SECURITY_NONE,
  MISSIVE_SECURITY_STARTTLS,
  MISSIVE_SECURITY_TLS,
} MissiveSecurity;

/**
 * MissiveTraceDirection:
 * @MISSIVE_TRACE_SENT: the client sent the data
 * @MISSIVE_TRACE_RECEIVED: the server sent the data
 * @MISSIVE_TRACE_INFO: a note from Missive itself (e.g. "TLS established")
 *
 * The direction of a line reported by the `protocol-trace` signal.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_TRACE_SENT,
  MISSIVE_TRACE_RECEIVED,
  MISSIVE_TRACE_INFO,
} MissiveTraceDirection;

G_END_DECLS
