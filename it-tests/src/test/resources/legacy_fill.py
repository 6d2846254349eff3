#!/usr/bin/env python3
"""Fills a user's mailbox on the legacy IMAP server (plain IMAP, no TLS) with folders and deterministic messages:
varied flags and keywords, internal dates over the past years, unique Message-IDs, some multi-part with a larger
attachment, some without a Message-ID at all.

usage: legacy_fill.py HOST PORT USER PASSWORD SPEC [starttls]
SPEC is JSON: {"tag": "mover", "folders": [{"name": "INBOX", "count": 100, "subscribe": true}, ...]}
(parents of a hierarchical name are created by the server as needed). Prints {"appended": N, "bytes": B,
"seconds": S} (S: the time the APPENDs took, for comparing with a migration). With "starttls", secures the
connection first (an ePOST or stock James peer requires it before LOGIN).
"""
import base64
import imaplib
import json
import ssl
import sys
import time

FLAG_SETS = ["", "\\Seen", "\\Seen \\Answered", "\\Flagged", "\\Seen $Forwarded", "\\Draft",
             "\\Seen project-x", "\\Deleted \\Seen", "$Junk", "\\Seen \\Flagged $Label1"]


def message(tag, folder, number):
    subject = "%s %s message %d" % (tag, folder, number)
    headers = ["From: Sender %d <sender%d@example.org>" % (number % 7, number % 7),
               "To: %s@epost.test" % tag,
               "Subject: %s" % subject,
               "Date: Mon, 1 Jan 2024 00:00:00 +0000"]
    if number % 37 != 5:
        headers.append("Message-ID: <%s.%s.%d@legacy.test>" % (tag, folder.replace("/", "-").replace(" ", "_"), number))
    if number % 25 == 3:
        attachment = base64.encodebytes(bytes((i * 31 + number) % 256 for i in range(200_000))).decode("ascii")
        body = ("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n" % number
                + "--b%d\r\nContent-Type: text/plain\r\n\r\nSee attached, %s.\r\n" % (number, subject)
                + "--b%d\r\nContent-Type: application/octet-stream; name=\"data%d.bin\"\r\n" % (number, number)
                + "Content-Transfer-Encoding: base64\r\n\r\n" + attachment.replace("\n", "\r\n")
                + "--b%d--\r\n" % number)
        return ("\r\n".join(headers) + "\r\n" + body).encode("ascii")
    text = "Line %d of %s.\r\n" % (number, subject) * (1 + number % 13)
    return ("\r\n".join(headers) + "\r\n\r\n" + ".starts with a dot\r\n" + text).encode("ascii")


def main():
    host, port, user, password, spec = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
    imap = imaplib.IMAP4(host, port, timeout=120)
    if len(sys.argv) > 6 and sys.argv[6] == "starttls":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        imap.starttls(ssl_context=context)
    imap.login(user, password)
    started = time.monotonic()
    appended = 0
    total = 0
    for folder in spec["folders"]:
        name = folder["name"]
        quoted = '"%s"' % name
        if name.upper() != "INBOX":
            imap.create(quoted)
        if folder.get("subscribe", True):
            imap.subscribe(quoted)
        for number in range(folder.get("start", 0), folder.get("start", 0) + folder["count"]):
            data = message(spec["tag"], name, number)
            flags = FLAG_SETS[number % len(FLAG_SETS)]
            date = imaplib.Time2Internaldate(time.mktime((2019 + number % 6, 1 + number % 12, 1 + number % 28,
                                                          number % 24, number % 60, number % 60, 0, 0, -1)))
            status, response = imap.append(quoted, "(%s)" % flags if flags else None, date, data)
            if status != "OK":
                raise RuntimeError("APPEND to %s failed: %r" % (name, response))
            appended += 1
            total += len(data)
    seconds = time.monotonic() - started
    imap.logout()
    print(json.dumps({"appended": appended, "bytes": total, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
