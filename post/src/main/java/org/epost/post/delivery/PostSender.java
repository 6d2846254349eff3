package org.epost.post.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.epost.overlay.time.Scheduler;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountService;
import org.epost.post.crypto.Hashes;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;
import org.epost.post.message.MessageSubject;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationRefusedException;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.RefusalReason;
import org.epost.post.store.RandomAccessBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a message to ePOST recipients (DESIGN.md section 6): stores it once ({@link MessageStore}: every block on
 * its k replicas), then sends one signed notification per recipient and waits until each is delivered to the
 * recipient's home peer or kept by delegates. Only then is the message durable for that recipient, and only such
 * recipients are reported handled.
 *
 * <p>The notifications are signed by the authenticated sender when that account is homed on this peer, else by this
 * peer's {@link RelayAccount}. Their ids are derived ({@link NotificationIds}) from the message, the recipient and
 * the delivery key, so a retry of the same delivery is suppressed by the recipient's peer. A recipient whose home peer
 * answers a verified negative receipt is reported refused, with the reason (bounce it). A recipient whose send
 * does not complete within {@link Settings#timeoutMillis()} is reported failed (it may still be delivered later).
 */
public final class PostSender {
    private static final Logger LOG = LoggerFactory.getLogger(PostSender.class);

    /**
     * @param leaseMillis   the lease of the message's blocks (kept longer by the lease refresh of whoever references it)
     * @param timeoutMillis how long to wait for a recipient's notification to be delivered or delegated
     */
    public record Settings(long leaseMillis, long timeoutMillis) {
        public Settings {
            if (leaseMillis <= 0 || timeoutMillis <= 0) {
                throw new IllegalArgumentException("lease and timeout are positive");
            }
        }
    }

    private final MessageStore messages;
    private final NotificationSender notifications;
    private final RecipientDirectory recipients;
    private final Predicate<String> homedHere;
    private final Supplier<CompletableFuture<String>> relaySigner;
    private final Scheduler scheduler;
    private final Settings settings;

    /**
     * @param homedHere   whether an account's keys are on this peer ({@link AccountService#isProvisioned})
     * @param relaySigner the address of this peer's relay account, once provisioned ({@link RelayAccount#ready})
     */
    public PostSender(MessageStore messages, NotificationSender notifications, RecipientDirectory recipients,
                         Predicate<String> homedHere, Supplier<CompletableFuture<String>> relaySigner,
                         Scheduler scheduler, Settings settings) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        this.homedHere = Objects.requireNonNull(homedHere, "homedHere");
        this.relaySigner = Objects.requireNonNull(relaySigner, "relaySigner");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** How long a delivery waits at most for a recipient's notification (storing the message comes on top). */
    public long timeoutMillis() {
        return settings.timeoutMillis();
    }

    /** Which addresses are ePOST recipients. */
    public RecipientDirectory recipients() {
        return recipients;
    }

    /** Delivers {@code outgoing}; the report says, per recipient, whether it is durable. Never completes exceptionally. */
    public CompletableFuture<DeliveryReport> deliver(OutgoingMessage outgoing) {
        Set<String> to = new LinkedHashSet<>();
        for (String recipient : outgoing.recipients()) {
            to.add(AccountAddress.normalize(recipient));
        }
        if (to.isEmpty()) {
            return CompletableFuture.completedFuture(new DeliveryReport(Map.of(), Map.of(), false));
        }
        RandomAccessBytes message = outgoing.message();
        CompletableFuture<String> signer;
        byte[] digest;
        String subject;
        try {
            // read here, on the caller's thread: a message on disk is read through once more
            digest = digest(message);
            subject = MessageSubject.of(message, Notification.MAX_SUBJECT_BYTES);
            signer = signer(outgoing.authenticatedSender());
        } catch (RuntimeException e) {
            digest = null;
            subject = null;
            signer = CompletableFuture.failedFuture(e);
        }
        byte[] messageDigest = digest;
        String messageSubject = subject;
        long start = scheduler.now();
        return signer.thenCompose(from -> messages.store(message, scheduler.now() + settings.leaseMillis())
                .thenCompose(reference -> {
                    LOG.info("Delivery {}: {} bytes stored in {} ms", outgoing.deliveryKey(), message.length(),
                        scheduler.now() - start);
                    return notifyAll(outgoing, from, reference, to, messageDigest, messageSubject);
                }))
            .exceptionally(failure -> {
                Throwable cause = AccountService.unwrap(failure);
                LOG.warn("Could not store the message for {}: {}", to, cause.toString());
                Map<String, String> failed = new LinkedHashMap<>();
                to.forEach(recipient -> failed.put(recipient, "not stored: " + cause.getMessage()));
                return new DeliveryReport(Map.of(), failed, false);
            });
    }

    private CompletableFuture<String> signer(Optional<String> authenticated) {
        if (authenticated.isPresent()) {
            String address = AccountAddress.normalize(authenticated.get());
            if (homedHere.test(address)) {
                return CompletableFuture.completedFuture(address);
            }
        }
        return relaySigner.get();
    }

    private CompletableFuture<DeliveryReport> notifyAll(OutgoingMessage outgoing, String from,
                                                        MessageReference reference, Set<String> to, byte[] digest,
                                                        String subject) {
        List<byte[]> parts = List.of(reference.encode());
        Map<String, CompletableFuture<Outcome>> sends = new LinkedHashMap<>();
        for (String recipient : to) {
            Notification notification = new Notification(NotificationIds.derive(digest, recipient,
                outgoing.deliveryKey()), from, recipient, subject, scheduler.now(), parts, reference.size());
            sends.put(recipient, bounded(notifications.send(notification, outgoing.returnPath()), recipient));
        }
        return CompletableFuture.allOf(sends.values().stream().map(f -> f.handle((o, e) -> null))
                .toArray(CompletableFuture[]::new))
            .thenApply(ignored -> {
                Map<String, Outcome> handled = new LinkedHashMap<>();
                Map<String, RefusalReason> refused = new LinkedHashMap<>();
                Map<String, String> failed = new LinkedHashMap<>();
                sends.forEach((recipient, send) -> send.handle((outcome, failure) -> {
                    Throwable cause = failure == null ? null : AccountService.unwrap(failure);
                    if (failure == null) {
                        handled.put(recipient, outcome);
                    } else if (cause instanceof NotificationRefusedException permanent) {
                        refused.put(recipient, permanent.reason());
                    } else {
                        failed.put(recipient, cause.getMessage());
                    }
                    return null;
                }).join());
                DeliveryReport report = new DeliveryReport(handled, refused, failed, true);
                if (!failed.isEmpty() || !refused.isEmpty()) {
                    LOG.warn("Delivery {} signed by {}: {}", outgoing.deliveryKey(), from, report);
                } else {
                    LOG.info("Delivery {} signed by {}: {}", outgoing.deliveryKey(), from, report);
                }
                return report;
            });
    }

    /** The message's SHA-256, read a piece at a time when it is not in memory. */
    private static byte[] digest(RandomAccessBytes message) {
        if (message.array().isPresent()) {
            return Hashes.sha256(message.array().get());
        }
        try (InputStream in = message.stream(0, message.length())) {
            return Hashes.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code send}, failed with a timeout when it has not completed within the settings' timeout. */
    private CompletableFuture<Outcome> bounded(CompletableFuture<Outcome> send, String recipient) {
        CompletableFuture<Outcome> bounded = new CompletableFuture<>();
        Scheduler.Cancellable timer = scheduler.schedule(settings.timeoutMillis(), () -> bounded.completeExceptionally(
            new TimeoutException("no receipt or delegation for " + recipient + " within " + settings.timeoutMillis()
                + " ms")));
        send.whenComplete((outcome, failure) -> {
            timer.cancel();
            if (failure != null) {
                bounded.completeExceptionally(failure);
            } else {
                bounded.complete(outcome);
            }
        });
        return bounded;
    }
}
