package org.epost.durability.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.Glacier;
import org.epost.durability.params.GlacierParameters;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.sim.Simulation;

/**
 * The simulator's omniscient view of where fragments and replicas are, read from the nodes' stores (never through
 * the protocol): what survived a crash, and whether an object is at full redundancy again, i.e. each of its n
 * fragments held by the live node numerically closest to its position.
 */
public final class FragmentCensus {
    private final Simulation sim;
    private final Map<Id, Glacier> glaciers;
    private final GlacierParameters code;

    public FragmentCensus(Simulation sim, Map<Id, Glacier> glaciers, GlacierParameters code) {
        this.sim = sim;
        this.glaciers = glaciers;
        this.code = code;
    }

    /** How many distinct fragments of the object live nodes hold. */
    public int survivingFragments(Id handle) {
        return survivingFragments().getOrDefault(handle, new java.util.BitSet()).cardinality();
    }

    /** For every object, the indexes some live node holds: one pass over the live nodes' stores. */
    public Map<Id, java.util.BitSet> survivingFragments() {
        Map<Id, java.util.BitSet> held = new HashMap<>();
        for (Simulation.SimNode node : sim.liveNodes()) {
            glaciers.get(node.id()).forEachHeld((handle, index) ->
                held.computeIfAbsent(handle, h -> new java.util.BitSet()).set(index));
        }
        return held;
    }

    /** How many of {@code blocks} have every fragment at the live node closest to its position. */
    public int fullyRedundant(List<ContentHashBlock> blocks) {
        return fullyRedundantObjects(blocks.stream().map(ContentHashBlock::handle).toList());
    }

    /** How many of the objects {@code handles} (blocks or aggregates) have every fragment where it belongs. */
    public int fullyRedundantObjects(List<Id> handles) {
        Id[] sorted = liveById().keySet().toArray(new Id[0]);
        Arrays.sort(sorted);
        int full = 0;
        for (Id handle : handles) {
            boolean all = true;
            for (int i = 0; all && i < code.n(); i++) {
                Id holder = Simulation.closest(sorted, FragmentPlacement.position(handle, i, code.n()));
                all = glaciers.get(holder).holds(handle, i);
            }
            if (all) {
                full++;
            }
        }
        return full;
    }

    /**
     * Where full redundancy is still missing: per live node closest to a position whose fragment it lacks, how many
     * such positions, and how many of them it believes itself responsible for ({@code [missing, believed]}); the
     * simulator prints the largest, with their repair state, while it traces a recovery.
     */
    public Map<Id, int[]> missingByHolder(List<Id> handles) {
        Id[] sorted = liveById().keySet().toArray(new Id[0]);
        Arrays.sort(sorted);
        Map<Id, int[]> missing = new HashMap<>();
        for (Id handle : handles) {
            for (int i = 0; i < code.n(); i++) {
                Id position = FragmentPlacement.position(handle, i, code.n());
                Id holder = Simulation.closest(sorted, position);
                Glacier glacier = glaciers.get(holder);
                if (!glacier.holds(handle, i)) {
                    int[] counts = missing.computeIfAbsent(holder, h -> new int[2]);
                    counts[0]++;
                    counts[1] += glacier.responsibleFor(position) ? 1 : 0;
                }
            }
        }
        return missing;
    }

    public String repairState(Id node) {
        return glaciers.get(node).repairState();
    }

    public boolean anyReplica(ContentHashBlock block) {
        for (Simulation.SimNode node : sim.liveNodes()) {
            if (node.past().store().contains(block.key())) {
                return true;
            }
        }
        return false;
    }

    public long pastBytes() {
        return sim.liveNodes().stream().mapToLong(node -> node.past().store().usedBytes()).sum();
    }

    /** Bytes of the aggregate pointers live nodes hold (45 bytes a copy, n copies a small block). */
    public long pointerBytes() {
        return sim.liveNodes().stream().mapToLong(node -> glaciers.get(node.id()).pointerBytes()).sum();
    }

    public long fragmentBytes() {
        return sim.liveNodes().stream().mapToLong(node -> glaciers.get(node.id()).fragmentBytes()).sum();
    }

    /** Maintenance messages sent by every node ever created (crashed ones keep their count). */
    public long maintenanceMessages() {
        return glaciers.values().stream().mapToLong(Glacier::maintenanceMessages).sum();
    }

    public long regenerated() {
        return glaciers.values().stream().mapToLong(Glacier::fragmentsRegenerated).sum();
    }

    public long rebuildsFailed() {
        return glaciers.values().stream().mapToLong(Glacier::rebuildsFailed).sum();
    }

    public long forged() {
        return glaciers.values().stream().mapToLong(Glacier::forgedFragments).sum();
    }

    private Map<Id, Simulation.SimNode> liveById() {
        Map<Id, Simulation.SimNode> live = new HashMap<>();
        for (Simulation.SimNode node : sim.liveNodes()) {
            live.put(node.id(), node);
        }
        return live;
    }
}
