package org.epost.durability.glacier.messages;

import org.epost.overlay.api.Message;

/** An answer to a Glacier request: it echoes the request's id, which is all the receiver matches it by. */
public interface GlacierReply extends Message {
    long requestId();
}
