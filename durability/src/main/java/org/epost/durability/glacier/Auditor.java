package org.epost.durability.glacier;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.durability.glacier.messages.AuditReply;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.durability.glacier.messages.FragmentPutReply;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits, periodically and soon after the leaf set changes. A round drops expired fragments, hands fragments whose
 * position another node is now closer to over to it (deleting them once it stored them), and compares this node's
 * range with {@link GlacierConfig#auditFanout()} mirrors: for a random offset j, the nodes holding the range shifted
 * by j fragment spacings hold index i + j of exactly the objects whose index i falls here ({@link MirrorResponder}).
 * Matching digests cost one small message each way; otherwise the mirror lists the (object, index) pairs it
 * implies, and every one this node is responsible for but lacks is queued for regeneration ({@link Regenerator}).
 * While a round finds something missing, the next comes after {@link GlacierConfig#repairIntervalMillis()} and
 * asks for the lists at once; otherwise after the steady interval.
 */
final class Auditor {
    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);
    /** A walk visits at most this many mirror nodes (a range grown over a failed stretch spans many). */
    private static final int MAX_WALK_STEPS = 256;

    private final GlacierContext ctx;
    private final Regenerator regenerator;
    private Scheduler.Cancellable timer;
    private long timerAt = Long.MAX_VALUE;
    private boolean foundMissing;
    /** Whether the previous round found something missing (or rebuilds still run): list every part at once. */
    private boolean repairing;
    /**
     * Rounds since the leaf set last changed. The first rounds after a change run in repair mode: the range just
     * grew or shrank, and a walk lost to a routing hiccup while the ring settles must not wait the steady interval.
     */
    private int roundsSinceChange = Integer.MAX_VALUE;
    private static final int REPAIR_ROUNDS_AFTER_CHANGE = 6;
    /** When the next steady round asks mirrors; rounds before it (after joins) only expire and hand off. */
    private long nextFullRoundAt;
    private boolean stopped;
    /** Whether a walk of this round ended before its end (its query went to a node not holding the cursor). */
    private boolean walkIncomplete;
    /**
     * How walks ended, for the simulator's trace: [reached the end, cut short by an answer, lost, step cap, at a node
     * not holding the cursor].
     */
    private final long[] walkEnds = new long[5];

    Auditor(GlacierContext ctx, Regenerator regenerator) {
        this.ctx = ctx;
        this.regenerator = regenerator;
    }

    void start() {
        nextFullRoundAt = ctx.scheduler.now() + ctx.config.auditIntervalMillis();
        scheduleIn(ctx.config.auditIntervalMillis());
    }

    /**
     * A neighbour left (or failed): this node's range grew over positions whose holder may be gone, so repair rounds
     * follow. A neighbour joined: the range shrank, and a light round soon hands the fragments the newcomer is now
     * closer to over to it; nothing can be missing, so no mirrors are asked (while a ring is being built every
     * node sees many joins, and would otherwise walk mirrors after each).
     */
    void leafSetChanged(boolean joined) {
        if (!joined) {
            roundsSinceChange = 0;
        }
        scheduleIn(ctx.config.updateDelayMillis());
    }

    /** Repair state and how walks ended, for the simulator's trace (node thread or quiescent simulation). */
    String describe() {
        return "repairing " + repairing + " walks done/cut/lost/capped/misdelivered " + Arrays.toString(walkEnds)
            + " " + regenerator.describe();
    }

    /** No more rounds: the node is stopping. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Keeps the earliest of the pending round and one {@code delay} from now. */
    private void scheduleIn(long delay) {
        if (stopped) {
            return;
        }
        long at = ctx.scheduler.now() + delay;
        if (timer != null && timerAt <= at) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = at;
        timer = ctx.scheduler.schedule(delay, () -> {
            timer = null;
            timerAt = Long.MAX_VALUE;
            round();
        });
    }

    void round() {
        ctx.counters.auditRounds++;
        long now = ctx.scheduler.now();
        repairing = foundMissing || walkIncomplete || regenerator.busy()
            || roundsSinceChange < REPAIR_ROUNDS_AFTER_CHANGE;
        walkIncomplete = false;
        // Repair mode lasts until REPAIR_ROUNDS_AFTER_CHANGE rounds in a row found nothing missing.
        roundsSinceChange = foundMissing ? 0 : roundsSinceChange == Integer.MAX_VALUE ? roundsSinceChange
            : roundsSinceChange + 1;
        foundMissing = false;
        int handoffs = 0;
        for (LocalFragments.Held held : ctx.local.all()) {
            if (held.expiry() <= now) {
                ctx.local.remove(held.handle(), held.index());
                ctx.counters.fragmentsExpired++;
                LOG.debug("{}: fragment {} of {} expired", ctx.self, held.index(), held.handle());
            } else if (!ctx.endpoint.isResponsibleFor(held.position()) && handoffs < ctx.config.handoffsPerRound()) {
                handoffs++;
                handOff(held);
            }
        }
        if (!repairing && now < nextFullRoundAt) {
            scheduleIn(nextFullRoundAt - now);
            return;
        }
        nextFullRoundAt = now + ctx.config.auditIntervalMillis();
        Id[] range = ctx.ownRange();
        for (int n : codes()) {
            List<Integer> offsets = new ArrayList<>();
            for (int j = 1; j < n; j++) {
                offsets.add(j);
            }
            Collections.shuffle(offsets, ctx.random);
            // Repairing, twice the mirrors: after a failure part of each mirror arc may lie where nobody holds anything.
            int fanout = repairing ? 2 * ctx.config.auditFanout() : ctx.config.auditFanout();
            for (int j : offsets.subList(0, Math.min(fanout, offsets.size()))) {
                BigInteger shift = FragmentPlacement.spacing(n).multiply(BigInteger.valueOf(j));
                new Walk(n, j, shift, range[1].add(shift), repairing).step(range[0].add(shift), 0);
            }
        }
        scheduleIn(repairing ? ctx.config.repairIntervalMillis() : ctx.config.auditIntervalMillis());
    }

    /** The codes to audit: those of fragments held, and the node's own (so an empty new node audits too). */
    private Set<Integer> codes() {
        Set<Integer> codes = new TreeSet<>();
        codes.add(ctx.config.code().n());
        for (LocalFragments.Held held : ctx.local.all()) {
            codes.add(held.n());
        }
        return codes;
    }

    private void handOff(LocalFragments.Held held) {
        Id handle = held.handle();
        int index = held.index();
        Optional<byte[]> encoded = ctx.local.read(handle, index);
        if (encoded.isEmpty()) {
            return;
        }
        long id = ctx.nextId();
        ctx.expectFrom(id, FragmentPutReply.class, (reply, from) -> {
            // Only once another node holds it, and never if this node became responsible again meanwhile. Routing
            // can bring the put back here (the closer node was suspected at that moment, or its link was down): then
            // this node's own STORED says nothing about the closer node, which may be back in the leaf set by the
            // time the answer is read; dropping the fragment then lost it (the real ring's redundancy fell so).
            if (FragmentHolder.STORED.equals(reply.status()) && from != null && !from.equals(ctx.self)
                    && !ctx.endpoint.isResponsibleFor(held.position())) {
                ctx.local.remove(handle, index);
                ctx.counters.fragmentsHandedOff++;
                LOG.debug("{}: fragment {} of {} handed off", ctx.self, index, handle);
            }
        }, () -> { });
        ctx.route(held.position(), new FragmentPut(id, ctx.self, encoded.get(), held.expiry()), true);
    }

    /**
     * A mirror's list. Each object it names is known to exist, and its positions follow from its handle, so every
     * index of it that this node is responsible for and lacks is queued for regeneration, not only the one listed:
     * after a failure a survivor's range grows over many positions of each object, and one mirror entry per object
     * then suffices.
     */
    private void learn(int n, AuditReply reply) {
        long now = ctx.scheduler.now();
        boolean missing = false;
        Map<Id, Long> objects = new LinkedHashMap<>();
        for (int i = 0; i < reply.handles().size(); i++) {
            long expiry = Math.min(reply.expiries().get(i), now + ctx.config.maxLeaseMillis());
            if (expiry > now) {
                objects.merge(reply.handles().get(i), expiry, Math::max);
            }
        }
        for (Map.Entry<Id, Long> object : objects.entrySet()) {
            Id handle = object.getKey();
            for (int index = 0; index < n; index++) {
                if (!ctx.local.contains(handle, index)
                        && ctx.endpoint.isResponsibleFor(FragmentPlacement.position(handle, index, n))) {
                    missing = true;
                    regenerator.enqueue(handle, n, index, object.getValue());
                }
            }
        }
        if (missing || reply.truncated()) {
            foundMissing = true;
            scheduleIn(ctx.config.repairIntervalMillis());
        }
    }

    /**
     * One walk along the mirror arc of this node's range for one offset ({@code to} in the mirror's coordinates),
     * node by node: each answers for its part; a part whose digest differs from this node's own for it (or, while
     * repairing, every part) gets its pairs listed.
     */
    private final class Walk {
        final int n;
        final int offset;
        final BigInteger shift;
        final Id to;
        final boolean listAlways;
        int retriesLeft = 2;

        Walk(int n, int offset, BigInteger shift, Id to, boolean listAlways) {
            this.n = n;
            this.offset = offset;
            this.shift = shift;
            this.to = to;
            this.listAlways = listAlways;
        }

        void step(Id cursor, int steps) {
            long id = ctx.nextId();
            ctx.expect(id, AuditReply.class, reply -> {
                if (reply.coveredTo().equals(cursor) && !cursor.equals(to)) {
                    // Delivered to a node whose range does not hold the cursor (leaf sets still settling): it answered
                    // for nothing. Counted as complete, the walk's rest went unaudited until the steady round, 10
                    // minutes on; incomplete, the round is run again soon, in repair mode.
                    walkEnds[4]++;
                    walkIncomplete = true;
                    scheduleIn(ctx.config.repairIntervalMillis());
                    return;
                }
                Id covered = Arcs.progress(cursor, to, reply.coveredTo());
                if (listAlways) {
                    learn(n, reply);
                } else if (!Arrays.equals(reply.digest(), AuditEntries.digest(mine(cursor, covered)))) {
                    askList(cursor, covered);
                }
                if (!covered.equals(to) && steps + 1 < MAX_WALK_STEPS) {
                    step(covered, steps + 1);
                } else {
                    walkEnds[!covered.equals(to) ? 3 : covered.equals(reply.coveredTo()) ? 0 : 1]++;
                }
            }, () -> {
                // A lost query (the ring may be settling) is asked again once, as a step of its own.
                if (steps + 1 < MAX_WALK_STEPS && retriesLeft-- > 0) {
                    step(cursor, steps + 1);
                } else {
                    walkEnds[2]++;
                }
            });
            ctx.route(cursor, new AuditQuery(id, ctx.self, n, offset, cursor, to, listAlways), true);
        }

        private void askList(Id from, Id until) {
            long id = ctx.nextId();
            ctx.expect(id, AuditReply.class, reply -> learn(n, reply), () -> { });
            ctx.route(from, new AuditQuery(id, ctx.self, n, offset, from, until, true), true);
        }

        /** This node's pairs in the part [from, until) of the mirror arc, taken back to its own coordinates. */
        private List<AuditEntries.Entry> mine(Id from, Id until) {
            BigInteger back = shift.negate();
            return AuditEntries.held(ctx.local, n, 0, from.add(back), until.add(back));
        }
    }
}
