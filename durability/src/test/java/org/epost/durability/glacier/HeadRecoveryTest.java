package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

/**
 * The head search with its probes in parallel: the same version as the one-probe-at-a-time search for any archive
 * (versions missing, older ones left, answers in any order), in a handful of round trips instead of 63.
 */
class HeadRecoveryTest {
    private static final Id HEAD = Id.hash(new byte[] {1, 2, 3});

    /** An archive of some versions of {@link #HEAD}, answering probes one round trip later, in a chosen order. */
    private static final class Archive {
        final Map<Id, Long> versions = new HashMap<>();
        final List<Runnable> outstanding = new ArrayList<>();
        int probes;
        int maxInFlight;

        Archive(Set<Long> held) {
            held.forEach(version -> versions.put(HeadVersions.archiveHandle(HEAD, version), version));
        }

        void probe(Id handle, Consumer<Optional<Rebuilder.Rebuilt>> done) {
            probes++;
            Long version = versions.get(handle);
            outstanding.add(() -> done.accept(Optional.ofNullable(version).map(Archive::rebuilt)));
            maxInFlight = Math.max(maxInFlight, outstanding.size());
        }

        static Rebuilder.Rebuilt rebuilt(long version) {
            return new Rebuilder.Rebuilt(null, ByteBuffer.allocate(Long.BYTES).putLong(version).array(), List.of(), 0);
        }

        /** Searches, answering everything sent in one round trip at a time; the version found and round trips. */
        long[] search(Random order) {
            AtomicReference<Optional<Rebuilder.Rebuilt>> result = new AtomicReference<>();
            new HeadRecovery(this::probe).recover(HEAD, result::set);
            int roundTrips = 0;
            while (result.get() == null) {
                assertThat(outstanding).as("a search that is not done waits for an answer").isNotEmpty();
                List<Runnable> answers = new ArrayList<>(outstanding);
                outstanding.clear();
                if (order != null) {
                    Collections.shuffle(answers, order);
                }
                roundTrips++;
                answers.forEach(Runnable::run);
            }
            long found = result.get().map(r -> ByteBuffer.wrap(r.object()).getLong()).orElse(-1L);
            return new long[] {found, roundTrips};
        }
    }

    /** The search as it was, one probe after the other: the reference the parallel one must agree with. */
    private static long sequential(Set<Long> held) {
        long best = 0;
        long found = -1;
        for (int bit = 62; bit >= 0; bit--) {
            long candidate = best | (1L << bit);
            if (held.contains(candidate)) {
                best = candidate;
                found = candidate;
            }
        }
        return found < 0 && held.contains(0L) ? 0 : found;
    }

    @Test
    void theNewestVersionComesBackInAFewRoundTripsInsteadOfSixtyThree() {
        Set<Long> held = new HashSet<>(HeadVersions.anchors(13));
        held.addAll(List.of(0L, 1L, 2L, 5L, 9L)); // older versions whose lease has not run out yet
        Archive archive = new Archive(held);

        long[] found = archive.search(null);

        assertThat(found[0]).isEqualTo(13);
        // 64 candidates of the first step through a window of 16 (4), then one per set bit below the highest (2);
        // one probe at a time it was 63 round trips (bits 62..0)
        assertThat(found[1]).isEqualTo(6);
        assertThat(archive.maxInFlight).isEqualTo(HeadRecovery.WINDOW);
        assertThat(archive.probes).as("probes sent: 64 + 3 + 2, against 63 one at a time").isEqualTo(69);
    }

    @Test
    void nothingArchivedIsEmptyAndOnlyVersionZeroIsVersionZero() {
        assertThat(new Archive(Set.of()).search(null)[0]).isEqualTo(-1);
        assertThat(new Archive(Set.of(0L)).search(null)[0]).isZero();
        long top = (1L << 62) | 1;
        assertThat(new Archive(new HashSet<>(HeadVersions.anchors(top))).search(null)[0]).isEqualTo(top);
    }

    @Test
    void agreesWithTheOneProbeAtATimeSearchOnAnyArchiveAndAnyAnswerOrder() {
        Random random = new Random(7);
        for (int trial = 0; trial < 400; trial++) {
            Set<Long> held = new HashSet<>();
            long newest = random.nextInt(4) == 0 ? random.nextLong() & Long.MAX_VALUE : random.nextInt(5_000);
            // the newest version with some of its anchors lost, and older versions left here and there
            for (long anchor : HeadVersions.anchors(newest)) {
                if (random.nextInt(5) != 0) {
                    held.add(anchor);
                }
            }
            for (int older = random.nextInt(6); older > 0; older--) {
                held.add(newest == 0 ? 0 : Math.floorMod(random.nextLong(), newest));
            }
            Archive archive = new Archive(held);
            long[] found = archive.search(random);
            assertThat(found[0]).as("archive %s", held).isEqualTo(sequential(held));
            // the window, plus what the step decided in the same round trip had sent
            assertThat(archive.maxInFlight).isLessThanOrEqualTo(2 * HeadRecovery.WINDOW);
        }
    }
}
