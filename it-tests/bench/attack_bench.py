#!/usr/bin/env python3
"""Attack bench (issue #15): the peak RSS of a real peer attacked by a hostile node that holds a valid certificate.
Not a test run by `mvn verify`: a harness that prints one JSON line per attack.

A real 3-peer ePOST ring (`deploy/bin/epost-ring`, ports from --base-port), bob homed on peer2, the victim. A hostile
overlay node (`org.epost.post.bench.HostileNodeMain`, its own process) gets a node certificate from the ring's
organization authority (DIR/ca, `epost-admin node-credentials`), joins the ring over real TLS and floods the victim
for --minutes with one attack at a time:
  delegate     notifications to keep (`post.notify`, boxes up to the 4 MiB frame limit, copies and roots)
  scribe       Scribe joins to new random groups
  past         PAST inserts of 1 MiB blocks (the victim's `past.store.quota` is set to --victim-quota to fill it)
  garbage      TLS links sending an oversized length, wrong-version and random frames; plain-TCP garbage
  connections  up to --connections idle TLS links held open
  hello-links  links that said a valid hello, --links-per-identity for each of --identities node certificates
               (made with `epost-admin node-credentials`), reopened as the victim closes them; the victim's
               `overlay.links.inbound` is set to --victim-inbound-cap so that they fill it. Its leaf-set members'
               links must still get in (issue #15's inbound cap against many nodes)
Meanwhile a mail goes every --mail-interval seconds from alice through peer1 to bob, and the victim's RSS
(/proc/PID/status VmRSS, VmHWM reset before each attack through /proc/PID/clear_refs) and heap (`jcmd GC.heap_info`)
are sampled. Per attack: peak and baseline RSS, peak heap, mails sent and delivered to bob's INBOX over IMAP, the
victim's rejection counters (WebAdmin /metrics, the rise during the attack), the hostile node's own figures, and
whether the victim stayed up.

usage: attack_bench.py [--attacks delegate,scribe,past,garbage,connections,hello-links] [--minutes 3]
                       [--base-port 33000] [--mail-interval 5] [--victim-quota 512M] [--connections 2000]
                       [--identities 24] [--links-per-identity 4] [--victim-inbound-cap 64] [--keep]
"""
import argparse
import imaplib
import json
import os
import re
import smtplib
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request
from email.message import EmailMessage

from fault_campaign import conclude, ring, status, tear_down

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAMES_HOME = os.environ.get("EPOST_JAMES_HOME", os.path.join(ROOT, "deploy", "target", "epost-james"))
# bench-lib: the hostile node's main lives in the epost-bench jar, which no peer has on its classpath
CLASSPATH = (os.path.join(JAMES_HOME, "james-server-memory-app.lib", "*") + ":"
             + os.path.join(JAMES_HOME, "epost-lib", "*") + ":" + os.path.join(JAMES_HOME, "bench-lib", "*"))
VICTIM = 2
RECIPIENT = "bob@epost.test"
COUNTER = re.compile(
    r"(?m)^(\S*(?:rejected|refused|full|drop|closed|limit|expired|malformed|kept|stored|evicted)\S*)\s+([0-9.eE+-]+)$")
# what the victim logs when it turns something away, counted in its console.log during an attack
LOG_WORDS = ("rejected", "refused", "dropped", "dropping", "closing", "is full", "too large", "limit")


def proc_kib(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def heap_used_mib(pid):
    """Used heap of all generations from `jcmd GC.heap_info` (the ring runs the serial collector)."""
    try:
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return 0
    return sum(int(k) for k in re.findall(r"(?:generation|space)\s+total \d+K, used (\d+)K", out)) // 1024


def counters(webadmin):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % webadmin, timeout=30) as response:
            text = response.read().decode()
    except OSError:
        return None
    return {name: float(value) for name, value in COUNTER.findall(text)}


def log_rejections(peer_dir, offset):
    """Lines logged at WARN or above after offset whose text says something was turned away, by first words."""
    found = {}
    with open(os.path.join(peer_dir, "logs", "console.log"), errors="replace") as f:
        f.seek(offset)
        for line in f:
            line = re.sub(r"\x1b\[[0-9;]*m", "", line)
            if ("WARN" in line or "ERROR" in line) and any(w in line.lower() for w in LOG_WORDS):
                key = re.sub(r"[0-9a-f]{8,}|\d+", "#", line.split(" - ", 1)[-1].strip())[:100]
                found[key] = found.get(key, 0) + 1
    return dict(sorted(found.items(), key=lambda kv: -kv[1])[:8])


def send_mail(port, marker):
    message = EmailMessage()
    message["From"] = "alice@epost.test"
    message["To"] = RECIPIENT
    message["Subject"] = "attack " + marker
    message.set_content("Body of " + marker + "\n")
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:
        smtp.send_message(message)


def inbox_markers(port, password):
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=60)
    try:
        imap.starttls(ssl_context=ssl._create_unverified_context())
        imap.login(RECIPIENT, password)
        imap.select("INBOX", readonly=True)
        typ, data = imap.search(None, "SUBJECT", "attack")
        if typ != "OK" or not data[0]:
            return set()
        typ, data = imap.fetch(b",".join(data[0].split()), "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        return {m.decode() for item in data if isinstance(item, tuple) for m in re.findall(rb"attack (\S+)", item[1])}
    finally:
        try:
            imap.logout()
        except Exception:
            pass


class Mailer(threading.Thread):
    """Sends a mail to bob through peer1 every interval until stopped; remembers the markers answered 250."""

    def __init__(self, smtp_port, interval, tag):
        super().__init__(daemon=True)
        self.smtp_port, self.interval, self.tag = smtp_port, interval, tag
        self.stop = threading.Event()
        self.accepted, self.failures, self.seconds = [], [], []

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            marker = "%s-%d-%d" % (self.tag, n, int(time.time()))
            start = time.time()
            try:
                send_mail(self.smtp_port, marker)
                self.accepted.append(marker)
                self.seconds.append(time.time() - start)
            except smtplib.SMTPResponseException as e:
                self.failures.append(str(e.smtp_code))
            except (OSError, smtplib.SMTPException) as e:
                self.failures.append(type(e).__name__)
            self.stop.wait(self.interval)


class Sampler(threading.Thread):
    """The victim's RSS every second and its used heap every 10 s, maxima kept."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.peak_rss_kib = self.peak_heap_mib = 0
        self.alive = True

    def run(self):
        last_heap = 0
        while not self.stop.wait(1):
            if not os.path.exists("/proc/%d" % self.pid):
                self.alive = False
                return
            self.peak_rss_kib = max(self.peak_rss_kib, proc_kib(self.pid, "VmRSS"))
            if time.time() - last_heap >= 10:
                self.peak_heap_mib = max(self.peak_heap_mib, heap_used_mib(self.pid))
                last_heap = time.time()


def smtp_seconds(seconds):
    """Median and longest time from connecting to peer1's SMTP to its 250, of the mails accepted."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    return [round(ordered[len(ordered) // 2], 1), round(ordered[-1], 1)]


def hostile_credentials(data):
    directory = os.path.join(data, "hostile")
    os.makedirs(directory, exist_ok=True)
    password = os.path.join(directory, "password")
    with open(password, "w") as f:
        f.write(os.urandom(16).hex() + "\n")
    subprocess.run(["java", "-cp", CLASSPATH, "org.epost.peer.admin.EpostAdmin", "node-credentials", "--ca",
                    os.path.join(data, "ca"), "--ca-password-file", os.path.join(data, "ca", "ca.password"),
                    "--peer-name", "hostile", "--out", os.path.join(directory, "node.p12"),
                    "--password-file", password],
                   check=True, capture_output=True)
    return os.path.join(directory, "node.p12"), password


def hostile_identities(data, count, password):
    """More node certificates of the organization for the hostile node (a member with access to the CA's tool)."""
    directory = os.path.join(data, "hostile", "identities")
    os.makedirs(directory, exist_ok=True)
    for i in range(count):
        subprocess.run(["java", "-cp", CLASSPATH, "org.epost.peer.admin.EpostAdmin", "node-credentials", "--ca",
                        os.path.join(data, "ca"), "--ca-password-file", os.path.join(data, "ca", "ca.password"),
                        "--peer-name", "hostile-%d" % i, "--out", os.path.join(directory, "id-%d.p12" % i),
                        "--password-file", password],
                       check=True, capture_output=True)
    return directory


def set_victim_limits(data, quota, inbound_cap):
    st = status(data)
    peer = st["peers"][VICTIM - 1]
    os.kill(peer["pid"], 15)
    while os.path.exists("/proc/%d" % peer["pid"]):
        time.sleep(0.5)
    props = os.path.join(peer["data"], "conf", "epost.properties")
    with open(props) as f:
        text = f.read()
    with open(props, "w") as f:
        text = re.sub(r"(?m)^(past\.store\.quota|overlay\.links\.inbound)=.*\n?", "", text)
        f.write(text + "\npast.store.quota=%s\n" % quota
                + ("overlay.links.inbound=%d\n" % inbound_cap if inbound_cap else ""))
    ring("up", data=data)


def attack(kind, args, data, credentials, password, hostile_port, identities):
    st = status(data)
    victim = st["peers"][VICTIM - 1]
    pid = victim["pid"]
    with open("/proc/%d/clear_refs" % pid, "w") as f:
        f.write("5")  # resets VmHWM: the peak below is this attack's
    baseline_rss_kib = proc_kib(pid, "VmRSS")
    baseline_heap = heap_used_mib(pid)
    before = counters(victim["webadmin"]) or {}
    log_offset = os.path.getsize(os.path.join(victim["data"], "logs", "console.log"))
    store = tempfile.mkdtemp(prefix="hostile-", dir=data)
    log = open(os.path.join(data, "hostile-%s.log" % kind), "w")
    hostile = subprocess.Popen(
        ["java", "-Xmx1g", "-Dlogback.configurationFile=" + os.path.join(ROOT, "deploy", "bin", "logback-tools.xml"),
         "-cp", CLASSPATH, "org.epost.post.bench.HostileNodeMain", "--listen", "127.0.0.1:%d" % hostile_port,
         "--bootstrap", "127.0.0.1:%d" % victim["overlay"], "--credentials", credentials, "--password-file", password,
         "--store", store, "--victim", "127.0.0.1:%d" % victim["overlay"], "--attack", kind,
         "--seconds", str(int(args.minutes * 60)), "--connections", str(args.connections)]
        + (["--identities", identities, "--links-per-identity", str(args.links_per_identity)] if identities else []),
        stdout=subprocess.PIPE, stderr=log, text=True)
    mailer, sampler = Mailer(st["peers"][0]["smtp"], args.mail_interval, kind), Sampler(pid)
    mailer.start()
    sampler.start()
    out, _ = hostile.communicate()
    log.close()
    mailer.stop.set()
    mailer.join()
    deadline, delivered = time.time() + 120, set()
    while time.time() < deadline:
        try:
            delivered = inbox_markers(victim["imap"], st["password"]) & set(mailer.accepted)
        except (OSError, imaplib.IMAP4.error):
            pass
        if len(delivered) == len(mailer.accepted):
            break
        time.sleep(5)
    sampler.stop.set()
    sampler.join()
    after = counters(victim["webadmin"])
    alive = sampler.alive and os.path.exists("/proc/%d" % pid) and after is not None
    rises = {k: int(v - before.get(k, 0)) for k, v in (after or {}).items() if v - before.get(k, 0) > 0}
    hostile_figures = out.strip().splitlines()[-1] if out.strip() else "null"
    return {"attack": kind, "minutes": args.minutes, "victim_up": alive,
            "peak_rss_mib": max(proc_kib(pid, "VmHWM"), sampler.peak_rss_kib) // 1024,
            "baseline_rss_mib": baseline_rss_kib // 1024, "baseline_heap_mib": baseline_heap,
            "peak_heap_mib": sampler.peak_heap_mib, "mails_sent": len(mailer.accepted) + len(mailer.failures),
            "mails_accepted": len(mailer.accepted), "mail_failures": mailer.failures, "mails_delivered": len(delivered),
            "smtp_seconds_p50_max": smtp_seconds(mailer.seconds),
            "victim_counters_rise": rises, "victim_log_rejections": log_rejections(victim["data"], log_offset),
            "hostile_exit": hostile.returncode, "hostile": json.loads(hostile_figures)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attacks", default="delegate,scribe,past,garbage,connections,hello-links")
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--base-port", type=int, default=33000)
    parser.add_argument("--mail-interval", type=float, default=5)
    parser.add_argument("--victim-quota", default="512M")
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--identities", type=int, default=24)
    parser.add_argument("--links-per-identity", type=int, default=4)
    parser.add_argument("--victim-inbound-cap", type=int, default=64)
    parser.add_argument("--keep", action="store_true", help="leave the ring's data directory")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="epost-attack-")
    failures = []
    try:
        ring("up", "--peers", "3", "--base-port", str(args.base_port), data=data)
        kinds = args.attacks.split(",")
        set_victim_limits(data, args.victim_quota, args.victim_inbound_cap if "hello-links" in kinds else None)
        credentials, password = hostile_credentials(data)
        identities = hostile_identities(data, args.identities, password) if "hello-links" in kinds else None
        for i, kind in enumerate(kinds):
            figures = attack(kind, args, data, credentials, password, args.base_port + 400 + i,
                             identities if kind == "hello-links" else None)
            print(json.dumps(figures), flush=True)
            if not figures["victim_up"]:
                failures.append("%s: the victim went down" % kind)
                ring("up", data=data, check=False)
            if figures["mails_delivered"] < figures["mails_accepted"]:
                failures.append("%s: %d of %d accepted mails not delivered" % (
                    kind, figures["mails_accepted"] - figures["mails_delivered"], figures["mails_accepted"]))
    finally:
        tear_down(data, args.keep)
    conclude(failures, "OK: the victim stayed up and every accepted mail reached bob's INBOX")


if __name__ == "__main__":
    main()
