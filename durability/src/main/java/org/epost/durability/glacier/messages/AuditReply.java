package org.epost.durability.glacier.messages;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.id.Id;

/**
 * The mirror's answer for {@code [from, coveredTo)} of the asked arc (the part it is responsible for; the asker
 * goes on from {@code coveredTo}): the digest of the (object, asker's index) pairs its fragments there imply, and
 * when asked for, those pairs with their leases as parallel lists, capped in length ({@code truncated}: more were
 * left out, the next round continues).
 */
public record AuditReply(long requestId, Id coveredTo, byte[] digest, List<Id> handles, List<Integer> indexes,
                         List<Long> expiries, boolean truncated) implements GlacierReply {
    public AuditReply {
        Objects.requireNonNull(coveredTo, "coveredTo");
        digest = digest.clone();
        handles = List.copyOf(handles);
        indexes = List.copyOf(indexes);
        expiries = List.copyOf(expiries);
        if (indexes.size() != handles.size() || expiries.size() != handles.size()) {
            throw new IllegalArgumentException("audit lists of different lengths");
        }
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }
}
