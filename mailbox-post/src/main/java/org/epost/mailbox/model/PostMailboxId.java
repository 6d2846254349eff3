package org.epost.mailbox.model;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MailboxId;

/**
 * A mailbox of this backend: the owner (whose account log lists the folder and whose keys sign its log) and the
 * folder's immutable id. Serialized as {@code <folder, 32 hex digits>-<owner's UTF-8 bytes in hex>}, upper case:
 * only characters JMAP allows in ids, the owner comes back without a lookup, and the form survives upper-casing,
 * which James's Lucene search index applies to the mailbox ids it stores (and not to the ones it searches for).
 */
public final class PostMailboxId implements MailboxId {
    private static final int HEX = 2 * FolderId.BYTES;
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private final Username owner;
    private final FolderId folder;

    public PostMailboxId(Username owner, FolderId folder) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    public Username owner() {
        return owner;
    }

    public FolderId folder() {
        return folder;
    }

    @Override
    public String serialize() {
        return UPPER_HEX.formatHex(folder.toBytes()) + "-"
            + UPPER_HEX.formatHex(owner.asString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code serialized} is not a serialized {@link PostMailboxId} */
    public static PostMailboxId parse(String serialized) {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length() < HEX + 2 || serialized.charAt(HEX) != '-') {
            throw new IllegalArgumentException("not an ePOST mailbox id: " + serialized);
        }
        // one serialized form per id: lower-case hex is refused rather than silently accepted
        if (!serialized.matches("[0-9A-F]{" + HEX + "}-([0-9A-F]{2})+")) {
            throw new IllegalArgumentException("not an ePOST mailbox id (not upper-case hex): " + serialized);
        }
        FolderId folder = FolderId.of(UPPER_HEX.parseHex(serialized.substring(0, HEX)));
        byte[] owner = UPPER_HEX.parseHex(serialized.substring(HEX + 1));
        return new PostMailboxId(Username.of(new String(owner, StandardCharsets.UTF_8)), folder);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostMailboxId other && owner.equals(other.owner) && folder.equals(other.folder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, folder);
    }

    @Override
    public String toString() {
        return serialize();
    }

    /** James's factory for this backend's mailbox ids. */
    public static final class Factory implements MailboxId.Factory {
        @Override
        public MailboxId fromString(String serialized) {
            return parse(serialized);
        }
    }
}
