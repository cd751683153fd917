/* missive-sasl-mechanism.h: a client SASL mechanism
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

/**
 * MissiveSaslFlags:
 * @MISSIVE_SASL_FLAG_NONE: no flags
 * @MISSIVE_SASL_FLAG_PLAINTEXT: the password can be read off the wire
 *   (PLAIN, LOGIN): only used on a protected connection unless the service
 *   explicitly allows it
 * @MISSIVE_SASL_FLAG_CLIENT_FIRST: the mechanism can send an initial response
 * @MISSIVE_SASL_FLAG_NEEDS_PASSWORD: the mechanism needs a username and password
 * @MISSIVE_SASL_FLAG_NEEDS_TOKEN: the mechanism needs an OAuth bearer token
 * @MISSIVE_SASL_FLAG_MUTUAL: the server proves its identity; the exchange
 *   only succeeds when the mechanism reports itself complete
 * @MISSIVE_SASL_FLAG_CHANNEL_BINDING: the mechanism binds to the TLS channel
 * @MISSIVE_SASL_FLAG_EXPLICIT_ONLY: never chosen automatically, only when
 *   asked for by name (ANONYMOUS, EXTERNAL)
 *
 * Facts about a [class@SaslMechanism].
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  MISSIVE_SASL_FLAG_NONE            = 0,
  MISSIVE_SASL_FLAG_PLAINTEXT       = 1 << 0,
  MISSIVE_SASL_FLAG_CLIENT_FIRST    = 1 << 1,
  MISSIVE_SASL_FLAG_NEEDS_PASSWORD  = 1 << 2,
  MISSIVE_SASL_FLAG_NEEDS_TOKEN     = 1 << 3,
  MISSIVE_SASL_FLAG_MUTUAL          = 1 << 4,
  MISSIVE_SASL_FLAG_CHANNEL_BINDING = 1 << 5,
  MISSIVE_SASL_FLAG_EXPLICIT_ONLY   = 1 << 6,
} MissiveSaslFlags;

#define MISSIVE_TYPE_SASL_MECHANISM (missive_sasl_mechanism_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveSaslMechanism, missive_sasl_mechanism, MISSIVE, SASL_MECHANISM, GObject)

/**
 * MissiveSaslMechanismClass:
 * @parent_class: the parent class
 * @get_name: returns the IANA name of the mechanism, e.g. "CRAM-MD5"
 * @get_strength: returns how strong the mechanism is; the driver prefers
 *   higher values (LOGIN 5, PLAIN 10, EXTERNAL 50; plugins: CRAM-MD5 30, SCRAM 60...)
 * @get_flags: returns the mechanism's [flags@SaslFlags]
 * @step: computes the response to a server challenge. @challenge is %NULL
 *   for the initial response; an empty #GBytes for an empty challenge
 * @reset: forgets the state of a previous exchange
 *
 * The virtual methods a SASL mechanism implements. Subclasses written in C,
 * Python, JavaScript or Vala override @get_name and @step at least.
 *
 * Since: 1.0
 */
struct _MissiveSaslMechanismClass
{
  GObjectClass parent_class;

  const char       *(*get_name)     (MissiveSaslMechanism  *self);
  int               (*get_strength) (MissiveSaslMechanism  *self);
  MissiveSaslFlags  (*get_flags)    (MissiveSaslMechanism  *self);
  GBytes           *(*step)         (MissiveSaslMechanism  *self,
                                     GBytes                *challenge,
                                     GError               **error);
  void              (*reset)        (MissiveSaslMechanism  *self);

  /*< private >*/
  gpointer padding[12];
};

MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_name      (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
int               missive_sasl_mechanism_get_strength  (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveSaslFlags  missive_sasl_mechanism_get_flags     (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
GBytes           *missive_sasl_mechanism_step          (MissiveSaslMechanism  *self,
                                                        GBytes                *challenge,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_reset         (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean          missive_sasl_mechanism_is_complete   (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_complete  (MissiveSaslMechanism  *self,
                                                        gboolean               complete);

MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_username  (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_username  (MissiveSaslMechanism  *self,
                                                        const char            *username);
MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_password  (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_password  (MissiveSaslMechanism  *self,
                                                        const char            *password);
MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_authzid   (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_authzid   (MissiveSaslMechanism  *self,
                                                        const char            *authzid);
MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_oauth_token (MissiveSaslMechanism *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_oauth_token (MissiveSaslMechanism *self,
                                                          const char           *token);
MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_service_name (MissiveSaslMechanism *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_service_name (MissiveSaslMechanism *self,
                                                           const char           *service_name);
MISSIVE_AVAILABLE_IN_1_0
const char       *missive_sasl_mechanism_get_host      (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_host      (MissiveSaslMechanism  *self,
                                                        const char            *host);
MISSIVE_AVAILABLE_IN_1_0
MissiveTransport *missive_sasl_mechanism_get_transport (MissiveSaslMechanism  *self);
MISSIVE_AVAILABLE_IN_1_0
void              missive_sasl_mechanism_set_transport (MissiveSaslMechanism  *self,
                                                        MissiveTransport      *transport);

G_END_DECLS
