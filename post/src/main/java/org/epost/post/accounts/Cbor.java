package org.epost.post.accounts;

import java.util.Arrays;

import org.epost.overlay.wire.CanonicalCborReader;

/**
 * The accounts layer's canonical CBOR: the overlay's {@link CanonicalCborReader} and
 * {@link org.epost.overlay.wire.CanonicalCborWriter}, with malformed input reported as {@link FormatException}, and
 * the rule that a decoded value must re-encode to exactly its input ({@link #requireCanonical}), so every accepted
 * value has exactly one byte representation.
 */
final class Cbor {
    private Cbor() {
    }

    /** Malformed, non-canonical or out-of-bounds input. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }

        FormatException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }

    static void requireCanonical(byte[] input, byte[] reencoded) throws FormatException {
        if (!Arrays.equals(input, reencoded)) {
            throw new FormatException("not the canonical encoding");
        }
    }

    /** A strict reader of {@code input} reporting malformed input as {@link FormatException}. */
    static CanonicalCborReader<FormatException> reader(byte[] input) throws FormatException {
        return new CanonicalCborReader<>(input, (oversized, message, cause) ->
            cause == null ? new FormatException(message) : new FormatException(message, cause));
    }
}
