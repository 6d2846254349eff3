package org.epost.post.delivery;

import java.util.concurrent.CompletableFuture;

import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.NotificationService.Outcome;

/** Sends one notification ({@link NotificationService#send}); completes once it is delivered or delegated. */
@FunctionalInterface
public interface NotificationSender {
    CompletableFuture<Outcome> send(Notification notification);
}
