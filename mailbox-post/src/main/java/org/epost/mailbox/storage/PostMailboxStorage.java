package org.epost.mailbox.storage;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Username;

/**
 * How the backend finds the storage of a user's mailboxes. The peer implements it over its accounts (keys from the
 * KeyVault, PAST blocks, a FileLogViewStore under its data directory); tests over an in-memory block service.
 */
public interface PostMailboxStorage {

    /** The storage of {@code user}'s mailboxes, or empty when {@code user} has no account on this peer. */
    Optional<UserStorage> forUser(Username user);

    /**
     * Every user whose mailboxes this peer keeps: listing all mailboxes and finding a message by id look through
     * them.
     */
    Set<Username> users();

    /**
     * Where this peer keeps its users' message skeletons, sealed, so that headers are read from local disk after a
     * restart ({@code SealedSkeletonCache}); empty: skeletons are kept in memory only.
     */
    default Optional<Path> skeletonDirectory() {
        return Optional.empty();
    }
}
