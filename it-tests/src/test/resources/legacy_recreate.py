#!/usr/bin/env python3
"""Recreates a folder on the legacy IMAP server with the same messages, as a restore from backup does: its messages
are copied out, the folder is deleted and created again (so it gets a new UIDVALIDITY and new UIDs), and the messages
are copied back (COPY keeps flags and internal dates). Plain IMAP, no TLS.

usage: legacy_recreate.py HOST PORT USER PASSWORD FOLDER
prints {"before": UIDVALIDITY, "after": UIDVALIDITY, "messages": N}
"""
import imaplib
import json
import re
import sys


def uidvalidity(imap, folder):
    status, data = imap.status(folder, "(UIDVALIDITY MESSAGES)")
    if status != "OK":
        raise RuntimeError("STATUS %s failed: %r" % (folder, data))
    text = data[0].decode()
    return int(re.search(r"UIDVALIDITY (\d+)", text).group(1)), int(re.search(r"MESSAGES (\d+)", text).group(1))


def check(result, what):
    status, data = result
    if status != "OK":
        raise RuntimeError("%s failed: %r" % (what, data))


def main():
    host, port, user, password, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    quoted, aside = '"%s"' % folder, '"%s-restore"' % folder
    imap = imaplib.IMAP4(host, port, timeout=120)
    imap.login(user, password)
    before, count = uidvalidity(imap, quoted)
    check(imap.create(aside), "CREATE")
    check(imap.select(quoted), "SELECT")
    check(imap.copy("1:*", aside), "COPY out")
    check(imap.close(), "CLOSE")
    check(imap.delete(quoted), "DELETE")
    check(imap.create(quoted), "CREATE")
    check(imap.subscribe(quoted), "SUBSCRIBE")
    check(imap.select(aside), "SELECT")
    check(imap.copy("1:*", quoted), "COPY back")
    check(imap.close(), "CLOSE")
    check(imap.delete(aside), "DELETE")
    after, copied = uidvalidity(imap, quoted)
    imap.logout()
    if copied != count:
        raise RuntimeError("%d messages before, %d after" % (count, copied))
    print(json.dumps({"before": before, "after": after, "messages": copied}))


if __name__ == "__main__":
    main()
