#!/usr/bin/env python3
"""Where the CPU goes in JFR recordings: the top frames by CPU samples (jdk.ExecutionSample) of one or more .jfr files.

Prints, over all the files given together (e.g. the three peers of a ring):
  self       the frames samples were taken in (leaf frames), as a share of all samples
  epost      the first org.epost frame of each sample's stack (what ePOST code led to the work), inclusive
  component  samples by area: TLS, SHA-256/crypto, CBOR, MIME parsing (mime4j), GC-heavy allocation sites aside
  subsystem  samples by the subsystem that did the work: the first of SUBSYSTEMS (in that order) with a frame anywhere
             on the stack, so TLS and the ciphers it drives count as TLS, and CBOR decoded under Netty as CBOR
  thread     samples by thread, numbered threads of one pool together (e.g. the node thread defaultEventLoop, the
             crypto pool epost-crypto)
--jvm adds, per file, what CPU samples do not show: the time in garbage collections, in JIT compilations, and the
bytes allocated (JFR's weighted allocation samples).
--waits reports waits instead of CPU: the time threads spent parked (jdk.ThreadPark: locks, futures, queues) or
blocked entering a monitor (jdk.JavaMonitorEnter), as recorded (the `profile` settings keep waits of 10 ms or more),
summed by thread, by the first ePOST frame of the waiting stack, by what was waited on (the parked-on class or
the monitor's class) and by both (waits with no ePOST frame, mostly idle pool threads, left out there).
Reads the recordings with the JDK's `jfr` tool. A report, not a test.

usage: jfr_top.py [--top 15] [--waits] [--jvm] FILE.jfr...
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

SUBSYSTEMS = [
    ("TLS records and handshakes", ("sun.security.ssl.", "javax.net.ssl.")),
    ("Ed25519 and X25519", ("org.bouncycastle.math.ec", "org.bouncycastle.math.raw", "sun.security.ec.",
                            "sun.security.util.math.", "org.epost.overlay.security.Ed25519Keys")),
    ("AEAD of ePOST data (log clusters, message parts, notifications, skeletons)",
     ("org.epost.post.crypto.SegmentedAead", "org.epost.post.crypto.SealedBox", "org.epost.mailbox.mail.SkeletonSeal")),
    ("SHA-256", ("sun.security.provider.SHA", "sun.security.provider.DigestBase", "java.security.MessageDigest")),
    ("other ciphers", ("com.sun.crypto.provider.",)),
    ("CBOR", ("com.fasterxml.jackson.", "org.epost.overlay.wire.Canonical", "org.epost.overlay.wire.Cbor")),
    ("RocksDB", ("org.rocksdb.",)),
    ("Lucene (search index)", ("org.apache.lucene.", "org.apache.james.mailbox.lucene.")),
    ("MIME parsing", ("org.apache.james.mime4j.", "javax.mail.", "com.sun.mail.")),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
    ("metrics", ("com.codahale.", "org.epost.peer.metrics.")),
    ("IMAP (James, ePOST's decoder)", ("org.apache.james.imap.", "org.epost.peer.imap.")),
    ("SMTP and mail processing (James, ePOST's hooks and mailets)",
     ("org.apache.james.protocols.", "org.apache.james.smtpserver.", "org.apache.james.mailetcontainer.",
      "org.apache.james.queue.", "org.apache.activemq.", "org.epost.mailets.", "org.epost.interop.")),
    ("James mailbox and events", ("org.apache.james.",)),
    ("other ePOST code", ("org.epost.",)),
    ("Netty (sockets, event loops)", ("io.netty.",)),
    ("Reactor", ("reactor.",)),
]


def jvm_summary(path):
    """Seconds in GCs and JIT compilations, and MB allocated, of one recording."""
    out = subprocess.run(["jfr", "print", "--json", "--events",
                          "jdk.GarbageCollection,jdk.Compilation,jdk.ObjectAllocationSample", path],
                         check=True, capture_output=True, text=True).stdout
    gc, compiling, allocated = 0.0, 0.0, 0
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        if event["type"] == "jdk.GarbageCollection":
            gc += duration_ms(values.get("duration", "PT0S")) / 1000
        elif event["type"] == "jdk.Compilation":
            compiling += duration_ms(values.get("duration", "PT0S")) / 1000
        else:
            allocated += values.get("weight", 0)
    return "%s: GC %.2f s, JIT compilations %.2f s, %.0f MB allocated" % (path, gc, compiling, allocated / 1e6)


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
    parser.add_argument("--jvm", action="store_true")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.waits:
        return report_waits(args)
    leaf, epost, areas, subsystems, threads = (collections.Counter(), collections.Counter(), collections.Counter(),
                                               collections.Counter(), collections.Counter())
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
            subsystems[next((name for name, prefixes in SUBSYSTEMS if any(f.startswith(prefixes) for f in frames)),
                            "JDK and other")] += 1
    if not total:
        print("no CPU samples")
        return 1
    for title, counter in (("self (leaf frame)", leaf), ("first ePOST frame (inclusive)", epost),
                           ("area (first match on the stack)", areas),
                           ("subsystem (first of SUBSYSTEMS on the stack)", subsystems), ("thread", threads)):
        print("%s, %d samples:" % (title, total))
        for name, count in counter.most_common(args.top):
            print("  %5.1f%%  %s" % (100.0 * count / total, name))
    if args.jvm:
        for path in args.files:
            print(jvm_summary(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
