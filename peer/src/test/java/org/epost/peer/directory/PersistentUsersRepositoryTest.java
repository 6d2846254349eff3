package org.epost.peer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.lib.UsersRepositoryContract;
import org.apache.james.user.lib.UsersRepositoryContract.UserRepositoryExtension;
import org.apache.james.user.lib.UsersRepositoryContract.TestSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * James's own users-repository contract, run against what James sees in an ePOST peer: the provisioning decorator
 * over the persistent repository. Plus durability across a restart.
 */
class PersistentUsersRepositoryTest {
    @TempDir
    Path directory;
    private PeerDirectoryStore store;

    @BeforeEach
    void openStore() {
        store = new PeerDirectoryStore(directory);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private UsersRepository repository(DomainList domainList, boolean virtualHosting, Optional<Username> administrator) throws Exception {
        PersistentUsersRepository persistent = new PersistentUsersRepository(domainList, store);
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        configuration.addProperty("enableVirtualHosting", virtualHosting);
        configuration.addProperty("algorithm", "PBKDF2-SHA512");
        administrator.ifPresent(admin -> configuration.addProperty("administratorId", admin.asString()));
        persistent.configure(configuration);
        return new ProvisioningUsersRepository(persistent, Set.of());
    }

    @Nested
    class WithVirtualHosting implements UsersRepositoryContract.WithVirtualHostingContract {
        @RegisterExtension
        UserRepositoryExtension extension = UserRepositoryExtension.withVirtualHost();
        private UsersRepository testee;
        private TestSystem testSystem;

        @BeforeEach
        void setUp(TestSystem testSystem) throws Exception {
            this.testSystem = testSystem;
            this.testee = repository(testSystem.getDomainList(), true, Optional.empty());
        }

        @Override
        public UsersRepository testee() {
            return testee;
        }

        @Override
        public UsersRepository testee(Optional<Username> administrator) throws Exception {
            return repository(testSystem.getDomainList(), true, administrator);
        }
    }

    @Nested
    class WithoutVirtualHosting implements UsersRepositoryContract.WithOutVirtualHostingContract {
        @RegisterExtension
        UserRepositoryExtension extension = UserRepositoryExtension.withoutVirtualHosting();
        private UsersRepository testee;
        private TestSystem testSystem;

        @BeforeEach
        void setUp(TestSystem testSystem) throws Exception {
            this.testSystem = testSystem;
            this.testee = repository(testSystem.getDomainList(), false, Optional.empty());
        }

        @Override
        public UsersRepository testee() {
            return testee;
        }

        @Override
        public UsersRepository testee(Optional<Username> administrator) throws Exception {
            return repository(testSystem.getDomainList(), false, administrator);
        }
    }

    @Nested
    class Durability {
        @RegisterExtension
        UserRepositoryExtension extension = UserRepositoryExtension.withVirtualHost();

        @Test
        void accountsAndPasswordsSurviveARestart(TestSystem testSystem) throws Exception {
            testSystem.getDomainList().addDomain(Domain.of("epost.test"));
            Username alice = Username.of("alice@epost.test");
            Username bob = Username.of("bob@epost.test");
            UsersRepository before = repository(testSystem.getDomainList(), true, Optional.empty());
            before.addUser(alice, "first password");
            before.addUser(bob, "bob's");
            before.updateUser(withPassword(before, alice, "second password"));
            before.removeUser(bob);
            store.close();

            store = new PeerDirectoryStore(directory);
            UsersRepository after = repository(testSystem.getDomainList(), true, Optional.empty());

            assertThat(after.list()).toIterable().containsExactly(alice);
            assertThat(after.test(alice, "second password")).isTrue();
            assertThat(after.test(alice, "first password")).isFalse();
        }

        private org.apache.james.user.api.model.User withPassword(UsersRepository repository, Username name, String password) throws Exception {
            org.apache.james.user.api.model.User user = repository.getUserByName(name);
            user.setPassword(password);
            return user;
        }
    }
}
