package org.epost.overlay.pastry;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.pastry.messages.RoutedMessage;
import org.epost.overlay.time.Scheduler;

/** A hop sent and not yet acknowledged: what, to whom, which attempt, and the timer that retries it elsewhere. */
final class PendingHop {
    final RoutedMessage message;
    final NodeHandle next;
    final int attempt;
    Scheduler.Cancellable timer;

    PendingHop(RoutedMessage message, NodeHandle next, int attempt) {
        this.message = message;
        this.next = next;
        this.attempt = attempt;
    }
}
