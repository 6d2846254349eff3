package org.epost.mailbox.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.mailbox.spill.MessageScratchFile;

import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageSkeleton;
import org.epost.post.message.MessageStore;
import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;
import org.epost.post.store.RandomAccessBytes;

/**
 * A {@link MessageStore} that counts the stores (from arrays and streamed), whole-message fetches, skeleton reads and part fetches passed to the
 * one it wraps.
 */
public final class CountingMessageStore implements MessageStore {
    private final MessageStore delegate;
    private final AtomicLong stores = new AtomicLong();
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong skeletons = new AtomicLong();
    private final AtomicLong partFetches = new AtomicLong();
    private final AtomicLong chunkFetches = new AtomicLong();
    private final AtomicLong streamedStores = new AtomicLong();
    private final AtomicLong largestRead = new AtomicLong();
    private final List<Path> scratchFiles = new CopyOnWriteArrayList<>();

    public CountingMessageStore(MessageStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<MessageReference> store(byte[] message, long leaseExpiryMillis) {
        stores.incrementAndGet();
        return delegate.store(message, leaseExpiryMillis);
    }

    /** Counts a streamed store, and the largest piece the store reads of the message at once. */
    @Override
    public CompletableFuture<MessageReference> store(RandomAccessBytes message, long leaseExpiryMillis) {
        streamedStores.incrementAndGet();
        if (message instanceof MessageScratchFile file) {
            scratchFiles.add(file.file());
        }
        return delegate.store(new RandomAccessBytes() {
            @Override
            public long length() {
                return message.length();
            }

            @Override
            public byte[] read(long position, int length) {
                largestRead.accumulateAndGet(length, Math::max);
                return message.read(position, length);
            }

            @Override
            public Optional<byte[]> array() {
                message.array().ifPresent(whole -> largestRead.accumulateAndGet(whole.length, Math::max));
                return message.array();
            }
        }, leaseExpiryMillis);
    }

    @Override
    public CompletableFuture<byte[]> fetch(MessageReference reference) {
        fetches.incrementAndGet();
        return delegate.fetch(reference);
    }

    @Override
    public CompletableFuture<MessageSkeleton> skeleton(MessageReference reference) {
        skeletons.incrementAndGet();
        return delegate.skeleton(reference);
    }

    @Override
    public CompletableFuture<byte[]> part(PartReference part) {
        partFetches.incrementAndGet();
        return delegate.part(part);
    }

    @Override
    public CompletableFuture<PartChunk> chunkAt(PartReference part, long offset) {
        chunkFetches.incrementAndGet();
        return delegate.chunkAt(part, offset);
    }

    @Override
    public CompletableFuture<List<PartReference>> parts(MessageReference reference) {
        return delegate.parts(reference);
    }

    public long stores() {
        return stores.get();
    }

    /** Messages stored from a {@link RandomAccessBytes} (a scratch file), not an array. */
    public long streamedStores() {
        return streamedStores.get();
    }

    /** The most bytes of a streamed message the store read at once (its length if it took the whole array). */
    public long largestStreamedRead() {
        return largestRead.get();
    }

    /** The scratch files streamed stores read from. */
    public List<Path> scratchFiles() {
        return List.copyOf(scratchFiles);
    }

    public long fetches() {
        return fetches.get();
    }

    public long skeletons() {
        return skeletons.get();
    }

    /** Whole parts fetched. */
    public long partFetches() {
        return partFetches.get();
    }

    /** Pieces of parts fetched (one chunk of a large part, or a part in one block). */
    public long chunkFetches() {
        return chunkFetches.get();
    }
}
