#!/usr/bin/env python3
"""Changes or reads a user's IMAP state the way a desktop client does (STARTTLS), printing JSON.

usage: imap_state.py HOST PORT USER PASSWORD mark SUBJECT_MARKER FOLDER
         flags the INBOX message whose bytes contain SUBJECT_MARKER (\\Flagged and the keyword $EpostKeep),
         creates FOLDER and copies the message there
       imap_state.py HOST PORT USER PASSWORD show FOLDER...
         per folder: UIDVALIDITY, UIDNEXT and each message's uid, flags and sha256
       imap_state.py HOST PORT USER PASSWORD search FOLDER WORD
         the uids of FOLDER's messages whose body contains WORD (UID SEARCH BODY)
exit 0 on success, 1 on any error.
"""
import hashlib
import json
import re
import sys

from imap_session import connect, listed_uids, logout, message


def logged_in(host, port, user, password):
    imap = connect(host, port, timeout=60)
    imap.login(user, password)
    return imap


def check(status, data, what):
    if status != "OK":
        raise RuntimeError("%s failed: %r" % (what, data))
    return data


def mark(imap, marker, folder):
    exists = int(check(*imap.select("INBOX"), "SELECT INBOX")[0])
    for uid in listed_uids(imap, exists):
        fetched = check(*imap.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
        if marker.encode() in message(fetched)[1]:
            check(*imap.uid("STORE", uid, "+FLAGS", "(\\Flagged $EpostKeep)"), "STORE")
            check(*imap.create(folder), "CREATE")
            check(*imap.uid("COPY", uid, folder), "COPY")
            return {"uid": int(uid)}
    raise RuntimeError("no INBOX message contains %s" % marker)


def show(imap, folders):
    out = {}
    for folder in folders:
        status = check(*imap.status(folder, "(UIDVALIDITY UIDNEXT MESSAGES)"), "STATUS")[0].decode()
        numbers = dict(re.findall(r"(UIDVALIDITY|UIDNEXT|MESSAGES) (\d+)", status))
        exists = int(check(*imap.select(folder, readonly=True), "SELECT " + folder)[0])
        messages = []
        for uid in listed_uids(imap, exists):
            line, content = message(check(*imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])"), "FETCH"))
            flags = re.search(r"FLAGS \(([^)]*)\)", line.decode()).group(1)
            messages.append({"uid": int(uid), "flags": sorted(flags.split()),
                             "sha256": hashlib.sha256(content).hexdigest()})
        out[folder] = {"uidvalidity": int(numbers["UIDVALIDITY"]), "uidnext": int(numbers["UIDNEXT"]),
                       "messages": messages}
    return out


def search(imap, folder, word):
    check(*imap.select(folder, readonly=True), "SELECT " + folder)
    uids = check(*imap.uid("SEARCH", None, "BODY", word), "SEARCH BODY")[0].split()
    return {"uids": [int(uid) for uid in uids]}


def main():
    host, port, user, password, command = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    imap = logged_in(host, port, user, password)
    if command == "mark":
        result = mark(imap, sys.argv[6], sys.argv[7])
    elif command == "search":
        result = search(imap, sys.argv[6], sys.argv[7])
    else:
        result = show(imap, sys.argv[6:])
    logout(imap)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
