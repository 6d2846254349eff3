#!/usr/bin/env python3
"""Big-message soak: EpostDeliveryIT's 25 MB attachment test, repeated, with every FETCH response checked.

Hunts the one-off failure of aTwentyFiveMegabyteAttachmentArrivesIntact under load (imaplib: "unexpected response:
b')'" in imap_digest.py's UID FETCH (BODY.PEEK[]), i.e. bytes inside a FETCH literal or more bytes than announced).
A ring is started by deploy/bin/epost-ring (or reused); then, for each of --rounds rounds, with one recipient per
round (the ring's demo users in turn):
  sender    one message with a 25 MB random attachment (base64, 76-character lines, as swaks --attach writes it),
            over SMTP to --smtp-peer, in the background: the recipient's peer appends it while it is being read
  digest    the IT's own client, it-tests/src/test/resources/imap_digest.py, run back to back on the recipient's
            mailbox from the moment the sender starts until --after polls after the 250; a failure keeps its stderr
            (the client prints the last bytes of its connection)
  reader    a raw-socket client (imap_soak.Session: every literal read at its announced size and followed by " " or
            ")", content byte-equal to what was sent) doing UID FETCH 1:* (UID RFC822.SIZE BODY.PEEK[]) on the same
            mailbox, EXAMINEd, in a loop
  noise     small SMTP deliveries to the same recipient (new EXISTS for every session) and a flagger on it
  burners   --burn busy-loop processes
Prints one JSON object of figures; anomalies and failed digests are written to --out. A harness, not a test.

usage: big_fetch_soak.py [--rounds 6] [--peers 1] [--smtp-peer 1] [--after 4] [--burn 1] [--base-port 31000]
                         [--data /tmp/bigfetch/ring] [--out /tmp/bigfetch/anomalies] [--reuse]
"""
import argparse
import base64
import json
import multiprocessing
import os
import random
import shutil
import smtplib
import subprocess
import sys
import threading
import time

import imap_soak as soak

DIGEST = os.path.join(soak.ROOT, "it-tests", "src", "test", "resources", "imap_digest.py")
BOUNDARY = b"----=_MIME_BOUNDARY_000_25"


def big_message(rng, soak_id, recipient):
    """A swaks-like message with a 25 MB attachment; returns (message, body) as imap_soak's Registry keeps them."""
    attachment = rng.randbytes(25 * 1024 * 1024)
    encoded = base64.encodebytes(attachment).replace(b"\n", b"\r\n")
    header = (b"To: %s\r\nFrom: alice@epost.test\r\nSubject: attachment %s\r\nX-Soak-Id: %s\r\nMIME-Version: 1.0\r\n"
              b"Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
              % (recipient.encode(), soak_id.encode(), soak_id.encode(), BOUNDARY))
    body = (b"This is a multi-part message in MIME format.\r\n\r\n--%s\r\nContent-Type: text/plain\r\n\r\n"
            b"Attached: %s\r\n\r\n--%s\r\nContent-Type: application/octet-stream; name=\"attachment-25m.bin\"\r\n"
            b"Content-Disposition: attachment; filename=\"attachment-25m.bin\"\r\nContent-Transfer-Encoding: BASE64\r\n"
            b"\r\n%s\r\n\r\n--%s--\r\n" % (BOUNDARY, soak_id.encode(), BOUNDARY, encoded, BOUNDARY))
    return header + body, body


def raw_reader(port, user, password, stats, registry, stop):
    def body(rng, holder):
        soak.USER = user
        session = soak.Session("reader", port, password, stats, registry)
        holder.append(session)
        session.command(b"EXAMINE INBOX")
        for _ in range(rng.randint(2, 6)):
            if stop.is_set():
                break
            session.command(b"UID FETCH 1:* (UID RFC822.SIZE BODY.PEEK[])")
            stats.add("raw UID FETCH 1:* commands")
            session.command(b"NOOP")
        session.logout()
    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--peers", type=int, default=1)
    parser.add_argument("--smtp-peer", type=int, default=1)
    parser.add_argument("--after", type=int, default=4, help="digest polls after the 250")
    parser.add_argument("--burn", type=int, default=1)
    parser.add_argument("--base-port", type=int, default=31000)
    parser.add_argument("--data", default="/tmp/bigfetch/ring")
    parser.add_argument("--out", default="/tmp/bigfetch/anomalies")
    parser.add_argument("--reuse", action="store_true", help="keep the ring's data of an earlier run (and leave it up)")
    args = parser.parse_args()

    if not args.reuse:
        shutil.rmtree(args.data, ignore_errors=True)
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    soak.ring("up", "--peers", str(args.peers), "--base-port", str(args.base_port), data=args.data)
    status = json.loads(soak.ring("status", "--json", data=args.data))
    peers = {peer["name"]: peer for peer in status["peers"]}
    password = status["password"]
    smtp_port = status["peers"][args.smtp_peer - 1]["smtp"]
    stats, registry = soak.Stats(args.out), soak.Registry()
    burners = [multiprocessing.Process(target=soak.burn, daemon=True) for _ in range(args.burn)]
    for process in burners:
        process.start()
    rng = random.Random(25)
    start = time.time()
    try:
        for round_number in range(1, args.rounds + 1):
            user = status["users"][round_number % len(status["users"])]
            recipient, imap_port = user["address"], peers[user["home"]]["imap"]
            soak_id = "%s-big-%d" % (registry.run, round_number)
            message, body = big_message(rng, soak_id, recipient)
            with registry.lock:
                registry.messages[soak_id] = ("smtp", message, body)
            stop, sent = threading.Event(), threading.Event()

            def send():
                try:
                    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=600) as smtp:
                        smtp.sendmail("alice@epost.test", [recipient], message)
                    stats.add("25 MB messages accepted (250)")
                except (OSError, smtplib.SMTPException) as e:
                    stats.add("25 MB messages refused: %s" % str(e)[:80])
                sent.set()

            soak.USER = recipient
            workers = [threading.Thread(target=send, daemon=True)]
            for name, body_function in [
                    ("reader", raw_reader(imap_port, recipient, password, stats, registry, stop)),
                    ("smtp", soak.smtp_writer(smtp_port, stats, registry, stop)),
                    ("flagger", soak.flagger(imap_port, password, stats, registry, stop))]:
                workers.append(threading.Thread(target=soak.guarded, daemon=True,
                                                args=("%s-%d" % (name, round_number), stats, stop, body_function)))
            for worker in workers:
                worker.start()
            polls_after = 0
            while polls_after < args.after:
                after = sent.is_set()
                result = subprocess.run([sys.executable, DIGEST, "127.0.0.1", str(imap_port), recipient, password],
                                        capture_output=True, text=True)
                stats.add("digest runs")
                if "asking again after a NOOP" in result.stderr:
                    stats.add("digest runs where SELECT counted a message the session did not know yet")
                if result.returncode != 0:
                    stats.anomaly("digest-%d" % round_number, "imap_digest.py failed",
                                  result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "",
                                  result.stderr.encode())
                polls_after += 1 if after else 0
            stop.set()
            for worker in workers:
                worker.join(timeout=300)
            print("big_fetch_soak: round %d (%s) done at %ds, anomalies %d" % (
                round_number, recipient, time.time() - start, sum(stats.anomalies.values())), file=sys.stderr)
    finally:
        for process in burners:
            process.terminate()
            process.join()
        load = os.getloadavg()
        if not args.reuse:
            soak.ring("down", data=args.data)
    print(json.dumps({
        "duration_s": round(time.time() - start), "load_avg_1m_at_end": round(load[0], 1), "cpus": os.cpu_count(),
        "peers": args.peers, "rounds": args.rounds, "burners": args.burn,
        "checked": dict(sorted(stats.counts.items())), "anomalies": dict(stats.anomalies),
        "first_example_of_each": stats.examples, "dumps": args.out if stats.anomalies else None}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
