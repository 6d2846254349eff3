package org.epost.post.accounts;

import java.io.IOException;
import java.util.Objects;

/** The key vault could not be opened, read or written; {@link #kind()} says whether that is an attack or an I/O fault. */
public final class KeyVaultException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The peer secret is not the one this vault was created with (or vault.meta was altered). */
        WRONG_SECRET,
        /** An entry does not authenticate: altered, truncated, or moved from another user's file. */
        TAMPERED,
        /** The file system failed. */
        IO
    }

    private final Kind kind;

    KeyVaultException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = Objects.requireNonNull(kind);
    }

    KeyVaultException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }
}
