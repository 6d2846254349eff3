package org.epost.mailbox.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageSkeleton;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skeletons read ahead of a FETCH: each read once whoever asks first (the reader thread, or the FETCH reaching a
 * read still queued), nothing left pending after a read, a failure or a refusal, and the reader gets the same
 * skeleton or the same failure as without read-ahead. The reads run when the test says ({@link Manual}).
 */
class SkeletonReadAheadTest {
    private static final String HEADER = "From: carol@epost.test\r\nTo: alice@epost.test\r\nSubject: figures\r\n\r\n";
    private final CountingMessageStore store =
        new CountingMessageStore(TestMailboxStorage.splitMessages(new InMemoryBlockService()));
    private final Manual reads = new Manual();
    private final ContentCache cache = new ContentCache(1 << 20, Optional.empty(), reads);

    /** An executor whose tasks run only when {@link #runAll} is called. */
    private static final class Manual implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            queued.add(task);
        }

        void runAll() {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }
    }

    private MessageReference stored(String body) throws Exception {
        return store.store((HEADER + body).getBytes(StandardCharsets.US_ASCII), Long.MAX_VALUE).get();
    }

    private static String header(ContentCache cache, CountingMessageStore store, MessageReference reference)
            throws IOException {
        try (InputStream in = cache.open(store, reference)) {
            return new String(in.readNBytes(HEADER.length()), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aSkeletonReadAheadIsReadOnceAndServesTheReader() throws Exception {
        MessageReference reference = stored("a body\r\n");

        cache.readAhead(store, reference);
        cache.readAhead(store, reference);
        assertThat(reads.queued).hasSize(1);
        assertThat(cache.readsAhead()).isEqualTo(1);
        reads.runAll();

        assertThat(store.skeletons()).isEqualTo(1);
        assertHeaderReadOnce(cache, reference);
    }

    /** Nothing pending, and the header reads as stored with one DHT lookup in all. */
    private void assertHeaderReadOnce(ContentCache cache, MessageReference reference) throws IOException {
        assertThat(cache.readsAhead()).isZero();
        assertThat(header(cache, store, reference)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(1);
    }

    @Test
    void aReaderReachingAQueuedReadReadsItItselfAndTheQueuedReadDoesNothing() throws Exception {
        MessageReference reference = stored("a body\r\n");
        cache.readAhead(store, reference);

        MessageSkeleton skeleton = cache.skeleton(store, reference);
        assertThat(store.skeletons()).isEqualTo(1);
        assertThat(cache.readsAhead()).isZero();
        reads.runAll();

        assertThat(store.skeletons()).isEqualTo(1);
        assertThat(cache.skeleton(store, reference)).isSameAs(skeleton);
    }

    @Test
    void nothingIsReadAheadForASkeletonInMemory() throws Exception {
        MessageReference reference = stored("a body\r\n");
        cache.skeleton(store, reference);

        cache.readAhead(store, reference);
        assertThat(reads.queued).isEmpty();
        assertThat(cache.readsAhead()).isZero();
    }

    @Test
    void aRefusedReadAheadLeavesTheReadToTheReader() throws Exception {
        MessageReference reference = stored("a body\r\n");
        Executor full = task -> {
            throw new RejectedExecutionException("queue full");
        };
        ContentCache cache = new ContentCache(1 << 20, Optional.empty(), full);

        cache.readAhead(store, reference);
        assertHeaderReadOnce(cache, reference);
    }

    @Test
    void aFailedReadAheadLeavesNothingPendingAndTheReaderGetsTheFailure() throws Exception {
        MessageReference reference = stored("a body\r\n");
        ContentCache elsewhere = new ContentCache(1 << 20, Optional.empty(), reads);
        CountingMessageStore empty =
            new CountingMessageStore(TestMailboxStorage.splitMessages(new InMemoryBlockService()));

        elsewhere.readAhead(empty, reference);
        reads.runAll();
        assertThat(elsewhere.readsAhead()).isZero();
        assertThatThrownBy(() -> elsewhere.skeleton(empty, reference)).isInstanceOf(IOException.class);
    }

    @Test
    void readAheadsReadFromTheDiskCacheWithoutALookup(@TempDir Path dir) throws Exception {
        MessageReference reference = stored("a body\r\n");
        header(new ContentCache(1 << 20, Optional.of(new SealedSkeletonCache(dir)), reads), store, reference);
        assertThat(store.skeletons()).isEqualTo(1);

        ContentCache restarted = new ContentCache(1 << 20, Optional.of(new SealedSkeletonCache(dir)), reads);
        restarted.readAhead(store, reference);
        reads.runAll();

        assertThat(header(restarted, store, reference)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(1);
    }
}
