package org.epost.post.delivery;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.epost.post.notify.NotificationService.Outcome;

/**
 * What became of each recipient of an {@link OutgoingMessage}: handled (its home peer acknowledged the notification,
 * or k delegates keep it until that peer is back; either way the message is durable for that recipient), or failed
 * with the reason (nothing durable for it: try again).
 *
 * @param notificationsSent whether any notification left this peer: when none did, a failed recipient certainly
 *                          did not get the message; when some did, one that failed by timing out may still get it
 *                          (so a retry should reuse the same delivery key, whose notification ids it deduplicates)
 */
public record DeliveryReport(Map<String, Outcome> handled, Map<String, String> failed, boolean notificationsSent) {
    public DeliveryReport {
        handled = Map.copyOf(new TreeMap<>(handled));
        failed = Map.copyOf(new TreeMap<>(failed));
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
        return "DeliveryReport[handled=" + new TreeMap<>(handled) + ", failed=" + new TreeMap<>(failed) + "]";
    }
}
