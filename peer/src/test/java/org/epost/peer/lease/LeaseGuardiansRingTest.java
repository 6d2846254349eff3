package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.peer.lease.LeaseTestRing.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.peer.lease.LeaseTestRing.Peer;
import org.epost.post.lease.LeaseMandate;
import org.epost.post.lease.LeaseReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home peer down for longer than a lease loses nothing (issue #14), on three real peers (overlay nodes over TCP +
 * TLS on loopback, RocksDB block stores, POST accounts) with 6-second leases refreshed every second: the home
 * publishes its user's lease mandate every round, then stops; the two other peers, holders of the mandate, keep the
 * user's blocks alive for five lease periods, while a block the mandate does not list is collected.
 */
class LeaseGuardiansRingTest {
    private static final Duration LEASE = LeaseTestRing.LEASE;
    private static final String DOMAIN = LeaseTestRing.DOMAIN;

    @TempDir
    Path directory;
    private List<Peer> peers = new ArrayList<>();

    @AfterEach
    void stopRing() {
        peers.forEach(Peer::stop);
    }

    @Test
    void theHoldersOfAStoppedHomesMandateKeepItsUsersBlocksAliveForManyLeases() throws Exception {
        peers = LeaseTestRing.start(directory, "Guardian Test Org");
        Peer home = peers.get(0);
        home.users.addUser(Username.of("alice@" + DOMAIN), "secret");
        var accounts = home.post.ifRunning().orElseThrow().accounts();
        var signing = accounts.keys("alice@" + DOMAIN).orElseThrow().signingPublicKey();
        // a mailbox block of alice's, as the mailbox backend reports it for her mandate
        ContentHashBlock mail = ContentHashBlock.of("a cluster of alice's INBOX log".getBytes());
        ContentHashBlock orphan = ContentHashBlock.of("a block nobody references".getBytes());
        long expiry = System.currentTimeMillis() + LEASE.toMillis();
        assertThat(home.node().past().insert(mail, expiry).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(home.node().past().insert(orphan, expiry).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
        home.leases.register(() -> Set.of(LeaseReference.of(mail.key())));
        home.leases.registerPerUser(address -> address.equals("alice@" + DOMAIN)
            ? Set.of(LeaseReference.of(mail.key())) : Set.of());
        List<BlockKey> alices = new ArrayList<>(accounts.leasedBlocks("alice@" + DOMAIN).orElseThrow());
        alices.add(mail.key());
        BlockKey mandate = LeaseMandate.keyFor(signing);
        await("alice's mandate listing her mail on every peer", () -> peers.stream().allMatch(peer -> {
            try {
                return peer.node().past().lookup(mandate).get(60, TimeUnit.SECONDS)
                    .map(block -> LeaseMandate.decode(((org.epost.overlay.past.block.PublicKeyBlock) block)
                        .payload()).blocks().contains(mail.key()))
                    .orElse(false);
            } catch (Exception e) {
                return false;
            }
        }));

        home.stop();
        Instant silent = Instant.now();
        List<Peer> guardians = peers.subList(1, peers.size());
        await("the unlisted block collected", () -> guardians.stream().noneMatch(peer -> peer.holds(orphan.key())));
        await("five lease periods after the home stopped",
            () -> Instant.now().isAfter(silent.plus(LEASE.multipliedBy(5))));

        for (BlockKey key : alices) {
            assertThat(guardians).as("holders of %s", key).allMatch(peer -> peer.holds(key));
        }
        assertThat(guardians.get(0).node().past().lookup(mail.key()).get(60, TimeUnit.SECONDS)).isPresent();
    }
}
