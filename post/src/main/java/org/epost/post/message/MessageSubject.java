package org.epost.post.message;

import java.nio.charset.StandardCharsets;

/** The Subject of a raw message, for a notification: encoded words decoded, cut to a byte budget. */
public final class MessageSubject {
    private MessageSubject() {
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
