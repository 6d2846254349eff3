package org.epost.durability.glacier;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.epost.overlay.id.Id;

/**
 * Finds the newest archived version of a mutable head ({@link HeadVersions}) when PAST has no replica of it left,
 * by a search over the version's bits: starting from best = 0 it takes version {@code best + 2^j} for j from 62 down
 * to 0 whenever that version rebuilds; version 0 itself counts only if nothing above it did. Each probe is a
 * {@link Rebuilder#probe}: it costs 2m fragment requests when the version does not exist, and a version counts only
 * when m fragments decode to the owner's signed block of exactly that head and version.
 *
 * <p>The probes of one step do not depend on one another: from best b at bit j, the search moves to b + 2^i for the
 * highest i &le; j whose version rebuilds. So a step sends the probes of b + 2^j, b + 2^(j-1), ... down to bit 0 (and
 * version 0 in the first step) at once, at most {@value #WINDOW} in flight, and decides as soon as the highest bit
 * that rebuilt has every bit above it missed; answers of probes below it are dropped. A recovery thus takes about one
 * round trip per set bit of the version plus a few for the 63 bits of the first step (instead of 63 one after the
 * other), for at most {@value #WINDOW} extra probes a step.
 *
 * <p>The guarantee: the decisions are the one-probe-at-a-time search's, so if the newest version v archived and each
 * of its anchors ({@link HeadVersions#anchors}, at most 63 versions, all kept leased by the head's root) can be
 * rebuilt from fragments that survive, the search returns v. A hostile holder cannot forge a version (it would not
 * verify) nor pass an old version off as a newer one; it can only withhold its own fragments, which rolls the head
 * back only if, with the failed nodes, at least n - m + 1 holders of v (or of one of its anchors) are silent: then
 * the search returns the newest version it can still prove. Runs on the node thread.
 */
final class HeadRecovery {
    /** Probes of one search in flight at once: bounds the burst at 2m fragment requests each. */
    static final int WINDOW = 16;
    private static final int TOP_BIT = 62;

    /** Whether one version's archive object rebuilds ({@link Rebuilder#probe} on a node). */
    @FunctionalInterface
    interface Prober {
        void probe(Id handle, Consumer<Optional<Rebuilder.Rebuilt>> done);
    }

    private final Prober prober;

    HeadRecovery(GlacierContext ctx, Rebuilder rebuilder) {
        this((handle, done) -> rebuilder.probe(handle, ctx.config.code().n(), ctx.config.code().m(), done));
    }

    HeadRecovery(Prober prober) {
        this.prober = prober;
    }

    /** Completes {@code done} with the newest version of {@code head} rebuilt, or empty if none could be. */
    void recover(Id head, Consumer<Optional<Rebuilder.Rebuilt>> done) {
        new Search(head, done).step(TOP_BIT);
    }

    private final class Search {
        final Id head;
        final Consumer<Optional<Rebuilder.Rebuilt>> done;
        long best;
        Rebuilder.Rebuilt found;
        /** The step under way: its number (answers of earlier steps are dropped), its bits, the probes' answers. */
        int step;
        int top;
        int lowest;
        int nextBit;
        int inFlight;
        final Map<Integer, Optional<Rebuilder.Rebuilt>> answers = new HashMap<>();
        boolean finished;

        Search(Id head, Consumer<Optional<Rebuilder.Rebuilt>> done) {
            this.head = head;
            this.done = done;
        }

        /** Probes bits {@code from} down to 0; before anything was found, bit -1 stands for version 0. */
        void step(int from) {
            step++;
            top = from;
            lowest = found == null ? -1 : 0;
            nextBit = from;
            inFlight = 0;
            answers.clear();
            if (from < lowest) {
                finish(Optional.ofNullable(found));
                return;
            }
            launch();
        }

        void launch() {
            while (!finished && inFlight < WINDOW && nextBit >= lowest) {
                int bit = nextBit--;
                int of = step;
                inFlight++;
                long version = bit < 0 ? 0 : best | (1L << bit);
                prober.probe(HeadVersions.archiveHandle(head, version), rebuilt -> answered(of, bit, rebuilt));
            }
        }

        void answered(int of, int bit, Optional<Rebuilder.Rebuilt> rebuilt) {
            if (finished || of != step) {
                return;
            }
            inFlight--;
            answers.put(bit, rebuilt);
            for (int b = top; b >= lowest; b--) {
                Optional<Rebuilder.Rebuilt> answer = answers.get(b);
                if (answer == null) {
                    launch(); // a higher bit is still out (or not yet sent): the decision waits for it
                    return;
                }
                if (answer.isPresent()) {
                    found = answer.get();
                    if (b < 0) {
                        finish(Optional.of(found));
                    } else {
                        best |= 1L << b;
                        step(b - 1);
                    }
                    return;
                }
            }
            finish(Optional.ofNullable(found)); // every bit of this step missed
        }

        void finish(Optional<Rebuilder.Rebuilt> result) {
            finished = true;
            done.accept(result);
        }
    }
}
