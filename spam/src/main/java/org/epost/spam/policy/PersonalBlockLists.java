package org.epost.spam.policy;

/** Each user's own block list, wherever it is kept (the account log on the user's home peer). */
public interface PersonalBlockLists {
    /** The list of {@code user}; {@link BlockList#EMPTY} when they have none. */
    BlockList of(String user);

    /** Adds {@code entry} to the list of {@code user}; true when it was not there yet. */
    boolean block(String user, String entry);

    /** Removes {@code entry} from the list of {@code user}; true when it was there. */
    boolean unblock(String user, String entry);
}
