package org.epost.post.accounts;

import java.util.function.Function;

import org.epost.overlay.wire.CborRecordReader;

/**
 * Decoding of the signed account records that travel between a peer and the admin's offline tool (re-home requests
 * and keys, certification requests): canonical CBOR only, each failure an {@link AccountException} saying what.
 */
final class StrictCbor {
    private StrictCbor() {
    }

    interface Reading<T> {
        T read(CborRecordReader<FormatException> reader) throws FormatException;
    }

    /** {@code bytes} read by {@code reading}, refused unless {@code encoder} gives exactly the same bytes back. */
    static <T> T decode(byte[] bytes, String what, Reading<T> reading, Function<T, byte[]> encoder)
            throws AccountException {
        try {
            return CborRecordReader.decodeCanonical(bytes, what, FormatException.FAILURES, reading::read, encoder);
        } catch (FormatException | IllegalArgumentException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, what + ": " + e.getMessage(), e);
        }
    }

    /** Reads the context string of a record, refusing any other. */
    static void expect(CborRecordReader<FormatException> reader, String context) throws FormatException {
        String found = reader.text(context.length());
        if (!found.equals(context)) {
            throw reader.malformed("expected \"" + context + "\" but found \"" + found + "\"");
        }
    }
}
