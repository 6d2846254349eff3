#!/usr/bin/env python3
"""IMAP soak: mail keeps landing in one INBOX while IMAP clients read it, and every byte the server sends is checked.

Hunts the intermittent anomalies seen under load (a stray ")" after a UID FETCH literal, a LOGOUT answered by BYE and
a closed connection without the tagged OK). One ePOST peer (or a ring, --peers) is started by deploy/bin/epost-ring;
then, for --duration seconds and at the same time:
  writers   SMTP deliveries (smtplib) and IMAP APPENDs to alice's INBOX, sizes spread around James's 8 KiB buffer and
            chunk sizes, some APPENDs without a final CRLF or with 8-bit bytes; each message carries X-Soak-Id
  flagger   STORE +/-FLAGS on random messages (unsolicited FETCH FLAGS for every other session)
  janitor   keeps the INBOX under --keep messages (STORE \\Deleted + EXPUNGE of the oldest)
  readers   raw-socket clients (STARTTLS, own parser): SELECT or EXAMINE, then UID FETCH 1:* (FLAGS BODY.PEEK[]),
            with RFC822.SIZE too, or in sections (BODYSTRUCTURE, BODY[HEADER], BODY[TEXT]), NOOP, reconnect with
            LOGOUT every few rounds
  idlers    raw-socket clients in IDLE until new mail, DONE, UID FETCH of what arrived
  imaplib   clients that read like it-tests' imap_read.py (imaplib, SELECT readonly, UID FETCH of each message),
            listing the messages as those scripts do (what SELECT counted) or by UID SEARCH ALL
  burners   --burn busy-loop processes, to load the machine as parallel builds did
What the raw readers check, on every response: each line ends in CRLF and is a tagged answer to the command in
flight, a well-formed untagged response or a continuation where one is due; a FETCH response parses as one
parenthesised list whose literals are read at their announced size and followed by " " or ")"; BODY[] is byte-equal
to what was sent (body only for SMTP, where the server adds headers) and RFC822.SIZE equals the literal's size;
UIDs are not repeated within a FETCH; LOGOUT gives "* BYE", the tagged OK, then the end of the stream.
The imaplib clients record every exception imaplib raises. Each anomaly is written with the last bytes of its
connection to --out; the end prints one JSON object of figures. A harness, not a test: nothing is asserted and the
exit status is 0 unless the set-up fails.

usage: imap_soak.py [--duration 300] [--readers 3] [--idlers 1] [--imaplib 1] [--smtp 2] [--appenders 1]
                    [--burn 2] [--keep 60] [--peers 1] [--base-port 26000] [--data /tmp/imaprace/soak]
                    [--out /tmp/imaprace/anomalies] [--reuse] [--stock]
"""
import argparse
import base64
import collections
import imaplib
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "it-tests", "src", "test", "resources"))
import imap_session  # noqa: E402  (it-tests' IMAP client helpers)
RING = os.path.join(ROOT, "deploy", "bin", "epost-ring")
USER = "alice@epost.test"
SENDER = "carol@epost.test"
# Around James's IMAP flush buffer (8192) and Netty's chunk size (8192), plus small and large mails.
SIZES = [180, 700, 4000, 8100, 8185, 8190, 8191, 8192, 8193, 8200, 12000, 16380, 16384, 16390, 24576, 40000,
         65536, 131072, 300000]
# Rare (3%): past the 1 MiB where the ePOST store cuts a part into chunks.
LARGE_SIZES = [1048576 + 1000, 2600000]
PRINTABLE = b"abcdefghijklmnopqrstuvwxyz0123456789 ()[]{}*+-"
EIGHT_BIT = PRINTABLE + bytes(range(0xc0, 0x100))


def lines(rng, size, eight_bit):
    """About size bytes of text lines (1 to 200 characters, CRLF between them, none starting with a dot)."""
    alphabet = EIGHT_BIT if eight_bit else PRINTABLE
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    text = rng.randbytes(size).translate(table)
    out = bytearray()
    position = 0
    while position < len(text):
        length = rng.randint(1, 200)
        out += b"x" + text[position:position + length] + b"\r\n"
        position += length
    return bytes(out[:-2]) if out else b"x"


class Anomaly(Exception):
    """Something the server sent that the protocol does not allow here."""

    def __init__(self, kind, detail):
        super().__init__("%s: %s" % (kind, detail))
        self.kind = kind
        self.detail = detail


class Stats:
    """Figures shared by all threads; anomalies are also written to files with their connection's last bytes."""

    def __init__(self, out):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.anomalies = collections.Counter()
        self.examples = {}
        self.out = out
        self.dumped = 0

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def anomaly(self, who, kind, detail, transcript):
        with self.lock:
            self.anomalies[kind] += 1
            self.examples.setdefault(kind, "%s: %s" % (who, detail[:300]))
            self.dumped += 1
            number = self.dumped
        if number <= 200:
            path = os.path.join(self.out, "%03d-%s-%s.txt" % (number, who, re.sub(r"[^a-z0-9]+", "-", kind.lower())))
            with open(path, "wb") as f:
                f.write(("%s %s\n%s\n\n--- last bytes of the connection (<< received, >> sent) ---\n"
                         % (time.strftime("%H:%M:%S"), kind, detail)).encode())
                f.write(transcript)


class Registry:
    """What was sent, by X-Soak-Id: the whole message (APPEND) or its body (SMTP, the server adds headers)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = {}
        self.sequence = 0
        self.run = "%x" % int(time.time())

    def new(self, via, rng):
        with self.lock:
            self.sequence += 1
            soak_id = "%s-%d-%s" % (self.run, self.sequence, via)
        size = rng.choice(LARGE_SIZES) if rng.random() < 0.03 else rng.choice(SIZES) + rng.randint(-40, 40)
        eight_bit = via == "append" and rng.random() < 0.3
        no_final_crlf = via == "append" and rng.random() < 0.3
        multipart = rng.random() < 0.3
        boundary = "soak-boundary-" + soak_id
        header = ("From: %s\r\nTo: %s\r\nSubject: soak %s\r\nX-Soak-Id: %s\r\nMessage-ID: <%s@soak.epost.test>\r\n"
                  % (SENDER, USER, soak_id, soak_id, soak_id)).encode()
        charset = "iso-8859-1" if eight_bit else "us-ascii"
        if multipart:
            # A text part and a base64 attachment: the ePOST store keeps large MIME leaves as parts of their own.
            header += b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="%s"\r\n\r\n' % boundary.encode()
            text = lines(rng, rng.randint(50, 3000), eight_bit)
            attachment = base64.encodebytes(rng.randbytes(max(0, size * 3 // 4 - len(text)))).replace(b"\n", b"\r\n")
            body = (b"--%s\r\nContent-Type: text/plain; charset=%s\r\n\r\n%s\r\n--%s\r\nContent-Type: "
                    b"application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;"
                    b" filename=soak.bin\r\n\r\n%s--%s--\r\n"
                    % (boundary.encode(), charset.encode(), text, boundary.encode(), attachment, boundary.encode()))
        else:
            header += b"Content-Type: text/plain; charset=%s\r\n\r\n" % charset.encode()
            body = lines(rng, max(0, size - len(header)), eight_bit) + b"\r\n"
        body += b"END %s" % soak_id.encode()
        if not no_final_crlf:
            body += b"\r\n"
        with self.lock:
            self.messages[soak_id] = (via, header + body, body)
        return soak_id, header + body

    def check(self, content):
        """None when the content is what was sent, else what differs."""
        match = re.search(rb"\r\nX-Soak-Id: (\S+)\r\n", content)
        if not match:
            return "no X-Soak-Id header"
        with self.lock:
            sent = self.messages.get(match.group(1).decode())
        if sent is None:
            return None  # from an earlier run of the same ring
        via, whole, body = sent
        if via == "append":
            return None if content == whole else "APPENDed message differs (%d bytes, sent %d)" % (len(content), len(whole))
        end = content.find(b"\r\n\r\n")
        got = content[end + 4:] if end >= 0 else b""
        return None if got == body else "SMTP body differs (%d bytes, sent %d)" % (len(got), len(body))


class Wire:
    """A raw IMAP connection: buffered reads, STARTTLS, and the last bytes in both directions for anomaly dumps."""

    def __init__(self, host, port, timeout=120):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = bytearray()
        self.transcript = collections.deque(maxlen=400)
        self.eof = False

    def starttls(self):
        if self.buffer:
            raise Anomaly("bytes before TLS", repr(bytes(self.buffer[:200])))
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.sock = context.wrap_socket(self.sock)

    def send(self, data):
        self.transcript.append((b">>", data))
        self.sock.sendall(data)

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except (ssl.SSLError, ConnectionResetError) as e:
            self.transcript.append((b"!!", repr(e).encode()))
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def readline(self):
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self.buffer[:end + 2])
                del self.buffer[:end + 2]
                self.transcript.append((b"<<", line))
                return line
            if b"\n" in self.buffer:
                raise Anomaly("bare LF", repr(bytes(self.buffer[:200])))
            if not self._fill():
                if self.buffer:
                    raise Anomaly("EOF inside a line", repr(bytes(self.buffer[:200])))
                return b""

    def readexact(self, n):
        while len(self.buffer) < n:
            if not self._fill():
                raise Anomaly("EOF inside a literal", "%d of %d bytes" % (len(self.buffer), n))
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        shown = data if n <= 240 else data[:120] + b"...<%d bytes>..." % (n - 240) + data[-120:]
        self.transcript.append((b"<<", b"<literal>" + shown + b"</literal>"))
        return data

    def dump(self):
        return b"".join(d + b" " + chunk + (b"" if chunk.endswith(b"\n") else b"\n") for d, chunk in self.transcript)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}\r\n$")


def read_response(wire):
    """One response: its lines and the literal after each line but the last; None at the end of the stream."""
    line = wire.readline()
    if not line:
        return None
    lines, literals = [line], []
    while True:
        match = LITERAL_AT_END.search(lines[-1])
        if not match:
            return lines, literals
        literals.append(wire.readexact(int(match.group(1))))
        line = wire.readline()
        if not line:
            raise Anomaly("EOF after a literal", repr(lines[-1][:200]))
        lines.append(line)


class Cursor:
    """Walks a response's lines and literals as one stream of tokens (a literal is a token)."""

    def __init__(self, lines, literals, start):
        self.lines, self.literals, self.i, self.pos = lines, literals, 0, start

    def peek(self):
        line = self.lines[self.i]
        return line[self.pos:self.pos + 1]

    def rest(self):
        return self.lines[self.i][self.pos:]

    def take(self, expected):
        if not self.rest().startswith(expected):
            raise Anomaly("malformed FETCH", "expected %r at %r" % (expected, self.rest()[:80]))
        self.pos += len(expected)

    def value(self):
        c = self.peek()
        if c == b"(":
            return self.paren_list()
        if c == b'"':
            return self.quoted()
        if c == b"{":
            match = re.match(rb"\{(\d+)\+?\}\r\n$", self.rest())
            if not match:
                raise Anomaly("malformed FETCH", "literal marker not at the end of its line: %r" % self.rest()[:80])
            literal = self.literals[self.i]
            self.i += 1
            self.pos = 0
            c = self.peek()
            if c not in (b" ", b")"):
                raise Anomaly("line after a literal", "expected ' ' or ')' after the %d-byte literal, got %r"
                              % (len(literal), self.rest()[:120]))
            return literal
        return self.atom()

    def atom(self):
        start = self.pos
        line = self.lines[self.i]
        depth = 0
        while self.pos < len(line):
            c = line[self.pos:self.pos + 1]
            if c == b"[":
                depth += 1
            elif c == b"]":
                depth -= 1
            elif depth == 0 and c in (b" ", b"(", b")", b"\r", b"{", b'"'):
                break
            elif c in (b"\r", b"\n"):
                break
            self.pos += 1
        if self.pos == start:
            raise Anomaly("malformed FETCH", "empty atom at %r" % self.rest()[:80])
        return line[start:self.pos].decode("latin-1")

    def quoted(self):
        line = self.lines[self.i]
        self.pos += 1
        out = bytearray()
        while self.pos < len(line):
            c = line[self.pos]
            if c == 0x5c:
                out.append(line[self.pos + 1])
                self.pos += 2
                continue
            if c == 0x22:
                self.pos += 1
                return bytes(out)
            out.append(c)
            self.pos += 1
        raise Anomaly("malformed FETCH", "unterminated quoted string")

    def paren_list(self):
        self.take(b"(")
        items = []
        if self.peek() == b")":
            self.pos += 1
            return items
        while True:
            items.append(self.value())
            c = self.peek()
            if c == b")":
                self.pos += 1
                return items
            if c == b"(" and isinstance(items[-1], list):
                continue  # the parts of a multipart BODYSTRUCTURE follow each other without a space
            if c != b" ":
                raise Anomaly("malformed FETCH", "expected ' ' or ')' at %r" % self.rest()[:80])
            self.pos += 1


FETCH_START = re.compile(rb"\* (\d+) FETCH ")
UNTAGGED = re.compile(rb"\* (\d+ (EXISTS|RECENT|EXPUNGE)|(OK|NO|BAD|BYE|PREAUTH)( \[[^\]\r\n]*\])?( [^\r\n]*)?"
                      rb"|FLAGS \([^\r\n]*\)|SEARCH( \d+)*( \(MODSEQ \d+\))?|CAPABILITY [^\r\n]+|ENABLED[^\r\n]*"
                      rb"|ESEARCH[^\r\n]*|VANISHED[^\r\n]*|LIST [^\r\n]+|STATUS [^\r\n]+)\r\n$")
NAMES = {"UID": str, "RFC822.SIZE": str, "FLAGS": list, "MODSEQ": list, "INTERNALDATE": bytes, "BODYSTRUCTURE": list}


def parse_fetch(lines, literals):
    """A FETCH response as (message number, {name: value}); raises Anomaly for anything malformed."""
    match = FETCH_START.match(lines[0])
    cursor = Cursor(lines, literals, match.end())
    items = cursor.paren_list()
    if cursor.rest() != b"\r\n" or cursor.i != len(lines) - 1:
        raise Anomaly("malformed FETCH", "after the list: %r" % cursor.rest()[:120])
    if len(items) % 2:
        raise Anomaly("malformed FETCH", "odd number of items: %r" % items[:6])
    attributes = {}
    for name, value in zip(items[::2], items[1::2]):
        if not isinstance(name, str):
            raise Anomaly("malformed FETCH", "item name %r" % name[:40])
        upper = name.upper()
        expected = NAMES.get(upper, bytes if upper.startswith("BODY[") else None)
        if expected is None:
            raise Anomaly("malformed FETCH", "unexpected item %r" % name)
        if not isinstance(value, expected) and not (expected is bytes and value == "NIL"):
            raise Anomaly("malformed FETCH", "%s is %r" % (name, type(value).__name__))
        if upper in attributes:
            raise Anomaly("malformed FETCH", "%s twice" % name)
        attributes[upper] = value
    return int(match.group(1)), attributes


class Session:
    """A logged-in raw IMAP session that checks every response of every command it sends."""

    def __init__(self, who, port, password, stats, registry):
        self.who, self.stats, self.registry = who, stats, registry
        self.tags = 0
        self.exists = 0
        self.wire = Wire("127.0.0.1", port)
        greeting = read_response(self.wire)
        if not greeting or not greeting[0][0].startswith(b"* OK"):
            raise Anomaly("greeting", repr(greeting))
        self.command(b"STARTTLS")
        self.wire.starttls()
        self.command(b'LOGIN "%s" "%s"' % (USER.encode(), password.encode()))

    def tag(self):
        self.tags += 1
        return b"%s%d" % (self.who.encode()[-3:].replace(b"-", b"x"), self.tags)

    def command(self, text, on_fetch=None, literal=None):
        """Sends one command; returns its tagged status line after checking every response to it."""
        tag = self.tag()
        if literal is None:
            self.wire.send(tag + b" " + text + b"\r\n")
        else:
            self.wire.send(tag + b" " + text + b" {%d}\r\n" % len(literal))
            response = read_response(self.wire)
            if response is None or not response[0][0].startswith(b"+"):
                raise Anomaly("no continuation for APPEND", repr(response))
            self.wire.send(literal + b"\r\n")
        return self.until_tagged(tag, text, on_fetch)

    def until_tagged(self, tag, text, on_fetch=None, allow_continuation=False):
        name = text.split(b" ")[0].upper()
        uid_fetch = text.upper().startswith(b"UID FETCH")
        seen_uids = set()
        saw_bye = False
        while True:
            response = read_response(self.wire)
            if response is None:
                if name == b"LOGOUT" and saw_bye:
                    raise Anomaly("LOGOUT: BYE then EOF, no tagged OK", "tag %s" % tag.decode())
                raise Anomaly("EOF before the tagged response", "%s (tag %s)" % (text[:60], tag.decode()))
            lines, literals = response
            self.stats.add("responses")
            try:
                status = self.one_response(tag, text, name, uid_fetch, lines, literals, on_fetch, seen_uids,
                                           allow_continuation)
            except Anomaly as e:
                # Recorded, and the session reads on to its tagged response: what follows is evidence too.
                self.note(e)
                continue
            if status == b"BYE":
                saw_bye = True
            elif status is not None:
                return status

    def note(self, anomaly):
        self.stats.anomaly(self.who, anomaly.kind, anomaly.detail, self.wire.dump())

    def one_response(self, tag, text, name, uid_fetch, lines, literals, on_fetch, seen_uids, allow_continuation):
        """The tagged status line when this response ends the command, b"BYE" for a BYE, else None."""
        first = lines[0]
        if first.startswith(tag + b" "):
            if len(lines) > 1 or not re.match(rb"[^ ]+ (OK|NO|BAD)( \[[^\]\r\n]*\])?( [^\r\n]*)?\r\n$", first):
                raise Anomaly("malformed tagged response", repr(first[:200]))
            status = first.split(b" ")[1]
            self.stats.add("tagged " + status.decode())
            if status != b"OK":
                self.stats.add("refused: %s %s (client saw %d EXISTS)" % (
                    name.decode(), first.split(b" ", 2)[2][:80].decode("latin-1").strip(), self.exists))
            return first
        if first.startswith(b"+"):
            if allow_continuation:
                return first
            raise Anomaly("unexpected continuation", "%r while waiting for %s (tag %s)"
                          % (first[:200], text[:40], tag.decode()))
        if FETCH_START.match(first):
            number, attributes = parse_fetch(lines, literals)
            self.stats.add("fetch responses")
            self.check_fetch(name, uid_fetch, number, attributes, seen_uids)
            if on_fetch:
                on_fetch(number, attributes)
            return None
        if re.match(rb"\* -\d+ EXPUNGE\r\n$", first):
            raise Anomaly("EXPUNGE with a negative message number",
                          "%r while waiting for %s (tag %s)" % (first, text[:40], tag.decode()))
        if len(lines) > 1 or not UNTAGGED.match(first):
            kind = "stray line" if not first.startswith(b"* ") else "malformed untagged response"
            raise Anomaly(kind, "%r while waiting for %s (tag %s)" % (first[:200], text[:40], tag.decode()))
        words = first.split(b" ")
        if words[2:3] == [b"EXISTS\r\n"]:
            self.exists = int(words[1])
        self.stats.add("untagged " + (words[2] if words[1].isdigit() else words[1]).decode().strip())
        if words[1] == b"BYE":
            if name != b"LOGOUT":
                raise Anomaly("BYE outside LOGOUT", repr(first[:200]))
            return b"BYE"
        return None

    def check_fetch(self, name, uid_fetch, number, attributes, seen_uids):
        body = attributes.get("BODY[]")
        if body is None and "BODY[HEADER]" in attributes and "BODY[TEXT]" in attributes:
            # A client reading a message in sections: header and text together are the whole message.
            body = attributes["BODY[HEADER]"] + attributes["BODY[TEXT]"]
            self.stats.add("messages read as BODY[HEADER] + BODY[TEXT]")
        if body is None:
            self.stats.add("fetch responses without BODY[] (FLAGS updates)")
            return
        if name != b"UID" and name != b"FETCH":
            raise Anomaly("BODY[] outside FETCH", "in %s" % name)
        uid = attributes.get("UID")
        if uid_fetch and uid is None:
            raise Anomaly("UID FETCH response without UID", "message %d" % number)
        if uid in seen_uids:
            raise Anomaly("UID twice in one FETCH", "uid %s" % uid)
        seen_uids.add(uid)
        self.stats.add("literals checked")
        self.stats.add("literal bytes checked", len(body))
        size = attributes.get("RFC822.SIZE")
        if size is not None:
            self.stats.add("RFC822.SIZE compared")
            if int(size) != len(body):
                raise Anomaly("RFC822.SIZE differs from the literal", "uid %s: %s vs %d" % (uid, size, len(body)))
        difference = self.registry.check(body)
        if difference:
            raise Anomaly("content differs", "uid %s: %s" % (uid, difference))
        self.stats.add("contents equal to what was sent")

    def logout(self):
        status = self.command(b"LOGOUT")
        if not status.split(b" ")[1] == b"OK":
            raise Anomaly("LOGOUT refused", repr(status))
        rest = self.wire.readline()
        if rest:
            raise Anomaly("bytes after LOGOUT", repr(rest[:200]))
        self.stats.add("logouts checked (BYE, OK, end of stream)")
        self.wire.close()


def guarded(who, stats, stop, body):
    """Runs body(rng) in a loop until stop; an anomaly is recorded with its connection's bytes and the loop goes on."""
    rng = random.Random(hash(who))
    while not stop.is_set():
        session_holder = []
        try:
            body(rng, session_holder)
        except Anomaly as e:
            transcript = session_holder[0].wire.dump() if session_holder else b""
            stats.anomaly(who, e.kind, e.detail, transcript)
            if session_holder:
                session_holder[0].wire.close()
        except (OSError, ssl.SSLError, smtplib.SMTPException) as e:
            if not stop.is_set():
                transcript = session_holder[0].wire.dump() if session_holder else b""
                stats.anomaly(who, "client error " + type(e).__name__, str(e), transcript)
                time.sleep(1)


def reader(port, password, stats, registry, stop, mode):
    def body(rng, holder):
        session = Session("reader-%s" % mode, port, password, stats, registry)
        holder.append(session)
        select = b"EXAMINE" if mode.endswith("x") else b"SELECT"
        session.command(select + b" INBOX")
        if "parts" in mode:
            items = b"(UID RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER] BODY.PEEK[TEXT])"
        elif "size" in mode:
            items = b"(FLAGS RFC822.SIZE BODY.PEEK[])"
        else:
            items = b"(FLAGS BODY.PEEK[])"
        for _ in range(rng.randint(3, 12)):
            if stop.is_set():
                break
            session.command(b"UID FETCH 1:* " + items)
            stats.add("UID FETCH 1:* commands")
            session.command(b"NOOP")
            time.sleep(rng.random() * 0.3)
        session.logout()
    return body


def idler(port, password, stats, registry, stop):
    def body(rng, holder):
        session = Session("idler", port, password, stats, registry)
        holder.append(session)
        session.command(b"SELECT INBOX")
        uids = []
        session.command(b"UID FETCH 1:* (UID)", on_fetch=lambda n, a: uids.append(int(a.get("UID", 0))))
        last = max(uids, default=0)
        for _ in range(rng.randint(3, 10)):
            if stop.is_set():
                break
            tag = session.tag()
            session.wire.send(tag + b" IDLE\r\n")
            session.until_tagged(tag, b"IDLE", allow_continuation=True)
            before = session.exists
            session.wire.sock.settimeout(rng.uniform(0.2, 3.0))
            try:
                while session.exists == before:
                    response = read_response(session.wire)
                    if response is None:
                        raise Anomaly("EOF in IDLE", "")
                    stats.add("responses in IDLE")
                    try:
                        if session.one_response(tag, b"IDLE", b"IDLE", False, *response, None, set(), False):
                            raise Anomaly("tagged or BYE response in IDLE before DONE", repr(response[0][0][:200]))
                    except Anomaly as e:
                        session.note(e)
            except (socket.timeout, TimeoutError):
                pass
            finally:
                session.wire.sock.settimeout(120)
            session.wire.send(b"DONE\r\n")
            session.until_tagged(tag, b"IDLE")
            stats.add("IDLE cycles")
            session.command(b"UID FETCH %d:* (FLAGS BODY.PEEK[])" % (last + 1),
                            on_fetch=lambda n, a: uids.append(int(a.get("UID", 0))))
            last = max(uids, default=last)
        session.logout()
    return body


class RecordingIMAP4(imaplib.IMAP4):
    """imaplib as the tests use it, keeping the last lines and literals it read for the anomaly dumps."""

    def __init__(self, *args, **kwargs):
        self.transcript = collections.deque(maxlen=200)
        self.expunges = 0
        super().__init__(*args, **kwargs)

    def readline(self):
        line = super().readline()
        self.transcript.append((b"<<", line))
        if line.endswith(b" EXPUNGE\r\n"):
            self.expunges += 1
        return line

    def read(self, size):
        data = super().read(size)
        self.transcript.append((b"<<", b"<literal %d bytes>" % len(data)))
        return data

    def send(self, data):
        self.transcript.append((b">>", data))
        super().send(data)


def imaplib_reader(port, password, stats, registry, stop):
    """Reads the INBOX the way it-tests' imap_read.py does, and records what imaplib raises."""

    class Holder:
        def __init__(self, imap):
            self.wire = self
            self.imap = imap

        def dump(self):
            return b"".join(d + b" " + c + (b"" if c.endswith(b"\n") else b"\n") for d, c in self.imap.transcript)

        def close(self):
            pass

    def body(rng, holder):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        imap = RecordingIMAP4("127.0.0.1", port, timeout=120)
        holder.append(Holder(imap))
        # Half the sessions list the mailbox like it-tests' clients do now (the messages SELECT counted), half
        # like they did before (UID SEARCH ALL, which can name mail the session has not been told of yet).
        searching = rng.random() < 0.5
        stats.add("imaplib sessions listing by %s" % ("UID SEARCH ALL" if searching else "SELECT's count"))
        try:
            imap.starttls(ssl_context=context)
            imap.login(USER, password)
            status, data = imap.select("INBOX", readonly=True)
            if searching:
                uids = imap.uid("SEARCH", None, "ALL")[1][0].split()
            else:
                uids = imap_session.listed_uids(imap, int(data[0]))
            for uid in uids[-15:]:
                status, fetched = imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                parts = [part for part in fetched if isinstance(part, tuple)]
                if status == "OK" and not parts and imap.expunges:
                    # The janitor expunged it after it was listed: the session was told (EXPUNGE), nothing is wrong.
                    stats.add("imaplib: message expunged between listing and FETCH")
                    continue
                if status != "OK" or not parts:
                    stats.anomaly("imaplib", "imaplib: FETCH gave no literal (%s)" % ("searching" if searching
                                  else "listing"), repr(fetched)[:300], Holder(imap).dump())
                    continue
                extra = [part for part in fetched if not isinstance(part, tuple) and part != b")"]
                if extra:
                    stats.add("imaplib: unsolicited FETCH items in a FETCH result")
                difference = registry.check(parts[0][1])
                if difference:
                    stats.anomaly("imaplib", "content differs", difference, Holder(imap).dump())
                stats.add("imaplib UID FETCH")
            imap.logout()
            stats.add("imaplib sessions")
        except imaplib.IMAP4.error as e:
            raise Anomaly("imaplib raised %s (%s)" % (type(e).__name__, "searching" if searching else "listing"),
                          str(e))
    return body


def smtp_writer(port, stats, registry, stop):
    def body(rng, holder):
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:
            while not stop.is_set():
                soak_id, message = registry.new("smtp", rng)
                smtp.sendmail(SENDER, [USER], message)
                stats.add("delivered over SMTP")
                time.sleep(rng.random() * 0.2)
    return body


def appender(port, password, stats, registry, stop):
    def body(rng, holder):
        session = Session("appender", port, password, stats, registry)
        holder.append(session)
        for _ in range(rng.randint(5, 30)):
            if stop.is_set():
                break
            soak_id, message = registry.new("append", rng)
            status = session.command(b"APPEND INBOX ()", literal=message)
            if status.split(b" ")[1] == b"OK":
                stats.add("APPENDed over IMAP")
            time.sleep(rng.random() * 0.2)
        session.logout()
    return body


def flagger(port, password, stats, registry, stop):
    def body(rng, holder):
        session = Session("flagger", port, password, stats, registry)
        holder.append(session)
        session.command(b"SELECT INBOX")
        for _ in range(rng.randint(10, 40)):
            if stop.is_set():
                break
            if session.exists:
                number = rng.randint(1, session.exists)
                session.command(b"STORE %d %sFLAGS (\\Flagged $soak)" % (number, rng.choice([b"+", b"-"])))
                stats.add("STOREs")
            else:
                session.command(b"NOOP")
            time.sleep(rng.random() * 0.5)
        session.logout()
    return body


def janitor(port, password, stats, registry, stop, keep):
    def body(rng, holder):
        session = Session("janitor", port, password, stats, registry)
        holder.append(session)
        session.command(b"SELECT INBOX")
        while not stop.is_set():
            session.command(b"NOOP")
            if session.exists > keep:
                session.command(b"STORE 1:%d +FLAGS.SILENT (\\Deleted)" % (session.exists - keep))
                session.command(b"EXPUNGE")
                stats.add("EXPUNGE rounds")
            time.sleep(2)
        session.logout()
    return body


def burn():
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        pass


def ring(*args, data):
    return subprocess.run([RING, *args, "--data", data], check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--idlers", type=int, default=1)
    parser.add_argument("--imaplib", type=int, default=1)
    parser.add_argument("--smtp", type=int, default=2)
    parser.add_argument("--appenders", type=int, default=1)
    parser.add_argument("--flagger", type=int, default=1)
    parser.add_argument("--burn", type=int, default=2)
    parser.add_argument("--keep", type=int, default=60)
    parser.add_argument("--peers", type=int, default=1)
    parser.add_argument("--base-port", type=int, default=26000)
    parser.add_argument("--data", default="/tmp/imaprace/soak")
    parser.add_argument("--out", default="/tmp/imaprace/anomalies")
    parser.add_argument("--reuse", action="store_true", help="keep the ring's data of an earlier run (and leave it up)")
    parser.add_argument("--stock", action="store_true", help="unmodified Apache James 3.8.1 instead of ePOST peers")
    args = parser.parse_args()

    if not args.reuse:
        shutil.rmtree(args.data, ignore_errors=True)
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    ring("up", "--peers", str(args.peers), "--base-port", str(args.base_port), *(["--stock"] if args.stock else []),
         data=args.data)
    status = json.loads(ring("status", "--json", data=args.data))
    home = status["peers"][0]
    imap_port, password = home["imap"], status["password"]
    smtp_ports = [peer["smtp"] for peer in status["peers"]]
    stats, registry, stop = Stats(args.out), Registry(), threading.Event()

    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(args.burn)]
    for process in burners:
        process.start()
    workers = []
    modes = ["plain", "x", "size", "sizex", "parts"]
    for i in range(args.readers):
        workers.append(("reader", reader(imap_port, password, stats, registry, stop, modes[i % len(modes)])))
    workers += [("idler", idler(imap_port, password, stats, registry, stop))] * args.idlers
    workers += [("imaplib", imaplib_reader(imap_port, password, stats, registry, stop))] * args.imaplib
    for i in range(args.smtp):
        workers.append(("smtp", smtp_writer(smtp_ports[i % len(smtp_ports)], stats, registry, stop)))
    workers += [("appender", appender(imap_port, password, stats, registry, stop))] * args.appenders
    workers += [("flagger", flagger(imap_port, password, stats, registry, stop))] * args.flagger
    workers.append(("janitor", janitor(imap_port, password, stats, registry, stop, args.keep)))
    threads = [threading.Thread(target=guarded, args=("%s-%d" % (name, i), stats, stop, body), daemon=True)
               for i, (name, body) in enumerate(workers)]
    start = time.time()
    for thread in threads:
        thread.start()
    try:
        while time.time() - start < args.duration:
            time.sleep(min(30, args.duration - (time.time() - start)))
            print("imap_soak: %4ds  %s" % (time.time() - start, json.dumps(
                {k: stats.counts[k] for k in ("literals checked", "delivered over SMTP", "APPENDed over IMAP")}
                | {"anomalies": sum(stats.anomalies.values())})), file=sys.stderr)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=180)
        for process in burners:
            process.terminate()
            process.join()
        load = os.getloadavg()
        if not args.reuse:
            ring("down", data=args.data)
    print(json.dumps({
        "duration_s": round(time.time() - start), "load_avg_1m_at_end": round(load[0], 1), "cpus": os.cpu_count(),
        "server": "stock James 3.8.1" if args.stock else "ePOST", "peers": args.peers, "workers": collections.Counter(name for name, _ in workers), "burners": args.burn,
        "checked": dict(sorted(stats.counts.items())),
        "anomalies": dict(stats.anomalies), "first_example_of_each": stats.examples,
        "dumps": args.out if stats.anomalies else None}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
