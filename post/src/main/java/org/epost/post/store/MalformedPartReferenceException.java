package org.epost.post.store;

/** Bytes that are not the canonical encoding of a {@link PartReference}. */
public final class MalformedPartReferenceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedPartReferenceException(String message) {
        super("malformed part reference: " + message);
    }
}
