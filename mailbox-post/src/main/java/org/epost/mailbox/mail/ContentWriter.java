package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.mail.MessagingException;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.epost.mailbox.spill.MessageScratchFile;
import org.epost.mailbox.storage.UserStorage;
import org.epost.post.message.MessageReference;

/**
 * Stores a message's content before its record is appended (content first, record second: a crash in between leaves
 * unreferenced blocks that expire, never a record naming missing content). A message already stored by this backend
 * (a copy, a move) keeps its reference and is not stored again. A message just stored is remembered by the content
 * cache: the search index and the first FETCH read it from memory rather than back from the DHT. A message appended
 * with a content of {@link ReferencedAppends} is already stored: it reaches here as a {@link PostMailboxMessage}
 * ({@link PostMessageFactory}) and is recorded by reference, with the header lines put before it. Any other message
 * over {@link #IN_MEMORY_BYTES} (a client's IMAP APPEND) is streamed into the store, never read whole.
 */
final class ContentWriter {
    /** A message up to this size is stored from the heap; a larger one streamed through a scratch file: 1 MiB. */
    static final long IN_MEMORY_BYTES = 1L << 20;

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
        long size = message.getFullContentOctets();
        if (size > IN_MEMORY_BYTES) {
            return new Stored(storeStreamed(storage, message, size), new byte[0]);
        }
        byte[] bytes;
        try (InputStream in = message.getFullContent()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new MailboxException("cannot read the content of the message to store: " + e.getMessage(), e);
        }
        checkSize(bytes.length, size);
        MessageReference reference = store(storage, bytes);
        views.cache().remember(storage.messages(), reference, bytes);
        return new Stored(reference, new byte[0]);
    }

    /**
     * A large message (an IMAP APPEND, or delivered mail whose header was rewritten) copied once into an encrypted
     * scratch file and stored from it by position, as SMTP mail is: cut into parts, large parts chunked, never whole
     * in the heap. The file is deleted once stored; it is not put in the content cache (readers stream it back).
     */
    private static MessageReference storeStreamed(UserStorage storage, MailboxMessage message, long size)
            throws MailboxException {
        try (MessageScratchFile scratch = MessageScratchFile.copyOf(scratchDirectory(), out -> {
            try (InputStream in = message.getFullContent(); out) {
                in.transferTo(out);
            }
        })) {
            checkSize(scratch.length(), size);
            return await(storage.messages().store(scratch, leaseExpiry(storage)), scratch.length());
        } catch (IOException | MessagingException e) {
            throw new MailboxException("cannot read the content of the message to store: " + e.getMessage(), e);
        }
    }

    /** Where scratch files go: {@code java.io.tmpdir}, as James's own temporary files. */
    private static Path scratchDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void checkSize(long read, long announced) throws MailboxException {
        if (read != announced) {
            throw new MailboxException("message content has " + read + " bytes but its size says " + announced);
        }
    }

    static MessageReference store(UserStorage storage, byte[] bytes) throws MailboxException {
        return await(storage.messages().store(bytes, leaseExpiry(storage)), bytes.length);
    }

    private static long leaseExpiry(UserStorage storage) {
        return storage.logConfig().now() + storage.logConfig().blockLeaseMillis();
    }

    private static MessageReference await(CompletableFuture<MessageReference> stored, long size)
            throws MailboxException {
        try {
            return stored.get();
        } catch (ExecutionException e) {
            throw new MailboxException("content of " + size + " bytes not stored: " + e.getCause().getMessage(),
                e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxException("interrupted while storing message content", e);
        }
    }
}
