package org.epost.post.accounts;

import java.security.PublicKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.time.Clock;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a user's {@link RecoveryEnvelope} in PAST current: sealed to the organization's recovery key and carrying the
 * certificate of the key vault entry. The home peer cannot open its own envelopes (it has only the public recovery
 * key), so it compares the envelope's recovery key id and certificate digest; anything else (the identity version
 * inside) may lag, as a re-home publishes the identity one above whatever PAST holds.
 */
final class RecoveryPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPublisher.class);

    private final BlockService blocks;
    private final PublicKey recoveryKey;
    private final Clock clock;
    private final long leaseMillis;

    RecoveryPublisher(BlockService blocks, PublicKey recoveryKey, Clock clock, long leaseMillis) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.recoveryKey = Objects.requireNonNull(recoveryKey, "recoveryKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.leaseMillis = leaseMillis;
    }

    /** Publishes a new envelope version for {@code entry} unless the stored one is current; true if it published. */
    CompletableFuture<Boolean> ensure(String address, KeyVault.Entry entry) {
        BlockKey key = RecoveryEnvelope.keyFor(entry.keys().signingPublicKey());
        return blocks.lookup(key).exceptionallyCompose(failure -> CompletableFuture.failedFuture(new AccountException(
                AccountException.Reason.STORAGE_FAILED, "lookup of the recovery envelope of " + address + " failed: "
                + AccountService.unwrap(failure).getMessage(), failure))).thenCompose(stored -> {
                    long version = 0;
                    if (stored.isPresent() && stored.get() instanceof PublicKeyBlock current) {
                        version = current.version() + 1;
                        try {
                            RecoveryEnvelope published = RecoveryEnvelope.decode(current.payload());
                            if (published.address().equals(address) && published.sealedTo(recoveryKey)
                                    && published.carriesCertificate(entry.certificate())) {
                                return CompletableFuture.completedFuture(false);
                            }
                        } catch (AccountException e) {
                            LOG.warn("Replacing the undecodable recovery envelope of {}: {}", address, e.getMessage());
                        }
                    }
                    return insert(address, entry, version);
                });
    }

    private CompletableFuture<Boolean> insert(String address, KeyVault.Entry entry, long version) {
        Block block = RecoveryEnvelope.seal(address, entry, recoveryKey).sign(entry.keys(), version);
        return blocks.insert(block, clock.now() + leaseMillis).thenCompose(result -> {
            if (!result.isSuccess()) {
                return CompletableFuture.failedFuture(new AccountException(AccountException.Reason.STORAGE_FAILED,
                        "recovery envelope v" + version + " of " + address + ": " + result.status() + " "
                                + result.detail()));
            }
            LOG.info("Sealed the keys of {} for recovery (envelope v{})", address, version);
            return CompletableFuture.completedFuture(true);
        });
    }
}
