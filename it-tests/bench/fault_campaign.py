#!/usr/bin/env python3
"""Fault campaign (issue #15): SMTP soak against a 4-peer ePOST ring while peers are killed with SIGKILL and restarted,
then a full-disk case. Not a test run by `mvn verify`: a harness that prints figures and asserts at the end.

Soak: S sender threads submit small mails over SMTP (Python's smtplib, a real client) to a random live peer, from
alice to alice, bob or carol (homes peer1..3), each with a unique marker in its Subject. Meanwhile a chaos thread
repeatedly picks a random peer, kills it with SIGKILL (no shutdown of any kind), waits, and restarts it with
`epost-ring up` (at most one peer down at a time: k=3 replicas on 4 peers). When the time is up every peer is started
again and the harness reads each recipient's INBOX over IMAP until every mail that got a 250 is there, or the wait
runs out. Asserted: every mail answered 250 is in its recipient's INBOX exactly once (4xx answers and broken
connections are allowed: the client was told to retry, and is counted).

Full disk (--full-disk, after the soak): peer4 is restarted with `past.store.quota` of a few KiB, then mails with
attachments go through the other peers; asserted: peer4 answered "full" (its `epost_past_insert_full` counter or its
log), and every mail answered 250 is in its recipient's INBOX exactly once (the others took the replicas).

usage: fault_campaign.py [--minutes 10] [--senders 3] [--base-port 46500] [--full-disk] [--seed 15]
"""
import argparse
import imaplib
import json
import os
import random
import re
import shutil
import smtplib
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RING = os.path.join(ROOT, "deploy", "bin", "epost-ring")
USERS = ["alice@epost.test", "bob@epost.test", "carol@epost.test"]
HOME = {"alice@epost.test": 1, "bob@epost.test": 2, "carol@epost.test": 3}


def ring(*args, data, check=True):
    result = subprocess.run([RING, *args, "--data", data], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError("epost-ring %s failed: %s%s" % (" ".join(args), result.stdout, result.stderr))
    return result.stdout


def status(data):
    return json.loads(ring("status", "--json", data=data))


def tear_down(data, keep):
    """Stops the ring and, unless it is to be kept, deletes its data directory."""
    ring("down", data=data, check=False)
    if not keep:
        shutil.rmtree(data, ignore_errors=True)


def conclude(failures, success):
    """Prints what failed and exits 1, or prints the success line."""
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)
    print(success)


def peak_rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


class Ledger:
    """What every submission got: marker -> recipient for 250s, and counters for the rest."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = {}
        self.counts = {"250": 0, "4xx": 0, "5xx": 0, "connection": 0}

    def add(self, kind, marker=None, recipient=None):
        with self.lock:
            self.counts[kind] += 1
            if kind == "250":
                self.accepted[marker] = recipient


def send_one(port, recipient, marker, attachment=None, timeout=300):
    message = EmailMessage()
    message["From"] = "alice@epost.test"
    message["To"] = recipient
    message["Subject"] = "campaign " + marker
    message.set_content("Body of " + marker + "\n")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream", filename=marker + ".bin")
    with smtplib.SMTP("127.0.0.1", port, timeout=timeout) as smtp:
        smtp.send_message(message)


def sender(ledger, ports, stop, rng, index, attachment_bytes=0):
    n = 0
    while not stop.is_set():
        n += 1
        marker = "m%d-%d-%08x" % (index, n, rng.getrandbits(32))
        recipient = rng.choice(USERS)
        live = ports()
        if not live:
            time.sleep(1)
            continue
        attachment = os.urandom(attachment_bytes) if attachment_bytes else None
        try:
            send_one(rng.choice(live), recipient, marker, attachment)
            ledger.add("250", marker, recipient)
        except smtplib.SMTPResponseException as e:
            ledger.add("4xx" if 400 <= e.smtp_code < 500 else "5xx")
        except (OSError, smtplib.SMTPException):
            ledger.add("connection")


def inbox_subjects(port, user, password):
    imap = imaplib.IMAP4("127.0.0.1", port)
    try:
        imap.starttls(ssl_context=ssl._create_unverified_context())
        imap.login(user, password)
        imap.select("INBOX", readonly=True)
        typ, data = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        subjects = []
        if typ == "OK":
            for item in data:
                if isinstance(item, tuple):
                    subjects.extend(re.findall(rb"campaign (\S+)", item[1]))
        return [s.decode() for s in subjects]
    except imaplib.IMAP4.error as e:
        if b"Empty" in str(e).encode() or "no messages" in str(e).lower():
            return []
        raise
    finally:
        try:
            imap.logout()
        except Exception:
            pass


def verify(ledger, data, password, wait_s):
    """Waits until every accepted mail is in its INBOX; answers (missing, duplicated) markers."""
    deadline = time.time() + wait_s
    while True:
        st = status(data)
        seen = {}
        for user in USERS:
            port = st["peers"][HOME[user] - 1]["imap"]
            try:
                for marker in inbox_subjects(port, user, password):
                    seen[marker] = seen.get(marker, 0) + 1
            except (OSError, imaplib.IMAP4.error):
                pass
        missing = [m for m in ledger.accepted if seen.get(m, 0) == 0]
        duplicated = [m for m in ledger.accepted if seen.get(m, 0) > 1]  # this phase's mails only
        if not missing or time.time() > deadline:  # a duplicate never goes away: no use waiting for it
            return missing, duplicated
        time.sleep(5)


def chaos(data, stop, rng, kills, down_now):
    while not stop.is_set():
        if stop.wait(rng.uniform(15, 40)):
            break
        st = status(data)
        victim = rng.randint(1, len(st["peers"]))
        pid = st["peers"][victim - 1]["pid"]
        down_now.add(victim)
        try:
            os.kill(pid, 9)
            kills.append((round(time.time()), victim))
        except ProcessLookupError:
            pass
        stop.wait(rng.uniform(5, 25))
        ring("up", data=data, check=False)
        down_now.discard(victim)


def full_disk(data, password, rng, mails):
    """peer4 with a quota of a few KiB: it answers full, the others take the replicas, nothing is lost."""
    st = status(data)
    pid = st["peers"][3]["pid"]
    os.kill(pid, 15)
    while os.path.exists("/proc/%d" % pid):
        time.sleep(0.5)
    props = os.path.join(st["peers"][3]["data"], "conf", "epost.properties")
    with open(props) as f:
        text = f.read()
    text = re.sub(r"(?m)^past\.store\.quota=.*\n?", "", text) + "\npast.store.quota=64K\n"
    with open(props, "w") as f:
        f.write(text)
    ring("up", data=data)
    st = status(data)
    ledger = Ledger()
    for i in range(mails):
        marker = "full%d-%08x" % (i, rng.getrandbits(32))
        recipient = rng.choice(USERS)
        try:
            send_one(st["peers"][i % 3]["smtp"], recipient, marker, os.urandom(300 * 1024))
            ledger.add("250", marker, recipient)
        except smtplib.SMTPResponseException as e:
            ledger.add("4xx" if 400 <= e.smtp_code < 500 else "5xx")
        except (OSError, smtplib.SMTPException):
            ledger.add("connection")
    missing, duplicated = verify(ledger, data, password, 300)
    refused = count_lines(st["peers"][3]["data"], "store full")
    diverted = sum(count_lines(p["data"], "is full, diverting") for p in st["peers"])
    return {"mails": mails, "counts": ledger.counts, "missing": len(missing), "duplicated": len(duplicated),
            "peer4_refused_blocks_full": refused, "replicas_diverted": diverted}, missing, duplicated


def count_lines(peer_dir, text):
    """Lines of a peer's logs (console.log holds everything it logged, across restarts) containing text."""
    with open(os.path.join(peer_dir, "logs", "console.log"), errors="replace") as f:
        return sum(1 for line in f if text in line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--senders", type=int, default=3)
    parser.add_argument("--base-port", type=int, default=46500)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--full-disk", action="store_true")
    parser.add_argument("--full-disk-mails", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave the ring's data directory")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    data = tempfile.mkdtemp(prefix="epost-fault-")
    failures = []
    try:
        ring("up", "--peers", "4", "--base-port", str(args.base_port), data=data)
        st = status(data)
        password = st["password"]
        ledger, stop, kills, down_now = Ledger(), threading.Event(), [], set()

        def live_ports():
            s = status(data)
            return [p["smtp"] for i, p in enumerate(s["peers"], 1) if i not in down_now]

        threads = [threading.Thread(target=sender, args=(ledger, live_ports, stop, random.Random(args.seed + i), i))
                   for i in range(args.senders)]
        threads.append(threading.Thread(target=chaos, args=(data, stop, rng, kills, down_now)))
        start = time.time()
        for t in threads:
            t.start()
        time.sleep(args.minutes * 60)
        stop.set()
        for t in threads:
            t.join()
        soak_s = time.time() - start
        ring("up", data=data, check=False)
        missing, duplicated = verify(ledger, data, password, 600)
        st = status(data)
        soak = {"minutes": round(soak_s / 60, 1), "kills": len(kills), "killed": kills, "counts": ledger.counts,
                "missing": len(missing), "duplicated": len(duplicated),
                "peak_rss_mb": [peak_rss_mb(p["pid"]) for p in st["peers"]],
                # notifications a home peer had begun (written ahead) but not marked seen when it was killed: the
                # retries of these are the append/seen-id window the exactly-once check is about
                "handed_over_again": sum(count_lines(p["data"], "handed over again") for p in st["peers"])}
        print(json.dumps({"soak": soak}))
        if missing or duplicated or ledger.counts["250"] == 0:
            failures.append("soak: %d accepted mails missing %s, %d duplicated %s" % (
                len(missing), missing[:10], len(duplicated), duplicated[:10]))
        if args.full_disk:
            figures, missing, duplicated = full_disk(data, password, rng, args.full_disk_mails)
            print(json.dumps({"full_disk": figures}))
            if missing or duplicated or figures["counts"]["250"] == 0:
                failures.append("full disk: %d missing, %d duplicated" % (len(missing), len(duplicated)))
            if figures["peer4_refused_blocks_full"] == 0:
                failures.append("full disk: peer4 never said it was full")
    finally:
        tear_down(data, args.keep)
    conclude(failures, "OK: every mail answered 250 is in its recipient's INBOX exactly once")


if __name__ == "__main__":
    main()
