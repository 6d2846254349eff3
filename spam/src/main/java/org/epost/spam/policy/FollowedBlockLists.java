package org.epost.spam.policy;

import java.util.Optional;

/** The published and team lists each user follows, as their home peer last fetched them. */
public interface FollowedBlockLists {
    /** No one follows anything. */
    FollowedBlockLists NONE = (user, sender) -> Optional.empty();

    /**
     * Which list {@code user} follows blocks {@code sender} (e.g. {@code followed bob@epost.test/blocked}); empty when
     * none does, or none is fetched yet. Never waits on the ring.
     */
    Optional<String> blocking(String user, Sender sender);

    /** The lists of both, {@code first}'s named first. */
    static FollowedBlockLists both(FollowedBlockLists first, FollowedBlockLists second) {
        return (user, sender) -> first.blocking(user, sender).or(() -> second.blocking(user, sender));
    }
}
