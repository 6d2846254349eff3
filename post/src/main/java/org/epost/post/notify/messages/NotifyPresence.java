package org.epost.post.notify.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;

/**
 * Published by a home peer on the Scribe group of each of its users when it starts: "{@code recipient} is served at
 * {@code home}", signed by the recipient's key (so nobody else can divert the delegates).
 */
public record NotifyPresence(String recipient, NodeHandle home, long time, byte[] signature) implements Message {
}
