package org.epost.overlay.scribe;

import static org.assertj.core.api.Assertions.assertThat;

import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

/**
 * A hostile node speaking the real Scribe protocol in the simulated ring: joins of thousands of groups, and more
 * members of one group than a node takes as children. Every other node's Scribe state stays within its limits.
 */
class ScribeLimitsTest {
    private static final int MAX_GROUPS = 40;
    private static final int MAX_CHILDREN = 3;
    private static final ScribeClient IGNORE = (group, message) -> {
    };

    private final ScribeRing ring = new ScribeRing(12, 15, ScribeRing.CONFIG.withLimits(MAX_GROUPS, MAX_CHILDREN));

    @Test
    void aNodeJoiningThousandsOfGroupsCannotMakeOthersHoldMoreThanTheirLimit() {
        int hostile = 0;
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        for (int i = 0; i < 5_000; i++) {
            ring.scribes.get(hostile).join(Id.hash("flood-" + i), IGNORE);
        }
        ring.run(30_000);
        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();

        long refused = 0;
        for (int node = 1; node < ring.nodes.size(); node++) {
            assertThat(ring.scribes.get(node).groups()).as("groups of node %d", node).hasSizeLessThanOrEqualTo(MAX_GROUPS);
            refused += ring.scribes.get(node).counters().getOrDefault("refused", 0L);
        }
        assertThat(refused).as("joins refused beyond the limit").isPositive();
        System.out.printf("Scribe join flood: 5,000 groups joined by one node, others hold at most %d groups each,"
            + " %d joins refused, heap %+d KiB%n", MAX_GROUPS, refused, (after - before) / 1024);
    }

    @Test
    void aGroupKeepsAtMostTheChildLimitAtEachNodeAndTheOthersStillFormATree() {
        Id group = Id.hash("crowded");
        for (int node = 0; node < ring.nodes.size(); node++) {
            ring.scribes.get(node).join(group, IGNORE);
        }
        ring.run(30_000);

        for (int node = 0; node < ring.nodes.size(); node++) {
            ring.view(node, group).ifPresent(view -> assertThat(view.children()).hasSizeLessThanOrEqualTo(MAX_CHILDREN));
        }
        int root = ring.responsibleFor(group);
        assertThat(ring.view(root, group).orElseThrow().children()).hasSize(MAX_CHILDREN);
        assertThat(ring.scribes.stream().mapToLong(s -> s.counters().getOrDefault("refused", 0L)).sum()).isPositive();
    }
}
