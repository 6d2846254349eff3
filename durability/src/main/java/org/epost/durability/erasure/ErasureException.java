package org.epost.durability.erasure;

/** Fragments that cannot rebuild an object: too few, out of range, or of the wrong size. */
public final class ErasureException extends Exception {
    private static final long serialVersionUID = 1L;

    public ErasureException(String message) {
        super(message);
    }
}
