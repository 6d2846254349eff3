package org.epost.spam.policy;

/**
 * Each user's allow list: senders (addresses or {@code @domain}) who need no first-contact puzzle and are never junked
 * by the user's own block list. The same kind of list as a block list, kept beside it.
 */
@FunctionalInterface
public interface AllowLists {
    /** The allow list of {@code user}; {@link BlockList#EMPTY} when they have none. */
    BlockList of(String user);

    /** Whether {@code user}'s list names {@code address} or its {@code @domain}. */
    default boolean allows(String user, String address) {
        BlockList list = of(user);
        Sender sender = Sender.external(address);
        return list.entries().contains(sender.address()) || list.entries().contains("@" + sender.domain());
    }
}
