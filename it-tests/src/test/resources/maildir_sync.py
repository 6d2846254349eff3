#!/usr/bin/env python3
"""Maildirs for the sync-tool tests (mbsync, offlineimap).

  make DIR [--messages N]   writes a Maildir tree: INBOX, Sent, Drafts, Archive, Archive/2024, Archive/2024/Q1, Lists,
                            Lists/james (nested folders as subdirectories, each with cur/new/tmp), N messages spread
                            over them with every Maildir flag the tools sync (D F R S), 8-bit bodies, "{n}" and
                            "{n+}" literal look-alikes in bodies, lines of 1,000 octets, and one message of 12 MiB
                            (beyond James's 10 MiB in-memory literal limit); every message has a unique Message-ID
  compare A B               the same folders, and in each the same messages (by Message-ID) with the same flags and
                            the same content, modulo what sync tools legitimately rewrite: line endings (the IMAP
                            side is CRLF) and the X-TUID header mbsync adds on upload. Prints a JSON report; exit 1
                            on any difference
  snapshot DIR              a JSON list of every file under DIR with its size and mtime (for "nothing changed")
"""
import hashlib
import json
import os
import random
import sys
import time

FOLDERS = ["INBOX", "Sent", "Drafts", "Archive", "Archive/2024", "Archive/2024/Q1", "Lists", "Lists/james"]
FLAG_SETS = ["", "S", "FS", "RS", "F", "DS", "FRS"]


def message(index, folder, rng, size=None):
    lines = [
        "From: sender%d@example.org" % (index % 7),
        "To: alice@epost.test",
        "Subject: message %d in %s" % (index, folder),
        "Date: Mon, 07 Dec 2026 01:%02d:%02d +0000" % (index % 60, (index * 7) % 60),
        "Message-ID: <sync-%d@epost.test>" % index,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Body of message %d: caf\u00e9, na\u00efve, \u00fcber, \u65e5\u672c." % index,
        "A literal look-alike {12} and {7+} at the end of a line {5}",
        "a1 APPEND INBOX {3+}",
    ]
    for n in range(rng.randint(0, 40)):
        lines.append(("line %d " % n) + "x" * rng.choice([10, 70, 990]))
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8")
    if size:
        filler = (b"0123456789abcdefghijklmnopqrstuvwxyz" * 2 + b"\n")
        data += filler * ((size - len(data)) // len(filler) + 1)
        data = data[:size - 1] + b"\n"
    return data


def make(root, count):
    rng = random.Random(42)
    for folder in FOLDERS:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(root, folder, sub), exist_ok=True)
    for index in range(count):
        folder = FOLDERS[index % len(FOLDERS)]
        flags = FLAG_SETS[index % len(FLAG_SETS)]
        data = message(index, folder, rng, size=12 * 1024 * 1024 + 11 if index == 5 else None)
        name = "%d.M%dP%d.epost-sync,S=%d:2,%s" % (1765000000 + index, index, os.getpid(), len(data), flags)
        with open(os.path.join(root, folder, "cur", name), "wb") as f:
            f.write(data)


def normalized(data):
    out = []
    for line in data.replace(b"\r\n", b"\n").split(b"\n"):
        if line.lower().startswith(b"x-tuid:"):
            continue
        out.append(line)
    return b"\n".join(out).rstrip(b"\n")


def read_tree(root):
    """{folder: {message-id: (flags, sha256 of normalized content)}} of every maildir under root."""
    tree = {}
    for directory, subdirs, files in os.walk(root):
        if os.path.basename(directory) not in ("cur", "new"):
            continue
        folder = os.path.relpath(os.path.dirname(directory), root)
        box = tree.setdefault(folder, {})
        for name in files:
            with open(os.path.join(directory, name), "rb") as f:
                data = f.read()
            message_id = None
            for line in data.replace(b"\r\n", b"\n").split(b"\n"):
                if not line:
                    break
                if line.lower().startswith(b"message-id:"):
                    message_id = line.split(b":", 1)[1].strip().decode()
            flags = "".join(sorted(name.split(":2,", 1)[1])) if ":2," in name else ""
            box[message_id or name] = (flags, hashlib.sha256(normalized(data)).hexdigest())
    return tree


def compare(a, b):
    left, right = read_tree(a), read_tree(b)
    problems = []
    for folder in sorted(set(left) | set(right)):
        if folder not in right or folder not in left:
            problems.append("folder %s only in %s" % (folder, a if folder in left else b))
            continue
        for mid in sorted(set(left[folder]) | set(right[folder])):
            l, r = left[folder].get(mid), right[folder].get(mid)
            if l != r:
                problems.append("%s %s: %s vs %s" % (folder, mid, l, r))
    report = {"folders": len(left), "messages": sum(len(v) for v in left.values()), "problems": problems[:50],
              "problemCount": len(problems)}
    print(json.dumps(report))
    return 0 if not problems else 1


def snapshot(root):
    files = []
    for directory, subdirs, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            st = os.stat(path)
            files.append([os.path.relpath(path, root), st.st_size, st.st_mtime_ns])
    print(json.dumps(sorted(files)))
    return 0


def main():
    command = sys.argv[1]
    if command == "make":
        count = int(sys.argv[sys.argv.index("--messages") + 1]) if "--messages" in sys.argv else 300
        make(sys.argv[2], count)
        return 0
    if command == "compare":
        return compare(sys.argv[2], sys.argv[3])
    if command == "snapshot":
        return snapshot(sys.argv[2])
    raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    sys.exit(main())
