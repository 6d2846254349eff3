package org.epost.post.notify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.CryptoException;
import org.epost.post.notify.messages.NotifyBoxRefusal;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home peer's part: the users homed here and their presence, and every notification delivered for them. It opens
 * the box with the recipient's key, checks the notification is well formed and for this recipient, verifies the
 * sender's signature against the sender's certificate, suppresses duplicates by id ({@link SeenIds}), hands it to the
 * {@link NotificationSink}, and then answers the signed receipt, or, when the sink refuses it for good
 * ({@link NotificationRefusedException}), the signed negative receipt ({@link Refusal}) (repeated for a verified duplicate, so that a sender
 * or delegate whose receipt was lost stops, but never delivered twice). A box that does not open to a notification for
 * this recipient signed by its sender is answered with a signed {@link BoxRefusal}, so that delegates stop handing it
 * over. Every rejection is logged at WARN and
 * counted as {@code rejected.<why>}. Node thread only.
 */
final class HomeRole {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotifyNode node;
    private final AccountService accounts;
    private final NotificationSink sink;
    private final SeenIds seen;
    private final ReceiptBatcher receipts;
    /** The users homed here, with their keys (read from the vault once, when added). */
    private final Map<String, UserKeys> users = new LinkedHashMap<>();
    /** Ids being verified or handed to the sink, with every peer waiting for their receipt. */
    private final Map<String, List<NodeHandle>> inFlight = new HashMap<>();
    /** Boxes that open but cannot be accepted yet: refused for good only after several failures over hours. */
    private final UnprovenSenders unproven = new UnprovenSenders();

    HomeRole(NotifyNode node, AccountService accounts, NotificationSink sink, SeenIds seen) {
        this.node = node;
        this.accounts = accounts;
        this.sink = sink;
        this.seen = seen;
        this.receipts = new ReceiptBatcher(node);
    }

    /** The keys of {@code address} if it is homed here, else null. */
    UserKeys localKeys(String address) {
        return users.get(address);
    }

    /** Serves {@code address} (normalized) from now on, announcing its presence while running. */
    void addUser(String address) {
        if (users.containsKey(address)) {
            return;
        }
        UserKeys keys;
        try {
            keys = accounts.keys(address).orElse(null);
        } catch (KeyVaultException e) {
            LOG.warn("{}: cannot read the keys of {}: {}; not served here", node.self(), address, e.getMessage());
            return;
        }
        if (keys == null) {
            LOG.warn("{}: {} is not provisioned here; not served here", node.self(), address);
            return;
        }
        users.put(address, keys);
        if (node.running()) {
            announce(address);
        }
    }

    void removeUser(String address) {
        users.remove(address);
    }

    /** Tells the delegates keeping notifications for the users homed here where to deliver them. */
    void announceAll() {
        users.keySet().forEach(this::announce);
    }

    private void announce(String user) {
        UserKeys keys = users.get(user);
        long time = node.scheduler().now();
        byte[] signature = NotificationCrypto.signPresence(keys.signing().getPrivate(), user, node.self(), time);
        node.count("presence-announced");
        node.publishPresence(NotificationCrypto.presenceGroup(keys.signingPublicKey()),
                new NotifyPresence(user, node.self(), time, signature));
    }

    void onDeliver(NotifyDeliver m) {
        onDeliver(null, m);
    }

    /**
     * A notification delivered over the link from {@code linkSender} (null: from whom is not known). Opening it waits
     * for the turn of the node that delivered it (its link's, else the one it names to answer), so that one node's
     * flood of boxes does not hold up the others'; one over its share is dropped (counted as {@code
     * rejected.busy}): its sender delegates it and its delegates hand it over again.
     */
    void onDeliver(NodeHandle linkSender, NotifyDeliver m) {
        if (m.id() == null || m.id().length != Notification.ID_BYTES || m.box() == null
                || m.box().length > NotificationService.MAX_BOX_BYTES || m.replyTo() == null
                || m.recipient() == null) {
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
        String idHex = HexFormat.of().formatHex(m.id());
        UserKeys keys = users.get(recipient);
        if (keys == null) {
            reject("not-homed", "notification " + idHex + " for " + recipient + ", who is not homed here");
            return;
        }
        Id sender = linkSender != null ? linkSender.id() : m.replyTo().id();
        long arrived = node.scheduler().now();
        boolean queued = node.offloadFor(sender, m.box().length, () -> Opening.of(keys, m.box()), opening -> {
            if (opening.opened() == null) {
                reject("garbage", "notification " + idHex + " for " + recipient + " does not open: "
                        + opening.failure());
                refuseBox(m, recipient, keys, BoxRefusal.Fault.DOES_NOT_OPEN, List.of(m.replyTo()));
            } else {
                phase("opened", arrived);
                onOpened(m, recipient, keys, opening.opened(), arrived);
            }
        });
        if (!queued) {
            reject("busy", "notification " + idHex + " for " + recipient + " from " + sender + ": that node has its share of "
                    + node.fairness().queueBytesPerSender() + " bytes of boxes waiting to be opened already (or all"
                    + " nodes together " + node.fairness().queueBytesTotal() + ")");
        }
    }

    /** The box opened with the recipient's key, or why it does not (made off the node thread). */
    private record Opening(NotificationCrypto.Opened opened, String failure) {
        static Opening of(UserKeys keys, byte[] box) {
            try {
                return new Opening(NotificationCrypto.open(keys.encryption(), box), null);
            } catch (CryptoException | MalformedNotificationException e) {
                return new Opening(null, e.getMessage());
            }
        }
    }

    private void onOpened(NotifyDeliver m, String recipient, UserKeys keys, NotificationCrypto.Opened opened,
                          long arrived) {
        String idHex = HexFormat.of().formatHex(m.id());
        Notification notification = opened.notification();
        if (!notification.recipient().equals(recipient)) {
            reject("wrong-recipient", "notification " + idHex + " delivered for " + recipient + " is addressed to "
                    + notification.recipient());
            refuseBox(m, recipient, keys, BoxRefusal.Fault.WRONG_RECIPIENT, List.of(m.replyTo()));
            return;
        }
        if (!Arrays.equals(notification.id(), m.id())) {
            reject("garbage", "notification envelope id " + idHex + " differs from the sealed id "
                    + notification.idHex());
            refuseBox(m, recipient, keys, BoxRefusal.Fault.ID_MISMATCH, List.of(m.replyTo()));
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
                List<NodeHandle> answered = inFlight.remove(idHex);
                Throwable cause = AccountService.unwrap(failure);
                reject("sender-certificate", "notification " + idHex + " claims sender " + notification.sender()
                        + ", who has no valid certificate: " + cause.getMessage());
                // only "no certificate stored" counts towards a refusal: it may be transient, so not at once
                if (cause instanceof AccountException e && e.reason() == AccountException.Reason.NOT_FOUND
                        && unproven.failedAndGiveUp(idHex, node.scheduler().now())) {
                    refuseBox(m, recipient, keys, BoxRefusal.Fault.UNKNOWN_SENDER, answered);
                }
                return;
            }
            phase("certified", arrived);
            node.offload(m.box().length, () -> NotificationCrypto.verifySender(opened, sender.signingKey()),
                    signed -> onVerified(m, notification, sender, keys, signed, arrived));
        }, node.onNode());
    }

    /** A notification opened and checked for this recipient, once its sender's signature was checked. */
    private void onVerified(NotifyDeliver m, Notification notification, UserCertificate sender, UserKeys keys,
                            boolean signed, long arrived) {
        String idHex = notification.idHex();
        if (!signed) {
            reject("bad-signature", "notification " + idHex + " is not signed by the certified key of its sender "
                    + notification.sender());
            // every peer waiting handed over a box that opened to this id; the refusal names m's box only
            refuseBox(m, notification.recipient(), keys, BoxRefusal.Fault.BAD_SIGNATURE, inFlight.remove(idHex));
            return;
        }
        if (!seen.remembers(notification.date(), node.scheduler().now())) {
            List<NodeHandle> waiting = inFlight.remove(idHex);
            reject("expired", "notification " + idHex + " from " + notification.sender() + " is dated "
                    + notification.date() + ", older than duplicates are remembered; refused as a possible replay");
            if (unproven.failedAndGiveUp(idHex, node.scheduler().now())) {
                refuseBox(m, notification.recipient(), keys, BoxRefusal.Fault.EXPIRED, waiting);
            }
            return;
        }
        unproven.forget(idHex);
        if (seen.contains(notification.id())) {
            reject("duplicate", "notification " + idHex + " from " + notification.sender() + " was delivered"
                    + " before (replay or retry); not delivered again, receipt repeated");
            receipts(keys, notification, inFlight.remove(idHex));
            return;
        }
        phase("verified", arrived);
        handOver(notification, sender, keys, arrived);
    }

    /**
     * Hands a verified, new notification to the sink; once it took it, it is seen and every waiting peer answered.
     * The id is written ahead as begun first, so that if this process dies after the sink appended the mail and before
     * the id is seen, the retry that follows is handed over with {@link NotificationSink#acceptAgain}, which finds the
     * mail already there instead of appending it twice.
     */
    private void handOver(Notification notification, UserCertificate sender, UserKeys keys, long arrived) {
        String idHex = notification.idHex();
        CompletableFuture<Void> accepted;
        try {
            if (seen.begun(notification.id())) {
                // INFO, not DEBUG: this is the kill-between-append-and-seen window, rare and worth a trace (the fault
                // campaign counts these lines to tell whether its kills hit it)
                LOG.info("{}: {} for {} was begun before and never marked seen; handed over again (appended only if"
                        + " not already there)", node.self(), idHex, notification.recipient());
                node.count("handed-over-again");
                accepted = sink.acceptAgain(notification, sender);
            } else {
                // the sink appends only once the begun line is durable; that force is shared like the seen one
                accepted = seen.begin(notification.id(), notification.date())
                    .thenComposeAsync(durable -> {
                        phase("begun", arrived);
                        return sink.accept(notification, sender);
                    }, node.onNode());
            }
        } catch (RuntimeException e) {
            accepted = CompletableFuture.failedFuture(e);
        }
        accepted.whenCompleteAsync((ok, sinkFailure) -> {
            phase("accepted", arrived);
            List<NodeHandle> receivers = inFlight.remove(idHex);
            if (sinkFailure != null) {
                Throwable cause = AccountService.unwrap(sinkFailure);
                if (cause instanceof NotificationRefusedException refused) {
                    // permanent: a signed negative receipt makes the sender bounce instead of retrying; the id is
                    // not marked seen, so a retry after the cause is gone (quota freed) would be delivered
                    LOG.warn("{}: {} for {} refused for good: {}; negative receipt sent", node.self(), idHex,
                            notification.recipient(), cause.getMessage());
                    node.count("refused." + refused.reason().name().toLowerCase(java.util.Locale.ROOT));
                    Refusal refusal = new Refusal(notification.id(), notification.recipient(), refused.reason());
                    receivers.forEach(to -> refusal(keys, refusal, to));
                    return;
                }
                LOG.warn("{}: the sink refused {} for {}: {}; no receipt", node.self(), idHex,
                        notification.recipient(), cause.getMessage());
                node.count("sink-failed");
                return;
            }
            // the receipt waits for the id on disk; the add shares its fsync with the ids added meanwhile
            seen.add(notification.id(), notification.date()).whenCompleteAsync((durable, seenFailure) -> {
                if (seenFailure != null) {
                    LOG.warn("{}: {} for {} was delivered but its id cannot be kept: {}; no receipt", node.self(),
                            idHex, notification.recipient(), AccountService.unwrap(seenFailure).getMessage());
                    node.count("seen-failed");
                    return;
                }
                phase("seen", arrived);
                node.count("delivered");
                LOG.info("{}: delivered {}", node.self(), notification);
                receipts(keys, notification, receivers);
            }, node.onNode());
        }, node.onNode());
    }

    /** The receipt to every peer waiting for it, signed with the receipts that complete with it. */
    private void receipts(UserKeys keys, Notification notification, List<NodeHandle> receivers) {
        receivers.forEach(to -> receipts.add(keys, notification.recipient(), notification.id(), to));
    }

    private void refusal(UserKeys keys, Refusal refusal, NodeHandle to) {
        byte[] signature = NotificationCrypto.signRefusal(keys.signing().getPrivate(), refusal);
        node.count("refusal-sent");
        node.sendTo(to, new NotifyRefusal(refusal.encode(), signature));
    }

    /**
     * Tells the peers in {@code to} that the box of {@code m} will never be taken, signed with the recipient's key so
     * that the delegates keeping exactly that box drop it instead of handing it over again until their hold ends
     * (hashed and signed off the node thread). A legitimate box opens, so no delegate of one can be told this.
     */
    private void refuseBox(NotifyDeliver m, String recipient, UserKeys keys, BoxRefusal.Fault fault,
                           List<NodeHandle> to) {
        node.offload(m.box().length, () -> {
            BoxRefusal refusal = BoxRefusal.of(m.id(), recipient, m.box(), fault);
            return new NotifyBoxRefusal(refusal.encode(),
                    NotificationCrypto.signBoxRefusal(keys.signing().getPrivate(), refusal));
        }, refusal -> to.forEach(peer -> {
            node.count("box-refusal-sent");
            node.sendTo(peer, refusal);
        }));
    }

    /**
     * How long after its arrival a delivered notification reached {@code phase} (opened, certified, verified, begun,
     * accepted by the sink, seen), as the timer {@code epost.notify.home.<phase>}: where a delivery's time goes.
     */
    private void phase(String phase, long arrived) {
        node.timeSince("home." + phase, arrived);
    }

    private void reject(String why, String detail) {
        LOG.warn("{}: rejected ({}): {}", node.self(), why, detail);
        node.count("rejected." + why);
    }
}
