package org.epost.peer.lease;

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
import java.util.function.BooleanSupplier;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.block.BlockKey;
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

/**
 * Three real peers for the lease tests: overlay nodes over TCP + TLS on loopback, RocksDB block stores, POST
 * accounts, the persistent users repository with its provisioning listener, and a lease service each, with
 * 6-second leases refreshed every second and expired blocks collected every second.
 */
final class LeaseTestRing {
    static final Duration LEASE = Duration.ofSeconds(6);
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String DOMAIN = "epost.test";

    private LeaseTestRing() {
    }

    /** One peer: its directory store, users, overlay node with POST accounts, and lease service. */
    static final class Peer {
        final PeerDirectoryStore store;
        final OverlayService overlay;
        final PostReadiness post = new PostReadiness();
        final ProvisioningUsersRepository users;
        final PersistentUsersRepository storedUsers;
        final LeaseService leases;
        final EpostConfiguration configuration;
        private boolean stopped;

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

        /** Stops the lease service, the node and the store (once). */
        void stop() {
            if (!stopped) {
                stopped = true;
                leases.stop();
                overlay.stop();
                store.close();
            }
        }
    }

    /** Starts three peers in one ring under a new organization, their lease services running. */
    static List<Peer> start(Path directory, String organization) throws Exception {
        Instant notBefore = Instant.now().minusSeconds(60);
        OrganizationAuthority authority = OrganizationAuthority.create(organization, notBefore, Duration.ofDays(1));
        Path ca = directory.resolve("ca");
        authority.save(ca, "ca-pw".toCharArray());
        org.epost.post.accounts.OrganizationUserAuthority.create(ca, "ca-pw".toCharArray(), "user-ca-pw".toCharArray());
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addresses.add("127.0.0.1:" + freePort());
        }
        List<Peer> peers = new ArrayList<>();
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
        return peers;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
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
