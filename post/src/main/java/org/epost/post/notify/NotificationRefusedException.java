package org.epost.post.notify;

import java.util.Objects;

/**
 * A permanent failure to deliver a notification: thrown (as a future's failure) by a {@link NotificationSink} that
 * will never accept it, which makes the home peer answer a signed {@link Refusal}; and how a send ends on the sender's
 * peer once such a refusal, verified, arrives. Not to be retried: the mail is bounced to its sender.
 */
public final class NotificationRefusedException extends Exception {
    private final RefusalReason reason;

    public NotificationRefusedException(RefusalReason reason, String detail) {
        super(reason.text() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RefusalReason reason() {
        return reason;
    }
}
