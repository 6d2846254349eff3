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
import sys

from imap_session import connect, listed_uids, logout, message


def main():
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    mailbox = sys.argv[5] if len(sys.argv) > 5 else "INBOX"
    imap = connect(host, port, timeout=30)
    try:
        imap.login(user, password)
    except imaplib.IMAP4.error as e:
        print(json.dumps({"error": str(e)}))
        return 2
    status, data = imap.select(mailbox, readonly=True)
    if status != "OK":
        raise RuntimeError("SELECT failed: %r" % data)
    messages = []
    for uid in listed_uids(imap, int(data[0])):
        status, fetched = imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
        line, content = message(fetched)
        match = re.search(r"FLAGS \(([^)]*)\)", line.decode())
        flags = match.group(1) if match else ""
        messages.append({"uid": int(uid), "flags": flags, "rfc822": base64.b64encode(content).decode()})
    logout(imap)
    print(json.dumps({"exists": len(messages), "messages": messages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
