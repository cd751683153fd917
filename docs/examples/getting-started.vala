/* getting-started.vala: send a message over SMTP submission, find it over
 * IMAP, retrieve it over POP3, with Missive from Vala.
 *
 * Build:  valac --pkg missive-1.0 --pkg gmime-3.0 getting-started.vala
 *
 * Settings come from the same environment variables as getting-started.c:
 * MISSIVE_EXAMPLE_USER, MISSIVE_EXAMPLE_PASSWORD, MISSIVE_EXAMPLE_ADDRESS,
 * MISSIVE_EXAMPLE_HOST and, optionally, MISSIVE_EXAMPLE_SUBMISSION_PORT,
 * MISSIVE_EXAMPLE_IMAPS_PORT, MISSIVE_EXAMPLE_POP3S_PORT and
 * MISSIVE_EXAMPLE_CA_FILE.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

string? setting (string name, string? fallback = null) {
    var value = Environment.get_variable (name);
    return value != null && value != "" ? value : fallback;
}

/* A service for scheme on the configured host, with the credentials.
 * Nothing is sent until it is opened. */
Missive.Service make_service (string scheme, string port_setting, string default_port) throws Error {
    var uri = "%s://%s:%s".printf (scheme, setting ("MISSIVE_EXAMPLE_HOST", "localhost"),
                                   setting (port_setting, default_port));
    var service = Missive.Engine.get_default ().create_service (uri);
    service.set_username (setting ("MISSIVE_EXAMPLE_USER"));
    service.set_password (setting ("MISSIVE_EXAMPLE_PASSWORD"));
    if (setting ("MISSIVE_EXAMPLE_CA_FILE") != null)
        service.set_ca_file (setting ("MISSIVE_EXAMPLE_CA_FILE"));
    return service;
}

void send_hello (string subject) throws Error {
    var address = setting ("MISSIVE_EXAMPLE_ADDRESS", setting ("MISSIVE_EXAMPLE_USER"));
    var builder = new Missive.MessageBuilder ();
    builder.set_from ("Missive Example", address);
    builder.add_to (null, address);
    builder.set_subject (subject);
    builder.set_text_body ("Hello from Vala.\n");
    GMime.Message message = builder.build ();

    var sender = (Missive.Sender) make_service ("submission", "MISSIVE_EXAMPLE_SUBMISSION_PORT", "587");
    sender.open ();
    /* No envelope: the sender and recipients are taken from the headers. */
    var result = sender.send_message (message, null, null);
    print ("sent: %u recipient(s) accepted\n", result.get_n_accepted ());
    sender.close ();
}

void read_over_imap (string subject) throws Error {
    var store = (Missive.Store) make_service ("imaps", "MISSIVE_EXAMPLE_IMAPS_PORT", "993");
    store.open ();
    var mailboxes = store.list_mailboxes (null, Missive.ListFlags.NONE);
    for (uint i = 0; i < mailboxes.get_n_items (); i++)
        print ("mailbox: %s\n", ((Missive.MailboxInfo) mailboxes.get_item (i)).get_name ());

    var query = new Missive.SearchQuery ();
    query.add_text (Missive.SearchField.SUBJECT, subject);
    /* Delivery takes a moment: select again (to see new mail) and search,
     * for up to 30 seconds. An application would rather wait with IDLE. */
    uint32 uid = 0;
    for (int attempt = 0; attempt < 150 && uid == 0; attempt++) {
        store.select_mailbox ("INBOX", true);
        var found = store.search (query);
        if (!found.is_empty ())
            uid = found.get_max ();
        else
            Thread.usleep (200000);
    }
    if (uid == 0)
        throw new Missive.Error.FAILED ("the message did not arrive in INBOX");

    var message = store.fetch_mime_message (uid);
    print ("imap: UID %u, \"%s\"\n", uid, message.get_subject ());
    store.close ();
}

void retrieve_over_pop3 () throws Error {
    var store = (Missive.Store) make_service ("pop3s", "MISSIVE_EXAMPLE_POP3S_PORT", "995");
    store.open ();
    /* POP3 has one mailbox; message numbers run from 1 to the count. */
    var count = store.select_mailbox ("INBOX", true).get_messages ();
    if (count == 0)
        throw new Missive.Error.FAILED ("the maildrop is empty");
    var message = store.fetch_mime_message (count);
    print ("pop3: %u message(s), newest \"%s\"\n", count, message.get_subject ());
    store.close ();
}

int main () {
    if (setting ("MISSIVE_EXAMPLE_USER") == null || setting ("MISSIVE_EXAMPLE_PASSWORD") == null) {
        printerr ("Set MISSIVE_EXAMPLE_USER and MISSIVE_EXAMPLE_PASSWORD.\n");
        return 2;
    }
    var subject = "Getting started in Vala, " + get_real_time ().to_string ();
    try {
        send_hello (subject);
        read_over_imap (subject);
        retrieve_over_pop3 ();
    } catch (Error error) {
        printerr ("getting-started: %s\n", error.message);
        return 1;
    }
    return 0;
}
