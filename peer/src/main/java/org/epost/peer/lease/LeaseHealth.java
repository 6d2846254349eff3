package org.epost.peer.lease;

import java.time.Duration;
import java.util.Map;

import org.epost.post.lease.LeaseConfig;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.RefreshReport;

/**
 * How healthy this peer's lease refresh is, for the ePOST healthcheck. A block survives as long as one refresh
 * succeeds in each lease period; the refresh interval leaves a slack of lease minus interval for failures to be
 * retried. So:
 * <ul>
 *   <li>HEALTHY while the newest round refreshed everything it tried.</li>
 *   <li>UNHEALTHY when the peer refreshes nothing at all: {@value #ROUNDS_BEFORE_UNHEALTHY} rounds in a row failed
 *       and every current reference waits for a retry (cut off from the ring, or no holder answers).</li>
 *   <li>UNHEALTHY when references have been failing for half the slack: their blocks expire soon, or are lost
 *       already, and an admin must look.</li>
 *   <li>DEGRADED otherwise while some references wait for a retry (a holder did not answer in time).</li>
 * </ul>
 */
public final class LeaseHealth {
    public static final int ROUNDS_BEFORE_UNHEALTHY = 3;

    public enum Level { HEALTHY, DEGRADED, UNHEALTHY }

    public record Verdict(Level level, String reason) {
    }

    private LeaseHealth() {
    }

    /**
     * @param history     the refresher's recent rounds
     * @param pending     references waiting for a retry now
     * @param referenced  references the peer keeps alive now
     * @param now         the refresher's scheduler time
     */
    public static Verdict judge(RefreshHistory.Snapshot history, int pending, int referenced, long now,
                                LeaseConfig config) {
        if (history.failingRounds() == 0 || pending == 0) {
            return new Verdict(Level.HEALTHY, "lease refresh keeps up");
        }
        String example = history.lastReport().map(LeaseHealth::example).orElse("");
        long failingFor = Math.max(0, now - history.failingSince());
        if (history.failingRounds() >= ROUNDS_BEFORE_UNHEALTHY && pending >= referenced) {
            return new Verdict(Level.UNHEALTHY, "The last " + history.failingRounds() + " lease refresh rounds"
                + " refreshed nothing: all " + pending + " references of this peer wait for a retry" + example);
        }
        long halfSlack = (config.leaseMillis() - config.refreshIntervalMillis()) / 2;
        if (failingFor >= halfSlack) {
            return new Verdict(Level.UNHEALTHY, pending + " references could not be refreshed for "
                + Duration.ofMillis(failingFor) + "; their blocks expire " + Duration.ofMillis(config.leaseMillis())
                + " after their last refresh" + example);
        }
        return new Verdict(Level.DEGRADED, pending + " references failed to refresh and are retried every "
            + Duration.ofMillis(config.retryDelayMillis()) + example);
    }

    private static String example(RefreshReport report) {
        for (Map.Entry<LeaseReference, String> failure : report.failed().entrySet()) {
            return " (e.g. " + failure.getKey() + ": " + failure.getValue() + ")";
        }
        return "";
    }
}
