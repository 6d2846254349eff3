package org.epost.post.notify;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.IdentityBlock;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.notify.messages.NotifyReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's part: signs a notification with the sender's key, seals it to the recipient's certified encryption key
 * and sends it ({@link NotifyDeliver}) to the home peer named by the recipient's identity block. A
 * {@link NotifyReceipt} signed by the recipient's certified key completes the send with {@link Outcome#DELIVERED}.
 * Without one in time the sealed notification is routed to a random key ({@link NotifyDelegate}); the send completes with
 * {@link Outcome#DELEGATED} once k distinct delegates (fewer only under {@link Settings#degradedQuorum()}) each said
 * they forced it to disk, in a {@link DelegationAck} signed with their node key and received straight from them
 * ({@link #onKept}). Pending sends are in memory only: durability before the receipt or the delegation is the
 * outbox's job. Node thread only.
 */
final class SendingRole {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotifyNode node;
    private final AccountService accounts;
    /** The keys of a user homed here (null otherwise), which spares a vault read per send. */
    private final Function<String, UserKeys> localKeys;
    private final Settings settings;
    private final NodeSignatures signatures;
    /** Source of delegation keys. */
    private final Random random;
    /** Sends waiting for a receipt or a delegation, by id. */
    private final Map<String, Pending> pending = new HashMap<>();

    private static final class Pending {
        final Notification notification;
        final UserCertificate recipient;
        final byte[] box;
        final CompletableFuture<Outcome> result;
        Scheduler.Cancellable timer;
        int delegationAttempts;
        /** The delegation keys used so far: an ack is for one of them. */
        final Set<Id> keys = new HashSet<>();
        /** The delegates whose valid ack was counted, and the (key, position) each took. */
        final Set<Id> keepers = new HashSet<>();
        final Set<String> positions = new HashSet<>();
        /** The most delegates an ack said its key has (what a degraded quorum is measured against). */
        int largestCount;

        /** The scheduler's time when the send began. */
        final long started;

        Pending(Notification notification, UserCertificate recipient, byte[] box, CompletableFuture<Outcome> result,
                long started) {
            this.started = started;
            this.notification = notification;
            this.recipient = recipient;
            this.box = box;
            this.result = result;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }

    SendingRole(NotifyNode node, AccountService accounts, Function<String, UserKeys> localKeys, Settings settings,
                Random random, NodeSignatures signatures) {
        this.node = node;
        this.signatures = signatures;
        this.accounts = accounts;
        this.localKeys = localKeys;
        this.settings = settings;
        this.random = random;
    }

    /** Sends {@code notification} from its sender (who must be homed here); {@code result} tells how it ended. */
    void send(Notification notification, CompletableFuture<Outcome> result) {
        UserKeys local = localKeys.apply(notification.sender());
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
        long started = node.scheduler().now();
        accounts.lookupCertificate(recipient).whenCompleteAsync((certificate, failure) -> {
            if (failure != null) {
                result.completeExceptionally(new NotificationException("no valid certificate for " + recipient,
                        AccountService.unwrap(failure)));
                return;
            }
            // the recipient's identity (a PAST lookup) is read while the box is signed and sealed, not after; the
            // certificate the box is sealed to, checked a moment ago, is the one the identity is checked against
            CompletableFuture<IdentityBlock> identity = accounts.lookupIdentity(certificate.address(), certificate);
            node.offload(NotifyNode.SMALL_WORK_BYTES, () -> NotificationCrypto.signAndSeal(notification,
                    keys.signing().getPrivate(), certificate.encryptionKey()), box -> {
                        node.timeSince("sender.sealed", started);
                        Pending p = new Pending(notification, certificate, box, result, started);
                        if (pending.putIfAbsent(notification.idHex(), p) != null) {
                            result.completeExceptionally(new NotificationException("notification "
                                    + notification.idHex() + " is being sent already"));
                            return;
                        }
                        sendHome(p, identity);
                    });
        }, node.onNode());
    }

    /** Sends to the home peer the identity block names, and delegates if it does not answer in time. */
    private void sendHome(Pending p, CompletableFuture<IdentityBlock> lookup) {
        Notification notification = p.notification;
        String recipient = notification.recipient();
        lookup.whenCompleteAsync((identity, lookupFailure) -> {
            if (pending.get(notification.idHex()) != p) {
                return;
            }
            if (lookupFailure != null) {
                LOG.info("{}: no identity of {} ({}); delegating {}", node.self(), recipient,
                        AccountService.unwrap(lookupFailure).getMessage(), notification.idHex());
                delegate(p);
                return;
            }
            node.count("sent");
            node.timeSince("sender.sent", p.started);
            node.sendTo(identity.home(), new NotifyDeliver(notification.id(), recipient, p.box, node.self()));
            p.timer = node.scheduler().schedule(settings.receiptTimeoutMillis(), () -> {
                LOG.info("{}: no receipt for {} from {} within {} ms; delegating", node.self(), notification.idHex(),
                        identity.home(), settings.receiptTimeoutMillis());
                delegate(p);
            });
        }, node.onNode());
    }

    /** One more delegation attempt, to a fresh random key; the send fails once the attempts are used up. */
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
        p.keys.add(key);
        node.count("delegations-started");
        node.route(key, new NotifyDelegate(key, p.notification.id(), p.notification.recipient(), p.box, node.self(),
                false));
        p.timer = node.scheduler().schedule(settings.delegateAckTimeoutMillis(), () -> delegate(p));
    }

    /**
     * A delegate's ack: counted if it is for a send delegated from here under one of its keys, received straight from
     * the delegate it names, signed by that node's key, at a position no other delegate took, and from a node not
     * provably outside the k closest to the key. The send completes once enough distinct delegates are counted.
     */
    void onKept(NodeHandle linkSender, NotifyKept m) {
        DelegationAck ack;
        try {
            ack = DelegationAck.decode(m.ack());
        } catch (MalformedNotificationException e) {
            LOG.warn("{}: {} from {}; dropped", node.self(), e.getMessage(), linkSender);
            node.count("rejected.ack");
            return;
        }
        Pending p = pending.get(ack.idHex());
        if (p == null || p.delegationAttempts == 0) {
            node.count("acks-unexpected");
            return;
        }
        if (p.keepers.contains(ack.delegate()) && linkSender != null && linkSender.id().equals(ack.delegate())) {
            node.count("acks-repeated");
            return;
        }
        String invalid = invalid(linkSender, m, ack, p);
        if (invalid != null) {
            LOG.warn("{}: {} rejected: {}", node.self(), ack, invalid);
            node.count("rejected.ack");
            return;
        }
        p.keepers.add(ack.delegate());
        p.positions.add(ack.key() + "/" + ack.position());
        p.largestCount = Math.max(p.largestCount, ack.count());
        int needed = settings.quorum(p.largestCount);
        if (p.keepers.size() < needed) {
            return;
        }
        p.cancelTimer();
        pending.remove(p.notification.idHex());
        LOG.info("{}: notification {} kept by {} delegates", node.self(), p.notification.idHex(), p.keepers.size());
        p.result.complete(Outcome.DELEGATED);
    }

    /** Why {@code ack} cannot count for {@code p}; null if it can. */
    private String invalid(NodeHandle linkSender, NotifyKept m, DelegationAck ack, Pending p) {
        if (linkSender == null || !linkSender.id().equals(ack.delegate())) {
            return "it did not come straight from the delegate it names but from " + linkSender;
        }
        if (!p.keys.contains(ack.key())) {
            return "its key " + ack.key() + " is not one this send was delegated to";
        }
        if (ack.count() > settings.delegates()) {
            return "it claims " + ack.count() + " delegates, more than " + settings.delegates();
        }
        if (p.positions.contains(ack.key() + "/" + ack.position())) {
            return "another delegate took position " + ack.position() + " already";
        }
        if (!signatures.verify(ack.delegate(), m.credential(), m.ack(), m.signature())) {
            return "it is not signed by the node key of " + ack.delegate();
        }
        if (provablyNotAmongClosest(ack.key(), ack.delegate())) {
            return ack.delegate() + " is not among the " + settings.delegates() + " nodes closest to the key";
        }
        return null;
    }

    /** Whether this node knows k live nodes all closer to {@code key} than {@code delegate}. */
    private boolean provablyNotAmongClosest(Id key, Id delegate) {
        List<NodeHandle> known = node.replicaSet(key, settings.delegates());
        if (known.size() < settings.delegates() || known.stream().anyMatch(h -> h.id().equals(delegate))) {
            return false;
        }
        return known.get(known.size() - 1).id().isCloserTo(key, delegate);
    }

    /**
     * Takes a refusal (negative receipt) for one of the sends waiting here: verified against the recipient's
     * certified key, it ends the send with a {@link NotificationRefusedException}; anything else (another recipient,
     * a signature by anyone else: a node that is not the recipient's home) is logged and ignored, and the send goes on
     * as if nothing had come. Returns whether the id was one of this role's sends.
     */
    boolean onRefusal(Refusal refusal, byte[] signature) {
        String id = refusal.idHex();
        Pending p = pending.get(id);
        if (p == null) {
            return false;
        }
        if (!refusal.recipient().equals(p.notification.recipient())
                || !NotificationCrypto.verifyRefusal(p.recipient.signingKey(), refusal, signature)) {
            LOG.warn("{}: refusal of {} not signed by {}'s certified key; ignored", node.self(), id,
                    p.notification.recipient());
            node.count("rejected.refusal");
            return true;
        }
        p.cancelTimer();
        pending.remove(id);
        node.count("refusals-received");
        LOG.info("{}: {} refused by the home peer of {}: {}", node.self(), id, refusal.recipient(), refusal.reason());
        p.result.completeExceptionally(new NotificationRefusedException(refusal.reason(), null));
        return true;
    }

    /**
     * Takes a (well-formed) receipt for one of the sends waiting here; whether there was one, in which case the
     * receipt is this role's whether it verifies or not.
     */
    boolean onReceipt(NotifyReceipt m) {
        String id = HexFormat.of().formatHex(m.id());
        Pending p = pending.get(id);
        if (p == null) {
            return false;
        }
        if (!m.recipient().equals(p.notification.recipient())) {
            rejectReceipt(id, p);
            return true;
        }
        node.offload(NotifyNode.SMALL_WORK_BYTES, () -> NotificationCrypto.verifyReceipt(p.recipient.signingKey(),
                m.id(), m.recipient(), m.signature()), signed -> receipted(p, signed));
        return true;
    }

    /**
     * Takes a receipt batch ({@code encoded}, decoded as {@code batch}): the sends waiting here that it names for
     * their recipient end once its signature was checked, once per certified key of the recipient. Returns the ids
     * it names that no send here waits for (a delegation kept here, or nothing).
     */
    List<byte[]> onReceipts(ReceiptBatch batch, byte[] encoded, byte[] signature) {
        Map<PublicKey, List<Pending>> byKey = new LinkedHashMap<>();
        List<byte[]> others = new ArrayList<>();
        for (byte[] id : batch.ids()) {
            Pending p = pending.get(HexFormat.of().formatHex(id));
            if (p == null) {
                others.add(id);
            } else if (!batch.recipient().equals(p.notification.recipient())) {
                rejectReceipt(p.notification.idHex(), p);
            } else {
                byKey.computeIfAbsent(p.recipient.signingKey(), key -> new ArrayList<>()).add(p);
            }
        }
        byKey.forEach((key, sends) -> node.offload(NotifyNode.SMALL_WORK_BYTES,
                () -> NotificationCrypto.verifyReceipts(key, encoded, signature),
                signed -> sends.forEach(p -> receipted(p, signed))));
        return others;
    }

    /** A receipt for {@code p} checked: a valid one ends the send unless one verified meanwhile ended it already. */
    private void receipted(Pending p, boolean signed) {
        String id = p.notification.idHex();
        if (!signed) {
            rejectReceipt(id, p);
        } else if (pending.get(id) == p) {
            p.cancelTimer();
            pending.remove(id);
            node.count("receipts-received");
            p.result.complete(Outcome.DELIVERED);
        }
    }

    private void rejectReceipt(String id, Pending p) {
        LOG.warn("{}: receipt for {} not signed by {}'s certified key; ignored", node.self(), id,
                p.notification.recipient());
        node.count("rejected.receipt");
    }
}
