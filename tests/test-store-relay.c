/* test-store-relay.c: one port in front of several scripted fake servers
 *
 * A thread accepts; each accepted connection gets a connection to its
 * server and two threads copying bytes, one per direction, with blocking
 * I/O. When either side ends (or fails), both sockets are shut down, so
 * that a server closing its end looks to the client like a dropped
 * connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "test-store-relay.h"

typedef struct
{
  GSocket *from;
  GSocket *to;
} Pipe;

typedef struct
{
  GSocket *client;
  GSocket *server;
  GThread *up;
  GThread *down;
  Pipe up_pipe;
  Pipe down_pipe;
} Link;

struct _MissiveTestRelay
{
  MissiveTestServer **servers;
  guint n_servers;
  GSocket *listener;
  guint16 port;
  GCancellable *cancellable;
  GThread *thread;

  GMutex mutex;
  GPtrArray *links;   /* of Link *, under @mutex */
  guint n_accepted;
};

static gpointer
pipe_run (gpointer data)
{
  Pipe *pipe = data;
  char buffer[16384];

  for (;;)
    {
      gssize n = g_socket_receive (pipe->from, buffer, sizeof buffer, NULL, NULL);
      gssize done = 0;

      if (n <= 0)
        break;
      while (done < n)
        {
          gssize w = g_socket_send (pipe->to, buffer + done, n - done, NULL, NULL);

          if (w <= 0)
            goto out;
          done += w;
        }
    }
out:
  g_socket_shutdown (pipe->from, TRUE, TRUE, NULL);
  g_socket_shutdown (pipe->to, TRUE, TRUE, NULL);
  return NULL;
}

static GSocket *
connect_to (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  if (!g_socket_connect (socket, address, NULL, &error))
    {
      g_test_message ("relay: cannot reach the fake server: %s", error->message);
      g_object_unref (socket);
      return NULL;
    }
  g_socket_set_timeout (socket, 60);
  return socket;
}

static gpointer
relay_run (gpointer data)
{
  MissiveTestRelay *relay = data;

  for (;;)
    {
      GSocket *client = g_socket_accept (relay->listener, relay->cancellable, NULL);
      GSocket *server = NULL;
      Link *link;
      guint index;

      if (client == NULL)
        break;
      g_socket_set_timeout (client, 60);
      g_mutex_lock (&relay->mutex);
      index = relay->n_accepted++;
      g_mutex_unlock (&relay->mutex);
      if (index < relay->n_servers)
        server = connect_to (missive_test_server_get_port (relay->servers[index]));
      if (server == NULL)
        {
          g_socket_close (client, NULL);
          g_object_unref (client);
          continue;
        }
      link = g_new0 (Link, 1);
      link->client = client;
      link->server = server;
      link->up_pipe.from = client;
      link->up_pipe.to = server;
      link->down_pipe.from = server;
      link->down_pipe.to = client;
      link->up = g_thread_new ("relay-up", pipe_run, &link->up_pipe);
      link->down = g_thread_new ("relay-down", pipe_run, &link->down_pipe);
      g_mutex_lock (&relay->mutex);
      g_ptr_array_add (relay->links, link);
      g_mutex_unlock (&relay->mutex);
    }
  return NULL;
}

MissiveTestRelay *
missive_test_relay_new (MissiveTestServer **servers,
                        guint               n_servers)
{
  MissiveTestRelay *relay = g_new0 (MissiveTestRelay, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  relay->servers = servers;
  relay->n_servers = n_servers;
  relay->links = g_ptr_array_new ();
  relay->cancellable = g_cancellable_new ();
  g_mutex_init (&relay->mutex);
  relay->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (relay->listener, any_port, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (relay->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (relay->listener, &error);
  g_assert_no_error (error);
  relay->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  relay->thread = g_thread_new ("relay", relay_run, relay);
  return relay;
}

guint16
missive_test_relay_get_port (MissiveTestRelay *relay)
{
  return relay->port;
}

guint
missive_test_relay_get_n_accepted (MissiveTestRelay *relay)
{
  guint n;

  g_mutex_lock (&relay->mutex);
  n = relay->n_accepted;
  g_mutex_unlock (&relay->mutex);
  return n;
}

void
missive_test_relay_free (MissiveTestRelay *relay)
{
  g_cancellable_cancel (relay->cancellable);
  g_thread_join (relay->thread);
  for (guint i = 0; i < relay->links->len; i++)
    {
      Link *link = g_ptr_array_index (relay->links, i);

      g_socket_shutdown (link->client, TRUE, TRUE, NULL);
      g_socket_shutdown (link->server, TRUE, TRUE, NULL);
      g_thread_join (link->up);
      g_thread_join (link->down);
      g_socket_close (link->client, NULL);
      g_socket_close (link->server, NULL);
      g_object_unref (link->client);
      g_object_unref (link->server);
      g_free (link);
    }
  g_ptr_array_unref (relay->links);
  g_socket_close (relay->listener, NULL);
  g_object_unref (relay->listener);
  g_object_unref (relay->cancellable);
  g_mutex_clear (&relay->mutex);
  g_free (relay);
}
