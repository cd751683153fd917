// node_peer.mjs: Node peers for bench/run: imapflow (IMAP) and nodemailer (SMTP).
//
//   node node_peer.mjs imap-bulk    HOST PORT USER PASS MAILBOX [--tls CAFILE]
//   node node_peer.mjs imap-summary HOST PORT USER PASS MAILBOX [--tls CAFILE]
//   node node_peer.mjs smtp         HOST PORT FILE COUNT
//
// Prints "transfer_s=SECONDS bytes=N items=N"; the time starts after login.
// COMPRESS=DEFLATE is turned off, as for every other client.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));

const now = () => Number(process.hrtime.bigint()) / 1e9;

function report(start, bytes, items) {
  console.log(`transfer_s=${(now() - start).toFixed(6)} bytes=${bytes} items=${items}`);
}

async function imap(kind, host, port, user, pass, mailbox, tls) {
  const { ImapFlow } = require('imapflow');
  const client = new ImapFlow({
    host, port: Number(port), secure: Boolean(tls),
    tls: tls ? { ca: readFileSync(tls) } : undefined,
    auth: { user, pass }, logger: false, disableCompression: true, doSTARTTLS: false,
  });
  await client.connect();
  const start = now();
  const lock = await client.getMailboxLock(mailbox, { readOnly: true });
  let bytes = 0;
  let items = 0;
  try {
    const query = kind === 'imap-bulk'
      ? { uid: true, source: true }
      : { uid: true, flags: true, size: true, internalDate: true, envelope: true, bodyStructure: true };
    for await (const msg of client.fetch('1:*', query, { uid: true })) {
      items++;
      if (kind === 'imap-bulk') bytes += msg.source.length;
      else bytes += msg.size + (msg.envelope.subject || '').length;
    }
  } finally {
    lock.release();
  }
  report(start, bytes, items);
  await client.logout();
}

async function smtp(host, port, file, count) {
  const nodemailer = require('nodemailer');
  const raw = readFileSync(file);
  const transport = nodemailer.createTransport({
    host, port: Number(port), secure: false, ignoreTLS: true, pool: true, maxConnections: 1,
    maxMessages: Infinity,
  });
  // The first message opens the connection; the clock starts after it.
  const envelope = { from: 'bench@example.org', to: ['sink@example.org'] };
  await transport.sendMail({ envelope, raw });
  const start = now();
  for (let i = 1; i < Number(count); i++) await transport.sendMail({ envelope, raw });
  report(start, raw.length * (Number(count) - 1), Number(count) - 1);
  transport.close();
}

const args = process.argv.slice(2);
let tls = null;
const t = args.indexOf('--tls');
if (t >= 0) { tls = args[t + 1]; args.splice(t, 2); }
const [kind, ...rest] = args;
try {
  if (kind === 'imap-bulk' || kind === 'imap-summary') await imap(kind, ...rest.slice(0, 5), tls);
  else if (kind === 'smtp') await smtp(...rest.slice(0, 4));
  else throw new Error(`unknown workload ${kind}`);
} catch (e) {
  console.error(`node_peer: ${e.stack || e}`);
  process.exit(1);
}
