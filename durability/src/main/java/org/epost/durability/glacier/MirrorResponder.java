package org.epost.durability.glacier;

import java.util.List;

import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.durability.glacier.messages.AuditReply;
import org.epost.overlay.id.Id;

/**
 * The mirror's side of an audit: for the part of the asked arc this node is responsible for, the digest of the
 * pairs its fragments there imply for the asker and, when asked, the pairs (at most
 * {@link GlacierConfig#maxAuditEntries()}); a node not responsible for the arc's start answers for none of it.
 */
final class MirrorResponder {
    private final GlacierContext ctx;

    MirrorResponder(GlacierContext ctx) {
        this.ctx = ctx;
    }

    void answer(AuditQuery query) {
        int n = query.n();
        boolean valid = n >= 2 && n <= 256 && query.offset() > 0 && query.offset() < n;
        // Routing can deliver the query to a node whose range does not hold the cursor (leaf sets still settling):
        // it answers for nothing, covered = from, and the walker counts its walk as incomplete.
        boolean holdsCursor = holds(query.from());
        Id covered = holdsCursor ? coveredTo(query.from(), query.to()) : query.from();
        if (valid && holdsCursor && query.list()) {
            covered = page(query.from(), covered, n);
        }
        List<AuditEntries.Entry> implied = valid && holdsCursor
            ? AuditEntries.held(ctx.local, n, query.offset(), query.from(), covered)
            : List.of();
        List<AuditEntries.Entry> sent = query.list()
            ? implied.subList(0, Math.min(implied.size(), ctx.config.maxAuditEntries()))
            : List.of();
        ctx.send(query.sender(), new AuditReply(query.requestId(), covered, AuditEntries.digest(implied),
            sent.stream().map(AuditEntries.Entry::handle).toList(),
            sent.stream().map(AuditEntries.Entry::index).toList(),
            sent.stream().map(AuditEntries.Entry::expiry).toList(), sent.size() < implied.size() && query.list()),
            true);
    }

    /**
     * Where a listed answer ends: at {@code covered}, or, when this node holds more than
     * {@link GlacierConfig#maxAuditEntries()} fragments of the code in [from, covered), at the position of the first
     * one beyond that many, in ring order. The walk goes on from there with the next query, which lands here again:
     * a node holding many (one bordering a large failure, after it regenerated the range it took over) answers in
     * pages. Cutting the list instead, the same first entries (by handle) came back every time, the walk skipped the
     * rest of the part, and the truncation kept the asker in repair mode for good (seen on 4,000 simulated nodes).
     */
    private Id page(Id from, Id covered, int n) {
        int max = ctx.config.maxAuditEntries();
        int seen = 0;
        for (LocalFragments.Held held : ctx.local.inArc(from, covered)) {
            if (held.n() == n && seen++ == max) {
                return held.position();
            }
        }
        return covered;
    }

    /** Whether {@code key} is in this node's range (all of the ring while it knows no neighbour). */
    private boolean holds(Id key) {
        Id[] own = ctx.ownRange();
        return own[0].equals(own[1]) || Arcs.contains(own[0], own[1], key);
    }

    /** Where this node's own range ends within [from, to): its end if it lies inside, else to. */
    private Id coveredTo(Id from, Id to) {
        Id[] own = ctx.ownRange();
        if (own[0].equals(own[1])) {
            return to;
        }
        return Arcs.progress(from, to, own[1]);
    }
}
