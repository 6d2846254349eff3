package org.epost.durability.glacier;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.overlay.id.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Regenerates fragments this node should hold and lacks: queued per object (all the indexes of one object wanted
 * here cost one rebuild), at most {@link GlacierConfig#maxQueuedRebuilds()} objects waiting and
 * {@link GlacierConfig#maxConcurrentRebuilds()} in flight, since each holds up to an object's worth of fragments.
 * An object that cannot be rebuilt now is dropped from the queue; a later audit queues it again.
 */
final class Regenerator {
    private static final Logger LOG = LoggerFactory.getLogger(Regenerator.class);
    private record Wanted(int n, TreeSet<Integer> indexes, long expiry, int attempt) {
    }

    private static final int ATTEMPTS = 3;

    private final GlacierContext ctx;
    private final Rebuilder rebuilder;
    private final FragmentHolder holder;
    private final Map<Id, Wanted> queue = new LinkedHashMap<>();
    private final Map<Id, Wanted> running = new LinkedHashMap<>();

    Regenerator(GlacierContext ctx, Rebuilder rebuilder, FragmentHolder holder) {
        this.ctx = ctx;
        this.rebuilder = rebuilder;
        this.holder = holder;
    }

    /** Objects being rebuilt and waiting, for the simulator's trace. */
    String describe() {
        return "rebuilding " + running.size() + " queued " + queue.size();
    }

    boolean busy() {
        return !queue.isEmpty() || !running.isEmpty();
    }

    void enqueue(Id handle, int n, int index, long expiry) {
        enqueue(handle, n, index, expiry, 0);
    }

    private void enqueue(Id handle, int n, int index, long expiry, int attempt) {
        // An index learnt while the object is being rebuilt joins that rebuild: its result is stored for every index
        // wanted when it completes.
        Wanted wanted = running.containsKey(handle) ? running.get(handle) : queue.get(handle);
        if (wanted == null) {
            if (queue.size() >= ctx.config.maxQueuedRebuilds()) {
                return;
            }
            wanted = new Wanted(n, new TreeSet<>(), expiry, attempt);
            queue.put(handle, wanted);
        }
        if (wanted.n() == n) {
            wanted.indexes().add(index);
        }
        startMore();
    }

    private void startMore() {
        Iterator<Map.Entry<Id, Wanted>> next = queue.entrySet().iterator();
        while (running.size() < ctx.config.maxConcurrentRebuilds() && next.hasNext()) {
            Map.Entry<Id, Wanted> entry = next.next();
            next.remove();
            Id handle = entry.getKey();
            Wanted wanted = entry.getValue();
            running.put(handle, wanted);
            int m = wanted.n() == ctx.config.code().n() ? ctx.config.code().m() : Math.max(1, wanted.n() / 5);
            rebuilder.rebuild(handle, wanted.n(), m, true, rebuilt -> {
                running.remove(handle);
                if (rebuilt.isPresent()) {
                    keep(handle, wanted, rebuilt.get());
                } else {
                    retryLater(handle, wanted);
                }
                startMore();
            });
        }
    }

    /**
     * A failed rebuild (too few holders answered: the ring may still be settling) is tried again after the repair
     * interval, up to {@link #ATTEMPTS} times in all; after that only a later audit queues the object again.
     */
    private void retryLater(Id handle, Wanted wanted) {
        if (wanted.attempt() + 1 >= ATTEMPTS) {
            return;
        }
        ctx.scheduler.schedule(ctx.config.repairIntervalMillis(), () -> {
            for (int index : wanted.indexes()) {
                enqueue(handle, wanted.n(), index, wanted.expiry(), wanted.attempt() + 1);
            }
        });
    }

    /** Stores the wanted fragments of a rebuilt object, those this node is still responsible for. */
    private void keep(Id handle, Wanted wanted, Rebuilder.Rebuilt rebuilt) {
        long expiry = Math.max(wanted.expiry(), rebuilt.expiry());
        for (int index : wanted.indexes()) {
            Fragment fragment = rebuilt.fragments().get(index);
            if (!ctx.local.contains(handle, index)
                    && ctx.endpoint.isResponsibleFor(FragmentPlacement.position(handle, index, wanted.n()))
                    && holder.store(fragment, fragment.encode(), expiry)) {
                ctx.counters.fragmentsRegenerated++;
                LOG.debug("{}: fragment {} of {} regenerated", ctx.self, index, handle);
            }
        }
    }
}
