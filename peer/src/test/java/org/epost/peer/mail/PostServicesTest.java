package org.epost.peer.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.metrics.RegistryMetricSink;
import org.epost.peer.overlay.OneNodeRing;
import org.epost.peer.overlay.OverlayService;
import org.epost.peer.webadmin.EpostRevocationRoutes;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.delivery.DeliveryReport;
import org.epost.post.delivery.OutgoingMessage;
import org.epost.post.delivery.PostSender;
import org.epost.post.delivery.RecipientDirectory;
import org.epost.post.notify.NotificationService.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.codahale.metrics.MetricRegistry;

/**
 * The peer's delivery wiring on a real overlay node (alone in its ring, TLS and RocksDB as in production) with
 * James's in-memory mailboxes: a message for two users homed here is stored in PAST, notified, and appended.
 */
class PostServicesTest {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path directory;
    private OverlayService overlay;
    private final PostReadiness post = new PostReadiness();

    @AfterEach
    void stop() {
        if (overlay != null) {
            overlay.stop();
        }
    }

    private OverlayService startPeer(MailboxManager mailboxes) throws Exception {
        return startPeer(mailboxes, MetricSink.NONE);
    }

    private OverlayService startPeer(MailboxManager mailboxes, MetricSink metrics) throws Exception {
        Path ca = directory.resolve("ca");
        OrganizationAuthority authority = OneNodeRing.authority();
        authority.save(ca, "ca-pw".toCharArray());
        org.epost.post.accounts.OrganizationUserAuthority.create(ca, "ca-pw".toCharArray(), "user-pw".toCharArray());
        BaseConfiguration properties = OneNodeRing.overlayProperties(directory, authority);
        properties.addProperty("post.domains", "epost.test");
        properties.addProperty("post.authority", ca.toString());
        properties.addProperty("post.authority.password", "user-pw");
        byte[] secret = new byte[32];
        new Random(1).nextBytes(secret);
        properties.addProperty("post.vault.secret", Base64.getEncoder().encodeToString(secret));
        properties.addProperty("post.notify.receipt.timeout", "10s");
        EpostConfiguration configuration = EpostConfiguration.from(properties, directory, "peer1");
        OverlayService started = new OverlayService(configuration,
            Set.of(new PostApplication(configuration, mailboxes, post)), metrics);
        started.start();
        OverlayNode node = started.node().orElseThrow();
        for (int i = 0; i < 600 && !node.status().get(WAIT_SECONDS, TimeUnit.SECONDS).ready(); i++) {
            Thread.sleep(100);
        }
        assertThat(node.status().get(WAIT_SECONDS, TimeUnit.SECONDS).ready()).as("the node founds its ring").isTrue();
        return started;
    }

    private void provision(String address) throws Exception {
        AccountService accounts = post.ifRunning().orElseThrow().accounts();
        accounts.provision(address, overlay.node().orElseThrow().transport().localHandle()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        post.ifRunning().orElseThrow().serve(address);
    }

    @Test
    void aRevocationListUploadedHereIsEnforcedOnLinksAndAccountsPublishedInPastAndShown() throws Exception {
        overlay = startPeer(InMemoryIntegrationResources.defaultResources().getMailboxManager());
        provision("carol@epost.test");
        PostServices services = post.ifRunning().orElseThrow();
        UserCertificate carol = services.accounts().lookupCertificate("carol@epost.test").get(WAIT_SECONDS, TimeUnit.SECONDS);
        Path ca = directory.resolve("ca");
        OrganizationAuthority authority = OrganizationAuthority.load(ca, "ca-pw".toCharArray());
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(ca, "user-pw".toCharArray());
        Id stolenNode = Id.hash("a stolen node key");
        Instant now = Instant.now();
        RevocationList list = authority.signRevocations(1, now, now.plus(Duration.ofDays(30)), Set.of(stolenNode),
            Set.of(RevocationList.userKeyHash(carol.signingKey())));

        InsertResult stored = services.revocations().publish(userCa.publishRevocations(list).encoded())
            .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(stored.isSuccess()).as(stored.toString()).isTrue();
        assertThat(overlay.node().orElseThrow().transport().revocations().nodeRevoked(stolenNode)).isTrue();
        Throwable refused = catchThrowable(() -> services.accounts().lookupCertificate("carol@epost.test")
            .get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(AccountService.unwrap(refused.getCause())).isInstanceOfSatisfying(AccountException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountException.Reason.REVOKED));
        assertThat(services.revocations().poll().get(WAIT_SECONDS, TimeUnit.SECONDS))
            .as("PAST holds the list for the other peers").isEqualTo(Revocations.Outcome.NOT_NEWER);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(directory)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).contains("revocations.block");
        }
        EpostRevocationRoutes.Revocations shown = EpostRevocationRoutes.revocations(services.revocations());
        assertThat(shown.number()).isEqualTo(1);
        assertThat(shown.nodes()).containsExactly(stolenNode.toHex());
        assertThat(shown.userKeys()).containsExactly(RevocationList.userKeyHash(carol.signingKey()).toHex());
        assertThat(shown.stale()).isFalse();
        assertThat(catchThrowable(() -> services.revocations().publish(new byte[] {1, 2, 3})))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageForUsersHomedHereIsStoredNotifiedAndAppendedToTheirInboxesOnce() throws Exception {
        MailboxManager mailboxes = InMemoryIntegrationResources.defaultResources().getMailboxManager();
        overlay = startPeer(mailboxes);
        provision("bob@epost.test");
        provision("carol@epost.test");
        byte[] attachment = new byte[300_000];
        new Random(2).nextBytes(attachment);
        byte[] message = ("From: someone@elsewhere.example\r\nTo: bob@epost.test\r\nCc: carol@epost.test\r\n"
            + "Subject: report\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n--b\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(attachment)
            + "\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);
        PostSender sender = post.ifRunning().orElseThrow().sender();

        DeliveryReport report = sender.deliver(new OutgoingMessage(message, Optional.empty(),
            List.of("bob@epost.test", "carol@epost.test"), "mail-1")).get(WAIT_SECONDS, TimeUnit.SECONDS);
        DeliveryReport retried = sender.deliver(new OutgoingMessage(message, Optional.empty(),
            List.of("bob@epost.test"), "mail-1")).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(report.handled()).containsEntry("bob@epost.test", Outcome.DELIVERED)
            .containsEntry("carol@epost.test", Outcome.DELIVERED);
        assertThat(retried.handled()).containsEntry("bob@epost.test", Outcome.DELIVERED);
        // as sent, after the origin tag the home peer writes (the peer's relay account signed: external)
        byte[] tag = "X-ePOST-Origin: external\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] stored = java.util.Arrays.copyOf(tag, tag.length + message.length);
        System.arraycopy(message, 0, stored, tag.length, message.length);
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).hasSize(1).allSatisfy(m -> assertThat(m).isEqualTo(stored));
        assertThat(Inboxes.read(mailboxes, "carol@epost.test")).hasSize(1).allSatisfy(m -> assertThat(m).isEqualTo(stored));
        PostServices services = post.ifRunning().orElseThrow();
        assertThat(services.accounts().isProvisioned(services.relay().address()))
            .as("mail from outside is signed by the peer's relay account").isTrue();
        RecipientDirectory recipients = sender.recipients();
        assertThat(recipients.lookup("bob@epost.test").get(WAIT_SECONDS, TimeUnit.SECONDS))
            .isEqualTo(RecipientDirectory.Status.EPOST);
        assertThat(recipients.lookup("nobody@epost.test").get(WAIT_SECONDS, TimeUnit.SECONDS))
            .isEqualTo(RecipientDirectory.Status.UNKNOWN);
        assertThat(directory.resolve("var/epost/notify/seen-ids")).exists();
    }

    @Test
    void theNodeAndItsServicesReportIntoJamesRegistry() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        MailboxManager mailboxes = InMemoryIntegrationResources.defaultResources().getMailboxManager();
        overlay = startPeer(mailboxes, new RegistryMetricSink(registry));
        provision("bob@epost.test");
        byte[] message = "From: someone@elsewhere.example\r\nTo: bob@epost.test\r\nSubject: hi\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

        DeliveryReport report = post.ifRunning().orElseThrow().sender().deliver(new OutgoingMessage(message,
            Optional.empty(), List.of("bob@epost.test"), "mail-2")).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(report.handled()).containsEntry("bob@epost.test", Outcome.DELIVERED);
        assertThat(registry.timer("epost.past.insert").getCount()).as("PAST inserts timed").isPositive();
        assertThat(registry.counter("epost.past.insert.success").getCount()).isPositive();
        assertThat(registry.timer("epost.past.lookup").getCount()).as("certificate and identity lookups").isPositive();
        assertThat(registry.counter("epost.past.messages.sent").getCount()).isPositive();
        assertThat(registry.histogram("epost.route.hops").getCount()).as("routed messages delivered").isPositive();
        assertThat(registry.counter("epost.notify.sent").getCount()).isEqualTo(1);
        assertThat(registry.counter("epost.notify.delivered").getCount()).isEqualTo(1);
        assertThat(registry.counter("epost.notify.send.delivered").getCount()).isEqualTo(1);
        assertThat(registry.timer("epost.notify.send").getCount()).isEqualTo(1);
        assertThat(registry.counter("epost.past.insert.timeout").getCount()).isZero();
    }
}
