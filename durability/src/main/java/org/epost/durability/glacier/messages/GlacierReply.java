package org.epost.durability.glacier.messages;

import org.epost.overlay.api.BulkMessage;

/** An answer to a Glacier request (bulk traffic, as all of Glacier's): it echoes the request's id, which is all the receiver matches it by. */
public interface GlacierReply extends BulkMessage {
    long requestId();
}
