package org.epost.overlay.api;

import org.epost.overlay.metrics.MetricSink;

/** A node of the overlay, as applications see it. */
public interface Overlay {

    /**
     * Registers {@code app} under {@code name}; messages routed by the returned endpoint are delivered to the
     * application registered under the same name on the destination node.
     */
    Endpoint registerApplication(String name, Application app);

    NodeHandle localHandle();

    /** Whether the node has finished joining and routes messages. */
    boolean isReady();

    /** Where the node and its applications report their figures; {@link MetricSink#NONE} unless a host gave one. */
    default MetricSink metrics() {
        return MetricSink.NONE;
    }
}
