/* missive.h: the umbrella header of Missive
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __MISSIVE_H_INSIDE__

#include <missive/missive-version.h>
#include <missive/missive-types.h>
#include <missive/missive-enums.h>
#include <missive/missive-error.h>
#include <missive/missive-reply.h>
#include <missive/missive-transport.h>
#include <missive/missive-socket-transport.h>
#include <missive/missive-command-transport.h>
#include <missive/missive-stream-transport.h>
#include <missive/missive-sasl-mechanism.h>
#include <missive/missive-service.h>
#include <missive/missive-message-set.h>
#include <missive/missive-search-query.h>
#include <missive/missive-body-part.h>
#include <missive/missive-mailbox-info.h>
#include <missive/missive-message-info.h>
#include <missive/missive-uid-map.h>
#include <missive/missive-quota.h>
#include <missive/missive-acl-entry.h>
#include <missive/missive-thread-node.h>
#include <missive/missive-namespace.h>
#include <missive/missive-append-item.h>
#include <missive/missive-recipient-result.h>
#include <missive/missive-send-options.h>
#include <missive/missive-envelope.h>
#include <missive/missive-send-result.h>
#include <missive/missive-message-builder.h>
#include <missive/missive-store.h>
#include <missive/missive-resync-report.h>
#include <missive/missive-reconnector.h>
#include <missive/missive-store-pool.h>
#include <missive/missive-sender.h>
#include <missive/missive-outbox-item.h>
#include <missive/missive-outbox.h>
#include <missive/missive-sender-pool.h>
#include <missive/missive-crypto-key.h>
#include <missive/missive-signature.h>
#include <missive/missive-decrypt-result.h>
#include <missive/missive-opened-message.h>
#include <missive/missive-autocrypt.h>
#include <missive/missive-crypto-context.h>
#include <missive/missive-engine.h>
#include <missive/missive-downloader.h>

#undef __MISSIVE_H_INSIDE__
