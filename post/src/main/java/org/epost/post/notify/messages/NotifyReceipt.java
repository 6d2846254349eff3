package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;

/** The recipient's signed receipt for notification {@code id}, from its home peer to the sender or a delegate. */
public record NotifyReceipt(byte[] id, String recipient, byte[] signature) implements Message {
}
