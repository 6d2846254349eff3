package org.epost.post.delivery;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

import org.epost.overlay.time.Clock;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.UserCertificate;

/**
 * Which addresses are ePOST recipients: an address on one of this peer's ePOST domains with a valid certificate in
 * the ring, wherever its home peer is. Answers are cached briefly (SMTP asks at RCPT and again after DATA; a burst
 * of mail to one user asks once): found certificates for {@code positiveMillis}, missing ones for
 * {@code negativeMillis} (no certificate, or an expired one). A failed lookup (the ring does not answer) is not an answer and is not cached.
 */
public final class RecipientDirectory {
    private static final int MAX_CACHED = 10_000;

    public enum Status {
        /** An ePOST account: deliver through ePOST. */
        EPOST,
        /** Not on an ePOST domain: James's usual delivery. */
        NOT_EPOST_DOMAIN,
        /** On an ePOST domain but without a certificate: no such ePOST user. */
        UNKNOWN
    }

    private record Cached(Status status, long until) {
    }

    private final Predicate<String> epostDomain;
    private final Function<String, CompletableFuture<UserCertificate>> certificates;
    private final Clock clock;
    private final long positiveMillis;
    private final long negativeMillis;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param epostDomain  whether a (lower-case) domain is one of this peer's ePOST domains
     * @param certificates the verified certificate of an address ({@link AccountService#lookupCertificate}), failing
     *                     with {@link AccountException.Reason#NOT_FOUND} when there is none
     */
    public RecipientDirectory(Predicate<String> epostDomain, Function<String, CompletableFuture<UserCertificate>> certificates,
                              Clock clock, long positiveMillis, long negativeMillis) {
        this.epostDomain = Objects.requireNonNull(epostDomain, "epostDomain");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (positiveMillis < 0 || negativeMillis < 0) {
            throw new IllegalArgumentException("Cache durations are not negative");
        }
        this.positiveMillis = positiveMillis;
        this.negativeMillis = negativeMillis;
    }

    /** Whether {@code domain} is an ePOST domain of this peer. */
    public boolean isEpostDomain(String domain) {
        return epostDomain.test(domain.toLowerCase(Locale.ROOT));
    }

    /** What {@code address} is; fails (e.g. with a timeout) when the ring cannot tell now. */
    public CompletableFuture<Status> lookup(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || !isEpostDomain(address.substring(at + 1))) {
            return CompletableFuture.completedFuture(Status.NOT_EPOST_DOMAIN);
        }
        String normalized;
        try {
            normalized = AccountAddress.normalize(address);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Status.UNKNOWN);
        }
        synchronized (this) {
            Cached cached = cache.get(normalized);
            if (cached != null && clock.now() < cached.until()) {
                return CompletableFuture.completedFuture(cached.status());
            }
        }
        return certificates.apply(normalized).handle((certificate, failure) -> {
            if (failure == null) {
                remember(normalized, Status.EPOST, positiveMillis);
                return Status.EPOST;
            }
            Throwable cause = AccountService.unwrap(failure);
            if (cause instanceof AccountException e && (e.reason() == AccountException.Reason.NOT_FOUND
                    || e.reason() == AccountException.Reason.EXPIRED
                    || e.reason() == AccountException.Reason.REVOKED
                    || e.reason() == AccountException.Reason.INVALID_ADDRESS)) {
                remember(normalized, Status.UNKNOWN, negativeMillis);
                return Status.UNKNOWN;
            }
            throw new RecipientLookupException("cannot tell whether " + normalized + " is an ePOST account: "
                + cause.getMessage(), cause);
        });
    }

    private synchronized void remember(String address, Status status, long forMillis) {
        cache.put(address, new Cached(status, clock.now() + forMillis));
        while (cache.size() > MAX_CACHED) {
            cache.remove(cache.keySet().iterator().next());
        }
    }
}
