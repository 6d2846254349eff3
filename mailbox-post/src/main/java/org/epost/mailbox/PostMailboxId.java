package org.epost.mailbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MailboxId;
import org.epost.mailbox.model.FolderId;

/**
 * A mailbox of this backend: the owner (whose account log lists the folder and whose keys sign its log) and the
 * folder's immutable id. Serialized as {@code <32 hex digits>-<owner, base64url without padding>}: only characters
 * JMAP allows in ids, and the owner comes back without a lookup.
 */
public final class PostMailboxId implements MailboxId {
    private static final int HEX = 2 * FolderId.BYTES;

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
        return folder.toHex() + "-"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(owner.asString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code serialized} is not a serialized {@link PostMailboxId} */
    public static PostMailboxId parse(String serialized) {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length() < HEX + 2 || serialized.charAt(HEX) != '-') {
            throw new IllegalArgumentException("not an ePOST mailbox id: " + serialized);
        }
        FolderId folder = FolderId.fromHex(serialized.substring(0, HEX));
        String encodedOwner = serialized.substring(HEX + 1);
        byte[] owner;
        try {
            owner = Base64.getUrlDecoder().decode(encodedOwner);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an ePOST mailbox id (owner is not base64url): " + serialized, e);
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(owner).equals(encodedOwner)) {
            throw new IllegalArgumentException("not an ePOST mailbox id (owner not canonically encoded): " + serialized);
        }
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
