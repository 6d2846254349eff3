package org.epost.post.message;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.post.store.PartReference;

/**
 * Where a whole RFC 5322 message lives in POST: stored as convergent-encrypted blocks (through the part store) and
 * read back byte for byte. The one reference a message has is what a notification carries and what a folder log
 * records; whoever holds it can read the message, nobody else can.
 *
 * <p>Implementations differ in how they cut the message into parts (the whole message as one part, or one part per
 * large MIME leaf so that an attachment sent by many senders is stored once); every implementation reads back
 * exactly the bytes stored.
 */
public interface MessageStore {

    /** Stores {@code message}; the future completes once every block of it is on its k replicas. */
    CompletableFuture<MessageReference> store(byte[] message, long leaseExpiryMillis);

    /** The stored bytes, exactly; fails with a {@code PartStoreException} when a block is missing or corrupt. */
    CompletableFuture<byte[]> fetch(MessageReference reference);

    /** Every part the message is made of (the reference's own part included), for lease refresh. */
    CompletableFuture<List<PartReference>> parts(MessageReference reference);
}
