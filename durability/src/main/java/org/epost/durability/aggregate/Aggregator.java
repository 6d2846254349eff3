package org.epost.durability.aggregate;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.epost.overlay.id.Id;

/**
 * Packs small objects into aggregates of about {@code targetBytes}: objects are added in order, and an aggregate is
 * closed as soon as the next object would take it past the target. What waits is bounded by the target (one open
 * aggregate); objects of at least {@code targetBytes} are not for aggregation and are refused (Glacier codes them
 * alone). Not thread-safe: one per node thread.
 */
public final class Aggregator {
    private final int targetBytes;
    private final List<Aggregate.Member> members = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public Aggregator(int targetBytes) {
        if (targetBytes < 1) {
            throw new IllegalArgumentException("target of " + targetBytes + " bytes");
        }
        this.targetBytes = targetBytes;
    }

    /** Adds an object; answers the aggregate it closed (the objects before this one), if any. */
    public Optional<Aggregate> add(Id handle, int kindCode, byte[] object) {
        if (object.length >= targetBytes) {
            throw new IllegalArgumentException("an object of " + object.length + " bytes is not aggregated");
        }
        Optional<Aggregate> closed = body.size() + object.length > targetBytes || members.size()
            == Aggregate.MAX_MEMBERS ? flush() : Optional.empty();
        members.add(new Aggregate.Member(handle, kindCode, object.length));
        body.writeBytes(object);
        return closed;
    }

    /** Closes the open aggregate, if it has members. */
    public Optional<Aggregate> flush() {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        Aggregate aggregate = new Aggregate(members, body.toByteArray());
        members.clear();
        body.reset();
        return Optional.of(aggregate);
    }

    /** Bytes waiting in the open aggregate. */
    public int pendingBytes() {
        return body.size();
    }
}
