package org.epost.post.notify;

/**
 * Told on the sending peer when a notification it had handed to delegates (its send completed
 * {@link NotificationService.Outcome#DELEGATED}, the SMTP client got its 250) is refused for good by the recipient's
 * home peer: the refusal, signed by the recipient's certified key, came back through a delegate. The mail is to be
 * bounced to {@code returnPath}, the envelope sender given to the send (the notification's own sender may be the
 * peer's relay account). Called on the node thread: hand anything slow to another thread.
 */
@FunctionalInterface
public interface RefusedAfterDelegation {
    void refused(Notification notification, String returnPath, RefusalReason reason);
}
