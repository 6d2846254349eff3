#!/usr/bin/env python3
"""IMAP literal memory bench (issue #15): what many unfinished IMAP literals cost a real peer.
Not a test run by `mvn verify`: a harness that prints one JSON line per setting, then asserts.

A real 1-peer ePOST ring (`deploy/bin/epost-ring`, ports from --base-port, the script's default heap -Xmx768m).
--connections plain IMAP connections, none logged in (the framer reads literals before LOGIN too), each send
`a1 APPEND INBOX {N+}` and all but the last octet of a literal of --literal-bytes (10 MiB - 1 KiB by default), then
hold it. The peer's RSS (/proc/PID/status VmRSS, VmHWM reset first through /proc/PID/clear_refs) and used heap
(`jcmd GC.heap_info`) are sampled until every literal is sent and for --hold seconds after. Run once per in-memory
limit: ePOST's default (1 MiB: the literal goes to an encrypted temporary file) and `inMemorySizeLimit` 10M in
imapserver.xml (James's default: the literal is held in the heap).

Asserts: the peer stayed up under both; with ePOST's default its peak RSS grew by less than a quarter of the
literal bytes the clients sent (they are on disk, encrypted, not in the heap).

usage: imap_literal_memory.py [--base-port 33600] [--connections 40] [--literal-bytes 10484736] [--hold 10] [--keep]
"""
import argparse
import json
import os
import re
import socket
import tempfile
import threading
import time

from attack_bench import heap_used_mib, proc_kib
from fault_campaign import conclude, ring, status, tear_down


def send_literals(port, connections, literal_bytes):
    """Opens the connections and sends each literal but its last octet; answers the open sockets."""
    chunk = b"x" * 65536
    sockets = []
    for _ in range(connections):
        s = socket.create_connection(("127.0.0.1", port), timeout=120)
        s.recv(4096)  # the greeting
        s.sendall(b"a1 APPEND INBOX {%d+}\r\n" % literal_bytes)
        sockets.append(s)
    for s in sockets:
        left = literal_bytes - 1
        while left > 0:
            n = min(left, len(chunk))
            s.sendall(chunk[:n])
            left -= n
    return sockets


def measure(args, data, limit):
    peer = status(data)["peers"][0]
    pid = peer["pid"]
    with open("/proc/%d/clear_refs" % pid, "w") as f:
        f.write("5")  # resets VmHWM
    baseline_rss = proc_kib(pid, "VmRSS")
    baseline_heap = heap_used_mib(pid)
    peaks = {"rss": baseline_rss, "heap": baseline_heap}
    done = threading.Event()

    def sample():
        while not done.is_set():
            peaks["rss"] = max(peaks["rss"], proc_kib(pid, "VmRSS"))
            peaks["heap"] = max(peaks["heap"], heap_used_mib(pid))
            time.sleep(1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.time()
    sockets = []
    try:
        sockets = send_literals(peer["imap"], args.connections, args.literal_bytes)
        time.sleep(args.hold)
    finally:
        done.set()
        sampler.join()
        for s in sockets:
            s.close()
    return {
        "in_memory_limit": limit,
        "connections": args.connections,
        "literal_mib": round(args.literal_bytes / 1048576, 2),
        "sent_mib": round(args.connections * args.literal_bytes / 1048576),
        "seconds": round(time.time() - started),
        "baseline_rss_mib": baseline_rss // 1024,
        "peak_rss_mib": peaks["rss"] // 1024,
        "high_water_rss_mib": proc_kib(pid, "VmHWM") // 1024,
        "baseline_heap_mib": baseline_heap,
        "peak_heap_mib": peaks["heap"],
        "peer_up": os.path.exists("/proc/%d" % pid),
    }


def set_in_memory_limit(data, limit):
    """Restarts the peer with `inMemorySizeLimit` in every IMAP server of its imapserver.xml."""
    peer = status(data)["peers"][0]
    os.kill(peer["pid"], 15)
    while os.path.exists("/proc/%d" % peer["pid"]):
        time.sleep(0.5)
    conf = os.path.join(peer["data"], "conf", "imapserver.xml")
    with open(conf) as f:
        text = re.sub(r"\s*<inMemorySizeLimit>[^<]*</inMemorySizeLimit>", "", f.read())
    with open(conf, "w") as f:
        f.write(text.replace("<literalSizeLimit>", "<inMemorySizeLimit>%s</inMemorySizeLimit><literalSizeLimit>" % limit))
    ring("up", data=data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-port", type=int, default=33600)
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--literal-bytes", type=int, default=10 * 1048576 - 1024)
    parser.add_argument("--hold", type=float, default=10)
    parser.add_argument("--keep", action="store_true", help="leave the ring's data directory")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="epost-literals-")
    failures = []
    try:
        ring("up", "--peers", "1", "--base-port", str(args.base_port), data=data)
        for limit in ("default", "10M"):
            if limit != "default":
                set_in_memory_limit(data, limit)
            figures = measure(args, data, limit)
            print(json.dumps(figures), flush=True)
            if not figures["peer_up"]:
                failures.append("%s: the peer went down" % limit)
                ring("up", data=data, check=False)
            growth = figures["peak_rss_mib"] - figures["baseline_rss_mib"]
            if limit == "default" and growth * 4 >= figures["sent_mib"]:
                failures.append("default: RSS grew by %d MiB for %d MiB of literals" % (growth, figures["sent_mib"]))
    finally:
        tear_down(data, args.keep)
    conclude(failures, "OK: the peer stayed up; with ePOST's default the literals did not grow its memory")


if __name__ == "__main__":
    main()
