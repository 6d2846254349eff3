package org.epost.post.store;

import java.util.Optional;

import org.epost.overlay.id.Id;

/** A part could not be stored or read. Carries the handle of the block at fault when there is one. */
public class PartStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Id handle;

    public PartStoreException(Id handle, String message, Throwable cause) {
        super(handle == null ? message : message + " (block " + handle.toHex() + ")", cause);
        this.handle = handle;
    }

    /** The block at fault: the part's top block, or one of its chunks. */
    public Optional<Id> handle() {
        return Optional.ofNullable(handle);
    }
}
