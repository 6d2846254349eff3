package org.epost.post.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.sim.SimScheduler;
import org.epost.post.store.PartReference;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/** The refresher alone, over a scripted block service on virtual time: windows, failures, retries, adapters. */
class LeaseRefresherTest {
    private static final LeaseConfig CONFIG = new LeaseConfig(40_000, 10_000, 2_000, 4);

    @Test
    void boundsExtensionsInFlightAndRefreshesEveryReferenceEachInterval() {
        SimScheduler scheduler = new SimScheduler();
        InMemoryBlockService blocks = new InMemoryBlockService();
        List<BlockKey> keys = stored(blocks, 25);
        blocks.deferAnswers(answer -> scheduler.schedule(100, answer));
        InMemoryReferenceSource source = new InMemoryReferenceSource();
        keys.forEach(source::add);
        LeaseRefresher refresher = new LeaseRefresher(blocks, null, source, scheduler, CONFIG);
        refresher.start();

        scheduler.runFor(35_000);
        assertThat(blocks.maxInFlight()).isEqualTo(CONFIG.maxInFlight());
        assertThat(refresher.rounds()).isEqualTo(4); // at 0, 10, 20 and 30 s
        assertThat(blocks.extendedKeys()).hasSize(4 * keys.size());
        assertThat(refresher.extensionsSent()).isEqualTo(4 * keys.size());
        // the last round asked for 30 s + the lease
        for (BlockKey key : keys) {
            assertThat(blocks.leaseExpiry(key)).hasValue(30_000 + CONFIG.leaseMillis());
        }
        // 25 extensions, 4 at a time, 100 ms each: 7 waves
        RefreshReport last = refresher.lastReport();
        assertThat(last.finishedAt() - last.startedAt()).isEqualTo(700);
        assertThat(last.refreshed()).hasSize(keys.size());
    }

    @Test
    void reportsFailuresRetriesOnlyThoseAndDropsOnesNoLongerReferenced() {
        SimScheduler scheduler = new SimScheduler();
        InMemoryBlockService blocks = new InMemoryBlockService();
        List<BlockKey> keys = stored(blocks, 5);
        blocks.deferAnswers(answer -> scheduler.schedule(10, answer));
        InMemoryReferenceSource source = new InMemoryReferenceSource();
        keys.forEach(source::add);
        blocks.holders(keys.get(1), 0);
        blocks.fail(InMemoryBlockService.Op.EXTEND_LEASE, keys.get(2), new IllegalStateException("timed out"));
        PartReference part = new PartReference(Id.hash(new byte[] {9}), new byte[32], 5000,
            PartReference.Layout.SINGLE, false);
        source.add(part);
        List<RefreshReport> reports = new ArrayList<>();
        LeaseRefresher refresher = new LeaseRefresher(blocks, null, source, scheduler, CONFIG, reports::add);
        refresher.start();

        scheduler.runFor(1_000);
        RefreshReport first = reports.get(0);
        assertThat(first.retry()).isFalse();
        assertThat(first.refreshed()).containsExactlyInAnyOrder(
            LeaseReference.of(keys.get(0)), LeaseReference.of(keys.get(3)), LeaseReference.of(keys.get(4)));
        assertThat(first.failed()).containsOnlyKeys(LeaseReference.of(keys.get(1)), LeaseReference.of(keys.get(2)),
            LeaseReference.of(part));
        assertThat(first.failed().get(LeaseReference.of(keys.get(1)))).contains("no holder");
        assertThat(first.failed().get(LeaseReference.of(keys.get(2)))).contains("timed out");
        assertThat(first.failed().get(LeaseReference.of(part))).contains("no part store");

        // the part is dropped by its user; key 1 comes back
        source.remove(part);
        blocks.holders(keys.get(1), 2);
        blocks.resetCounters();
        scheduler.runFor(2_000);
        RefreshReport retry = reports.get(1);
        assertThat(retry.retry()).isTrue();
        assertThat(blocks.extendedKeys()).containsExactlyInAnyOrder(keys.get(1), keys.get(2));
        assertThat(retry.refreshed()).containsExactly(LeaseReference.of(keys.get(1)));
        assertThat(refresher.pendingRetry()).containsExactly(LeaseReference.of(keys.get(2)));

        // key 2 keeps failing: retried every 2 s until the full round at 10 s
        scheduler.runFor(7_500);
        assertThat(refresher.retryRounds()).isEqualTo(4);
        assertThat(refresher.rounds()).isEqualTo(2);
        refresher.close();
        long calls = blocks.extensions();
        scheduler.runFor(60_000);
        assertThat(blocks.extensions()).as("nothing after close").isEqualTo(calls);
    }

    @Test
    void adaptersAndCompositeYieldTheUnion() {
        List<BlockKey> keys = keys(3);
        PartReference part = new PartReference(Id.hash(new byte[] {1}), new byte[32], 70_000,
            PartReference.Layout.MANIFEST, false);
        ReferenceSource composite = ReferenceSource.composite(
            ReferenceSource.ofBlocks(() -> keys),
            ReferenceSource.ofParts(() -> List.of(part)),
            ReferenceSource.ofBlocks(() -> keys.subList(0, 1)));
        assertThat(composite.references()).containsExactly(LeaseReference.of(keys.get(0)),
            LeaseReference.of(keys.get(1)), LeaseReference.of(keys.get(2)), LeaseReference.of(part));
    }

    @Test
    void configDefaultsFollowTheDesignAndRejectNonsense() {
        LeaseConfig defaults = LeaseConfig.defaults();
        assertThat(defaults.leaseMillis()).isEqualTo(30 * LeaseConfig.DAY_MILLIS);
        assertThat(defaults.refreshIntervalMillis()).isEqualTo(7 * LeaseConfig.DAY_MILLIS);
        assertThatThrownBy(() -> defaults.withRefreshIntervalMillis(30 * LeaseConfig.DAY_MILLIS))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxInFlight(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withRetryDelayMillis(8 * LeaseConfig.DAY_MILLIS))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** The keys of {@code count} blocks held by {@code blocks}, whose counters then start from zero. */
    @Test
    void aRoundFromNowReadsReferencesAddedWhileARoundRuns() {
        SimScheduler scheduler = new SimScheduler();
        InMemoryBlockService blocks = new InMemoryBlockService();
        List<BlockKey> keys = stored(blocks, 6);
        blocks.deferAnswers(answer -> scheduler.schedule(100, answer));
        InMemoryReferenceSource source = new InMemoryReferenceSource();
        keys.subList(0, 3).forEach(source::add);
        LeaseRefresher refresher = new LeaseRefresher(blocks, null, source, scheduler, CONFIG);
        refresher.start();
        scheduler.runFor(50); // the first round read 3 references and waits for their answers
        keys.subList(3, 6).forEach(source::add); // a source filled late (the mailboxes' first collection)

        assertThat(refresher.refreshNow()).isNotDone(); // joins the running round, which does not see them
        var fromNow = refresher.refreshFromNow();
        scheduler.runFor(1_000);

        assertThat(fromNow).isDone();
        assertThat(refresher.rounds()).isEqualTo(2);
        assertThat(fromNow.join().refreshed()).hasSize(6);
        assertThat(blocks.extendedKeys()).filteredOn(keys.subList(3, 6)::contains).hasSize(3);
    }

    private static List<BlockKey> stored(InMemoryBlockService blocks, int count) {
        List<BlockKey> keys = keys(count);
        for (int i = 0; i < count; i++) {
            blocks.insert(block(i), 0).join();
        }
        blocks.resetCounters();
        return keys;
    }

    private static ContentHashBlock block(int i) {
        return ContentHashBlock.of(new byte[] {(byte) i, 42});
    }

    private static List<BlockKey> keys(int count) {
        List<BlockKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(block(i).key());
        }
        return keys;
    }
}
