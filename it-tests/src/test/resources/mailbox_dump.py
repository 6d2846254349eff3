#!/usr/bin/env python3
"""Dumps a whole mailbox over IMAP: every folder with its LIST attributes (special-use ones included) and subscription, every message with UID,
flags (without \\Recent), INTERNALDATE, size, Message-ID and SHA-256 of its exact bytes, in UID order.

usage: mailbox_dump.py HOST PORT USER PASSWORD none|starttls
prints {"folders": [{"name": .., "attributes": [..], "subscribed": bool,
                     "messages": [{"uid": N, "flags": [..], "internaldate": "..", "size": N, "messageId": "..",
                                   "subject": "..", "sha256": ".."}]}]}
exit 0 on success, 2 when the login is refused.
"""
import hashlib
import imaplib
import json
import re
import ssl
import sys

LIST_LINE = re.compile(rb'\((?P<attributes>[^)]*)\) (?:"(?P<sep>[^"]*)"|NIL) (?P<name>.+)$')


def unquote(name):
    name = name.decode("utf-8")
    if name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return name


def listed(imap, command):
    # RETURN (SPECIAL-USE) (RFC 6154): James names \Sent, \Junk and the like only when asked; Dovecot always does.
    arguments = ('""', '"*"', "RETURN", "(SPECIAL-USE)") if command == "LIST" else ('""', '"*"')
    status, lines = imap._simple_command(command, *arguments)
    status, lines = imap._untagged_response(status, lines, command)
    folders = {}
    for line in lines:
        if line is None:
            continue
        if isinstance(line, tuple):
            line = line[0] + b'"' + line[1] + b'"'
        match = LIST_LINE.match(line)
        if not match:
            raise RuntimeError("cannot parse %s line %r" % (command, line))
        folders[unquote(match.group("name"))] = match.group("attributes").decode().split()
    return folders


def field(pattern, text):
    match = re.search(pattern, text)
    return match.group(1) if match else None


def main():
    host, port, user, password, tls = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    imap = imaplib.IMAP4(host, port, timeout=300)
    if tls == "starttls":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        imap.starttls(ssl_context=context)
    try:
        imap.login(user, password)
    except imaplib.IMAP4.error as e:
        print(json.dumps({"error": str(e)}))
        return 2
    folders = listed(imap, "LIST")
    subscribed = listed(imap, "LSUB")
    result = []
    for name in sorted(folders):
        attributes = folders[name]
        entry = {"name": name, "attributes": attributes, "subscribed": name in subscribed, "messages": []}
        result.append(entry)
        if any(a.lower() in ("\\noselect", "\\nonexistent") for a in attributes):
            continue
        status, data = imap.select('"%s"' % name, readonly=True)
        if status != "OK":
            raise RuntimeError("SELECT %s failed: %r" % (name, data))
        if int(data[0]) == 0:
            continue
        status, fetched = imap.uid("FETCH", "1:*", "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])")
        if status != "OK":
            raise RuntimeError("FETCH in %s failed: %r" % (name, fetched))
        for item in fetched:
            if not isinstance(item, tuple):
                continue
            meta = item[0].decode("utf-8", "replace")
            raw = item[1]
            flags = sorted(f for f in (field(r"FLAGS \(([^)]*)\)", meta) or "").split() if f != "\\Recent")
            header = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
            entry["messages"].append({
                "uid": int(field(r"UID (\d+)", meta)),
                "flags": flags,
                "internaldate": field(r'INTERNALDATE "([^"]+)"', meta),
                "size": int(field(r"RFC822.SIZE (\d+)", meta)),
                "messageId": (field(r"(?im)^Message-ID:\s*(\S+)", header) or ""),
                "subject": (field(r"(?im)^Subject:\s*(.*)$", header) or "").strip(),
                "sha256": hashlib.sha256(raw).hexdigest(),
            })
        entry["messages"].sort(key=lambda m: m["uid"])
    imap.logout()
    print(json.dumps({"folders": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
