package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * A peer of a three-node ring stops a moment before a block is inserted, so the client's view still names it as one
 * of the k holders (as on a real ring when a peer is stopped right before a mail is sent): with degraded inserts
 * allowed, the insert is not answered TIMEOUT once that holder stays silent, but tried again with the ring as it is
 * by then, and succeeds on the two live nodes, each holding the block. Before, the first attempt's TIMEOUT was final
 * (an SMTP 451 in {@code EpostDeliveryIT}).
 */
class JustCrashedHolderTest {
    @Test
    void anInsertRightAfterAHolderCrashedSucceedsOnTheLiveNodes() {
        PastRing ring = new PastRing(3, 41, PastRing.testConfig().withDegradedInserts(true));
        Past gone = ring.live().get(2);
        Past client = ring.live().get(0);
        ring.sim().network().crash(gone.localHandle().id());
        ContentHashBlock block = ring.contentBlock();

        InsertResult result = ring.await(client.insert(block, ring.now() + PastRing.DAY));

        assertThat(result.status()).as(result.detail()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(result.holders()).hasSize(2).noneMatch(holder -> holder.id().equals(gone.localHandle().id()));
        assertThat(ring.holders(block.key())).hasSize(2);
    }
}
