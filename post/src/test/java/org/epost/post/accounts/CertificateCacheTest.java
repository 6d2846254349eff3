package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** Fetched certificates kept briefly: one fetch for many uses, never past the bound or the certificate's expiry. */
class CertificateCacheTest {
    private static final String BOB = "bob@example.org";
    private static final long DAY = 86_400_000L;

    private long now = 1_000_000;
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys bobKeys = UserKeys.generate();
    /** The fetches made, and what the fetcher answers. */
    private final List<String> fetches = new ArrayList<>();
    private final AtomicReference<CompletableFuture<UserCertificate>> answer = new AtomicReference<>();
    private final CertificateCache cache = new CertificateCache(() -> now, address -> {
        fetches.add(address);
        return answer.get();
    });

    private UserCertificate bobUntil(long notAfter) {
        return authority.issue(BOB, bobKeys.signingPublicKey(), bobKeys.encryptionPublicKey(), notAfter);
    }

    private void fetcherGives(UserCertificate certificate) {
        answer.set(CompletableFuture.completedFuture(certificate));
    }

    @Test
    void fetchesWhileOneIsUnderWayAndWithinTheBoundShareOne() {
        UserCertificate bob = bobUntil(now + DAY);
        CompletableFuture<UserCertificate> pending = new CompletableFuture<>();
        answer.set(pending);
        CompletableFuture<UserCertificate> first = cache.get(BOB);
        CompletableFuture<UserCertificate> second = cache.get(BOB);
        assertThat(fetches).containsExactly(BOB);
        pending.complete(bob);
        assertThat(first.join()).isEqualTo(bob);
        assertThat(second.join()).isEqualTo(bob);

        now += CertificateCache.TTL_MILLIS - 1;
        assertThat(cache.get(BOB).join()).isEqualTo(bob);
        assertThat(fetches).hasSize(1);
        now += 1;
        assertThat(cache.get(BOB).join()).isEqualTo(bob);
        assertThat(fetches).as("fetched again once the bound passed on the given clock").hasSize(2);
    }

    @Test
    void aFailedFetchIsNotKeptAndAnExpiredCertificateIsNotServed() {
        answer.set(CompletableFuture.failedFuture(new AccountException(AccountException.Reason.NOT_FOUND, "none")));
        assertThat(cache.get(BOB)).isCompletedExceptionally();
        UserCertificate shortLived = bobUntil(now + 1_000);
        fetcherGives(shortLived);
        assertThat(cache.get(BOB).join()).isEqualTo(shortLived);
        assertThat(fetches).as("the failure was not kept").hasSize(2);

        // within the bound, but past the certificate's own expiry: fetched again
        now += 1_001;
        UserCertificate renewed = bobUntil(now + DAY);
        fetcherGives(renewed);
        assertThat(cache.get(BOB).join()).isEqualTo(renewed);
        assertThat(fetches).hasSize(3);
    }

    @Test
    void addressesAreKeptApart() {
        UserCertificate bob = bobUntil(now + DAY);
        fetcherGives(bob);
        cache.get(BOB).join();
        cache.get("carol@example.org").join();
        cache.get(BOB).join();
        assertThat(fetches).containsExactly(BOB, "carol@example.org");
    }
}
