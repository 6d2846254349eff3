package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.ManualClock;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlockStore} must do. Each implementation's test class extends this and says how to open a store.
 */
public abstract class BlockStoreContract {
    protected static final long NOW = 1_700_000_000_000L;
    protected static final long HOUR = 3_600_000L;
    protected static final long DAY = 24 * HOUR;
    protected static final long SKEW = 10 * 60_000L;
    protected static final long MAX_LEASE = 30 * DAY;

    protected final ManualClock clock = new ManualClock(NOW);
    protected final KeyPair ca = ed25519();
    protected final BlockVerifier verifier = new BlockVerifier(ca.getPublic(), clock, BlockLimits.DEFAULT, SKEW);
    protected final KeyPair owner = ed25519();
    private final List<BlockStore> opened = new ArrayList<>();

    /** A new, empty store with this config, using {@link #verifier} and {@link #clock}. */
    protected abstract BlockStore createStore(StoreConfig config);

    protected BlockStore store(long quotaBytes) {
        BlockStore store = createStore(new StoreConfig(quotaBytes, MAX_LEASE, SKEW));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(BlockStore::close);
    }

    @Test
    void storesAndReturnsTheExactBytes() {
        BlockStore store = store(1 << 20);
        ContentHashBlock block = content("hello");

        StoreResult result = store.put(block.handle(), block.encoded(), NOW + DAY);

        assertThat(result.status()).isEqualTo(StoreResult.Status.STORED);
        assertThat(result.leaseExpiry()).isEqualTo(NOW + DAY);
        StoredBlock stored = store.get(block.key()).orElseThrow();
        assertThat(stored.encoded()).isEqualTo(block.encoded());
        assertThat(stored.key()).isEqualTo(block.key());
        assertThat(stored.leaseExpiry()).isEqualTo(NOW + DAY);
        assertThat(store.contains(block.key())).isTrue();
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(block.encodedLength()));
    }

    @Test
    void missingBlocksAreAbsent() {
        BlockStore store = store(1 << 20);
        BlockKey key = content("absent").key();

        assertThat(store.get(key)).isEmpty();
        assertThat(store.contains(key)).isFalse();
        assertThat(store.delete(key)).isFalse();
        assertThat(store.extendLease(key, NOW + DAY)).isEmpty();
    }

    @Test
    void deleteRemovesTheEntryAndItsUsage() {
        BlockStore store = store(1 << 20);
        ContentHashBlock a = content("a");
        ContentHashBlock b = content("bb");
        store.put(a.handle(), a.encoded(), NOW + DAY);
        store.put(b.handle(), b.encoded(), NOW + DAY);

        assertThat(store.delete(a.key())).isTrue();

        assertThat(store.contains(a.key())).isFalse();
        assertThat(store.contains(b.key())).isTrue();
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(b.encodedLength()));
        assertThat(store.delete(a.key())).isFalse();
    }

    @Test
    void invalidBlocksAreNeverStored() {
        BlockStore store = store(1 << 20);
        ContentHashBlock block = content("genuine");
        byte[] tampered = block.encoded();
        tampered[tampered.length - 1] ^= 1;

        StoreResult result = store.put(block.handle(), tampered, NOW + DAY);
        StoreResult garbage = store.put(block.handle(), new byte[] {0x42, 0x13}, NOW + DAY);

        assertThat(result.status()).isEqualTo(StoreResult.Status.REJECTED);
        assertThat(result.reason()).contains(RejectionReason.CONTENT_HASH_MISMATCH);
        assertThat(garbage.reason()).contains(RejectionReason.MALFORMED);
        assertThat(store.contains(block.key())).isFalse();
        assertThat(store.usedBytes()).isZero();
    }

    @Test
    void storingTheSameBlockTwiceCountsOnce() {
        BlockStore store = store(1 << 20);
        ContentHashBlock block = content("twice");

        store.put(block.handle(), block.encoded(), NOW + DAY);
        StoreResult again = store.put(block.handle(), block.encoded(), NOW + 2 * DAY);

        assertThat(again.leaseExpiry()).isEqualTo(NOW + 2 * DAY);
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(block.encodedLength()));
    }

    @Test
    void answersFullBeyondTheQuotaAndAccountsExactly() {
        ContentHashBlock a = content(new byte[2000], 1);
        ContentHashBlock b = content(new byte[1000], 2);
        ContentHashBlock c = content(new byte[1500], 3);
        long sizeA = BlockStore.accountedBytes(a.encodedLength());
        long sizeB = BlockStore.accountedBytes(b.encodedLength());
        long sizeC = BlockStore.accountedBytes(c.encodedLength());
        BlockStore store = store(sizeA + sizeB);

        assertThat(store.put(a.handle(), a.encoded(), NOW + DAY).isStored()).isTrue();
        assertThat(store.put(b.handle(), b.encoded(), NOW + DAY).isStored()).isTrue();
        assertThat(store.usedBytes()).isEqualTo(store.quotaBytes());
        assertThat(store.put(c.handle(), c.encoded(), NOW + DAY)).isSameAs(StoreResult.FULL);
        assertThat(store.contains(c.key())).isFalse();

        store.delete(a.key());
        assertThat(store.put(c.handle(), c.encoded(), NOW + DAY).isStored()).isTrue();
        assertThat(store.usedBytes()).isEqualTo(sizeB + sizeC);
    }

    @Test
    void overwritingAPublicKeyBlockAccountsForTheNewSizeOnly() {
        BlockStore store = store(1 << 20);
        PublicKeyBlock v1 = PublicKeyBlock.sign(owner, "identity", 1, new byte[5000]);
        PublicKeyBlock v2 = PublicKeyBlock.sign(owner, "identity", 2, new byte[100]);

        store.put(v1.handle(), v1.encoded(), NOW + DAY);
        StoreResult result = store.put(v2.handle(), v2.encoded(), NOW + DAY);

        assertThat(result.isStored()).isTrue();
        assertThat(store.get(v2.key()).orElseThrow().version()).isEqualTo(2);
        assertThat(store.get(v2.key()).orElseThrow().encoded()).isEqualTo(v2.encoded());
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(v2.encodedLength()));
    }

    @Test
    void aLargerVersionThatDoesNotFitLeavesTheOldOne() {
        PublicKeyBlock v1 = PublicKeyBlock.sign(owner, "identity", 1, new byte[100]);
        PublicKeyBlock v2 = PublicKeyBlock.sign(owner, "identity", 2, new byte[200]);
        BlockStore store = store(BlockStore.accountedBytes(v1.encodedLength()) + 50);
        store.put(v1.handle(), v1.encoded(), NOW + DAY);

        assertThat(store.put(v2.handle(), v2.encoded(), NOW + DAY)).isSameAs(StoreResult.FULL);

        assertThat(store.get(v1.key()).orElseThrow().version()).isEqualTo(1);
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(v1.encodedLength()));
    }

    @Test
    void refusesToRollBackAPublicKeyBlock() {
        BlockStore store = store(1 << 20);
        PublicKeyBlock v3 = PublicKeyBlock.sign(owner, "log:INBOX", 3, new byte[] {3});
        PublicKeyBlock v5 = PublicKeyBlock.sign(owner, "log:INBOX", 5, new byte[] {5});
        store.put(v5.handle(), v5.encoded(), NOW + DAY);

        StoreResult result = store.put(v3.handle(), v3.encoded(), NOW + 2 * DAY);

        assertThat(result).isSameAs(StoreResult.STALE);
        StoredBlock held = store.get(v5.key()).orElseThrow();
        assertThat(held.version()).isEqualTo(5);
        assertThat(held.leaseExpiry()).isEqualTo(NOW + DAY);
    }

    @Test
    void refusesEquivocationAndAcceptsTheSameVersionAgain() {
        BlockStore store = store(1 << 20);
        PublicKeyBlock v5 = PublicKeyBlock.sign(owner, "log:INBOX", 5, new byte[] {5});
        PublicKeyBlock v5Other = PublicKeyBlock.sign(owner, "log:INBOX", 5, new byte[] {6});
        store.put(v5.handle(), v5.encoded(), NOW + DAY);

        StoreResult other = store.put(v5Other.handle(), v5Other.encoded(), NOW + DAY);
        StoreResult same = store.put(v5.handle(), v5.encoded(), NOW + 3 * DAY);

        assertThat(other.reason()).contains(RejectionReason.EQUIVOCATION);
        assertThat(same.isStored()).isTrue();
        assertThat(store.get(v5.key()).orElseThrow().encoded()).isEqualTo(v5.encoded());
        assertThat(store.get(v5.key()).orElseThrow().leaseExpiry()).isEqualTo(NOW + 3 * DAY);
    }

    @Test
    void leasesAreCappedAndOnlyExtended() {
        BlockStore store = store(1 << 20);
        ContentHashBlock block = content("leased");

        assertThat(store.put(block.handle(), block.encoded(), NOW + 365 * DAY).leaseExpiry())
                .isEqualTo(NOW + MAX_LEASE);
        assertThat(store.extendLease(block.key(), NOW + DAY)).hasValue(NOW + MAX_LEASE);

        clock.advance(7 * DAY);
        assertThat(store.extendLease(block.key(), NOW + 8 * DAY)).hasValue(NOW + MAX_LEASE);
        assertThat(store.extendLease(block.key(), NOW + 100 * DAY)).hasValue(NOW + 7 * DAY + MAX_LEASE);
        assertThat(store.get(block.key()).orElseThrow().leaseExpiry()).isEqualTo(NOW + 7 * DAY + MAX_LEASE);
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(block.encodedLength()));
    }

    @Test
    void refusesALeaseThatHasAlreadyEnded() {
        BlockStore store = store(1 << 20);
        ContentHashBlock block = content("late");

        StoreResult result = store.put(block.handle(), block.encoded(), NOW);

        assertThat(result.reason()).contains(RejectionReason.LEASE_EXPIRED);
        assertThat(store.contains(block.key())).isFalse();
    }

    @Test
    void collectsExpiredEntriesOnlyAfterTheTolerance() {
        BlockStore store = store(1 << 20);
        ContentHashBlock early = content("early");
        ContentHashBlock late = content("late");
        store.put(early.handle(), early.encoded(), NOW + HOUR);
        store.put(late.handle(), late.encoded(), NOW + 2 * HOUR);

        clock.set(NOW + HOUR + SKEW);
        assertThat(store.collectExpired()).isEmpty();

        clock.set(NOW + HOUR + SKEW + 1);
        assertThat(store.collectExpired()).containsExactly(early.key());
        assertThat(store.contains(early.key())).isFalse();
        assertThat(store.contains(late.key())).isTrue();
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(late.encodedLength()));
        assertThat(store.collectExpired()).isEmpty();
    }

    @Test
    void anExtendedLeaseIsNotCollectedAtItsOldExpiry() {
        BlockStore store = store(1 << 20);
        ContentHashBlock block = content("refreshed");
        store.put(block.handle(), block.encoded(), NOW + HOUR);
        store.extendLease(block.key(), NOW + 10 * HOUR);

        clock.set(NOW + 2 * HOUR + SKEW);
        assertThat(store.collectExpired()).isEmpty();

        clock.set(NOW + 10 * HOUR + SKEW + 1);
        assertThat(store.collectExpired()).containsExactly(block.key());
        assertThat(store.usedBytes()).isZero();
    }

    @Test
    void collectsManyExpiredEntriesAcrossBatches() {
        BlockStore store = store(10 << 20);
        List<BlockKey> keys = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            ContentHashBlock block = content("block " + i);
            store.put(block.handle(), block.encoded(), NOW + HOUR + i);
            keys.add(block.key());
        }

        clock.set(NOW + DAY);

        assertThat(store.collectExpired()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(store.usedBytes()).isZero();
    }

    @Test
    void certificatesAreLeasedNoLongerThanTheyAreValidAndAreImmutableUntilThen() {
        BlockStore store = store(1 << 20);
        byte[] key = owner.getPublic().getEncoded();
        CertificateBlock first = CertificateBlock.issue(ca.getPrivate(), "alice@example.org", List.of(key),
                NOW + DAY);
        CertificateBlock rival = CertificateBlock.issue(ca.getPrivate(), "alice@example.org",
                List.of(ed25519().getPublic().getEncoded()), NOW + 20 * DAY);

        assertThat(store.put(first.handle(), first.encoded(), NOW + 10 * DAY).leaseExpiry())
                .isEqualTo(NOW + DAY + SKEW);
        assertThat(store.put(rival.handle(), rival.encoded(), NOW + 10 * DAY).reason())
                .contains(RejectionReason.CERTIFICATE_CONFLICT);

        clock.set(NOW + DAY + SKEW + 1);
        assertThat(store.put(rival.handle(), rival.encoded(), NOW + 10 * DAY).isStored()).isTrue();
        assertThat(store.get(rival.key()).orElseThrow().encoded()).isEqualTo(rival.encoded());
        assertThat(store.usedBytes()).isEqualTo(BlockStore.accountedBytes(rival.encodedLength()));
    }

    @Test
    void aBlockOfAnotherKindWithTheSameHandleDoesNotDisplaceIt() {
        BlockStore store = store(1 << 20);
        PublicKeyBlock identity = PublicKeyBlock.sign(owner, "identity", 1, new byte[] {1});
        byte[] preimage = concat(owner.getPublic().getEncoded(), "identity".getBytes(StandardCharsets.UTF_8));
        ContentHashBlock squat = ContentHashBlock.of(preimage);
        assertThat(squat.handle()).isEqualTo(identity.handle());

        store.put(squat.handle(), squat.encoded(), NOW + DAY);
        store.put(identity.handle(), identity.encoded(), NOW + DAY);

        assertThat(store.get(identity.key()).orElseThrow().encoded()).isEqualTo(identity.encoded());
        assertThat(store.get(squat.key()).orElseThrow().encoded()).isEqualTo(squat.encoded());
    }

    @Test
    void iteratesTheHandlesOfARingArcInRingOrder() {
        BlockStore store = store(1 << 20);
        List<Id> handles = putRandomBlocks(store, 60);

        Id from = handles.get(10);
        Id to = handles.get(30);

        assertThat(handlesInRange(store, from, to)).containsExactlyElementsOf(handles.subList(10, 31));
        assertThat(handlesInRange(store, from, from)).containsExactly(from);
    }

    @Test
    void iteratesAnArcThatWrapsPastZero() {
        BlockStore store = store(1 << 20);
        List<Id> handles = putRandomBlocks(store, 60);

        Id from = handles.get(50);
        Id to = handles.get(5);
        List<Id> expected = new ArrayList<>(handles.subList(50, 60));
        expected.addAll(handles.subList(0, 6));

        assertThat(handlesInRange(store, from, to)).containsExactlyElementsOf(expected);
        // Bounds that are not themselves handles.
        Id justAfterFrom = from.add(java.math.BigInteger.ONE);
        assertThat(handlesInRange(store, justAfterFrom, to)).containsExactlyElementsOf(expected.subList(1, 16));
    }

    @Test
    void theRangeActionMayDeleteWhatItVisits() {
        BlockStore store = store(1 << 20);
        List<Id> handles = putRandomBlocks(store, 20);

        store.forEachInRange(handles.get(0), handles.get(19), store::delete);

        assertThat(store.usedBytes()).isZero();
        assertThat(handlesInRange(store, handles.get(0), handles.get(19))).isEmpty();
    }

    @Test
    void concurrentWritersKeepTheAccountingExact() throws Exception {
        BlockStore store = store(64 << 20);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    long expected = 0;
                    for (int i = 0; i < 50; i++) {
                        ContentHashBlock block = content("thread " + thread + " block " + i);
                        store.put(block.handle(), block.encoded(), NOW + DAY);
                        if (i % 5 == 0) {
                            store.delete(block.key());
                        } else {
                            expected += BlockStore.accountedBytes(block.encodedLength());
                        }
                        // Everyone also rewrites one shared block: counted once in the end.
                        ContentHashBlock shared = content("shared");
                        store.put(shared.handle(), shared.encoded(), NOW + DAY + i);
                    }
                    return expected;
                }));
            }
            long expected = BlockStore.accountedBytes(content("shared").encodedLength());
            for (Future<Long> writer : writers) {
                expected += writer.get();
            }
            assertThat(store.usedBytes()).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    protected static List<Id> handlesInRange(BlockStore store, Id from, Id to) {
        List<Id> found = new ArrayList<>();
        store.forEachInRange(from, to, key -> found.add(key.handle()));
        return found;
    }

    /** Puts {@code count} content blocks; returns their handles in ascending order. */
    protected static List<Id> putRandomBlocks(BlockStore store, int count) {
        Random random = new Random(count);
        List<Id> handles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            ContentHashBlock block = ContentHashBlock.of(bytes);
            assertThat(store.put(block.handle(), block.encoded(), NOW + DAY).isStored()).isTrue();
            handles.add(block.handle());
        }
        return handles.stream().sorted(Comparator.naturalOrder()).collect(Collectors.toList());
    }

    protected static ContentHashBlock content(String text) {
        return ContentHashBlock.of(text.getBytes(StandardCharsets.UTF_8));
    }

    protected static ContentHashBlock content(byte[] bytes, int marker) {
        byte[] copy = bytes.clone();
        copy[0] = (byte) marker;
        return ContentHashBlock.of(copy);
    }

    protected static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
