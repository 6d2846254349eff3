package org.epost.overlay.node;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.pastry.PastryConfig;

/**
 * How one overlay node runs on a real network.
 *
 * @param listen             where the node accepts links
 * @param advertisedAddress  "host:port" other nodes reach it by
 * @param bootstrap          "host:port" of nodes that may already be in the ring; the node joins through the first
 *                           that answers (its own address, if listed, is skipped)
 * @param pastry             Pastry parameters (leaf-set size, timers)
 * @param maxFrameBytes      the largest wire frame accepted or sent
 */
public record OverlayNodeConfig(InetSocketAddress listen, String advertisedAddress, List<String> bootstrap,
                                PastryConfig pastry, int maxFrameBytes) {
    public OverlayNodeConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        bootstrap = List.copyOf(bootstrap);
        Objects.requireNonNull(pastry, "pastry");
    }
}
