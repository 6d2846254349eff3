package org.epost.overlay.net;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

import org.epost.overlay.api.Lane;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.net.LaneQueues.Waiting;

import io.netty.channel.Channel;

/**
 * One TCP+TLS connection to a peer as the transport sees it: messages queue here until TLS and the hello exchange
 * are done, then flow to the channel, waiting here while its socket buffer is above the high-water mark
 * (back-pressure: a slow peer delays messages rather than losing them, within bounds) in two lanes, interactive
 * before bulk ({@link LaneQueues}). What waits on a link also counts against the node's {@link LinkBudget}. Guarded
 * by its own monitor: the node thread sends while Netty's I/O threads open, drain and close it.
 */
final class Link {
    /**
     * What a link may hold while it opens, in messages and in encoded bytes; beyond either the peer is treated as
     * unreachable rather than buffered without end (a frame may be 4 MiB: a count alone would allow gigabytes).
     */
    static final int MAX_PENDING = 1024;
    static final long MAX_PENDING_BYTES = 16L << 20;

    /**
     * How long a message may wait on an open link whose socket buffer is above the high-water mark (a peer reading
     * slower than we write): one that waited longer is dropped, its request has timed out by then. How many bytes
     * may wait is bounded per lane ({@link LaneQueues}) and for all links together ({@link LinkBudget}).
     */
    static final long MAX_BACKLOG_MILLIS = 30_000;

    /** What a {@link #drain} did: messages written, and those dropped for having waited too long (how many bulk). */
    record Drained(int written, int expired, long expiredBytes, int expiredBulk) {
    }

    private final LinkBudget budget;
    private final boolean identityKnown;
    private NodeHandle peer;
    private final Queue<Waiting> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final LaneQueues backlog = new LaneQueues();
    /** Whether a refusal was warned about since the backlog was last empty. */
    private boolean warnedFull;
    /** Whether a periodic drain is scheduled (messages wait). */
    private boolean watched;
    private Channel channel;
    private boolean open;
    private boolean closed;

    Link(NodeHandle peer, LinkBudget budget) {
        this.peer = peer;
        this.budget = budget;
        this.identityKnown = true;
    }

    /** Stands in for the id of a node not identified yet; never compared, since such links accept any id. */
    private static final Id UNKNOWN = Id.of(new byte[Id.BYTES]);

    /** A link to an address whose node id we do not know yet (a bootstrap address): any certified node may answer. */
    Link(String address, LinkBudget budget) {
        this.peer = new NodeHandle(UNKNOWN, address);
        this.budget = budget;
        this.identityKnown = false;
    }

    synchronized NodeHandle peer() {
        return peer;
    }

    /** Whether the node answering must be the one {@link #peer()} names. */
    boolean identityKnown() {
        return identityKnown;
    }

    /**
     * What became of a message handed to the link: written, queued until the link opens, refused because the opening
     * link holds its maximum, waiting because the open link's socket buffer is full (a peer reading slower than we
     * write) or older messages of its lane wait, refused because its lane holds its maximum, refused because the
     * links of the node together hold the {@link LinkBudget}, or refused because the link is closed.
     */
    enum Outcome { WRITTEN, QUEUED, QUEUE_FULL, WAITING, BACKLOG_FULL, BUDGET_FULL, CLOSED }

    /**
     * @param writer    hands a message of a lane to the channel; it calls {@link #bulkDone} once a bulk one is sent
     * @param sizeOf    the encoded size of a message, asked only for messages that must wait
     * @param nowMillis a monotonic clock, for how long messages wait
     */
    synchronized Outcome send(Object message, Lane lane, BiConsumer<Object, Lane> writer, ToLongFunction<Object> sizeOf,
                              long nowMillis) {
        if (closed) {
            return Outcome.CLOSED;
        }
        if (open && backlog.mayWriteAtOnce(lane) && channel.isWritable()) {
            // counted before it is handed over: on an I/O thread a write may complete, and call bulkDone, at once
            backlog.written(lane);
            writer.accept(message, lane);
            return Outcome.WRITTEN;
        }
        long size = sizeOf.applyAsLong(message);
        if (open && !backlog.fits(lane, size)) {
            return Outcome.BACKLOG_FULL;
        }
        if (!open && (pending.size() >= MAX_PENDING || pendingBytes + size > MAX_PENDING_BYTES)) {
            return Outcome.QUEUE_FULL;
        }
        if (!budget.reserve(lane, size)) {
            return Outcome.BUDGET_FULL;
        }
        Waiting waiting = new Waiting(message, lane, size, nowMillis);
        if (open) {
            backlog.add(waiting);
            return Outcome.WAITING;
        }
        pending.add(waiting);
        pendingBytes += size;
        return Outcome.QUEUED;
    }

    /**
     * Drops the messages that waited longer than {@link #MAX_BACKLOG_MILLIS}, then writes waiting messages, lane by
     * lane as {@link LaneQueues} orders them, while the socket buffer has room: called when the link opens, when the
     * channel becomes writable again, when a bulk message reached the socket and periodically while messages wait.
     */
    synchronized Drained drain(BiConsumer<Object, Lane> writer, long nowMillis) {
        int expired = 0;
        long expiredBytes = 0;
        int expiredBulk = 0;
        for (Waiting old : backlog.expire(nowMillis - MAX_BACKLOG_MILLIS)) {
            budget.release(old.bytes());
            expired++;
            expiredBytes += old.bytes();
            expiredBulk += old.lane() == Lane.BULK ? 1 : 0;
        }
        int written = 0;
        for (Waiting next; open && channel.isWritable() && (next = backlog.next()) != null; written++) {
            budget.release(next.bytes());
            backlog.written(next.lane());
            writer.accept(next.message(), next.lane());
        }
        if (backlog.isEmpty()) {
            warnedFull = false;
        }
        return new Drained(written, expired, expiredBytes, expiredBulk);
    }

    /** A bulk message handed to the channel was sent (or failed): whether messages wait, to be drained now. */
    synchronized boolean bulkDone() {
        backlog.bulkDone();
        return !backlog.isEmpty();
    }

    /** Whether a refusal is the first since the backlog was last empty (the transport warns once per episode). */
    synchronized boolean firstRefusal() {
        boolean first = !warnedFull;
        warnedFull = true;
        return first;
    }

    /** Marks the link watched; false when it already was. */
    synchronized boolean startWatching() {
        if (watched) {
            return false;
        }
        watched = true;
        return true;
    }

    /** Ends the watch when nothing waits any more (or the link closed); whether it ended. */
    synchronized boolean stopWatchingIfIdle() {
        if (backlog.isEmpty() || closed) {
            watched = false;
            return true;
        }
        return false;
    }

    /** Encoded bytes waiting on the open link. */
    synchronized long backlogBytes() {
        return backlog.bytes();
    }

    /** Encoded bytes of {@code lane} waiting on the open link. */
    synchronized long backlogBytes(Lane lane) {
        return backlog.bytes(lane);
    }

    /**
     * The hello exchange succeeded on {@code openedChannel}: from now on messages go to it, those queued meanwhile
     * first, through the lanes ({@link #drain} them next).
     */
    synchronized void open(Channel openedChannel, NodeHandle answered) {
        this.peer = answered;
        this.channel = openedChannel;
        this.open = true;
        pending.forEach(backlog::add);
        pending.clear();
        pendingBytes = 0;
    }

    /** @return how many queued messages were never sent */
    synchronized int close() {
        closed = true;
        open = false;
        int lost = pending.size();
        pending.forEach(waiting -> budget.release(waiting.bytes()));
        pending.clear();
        pendingBytes = 0;
        for (Waiting waiting : backlog.clear()) {
            budget.release(waiting.bytes());
            lost++;
        }
        return lost;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized Channel channel() {
        return channel;
    }
}
