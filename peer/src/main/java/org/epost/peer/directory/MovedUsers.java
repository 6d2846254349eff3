package org.epost.peer.directory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Singleton;

/**
 * Users whose keys are in this peer's vault but who were re-homed on another peer while this one was away (their
 * identity block, newer than anything this peer published, names the other home). This peer must not act as their
 * home any more: two homes would both write the user's single-writer folder logs and fork them. So they are not
 * served (no notifications, no presence) and cannot log in here; the admin removes them here once they are settled
 * on their new home. Adding or removing the user in James ends the mark (an admin's explicit decision).
 */
@Singleton
public class MovedUsers {
    private final Map<String, String> newHomes = new ConcurrentHashMap<>();

    /** {@code address} now lives on {@code newHome} (its overlay address, for messages). */
    public void moved(String address, String newHome) {
        newHomes.put(normalized(address), newHome);
    }

    /** Where {@code address} went, if it was re-homed away from this peer. */
    public Optional<String> newHomeOf(String address) {
        return Optional.ofNullable(newHomes.get(normalized(address)));
    }

    public void forget(String address) {
        newHomes.remove(normalized(address));
    }

    public int count() {
        return newHomes.size();
    }

    private static String normalized(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
