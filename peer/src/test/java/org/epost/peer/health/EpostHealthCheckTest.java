package org.epost.peer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.core.healthcheck.ResultStatus;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.peer.accounts.PendingUsers;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.directory.PersistentDomainList;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.lease.HomedAccountReferences;
import org.epost.peer.lease.LeaseService;
import org.epost.peer.mail.PostApplication;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.overlay.OneNodeRing;
import org.epost.peer.overlay.OverlayService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import reactor.core.publisher.Mono;

class EpostHealthCheckTest {

    @Test
    void healthyWhileTheStoreAnswersAndUnhealthyOnceItDoesNot(@TempDir Path directory) {
        PeerDirectoryStore store = new PeerDirectoryStore(directory);
        EpostConfiguration configuration = new EpostConfiguration("peer1", directory, Optional.empty());
        OverlayService overlay = new OverlayService(configuration, Set.of(new PostApplication(configuration,
            InMemoryIntegrationResources.defaultResources().getMailboxManager(), new PostReadiness())));
        EpostHealthCheck healthCheck = new EpostHealthCheck(store, overlay, leases(configuration, overlay, store),
            new PendingUsers(new PostReadiness()));

        Result whileOpen = Mono.from(healthCheck.check()).block();
        store.close();
        Result afterClose = Mono.from(healthCheck.check()).block();

        assertThat(whileOpen.getStatus()).isEqualTo(ResultStatus.HEALTHY);
        assertThat(whileOpen.getComponentName().getName()).isEqualTo("ePOST");
        assertThat(afterClose.getStatus()).isEqualTo(ResultStatus.UNHEALTHY);
        assertThat(afterClose.getCause()).get().asString().contains("closed");
    }

    @ParameterizedTest
    @CsvSource({"0, HEALTHY", "1, DEGRADED"})
    void usersPendingLongerThanADayMakeThePeerDegraded(int overdue, ResultStatus expected, @TempDir Path directory) {
        PeerDirectoryStore store = new PeerDirectoryStore(directory);
        EpostConfiguration configuration = new EpostConfiguration("peer1", directory, Optional.empty());
        OverlayService overlay = new OverlayService(configuration, Set.of(new PostApplication(configuration,
            InMemoryIntegrationResources.defaultResources().getMailboxManager(), new PostReadiness())));
        PendingUsers.Summary pending = new PendingUsers.Summary(2, List.of("dave@epost.test", "erin@epost.test"),
            overdue, "2026-12-01T10:00:00Z");
        PendingUsers twoPending = new PendingUsers(new PostReadiness()) {
            @Override
            public Optional<Summary> summary(Instant now) {
                return Optional.of(pending);
            }
        };

        Result result = Mono.from(new EpostHealthCheck(store, overlay, leases(configuration, overlay, store),
            twoPending).check()).block();
        store.close();

        assertThat(result.getStatus()).isEqualTo(expected);
        if (overdue > 0) {
            assertThat(result.getCause()).get().asString().contains("1 of the 2 users pending here wait for their"
                + " certificates for more than a day").contains("2026-12-01T10:00:00Z");
        }
    }

    @Test
    void anOverlayNodeLeftAloneDespiteItsBootstrapListIsUnhealthy(@TempDir Path directory) throws Exception {
        OrganizationAuthority authority = OrganizationAuthority.create("Test Org", Instant.now().minusSeconds(60), Duration.ofDays(1));
        Path credentials = directory.resolve("node.p12");
        authority.issueNodeCredentials("peer1", Instant.now().minusSeconds(60), Duration.ofDays(1)).save(credentials, "pw".toCharArray());
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("overlay.enabled", "true");
        properties.addProperty("overlay.listen", "127.0.0.1:" + port);
        // The other listed peer sorts after this one, so this node founds the ring, and nobody ever joins it.
        properties.addProperty("overlay.bootstrap", "127.0.0.1:" + port + ",127.0.0.2:1");
        properties.addProperty("overlay.credentials", credentials.toString());
        properties.addProperty("overlay.credentials.password", "pw");
        Result result = checkStartedPeer(properties, directory);

        assertThat(result.getStatus()).isEqualTo(ResultStatus.UNHEALTHY);
        assertThat(result.getCause()).get().asString().contains("alone");
    }

    @ParameterizedTest
    @CsvSource({"true, DEGRADED, Degraded inserts (past.degraded-inserts)",
        "false, UNHEALTHY, fewer than the k = 3 replicas every insert needs: ePOST mail is refused"})
    void aRingSmallerThanKIsReportedAndSoIsTheDegradedMode(boolean degraded, ResultStatus expected, String reason,
                                                           @TempDir Path directory) throws Exception {
        BaseConfiguration properties = OneNodeRing.overlayProperties(directory, OneNodeRing.authority());
        properties.setProperty("past.degraded-inserts", String.valueOf(degraded));

        Result result = checkStartedPeer(properties, directory);

        assertThat(result.getStatus()).isEqualTo(expected);
        assertThat(result.getCause()).get().asString().contains(reason);
    }

    /** Starts a peer's overlay with {@code properties} and answers its health once it has stopped joining. */
    private static Result checkStartedPeer(BaseConfiguration properties, Path directory) throws Exception {
        EpostConfiguration configuration = EpostConfiguration.from(properties, directory, "peer1");
        OverlayService overlay = new OverlayService(configuration, Set.of(new PostApplication(configuration,
            InMemoryIntegrationResources.defaultResources().getMailboxManager(), new PostReadiness())));
        PeerDirectoryStore store = new PeerDirectoryStore(directory.resolve("store"));
        try {
            overlay.start();
            return awaitReady(new EpostHealthCheck(store, overlay, leases(configuration, overlay, store),
            new PendingUsers(new PostReadiness())));
        } finally {
            overlay.stop();
            store.close();
        }
    }

    /** A lease service that is never started: it judges nothing and stays healthy. */
    private static LeaseService leases(EpostConfiguration configuration, OverlayService overlay, PeerDirectoryStore store) {
        PersistentUsersRepository users = new PersistentUsersRepository(
            new PersistentDomainList(new InMemoryDNSService(), store), store);
        return new LeaseService(configuration, overlay, new PostReadiness(), users, new HomedAccountReferences(),
            MetricSink.NONE);
    }

    private static Result awaitReady(EpostHealthCheck healthCheck) throws InterruptedException {
        Result result = Mono.from(healthCheck.check()).block();
        for (int i = 0; i < 300 && result.getCause().orElse("").contains("is joining"); i++) {
            Thread.sleep(100);
            result = Mono.from(healthCheck.check()).block();
        }
        return result;
    }
}
