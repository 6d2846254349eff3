package org.epost.post.delivery;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.NotificationService.Outcome;

/**
 * Sends one notification ({@link NotificationService#send}); completes once it is delivered or delegated.
 * {@code returnPath} is who is bounced to if the recipient's peer refuses it after a delegation (empty: nobody).
 */
@FunctionalInterface
public interface NotificationSender {
    CompletableFuture<Outcome> send(Notification notification, Optional<String> returnPath);
}
