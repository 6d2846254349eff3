package org.epost.post.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.time.Clock;
import org.epost.post.blocks.BlockService;
import org.epost.post.crypto.Signatures;

/**
 * Keeps a user's blocks alive while the user's home peer is down (issue #14): run by each of the k holders of the
 * user's {@link LeaseMandate} once per refresh interval. While the home republishes its mandate (every refresh
 * round) the guardian does nothing; once the mandate is older than {@code staleAfterMillis} (the home missed a
 * refresh or two) and until the mandate's {@code holdUntil}, it extends the lease of the mandate itself and of every
 * block it lists, exactly as the home would have. A home that comes back, or a new home after a re-home, republishes
 * and the guardians stand down; a user given up for good (grace over) gets no new mandate, so its blocks lapse one
 * lease after {@code holdUntil}.
 *
 * <p>No authority is needed: PAST lets any node extend a lease, and the mandate is signed by the user's key (PAST
 * verified the block), so a guardian only ever extends what the user's home asked for. Guardians see block handles
 * only (hashes of ciphertext), never contents or keys.
 */
public final class LeaseGuardian {
    /** What one guard round did. */
    public enum Outcome {
        /** No mandate at that key (never published, or already collected). */
        NO_MANDATE,
        /** The home republished recently: it refreshes its own leases. */
        HOME_ALIVE,
        /** The home is silent and the hold is over: the blocks are left to lapse. */
        HOLD_OVER,
        /** The home is silent: every listed block's lease was extended (see {@link Report#failed()}). */
        EXTENDED
    }

    public record Report(Outcome outcome, int extended, int failed, long newExpiry) {
    }

    /**
     * @param leaseMillis      the lease granted per extension (the home's {@code post.lease.duration})
     * @param staleAfterMillis how old a mandate must be before the guardian acts: more than the home's refresh
     *                         interval (the home republishes every round), e.g. twice it
     * @param maxInFlight      extensions in flight at once
     */
    public record Settings(long leaseMillis, long staleAfterMillis, int maxInFlight) {
        public Settings {
            if (leaseMillis <= 0 || staleAfterMillis <= 0 || staleAfterMillis >= leaseMillis || maxInFlight < 1) {
                throw new IllegalArgumentException("0 < staleAfter < lease and maxInFlight >= 1");
            }
        }

        /** From the home's lease settings: act after two missed refresh rounds. */
        public static Settings of(LeaseConfig config) {
            return new Settings(config.leaseMillis(), Math.min(2 * config.refreshIntervalMillis(),
                    config.leaseMillis() - 1), config.maxInFlight());
        }
    }

    private static final Id FIRST_ID = Id.fromHex("0".repeat(40));
    private static final Id LAST_ID = Id.fromHex("f".repeat(40));

    private final BlockService blocks;
    private final Clock clock;
    private final Settings settings;

    public LeaseGuardian(BlockService blocks, Clock clock, Settings settings) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** One guard round over the mandate at {@code mandateKey}. */
    public CompletableFuture<Report> guard(BlockKey mandateKey) {
        return blocks.lookup(mandateKey).thenCompose(found -> {
            Optional<LeaseMandate> mandate = found.flatMap(LeaseGuardian::mandateOf);
            long now = clock.now();
            if (mandate.isEmpty()) {
                return CompletableFuture.completedFuture(new Report(Outcome.NO_MANDATE, 0, 0, 0));
            }
            if (now - mandate.get().issuedAt() < settings.staleAfterMillis()) {
                return CompletableFuture.completedFuture(new Report(Outcome.HOME_ALIVE, 0, 0, 0));
            }
            if (now >= mandate.get().holdUntil()) {
                return CompletableFuture.completedFuture(new Report(Outcome.HOLD_OVER, 0, 0, 0));
            }
            long newExpiry = Math.min(now + settings.leaseMillis(), mandate.get().holdUntil());
            List<BlockKey> keys = new ArrayList<>(mandate.get().blocks());
            keys.add(mandateKey);
            return extendAll(keys, newExpiry);
        });
    }

    /**
     * The mandates among the blocks {@code store} holds (this node is one of their k holders, i.e. a guardian):
     * every public-key block with label {@value LeaseMandate#LABEL} that verifies. Reads the whole store's key list
     * (blocking I/O): not for the node thread.
     */
    public static List<BlockKey> mandatesIn(BlockStore store, Clock clock) {
        // Public-key blocks verify against their own key; the certificate authority is never consulted for them.
        BlockVerifier verifier = new BlockVerifier(Signatures.generateKeyPair().getPublic(), clock, BlockLimits.DEFAULT,
                0);
        List<BlockKey> publicKeyBlocks = new ArrayList<>();
        store.forEachInRange(FIRST_ID, LAST_ID, key -> {
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                publicKeyBlocks.add(key);
            }
        });
        List<BlockKey> mandates = new ArrayList<>();
        for (BlockKey key : publicKeyBlocks) {
            store.get(key).ifPresent(stored -> {
                Verification verification = verifier.verify(stored.encoded(), key);
                if (verification.isValid() && verification.block() instanceof PublicKeyBlock signed
                        && signed.label().equals(LeaseMandate.LABEL)) {
                    mandates.add(key);
                }
            });
        }
        return mandates;
    }

    private static Optional<LeaseMandate> mandateOf(Block block) {
        if (!(block instanceof PublicKeyBlock signed) || !signed.label().equals(LeaseMandate.LABEL)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LeaseMandate.decode(signed.payload()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Extends every key, at most {@code maxInFlight} at once; an extension no holder answered counts as failed. */
    private CompletableFuture<Report> extendAll(List<BlockKey> keys, long newExpiry) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger extended = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < Math.min(settings.maxInFlight(), keys.size()); lane++) {
            lanes.add(lane(keys, next, newExpiry, extended, failed));
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
                .thenApply(v -> new Report(Outcome.EXTENDED, extended.get(), failed.get(), newExpiry));
    }

    private CompletableFuture<Void> lane(List<BlockKey> keys, AtomicInteger next, long newExpiry,
                                         AtomicInteger extended, AtomicInteger failed) {
        int index = next.getAndIncrement();
        if (index >= keys.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return blocks.extendLease(keys.get(index), newExpiry).handle((holders, failure) -> {
            if (failure == null && holders != null && holders > 0) {
                extended.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            return null;
        }).thenCompose(v -> lane(keys, next, newExpiry, extended, failed));
    }
}
