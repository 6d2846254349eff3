package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.core.healthcheck.ResultStatus;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.peer.accounts.AccountProvisioner;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.directory.PersistentDomainList;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.directory.ProvisioningUsersRepository;
import org.epost.peer.health.EpostHealthCheck;
import org.epost.peer.mail.PostApplication;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.overlay.OverlayService;
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
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String DOMAIN = "epost.test";

    @TempDir
    static Path directory;
    private final List<Peer> peers = new ArrayList<>();

    /** One peer: its directory store, users, overlay node with POST accounts, and lease service. */
    private static final class Peer {
        final PeerDirectoryStore store;
        final OverlayService overlay;
        final PostReadiness post = new PostReadiness();
        final ProvisioningUsersRepository users;
        final PersistentUsersRepository storedUsers;
        final LeaseService leases;
        final EpostConfiguration configuration;

        Peer(Path home, EpostConfiguration configuration) throws Exception {
            this.configuration = configuration;
            store = new PeerDirectoryStore(home.resolve("directory"));
            PersistentDomainList domains = new PersistentDomainList(new InMemoryDNSService(), store);
            domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
            domains.addDomain(Domain.of(DOMAIN));
            storedUsers = new PersistentUsersRepository(domains, store);
            storedUsers.configure(new BaseHierarchicalConfiguration());
            overlay = new OverlayService(configuration, Set.of(new PostApplication(configuration,
                InMemoryIntegrationResources.defaultResources().getMailboxManager(), post)));
            HomedAccountReferences homed = new HomedAccountReferences();
            users = new ProvisioningUsersRepository(storedUsers,
                Set.of(new AccountProvisioner(configuration, overlay, post, homed)));
            leases = new LeaseService(configuration, overlay, post, storedUsers, homed, MetricSink.NONE);
        }

        OverlayNode node() {
            return overlay.node().orElseThrow();
        }

        boolean holds(BlockKey key) {
            return node().past().store().contains(key);
        }

        void stop() {
            leases.stop();
            overlay.stop();
            store.close();
        }
    }

    @BeforeAll
    void startRing() throws Exception {
        Instant notBefore = Instant.now().minusSeconds(60);
        OrganizationAuthority authority = OrganizationAuthority.create("Lease Test Org", notBefore, Duration.ofDays(1));
        Path ca = directory.resolve("ca");
        authority.save(ca, "ca-pw".toCharArray());
        org.epost.post.accounts.OrganizationUserAuthority.create(ca, "ca-pw".toCharArray(), "user-ca-pw".toCharArray());
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addresses.add("127.0.0.1:" + freePort());
        }
        for (int i = 0; i < 3; i++) {
            Path home = directory.resolve("peer" + i);
            authority.issueNodeCredentials("peer" + i, notBefore, Duration.ofDays(1))
                .save(home.resolve("node.p12"), "node-pw".toCharArray());
            BaseConfiguration properties = new BaseConfiguration();
            properties.addProperty("overlay.enabled", "true");
            properties.addProperty("overlay.listen", addresses.get(i));
            properties.addProperty("overlay.bootstrap", String.join(",", addresses));
            properties.addProperty("overlay.credentials", home.resolve("node.p12").toString());
            properties.addProperty("overlay.credentials.password", "node-pw");
            properties.addProperty("post.domains", DOMAIN);
            properties.addProperty("post.authority", ca.toString());
            properties.addProperty("post.authority.password", "user-ca-pw");
            properties.addProperty("post.vault.secret", Base64.getEncoder().encodeToString(("vault secret of peer " + i
                + " padded to 32 bytes").getBytes()));
            properties.addProperty("post.lease.duration", LEASE.toSeconds() + "s");
            properties.addProperty("post.lease.refresh-interval", "1s");
            properties.addProperty("past.clock-skew", "500ms");
            properties.addProperty("past.maintenance-interval", "1s");
            peers.add(new Peer(home, EpostConfiguration.from(properties, home, "peer" + i)));
        }
        for (Peer peer : peers) {
            peer.overlay.start();
        }
        for (Peer peer : peers) {
            await("peer in a ring of 3", () -> {
                try {
                    RingStatus status = peer.overlay.status().orElseThrow();
                    return status.ready() && status.ringSizeEstimate() == 3;
                } catch (Exception e) {
                    return false;
                }
            });
            peer.leases.start();
        }
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
        // Twenty refresh rounds of one second each: more than three lease periods of six seconds.
        await("20 more refresh rounds", () -> home.leases.status().rounds() >= roundsBefore + 20);

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
        EpostHealthCheck healthCheck = new EpostHealthCheck(peer.store, peer.overlay, peer.leases);
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

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
