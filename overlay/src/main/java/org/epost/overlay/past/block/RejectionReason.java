package org.epost.overlay.past.block;

/** Why a block was refused, by a verifier, a reader choosing among replicas, or a store. */
public enum RejectionReason {
    /**
     * Not a block in canonical encoding: garbage, truncated, trailing bytes, unknown kind, a format version other than
     * its kind's, undecodable key.
     */
    MALFORMED,
    /** Longer than the limits allow (content, payload, label, name or the whole encoding). */
    OVERSIZED,
    /** A valid block, but not of the kind the caller asked for. */
    UNEXPECTED_KIND,
    /**
     * A content-hash block whose content does not hash to the handle. Tampered content and a wrong handle are the
     * same thing for a self-certifying block: neither side can be trusted over the other.
     */
    CONTENT_HASH_MISMATCH,
    /** The public key and label (public-key block) or the name (certificate) do not hash to the expected handle. */
    WRONG_HANDLE,
    /** The signature does not verify: tampered fields, signed by another key, or a certificate not signed by the CA. */
    BAD_SIGNATURE,
    /** A certificate past its notAfter (beyond the tolerated clock skew). */
    EXPIRED_CERTIFICATE,
    /** A public-key block older than one already seen or stored: no rollback. */
    STALE_VERSION,
    /** Two different public-key blocks with the same key, label and version: the owner (or its key) misbehaves. */
    EQUIVOCATION,
    /** A different certificate for a name whose stored certificate has not expired: certificates are immutable. */
    CERTIFICATE_CONFLICT,
    /** A store was asked to keep a block with a lease that has already run out. */
    LEASE_EXPIRED
}
