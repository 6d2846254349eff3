package org.epost.mailbox.mail;

import java.util.Objects;

import org.apache.james.mailbox.model.Content;
import org.epost.mailbox.model.MessageEntry;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;

/**
 * Appends by reference: a caller about to append a message whose content is already stored in the DHT (a home peer
 * delivering mail the sender's peer stored, with its own {@code X-ePOST-Origin} header put first) hands James's
 * append the {@link Content} made here instead of bytes. It is read lazily from the store (never whole), and when it
 * reaches this backend ({@link PostMessageFactory}) the folder records the stored reference and the few header bytes
 * before it instead of cutting, encrypting and inserting the message again on k replicas. Only code running in the
 * peer can make such a content (IMAP APPEND and every other client hands James bytes), so nobody can append a
 * reference it could not read.
 */
public final class ReferencedAppends {
    private final ContentCache cache;

    public ReferencedAppends(ContentCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /**
     * The content {@code prefix} (header lines) followed by the message stored under {@code reference} in
     * {@code store}, read from the store only when read.
     *
     * @throws IllegalArgumentException when the prefix is longer than an entry keeps
     */
    public Content content(MessageStore store, MessageReference reference, byte[] prefix) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(reference, "reference");
        if (prefix.length > MessageEntry.MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException("a prefix of " + prefix.length + " bytes (at most "
                + MessageEntry.MAX_PREFIX_BYTES + ")");
        }
        return new StoredContent(store, cache, reference, prefix.clone());
    }

    /**
     * The message stored under {@code reference} with its first {@code replaced} bytes (its header section) replaced
     * by {@code header}, read from the store only when read: a delivered message whose header had to be rewritten
     * (fields removed). It is stored again when appended, streamed, never read whole.
     *
     * @throws IllegalArgumentException when {@code replaced} is outside the message
     */
    public Content withHeader(MessageStore store, MessageReference reference, byte[] header, long replaced) {
        Objects.requireNonNull(header, "header");
        return new HeaderReplacedContent(new StoredContent(Objects.requireNonNull(store, "store"), cache,
            Objects.requireNonNull(reference, "reference"), new byte[0]), header, replaced);
    }

    /**
     * As {@link #content(MessageStore, MessageReference, byte[])} for a message the caller has read whole already:
     * it is kept in the content cache, so that the search index and the first FETCH read it from memory.
     */
    public Content content(MessageStore store, MessageReference reference, byte[] prefix, byte[] message) {
        Content content = content(store, reference, prefix);
        cache.remember(store, reference, message);
        return content;
    }
}
