package org.epost.durability.glacier.store;

/** The fragment store cannot read or write its disk (or its records are corrupt beyond one entry). */
public final class FragmentStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FragmentStoreException(String message) {
        super(message);
    }

    public FragmentStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
