package org.epost.post.notify;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a home peer may give up on a box that opens for its user but cannot be accepted for a reason that may be
 * passing (issue #15): the sender it names has no certificate found, or it is dated older than duplicates are
 * remembered (a clock may be wrong). A lookup that finds nothing can be transient (PAST replicas moving, a partition),
 * so one failure must not drop real mail; but a box nobody will ever accept should not be handed over by its delegates
 * every round until their hold ends. The home gives up on a notification id, and answers a signed box refusal, only
 * after {@value #MIN_FAILURES} failed attempts spread over at least {@link #MIN_SPAN_MILLIS} (six hours), in this
 * process's memory: a restart starts counting again, which only delays a refusal. At most {@value #MAX_TRACKED} ids
 * are tracked, the oldest forgotten first (again only a delay). Node thread only; driven by the caller's clock.
 */
final class UnprovenSenders {
    static final int MIN_FAILURES = 3;
    static final long MIN_SPAN_MILLIS = 6 * 3_600_000L;
    static final int MAX_TRACKED = 10_000;

    private record Failures(long first, int count) {
    }

    private final Map<String, Failures> failures = new LinkedHashMap<>();

    /** Records a failed attempt for {@code idHex} at {@code now}; true once the home may refuse the box for good. */
    boolean failedAndGiveUp(String idHex, long now) {
        Failures before = failures.get(idHex);
        Failures after = before == null ? new Failures(now, 1) : new Failures(before.first(), before.count() + 1);
        boolean giveUp = after.count() >= MIN_FAILURES && now - after.first() >= MIN_SPAN_MILLIS;
        if (giveUp) {
            failures.remove(idHex);
            return true;
        }
        failures.put(idHex, after);
        if (failures.size() > MAX_TRACKED) {
            Iterator<String> oldest = failures.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return false;
    }

    /** The notification was accepted after all (or cannot be any more): nothing to count. */
    void forget(String idHex) {
        failures.remove(idHex);
    }

    int tracked() {
        return failures.size();
    }
}
