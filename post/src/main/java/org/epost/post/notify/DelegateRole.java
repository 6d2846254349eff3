package org.epost.post.notify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDelegated;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate's part: keeps sealed notifications (it cannot open them) for home peers that did not answer, and hands
 * them to the home peer whenever it announces itself on the recipient's presence group ({@link PresenceWatch}) and,
 * every {@link Settings#retryIntervalMillis()}, to the home named by a fresh lookup of the identity block (which
 * catches a home peer that moved). A valid receipt ends the delegation; after {@link Settings#holdMillis()} the
 * notification is dropped with a warning. What is kept is as persistent as the {@link DelegateStore}; the ids of the
 * receipts seen are in memory. Node thread only.
 */
final class DelegateRole {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotifyNode node;
    private final AccountService accounts;
    private final DelegateStore store;
    private final Settings settings;
    private final PresenceWatch presence;
    /** Sealed notifications kept for others, by id. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    /** Ids whose receipt was seen, so that a late copy is not kept again: for the hold window, at most 4 x MAX_KEPT. */
    private final ReceiptedIds receipted;

    private static final class Held {
        final byte[] id;
        final String recipient;
        final byte[] box;
        final long since;
        /** The recipient's, once looked up: receipts and presences are verified against it. */
        UserCertificate certificate;

        Held(byte[] id, String recipient, byte[] box, long since) {
            this.id = id;
            this.recipient = recipient;
            this.box = box;
            this.since = since;
        }
    }

    DelegateRole(NotifyNode node, AccountService accounts, DelegateStore store, Settings settings) {
        this.node = node;
        this.accounts = accounts;
        this.store = store;
        this.settings = settings;
        this.presence = new PresenceWatch(node);
        this.receipted = new ReceiptedIds(SeenIds.windowFor(settings.holdMillis()), 4 * NotificationService.MAX_KEPT);
    }

    /** Takes up what the store kept before a restart, once the node routes, and starts the retry rounds. */
    void resume() {
        Scheduler scheduler = node.scheduler();
        List<DelegateStore.Entry> restored = store.loadAll();
        for (DelegateStore.Entry entry : restored) {
            held.putIfAbsent(hex(entry.id()), new Held(entry.id(), entry.recipient(), entry.box(), entry.since()));
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

    /** Ids (hex) of the notifications kept here. */
    Set<String> heldIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(held.keySet()));
    }

    /** A delegation: the first node keeps it and copies it to the rest of the k closest, then tells the sender. */
    void onDelegate(NotifyDelegate m) {
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
        int keepers = 1;
        if (!m.copy()) {
            List<NodeHandle> replicas = node.replicaSet(m.key(), settings.delegates());
            NotifyDelegate copy = new NotifyDelegate(m.key(), m.id(), recipient, m.box(), m.origin(), true);
            for (NodeHandle replica : replicas) {
                if (!replica.equals(node.self())) {
                    node.routeDirect(replica, copy);
                    keepers++;
                }
            }
        }
        boolean kept = keep(m.id(), recipient, m.box());
        if (!m.copy()) {
            node.sendTo(m.origin(), new NotifyDelegated(m.id(), keepers - (kept ? 0 : 1)));
        }
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
        LOG.info("{}: {} acknowledged by {}; delegation ended", node.self(), id, h.recipient);
        node.count("delegations-ended");
        receipted.add(id, node.scheduler().now());
        drop(h);
    }

    /**
     * A verified refusal ends the delegation: the home peer will never take the notification. The sender answered
     * 250 when it delegated and kept nothing to bounce with, so the refusal is only logged here (see the README: a
     * bounce after a delegated accept is not built yet).
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
        LOG.warn("{}: {} refused by the home peer of {} ({}); delegation ended, the sender is not told", node.self(),
                id, h.recipient, refusal.reason());
        node.count("delegations-refused");
        receipted.add(id, node.scheduler().now());
        drop(h);
    }

    /** A presence on {@code group}: if it is the recipient's own, what is kept for it goes to the home it names. */
    void onPresence(Id group, NotifyPresence p) {
        List<Held> forRecipient = held.values().stream()
                .filter(h -> h.recipient.equals(p.recipient()) && h.certificate != null).toList();
        if (forRecipient.isEmpty() || !presence.believe(group, p, forRecipient.get(0).certificate)) {
            return;
        }
        for (Held h : forRecipient) {
            node.sendTo(p.home(), new NotifyDeliver(h.id, h.recipient, h.box, node.self()));
        }
    }

    /** Keeps a newly delegated notification (persistently, as the {@link DelegateStore} is); whether it is kept. */
    private boolean keep(byte[] id, String recipient, byte[] box) {
        String idHex = hex(id);
        if (held.containsKey(idHex)) {
            return true;
        }
        if (receipted.contains(idHex, node.scheduler().now())) {
            return false;
        }
        if (held.size() >= NotificationService.MAX_KEPT) {
            LOG.warn("{}: already keeping {} notifications for others; delegated {} for {} refused", node.self(),
                    held.size(), idHex, recipient);
            node.count("rejected.delegation");
            return false;
        }
        Held h = new Held(id.clone(), recipient, box, node.scheduler().now());
        try {
            store.put(new DelegateStore.Entry(h.id, recipient, box, h.since));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot store delegated {} for {}: {}; not kept", node.self(), idHex, recipient,
                    e.toString());
            node.count("rejected.delegation");
            return false;
        }
        held.put(idHex, h);
        node.count("kept");
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
            node.sendTo(identity.home(), new NotifyDeliver(h.id, h.recipient, h.box, node.self()));
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
