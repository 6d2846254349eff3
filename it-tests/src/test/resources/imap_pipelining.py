#!/usr/bin/env python3
"""Pipelined IMAP commands with literals of every kind, over a raw TLS socket (implicit TLS, the IMAPS port).

Each case writes its commands back to back (one sendall unless it says otherwise) and checks that every tag is
answered OK and that every appended message is in the mailbox byte for byte afterwards:
  literal-plus    five "APPEND box {n+}" in one write (what mbsync sends)
  synchronizing   "APPEND box {n}", wait for "+", then the message and a NOOP in one write
  multi-literal   a mailbox name and a message as literals of one APPEND, with flags and a date, pipelined
  split           a pipelined batch written in 7-octet pieces with pauses (literals split across reads)
  large           a 12 MiB message (beyond James's 10 MiB in-memory limit) followed by a NOOP in the same write
  login-literals "LOGIN {u+} {p+}" (two LITERAL+ literals) and a LOGOUT in one write, on a connection of its own
  parallel-fetch  40 messages of 4-40 KiB appended to MAILBOX-fetch, then 4 connections at once, each pipelining 200
                  "UID FETCH" of them in one write, 5 rounds;
                  every response must come in order (James 3.8.1's request throttler, on by default, lets a later
                  command's responses overtake the end of an earlier one once more than 128 requests are in flight)
Prints one line per case and a JSON summary; exits 1 if a
case failed. Every socket read has a timeout, so a server that loses a command fails the case instead of hanging.

usage: imap_pipelining.py --port IMAPS_PORT --user alice@epost.test --password SECRET [--mailbox Pipelining]
"""
import argparse
import hashlib
import json
import re
import socket
import ssl
import sys
import time

TIMEOUT = 60


class Connection:
    def __init__(self, host, port):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection((host, port), timeout=TIMEOUT)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = context.wrap_socket(raw)
        self.buffer = b""
        self.greeting = self.line()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed by the server")
        self.buffer += chunk

    def line(self):
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line + b"\r\n"

    def exact(self, size):
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def response(self):
        """One response: its lines with any literal octets inline; returns (first line, literals)."""
        line = self.line()
        literals = []
        whole = line
        while re.search(rb"\{(\d+)\}\r\n$", line):
            literals.append(self.exact(int(re.search(rb"\{(\d+)\}\r\n$", line).group(1))))
            line = self.line()
            whole += line
        return whole, literals

    def in_order(self, tags):
        """Reads the answers of pipelined commands `tags`, which must come in this order, each after its untagged
        responses and before the next command's; a line that is neither (e.g. a lone ")") fails."""
        for tag in tags:
            while True:
                whole, _ = self.response()
                if whole.startswith(b"* "):
                    continue
                if not whole.startswith(tag.encode() + b" OK"):
                    raise AssertionError("expected the answer to %s, got %r" % (tag, whole[:80]))
                break

    def until_tagged(self, tags):
        """Reads until every tag of `tags` is answered; returns {tag: status line} and the untagged responses."""
        answers, untagged = {}, []
        while len(answers) < len(tags):
            whole, literals = self.response()
            tag = whole.split(b" ", 1)[0].decode("ascii", "replace")
            if tag in tags:
                answers[tag] = whole.decode("ascii", "replace").strip()
            elif tag == "+":
                continue
            else:
                untagged.append((whole, literals))
        return answers, untagged


def message(case, index, size=None):
    body = ("Subject: %s %d\r\nX-Case: %s\r\n\r\nBody of %s %d, with {5} and {7+} and \xe9\xff inside.\r\n"
            % (case, index, case, case, index)).encode("latin-1")
    if size:
        line = b"0123456789abcdef" * 4 + b"\r\n"
        body += line * ((size - len(body)) // len(line))
        body += b"x" * (size - len(body))
    return body


def append_plus(tag, mailbox, body, flags=""):
    return b"%s APPEND %s %s{%d+}\r\n%s\r\n" % (tag.encode(), mailbox.encode(), flags.encode(), len(body), body)


def check_ok(name, answers):
    bad = {tag: status for tag, status in answers.items() if status.split(" ")[1:2] != ["OK"]}
    if bad:
        raise AssertionError("%s: not OK: %s" % (name, bad))


def run(args):
    sent = []
    results = {}
    user, password = args.user.encode(), args.password.encode()

    def case(name, function):
        started = time.time()
        try:
            function()
            results[name] = "ok"
        except (AssertionError, EOFError, OSError) as e:
            results[name] = "FAILED: %s" % e
        print("%-14s %s (%.1f s)" % (name, results[name], time.time() - started), flush=True)

    def literal_plus():
        bodies = [message("literal-plus", i) for i in range(5)]
        c.send(b"".join(append_plus("p%d" % i, args.mailbox, b) for i, b in enumerate(bodies)))
        sent.extend(bodies)
        check_ok("literal-plus", c.until_tagged({"p%d" % i for i in range(5)})[0])

    def synchronizing():
        body = message("synchronizing", 0)
        c.send(b"s1 APPEND %s {%d}\r\n" % (args.mailbox.encode(), len(body)))
        if not c.line().startswith(b"+"):
            raise AssertionError("no continuation request")
        c.send(body + b"\r\ns2 NOOP\r\n")
        sent.append(body)
        check_ok("synchronizing", c.until_tagged({"s1", "s2"})[0])

    def multi_literal():
        bodies = [message("multi-literal", i) for i in range(2)]
        box = args.mailbox.encode()
        batch = b""
        for i, body in enumerate(bodies):
            batch += b"m%d APPEND {%d+}\r\n%s (\\Seen \\Flagged) \"07-Dec-2026 01:02:03 +0000\" {%d+}\r\n%s\r\n" % (
                i, len(box), box, len(body), body)
        c.send(batch + b"m9 NOOP\r\n")
        sent.extend(bodies)
        check_ok("multi-literal", c.until_tagged({"m0", "m1", "m9"})[0])

    def split():
        bodies = [message("split", i) for i in range(3)]
        batch = b"".join(append_plus("x%d" % i, args.mailbox, b, "(\\Seen) ") for i, b in enumerate(bodies))
        for offset in range(0, len(batch), 7):
            c.send(batch[offset:offset + 7])
            time.sleep(0.002)
        sent.extend(bodies)
        check_ok("split", c.until_tagged({"x0", "x1", "x2"})[0])

    def large():
        body = message("large", 0, 12 * 1024 * 1024 + 3)
        c.send(append_plus("g1", args.mailbox, body) + b"g2 NOOP\r\n")
        sent.append(body)
        check_ok("large", c.until_tagged({"g1", "g2"})[0])

    def login_literals():
        # Its own connection: a server that fails it may close the connection.
        login = Connection(args.host, args.port)
        login.send(b"l1 LOGIN {%d+}\r\n%s {%d+}\r\n%s\r\nl2 LOGOUT\r\n" % (len(user), user, len(password), password))
        check_ok("login-literals", login.until_tagged({"l1", "l2"})[0])

    case("login-literals", login_literals)
    c = Connection(args.host, args.port)
    c.send(b"l1 LOGIN \"%s\" \"%s\"\r\n" % (user, password))
    check_ok("login", c.until_tagged({"l1"})[0])
    c.send(b"c1 CREATE %s\r\n" % args.mailbox.encode())
    c.until_tagged({"c1"})

    for name, function in [("literal-plus", literal_plus), ("synchronizing", synchronizing),
                           ("multi-literal", multi_literal), ("split", split), ("large", large)]:
        case(name, function)
        if results[name] != "ok":
            break

    def contents():
        c.send(b"f1 SELECT %s\r\n" % args.mailbox.encode())
        c.until_tagged({"f1"})
        c.send(b"f2 FETCH 1:* (BODY.PEEK[])\r\n")
        answers, untagged = c.until_tagged({"f2"})
        check_ok("fetch", answers)
        stored = sorted(hashlib.sha256(literals[0]).hexdigest() for _, literals in untagged if literals)
        expected = sorted(hashlib.sha256(body).hexdigest() for body in sent)
        if stored != expected:
            raise AssertionError("mailbox holds %d messages, %d of them sent here; %d sent"
                                 % (len(stored), len(set(stored) & set(expected)), len(expected)))

    case("contents", contents)

    def pipelined_fetches(failures):
        try:
            f = Connection(args.host, args.port)
            # LOGIN and SELECT each alone: James 3.8.1 checks a command's state when it parses it, so a command in
            # the same write as the LOGIN or SELECT that makes it valid is refused as "not valid in this state".
            for tag, command in [("l1", b"LOGIN \"%s\" \"%s\"" % (user, password)),
                                 ("l2", b"SELECT %s-fetch" % args.mailbox.encode())]:
                f.send(b"%s %s\r\n" % (tag.encode(), command))
                check_ok("parallel-fetch " + tag, f.until_tagged({tag})[0])
            f.send(b"l3 UID FETCH 1:* (RFC822.SIZE)\r\n")
            answers, untagged = f.until_tagged({"l3"})
            check_ok("parallel-fetch", answers)
            small = [m.group(1) for m in (re.search(rb"UID (\d+)", w) for w, _ in untagged) if m]
            if len(small) < 40:
                raise AssertionError("%d messages to fetch" % len(small))
            tags = ["q%d" % i for i in range(200)]
            f.send(b"".join(b"%s UID FETCH %s (UID FLAGS BODY.PEEK[])\r\n" % (t.encode(), small[i % len(small)])
                            for i, t in enumerate(tags)))
            f.in_order(tags)
        except (AssertionError, EOFError, OSError) as e:
            failures.append(str(e))

    def parallel_fetch():
        import threading
        box = args.mailbox + "-fetch"
        c.send(b"h1 CREATE %s\r\n" % box.encode())
        c.until_tagged({"h1"})
        c.send(b"".join(append_plus("h%d" % (i + 2), box, message("parallel-fetch", i, 4096 + 920 * i)) for i in range(40)))
        check_ok("parallel-fetch appends", c.until_tagged({"h%d" % (i + 2) for i in range(40)})[0])
        for _ in range(5):
            failures = []
            threads = [threading.Thread(target=pipelined_fetches, args=(failures,)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if failures:
                raise AssertionError("; ".join(failures))

    case("parallel-fetch", parallel_fetch)
    print(json.dumps({"server": c.greeting.decode("ascii", "replace").strip(), "results": results}))
    return 0 if all(v == "ok" for v in results.values()) else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--mailbox", default="Pipelining")
    try:
        sys.exit(run(parser.parse_args()))
    except (EOFError, OSError) as e:
        print(json.dumps({"error": str(e)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
