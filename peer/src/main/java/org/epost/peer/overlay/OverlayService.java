package org.epost.peer.overlay;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.lifecycle.api.Startable;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.OverlaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's overlay node (Pastry, PAST, Scribe), started with James and stopped with it, and the
 * {@link PeerApplication}s bound to run on it (POST, ...): started on the node before it joins the ring, stopped
 * before it closes. Absent when {@code overlay.enabled} is false.
 */
public class OverlayService implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayService.class);
    private static final long STATUS_TIMEOUT_SECONDS = 10;

    private final EpostConfiguration configuration;
    private final List<PeerApplication> applications;
    private final List<PeerApplication> started = new ArrayList<>();
    private final MetricSink metrics;
    private volatile OverlayNode node;

    /** A service whose node reports no figures (tests). */
    public OverlayService(EpostConfiguration configuration, Set<PeerApplication> applications) {
        this(configuration, applications, MetricSink.NONE);
    }

    /** @param metrics where the node and its applications report (James's registry, bound in the peer's module) */
    @Inject
    public OverlayService(EpostConfiguration configuration, Set<PeerApplication> applications, MetricSink metrics) {
        this.configuration = configuration;
        this.applications = List.copyOf(applications);
        this.metrics = metrics;
    }

    /**
     * Starts the node, then every application on it, and begins joining; a node or application that cannot start
     * (no credentials, port in use, no key vault) stops James.
     */
    public synchronized void start() throws Exception {
        Optional<OverlaySettings> settings = configuration.overlay();
        if (settings.isEmpty()) {
            LOG.info("overlay.enabled is not set: peer {} runs without the ePOST overlay", configuration.peerName());
            return;
        }
        OverlaySettings overlay = settings.get();
        NodeCredentials credentials;
        try {
            credentials = NodeCredentials.load(overlay.credentials(), overlay.credentialsPassword());
        } catch (IOException e) {
            throw new IOException("Cannot load the overlay node credentials of peer " + configuration.peerName() + " from "
                + overlay.credentials() + " (create them with EpostAdmin node-credentials): " + e.getMessage(), e);
        }
        OverlayNodeConfig nodeConfig = new OverlayNodeConfig(overlay.listen(), overlay.address(), overlay.bootstrap(),
            PastryConfig.defaults().withLeafSetSize(overlay.leafSetSize()), WireFormat.DEFAULT_MAX_FRAME_BYTES,
            configuration.dataDirectory().resolve("blocks"), overlay.storeConfig(),
            overlay.pastConfig().withStoreFairness(configuration.fairness().past()), overlay.linkBudgetBytes(),
            overlay.inboundLinks(), overlay.inboundLinksPerNode(), overlay.pendingPerAddress());
        MessageTypes types = new MessageTypes();
        // Without an application's CA no certificate block verifies (the node CA's key is not an Ed25519 key).
        PublicKey certificateBlockAuthority = credentials.authority().getPublicKey();
        for (PeerApplication application : applications) {
            application.registerMessageTypes(types);
            Optional<PublicKey> authority = application.certificateBlockAuthority(credentials);
            if (authority.isPresent()) {
                certificateBlockAuthority = authority.get();
            }
        }
        OverlayNode startedNode = OverlayNode.start(credentials, nodeConfig, types, certificateBlockAuthority,
            metrics);
        try {
            for (PeerApplication application : applications) {
                application.start(startedNode);
                started.add(application);
            }
        } catch (Exception | Error e) {
            stopApplications();
            startedNode.close();
            throw e;
        }
        node = startedNode.join();
        LOG.info("Peer {} runs overlay node {} (bootstrap {}) with {}", configuration.peerName(),
            credentials.nodeId().toHex(), overlay.bootstrap(), applications.stream().map(PeerApplication::name).toList());
    }

    /** PAST's parameters of this peer (k, degraded inserts...); empty without an overlay. */
    public Optional<PastConfig> pastConfig() {
        return configuration.overlay().map(OverlaySettings::pastConfig);
    }

    /** The node, once started; empty without an overlay, before the start and after the stop. */
    public Optional<OverlayNode> node() {
        return Optional.ofNullable(node);
    }

    /** What the node knows of the ring now; empty without an overlay. */
    public Optional<RingStatus> status() throws Exception {
        OverlayNode current = node;
        if (current == null) {
            return Optional.empty();
        }
        return Optional.of(current.status().get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @PreDestroy
    public synchronized void stop() {
        OverlayNode current = node;
        stopApplications();
        if (current != null) {
            node = null;
            current.close();
        }
    }

    private void stopApplications() {
        List<PeerApplication> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        started.clear();
        for (PeerApplication application : reverse) {
            try {
                application.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping {} failed", application.name(), e);
            }
        }
    }
}
