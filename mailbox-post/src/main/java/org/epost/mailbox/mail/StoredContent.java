package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.apache.james.mailbox.model.Content;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;

/**
 * A message's content, read from the message store (through the cache) only when a stream of it is opened, and then
 * only as far as the stream is read.
 */
final class StoredContent implements Content {
    private final MessageStore store;
    private final ContentCache cache;
    private final MessageReference reference;

    StoredContent(MessageStore store, ContentCache cache, MessageReference reference) {
        this.store = store;
        this.cache = cache;
        this.reference = reference;
    }

    MessageReference reference() {
        return reference;
    }

    /** The structure stored with the message, if its skeleton has one (reads the skeleton, never a part). */
    Optional<byte[]> structure() throws IOException {
        return cache.skeleton(store, reference).structure();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return cache.open(store, reference);
    }

    @Override
    public long size() {
        return reference.size();
    }
}
