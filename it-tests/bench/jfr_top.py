#!/usr/bin/env python3
"""Where the CPU goes in JFR recordings: the top frames by CPU samples (jdk.ExecutionSample) of one or more .jfr files.

Prints, over all the files given together (e.g. the three peers of a ring):
  self       the frames samples were taken in (leaf frames), as a share of all samples
  epost      the first org.epost frame of each sample's stack (what ePOST code led to the work), inclusive
  component  samples by area: TLS, SHA-256/crypto, CBOR, MIME parsing (mime4j), GC-heavy allocation sites aside
  thread     samples by thread, numbered threads of one pool together (e.g. the node thread defaultEventLoop, the
             crypto pool epost-crypto)
Reads the recordings with the JDK's `jfr` tool. A report, not a test.

usage: jfr_top.py [--top 15] FILE.jfr...
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--depth", type=int, default=64)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
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
