package org.epost.mailbox.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;
import org.epost.post.store.PartReference;

/** A {@link MessageStore} that counts the stores and fetches passed to the one it wraps. */
public final class CountingMessageStore implements MessageStore {
    private final MessageStore delegate;
    private final AtomicLong stores = new AtomicLong();
    private final AtomicLong fetches = new AtomicLong();

    public CountingMessageStore(MessageStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<MessageReference> store(byte[] message, long leaseExpiryMillis) {
        stores.incrementAndGet();
        return delegate.store(message, leaseExpiryMillis);
    }

    @Override
    public CompletableFuture<byte[]> fetch(MessageReference reference) {
        fetches.incrementAndGet();
        return delegate.fetch(reference);
    }

    @Override
    public CompletableFuture<List<PartReference>> parts(MessageReference reference) {
        return delegate.parts(reference);
    }

    public long stores() {
        return stores.get();
    }

    public long fetches() {
        return fetches.get();
    }
}
