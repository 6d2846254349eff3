#!/usr/bin/env python3
"""Asks for the quota of one mailbox over IMAP (GETQUOTAROOT, RFC 2087) with STARTTLS and prints it as JSON.

usage: imap_quota.py HOST PORT USER PASSWORD [MAILBOX]
prints {"roots": ["#private&alice@example.org"],
        "quotas": [{"root": "#private&alice@example.org", "resource": "STORAGE", "used": 0, "limit": 1024}]}
(STORAGE in KiB, MESSAGE in messages; the server lists only limited resources)
exit 0 on success, 1 on any error.
"""
import json
import re
import sys

from imap_session import connect, logout

QUOTA = re.compile(r'^"?(?P<root>[^"]*)"? \((?P<resources>[^)]*)\)$')


def text(item):
    return item.decode() if isinstance(item, bytes) else str(item)


def main():
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    mailbox = sys.argv[5] if len(sys.argv) > 5 else "INBOX"
    imap = connect(host, port, timeout=30)
    imap.login(user, password)
    status, data = imap.getquotaroot(mailbox)
    if status != "OK":
        raise RuntimeError("GETQUOTAROOT failed: %r" % data)
    root_lines, quota_lines = data
    roots = []
    for line in root_lines:
        # "INBOX" root1 root2...: everything after the mailbox name
        roots.extend(part.strip('"') for part in text(line).split(" ")[1:])
    quotas = []
    for line in quota_lines:
        match = QUOTA.match(text(line))
        if not match:
            raise RuntimeError("unexpected QUOTA response: %r" % line)
        words = match.group("resources").split()
        for i in range(0, len(words), 3):
            quotas.append({"root": match.group("root"), "resource": words[i].upper(),
                           "used": int(words[i + 1]), "limit": int(words[i + 2])})
    logout(imap)
    print(json.dumps({"roots": roots, "quotas": quotas}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
