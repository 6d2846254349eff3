package org.epost.mailbox.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Optional;

import org.apache.james.mailbox.model.Content;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;

/**
 * A message's content, read from the message store (through the cache) only when a stream of it is opened, and then
 * only as far as the stream is read. A folder's copy may have a few header lines before the stored message (see
 * {@link ReferencedAppends}): they are read from memory, the message from the store.
 */
final class StoredContent implements Content {
    private final MessageStore store;
    private final ContentCache cache;
    private final MessageReference reference;
    private final byte[] prefix;

    StoredContent(MessageStore store, ContentCache cache, MessageReference reference, byte[] prefix) {
        this.store = store;
        this.cache = cache;
        this.reference = reference;
        this.prefix = prefix;
    }

    MessageReference reference() {
        return reference;
    }

    byte[] prefix() {
        return prefix.clone();
    }

    /** Has the skeleton read in the background, for a reader about to open this content. */
    void readAhead() {
        cache.readAhead(store, reference);
    }

    /** The structure stored with the message, if its skeleton has one (reads the skeleton, never a part). */
    Optional<byte[]> structure() throws IOException {
        return cache.skeleton(store, reference).structure();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream stored = cache.open(store, reference);
        return prefix.length == 0 ? stored : new SequenceInputStream(new ByteArrayInputStream(prefix), stored);
    }

    @Override
    public long size() {
        return prefix.length + reference.size();
    }
}
