package org.epost.post.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.testing.PastRing;
import org.epost.post.blocks.BlockService;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.store.EncryptedPart;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

/**
 * Lease-based garbage collection on simulated PAST rings (k = 3, maintenance every 5 virtual minutes, holders
 * tolerate {@link StoreConfig#DEFAULT_CLOCK_SKEW_MILLIS} of skew), with leases of minutes instead of days. Virtual
 * time only: nothing here waits on the wall clock.
 */
class LeaseRefresherRingTest {
    private static final int K = PastRing.K;
    private static final long MINUTE = 60_000;
    private static final long LEASE = 60 * MINUTE;
    private static final long SKEW = StoreConfig.DEFAULT_CLOCK_SKEW_MILLIS;
    private static final long MAINTENANCE = 5 * MINUTE;
    /**
     * Three refreshes per lease (the 30 d / 7 d defaults give four), and a refresh interval longer than the skew
     * tolerance plus a maintenance round: holders accept extending a lapsed lease they have not collected yet, so a
     * shorter interval would keep blocks alive even if the refresher asked for no lease at all.
     */
    private static final LeaseConfig CONFIG = new LeaseConfig(LEASE, 20 * MINUTE, 2 * MINUTE, 8);

    @Test
    void aBlockNobodyReferencesIsGoneFromEveryStoreAfterItsLeasePlusSkewAndAMaintenanceRound() {
        PastRing ring = new PastRing(12, 31);
        BlockService home = new PastBlockService(ring.live().get(0));
        ContentHashBlock block = block(1, 3000);
        assertThat(ring.await(home.insert(block, ring.now() + LEASE)).isSuccess()).isTrue();
        long expiry = ring.now() + LEASE;
        assertThat(ring.holders(block.key())).hasSize(K);

        // still held just before the lease plus the skew tolerance has run out
        ring.runFor(LEASE + SKEW - MINUTE);
        assertThat(ring.holders(block.key())).as("held within the skew tolerance").hasSize(K);

        ring.runFor(ring.now() < expiry + SKEW ? expiry + SKEW - ring.now() + MAINTENANCE + MINUTE : MAINTENANCE);
        assertThat(ring.holders(block.key())).as("holders after lease + skew + maintenance").isEmpty();
        for (Past past : ring.live()) {
            assertThat(ring.storeOf(past).contains(block.key())).isFalse();
        }
        assertThat(ring.await(home.lookup(block.key()))).isEmpty();
    }

    @Test
    void referencedBlocksSurviveManyLeasePeriodsWhileUnreferencedOnesAreCollected() {
        PastRing ring = new PastRing(16, 32);
        BlockService home = new PastBlockService(ring.live().get(3));
        List<ContentHashBlock> kept = new ArrayList<>();
        List<ContentHashBlock> dropped = new ArrayList<>();
        InMemoryReferenceSource references = new InMemoryReferenceSource();
        for (int i = 0; i < 20; i++) {
            ContentHashBlock block = block(100 + i, 500 + 37 * i);
            assertThat(ring.await(home.insert(block, ring.now() + LEASE)).isSuccess()).isTrue();
            if (i % 2 == 0) {
                kept.add(block);
                references.add(block.key());
            } else {
                dropped.add(block);
            }
        }
        List<RefreshReport> reports = new ArrayList<>();
        LeaseRefresher refresher = new LeaseRefresher(home, null, references, ring.scheduler(), CONFIG, reports::add);
        refresher.start();

        long periods = 10;
        ring.runFor(periods * LEASE + MINUTE); // the round due at the end has finished too

        long granted = refresher.lastReport().newExpiry();
        assertThat(granted).isEqualTo(refresher.lastReport().startedAt() + LEASE);
        for (ContentHashBlock block : kept) {
            assertThat(ring.holders(block.key())).as("holders of referenced %s", block).hasSize(K);
            for (Past holder : ring.holders(block.key())) {
                assertThat(ring.storeOf(holder).get(block.key()).orElseThrow().leaseExpiry())
                    .as("lease held for %s", block).isEqualTo(granted);
            }
            assertThat(ring.await(home.lookup(block.key()))).isPresent();
        }
        for (ContentHashBlock block : dropped) {
            assertThat(ring.holders(block.key())).as("holders of unreferenced %s", block).isEmpty();
        }
        // a round every 20 minutes for 600 minutes (the first at once): 31, each refreshing the 10 referenced blocks
        assertThat(refresher.rounds()).isEqualTo(periods * LEASE / CONFIG.refreshIntervalMillis() + 1);
        assertThat(reports).allSatisfy(report -> {
            assertThat(report.allRefreshed()).as("report %s", report).isTrue();
            assertThat(report.refreshed()).hasSize(kept.size());
        });
        assertThat(refresher.retryRounds()).isZero();

        // dereference one: it goes too, the others stay
        ContentHashBlock last = kept.get(kept.size() - 1);
        references.remove(last.key());
        ring.runFor(LEASE + SKEW + MAINTENANCE + CONFIG.refreshIntervalMillis());
        assertThat(ring.holders(last.key())).isEmpty();
        for (ContentHashBlock block : kept.subList(0, kept.size() - 1)) {
            assertThat(ring.holders(block.key())).hasSize(K);
        }
        refresher.close();
    }

    @Test
    void aMultiChunkPartKeepsAllItsChunksWhileReferencedAndLosesThemAllOnceDereferenced() {
        PastRing ring = new PastRing(16, 33);
        BlockService home = new PastBlockService(ring.live().get(5));
        PartStore parts = new PartStore(home, new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults().withMaxBlockBytes(200_000), new SecureRandom());
        byte[] content = Seeded.bytes(900_000, 7);
        EncryptedPart encrypted = parts.encrypt(content);
        assertThat(encrypted.chunkCount()).as("chunks").isGreaterThanOrEqualTo(4);
        PartReference reference = ring.await(parts.store(encrypted, ring.now() + LEASE));
        assertThat(reference.layout()).isEqualTo(PartReference.Layout.MANIFEST);
        List<ContentHashBlock> blocks = encrypted.blocks();
        assertThat(blocks).hasSize(encrypted.chunkCount() + 1);

        InMemoryReferenceSource references = new InMemoryReferenceSource();
        references.add(reference);
        LeaseRefresher refresher = new LeaseRefresher(home, parts, references, ring.scheduler(), CONFIG);
        refresher.start();

        ring.runFor(5 * LEASE + MINUTE); // the round due at 300 minutes has finished too
        for (ContentHashBlock block : blocks) {
            assertThat(ring.holders(block.key())).as("holders of %s while referenced", block).hasSize(K);
        }
        assertThat(ring.await(parts.fetch(reference))).isEqualTo(content);
        assertThat(refresher.failedTotal()).isZero();
        assertThat(refresher.refreshedTotal()).isEqualTo(refresher.rounds());

        references.remove(reference);
        ring.runFor(LEASE + SKEW + MAINTENANCE + CONFIG.refreshIntervalMillis());
        for (ContentHashBlock block : blocks) {
            assertThat(ring.holders(block.key())).as("holders of %s once dereferenced", block).isEmpty();
        }
        refresher.close();
    }

    @Test
    void aFailedRefreshIsRetriedSoonerThanTheNextRoundAndSucceedsOnceAHolderAnswers() {
        PastRing ring = new PastRing(10, 34);
        BlockService home = new PastBlockService(ring.live().get(1));
        ContentHashBlock late = block(500, 2000);
        InMemoryReferenceSource references = new InMemoryReferenceSource();
        references.add(late.key());
        LeaseRefresher refresher = new LeaseRefresher(home, null, references, ring.scheduler(), CONFIG);
        refresher.start();

        ring.runFor(MINUTE);
        RefreshReport first = refresher.lastReport();
        assertThat(first.failed()).containsOnlyKeys(LeaseReference.of(late.key()));
        assertThat(first.failed().get(LeaseReference.of(late.key()))).contains("no holder");
        assertThat(refresher.pendingRetry()).containsExactly(LeaseReference.of(late.key()));

        // retried every 2 minutes, well before the next full round at 20 minutes
        ring.runFor(5 * MINUTE);
        assertThat(refresher.rounds()).isEqualTo(1);
        assertThat(refresher.retryRounds()).isEqualTo(2);

        // now it gets stored with a short lease; the next retry extends it
        assertThat(ring.await(home.insert(late, ring.now() + 3 * MINUTE)).isSuccess()).isTrue();
        ring.runFor(2 * MINUTE);
        assertThat(refresher.lastReport().retry()).isTrue();
        assertThat(refresher.lastReport().refreshed()).containsExactly(LeaseReference.of(late.key()));
        assertThat(refresher.pendingRetry()).isEmpty();
        long retries = refresher.retryRounds();
        ring.runFor(3 * LEASE);
        assertThat(ring.holders(late.key())).hasSize(K);
        assertThat(refresher.retryRounds()).as("no retries once refreshed").isEqualTo(retries);
        refresher.close();
    }

    @Test
    void refreshCostsAFewMessagesPerBlock() {
        PastRing ring = new PastRing(16, 35);
        BlockService home = new PastBlockService(ring.live().get(2));
        InMemoryReferenceSource references = new InMemoryReferenceSource();
        int count = 50;
        for (int i = 0; i < count; i++) {
            ContentHashBlock block = block(1000 + i, 300);
            InsertResult result = ring.await(home.insert(block, ring.now() + LEASE));
            assertThat(result.isSuccess()).isTrue();
            references.add(block.key());
        }
        ring.runFor(MINUTE);
        LeaseRefresher refresher = new LeaseRefresher(home, null, references, ring.scheduler(), CONFIG);
        long before = ring.pastMessages();
        RefreshReport report = ring.await(refresher.refreshNow());
        long sent = ring.pastMessages() - before;
        assertThat(report.refreshed()).hasSize(count);
        double perBlock = (double) sent / count;
        System.out.printf("lease refresh: %d PAST messages for %d blocks = %.2f per block, round took %d virtual ms%n",
            sent, count, perBlock, report.finishedAt() - report.startedAt());
        // route to the root (a few hops), one extend to each of the other k-1 holders and their answers, one reply
        assertThat(perBlock).isBetween((double) 2 * (K - 1) + 1, 20.0);
    }

    private static ContentHashBlock block(long seed, int size) {
        byte[] content = Seeded.bytes(size, seed);
        return ContentHashBlock.of(content);
    }
}
