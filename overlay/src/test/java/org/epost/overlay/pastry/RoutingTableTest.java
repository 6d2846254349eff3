package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.pastry.TestIds.id;
import static org.epost.overlay.pastry.TestIds.node;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.transport.Transport;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final RoutingTable table = new RoutingTable(id("a3c5"));

    @Test
    void placesNodesByLengthOfSharedPrefixAndNextDigit() {
        NodeHandle row0 = node("7");
        NodeHandle row1 = node("a8");
        NodeHandle row3 = node("a3cf");
        assertThat(table.put(row0, Transport.PROXIMITY_UNKNOWN)).isTrue();
        assertThat(table.put(row1, Transport.PROXIMITY_UNKNOWN)).isTrue();
        assertThat(table.put(row3, Transport.PROXIMITY_UNKNOWN)).isTrue();

        assertThat(table.get(0, 7)).isEqualTo(row0);
        assertThat(table.get(1, 8)).isEqualTo(row1);
        assertThat(table.get(3, 0xf)).isEqualTo(row3);
        assertThat(table.get(2, 0)).isNull();
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.entries()).containsExactly(row0, row1, row3);
    }

    @Test
    void neverHoldsTheLocalNode() {
        assertThat(table.put(node("a3c5"), 1)).isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void keepsTheNearerNodeWhenProximityIsKnown() {
        NodeHandle far = node("71");
        NodeHandle near = node("72");
        table.put(far, 80);
        assertThat(table.put(near, 10)).isTrue();
        assertThat(table.get(0, 7)).isEqualTo(near);
        assertThat(table.put(far, 80)).isFalse();
        assertThat(table.get(0, 7)).isEqualTo(near);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void keepsTheFirstNodeWhenProximityIsUnknown() {
        NodeHandle first = node("71");
        table.put(first, Transport.PROXIMITY_UNKNOWN);
        assertThat(table.put(node("72"), 5)).isFalse();
        assertThat(table.get(0, 7)).isEqualTo(first);
    }

    @Test
    void removesOnlyTheNodeWithThatId() {
        NodeHandle entry = node("71");
        table.put(entry, 1);
        assertThat(table.remove(id("72"))).isNull();
        assertThat(table.contains(id("71"))).isTrue();
        assertThat(table.remove(id("71"))).isEqualTo(entry);
        assertThat(table.contains(id("71"))).isFalse();
        assertThat(table.size()).isZero();
        assertThat(table.row(0)).isEmpty();
    }
}
