package org.epost.mailbox.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.store.FakeAuthenticator;
import org.apache.james.mailbox.store.FakeAuthorizator;
import org.apache.james.mailbox.store.SessionProviderImpl;
import org.apache.james.mailbox.store.quota.DefaultUserQuotaRootResolver;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.mailbox.storage.SharedStoresMailboxStorage;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.accounts.UserKeys;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Mono;

/**
 * The durable max quota manager as the peer builds it: over the mapper factory's registry (one writer per log), James's
 * user quota roots, and the limits file under the data directory. A restart is a new manager over the same DHT (with
 * an empty local view store, so the account log is rebuilt from the DHT) and the same file.
 */
class PostMaxQuotaManagerTest {
    private static final Username ALICE = Username.of("alice@epost.test");
    private static final Username STRANGER = Username.of("stranger@epost.test");
    private static final Domain DOMAIN = Domain.of("epost.test");

    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final Map<Username, UserKeys> homed = Map.of(ALICE, UserKeys.generate());
    @TempDir
    Path dataDirectory;

    private Peer peer;
    private QuotaRoot alice;

    /** One run of the peer's mailbox layer. */
    private final class Peer {
        final PostMailboxSessionMapperFactory mappers;
        final DefaultUserQuotaRootResolver resolver;
        final PostMaxQuotaManager manager;

        Peer() {
            SharedStoresMailboxStorage storage = new SharedStoresMailboxStorage(new SharedStoresMailboxStorage.Accounts() {
                @Override
                public Optional<UserKeys> keys(Username user) {
                    return Optional.ofNullable(homed.get(user));
                }

                @Override
                public Set<Username> users() {
                    return homed.keySet();
                }
            }, dht, new InMemoryLogViewStore(), TestMailboxStorage.wholeMessages(dht), LogConfig.defaults(), false);
            mappers = new PostMailboxSessionMapperFactory(storage, Clock.systemUTC(),
                PostMailboxSessionMapperFactory.DEFAULT_CONTENT_CACHE_BYTES);
            resolver = new DefaultUserQuotaRootResolver(
                new SessionProviderImpl(new FakeAuthenticator(), FakeAuthorizator.defaultReject()), mappers);
            manager = new PostMaxQuotaManager(mappers.registry(), QuotaRootOwners.userRoots(resolver),
                new JsonFileQuotaLimitStore(limitsFile()));
        }

        void stop() {
            mappers.close();
        }
    }

    private Path limitsFile() {
        return dataDirectory.resolve("quota/limits.json");
    }

    private void restart() {
        peer.stop();
        peer = new Peer();
    }

    @BeforeEach
    void start() {
        peer = new Peer();
        alice = peer.resolver.forUser(ALICE);
    }

    @AfterEach
    void stop() {
        peer.stop();
    }

    @Test
    void everyLimitSurvivesARestart() throws Exception {
        peer.manager.setMaxStorage(alice, QuotaSizeLimit.size(1000));
        peer.manager.setMaxMessage(alice, QuotaCountLimit.unlimited());
        peer.manager.setDomainMaxStorage(DOMAIN, QuotaSizeLimit.size(2000));
        peer.manager.setDomainMaxMessage(DOMAIN, QuotaCountLimit.count(70));
        peer.manager.setGlobalMaxMessage(QuotaCountLimit.count(50));
        peer.manager.setGlobalMaxStorage(QuotaSizeLimit.unlimited());

        restart();

        assertThat(peer.manager.listMaxStorageDetails(alice)).isEqualTo(Map.of(
            Quota.Scope.User, QuotaSizeLimit.size(1000),
            Quota.Scope.Domain, QuotaSizeLimit.size(2000),
            Quota.Scope.Global, QuotaSizeLimit.unlimited()));
        assertThat(peer.manager.listMaxMessagesDetails(alice)).isEqualTo(Map.of(
            Quota.Scope.User, QuotaCountLimit.unlimited(),
            Quota.Scope.Domain, QuotaCountLimit.count(70),
            Quota.Scope.Global, QuotaCountLimit.count(50)));
        assertThat(peer.manager.getMaxStorage(alice)).contains(QuotaSizeLimit.size(1000));
        assertThat(peer.manager.getMaxMessage(alice)).contains(QuotaCountLimit.unlimited());
    }

    @Test
    void removedLimitsStayRemovedAfterARestart() throws Exception {
        peer.manager.setMaxStorage(alice, QuotaSizeLimit.size(1000));
        peer.manager.setMaxMessage(alice, QuotaCountLimit.count(10));
        peer.manager.setDomainMaxStorage(DOMAIN, QuotaSizeLimit.size(2000));
        peer.manager.setGlobalMaxMessage(QuotaCountLimit.count(50));
        restart();

        peer.manager.removeMaxStorage(alice);
        Mono.from(peer.manager.removeDomainMaxStorageReactive(DOMAIN)).block();
        peer.manager.removeGlobalMaxMessage();
        restart();

        assertThat(peer.manager.listMaxStorageDetails(alice)).isEmpty();
        assertThat(peer.manager.listMaxMessagesDetails(alice)).isEqualTo(Map.of(Quota.Scope.User,
            QuotaCountLimit.count(10)));
        assertThat(peer.manager.getDomainMaxStorage(DOMAIN)).isEmpty();
        assertThat(peer.manager.getGlobalMaxMessage()).isEmpty();
    }

    @Test
    void aUserLimitIsOneRecordOfTheAccountLogAndRepeatingItAddsNone() throws Exception {
        peer.manager.setMaxStorage(alice, QuotaSizeLimit.size(1000));
        long blocks = peer.mappers.registry().requireAccount(ALICE).log().blocksStored();

        peer.manager.setMaxStorage(alice, QuotaSizeLimit.size(1000));
        peer.manager.removeMaxMessage(alice); // none was set

        assertThat(peer.mappers.registry().requireAccount(ALICE).log().blocksStored()).isEqualTo(blocks);
        assertThat(peer.manager.getMaxStorage(alice)).contains(QuotaSizeLimit.size(1000));
    }

    @Test
    void theRootOfAUserNotHomedHereIsRefusedClearly() {
        QuotaRoot stranger = peer.resolver.forUser(STRANGER);

        assertThatThrownBy(() -> peer.manager.setMaxStorage(stranger, QuotaSizeLimit.size(10)))
            .isInstanceOf(UnknownQuotaRootException.class)
            .hasMessageContaining("stranger@epost.test")
            .hasMessageContaining("no ePOST mailboxes on this peer");
        assertThatThrownBy(() -> Mono.from(peer.manager.removeMaxMessageReactive(stranger)).block())
            .hasCauseInstanceOf(UnknownQuotaRootException.class);
        assertThatThrownBy(() -> peer.manager.listMaxStorageDetails(stranger))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("stranger@epost.test");
    }

    @Test
    void aRootThatIsNotAUsersIsRefusedClearly() {
        QuotaRoot shared = QuotaRoot.quotaRoot("#public", Optional.empty());

        assertThatThrownBy(() -> peer.manager.setMaxMessage(shared, QuotaCountLimit.count(1)))
            .isInstanceOf(UnknownQuotaRootException.class)
            .hasMessageContaining("'#public' is not a user's quota root");
    }

    @Test
    void aCorruptLimitsFileStopsTheManagerFromStartingAndNamesTheFile() throws Exception {
        peer.manager.setGlobalMaxMessage(QuotaCountLimit.count(50));
        peer.stop();
        Files.writeString(limitsFile(), "{\"global\": {\"count\": fifty}}");

        assertThatThrownBy(Peer::new)
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining(limitsFile().toString())
            .hasMessageContaining("corrupt");
    }

    @Test
    void aLimitThatCannotBeSavedIsNotApplied() throws Exception {
        Files.delete(dataDirectory);
        Files.writeString(dataDirectory, "a file where the quota directory should be");
        try {
            assertThatThrownBy(() -> peer.manager.setGlobalMaxStorage(QuotaSizeLimit.size(10)))
                .isInstanceOf(MailboxException.class)
                .hasMessageContaining("could not be saved");
            assertThat(peer.manager.getGlobalMaxStorage()).isEmpty();
        } finally {
            Files.delete(dataDirectory);
            Files.createDirectory(dataDirectory);
        }
    }
}
