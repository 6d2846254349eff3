package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Set;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/** Certificate reads: one lookup and verification, cached briefly, revocation checked on every use. */
class AccountLookupsTest {
    private static final String BOB = "bob@example.org";
    private static final long DAY = 86_400_000L;

    private long now = 1_000_000;
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys bobKeys = UserKeys.generate();
    private final InMemoryBlockService past = new InMemoryBlockService().clock(() -> now);
    private final AccountLookups lookups = new AccountLookups(past,
            new BlockVerifier(authority.publicKey(), () -> now, BlockLimits.DEFAULT, 0), () -> now);

    private UserCertificate bobUntil(long notAfter) {
        return authority.issue(BOB, bobKeys.signingPublicKey(), bobKeys.encryptionPublicKey(), notAfter);
    }

    @Test
    void aMissingCertificateIsNotFoundAndNotKept() {
        assertThat(AccountTesting.failure(lookups.certificate(BOB)).reason())
                .isEqualTo(AccountException.Reason.NOT_FOUND);
        UserCertificate bob = bobUntil(now + DAY);
        past.insert(bob.block(), now + DAY).join();
        assertThat(lookups.certificate(BOB).join()).isEqualTo(bob);
        assertThat(past.lookups()).isEqualTo(2);
    }

    @Test
    void aCertificateOfAnotherAddressIsRefused() {
        UserCertificate carol = authority.issue("carol@example.org", bobKeys.signingPublicKey(),
                bobKeys.encryptionPublicKey(), now + DAY);
        past.plant(UserCertificate.keyFor(BOB), carol.block());
        assertThat(lookups.certificate(BOB)).isCompletedExceptionally();
    }

    @Test
    void aCachedCertificateRevokedMeanwhileIsRefused() throws Exception {
        past.insert(bobUntil(now + DAY).block(), now + DAY).join();
        assertThat(lookups.certificate(BOB).join().address()).isEqualTo(BOB);
        assertThat(lookups.certificate(BOB).join().address()).isEqualTo(BOB);
        assertThat(past.lookups()).as("the second use is served from the cache").isEqualTo(1);

        KeyPair organization = NodeCertificates.generateKeyPair();
        Revocations enforced = new Revocations(organization.getPublic());
        Instant at = Instant.ofEpochMilli(now);
        enforced.offer(RevocationList.sign(organization.getPrivate(), 1, at, at.plusSeconds(86_400), Set.of(),
                Set.of(RevocationList.userKeyHash(bobKeys.signingPublicKey()))));
        lookups.enforce(enforced);

        AccountException refused = AccountTesting.failure(lookups.certificate(BOB));
        assertThat(refused.reason()).isEqualTo(AccountException.Reason.REVOKED);
        assertThat(refused).hasMessageContaining("revoked");
        assertThat(past.lookups()).as("the revocation is checked on the kept certificate").isEqualTo(1);
    }
}
