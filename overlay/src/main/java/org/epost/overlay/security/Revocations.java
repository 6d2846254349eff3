package org.epost.overlay.security;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.epost.overlay.id.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation list a peer currently enforces: the newest list signed by its organization authority that it has
 * been offered (from PAST, the admin's upload, or its own saved copy). Read on I/O threads (links) and service threads
 * (notifications) alike, so the current list is a volatile reference to an immutable value. Whoever must act on a new
 * list (the transport closes links of newly revoked nodes) subscribes with {@link #onAdopted}.
 */
public final class Revocations {
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    /** What became of a list offered to {@link #offer}. */
    public enum Outcome {
        /** Verified and newer than the one held: now enforced. */
        ADOPTED,
        /** Verified, but not newer than the one held (a replay, or the same list again): ignored. */
        NOT_NEWER,
        /** Not signed by this organization's authority: ignored (and logged). */
        NOT_SIGNED
    }

    private final PublicKey authority;
    private final List<Consumer<RevocationList>> listeners = new CopyOnWriteArrayList<>();
    private volatile RevocationList current;

    /** @param authority the organization CA's public key (from {@code ca.pem}) that lists must be signed by */
    public Revocations(PublicKey authority) {
        this.authority = Objects.requireNonNull(authority, "authority");
    }

    public synchronized Outcome offer(RevocationList list) {
        if (!list.signedBy(authority)) {
            LOG.warn("Ignored {}: not signed by the organization authority", list);
            return Outcome.NOT_SIGNED;
        }
        RevocationList held = current;
        if (held != null && list.number() <= held.number()) {
            return Outcome.NOT_NEWER;
        }
        current = list;
        LOG.info("Enforcing {}", list);
        for (Consumer<RevocationList> listener : listeners) {
            listener.accept(list);
        }
        return Outcome.ADOPTED;
    }

    public Optional<RevocationList> current() {
        return Optional.ofNullable(current);
    }

    public boolean nodeRevoked(Id nodeId) {
        RevocationList list = current;
        return list != null && list.revokesNode(nodeId);
    }

    public boolean userKeyRevoked(PublicKey userSigningKey) {
        RevocationList list = current;
        return list != null && list.revokesUserKey(RevocationList.userKeyHash(userSigningKey));
    }

    /** Runs {@code listener} with every list adopted from now on (on the thread that offered it). */
    public void onAdopted(Consumer<RevocationList> listener) {
        listeners.add(listener);
    }
}
