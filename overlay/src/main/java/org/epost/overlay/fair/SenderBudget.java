package org.epost.overlay.fair;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.epost.overlay.id.Id;

/**
 * How much one sending node may make this node store per minute (PAST blocks, delegated notifications), in bytes and
 * in items: a token bucket per sender that holds one minute's worth and refills evenly, so a sender may burst a
 * minute's budget and then goes at the budget's pace. A request over it is refused whole (nothing partly taken); the
 * caller answers it as a full node, which honest senders retry later or elsewhere. An item larger than the whole
 * budget is let through only from a full bucket (it empties it), so no size is refused for ever.
 *
 * <p>Driven by the caller's clock ({@code nowMillis} on every call): deterministic, not thread-safe (node thread).
 * At most {@code maxSenders} buckets are remembered; beyond, the full ones (which say nothing) are forgotten first,
 * then the least recently created.
 */
public final class SenderBudget {
    private final long bytesPerMinute;
    private final long itemsPerMinute;
    private final int maxSenders;
    private final Map<Id, Bucket> buckets = new LinkedHashMap<>();
    private long granted;
    private long refused;
    private long refusedBytes;

    private static final class Bucket {
        double bytes;
        double items;
        long at;

        Bucket(long bytes, long items, long at) {
            this.bytes = bytes;
            this.items = items;
            this.at = at;
        }
    }

    public SenderBudget(long bytesPerMinute, long itemsPerMinute, int maxSenders) {
        if (bytesPerMinute < 1 || itemsPerMinute < 1 || maxSenders < 1) {
            throw new IllegalArgumentException("a sender budget is positive: " + bytesPerMinute + " bytes and "
                    + itemsPerMinute + " items per minute, " + maxSenders + " senders");
        }
        this.bytesPerMinute = bytesPerMinute;
        this.itemsPerMinute = itemsPerMinute;
        this.maxSenders = maxSenders;
    }

    /** Takes one item of {@code bytes} from {@code sender}'s budget at {@code nowMillis}; false if over it. */
    public boolean take(Id sender, long bytes, long nowMillis) {
        Objects.requireNonNull(sender, "sender");
        Bucket bucket = buckets.get(sender);
        if (bucket == null) {
            forgetIfFull(nowMillis);
            bucket = new Bucket(bytesPerMinute, itemsPerMinute, nowMillis);
            buckets.put(sender, bucket);
        }
        refill(bucket, nowMillis);
        boolean full = bucket.bytes >= bytesPerMinute;
        if (bucket.items < 1 || (bucket.bytes < bytes && !full)) {
            refused++;
            refusedBytes += Math.max(0, bytes);
            return false;
        }
        bucket.items -= 1;
        bucket.bytes -= Math.max(0, bytes);
        granted++;
        return true;
    }

    private void refill(Bucket bucket, long nowMillis) {
        long elapsed = Math.max(0, nowMillis - bucket.at);
        bucket.at = Math.max(bucket.at, nowMillis);
        bucket.bytes = Math.min(bytesPerMinute, bucket.bytes + elapsed * (bytesPerMinute / 60_000.0));
        bucket.items = Math.min(itemsPerMinute, bucket.items + elapsed * (itemsPerMinute / 60_000.0));
    }

    private void forgetIfFull(long nowMillis) {
        if (buckets.size() < maxSenders) {
            return;
        }
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            refill(bucket, nowMillis);
            if (bucket.bytes >= bytesPerMinute && bucket.items >= itemsPerMinute) {
                it.remove();
            }
        }
        Iterator<Bucket> oldest = buckets.values().iterator();
        while (buckets.size() >= maxSenders && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Items let through. */
    public long granted() {
        return granted;
    }

    /** Items refused for being over their sender's budget. */
    public long refused() {
        return refused;
    }

    /** Bytes of the items refused. */
    public long refusedBytes() {
        return refusedBytes;
    }

    @Override
    public String toString() {
        return "SenderBudget(" + bytesPerMinute + " bytes, " + itemsPerMinute + " items per minute)";
    }
}
