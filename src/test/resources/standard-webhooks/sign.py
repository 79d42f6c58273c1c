#!/usr/bin/env python3
"""A Standard Webhooks sender's signer, written from the specification (standardwebhooks.com) with Python's own
hmac, hashlib and base64, so that flow-bridge's verifier (Java, the com.standardwebhooks library) is checked against
an implementation it shares nothing with.

Reads one request per line on stdin: <secret> TAB <webhook-id> TAB <webhook-timestamp> TAB <base64 of the body>
Writes one line per request on stdout: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">, keyed with the
base64-decoded part of the whsec_ secret.
"""
import base64
import hashlib
import hmac
import sys

PREFIX = "whsec_"

for line in sys.stdin:
    secret, webhook_id, timestamp, body = line.rstrip("\n").split("\t")
    key = base64.b64decode(secret[len(PREFIX):] if secret.startswith(PREFIX) else secret)
    signed = webhook_id.encode("utf-8") + b"." + timestamp.encode("ascii") + b"." + base64.b64decode(body)
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    print("v1," + base64.b64encode(digest).decode("ascii"), flush=True)
