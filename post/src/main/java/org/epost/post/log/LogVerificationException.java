package org.epost.post.log;

/**
 * Something fetched for a log did not verify. The log is not opened: a reader never returns a view built on a block it
 * could not authenticate.
 */
public final class LogVerificationException extends LogException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The head is not a public-key block of the expected owner key and label. */
        FOREIGN_HEAD,
        /** The newest head offered is older than one this reader accepted before (or vanished after being seen). */
        ROLLBACK,
        /** Replicas hold two different heads with the same version. */
        EQUIVOCATION,
        /** A head payload that does not parse. */
        MALFORMED_HEAD,
        /** A block the head (transitively) references is on no replica. */
        MISSING_BLOCK,
        /** A cluster, snapshot or the log key does not decrypt/authenticate under the owner's keys. */
        UNDECRYPTABLE,
        /** A block that decrypts but does not parse. */
        MALFORMED_BLOCK,
        /** Clusters whose sequence numbers do not join up, or a chain that ends before record 0. */
        BROKEN_CHAIN,
        /** The replayed records do not hash to the digest the signed head carries. */
        DIGEST_MISMATCH
    }

    private final Reason reason;

    public LogVerificationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public LogVerificationException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
