package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/** The bookkeeping of the inbound shares, one class alone (the real sockets are in {@link InboundSharesTlsTest}). */
class InboundSharesTest {
    private static final InetSocketAddress HOST_A = new InetSocketAddress("10.0.0.1", 40001);
    private static final InetSocketAddress HOST_A_OTHER_PORT = new InetSocketAddress("10.0.0.1", 40002);
    private static final InetSocketAddress HOST_B = new InetSocketAddress("10.0.0.2", 40001);

    @Test
    void anAddressHasItsShareOfPendingHandshakesBackWhenOneEnds() {
        InboundShares shares = new InboundShares(4, 2);

        assertThat(shares.admitPending(HOST_A)).isTrue();
        assertThat(shares.admitPending(HOST_A_OTHER_PORT)).as("the share is per address, whatever the port").isTrue();
        assertThat(shares.admitPending(HOST_A)).isFalse();
        assertThat(shares.admitPending(HOST_B)).as("another address has its own share").isTrue();
        assertThat(shares.refusedPending()).isEqualTo(1);

        shares.pendingDone(HOST_A);
        assertThat(shares.admitPending(HOST_A)).isTrue();
        assertThat(shares.admitPending(HOST_A)).isFalse();
        assertThat(shares.refusedPending()).isEqualTo(2);
    }

    @Test
    void aNodeBeyondItsShareLosesItsOldestLink() {
        InboundShares shares = new InboundShares(2, 64);
        Id mallory = Id.hash("mallory");
        Channel first = new EmbeddedChannel();
        Channel second = new EmbeddedChannel();
        Channel third = new EmbeddedChannel();

        assertThat(shares.authenticated(mallory, first)).isEmpty();
        assertThat(shares.authenticated(mallory, second)).isEmpty();
        assertThat(shares.authenticated(Id.hash("honest"), new EmbeddedChannel())).as("another node's share").isEmpty();
        assertThat(shares.authenticated(mallory, third)).contains(first);
        assertThat(shares.closedOverShare()).isEqualTo(1);

        shares.closed(mallory, second);
        assertThat(shares.authenticated(mallory, new EmbeddedChannel())).as("a closed link frees its place").isEmpty();
        assertThat(shares.closedOverShare()).isEqualTo(1);
    }

    @Test
    void sharesMustBePositive() {
        assertThatThrownBy(() -> new InboundShares(0, 64)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("0 links per node");
        assertThatThrownBy(() -> new InboundShares(4, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("0 pending per address");
    }
}
