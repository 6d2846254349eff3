package org.epost.overlay.past.block;

import java.util.Optional;

/**
 * The three self-verifying kinds of PAST block (DESIGN.md section 4), each with the code that names it in encodings
 * and store keys and the format version of its layout.
 *
 * <p>Why one format version per kind rather than one for all blocks: the kinds change for different reasons and
 * live for different times. Content-hash blocks hold users' logs and message parts for as long as their leases are
 * refreshed, and their layout ({@code [version, 1, content]}) has nothing to add; certificates and public-key blocks
 * are the ones likely to gain fields. Versioned separately, a change to one kind's layout leaves every stored block
 * of the other kinds readable, and the reader never has to carry old layouts of kinds that did not change.
 */
public enum BlockKind {
    /** Immutable; handle = H(content). */
    CONTENT_HASH(1, ContentHashBlock.FORMAT_VERSION),
    /** Replaceable by the key owner with a higher version; handle = H(public key || label). */
    PUBLIC_KEY(2, PublicKeyBlock.FORMAT_VERSION),
    /** Signed by the CA, immutable until it expires; handle = H(name). */
    CERTIFICATE(3, CertificateBlock.FORMAT_VERSION);

    private final int code;
    private final int formatVersion;

    BlockKind(int code, int formatVersion) {
        this.code = code;
        this.formatVersion = formatVersion;
    }

    /** The tag written second in the block's encoding (after its format version), and in the store's keys. */
    public int code() {
        return code;
    }

    /**
     * The format version of this kind's layout: the first element of every block of this kind, written and accepted.
     * A block of this kind with any other version is malformed.
     */
    public int formatVersion() {
        return formatVersion;
    }

    /**
     * The kind {@code encoded} claims to be, read from its envelope ({@code [formatVersion, kind, ...]}) without
     * decoding or verifying anything else: a hint for routing untrusted bytes to the right stored copy, never a
     * substitute for {@link BlockVerifier}. Empty if the envelope is unreadable or names no known kind.
     */
    public static Optional<BlockKind> claimedBy(byte[] encoded) {
        return BlockCodec.claimedKind(encoded);
    }

    public static Optional<BlockKind> fromCode(long code) {
        for (BlockKind kind : values()) {
            if (kind.code == code) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
