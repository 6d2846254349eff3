#!/usr/bin/env python3
"""Moves the messages whose Subject contains a marker from one mailbox to another over IMAP with STARTTLS (UID MOVE,
RFC 6851), the way a mail client's "mark as spam" or "not spam" does; the target is created when missing, as clients
create their Junk folder.

usage: imap_move.py HOST PORT USER PASSWORD FROM TO MARKER
prints {"moved": N}
"""
import imaplib
import json
import sys

from imap_session import connect, logout


def main():
    host, port, user, password, source, target, marker = sys.argv[1:8]
    imap = connect(host, int(port), timeout=30)
    imap.login(user, password)
    status, data = imap.list('""', target)
    if status != "OK" or not [line for line in data if line]:
        status, data = imap.create(target)
        if status != "OK":
            raise RuntimeError("CREATE %s failed: %r" % (target, data))
    status, data = imap.select(source)
    if status != "OK":
        raise RuntimeError("SELECT %s failed: %r" % (source, data))
    status, data = imap.uid("SEARCH", None, "SUBJECT", '"%s"' % marker)
    if status != "OK":
        raise RuntimeError("SEARCH failed: %r" % data)
    uids = data[0].split()
    if uids:
        status, data = imap.uid("MOVE", b",".join(uids).decode(), target)
        if status != "OK":
            raise RuntimeError("MOVE failed: %r" % data)
    logout(imap)
    print(json.dumps({"moved": len(uids)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
