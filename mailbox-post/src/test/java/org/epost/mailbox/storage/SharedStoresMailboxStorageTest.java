package org.epost.mailbox.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Username;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.accounts.UserKeys;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

class SharedStoresMailboxStorageTest {
    private static final Username ALICE = Username.of("alice@epost.test");
    private static final Username STRANGER = Username.of("stranger@elsewhere.test");

    private final UserKeys aliceKeys = UserKeys.generate();
    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final SharedStoresMailboxStorage storage = new SharedStoresMailboxStorage(
        new SharedStoresMailboxStorage.Accounts() {
            private final Map<Username, UserKeys> keys = Map.of(ALICE, aliceKeys);

            @Override
            public Optional<UserKeys> keys(Username user) {
                return Optional.ofNullable(keys.get(user));
            }

            @Override
            public Set<Username> users() {
                return keys.keySet();
            }
        }, dht, new InMemoryLogViewStore(), TestMailboxStorage.wholeMessages(dht), LogConfig.defaults(), true);

    @Test
    void aUserHomedHereGetsTheirKeysAndTheSharedStores() {
        UserStorage alice = storage.forUser(ALICE).orElseThrow();

        assertThat(alice.keys()).isSameAs(aliceKeys);
        assertThat(alice.blocks()).isSameAs(dht);
        assertThat(alice.takeOverWriters()).isTrue();
        assertThat(storage.users()).containsExactly(ALICE);
    }

    @Test
    void aUserWithoutAnAccountHereHasNoMailboxStorage() {
        assertThat(storage.forUser(STRANGER)).isEmpty();
        assertThat(new MailboxRegistry(storage).account(STRANGER)).isEmpty();
    }
}
