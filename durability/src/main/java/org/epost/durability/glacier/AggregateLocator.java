package org.epost.durability.glacier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.epost.durability.aggregate.Aggregate;
import org.epost.durability.aggregate.AggregatePointer;
import org.epost.durability.fragment.FragmentFormatException;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.PointerGet;
import org.epost.durability.glacier.messages.PointerGetReply;
import org.epost.overlay.id.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a small block through its aggregate: asks the member's n pointer positions for an {@link AggregatePointer}
 * (first 2m in a seeded random order, the rest only if none of those had one: one surviving copy of n is enough),
 * then rebuilds each aggregate named (at most {@link #MAX_CANDIDATES}, first named first) and takes the member's
 * bytes from its index. The bytes must verify against the member's own handle and kind (PAST's verification): a
 * forged pointer, a forged aggregate index or a member whose bytes do not hash to its handle is rejected, counted and
 * logged, and the next candidate is tried. Node thread only.
 */
final class AggregateLocator {
    private static final Logger LOG = LoggerFactory.getLogger(AggregateLocator.class);
    static final int MAX_CANDIDATES = 4;

    /** A pointer found, with the longest lease a holder reported for it (the member's own lease). */
    record Found(AggregatePointer pointer, long expiry) {
    }

    private final GlacierContext ctx;
    private final Rebuilder rebuilder;

    AggregateLocator(GlacierContext ctx, Rebuilder rebuilder) {
        this.ctx = ctx;
        this.rebuilder = rebuilder;
    }

    /** Completes {@code done} with the member rebuilt through its aggregate, or empty. */
    void recover(Id member, int kindCode, Consumer<Optional<Rebuilder.Rebuilt>> done) {
        pointers(member, kindCode, found -> tryCandidates(member, kindCode, found, 0, done));
    }

    private void tryCandidates(Id member, int kindCode, List<Found> candidates, int next,
                               Consumer<Optional<Rebuilder.Rebuilt>> done) {
        if (next >= Math.min(candidates.size(), MAX_CANDIDATES)) {
            done.accept(Optional.empty());
            return;
        }
        Found candidate = candidates.get(next);
        Id aggregate = candidate.pointer().aggregate();
        rebuilder.rebuild(aggregate, ctx.config.code().n(), ctx.config.code().m(), false, rebuilt -> {
            Optional<byte[]> bytes = rebuilt.flatMap(r -> memberOf(r.object(), aggregate, member, kindCode));
            if (bytes.isPresent()) {
                ctx.counters.membersRecovered++;
                // The member's own lease (the pointer's), not the aggregate's longest: PAST keeps it that long.
                done.accept(Optional.of(new Rebuilder.Rebuilt(rebuilt.get().manifest(), bytes.get(), List.of(),
                    candidate.expiry())));
            } else {
                tryCandidates(member, kindCode, candidates, next + 1, done);
            }
        });
    }

    /** The member's bytes from a rebuilt aggregate, if its index lists them and they verify; else logged. */
    private Optional<byte[]> memberOf(byte[] encoded, Id aggregate, Id member, int kindCode) {
        Optional<byte[]> bytes;
        try {
            bytes = Aggregate.decode(encoded).member(member, kindCode);
        } catch (FragmentFormatException e) {
            bytes = Optional.empty();
        }
        if (bytes.isEmpty()) {
            ctx.counters.forgedFragments++;
            LOG.warn("{}: a pointer named aggregate {} for {}, whose index does not list it; pointer rejected",
                ctx.self, aggregate, member);
            return Optional.empty();
        }
        if (!ctx.verifier.verify(member, kindCode, bytes.get())) {
            ctx.counters.forgedFragments++;
            LOG.warn("{}: aggregate {} lists {} with bytes that do not verify against its handle; index rejected",
                ctx.self, aggregate, member);
            return Optional.empty();
        }
        return bytes;
    }

    /** Completes {@code done} with the distinct pointers of {@code member} found (empty list when none). */
    void pointers(Id member, int kindCode, Consumer<List<Found>> done) {
        new Search(member, kindCode, done).wave(2 * ctx.config.code().m());
    }

    private final class Search {
        final Id member;
        final int kindCode;
        final Consumer<List<Found>> done;
        final int n = ctx.config.code().n();
        final List<Integer> order;
        final Map<Id, Found> found = new LinkedHashMap<>();
        int asked;
        int open;

        Search(Id member, int kindCode, Consumer<List<Found>> done) {
            this.member = member;
            this.kindCode = kindCode;
            this.done = done;
            this.order = ctx.shuffledIndexes(n);
        }

        void wave(int size) {
            int end = Math.min(n, asked + size);
            for (; asked < end; asked++) {
                int index = order.get(asked);
                long id = ctx.nextId();
                open++;
                ctx.expect(id, PointerGetReply.class, this::answered, () -> answered(null));
                ctx.route(FragmentPlacement.position(member, index, n), new PointerGet(id, ctx.self, member, index, n),
                    false);
            }
        }

        void answered(PointerGetReply reply) {
            open--;
            if (reply != null && reply.pointer().length > 0) {
                accept(reply);
            }
            if (open > 0) {
                return;
            }
            if (found.isEmpty() && asked < n) {
                wave(n - asked);
            } else {
                done.accept(new ArrayList<>(found.values()));
            }
        }

        void accept(PointerGetReply reply) {
            try {
                AggregatePointer pointer = AggregatePointer.decode(reply.pointer());
                if (pointer.member().equals(member) && pointer.kindCode() == kindCode) {
                    found.merge(pointer.aggregate(), new Found(pointer, reply.expiry()),
                        (a, b) -> a.expiry() >= b.expiry() ? a : b);
                    return;
                }
                LOG.warn("{}: asked for the aggregate pointer of {}, got one of {}; discarded", ctx.self, member,
                    pointer.member());
            } catch (FragmentFormatException e) {
                LOG.warn("{}: malformed aggregate pointer for {} discarded: {}", ctx.self, member, e.getMessage());
            }
            ctx.counters.forgedFragments++;
        }
    }
}
