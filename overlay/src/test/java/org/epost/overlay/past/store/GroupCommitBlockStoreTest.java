package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.junit.jupiter.api.Test;

/**
 * The block store contract holds on a backend that syncs in groups, and no answer that depends on a write comes before
 * the sync covering that write has returned.
 */
class GroupCommitBlockStoreTest extends BlockStoreContract {
    private static final long WAIT_MILLIS = 30_000;

    @Override
    protected BlockStore createStore(StoreConfig config) {
        return new HeldSyncBlockStore(verifier, clock, config);
    }

    private HeldSyncBlockStore heldStore() {
        return (HeldSyncBlockStore) store(1 << 20);
    }

    @Test
    void aStoredAnswerWaitsForTheSyncButTheBlockIsDecidedAtOnce() throws Exception {
        HeldSyncBlockStore store = heldStore();
        ContentHashBlock block = content("pending");
        store.hold();

        CompletableFuture<StoreResult> answer = store.putAsync(block.handle(), block.encoded(), NOW + DAY);

        assertThat(store.awaitSyncsStarted(1, WAIT_MILLIS)).isTrue();
        assertThat(answer).as("answered before its sync returned").isNotDone();
        assertThat(store.contains(block.key())).as("decided and written, not yet durable").isTrue();
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(block.encodedLength()));
        store.release();
        assertThat(answer.get(WAIT_MILLIS, TimeUnit.MILLISECONDS).isStored()).isTrue();
    }

    @Test
    void anAnswerThatWritesNothingStillWaitsForTheEarlierWriteItRestsOn() throws Exception {
        HeldSyncBlockStore store = heldStore();
        ContentHashBlock block = content("twice");
        PublicKeyBlock v2 = PublicKeyBlock.sign(owner, "identity", 2, new byte[] {2});
        PublicKeyBlock v1 = PublicKeyBlock.sign(owner, "identity", 1, new byte[] {1});
        store.hold();

        CompletableFuture<StoreResult> first = store.putAsync(block.handle(), block.encoded(), NOW + 2 * DAY);
        CompletableFuture<StoreResult> again = store.putAsync(block.handle(), block.encoded(), NOW + DAY);
        CompletableFuture<StoreResult> newer = store.putAsync(v2.handle(), v2.encoded(), NOW + DAY);
        CompletableFuture<StoreResult> stale = store.putAsync(v1.handle(), v1.encoded(), NOW + DAY);
        CompletableFuture<OptionalLong> lease = store.extendLeaseAsync(block.key(), NOW + DAY);
        CompletableFuture<Void> synced = store.synced();

        assertThat(store.awaitSyncsStarted(1, WAIT_MILLIS)).isTrue();
        assertThat(again).as("the held copy is not durable yet").isNotDone();
        assertThat(stale).as("the newer version it loses to is not durable yet").isNotDone();
        assertThat(lease).isNotDone();
        assertThat(synced).isNotDone();
        store.release();
        CompletableFuture.allOf(first, again, newer, stale, lease, synced).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(again.join().leaseExpiry()).isEqualTo(NOW + 2 * DAY);
        assertThat(stale.join()).isSameAs(StoreResult.STALE);
        assertThat(lease.join()).hasValue(NOW + 2 * DAY);
    }

    @Test
    void answersThatRestOnNoWriteComeAtOnce() {
        HeldSyncBlockStore store = heldStore();
        ContentHashBlock block = content("bad");
        byte[] corrupted = block.encoded();
        corrupted[corrupted.length - 1] ^= 1;
        store.hold();

        assertThat(store.putAsync(block.handle(), corrupted, NOW + DAY)).isCompleted();
        assertThat(store.extendLeaseAsync(content("absent").key(), NOW + DAY)).isCompleted();
        assertThat(store.synced()).as("nothing written yet").isCompleted();
    }
}
