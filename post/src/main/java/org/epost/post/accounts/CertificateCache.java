package org.epost.post.accounts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.time.Clock;

/**
 * User certificates looked up and verified recently, so that each notification does not cost a PAST round trip (on
 * the sending peer and on the home peer) for a block that cannot change: a certificate block is immutable until it
 * expires. An entry is used for at most {@value #TTL_MILLIS} ms and never past the certificate's own expiry; the
 * short bound is what limits the use of a certificate whose block lapsed and whose address was certified again
 * (which takes a whole lease). Lookups of one address while one is under way share it; a failed one is not kept.
 * Revocation is checked on every use, against the list enforced at that moment. Any thread.
 */
final class CertificateCache {
    static final long TTL_MILLIS = 30_000;
    static final int MAX_ENTRIES = 4_096;

    private record Entry(CompletableFuture<UserCertificate> certificate, long since) {
    }

    private final Clock clock;
    private final Function<BlockKey, CompletableFuture<Optional<Block>>> lookup;
    private final BlockVerifier verifier;
    private final Supplier<Revocations> revocations;
    /** By normalized address, least recently used first. */
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    CertificateCache(Clock clock, Function<BlockKey, CompletableFuture<Optional<Block>>> lookup,
                     BlockVerifier verifier, Supplier<Revocations> revocations) {
        this.clock = clock;
        this.lookup = lookup;
        this.verifier = verifier;
        this.revocations = revocations;
    }

    /** The certificate of {@code normalized}: verified against the user CA, not expired, not revoked. */
    CompletableFuture<UserCertificate> get(String normalized) {
        return shared(normalized).thenCompose(certificate -> {
            try {
                return CompletableFuture.completedFuture(certificate.requireNotRevoked(revocations.get()));
            } catch (AccountException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private CompletableFuture<UserCertificate> shared(String normalized) {
        long now = clock.now();
        Entry fresh;
        synchronized (entries) {
            Entry entry = entries.get(normalized);
            if (entry != null && usable(entry, now)) {
                return entry.certificate();
            }
            fresh = new Entry(new CompletableFuture<>(), now);
            entries.put(normalized, fresh);
        }
        fetch(normalized).whenComplete((certificate, failure) -> {
            if (failure != null) {
                synchronized (entries) {
                    entries.remove(normalized, fresh);
                }
                fresh.certificate().completeExceptionally(failure);
            } else {
                fresh.certificate().complete(certificate);
            }
        });
        return fresh.certificate();
    }

    private static boolean usable(Entry entry, long now) {
        CompletableFuture<UserCertificate> certificate = entry.certificate();
        if (now - entry.since() >= TTL_MILLIS || certificate.isCompletedExceptionally()) {
            return false;
        }
        return !certificate.isDone() || certificate.join().notAfter() > now;
    }

    private CompletableFuture<UserCertificate> fetch(String normalized) {
        return lookup.apply(UserCertificate.keyFor(normalized)).thenCompose(block -> {
            if (block.isEmpty()) {
                return CompletableFuture.failedFuture(new AccountException(AccountException.Reason.NOT_FOUND,
                        "no certificate for " + normalized));
            }
            try {
                return CompletableFuture.completedFuture(UserCertificate.verify(block.get(), normalized, verifier));
            } catch (AccountException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }
}
