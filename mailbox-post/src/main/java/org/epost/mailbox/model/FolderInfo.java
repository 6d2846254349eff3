package org.epost.mailbox.model;

import java.util.List;
import java.util.Objects;

/**
 * A folder as the account log knows it: its id (the key of its own log), its path within the owner's account
 * (namespace and name), its UIDVALIDITY and its ACL (entries sorted by key).
 */
public record FolderInfo(FolderId id, String namespace, String name, long uidValidity, List<AclEntry> acl) {
    public FolderInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (uidValidity <= 0) {
            throw new IllegalArgumentException("UIDVALIDITY is positive: " + uidValidity);
        }
        acl = acl.stream().sorted().toList();
        for (int i = 1; i < acl.size(); i++) {
            if (acl.get(i).key().equals(acl.get(i - 1).key())) {
                throw new IllegalArgumentException("two ACL entries for " + acl.get(i).key());
            }
        }
    }

    public FolderPath path() {
        return new FolderPath(namespace, name);
    }

    FolderInfo renamed(String newNamespace, String newName) {
        return new FolderInfo(id, newNamespace, newName, uidValidity, acl);
    }

    FolderInfo withAcl(List<AclEntry> newAcl) {
        return new FolderInfo(id, namespace, name, uidValidity, newAcl);
    }

    /** A folder's place in its owner's account. */
    public record FolderPath(String namespace, String name) {
        public FolderPath {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }
}
