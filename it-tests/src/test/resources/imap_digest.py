#!/usr/bin/env python3
"""Reads one mailbox over IMAP with STARTTLS and prints, per message, digests instead of the content (for big mail).

usage: imap_digest.py HOST PORT USER PASSWORD
prints {"messages": [{"uid": .., "size": N, "sha256": "..", "attachments": [{"name": .., "size": N, "sha256": ".."}]}]}
exit 0 on success, 2 when the login is refused, 1 on any other error.
"""
import email
import email.policy
import hashlib
import imaplib
import json
import sys

from imap_session import connect, listed_uids, logout, message


def main():
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    imap = connect(host, port, timeout=120)
    try:
        imap.login(user, password)
    except imaplib.IMAP4.error as e:
        print(json.dumps({"error": str(e)}))
        return 2
    status, data = imap.select("INBOX", readonly=True)
    if status != "OK":
        raise RuntimeError("SELECT failed: %r" % data)
    messages = []
    for uid in listed_uids(imap, int(data[0])):
        status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = message(fetched)[1]
        attachments = []
        for part in email.message_from_bytes(raw, policy=email.policy.compat32).walk():
            if part.get_filename():
                payload = part.get_payload(decode=True) or b""
                attachments.append({"name": part.get_filename(), "size": len(payload),
                                    "sha256": hashlib.sha256(payload).hexdigest()})
        messages.append({"uid": int(uid), "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
                         "attachments": attachments})
    logout(imap)
    print(json.dumps({"messages": messages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
