/* test-service.c: the "testproto" protocol of the fixture plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-plugin.h"

/* A service that only exists to be created: the engine tests check the
 * settings it got from the URI. */
struct _MissiveTestService
{
  MissiveService parent_instance;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveTestService, missive_test_service,
                                MISSIVE_TYPE_SERVICE, G_TYPE_FLAG_FINAL, {})

static guint16
missive_test_service_get_default_port (MissiveService  *service,
                                       MissiveSecurity  security)
{
  return security == MISSIVE_SECURITY_TLS ? 10993 : 10143;
}

static void
missive_test_service_class_init (MissiveTestServiceClass *klass)
{
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);

  service_class->get_default_port = missive_test_service_get_default_port;
}

static void
missive_test_service_class_finalize (MissiveTestServiceClass *klass)
{
}

static void
missive_test_service_init (MissiveTestService *self)
{
}

void
missive_test_service_register (GIOModule *module)
{
  if (module == NULL)
    missive_plugin_ensure_extension_points ();

  missive_test_service_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_PROTOCOL_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_TEST_SERVICE, "testproto", 0);
}
