package org.epost.overlay.past.block;

import java.util.Optional;

/** The three self-verifying kinds of PAST block (DESIGN.md section 4), with the tag that starts their encoding. */
public enum BlockKind {
    /** Immutable; handle = H(content). */
    CONTENT_HASH(1),
    /** Replaceable by the key owner with a higher version; handle = H(public key || label). */
    PUBLIC_KEY(2),
    /** Signed by the CA, immutable until it expires; handle = H(name). */
    CERTIFICATE(3);

    private final int code;

    BlockKind(int code) {
        this.code = code;
    }

    /** The tag written as the first element of the block's encoding, and in the store's keys. */
    public int code() {
        return code;
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
