package org.epost.post.message;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;
import org.epost.post.store.RandomAccessBytes;

/**
 * Where a whole RFC 5322 message lives in POST: stored as convergent-encrypted blocks (through the part store) and
 * read back byte for byte. The one reference a message has is what a notification carries and what a folder log
 * records; whoever holds it can read the message, nobody else can.
 *
 * <p>Implementations differ in how they cut the message into parts (the whole message as one part, or one part per
 * large MIME leaf so that an attachment sent by many senders is stored once); every implementation reads back
 * exactly the bytes stored, whole ({@link #fetch}) or piece by piece ({@link #skeleton} then {@link #part}, which
 * is how a reader that needs only some of the message avoids fetching the rest).
 */
public interface MessageStore {

    /** Stores {@code message}; the future completes once every block of it is on its k replicas. */
    CompletableFuture<MessageReference> store(byte[] message, long leaseExpiryMillis);

    /**
     * Stores a message read by position (spilled to a file, say); the same reference as {@link #store(byte[], long)}
     * of its bytes. Stores that can read it a piece at a time override this; by default it is read whole.
     */
    default CompletableFuture<MessageReference> store(RandomAccessBytes message, long leaseExpiryMillis) {
        CompletableFuture<byte[]> whole;
        try {
            whole = CompletableFuture.completedFuture(message.read(0, Math.toIntExact(message.length())));
        } catch (RuntimeException e) {
            whole = CompletableFuture.failedFuture(e);
        }
        return whole.thenCompose(bytes -> store(bytes, leaseExpiryMillis));
    }

    /** The stored bytes, exactly; fails with a {@code PartStoreException} when a block is missing or corrupt. */
    CompletableFuture<byte[]> fetch(MessageReference reference);

    /**
     * The message's layout: its bytes as literal segments and parts (not fetched), plus the structure stored with it,
     * if any; checked to describe exactly {@code reference.size()} bytes.
     */
    CompletableFuture<MessageSkeleton> skeleton(MessageReference reference);

    /** One part named by a skeleton of this store, checked to have the size its reference says. */
    CompletableFuture<byte[]> part(PartReference part);

    /**
     * The bytes of a part around {@code offset}, fetching as little of it as the store can (one chunk of a large
     * part); what it answers always holds {@code offset}.
     */
    CompletableFuture<PartChunk> chunkAt(PartReference part, long offset);

    /** Every part the message is made of (the reference's own part included), for lease refresh. */
    CompletableFuture<List<PartReference>> parts(MessageReference reference);
}
