package org.epost.overlay.past.store;

/** The store's disk failed or is corrupt: not an answer about a block, but a broken node. */
public final class BlockStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BlockStoreException(String message) {
        super(message);
    }

    public BlockStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
