package org.epost.post.message;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.store.RandomAccessBytes;

/**
 * The simplest {@link MessageStore}: the whole message is one part of the {@link PartStore} (convergent-encrypted,
 * chunked above a block, padded when small), and its reference is that part's. Identical messages coalesce; a large
 * attachment sent in two different messages does not (a MIME-splitting store does that).
 */
public final class WholeMessageStore implements MessageStore {
    private final PartStore parts;

    public WholeMessageStore(PartStore parts) {
        this.parts = Objects.requireNonNull(parts, "parts");
    }

    @Override
    public CompletableFuture<MessageReference> store(byte[] message, long leaseExpiryMillis) {
        Objects.requireNonNull(message, "message");
        return parts.store(message, leaseExpiryMillis)
            .thenApply(part -> new MessageReference(part, message.length));
    }

    /** The message as one part, stored a chunk at a time when it is not in memory already. */
    @Override
    public CompletableFuture<MessageReference> store(RandomAccessBytes message, long leaseExpiryMillis) {
        Objects.requireNonNull(message, "message");
        return parts.store(message, 0, message.length(), leaseExpiryMillis)
            .thenApply(part -> new MessageReference(part, message.length()));
    }

    @Override
    public CompletableFuture<byte[]> fetch(MessageReference reference) {
        Objects.requireNonNull(reference, "reference");
        if (reference.top().size() != reference.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a whole-message reference names a part of "
                + reference.top().size() + " bytes for a message of " + reference.size()));
        }
        return parts.fetch(reference.top());
    }

    /** One part segment, the whole message (none for the empty message); never a structure. */
    @Override
    public CompletableFuture<MessageSkeleton> skeleton(MessageReference reference) {
        Objects.requireNonNull(reference, "reference");
        if (reference.top().size() != reference.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a whole-message reference names a part of "
                + reference.top().size() + " bytes for a message of " + reference.size()));
        }
        return CompletableFuture.completedFuture(new MessageSkeleton(reference.size() == 0 ? List.of()
            : List.of(new MessageSkeleton.Part(reference.top()))));
    }

    /** The part store answers exactly the part's size or fails: nothing to check again here. */
    @Override
    public CompletableFuture<byte[]> part(PartReference part) {
        return parts.fetch(Objects.requireNonNull(part, "part"));
    }

    @Override
    public CompletableFuture<PartChunk> chunkAt(PartReference part, long offset) {
        return parts.chunkAt(part, offset);
    }

    @Override
    public CompletableFuture<List<PartReference>> parts(MessageReference reference) {
        Objects.requireNonNull(reference, "reference");
        return CompletableFuture.completedFuture(List.of(reference.top()));
    }
}
