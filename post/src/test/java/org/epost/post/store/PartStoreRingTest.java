package org.epost.post.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.testing.PastRing;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.crypto.SegmentedAead;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The secure single-copy store on simulated PAST rings (k = 3): round trips, dedup, padding, faults, leases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartStoreRingTest {
    private static final int K = PastRing.K;
    private static final int MIB = 1 << 20;
    private static final int FIVE_MB = 5_000_000;
    private static final ConvergentCipher CIPHER = new ConvergentCipher(Optional.empty());

    private PastRing ring;

    @BeforeAll
    void buildRing() {
        ring = new PastRing(16, 2024);
    }

    // ================================================================ round trips

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 1_048_320, 1_048_321, MIB - 1, MIB, MIB + 1, FIVE_MB})
    void roundTripsBetweenNodes(int size) {
        byte[] part = Seeded.bytes(size, size);
        PartStore writer = storeOn(ring, 0);
        PartStore reader = storeOn(ring, ring.live().size() - 1);

        PartReference reference = ring.await(writer.store(part, ring.now() + PastRing.LEASE));

        boolean small = size < 4096;
        boolean fitsOneBlock = SegmentedAead.ciphertextLength(size) <= BlockLimits.DEFAULT_MAX_CONTENT_BYTES;
        assertThat(reference.padded()).isEqualTo(small);
        assertThat(reference.layout()).isEqualTo(small || fitsOneBlock
            ? PartReference.Layout.SINGLE : PartReference.Layout.MANIFEST);
        assertThat(reference.size()).isEqualTo(size);
        PartReference received = PartReference.decode(reference.encode());
        assertThat(ring.await(reader.fetch(received))).isEqualTo(part);

        if (!small) {
            // deterministic: the blocks are known in advance, and each is on k replicas
            EncryptedPart expected = writer.encrypt(part);
            assertThat(expected.reference()).isEqualTo(reference);
            for (ContentHashBlock block : expected.blocks()) {
                assertThat(block.encodedLength()).isLessThanOrEqualTo(BlockLimits.DEFAULT_MAX_CONTENT_BYTES + 16);
                assertThat(ring.holders(block.key())).as("holders of %s", block).hasSize(K);
            }
            if (size == FIVE_MB) {
                assertThat(expected.chunkCount()).isEqualTo(6);
            }
        } else {
            assertThat(ring.holders(new BlockKey(reference.handle(), BlockKind.CONTENT_HASH))).hasSize(K);
        }
    }

    // ================================================================ dedup: the acceptance test

    @Test
    void theSameAttachmentFromThreeSendersAHundredTimesIsStoredOnce() {
        PastRing fresh = new PastRing(20, 77);
        assertThat(fresh.storedBytes()).isZero();
        byte[] attachment = Seeded.bytes(FIVE_MB, 5);
        List<PartStore> senders = List.of(storeOn(fresh, 1), storeOn(fresh, 7), storeOn(fresh, 13));

        Set<PartReference> references = new HashSet<>();
        int stored = 0;
        while (stored < 100) {
            List<CompletableFuture<PartReference>> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++, stored++) {
                // each sender encodes the attachment itself, as three different peers would
                batch.add(senders.get(stored % 3).store(attachment.clone(), fresh.now() + PastRing.LEASE));
                fresh.runFor(3);
            }
            for (CompletableFuture<PartReference> future : batch) {
                references.add(fresh.await(future));
            }
        }
        assertThat(stored).isEqualTo(100);
        assertThat(references).as("every sender got the same reference").hasSize(1);
        fresh.runFor(60_000); // let replication and maintenance settle

        List<ContentHashBlock> oneCopy = senders.get(0).encrypt(attachment).blocks();
        long encryptedBytes = oneCopy.stream().mapToLong(ContentHashBlock::encodedLength).sum();
        long accountedBytes = oneCopy.stream().mapToLong(b -> BlockStore.accountedBytes(b.encodedLength())).sum();
        for (ContentHashBlock block : oneCopy) {
            assertThat(fresh.holders(block.key())).as("holders of %s", block).hasSize(K);
        }
        assertThat(fresh.storedBytes()).as("bytes held by all nodes' block stores").isEqualTo(K * accountedBytes);

        report("dedup: 100 stores of a %,d-byte part by 3 senders -> %d blocks (%d chunks + manifest), %,d bytes "
                + "encoded per copy; all %d nodes hold %,d bytes = k=%d x %,d (encoded + %d B/entry store overhead)",
            FIVE_MB, oneCopy.size(), oneCopy.size() - 1, encryptedBytes, fresh.live().size(), fresh.storedBytes(), K,
            accountedBytes, BlockStore.ENTRY_OVERHEAD_BYTES);
        report("storage overhead of a 5 MB part: %.5f per copy (encoded blocks / plaintext), %.4f with k=%d "
                + "replicas and store accounting; without dedup the 100 stores would take %,d bytes",
            encryptedBytes / (double) FIVE_MB, fresh.storedBytes() / (double) FIVE_MB, K, 100L * K * accountedBytes);
    }

    // ================================================================ padding and convergence

    @Test
    void smallPartsArePaddedUnderFreshKeysAndDoNotCoalesce() {
        byte[] part = Seeded.bytes(100, 100);
        PartStore store = storeOn(ring, 2);
        PartReference first = ring.await(store.store(part, ring.now() + PastRing.LEASE));
        PartReference second = ring.await(storeOn(ring, 3).store(part, ring.now() + PastRing.LEASE));

        assertThat(first.padded()).isTrue();
        assertThat(second.padded()).isTrue();
        assertThat(first.handle()).isNotEqualTo(second.handle());
        assertThat(first.key()).isNotEqualTo(second.key());
        assertThat(ring.await(store.fetch(first))).isEqualTo(part);
        assertThat(ring.await(store.fetch(second))).isEqualTo(part);
        // the stored block hides the size: padded to the 4 KiB threshold
        for (PartReference reference : List.of(first, second)) {
            assertThat(ring.holders(new BlockKey(reference.handle(), BlockKind.CONTENT_HASH))).hasSize(K);
        }
        assertThat(store.encrypt(Seeded.bytes(1, 1)).topBlock().content())
            .hasSize((int) SegmentedAead.ciphertextLength(4096))
            .hasSameSizeAs(store.encrypt(Seeded.bytes(4095, 1)).topBlock().content());

        // at the threshold, a part is convergent: stored twice, one block
        byte[] atThreshold = Seeded.bytes(4096, 4096);
        PartReference a = ring.await(storeOn(ring, 4).store(atThreshold, ring.now() + PastRing.LEASE));
        PartReference b = ring.await(storeOn(ring, 5).store(atThreshold, ring.now() + PastRing.LEASE));
        assertThat(a).isEqualTo(b);
        assertThat(a.padded()).isFalse();
    }

    @Test
    void anOrganizationSecretKeysTheConvergence() {
        byte[] part = Seeded.bytes(20_000, 20);
        PartStore orgA = new PartStore(blocksOf(ring, 0), new ConvergentCipher(Optional.of(Seeded.bytes(32, 1))));
        PartStore orgA2 = new PartStore(blocksOf(ring, 1), new ConvergentCipher(Optional.of(Seeded.bytes(32, 1))));
        PartStore orgB = new PartStore(blocksOf(ring, 2), new ConvergentCipher(Optional.of(Seeded.bytes(32, 2))));
        PartReference a = ring.await(orgA.store(part, ring.now() + PastRing.LEASE));
        assertThat(ring.await(orgA2.store(part, ring.now() + PastRing.LEASE))).isEqualTo(a);
        PartReference b = ring.await(orgB.store(part, ring.now() + PastRing.LEASE));
        assertThat(b.handle()).isNotEqualTo(a.handle());
        assertThat(orgA.encrypt(part).reference().handle()).isNotEqualTo(storeOn(ring, 0).encrypt(part).reference().handle());
        // anyone holding the reference reads it, whatever their organization
        assertThat(ring.await(storeOn(ring, 5).fetch(b))).isEqualTo(part);
    }

    // ================================================================ faults

    @Test
    void aTamperedReplicaOfAChunkOrOfTheManifestIsSkippedByPast() {
        byte[] part = Seeded.bytes(3 * MIB, 31);
        PartStore writer = storeOn(ring, 6);
        PartReference reference = ring.await(writer.store(part, ring.now() + PastRing.LEASE));
        EncryptedPart layout = writer.encrypt(part);
        List<ContentHashBlock> victims = List.of(layout.chunk(1), layout.topBlock());
        List<Past> faulty = new ArrayList<>();
        for (ContentHashBlock block : victims) {
            Past holder = ring.closest(block.handle()).get(0);
            assertThat(ring.holders(block.key())).contains(holder);
            assertThat(ring.storeOf(holder).tamper(block.key())).isTrue();
            ring.serveUnverified(holder, true); // it hands out its corrupted copy
            faulty.add(holder);
        }
        long badBefore = badReplicasFound();
        long servedBefore = ring.servedUnverified();
        Past reader = ring.live().stream().filter(p -> !faulty.contains(p)).findFirst().orElseThrow();

        assertThat(ring.await(new PartStore(new PastBlockService(reader), CIPHER).fetch(reference))).isEqualTo(part);
        assertThat(ring.servedUnverified()).as("the faulty holders served their copies").isGreaterThan(servedBefore);
        assertThat(badReplicasFound()).as("the bad copies were seen and refused").isGreaterThan(badBefore);
        faulty.forEach(past -> ring.serveUnverified(past, false));
    }

    @Test
    void aMissingChunkOrTopBlockIsPartUnavailable() {
        PartStore store = storeOn(ring, 8);
        byte[] big = Seeded.bytes(2 * MIB + 5, 8);
        PartReference chunked = ring.await(store.store(big, ring.now() + PastRing.LEASE));
        ContentHashBlock lost = store.encrypt(big).chunk(1);
        deleteEverywhere(lost.key());

        Throwable failure = failure(store.fetch(chunked));
        assertThat(failure).isInstanceOf(PartUnavailableException.class).hasMessageContaining("no replica");
        assertThat(((PartStoreException) failure).handle()).contains(lost.handle());
        assertThat(failure(store.extendLease(chunked, ring.now() + PastRing.LEASE)))
            .isInstanceOf(PartUnavailableException.class);

        byte[] small = Seeded.bytes(50_000, 9);
        PartReference single = ring.await(store.store(small, ring.now() + PastRing.LEASE));
        deleteEverywhere(new BlockKey(single.handle(), BlockKind.CONTENT_HASH));
        Throwable gone = failure(store.fetch(single));
        assertThat(gone).isInstanceOf(PartUnavailableException.class);
        assertThat(((PartStoreException) gone).handle()).contains(single.handle());
    }

    @Test
    void theWrongKeyIsCorruptPartNeverWrongData() {
        PartStore store = storeOn(ring, 9);
        for (int size : new int[] {100, 50_000, 2 * MIB}) {
            PartReference reference = ring.await(store.store(Seeded.bytes(size, size),
                ring.now() + PastRing.LEASE));
            byte[] key = reference.key();
            key[3] ^= 1;
            PartReference wrong = new PartReference(reference.handle(), key, reference.size(), reference.layout(),
                reference.padded());
            Throwable failure = failure(store.fetch(wrong));
            assertThat(failure).as("size %d", size).isInstanceOf(CorruptPartException.class)
                .hasMessageContaining("does not decrypt");
            assertThat(((PartStoreException) failure).handle()).contains(reference.handle());
            // a reference lying about the size
            PartReference longer = new PartReference(reference.handle(), reference.key(), reference.size() + 1,
                reference.layout(), reference.padded());
            if (!reference.padded()) {
                assertThat(failure(store.fetch(longer))).isInstanceOf(CorruptPartException.class);
            }
        }
    }

    @Test
    void aManifestLyingAboutItsChunksIsCorruptPart() throws Exception {
        PartStore store = storeOn(ring, 10);
        byte[] part = Seeded.bytes(3 * MIB, 33);
        PartReference honest = ring.await(store.store(part, ring.now() + PastRing.LEASE));
        Manifest manifest = Manifest.decode(CIPHER.decrypt(Manifest.keyFor(honest.key()),
            store.encrypt(part).topBlock().content()), part.length);
        List<Manifest.Chunk> chunks = manifest.chunks();
        assertThat(chunks).hasSize(4);

        // lengths shifted between two chunks (the sum still right): the chunk's real length gives it away
        List<Manifest.Chunk> shifted = new ArrayList<>(chunks);
        shifted.set(0, new Manifest.Chunk(chunks.get(0).handle(), chunks.get(0).length() + 16));
        shifted.set(3, new Manifest.Chunk(chunks.get(3).handle(), chunks.get(3).length() - 16));
        Throwable failure = failure(store.fetch(forge(honest, new Manifest(part.length, shifted).encode())));
        assertThat(failure).isInstanceOf(CorruptPartException.class).hasMessageContaining("its manifest says");
        assertThat(((PartStoreException) failure).handle()).contains(chunks.get(0).handle());

        // lengths that do not add up to the part's ciphertext
        List<Manifest.Chunk> shorter = new ArrayList<>(chunks.subList(0, 3));
        PartReference forged = forge(honest, new Manifest(part.length, shorter).encode());
        failure = failure(store.fetch(forged));
        assertThat(failure).isInstanceOf(CorruptPartException.class).hasMessageContaining("add up");
        assertThat(((PartStoreException) failure).handle()).contains(forged.handle());

        // chunks in the wrong order, lengths consistent: the ciphertext does not authenticate
        List<Manifest.Chunk> swapped = new ArrayList<>(chunks);
        Collections.swap(swapped, 0, 1);
        failure = failure(store.fetch(forge(honest, new Manifest(part.length, swapped).encode())));
        assertThat(failure).isInstanceOf(CorruptPartException.class).hasMessageContaining("does not decrypt");

        // garbage under the right key
        failure = failure(store.fetch(forge(honest, Seeded.bytes(100, 1))));
        assertThat(failure).isInstanceOf(CorruptPartException.class).hasMessageContaining("malformed manifest");

        // a manifest claiming a different part size
        failure = failure(store.fetch(forge(honest, new Manifest(part.length + 1, chunks).encode())));
        assertThat(failure).isInstanceOf(CorruptPartException.class).hasMessageContaining("describes a part of");

        // and the honest reference still reads
        assertThat(ring.await(store.fetch(honest))).isEqualTo(part);
    }

    @Test
    void aFullRingFailsTheStoreAndTheManifestIsNeverInserted() {
        PastRing small = new PastRing(8, 5, PastRing.testConfig(), i -> 600_000);
        PartStore store = new PartStore(new PastBlockService(small.live().get(0)), CIPHER);
        byte[] part = Seeded.bytes(3 * MIB, 3);
        Throwable failure = failureOn(small, store.store(part, small.now() + PastRing.LEASE));
        assertThat(failure).isInstanceOf(PartInsertException.class).hasMessageContaining("FULL");
        assertThat(((PartInsertException) failure).status()).contains(InsertResult.Status.FULL);
        EncryptedPart layout = store.encrypt(part);
        Set<Id> chunkHandles = new HashSet<>();
        for (int i = 0; i < layout.chunkCount(); i++) {
            chunkHandles.add(layout.chunk(i).handle());
        }
        assertThat(chunkHandles).contains(((PartStoreException) failure).handle().orElseThrow());
        assertThat(small.holders(layout.topBlock().key())).isEmpty();
        // a part that fits is still stored
        byte[] fits = Seeded.bytes(100_000, 4);
        assertThat(small.await(store.fetch(small.await(store.store(fits, small.now() + PastRing.LEASE)))))
            .isEqualTo(fits);
    }

    // ================================================================ leases

    @Test
    void extendingALeaseReachesTheManifestAndEveryChunk() {
        PartStore store = storeOn(ring, 11);
        byte[] part = Seeded.bytes(3 * MIB + 7, 11);
        long start = ring.now();
        PartReference reference = ring.await(store.store(part, start + 10 * PastRing.DAY));
        long extended = start + 20 * PastRing.DAY;

        assertThat(ring.await(store.extendLease(reference, extended))).isEqualTo(K);

        List<ContentHashBlock> blocks = store.encrypt(part).blocks();
        assertThat(blocks).hasSize(5);
        for (ContentHashBlock block : blocks) {
            List<Past> holders = ring.holders(block.key());
            assertThat(holders).hasSize(K);
            for (Past holder : holders) {
                assertThat(holder.store().get(block.key()).orElseThrow().leaseExpiry()).as("lease of %s", block)
                    .isEqualTo(extended);
            }
        }
    }

    // ================================================================ helpers

    private static PartReference forgeReference(Id handle, PartReference honest) {
        return new PartReference(handle, honest.key(), honest.size(), PartReference.Layout.MANIFEST, false);
    }

    /** What a malicious sender can do: store its own manifest under the part's key and reference it. */
    private PartReference forge(PartReference honest, byte[] manifestPlaintext) {
        ContentHashBlock block = ContentHashBlock.of(CIPHER.encrypt(Manifest.keyFor(honest.key()), manifestPlaintext));
        assertThat(ring.await(new PastBlockService(ring.live().get(0)).insert(block,
            ring.now() + PastRing.LEASE)).isSuccess()).isTrue();
        return forgeReference(block.handle(), honest);
    }

    private void deleteEverywhere(BlockKey key) {
        List<Past> holders = ring.holders(key);
        assertThat(holders).hasSize(K);
        holders.forEach(past -> assertThat(past.store().delete(key)).isTrue());
        assertThat(ring.holders(key)).isEmpty();
    }

    private long badReplicasFound() {
        return ring.live().stream().mapToLong(Past::badReplicasFound).sum();
    }

    private Throwable failure(CompletableFuture<?> future) {
        return failureOn(ring, future);
    }

    private static Throwable failureOn(PastRing ring, CompletableFuture<?> future) {
        assertThat(ring.settle(future)).as("completes").isTrue();
        assertThat(future).isCompletedExceptionally();
        Throwable thrown = catchThrowable(future::join);
        return thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }

    private static PastBlockService blocksOf(PastRing ring, int node) {
        return new PastBlockService(ring.live().get(node));
    }

    private static PartStore storeOn(PastRing ring, int node) {
        return new PartStore(blocksOf(ring, node), CIPHER, PartStoreConfig.defaults(), Seeded.secureRandom(node));
    }

    static void report(String format, Object... args) {
        System.out.println("[part-store] " + String.format(format, args));
    }
}
