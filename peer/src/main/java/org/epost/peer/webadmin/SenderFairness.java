package org.epost.peer.webadmin;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.fair.FairLimits;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.past.protocol.StoreAdmissionFigures;
import org.epost.peer.config.FairnessSettings;
import org.epost.post.notify.NotificationService;

/**
 * The {@code fairness} part of {@code /epost/status} (issue #15): how this peer shared its work among the nodes asking
 * for it since start. PAST blocks to store wait per sending node and are refused over a node's queue share or its
 * budget per minute; delegations are refused over a node's budget per minute; notifications delivered are opened in
 * turns per delivering node and dropped over its share.
 *
 * @param pastStores            blocks to store: started, in flight, waiting, refused (budget, queue)
 * @param delegationsOverBudget delegations refused because their sending node was over its budget per minute
 * @param notificationsBusy     delivered notifications dropped because their node had its share waiting to be opened
 * @param pastLimits            the limits in force for blocks to store ({@code past.fair.*})
 * @param postLimits            the limits in force for boxes to open and delegations to keep ({@code post.fair.*})
 */
public record SenderFairness(StoreAdmissionFigures pastStores, long delegationsOverBudget, long notificationsBusy,
                             FairLimits pastLimits, FairLimits postLimits) {

    /** Read on the node thread (PAST's figures live there); the notification figures only when POST runs. */
    static SenderFairness of(OverlayNode node, NotificationService notifications, FairnessSettings limits)
            throws Exception {
        StoreAdmissionFigures past = node.onNodeThread(() -> node.past().admission()).get(10, TimeUnit.SECONDS);
        Map<String, Long> counters = notifications == null ? Map.of()
            : node.onNodeThread(notifications::counters).get(10, TimeUnit.SECONDS);
        return new SenderFairness(past, counters.getOrDefault("rejected.delegation-budget", 0L),
            counters.getOrDefault("rejected.busy", 0L), limits.past(), limits.post());
    }
}
