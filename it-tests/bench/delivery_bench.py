#!/usr/bin/env python3
"""SMTP -> IMAP delivery benchmark: stock Apache James 3.8.1 and an ePOST peer, side by side in one run.

Each server is started by deploy/bin/epost-ring (one peer; --stock for unmodified James), then N mails go from
carol@epost.test to alice@epost.test over C parallel SMTP connections (Python's smtplib, a real client), and an IMAP
client (imaplib, STARTTLS) polls alice's INBOX until all N are there. Printed as one JSON object per server:
  submit_per_s     mails acknowledged (250) per second over SMTP
  delivered_per_s  mails visible over IMAP per second, from the first send to the last arrival
  latency_ms       p50 / p99 of (first seen over IMAP - SMTP send), polling every 100 ms
  cpu_s_per_1000   CPU seconds of the server process per 1,000 delivered mails
  rss_mb           resident memory of the server process at the end
A third run measures delivery between peers: a ring of 3 ePOST peers, mail submitted to peer2's SMTP port for alice,
whose home is peer1 (CPU and RSS are then the sums over the 3 peers).
A benchmark, not a test: nothing is asserted. On one peer, stock James delivers locally and the ePOST peer through
ePOST (the message stored in PAST, a notification to the home peer, which is itself).

--warmup W first sends W mails (subject "warm N") and waits for them, unmeasured; --only picks runs (stock, epost,
ring); --jfr DIR records a JFR profile (settings=profile) of every server during the measured phase only, kept as
DIR/<run>-peerN.jfr (summarize them with jfr_top.py). Each ePOST run also prints "per_mail": the growth of every
ePOST counter of /metrics (PAST inserts, lookups and messages, notifications, receipts, log appends...) over the
measured phase, summed over the peers and divided by the mails delivered.

usage: delivery_bench.py [--mails 500] [--size 4096] [--connections 4] [--warmup 0] [--only stock,epost,ring]
                         [--jfr DIR] [--base-port 27000]
"""
import argparse
import collections
import imaplib
import json
import os
import re
import shutil
import smtplib
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email.message import EmailMessage

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RING = os.path.join(ROOT, "deploy", "bin", "epost-ring")
TICKS = os.sysconf("SC_CLK_TCK")


def ring(*args, data):
    return subprocess.run([RING, *args, "--data", data], check=True, capture_output=True, text=True).stdout


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def send_all(port, mails, size, connections, sent_at, subject="bench"):
    body = ("x" * 76 + "\n") * max(1, size // 77)
    lock = threading.Lock()
    queue = list(range(mails))

    def worker():
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                message = EmailMessage()
                message["From"] = "carol@epost.test"
                message["To"] = "alice@epost.test"
                message["Subject"] = "%s %d" % (subject, index)
                message.set_content(body)
                sent_at[index] = time.time()
                smtp.send_message(message)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def watch_inbox(port, password, mails, sent_at, seen_at, deadline):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=60)
    imap.starttls(ssl_context=context)
    imap.login("alice@epost.test", password)
    while len(seen_at) < mails and time.time() < deadline:
        status, data = imap.select("INBOX", readonly=True)
        if status == "OK" and int(data[0]) > 0:
            now = time.time()
            try:
                status, fetched = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            except imaplib.IMAP4.error:
                # James sometimes refuses 1:* while appends land in the mailbox; the next poll sees them
                time.sleep(0.1)
                continue
            for part in fetched:
                if isinstance(part, tuple):
                    match = re.search(rb"bench (\d+)", part[1])
                    if match:
                        seen_at.setdefault(int(match.group(1)), now)
        time.sleep(0.1)
    imap.logout()


def wait_for(port, password, count, deadline):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=60)
    imap.starttls(ssl_context=context)
    imap.login("alice@epost.test", password)
    while time.time() < deadline:
        status, data = imap.select("INBOX", readonly=True)
        if status == "OK" and int(data[0]) >= count:
            break
        time.sleep(0.2)
    imap.logout()


def epost_counters(peers):
    """The ePOST counters (Prometheus samples named epost_*, quantiles aside) of all peers, summed by name."""
    totals = collections.Counter()
    for peer in peers:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % peer["webadmin"], timeout=10) as answer:
                text = answer.read().decode()
        except OSError:
            continue  # stock James: its /metrics route is not bound
        for line in text.splitlines():
            fields = line.split()
            if len(fields) == 2 and fields[0].startswith("epost_") and "{" not in fields[0]:
                totals[fields[0]] += float(fields[1])
    return totals


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(name, stock, args, base_port, workdir, peers=1):
    data = os.path.join(workdir, name)
    ring("up", "--peers", str(peers), "--base-port", str(base_port), *(["--stock"] if stock else []), data=data)
    try:
        status = json.loads(ring("status", "--json", data=data))
        home = status["peers"][0]  # alice lives on peer1
        entry = status["peers"][1 if peers > 1 else 0]
        pids = [peer["pid"] for peer in status["peers"]]
        if args.warmup:
            send_all(entry["smtp"], args.warmup, args.size, args.connections, {}, subject="warm")
            wait_for(home["imap"], status["password"], args.warmup, time.time() + 600)
        sent_at, seen_at = {}, {}
        if args.jfr:
            for pid in pids:  # the measured phase only: no start-up, no warm-up
                subprocess.run(["jcmd", str(pid), "JFR.start", "name=bench", "settings=profile"], check=True,
                               capture_output=True)
        counters_before = epost_counters(status["peers"])
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        start = time.time()
        watcher = threading.Thread(target=watch_inbox, args=(home["imap"], status["password"], args.mails, sent_at,
                                                             seen_at, start + 600))
        watcher.start()
        send_all(entry["smtp"], args.mails, args.size, args.connections, sent_at)
        submitted = time.time()
        watcher.join()
        done = max(seen_at.values()) if seen_at else time.time()
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        counters = epost_counters(status["peers"])
        counters.subtract(counters_before)
        if args.jfr:
            os.makedirs(args.jfr, exist_ok=True)
            for index, pid in enumerate(pids, 1):
                subprocess.run(["jcmd", str(pid), "JFR.stop", "name=bench", "filename=%s" % os.path.abspath(
                    os.path.join(args.jfr, "%s-peer%d.jfr" % (name, index)))], check=True, capture_output=True)
        latencies = [1000 * (seen_at[i] - sent_at[i]) for i in seen_at if i in sent_at]
        return {
            "server": "stock James 3.8.1 (memory app)" if stock else
            "ePOST peer" if peers == 1 else "ePOST ring of %d, SMTP on peer2, alice on peer1" % peers,
            "mails": args.mails, "warmup": args.warmup, "delivered": len(seen_at), "size_bytes": args.size, "connections": args.connections,
            "submit_per_s": round(args.mails / (submitted - start), 1),
            "delivered_per_s": round(len(seen_at) / (done - start), 1),
            "latency_ms": {"p50": round(percentile(latencies, 0.5)), "p99": round(percentile(latencies, 0.99))}
            if latencies else None,
            "cpu_s_per_1000": round(1000 * cpu / max(1, len(seen_at)), 2),
            "rss_mb": round(sum(rss_mb(pid) for pid in pids)),
            "per_mail": {name: round(value / max(1, len(seen_at)), 2) for name, value in sorted(counters.items())
                         if value and not name.endswith("_sum")},
        }
    finally:
        ring("down", data=data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--only", default="stock,epost,ring")
    parser.add_argument("--jfr")
    parser.add_argument("--base-port", type=int, default=27000)
    args = parser.parse_args()
    runs = set(args.only.split(","))
    workdir = tempfile.mkdtemp(prefix="epost-delivery-bench-")
    try:
        results = []
        if "stock" in runs:
            results.append(measure("stock", True, args, args.base_port, workdir))
        if "epost" in runs:
            results.append(measure("epost", False, args, args.base_port + 300, workdir))
        if "ring" in runs:
            results.append(measure("epost-ring", False, args, args.base_port + 600, workdir, peers=3))
        print(json.dumps({"results": results}, indent=1))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
