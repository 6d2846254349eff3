package org.epost.durability.glacier;

import java.util.Optional;
import java.util.function.Consumer;

import org.epost.overlay.id.Id;

/**
 * Finds the newest archived version of a mutable head ({@link HeadVersions}) when PAST has no replica of it left,
 * by a search over the version's bits: starting from best = 0 it probes version {@code best + 2^j} for j from 62 down
 * to 0, and moves best there when that version rebuilds; version 0 itself is probed last if nothing above it did.
 * Each probe is a {@link Rebuilder#probe}: it costs 2m fragment requests when the version does not exist, and a
 * version counts only when m fragments decode to the owner's signed block of exactly that head and version.
 *
 * <p>The guarantee: if the newest version v archived and each of its anchors ({@link HeadVersions#anchors}, at most
 * 63 versions, all kept leased by the head's root) can be rebuilt from fragments that survive, the search returns v.
 * A hostile holder cannot forge a version (it would not verify) nor pass an old version off as a newer one; it can
 * only withhold its own fragments, which rolls the head back only if, with the failed nodes, at least n - m + 1
 * holders of v (or of one of its anchors) are silent: then the search returns the newest version it can still prove.
 * Runs on the node thread; up to 63 probes one after the other, so a recovery takes 63 round trips.
 */
final class HeadRecovery {
    private static final int TOP_BIT = 62;

    private final GlacierContext ctx;
    private final Rebuilder rebuilder;

    HeadRecovery(GlacierContext ctx, Rebuilder rebuilder) {
        this.ctx = ctx;
        this.rebuilder = rebuilder;
    }

    /** Completes {@code done} with the newest version of {@code head} rebuilt, or empty if none could be. */
    void recover(Id head, Consumer<Optional<Rebuilder.Rebuilt>> done) {
        new Search(head, done).next(TOP_BIT);
    }

    private final class Search {
        final Id head;
        final Consumer<Optional<Rebuilder.Rebuilt>> done;
        long best;
        Rebuilder.Rebuilt found;

        Search(Id head, Consumer<Optional<Rebuilder.Rebuilt>> done) {
            this.head = head;
            this.done = done;
        }

        void next(int bit) {
            if (bit < 0) {
                if (found != null) {
                    done.accept(Optional.of(found));
                } else {
                    probe(0, done);
                }
                return;
            }
            long candidate = best | (1L << bit);
            probe(candidate, rebuilt -> {
                if (rebuilt.isPresent()) {
                    best = candidate;
                    found = rebuilt.get();
                }
                next(bit - 1);
            });
        }

        private void probe(long version, Consumer<Optional<Rebuilder.Rebuilt>> then) {
            rebuilder.probe(HeadVersions.archiveHandle(head, version), ctx.config.code().n(), ctx.config.code().m(),
                then);
        }
    }
}
