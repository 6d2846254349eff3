package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.epost.mailbox.storage.UserStorage;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;

/**
 * Stores a message's content before its record is appended (content first, record second: a crash in between leaves
 * unreferenced blocks that expire, never a record naming missing content). A message already stored by this backend
 * (a copy, a move) keeps its reference and is not stored again. A message just stored is remembered by the content
 * cache: the search index and the first FETCH read it from memory rather than back from the DHT. A message appended
 * with a content of {@link ReferencedAppends} is already stored: it reaches here as a {@link PostMailboxMessage}
 * ({@link PostMessageFactory}) and is recorded by reference, with the header lines put before it.
 */
final class ContentWriter {
    private ContentWriter() {
    }

    /** Where a folder's entry finds a message: {@code prefix} then the message stored under {@code reference}. */
    record Stored(MessageReference reference, byte[] prefix) {
    }

    static Stored referenceOf(UserStorage storage, MailboxMessage message, MessageViews views)
            throws MailboxException {
        if (message instanceof PostMailboxMessage stored) {
            return new Stored(stored.contentReference(), stored.contentPrefix());
        }
        byte[] bytes;
        try (InputStream in = message.getFullContent()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new MailboxException("cannot read the content of the message to store: " + e.getMessage(), e);
        }
        if (bytes.length != message.getFullContentOctets()) {
            throw new MailboxException("message content has " + bytes.length + " bytes but its size says "
                + message.getFullContentOctets());
        }
        MessageReference reference = store(storage, bytes);
        views.cache().remember(storage.messages(), reference, bytes);
        return new Stored(reference, new byte[0]);
    }

    static MessageReference store(UserStorage storage, byte[] bytes) throws MailboxException {
        MessageStore store = storage.messages();
        long leaseExpiry = storage.logConfig().now() + storage.logConfig().blockLeaseMillis();
        try {
            return store.store(bytes, leaseExpiry).get();
        } catch (ExecutionException e) {
            throw new MailboxException("content of " + bytes.length + " bytes not stored: " + e.getCause().getMessage(),
                e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxException("interrupted while storing message content", e);
        }
    }
}
