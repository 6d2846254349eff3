package org.epost.durability.glacier;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.epost.durability.erasure.ErasureException;
import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.fragment.FragmentManifest;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.FragmentGet;
import org.epost.durability.glacier.messages.FragmentGetReply;
import org.epost.overlay.id.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds one object from its fragments: asks the holders of its positions in waves (first 2m, then m at a time,
 * in a seeded random order, so a rebuild costs about m fragments when the ring is whole and more only when holders
 * are gone), keeps only fragments that verify against their manifest and sit at the index asked, groups them by
 * manifest, and decodes a group once it has m. The decoded object must pass the {@link ObjectVerifier}: a forger's
 * self-consistent manifest decodes to something else and its group is dropped (logged). The result carries all n
 * fragments re-coded from the object, which is deterministic, so they are exactly the originals.
 */
final class Rebuilder {
    private static final Logger LOG = LoggerFactory.getLogger(Rebuilder.class);

    /** A rebuilt object: its manifest, bytes, all n fragments, and the longest lease a holder reported. */
    record Rebuilt(FragmentManifest manifest, byte[] object, List<Fragment> fragments, long expiry) {
    }

    private final GlacierContext ctx;
    private final FragmentHolder holder;

    Rebuilder(GlacierContext ctx, FragmentHolder holder) {
        this.ctx = ctx;
        this.holder = holder;
    }

    /**
     * Rebuilds the object {@code handle} coded into {@code n} fragments, about {@code m} needed; {@code done} gets
     * it, or empty when no manifest gathered m valid fragments that decode to the object.
     */
    void rebuild(Id handle, int n, int m, boolean maintenance, Consumer<Optional<Rebuilt>> done) {
        new Attempt(handle, n, m, maintenance, false, done).nextWave(2 * m);
    }

    /**
     * As {@link #rebuild}, but gives up when the first 2m holders asked had no fragment at all: a cheap test of
     * whether an object exists (a head version the search for the newest one probes), costing 2m messages when it
     * does not instead of n. An object that kept at least m of its n fragments has one among 2m randomly chosen
     * indexes except with negligible probability. A probe that finds nothing is not counted as a failed rebuild.
     */
    void probe(Id handle, int n, int m, Consumer<Optional<Rebuilt>> done) {
        new Attempt(handle, n, m, false, true, done).nextWave(2 * m);
    }

    private final class Attempt {
        final Id handle;
        final int n;
        final int m;
        final boolean maintenance;
        final boolean probe;
        final Consumer<Optional<Rebuilt>> done;
        final List<Integer> order = new ArrayList<>();
        final Map<String, Group> groups = new LinkedHashMap<>();
        int asked;
        int open;
        int received;
        boolean finished;

        Attempt(Id handle, int n, int m, boolean maintenance, boolean probe, Consumer<Optional<Rebuilt>> done) {
            this.handle = handle;
            this.n = n;
            this.m = m;
            this.maintenance = maintenance;
            this.probe = probe;
            this.done = done;
            order.addAll(ctx.shuffledIndexes(n));
        }

        void nextWave(int size) {
            int end = Math.min(n, asked + size);
            for (; asked < end; asked++) {
                int index = order.get(asked);
                long id = ctx.nextId();
                open++;
                ctx.expect(id, FragmentGetReply.class, reply -> answered(index, reply), () -> answered(index, null));
                ctx.route(FragmentPlacement.position(handle, index, n), new FragmentGet(id, ctx.self, handle, index),
                    maintenance);
            }
            if (open == 0) {
                finish(Optional.empty());
            }
        }

        void answered(int index, FragmentGetReply reply) {
            open--;
            if (finished) {
                return;
            }
            if (reply != null && reply.fragment().length > 0) {
                accept(index, reply);
            }
            if (finished) {
                return;
            }
            if (open == 0) {
                if (asked < n && !(probe && received == 0)) {
                    nextWave(m);
                } else {
                    finish(Optional.empty());
                }
            }
        }

        void accept(int index, FragmentGetReply reply) {
            Fragment fragment = holder.parse(reply.fragment(), "a holder of " + handle);
            if (fragment == null) {
                return;
            }
            FragmentManifest manifest = fragment.manifest();
            if (fragment.index() != index || manifest.n() != n || !manifest.objectHandle().equals(handle)) {
                ctx.counters.forgedFragments++;
                LOG.warn("{}: asked for fragment {} of {}, got {}; discarded", ctx.self, index, handle, fragment);
                return;
            }
            Group group = groups.computeIfAbsent(HexFormat.of().formatHex(manifest.digest()), key -> new Group(manifest));
            if (group.bad) {
                return;
            }
            received++;
            group.fragments.add(fragment);
            group.expiry = Math.max(group.expiry, reply.expiry());
            if (group.fragments.size() >= manifest.m()) {
                tryDecode(group);
            }
        }

        void tryDecode(Group group) {
            try {
                byte[] object = FragmentCoder.decode(group.manifest, group.fragments);
                if (ctx.verifier.verify(handle, group.manifest.kindCode(), object)) {
                    List<Fragment> all = FragmentCoder.encode(handle, group.manifest.kindCode(), object, n,
                        group.manifest.m());
                    if (all.get(0).manifest().equals(group.manifest)) {
                        finish(Optional.of(new Rebuilt(group.manifest, object, all, group.expiry)));
                        return;
                    }
                }
            } catch (ErasureException e) {
                LOG.warn("{}: fragments of {} did not decode: {}", ctx.self, group.manifest, e.getMessage());
            }
            group.bad = true;
            ctx.counters.forgedFragments += group.fragments.size();
            LOG.warn("{}: {} fragments under {} rebuild no valid object; that manifest is forged, discarded", ctx.self,
                group.fragments.size(), group.manifest);
            group.fragments.clear();
        }

        void finish(Optional<Rebuilt> result) {
            finished = true;
            if (result.isPresent()) {
                ctx.counters.rebuildsSucceeded++;
            } else if (!probe || received > 0) {
                ctx.counters.rebuildsFailed++;
            }
            done.accept(result);
        }
    }

    private static final class Group {
        final FragmentManifest manifest;
        final List<Fragment> fragments = new ArrayList<>();
        long expiry;
        boolean bad;

        Group(FragmentManifest manifest) {
            this.manifest = manifest;
        }
    }
}
