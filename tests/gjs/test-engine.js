// Missive's engine and a JavaScript SASL mechanism, through GJS.
// Exits non-zero on the first failed check.
imports.gi.versions.Missive = '1.0';
const {GLib, GObject, Missive} = imports.gi;

let failures = 0;
let checks = 0;
function check(condition, what) {
    checks++;
    print(`${condition ? 'ok' : 'not ok'} - ${what}`);
    if (!condition)
        failures++;
}

const engine = Missive.Engine.get_default();
const mechs = engine.list_sasl_mechanisms();
check(mechs.includes('PLAIN') && mechs.includes('LOGIN'), 'built-in mechanisms listed');

const plain = engine.create_sasl_mechanism('PLAIN');
plain.set_username('user1');
plain.set_password('secret1');
const ir = plain.step(null).toArray();
check(new TextDecoder().decode(ir) === '\0user1\0secret1', 'PLAIN initial response');

try {
    engine.create_service('gopher://example.org');
    check(false, 'unknown scheme raises');
} catch (e) {
    check(e.matches(Missive.error_quark(), Missive.Error.UNKNOWN_SCHEME), 'unknown scheme raises UNKNOWN_SCHEME');
}

const JsMech = GObject.registerClass({GTypeName: 'TestJsMechanism'},
class JsMech extends Missive.SaslMechanism {
    vfunc_get_name() {
        return 'X-GJS';
    }

    vfunc_get_flags() {
        return Missive.SaslFlags.CLIENT_FIRST;
    }

    vfunc_step(challenge) {
        this.set_complete(true);
        return new GLib.Bytes(new TextEncoder().encode(`js:${this.get_username()}`));
    }
});

engine.register_sasl_mechanism(JsMech.$gtype);
check(engine.list_sasl_mechanisms().includes('X-GJS'), 'JavaScript mechanism registered');
const mech = engine.create_sasl_mechanism('x-gjs');
mech.set_username('alice');
check(new TextDecoder().decode(mech.step(null).toArray()) === 'js:alice', 'JavaScript mechanism steps');
check(mech.is_complete(), 'JavaScript mechanism completes');

// The value types of the store API.
const set = Missive.MessageSet.new_from_string('9,2:4,7:5,12:*');
check(set.to_string() === '2:7,9,12:*', 'MessageSet parses and compresses');
check(set.contains(3) && !set.contains(8), 'MessageSet.contains');
check(set.get_count() === 8, 'MessageSet counts a * range once');
const fromArray = Missive.MessageSet.new_from_array([5, 1, 2, 3]);
check(fromArray.to_string() === '1:3,5', 'MessageSet from an array');
check(JSON.stringify(Array.from(fromArray.to_array())) === '[1,2,3,5]', 'MessageSet to an array');
try {
    Missive.MessageSet.new_from_string('1:');
    check(false, 'invalid MessageSet raises');
} catch (e) {
    check(e.matches(Missive.error_quark(), Missive.Error.INVALID_ARGUMENT), 'invalid MessageSet raises INVALID_ARGUMENT');
}
const query = Missive.SearchQuery.new();
query.add_flag('\\Seen', false);
query.add_text(Missive.SearchField.FROM, 'alice');
query.add_ids(fromArray, true);
check(query.to_string() === 'UNSEEN FROM "alice" UID 1:3,5', 'SearchQuery renders');
check(!query.needs_utf8(), 'SearchQuery is ASCII');

print(`1..${checks}`);
if (failures > 0)
    imports.system.exit(1);
