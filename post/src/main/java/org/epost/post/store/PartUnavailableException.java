package org.epost.post.store;

import org.epost.overlay.id.Id;

/** No replica of a block of the part could be found (lost, expired, or never stored). */
public final class PartUnavailableException extends PartStoreException {
    private static final long serialVersionUID = 1L;

    public PartUnavailableException(Id handle, String message, Throwable cause) {
        super(handle, message, cause);
    }
}
