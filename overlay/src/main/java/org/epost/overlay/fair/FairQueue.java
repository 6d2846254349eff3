package org.epost.overlay.fair;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.epost.overlay.id.Id;

/**
 * Deficit round robin over one queue per sending node, each bounded in bytes: work waiting for a node's disk or
 * workers leaves in turns, each sender's turn worth {@code quantumBytes}, so a node that queued a flood waits behind
 * its own flood while every other sender's work goes out after at most one quantum of each other sender's. Order is
 * kept within a sender. A sender over its byte share, or work over the total bound, is refused at once (the caller
 * answers it), never queued. Pure and deterministic, not thread-safe: one thread (the node thread) drives it.
 *
 * @param <T> the queued work
 */
public final class FairQueue<T> {

    /** Why {@link #offer} did not queue. */
    public enum Refusal {
        /** The sender already has its share of bytes waiting. */
        SENDER_FULL,
        /** All senders together have the total bound waiting. */
        TOTAL_FULL
    }

    private record Item<T>(int bytes, T work) {
    }

    private static final class Lane<T> {
        final Id sender;
        final ArrayDeque<Item<T>> items = new ArrayDeque<>();
        long bytes;
        long deficit;

        Lane(Id sender) {
            this.sender = sender;
        }
    }

    private final int quantumBytes;
    private final long maxBytesPerSender;
    private final long maxBytesTotal;
    private final Map<Id, Lane<T>> lanes = new HashMap<>();
    /** Senders with work waiting, in turn order; the head is the sender whose turn it is. */
    private final ArrayDeque<Lane<T>> turns = new ArrayDeque<>();
    /** Whether the head of {@link #turns} already got its quantum for the present turn. */
    private boolean headCredited;
    private long totalBytes;

    /**
     * @param quantumBytes      what a sender may take out per turn (work larger than it waits for more turns)
     * @param maxBytesPerSender bytes one sender may have waiting (one piece of work is always taken into an empty lane)
     * @param maxBytesTotal     bytes all senders may have waiting
     */
    public FairQueue(int quantumBytes, long maxBytesPerSender, long maxBytesTotal) {
        if (quantumBytes < 1 || maxBytesPerSender < 1 || maxBytesTotal < maxBytesPerSender) {
            throw new IllegalArgumentException("a fair queue needs a positive quantum (" + quantumBytes
                    + ") and a sender share (" + maxBytesPerSender + ") within the total (" + maxBytesTotal + ")");
        }
        this.quantumBytes = quantumBytes;
        this.maxBytesPerSender = maxBytesPerSender;
        this.maxBytesTotal = maxBytesTotal;
    }

    /** Queues {@code work} of about {@code bytes} for {@code sender}; empty if queued, else why not. */
    public Optional<Refusal> offer(Id sender, int bytes, T work) {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(work, "work");
        int size = Math.max(1, bytes);
        Lane<T> lane = lanes.get(sender);
        long waiting = lane == null ? 0 : lane.bytes;
        if (waiting > 0 && waiting + size > maxBytesPerSender) {
            return Optional.of(Refusal.SENDER_FULL);
        }
        if (totalBytes > 0 && totalBytes + size > maxBytesTotal) {
            return Optional.of(Refusal.TOTAL_FULL);
        }
        if (lane == null) {
            lane = new Lane<>(sender);
            lanes.put(sender, lane);
            turns.addLast(lane);
        }
        lane.items.addLast(new Item<>(size, work));
        lane.bytes += size;
        totalBytes += size;
        return Optional.empty();
    }

    /** The next work in fair order, taken out of the queue; empty when nothing waits. */
    public Optional<T> poll() {
        while (!turns.isEmpty()) {
            Lane<T> lane = turns.peekFirst();
            if (!headCredited) {
                lane.deficit += quantumBytes;
                headCredited = true;
            }
            Item<T> next = lane.items.peekFirst();
            if (next.bytes() <= lane.deficit) {
                lane.items.removeFirst();
                lane.deficit -= next.bytes();
                lane.bytes -= next.bytes();
                totalBytes -= next.bytes();
                if (lane.items.isEmpty()) {
                    // an idle sender saves no credit for later: it would let it burst past the others
                    turns.removeFirst();
                    lanes.remove(lane.sender);
                    headCredited = false;
                }
                return Optional.of(next.work());
            }
            turns.addLast(turns.removeFirst());
            headCredited = false;
        }
        return Optional.empty();
    }

    /** Bytes waiting from {@code sender}. */
    public long waitingBytes(Id sender) {
        Lane<T> lane = lanes.get(sender);
        return lane == null ? 0 : lane.bytes;
    }

    /** Bytes waiting from all senders. */
    public long waitingBytes() {
        return totalBytes;
    }

    /** Senders with work waiting. */
    public int senders() {
        return turns.size();
    }

    public boolean isEmpty() {
        return turns.isEmpty();
    }
}
