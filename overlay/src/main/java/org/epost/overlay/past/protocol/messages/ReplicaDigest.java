package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Replica maintenance: the blocks the sender holds that it believes the receiver should hold too, as parallel
 * lists: handle, kind code (one byte each) and version (public-key blocks; 0 for the other kinds).
 */
public record ReplicaDigest(long requestId, NodeHandle sender, List<Id> handles, byte[] kinds, List<Long> versions)
        implements org.epost.overlay.api.BulkMessage {
    public ReplicaDigest {
        handles = List.copyOf(handles);
        versions = List.copyOf(versions);
        if (kinds.length != handles.size() || versions.size() != handles.size()) {
            throw new IllegalArgumentException("digest lists of different lengths");
        }
    }
}
