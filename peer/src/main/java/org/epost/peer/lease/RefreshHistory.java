package org.epost.peer.lease;

import java.util.Optional;
import java.util.function.Consumer;

import org.epost.post.lease.RefreshReport;

/**
 * What the peer's lease refresh rounds amounted to lately: the last report, and the current streak of rounds that
 * left references unrefreshed (how many rounds, since when). Fed by the {@link org.epost.post.lease.LeaseRefresher}
 * after every round, full or retry; read by the status route and the healthcheck from other threads.
 */
public final class RefreshHistory implements Consumer<RefreshReport> {

    /**
     * @param lastReport    the newest round's report, if any round finished
     * @param failingRounds consecutive rounds, up to the newest, that failed to refresh something (0: the newest
     *                      round refreshed everything it tried)
     * @param failingSince  when the first of those rounds started (scheduler time); meaningless when none failed
     */
    public record Snapshot(Optional<RefreshReport> lastReport, int failingRounds, long failingSince) {
    }

    private RefreshReport lastReport;
    private int failingRounds;
    private long failingSince;

    @Override
    public synchronized void accept(RefreshReport report) {
        lastReport = report;
        if (report.allRefreshed()) {
            failingRounds = 0;
            return;
        }
        if (failingRounds == 0) {
            failingSince = report.startedAt();
        }
        failingRounds++;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(Optional.ofNullable(lastReport), failingRounds, failingSince);
    }
}
