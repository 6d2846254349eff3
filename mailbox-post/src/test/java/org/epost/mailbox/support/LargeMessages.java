package org.epost.mailbox.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/** Large test messages, the same bytes on every run. */
public final class LargeMessages {
    private LargeMessages() {
    }

    /** A multipart message from alice to bob: a short text, then {@code bytes} random bytes as a base64 attachment. */
    public static byte[] withAttachment(int bytes) {
        byte[] attachment = new byte[bytes];
        new Random(15).nextBytes(attachment);
        String text = "From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: large\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
            + "see attached\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"large.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--b1--\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
