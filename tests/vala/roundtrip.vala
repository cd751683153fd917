/* roundtrip.vala: Missive from Vala, compiled against missive-1.0.vapi.
 *
 * Starts the private Dovecot + Postfix (tests/testbed, port offset 580),
 * sends a message built with Missive.MessageBuilder through submission,
 * finds it over IMAP and fetches it, then stops the servers. Prints TAP;
 * exits 77 (skipped) without root or the servers, unless
 * MISSIVE_TESTBED_REQUIRED=1.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

int checks = 0;
int failures = 0;

void check (bool condition, string what) {
    checks++;
    print ("%s %d - %s\n", condition ? "ok" : "not ok", checks, what);
    if (!condition)
        failures++;
}

string run_script (string[] argv, string? offset) throws Error {
    var launcher = new SubprocessLauncher (SubprocessFlags.STDOUT_PIPE | SubprocessFlags.STDERR_MERGE);
    if (offset != null)
        launcher.setenv ("TESTBED_PORT_OFFSET", offset, true);
    var proc = launcher.spawnv (argv);
    string output;
    proc.communicate_utf8 (null, null, out output, null);
    if (!proc.get_successful ())
        throw new IOError.FAILED ("%s failed:\n%s", string.joinv (" ", argv), output);
    return output;
}

HashTable<string, string> read_env (string path) throws Error {
    string contents;
    FileUtils.get_contents (path, out contents);
    var env = new HashTable<string, string> (str_hash, str_equal);
    foreach (var line in contents.split ("\n")) {
        var eq = line.index_of_char ('=');
        if (line.has_prefix ("#") || eq <= 0)
            continue;
        var value = line.substring (eq + 1);
        if (value.has_prefix ("'"))
            value = Shell.unquote (value);
        env.insert (line.substring (0, eq), value);
    }
    return env;
}

void round_trip (HashTable<string, string> tb) throws Error {
    var engine = Missive.Engine.get_default ();
    var subject = "vala %d-%lld".printf ((int) Posix.getpid (), get_real_time ());

    var builder = new Missive.MessageBuilder ();
    builder.set_from ("User One", "user1@localhost");
    builder.add_to (null, "user1@localhost");
    builder.set_subject (subject);
    builder.set_text_body ("Sent from Vala.\n");
    GMime.Message message = builder.build ();

    var sender = engine.create_service ("submission://%s@%s:%s".printf (tb["TESTBED_USER1"],
        tb["TESTBED_HOST"], tb["TESTBED_SUBMISSION_PORT"])) as Missive.Sender;
    check (sender != null, "a submission URI makes a Missive.Sender");
    sender.set_password (tb["TESTBED_PASS1"]);
    sender.set_ca_file (tb["TESTBED_CA_FILE"]);
    sender.open ();
    var result = sender.send_message (message, null, null);
    check (result.get_n_accepted () == 1, "submission accepted the recipient");
    sender.close ();

    var store = engine.create_service ("imaps://%s@%s:%s".printf (tb["TESTBED_USER1"],
        tb["TESTBED_HOST"], tb["TESTBED_IMAPS_PORT"])) as Missive.Store;
    check (store != null, "an imaps URI makes a Missive.Store");
    store.set_password (tb["TESTBED_PASS1"]);
    store.set_ca_file (tb["TESTBED_CA_FILE"]);
    store.open ();

    var query = new Missive.SearchQuery ();
    query.add_text (Missive.SearchField.SUBJECT, subject);
    uint32 uid = 0;
    /* Postfix hands the message to Dovecot over LMTP: poll for it. */
    for (int i = 0; i < 150 && uid == 0; i++) {
        store.select_mailbox ("INBOX", true);
        var found = store.search (query);
        var uids = found != null ? found.to_array () : null;
        if (uids != null && uids.length > 0)
            uid = uids[uids.length - 1];
        else
            Thread.usleep (200000);
    }
    check (uid != 0, "the message arrived in INBOX");
    if (uid == 0)
        return;

    var sink = new MemoryOutputStream.resizable ();
    store.fetch_message (uid, sink);
    sink.close ();
    var text = (string) sink.steal_as_bytes ().get_data ();
    check (text.contains ("Subject: " + subject), "the fetched message has the subject");
    check (text.contains ("Sent from Vala."), "the fetched message has the body");
    store.close ();
}

int main (string[] args) {
    var root = Environment.get_variable ("MISSIVE_SOURCE_ROOT");
    var required = Environment.get_variable ("MISSIVE_TESTBED_REQUIRED") == "1";
    if (root == null || Posix.getuid () != 0 ||
        !FileUtils.test ("/usr/sbin/dovecot", FileTest.IS_EXECUTABLE) ||
        !FileUtils.test ("/usr/sbin/postfix", FileTest.IS_EXECUTABLE)) {
        if (required) {
            printerr ("mail testbed: needs root, Dovecot, Postfix and MISSIVE_SOURCE_ROOT\n");
            return 1;
        }
        print ("1..0 # SKIP mail testbed: needs root, Dovecot, Postfix and MISSIVE_SOURCE_ROOT\n");
        return 77;
    }
    var scripts = Path.build_filename (root, "tests", "testbed");
    string rundir;
    try {
        rundir = DirUtils.make_tmp ("mtb-vaXXXXXX");
    } catch (Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    try {
        run_script ({ "bash", scripts + "/start.sh", rundir }, "580");
        round_trip (read_env (rundir + "/testbed.env"));
    } catch (Error e) {
        check (false, e.message);
    }
    try {
        run_script ({ "bash", scripts + "/stop.sh", rundir, "--purge" }, null);
    } catch (Error e) {
        printerr ("%s\n", e.message);
    }
    print ("1..%d\n", checks);
    return failures > 0 ? 1 : 0;
}
