package org.epost.mailbox.mail;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;

/**
 * The home peer's small cache of message contents, least recently used first out, bounded in bytes: a client that
 * FETCHes the header, then the body, then BODYSTRUCTURE of one message reads it from the DHT once. Only contents
 * ever enter it (never while listing UIDs or flags), kept in memory, never on disk. A message larger than the bound
 * is fetched and not kept.
 */
public final class ContentCache {
    private final long maxBytes;
    private final LinkedHashMap<MessageReference, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    public ContentCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative cache size " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The message's bytes, from the cache or fetched through {@code store} (blocking). */
    public byte[] get(MessageStore store, MessageReference reference) throws IOException {
        synchronized (this) {
            byte[] cached = entries.get(reference);
            if (cached != null) {
                return cached;
            }
        }
        byte[] fetched = fetch(store, reference);
        if (fetched.length != reference.size()) {
            throw new IOException("message store returned " + fetched.length + " bytes for a message of "
                + reference.size());
        }
        if (fetched.length <= maxBytes) {
            synchronized (this) {
                if (entries.put(reference, fetched) == null) {
                    bytes += fetched.length;
                }
                evict();
            }
        }
        return fetched;
    }

    /** Messages cached now. */
    public synchronized int size() {
        return entries.size();
    }

    private void evict() {
        var iterator = entries.entrySet().iterator();
        while (bytes > maxBytes && iterator.hasNext()) {
            Map.Entry<MessageReference, byte[]> eldest = iterator.next();
            bytes -= eldest.getValue().length;
            iterator.remove();
        }
    }

    private static byte[] fetch(MessageStore store, MessageReference reference) throws IOException {
        try {
            return store.fetch(reference).get();
        } catch (ExecutionException e) {
            throw new IOException("message content " + reference.top().handle() + " cannot be read: "
                + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading message content " + reference.top().handle(), e);
        }
    }
}
