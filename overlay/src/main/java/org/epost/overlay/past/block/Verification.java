package org.epost.overlay.past.block;

import java.util.Objects;
import java.util.Optional;

/** The outcome of verifying a block: the typed block, or why it was rejected. */
public final class Verification {
    private final Block block;
    private final RejectionReason reason;
    private final String detail;

    private Verification(Block block, RejectionReason reason, String detail) {
        this.block = block;
        this.reason = reason;
        this.detail = detail;
    }

    static Verification valid(Block block) {
        return new Verification(Objects.requireNonNull(block), null, "");
    }

    static Verification rejected(RejectionReason reason, String detail) {
        return new Verification(null, Objects.requireNonNull(reason), detail);
    }

    public boolean isValid() {
        return block != null;
    }

    /** The verified block; an {@link IllegalStateException} if it was rejected. */
    public Block block() {
        if (block == null) {
            throw new IllegalStateException("Rejected block (" + reason + ": " + detail + ")");
        }
        return block;
    }

    /** The verified block if it is of {@code type}. */
    public <T extends Block> Optional<T> blockAs(Class<T> type) {
        return type.isInstance(block) ? Optional.of(type.cast(block)) : Optional.empty();
    }

    /** Why it was rejected; empty if valid. */
    public Optional<RejectionReason> reason() {
        return Optional.ofNullable(reason);
    }

    /** A human-readable explanation of the rejection, for logs. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return isValid() ? "valid " + block : "rejected " + reason + " (" + detail + ")";
    }
}
