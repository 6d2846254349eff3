package org.epost.post.notify;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.epost.post.accounts.AccountService;
import org.epost.post.notify.NotificationService.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending peer's memory of its delegated sends, so that a refusal reaching the delegates after the 250 (the
 * recipient's peer came back and found the mailbox over quota, the user deleted, the notification unreadable) becomes a
 * bounce: the delegates forward the recipient's signed refusal here, it is verified against the recipient's certified
 * key and handed once to the {@link RefusedAfterDelegation} listener. Remembered in memory, for the delegates' hold
 * time, at most {@link #MAX_REMEMBERED} (the oldest forgotten first, with a warning): a peer restarted meanwhile
 * cannot bounce, and only logs the refusal. Node thread only.
 */
final class DelegatedSends {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);
    static final int MAX_REMEMBERED = 10_000;

    private final NotifyNode node;
    private final AccountService accounts;
    private final Settings settings;
    /** By id, oldest first. */
    private final Map<String, Remembered> sends = new LinkedHashMap<>();
    private RefusedAfterDelegation listener;

    private record Remembered(Notification notification, String returnPath, long since) {
    }

    DelegatedSends(NotifyNode node, AccountService accounts, Settings settings) {
        this.node = node;
        this.accounts = accounts;
        this.settings = settings;
        this.listener = (notification, returnPath, reason) -> LOG.warn("{}: nobody here bounces {} to {}",
                node.self(), notification.idHex(), returnPath);
    }

    void listener(RefusedAfterDelegation value) {
        this.listener = Objects.requireNonNull(value, "listener");
    }

    /** {@code notification}'s send completed as delegated; a refusal would bounce to {@code returnPath}. */
    void remember(Notification notification, String returnPath) {
        long now = node.scheduler().now();
        Iterator<Remembered> oldest = sends.values().iterator();
        while (oldest.hasNext()) {
            Remembered r = oldest.next();
            if (now - r.since() <= settings.holdMillis() && sends.size() < MAX_REMEMBERED) {
                break;
            }
            if (now - r.since() <= settings.holdMillis()) {
                LOG.warn("{}: {} delegated sends remembered; a refusal of {} will not be bounced", node.self(),
                        sends.size(), r.notification().idHex());
            }
            oldest.remove();
        }
        sends.put(notification.idHex(), new Remembered(notification, returnPath, now));
    }

    /**
     * A refusal that may be for one of the delegated sends: whether it was (verified or not). A verified one reaches
     * the listener once, however many delegates forward it.
     */
    boolean onRefusal(Refusal refusal, byte[] signature) {
        String id = refusal.idHex();
        Remembered r = sends.get(id);
        if (r == null) {
            return false;
        }
        Notification notification = r.notification();
        if (!refusal.recipient().equals(notification.recipient())) {
            LOG.warn("{}: refusal of {} names {}, not its recipient {}; ignored", node.self(), id,
                    refusal.recipient(), notification.recipient());
            node.count("rejected.refusal");
            return true;
        }
        accounts.lookupCertificate(notification.recipient()).whenCompleteAsync((certificate, failure) -> {
            if (failure != null || !NotificationCrypto.verifyRefusal(certificate.signingKey(), refusal, signature)) {
                LOG.warn("{}: refusal of delegated {} not signed by {}'s certified key; ignored", node.self(), id,
                        notification.recipient());
                node.count("rejected.refusal");
                return;
            }
            if (sends.remove(id) == null) {
                return; // another delegate's copy of the same refusal was taken first
            }
            node.count("refusals-after-delegation");
            LOG.warn("{}: {} from {} to {} refused by the recipient's home peer after delegation ({}); bouncing to {}",
                    node.self(), id, notification.sender(), notification.recipient(), refusal.reason(),
                    r.returnPath());
            listener.refused(notification, r.returnPath(), refusal.reason());
        }, node.onNode());
        return true;
    }
}
