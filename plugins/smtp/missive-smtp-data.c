/* missive-smtp-data.c: the GConverter that turns message bytes into SMTP
 * DATA (no I/O)
 *
 * The message is streamed through it (a GConverterInputStream), so it is
 * never held in memory whole. The converter keeps no input: every byte
 * taken is given out at once, or kept in a few bytes of pending output when
 * the caller's buffer is full.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smtp-data.h"

struct _MissiveSmtpData
{
  GObject parent_instance;

  MissiveSmtpDataFlags flags;
  gboolean line_start;     /* the next input byte starts a line */
  gboolean prev_cr;        /* the last input byte was a CR (CRLF given out) */
  gboolean tail_done;      /* the end (CRLF, ".") was queued */
  guint8 pending[8];       /* output that did not fit */
  gsize pending_start, pending_end;
  guint64 bytes_in, bytes_out;
  guint64 stuffed;         /* dots added by dot-stuffing */
  guint terminator;        /* length of the final "." line given */
};

static void missive_smtp_data_converter_init (GConverterIface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSmtpData, missive_smtp_data, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (G_TYPE_CONVERTER,
                                                               missive_smtp_data_converter_init))

typedef struct
{
  guint8 *out;
  gsize size;
  gsize done;
} Output;

/* Gives out @n bytes: into the caller's buffer while it has room, the rest
 * into the pending bytes. */
static void
emit (MissiveSmtpData *self,
      Output          *o,
      const char      *bytes,
      gsize            n)
{
  gsize fit = MIN (n, o->size - o->done);

  memcpy (o->out + o->done, bytes, fit);
  o->done += fit;
  g_assert (self->pending_end + (n - fit) <= sizeof self->pending);
  memcpy (self->pending + self->pending_end, bytes + fit, n - fit);
  self->pending_end += n - fit;
}

static void
flush_pending (MissiveSmtpData *self,
               Output          *o)
{
  gsize n = MIN (self->pending_end - self->pending_start, o->size - o->done);

  memcpy (o->out + o->done, self->pending + self->pending_start, n);
  o->done += n;
  self->pending_start += n;
  if (self->pending_start == self->pending_end)
    self->pending_start = self->pending_end = 0;
}

static gboolean
has_pending (MissiveSmtpData *self)
{
  return self->pending_end > self->pending_start;
}

static GConverterResult
missive_smtp_data_convert (GConverter       *converter,
                           const void       *inbuf,
                           gsize             inbuf_size,
                           void             *outbuf,
                           gsize             outbuf_size,
                           GConverterFlags   flags,
                           gsize            *bytes_read,
                           gsize            *bytes_written,
                           GError          **error)
{
  MissiveSmtpData *self = MISSIVE_SMTP_DATA (converter);
  const guint8 *in = inbuf;
  gboolean normalize = (self->flags & MISSIVE_SMTP_DATA_NORMALIZE) != 0;
  gboolean stuff = (self->flags & MISSIVE_SMTP_DATA_DOT_STUFF) != 0;
  Output o = { outbuf, outbuf_size, 0 };
  gsize i = 0;

  if (outbuf_size == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No room for output");
      return G_CONVERTER_ERROR;
    }

  flush_pending (self, &o);

  while (!has_pending (self) && i < inbuf_size && o.done < o.size)
    {
      guint8 c = in[i];
      gsize j;

      if (normalize)
        {
          if (self->prev_cr)
            {
              self->prev_cr = FALSE;
              if (c == '\n')
                {
                  /* The LF of a CRLF: already given out. */
                  i++;
                  continue;
                }
            }
          if (c == '\r' || c == '\n')
            {
              emit (self, &o, "\r\n", 2);
              self->prev_cr = c == '\r';
              self->line_start = TRUE;
              i++;
              continue;
            }
        }
      else if (c == '\n')
        {
          emit (self, &o, "\n", 1);
          self->line_start = TRUE;
          i++;
          continue;
        }

      if (self->line_start && c == '.' && stuff)
        {
          emit (self, &o, "..", 2);
          self->stuffed++;
          self->line_start = FALSE;
          i++;
          continue;
        }

      /* A run of ordinary bytes. */
      for (j = i; j < inbuf_size && j - i < o.size - o.done; j++)
        if (in[j] == '\n' || (normalize && in[j] == '\r'))
          break;
      memcpy (o.out + o.done, in + i, j - i);
      o.done += j - i;
      i = j;
      self->line_start = FALSE;
    }

  self->bytes_in += i;

  if (i == inbuf_size && !has_pending (self) && (flags & G_CONVERTER_INPUT_AT_END))
    {
      if (!self->tail_done)
        {
          self->tail_done = TRUE;
          if ((normalize || (self->flags & MISSIVE_SMTP_DATA_TERMINATE)) &&
              self->bytes_in > 0 && !self->line_start)
            emit (self, &o, "\r\n", 2);
          if (self->flags & MISSIVE_SMTP_DATA_TERMINATE)
            {
              emit (self, &o, ".\r\n", 3);
              self->terminator = 3;
            }
        }
      if (!has_pending (self))
        {
          self->bytes_out += o.done;
          *bytes_read = i;
          *bytes_written = o.done;
          return G_CONVERTER_FINISHED;
        }
    }

  self->bytes_out += o.done;
  *bytes_read = i;
  *bytes_written = o.done;

  if (i == 0 && o.done == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
      return G_CONVERTER_ERROR;
    }
  if ((flags & G_CONVERTER_FLUSH) && i == inbuf_size && !has_pending (self))
    return G_CONVERTER_FLUSHED;
  return G_CONVERTER_CONVERTED;
}

static void
missive_smtp_data_reset (GConverter *converter)
{
  MissiveSmtpData *self = MISSIVE_SMTP_DATA (converter);

  self->line_start = TRUE;
  self->prev_cr = FALSE;
  self->tail_done = FALSE;
  self->pending_start = self->pending_end = 0;
  self->bytes_in = self->bytes_out = 0;
  self->stuffed = 0;
  self->terminator = 0;
}

static void
missive_smtp_data_converter_init (GConverterIface *iface)
{
  iface->convert = missive_smtp_data_convert;
  iface->reset = missive_smtp_data_reset;
}

static void
missive_smtp_data_class_init (MissiveSmtpDataClass *klass)
{
}

static void
missive_smtp_data_class_finalize (MissiveSmtpDataClass *klass)
{
}

static void
missive_smtp_data_init (MissiveSmtpData *self)
{
  self->line_start = TRUE;
}

void
missive_smtp_data_register (GTypeModule *module)
{
  missive_smtp_data_register_type (module);
}

MissiveSmtpData *
missive_smtp_data_new (MissiveSmtpDataFlags flags)
{
  MissiveSmtpData *self = g_object_new (MISSIVE_SMTP_TYPE_DATA, NULL);

  self->flags = flags;
  return self;
}

guint64
missive_smtp_data_get_bytes_in (MissiveSmtpData *self)
{
  return self->bytes_in;
}

guint64
missive_smtp_data_get_bytes_out (MissiveSmtpData *self)
{
  return self->bytes_out;
}

gboolean
missive_smtp_data_is_finished (MissiveSmtpData *self)
{
  return self->tail_done && !has_pending (self);
}

guint64
missive_smtp_data_get_message_bytes (MissiveSmtpData *self)
{
  g_return_val_if_fail (missive_smtp_data_is_finished (self), 0);

  return self->bytes_out - self->stuffed - self->terminator;
}
