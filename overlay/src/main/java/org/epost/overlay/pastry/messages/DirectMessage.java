package org.epost.overlay.pastry.messages;

import org.epost.overlay.api.Message;

/** An application message sent straight to one node, not routed by key. */
public record DirectMessage(String application, Message payload) {
}
