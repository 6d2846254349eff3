package org.epost.interop.origin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a message's one {@code X-ePOST-Origin} header: every field of that name already in the message is removed
 * (whatever its case, folding, spacing before the colon or number of copies: a sender outside must never get one
 * through), and the recipient's peer's own field is put first. Every other byte of the message stays as it was.
 */
public final class OriginStamp {
    private OriginStamp() {
    }

    public static byte[] stamp(byte[] message, Origin origin) {
        HeaderFields header = HeaderFields.of(message);
        byte[] line = (Origin.HEADER + ": " + origin.headerValue() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + line.length);
        out.write(line, 0, line.length);
        int copied = 0;
        for (HeaderFields.Field field : header.named(Origin.HEADER)) {
            out.write(message, copied, field.start() - copied);
            copied = field.end();
        }
        out.write(message, copied, message.length - copied);
        return out.toByteArray();
    }

    /** How many {@code X-ePOST-Origin} fields {@code message} has (tests, and logging what was removed). */
    public static int count(byte[] message) {
        return HeaderFields.of(message).named(Origin.HEADER).size();
    }
}
