package org.epost.post.store;

import org.epost.overlay.id.Id;

/**
 * A block of the part was found (and verified by PAST against its handle) but is not what the reference promises:
 * it does not decrypt/authenticate under the reference's key, a manifest is malformed or lies about lengths, or a
 * chunk's length differs from its manifest entry. Never returned as data.
 */
public final class CorruptPartException extends PartStoreException {
    private static final long serialVersionUID = 1L;

    public CorruptPartException(Id handle, String message, Throwable cause) {
        super(handle, message, cause);
    }
}
