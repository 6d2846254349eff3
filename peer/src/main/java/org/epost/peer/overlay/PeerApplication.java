package org.epost.peer.overlay;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Optional;

import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;

/**
 * An application that runs on this peer's overlay node (POST now; Glacier, spam filtering, interoperability later).
 * The {@link OverlayService} owns the node: it asks every bound application for what the node needs before it
 * starts, starts each application on the started node before the node joins (so that no message of the ring finds an
 * application missing), and stops them, in reverse order, before it closes the node. Applications are bound with a
 * Guice multibinder in the peer's module; an application that has nothing to run with the peer's configuration does
 * nothing in {@link #start}.
 */
public interface PeerApplication {

    /** A name for the logs. */
    String name();

    /** Adds the wire message types this application sends and receives (called before the node starts). */
    default void registerMessageTypes(MessageTypes types) {
    }

    /**
     * The key that signs the certificate blocks this application stores in PAST, if it stores any (PAST then stores
     * and serves only certificate blocks it signed); called before the node starts.
     *
     * @param credentials the node's credentials (its organization's node CA)
     */
    default Optional<PublicKey> certificateBlockAuthority(NodeCredentials credentials) throws IOException {
        return Optional.empty();
    }

    /** Starts on {@code node}: started and listening, not joined yet. A failure stops the peer's start. */
    void start(OverlayNode node) throws Exception;

    /** Stops what {@link #start} started, before the node closes; does nothing if it did not start. */
    void stop();
}
