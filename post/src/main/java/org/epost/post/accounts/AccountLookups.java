package org.epost.post.accounts;

import static org.epost.post.accounts.AccountFutures.failed;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.protocol.PastLookupException;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.time.Clock;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verified reads of accounts in PAST that any peer makes ({@link AccountService}'s lookups): a certificate only if
 * it verifies against the user CA, has not expired and its key is not revoked; an identity only if its certified key
 * signed it and it is not older than a version this peer accepted or published before (no rollback). Addresses are
 * normalized by the caller.
 */
final class AccountLookups {
    private static final Logger LOG = LoggerFactory.getLogger(AccountLookups.class);

    private final BlockService blocks;
    private final BlockVerifier verifier;
    /** Per address, the newest identity version this peer accepted or published: never go back below it. */
    private final Map<String, Long> highestIdentityVersion = new ConcurrentHashMap<>();
    private final CertificateCache certificates;
    private volatile Revocations revocations;

    AccountLookups(BlockService blocks, BlockVerifier verifier, Clock clock) {
        this.blocks = blocks;
        this.verifier = verifier;
        this.certificates = new CertificateCache(clock, this::fetchCertificate);
    }

    /**
     * The certificate of {@code address}, verified against the user CA, not expired (cached briefly), and not revoked
     * by the list enforced now: a revocation is checked on every use, also of a cached certificate.
     */
    CompletableFuture<UserCertificate> certificate(String address) {
        return certificates.get(address).thenCompose(certificate -> {
            try {
                return CompletableFuture.completedFuture(certificate.requireNotRevoked(revocations));
            } catch (AccountException e) {
                return failed(e);
            }
        });
    }

    /** The one uncached lookup and verification of {@code address}'s certificate, which the cache is handed. */
    private CompletableFuture<UserCertificate> fetchCertificate(String address) {
        return lookup(UserCertificate.keyFor(address)).thenCompose(block -> {
            if (block.isEmpty()) {
                return failed(new AccountException(AccountException.Reason.NOT_FOUND, "no certificate for " + address));
            }
            try {
                return CompletableFuture.completedFuture(verifyCertificate(block.get(), address));
            } catch (AccountException e) {
                return failed(e);
            }
        });
    }

    /** The newest identity of {@code address} that {@code certificate}'s key signed, never older than one seen. */
    CompletableFuture<IdentityBlock> identity(String address, UserCertificate certificate) {
        return lookup(IdentityBlock.keyFor(certificate.signingKey())).thenCompose(block -> {
            if (block.isEmpty()) {
                return failed(new AccountException(AccountException.Reason.NOT_FOUND, "no identity for " + address));
            }
            IdentityBlock identity;
            try {
                identity = IdentityBlock.verify(block.get(), certificate);
            } catch (AccountException e) {
                return failed(e);
            }
            long seen = highestIdentityVersion.getOrDefault(address, -1L);
            if (identity.version() < seen) {
                LOG.warn("Rejected identity of {}: v{} offered, v{} seen before", address, identity.version(), seen);
                return failed(new AccountException(AccountException.Reason.STALE_VERSION, "identity of " + address
                        + " offered at v" + identity.version() + " but v" + seen + " was seen before"));
            }
            highestIdentityVersion.merge(address, identity.version(), Math::max);
            return CompletableFuture.completedFuture(identity);
        });
    }

    /** This peer published identity {@code version} of {@code address}: no older one is accepted from now on. */
    void published(String address, long version) {
        highestIdentityVersion.merge(address, version, Math::max);
    }

    /** From now on, refuses the certificates of the user keys the list {@code enforced} holds revokes. */
    void enforce(Revocations enforced) {
        this.revocations = enforced;
    }

    /** Checks an encoded block (a certificate kept in the vault) as a lookup would, with the same CA, clock, skew. */
    Verification verify(byte[] encoded, BlockKey key) {
        return verifier.verify(encoded, key);
    }

    UserCertificate verifyCertificate(Block block, String address) throws AccountException {
        return UserCertificate.verify(block, address, verifier) // the same CA, clock and skew
                .requireNotRevoked(revocations);
    }

    /** A PAST lookup whose rollback/equivocation failures become {@link AccountException}s. */
    CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        return blocks.lookup(key).exceptionallyCompose(failure -> {
            Throwable cause = AccountService.unwrap(failure);
            if (cause instanceof PastLookupException past) {
                return failed(new AccountException(AccountException.fromRejection(past.reason()),
                        "lookup of " + key + ": " + past.getMessage(), past));
            }
            return failed(new AccountException(AccountException.Reason.STORAGE_FAILED,
                    "lookup of " + key + " failed: " + cause, cause));
        });
    }
}
