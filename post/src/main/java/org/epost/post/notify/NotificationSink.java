package org.epost.post.notify;

import java.util.concurrent.CompletableFuture;

import org.epost.post.accounts.UserCertificate;

/**
 * Where a home peer hands verified notifications for its users (later: an insert record appended to the INBOX log).
 * Called on the node's thread, at most once per notification id as far as the {@link SeenIds} remember; the receipt
 * is sent only once the returned future completes normally, so a sink that fails makes the sender (or delegates)
 * try again.
 */
@FunctionalInterface
public interface NotificationSink {
    CompletableFuture<Void> accept(Notification notification, UserCertificate sender);

    /**
     * Called instead of {@link #accept} for a notification whose earlier hand-over did not finish: the home peer died
     * between handing it over and remembering it as seen, or the sink failed. The earlier attempt may have delivered
     * it, so a sink that appends must not append it again if it is already there. By default as {@link #accept}
     * (sinks whose delivery is idempotent anyway, or that lose nothing in a crash).
     */
    default CompletableFuture<Void> acceptAgain(Notification notification, UserCertificate sender) {
        return accept(notification, sender);
    }
}
