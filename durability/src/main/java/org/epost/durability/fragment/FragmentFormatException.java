package org.epost.durability.fragment;

import org.epost.overlay.wire.CanonicalCborReader;

/** Bytes that are not a well-formed, canonical fragment or manifest of a version this code reads. */
public final class FragmentFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    static final CanonicalCborReader.Failures<FragmentFormatException> FAILURES =
        (oversized, message, cause) -> new FragmentFormatException(message, cause);

    public FragmentFormatException(String message) {
        super(message);
    }

    FragmentFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
