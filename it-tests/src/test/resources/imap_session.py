"""What the IMAP test clients share: a connection secured with STARTTLS, as a desktop client makes it, the list of
the messages a SELECT counted, and logout."""
import imaplib
import re
import ssl


def connect(host, port, timeout):
    """An IMAP connection after STARTTLS, not logged in yet (the callers answer a refused login differently)."""
    # The local ring's peers have self-signed certificates.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4(host, port, timeout=timeout)
    imap.starttls(ssl_context=context)
    return imap


def listed_uids(imap, exists):
    """The UIDs of the messages SELECT counted (its EXISTS), oldest first. Not UID SEARCH ALL: James answers SEARCH
    from the mailbox itself, so while mail is being delivered it can name a message the session has not been told
    of yet, and James 3.8.1 refuses UID FETCH of it with BAD when SELECT counted no message (seen under load with
    it-tests/bench/imap_soak.py). A message delivered after SELECT is read by the next poll."""
    if exists == 0:
        return []
    status, data = imap.fetch("1:%d" % exists, "(UID)")
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
