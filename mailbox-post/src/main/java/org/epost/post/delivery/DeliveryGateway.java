package org.epost.post.delivery;

import java.util.Optional;

/**
 * How the James-facing delivery code (SMTP hooks, mailets) reaches this peer's {@link DeliveryAgent}, which exists
 * only once the peer's overlay node and POST services run: empty before, and on a peer without ePOST domains.
 */
@FunctionalInterface
public interface DeliveryGateway {
    Optional<DeliveryAgent> agent();
}
