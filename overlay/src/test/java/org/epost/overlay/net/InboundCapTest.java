package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

class InboundCapTest {
    private static Id id(int digit) {
        return Id.fromHex(Integer.toHexString(digit).repeat(Id.BYTES * 2));
    }

    @Test
    void aNeededNodeEvictsTheLeastRecentlyReadLinkOfANodeNotNeededThatHasNothingWaiting() {
        InboundCap cap = new InboundCap(3);
        Channel busy = new EmbeddedChannel();
        Channel old = new EmbeddedChannel();
        Channel recent = new EmbeddedChannel();
        Channel neededOld = new EmbeddedChannel();
        assertThat(cap.authenticated(neededOld, id(1), 0)).isFalse();
        assertThat(cap.authenticated(busy, id(2), 5)).isFalse();
        assertThat(cap.authenticated(old, id(3), 10)).isFalse();
        assertThat(cap.authenticated(recent, id(4), 20)).as("over the cap of 3").isTrue();
        cap.read(old, 30);
        // the links read last: neededOld 0 (but needed), busy 5 (but busy), recent 20, old 30
        InboundCap.Decision decision = cap.overCap(recent, id(4), Set.of(id(1), id(4))::contains, busy::equals);
        assertThat(decision).isEqualTo(new InboundCap.Evict(old, id(3)));
        assertThat(cap.evicted()).isEqualTo(1);
    }

    @Test
    void aNodeNotNeededIsRefusedAndSoIsANeededOneWhenNothingCanGo() {
        InboundCap cap = new InboundCap(1);
        Channel first = new EmbeddedChannel();
        Channel second = new EmbeddedChannel();
        cap.authenticated(first, id(1), 0);
        assertThat(cap.authenticated(second, id(2), 1)).isTrue();
        assertThat(cap.overCap(second, id(2), id -> false, channel -> false)).isInstanceOf(InboundCap.Refuse.class);
        assertThat(cap.overCap(second, id(2), id -> true, channel -> false)).as("every other link is needed")
            .isInstanceOf(InboundCap.Refuse.class);
        assertThat(cap.refused()).isEqualTo(2);

        first.close();
        cap.closed(first);
        assertThat(cap.overCap(second, id(2), id -> false, channel -> false)).as("room again")
            .isInstanceOf(InboundCap.Keep.class);
    }

    @Test
    void whenNoIdleLinkOfANodeNotNeededIsLeftABusyOneGoesThenANeededNodesSpareLinkNeverItsLast() {
        InboundCap cap = new InboundCap(4);
        Channel spareOfA = new EmbeddedChannel();
        Channel lastOfB = new EmbeddedChannel();
        Channel otherOfA = new EmbeddedChannel();
        Channel busyStranger = new EmbeddedChannel();
        cap.authenticated(spareOfA, id(1), 0);
        cap.authenticated(lastOfB, id(2), 1);
        cap.authenticated(otherOfA, id(1), 5);
        cap.authenticated(busyStranger, id(3), 20);
        Set<Id> needed = Set.of(id(1), id(2), id(4), id(5), id(6));

        Channel first = new EmbeddedChannel();
        assertThat(cap.authenticated(first, id(4), 30)).isTrue();
        assertThat(cap.overCap(first, id(4), needed::contains, busyStranger::equals))
            .as("a node not needed that stopped reading does not keep its link").isEqualTo(
                new InboundCap.Evict(busyStranger, id(3)));
        close(cap, busyStranger);

        Channel second = new EmbeddedChannel();
        assertThat(cap.authenticated(second, id(5), 40)).isTrue();
        assertThat(cap.overCap(second, id(5), needed::contains, channel -> false))
            .as("every link is of a needed node: the one of A read least recently, A keeps its other")
            .isEqualTo(new InboundCap.Evict(spareOfA, id(1)));
        close(cap, spareOfA);

        Channel third = new EmbeddedChannel();
        assertThat(cap.authenticated(third, id(6), 50)).isTrue();
        assertThat(cap.overCap(third, id(6), needed::contains, channel -> false))
            .as("only needed nodes' last links are left").isInstanceOf(InboundCap.Refuse.class);
        assertThat(cap.evicted()).isEqualTo(2);
    }

    private static void close(InboundCap cap, Channel channel) {
        channel.close();
        cap.closed(channel);
    }

    @Test
    void refusesAnEmptyCap() {
        assertThatThrownBy(() -> new InboundCap(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
