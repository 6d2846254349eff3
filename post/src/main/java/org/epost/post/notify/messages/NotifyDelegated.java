package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;

/** From the root of a delegation to the sender: notification {@code id} is kept by {@code delegates} nodes. */
public record NotifyDelegated(byte[] id, int delegates) implements Message {
}
