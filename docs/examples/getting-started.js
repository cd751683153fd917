// getting-started.js: send a message over SMTP submission, find it over
// IMAP, retrieve it over POP3, with Missive from GJS in async/Promise style.
//
// Settings come from the same environment variables as getting-started.c:
// MISSIVE_EXAMPLE_USER, MISSIVE_EXAMPLE_PASSWORD, MISSIVE_EXAMPLE_ADDRESS,
// MISSIVE_EXAMPLE_HOST and, optionally, MISSIVE_EXAMPLE_SUBMISSION_PORT,
// MISSIVE_EXAMPLE_IMAPS_PORT, MISSIVE_EXAMPLE_POP3S_PORT and
// MISSIVE_EXAMPLE_CA_FILE.
//
// No GMime object is handled here: with GMime 3.2's typelib (Debian 12),
// GJS cannot wrap GMime.Message. The message is written as text and sent
// with an explicit envelope, and fetched as bytes and as a
// Missive.MessageInfo summary.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.Missive = '1.0';
const {GLib, Gio, Missive} = imports.gi;
const System = imports.system;

// Each _async/_finish pair becomes a method that returns a Promise when
// it is called without a callback.
for (const [klass, names] of [
    [Missive.Service, ['open', 'close']],
    [Missive.Sender, ['send_stream']],
    [Missive.Store, ['list_mailboxes', 'select_mailbox', 'search', 'fetch_summaries',
        'fetch_message']],
]) {
    for (const name of names)
        Gio._promisify(klass.prototype, `${name}_async`, `${name}_finish`);
}

function setting(name, fallback = null) {
    return GLib.getenv(name) || fallback;
}

function sleep(milliseconds) {
    return new Promise(resolve => GLib.timeout_add(GLib.PRIORITY_DEFAULT, milliseconds, () => {
        resolve();
        return GLib.SOURCE_REMOVE;
    }));
}

// A service for scheme on the configured host, with the credentials.
// Nothing is sent until it is opened.
function makeService(scheme, portSetting, defaultPort) {
    const host = setting('MISSIVE_EXAMPLE_HOST', 'localhost');
    const port = setting(portSetting, defaultPort);
    const service = Missive.Engine.get_default().create_service(`${scheme}://${host}:${port}`);
    service.set_username(GLib.getenv('MISSIVE_EXAMPLE_USER'));
    service.set_password(GLib.getenv('MISSIVE_EXAMPLE_PASSWORD'));
    if (setting('MISSIVE_EXAMPLE_CA_FILE'))
        service.set_ca_file(setting('MISSIVE_EXAMPLE_CA_FILE'));
    return service;
}

async function sendHello(subject) {
    const address = setting('MISSIVE_EXAMPLE_ADDRESS', GLib.getenv('MISSIVE_EXAMPLE_USER'));
    const text = [
        `From: Missive Example <${address}>`,
        `To: ${address}`,
        `Subject: ${subject}`,
        `Date: ${new Date().toUTCString()}`,
        `Message-ID: <${GLib.uuid_string_random()}@missive.example>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello from GJS.',
        '',
    ].join('\r\n');
    const bytes = new GLib.Bytes(new TextEncoder().encode(text));
    const envelope = Missive.Envelope.new(address);
    envelope.add_recipient(address, Missive.RecipientKind.TO);

    const sender = makeService('submission', 'MISSIVE_EXAMPLE_SUBMISSION_PORT', '587');
    await sender.open_async(GLib.PRIORITY_DEFAULT, null);
    const result = await sender.send_stream_async(Gio.MemoryInputStream.new_from_bytes(bytes),
        bytes.get_size(), envelope, null, GLib.PRIORITY_DEFAULT, null);
    print(`sent: ${result.get_n_accepted()} recipient(s) accepted`);
    await sender.close_async(GLib.PRIORITY_DEFAULT, null);
}

// The summary of one message (its subject) and the message itself, as bytes.
async function fetchOne(store, id, items) {
    const summaries = await store.fetch_summaries_async(Missive.MessageSet.new_single(id),
        items, 0, GLib.PRIORITY_DEFAULT, null);
    const sink = Gio.MemoryOutputStream.new_resizable();
    await store.fetch_message_async(id, sink, GLib.PRIORITY_DEFAULT, null);
    sink.close(null);
    return [summaries.get_item(0), sink.steal_as_bytes()];
}

async function readOverImap(subject) {
    const store = makeService('imaps', 'MISSIVE_EXAMPLE_IMAPS_PORT', '993');
    await store.open_async(GLib.PRIORITY_DEFAULT, null);
    const mailboxes = await store.list_mailboxes_async(null, Missive.ListFlags.NONE,
        GLib.PRIORITY_DEFAULT, null);
    for (let i = 0; i < mailboxes.get_n_items(); i++)
        print(`mailbox: ${mailboxes.get_item(i).get_name()}`);

    const query = Missive.SearchQuery.new();
    query.add_text(Missive.SearchField.SUBJECT, subject);
    // Delivery takes a moment: select again (to see new mail) and search,
    // for up to 30 seconds. An application would rather wait with IDLE.
    let uid = 0;
    for (let attempt = 0; attempt < 150 && uid === 0; attempt++) {
        await store.select_mailbox_async('INBOX', true, GLib.PRIORITY_DEFAULT, null);
        const found = await store.search_async(query, GLib.PRIORITY_DEFAULT, null);
        if (!found.is_empty())
            uid = found.get_max();
        else
            await sleep(200);
    }
    if (uid === 0)
        throw new Error('the message did not arrive in INBOX');

    const [info, bytes] = await fetchOne(store, uid, Missive.FetchItems.ENVELOPE);
    print(`imap: UID ${uid}, "${info.get_subject()}"`);
    print(`imap: ${bytes.get_size()} bytes`);
    await store.close_async(GLib.PRIORITY_DEFAULT, null);
}

async function retrieveOverPop3() {
    const store = makeService('pop3s', 'MISSIVE_EXAMPLE_POP3S_PORT', '995');
    await store.open_async(GLib.PRIORITY_DEFAULT, null);
    // POP3 has one mailbox; message numbers run from 1 to the count.
    const maildrop = await store.select_mailbox_async('INBOX', true, GLib.PRIORITY_DEFAULT, null);
    const count = maildrop.get_messages();
    if (count === 0)
        throw new Error('the maildrop is empty');
    // HEADERS: the header block (TOP n 0), from which the subject is read.
    const [info, bytes] = await fetchOne(store, count, Missive.FetchItems.HEADERS);
    print(`pop3: ${count} message(s), newest "${info.get_subject()}"`);
    print(`pop3: ${bytes.get_size()} bytes`);
    await store.close_async(GLib.PRIORITY_DEFAULT, null);
}

if (!GLib.getenv('MISSIVE_EXAMPLE_USER') || !GLib.getenv('MISSIVE_EXAMPLE_PASSWORD')) {
    printerr('Set MISSIVE_EXAMPLE_USER and MISSIVE_EXAMPLE_PASSWORD.');
    System.exit(2);
}

const loop = new GLib.MainLoop(null, false);
let status = 0;
const subject = `Getting started in GJS, ${GLib.get_real_time()}`;
sendHello(subject)
    .then(() => readOverImap(subject))
    .then(() => retrieveOverPop3())
    .catch(error => {
        printerr(`getting-started: ${error.message}`);
        status = 1;
    })
    .finally(() => loop.quit());
loop.run();
System.exit(status);
