package org.epost.spam.policy;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A per-user token bucket over recipients submitted: each user may send to {@code burst} recipients at once, and
 * regains {@code perHour} recipients an hour, continuously. A compromised account can then flood nobody: past its
 * burst it sends at most {@code perHour} notifications an hour. Driven by a clock it does not own (milliseconds), so
 * tests step time. Thread-safe; one bucket per user who submitted since start.
 *
 * <p>A small bucket of our own rather than Bucket4j (what issue 13 suggests): Bucket4j 8.14 is not in this build's
 * offline Maven cache, and one refill formula is all a per-user limit needs.
 */
public final class SendingRateLimit {
    private static final long HOUR_MILLIS = 3_600_000L;

    private final long burst;
    private final long perHour;
    private final LongSupplier clockMillis;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * Tokens in units of 1/{@value #HOUR_MILLIS}: a millisecond then refills exactly {@code perHour} units, so no
     * rounding loses time however small the rate.
     */
    private static final class Bucket {
        long units;
        long updatedMillis;

        Bucket(long units, long updatedMillis) {
            this.units = units;
            this.updatedMillis = updatedMillis;
        }
    }

    public SendingRateLimit(long burst, long perHour, LongSupplier clockMillis) {
        if (burst < 1 || perHour < 1) {
            throw new IllegalArgumentException("a sending limit needs a burst and a rate of at least 1, not burst "
                + burst + " and " + perHour + " per hour");
        }
        this.burst = burst;
        this.perHour = perHour;
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    public long burst() {
        return burst;
    }

    public long perHour() {
        return perHour;
    }

    /** Takes one recipient from the bucket of {@code user}; false (and nothing taken) when it is empty. */
    public boolean tryAcquire(String user) {
        long now = clockMillis.getAsLong();
        long capacity = burst * HOUR_MILLIS;
        Bucket bucket = buckets.computeIfAbsent(user, u -> new Bucket(capacity, now));
        synchronized (bucket) {
            long elapsed = Math.max(0, now - bucket.updatedMillis);
            long room = capacity - bucket.units;
            // comparing with the time the room takes to fill keeps elapsed * perHour from overflowing
            bucket.units = elapsed >= (room + perHour - 1) / perHour ? capacity : bucket.units + elapsed * perHour;
            bucket.updatedMillis = Math.max(now, bucket.updatedMillis);
            if (bucket.units < HOUR_MILLIS) {
                return false;
            }
            bucket.units -= HOUR_MILLIS;
            return true;
        }
    }
}
