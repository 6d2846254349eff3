package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.pastry.TestIds.id;
import static org.epost.overlay.pastry.TestIds.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class LeafSetTest {

    @Test
    void ordersEachSideByDistanceAndWrapsAroundZero() {
        LeafSet leafSet = new LeafSet(node("f0"), 4);
        for (String prefix : List.of("01", "f8", "e0", "e8", "fc", "80")) {
            leafSet.insert(node(prefix));
        }
        assertThat(ids(leafSet.clockwise())).containsExactly(id("f8"), id("fc"));
        assertThat(ids(leafSet.counterClockwise())).containsExactly(id("e8"), id("e0"));
        assertThat(leafSet.coversWholeRing()).isFalse();
        assertThat(leafSet.inRange(id("fa"))).isTrue();
        assertThat(leafSet.inRange(id("fe"))).isFalse(); // just beyond the farthest clockwise member
        assertThat(leafSet.inRange(id("e1"))).isTrue();
        assertThat(leafSet.inRange(id("01"))).isFalse(); // beyond the farthest clockwise member
        assertThat(leafSet.inRange(id("80"))).isFalse();
    }

    @Test
    void noStrangerIsCloserOnlyWhileTheFarthestOfTheClosestIsNoFartherThanEitherEnd() {
        LeafSet leafSet = new LeafSet(node("f0"), 4);
        for (String prefix : List.of("01", "f8", "e0", "e8", "fc", "80")) {
            leafSet.insert(node(prefix));
        }
        // the leaf set ends are e0 and fc: any node it does not know lies beyond one of them
        assertThat(leafSet.noStrangerCloser(id("f0"), id("f8"))).isTrue();
        assertThat(leafSet.noStrangerCloser(id("f9"), id("fc"))).isTrue(); // fc is an end itself
        assertThat(leafSet.noStrangerCloser(id("fb"), id("f8"))).as("a stranger at fd would be closer").isFalse();
        assertThat(leafSet.noStrangerCloser(id("e1"), id("e8"))).as("a stranger at df would be closer").isFalse();
        assertThat(leafSet.noStrangerCloser(id("80"), id("80"))).as("out of range").isFalse();

        LeafSet small = new LeafSet(node("40"), 16);
        small.insert(node("10"));
        assertThat(small.noStrangerCloser(id("c0"), id("10"))).as("the whole ring is known").isTrue();
    }

    @Test
    void withFewerThanLNodesBothSidesHoldEveryoneAndTheWholeRingIsInRange() {
        LeafSet leafSet = new LeafSet(node("40"), 16);
        leafSet.insert(node("10"));
        leafSet.insert(node("90"));
        leafSet.insert(node("c0"));
        assertThat(ids(leafSet.clockwise())).containsExactly(id("90"), id("c0"), id("10"));
        assertThat(ids(leafSet.counterClockwise())).containsExactly(id("10"), id("c0"), id("90"));
        assertThat(leafSet.size()).isEqualTo(3);
        assertThat(leafSet.members()).hasSize(3);
        assertThat(leafSet.coversWholeRing()).isTrue();
        assertThat(leafSet.inRange(id("ff"))).isTrue();
    }

    @Test
    void fullSidesThatOverlapStillCoverTheWholeRing() {
        // 5 other nodes, L = 8: each side holds 4, so both are full, yet together they are the whole ring
        LeafSet leafSet = new LeafSet(node("00"), 8);
        for (String prefix : List.of("20", "40", "60", "80", "a0")) {
            leafSet.insert(node(prefix));
        }
        assertThat(leafSet.clockwiseFull()).isTrue();
        assertThat(leafSet.counterClockwiseFull()).isTrue();
        assertThat(leafSet.coversWholeRing()).isTrue();
        assertThat(leafSet.inRange(id("50"))).isTrue();
    }

    @Test
    void nearerNodesPushOutTheFarthestAndWouldAcceptSaysSoBeforehand() {
        LeafSet leafSet = new LeafSet(node("80"), 4);
        for (String prefix : List.of("88", "90", "78", "70")) {
            leafSet.insert(node(prefix));
        }
        assertThat(leafSet.wouldAccept(id("a0"))).isFalse();
        assertThat(leafSet.wouldAccept(id("90"))).isFalse(); // already a member
        assertThat(leafSet.wouldAccept(id("80"))).isFalse(); // ourselves
        assertThat(leafSet.wouldAccept(id("84"))).isTrue();
        assertThat(leafSet.insert(node("84"))).isTrue();
        assertThat(ids(leafSet.clockwise())).containsExactly(id("84"), id("88"));
        assertThat(leafSet.contains(id("90"))).isFalse();
    }

    @Test
    void removalLeavesADisjointSideShortSoTheSurvivorsAreNotTakenForTheWholeRing() {
        LeafSet big = new LeafSet(node("80"), 4);
        for (String prefix : List.of("88", "90", "78", "70")) {
            big.insert(node(prefix));
        }
        assertThat(big.coversWholeRing()).isFalse();
        assertThat(big.remove(id("88"))).isEqualTo(node("88"));
        assertThat(ids(big.clockwise())).containsExactly(id("90"));
        assertThat(ids(big.counterClockwise())).containsExactly(id("78"), id("70"));
        assertThat(big.coversWholeRing()).as("nodes are missing, not the ring small").isFalse();
        assertThat(big.inRange(id("8f"))).isTrue();
        assertThat(big.inRange(id("c0"))).as("beyond the short side's last member").isFalse();
        assertThat(big.remove(id("12"))).isNull();
        // a whole side gone: the range ends at our own id on that side
        big.remove(id("90"));
        assertThat(big.clockwise()).isEmpty();
        assertThat(big.inRange(id("81"))).isFalse();
        assertThat(big.inRange(id("79"))).isTrue();
        assertThat(big.noStrangerCloser(id("7f"), id("78"))).as("a stranger at 81 would be closer").isFalse();
        // a node fitting both short sides goes on the nearer one only: the sides stay disjoint
        big.remove(id("70"));
        big.insert(node("60"));
        assertThat(ids(big.counterClockwise())).containsExactly(id("78"), id("60"));
        assertThat(big.clockwise()).isEmpty();
        big.insert(node("c0"));
        assertThat(ids(big.clockwise())).containsExactly(id("c0"));
        assertThat(ids(big.counterClockwise())).containsExactly(id("78"), id("60"));
        assertThat(big.coversWholeRing()).isFalse();

        LeafSet small = new LeafSet(node("00"), 4);
        for (String prefix : List.of("40", "80", "c0")) {
            small.insert(node(prefix));
        }
        small.remove(id("40"));
        assertThat(ids(small.clockwise())).containsExactly(id("80"), id("c0"));
        assertThat(ids(small.counterClockwise())).containsExactly(id("c0"), id("80"));
        assertThat(small.coversWholeRing()).isTrue();
    }

    @Test
    void aShortSideClosesIntoASmallRingOnlyWhenItsFarthestMemberSeesOurOtherSideBeyondIt() {
        // a large ring's neighbourhood after a mass failure: 02's leaf set names our own members, nothing beyond it
        LeafSet gap = disjoint("00", 8, List.of("01", "02", "03", "04", "ff", "fe", "fd", "fc"),
                List.of("03", "04", "fd", "fc"));
        assertThat(gap.coversWholeRing()).isFalse();
        assertThat(gap.closeIfWrapped(id("02"), List.of(node("01"), node("00"), node("ff"), node("fe")))).isFalse();
        assertThat(gap.coversWholeRing()).isFalse();

        // a ring shrunk to 5 nodes (00 30 60 a0 d0): the sides are disjoint and short
        LeafSet shrunk = disjoint("00", 8, List.of("30", "60", "68", "70", "d0", "a0", "98", "90"),
                List.of("68", "70", "98", "90"));
        assertThat(shrunk.coversWholeRing()).isFalse();
        assertThat(shrunk.closeIfWrapped(id("60"), List.of(node("30"), node("65")))).as("a stranger beyond").isFalse();
        assertThat(shrunk.closeIfWrapped(id("30"), List.of(node("a0")))).as("not our farthest member").isFalse();
        // 60, our farthest clockwise member, has a0 (our counter-clockwise side) next going clockwise
        assertThat(shrunk.closeIfWrapped(id("60"), List.of(node("30"), node("a0"), node("d0")))).isTrue();
        assertThat(shrunk.coversWholeRing()).isTrue();
        assertThat(ids(shrunk.clockwise())).containsExactly(id("30"), id("60"), id("a0"), id("d0"));
        assertThat(ids(shrunk.counterClockwise())).containsExactly(id("d0"), id("a0"), id("60"), id("30"));
    }

    /** A leaf set that held {@code first} (sides disjoint) and then lost {@code dead}. */
    private static LeafSet disjoint(String self, int size, List<String> first, List<String> dead) {
        LeafSet leafSet = new LeafSet(node(self), size);
        first.forEach(prefix -> leafSet.insert(node(prefix)));
        dead.forEach(prefix -> leafSet.remove(id(prefix)));
        return leafSet;
    }

    @Test
    void agreesWithSortingRandomRings() {
        Random random = new Random(3);
        for (int round = 0; round < 50; round++) {
            int others = 1 + random.nextInt(40);
            List<Id> ids = new ArrayList<>();
            Id self = Id.random(random);
            LeafSet leafSet = new LeafSet(new NodeHandle(self, "s"), 8);
            for (int i = 0; i < others; i++) {
                Id id = Id.random(random);
                ids.add(id);
                leafSet.insert(new NodeHandle(id, "n" + i));
            }
            List<Id> byClockwise = new ArrayList<>(ids);
            byClockwise.sort(self::compareClockwise);
            List<Id> byCounterClockwise = new ArrayList<>(byClockwise);
            Collections.reverse(byCounterClockwise);
            int perSide = Math.min(4, others);
            assertThat(ids(leafSet.clockwise())).containsExactlyElementsOf(byClockwise.subList(0, perSide));
            assertThat(ids(leafSet.counterClockwise()))
                    .containsExactlyElementsOf(byCounterClockwise.subList(0, perSide));
            assertThat(leafSet.coversWholeRing()).isEqualTo(others < 8);
        }
    }

    private static List<Id> ids(List<NodeHandle> handles) {
        return handles.stream().map(NodeHandle::id).toList();
    }
}
