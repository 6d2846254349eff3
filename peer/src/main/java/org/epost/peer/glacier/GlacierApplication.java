package org.epost.peer.glacier;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.epost.durability.glacier.GlacierFigures;
import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.durability.node.GlacierNode;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.wire.MessageTypes;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.GlacierSettings;
import org.epost.peer.overlay.PeerApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glacier as an application of this peer's overlay node, when {@code glacier.enabled} is true: fragments kept in
 * {@code data.dir/glacier}, every immutable block this node is the root of archived once PAST replicated it, and a
 * PAST lookup that finds no replica rebuilt from fragments. Its message types are registered on every peer, so that
 * a peer without Glacier still relays them.
 */
public final class GlacierApplication implements PeerApplication {
    private static final Logger LOG = LoggerFactory.getLogger(GlacierApplication.class);
    static final String STORE_DIRECTORY = "glacier";
    private static final long FIGURES_TIMEOUT_SECONDS = 10;

    private final EpostConfiguration configuration;
    private final MetricSink metrics;
    private volatile GlacierNode running;

    @Inject
    public GlacierApplication(EpostConfiguration configuration, MetricSink metrics) {
        this.configuration = configuration;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "Glacier";
    }

    @Override
    public void registerMessageTypes(MessageTypes types) {
        GlacierMessageTypes.register(types);
    }

    @Override
    public void start(OverlayNode node) throws Exception {
        Optional<GlacierSettings> settings = configuration.glacier();
        if (settings.isEmpty()) {
            LOG.info("glacier.enabled is not set: peer {} keeps no Glacier fragments", configuration.peerName());
            return;
        }
        running = GlacierNode.start(node, configuration.dataDirectory().resolve(STORE_DIRECTORY),
            settings.get().toConfig(), metrics);
    }

    /** This peer's Glacier figures now; empty when Glacier does not run here. */
    public Optional<GlacierFigures> figures() throws Exception {
        GlacierNode current = running;
        if (current == null) {
            return Optional.empty();
        }
        return Optional.of(current.figures().get(FIGURES_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @Override
    public void stop() {
        GlacierNode current = running;
        running = null;
        if (current != null) {
            current.close();
        }
    }
}
