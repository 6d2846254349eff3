#!/usr/bin/env python3
"""Reads one mailbox over IMAP with STARTTLS and prints, per message, digests instead of the content (for big mail).

usage: imap_digest.py HOST PORT USER PASSWORD
prints {"messages": [{"uid": .., "size": N, "sha256": "..", "attachments": [{"name": .., "size": N, "sha256": ".."}],
                      "section2": {"size": N, "sha256": ".."} or null, "bodystructure": ".."}]}
where section2 is what a client that fetches parts on demand reads: BODYSTRUCTURE first, then BODY[2] alone
(a multipart's second part, decoded from base64).
exit 0 on success, 2 when the login is refused, 1 on any other error.
"""
import base64
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
        status, structure = imap.uid("FETCH", uid, "(BODYSTRUCTURE)")
        if status != "OK":
            raise RuntimeError("FETCH BODYSTRUCTURE failed: %r" % structure)
        bodystructure = next(item for item in structure if isinstance(item, bytes) and b"BODYSTRUCTURE" in item)
        bodystructure = bodystructure.decode("ascii", "replace")
        section2 = None
        if "BODYSTRUCTURE ((" in bodystructure:
            status, part = imap.uid("FETCH", uid, "(BODY.PEEK[2])")
            if status != "OK":
                raise RuntimeError("FETCH BODY[2] failed: %r" % part)
            decoded = base64.b64decode(message(part)[1])
            section2 = {"size": len(decoded), "sha256": hashlib.sha256(decoded).hexdigest()}
        status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = message(fetched)[1]
        attachments = []
        for part in email.message_from_bytes(raw, policy=email.policy.compat32).walk():
            if part.get_filename():
                payload = part.get_payload(decode=True) or b""
                attachments.append({"name": part.get_filename(), "size": len(payload),
                                    "sha256": hashlib.sha256(payload).hexdigest()})
        messages.append({"uid": int(uid), "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
                         "attachments": attachments, "section2": section2, "bodystructure": bodystructure})
    logout(imap)
    print(json.dumps({"messages": messages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
