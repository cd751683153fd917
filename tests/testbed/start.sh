#!/bin/bash
# start.sh [RUNDIR]: start the missive testbed, a private Dovecot + Postfix
# pair listening on 127.0.0.1 only.
#
# All state lives in RUNDIR: configuration, throwaway TLS CA and server
# certificate, sockets, logs, the Postfix queue and the mailboxes. Nothing
# under /etc is read or changed. Without an argument a new directory under
# ${TMPDIR:-/tmp} is made. Starting again on an existing RUNDIR reuses its
# certificates, OAuth2 key and mail and writes fresh configuration files.
#
# Output: RUNDIR/testbed.env (ports, users, paths; KEY=value lines that a
# shell can source), and "RUNDIR=<dir>" as the last line on stdout.
#
# Needs root (Postfix's master and Dovecot's privilege separation), the
# packages and the "vmail" user from install-deps.sh.
# Environment: TESTBED_PORT_OFFSET (default 0) is added to every port, so
# that several testbeds can run at the same time.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
RUNDIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/missive-tb.XXXXXX")}
mkdir -p "$RUNDIR"
RUNDIR=$(cd "$RUNDIR" && pwd)
OFF=${TESTBED_PORT_OFFSET:-0}

die() { echo "start.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"
for b in /usr/sbin/dovecot /usr/sbin/postfix doveconf certtool ss runuser; do
    command -v "$b" >/dev/null || die "$b not found (see install-deps.sh)"
done
getent passwd vmail >/dev/null || die "user vmail missing (see install-deps.sh)"
case $OFF in ''|*[!0-9]*) die "TESTBED_PORT_OFFSET must be a number" ;; esac

# ---- ports: 10000 + the usual port number + the offset ---------------------
IMAP_PORT=$((10143 + OFF))              # STARTTLS offered, plain LOGIN allowed
IMAPS_PORT=$((10993 + OFF))
POP3_PORT=$((10110 + OFF))              # STLS offered, USER/PASS allowed
POP3S_PORT=$((10995 + OFF))
LMTP_PORT=$((10024 + OFF))              # Dovecot LMTP, no authentication
SUBMISSION_PORT=$((10587 + OFF))        # STARTTLS offered, AUTH also in clear
SUBMISSION_TLSREQ_PORT=$((10588 + OFF)) # nothing but EHLO/STARTTLS before TLS
SMTPS_PORT=$((10465 + OFF))             # implicit TLS
ALL_PORTS="$IMAP_PORT $IMAPS_PORT $POP3_PORT $POP3S_PORT $LMTP_PORT"
ALL_PORTS="$ALL_PORTS $SUBMISSION_PORT $SUBMISSION_TLSREQ_PORT $SMTPS_PORT"
[ "$SUBMISSION_TLSREQ_PORT" -le 65535 ] || die "TESTBED_PORT_OFFSET too large"

# ---- users: passwords stored as {PLAIN} so that every SASL mechanism,
# including the challenge-response ones, can check them -----------------------
USER1=user1; PASS1='secret1'
USER2=user2; PASS2='pa ss"word2'        # a space and a quote: tests client quoting
VMAIL_UID=$(id -u vmail); VMAIL_GID=$(id -g vmail)

for p in $ALL_PORTS; do
    [ -z "$(ss -Hltn "sport = :$p")" ] || die "port $p is already in use"
done

# Dovecot's unix sockets live in RUNDIR/dovecot/run/ and a socket path must
# fit in 108 bytes.
[ ${#RUNDIR} -le 70 ] || die "RUNDIR is longer than 70 characters: $RUNDIR"

# postfix, dovecot and vmail all need to reach files below RUNDIR.
chmod 0755 "$RUNDIR"
runuser -u postfix -- test -x "$RUNDIR" ||
    die "user postfix cannot reach $RUNDIR (pick a directory under /tmp)"

# If anything below fails after a daemon has started, stop the daemons again
# so a failed start leaves nothing running.
STARTED=no
on_exit() {
    rc=$?
    if [ $rc -ne 0 ] && [ "$STARTED" = yes ]; then
        bash "$HERE/stop.sh" "$RUNDIR" >&2 || true
    fi
    exit $rc
}
trap on_exit EXIT

# ---- TLS: a throwaway CA and a server certificate for localhost,
# 127.0.0.1 and ::1, made once per RUNDIR -----------------------------------
TLS=$RUNDIR/tls
if [ ! -s "$TLS/server.crt" ]; then
    mkdir -p "$TLS"
    cat > "$TLS/ca.tmpl" <<EOT
cn = "Missive Testbed CA"
organization = "missive testbed"
ca
cert_signing_key
crl_signing_key
expiration_days = 3650
EOT
    cat > "$TLS/server.tmpl" <<EOT
cn = "localhost"
organization = "missive testbed"
dns_name = "localhost"
ip_address = "127.0.0.1"
ip_address = "::1"
tls_www_server
signing_key
encryption_key
expiration_days = 3650
EOT
    certtool --generate-privkey --key-type=rsa --bits=2048 \
             --outfile "$TLS/ca.key" 2>/dev/null
    certtool --generate-self-signed --load-privkey "$TLS/ca.key" \
             --template "$TLS/ca.tmpl" --outfile "$TLS/ca.crt" 2>/dev/null
    certtool --generate-privkey --key-type=rsa --bits=2048 \
             --outfile "$TLS/server.key" 2>/dev/null
    certtool --generate-certificate --load-privkey "$TLS/server.key" \
             --load-ca-certificate "$TLS/ca.crt" --load-ca-privkey "$TLS/ca.key" \
             --template "$TLS/server.tmpl" --outfile "$TLS/server.crt" 2>/dev/null
    cat "$TLS/server.crt" "$TLS/ca.crt" > "$TLS/server-chain.crt"
    chmod 0600 "$TLS/ca.key" "$TLS/server.key"
fi

# ---- Dovecot ----------------------------------------------------------------
DC=$RUNDIR/dovecot
mkdir -p "$DC/run" "$DC/state" "$DC/oauth2-keys/default/HS256" "$RUNDIR/mail"
chmod 0755 "$DC" "$RUNDIR/mail"

# passwd-file format: user:password:uid:gid:gecos:home:shell:extra
: > "$DC/users"
for u in "$USER1:$PASS1" "$USER2:$PASS2"; do
    name=${u%%:*}; pass=${u#*:}
    printf '%s:{PLAIN}%s:%s:%s::%s::\n' "$name" "$pass" "$VMAIL_UID" \
        "$VMAIL_GID" "$RUNDIR/mail/$name" >> "$DC/users"
    mkdir -p "$RUNDIR/mail/$name"
    chown vmail:vmail "$RUNDIR/mail/$name"
done
chown root:dovecot "$DC/users"; chmod 0640 "$DC/users"

# OAuth2 (XOAUTH2, OAUTHBEARER): Dovecot checks the JWT itself against an
# HMAC key ("local" introspection). It finds the key through a dict, at
# shared/<azp or "default">/<alg>/<kid or "default">; with the fs:posix dict
# that is a file, holding the key in base64. mint-token.py signs with it.
KEYFILE=$DC/oauth2-keys/default/HS256/default
[ -s "$KEYFILE" ] || head -c 32 /dev/urandom | base64 -w0 > "$KEYFILE"
chown -R root:dovecot "$DC/oauth2-keys"; chmod -R g+rX,o-rwx "$DC/oauth2-keys"
cat > "$DC/oauth2.conf.ext" <<EOT
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$DC/oauth2-keys/
username_attribute = sub
EOT

# NTLM: Dovecot 2.3.13 dropped its own NTLM code ("Unknown authentication
# mechanism 'NTLM'" would break the whole auth process), so NTLM goes through
# Samba's ntlm_auth. Run without winbindd and with --password, it checks
# every NTLM response against that single password: any existing user logs
# in with user1's password, and user2's own password fails.
NTLM_MECH=""
NTLM_CONF="# NTLM off: no /usr/bin/ntlm_auth (package winbind)"
if [ -x /usr/bin/ntlm_auth ]; then
    cat > "$DC/ntlm-helper" <<EOT
#!/bin/sh
# Called by Dovecot with --helper-protocol=squid-2.5-ntlmssp.
exec /usr/bin/ntlm_auth --configfile=/dev/null --password='$PASS1' "\$@"
EOT
    chmod 0755 "$DC/ntlm-helper"
    NTLM_MECH=" ntlm"
    NTLM_CONF="auth_use_winbind = yes
auth_winbind_helper_path = $DC/ntlm-helper"
fi

cat > "$DC/dovecot.conf" <<EOT
# missive testbed: written by start.sh on every start; edits are lost.
base_dir = $DC/run
state_dir = $DC/state
instance_name = missive-testbed
log_path = $DC/dovecot.log
protocols = imap pop3 lmtp
listen = 127.0.0.1
first_valid_uid = $VMAIL_UID

ssl = yes
# The key is in a file only root can read. dovecot-lda, which runs as vmail
# (see the Postfix transport for utf8.localhost), reads this configuration
# too: !include_try lets it go on without the key instead of failing.
!include_try $DC/ssl.conf.ext
ssl_min_protocol = TLSv1.2

# Clear-text logins are fine on loopback and tests need them.
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 digest-md5 scram-sha-1 scram-sha-256 xoauth2 oauthbearer$NTLM_MECH
$NTLM_CONF
# DIGEST-MD5 sends realm="" when no realm is configured.
auth_realms = localhost
# Negative tests must be quick: no extra delay after a failed login. (What
# remains is about 0.45 s from Dovecot's output flush timer.)
auth_failure_delay = 0
# Strip any domain and lowercase: "User1@Example.COM" is user1.
auth_username_format = %Ln
auth_verbose = yes

passdb {
  driver = passwd-file
  args = $DC/users
  mechanisms = plain login cram-md5 digest-md5 scram-sha-1 scram-sha-256
}
passdb {
  driver = oauth2
  args = $DC/oauth2.conf.ext
  mechanisms = xoauth2 oauthbearer
}
userdb {
  driver = passwd-file
  args = $DC/users
}

mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
}

# What the IMAP tests exercise beyond the built-in extensions (CONDSTORE,
# QRESYNC, UIDPLUS, MOVE, ESEARCH, SORT, SPECIAL-USE, LIST-STATUS, ... need
# nothing): ACL (RFC 4314) and QUOTA (RFC 9208) through Dovecot's plugins,
# COMPRESS=DEFLATE through imap_zlib, METADATA through a file dict. The
# capability list is Dovecot's own (imap_capability is not set).
# acl = vfile: rights live in dovecot-acl files in each mailbox directory;
# without such a file the owner has every right, so user1 can GETACL,
# SETACL and MYRIGHTS on its own mailboxes.
# quota = count: usage comes from the mailbox indexes (so populate.sh's
# messages, written straight into the maildir, count once indexed); it
# needs quota_vsizes.
mail_plugins = \$mail_plugins acl quota zlib
protocol imap {
  mail_plugins = \$mail_plugins imap_acl imap_quota imap_zlib
  imap_metadata = yes
}
mail_attribute_dict = file:%h/dovecot-attributes
plugin {
  acl = vfile
  quota = count:User quota
  quota_vsizes = yes
  quota_rule = *:storage=1G
  quota_rule2 = *:messages=1000000
}

service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = $POP3S_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    port = $LMTP_PORT
  }
}
# Repeated failures from one IP normally cost 2, 4, 8 ... up to 15 s. The
# auth process skips that penalty when it cannot connect to this socket, so
# it is never created (mode 0). start.sh removes a stale copy, which would
# make auth wait 5 s; the one "net_connect_unix(anvil-auth-penalty) failed"
# line this leaves in the log is expected.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# Postfix asks Dovecot to check SMTP AUTH (smtpd_sasl_type = dovecot).
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
protocol lmtp {
  postmaster_address = postmaster@localhost
}
protocol pop3 {
  pop3_uidl_format = %08Xu%08Xv
}
# dovecot-lda runs as vmail: it gets a log file it may write and access to
# the stats socket.
protocol lda {
  log_path = $DC/lda.log
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
EOT
touch "$DC/lda.log"; chown vmail:vmail "$DC/lda.log"

cat > "$DC/ssl.conf.ext" <<EOT
ssl_cert = <$TLS/server-chain.crt
ssl_key = <$TLS/server.key
EOT
chmod 0600 "$DC/ssl.conf.ext"
doveconf -c "$DC/dovecot.conf" -n > /dev/null
rm -f "$DC/run/anvil-auth-penalty"

# The daemons get /dev/null and a log file instead of our stdout/stderr: a
# caller that reads our output through a pipe (a test harness, "| tee")
# would otherwise wait for an EOF that never comes.
STARTED=yes
/usr/sbin/dovecot -c "$DC/dovecot.conf" < /dev/null >> "$DC/startup.log" 2>&1 ||
    { cat "$DC/startup.log" >&2; die "dovecot did not start"; }

# ---- Postfix: a private instance with its own config, queue and data ------
PF=$RUNDIR/postfix
mkdir -p "$PF/etc" "$PF/queue" "$PF/data"
chown root:root "$PF/queue"; chown postfix:postfix "$PF/data"
LMTP_DEST="lmtp:inet:127.0.0.1:$LMTP_PORT"
cat > "$PF/etc/main.cf" <<EOT
# missive testbed: written by start.sh on every start; edits are lost.
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
# Log into a file, no syslog needed. Watch out: "postfix -c DIR" reports its
# fatal errors only here (and on stderr only if that is a terminal).
maillog_file = $PF/postfix.log
maillog_file_prefixes = $PF
myhostname = localhost
mydomain = localhost
myorigin = localhost
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
biff = no
alias_maps =
alias_database =
# Every recipient is accepted here; Dovecot's LMTP decides, and Postfix
# bounces what it rejects.
local_recipient_maps =
# All mail, for whatever domain, goes to Dovecot's LMTP ...
local_transport = $LMTP_DEST
virtual_transport = $LMTP_DEST
relay_transport = $LMTP_DEST
default_transport = $LMTP_DEST
lmtp_host_lookup = native
# ... but for utf8.localhost. Dovecot 2.3's LMTP does not announce SMTPUTF8,
# so Postfix would bounce (5.6.7) SMTPUTF8 mail with UTF-8 headers or
# addresses. That domain is handed to dovecot-lda through pipe(8), which
# does not care.
transport_maps = inline:{ utf8.localhost=dovecot-lda: }
dovecot-lda_destination_recipient_limit = 1
smtputf8_enable = yes
message_size_limit = 20480000

smtpd_tls_cert_file = $TLS/server-chain.crt
smtpd_tls_key_file = $TLS/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 0
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DC/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_tls_auth_only = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
# Quick negative tests: no one-second pause after each rejected command.
smtpd_error_sleep_time = 0s
EOT

# No chroot anywhere (the daemons must see RUNDIR); no port 25 listener,
# only the three submission flavours.
cat > "$PF/etc/master.cf" <<EOT
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$SUBMISSION_TLSREQ_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission-tlsreq
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
dovecot-lda unix -     n       n       -       -       pipe
  flags=DRhu user=vmail:vmail argv=/usr/lib/dovecot/dovecot-lda -c $DC/dovecot.conf -f \${sender} -d \${user}
EOT

/usr/sbin/postfix -c "$PF/etc" start < /dev/null >> "$PF/startup.log" 2>&1 ||
    { cat "$PF/startup.log" "$PF/postfix.log" >&2 2>/dev/null; die "postfix did not start"; }

# ---- wait (at most 10 s per port) until everything listens ---------------
for p in $ALL_PORTS; do
    i=0
    until [ -n "$(ss -Hltn "sport = :$p")" ]; do
        i=$((i + 1))
        [ $i -le 100 ] || die "nothing listens on port $p; see $DC/dovecot.log and $PF/postfix.log"
        sleep 0.1
    done
done

# q VALUE: VALUE in single quotes for the shell (' becomes '\'').
q() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }

cat > "$RUNDIR/testbed.env.tmp" <<EOT
# missive testbed, written by start.sh: source it, or read KEY=value lines
# (values may be in shell single quotes).
TESTBED_RUNDIR=$(q "$RUNDIR")
TESTBED_HOST=127.0.0.1
TESTBED_IMAP_PORT=$IMAP_PORT
TESTBED_IMAPS_PORT=$IMAPS_PORT
TESTBED_POP3_PORT=$POP3_PORT
TESTBED_POP3S_PORT=$POP3S_PORT
TESTBED_LMTP_PORT=$LMTP_PORT
TESTBED_SUBMISSION_PORT=$SUBMISSION_PORT
TESTBED_SUBMISSION_TLSREQ_PORT=$SUBMISSION_TLSREQ_PORT
TESTBED_SMTPS_PORT=$SMTPS_PORT
TESTBED_CA_FILE=$(q "$TLS/ca.crt")
TESTBED_USER1=$(q "$USER1")
TESTBED_PASS1=$(q "$PASS1")
TESTBED_USER2=$(q "$USER2")
TESTBED_PASS2=$(q "$PASS2")
TESTBED_DOVECOT_CONF=$(q "$DC/dovecot.conf")
TESTBED_POSTFIX_CONF_DIR=$(q "$PF/etc")
TESTBED_OAUTH2_KEY_FILE=$(q "$KEYFILE")
# <user>@\$TESTBED_UTF8_DOMAIN is delivered by dovecot-lda (SMTPUTF8 works).
TESTBED_UTF8_DOMAIN=utf8.localhost
# "yes" when NTLM is offered; it accepts user1's password only.
TESTBED_NTLM=$([ -n "$NTLM_MECH" ] && echo yes || echo no)
EOT
mv "$RUNDIR/testbed.env.tmp" "$RUNDIR/testbed.env"
echo "RUNDIR=$RUNDIR"
