package org.epost.interop.migration;

/** A migration cannot start or go on; the message says why in words an admin can act on. */
public final class MigrationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whose fault: the request (bad credentials, unreachable host), a migration already running, or this peer. */
    public enum Reason { BAD_REQUEST, ALREADY_RUNNING, FAILED }

    private final Reason reason;

    public MigrationException(String message, Reason reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
