package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;

/**
 * The recipient's one signed receipt for several notifications, from its home peer to the sender or a delegate:
 * {@code batch} is an encoded {@link org.epost.post.notify.ReceiptBatch}, {@code signature} covers exactly those
 * bytes.
 */
public record NotifyReceipts(byte[] batch, byte[] signature) implements Message {
}
