/* test-fake-sender.h: a MissiveSender that sends nowhere, for the outbox and
 * sender pool tests (and the outbox crash child)
 *
 * Header-only: each test is one translation unit and includes it once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* ---- a transport that can be opened again and again ---------------------- */

#define FAKE_TYPE_TRANSPORT (fake_transport_get_type ())
G_DECLARE_FINAL_TYPE (FakeTransport, fake_transport, FAKE, TRANSPORT, GObject)

/* What every fake connection did, for the assertions. */
typedef struct
{
  guint n_open;          /* transports open right now */
  guint max_open;        /* the most ever open at once */
  guint n_opened;        /* opens in all */
} FakeCounters;

static FakeCounters fake_counters;

struct _FakeTransport
{
  GObject parent_instance;
  GIOStream *stream;
};

static void fake_transport_iface_init (MissiveTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeTransport, fake_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MISSIVE_TYPE_TRANSPORT,
                                                      fake_transport_iface_init))

static void
fake_transport_finalize (GObject *object)
{
  FakeTransport *self = FAKE_TRANSPORT (object);

  if (self->stream != NULL)
    fake_counters.n_open--;
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (fake_transport_parent_class)->finalize (object);
}

static void
fake_transport_class_init (FakeTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_transport_finalize;
}

static void
fake_transport_init (FakeTransport *self)
{
}

static void
fake_transport_open_async (MissiveTransport    *transport,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  FakeTransport *self = FAKE_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GInputStream) input = g_memory_input_stream_new ();
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

  if (g_task_return_error_if_cancelled (task))
    return;
  g_assert_null (self->stream);
  self->stream = g_simple_io_stream_new (input, output);
  fake_counters.n_open++;
  fake_counters.n_opened++;
  fake_counters.max_open = MAX (fake_counters.max_open, fake_counters.n_open);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fake_transport_bool_finish (MissiveTransport  *transport,
                            GAsyncResult      *result,
                            GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GIOStream *
fake_transport_get_stream (MissiveTransport *transport)
{
  return FAKE_TRANSPORT (transport)->stream;
}

static GTlsConnection *
fake_transport_get_tls_connection (MissiveTransport *transport)
{
  return NULL;
}

static void
fake_transport_start_tls_async (MissiveTransport    *transport,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_task_report_new_error (transport, callback, user_data, fake_transport_start_tls_async,
                           MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED, "No TLS here");
}

static void
fake_transport_close_async (MissiveTransport    *transport,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  FakeTransport *self = FAKE_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  if (self->stream != NULL)
    fake_counters.n_open--;
  g_clear_object (&self->stream);
  g_task_return_boolean (task, TRUE);
}

static void
fake_transport_iface_init (MissiveTransportInterface *iface)
{
  iface->open_async = fake_transport_open_async;
  iface->open_finish = fake_transport_bool_finish;
  iface->get_stream = fake_transport_get_stream;
  iface->get_tls_connection = fake_transport_get_tls_connection;
  iface->start_tls_async = fake_transport_start_tls_async;
  iface->start_tls_finish = fake_transport_bool_finish;
  iface->close_async = fake_transport_close_async;
  iface->close_finish = fake_transport_bool_finish;
}

/* ---- the sender ----------------------------------------------------------- */

#define FAKE_TYPE_SENDER (fake_sender_get_type ())
G_DECLARE_FINAL_TYPE (FakeSender, fake_sender, FAKE, SENDER, MissiveSender)

/* How a send ends. */
typedef enum {
  FAKE_ACCEPT,
  FAKE_FAIL,              /* with the error, the connection stays */
  FAKE_FAIL_DISCONNECT,   /* with the error, after closing the connection (421) */
} FakeOutcome;

/* Decides the fate of one message, given its bytes; sets *error for the
 * failures. Called once per send, in order. */
typedef FakeOutcome (*FakeDecideFunc) (FakeSender   *sender,
                                       const char   *data,
                                       gsize         length,
                                       GError      **error,
                                       gpointer      user_data);

typedef struct
{
  FakeDecideFunc decide;
  gpointer decide_data;
  /* The reply comes after this many milliseconds (random up to it when
   * random_delay is set). */
  guint delay_ms;
  gboolean random_delay;
  /* When set, the message is decided on (accepted) only after a random
   * time up to this, as if its data were still being transmitted. */
  guint decide_delay_ms;
  guint n_sends;         /* sends started, all senders */
} FakeScript;

static FakeScript fake_script;

struct _FakeSender
{
  MissiveSender parent_instance;
  guint n_sends;         /* sends on this sender */
  GPtrArray *messages;   /* GBytes of each message it received */
};

G_DEFINE_FINAL_TYPE (FakeSender, fake_sender, MISSIVE_TYPE_SENDER)

typedef struct
{
  GTask *task;
  FakeOutcome outcome;
  GError *error;
  MissiveSendResult *result;
  MissiveEnvelope *envelope;
  GBytes *data;
} FakeReply;

static void
fake_reply_return (FakeReply *reply)
{
  if (reply->outcome == FAKE_ACCEPT)
    g_task_return_pointer (reply->task, g_steal_pointer (&reply->result), g_object_unref);
  else
    g_task_return_error (reply->task, g_steal_pointer (&reply->error));
  g_object_unref (reply->task);
  g_clear_object (&reply->result);
  g_clear_object (&reply->envelope);
  g_clear_pointer (&reply->data, g_bytes_unref);
  g_free (reply);
}

static void
fake_sender_closed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  missive_service_close_finish (MISSIVE_SERVICE (source), result, NULL);
  fake_reply_return (user_data);
}

static gboolean
fake_sender_reply (gpointer user_data)
{
  FakeReply *reply = user_data;
  MissiveSender *self = g_task_get_source_object (reply->task);

  if (reply->outcome == FAKE_FAIL_DISCONNECT)
    missive_service_close_async (MISSIVE_SERVICE (self), G_PRIORITY_DEFAULT, NULL,
                                 fake_sender_closed_cb, reply);
  else
    fake_reply_return (reply);
  return G_SOURCE_REMOVE;
}

static void
fake_schedule (GSourceFunc func,
               guint       delay,
               gboolean    random,
               gpointer    data)
{
  GSource *source;

  if (random && delay > 0)
    delay = g_random_int_range (0, (gint32) delay + 1);
  source = g_timeout_source_new (delay);
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static gboolean
fake_sender_decide (gpointer user_data)
{
  FakeReply *reply = user_data;
  FakeSender *self = g_task_get_source_object (reply->task);

  reply->outcome = FAKE_ACCEPT;
  if (fake_script.decide != NULL)
    reply->outcome = fake_script.decide (self, g_bytes_get_data (reply->data, NULL),
                                         g_bytes_get_size (reply->data),
                                         &reply->error, fake_script.decide_data);
  if (reply->outcome == FAKE_ACCEPT)
    {
      guint n_recipients = missive_envelope_get_n_recipients (reply->envelope);

      reply->result = missive_send_result_new ();
      for (guint i = 0; i < n_recipients; i++)
        {
          const char *address = missive_envelope_get_recipient (reply->envelope, i, NULL);
          g_autoptr(MissiveRecipientResult) recipient =
            missive_recipient_result_new (address, 250, "2.1.5", "OK");

          missive_send_result_add_recipient (reply->result, recipient);
        }
      missive_send_result_set_size (reply->result, g_bytes_get_size (reply->data));
    }
  else
    g_assert_nonnull (reply->error);

  fake_schedule (fake_sender_reply, fake_script.delay_ms, fake_script.random_delay, reply);
  return G_SOURCE_REMOVE;
}

static void
fake_sender_send_async (MissiveSender       *sender,
                        MissiveEnvelope     *envelope,
                        GInputStream        *data,
                        gint64               size,
                        MissiveSendOptions  *options,
                        int                  io_priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  FakeSender *self = FAKE_SENDER (sender);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  FakeReply *reply = g_new0 (FakeReply, 1);
  GError *error = NULL;
  guint8 buffer[8192];
  gssize n;

  reply->task = g_task_new (self, cancellable, callback, user_data);
  reply->envelope = g_object_ref (envelope);
  while ((n = g_input_stream_read (data, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (bytes, buffer, n);
  g_assert_no_error (error);
  g_assert_cmpint (size, ==, size < 0 ? size : (gint64) bytes->len);
  reply->data = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));

  self->n_sends++;
  fake_script.n_sends++;
  g_ptr_array_add (self->messages, g_bytes_ref (reply->data));

  if (fake_script.decide_delay_ms > 0)
    fake_schedule (fake_sender_decide, fake_script.decide_delay_ms, TRUE, reply);
  else
    fake_sender_decide (reply);
}

static MissiveSendResult *
fake_sender_send_finish (MissiveSender  *sender,
                         GAsyncResult   *result,
                         GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_sender_finalize (GObject *object)
{
  FakeSender *self = FAKE_SENDER (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  G_OBJECT_CLASS (fake_sender_parent_class)->finalize (object);
}

static void
fake_sender_class_init (FakeSenderClass *klass)
{
  MissiveSenderClass *sender_class = MISSIVE_SENDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fake_sender_finalize;
  sender_class->send_async = fake_sender_send_async;
  sender_class->send_finish = fake_sender_send_finish;
}

static void
fake_sender_init (FakeSender *self)
{
  g_autoptr(FakeTransport) transport = g_object_new (FAKE_TYPE_TRANSPORT, NULL);

  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  missive_service_set_security (MISSIVE_SERVICE (self), MISSIVE_SECURITY_NONE);
  missive_service_set_transport (MISSIVE_SERVICE (self), MISSIVE_TRANSPORT (transport));
}

static inline FakeSender *
fake_sender_new (void)
{
  return g_object_new (FAKE_TYPE_SENDER, "scheme", "fake", "host", "fake.invalid", NULL);
}

static inline void
fake_reset (void)
{
  memset (&fake_counters, 0, sizeof fake_counters);
  memset (&fake_script, 0, sizeof fake_script);
}

G_END_DECLS
