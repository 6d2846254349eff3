package org.epost.mailbox.model;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

import org.apache.james.mailbox.model.MessageId;

/**
 * A message of this backend: 128 random bits given when the message is first stored, kept by its copies in other
 * folders. Serialized as 32 lowercase hex digits.
 */
public final class PostMessageId implements MessageId {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MessageKey key;

    public PostMessageId(MessageKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public MessageKey key() {
        return key;
    }

    @Override
    public String serialize() {
        return key.toHex();
    }

    @Override
    public boolean isSerializable() {
        return true;
    }

    /** @throws IllegalArgumentException when {@code serialized} is not 32 lowercase hex digits */
    public static PostMessageId parse(String serialized) {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length() != 2 * MessageKey.BYTES || !serialized.equals(serialized.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("not an ePOST message id: " + serialized);
        }
        try {
            return new PostMessageId(MessageKey.of(HexFormat.of().parseHex(serialized)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an ePOST message id: " + serialized, e);
        }
    }

    /** The key of a message id of this backend; a clear error for another backend's. */
    public static MessageKey keyOf(MessageId id) {
        if (id instanceof PostMessageId post) {
            return post.key;
        }
        throw new IllegalArgumentException("not an ePOST message id: " + id + " ("
            + (id == null ? "null" : id.getClass().getName()) + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostMessageId other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "PostMessageId(" + serialize() + ")";
    }

    /** James's factory for this backend's message ids. */
    public static final class Factory implements MessageId.Factory {
        @Override
        public MessageId fromString(String serialized) {
            return parse(serialized);
        }

        @Override
        public MessageId generate() {
            return new PostMessageId(new MessageKey(RANDOM.nextLong(), RANDOM.nextLong()));
        }
    }
}
