package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;

/**
 * Sent directly to the recipient's home peer (by the sender's peer or a delegate): the sealed, signed notification.
 * {@code id} and {@code recipient} repeat, in clear, what the box holds (the home peer checks they match); the
 * receipt goes to {@code replyTo}.
 */
public record NotifyDeliver(byte[] id, String recipient, byte[] box, NodeHandle replyTo) implements Message {
}
