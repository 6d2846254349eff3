package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** Verified certificates kept briefly: one lookup for many uses, never past the bound, expiry or a revocation. */
class CertificateCacheTest {
    private static final String BOB = "bob@example.org";
    private static final long DAY = 86_400_000L;

    private long now = 1_000_000;
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys bobKeys = UserKeys.generate();
    /** The lookups made, and what PAST answers. */
    private final List<BlockKey> lookups = new ArrayList<>();
    private final AtomicReference<CompletableFuture<Optional<Block>>> answer = new AtomicReference<>();
    private final AtomicReference<Revocations> revocations = new AtomicReference<>();
    private final CertificateCache cache = new CertificateCache(() -> now, key -> {
        lookups.add(key);
        return answer.get();
    }, new BlockVerifier(authority.publicKey(), () -> now, BlockLimits.DEFAULT, 0), revocations::get);

    private UserCertificate bobUntil(long notAfter) {
        return authority.issue(BOB, bobKeys.signingPublicKey(), bobKeys.encryptionPublicKey(), notAfter);
    }

    private void pastHolds(UserCertificate certificate) {
        answer.set(CompletableFuture.completedFuture(Optional.of(certificate.block())));
    }

    @Test
    void lookupsWhileOneIsUnderWayAndWithinTheBoundShareOne() {
        UserCertificate bob = bobUntil(now + DAY);
        CompletableFuture<Optional<Block>> pending = new CompletableFuture<>();
        answer.set(pending);
        CompletableFuture<UserCertificate> first = cache.get(BOB);
        CompletableFuture<UserCertificate> second = cache.get(BOB);
        assertThat(lookups).hasSize(1);
        pending.complete(Optional.of(bob.block()));
        assertThat(first.join()).isEqualTo(bob);
        assertThat(second.join()).isEqualTo(bob);

        now += CertificateCache.TTL_MILLIS - 1;
        assertThat(cache.get(BOB).join()).isEqualTo(bob);
        assertThat(lookups).hasSize(1);
        now += 1;
        assertThat(cache.get(BOB).join()).isEqualTo(bob);
        assertThat(lookups).as("looked up again once the bound passed").hasSize(2);
    }

    @Test
    void aFailedLookupIsNotKeptAndAnExpiredCertificateIsNotServed() {
        answer.set(CompletableFuture.completedFuture(Optional.empty()));
        assertThat(cache.get(BOB)).isCompletedExceptionally();
        UserCertificate shortLived = bobUntil(now + 1_000);
        pastHolds(shortLived);
        assertThat(cache.get(BOB).join()).isEqualTo(shortLived);
        assertThat(lookups).hasSize(2);

        // within the bound, but past the certificate's own expiry: looked up again, and PAST's copy is expired too
        now += 1_001;
        assertThat(cache.get(BOB)).isCompletedExceptionally();
        assertThat(lookups).hasSize(3);
        UserCertificate renewed = bobUntil(now + DAY);
        pastHolds(renewed);
        assertThat(cache.get(BOB).join()).isEqualTo(renewed);
    }

    @Test
    void aCachedCertificateRevokedMeanwhileIsRefused() throws Exception {
        pastHolds(bobUntil(now + DAY));
        assertThat(cache.get(BOB).join().address()).isEqualTo(BOB);
        KeyPair organization = NodeCertificates.generateKeyPair();
        Revocations enforced = new Revocations(organization.getPublic());
        Instant at = Instant.ofEpochMilli(now);
        enforced.offer(RevocationList.sign(organization.getPrivate(), 1, at, at.plusSeconds(86_400), Set.of(),
                Set.of(RevocationList.userKeyHash(bobKeys.signingPublicKey()))));
        revocations.set(enforced);

        CompletableFuture<UserCertificate> refused = cache.get(BOB);
        assertThat(refused).isCompletedExceptionally();
        assertThat(AccountService.unwrap(refused.handle((c, failure) -> failure).join()))
                .isInstanceOf(AccountException.class).hasMessageContaining("revoked");
        assertThat(lookups).as("the revocation is checked on the kept certificate").hasSize(1);
    }
}
