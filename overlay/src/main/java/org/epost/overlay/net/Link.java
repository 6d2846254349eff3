package org.epost.overlay.net;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

import io.netty.channel.Channel;

/**
 * One TCP+TLS connection to a peer as the transport sees it: messages queue here until TLS and the hello exchange
 * are done, then flow to the channel, waiting here in order while its socket buffer is above the high-water mark
 * (back-pressure: a slow peer delays messages rather than losing them, within bounds). Guarded by its own monitor:
 * the node thread sends while Netty's I/O threads open, drain and close it.
 */
final class Link {
    /**
     * What a link may hold while it opens, in messages and in encoded bytes; beyond either the peer is treated as
     * unreachable rather than buffered without end (a frame may be 4 MiB: a count alone would allow gigabytes).
     */
    static final int MAX_PENDING = 1024;
    static final long MAX_PENDING_BYTES = 16L << 20;

    /**
     * What an open link holds, in encoded bytes, while its socket buffer is above the high-water mark (a peer reading
     * slower than we write, e.g. the k replicas of a 40 MiB mail leaving at once), and for how long: a message is
     * written once the buffer drains, in order; one that waited longer than {@link #MAX_BACKLOG_MILLIS} is dropped
     * (its request has timed out by then), and beyond the bytes new messages are refused.
     */
    static final long MAX_BACKLOG_BYTES = 64L << 20;
    static final long MAX_BACKLOG_MILLIS = 30_000;

    /** A message waiting for an open link's socket buffer to drain, since {@code sinceMillis}. */
    private record Waiting(Object message, long bytes, long sinceMillis) {
    }

    /** What a {@link #drain} did: messages written, and those dropped for having waited too long. */
    record Drained(int written, int expired, long expiredBytes) {
    }

    private final boolean identityKnown;
    private NodeHandle peer;
    private final Queue<Object> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final Queue<Waiting> backlog = new ArrayDeque<>();
    private long backlogBytes;
    /** Whether a refusal was warned about since the backlog was last empty. */
    private boolean warnedFull;
    /** Whether a periodic drain is scheduled (messages wait). */
    private boolean watched;
    private Channel channel;
    private boolean open;
    private boolean closed;

    Link(NodeHandle peer) {
        this.peer = peer;
        this.identityKnown = true;
    }

    /** Stands in for the id of a node not identified yet; never compared, since such links accept any id. */
    private static final Id UNKNOWN = Id.of(new byte[Id.BYTES]);

    /** A link to an address whose node id we do not know yet (a bootstrap address): any certified node may answer. */
    Link(String address) {
        this.peer = new NodeHandle(UNKNOWN, address);
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
     * write), refused because that backlog holds its maximum, or refused because the link is closed.
     */
    enum Outcome { WRITTEN, QUEUED, QUEUE_FULL, WAITING, BACKLOG_FULL, CLOSED }

    /**
     * @param sizeOf    the encoded size of a message, asked only for messages that must wait
     * @param nowMillis a monotonic clock, for how long messages wait on an open link
     */
    synchronized Outcome send(Object message, Consumer<Object> writer, ToLongFunction<Object> sizeOf, long nowMillis) {
        if (closed) {
            return Outcome.CLOSED;
        }
        if (open) {
            if (backlog.isEmpty() && channel.isWritable()) {
                writer.accept(message);
                return Outcome.WRITTEN;
            }
            long size = sizeOf.applyAsLong(message);
            if (backlogBytes + size > MAX_BACKLOG_BYTES) {
                return Outcome.BACKLOG_FULL;
            }
            backlog.add(new Waiting(message, size, nowMillis));
            backlogBytes += size;
            return Outcome.WAITING;
        }
        long size = sizeOf.applyAsLong(message);
        if (pending.size() >= MAX_PENDING || pendingBytes + size > MAX_PENDING_BYTES) {
            return Outcome.QUEUE_FULL;
        }
        pending.add(message);
        pendingBytes += size;
        return Outcome.QUEUED;
    }

    /**
     * Drops the messages that waited longer than {@link #MAX_BACKLOG_MILLIS}, then writes waiting messages in order
     * while the socket buffer has room: called when the channel becomes writable again and periodically while
     * messages wait.
     */
    synchronized Drained drain(Consumer<Object> writer, long nowMillis) {
        int expired = 0;
        long expiredBytes = 0;
        while (!backlog.isEmpty() && backlog.peek().sinceMillis() < nowMillis - MAX_BACKLOG_MILLIS) {
            Waiting old = backlog.poll();
            backlogBytes -= old.bytes();
            expired++;
            expiredBytes += old.bytes();
        }
        int written = 0;
        while (open && !backlog.isEmpty() && channel.isWritable()) {
            Waiting next = backlog.poll();
            backlogBytes -= next.bytes();
            writer.accept(next.message());
            written++;
        }
        if (backlog.isEmpty()) {
            warnedFull = false;
        }
        return new Drained(written, expired, expiredBytes);
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
        return backlogBytes;
    }

    /** The hello exchange succeeded on {@code openedChannel}: from now on messages go straight to it. */
    synchronized List<Object> open(Channel openedChannel, NodeHandle answered) {
        this.peer = answered;
        this.channel = openedChannel;
        this.open = true;
        List<Object> queued = List.copyOf(pending);
        pending.clear();
        pendingBytes = 0;
        return queued;
    }

    /** @return how many queued messages were never sent */
    synchronized int close() {
        closed = true;
        open = false;
        int lost = pending.size() + backlog.size();
        pending.clear();
        pendingBytes = 0;
        backlog.clear();
        backlogBytes = 0;
        return lost;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized Channel channel() {
        return channel;
    }
}
