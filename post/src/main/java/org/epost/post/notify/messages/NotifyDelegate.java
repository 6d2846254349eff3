package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Hands a sealed notification the recipient's home peer did not acknowledge to delegates. Routed by the sender to a
 * random {@code key} ({@code copy == false}); the node it is delivered to sends copies ({@code copy == true}) directly
 * to the rest of the k nodes closest to the key, and each of them, once the notification is on its disk, answers
 * {@link NotifyKept} to {@code origin}.
 */
public record NotifyDelegate(Id key, byte[] id, String recipient, byte[] box, NodeHandle origin, boolean copy)
        implements Message {
}
