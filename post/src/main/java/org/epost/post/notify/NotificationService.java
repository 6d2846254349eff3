package org.epost.post.notify;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.Overlay;
import org.epost.overlay.fair.FairLimits;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.time.Scheduler;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountService;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;

/**
 * POST notifications on one peer, in all three roles, each a class of its own behind one
 * {@link NotifyDispatcher} (the overlay application registered as {@value #APPLICATION}):
 *
 * <ul>
 * <li><b>Sender</b> ({@link SendingRole}). {@link #send} signs the notification with the sender's key, seals it to the
 * recipient's certified encryption key, and sends it ({@link NotifyDeliver}) straight to the home peer named by the
 * recipient's identity block. A {@link NotifyReceipt} signed by the recipient's certified key completes the send with
 * {@link Outcome#DELIVERED}. Without one within {@link Settings#receiptTimeoutMillis()} the sealed notification is
 * routed to a random key ({@link NotifyDelegate}); the node responsible keeps it and copies it to the rest of the k
 * nodes closest to that key. Each of them, once the notification is forced to its disk, sends the sender a
 * {@link NotifyKept} ({@link DelegationAck} signed with its node key); k of them, from distinct delegates and each
 * straight from the delegate it names, complete the send with {@link Outcome#DELEGATED}.</li>
 * <li><b>Delegate</b> ({@link DelegateRole}). Keeps the sealed notification (it cannot open it), joins the Scribe
 * group {@link NotificationCrypto#presenceGroup H(recipient signing key)}, and sends it to the home peer whenever that
 * peer announces itself there ({@link NotifyPresence}, signed by the recipient's key) and, every
 * {@link Settings#retryIntervalMillis()}, to the home named by a fresh lookup of the identity block (which catches a
 * home peer that moved). A valid receipt ends the delegation: the notification is dropped and, with nothing else
 * kept for that user, the group left. After {@link Settings#holdMillis()} it is dropped with a warning.</li>
 * <li><b>Home peer</b> ({@link HomeRole}). Opens the box with the recipient's key, checks the notification is well
 * formed and for this recipient, verifies the sender's signature against the sender's certificate, suppresses
 * duplicates by id ({@link SeenIds}), hands it to the {@link NotificationSink}, and then answers the signed receipt
 * (repeated for a verified duplicate, so that a sender or delegate whose receipt was lost stops, but never delivered
 * twice). On {@link #start} and {@link #addLocalUser} it publishes presence for its users. Every rejection is logged
 * at WARN and counted ({@link #counters()}).</li>
 * </ul>
 *
 * <p>A refusal that reaches the delegates after a delegated send (the home peer came back and refuses for good) is
 * forwarded by them to the sending peer recorded with the notification, which verifies it and hands it to its
 * {@link #onRefusedAfterDelegation} listener to bounce the mail ({@link DelegatedSends}).
 *
 * <p>State: the sender's pending sends are in memory (a sender that crashes before the receipt or the delegation
 * loses the send: durability before that point is the outbox's job), and so are its delegated sends awaiting a late
 * refusal; the delegates' kept notifications are as persistent as the {@link DelegateStore} given (restored and taken
 * up again on start, bounded by its byte quota), the ids of receipts they saw are in memory; the home's seen ids are as persistent as the {@link SeenIds} given. Threading: the public operations
 * may be called from any thread and hop to the node's thread through the {@link Scheduler}; everything else runs
 * there. Everything is logged under this class's name.
 */
public final class NotificationService {
    public static final String APPLICATION = "post.notify";
    /** Largest sealed box accepted (a notification with the maximum of parts, sealed, fits). */
    public static final int MAX_BOX_BYTES = 5 << 20;

    /**
     * @param receiptTimeoutMillis how long the sender waits for the home peer's receipt before delegating
     * @param delegateAckTimeoutMillis how long it waits for a delegation to be acknowledged (per attempt)
     * @param delegationAttempts delegations tried (each to a fresh random key) before the send fails
     * @param delegates the k nodes that keep a delegated notification
     * @param retryIntervalMillis how often delegates look the identity up again and retry delivery
     * @param holdMillis how long delegates keep a notification at most
     * @param degradedQuorum whether a delegation may complete with fewer than k acks when the delegates see fewer than
     *                       k live nodes (as {@code past.degraded-inserts} lets PAST inserts do)
     */
    public record Settings(long receiptTimeoutMillis, long delegateAckTimeoutMillis, int delegationAttempts,
                           int delegates, long retryIntervalMillis, long holdMillis, boolean degradedQuorum,
                           FairLimits fairness) {
        public Settings {
            Objects.requireNonNull(fairness, "fairness");
            if (receiptTimeoutMillis <= 0 || delegateAckTimeoutMillis <= 0 || delegationAttempts < 1
                    || delegates < 1 || delegates > DelegationAck.MAX_COUNT || retryIntervalMillis <= 0
                    || holdMillis <= 0) {
                throw new IllegalArgumentException("Timeouts and counts are positive");
            }
        }

        /** With the default fairness limits ({@link FairLimits#postDefaults()}). */
        public Settings(long receiptTimeoutMillis, long delegateAckTimeoutMillis, int delegationAttempts,
                        int delegates, long retryIntervalMillis, long holdMillis, boolean degradedQuorum) {
            this(receiptTimeoutMillis, delegateAckTimeoutMillis, delegationAttempts, delegates, retryIntervalMillis,
                    holdMillis, degradedQuorum, FairLimits.postDefaults());
        }

        /** Without a degraded quorum: a delegation completes only with k acks. */
        public Settings(long receiptTimeoutMillis, long delegateAckTimeoutMillis, int delegationAttempts,
                        int delegates, long retryIntervalMillis, long holdMillis) {
            this(receiptTimeoutMillis, delegateAckTimeoutMillis, delegationAttempts, delegates, retryIntervalMillis,
                    holdMillis, false);
        }

        /** 30 s for a receipt, 30 s per delegation attempt, 3 attempts, k = 3, retry every 10 min, keep 30 days. */
        public static Settings defaults() {
            return new Settings(30_000, 30_000, 3, 3, 10 * 60_000, 30L * 86_400_000L);
        }

        public Settings withRetryIntervalMillis(long value) {
            return new Settings(receiptTimeoutMillis, delegateAckTimeoutMillis, delegationAttempts, delegates, value,
                    holdMillis, degradedQuorum, fairness);
        }

        public Settings withDegradedQuorum(boolean value) {
            return new Settings(receiptTimeoutMillis, delegateAckTimeoutMillis, delegationAttempts, delegates,
                    retryIntervalMillis, holdMillis, value, fairness);
        }

        /**
         * With other limits on what other nodes make this one do: boxes opened at once and queued per delivering node,
         * delegations kept per node and minute.
         */
        public Settings withFairness(FairLimits value) {
            return new Settings(receiptTimeoutMillis, delegateAckTimeoutMillis, delegationAttempts, delegates,
                    retryIntervalMillis, holdMillis, degradedQuorum, value);
        }

        /**
         * How many distinct delegates must ack when the acks say the key has {@code liveDelegates}: k, or with
         * {@link #degradedQuorum} as many as there are, at least one (as {@code PastConfig.insertQuorum}).
         */
        public int quorum(int liveDelegates) {
            return degradedQuorum ? Math.max(1, Math.min(delegates, liveDelegates)) : delegates;
        }
    }

    public enum Outcome {
        /** The recipient's home peer acknowledged it with a valid signed receipt. */
        DELIVERED,
        /** The home peer did not answer in time; k delegates keep it until it does. */
        DELEGATED
    }

    private final NotifyNode node;
    private final HomeRole home;
    private final SendingRole sending;
    private final DelegateRole delegates;
    private final DelegatedSends delegatedSends;

    public NotificationService(Overlay overlay, Scribe scribe, Scheduler scheduler, AccountService accounts,
                               NotificationSink sink, SeenIds seen, DelegateStore delegateStore,
                               Settings settings, NodeSignatures signatures) {
        this(overlay, scribe, scheduler, accounts, sink, seen, delegateStore, settings, signatures, new SecureRandom());
    }

    /**
     * As the other constructor, with the source of delegation keys (seeded in simulations). Call it on the node
     * thread: it registers the application and schedules the delegates' work.
     */
    public NotificationService(Overlay overlay, Scribe scribe, Scheduler scheduler, AccountService accounts,
                               NotificationSink sink, SeenIds seen, DelegateStore delegateStore,
                               Settings settings, NodeSignatures signatures, Random random) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(scribe, "scribe");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(delegateStore, "delegateStore");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(signatures, "signatures");
        this.node = new NotifyNode(overlay, scribe, scheduler, settings.fairness());
        this.home = new HomeRole(node, accounts, sink, seen);
        this.sending = new SendingRole(node, accounts, home::localKeys, settings, random, signatures);
        this.delegates = new DelegateRole(node, accounts, delegateStore, settings, signatures);
        this.delegatedSends = new DelegatedSends(node, accounts, settings);
        NotifyDispatcher dispatcher = new NotifyDispatcher(node, sending, delegates, home, delegatedSends);
        node.connect(overlay.registerApplication(APPLICATION, dispatcher), dispatcher, dispatcher.presenceUpcalls());
        delegates.resume();
    }

    // ================================================================ public operations (any thread)

    /** Sends {@code notification} from its sender (who must be homed here) to its recipient; no bounce after delegation. */
    public CompletableFuture<Outcome> send(Notification notification) {
        return send(notification, Optional.empty());
    }

    /**
     * Sends {@code notification} from its sender (who must be homed here) to its recipient; if it is delegated and
     * the recipient's peer refuses it later, {@code returnPath} (the envelope sender) is bounced to through the
     * {@link #onRefusedAfterDelegation} listener.
     */
    public CompletableFuture<Outcome> send(Notification notification, Optional<String> returnPath) {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(returnPath, "returnPath");
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        node.onNode().execute(() -> sending.send(notification, result));
        // a delegated send is remembered: a refusal may still come back through the delegates, to be bounced
        result.whenCompleteAsync((outcome, failure) -> {
            if (outcome == Outcome.DELEGATED && returnPath.isPresent()) {
                delegatedSends.remember(notification, returnPath.get());
            }
        }, node.onNode());
        return timed(result);
    }

    /**
     * Who bounces a mail whose delegated send (answered 250) is refused later by the recipient's home peer; without
     * one the refusal is only logged. Any thread.
     */
    public void onRefusedAfterDelegation(RefusedAfterDelegation listener) {
        Objects.requireNonNull(listener, "listener");
        node.onNode().execute(() -> delegatedSends.listener(listener));
    }

    /**
     * Reports how long sends take until acknowledged or delegated ({@code epost.notify.send}) and how they end; the
     * caller's future completes once that is recorded.
     */
    private CompletableFuture<Outcome> timed(CompletableFuture<Outcome> result) {
        MetricSink metrics = node.metrics();
        if (metrics == MetricSink.NONE) {
            return result;
        }
        long start = System.nanoTime();
        CompletableFuture<Outcome> reported = new CompletableFuture<>();
        result.whenComplete((outcome, failure) -> {
            metrics.time("epost.notify.send", System.nanoTime() - start);
            if (failure != null) {
                metrics.count("epost.notify.send.failed");
                reported.completeExceptionally(failure);
            } else {
                metrics.count("epost.notify.send." + outcome.name().toLowerCase(Locale.ROOT));
                reported.complete(outcome);
            }
        });
        return reported;
    }

    /**
     * {@code address} is homed here (provisioned in this peer's vault): its notifications are accepted, and its
     * presence announced while running. Its keys are read from the vault once, now.
     */
    public void addLocalUser(String address) {
        String normalized = AccountAddress.normalize(address);
        node.onNode().execute(() -> home.addUser(normalized));
    }

    /** {@code address} is no longer served here: its notifications are refused from now on. */
    public void removeLocalUser(String address) {
        String normalized = AccountAddress.normalize(address);
        node.onNode().execute(() -> home.removeUser(normalized));
    }

    /** Starts (again) taking part: announces the presence of every local user. */
    public void start() {
        node.onNode().execute(() -> {
            node.setRunning(true);
            home.announceAll();
        });
    }

    /** Stops taking part, as if the application were not running: every message to it is dropped. */
    public void stop() {
        node.onNode().execute(() -> node.setRunning(false));
    }

    // ================================================================ inspection (node thread)

    /** Ids (hex) of the notifications this node keeps as a delegate. */
    public Set<String> heldIds() {
        return delegates.heldIds();
    }

    /** Counts of what happened here: {@code delivered}, {@code receipt-sent}, {@code rejected.<why>}, ... */
    public Map<String, Long> counters() {
        return node.counters().snapshot();
    }

    public long counter(String name) {
        return node.counters().get(name);
    }
}
