package org.epost.overlay.node;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.net.NettyTransport;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
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
 * @param blockStore         the directory of this node's PAST block store (RocksDB)
 * @param store              the block store's quota and lease bounds
 * @param past               PAST parameters (replicas k, timeouts, maintenance interval)
 * @param linkBudgetBytes    what all links together may hold waiting for slow peers (bulk refused at half)
 * @param inboundLinks       links other nodes may hold open to this one at once (the inbound cap)
 * @param inboundLinksPerNode inbound links one certified node may hold open to this one (its oldest closed beyond)
 * @param pendingPerAddress  inbound connections from one address that may be waiting for their hello at once
 */
public record OverlayNodeConfig(InetSocketAddress listen, String advertisedAddress, List<String> bootstrap,
                                PastryConfig pastry, int maxFrameBytes, Path blockStore, StoreConfig store, PastConfig past,
                                long linkBudgetBytes, int inboundLinks, int inboundLinksPerNode, int pendingPerAddress) {
    public OverlayNodeConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        bootstrap = List.copyOf(bootstrap);
        Objects.requireNonNull(pastry, "pastry");
        Objects.requireNonNull(blockStore, "blockStore");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(past, "past");
        if (linkBudgetBytes < 1 || inboundLinks < 1 || inboundLinksPerNode < 1 || pendingPerAddress < 1) {
            throw new IllegalArgumentException("linkBudgetBytes, inboundLinks, inboundLinksPerNode and pendingPerAddress"
                + " must be positive");
        }
    }

    /** With the default shares of the inbound link cap. */
    public OverlayNodeConfig(InetSocketAddress listen, String advertisedAddress, List<String> bootstrap,
                             PastryConfig pastry, int maxFrameBytes, Path blockStore, StoreConfig store, PastConfig past,
                             long linkBudgetBytes) {
        this(listen, advertisedAddress, bootstrap, pastry, maxFrameBytes, blockStore, store, past, linkBudgetBytes,
            NettyTransport.Config.DEFAULT_MAX_INBOUND_LINKS, NettyTransport.Config.DEFAULT_INBOUND_LINKS_PER_NODE, NettyTransport.Config.DEFAULT_PENDING_PER_ADDRESS);
    }

    /** With the default budget for links ({@link NettyTransport.Config#DEFAULT_LINK_BUDGET_BYTES}). */
    public OverlayNodeConfig(InetSocketAddress listen, String advertisedAddress, List<String> bootstrap,
                             PastryConfig pastry, int maxFrameBytes, Path blockStore, StoreConfig store, PastConfig past) {
        this(listen, advertisedAddress, bootstrap, pastry, maxFrameBytes, blockStore, store, past,
            NettyTransport.Config.DEFAULT_LINK_BUDGET_BYTES);
    }
}
