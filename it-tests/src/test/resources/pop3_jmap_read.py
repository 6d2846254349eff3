#!/usr/bin/env python3
"""Reads a user's INBOX the two other ways stock James serves it: POP3 (poplib) and JMAP RFC 8621 (HTTP, Basic
authentication), and prints JSON: {"pop3": [<sha256 of each message>], "jmap": [<subject of each email>]}.

usage: pop3_jmap_read.py HOST POP3_PORT JMAP_PORT USER PASSWORD
exit 0 on success, 1 on any error.
"""
import base64
import hashlib
import json
import poplib
import sys
import urllib.request


def pop3(host, port, user, password):
    client = poplib.POP3(host, port, timeout=60)
    client.user(user)
    client.pass_(password)
    digests = []
    count, _ = client.stat()
    for number in range(1, count + 1):
        _, lines, _ = client.retr(number)
        digests.append(hashlib.sha256(b"\r\n".join(lines) + b"\r\n").hexdigest())
    client.quit()
    return digests


def jmap(host, port, user, password):
    token = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    headers = {"Authorization": "Basic " + token, "Accept": "application/json; jmapVersion=rfc-8621",
               "Content-Type": "application/json"}
    base = "http://%s:%d" % (host, port)
    session = json.load(urllib.request.urlopen(urllib.request.Request(base + "/jmap/session", headers=headers),
                                               timeout=60))
    account = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    request = {"using": ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"], "methodCalls": [
        ["Email/query", {"accountId": account}, "q"],
        ["Email/get", {"accountId": account, "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                       "properties": ["subject"]}, "g"]]}
    response = json.load(urllib.request.urlopen(urllib.request.Request(
        base + "/jmap", data=json.dumps(request).encode(), headers=headers, method="POST"), timeout=60))
    for name, arguments, _ in response["methodResponses"]:
        if name == "Email/get":
            return [email["subject"] for email in arguments["list"]]
    raise RuntimeError("no Email/get response: %r" % response)


def main():
    host, pop3_port, jmap_port, user, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    print(json.dumps({"pop3": pop3(host, pop3_port, user, password), "jmap": jmap(host, jmap_port, user, password)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
