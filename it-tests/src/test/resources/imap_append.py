#!/usr/bin/env python3
"""APPENDs one large generated message to a mailbox over IMAP with STARTTLS, as a mail client saving a draft or
copying mail from elsewhere does.

usage: imap_append.py HOST PORT USER PASSWORD MAILBOX BYTES SEED MARKER
The message: a short header and text part carrying MARKER, then random bytes (from SEED) as a base64 attachment,
about BYTES long in all; the same bytes for the same arguments.
prints {"size": N, "sha256": "..", "response": ".."} (the tagged answer) and exits 0 when it was OK, 1 otherwise.
"""
import base64
import hashlib
import json
import random
import sys

from imap_session import connect, logout


def generated(total, seed, marker):
    head = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: appended %d\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
            "%s\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
            "Content-Disposition: attachment; filename=\"appended.bin\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" % (seed, marker)).encode("ascii")
    tail = b"\r\n--b1--\r\n"
    raw = random.Random(seed).randbytes(max(0, (total - len(head) - len(tail)) * 57 // 78))
    encoded = base64.encodebytes(raw).replace(b"\n", b"\r\n")
    return head + encoded + tail


def main():
    host, port, user, password, mailbox = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    total, seed, marker = int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
    message = generated(total, seed, marker)
    imap = connect(host, port, timeout=900)
    imap.login(user, password)
    status, data = imap.append(mailbox, None, None, message)
    logout(imap)
    print(json.dumps({"size": len(message), "sha256": hashlib.sha256(message).hexdigest(),
                      "response": "%s %s" % (status, data[0].decode("ascii", "replace") if data else "")}))
    return 0 if status == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
