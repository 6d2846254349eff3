package org.epost.durability.glacier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.durability.glacier.store.FragmentStore;
import org.epost.durability.glacier.store.InMemoryFragmentStore;
import org.epost.durability.params.GlacierParameters;
import org.epost.durability.sim.FragmentCensus;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.testing.PastRing;

/** A seeded simulated {@link PastRing} whose every node also runs Glacier with a small code, for protocol tests. */
final class GlacierRing {
    static final GlacierParameters CODE = new GlacierParameters(12, 4, 3, 0.6, 1e-6);
    /** The test code with every block coded alone (no aggregation of small blocks). */
    static final GlacierConfig CODED_ALONE = GlacierConfig.defaults(CODE).withAggregation(AggregationPolicy.NONE);

    final PastRing ring;
    final Map<Id, Glacier> glaciers = new LinkedHashMap<>();
    final FragmentCensus census;

    GlacierRing(int nodes, long seed) {
        this(nodes, seed, id -> GlacierConfig.defaults(CODE));
    }

    GlacierRing(int nodes, long seed, java.util.function.Function<Id, GlacierConfig> config) {
        this(nodes, seed, config, false);
    }

    /** @param pastArchives whether every node's PAST archives into and recovers from its Glacier, as on peers */
    GlacierRing(int nodes, long seed, java.util.function.Function<Id, GlacierConfig> config, boolean pastArchives) {
        this(nodes, seed, config, pastArchives, id -> new InMemoryFragmentStore());
    }

    /** @param stores each node's fragment store (a test can hand a node the store of its earlier run) */
    GlacierRing(int nodes, long seed, java.util.function.Function<Id, GlacierConfig> config, boolean pastArchives,
                java.util.function.Function<Id, FragmentStore> stores) {
        this.ring = new PastRing(nodes, seed, PastRing.testConfig(), i -> 1L << 30, (r, node, past) -> {
            Glacier glacier = new Glacier(node.node(), past, new PastObjectVerifier(r.verifier()),
                node.transport().scheduler(), config.apply(node.id()), stores.apply(node.id()));
            glaciers.put(node.id(), glacier);
            if (pastArchives) {
                past.setArchive(glacier);
            }
        });
        this.census = new FragmentCensus(ring.sim(), glaciers, CODE);
    }

    Simulation sim() {
        return ring.sim();
    }

    Glacier randomLive() {
        return glaciers.get(ring.randomLive().localHandle().id());
    }

    Glacier of(Simulation.SimNode node) {
        return glaciers.get(node.id());
    }

    /** Stores {@code block} in PAST and archives it; answers the fragments stored. */
    int storeAndArchive(ContentHashBlock block) {
        Glacier source = randomLive();
        ring.await(ring.live().get(0).insert(block, ring.now() + PastRing.LEASE));
        return ring.await(source.archive(block.handle(), block.kind().code(), block.encoded(),
            ring.now() + PastRing.LEASE));
    }

    boolean fullyRedundant(List<ContentHashBlock> blocks) {
        return census.fullyRedundant(blocks) == blocks.size();
    }

    /** Runs until every block is fully redundant, checked each virtual 5 s, at most {@code maxMillis}. */
    boolean awaitFullyRedundant(List<ContentHashBlock> blocks, long maxMillis) {
        long deadline = ring.now() + maxMillis;
        while (ring.now() < deadline) {
            if (fullyRedundant(blocks)) {
                return true;
            }
            ring.runFor(5_000);
        }
        return fullyRedundant(blocks);
    }

    long forged() {
        return glaciers.values().stream().mapToLong(Glacier::forgedFragments).sum();
    }
}
