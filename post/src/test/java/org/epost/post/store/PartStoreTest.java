package org.epost.post.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

/** PartStore alone, over a scripted in-memory block service: concurrency bounds, failures, throughput. */
class PartStoreTest {
    private static final byte[] PART = Seeded.bytes(5_000_000, 99);

    @Test
    void storeAndFetchKeepAtMostTheConfiguredNumberOfChunksInFlightAndInsertTheManifestLast() {
        InMemoryBlockService blocks = new InMemoryBlockService();
        blocks.holdAnswers();
        PartStore store = new PartStore(blocks, new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults().withMaxChunksInFlight(2), new SecureRandom());
        EncryptedPart layout = store.encrypt(PART);
        assertThat(layout.chunkCount()).isEqualTo(6);

        CompletableFuture<PartReference> stored = store.store(PART, 1_000);
        assertThat(blocks.pending()).isEqualTo(2);
        blocks.drain();
        assertThat(stored.join()).isEqualTo(layout.reference());
        assertThat(blocks.maxInFlight()).isEqualTo(2);
        assertThat(blocks.insertedKeys()).hasSize(7);
        assertThat(blocks.insertedKeys().get(6).handle()).isEqualTo(layout.topBlock().handle());

        blocks.resetCounters();
        CompletableFuture<byte[]> fetched = store.fetch(layout.reference());
        blocks.drain();
        assertThat(fetched.join()).isEqualTo(PART);
        assertThat(blocks.maxInFlight()).isEqualTo(2);

        blocks.resetCounters();
        CompletableFuture<Integer> extended = store.extendLease(layout.reference(), 2_000);
        blocks.drain();
        assertThat(extended.join()).isEqualTo(3);
        assertThat(blocks.maxInFlight()).isEqualTo(2);
    }

    @Test
    void aTimedOutChunkFailsTheStoreAndNothingFollowsIt() {
        InMemoryBlockService blocks = new InMemoryBlockService();
        PartStore store = new PartStore(blocks, new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults().withMaxChunksInFlight(1), new SecureRandom());
        EncryptedPart layout = store.encrypt(PART);
        blocks.answerInserts(block -> block.handle().equals(layout.chunk(2).handle())
            ? InMemoryBlockService.result(InsertResult.Status.TIMEOUT, "no answer after 2 retries") : null);

        Throwable failure = cause(store.store(PART, 1_000));

        assertThat(failure).isInstanceOf(PartInsertException.class).hasMessageContaining("TIMEOUT")
            .hasMessageContaining("no answer after 2 retries");
        assertThat(((PartInsertException) failure).status()).contains(InsertResult.Status.TIMEOUT);
        assertThat(((PartInsertException) failure).handle()).contains(layout.chunk(2).handle());
        assertThat(blocks.insertedKeys()).extracting(BlockKey::handle)
            .as("chunks 0, 1 and the failed 2; never the rest or the manifest")
            .containsExactly(layout.chunk(0).handle(), layout.chunk(1).handle(), layout.chunk(2).handle());
    }

    @Test
    void anInsertThatFailsOutrightIsAPartInsertException() {
        InMemoryBlockService blocks = new InMemoryBlockService();
        IllegalStateException broken = new IllegalStateException("node shutting down");
        blocks.fail(InMemoryBlockService.Op.INSERT, broken);
        PartStore store = new PartStore(blocks, new ConvergentCipher(Optional.empty()));
        Throwable failure = cause(store.store(Seeded.bytes(10_000, 1), 1_000));
        assertThat(failure).isInstanceOf(PartInsertException.class).hasMessageContaining("node shutting down");
        assertThat(((PartInsertException) failure).status()).isEmpty();
        assertThat(failure.getCause()).isSameAs(broken);
    }

    @Test
    void partsBeyondTheLimitAreRefusedOnBothSides() {
        PartStore store = new PartStore(new InMemoryBlockService(), new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults().withMaxPartBytes(1_000_000), new SecureRandom());
        assertThat(cause(store.store(PART, 1))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("exceeds");
        PartReference huge = new PartReference(Id.hash("x"), new byte[32], PartReference.MAX_SIZE,
            PartReference.Layout.MANIFEST, false);
        assertThat(cause(store.fetch(huge))).isInstanceOf(PartStoreException.class).hasMessageContaining("exceeds");
    }

    @Test
    void aChunkOfALargePartIsFetchedAndDecryptedOnItsOwn() {
        InMemoryBlockService blocks = new InMemoryBlockService();
        PartStore store = new PartStore(blocks, new ConvergentCipher(Optional.empty()));
        PartReference reference = store.store(PART, 1_000).join();
        int perChunk = 15 * 64 * 1024;

        blocks.resetCounters();
        PartChunk first = store.chunkAt(reference, 0).join();
        assertThat(blocks.lookups()).as("the manifest and one chunk of six").isEqualTo(2);
        assertThat(first.offset()).isZero();
        assertThat(first.bytes()).isEqualTo(java.util.Arrays.copyOf(PART, perChunk));
        assertThat(store.chunkAt(reference, perChunk - 1).join().offset()).isZero();

        PartChunk middle = store.chunkAt(reference, 2L * perChunk + 17).join();
        assertThat(middle.offset()).isEqualTo(2L * perChunk);
        assertThat(middle.bytes()).isEqualTo(java.util.Arrays.copyOfRange(PART, 2 * perChunk, 3 * perChunk));
        PartChunk last = store.chunkAt(reference, PART.length - 1).join();
        assertThat(last.end()).isEqualTo(PART.length);
        assertThat(last.bytes()).isEqualTo(java.util.Arrays.copyOfRange(PART, 5 * perChunk, PART.length));

        assertThat(cause(store.chunkAt(reference, PART.length))).isInstanceOf(IllegalArgumentException.class);
        PartReference small = store.store(new byte[] {1, 2, 3}, 1_000).join();
        assertThat(store.chunkAt(small, 2).join().bytes()).as("a part in one block comes whole").containsExactly(1, 2, 3);
    }

    @Test
    void boundedParallelKeepsTheStackFlatWhenTasksCompleteSynchronously() {
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<Void> all = BoundedParallel.run(200_000, 3, index -> {
            ran.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertThat(all).isCompleted();
        assertThat(ran).hasValue(200_000);
    }

    @Test
    void printsEncodeAndDecodeThroughput() {
        InMemoryBlockService blocks = new InMemoryBlockService();
        PartStore store = new PartStore(blocks, new ConvergentCipher(Optional.empty()));
        PartReference reference = store.store(PART, 1_000).join();
        for (int warmup = 0; warmup < 15; warmup++) {
            store.encrypt(PART).blocks();
            assertThat(store.fetch(reference).join()).isEqualTo(PART);
        }
        int rounds = 20;
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            bytes += store.encrypt(PART).blocks().size();
        }
        long encode = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            bytes += store.fetch(reference).join().length;
        }
        long decode = System.nanoTime() - start;
        assertThat(bytes).isEqualTo(rounds * 7L + rounds * (long) PART.length);
        PartStoreRingTest.report("throughput (5 MB part, in memory, one thread): encode (key + encrypt + chunk "
                + "handles + blocks) %.0f MiB/s, decode (fetch + verify lengths + decrypt) %.0f MiB/s",
            rounds * PART.length / (encode / 1e9) / (1 << 20), rounds * PART.length / (decode / 1e9) / (1 << 20));
    }

    private static Throwable cause(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        Throwable thrown = catchThrowable(future::join);
        return thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }
}
