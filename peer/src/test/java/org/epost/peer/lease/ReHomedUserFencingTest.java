package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.epost.peer.accounts.LocalUsers;
import org.epost.peer.directory.MovedUsers;
import org.epost.peer.directory.ProvisioningUsersRepository;
import org.epost.peer.lease.LeaseTestRing.Peer;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home peer that comes back after its user was re-homed elsewhere (three real peers over TLS): at its start the
 * user's identity block names the new home, so the old one does not serve the user, refuses the user's logins and
 * leaves the user's leases and mandate to the new home.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReHomedUserFencingTest {
    private static final String BOB = "bob@" + LeaseTestRing.DOMAIN;

    @TempDir
    static Path directory;
    private List<Peer> peers = new ArrayList<>();

    @BeforeAll
    void startRing() throws Exception {
        peers = LeaseTestRing.start(directory, "Fencing Test Org");
    }

    @AfterAll
    void stopRing() {
        peers.forEach(Peer::stop);
    }

    @Test
    void theOldHomeFencesOffAUserItsIdentityBlockPlacesOnAnotherPeer() throws Exception {
        Peer oldHome = peers.get(0);
        Peer newHome = peers.get(1);
        oldHome.users.addUser(Username.of(BOB), "secret");

        // re-homed while the old home is taken for lost: the new home adopts the same keys and republishes the identity
        KeyVault vault = KeyVault.open(oldHome.configuration.dataDirectory().resolve("keys"),
            "vault secret of peer 0 padded to 32 bytes".getBytes());
        KeyVault.Entry keys = vault.load(BOB).orElseThrow();
        AccountService newAccounts = newHome.post.ifRunning().orElseThrow().accounts();
        newAccounts.adopt(BOB, keys, newHome.node().transport().localHandle()).get(60, TimeUnit.SECONDS);

        MovedUsers moved = new MovedUsers();
        LocalUsers atStart = new LocalUsers(oldHome.configuration, oldHome.post, oldHome.storedUsers, oldHome.overlay,
            moved);
        assertThat(atStart.serveAll()).as("users served by the old home").isZero();
        assertThat(moved.newHomeOf(BOB)).contains(newHome.node().transport().localHandle().address());

        ProvisioningUsersRepository logins = new ProvisioningUsersRepository(oldHome.storedUsers, new LinkedHashSet<>(),
            moved);
        assertThat(logins.test(Username.of(BOB), "secret")).as("bob logging in on his old home").isFalse();
        HomedAccountReferences homed = new HomedAccountReferences(moved);
        homed.track(BOB, newAccounts.leasedBlocks(BOB).orElseThrow());
        assertThat(homed.byAddress()).as("accounts whose leases and mandate the old home keeps").isEmpty();

        // the new home, asked the same, serves nobody here but does not take itself for moved
        MovedUsers none = new MovedUsers();
        newHome.storedUsers.addUser(Username.of(BOB), "secret");
        assertThat(new LocalUsers(newHome.configuration, newHome.post, newHome.storedUsers, newHome.overlay, none)
            .serveAll()).isEqualTo(1);
        assertThat(none.count()).isZero();
    }
}
