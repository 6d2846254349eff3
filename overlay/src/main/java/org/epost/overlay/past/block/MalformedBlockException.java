package org.epost.overlay.past.block;

import org.epost.overlay.wire.CanonicalCborReader;

/**
 * Bytes that are not a block in canonical encoding within the limits. Never leaves this package: the verifier turns
 * it into a rejection with {@link #reason()} ({@link RejectionReason#MALFORMED} or {@link RejectionReason#OVERSIZED}).
 */
final class MalformedBlockException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How the shared CBOR reader reports malformed block bytes. */
    static final CanonicalCborReader.Failures<MalformedBlockException> CBOR = (oversized, message, cause) ->
        cause != null ? new MalformedBlockException(message, cause)
            : new MalformedBlockException(oversized ? RejectionReason.OVERSIZED : RejectionReason.MALFORMED, message);

    private final RejectionReason reason;

    MalformedBlockException(String message) {
        this(RejectionReason.MALFORMED, message);
    }

    MalformedBlockException(RejectionReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    MalformedBlockException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.reason = RejectionReason.MALFORMED;
    }

    RejectionReason reason() {
        return reason;
    }
}
