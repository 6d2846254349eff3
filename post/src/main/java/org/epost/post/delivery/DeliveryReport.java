package org.epost.post.delivery;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.RefusalReason;

/**
 * What became of each recipient of an {@link OutgoingMessage}: handled (its home peer acknowledged the notification,
 * or k delegates keep it until that peer is back; either way the message is durable for that recipient), refused
 * for good by the recipient's home peer (a verified negative receipt: bounce, do not retry), or failed with the
 * reason (nothing durable for it: try again).
 *
 * @param notificationsSent whether any notification left this peer: when none did, a failed recipient certainly
 *                          did not get the message; when some did, one that failed by timing out may still get it
 *                          (so a retry should reuse the same delivery key, whose notification ids it deduplicates)
 */
public record DeliveryReport(Map<String, Outcome> handled, Map<String, RefusalReason> refused,
                             Map<String, String> failed, boolean notificationsSent) {
    public DeliveryReport {
        handled = Map.copyOf(new TreeMap<>(handled));
        refused = Map.copyOf(new TreeMap<>(refused));
        failed = Map.copyOf(new TreeMap<>(failed));
    }

    /** A report without refusals. */
    public DeliveryReport(Map<String, Outcome> handled, Map<String, String> failed, boolean notificationsSent) {
        this(handled, Map.of(), failed, notificationsSent);
    }

    public Set<String> handledRecipients() {
        return handled.keySet();
    }

    public boolean allHandled() {
        return failed.isEmpty();
    }

    public boolean noneHandled() {
        return handled.isEmpty();
    }

    @Override
    public String toString() {
        return "DeliveryReport[handled=" + new TreeMap<>(handled) + ", refused=" + new TreeMap<>(refused) + ", failed=" + new TreeMap<>(failed) + "]";
    }
}
