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
    void refusesAnEmptyCap() {
        assertThatThrownBy(() -> new InboundCap(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
