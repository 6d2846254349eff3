package org.epost.peer.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.overlay.net.NettyTransport;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;

/**
 * The {@code overlay.*} and {@code past.*} keys of epost.properties: where this peer's overlay node listens, how others
 * reach it, whom it joins through, its node credentials (created with {@code EpostAdmin node-credentials}), and how
 * much of this peer's disk PAST may fill with replicas, how far peers' clocks may differ before a lapsed lease is
 * collected, and how often PAST maintains its replicas (and collects expired blocks).
 */
public record OverlaySettings(InetSocketAddress listen, String address, List<String> bootstrap, Path credentials,
                              char[] credentialsPassword, int leafSetSize, long storeQuotaBytes, int replicas,
                              Duration clockSkew, Duration maintenanceInterval, boolean degradedInserts,
                              long linkBudgetBytes, int inboundLinks, int inboundLinksPerNode, int pendingPerAddress,
                              int discoveryPaths) {
    public static final String ENABLED = "overlay.enabled";
    public static final String LISTEN = "overlay.listen";
    public static final String ADDRESS = "overlay.address";
    public static final String BOOTSTRAP = "overlay.bootstrap";
    public static final String CREDENTIALS = "overlay.credentials";
    public static final String CREDENTIALS_PASSWORD = "overlay.credentials.password";
    public static final String LEAF_SET_SIZE = "overlay.leafset.size";
    public static final String LINK_BUDGET = "overlay.links.budget";
    public static final String INBOUND_LINKS = "overlay.links.inbound";
    public static final String LINKS_PER_NODE = "overlay.links.per-node";
    public static final String PENDING_PER_ADDRESS = "overlay.links.pending-per-address";
    public static final String STORE_QUOTA = "past.store.quota";
    public static final String REPLICAS = "past.replicas";
    public static final String CLOCK_SKEW = "past.clock-skew";
    public static final String MAINTENANCE_INTERVAL = "past.maintenance-interval";
    public static final String DEGRADED_INSERTS = "past.degraded-inserts";
    public static final String DISCOVERY_PATHS = "past.discovery-paths";
    public static final List<String> KEYS = List.of(ENABLED, LISTEN, ADDRESS, BOOTSTRAP, CREDENTIALS, CREDENTIALS_PASSWORD,
        LEAF_SET_SIZE, LINK_BUDGET, INBOUND_LINKS, LINKS_PER_NODE, PENDING_PER_ADDRESS, STORE_QUOTA, REPLICAS, CLOCK_SKEW, MAINTENANCE_INTERVAL, DEGRADED_INSERTS,
        DISCOVERY_PATHS);
    static final String DEFAULT_STORE_QUOTA = "10G";
    static final String DEFAULT_LINK_BUDGET = "256M";

    static final String DEFAULT_LISTEN = "0.0.0.0:7650";
    static final String DEFAULT_CREDENTIALS = "conf/epost-node.p12";

    /** Empty when {@code overlay.enabled} is not true: the peer then runs as a stand-alone James server. */
    public static Optional<OverlaySettings> from(Configuration properties, Path workingDirectory) throws ConfigurationException {
        if (!properties.getBoolean(ENABLED, false)) {
            return Optional.empty();
        }
        String listenText = properties.getString(LISTEN, DEFAULT_LISTEN).trim();
        InetSocketAddress listen = socketAddress(LISTEN, listenText);
        String address = properties.getString(ADDRESS, "").trim();
        if (address.isEmpty()) {
            if (listen.getAddress() == null || listen.getAddress().isAnyLocalAddress()) {
                throw new ConfigurationException(ADDRESS + " must say how other peers reach this one (host:port) when "
                    + LISTEN + " is a wildcard address (" + listenText + ")");
            }
            address = listenText;
        }
        socketAddress(ADDRESS, address);
        List<String> bootstrap = Arrays.stream(properties.getStringArray(BOOTSTRAP))
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(String::trim)
            .filter(value -> !value.isEmpty())
            .toList();
        for (String entry : bootstrap) {
            socketAddress(BOOTSTRAP, entry);
        }
        String password = properties.getString(CREDENTIALS_PASSWORD, "");
        if (password.isEmpty()) {
            throw new ConfigurationException(CREDENTIALS_PASSWORD + " is required when " + ENABLED + "=true");
        }
        int leafSetSize = properties.getInt(LEAF_SET_SIZE, 16);
        if (leafSetSize < 2 || leafSetSize % 2 != 0 || leafSetSize > 64) {
            throw new ConfigurationException(LEAF_SET_SIZE + " must be an even number from 2 to 64, not " + leafSetSize);
        }
        Path credentials = workingDirectory.resolve(properties.getString(CREDENTIALS, DEFAULT_CREDENTIALS).trim()).normalize();
        long quota = SizeSetting.positive(properties, STORE_QUOTA, DEFAULT_STORE_QUOTA);
        int replicas = properties.getInt(REPLICAS, 3);
        if (replicas < 1 || replicas > leafSetSize / 2 + 1) {
            throw new ConfigurationException(REPLICAS + " must be from 1 to half the leaf set plus one (" + (leafSetSize / 2 + 1) + ")");
        }
        Duration clockSkew = DurationSetting.nonNegative(properties, CLOCK_SKEW,
            Duration.ofMillis(StoreConfig.DEFAULT_CLOCK_SKEW_MILLIS));
        Duration maintenance = DurationSetting.positive(properties, MAINTENANCE_INTERVAL,
            Duration.ofMillis(PastConfig.defaults().maintenanceIntervalMillis()));
        boolean degraded = properties.getBoolean(DEGRADED_INSERTS, false);
        return Optional.of(new OverlaySettings(listen, address, bootstrap, credentials, password.toCharArray(), leafSetSize,
            quota, replicas, clockSkew, maintenance, degraded, SizeSetting.positive(properties, LINK_BUDGET, DEFAULT_LINK_BUDGET),
            positiveInt(properties, INBOUND_LINKS, NettyTransport.Config.DEFAULT_MAX_INBOUND_LINKS),
            positiveInt(properties, LINKS_PER_NODE, NettyTransport.Config.DEFAULT_INBOUND_LINKS_PER_NODE),
            positiveInt(properties, PENDING_PER_ADDRESS, NettyTransport.Config.DEFAULT_PENDING_PER_ADDRESS),
            positiveInt(properties, DISCOVERY_PATHS, PastConfig.defaults().discoveryPaths())));
    }

    private static int positiveInt(Configuration properties, String key, int defaultValue) throws ConfigurationException {
        return CountSetting.positiveInt(properties, key, defaultValue, Integer.MAX_VALUE);
    }

    /** The block store's limits: the quota and the clock-skew tolerance of lease expiry. */
    public StoreConfig storeConfig() {
        return new StoreConfig(storeQuotaBytes, StoreConfig.DEFAULT_MAX_LEASE_MILLIS, clockSkew.toMillis());
    }

    /**
     * PAST's parameters: k replicas, maintenance (and expiry collection) every maintenance interval, and whether
     * inserts may succeed on fewer than k nodes; how many paths a far handle's holders are asked along.
     */
    public PastConfig pastConfig() {
        return PastConfig.defaults().withReplicas(replicas).withMaintenanceIntervalMillis(maintenanceInterval.toMillis())
            .withDegradedInserts(degradedInserts).withDiscoveryPaths(discoveryPaths);
    }

    private static InetSocketAddress socketAddress(String key, String hostPort) throws ConfigurationException {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigurationException(key + " must be host:port, not '" + hostPort + "'");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " has no valid port: '" + hostPort + "'");
        }
    }

    @Override
    public String toString() {
        return "OverlaySettings{listen=" + listen + ", address=" + address + ", bootstrap=" + bootstrap
            + ", credentials=" + credentials + ", leafSetSize=" + leafSetSize + ", storeQuotaBytes=" + storeQuotaBytes
            + ", replicas=" + replicas + ", clockSkew=" + clockSkew + ", maintenanceInterval=" + maintenanceInterval
            + ", linkBudgetBytes=" + linkBudgetBytes + ", inboundLinks=" + inboundLinks + ", inboundLinksPerNode=" + inboundLinksPerNode
            + ", pendingPerAddress=" + pendingPerAddress + ", discoveryPaths=" + discoveryPaths + "}";
    }
}
