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
}
