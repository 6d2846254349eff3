package org.epost.mailbox.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.james.mailbox.model.Content;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;

/** A message's content, read from the message store (through the cache) only when a stream of it is opened. */
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

    @Override
    public InputStream getInputStream() throws IOException {
        return new ByteArrayInputStream(cache.get(store, reference));
    }

    @Override
    public long size() {
        return reference.size();
    }
}
