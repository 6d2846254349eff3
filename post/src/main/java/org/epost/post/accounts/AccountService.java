package org.epost.post.accounts;

import static org.epost.post.accounts.AccountFutures.failed;
import static org.epost.post.accounts.AccountFutures.withAddress;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.time.Clock;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts on POST: provisioning a user on its home peer (keys in the {@link KeyVault}, certificate and identity
 * block in PAST), and verified lookups of other users' certificates and identities.
 *
 * <p>Every future fails with an {@link AccountException} (possibly wrapped in a {@link CompletionException}); use
 * {@link #unwrap(Throwable)}. Operations on one address are serialized on this peer; vault I/O (fsync) runs on the
 * {@code blockingIo} executor, never on the overlay's node thread.
 *
 * <p>Trust: a certificate is accepted only if it verifies against the user CA key given here (the overlay checked it
 * too, but this layer does not rely on the {@link BlockService} implementation); an identity only if it is the
 * public-key block of the certified signing key with label "identity", names the same address, and is not older than
 * any version this peer has accepted or published before (no rollback: {@link AccountException.Reason#STALE_VERSION}).
 * A certificate whose signing key the organization revoked is refused like one that does not verify ({@link #enforce}).
 */
public final class AccountService {
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    /**
     * @param certificateValidityMillis how long a new user certificate is valid (notAfter = now + this)
     * @param leaseMillis               the PAST lease of inserted blocks; the home peer's lease refresher keeps
     *                                  them alive ({@link #leasedBlocks(String)} says which they are)
     * @param clockSkewMillis           tolerated clock difference between peers when checking expiry
     */
    public record Settings(long certificateValidityMillis, long leaseMillis, long clockSkewMillis) {
        public static final long DAY = 86_400_000L;

        public Settings {
            if (certificateValidityMillis <= 0 || leaseMillis <= 0 || clockSkewMillis < 0) {
                throw new IllegalArgumentException("Validity and lease are positive, skew not negative");
            }
        }

        /** One year of validity, the design's 30-day lease, one minute of skew. */
        public static Settings defaults() {
            return new Settings(365 * DAY, 30 * DAY, 60_000);
        }

        public Settings withLeaseMillis(long value) {
            return new Settings(certificateValidityMillis, value, clockSkewMillis);
        }
    }

    private final BlockService blocks;
    private final KeyVault vault;
    private final UserCertificateIssuer issuer;
    private final PublicKey userCa;
    private final Clock clock;
    private final Settings settings;
    private final Executor blockingIo;
    private final AccountLookups lookups;
    /** The organization's recovery key users' vault entries are sealed to; null when recovery is not configured. */
    private final PublicKey recoveryKey;
    private final RecoveryPublisher recovery;

    /** Per own address, the identity block this peer published last (the base of the next update). */
    private final Map<String, IdentityBlock> lastPublished = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    /** As the other constructor, without recovery. */
    public AccountService(BlockService blocks, KeyVault vault, UserCertificateIssuer issuer, PublicKey userCa,
                          Clock clock, Settings settings, Executor blockingIo) {
        this(blocks, vault, issuer, userCa, clock, settings, blockingIo, null);
    }

    /**
     * @param issuer      signs new user certificates; null on a peer that only looks accounts up
     * @param userCa      the user CA public key certificates must verify against (the issuer's, on a home peer)
     * @param blockingIo  runs vault reads and writes
     * @param recoveryKey the organization's recovery key (X25519, endorsed by the organization CA): every account
     *                    provisioned or adopted here gets its key vault entry sealed to it in a
     *                    {@link RecoveryEnvelope}; null for none
     */
    public AccountService(BlockService blocks, KeyVault vault, UserCertificateIssuer issuer, PublicKey userCa,
                          Clock clock, Settings settings, Executor blockingIo, PublicKey recoveryKey) {
        this.recoveryKey = recoveryKey;
        this.recovery = recoveryKey == null ? null : new RecoveryPublisher(blocks, recoveryKey, clock, settings.leaseMillis());
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.issuer = issuer;
        this.userCa = Objects.requireNonNull(userCa, "userCa");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.blockingIo = Objects.requireNonNull(blockingIo, "blockingIo");
        if (issuer != null && !issuer.publicKey().equals(userCa)) {
            throw new IllegalArgumentException("The issuer signs with another key than the trusted user CA");
        }
        this.lookups = new AccountLookups(blocks, new BlockVerifier(userCa, clock, BlockLimits.DEFAULT,
                settings.clockSkewMillis()), clock);
    }

    // ================================================================ home peer: own users

    /**
     * Creates the account of {@code address} with home peer {@code home}: fresh keys sealed in the vault, the
     * certificate and identity version 0 inserted into PAST. Idempotent: if the vault already holds keys for the
     * address, no new keys are made; whatever is missing in PAST (a certificate or identity whose insert failed or
     * whose lease lapsed) is re-inserted, and the existing account is returned with {@code created == false}.
     *
     * <p>Failures: {@code ADDRESS_TAKEN} when PAST holds a valid certificate for the address but this vault has no
     * keys for it; {@code STORAGE_FAILED} when an insert fails. If the certificate was definitely not stored, the
     * new keys are removed again; otherwise they stay so that a retry completes the same account (a certificate that
     * might be stored must keep its keys, or the address would be unusable until it expires).
     */
    public CompletableFuture<Account> provision(String address, NodeHandle home) {
        Objects.requireNonNull(home, "home");
        return withAddress(address, normalized -> serialized(normalized, () -> io(() -> vault.load(normalized))
                .thenCompose(existing -> existing.isPresent()
                        ? completeExisting(normalized, existing.get(), home)
                        : createNew(normalized, home))
                .thenCompose(account -> sealForRecovery(normalized).thenApply(published -> account))));
    }

    /**
     * Re-homes {@code address} on this peer with keys recovered elsewhere ({@link RecoveryEnvelope}): the keys must
     * be the ones PAST certifies for the address, and this vault must hold no other keys for it. Stores the entry,
     * publishes the identity with {@code home} as the new home (one version above any published), and seals the
     * entry for recovery again. The user's logs are taken over by their first writer on this peer.
     */
    public CompletableFuture<Account> adopt(String address, KeyVault.Entry recovered, NodeHandle home) {
        Objects.requireNonNull(recovered, "recovered");
        Objects.requireNonNull(home, "home");
        return withAddress(address, normalized -> serialized(normalized, () -> io(() -> vault.load(normalized))
                .thenCompose(existing -> {
                    if (existing.isPresent() && !existing.get().keys().signingPublicKey()
                            .equals(recovered.keys().signingPublicKey())) {
                        return failed(new AccountException(AccountException.Reason.ADDRESS_TAKEN,
                                "this peer already holds other keys for " + normalized));
                    }
                    return lookupCertificate(normalized);
                })
                .thenCompose(certificate -> {
                    if (!recovered.keys().matches(certificate)) {
                        return failed(new AccountException(AccountException.Reason.WRONG_KEY, "the recovered keys of "
                                + normalized + " are not the keys its certificate certifies"));
                    }
                    KeyVault.Entry entry = recovered.withCertificate(certificate.block().encoded());
                    return io(() -> {
                        vault.store(normalized, entry);
                        return entry;
                    }).thenCompose(saved -> updateIdentity(normalized, saved, contents -> contents.withHome(home))
                            .exceptionallyCompose(failure -> unwrap(failure) instanceof AccountException e
                                    && e.reason() == AccountException.Reason.NOT_FOUND
                                    // the identity lapsed while the user had no home: start it again
                                    ? publish(normalized, saved, saved.identityVersion() + 1,
                                            IdentityBlock.Contents.of(home))
                                    : failed(failure)))
                            .thenCompose(identity -> sealForRecovery(normalized)
                                    .thenApply(published -> new Account(normalized, certificate, identity, false)));
                })));
    }

    /**
     * Makes sure the recovery envelope of {@code address} (homed here) in PAST is sealed to the current recovery key
     * and carries the current certificate, sealing and publishing a new version otherwise. True if one was
     * published; false when it was current or no recovery key is configured.
     */
    public CompletableFuture<Boolean> publishRecovery(String address) {
        return withAddress(address, normalized -> serialized(normalized, () -> sealForRecovery(normalized)));
    }

    /** The verified recovery envelope of {@code address} in PAST (for a re-homing admin). */
    public CompletableFuture<RecoveryEnvelope> lookupRecovery(String address) {
        return withAddress(address, normalized -> lookupCertificate(normalized)
                .thenCompose(certificate -> lookups.lookup(RecoveryEnvelope.keyFor(certificate.signingKey()))
                        .thenCompose(block -> {
                            if (block.isEmpty()) {
                                return failed(new AccountException(AccountException.Reason.NOT_FOUND,
                                        "no recovery envelope for " + normalized));
                            }
                            try {
                                return CompletableFuture.completedFuture(
                                        RecoveryEnvelope.verify(block.get(), certificate));
                            } catch (AccountException e) {
                                return failed(e);
                            }
                        })));
    }

    /** Whether accounts homed here are sealed for recovery. */
    public boolean recoveryConfigured() {
        return recoveryKey != null;
    }

    /** Under the address's serialization. */
    private CompletableFuture<Boolean> sealForRecovery(String address) {
        if (recoveryKey == null) {
            return CompletableFuture.completedFuture(false);
        }
        return io(() -> vault.load(address)).thenCompose(loaded -> {
            if (loaded.isEmpty()) {
                return failed(new AccountException(AccountException.Reason.NO_LOCAL_KEYS,
                        "no keys for " + address + " on this peer"));
            }
            return recovery.ensure(address, loaded.get());
        });
    }

    /**
     * Removes the local keys of {@code address}; true if there were any. Nothing is deleted from PAST (blocks
     * cannot be deleted by their owner): this peer stops refreshing the leases, so the certificate and identity
     * blocks disappear when their leases lapse (default 30 days); until then, and for a certificate until it is
     * collected or expires, others can still look them up, and the address cannot be certified to new keys.
     */
    public CompletableFuture<Boolean> deprovision(String address) {
        return withAddress(address, normalized -> serialized(normalized, () -> io(() -> {
            boolean deleted = vault.delete(normalized);
            lastPublished.remove(normalized);
            return deleted;
        })));
    }

    /** Whether this peer holds keys for {@code address} (it is the user's home peer). */
    public boolean isProvisioned(String address) {
        return vault.contains(AccountAddress.normalize(address));
    }

    /** The newest identity version this peer published for {@code address}, if it holds its keys. */
    public Optional<Long> publishedIdentityVersion(String address) throws KeyVaultException {
        return vault.load(AccountAddress.normalize(address)).map(KeyVault.Entry::identityVersion);
    }

    /** The private keys of a user homed here (for the log and notification services); empty if not provisioned. */
    public Optional<UserKeys> keys(String address) throws KeyVaultException {
        return vault.load(AccountAddress.normalize(address)).map(KeyVault.Entry::keys);
    }

    /**
     * Publishes a new identity of {@code address} (homed here): {@code update} maps the newest contents to the new
     * ones; the version is one above the newest known (PAST, vault, or this peer's memory), reserved in the vault
     * before the insert so that a version is never signed twice with different contents, even across a crash.
     */
    public CompletableFuture<IdentityBlock> publishIdentity(String address,
                                                            UnaryOperator<IdentityBlock.Contents> update) {
        Objects.requireNonNull(update, "update");
        return withAddress(address, normalized -> serialized(normalized, () -> io(() -> vault.load(normalized))
                .thenCompose(entry -> {
                    if (entry.isEmpty()) {
                        return failed(new AccountException(AccountException.Reason.NO_LOCAL_KEYS,
                                "no keys for " + normalized + " on this peer"));
                    }
                    return updateIdentity(normalized, entry.get(), update);
                })));
    }

    /** Under the address's serialization: publishes the identity {@code update} makes of the newest one. */
    private CompletableFuture<IdentityBlock> updateIdentity(String normalized, KeyVault.Entry entry,
                                                           UnaryOperator<IdentityBlock.Contents> update) {
        return localCertificate(normalized, entry)
                .thenCompose(certificate -> lookups.identity(normalized, certificate)
                        .exceptionallyCompose(failure -> {
                            // The owner may know a newer version than PAST serves (lost or rolled back).
                            IdentityBlock own = lastPublished.get(normalized);
                            return own != null && unwrap(failure) instanceof AccountException e
                                    && (e.reason() == AccountException.Reason.NOT_FOUND
                                    || e.reason() == AccountException.Reason.STALE_VERSION)
                                    ? CompletableFuture.completedFuture(own) : failed(failure);
                        })
                        .thenCompose(current -> {
                            IdentityBlock base = newer(current, lastPublished.get(normalized));
                            long version = Math.max(base.version(), entry.identityVersion()) + 1;
                            return publish(normalized, entry, version, update.apply(base.contents()));
                        }));
    }

    /**
     * The blocks of the account of {@code address} that its home peer must keep alive by refreshing their leases:
     * every block this service inserts with a lease, i.e. the certificate and the identity (all versions of the
     * identity live at one key). Empty when the account is not homed here. The leases themselves are refreshed by
     * one owner, the peer's lease refresher, not by this service: one schedule, retry policy and set of figures for
     * everything the peer keeps alive. Reads the vault (blocking I/O): not for the node thread.
     */
    public Optional<List<BlockKey>> leasedBlocks(String address) throws KeyVaultException {
        String normalized = AccountAddress.normalize(address);
        return vault.load(normalized).map(entry -> {
            List<BlockKey> account = leasedBlocks(normalized, entry.keys().signingPublicKey());
            if (recoveryKey == null) {
                return account;
            }
            List<BlockKey> withRecovery = new java.util.ArrayList<>(account);
            withRecovery.add(RecoveryEnvelope.keyFor(entry.keys().signingPublicKey()));
            return List.copyOf(withRecovery);
        });
    }

    /** The blocks of a provisioned {@code account} its home peer keeps alive; see {@link #leasedBlocks(String)}. */
    public static List<BlockKey> leasedBlocks(Account account) {
        return leasedBlocks(account.address(), account.certificate().signingKey());
    }

    private static List<BlockKey> leasedBlocks(String address, PublicKey signingKey) {
        return List.of(UserCertificate.keyFor(address), IdentityBlock.keyFor(signingKey));
    }

    // ================================================================ any peer: lookups

    /** The certificate of {@code address}, verified against the user CA, not expired, not revoked (cached briefly). */
    public CompletableFuture<UserCertificate> lookupCertificate(String address) {
        return withAddress(address, lookups::certificate);
    }

    /** The newest identity of {@code address}: signed by its certified key, never older than one seen before. */
    public CompletableFuture<IdentityBlock> lookupIdentity(String address) {
        return withAddress(address, normalized -> lookups.certificate(normalized)
                .thenCompose(certificate -> lookups.identity(normalized, certificate)));
    }

    /** As {@link #lookupIdentity(String)}, with the certificate of {@code address} the caller just looked up. */
    public CompletableFuture<IdentityBlock> lookupIdentity(String address, UserCertificate certificate) {
        return withAddress(address, normalized -> lookups.identity(normalized, certificate));
    }

    /** From now on, refuses the certificates of the user keys the list {@code enforced} holds revokes. */
    public void enforce(Revocations enforced) {
        lookups.enforce(enforced);
    }

    /** Unwraps {@link CompletionException}s down to the {@link AccountException} (or other failure) inside. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    // ================================================================ internals

    private CompletableFuture<Account> createNew(String address, NodeHandle home) {
        if (issuer == null) {
            return failed(new AccountException(AccountException.Reason.NO_LOCAL_KEYS,
                    "this peer holds no user CA key and cannot certify " + address));
        }
        return lookups.lookup(UserCertificate.keyFor(address)).thenCompose(stored -> {
            if (stored.isPresent()) {
                return failed(new AccountException(AccountException.Reason.ADDRESS_TAKEN, address
                        + " is already certified to keys this peer does not hold (another home peer, or keys lost):"
                        + " it can be provisioned again once that certificate's lease lapses or it expires"));
            }
            UserKeys keys = UserKeys.generate();
            UserCertificate certificate = issuer.issue(address, keys.signingPublicKey(), keys.encryptionPublicKey(),
                    clock.now() + settings.certificateValidityMillis());
            KeyVault.Entry entry = new KeyVault.Entry(keys, certificate.block().encoded(), -1);
            return io(() -> {
                vault.store(address, entry);
                return entry;
            }).thenCompose(saved -> insertCertificate(certificate)
                    .handle((ok, failure) -> {
                        if (failure == null) {
                            return CompletableFuture.completedFuture(certificate);
                        }
                        return undoIfNotStored(address, failure).<UserCertificate>thenCompose(v -> failed(failure));
                    })
                    .thenCompose(f -> f)
                    .thenCompose(stored1 -> publish(address, saved, 0, IdentityBlock.Contents.of(home)))
                    .thenApply(identity -> new Account(address, certificate, identity, true)));
        });
    }

    /** After a failed certificate insert: forget the keys only if the certificate is definitely stored nowhere. */
    private CompletableFuture<Void> undoIfNotStored(String address, Throwable failure) {
        Throwable cause = unwrap(failure);
        boolean definitelyNotStored = cause instanceof AccountException e
                && (e.reason() == AccountException.Reason.ADDRESS_TAKEN || e.getMessage().contains("REJECTED"));
        if (!definitelyNotStored) {
            LOG.warn("Certificate of {} may be partly stored; keeping its keys for a retry: {}", address,
                    cause.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return io(() -> {
            vault.delete(address);
            return null;
        });
    }

    private CompletableFuture<Account> completeExisting(String address, KeyVault.Entry entry, NodeHandle home) {
        return localCertificate(address, entry).thenCompose(certificate -> lookups.lookup(certificate.block().key())
                .thenCompose(stored -> {
                    if (stored.isPresent()) {
                        UserCertificate inPast;
                        try {
                            inPast = lookups.verifyCertificate(stored.get(), address);
                        } catch (AccountException e) {
                            return failed(e);
                        }
                        if (!entry.keys().matches(inPast)) {
                            return failed(new AccountException(AccountException.Reason.ADDRESS_TAKEN,
                                    "PAST certifies other keys for " + address + " than this peer's vault holds"));
                        }
                        return CompletableFuture.completedFuture(inPast);
                    }
                    return insertCertificate(certificate).thenApply(ok -> certificate);
                }))
                .thenCompose(certificate -> lookups.identity(address, certificate)
                        .thenApply(identity -> new Account(address, certificate, identity, false))
                        .exceptionallyCompose(failure -> {
                            if (unwrap(failure) instanceof AccountException e
                                    && e.reason() == AccountException.Reason.NOT_FOUND) {
                                long version = entry.identityVersion() + 1;
                                return publish(address, entry, version, IdentityBlock.Contents.of(home))
                                        .thenApply(identity -> new Account(address, certificate, identity, false));
                            }
                            return failed(failure);
                        }));
    }

    /**
     * The certificate kept in the vault; if it expired (or is missing), a new one for the same keys, saved first.
     */
    private CompletableFuture<UserCertificate> localCertificate(String address, KeyVault.Entry entry) {
        byte[] encoded = entry.certificate();
        if (encoded.length > 0) {
            Verification verification = lookups.verify(encoded, UserCertificate.keyFor(address));
            if (verification.isValid()) {
                try {
                    UserCertificate certificate = UserCertificate.parse(
                            (org.epost.overlay.past.block.CertificateBlock) verification.block());
                    if (entry.keys().matches(certificate)) {
                        return CompletableFuture.completedFuture(certificate);
                    }
                } catch (AccountException e) {
                    LOG.warn("Unusable certificate in the vault entry of {}: {}", address, e.getMessage());
                }
            }
        }
        if (issuer == null) {
            return failed(new AccountException(AccountException.Reason.NO_LOCAL_KEYS,
                    "the certificate of " + address + " needs renewal and this peer cannot certify"));
        }
        UserKeys keys = entry.keys();
        UserCertificate renewed = issuer.issue(address, keys.signingPublicKey(), keys.encryptionPublicKey(),
                clock.now() + settings.certificateValidityMillis());
        return io(() -> {
            vault.store(address, entry.withCertificate(renewed.block().encoded()));
            return renewed;
        }).thenCompose(stored -> sealForRecovery(address).handle((published, failure) -> {
            if (failure != null) {
                // The old envelope still opens to working keys; the next provisioning or re-home retries.
                LOG.warn("The recovery envelope of {} still carries its old certificate: {}", address,
                        unwrap(failure).getMessage());
            }
            return stored;
        }));
    }

    private CompletableFuture<IdentityBlock> publish(String address, KeyVault.Entry entry, long version,
                                                     IdentityBlock.Contents contents) {
        IdentityBlock identity = IdentityBlock.sign(entry.keys(), address, version, contents);
        // Reserve the version before anything is signed into PAST: a crash never makes it sign this version again.
        return io(() -> {
            vault.store(address, entry.withIdentityVersion(version));
            return null;
        }).thenCompose(v -> blocks.insert(identity.block(), clock.now() + settings.leaseMillis()))
                .thenCompose(result -> {
                    if (result.status() == InsertResult.Status.STALE) {
                        return failed(new AccountException(AccountException.Reason.STALE_VERSION,
                                "PAST holds a newer identity of " + address + " than v" + version));
                    }
                    if (!result.isSuccess()) {
                        return failed(new AccountException(AccountException.Reason.STORAGE_FAILED,
                                "identity v" + version + " of " + address + ": " + result.status() + " "
                                        + result.detail()));
                    }
                    lookups.published(address, version);
                    lastPublished.merge(address, identity, AccountService::newer);
                    return CompletableFuture.completedFuture(identity);
                });
    }

    private CompletableFuture<Void> insertCertificate(UserCertificate certificate) {
        long lease = Math.min(clock.now() + settings.leaseMillis(), certificate.notAfter());
        return blocks.insert(certificate.block(), lease).thenCompose(result -> {
            if (result.isSuccess()) {
                return CompletableFuture.completedFuture(null);
            }
            AccountException.Reason reason = result.detail().contains("CERTIFICATE_CONFLICT")
                    ? AccountException.Reason.ADDRESS_TAKEN : AccountException.Reason.STORAGE_FAILED;
            return failed(new AccountException(reason, "certificate of " + certificate.address() + ": "
                    + result.status() + " " + result.detail()));
        });
    }

    private static IdentityBlock newer(IdentityBlock a, IdentityBlock b) {
        if (a == null) {
            return b;
        }
        return b == null || a.version() >= b.version() ? a : b;
    }

    private interface VaultAction<T> {
        T run() throws KeyVaultException;
    }

    private <T> CompletableFuture<T> io(VaultAction<T> action) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return action.run();
            } catch (KeyVaultException e) {
                throw new CompletionException(new AccountException(AccountException.Reason.VAULT,
                        e.getMessage(), e));
            }
        }, blockingIo);
    }

    /** Runs {@code operation} after every earlier operation on {@code address} has finished (either way). */
    private <T> CompletableFuture<T> serialized(String address, Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result;
        synchronized (tails) {
            CompletableFuture<?> previous = tails.getOrDefault(address, CompletableFuture.completedFuture(null));
            result = previous.handle((v, e) -> null).thenCompose(v -> operation.get());
            tails.put(address, result);
        }
        result.whenComplete((v, e) -> {
            synchronized (tails) {
                tails.remove(address, result);
            }
        });
        return result;
    }
}
