package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.id.Id;

/**
 * The entries of a {@link ReplicaDigest} the receiver lacks (or holds only in an older version), as parallel lists
 * of handle and kind code. Every other entry the receiver holds.
 */
public record DigestReply(long requestId, List<Id> missingHandles, byte[] missingKinds) implements PastReply, org.epost.overlay.api.BulkMessage {
    public DigestReply {
        missingHandles = List.copyOf(missingHandles);
        if (missingKinds.length != missingHandles.size()) {
            throw new IllegalArgumentException("digest reply lists of different lengths");
        }
    }
}
