package org.epost.durability.node;

import org.epost.durability.glacier.GlacierFigures;
import org.epost.overlay.metrics.MetricSink;

/**
 * Turns Glacier's running totals into metric counts (what changed since the last report) and its holdings into
 * distributions. Counters, not gauges, because {@link MetricSink} has none: a chart of {@code epost.glacier.fragments.held}
 * shows the last reported value. Used on the node thread only.
 */
final class MetricReporter {
    private final MetricSink metrics;
    private GlacierFigures last = new GlacierFigures(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    MetricReporter(MetricSink metrics) {
        this.metrics = metrics;
    }

    void report(GlacierFigures now) {
        metrics.record("epost.glacier.fragments.held", now.fragmentsHeld());
        metrics.record("epost.glacier.fragment.bytes", now.fragmentBytes());
        count("epost.glacier.fragments.stored", now.fragmentsStored() - last.fragmentsStored());
        count("epost.glacier.fragments.regenerated", now.fragmentsRegenerated() - last.fragmentsRegenerated());
        count("epost.glacier.fragments.handed.off", now.fragmentsHandedOff() - last.fragmentsHandedOff());
        count("epost.glacier.fragments.expired", now.fragmentsExpired() - last.fragmentsExpired());
        count("epost.glacier.fragments.bad", now.badFragments() - last.badFragments());
        count("epost.glacier.rebuilds.succeeded", now.rebuildsSucceeded() - last.rebuildsSucceeded());
        count("epost.glacier.rebuilds.failed", now.rebuildsFailed() - last.rebuildsFailed());
        count("epost.glacier.recoveries", now.recoveries() - last.recoveries());
        count("epost.glacier.audit.rounds", now.auditRounds() - last.auditRounds());
        count("epost.glacier.messages.sent", now.messagesSent() - last.messagesSent());
        count("epost.glacier.messages.maintenance", now.maintenanceMessages() - last.maintenanceMessages());
        last = now;
    }

    private void count(String name, long delta) {
        if (delta > 0) {
            metrics.count(name, delta);
        }
    }
}
