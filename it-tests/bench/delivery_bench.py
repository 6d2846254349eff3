#!/usr/bin/env python3
"""SMTP -> IMAP delivery benchmark: stock Apache James 3.8.1 and an ePOST peer, side by side in one run.

Each server is started by deploy/bin/epost-ring (one peer; --stock for unmodified James), then N mails go from
carol@epost.test to alice@epost.test over C parallel SMTP connections (Python's smtplib, a real client), and an IMAP
client (imaplib, STARTTLS) polls alice's INBOX until all N are there. Printed as one JSON object per server:
  submit_per_s     mails acknowledged (250) per second over SMTP
  delivered_per_s  mails visible over IMAP per second, from the first send to the last arrival
  latency_ms       p50 / p99 of (first seen over IMAP - SMTP send), polling every --poll-ms
  smtp_250_ms      p50 / p99 of (SMTP 250 - SMTP send): what the client waits for per mail
  store_ms         ePOST: mean / p50 / p99 of the sending peer's message store (its log's "bytes stored in N ms")
  cpu_s_per_1000   CPU seconds of the server process per 1,000 delivered mails
  rss_mb           resident memory of the server process at the end
A third run measures delivery between peers: a ring of 3 ePOST peers, mail submitted to peer2's SMTP port for alice,
whose home is peer1 (CPU and RSS are then the sums over the 3 peers).
A benchmark, not a test: nothing is asserted. On one peer, stock James delivers locally and the ePOST peer through
ePOST (the message stored in PAST, a notification to the home peer, which is itself).

--warmup W first sends W mails (subject "warm N") and waits for them, unmeasured; --only picks runs (stock, epost,
ring); --rate R then measures latency at a paced rate on the same server: another --mails mails submitted at R mails
per s (each mail sent at its slot start + i / R, on whichever of the C connections is free), printed as "paced";
--rate half paces at half the delivered_per_s that server's unpaced phase just measured (the issue's latency goal is
for half the maximal rate). The IMAP client fetches only messages it has not seen (UID FETCH from the next UID),
every --poll-ms (50); latency is then up to that much late. --jfr DIR records a JFR profile (settings=profile) of every server during the measured phase only, kept as
DIR/<run>-peerN.jfr (summarize them with jfr_top.py). Each ePOST run also prints "per_mail": the growth of every
ePOST counter of /metrics (PAST inserts, lookups and messages, notifications, receipts, log appends...) over the
measured phase, summed over the peers and divided by the mails delivered, and "mean_ms": the mean of every ePOST
timer over the phase (PAST operations, log appends; a notification's steps: epost_notify_sender_sealed / _sent
after its send began, epost_notify_send until its receipt; epost_notify_home_opened / _certified / _verified /
_begun / _accepted / _seen after it arrived at the home peer).

Ports: stock James at the base port, the ePOST peer at +100, the ring at +200 to +499.

usage: delivery_bench.py [--mails 500] [--size 4096] [--connections 4] [--warmup 0] [--only stock,epost,ring]
                         [--rate R|half] [--poll-ms 50] [--jfr DIR] [--base-port 27000]
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
TOTAL_MICROS = "_total_micros"  # the counter of a timer's sum (RegistryMetricSink)


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


def send_all(port, mails, size, connections, sent_at, subject="bench", rate=None, acked_at=None):
    """Sends mails 0..mails-1 over the connections; with a rate, mail i not before start + i / rate."""
    body = ("x" * 76 + "\n") * max(1, size // 77)
    lock = threading.Lock()
    queue = list(range(mails - 1, -1, -1))
    start = time.time()

    def worker():
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                if rate:
                    time.sleep(max(0.0, start + index / rate - time.time()))
                message = EmailMessage()
                message["From"] = "carol@epost.test"
                message["To"] = "alice@epost.test"
                message["Subject"] = "%s %d" % (subject, index)
                message.set_content(body)
                sent_at[index] = time.time()
                smtp.send_message(message)
                if acked_at is not None:
                    acked_at[index] = time.time()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def watch_inbox(port, password, mails, sent_at, seen_at, deadline, subject="bench", poll=0.05):
    """Polls alice's INBOX for messages not seen yet (UIDs from the next one on) until all mails arrived."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=60)
    imap.starttls(ssl_context=context)
    imap.login("alice@epost.test", password)
    pattern = re.compile(rb"Subject: " + subject.encode() + rb" (\d+)")
    # a UID can show up before a lower one does (James answers a FETCH while appends land): the next poll starts
    # at the lowest UID not seen yet, not after the highest seen
    uids, next_uid = set(), 1
    while len(seen_at) < mails and time.time() < deadline:
        status, data = imap.select("INBOX", readonly=True)
        if status == "OK" and int(data[0]) > 0:
            now = time.time()
            try:
                status, fetched = imap.uid("FETCH", "%d:*" % next_uid, "(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            except imaplib.IMAP4.error:
                # James sometimes refuses a FETCH while appends land in the mailbox; the next poll sees them
                time.sleep(poll)
                continue
            for part in fetched:
                if isinstance(part, tuple):
                    uid = re.search(rb"UID (\d+)", part[0])
                    if uid:
                        uids.add(int(uid.group(1)))
                    match = pattern.search(part[1])
                    if match:
                        seen_at.setdefault(int(match.group(1)), now)
            while next_uid in uids:
                next_uid += 1
        time.sleep(poll)
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


def store_times(log, offset):
    """The times the sending peer logged for storing each message ("... bytes stored in N ms") after offset."""
    try:
        with open(log, "rb") as lines:
            lines.seek(offset)
            return [int(m.group(1)) for m in re.finditer(rb"bytes stored in (\d+) ms", lines.read())]
    except OSError:
        return []


def phase(args, status, pids, subject, rate=None, jfr_name=None, entry_log=None):
    """One measured phase: mails sent (paced at rate if given) and watched until visible; its figures."""
    home = status["peers"][0]  # alice lives on peer1
    entry = status["peers"][1 if len(pids) > 1 else 0]
    sent_at, seen_at, acked_at = {}, {}, {}
    if jfr_name:
        for pid in pids:  # the measured phase only: no start-up, no warm-up
            subprocess.run(["jcmd", str(pid), "JFR.start", "name=bench", "settings=profile"], check=True,
                           capture_output=True)
    counters_before = epost_counters(status["peers"])
    log_offset = os.path.getsize(entry_log) if entry_log and os.path.exists(entry_log) else 0
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    start = time.time()
    watcher = threading.Thread(target=watch_inbox, args=(home["imap"], status["password"], args.mails, sent_at,
                                                         seen_at, start + 600, subject, args.poll_ms / 1000))
    watcher.start()
    send_all(entry["smtp"], args.mails, args.size, args.connections, sent_at, subject=subject, rate=rate,
             acked_at=acked_at)
    submitted = time.time()
    watcher.join()
    done = max(seen_at.values()) if seen_at else time.time()
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    counters = epost_counters(status["peers"])
    counters.subtract(counters_before)
    if jfr_name:
        os.makedirs(args.jfr, exist_ok=True)
        for index, pid in enumerate(pids, 1):
            subprocess.run(["jcmd", str(pid), "JFR.stop", "name=bench", "filename=%s" % os.path.abspath(
                os.path.join(args.jfr, "%s-peer%d.jfr" % (jfr_name, index)))], check=True, capture_output=True)
    latencies = [1000 * (seen_at[i] - sent_at[i]) for i in seen_at if i in sent_at]
    smtp = [1000 * (acked_at[i] - sent_at[i]) for i in acked_at]
    stored = store_times(entry_log, log_offset) if entry_log else []
    return {
        "mails": args.mails, "delivered": len(seen_at), "seconds": round(done - start, 1), **({"rate_per_s": round(rate, 1)} if rate else {}),
        "submit_per_s": round(args.mails / (submitted - start), 1),
        "delivered_per_s": round(len(seen_at) / (done - start), 1),
        "latency_ms": {"p50": round(percentile(latencies, 0.5)), "p99": round(percentile(latencies, 0.99))}
        if latencies else None,
        "smtp_250_ms": {"p50": round(percentile(smtp, 0.5)), "p99": round(percentile(smtp, 0.99))} if smtp else None,
        **({"store_ms": {"mean": round(sum(stored) / len(stored)), "p50": percentile(stored, 0.5),
                         "p99": percentile(stored, 0.99)}} if stored else {}),
        "cpu_s_per_1000": round(1000 * cpu / max(1, len(seen_at)), 2),
        "per_mail": {name: round(value / max(1, len(seen_at)), 2) for name, value in sorted(counters.items())
                     if value and not name.endswith(("_sum", TOTAL_MICROS))},
        "mean_ms": step_means(counters),
    }


def step_means(counters):
    """The mean of every ePOST timer over the phase: the growth of its total over the growth of its count."""
    means = {}
    for name, total in sorted(counters.items()):
        if name.endswith(TOTAL_MICROS) and total:
            timer = name[:-len(TOTAL_MICROS)]
            count = counters.get(timer + "_count", 0)
            if count > 0:
                means[timer] = round(total / count / 1000, 1)
    return means


def measure(name, stock, args, base_port, workdir, peers=1):
    data = os.path.join(workdir, name)
    ring("up", "--peers", str(peers), "--base-port", str(base_port), *(["--stock"] if stock else []), data=data)
    try:
        status = json.loads(ring("status", "--json", data=data))
        home = status["peers"][0]
        entry = status["peers"][1 if peers > 1 else 0]
        pids = [peer["pid"] for peer in status["peers"]]
        entry_log = None if stock else os.path.join(data, "peer%d" % (2 if peers > 1 else 1), "logs", "console.log")
        if args.warmup:
            send_all(entry["smtp"], args.warmup, args.size, args.connections, {}, subject="warm")
            wait_for(home["imap"], status["password"], args.warmup, time.time() + 600)
        result = {
            "server": "stock James 3.8.1 (memory app)" if stock else
            "ePOST peer" if peers == 1 else "ePOST ring of %d, SMTP on peer2, alice on peer1" % peers,
            "warmup": args.warmup, "size_bytes": args.size, "connections": args.connections,
            **phase(args, status, pids, "bench", jfr_name=name if args.jfr else None, entry_log=entry_log),
        }
        if args.rate:
            rate = result["delivered_per_s"] / 2 if args.rate == "half" else float(args.rate)
            result["paced"] = phase(args, status, pids, "paced", rate=rate, entry_log=entry_log)
        result["rss_mb"] = round(sum(rss_mb(pid) for pid in pids))
        return result
    finally:
        ring("down", data=data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--only", default="stock,epost,ring")
    parser.add_argument("--rate", help="mails per s for a paced phase after the unpaced one, or 'half'")
    parser.add_argument("--poll-ms", type=int, default=50)
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
            results.append(measure("epost", False, args, args.base_port + 100, workdir))
        if "ring" in runs:
            results.append(measure("epost-ring", False, args, args.base_port + 200, workdir, peers=3))
        print(json.dumps({"results": results}, indent=1))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
