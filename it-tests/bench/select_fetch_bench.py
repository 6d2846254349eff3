#!/usr/bin/env python3
"""SELECT and FETCH of a large folder: stock Apache James 3.8.1 and an ePOST peer, side by side in one run.

Each server is started by deploy/bin/epost-ring (one peer; --stock for unmodified James); D distinct messages of about
1 KiB are APPENDed to alice's INBOX over C parallel IMAP connections (imaplib, STARTTLS), then the folder is grown to N
messages by IMAP COPY of its own messages into itself (`UID COPY 1:k INBOX`, doubling at most; a copy is a new message
with its own UID, flags and dates that shares the stored content, as James's COPY makes it): a 100,000-message folder
in minutes instead of an hour of APPENDs. Then, for ePOST, the peer is
restarted (`epost-ring down` and `up` on the same data: the folder is read back from its log) and a new client times
  select_ms      the first SELECT INBOX (after the restart for ePOST; stock James's memory backend loses its mail
                 on restart, so it is timed without one)
  fetch_ms       UID FETCH of the headers (BODY.PEEK[HEADER]) of F messages (1:F)
  fetch_again_ms the same FETCH once more (contents cached)
  fetch_next_ms  UID FETCH of the headers of the next F messages (F+1:2F): a server whose code is warmed up by the
                 FETCHes before, reading messages it has not read since its start. Stock James is never timed just
                 after a start (its memory backend loses the folder), so this is the like-for-like FETCH figure;
                 fetch_ms of an ePOST peer also pays its cold JVM (class loading, compilation, heap growth)
  *_cpu_ms       CPU time (user + system, all threads) the server process spent during each of them: on a loaded
                 machine the wall times above mostly measure the wait for a core, these do not
  rss_mb         the server process's resident memory after the FETCHes
Printed as one JSON object per server. A benchmark, not a test: nothing is asserted.

usage: select_fetch_bench.py [--messages 100000] [--distinct 2000] [--fetch 1000] [--connections 4]
                             [--base-port 29500] [--only stock,epost] [--workdir DIR] [--jfr DIR]
With --workdir the servers' data is kept in DIR; a server whose data is already there is only restarted and timed
(the folder is not built again), so one 100,000-message folder serves several builds (EPOST_JAMES_HOME picks one).
With --jfr DIR the ePOST peer's timed start runs under JFR (settings=profile, from the JVM's start), dumped after the
FETCHes as DIR/select-fetch.jfr (summarize it with jfr_top.py); stock James is not recorded.
"""
import argparse
import imaplib
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RING = os.path.join(ROOT, "deploy", "bin", "epost-ring")


def ring(*args, data, env=None):
    return subprocess.run([RING, *args, "--data", data], check=True, capture_output=True, text=True,
                          env=env).stdout


def recorded(jfr):
    """The environment of a peer started under JFR from its first instruction (the SELECT after a restart is timed)."""
    if not jfr:
        return None
    options = os.environ.get("EPOST_JAVA_OPTS", "-Xms64m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
    return dict(os.environ, EPOST_JAVA_OPTS=options + " -XX:StartFlightRecording=name=bench,settings=profile")


def login(port, password):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=3600)  # a COPY of 10,000 on a loaded machine
    imap.starttls(ssl_context=context)
    imap.login("alice@epost.test", password)
    return imap


def fill(port, password, messages, connections):
    lock = threading.Lock()
    queue = list(range(messages))

    def worker():
        imap = login(port, password)
        while True:
            with lock:
                if not queue:
                    break
                index = queue.pop()
            message = ("From: carol@epost.test\r\nTo: alice@epost.test\r\nSubject: message %d\r\n"
                       "Message-ID: <m%d@epost.test>\r\n\r\n" % (index, index)) + ("y" * 70 + "\r\n") * 12
            status, _ = imap.append("INBOX", None, None, message.encode("ascii"))
            if status != "OK":
                raise RuntimeError("APPEND refused: %s" % status)
        imap.logout()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def grow(port, password, messages):
    """COPY the folder's first messages into itself until it holds `messages`. The folder is EXAMINEd: a SELECT
    would take \\Recent off every copy, one flag update per message for James's Lucene index (minutes at 50,000)."""
    imap = login(port, password)
    status, exists = imap.select("INBOX", readonly=True)
    count = int(exists[0])
    while count < messages:
        batch = min(count, messages - count, 10000)
        status, answer = imap.uid("COPY", "1:%d" % batch, "INBOX")
        if status != "OK":
            raise RuntimeError("COPY refused: %s %s" % (status, answer))
        status, exists = imap.select("INBOX", readonly=True)
        count = int(exists[0])
        progress("%d messages" % count)
    imap.logout()


def progress(text):
    print(time.strftime("%H:%M:%S"), text, file=sys.stderr, flush=True)


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return 1000 * (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024)
    return None


def timed(action, pid):
    """The action's result, its wall time and the CPU time of process `pid` meanwhile, in ms."""
    cpu = cpu_ms(pid)
    start = time.perf_counter()
    result = action()
    return result, round(1000 * (time.perf_counter() - start), 1), round(cpu_ms(pid) - cpu)


def measure(name, stock, args, base_port, workdir):
    data = os.path.join(workdir, name)
    built = not stock and os.path.isdir(data)  # stock James's memory backend keeps nothing over a restart
    jfr = None if stock else args.jfr
    if stock:
        shutil.rmtree(data, ignore_errors=True)
    ring("up", *([] if built else ["--peers", "1", "--base-port", str(base_port)]),
         *(["--stock"] if stock and not built else []), data=data, env=recorded(jfr) if built else None)
    try:
        status = json.loads(ring("status", "--json", data=data))
        peer = status["peers"][0]
        distinct = min(args.distinct, args.messages)
        append_s = grow_s = None
        if not built:
            start = time.time()
            fill(peer["imap"], status["password"], distinct, args.connections)
            append_s = time.time() - start
            start = time.time()
            grow(peer["imap"], status["password"], args.messages)
            grow_s = time.time() - start
        if not stock and not built:
            ring("down", data=data)
            ring("up", data=data, env=recorded(jfr))
            status = json.loads(ring("status", "--json", data=data))
            peer = status["peers"][0]
        imap = login(peer["imap"], status["password"])
        pid = peer["pid"]
        (select_status, exists), select_ms, select_cpu_ms = timed(lambda: imap.select("INBOX", readonly=True), pid)
        last = min(args.fetch, int(exists[0]))
        fetch = lambda: imap.uid("FETCH", "1:%d" % last, "(BODY.PEEK[HEADER])")
        (fetch_status, fetched), fetch_ms, fetch_cpu_ms = timed(fetch, pid)
        _, fetch_again_ms, fetch_again_cpu_ms = timed(fetch, pid)
        following = min(2 * args.fetch, int(exists[0]))
        (_, fetched_next), fetch_next_ms, fetch_next_cpu_ms = timed(
            lambda: imap.uid("FETCH", "%d:%d" % (last + 1, following), "(BODY.PEEK[HEADER])"), pid)
        imap.logout()
        if jfr:
            os.makedirs(jfr, exist_ok=True)
            subprocess.run(["jcmd", str(pid), "JFR.dump", "name=bench",
                            "filename=" + os.path.abspath(os.path.join(jfr, "select-fetch.jfr"))],
                           check=True, capture_output=True)
        result = {
            "server": "stock James 3.8.1 (memory app)" if stock else "ePOST peer (after a restart)",
            "messages": int(exists[0]), "appends_per_s": append_s and round(distinct / append_s, 1),
            "copy_s": grow_s and round(grow_s, 1),
            "select_ms": select_ms, "fetched": sum(1 for part in fetched if isinstance(part, tuple)),
            "fetch_ms": fetch_ms, "fetch_again_ms": fetch_again_ms,
            "select_cpu_ms": select_cpu_ms, "fetch_cpu_ms": fetch_cpu_ms, "fetch_again_cpu_ms": fetch_again_cpu_ms,
            "fetched_next": sum(1 for part in fetched_next if isinstance(part, tuple)),
            "fetch_next_ms": fetch_next_ms, "fetch_next_cpu_ms": fetch_next_cpu_ms,
            "rss_mb": rss_mb(pid),
        }
        progress(json.dumps(result))
        return result
    finally:
        ring("down", data=data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100000)
    parser.add_argument("--distinct", type=int, default=2000, help="messages APPENDed before the COPYs")
    parser.add_argument("--fetch", type=int, default=1000)
    parser.add_argument("--only", default="stock,epost", help="servers to run: stock, epost or both")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--base-port", type=int, default=29500)
    parser.add_argument("--workdir", help="keep the servers' data here and reuse it when present")
    parser.add_argument("--jfr", help="record the ePOST peer's timed start and FETCHes with JFR into this directory")
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="epost-select-bench-")
    if args.workdir:
        os.makedirs(workdir, exist_ok=True)
    try:
        only = args.only.split(",")
        results = [measure(name, name == "stock", args, args.base_port + (0 if name == "stock" else 200), workdir)
                   for name in ("stock", "epost") if name in only]
        print(json.dumps({"results": results}, indent=1))
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
