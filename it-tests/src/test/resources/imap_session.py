"""What the IMAP test clients share: a connection secured with STARTTLS, as a desktop client makes it, and logout."""
import imaplib
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


def logout(imap):
    """Everything has been read by now: a connection the server closes right after its BYE, before the tagged LOGOUT
    answer, changes nothing for the caller (seen once on CI, with nothing logged by the server)."""
    try:
        imap.logout()
    except imaplib.IMAP4.abort:
        pass
