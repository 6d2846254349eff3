package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * A lease refresh round of many blocks costs one {@link LeaseCheck} per holder, not one per block: the holders'
 * own confirmations are batched. Prints the messages per extension (the README's figures), for a client near the
 * blocks' handles and for one far from them.
 */
class LeaseRoundCostTest {
    private static final int NODES = 80;
    private static final int BLOCKS = 20;

    @Test
    void aRoundOfExtensionsSendsOneCheckPerHolder() {
        PastRing ring = new PastRing(NODES, 211, PastRing.testConfig());
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            Block block = ring.contentBlock();
            assertThat(ring.await(ring.closest(block.handle()).get(1).insert(block, ring.now() + PastRing.LEASE / 3))
                    .isSuccess()).isTrue();
            blocks.add(block);
        }
        Map<NodeHandle, Integer> checksTo = new HashMap<>();
        Map<NodeHandle, Integer> leasesTo = new HashMap<>();
        ring.intercept((from, to, message) -> {
            if (message instanceof DirectMessage direct && direct.payload() instanceof LeaseCheck check) {
                checksTo.merge(to, 1, Integer::sum);
                leasesTo.merge(to, check.leases().size(), Integer::sum);
            }
            return message;
        });
        for (String where : List.of("near", "far")) {
            checksTo.clear();
            leasesTo.clear();
            Past client = where.equals("near") ? ring.closest(blocks.get(0).handle()).get(2)
                    : ring.closest(blocks.get(0).handle()).get(NODES / 2);
            long pastBefore = ring.pastMessages();
            long networkBefore = ring.messages();
            long longer = ring.now() + 2 * PastRing.LEASE / 3;
            List<CompletableFuture<Integer>> rounds = new ArrayList<>();
            for (Block block : blocks) {
                rounds.add(client.extendLease(block.key(), longer));
            }
            List<Integer> holders = ring.awaitAll(rounds);
            System.out.printf("lease round of %d blocks from a %s client: %.1f PAST messages, %.1f network messages "
                    + "per extension; %d checks to %d holders%n", BLOCKS, where,
                    (ring.pastMessages() - pastBefore) / (double) BLOCKS,
                    (ring.messages() - networkBefore) / (double) BLOCKS,
                    checksTo.values().stream().mapToInt(Integer::intValue).sum(), checksTo.size());

            assertThat(holders).as("k holders confirmed every lease").allMatch(count -> count >= PastRing.K);
            Set<NodeHandle> asked = new HashSet<>(checksTo.keySet());
            assertThat(asked).isNotEmpty();
            assertThat(checksTo).as("one check per holder for the whole round").allSatisfy((holder, checks) ->
                    assertThat(checks).isEqualTo(1));
            assertThat(leasesTo.values().stream().mapToInt(Integer::intValue).sum())
                    .as("each block's holders asked about it").isGreaterThanOrEqualTo(BLOCKS * PastRing.K);
        }
    }
}
