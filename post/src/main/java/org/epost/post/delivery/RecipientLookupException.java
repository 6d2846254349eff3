package org.epost.post.delivery;

/** Whether an address is an ePOST account could not be told now (the ring did not answer): a temporary failure. */
public final class RecipientLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecipientLookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
