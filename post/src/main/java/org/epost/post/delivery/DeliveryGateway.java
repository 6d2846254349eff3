package org.epost.post.delivery;

import java.util.Optional;

/**
 * How the James-facing delivery code (SMTP hooks, mailets) reaches this peer's delivery through POST. The ePOST
 * domains are known from the configuration at once; the {@link DeliveryAgent} exists only once the peer's overlay node
 * and POST services run (and never on a peer without ePOST domains).
 */
public interface DeliveryGateway {

    /** Whether users of {@code domain} are ePOST users (the peer's {@code post.domains}). */
    boolean isEpostDomain(String domain);

    /** The delivery agent; empty while the peer starts, or without ePOST domains. */
    Optional<DeliveryAgent> agent();
}
