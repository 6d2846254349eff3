package org.epost.post.message;

import java.nio.charset.StandardCharsets;

import org.epost.post.store.RandomAccessBytes;

/** The Subject of a raw message, for a notification: encoded words decoded, cut to a byte budget. */
public final class MessageSubject {
    private MessageSubject() {
    }

    /**
     * Header bytes read from a message that is not in memory: a header section longer than this is read only this
     * far (a Subject field further down is not found).
     */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    /**
     * The Subject of a message read by position: from its header, read up to {@value #MAX_HEADER_BYTES} bytes when
     * the message is not in memory.
     */
    public static String of(RandomAccessBytes message, int maxUtf8Bytes) {
        return of(message.array().orElseGet(() -> message.read(0, (int) Math.min(MAX_HEADER_BYTES, message.length()))),
            maxUtf8Bytes);
    }

    /** The decoded Subject of {@code message} ("" when it has none), at most {@code maxUtf8Bytes} bytes of UTF-8. */
    public static String of(byte[] message, int maxUtf8Bytes) {
        String subject = EntityHeader.ofMessage(message).subject();
        if (subject.getBytes(StandardCharsets.UTF_8).length <= maxUtf8Bytes) {
            return subject;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < subject.length(); ) {
            int codePoint = subject.codePointAt(i);
            int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + length > maxUtf8Bytes) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += length;
            i += Character.charCount(codePoint);
        }
        return cut.toString();
    }
}
