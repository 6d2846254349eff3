package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * A node's PAST believes the sender of a direct message only as its link authenticated it: a request naming another
 * node as its sender (so that the answer or a pushed copy would go there) and replies that were routed instead of
 * sent straight back are dropped.
 */
class DirectRequestSenderTest {
    private static final ContentHashBlock BLOCK = ContentHashBlock.of("direct".getBytes(StandardCharsets.UTF_8));

    @Test
    void aStoreRequestNamingAnotherSenderIsDroppedAndOneFromItsSenderIsStored() {
        PastRing ring = new PastRing(8, 5);
        List<Past> live = ring.live();
        Past holder = live.get(0);
        Past intruder = live.get(1);
        Past victim = live.get(2);
        long lease = ring.now() + PastRing.LEASE;

        holder.deliverDirect(intruder.localHandle(), holder.localHandle().id(),
            new StoreRequest(42, victim.localHandle(), BLOCK.handle(), BLOCK.encoded(), lease));
        ring.runFor(1_000);
        assertThat(ring.storeOf(holder).get(BLOCK.key())).isEmpty();

        holder.deliverDirect(intruder.localHandle(), holder.localHandle().id(),
            new StoreRequest(43, intruder.localHandle(), BLOCK.handle(), BLOCK.encoded(), lease));
        ring.runFor(1_000);
        assertThat(ring.storeOf(holder).get(BLOCK.key())).isPresent();
    }

    @Test
    void aRoutedReplyCompletesNothing() {
        PastRing ring = new PastRing(8, 6);
        Past client = ring.live().get(0);
        long ignoredBefore = client.ignoredReplies();

        client.deliver(client.localHandle().id(), new FetchReply(1, BLOCK.encoded(), 0));
        ring.runFor(1_000);

        assertThat(client.ignoredReplies()).isEqualTo(ignoredBefore);
        assertThat(ring.storeOf(client).get(BLOCK.key())).isEmpty();
    }
}
