package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;

/**
 * From each delegate straight to the sender's peer, once the delegate forced the notification to disk: {@code ack}
 * is an encoded {@code org.epost.post.notify.DelegationAck}, {@code signature} the delegate's node-key signature over
 * it and {@code credential} what proves that key is the delegate's (its node certificate).
 */
public record NotifyKept(byte[] ack, byte[] signature, byte[] credential) implements Message {
}
