package org.epost.overlay.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.epost.overlay.api.Lane;

/**
 * The messages waiting on one open link, in two lanes, and which one goes next. Interactive messages go before
 * queued bulk ones, except that after {@link #BULK_SHARE} interactive writes while bulk waited one bulk message goes
 * (bulk is never starved); order inside a lane is kept. Bulk also keeps at most {@link #MAX_BULK_IN_FLIGHT} messages
 * handed to the channel and not yet on the socket: what sits in the channel's buffer goes out first whatever its
 * lane, so bulk must not fill it (a backed-up peer's PAST requests waited minutes behind 64 MiB of replicas and
 * fragments when there was one queue). Not thread-safe: its {@link Link}'s monitor guards it.
 */
final class LaneQueues {
    /** Encoded bytes each lane may hold (interactive: the k replicas of a large mail leaving at once). */
    static final long MAX_INTERACTIVE_BYTES = 64L << 20;
    static final long MAX_BULK_BYTES = 32L << 20;
    /** Interactive messages written while bulk waits, after which one bulk message goes regardless. */
    static final int BULK_SHARE = 8;
    /** Bulk messages handed to the channel and not yet written to the socket, beyond which bulk waits. */
    static final int MAX_BULK_IN_FLIGHT = 2;

    /** A message waiting since {@code sinceMillis}, with its encoded size. */
    record Waiting(Object message, Lane lane, long bytes, long sinceMillis) {
    }

    private final Deque<Waiting> interactive = new ArrayDeque<>();
    private final Deque<Waiting> bulk = new ArrayDeque<>();
    private long interactiveBytes;
    private long bulkBytes;
    private int interactiveSinceBulk;
    private int bulkInFlight;

    private Deque<Waiting> queue(Lane lane) {
        return lane == Lane.BULK ? bulk : interactive;
    }

    /** Whether {@code lane} has room for {@code bytes} more. */
    boolean fits(Lane lane, long bytes) {
        return lane == Lane.BULK ? bulkBytes + bytes <= MAX_BULK_BYTES : interactiveBytes + bytes <= MAX_INTERACTIVE_BYTES;
    }

    void add(Waiting waiting) {
        queue(waiting.lane()).add(waiting);
        adjust(waiting, 1);
    }

    private void adjust(Waiting waiting, int sign) {
        if (waiting.lane() == Lane.BULK) {
            bulkBytes += sign * waiting.bytes();
        } else {
            interactiveBytes += sign * waiting.bytes();
        }
    }

    /** Whether a new message of {@code lane} may be written at once rather than queued, the channel having room. */
    boolean mayWriteAtOnce(Lane lane) {
        return lane == Lane.BULK ? isEmpty() && bulkInFlight < MAX_BULK_IN_FLIGHT : interactive.isEmpty();
    }

    /** Takes the message to write next, or null when none may go now (the channel's room is the caller's check). */
    Waiting next() {
        boolean bulkTurn = !bulk.isEmpty() && (interactiveSinceBulk >= BULK_SHARE
            || (interactive.isEmpty() && bulkInFlight < MAX_BULK_IN_FLIGHT));
        Waiting next = bulkTurn ? bulk.poll() : interactive.poll();
        if (next != null) {
            adjust(next, -1);
        }
        return next;
    }

    /** A message of {@code lane} was handed to the channel. */
    void written(Lane lane) {
        if (lane == Lane.BULK) {
            bulkInFlight++;
            interactiveSinceBulk = 0;
        } else if (!bulk.isEmpty()) {
            interactiveSinceBulk++;
        }
    }

    /** A bulk message handed to the channel reached the socket (or failed): another may go. */
    void bulkDone() {
        if (bulkInFlight <= 0) {
            throw new IllegalStateException("a bulk message was sent that was never counted as written");
        }
        bulkInFlight--;
    }

    /** Removes and returns the messages, of both lanes, that have waited since before {@code cutoffMillis}. */
    List<Waiting> expire(long cutoffMillis) {
        List<Waiting> expired = new ArrayList<>();
        for (Deque<Waiting> lane : List.of(interactive, bulk)) {
            while (!lane.isEmpty() && lane.peek().sinceMillis() < cutoffMillis) {
                Waiting old = lane.poll();
                adjust(old, -1);
                expired.add(old);
            }
        }
        return expired;
    }

    boolean isEmpty() {
        return interactive.isEmpty() && bulk.isEmpty();
    }

    long bytes() {
        return interactiveBytes + bulkBytes;
    }

    long bytes(Lane lane) {
        return lane == Lane.BULK ? bulkBytes : interactiveBytes;
    }

    /** Drops everything (the link closed); the messages dropped. */
    List<Waiting> clear() {
        List<Waiting> dropped = new ArrayList<>(interactive);
        dropped.addAll(bulk);
        interactive.clear();
        bulk.clear();
        interactiveBytes = 0;
        bulkBytes = 0;
        return dropped;
    }
}
