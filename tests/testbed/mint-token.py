#!/usr/bin/python3
"""mint-token.py RUNDIR USER [LIFETIME]

Print a JWT (HS256) that the missive testbed in RUNDIR accepts as an OAuth2
bearer token for USER, for XOAUTH2 and OAUTHBEARER. LIFETIME is in seconds
(default 3600); a negative value gives a token that has already expired.

Dovecot validates the token locally with the HMAC key start.sh put, base64
encoded, in RUNDIR/dovecot/oauth2-keys/default/HS256/default (no "azp" and
no "kid" claim, hence the two "default"s). Standard library only.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def compact_json(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__.lstrip())
        return 2
    rundir, user = sys.argv[1], sys.argv[2]
    lifetime = int(sys.argv[3]) if len(sys.argv) == 4 else 3600
    path = os.path.join(rundir, "dovecot", "oauth2-keys", "default",
                        "HS256", "default")
    with open(path, "rb") as f:
        key = base64.b64decode(f.read().strip())

    now = int(time.time())
    if lifetime >= 0:
        # Issued a few seconds ago, so a coarse server clock still takes it.
        issued = now - 5
    else:
        issued = now + 2 * lifetime
    claims = {"sub": user, "iat": issued, "nbf": issued, "exp": now + lifetime}
    header = {"alg": "HS256", "typ": "JWT"}
    to_sign = b64url(compact_json(header)) + "." + b64url(compact_json(claims))
    mac = hmac.new(key, to_sign.encode("ascii"), hashlib.sha256).digest()
    print(to_sign + "." + b64url(mac))
    return 0


if __name__ == "__main__":
    sys.exit(main())
