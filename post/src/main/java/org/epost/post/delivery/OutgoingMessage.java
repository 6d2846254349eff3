package org.epost.post.delivery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.epost.post.store.RandomAccessBytes;

/**
 * One message to deliver to ePOST recipients.
 *
 * @param message             the raw message, exactly as the recipients will read it: in memory, or read by position
 *                            from a file so that a large message is stored without being whole in the heap
 * @param authenticatedSender the account the submitting client authenticated as, if any: the notifications are
 *                            signed by it when it is homed on this peer
 * @param recipients          the ePOST recipients (addresses with a certificate in the ring)
 * @param deliveryKey         names this delivery attempt (e.g. James's mail name): sending the same message to the
 *                            same recipient under the same key again yields the same notification id, which the
 *                            recipient's peer delivers only once
 * @param returnPath          the envelope sender (SMTP {@code MAIL FROM}), who gets a bounce if a recipient's peer
 *                            refuses the mail after its delegated send was accepted; empty for the null sender
 */
public record OutgoingMessage(RandomAccessBytes message, Optional<String> authenticatedSender, List<String> recipients,
                              String deliveryKey, Optional<String> returnPath) {
    public OutgoingMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(authenticatedSender, "authenticatedSender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(deliveryKey, "deliveryKey");
        Objects.requireNonNull(returnPath, "returnPath");
    }

    /** A message in memory. */
    public OutgoingMessage(byte[] message, Optional<String> authenticatedSender, List<String> recipients,
                           String deliveryKey, Optional<String> returnPath) {
        this(RandomAccessBytes.of(message), authenticatedSender, recipients, deliveryKey, returnPath);
    }

    /** A message with the null return path: nobody is told of a refusal that comes after a delegated send. */
    public OutgoingMessage(byte[] message, Optional<String> authenticatedSender, List<String> recipients,
                           String deliveryKey) {
        this(message, authenticatedSender, recipients, deliveryKey, Optional.empty());
    }
}
