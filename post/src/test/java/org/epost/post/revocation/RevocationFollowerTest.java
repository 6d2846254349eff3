package org.epost.post.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Set;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.sim.SimScheduler;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing the organization's revocation list in PAST and every peer following it, over PAST's rules in memory. */
class RevocationFollowerTest {
    private static final long POLL = 300_000;

    @TempDir
    Path directory;

    private final SimScheduler scheduler = new SimScheduler();
    private final InMemoryBlockService past = new InMemoryBlockService().clock(scheduler::now);
    private final KeyPair organizationCa = NodeCertificates.generateKeyPair();
    private final KeyPair userCa = Signatures.generateKeyPair();
    private final Id mallory = Id.hash("mallory's node key");

    private RevocationList list(KeyPair signer, long number, Set<Id> nodes) {
        Instant now = Instant.ofEpochMilli(scheduler.now());
        return RevocationList.sign(signer.getPrivate(), number, now, now.plusSeconds(7 * 86_400), nodes, Set.of());
    }

    private byte[] block(RevocationList list) {
        return RevocationBlocks.wrap(list, userCa).encoded();
    }

    private RevocationFollower follower(Revocations revocations, String name) {
        return new RevocationFollower(past, userCa.getPublic(), revocations, scheduler, POLL,
            directory.resolve(name + ".block"));
    }

    @Test
    void aPublishedListReachesEveryPeerAtItsNextPollAndAReplayChangesNothing() {
        Revocations atA = new Revocations(organizationCa.getPublic());
        Revocations atB = new Revocations(organizationCa.getPublic());
        RevocationFollower a = follower(atA, "a");
        RevocationFollower b = follower(atB, "b");
        a.start();
        b.start();
        scheduler.runUntil(1_000);
        assertThat(atB.current()).isEmpty();

        assertThat(a.publish(block(list(organizationCa, 1, Set.of(mallory)))).join().status())
            .isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(atA.nodeRevoked(mallory)).as("the peer it was uploaded to, at once").isTrue();
        assertThat(atB.nodeRevoked(mallory)).isFalse();
        scheduler.runUntil(POLL + 2_000);
        assertThat(atB.nodeRevoked(mallory)).as("another peer, at its next poll").isTrue();

        a.publish(block(list(organizationCa, 2, Set.of()))).join();
        scheduler.runUntil(2 * POLL + 3_000);
        assertThat(atB.current().orElseThrow().number()).isEqualTo(2);
        assertThat(atB.nodeRevoked(mallory)).isFalse();

        InsertResult replay = a.publish(block(list(organizationCa, 1, Set.of(mallory)))).join();
        scheduler.runUntil(3 * POLL + 4_000);
        assertThat(replay.isSuccess()).as("PAST keeps the newer version").isFalse();
        assertThat(atA.current().orElseThrow().number()).isEqualTo(2);
        assertThat(atB.current().orElseThrow().number()).isEqualTo(2);
    }

    @Test
    void uploadsThatAreNotTheOrganizationsListAreRefusedClearly() {
        Revocations revocations = new Revocations(organizationCa.getPublic());
        RevocationFollower follower = follower(revocations, "a");
        KeyPair otherUserCa = Signatures.generateKeyPair();

        assertThatThrownBy(() -> follower.publish(new byte[] {1, 2, 3}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the organization's revocation block");
        assertThatThrownBy(() -> follower.publish(RevocationBlocks.wrap(list(organizationCa, 1, Set.of(mallory)),
            otherUserCa).encoded())).hasMessageContaining("not the organization's revocation block");
        assertThatThrownBy(() -> follower.publish(block(list(NodeCertificates.generateKeyPair(), 1, Set.of(mallory)))))
            .hasMessageContaining("not signed by the organization authority");
        assertThat(revocations.current()).isEmpty();
        assertThat(past.lookup(RevocationBlocks.key(userCa.getPublic())).join()).isEmpty();
    }

    @Test
    void aRestartedPeerEnforcesItsSavedListBeforeItReadsPast() throws Exception {
        Revocations before = new Revocations(organizationCa.getPublic());
        follower(before, "peer").publish(block(list(organizationCa, 3, Set.of(mallory)))).join();
        assertThat(Files.exists(directory.resolve("peer.block"))).isTrue();

        Revocations afterRestart = new Revocations(organizationCa.getPublic());
        new RevocationFollower(new InMemoryBlockService().clock(scheduler::now), userCa.getPublic(), afterRestart,
            scheduler, POLL, directory.resolve("peer.block")).start();

        assertThat(afterRestart.nodeRevoked(mallory)).isTrue();
        assertThat(afterRestart.current().orElseThrow().number()).isEqualTo(3);
    }
}
