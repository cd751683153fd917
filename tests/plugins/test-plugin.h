/* test-plugin.h: the types of the fixture plugin libmissive-testgood.so
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* A protocol, implemented as the "testproto" missive-protocol extension. */
#define MISSIVE_TYPE_TEST_SERVICE (missive_test_service_get_type ())
G_DECLARE_FINAL_TYPE (MissiveTestService, missive_test_service, MISSIVE, TEST_SERVICE, MissiveService)

/* The SASL mechanism "X-TEST" (strength 25): its only response is
 * "x-test:" followed by the user name. */
#define MISSIVE_TYPE_TEST_MECHANISM (missive_test_mechanism_get_type ())
G_DECLARE_FINAL_TYPE (MissiveTestMechanism, missive_test_mechanism, MISSIVE, TEST_MECHANISM, MissiveSaslMechanism)

/* The crypto backend "testcrypto". */
#define MISSIVE_TYPE_TEST_CRYPTO (missive_test_crypto_get_type ())
G_DECLARE_FINAL_TYPE (MissiveTestCrypto, missive_test_crypto, MISSIVE, TEST_CRYPTO, MissiveCryptoContext)

/* Each registers its type with @module (statically when NULL) and
 * implements its extension point. */
void missive_test_service_register   (GIOModule *module);
void missive_test_mechanism_register (GIOModule *module);
void missive_test_crypto_register    (GIOModule *module);

G_END_DECLS
