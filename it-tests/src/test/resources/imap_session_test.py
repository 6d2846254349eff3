#!/usr/bin/env python3
"""Checks of imap_session.py against fake IMAP servers on loopback (no TLS: the recording client is used directly).

usage: python3 imap_session_test.py   (unittest; exit 0 when every check passes)
"""
import io
import contextlib
import imaplib
import socket
import sys
import threading
import unittest

import imap_session

BODY = b"Subject: x\r\n\r\n" + b"A" * 1000 + b"\r\nthe last line of it\r\n"


def fake_server(answer_fetch):
    """A server that greets, answers CAPABILITY and NOOP, and FETCH/UID with answer_fetch(tag, count) (bytes)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve():
        connection, _ = server.accept()
        lines = connection.makefile("rb")
        connection.sendall(b"* OK ready\r\n")
        fetches = 0
        while True:
            line = lines.readline()
            if not line:
                return
            tag, command = line.split(b" ")[0], line.strip().split(b" ")[1].upper()
            if command == b"CAPABILITY":
                connection.sendall(b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK done\r\n")
            elif command == b"NOOP":
                connection.sendall(tag + b" OK NOOP completed.\r\n")
            else:
                fetches += 1
                connection.sendall(answer_fetch(tag, fetches))

    threading.Thread(target=serve, daemon=True).start()
    client = imap_session.RecordingIMAP4("127.0.0.1", server.getsockname()[1], timeout=10)
    client.state = "SELECTED"
    return client


class RecordingTest(unittest.TestCase):
    def test_bytes_written_inside_a_literal_fail_as_in_the_it_and_show_in_the_dump(self):
        def answer(tag, _):
            inside = BODY[:500] + b"* 3 EXISTS\r\n" + BODY[500:]
            return b"* 1 FETCH (UID 1 BODY[] {%d}\r\n%s)\r\n%s OK done\r\n" % (len(BODY), inside, tag)
        client = fake_server(answer)
        with self.assertRaisesRegex(imaplib.IMAP4.abort, r"unexpected response: b'\)'"):
            client.uid("FETCH", "1", "(BODY.PEEK[])")
        dump = client.dump()
        self.assertIn("literal of %d bytes announced, %d read" % (len(BODY), len(BODY)), dump)
        self.assertIn("response-like bytes at offset 500 of the literal", dump)
        self.assertIn("<< b'line of it\\r\\n'", dump)
        self.assertIn("<< b')\\r\\n'", dump)

    def test_login_arguments_are_not_recorded(self):
        client = fake_server(lambda tag, _: tag + b" OK done\r\n")
        client.state = "NONAUTH"
        with contextlib.suppress(Exception):
            client.login("someone", "secret-password")
        self.assertNotIn("secret-password", client.dump())
        self.assertIn("LOGIN (arguments not shown)", client.dump())


class ListedUidsTest(unittest.TestCase):
    def test_fetch_refused_while_the_session_does_not_know_a_counted_message_is_asked_again(self):
        def answer(tag, fetches):
            if fetches == 1:
                return tag + b" BAD FETCH failed. Invalid messageset.\r\n"
            return b"* 1 FETCH (UID 7)\r\n* 2 FETCH (UID 9)\r\n" + tag + b" OK FETCH completed.\r\n"
        client = fake_server(answer)
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(imap_session.listed_uids(client, 2), ["7", "9"])
        self.assertIn("asking again after a NOOP", err.getvalue())

    def test_other_refusals_are_not_retried(self):
        client = fake_server(lambda tag, _: tag + b" BAD FETCH failed. Something else.\r\n")
        with self.assertRaisesRegex(imaplib.IMAP4.error, "Something else"):
            imap_session.listed_uids(client, 2)


if __name__ == "__main__":
    sys.exit(unittest.main())
