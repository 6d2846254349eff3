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
 * are done, then flow straight to the channel. Guarded by its own monitor: the node thread sends while Netty's I/O
 * threads open and close it.
 */
final class Link {
    /**
     * What a link may hold while it opens, in messages and in encoded bytes; beyond either the peer is treated as
     * unreachable rather than buffered without end (a frame may be 4 MiB: a count alone would allow gigabytes).
     */
    static final int MAX_PENDING = 1024;
    static final long MAX_PENDING_BYTES = 16L << 20;

    private final boolean identityKnown;
    private NodeHandle peer;
    private final Queue<Object> pending = new ArrayDeque<>();
    private long pendingBytes;
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
     * link holds its maximum, dropped because the open link's socket buffer is full (a peer reading slower than we
     * write: best-effort delivery drops, acknowledgements above retry), or refused because the link is closed.
     */
    enum Outcome { WRITTEN, QUEUED, QUEUE_FULL, BACKLOGGED, CLOSED }

    /** @param sizeOf the encoded size of a message, asked only for messages that must wait for the link to open */
    synchronized Outcome send(Object message, Consumer<Object> writer, ToLongFunction<Object> sizeOf) {
        if (closed) {
            return Outcome.CLOSED;
        }
        if (open) {
            if (!channel.isWritable()) {
                return Outcome.BACKLOGGED;
            }
            writer.accept(message);
            return Outcome.WRITTEN;
        }
        long size = sizeOf.applyAsLong(message);
        if (pending.size() >= MAX_PENDING || pendingBytes + size > MAX_PENDING_BYTES) {
            return Outcome.QUEUE_FULL;
        }
        pending.add(message);
        pendingBytes += size;
        return Outcome.QUEUED;
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
        int lost = pending.size();
        pending.clear();
        pendingBytes = 0;
        return lost;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized Channel channel() {
        return channel;
    }
}
