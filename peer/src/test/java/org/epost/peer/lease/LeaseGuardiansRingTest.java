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
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.peer.accounts.AccountProvisioner;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.directory.PersistentDomainList;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.directory.ProvisioningUsersRepository;
import org.epost.peer.mail.PostApplication;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.overlay.OverlayService;
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
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String DOMAIN = "epost.test";

    @TempDir
    Path directory;
    private final List<Peer> peers = new ArrayList<>();

    private static final class Peer {
        final PeerDirectoryStore store;
        final OverlayService overlay;
        final PostReadiness post = new PostReadiness();
        final ProvisioningUsersRepository users;
        final LeaseService leases;
        boolean stopped;

        Peer(Path home, EpostConfiguration configuration) throws Exception {
            store = new PeerDirectoryStore(home.resolve("directory"));
            PersistentDomainList domains = new PersistentDomainList(new InMemoryDNSService(), store);
            domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
            domains.addDomain(Domain.of(DOMAIN));
            PersistentUsersRepository storedUsers = new PersistentUsersRepository(domains, store);
            storedUsers.configure(new BaseHierarchicalConfiguration());
            overlay = new OverlayService(configuration, Set.of(new PostApplication(configuration,
                InMemoryIntegrationResources.defaultResources().getMailboxManager(), post)));
            HomedAccountReferences homed = new HomedAccountReferences();
            users = new ProvisioningUsersRepository(storedUsers,
                Set.of(new AccountProvisioner(configuration, overlay, post, homed)));
            leases = new LeaseService(configuration, overlay, post, storedUsers, homed);
        }

        OverlayNode node() {
            return overlay.node().orElseThrow();
        }

        boolean holds(BlockKey key) {
            return node().past().store().contains(key);
        }

        void stop() {
            if (!stopped) {
                stopped = true;
                leases.stop();
                overlay.stop();
                store.close();
            }
        }
    }

    @AfterEach
    void stopRing() {
        peers.forEach(Peer::stop);
    }

    @Test
    void theHoldersOfAStoppedHomesMandateKeepItsUsersBlocksAliveForManyLeases() throws Exception {
        startRing();
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

    private void startRing() throws Exception {
        Instant notBefore = Instant.now().minusSeconds(60);
        OrganizationAuthority authority = OrganizationAuthority.create("Guardian Test Org", notBefore,
            Duration.ofDays(1));
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
