package org.epost.durability.glacier;

import java.util.List;

import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.durability.glacier.messages.AuditReply;
import org.epost.overlay.id.Id;

/**
 * The mirror's side of an audit: for the part of the asked arc this node is responsible for, the digest of the
 * pairs its fragments there imply for the asker and, when asked, the pairs (at most
 * {@link GlacierConfig#maxAuditEntries()}).
 */
final class MirrorResponder {
    private final GlacierContext ctx;

    MirrorResponder(GlacierContext ctx) {
        this.ctx = ctx;
    }

    void answer(AuditQuery query) {
        int n = query.n();
        Id covered = coveredTo(query.from(), query.to());
        List<AuditEntries.Entry> implied = n >= 2 && n <= 256 && query.offset() > 0 && query.offset() < n
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

    /** Where this node's own range ends within [from, to): its end if it lies inside, else to. */
    private Id coveredTo(Id from, Id to) {
        Id[] own = ctx.ownRange();
        if (own[0].equals(own[1])) {
            return to;
        }
        return Arcs.progress(from, to, own[1]);
    }
}
