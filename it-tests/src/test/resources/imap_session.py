"""What the IMAP test clients share: a connection secured with STARTTLS, as a desktop client makes it, that prints
its last bytes when the script dies of an exception, the list of the messages a SELECT counted, and logout."""
import collections
import imaplib
import re
import ssl
import sys
import time


_RESPONSE_LIKE = re.compile(rb"\* (\d+ (EXISTS|RECENT|EXPUNGE|FETCH)|OK|NO|BAD|BYE)\b|\+ Idling")


class RecordingIMAP4(imaplib.IMAP4):
    """imaplib's client unchanged, but it remembers the last lines and literals it read and the commands it sent (a
    LOGIN without its arguments), so that a failure shows what the server sent around it: a literal read at its
    announced size, then the line that followed it, is what tells a server that wrote bytes inside a literal (or
    announced a wrong size) from a client error."""

    def __init__(self, *args, **kwargs):
        self.transcript = collections.deque(maxlen=60)
        super().__init__(*args, **kwargs)

    def readline(self):
        line = super().readline()
        self.transcript.append("<< %r" % (line if len(line) <= 300 else line[:300] + b"...(%d bytes)" % len(line)))
        return line

    def read(self, size):
        data = super().read(size)
        shown = data if len(data) <= 400 else data[:100] + b"...(%d bytes)..." % (len(data) - 400) + data[-300:]
        self.transcript.append("<< literal of %d bytes announced, %d read: %r" % (size, len(data), shown))
        if len(data) > 400:
            # What looks like a server response in the middle of a literal, with its offset (a long literal is not
            # kept, so this is where bytes written into it would show).
            for match in list(_RESPONSE_LIKE.finditer(data, 100, len(data) - 300))[:5]:
                self.transcript.append("   response-like bytes at offset %d of the literal: %r"
                                       % (match.start(), data[max(0, match.start() - 40):match.end() + 80]))
        return data

    def send(self, data):
        shown = data.split(b" LOGIN ")[0] + b" LOGIN (arguments not shown)" if b" LOGIN " in data else data[:300]
        self.transcript.append(">> %r" % shown)
        return super().send(data)

    def dump(self):
        return "\n".join(self.transcript)


def _dump_on_failure(connection):
    """Prints the connection's last bytes to stderr after the traceback of an exception that ends the script."""
    previous = sys.excepthook

    def hook(kind, value, traceback):
        previous(kind, value, traceback)
        print("--- last bytes of the IMAP connection (<< read, >> sent) ---\n" + connection.dump(), file=sys.stderr)

    sys.excepthook = hook


def connect(host, port, timeout):
    """An IMAP connection after STARTTLS, not logged in yet (the callers answer a refused login differently). If the
    script then dies of an exception, the connection's last bytes follow the traceback on stderr."""
    # The local ring's peers have self-signed certificates.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = RecordingIMAP4(host, port, timeout=timeout)
    _dump_on_failure(imap)
    imap.starttls(ssl_context=context)
    return imap


def listed_uids(imap, exists):
    """The UIDs of the messages SELECT counted (its EXISTS), oldest first. Not UID SEARCH ALL: James answers SEARCH
    from the mailbox itself, so while mail is being delivered it can name a message the session has not been told
    of yet, and James 3.8.1 refuses UID FETCH of it with BAD when SELECT counted no message (seen under load with
    it-tests/bench/imap_soak.py). A message delivered after SELECT is read by the next poll.
    James 3.8.1's SELECT also lists the session's messages before it counts the mailbox for EXISTS, so a message
    appended in between is counted before the session knows it, and FETCH 1:n is refused with BAD "Invalid
    messageset" until the session has processed that message's event (seen under load with
    it-tests/bench/big_fetch_soak.py): then the FETCH is asked again after a NOOP, for up to 30 s."""
    if exists == 0:
        return []
    deadline = time.monotonic() + 30
    while True:
        try:
            status, data = imap.fetch("1:%d" % exists, "(UID)")
            break
        except imaplib.IMAP4.error as e:
            if "Invalid messageset" not in str(e) or time.monotonic() > deadline:
                raise
            print("FETCH 1:%d (UID) refused (%s); asking again after a NOOP" % (exists, e), file=sys.stderr)
            time.sleep(0.5)
            imap.noop()
    if status != "OK":
        raise RuntimeError("FETCH 1:%d (UID) failed: %r" % (exists, data))
    uids = set()
    for item in data:
        match = re.search(rb"UID (\d+)", item if isinstance(item, bytes) else item[0])
        if match:
            uids.add(int(match.group(1)))
    return [str(uid) for uid in sorted(uids)]


def message(fetched):
    """(response line, literal) of a UID FETCH of one message's body, skipping the FLAGS updates of other messages
    that James may send with it."""
    for item in fetched:
        if isinstance(item, tuple):
            return item
    raise RuntimeError("FETCH returned no message: %r" % fetched)


def logout(imap):
    """Everything has been read by now: a connection the server closes right after its BYE, before the tagged LOGOUT
    answer, changes nothing for the caller (seen once on CI, with nothing logged by the server)."""
    try:
        imap.logout()
    except imaplib.IMAP4.abort:
        pass
