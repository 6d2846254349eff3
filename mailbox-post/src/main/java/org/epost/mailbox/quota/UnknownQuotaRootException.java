package org.epost.mailbox.quota;

import org.apache.james.mailbox.exception.MailboxException;

/** A quota root whose limits this peer does not keep: not a user's root, or a user with no mailboxes here. */
public final class UnknownQuotaRootException extends MailboxException {
    private static final long serialVersionUID = 1L;

    public UnknownQuotaRootException(String message) {
        super(message);
    }

    public UnknownQuotaRootException(String message, Exception cause) {
        super(message, cause);
    }
}
