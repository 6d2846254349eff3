#!/usr/bin/env python3
"""Many short TLS sessions through imaplib2, the IMAP library of offlineimap3, as offlineimap opens them.

imaplib2 reads and writes one OpenSSL connection from two threads. A TLS 1.3 server that sends a session ticket
after the handshake races the client's first encrypted command: OpenSSL forbids that concurrent use and the command
can be lost, so the session hangs with both sides waiting (about one connection in ten against a JDK server that
sends tickets). Each session: connect, STARTTLS (or implicit TLS), CAPABILITY, LOGIN, LOGOUT, bounded by a
deadline so that a lost command fails the run instead of stalling it.

usage: imaplib2_tls.py --port PORT [--implicit] --user USER --password SECRET [--sessions 100]
Prints "sessions N hung H failed F" and exits 1 unless H and F are 0.
"""
import argparse
import sys
import threading

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import imaplib2  # noqa: E402 (Debian's python3-imaplib2, which offlineimap3 uses)

DEADLINE_SECONDS = 30


def session(args, outcome):
    try:
        if args.implicit:
            imap = imaplib2.IMAP4_SSL("127.0.0.1", args.port, timeout=DEADLINE_SECONDS)
        else:
            imap = imaplib2.IMAP4("127.0.0.1", args.port, timeout=DEADLINE_SECONDS)
            imap.starttls()
        imap.capability()
        imap.login(args.user, args.password)
        imap.logout()
        outcome["ok"] = True
    except Exception as error:  # a refused or broken session is a failure of its own, reported with its reason
        outcome["error"] = repr(error)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--implicit", action="store_true")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--sessions", type=int, default=100)
    args = parser.parse_args()
    hung = failed = 0
    for number in range(args.sessions):
        outcome = {}
        worker = threading.Thread(target=session, args=(args, outcome), daemon=True)
        worker.start()
        worker.join(DEADLINE_SECONDS + 5)
        if worker.is_alive():
            hung += 1
            print("session %d hung" % number, flush=True)
        elif "error" in outcome:
            failed += 1
            print("session %d failed: %s" % (number, outcome["error"]), flush=True)
    print("sessions %d hung %d failed %d" % (args.sessions, hung, failed))
    return 0 if hung == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
