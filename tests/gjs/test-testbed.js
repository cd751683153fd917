// Missive from GJS against the private Dovecot (testbed port offset 560):
// open, list, select, fetch summaries and a message, close, all in
// async/Promise style on GLib's main loop. Exits 77 (skipped) without root
// or the servers, unless MISSIVE_TESTBED_REQUIRED=1.
imports.gi.versions.Missive = '1.0';
const {GLib, Gio, Missive} = imports.gi;
const System = imports.system;

for (const [klass, names] of [
    [Missive.Service, ['open', 'close']],
    [Missive.Store, ['list_mailboxes', 'select_mailbox', 'fetch_summaries', 'fetch_message']],
]) {
    for (const name of names)
        Gio._promisify(klass.prototype, `${name}_async`, `${name}_finish`);
}

let failures = 0;
let checks = 0;
function check(condition, what) {
    checks++;
    print(`${condition ? 'ok' : 'not ok'} ${checks} - ${what}`);
    if (!condition)
        failures++;
}

const sourceRoot = GLib.getenv('MISSIVE_SOURCE_ROOT') ||
    GLib.path_get_dirname(GLib.path_get_dirname(GLib.path_get_dirname(
        Gio.File.new_for_path(System.programInvocationName).get_path())));
const scripts = GLib.build_filenamev([sourceRoot, 'tests', 'testbed']);

function skipOrFail(why) {
    if (GLib.getenv('MISSIVE_TESTBED_REQUIRED') === '1') {
        printerr(`mail testbed: ${why}`);
        System.exit(1);
    }
    print(`1..0 # SKIP mail testbed: ${why}`);
    System.exit(77);
}

function run(argv, env = {}) {
    const launcher = new Gio.SubprocessLauncher({
        flags: Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_MERGE,
    });
    for (const [key, value] of Object.entries(env))
        launcher.setenv(key, value, true);
    const proc = launcher.spawnv(argv);
    const [, out] = proc.communicate_utf8(null, null);
    if (!proc.get_successful())
        throw new Error(`${argv.join(' ')} failed:\n${out}`);
    return out;
}

function readEnv(path) {
    const [, bytes] = GLib.file_get_contents(path);
    const env = {};
    for (const line of new TextDecoder().decode(bytes).split('\n')) {
        const eq = line.indexOf('=');
        if (line.startsWith('#') || eq <= 0)
            continue;
        let value = line.slice(eq + 1);
        if (value.startsWith("'"))
            value = GLib.shell_unquote(value);
        env[line.slice(0, eq)] = value;
    }
    return env;
}

if (GLib.get_user_name() !== 'root')
    skipOrFail('the mail testbed needs root');
for (const path of ['/usr/sbin/dovecot', '/usr/sbin/postfix']) {
    if (!GLib.file_test(path, GLib.FileTest.IS_EXECUTABLE))
        skipOrFail(`${path} is not installed`);
}

const rundir = GLib.dir_make_tmp('mtb-jsXXXXXX');
let tb = null;

async function roundTrip() {
    const store = Missive.Engine.get_default().create_service(
        `imaps://${tb.TESTBED_USER1}@${tb.TESTBED_HOST}:${tb.TESTBED_IMAPS_PORT}`);
    store.set_password(tb.TESTBED_PASS1);
    store.set_ca_file(tb.TESTBED_CA_FILE);
    check(store instanceof Missive.Store, 'an imaps URI makes a Missive.Store');

    await store.open_async(GLib.PRIORITY_DEFAULT, null);
    check(store.get_state() === Missive.ServiceState.AUTHENTICATED, 'opened and logged in');

    const mailboxes = await store.list_mailboxes_async('*', Missive.ListFlags.STATUS,
        GLib.PRIORITY_DEFAULT, null);
    const names = [];
    for (let i = 0; i < mailboxes.get_n_items(); i++)
        names.push(mailboxes.get_item(i).get_name());
    check(names.includes('INBOX') && names.includes('GjsBox'), `listed ${names.join(', ')}`);

    const info = await store.select_mailbox_async('GjsBox', true, GLib.PRIORITY_DEFAULT, null);
    check(info.get_messages() === 3, 'GjsBox has the 3 messages populate.sh put there');

    const summaries = await store.fetch_summaries_async(Missive.MessageSet.new_from_string('1:*'),
        Missive.FetchItems.SUMMARY, 0, GLib.PRIORITY_DEFAULT, null);
    check(summaries.get_n_items() === 3, 'three summaries');
    const first = summaries.get_item(0);
    check(first.get_uid() === 1 && first.get_size() > 0 && first.get_subject() !== null,
        `the first summary: UID ${first.get_uid()}, ${first.get_size()} bytes`);

    const sink = Gio.MemoryOutputStream.new_resizable();
    await store.fetch_message_async(first.get_uid(), sink, GLib.PRIORITY_DEFAULT, null);
    sink.close(null);
    const text = new TextDecoder().decode(sink.steal_as_bytes().toArray());
    check(text.length === first.get_size(), 'the fetched message has the summary\'s size');
    check(/^Message-ID: /m.test(text), 'the fetched message has its header');

    try {
        await store.select_mailbox_async('NoSuchBox', true, GLib.PRIORITY_DEFAULT, null);
        check(false, 'selecting a missing mailbox rejects');
    } catch (e) {
        check(e.matches(Missive.error_quark(), Missive.Error.SERVER_NO),
            'selecting a missing mailbox rejects with SERVER_NO');
    }

    await store.close_async(GLib.PRIORITY_DEFAULT, null);
    check(true, 'closed');
}

const loop = new GLib.MainLoop(null, false);
let exitCode = 0;
try {
    run(['bash', `${scripts}/start.sh`, rundir], {TESTBED_PORT_OFFSET: '560'});
    tb = readEnv(`${rundir}/testbed.env`);
    run(['bash', `${scripts}/populate.sh`, rundir, '3', '1024', 'user1', 'GjsBox']);
    roundTrip().catch(e => {
        check(false, `round trip: ${e.message}`);
    }).finally(() => loop.quit());
    loop.run();
} catch (e) {
    check(false, e.message);
} finally {
    try {
        run(['bash', `${scripts}/stop.sh`, rundir, '--purge']);
    } catch (e) {
        printerr(e.message);
    }
}
print(`1..${checks}`);
if (failures > 0)
    exitCode = 1;
System.exit(exitCode);
