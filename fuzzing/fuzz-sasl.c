/* fuzz-sasl.c: libFuzzer target for the SASL plugins' challenge parsers
 *
 * The first byte of the input picks the mechanism (low three bits) and a
 * few settings: 0x08 makes the initial response step with an empty
 * challenge instead of none, 0x10 sets an authorization identity and
 * non-ASCII credentials, 0x20 resets the mechanism after the exchange and
 * runs it once more with the same challenges. The rest of the input is
 * what the server sends: challenges separated by 0xFF bytes, each given to
 * missive_sasl_mechanism_step() in turn until one fails.
 *
 * The plugins' sources are compiled into this target and their types are
 * registered with a stand-in GIOModule that never loads anything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-sasl-cram-md5.h"
#include "missive-sasl-digest-md5.h"
#include "missive-sasl-ntlm.h"
#include "missive-sasl-oauthbearer.h"
#include "missive-sasl-scram.h"
#include "missive-sasl-xoauth2.h"

#define FUZZ_SEPARATOR 0xff
#define FUZZ_MAX_STEPS 16
/* PBKDF2 with the iteration counts SCRAM allows (up to a million) costs
 * up to a second and would eat the fuzzer's time without covering more. */
#define FUZZ_MAX_SCRAM_ITERATIONS 4096

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

typedef struct
{
  const char *name;
  gboolean    client_first;
  gboolean    scram;
} FuzzMechanism;

static const FuzzMechanism mechanisms[8] = {
  { "CRAM-MD5",           FALSE, FALSE },
  { "DIGEST-MD5",         FALSE, FALSE },
  { "NTLM",               TRUE,  FALSE },
  { "SCRAM-SHA-1",        TRUE,  TRUE },
  { "SCRAM-SHA-256",      TRUE,  TRUE },
  { "SCRAM-SHA-512-PLUS", TRUE,  TRUE },
  { "XOAUTH2",            TRUE,  FALSE },
  { "OAUTHBEARER",        TRUE,  FALSE },
};

/* A GIOModule whose load and unload do nothing: the plugins' register
 * functions want one (SCRAM's refuses NULL), and their code is already
 * linked in. GIOModule's structs are private, so the subclass is
 * registered with the sizes GType reports. */
static gboolean
fake_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
fake_module_unload (GTypeModule *module)
{
}

static void
fake_module_class_init (gpointer klass,
                        gpointer class_data)
{
  G_TYPE_MODULE_CLASS (klass)->load = fake_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = fake_module_unload;
}

static GType
fake_module_get_type (void)
{
  static GType type = 0;

  if (type == 0)
    {
      GTypeQuery query;
      GTypeInfo info = { 0, };

      g_type_query (G_IO_TYPE_MODULE, &query);
      g_assert_cmpuint (query.type, ==, G_IO_TYPE_MODULE);
      info.class_size = query.class_size;
      info.class_init = fake_module_class_init;
      info.instance_size = query.instance_size;
      type = g_type_register_static (G_IO_TYPE_MODULE, "FuzzSaslModule", &info, 0);
    }
  return type;
}

static void
register_plugins (void)
{
  static GIOModule *module = NULL;

  if (module != NULL)
    return;

  /* Kept in use for good, as a loaded plugin is. */
  module = g_object_new (fake_module_get_type (), NULL);
  g_assert_true (g_type_module_use (G_TYPE_MODULE (module)));
  g_type_module_set_name (G_TYPE_MODULE (module), "fuzz-sasl");

  missive_sasl_cram_md5_register (module);
  missive_sasl_digest_md5_register (module);
  missive_sasl_ntlm_register (module);
  missive_sasl_scram_register (module);
  missive_sasl_xoauth2_register (module);
  missive_sasl_oauthbearer_register (module);
}

static GType
lookup_mechanism (const char *name)
{
  GIOExtensionPoint *point = g_io_extension_point_lookup (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME);
  GIOExtension *extension;

  g_assert_nonnull (point);
  extension = g_io_extension_point_get_extension_by_name (point, name);
  g_assert_nonnull (extension);
  return g_io_extension_get_type (extension);
}

/* Whether a SCRAM challenge asks for more PBKDF2 rounds than worth it. */
static gboolean
too_many_iterations (const guint8 *data,
                     gsize         size)
{
  for (gsize i = 0; i + 1 < size; i++)
    {
      guint64 value = 0;

      if (data[i] != 'i' || data[i + 1] != '=')
        continue;
      for (gsize j = i + 2; j < size && g_ascii_isdigit (data[j]); j++)
        {
          value = value * 10 + (data[j] - '0');
          if (value > FUZZ_MAX_SCRAM_ITERATIONS)
            return TRUE;
        }
    }
  return FALSE;
}

static void
run_exchange (MissiveSaslMechanism *mech,
              const FuzzMechanism  *info,
              gboolean              empty_initial,
              const guint8         *data,
              gsize                 size)
{
  gsize offset = 0;

  if (info->client_first)
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;

      response = missive_sasl_mechanism_step (mech, empty_initial ? empty : NULL, &error);
      if (response == NULL)
        {
          g_assert_nonnull (error);
          return;
        }
      g_assert_no_error (error);
    }

  for (guint step = 0; step < FUZZ_MAX_STEPS && offset <= size; step++)
    {
      g_autoptr(GBytes) challenge = NULL;
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;
      const guint8 *end = memchr (data + offset, FUZZ_SEPARATOR, size - offset);
      gsize length = end != NULL ? (gsize) (end - (data + offset)) : size - offset;

      if (info->scram && too_many_iterations (data + offset, length))
        return;
      challenge = g_bytes_new (data + offset, length);
      response = missive_sasl_mechanism_step (mech, challenge, &error);
      if (response == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == MISSIVE_ERROR);
          return;
        }
      g_assert_no_error (error);
      if (end == NULL)
        return;
      offset += length + 1;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(MissiveSaslMechanism) mech = NULL;
  const FuzzMechanism *info;
  guint8 config;

  if (size < 1)
    return 0;
  config = data[0];
  data++;
  size--;

  register_plugins ();
  info = &mechanisms[config & 7];
  mech = g_object_new (lookup_mechanism (info->name), NULL);
  if (config & 0x10)
    {
      missive_sasl_mechanism_set_username (mech, "us\xc3\xa9r@example.org");
      missive_sasl_mechanism_set_password (mech, "p\xc3\xa4ss\xe2\x85\xa8word");
      missive_sasl_mechanism_set_authzid (mech, "admin");
    }
  else
    {
      missive_sasl_mechanism_set_username (mech, "user");
      missive_sasl_mechanism_set_password (mech, "pencil");
    }
  missive_sasl_mechanism_set_oauth_token (mech, "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
  missive_sasl_mechanism_set_service_name (mech, "imap");
  missive_sasl_mechanism_set_host (mech, "mail.example.org");

  /* Fixed nonces, so that the fuzzer can reach the later steps. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (mech), "client-nonce") != NULL)
    g_object_set (mech, "client-nonce", "fyko+d2lbbFgONRv9qkxdawL", NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (mech), "client-challenge") != NULL)
    g_object_set (mech, "client-challenge", "aaaaaaaaaaaaaaaa", "timestamp", (gint64) 0, NULL);

  run_exchange (mech, info, (config & 0x08) != 0, data, size);
  if (config & 0x20)
    {
      missive_sasl_mechanism_reset (mech);
      run_exchange (mech, info, (config & 0x08) != 0, data, size);
    }

  return 0;
}
