package org.epost.mailbox.mail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.epost.mailbox.model.MessageEntry;
import org.epost.post.message.MessageReference;

/**
 * Appends by reference: a caller about to append a message whose content is already stored in the DHT (a home peer
 * delivering mail the sender's peer stored, with its own {@code X-ePOST-Origin} header put first) announces it here;
 * when James's append then hands this backend exactly those bytes, the folder records the stored reference and the
 * few header bytes before it instead of cutting, encrypting and inserting the message again on k replicas.
 *
 * <p>Matching is by the whole content (a {@link ByteBuffer} key compares every byte), so any other append of any
 * other bytes is stored as usual. The announcer withdraws its announcement once its append returned, whatever the
 * outcome.
 */
public final class ReferencedAppends {
    /** The content of an announced append: {@code prefix} then the message stored under {@code reference}. */
    record Announced(MessageReference reference, byte[] prefix) {
    }

    /** An announcement, withdrawn on close. */
    public interface Announcement extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentMap<ByteBuffer, Announced> announced = new ConcurrentHashMap<>();

    /**
     * Announces that {@code message} is {@code prefixLength} bytes of header lines followed by the message stored under
     * {@code reference} (the caller read it from there). The array must not change until the announcement is closed.
     *
     * @throws IllegalArgumentException when the sizes do not add up or the prefix is longer than an entry keeps
     */
    public Announcement announce(byte[] message, int prefixLength, MessageReference reference) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(reference, "reference");
        if (prefixLength < 0 || prefixLength > MessageEntry.MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException("a prefix of " + prefixLength + " bytes (at most "
                + MessageEntry.MAX_PREFIX_BYTES + ")");
        }
        if (message.length != prefixLength + reference.size()) {
            throw new IllegalArgumentException(message.length + " bytes are not a prefix of " + prefixLength
                + " and a stored message of " + reference.size());
        }
        ByteBuffer key = ByteBuffer.wrap(message);
        Announced value = new Announced(reference, Arrays.copyOf(message, prefixLength));
        announced.put(key, value);
        return () -> announced.remove(key, value);
    }

    /** The announcement matching {@code content} byte for byte, if any. */
    Optional<Announced> match(byte[] content) {
        return announced.isEmpty() ? Optional.empty() : Optional.ofNullable(announced.get(ByteBuffer.wrap(content)));
    }

    /** Announcements not withdrawn yet (tests). */
    int pending() {
        return announced.size();
    }
}
