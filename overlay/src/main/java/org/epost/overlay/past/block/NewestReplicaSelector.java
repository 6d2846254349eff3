package org.epost.overlay.past.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.epost.overlay.id.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a public-key block: given the bytes returned by several replicas, picks the newest valid version.
 *
 * <ul>
 *   <li>Invalid replicas (tampered, wrong handle, another kind, ...) are skipped: the others may be good.</li>
 *   <li>No rollback: if the newest valid version is below one the reader has already seen, the answer is
 *       {@link RejectionReason#STALE_VERSION}, never the older block.</li>
 *   <li>Two valid replicas with the same version but different payloads are equivocation by the key. At the newest
 *       version there is no honest choice, so the answer is {@link RejectionReason#EQUIVOCATION}; at an older,
 *       superseded version it is only logged.</li>
 * </ul>
 */
public final class NewestReplicaSelector {
    private static final Logger LOG = LoggerFactory.getLogger(NewestReplicaSelector.class);

    /** For {@code highestVersionSeen} when the reader has seen no version yet. */
    public static final long NO_VERSION_SEEN = -1;

    private final BlockVerifier verifier;

    public NewestReplicaSelector(BlockVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * @param handle             the public-key block asked for
     * @param replicas           the raw bytes each replica returned; at least one
     * @param highestVersionSeen the newest version this reader accepted before, or {@link #NO_VERSION_SEEN}
     * @return the newest valid {@link PublicKeyBlock}, or the reason there is none to trust
     */
    public Verification selectNewest(Id handle, List<byte[]> replicas, long highestVersionSeen) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("No replica to choose from");
        }
        BlockKey key = new BlockKey(handle, BlockKind.PUBLIC_KEY);
        List<PublicKeyBlock> valid = new ArrayList<>();
        Verification firstRejection = null;
        for (byte[] replica : replicas) {
            Verification verification = verifier.verify(replica, key);
            if (verification.isValid()) {
                valid.add((PublicKeyBlock) verification.block());
            } else if (firstRejection == null) {
                firstRejection = verification;
            }
        }
        if (valid.isEmpty()) {
            return Verification.rejected(firstRejection.reason().orElseThrow(),
                    "no valid replica of " + handle + " among " + replicas.size() + ": " + firstRejection.detail());
        }
        PublicKeyBlock newest = valid.get(0);
        for (PublicKeyBlock candidate : valid) {
            if (candidate.version() > newest.version()) {
                newest = candidate;
            }
        }
        for (int i = 0; i < valid.size(); i++) {
            PublicKeyBlock candidate = valid.get(i);
            for (PublicKeyBlock other : valid.subList(i + 1, valid.size())) {
                if (candidate.equivocatesWith(other)) {
                    if (candidate.version() == newest.version()) {
                        LOG.warn("Rejected block {}: {} at version {}", handle, RejectionReason.EQUIVOCATION,
                                newest.version());
                        return Verification.rejected(RejectionReason.EQUIVOCATION,
                                "two different blocks signed for version " + newest.version() + " of " + handle);
                    }
                    LOG.warn("Equivocation at superseded version {} of {}", candidate.version(), handle);
                }
            }
        }
        if (newest.version() < highestVersionSeen) {
            LOG.warn("Rejected block {}: {} (newest replica v{}, already seen v{})", handle,
                    RejectionReason.STALE_VERSION, newest.version(), highestVersionSeen);
            return Verification.rejected(RejectionReason.STALE_VERSION,
                    "newest replica has version " + newest.version() + " but version " + highestVersionSeen
                            + " was seen before");
        }
        return Verification.valid(newest);
    }
}
