package org.epost.peer.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.user.api.UsersRepositoryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisioningUsersRepositoryTest {
    private static final Username ALICE = Username.of("alice@epost.test");

    @TempDir
    Path directory;
    private PeerDirectoryStore store;
    private PersistentUsersRepository storage;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        store = new PeerDirectoryStore(directory);
        PersistentDomainList domains = new PersistentDomainList(new InMemoryDNSService(), store);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        domains.addDomain(Domain.of("epost.test"));
        storage = new PersistentUsersRepository(domains, store);
        storage.configure(new BaseHierarchicalConfiguration());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private UserLifecycleListener recording(String name, boolean failAdd, boolean failRemove) {
        return new UserLifecycleListener() {
            @Override
            public void userAdded(Username username) {
                events.add(name + " added " + username.asString());
                if (failAdd) {
                    throw new IllegalStateException(name + " cannot provision");
                }
            }

            @Override
            public void userRemoving(Username username) {
                events.add(name + " removing " + username.asString());
                if (failRemove) {
                    throw new IllegalStateException(name + " cannot retire");
                }
            }
        };
    }

    private ProvisioningUsersRepository repository(UserLifecycleListener... listeners) {
        return new ProvisioningUsersRepository(storage, new LinkedHashSet<>(List.of(listeners)));
    }

    @Test
    void tellsEveryListenerAboutAddedAndRemovedAccounts() throws Exception {
        ProvisioningUsersRepository repository = repository(recording("keys", false, false), recording("identity", false, false));

        repository.addUser(ALICE, "pw");
        repository.removeUser(ALICE);

        assertThat(events).containsExactly("keys added alice@epost.test", "identity added alice@epost.test",
            "keys removing alice@epost.test", "identity removing alice@epost.test");
        assertThat(storage.contains(ALICE)).isFalse();
    }

    @Test
    void aFailedProvisioningUndoesTheAccount() throws Exception {
        ProvisioningUsersRepository repository = repository(recording("keys", true, false));

        assertThatThrownBy(() -> repository.addUser(ALICE, "pw"))
            .isInstanceOf(UsersRepositoryException.class)
            .hasMessageContaining("keys cannot provision");
        assertThat(storage.contains(ALICE)).isFalse();
    }

    @Test
    void aFailedRetirementKeepsTheAccount() throws Exception {
        ProvisioningUsersRepository repository = repository(recording("keys", false, true));
        repository.addUser(ALICE, "pw");

        assertThatThrownBy(() -> repository.removeUser(ALICE))
            .isInstanceOf(UsersRepositoryException.class)
            .hasMessageContaining("the account is kept");
        assertThat(storage.contains(ALICE)).isTrue();
        assertThat(repository.test(ALICE, "pw")).isTrue();
    }

    @Test
    void withoutListenersItIsTheStorage() throws Exception {
        ProvisioningUsersRepository repository = new ProvisioningUsersRepository(storage, Set.of());
        repository.addUser(ALICE, "pw");

        assertThat(repository.countUsers()).isEqualTo(1);
        assertThat(repository.getMailAddressFor(ALICE).asString()).isEqualTo("alice@epost.test");
    }

    @Test
    void aUserReHomedElsewhereCannotLogInHereUntilTheAdminRemovesOrAddsItAgain() throws Exception {
        MovedUsers moved = new MovedUsers();
        ProvisioningUsersRepository repository = new ProvisioningUsersRepository(storage, new LinkedHashSet<>(), moved);
        repository.addUser(ALICE, "secret");
        assertThat(repository.test(ALICE, "secret")).isTrue();

        moved.moved(ALICE.asString(), "127.0.0.1:7652");
        assertThat(repository.test(ALICE, "secret")).isFalse();
        assertThat(repository.contains(ALICE)).as("still a James user here, for the admin to remove").isTrue();

        repository.removeUser(ALICE);
        assertThat(moved.newHomeOf(ALICE.asString())).isEmpty();
        repository.addUser(ALICE, "secret");
        assertThat(repository.test(ALICE, "secret")).isTrue();
    }
}
