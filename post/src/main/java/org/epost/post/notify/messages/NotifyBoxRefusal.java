package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;

/**
 * From the recipient's home peer to a delegate that handed it a box it cannot open: {@code refusal} is an encoded
 * {@code org.epost.post.notify.BoxRefusal} and {@code signature} the recipient's signature over it.
 */
public record NotifyBoxRefusal(byte[] refusal, byte[] signature) implements Message {
}
