package org.epost.overlay.past.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lookup in progress at the reader: the copies the holders sent so far and who still has to answer. Immutable
 * kinds are verified copy by copy and the first valid one completes the lookup at once (the rest only tells whom to
 * repair); public-key copies are kept to be compared together once all holders answered.
 */
final class LookupState {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    final BlockKey key;
    final CompletableFuture<Optional<Block>> result;
    /** The k closest nodes to the handle as the answers named them: the only ones worth repairing. */
    final Set<NodeHandle> replicaSet = new LinkedHashSet<>();
    /** Public-key blocks: the bytes each holder sent (empty: none). */
    final Map<NodeHandle, byte[]> copies = new LinkedHashMap<>();
    final Map<NodeHandle, Long> leases = new HashMap<>();
    /** Immutable kinds: holders that sent no copy or a bad one. */
    final Set<NodeHandle> badOrMissing = new LinkedHashSet<>();
    /** Diversion candidates, asked only when no replica holder has a copy. */
    final List<NodeHandle> reserve = new ArrayList<>();
    /** The holders found along several paths, for a reader that cannot tell them itself; null until asked. */
    CompletableFuture<List<NodeHandle>> discovered;
    Block good;
    long goodLease;
    int outstanding;
    boolean concluded;

    private final PastContext ctx;

    LookupState(PastContext ctx, BlockKey key, CompletableFuture<Optional<Block>> result) {
        this.ctx = ctx;
        this.key = key;
        this.result = result;
    }

    boolean hasCopy() {
        return good != null || copies.values().stream().anyMatch(copy -> copy.length > 0);
    }

    /**
     * Takes {@code holder}'s answer: {@code copy} (empty: it has none) with its lease; {@code then} runs on the node
     * thread once it is counted (an immutable copy is verified off the node thread first).
     */
    void answer(NodeHandle holder, byte[] copy, long lease, Runnable then) {
        if (key.kind() == BlockKind.PUBLIC_KEY) {
            copies.put(holder, copy);
            leases.put(holder, lease);
            then.run(); // verified together, by the newest-replica selection
            return;
        }
        if (copy.length == 0) {
            badOrMissing.add(holder);
            then.run();
            return;
        }
        ctx.scheduler.offload().run(copy.length, () -> ctx.verifier.verify(copy, key), verification -> {
            take(holder, verification, lease);
            then.run();
        });
    }

    private void take(NodeHandle holder, Verification verification, long lease) {
        if (!verification.isValid()) {
            ctx.counters.badReplicas(1);
            LOG.warn("{}: replica of {} from {} fails verification ({}); skipped", ctx.self, key, holder,
                    PastContext.rejection(verification));
            badOrMissing.add(holder);
            return;
        }
        goodLease = Math.max(goodLease, lease);
        if (good == null) {
            good = verification.block();
            result.complete(Optional.of(good));
        }
    }
}
