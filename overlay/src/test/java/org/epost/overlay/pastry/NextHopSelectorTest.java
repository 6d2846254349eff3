package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.pastry.TestIds.id;
import static org.epost.overlay.pastry.TestIds.node;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.transport.Transport;
import org.junit.jupiter.api.Test;

class NextHopSelectorTest {
    private static final Predicate<Id> NONE = id -> false;

    private final NodeHandle self = node("5000");
    private final LeafSet leafSet = new LeafSet(self, 4);
    private final RoutingTable table = new RoutingTable(self.id());
    private final NextHopSelector selector = new NextHopSelector(self, leafSet, table);

    NextHopSelectorTest() {
        for (String prefix : List.of("4f00", "4f80", "5080", "5100")) {
            leafSet.insert(node(prefix));
        }
        for (String prefix : List.of("1000", "9000", "5800", "5300")) {
            table.put(node(prefix), Transport.PROXIMITY_UNKNOWN);
        }
    }

    @Test
    void keyInLeafSetRangeGoesToTheNumericallyClosest() {
        assertThat(selector.select(id("5090"), NONE, NONE)).isEqualTo(NextHop.forward(node("5080")));
        assertThat(selector.select(id("4f10"), NONE, NONE)).isEqualTo(NextHop.forward(node("4f00")));
        assertThat(selector.select(id("5010"), NONE, NONE)).isEqualTo(NextHop.deliverHere(self));
    }

    @Test
    void keyOutsideTheLeafSetFollowsTheRoutingTableEntryWithALongerPrefix() {
        assertThat(selector.select(id("9abc"), NONE, NONE)).isEqualTo(NextHop.forward(node("9000")));
        assertThat(selector.select(id("58ab"), NONE, NONE)).isEqualTo(NextHop.forward(node("5800")));
    }

    @Test
    void emptySlotFallsBackToAKnownNodeCloserToTheKey() {
        // no entry for digit 0 in row 1 ("50.."); 5100 (leaf) is the closest known node sharing the prefix "5"
        assertThat(selector.select(id("52ff"), NONE, NONE)).isEqualTo(NextHop.forward(node("5300")));
        // row 0, digit "c": empty; 9000 is closer to c000 than we are
        assertThat(selector.select(id("c000"), NONE, NONE)).isEqualTo(NextHop.forward(node("9000")));
    }

    @Test
    void aLongerPrefixNumericallyFartherFromTheKeyIsNoProgress() {
        // 6f00 shares the key's first digit, we do not, yet we are nearer 6000: taking it could undo a leaf-set hop
        // of the node before (numerically closer, shorter prefix) while leaf sets disagree, and loop
        NodeHandle near = node("5f00");
        LeafSet leaves = new LeafSet(near, 4);
        for (String prefix : List.of("5e00", "5e80", "5f80", "5f90")) {
            leaves.insert(node(prefix));
        }
        RoutingTable rows = new RoutingTable(near.id());
        rows.put(node("6f00"), Transport.PROXIMITY_UNKNOWN);
        NextHopSelector nearSelector = new NextHopSelector(near, leaves, rows);
        assertThat(nearSelector.select(id("6000"), NONE, NONE)).isEqualTo(NextHop.forward(node("5f90")));
        assertThat(nearSelector.select(id("6e00"), NONE, NONE)).isEqualTo(NextHop.forward(node("6f00")));
    }

    @Test
    void suspectedRoutingTableEntryIsAvoided() {
        Set<Id> suspected = Set.of(id("9000"));
        NextHop hop = selector.select(id("9abc"), NONE, suspected::contains);
        assertThat(hop.kind()).isEqualTo(NextHop.Kind.FORWARD);
        assertThat(hop.node()).isNotEqualTo(node("9000"));
        assertThat(hop.node().id().isCloserTo(id("9abc"), self.id())).isTrue();
    }

    @Test
    void suspectedClosestLeafIsWaitedForNotSkipped() {
        Set<Id> suspected = Set.of(id("5080"));
        assertThat(selector.select(id("5090"), NONE, suspected::contains))
                .isEqualTo(NextHop.awaitProbe(node("5080")));
    }

    @Test
    void excludedNodesAreIgnoredEntirely() {
        Set<Id> excluded = Set.of(id("5080"));
        assertThat(selector.select(id("5090"), excluded::contains, NONE)).isEqualTo(NextHop.forward(node("5100")));
    }
}
