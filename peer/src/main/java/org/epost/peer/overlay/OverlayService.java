package org.epost.peer.overlay;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.lifecycle.api.Startable;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.peer.EpostConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's overlay node, started with James and stopped with it. Absent when {@code overlay.enabled} is false.
 * Later issues register PAST, Scribe and POST on it before it joins.
 */
public class OverlayService implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayService.class);
    private static final long STATUS_TIMEOUT_SECONDS = 10;

    private final EpostConfiguration configuration;
    private volatile OverlayNode node;

    @Inject
    public OverlayService(EpostConfiguration configuration) {
        this.configuration = configuration;
    }

    /** Starts the node and begins joining; a node that cannot start (no credentials, port in use) stops James. */
    public void start() throws Exception {
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
            configuration.dataDirectory().resolve("blocks"), StoreConfig.withQuota(overlay.storeQuotaBytes()),
            PastConfig.defaults().withReplicas(overlay.replicas()));
        node = OverlayNode.start(credentials, nodeConfig, new MessageTypes()).join();
        LOG.info("Peer {} runs overlay node {} (bootstrap {})", configuration.peerName(), credentials.nodeId().toHex(), overlay.bootstrap());
    }

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
    public void stop() {
        OverlayNode current = node;
        if (current != null) {
            node = null;
            current.close();
        }
    }
}
