package org.epost.spam.policy;

import java.util.Optional;

import org.epost.post.accounts.UserCertificate;
import org.epost.post.delivery.NotificationSender;
import org.epost.post.notify.Notification;

/**
 * What the recipient's home peer asks before it appends a notified message: INBOX or Junk; it refuses only where an
 * admin or the user chose it ({@link Verdict#DISCARD}, {@link Verdict#REFUSE_FIRST_CONTACT}: a signed refusal the
 * sending peer bounces), otherwise blocked mail is junked, not lost. It must not throw for ordinary input: a sender
 * that cannot be read is simply unknown.
 */
public interface DeliveryPolicy {
    /** Appends everything to INBOX: a peer without spam defences. */
    DeliveryPolicy INBOX_ONLY = (recipient, sender) -> Verdict.INBOX;

    /**
     * @param recipient the user the message is appended for
     * @param sender    the verified sender or the {@code From:} address; empty when the message names none
     */
    Verdict verdict(String recipient, Optional<Sender> sender);

    /**
     * The verdict for a notified message, knowing the notification and its signer's verified certificate (the
     * first-contact puzzle is checked here). By default, the verdict from the sender alone.
     */
    default Verdict verdict(String recipient, Optional<Sender> sender, Notification notification,
                            UserCertificate signer) {
        return verdict(recipient, sender);
    }

    /** How this peer sends its users' notifications (a puzzle attached for a first contact). By default, unchanged. */
    default NotificationSender outgoing(NotificationSender send) {
        return send;
    }
}
