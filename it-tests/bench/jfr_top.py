#!/usr/bin/env python3
"""Where the CPU goes in JFR recordings: the top frames by CPU samples (jdk.ExecutionSample) of one or more .jfr files.

Prints, over all the files given together (e.g. the three peers of a ring):
  self       the frames samples were taken in (leaf frames), as a share of all samples
  epost      the first org.epost frame of each sample's stack (what ePOST code led to the work), inclusive
  component  samples by area: TLS, SHA-256/crypto, CBOR, MIME parsing (mime4j), GC-heavy allocation sites aside
  thread     samples by thread, numbered threads of one pool together (e.g. the node thread defaultEventLoop, the
             crypto pool epost-crypto)
--waits reports waits instead of CPU: the time threads spent parked (jdk.ThreadPark: locks, futures, queues) or
blocked entering a monitor (jdk.JavaMonitorEnter), as recorded (the `profile` settings keep waits of 10 ms or more),
summed by thread, by the first ePOST frame of the waiting stack, by what was waited on (the parked-on class or
the monitor's class) and by both (waits with no ePOST frame, mostly idle pool threads, left out there).
Reads the recordings with the JDK's `jfr` tool. A report, not a test.

usage: jfr_top.py [--top 15] [--waits] FILE.jfr...
"""
import argparse
import collections
import json
import re
import subprocess
import sys

AREAS = [
    ("TLS", ("sun.security.ssl.", "javax.net.ssl.")),
    ("AES/GCM, ChaCha, EC, RSA", ("com.sun.crypto.provider.", "sun.security.ec.", "sun.security.rsa.",
                                  "org.bouncycastle.", "sun.security.util.math.")),
    ("SHA-256 and digests", ("sun.security.provider.SHA", "sun.security.provider.DigestBase",
                             "java.security.MessageDigest")),
    ("CBOR (Jackson)", ("com.fasterxml.jackson.",)),
    ("MIME parsing (mime4j, javax.mail)", ("org.apache.james.mime4j.", "javax.mail.", "com.sun.mail.")),
    ("Netty", ("io.netty.",)),
    ("Reactor", ("reactor.",)),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
]


def frames_of(path, depth):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events", "jdk.ExecutionSample",
                          path], check=True, capture_output=True, text=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        trace = event["values"].get("stackTrace")
        if not trace:
            continue
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or "?"
        yield re.sub(r"[-#]?\d+", "", thread), ["%s.%s" % (f["method"]["type"]["name"].replace("/", "."),
                                                        f["method"]["name"]) for f in trace["frames"]]


def waits_of(path, depth):
    """(thread, frames, what was waited on, milliseconds) of every recorded park and monitor wait."""
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events",
                          "jdk.ThreadPark,jdk.JavaMonitorEnter", path], check=True, capture_output=True,
                         text=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        trace = values.get("stackTrace")
        frames = ["%s.%s" % (f["method"]["type"]["name"].replace("/", "."), f["method"]["name"])
                  for f in trace["frames"]] if trace else []
        thread = (values.get("eventThread") or {}).get("javaName") or "?"
        on = values.get("parkedClass") or values.get("monitorClass") or {}
        yield (re.sub(r"[-#]?\d+", "", thread), frames, (on.get("name") or "?").replace("/", "."),
               duration_ms(values.get("duration", "PT0S")))


def duration_ms(iso):
    """JFR's ISO-8601 durations (PT0.012345S, PT1M2.5S) in milliseconds."""
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", iso)
    if not match:
        return 0.0
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return 1000 * (3600 * hours + 60 * minutes + seconds)


def report_waits(args):
    threads, epost, on, both = (collections.Counter(), collections.Counter(), collections.Counter(),
                                collections.Counter())
    total, count = 0.0, 0
    for path in args.files:
        for thread, frames, what, millis in waits_of(path, args.depth):
            total += millis
            count += 1
            threads[thread] += millis
            first = next((f for f in frames if f.startswith("org.epost.") and "$$Lambda" not in f),
                         "(no ePOST frame)")
            epost[first] += millis
            on[what] += millis
            if first != "(no ePOST frame)":  # idle pool threads wait without one
                both["%s on %s" % (first, what.rsplit(".", 1)[-1])] += millis
    if not count:
        print("no waits recorded")
        return 1
    for title, counter in (("thread", threads), ("first ePOST frame of the waiting stack", epost),
                           ("waited on", on), ("ePOST frame and what it waited on", both)):
        print("%s, %d waits, %.1f s in all:" % (title, count, total / 1000))
        for name, millis in counter.most_common(args.top):
            print("  %8.1f s  %5.1f%%  %s" % (millis / 1000, 100.0 * millis / total, name))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--depth", type=int, default=64)
    parser.add_argument("--waits", action="store_true")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.waits:
        return report_waits(args)
    leaf, epost, areas, threads = (collections.Counter(), collections.Counter(), collections.Counter(),
                                   collections.Counter())
    total = 0
    for path in args.files:
        for thread, frames in frames_of(path, args.depth):
            total += 1
            threads[thread] += 1
            leaf[frames[0]] += 1
            first = next((f for f in frames if f.startswith("org.epost.") and "$$Lambda" not in f), "(no ePOST frame)")
            epost[first] += 1
            area = next((name for name, prefixes in AREAS if any(f.startswith(prefixes) for f in frames)), "other")
            areas[area] += 1
    if not total:
        print("no CPU samples")
        return 1
    for title, counter in (("self (leaf frame)", leaf), ("first ePOST frame (inclusive)", epost),
                           ("area (first match on the stack)", areas), ("thread", threads)):
        print("%s, %d samples:" % (title, total))
        for name, count in counter.most_common(args.top):
            print("  %5.1f%%  %s" % (100.0 * count / total, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
