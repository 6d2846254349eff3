package org.epost.post.accounts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.epost.overlay.time.Clock;

/**
 * User certificates fetched recently, so that each notification does not cost a PAST round trip (on the sending peer
 * and on the home peer) for a block that cannot change: a certificate block is immutable until it expires. An entry
 * is used for at most {@value #TTL_MILLIS} ms and never past the certificate's own expiry; the short bound is what
 * limits the use of a certificate whose block lapsed and whose address was certified again (which takes a whole
 * lease). Fetches of one address while one is under way share it; a failed one is not kept. Only a cache: the
 * fetcher it is handed looks up and verifies, and the caller checks revocation on every use. Any thread.
 */
final class CertificateCache {
    static final long TTL_MILLIS = 30_000;
    static final int MAX_ENTRIES = 4_096;

    private record Entry(CompletableFuture<UserCertificate> certificate, long since) {
    }

    private final Clock clock;
    private final Function<String, CompletableFuture<UserCertificate>> fetcher;
    /** By normalized address, least recently used first. */
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** {@code fetcher}: the uncached, verified certificate of a normalized address. */
    CertificateCache(Clock clock, Function<String, CompletableFuture<UserCertificate>> fetcher) {
        this.clock = clock;
        this.fetcher = fetcher;
    }

    /** The certificate of {@code normalized} as the fetcher gave it at most {@value #TTL_MILLIS} ms ago. */
    CompletableFuture<UserCertificate> get(String normalized) {
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
        fetcher.apply(normalized).whenComplete((certificate, failure) -> {
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
}
