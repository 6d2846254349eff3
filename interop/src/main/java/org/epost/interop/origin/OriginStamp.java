package org.epost.interop.origin;

import java.util.Locale;

import org.epost.interop.header.HeaderFields;

/**
 * Writes a message's one {@code X-ePOST-Origin} header: every field of that name already in the message is removed
 * (whatever its case, folding, spacing before the colon or number of copies: a sender outside must never get one
 * through), and the recipient's peer's own field is put first. Every other byte of the message stays as it was.
 */
public final class OriginStamp {
    private static final String NAME = Origin.HEADER.toLowerCase(Locale.ROOT);

    private OriginStamp() {
    }

    public static byte[] stamp(byte[] message, Origin origin) {
        return HeaderFields.rewrite(message, Origin.HEADER + ": " + origin.headerValue(),
            field -> field.lowerName().equals(NAME));
    }

    /** How many {@code X-ePOST-Origin} fields {@code message} has (tests, and logging what was removed). */
    public static int count(byte[] message) {
        return HeaderFields.of(message).named(Origin.HEADER).size();
    }
}
