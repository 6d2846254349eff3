package org.epost.peer.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.DeletedUsers;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.directory.PersistentDomainList;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.directory.ProvisioningUsersRepository;
import org.epost.peer.lease.HomedAccountReferences;
import org.epost.peer.mail.PostApplication;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.overlay.OneNodeRing;
import org.epost.peer.overlay.OverlayService;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.OrganizationRecoveryKey;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a user in James on a one-node ring (real overlay node, PAST, POST accounts, the persistent users
 * repository with its provisioning listener): the keys survive the grace period, re-adding restores them, and once
 * the (virtual) grace period is over they are destroyed. The organization's recovery key is configured, so every
 * provisioned account is sealed for recovery too.
 */
class AccountGraceTest {
    private static final String DOMAIN = "epost.test";
    private static final Username ALICE = Username.of("alice@" + DOMAIN);
    private static final Duration GRACE = Duration.ofDays(30);

    @TempDir
    Path directory;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private PeerDirectoryStore store;
    private OverlayService overlay;
    private final PostReadiness post = new PostReadiness();
    private final HomedAccountReferences homed = new HomedAccountReferences();
    private DeletedUsers deleted;
    private PersistentUsersRepository storedUsers;
    private ProvisioningUsersRepository users;
    private AccountGrace grace;

    @BeforeEach
    void startPeer() throws Exception {
        OrganizationAuthority authority = OneNodeRing.authority();
        Path ca = directory.resolve("ca");
        authority.save(ca, "ca-pw".toCharArray());
        OrganizationUserAuthority.create(ca, "ca-pw".toCharArray(), "user-ca-pw".toCharArray());
        OrganizationRecoveryKey.create(ca, "ca-pw".toCharArray(), "recovery-pw".toCharArray());
        BaseConfiguration properties = OneNodeRing.overlayProperties(directory, authority);
        properties.addProperty("post.domains", DOMAIN);
        properties.addProperty("post.authority", ca.toString());
        properties.addProperty("post.authority.password", "user-ca-pw");
        properties.addProperty("post.vault.secret", Base64.getEncoder().encodeToString(new byte[32]));
        properties.addProperty("post.account.grace", "30d");
        EpostConfiguration configuration = EpostConfiguration.from(properties, directory, "peer1");
        store = new PeerDirectoryStore(directory.resolve("directory"));
        deleted = new DeletedUsers(store);
        PersistentDomainList domains = new PersistentDomainList(new InMemoryDNSService(), store);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        domains.addDomain(Domain.of(DOMAIN));
        storedUsers = new PersistentUsersRepository(domains, store);
        storedUsers.configure(new BaseHierarchicalConfiguration());
        overlay = new OverlayService(configuration, Set.of(new PostApplication(configuration,
            InMemoryIntegrationResources.defaultResources().getMailboxManager(), post)));
        users = new ProvisioningUsersRepository(storedUsers,
            Set.of(new AccountProvisioner(configuration, overlay, post, homed, deleted, clock)));
        grace = new AccountGrace(configuration, post, deleted, storedUsers, homed, clock);
        overlay.start();
    }

    @AfterEach
    void stopPeer() {
        grace.stop();
        overlay.stop();
        store.close();
    }

    private AccountService accounts() {
        return post.ifRunning().orElseThrow().accounts();
    }

    @Test
    void aUserDeletedAndAddedAgainWithinTheGracePeriodGetsTheSameKeysBack() throws Exception {
        users.addUser(ALICE, "secret");
        var keys = accounts().keys(ALICE.asString()).orElseThrow();
        assertThat(accounts().lookupRecovery(ALICE.asString()).get(60, TimeUnit.SECONDS).address())
            .as("sealed for recovery at provisioning").isEqualTo(ALICE.asString());

        users.removeUser(ALICE);
        assertThat(storedUsers.contains(ALICE)).isFalse();
        assertThat(accounts().isProvisioned(ALICE.asString())).as("keys kept for the grace period").isTrue();
        assertThat(deleted.deletedAt(ALICE)).contains(now.get());
        assertThat(homed.accounts()).as("leases still refreshed").isEqualTo(1);
        now.set(now.get().plus(GRACE).minusSeconds(1));
        assertThat(grace.sweep()).isZero();

        users.addUser(ALICE, "new secret");

        assertThat(accounts().keys(ALICE.asString()).orElseThrow().signingPublicKey())
            .isEqualTo(keys.signingPublicKey());
        assertThat(deleted.deletedAt(ALICE)).isEmpty();
        now.set(now.get().plus(GRACE).plus(GRACE));
        assertThat(grace.sweep()).as("a user again: nothing to give up").isZero();
        assertThat(accounts().isProvisioned(ALICE.asString())).isTrue();
    }

    @Test
    void afterTheGracePeriodTheKeysAreDestroyed() throws Exception {
        users.addUser(ALICE, "secret");
        users.removeUser(ALICE);

        now.set(now.get().plus(GRACE));
        assertThat(grace.sweep()).isEqualTo(1);

        assertThat(accounts().isProvisioned(ALICE.asString())).isFalse();
        assertThat(deleted.all()).isEmpty();
        assertThat(homed.accounts()).as("its leases lapse").isZero();
    }

    @Test
    void theDeletionMarkSurvivesARestartAndKeepsTheLeasesRefreshed() throws Exception {
        users.addUser(ALICE, "secret");
        users.removeUser(ALICE);
        HomedAccountReferences afterRestart = new HomedAccountReferences();
        AccountGrace restarted = new AccountGrace(EpostConfiguration.from(new BaseConfiguration(), directory, "peer1"),
            post, new DeletedUsers(store), storedUsers, afterRestart, clock);
        try {
            restarted.start();
            assertThat(afterRestart.accounts()).isEqualTo(1);
            assertThat(afterRestart.references()).hasSize(3); // certificate, identity, recovery envelope
        } finally {
            restarted.stop();
        }
    }
}
