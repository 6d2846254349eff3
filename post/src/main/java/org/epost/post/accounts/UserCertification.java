package org.epost.post.accounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.epost.post.accounts.AccountFutures.failed;
import static org.epost.post.accounts.AccountFutures.withAddress;

/**
 * Users of a home peer that does not hold the user CA key: their keys are made in the vault as on any home peer, but
 * they wait for a certificate the admin issues offline from their {@link CertificationRequest}. Until it is
 * installed ({@link #install}) the user is <em>pending</em>: nothing of it is in PAST, so no other peer (and no RCPT
 * check) knows it. Once installed, {@link AccountService#provision} finds the certified keys in the vault and
 * inserts certificate and identity as for any user, without needing the CA key.
 *
 * <p>A pending user is one whose request file is in the {@code requests} directory (named like its vault file, so
 * that the directory does not list addresses); the request is kept so that the admin can fetch it again and so that
 * it names one date. Vault and request I/O run on {@code blockingIo}.
 */
public final class UserCertification {
    private static final Logger LOG = LoggerFactory.getLogger(UserCertification.class);
    private static final String REQUEST_SUFFIX = ".request";

    private final AccountService accounts;
    private final KeyVault vault;
    private final BlockVerifier verifier;
    private final Clock clock;
    private final Executor blockingIo;
    private final Path requests;

    /**
     * @param userCa   the user CA public key, as endorsed by the organization CA: certificates must verify against it
     * @param requests the directory of pending requests (created when needed)
     */
    public UserCertification(AccountService accounts, KeyVault vault, PublicKey userCa, Clock clock,
                             long clockSkewMillis, Executor blockingIo, Path requests) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.blockingIo = Objects.requireNonNull(blockingIo, "blockingIo");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.verifier = new BlockVerifier(Objects.requireNonNull(userCa, "userCa"), clock, BlockLimits.DEFAULT,
                clockSkewMillis);
    }

    /**
     * Starts (or resumes) the certification of {@code address}: the pending request, made with fresh keys stored in
     * the vault unless the vault holds keys for it already. Empty when the vault holds certified keys (provision
     * as usual). Fails with {@code ADDRESS_TAKEN} when PAST certifies the address to keys this vault does not hold.
     */
    public CompletableFuture<Optional<CertificationRequest>> begin(String address) {
        return withAddress(address, normalized -> io(() -> vault.load(normalized)).thenCompose(existing -> {
            if (existing.isPresent() && existing.get().certificate().length > 0) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            if (existing.isPresent()) {
                return io(() -> Optional.of(keep(normalized, existing.get().keys())));
            }
            return accounts.lookupCertificate(normalized).handle((certificate, failure) -> {
                if (failure == null) {
                    return CompletableFuture.<Optional<CertificationRequest>>failedFuture(new AccountException(
                            AccountException.Reason.ADDRESS_TAKEN, normalized + " is already certified to keys this"
                            + " peer does not hold (another home peer, or keys lost)"));
                }
                if (!(AccountService.unwrap(failure) instanceof AccountException e
                        && e.reason() == AccountException.Reason.NOT_FOUND)) {
                    return CompletableFuture.<Optional<CertificationRequest>>failedFuture(failure);
                }
                UserKeys keys = UserKeys.generate();
                return io(() -> {
                    vault.store(normalized, new KeyVault.Entry(keys, new byte[0], -1));
                    return Optional.of(keep(normalized, keys));
                });
            }).thenCompose(f -> f);
        }));
    }

    /** Whether {@code address} waits for its certificate on this peer. */
    public boolean pending(String address) {
        return Files.exists(requestFile(AccountAddress.normalize(address)));
    }

    /** The pending request of {@code address}; empty when it is not pending here. */
    public Optional<CertificationRequest> request(String address) throws AccountException {
        Path file = requestFile(AccountAddress.normalize(address));
        try {
            return Files.exists(file) ? Optional.of(CertificationRequest.decode(Files.readAllBytes(file)))
                    : Optional.empty();
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.VAULT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every request pending on this peer (unreadable files are skipped: each is also read by its address). */
    public List<CertificationRequest> requests() throws AccountException {
        if (!Files.isDirectory(requests)) {
            return List.of();
        }
        List<CertificationRequest> pending = new ArrayList<>();
        try (Stream<Path> files = Files.list(requests)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(REQUEST_SUFFIX)).sorted()
                    .toList()) {
                try {
                    pending.add(CertificationRequest.decode(Files.readAllBytes(file)));
                } catch (IOException | AccountException e) {
                    LOG.warn("Skipping the unreadable certification request {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.VAULT, "cannot list " + requests + ": "
                    + e.getMessage(), e);
        }
        return pending;
    }

    /**
     * Verifies {@code certificate} (a certificate block's bytes, as {@code epost-admin certify-user} writes it) for
     * the pending keys of {@code address} ({@link CertificationRequest#acceptCertificate}) and stores it with them.
     * Fails with {@code NO_LOCAL_KEYS} when the address is not pending here.
     */
    public CompletableFuture<UserCertificate> install(String address, byte[] certificate) {
        return withAddress(address, normalized -> io(() -> vault.load(normalized)).thenCompose(entry -> {
            if (entry.isEmpty() || (entry.get().certificate().length > 0 && !pending(normalized))) {
                return failed(new AccountException(AccountException.Reason.NO_LOCAL_KEYS, "no certification request"
                        + " of " + normalized + " is pending on this peer"));
            }
            UserCertificate accepted;
            try {
                accepted = CertificationRequest.acceptCertificate(certificate, normalized, entry.get().keys(),
                        verifier);
            } catch (AccountException e) {
                return failed(e);
            }
            return io(() -> {
                vault.store(normalized, entry.get().withCertificate(accepted.block().encoded()));
                return accepted;
            });
        }));
    }

    /** The account of {@code address} is complete (provisioned): it is no longer pending. */
    public void finish(String address) throws IOException {
        Files.deleteIfExists(requestFile(AccountAddress.normalize(address)));
    }

    /** A pending user removed before it was certified: its keys and request go (nothing of it is in PAST). */
    public CompletableFuture<Void> abandon(String address) {
        return withAddress(address, normalized -> io(() -> {
            vault.delete(normalized);
            finish(normalized);
            return null;
        }));
    }

    /** The stored request if it is for {@code keys}, else a new one, stored. Blocking. */
    private CertificationRequest keep(String address, UserKeys keys) throws IOException, AccountException {
        Optional<CertificationRequest> stored = request(address);
        if (stored.isPresent() && stored.get().signingKey().equals(keys.signingPublicKey())) {
            return stored.get();
        }
        CertificationRequest request = CertificationRequest.sign(address, keys, clock.now());
        Files.createDirectories(requests);
        KeyVault.writeAtomically(requests, requestFile(address).getFileName().toString(), request.encoded(), true);
        return request;
    }

    private Path requestFile(String normalized) {
        String vaultName = vault.fileOf(normalized).getFileName().toString();
        return requests.resolve(vaultName.substring(0, vaultName.length() - KeyVault.ENTRY_SUFFIX.length())
                + REQUEST_SUFFIX);
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    private <T> CompletableFuture<T> io(Action<T> action) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return action.run();
            } catch (AccountException e) {
                throw new CompletionException(e);
            } catch (Exception e) {
                throw new CompletionException(new AccountException(AccountException.Reason.VAULT, e.getMessage(), e));
            }
        }, blockingIo);
    }
}
