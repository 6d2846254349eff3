package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;

/**
 * A negative receipt, from the recipient's home peer to the sender or a delegate: {@code refusal} is an encoded
 * {@code org.epost.post.notify.Refusal} and {@code signature} the recipient's signature over it.
 */
public record NotifyRefusal(byte[] refusal, byte[] signature) implements Message {
}
