package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.peer.lease.LeaseTestRing.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.core.healthcheck.ResultStatus;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.peer.accounts.PendingUsers;
import org.epost.peer.health.EpostHealthCheck;
import org.epost.peer.lease.LeaseTestRing.Peer;
import org.epost.peer.mail.PostReadiness;
import org.epost.post.accounts.AccountService;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.ReferenceSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Mono;

/**
 * Lease-based GC on three real peers (overlay nodes over TCP + TLS on loopback, RocksDB block stores, POST accounts,
 * the persistent users repository with its provisioning listener), with 6-second leases refreshed every second and
 * expired blocks collected every second: what a peer keeps referencing lives on, what nobody refreshes goes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseServiceRingTest {
    private static final Duration LEASE = LeaseTestRing.LEASE;
    private static final String DOMAIN = LeaseTestRing.DOMAIN;

    @TempDir
    static Path directory;
    private List<Peer> peers = new ArrayList<>();

    @BeforeAll
    void startRing() throws Exception {
        peers = LeaseTestRing.start(directory, "Lease Test Org");
        await("lease refresh running", () -> peers.stream().allMatch(peer -> peer.leases.status().rounds() > 0));
    }

    @AfterAll
    void stopRing() {
        peers.forEach(Peer::stop);
    }

    @Test
    void aHomedUsersAccountBlocksOutliveManyLeasesWhileAnUnreferencedBlockIsCollected() throws Exception {
        Peer home = peers.get(0);
        home.users.addUser(Username.of("alice@" + DOMAIN), "secret");
        List<BlockKey> accountBlocks = home.leases.homedAccounts().references().stream()
            .map(reference -> ((LeaseReference.OfBlock) reference).key()).toList();
        assertThat(accountBlocks).as("certificate and identity of alice")
            .containsExactlyElementsOf(home.post.ifRunning().orElseThrow().accounts().leasedBlocks("alice@" + DOMAIN).orElseThrow());
        ContentHashBlock orphan = ContentHashBlock.of("nobody refreshes this".getBytes());
        assertThat(home.node().past().insert(orphan, System.currentTimeMillis() + 3_000).get(60, TimeUnit.SECONDS)
            .isSuccess()).isTrue();
        long roundsBefore = home.leases.status().rounds();

        await("the unreferenced block collected by every holder", () -> peers.stream().noneMatch(p -> p.holds(orphan.key())));
        // Twenty refresh rounds of one second each: more than three lease periods of six seconds. Rounds are counted
        // when they start and run one at a time, so once the 21st has started the 20 before it have finished (a
        // round's extensions end only once the holders confirmed them, which can outlast the next round's start).
        await("20 more refresh rounds finished", () -> home.leases.status().rounds() >= roundsBefore + 21);

        for (BlockKey key : accountBlocks) {
            assertThat(peers).as("holders of %s", key).allMatch(peer -> peer.holds(key));
        }
        AccountService elsewhere = peers.get(2).post.ifRunning().orElseThrow().accounts();
        assertThat(elsewhere.lookupIdentity("alice@" + DOMAIN).get(60, TimeUnit.SECONDS).home())
            .isEqualTo(home.node().transport().localHandle());
        LeaseService.Status status = home.leases.status();
        assertThat(status.running()).isTrue();
        assertThat(status.homedAccounts()).isEqualTo(1);
        assertThat(status.refreshed()).isGreaterThanOrEqualTo(40);
        assertThat(status.lastRound().newExpiry()).isNotNull();
    }

    @Test
    void aRegisteredSourcesBlocksLiveUntilItIsUnregistered() throws Exception {
        Peer peer = peers.get(1);
        ContentHashBlock kept = ContentHashBlock.of("a folder log's cluster".getBytes());
        assertThat(peer.node().past().insert(kept, System.currentTimeMillis() + LEASE.toMillis()).get(60, TimeUnit.SECONDS)
            .isSuccess()).isTrue();
        ReferenceSource mailbox = ReferenceSource.ofBlocks(() -> List.of(kept.key()));
        peer.leases.register(mailbox);
        long roundsBefore = peer.leases.status().rounds();

        await("two lease periods of refresh rounds", () -> peer.leases.status().rounds() >= roundsBefore + 12);
        assertThat(peers).as("still held everywhere").allMatch(p -> p.holds(kept.key()));
        assertThat(peer.node().past().lookup(kept.key()).get(60, TimeUnit.SECONDS)).isPresent();

        assertThat(peer.leases.unregister(mailbox)).isTrue();
        await("collected once no longer refreshed", () -> peers.stream().noneMatch(p -> p.holds(kept.key())));
        assertThat(peer.node().past().lookup(kept.key()).get(60, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aReferenceThatCannotBeRefreshedDegradesThenFailsTheHealthcheckUntilItGoes() throws Exception {
        Peer peer = peers.get(2);
        peer.users.addUser(Username.of("carol@" + DOMAIN), "secret");
        EpostHealthCheck healthCheck = new EpostHealthCheck(peer.store, peer.overlay, peer.leases,
            new PendingUsers(new PostReadiness()));
        BlockKey lost = new BlockKey(Id.hash("a block no holder has"), BlockKind.CONTENT_HASH);
        ReferenceSource broken = ReferenceSource.ofBlocks(() -> List.of(lost));
        peer.leases.register(broken);

        await("degraded while retried", () -> status(healthCheck) == ResultStatus.DEGRADED);
        assertThat(peer.leases.status().pendingRetry()).isEqualTo(1);
        // Half the slack (lease 6 s minus interval 1 s) later, the block it stands for is about to be lost.
        await("unhealthy once failing for half the slack", () -> status(healthCheck) == ResultStatus.UNHEALTHY);
        Result unhealthy = Mono.from(healthCheck.check()).block();
        assertThat(unhealthy.getCause()).get().asString().contains("could not be refreshed").contains(lost.toString());
        LeaseService.Status status = peer.leases.status();
        assertThat(status.health()).isEqualTo("UNHEALTHY");
        assertThat(status.failingRounds()).isGreaterThanOrEqualTo(2);
        assertThat(status.lastRound().failures()).containsKey("block " + lost);

        peer.leases.unregister(broken);
        await("healthy again once the reference is gone", () -> status(healthCheck) == ResultStatus.HEALTHY);
    }

    @Test
    void aRestartedServiceFindsTheAccountsHomedOnItsPeer() throws Exception {
        Peer peer = peers.get(1);
        peer.users.addUser(Username.of("bob@" + DOMAIN), "secret");
        HomedAccountReferences afterRestart = new HomedAccountReferences();
        LeaseService restarted = new LeaseService(peer.configuration, peer.overlay, peer.post, peer.storedUsers,
            afterRestart, MetricSink.NONE);
        try {
            restarted.start();

            assertThat(afterRestart.accounts()).isEqualTo(1);
            assertThat(afterRestart.references()).isEqualTo(peer.leases.homedAccounts().references());
        } finally {
            restarted.stop();
        }
    }

    private static ResultStatus status(EpostHealthCheck healthCheck) {
        return Mono.from(healthCheck.check()).block().getStatus();
    }
}
