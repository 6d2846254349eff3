package org.epost.post.notify;

import java.util.HashMap;
import java.util.Map;

import org.epost.overlay.id.Id;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.notify.messages.NotifyPresence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the delegate role: the Scribe presence groups it listens on (one per recipient it keeps notifications for, the
 * group {@link NotificationCrypto#presenceGroup H(recipient signing key)}), and which announced presences it
 * believes. Node thread only.
 */
final class PresenceWatch {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotifyNode node;
    /** The presence group joined per recipient. */
    private final Map<String, Id> groups = new HashMap<>();
    /** The newest presence time accepted per recipient (older, replayed presences are ignored). */
    private final Map<String, Long> presenceTimes = new HashMap<>();

    PresenceWatch(NotifyNode node) {
        this.node = node;
    }

    /** Listens for the presence of {@code recipient}, unless it does already. */
    void join(String recipient, UserCertificate certificate) {
        if (!groups.containsKey(recipient)) {
            Id group = NotificationCrypto.presenceGroup(certificate.signingKey());
            groups.put(recipient, group);
            node.joinPresence(group);
        }
    }

    /** Stops listening for the presence of {@code recipient}. */
    void leave(String recipient) {
        Id group = groups.remove(recipient);
        if (group != null) {
            node.leavePresence(group);
        }
    }

    /**
     * Whether {@code presence}, published on {@code group}, comes from the recipient ({@code certificate}): published
     * on its group, signed by its certified key, and not older than a presence already believed (a replay).
     */
    boolean believe(Id group, NotifyPresence presence, UserCertificate certificate) {
        if (!group.equals(NotificationCrypto.presenceGroup(certificate.signingKey()))
                || !NotificationCrypto.verifyPresence(certificate.signingKey(), presence.recipient(), presence.home(),
                presence.time(), presence.signature())) {
            LOG.warn("{}: presence of {} not signed by its certified key; ignored", node.self(), presence.recipient());
            node.count("rejected.presence");
            return false;
        }
        Long newest = presenceTimes.get(presence.recipient());
        if (newest != null && presence.time() < newest) {
            LOG.warn("{}: presence of {} at {} older than one seen ({}): replayed; ignored", node.self(),
                    presence.recipient(), presence.time(), newest);
            node.count("rejected.presence");
            return false;
        }
        presenceTimes.put(presence.recipient(), presence.time());
        node.count("presence-seen");
        return true;
    }
}
