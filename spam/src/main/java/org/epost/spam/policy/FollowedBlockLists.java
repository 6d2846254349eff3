package org.epost.spam.policy;

import java.util.Map;

/** The published lists each user follows, as their home peer last fetched them. */
public interface FollowedBlockLists {
    /** No one follows anything. */
    FollowedBlockLists NONE = user -> Map.of();

    /** The lists {@code user} follows and their entries (empty until fetched); never waits on the ring. */
    Map<ListRef, BlockList> of(String user);
}
