package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * An insert needs k replica holders: a ring (or a partition) of fewer live nodes refuses it, and stores nothing,
 * unless degraded inserts were configured; then it succeeds on the nodes there are.
 */
class InsertQuorumTest {
    private static final ContentHashBlock BLOCK = ContentHashBlock.of("one of a kind".getBytes(StandardCharsets.UTF_8));

    @Test
    void aRingOfFewerThanKNodesRefusesInsertsAndKeepsNoLoneCopy() {
        PastRing ring = new PastRing(2, 11);
        Past client = ring.live().get(0);

        InsertResult result = ring.await(client.insert(BLOCK, ring.now() + PastRing.LEASE));

        assertThat(result.status()).isEqualTo(InsertResult.Status.TIMEOUT);
        assertThat(result.detail()).contains("only 2 of the 3 replica holders needed are live");
        assertThat(ring.holders(BLOCK.key())).isEmpty();
    }

    @Test
    void degradedInsertsSucceedOnTheNodesThereAre() {
        PastRing ring = new PastRing(2, 11, PastRing.testConfig().withDegradedInserts(true));
        Past client = ring.live().get(0);

        InsertResult result = ring.await(client.insert(BLOCK, ring.now() + PastRing.LEASE));

        assertThat(result.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(ring.holders(BLOCK.key())).hasSize(2);
    }

    @Test
    void aRingOfKNodesNeedsNoDegradedMode() {
        PastRing ring = new PastRing(PastRing.K, 11);

        InsertResult result = ring.await(ring.live().get(0).insert(BLOCK, ring.now() + PastRing.LEASE));

        assertThat(result.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(ring.holders(BLOCK.key())).hasSize(PastRing.K);
    }
}
