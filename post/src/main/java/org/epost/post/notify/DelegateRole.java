package org.epost.post.notify;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.fair.SenderBudget;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate's part: keeps sealed notifications (it cannot open them) for home peers that did not answer, and hands
 * them to the home peer whenever it announces itself on the recipient's presence group ({@link PresenceWatch}) and,
 * every {@link Settings#retryIntervalMillis()}, to the home named by a fresh lookup of the identity block (which
 * catches a home peer that moved). A valid receipt ends the delegation; after {@link Settings#holdMillis()} the
 * notification is dropped with a warning. What is kept is as persistent as the {@link DelegateStore}, and bounded by its
 * byte quota (a full store refuses, and no ack goes out); only the index is held here, each body is read back from the
 * store when it is sent. The ids of the receipts seen are in memory. Node thread only.
 */
final class DelegateRole {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotifyNode node;
    private final AccountService accounts;
    private final DelegateStore store;
    private final Settings settings;
    private final PresenceWatch presence;
    private final NodeSignatures signatures;
    /** Sealed notifications kept for others, by id. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    /** Ids whose receipt was seen, so that a late copy is not kept again: for the hold window, at most MAX_RECEIPTED. */
    private final ReceiptedIds receipted;

    /** What is held in memory of a kept notification: its index entry, not its body (that stays in the store). */
    private static final class Held {
        final byte[] id;
        final String recipient;
        final long since;
        /** The sending peer, told of a refusal; null for notifications kept before origins were recorded. */
        final NodeHandle origin;
        /** The recipient's, once looked up: receipts and presences are verified against it. */
        UserCertificate certificate;

        Held(DelegateStore.Entry entry) {
            this.id = entry.id();
            this.recipient = entry.recipient();
            this.since = entry.since();
            this.origin = entry.origin();
        }
    }

    /**
     * What one node may make this one keep per minute: a peer delegates only what its recipients' homes did not take
     * in time, small boxes (the mail itself is in PAST), so this is far above an honest peer's need and far below a
     * flood of 4 MiB boxes ({@link Settings#fairness()}: {@code post.fair.bytes-per-minute},
     * {@code post.fair.delegations-per-minute}). A delegation over it gets no ack: its sender goes on with the other
     * delegates.
     */
    private final SenderBudget budget;

    /** Receipted ids remembered at most (about 60 bytes each): the oldest are forgotten first beyond it. */
    static final int MAX_RECEIPTED = 40_000;

    DelegateRole(NotifyNode node, AccountService accounts, DelegateStore store, Settings settings,
                 NodeSignatures signatures) {
        this.node = node;
        this.signatures = signatures;
        this.accounts = accounts;
        this.store = store;
        this.settings = settings;
        this.budget = settings.fairness().newBudget();
        this.presence = new PresenceWatch(node);
        this.receipted = new ReceiptedIds(SeenIds.windowFor(settings.holdMillis()), MAX_RECEIPTED);
    }

    /** Takes up what the store kept before a restart, once the node routes, and starts the retry rounds. */
    void resume() {
        Scheduler scheduler = node.scheduler();
        List<DelegateStore.Entry> restored = store.index();
        for (DelegateStore.Entry entry : restored) {
            held.putIfAbsent(entry.idHex(), new Held(entry));
        }
        if (!restored.isEmpty()) {
            LOG.info("{}: {} delegated notifications restored", node.self(), restored.size());
            scheduler.schedule(0, new Runnable() {
                @Override
                public void run() {
                    if (node.isReady()) {
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

    /** Delegations refused because their sender was over its budget per minute. */
    long refusedOverBudget() {
        return budget.refused();
    }

    /** Ids (hex) of the notifications kept here. */
    Set<String> heldIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(held.keySet()));
    }

    /**
     * A delegation. Routed to its key ({@code copy == false}, no {@code linkSender}), this node is the root: it copies
     * it to the rest of the k nodes closest to the key. A copy is taken only straight from a node that is itself among
     * those k (as this node sees them), and only if this node is too: anyone else could make a node keep (and ack)
     * what no sender will count. Every delegate that forced the notification to disk acks it to the origin itself,
     * signed with its node key; one that could not keep it says nothing.
     */
    void onDelegate(NodeHandle linkSender, NotifyDelegate m) {
        if (m.key() == null || m.id() == null || m.id().length != Notification.ID_BYTES || m.box() == null
                || m.box().length > NotificationService.MAX_BOX_BYTES || m.origin() == null) {
            LOG.warn("{}: malformed delegation; dropped", node.self());
            node.count("rejected.delegation");
            return;
        }
        String recipient;
        try {
            recipient = AccountAddress.normalize(m.recipient());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: delegation for a malformed address; dropped", node.self());
            node.count("rejected.delegation");
            return;
        }
        List<NodeHandle> replicas = node.replicaSet(m.key(), settings.delegates());
        int position = indexOf(replicas, node.self().id());
        // charged to the node whose link it came over, else (routed to this root) to the sending peer it names
        Id sender = linkSender != null ? linkSender.id() : m.origin().id();
        if (!budget.take(sender, m.box().length, node.scheduler().now())) {
            node.count("rejected.delegation-budget");
            if (budget.refused() % 100 == 1) {
                LOG.warn("{}: delegation {} from {} refused: over its budget of {} bytes and {} delegations per"
                        + " minute ({} refused so far); no ack", node.self(), hex(m.id()), sender,
                        settings.fairness().bytesPerMinute(), settings.fairness().itemsPerMinute(), budget.refused());
            }
            return;
        }
        if (m.copy() && (linkSender == null || position < 0 || indexOf(replicas, linkSender.id()) < 0)) {
            LOG.warn("{}: copy of delegated {} from {}, not one of the {} closest to {} with this node; dropped",
                    node.self(), hex(m.id()), linkSender, settings.delegates(), m.key());
            node.count("rejected.delegation-copy");
            return;
        }
        if (!m.copy()) {
            NotifyDelegate copy = new NotifyDelegate(m.key(), m.id(), recipient, m.box(), m.origin(), true);
            for (NodeHandle replica : replicas) {
                if (!replica.equals(node.self())) {
                    node.routeDirect(replica, copy);
                }
            }
        }
        // a root that is not among the closest it knows of is no delegate the sender could count: it does not ack
        if (keep(m.id(), recipient, m.box(), m.origin()) && position >= 0) {
            DelegationAck ack = new DelegationAck(m.id(), m.key(), node.self().id(), position, replicas.size());
            byte[] encoded = ack.encode();
            node.sendTo(m.origin(), new NotifyKept(encoded, signatures.sign(encoded), signatures.credential()));
            node.count("kept-acks-sent");
        }
    }

    private static int indexOf(List<NodeHandle> handles, Id id) {
        for (int i = 0; i < handles.size(); i++) {
            if (handles.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** A (well-formed) receipt no send here waited for: if it is for a notification kept here, the delegation ends. */
    void onReceipt(NotifyReceipt m) {
        String id = hex(m.id());
        Held h = held.get(id);
        if (h == null || h.certificate == null) {
            return;
        }
        if (!m.recipient().equals(h.recipient) || !NotificationCrypto.verifyReceipt(h.certificate.signingKey(),
                m.id(), m.recipient(), m.signature())) {
            LOG.warn("{}: receipt for kept {} not signed by {}'s certified key; ignored", node.self(), id,
                    h.recipient);
            node.count("rejected.receipt");
            return;
        }
        ended(h);
    }

    /**
     * The ids of a receipt batch ({@code encoded}, decoded as {@code batch}) that no send here waited for: those of
     * notifications kept here end their delegation if the batch is signed by their recipient's certified key (checked
     * once per key).
     */
    void onReceipts(ReceiptBatch batch, byte[] encoded, byte[] signature, List<byte[]> ids) {
        Map<PublicKey, Boolean> checked = new HashMap<>();
        for (byte[] id : ids) {
            Held h = held.get(hex(id));
            if (h == null || h.certificate == null) {
                continue;
            }
            if (!batch.recipient().equals(h.recipient) || !checked.computeIfAbsent(h.certificate.signingKey(),
                    key -> NotificationCrypto.verifyReceipts(key, encoded, signature))) {
                LOG.warn("{}: receipt batch naming kept {} not signed by {}'s certified key; ignored", node.self(),
                        hex(id), h.recipient);
                node.count("rejected.receipt");
                continue;
            }
            ended(h);
        }
    }

    private void ended(Held h) {
        String id = hex(h.id);
        LOG.info("{}: {} acknowledged by {}; delegation ended", node.self(), id, h.recipient);
        node.count("delegations-ended");
        receipted.add(id, node.scheduler().now());
        drop(h);
    }

    /**
     * A verified refusal ends the delegation: the home peer will never take the notification. The sender answered
     * 250 when it delegated, so the signed refusal goes on to the sending peer, which bounces the mail to its sender.
     */
    void onRefusal(Refusal refusal, byte[] signature) {
        String id = refusal.idHex();
        Held h = held.get(id);
        if (h == null || h.certificate == null) {
            return;
        }
        if (!refusal.recipient().equals(h.recipient)
                || !NotificationCrypto.verifyRefusal(h.certificate.signingKey(), refusal, signature)) {
            LOG.warn("{}: refusal of kept {} not signed by {}'s certified key; ignored", node.self(), id, h.recipient);
            node.count("rejected.refusal");
            return;
        }
        node.count("delegations-refused");
        receipted.add(id, node.scheduler().now());
        drop(h);
        if (h.origin == null) {
            LOG.warn("{}: {} refused by the home peer of {} ({}); delegation ended, its sending peer is not known",
                    node.self(), id, h.recipient, refusal.reason());
            return;
        }
        LOG.warn("{}: {} refused by the home peer of {} ({}); delegation ended, refusal forwarded to {}",
                node.self(), id, h.recipient, refusal.reason(), h.origin);
        node.count("refusals-forwarded");
        node.sendTo(h.origin, new NotifyRefusal(refusal.encode(), signature));
    }

    /**
     * The recipient's home peer cannot open a box kept here. Once signed by the recipient's certified key (as a
     * receipt) and for exactly the body kept (its hash, computed off the node thread), the delegation ends and its
     * bytes are freed; nothing goes to the sending peer, who made the box or cannot be trusted to. Any other one
     * changes nothing.
     */
    void onBoxRefusal(BoxRefusal refusal, byte[] signature) {
        String id = refusal.idHex();
        Held h = held.get(id);
        if (h == null || h.certificate == null || !refusal.recipient().equals(h.recipient)
                || !NotificationCrypto.verifyBoxRefusal(h.certificate.signingKey(), refusal, signature)) {
            LOG.warn("{}: box refusal of {} for {}: not kept here, or not signed by the recipient's certified key;"
                    + " ignored", node.self(), id, refusal.recipient());
            node.count("rejected.box-refusal");
            return;
        }
        Optional<byte[]> box = store.box(h.id);
        node.offload(box.map(b -> b.length).orElse(0), () -> box.map(refusal::refuses).orElse(false), refused -> {
            if (held.get(id) != h) {
                return;
            }
            if (!refused) {
                LOG.warn("{}: box refusal of {} for {} names another box than the one kept; ignored", node.self(),
                        id, h.recipient);
                node.count("rejected.box-refusal");
                return;
            }
            LOG.warn("{}: the home peer of {} cannot open kept {} ({}); delegation ended, {} bytes freed",
                    node.self(), h.recipient, id, refusal.fault(), box.get().length);
            node.count("delegations-discarded");
            drop(h);
        });
    }

    /** A presence on {@code group}: if it is the recipient's own, what is kept for it goes to the home it names. */
    void onPresence(Id group, NotifyPresence p) {
        List<Held> forRecipient = held.values().stream()
                .filter(h -> h.recipient.equals(p.recipient()) && h.certificate != null).toList();
        if (forRecipient.isEmpty() || !presence.believe(group, p, forRecipient.get(0).certificate)) {
            return;
        }
        for (Held h : forRecipient) {
            deliver(h, p.home());
        }
    }

    /**
     * Keeps a newly delegated notification (persistently, as the {@link DelegateStore} is); whether it is kept. A full
     * store refuses it: no ack goes out, and the sender tries other delegates.
     */
    private boolean keep(byte[] id, String recipient, byte[] box, NodeHandle origin) {
        String idHex = hex(id);
        if (held.containsKey(idHex)) {
            return true;
        }
        if (receipted.contains(idHex, node.scheduler().now())) {
            return false;
        }
        DelegateStore.Entry entry = new DelegateStore.Entry(id, recipient, node.scheduler().now(), origin,
                box.length);
        try {
            store.put(entry, box);
        } catch (DelegateStore.FullException e) {
            LOG.warn("{}: delegated {} for {} from {} refused: {}", node.self(), idHex, recipient, origin,
                    e.getMessage());
            node.count("rejected.delegation-full");
            return false;
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot store delegated {} for {}: {}; not kept", node.self(), idHex, recipient,
                    e.toString());
            node.count("rejected.delegation");
            return false;
        }
        Held h = new Held(entry);
        held.put(idHex, h);
        node.count("kept");
        resolve(h, true);
        return true;
    }

    /** Sends a kept notification to {@code home}, its body read back from the store; one no longer there is dropped. */
    private void deliver(Held h, NodeHandle home) {
        Optional<byte[]> box = store.box(h.id);
        if (box.isEmpty()) {
            LOG.warn("{}: body of delegated {} for {} lost from the store; dropped", node.self(), hex(h.id),
                    h.recipient);
            node.count("lost");
            drop(h);
            return;
        }
        node.sendTo(home, new NotifyDeliver(h.id, h.recipient, box.get(), node.self()));
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
                    LOG.warn("{}: cannot keep {} for {}: no certificate; dropped", node.self(), idHex, h.recipient);
                    node.count("rejected.delegation");
                    drop(h);
                } else {
                    LOG.debug("{}: certificate of {} not available ({}); will retry", node.self(), h.recipient,
                            cause.getMessage());
                }
                return;
            }
            h.certificate = certificate;
            presence.join(h.recipient, certificate);
            attempt(h);
        }, node.onNode());
    }

    /** Looks the recipient's identity up and sends the kept notification to the home peer it names. */
    private void attempt(Held h) {
        accounts.lookupIdentity(h.recipient).whenCompleteAsync((identity, failure) -> {
            if (held.get(hex(h.id)) != h || !node.running()) {
                return;
            }
            if (failure != null) {
                LOG.debug("{}: identity of {} not found ({}); will retry", node.self(), h.recipient,
                        failure.getMessage());
                return;
            }
            node.count("delegate-attempts");
            deliver(h, identity.home());
        }, node.onNode());
    }

    private void retryRound() {
        if (!node.running()) {
            return;
        }
        for (Held h : new ArrayList<>(held.values())) {
            if (node.scheduler().now() - h.since > settings.holdMillis()) {
                LOG.warn("{}: gave up on {} for {} after {} ms without a receipt; dropped", node.self(), hex(h.id),
                        h.recipient, settings.holdMillis());
                node.count("expired");
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
            store.remove(h.id);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot remove delegated {} from the store: {}", node.self(), hex(h.id), e.toString());
        }
        boolean more = held.values().stream().anyMatch(other -> other.recipient.equals(h.recipient));
        if (!more) {
            presence.leave(h.recipient);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
