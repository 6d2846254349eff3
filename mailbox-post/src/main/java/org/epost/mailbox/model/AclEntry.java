package org.epost.mailbox.model;

import java.util.Objects;

/** One ACL entry of a folder as stored: James's serialized entry key (e.g. {@code bob}, {@code -bob}) and rights. */
public record AclEntry(String key, String rights) implements Comparable<AclEntry> {
    public AclEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rights, "rights");
    }

    @Override
    public int compareTo(AclEntry other) {
        return key.compareTo(other.key);
    }
}
