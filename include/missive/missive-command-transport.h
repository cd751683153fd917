/* missive-command-transport.h: speak over a spawned program's stdin/stdout
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-transport.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_COMMAND_TRANSPORT (missive_command_transport_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveCommandTransport, missive_command_transport, MISSIVE, COMMAND_TRANSPORT, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveCommandTransport *missive_command_transport_new   (const char * const *argv);
MISSIVE_AVAILABLE_IN_1_0
const char * const      *missive_command_transport_get_argv (MissiveCommandTransport *self);
MISSIVE_AVAILABLE_IN_1_0
GSubprocess             *missive_command_transport_get_subprocess (MissiveCommandTransport *self);

G_END_DECLS
