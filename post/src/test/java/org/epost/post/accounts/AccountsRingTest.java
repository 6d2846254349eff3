package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.accounts.AccountTesting.failure;

import java.nio.file.Path;
import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.testing.PastRing;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts on a simulated 16-node PAST ring (virtual time): provisioned on one node, read from others. */
class AccountsRingTest {
    @TempDir
    Path directory;

    private AccountService service(PastRing ring, Past node, String name, boolean issuer) throws Exception {
        OrganizationUserAuthority authority = OrganizationUserAuthority.of(ring.certificateAuthority());
        return new AccountService(new PastBlockService(node), AccountTesting.vault(directory.resolve(name),
                name.hashCode()), issuer ? authority : null, authority.publicKey(), ring.scheduler(),
                AccountService.Settings.defaults(), Runnable::run);
    }

    @Test
    void provisionOnOneNodeLookUpFromAnother() throws Exception {
        PastRing ring = new PastRing(16, 7);
        List<Past> nodes = ring.live();
        Past homeNode = nodes.get(0);
        AccountService home = service(ring, homeNode, "home", true);
        AccountService reader = service(ring, nodes.get(9), "reader", false);

        Account alice = ring.awaitDone(home.provision("alice@example.org", homeNode.localHandle())).join();
        assertThat(alice.created()).isTrue();
        UserKeys keys = home.keys("alice@example.org").orElseThrow();
        assertThat(ring.holders(alice.certificate().block().key())).hasSize(3);
        assertThat(ring.holders(alice.identity().block().key())).hasSize(3);

        UserCertificate certificate = ring.awaitDone(reader.lookupCertificate("alice@example.org")).join();
        assertThat(certificate.signingKey()).isEqualTo(keys.signingPublicKey());
        assertThat(certificate.encryptionKey()).isEqualTo(keys.encryptionPublicKey());
        IdentityBlock identity = ring.awaitDone(reader.lookupIdentity("alice@example.org")).join();
        assertThat(identity.version()).isZero();
        assertThat(identity.home()).isEqualTo(homeNode.localHandle());
        assertThat(identity.block().publicKey()).isEqualTo(keys.signingPublicKey());

        // idempotent: same keys, same certificate, nothing new
        Account again = ring.awaitDone(home.provision("alice@example.org", homeNode.localHandle())).join();
        assertThat(again.created()).isFalse();
        assertThat(again.certificate()).isEqualTo(alice.certificate());
        assertThat(home.keys("alice@example.org").orElseThrow().signingPublicKey())
                .isEqualTo(keys.signingPublicKey());

        // another home peer cannot take the address over
        AccountService intruder = service(ring, nodes.get(5), "intruder", true);
        AccountException taken = failure(ring.awaitDone(intruder.provision("alice@example.org",
                nodes.get(5).localHandle())));
        assertThat(taken.reason()).isEqualTo(AccountException.Reason.ADDRESS_TAKEN);
        assertThat(intruder.isProvisioned("alice@example.org")).isFalse();

        // the vault survives a restart of the home peer: same keys, reused
        AccountService restarted = service(ring, homeNode, "home", true);
        assertThat(ring.awaitDone(restarted.provision("alice@example.org", homeNode.localHandle())).join().created())
                .isFalse();
        assertThat(restarted.keys("alice@example.org").orElseThrow().signingPublicKey())
                .isEqualTo(keys.signingPublicKey());
    }

    @Test
    void readersSeeTheNewestIdentityAndRefuseRollback() throws Exception {
        PastRing ring = new PastRing(16, 11);
        List<Past> nodes = ring.live();
        AccountService home = service(ring, nodes.get(2), "home", true);
        AccountService reader = service(ring, nodes.get(12), "reader", false);
        Account bob = ring.awaitDone(home.provision("bob@example.org", nodes.get(2).localHandle())).join();

        IdentityBlock v1 = ring.awaitDone(home.publishIdentity("bob@example.org",
                c -> c.withFolderHead("INBOX", Id.hash("inbox head 1").toBytes()))).join();
        IdentityBlock v2 = ring.awaitDone(home.publishIdentity("bob@example.org",
                c -> c.withFolderHead("INBOX", Id.hash("inbox head 2").toBytes()))).join();
        assertThat(List.of(bob.identity().version(), v1.version(), v2.version())).containsExactly(0L, 1L, 2L);

        IdentityBlock read = ring.awaitDone(reader.lookupIdentity("bob@example.org")).join();
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.folderHeads().get("INBOX")).isEqualTo(Id.hash("inbox head 2").toBytes());

        // every holder rolled back to v1: the reader, having seen v2, refuses it
        int rolledBack = ring.rollBack(v2.block(), v1.block(), ring.scheduler().now() + 86_400_000L);
        assertThat(rolledBack).isEqualTo(3);
        AccountException stale = failure(ring.awaitDone(reader.lookupIdentity("bob@example.org")));
        assertThat(stale.reason()).isEqualTo(AccountException.Reason.STALE_VERSION);

        // the owner publishes past the rollback (v3, built on its own v2) and readers see it
        IdentityBlock v3 = ring.awaitDone(home.publishIdentity("bob@example.org", c -> c.withHome(
                nodes.get(3).localHandle()))).join();
        assertThat(v3.version()).isEqualTo(3);
        assertThat(v3.folderHeads().get("INBOX")).isEqualTo(Id.hash("inbox head 2").toBytes());
        IdentityBlock newest = ring.awaitDone(reader.lookupIdentity("bob@example.org")).join();
        assertThat(newest.version()).isEqualTo(3);
        assertThat(newest.home()).isEqualTo(nodes.get(3).localHandle());
    }

    @Test
    void theRingRefusesCertificatesNotSignedByTheUserCa() throws Exception {
        PastRing ring = new PastRing(16, 13);
        Past node = ring.live().get(4);
        UserKeys keys = UserKeys.generate();
        CertificateBlock forged = CertificateBlock.issue(Signatures.generateKeyPair().getPrivate(),
                "user:mallory@example.org",
                List.of(keys.signingPublicKey().getEncoded(), keys.encryptionPublicKey().getEncoded()),
                ring.scheduler().now() + 86_400_000L);
        InsertResult result = ring.awaitDone(node.insert(forged, ring.scheduler().now() + 86_400_000L)).join();
        assertThat(result.status()).isEqualTo(InsertResult.Status.REJECTED);
        assertThat(result.detail()).contains("BAD_SIGNATURE");
        assertThat(failure(ring.awaitDone(
                service(ring, node, "reader", false).lookupCertificate("mallory@example.org")))
                .reason()).isEqualTo(AccountException.Reason.NOT_FOUND);
    }
}
