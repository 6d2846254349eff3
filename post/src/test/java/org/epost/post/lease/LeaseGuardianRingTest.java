package org.epost.post.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.testing.PastRing;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.RingBlockService;
import org.junit.jupiter.api.Test;

/**
 * A home peer down for longer than a lease loses nothing (issue #14), in a shortened-lease run on a simulated PAST
 * ring whose holders really collect expired blocks: one-hour leases, a home that refreshes every ten minutes and
 * then falls silent, and the k guardians of the user's {@link LeaseMandate} guarding every ten minutes, for
 * eight virtual hours (eight leases). What the mandate lists survives on k holders; a block it does not list is
 * collected; after the mandate's hold, the guarded blocks lapse too.
 */
class LeaseGuardianRingTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long LEASE = HOUR;
    private static final long REFRESH = 10 * MINUTE;
    private static final long HOLD = 6 * HOUR;

    @Test
    void theGuardiansKeepASilentHomesBlocksAliveUntilTheHoldEnds() {
        PastRing ring = new PastRing(12, 14, PastConfig.defaults().withMaintenanceIntervalMillis(MINUTE));
        RingBlockService home = new RingBlockService(ring.live().get(0), ring::await);
        KeyPair user = Signatures.generateKeyPair();
        long start = ring.now();
        List<BlockKey> mail = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ContentHashBlock block = ContentHashBlock.of(("a cluster or part of bob's mail #" + i).getBytes());
            assertThat(ring.await(home.insert(block, start + LEASE)).isSuccess()).isTrue();
            mail.add(block.key());
        }
        ContentHashBlock orphan = ContentHashBlock.of("a block bob's logs no longer reference".getBytes());
        assertThat(ring.await(home.insert(orphan, start + LEASE)).isSuccess()).isTrue();
        LeaseMandate mandate = new LeaseMandate("bob@example.org", start, start + HOLD, mail);
        BlockKey mandateKey = LeaseMandate.keyFor(user.getPublic());
        assertThat(ring.await(home.insert(mandate.sign(user, 0), start + LEASE)).isSuccess()).isTrue();
        // the home's last refresh round was at start: from now on it is down (its disk lost, or just off)

        List<LeaseGuardian> guardians = new ArrayList<>();
        for (Past holder : ring.holders(mandateKey)) {
            guardians.add(new LeaseGuardian(new RingBlockService(holder, ring::await), ring.scheduler()::now,
                    new LeaseGuardian.Settings(LEASE, 2 * REFRESH, 16)));
        }
        assertThat(guardians).hasSize(PastRing.K);
        Map<LeaseGuardian.Outcome, Integer> outcomes = new TreeMap<>();
        boolean orphanCollected = false;
        while (ring.now() < start + HOLD - REFRESH) {
            ring.runFor(REFRESH);
            for (LeaseGuardian guardian : guardians) {
                LeaseGuardian.Report report = ring.await(guardian.guard(mandateKey));
                outcomes.merge(report.outcome(), 1, Integer::sum);
                assertThat(report.failed()).isZero();
            }
            orphanCollected |= ring.holders(orphan.key()).isEmpty();
        }

        // six hours, six leases after the home fell silent: every listed block on all k holders
        for (BlockKey key : mail) {
            assertThat(ring.holders(key)).as("holders of %s", key).hasSize(PastRing.K);
        }
        assertThat(ring.holders(mandateKey)).hasSize(PastRing.K);
        assertThat(orphanCollected).as("the unlisted block was collected meanwhile").isTrue();
        assertThat(outcomes.get(LeaseGuardian.Outcome.HOME_ALIVE)).as("the first round: home still fresh")
                .isEqualTo(PastRing.K);
        assertThat(outcomes.get(LeaseGuardian.Outcome.EXTENDED)).isGreaterThan(30 * PastRing.K);

        // the hold is over: the guardians stop, and the blocks lapse with their last lease
        while (ring.now() < start + HOLD + LEASE + 30 * MINUTE) {
            ring.runFor(REFRESH);
            for (LeaseGuardian guardian : guardians) {
                LeaseGuardian.Outcome outcome = ring.await(guardian.guard(mandateKey)).outcome();
                assertThat(outcome).isIn(LeaseGuardian.Outcome.HOLD_OVER, LeaseGuardian.Outcome.NO_MANDATE);
            }
        }
        assertThat(mail).allMatch(key -> ring.holders(key).isEmpty());
    }

    @Test
    void aHomeThatRepublishesKeepsTheGuardiansIdleAndMalformedMandatesAreRefused() {
        PastRing ring = new PastRing(8, 3, PastConfig.defaults().withMaintenanceIntervalMillis(MINUTE));
        RingBlockService home = new RingBlockService(ring.live().get(0), ring::await);
        KeyPair user = Signatures.generateKeyPair();
        BlockKey mandateKey = LeaseMandate.keyFor(user.getPublic());
        LeaseGuardian guardian = new LeaseGuardian(new RingBlockService(ring.live().get(3), ring::await),
                ring.scheduler()::now, new LeaseGuardian.Settings(LEASE, 2 * REFRESH, 4));
        assertThat(ring.await(guardian.guard(mandateKey)).outcome()).isEqualTo(LeaseGuardian.Outcome.NO_MANDATE);
        for (int round = 0; round < 12; round++) {
            LeaseMandate fresh = new LeaseMandate("bob@example.org", ring.now(), ring.now() + HOLD, List.of());
            assertThat(ring.await(home.insert(fresh.sign(user, round), ring.now() + LEASE)).isSuccess()).isTrue();
            ring.runFor(REFRESH);
            assertThat(ring.await(guardian.guard(mandateKey)).outcome()).isEqualTo(LeaseGuardian.Outcome.HOME_ALIVE);
        }

        LeaseMandate mandate = new LeaseMandate("bob@example.org", 5, 10,
                List.of(ContentHashBlock.of("x".getBytes()).key(), ContentHashBlock.of("y".getBytes()).key()));
        byte[] encoded = mandate.encoded();
        assertThat(LeaseMandate.decode(encoded)).isEqualTo(mandate);
        for (byte[] bad : org.epost.post.RecordEncodings.malformed(encoded)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LeaseMandate.decode(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
