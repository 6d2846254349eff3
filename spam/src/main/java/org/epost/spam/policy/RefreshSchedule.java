package org.epost.spam.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * When a list a peer keeps for its followers is due another lookup: never looked up, or not for the refresh
 * interval; one background lookup at a time, so a burst of deliveries starts one.
 */
final class RefreshSchedule {
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long refreshedAt = Long.MIN_VALUE;

    /** A lookup starts now (also one asked for, not only a due one). */
    void started(long nowMillis) {
        refreshedAt = nowMillis;
    }

    /** Starts {@code refresh} when due and none runs. */
    void whenDue(long nowMillis, long intervalMillis, Supplier<CompletableFuture<?>> refresh) {
        boolean due = refreshedAt == Long.MIN_VALUE || nowMillis - refreshedAt >= intervalMillis;
        if (due && refreshing.compareAndSet(false, true)) {
            refresh.get().whenComplete((done, failure) -> refreshing.set(false));
        }
    }

    /** What {@code kept} holds for {@code key}, or a new one; one arbitrary entry is dropped past {@code max}. */
    static <K, V> V keep(ConcurrentHashMap<K, V> kept, K key, int max, Supplier<V> create) {
        V found = kept.get(key);
        if (found != null) {
            return found;
        }
        if (kept.size() >= max) {
            kept.keySet().stream().findAny().ifPresent(kept::remove);
        }
        return kept.computeIfAbsent(key, k -> create.get());
    }
}
