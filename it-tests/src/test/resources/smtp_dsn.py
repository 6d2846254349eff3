#!/usr/bin/env python3
"""Submits one message with RFC 3461 DSN parameters (swaks has none): STARTTLS, AUTH, then MAIL FROM with RET/ENVID
and RCPT TO with NOTIFY. Prints the server's EHLO extensions as JSON ({"extensions": [...], "refused": {...}}) and
exits 1 if the server refused the message.

usage: smtp_dsn.py PORT USER PASSWORD FROM TO SUBJECT [--ret FULL|HDRS] [--envid ID] [--notify NEVER|FAILURE,...]
"""
import argparse
import json
import smtplib
import ssl
import sys


def main():
    parser = argparse.ArgumentParser()
    for name in ("port", "user", "password", "sender", "recipient", "subject"):
        parser.add_argument(name)
    parser.add_argument("--ret")
    parser.add_argument("--envid")
    parser.add_argument("--notify")
    args = parser.parse_args()

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", int(args.port), timeout=180) as smtp:
        smtp.ehlo()
        smtp.starttls(context=context)
        smtp.ehlo()
        extensions = sorted(smtp.esmtp_features)
        smtp.login(args.user, args.password)
        mail_options = (["RET=" + args.ret] if args.ret else []) + (["ENVID=" + args.envid] if args.envid else [])
        rcpt_options = ["NOTIFY=" + args.notify] if args.notify else []
        message = ("From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\nBody of %s\r\n"
                   % (args.sender, args.recipient, args.subject, args.subject)).encode()
        try:
            refused = smtp.sendmail(args.sender, [args.recipient], message, mail_options, rcpt_options)
        except smtplib.SMTPException as e:
            print(json.dumps({"extensions": extensions, "error": str(e)}))
            sys.exit(1)
    print(json.dumps({"extensions": extensions, "refused": {k: str(v) for k, v in refused.items()}}))


if __name__ == "__main__":
    main()
