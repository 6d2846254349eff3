#!/usr/bin/env python3
"""Reads one mailbox over IMAP with STARTTLS, the way a desktop client does, and prints it as JSON.

usage: imap_read.py HOST PORT USER PASSWORD [MAILBOX]
prints {"exists": N, "messages": [{"uid": .., "flags": "\\Seen ..", "rfc822": "<base64>"}]}
exit 0 on success, 2 when the login is refused, 1 on any other error.
"""
import base64
import imaplib
import json
import re
import ssl
import sys


def logout(imap):
    """Everything has been read by now: a connection the server closes right after its BYE, before the tagged LOGOUT
    answer, changes nothing for the caller (seen once on CI, with nothing logged by the server)."""
    try:
        imap.logout()
    except imaplib.IMAP4.abort:
        pass


def main():
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    mailbox = sys.argv[5] if len(sys.argv) > 5 else "INBOX"
    # The local ring's peers have self-signed certificates.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4(host, port, timeout=30)
    imap.starttls(ssl_context=context)
    try:
        imap.login(user, password)
    except imaplib.IMAP4.error as e:
        print(json.dumps({"error": str(e)}))
        return 2
    status, data = imap.select(mailbox, readonly=True)
    if status != "OK":
        raise RuntimeError("SELECT failed: %r" % data)
    messages = []
    status, data = imap.uid("SEARCH", None, "ALL")
    for uid in data[0].split():
        status, fetched = imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
        match = re.search(r"FLAGS \(([^)]*)\)", fetched[0][0].decode())
        flags = match.group(1) if match else ""
        messages.append({"uid": int(uid), "flags": flags, "rfc822": base64.b64encode(fetched[0][1]).decode()})
    logout(imap)
    print(json.dumps({"exists": len(messages), "messages": messages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
