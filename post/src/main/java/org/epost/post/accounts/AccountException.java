package org.epost.post.accounts;

import java.util.Objects;

import org.epost.overlay.past.block.RejectionReason;

/**
 * An account operation failed, with a machine-readable {@link Reason}. Verification failures of blocks read from
 * PAST are reported here rather than silently skipped: a caller (or an operator) must be able to tell "no such user"
 * from "somebody served a forged or rolled-back block".
 */
public class AccountException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The address is not a usable address. */
        INVALID_ADDRESS,
        /** No certificate (or no identity block) is stored for the address. */
        NOT_FOUND,
        /** Not in the canonical encoding, or fields out of bounds. */
        MALFORMED,
        /** A certificate not signed by the user CA, or an identity block whose signature does not verify. */
        BAD_SIGNATURE,
        /** An identity block signed by a key other than the certified signing key, or naming another address. */
        WRONG_KEY,
        /** The certificate is past its notAfter (beyond the tolerated clock skew). */
        EXPIRED,
        /** The certificate's signing key is on the organization's revocation list. */
        REVOKED,
        /** An identity version older than one this peer already accepted or published: a rollback. */
        STALE_VERSION,
        /** Two different identity blocks signed for the newest version. */
        EQUIVOCATION,
        /** The address is already certified to other keys (another home peer, or keys lost): until it expires. */
        ADDRESS_TAKEN,
        /** PAST did not store a block (full, timeout, rejected) or the lookup failed. */
        STORAGE_FAILED,
        /** This peer holds no private keys for the address. */
        NO_LOCAL_KEYS,
        /** The local key vault could not be read or written. */
        VAULT
    }

    private final Reason reason;

    public AccountException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public AccountException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The account reason for a PAST verification rejection. */
    static Reason fromRejection(RejectionReason rejection) {
        switch (rejection) {
            case BAD_SIGNATURE:
                return Reason.BAD_SIGNATURE;
            case WRONG_HANDLE:
            case UNEXPECTED_KIND:
                return Reason.WRONG_KEY;
            case EXPIRED_CERTIFICATE:
                return Reason.EXPIRED;
            case STALE_VERSION:
                return Reason.STALE_VERSION;
            case EQUIVOCATION:
                return Reason.EQUIVOCATION;
            case CERTIFICATE_CONFLICT:
                return Reason.ADDRESS_TAKEN;
            case LEASE_EXPIRED:
                return Reason.STORAGE_FAILED;
            default:
                return Reason.MALFORMED;
        }
    }
}
