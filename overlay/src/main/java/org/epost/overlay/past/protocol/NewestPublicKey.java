package org.epost.overlay.past.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.NewestReplicaSelector;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.past.block.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader's choice among the public-key copies the holders sent: the newest valid version wins, and never one
 * older than this node already returned for the handle (no rollback, remembered per node). Holders that sent an
 * older or a bad copy are named, to be repaired with the winner.
 */
final class NewestPublicKey {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    /** What to re-send after a choice: the winner's bytes and lease, and the holders behind it. */
    record Repair(byte[] newest, long lease, Set<NodeHandle> behind) {
    }

    private final PastContext ctx;
    private final NewestReplicaSelector selector;
    /** Per public-key handle, the newest version this node's readers accepted: never return an older one. */
    private final Map<Id, Long> highestVersionSeen = new HashMap<>();

    NewestPublicKey(PastContext ctx) {
        this.ctx = ctx;
        this.selector = new NewestReplicaSelector(ctx.verifier);
    }

    /**
     * Completes the lookup with the newest valid copy (empty if none was offered or none verifies; exceptionally on
     * a rollback or equivocation) and answers whom to repair, if anyone.
     */
    Optional<Repair> conclude(LookupState lookup) {
        List<byte[]> offered = new ArrayList<>();
        lookup.copies.values().forEach(copy -> {
            if (copy.length > 0) {
                offered.add(copy);
            }
        });
        if (offered.isEmpty()) {
            lookup.result.complete(Optional.empty());
            return Optional.empty();
        }
        long seen = highestVersionSeen.getOrDefault(lookup.key.handle(), NewestReplicaSelector.NO_VERSION_SEEN);
        Verification choice = selector.selectNewest(lookup.key.handle(), offered, seen);
        if (!choice.isValid()) {
            RejectionReason reason = choice.reason().orElseThrow();
            if (reason == RejectionReason.STALE_VERSION || reason == RejectionReason.EQUIVOCATION) {
                lookup.result.completeExceptionally(new PastLookupException(reason, choice.detail()));
            } else {
                ctx.counters.badReplicas(offered.size());
                lookup.result.complete(Optional.empty());
            }
            return Optional.empty();
        }
        PublicKeyBlock newest = (PublicKeyBlock) choice.block();
        highestVersionSeen.merge(lookup.key.handle(), newest.version(), Math::max);
        byte[] newestBytes = newest.encoded();
        long lease = 0;
        Set<NodeHandle> behind = new LinkedHashSet<>();
        for (Map.Entry<NodeHandle, byte[]> copy : lookup.copies.entrySet()) {
            if (Arrays.equals(copy.getValue(), newestBytes)) {
                lease = Math.max(lease, lookup.leases.getOrDefault(copy.getKey(), 0L));
            } else {
                if (copy.getValue().length > 0) {
                    logSkipped(lookup, copy.getKey(), copy.getValue(), newest);
                }
                behind.add(copy.getKey());
            }
        }
        lookup.result.complete(Optional.of(newest));
        return Optional.of(new Repair(newestBytes, lease, behind));
    }

    /**
     * A version of a head that no holder had any more, rebuilt by the archive (already verified): accepted, and
     * remembered, unless this node returned a newer version of the head before (then a rollback, exceptionally).
     */
    void admitRecovered(PublicKeyBlock head, CompletableFuture<Optional<Block>> result) {
        long seen = highestVersionSeen.getOrDefault(head.handle(), NewestReplicaSelector.NO_VERSION_SEEN);
        if (head.version() < seen) {
            LOG.warn("{}: the archive's newest version of {} is v{}, older than v{} read before; refused", ctx.self,
                    head.handle(), head.version(), seen);
            result.completeExceptionally(new PastLookupException(RejectionReason.STALE_VERSION,
                    "archived v" + head.version() + " is older than v" + seen + " read before"));
            return;
        }
        highestVersionSeen.merge(head.handle(), head.version(), Math::max);
        result.complete(Optional.of(head));
    }

    private void logSkipped(LookupState lookup, NodeHandle holder, byte[] copy, PublicKeyBlock newest) {
        Verification verification = ctx.verifier.verify(copy, lookup.key);
        if (verification.isValid()) {
            LOG.warn("{}: replica of {} from {} is stale (v{} < v{}); skipped", ctx.self, lookup.key, holder,
                    ((PublicKeyBlock) verification.block()).version(), newest.version());
        } else {
            ctx.counters.badReplicas(1);
            LOG.warn("{}: replica of {} from {} fails verification ({}); skipped", ctx.self, lookup.key, holder,
                    PastContext.rejection(verification));
        }
    }
}
