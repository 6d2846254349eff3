package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.accounts.AccountTesting.failure;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts sealed for recovery on their home peer, and adopted by another peer after the home's disk is lost. */
class AccountRecoveryTest {
    private static final NodeHandle OLD_HOME = new NodeHandle(Id.hash("old"), "10.0.0.2:4000");
    private static final NodeHandle NEW_HOME = new NodeHandle(Id.hash("new"), "10.0.0.3:4000");

    @TempDir
    Path directory;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final InMemoryBlockService blocks = new InMemoryBlockService().clock(now::get);
    private final KeyPair recovery = SealedBox.generateKeyPair();
    private OrganizationUserAuthority authority;
    private AccountService oldHome;
    private AccountService newHome;

    @BeforeEach
    void setUp() throws Exception {
        authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        oldHome = service("old", 1);
        newHome = service("new", 2);
    }

    private AccountService service(String name, long seed) throws Exception {
        return new AccountService(blocks, AccountTesting.vault(directory.resolve(name), seed), authority,
                authority.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run,
                recovery.getPublic());
    }

    @Test
    void provisioningSealsTheKeysForRecoveryOnceAndLeasesTheEnvelope() throws Exception {
        Account alice = oldHome.provision("alice@example.org", OLD_HOME).join();

        RecoveryEnvelope envelope = newHome.lookupRecovery("alice@example.org").join();
        assertThat(envelope.open(recovery).keys().matches(alice.certificate())).isTrue();
        assertThat(oldHome.leasedBlocks("alice@example.org").orElseThrow())
                .contains(RecoveryEnvelope.keyFor(alice.certificate().signingKey()));
        long inserts = blocks.inserts();
        assertThat(oldHome.publishRecovery("alice@example.org").join()).as("already current").isFalse();
        oldHome.provision("alice@example.org", OLD_HOME).join();
        assertThat(blocks.inserts()).isEqualTo(inserts);
    }

    @Test
    void anotherPeerAdoptsTheRecoveredKeysAndBecomesTheHome() throws Exception {
        Account alice = oldHome.provision("alice@example.org", OLD_HOME).join();
        KeyVault.Entry recovered = newHome.lookupRecovery("alice@example.org").join().open(recovery);

        Account adopted = newHome.adopt("alice@example.org", recovered, NEW_HOME).join();

        assertThat(adopted.identity().home()).isEqualTo(NEW_HOME);
        assertThat(adopted.identity().version()).isGreaterThan(alice.identity().version());
        assertThat(oldHome.lookupIdentity("alice@example.org").join().home()).isEqualTo(NEW_HOME);
        assertThat(newHome.keys("alice@example.org").orElseThrow().signingPublicKey())
                .isEqualTo(alice.certificate().signingKey());
        assertThat(newHome.isProvisioned("alice@example.org")).isTrue();
    }

    @Test
    void keysThatAreNotTheCertifiedOnesAreNotAdopted() throws Exception {
        oldHome.provision("alice@example.org", OLD_HOME).join();
        KeyVault.Entry impostor = new KeyVault.Entry(UserKeys.generate(), new byte[0], 0);

        AccountException refused = failure(newHome.adopt("alice@example.org", impostor, NEW_HOME));

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(newHome.isProvisioned("alice@example.org")).isFalse();
        assertThat(oldHome.lookupIdentity("alice@example.org").join().home()).isEqualTo(OLD_HOME);
    }

    @Test
    void withoutARecoveryKeyNothingIsSealed() throws Exception {
        AccountService plain = new AccountService(blocks, AccountTesting.vault(directory.resolve("plain"), 3),
                authority, authority.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run);
        plain.provision("bob@example.org", OLD_HOME).join();

        assertThat(failure(newHome.lookupRecovery("bob@example.org")).reason())
                .isEqualTo(AccountException.Reason.NOT_FOUND);
        assertThat(plain.leasedBlocks("bob@example.org").orElseThrow()).hasSize(2);
    }
}
