package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;

/** An answer to a request: it echoes the request's id, which is all the receiver matches it by. */
public interface PastReply extends Message {
    long requestId();
}
