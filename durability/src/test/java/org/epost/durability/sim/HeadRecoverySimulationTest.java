package org.epost.durability.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * Mutable heads through a correlated failure: users' log heads and identity blocks are updated version after version
 * through PAST (whose roots archive each version in Glacier), 60% of the ring crashes as one contiguous run, and every
 * head is then read from a survivor: those whose every PAST replica died come back from fragments, at exactly their
 * newest version, and are in PAST again afterwards.
 */
class HeadRecoverySimulationTest {
    private static final long LEASE_MILLIS = 30L * 24 * 3600_000;
    private static final String[] LABELS = {"identity", "log/INBOX", "log/Sent"};

    @Test
    void everyUsersHeadsComeBackAtTheirNewestVersionAfterSixtyPercentFail() throws Exception {
        GlacierSimulation run = new GlacierSimulation(GlacierSimSettings.of(200, 11).withObjects(0, 1024));
        run.build();
        Simulation sim = run.simulation();
        // As on peers: PAST's roots archive what they replicated, and lookups that find no replica ask Glacier.
        for (Simulation.SimNode node : sim.liveNodes()) {
            node.past().setArchive(run.glaciers().get(node.id()));
        }
        Random random = new Random(11);
        List<PublicKeyBlock> newest = new ArrayList<>();
        for (int user = 0; user < 6; user++) {
            KeyPair keys = seededKeys(1000 + user);
            for (String label : LABELS) {
                // Different numbers of updates, so the newest versions have different bits set (1 to 13 versions).
                int versions = 1 + (user * 5 + label.length()) % 13;
                PublicKeyBlock block = null;
                for (long version = 0; version < versions; version++) {
                    block = PublicKeyBlock.sign(keys, label, version, ("v" + version + " of " + label).getBytes());
                    List<Simulation.SimNode> live = sim.liveNodes();
                    CompletableFuture<InsertResult> inserted = live.get(random.nextInt(live.size())).past()
                        .insert(block, sim.scheduler().now() + LEASE_MILLIS);
                    sim.scheduler().runUntil(inserted::isDone, sim.scheduler().now() + 60_000);
                    assertThat(inserted.join().status()).isEqualTo(InsertResult.Status.SUCCESS);
                }
                newest.add(block);
            }
        }
        sim.scheduler().runFor(60_000);

        FailureModel.crash(sim, 0.6, true, random);
        List<PublicKeyBlock> withoutReplicas = newest.stream()
            .filter(head -> sim.liveNodes().stream().noneMatch(node -> node.past().store().contains(key(head))))
            .toList();
        // PAST alone would have lost these heads (and with them the user's folders).
        assertThat(withoutReplicas).isNotEmpty();
        // Reads start once the overlay routes again (Glacier's own repair runs meanwhile, as it would).
        assertThat(sim.scheduler().runUntil(() -> sim.incorrectLeafSets() == 0, sim.scheduler().now() + 30 * 60_000))
            .isTrue();
        sim.scheduler().runFor(60_000);

        List<CompletableFuture<Optional<byte[]>>> reads = new ArrayList<>();
        List<Long> fromFragmentsMillis = new ArrayList<>();
        for (PublicKeyBlock head : newest) {
            List<Simulation.SimNode> live = sim.liveNodes();
            long start = sim.scheduler().now();
            CompletableFuture<Optional<byte[]>> read = run.glaciers().get(live.get(random.nextInt(live.size())).id())
                .read(key(head));
            if (withoutReplicas.contains(head)) {
                read.thenRun(() -> fromFragmentsMillis.add(sim.scheduler().now() - start));
            }
            reads.add(read);
            sim.scheduler().runFor(100);
        }
        sim.scheduler().runUntil(() -> reads.stream().allMatch(CompletableFuture::isDone),
            sim.scheduler().now() + 30 * 60_000);
        // The figure of README's Glacier row: virtual time of a read whose head comes back only from fragments.
        LongSummaryStatistics recovery = fromFragmentsMillis.stream().mapToLong(Long::longValue).summaryStatistics();
        System.out.printf("head reads from fragments: %d, virtual ms mean %.0f, max %d%n", recovery.getCount(),
            recovery.getAverage(), recovery.getMax());
        assertThat(recovery.getCount()).isEqualTo(withoutReplicas.size());
        for (int i = 0; i < newest.size(); i++) {
            assertThat(reads.get(i).join()).as("head %s", newest.get(i)).hasValue(newest.get(i).encoded());
        }
        sim.scheduler().runFor(60_000);
        for (PublicKeyBlock head : withoutReplicas) {
            assertThat(sim.liveNodes().stream().filter(node -> node.past().store().contains(key(head))).count())
                .as("replicas of %s after its recovery", head).isPositive();
        }
        assertThat(run.census().forged()).isZero();
    }

    private static BlockKey key(PublicKeyBlock head) {
        return new BlockKey(head.handle(), BlockKind.PUBLIC_KEY);
    }

    private static KeyPair seededKeys(long seed) throws GeneralSecurityException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, random);
        return generator.generateKeyPair();
    }
}
