package org.epost.post.notify;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeClient;
import org.epost.overlay.time.Scheduler;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.CryptoException;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDelegated;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST notifications on one peer, in all three roles.
 *
 * <ul>
 * <li><b>Sender.</b> {@link #send} signs the notification with the sender's key, seals it to the recipient's
 * certified encryption key, and sends it ({@link NotifyDeliver}) straight to the home peer named by the recipient's
 * identity block. A {@link NotifyReceipt} signed by the recipient's certified key completes the send with
 * {@link Outcome#DELIVERED}. Without one within {@link Settings#receiptTimeoutMillis()} the sealed notification is
 * routed to a random key ({@link NotifyDelegate}); the node responsible keeps it and copies it to the rest of the k
 * nodes closest to that key, and its {@link NotifyDelegated} completes the send with {@link Outcome#DELEGATED}.</li>
 * <li><b>Delegate.</b> Keeps the sealed notification (it cannot open it), joins the Scribe group
 * {@link NotificationCrypto#presenceGroup H(recipient signing key)}, and sends it to the home peer whenever that peer
 * announces itself there ({@link NotifyPresence}, signed by the recipient's key) and, every
 * {@link Settings#retryIntervalMillis()}, to the home named by a fresh lookup of the identity block (which catches a
 * home peer that moved). A valid receipt ends the delegation: the notification is dropped and, with nothing else
 * kept for that user, the group left. After {@link Settings#holdMillis()} it is dropped with a warning.</li>
 * <li><b>Home peer.</b> Opens the box with the recipient's key, checks the notification is well formed and for
 * this recipient, verifies the sender's signature against the sender's certificate, suppresses duplicates by id
 * ({@link SeenIds}), hands it to the {@link NotificationSink}, and then answers the signed receipt (repeated for a
 * verified duplicate, so that a sender or delegate whose receipt was lost stops, but never delivered twice). On
 * {@link #start} and {@link #addLocalUser} it publishes presence for its users. Every rejection is logged at WARN
 * and counted ({@link #counters()}).</li>
 * </ul>
 *
 * <p>State: the sender's pending sends are in memory (a sender that crashes before the receipt or the delegation
 * loses the send: durability before that point is the outbox's job); the delegates' kept notifications are as
 * persistent as the {@link DelegateStore} given (restored and taken up again on start), the ids of receipts they saw
 * are in memory; the home's seen ids are as persistent as the {@link SeenIds} given. Threading: the public operations may be called from any thread and hop to the
 * node's thread through the {@link Scheduler}; everything else runs there.
 */
public final class NotificationService implements Application {
    public static final String APPLICATION = "post.notify";
    /** Largest sealed box accepted (a notification with the maximum of parts, sealed, fits). */
    public static final int MAX_BOX_BYTES = 5 << 20;
    /** Most notifications one delegate keeps for others at a time; beyond, new delegations are refused. */
    public static final int MAX_KEPT = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    /**
     * @param receiptTimeoutMillis how long the sender waits for the home peer's receipt before delegating
     * @param delegateAckTimeoutMillis how long it waits for a delegation to be acknowledged (per attempt)
     * @param delegationAttempts delegations tried (each to a fresh random key) before the send fails
     * @param delegates the k nodes that keep a delegated notification
     * @param retryIntervalMillis how often delegates look the identity up again and retry delivery
     * @param holdMillis how long delegates keep a notification at most
     */
    public record Settings(long receiptTimeoutMillis, long delegateAckTimeoutMillis, int delegationAttempts,
                           int delegates, long retryIntervalMillis, long holdMillis) {
        public Settings {
            if (receiptTimeoutMillis <= 0 || delegateAckTimeoutMillis <= 0 || delegationAttempts < 1
                    || delegates < 1 || retryIntervalMillis <= 0 || holdMillis <= 0) {
                throw new IllegalArgumentException("Timeouts and counts are positive");
            }
        }

        /** 30 s for a receipt, 30 s per delegation attempt, 3 attempts, k = 3, retry every 10 min, keep 30 days. */
        public static Settings defaults() {
            return new Settings(30_000, 30_000, 3, 3, 10 * 60_000, 30L * 86_400_000L);
        }

        public Settings withRetryIntervalMillis(long value) {
            return new Settings(receiptTimeoutMillis, delegateAckTimeoutMillis, delegationAttempts, delegates, value,
                    holdMillis);
        }
    }

    public enum Outcome {
        /** The recipient's home peer acknowledged it with a valid signed receipt. */
        DELIVERED,
        /** The home peer did not answer in time; k delegates keep it until it does. */
        DELEGATED
    }

    private final Endpoint endpoint;
    private final Scribe scribe;
    private final Scheduler scheduler;
    private final AccountService accounts;
    private final NotificationSink sink;
    private final SeenIds seen;
    private final DelegateStore delegateStore;
    private final Settings settings;
    private final Random random;
    private final NodeHandle self;
    private final Executor onNode;
    private final PresenceClient presenceClient = new PresenceClient();

    private boolean running = true;
    /** Home: the users homed here, with their keys (read from the vault once, when added). */
    private final Map<String, UserKeys> localUsers = new LinkedHashMap<>();
    /** Delegate: the newest presence time accepted per recipient (older, replayed presences are ignored). */
    private final Map<String, Long> presenceTimes = new HashMap<>();
    /** Sender: sends waiting for a receipt or a delegation, by id. */
    private final Map<String, Pending> pending = new HashMap<>();
    /** Delegate: sealed notifications kept for others, by id. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    /** Delegate: ids whose receipt it saw, so that a late copy is not kept again. In memory. */
    private final Set<String> receipted = new HashSet<>();
    /** Delegate: the presence group joined per recipient. */
    private final Map<String, Id> groups = new HashMap<>();
    /** Home: ids being verified or handed to the sink, with every peer waiting for their receipt. */
    private final Map<String, List<NodeHandle>> inFlight = new HashMap<>();
    private final Map<String, Long> counters = new TreeMap<>();

    public NotificationService(Overlay overlay, Scribe scribe, Scheduler scheduler, AccountService accounts,
                               NotificationSink sink, SeenIds seen, DelegateStore delegateStore,
                               Settings settings) {
        this(overlay, scribe, scheduler, accounts, sink, seen, delegateStore, settings, new SecureRandom());
    }

    /** As the other constructor, with the source of delegation keys (seeded in simulations). */
    public NotificationService(Overlay overlay, Scribe scribe, Scheduler scheduler, AccountService accounts,
                               NotificationSink sink, SeenIds seen, DelegateStore delegateStore,
                               Settings settings, Random random) {
        this.random = Objects.requireNonNull(random, "random");
        this.scribe = Objects.requireNonNull(scribe, "scribe");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.delegateStore = Objects.requireNonNull(delegateStore, "delegateStore");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.self = overlay.localHandle();
        this.onNode = task -> scheduler.schedule(0, task);
        this.endpoint = overlay.registerApplication(APPLICATION, this);
        // what this peer kept as a delegate before a restart: taken up again once the node routes
        List<DelegateStore.Entry> restored = delegateStore.loadAll();
        for (DelegateStore.Entry entry : restored) {
            held.putIfAbsent(hex(entry.id()), new Held(entry.id(), entry.recipient(), entry.box(), entry.since()));
        }
        if (!restored.isEmpty()) {
            LOG.info("{}: {} delegated notifications restored", self, restored.size());
            scheduler.schedule(0, new Runnable() {
                @Override
                public void run() {
                    if (overlay.isReady()) {
                        new ArrayList<>(held.values()).forEach(h -> resolve(h, false));
                    } else {
                        scheduler.schedule(1_000, this);
                    }
                }
            });
        }
        scheduler.schedule(settings.retryIntervalMillis(), new Runnable() {
            @Override
            public void run() {
                retryRound();
                scheduler.schedule(settings.retryIntervalMillis(), this);
            }
        });
    }

    // ================================================================ public operations (any thread)

    /** Sends {@code notification} from its sender (who must be homed here) to its recipient. */
    public CompletableFuture<Outcome> send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        onNode.execute(() -> startSend(notification, result));
        return result;
    }

    /**
     * {@code address} is homed here (provisioned in this peer's vault): its notifications are accepted, and its
     * presence announced while running. Its keys are read from the vault once, now.
     */
    public void addLocalUser(String address) {
        String normalized = AccountAddress.normalize(address);
        onNode.execute(() -> {
            if (localUsers.containsKey(normalized)) {
                return;
            }
            UserKeys keys;
            try {
                keys = accounts.keys(normalized).orElse(null);
            } catch (KeyVaultException e) {
                LOG.warn("{}: cannot read the keys of {}: {}; not served here", self, normalized, e.getMessage());
                return;
            }
            if (keys == null) {
                LOG.warn("{}: {} is not provisioned here; not served here", self, normalized);
                return;
            }
            localUsers.put(normalized, keys);
            if (running) {
                announce(normalized);
            }
        });
    }

    /** {@code address} is no longer served here: its notifications are refused from now on. */
    public void removeLocalUser(String address) {
        String normalized = AccountAddress.normalize(address);
        onNode.execute(() -> localUsers.remove(normalized));
    }

    /** Starts (again) taking part: announces the presence of every local user. */
    public void start() {
        onNode.execute(() -> {
            running = true;
            localUsers.keySet().forEach(this::announce);
        });
    }

    /** Stops taking part, as if the application were not running: every message to it is dropped. */
    public void stop() {
        onNode.execute(() -> running = false);
    }

    // ================================================================ inspection (node thread)

    /** Ids (hex) of the notifications this node keeps as a delegate. */
    public Set<String> heldIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(held.keySet()));
    }

    /** Counts of what happened here: {@code delivered}, {@code receipt-sent}, {@code rejected.<why>}, ... */
    public Map<String, Long> counters() {
        return Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    // ================================================================ overlay upcalls

    @Override
    public void deliver(Id key, Message msg) {
        if (!running) {
            count("dropped.not-running");
            return;
        }
        if (msg instanceof NotifyDeliver m) {
            onDeliver(m);
        } else if (msg instanceof NotifyReceipt m) {
            onReceipt(m);
        } else if (msg instanceof NotifyDelegate m) {
            onDelegate(m);
        } else if (msg instanceof NotifyDelegated m) {
            onDelegated(m);
        } else {
            LOG.warn("{}: unexpected message {}; dropped", self, msg == null ? null : msg.getClass().getName());
        }
    }

    // ================================================================ sender

    private final class Pending {
        final Notification notification;
        final UserCertificate recipient;
        final byte[] box;
        final CompletableFuture<Outcome> result;
        Scheduler.Cancellable timer;
        int delegationAttempts;

        Pending(Notification notification, UserCertificate recipient, byte[] box, CompletableFuture<Outcome> result) {
            this.notification = notification;
            this.recipient = recipient;
            this.box = box;
            this.result = result;
        }
    }

    private void startSend(Notification notification, CompletableFuture<Outcome> result) {
        UserKeys local = localUsers.get(notification.sender());
        UserKeys keys;
        try {
            keys = local != null ? local : accounts.keys(notification.sender()).orElse(null);
        } catch (KeyVaultException e) {
            result.completeExceptionally(new NotificationException("cannot read the keys of "
                    + notification.sender(), e));
            return;
        }
        if (keys == null) {
            result.completeExceptionally(new NotificationException(notification.sender() + " is not homed here"));
            return;
        }
        String recipient = notification.recipient();
        accounts.lookupCertificate(recipient).whenCompleteAsync((certificate, failure) -> {
            if (failure != null) {
                result.completeExceptionally(new NotificationException("no valid certificate for " + recipient,
                        AccountService.unwrap(failure)));
                return;
            }
            byte[] box = NotificationCrypto.signAndSeal(notification, keys.signing().getPrivate(),
                    certificate.encryptionKey());
            Pending p = new Pending(notification, certificate, box, result);
            if (pending.putIfAbsent(notification.idHex(), p) != null) {
                result.completeExceptionally(new NotificationException("notification " + notification.idHex()
                        + " is being sent already"));
                return;
            }
            accounts.lookupIdentity(recipient).whenCompleteAsync((identity, lookupFailure) -> {
                if (pending.get(notification.idHex()) != p) {
                    return;
                }
                if (lookupFailure != null) {
                    LOG.info("{}: no identity of {} ({}); delegating {}", self, recipient,
                            AccountService.unwrap(lookupFailure).getMessage(), notification.idHex());
                    delegate(p);
                    return;
                }
                sendTo(identity.home(), new NotifyDeliver(notification.id(), recipient, box, self));
                p.timer = scheduler.schedule(settings.receiptTimeoutMillis(), () -> {
                    LOG.info("{}: no receipt for {} from {} within {} ms; delegating", self, notification.idHex(),
                            identity.home(), settings.receiptTimeoutMillis());
                    delegate(p);
                });
            }, onNode);
        }, onNode);
    }

    private void delegate(Pending p) {
        String id = p.notification.idHex();
        if (pending.get(id) != p) {
            return;
        }
        if (p.delegationAttempts >= settings.delegationAttempts()) {
            pending.remove(id);
            p.result.completeExceptionally(new NotificationException("notification " + id
                    + " was neither acknowledged by the home peer nor accepted by delegates"));
            return;
        }
        p.delegationAttempts++;
        byte[] bytes = new byte[Id.BYTES];
        random.nextBytes(bytes);
        Id key = Id.of(bytes);
        count("delegations-started");
        endpoint.route(key, new NotifyDelegate(key, p.notification.id(), p.notification.recipient(), p.box, self,
                false), null);
        p.timer = scheduler.schedule(settings.delegateAckTimeoutMillis(), () -> delegate(p));
    }

    private void onDelegated(NotifyDelegated m) {
        if (m.id() == null) {
            return;
        }
        Pending p = pending.get(hex(m.id()));
        if (p == null || p.delegationAttempts == 0) {
            return;
        }
        cancel(p);
        pending.remove(p.notification.idHex());
        LOG.info("{}: notification {} kept by {} delegates", self, p.notification.idHex(), m.delegates());
        p.result.complete(Outcome.DELEGATED);
    }

    private void onReceipt(NotifyReceipt m) {
        if (m.id() == null || m.id().length != Notification.ID_BYTES || m.recipient() == null) {
            LOG.warn("{}: malformed receipt; dropped", self);
            count("rejected.receipt");
            return;
        }
        String id = hex(m.id());
        Pending p = pending.get(id);
        if (p != null) {
            if (!m.recipient().equals(p.notification.recipient()) || !NotificationCrypto.verifyReceipt(
                    p.recipient.signingKey(), m.id(), m.recipient(), m.signature())) {
                LOG.warn("{}: receipt for {} not signed by {}'s certified key; ignored", self, id,
                        p.notification.recipient());
                count("rejected.receipt");
                return;
            }
            cancel(p);
            pending.remove(id);
            count("receipts-received");
            p.result.complete(Outcome.DELIVERED);
            return;
        }
        Held h = held.get(id);
        if (h != null && h.certificate != null) {
            if (!m.recipient().equals(h.recipient) || !NotificationCrypto.verifyReceipt(h.certificate.signingKey(),
                    m.id(), m.recipient(), m.signature())) {
                LOG.warn("{}: receipt for kept {} not signed by {}'s certified key; ignored", self, id, h.recipient);
                count("rejected.receipt");
                return;
            }
            LOG.info("{}: {} acknowledged by {}; delegation ended", self, id, h.recipient);
            count("delegations-ended");
            receipted.add(id);
            drop(h);
        }
    }

    private void cancel(Pending p) {
        if (p.timer != null) {
            p.timer.cancel();
            p.timer = null;
        }
    }

    // ================================================================ delegate

    private static final class Held {
        final byte[] id;
        final String recipient;
        final byte[] box;
        final long since;
        UserCertificate certificate;

        Held(byte[] id, String recipient, byte[] box, long since) {
            this.id = id;
            this.recipient = recipient;
            this.box = box;
            this.since = since;
        }
    }

    private void onDelegate(NotifyDelegate m) {
        if (m.key() == null || m.id() == null || m.id().length != Notification.ID_BYTES || m.box() == null
                || m.box().length > MAX_BOX_BYTES || m.origin() == null) {
            LOG.warn("{}: malformed delegation; dropped", self);
            count("rejected.delegation");
            return;
        }
        String recipient;
        try {
            recipient = AccountAddress.normalize(m.recipient());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: delegation for a malformed address; dropped", self);
            count("rejected.delegation");
            return;
        }
        int keepers = 1;
        if (!m.copy()) {
            List<NodeHandle> replicas = endpoint.replicaSet(m.key(), settings.delegates());
            NotifyDelegate copy = new NotifyDelegate(m.key(), m.id(), recipient, m.box(), m.origin(), true);
            for (NodeHandle replica : replicas) {
                if (!replica.equals(self)) {
                    endpoint.routeDirect(replica, copy);
                    keepers++;
                }
            }
        }
        boolean kept = keep(m.id(), recipient, m.box());
        if (!m.copy()) {
            sendTo(m.origin(), new NotifyDelegated(m.id(), keepers - (kept ? 0 : 1)));
        }
    }

    /** Keeps a newly delegated notification (persistently, as the {@link DelegateStore} is); whether it is kept. */
    private boolean keep(byte[] id, String recipient, byte[] box) {
        String idHex = hex(id);
        if (held.containsKey(idHex)) {
            return true;
        }
        if (receipted.contains(idHex)) {
            return false;
        }
        if (held.size() >= MAX_KEPT) {
            LOG.warn("{}: already keeping {} notifications for others; delegated {} for {} refused", self,
                    held.size(), idHex, recipient);
            count("rejected.delegation");
            return false;
        }
        Held h = new Held(id.clone(), recipient, box, scheduler.now());
        try {
            delegateStore.put(new DelegateStore.Entry(h.id, recipient, box, h.since));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot store delegated {} for {}: {}; not kept", self, idHex, recipient, e.toString());
            count("rejected.delegation");
            return false;
        }
        held.put(idHex, h);
        count("kept");
        resolve(h, true);
        return true;
    }

    /**
     * Looks up the recipient's certificate of a kept notification (to verify receipts and presences), joins its
     * presence group and attempts delivery. A recipient without a certificate drops a fresh delegation
     * ({@code dropIfUnknown}); any other failure is retried in the next round.
     */
    private void resolve(Held h, boolean dropIfUnknown) {
        String idHex = hex(h.id);
        accounts.lookupCertificate(h.recipient).whenCompleteAsync((certificate, failure) -> {
            if (held.get(idHex) != h || h.certificate != null) {
                return;
            }
            if (failure != null) {
                Throwable cause = AccountService.unwrap(failure);
                if (dropIfUnknown && cause instanceof AccountException e
                        && e.reason() == AccountException.Reason.NOT_FOUND) {
                    LOG.warn("{}: cannot keep {} for {}: no certificate; dropped", self, idHex, h.recipient);
                    count("rejected.delegation");
                    drop(h);
                } else {
                    LOG.debug("{}: certificate of {} not available ({}); will retry", self, h.recipient,
                            cause.getMessage());
                }
                return;
            }
            h.certificate = certificate;
            if (!groups.containsKey(h.recipient)) {
                Id group = NotificationCrypto.presenceGroup(certificate.signingKey());
                groups.put(h.recipient, group);
                scribe.join(group, presenceClient);
            }
            attempt(h);
        }, onNode);
    }

    /** Looks the recipient's identity up and sends the kept notification to the home peer it names. */
    private void attempt(Held h) {
        accounts.lookupIdentity(h.recipient).whenCompleteAsync((identity, failure) -> {
            if (held.get(hex(h.id)) != h || !running) {
                return;
            }
            if (failure != null) {
                LOG.debug("{}: identity of {} not found ({}); will retry", self, h.recipient, failure.getMessage());
                return;
            }
            count("delegate-attempts");
            sendTo(identity.home(), new NotifyDeliver(h.id, h.recipient, h.box, self));
        }, onNode);
    }

    private void retryRound() {
        if (!running) {
            return;
        }
        for (Held h : new ArrayList<>(held.values())) {
            if (scheduler.now() - h.since > settings.holdMillis()) {
                LOG.warn("{}: gave up on {} for {} after {} ms without a receipt; dropped", self, hex(h.id),
                        h.recipient, settings.holdMillis());
                count("expired");
                drop(h);
            } else if (h.certificate != null) {
                attempt(h);
            } else {
                resolve(h, false);
            }
        }
    }

    private void drop(Held h) {
        held.remove(hex(h.id));
        try {
            delegateStore.remove(h.id);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot remove delegated {} from the store: {}", self, hex(h.id), e.toString());
        }
        boolean more = held.values().stream().anyMatch(other -> other.recipient.equals(h.recipient));
        if (!more) {
            Id group = groups.remove(h.recipient);
            if (group != null) {
                scribe.leave(group, presenceClient);
            }
        }
    }

    private final class PresenceClient implements ScribeClient {
        @Override
        public void deliver(Id group, Message message) {
            if (!running) {
                return;
            }
            if (!(message instanceof NotifyPresence p) || p.recipient() == null) {
                LOG.warn("{}: unexpected message on presence group {}; ignored", self, group);
                return;
            }
            List<Held> forRecipient = held.values().stream()
                    .filter(h -> h.recipient.equals(p.recipient()) && h.certificate != null).toList();
            if (forRecipient.isEmpty()) {
                return;
            }
            UserCertificate certificate = forRecipient.get(0).certificate;
            if (!group.equals(NotificationCrypto.presenceGroup(certificate.signingKey()))
                    || !NotificationCrypto.verifyPresence(certificate.signingKey(), p.recipient(), p.home(), p.time(),
                    p.signature())) {
                LOG.warn("{}: presence of {} not signed by its certified key; ignored", self, p.recipient());
                count("rejected.presence");
                return;
            }
            Long newest = presenceTimes.get(p.recipient());
            if (newest != null && p.time() < newest) {
                LOG.warn("{}: presence of {} at {} older than one seen ({}): replayed; ignored", self,
                        p.recipient(), p.time(), newest);
                count("rejected.presence");
                return;
            }
            presenceTimes.put(p.recipient(), p.time());
            count("presence-seen");
            for (Held h : forRecipient) {
                sendTo(p.home(), new NotifyDeliver(h.id, h.recipient, h.box, self));
            }
        }
    }

    // ================================================================ home peer

    private void announce(String user) {
        UserKeys keys = localUsers.get(user);
        long time = scheduler.now();
        byte[] signature = NotificationCrypto.signPresence(keys.signing().getPrivate(), user, self, time);
        count("presence-announced");
        scribe.publish(NotificationCrypto.presenceGroup(keys.signingPublicKey()),
                new NotifyPresence(user, self, time, signature));
    }

    private void onDeliver(NotifyDeliver m) {
        if (m.id() == null || m.id().length != Notification.ID_BYTES || m.box() == null
                || m.box().length > MAX_BOX_BYTES || m.replyTo() == null || m.recipient() == null) {
            reject("garbage", "malformed notification envelope");
            return;
        }
        String recipient;
        try {
            recipient = AccountAddress.normalize(m.recipient());
        } catch (IllegalArgumentException e) {
            reject("garbage", "notification envelope for a malformed address");
            return;
        }
        String idHex = hex(m.id());
        UserKeys keys = localUsers.get(recipient);
        if (keys == null) {
            reject("not-homed", "notification " + idHex + " for " + recipient + ", who is not homed here");
            return;
        }
        NotificationCrypto.Opened opened;
        try {
            opened = NotificationCrypto.open(keys.encryption(), m.box());
        } catch (CryptoException | MalformedNotificationException e) {
            reject("garbage", "notification " + idHex + " for " + recipient + " does not open: " + e.getMessage());
            return;
        }
        Notification notification = opened.notification();
        if (!notification.recipient().equals(recipient)) {
            reject("wrong-recipient", "notification " + idHex + " delivered for " + recipient + " is addressed to "
                    + notification.recipient());
            return;
        }
        if (!Arrays.equals(notification.id(), m.id())) {
            reject("garbage", "notification envelope id " + idHex + " differs from the sealed id "
                    + notification.idHex());
            return;
        }
        List<NodeHandle> waiting = inFlight.get(idHex);
        if (waiting != null) {
            // being verified already (e.g. several delegates reacting to one presence): answer all at the end
            if (!waiting.contains(m.replyTo())) {
                waiting.add(m.replyTo());
            }
            return;
        }
        inFlight.put(idHex, new ArrayList<>(List.of(m.replyTo())));
        accounts.lookupCertificate(notification.sender()).whenCompleteAsync((sender, failure) -> {
            if (failure != null) {
                inFlight.remove(idHex);
                reject("sender-certificate", "notification " + idHex + " claims sender " + notification.sender()
                        + ", who has no valid certificate: " + AccountService.unwrap(failure).getMessage());
                return;
            }
            if (!NotificationCrypto.verifySender(opened, sender.signingKey())) {
                inFlight.remove(idHex);
                reject("bad-signature", "notification " + idHex + " is not signed by the certified key of its sender "
                        + notification.sender());
                return;
            }
            if (seen.contains(m.id())) {
                reject("duplicate", "notification " + idHex + " from " + notification.sender() + " was delivered"
                        + " before (replay or retry); not delivered again, receipt repeated");
                inFlight.remove(idHex).forEach(to -> receipt(keys, notification, to));
                return;
            }
            CompletableFuture<Void> accepted;
            try {
                accepted = sink.accept(notification, sender);
            } catch (RuntimeException e) {
                accepted = CompletableFuture.failedFuture(e);
            }
            accepted.whenCompleteAsync((ok, sinkFailure) -> {
                List<NodeHandle> receivers = inFlight.remove(idHex);
                if (sinkFailure != null) {
                    LOG.warn("{}: the sink refused {} for {}: {}; no receipt", self, idHex, recipient,
                            sinkFailure.getMessage());
                    count("sink-failed");
                    return;
                }
                seen.add(m.id());
                count("delivered");
                LOG.info("{}: delivered {}", self, notification);
                receivers.forEach(to -> receipt(keys, notification, to));
            }, onNode);
        }, onNode);
    }

    private void receipt(UserKeys keys, Notification notification, NodeHandle to) {
        byte[] signature = NotificationCrypto.signReceipt(keys.signing().getPrivate(), notification.id(),
                notification.recipient());
        count("receipt-sent");
        sendTo(to, new NotifyReceipt(notification.id(), notification.recipient(), signature));
    }

    private void reject(String why, String detail) {
        LOG.warn("{}: rejected ({}): {}", self, why, detail);
        count("rejected." + why);
    }

    // ================================================================ helpers

    private void sendTo(NodeHandle to, Message message) {
        if (to.equals(self)) {
            scheduler.schedule(0, () -> deliver(self.id(), message));
        } else {
            endpoint.routeDirect(to, message);
        }
    }

    private void count(String name) {
        counters.merge(name, 1L, Long::sum);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** For tests: sends a raw envelope to {@code home}, as any peer could. */
    void sendRaw(NodeHandle home, byte[] id, String recipient, byte[] box) {
        onNode.execute(() -> sendTo(home, new NotifyDeliver(id, recipient, box, self)));
    }
}
