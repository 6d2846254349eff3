package org.epost.spam.policy;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organization's block list, enforced by every peer, and the mail domains that discard mail from senders on it
 * ({@link OrganizationSpamPolicy}): a public-key block of the organization's user authority
 * (label {@value #LABEL}), so it is found from the authority's public key alone, and only the authority can write a
 * version a peer accepts (PAST checks the signature; the handle binds key and label; no rollback to older versions).
 *
 * <p>Each peer keeps the last list it verified and looks the block up again at most every {@code refreshMillis}, in
 * the background: {@link #get()} never waits on the ring. Until the first lookup answers, or when the ring has none,
 * the list is empty. Each lookup that finds the list also extends its lease by {@code leaseMillis}, so the list lives
 * as long as any peer enforces it.
 */
public final class OrganizationBlockList implements Supplier<BlockList> {
    public static final String LABEL = "epost/spam/organization-block-list";
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationBlockList.class);

    private final BlockKey key;
    private final Supplier<Optional<BlockService>> blocks;
    private final LongSupplier clockMillis;
    private final long refreshMillis;
    private final long leaseMillis;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile OrganizationSpamPolicy current = OrganizationSpamPolicy.EMPTY;
    private volatile long currentVersion = -1;
    private volatile long refreshedAt = Long.MIN_VALUE;

    /** @param blocks PAST, once this peer's POST services run (empty before) */
    public OrganizationBlockList(PublicKey authority, Supplier<Optional<BlockService>> blocks, LongSupplier clockMillis,
                                 long refreshMillis, long leaseMillis) {
        this.key = new BlockKey(PublicKeyBlock.handleFor(authority, LABEL), BlockKind.PUBLIC_KEY);
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        this.refreshMillis = refreshMillis;
        this.leaseMillis = leaseMillis;
    }

    @Override
    public BlockList get() {
        long now = clockMillis.getAsLong();
        boolean due = refreshedAt == Long.MIN_VALUE || now - refreshedAt >= refreshMillis;
        if (due && refreshing.compareAndSet(false, true)) {
            refresh().whenComplete((list, failure) -> refreshing.set(false));
        }
        return current.blocked();
    }

    /** The list and the discard domains as last verified; starts a lookup when one is due, as {@link #get()}. */
    public OrganizationSpamPolicy policy() {
        get();
        return current;
    }

    /** Looks the list up in PAST now; completes with the list this peer then enforces. */
    public CompletableFuture<BlockList> refresh() {
        return refreshPolicy().thenApply(OrganizationSpamPolicy::blocked);
    }

    /** Looks the block up in PAST now; completes with the list and discard domains this peer then enforces. */
    public CompletableFuture<OrganizationSpamPolicy> refreshPolicy() {
        Optional<BlockService> service = blocks.get();
        if (service.isEmpty()) {
            return CompletableFuture.completedFuture(current);
        }
        refreshedAt = clockMillis.getAsLong();
        return service.get().lookup(key).thenApply(found -> {
            found.ifPresent(block -> {
                accept(block);
                service.get().extendLease(key, clockMillis.getAsLong() + leaseMillis);
            });
            return current;
        }).exceptionally(failure -> {
            LOG.warn("Cannot look up the organization block list; keeping version {}: {}", currentVersion,
                failure.getMessage());
            return current;
        });
    }

    /**
     * Publishes the list {@code change} makes of the newest one in PAST, as the next version signed by
     * {@code authority}; completes with the published list.
     */
    public CompletableFuture<BlockList> publish(OrganizationUserAuthority authority, UnaryOperator<BlockList> change) {
        return publishPolicy(authority, policy -> policy.withBlocked(change.apply(policy.blocked())))
            .thenApply(OrganizationSpamPolicy::blocked);
    }

    /** As {@link #publish}, for a change of the list or of the discard domains. */
    public CompletableFuture<OrganizationSpamPolicy> publishPolicy(OrganizationUserAuthority authority,
                                                                   UnaryOperator<OrganizationSpamPolicy> change) {
        BlockService service = blocks.get().orElseThrow(() -> new IllegalStateException(
            "POST does not run on this peer: the organization block list cannot be published"));
        return service.lookup(key).thenCompose(found -> {
            found.ifPresent(this::accept);
            long version = currentVersion + 1;
            OrganizationSpamPolicy changed = change.apply(current);
            PublicKeyBlock block = authority.signBlock(LABEL, version, changed.encode());
            return service.insert(block, clockMillis.getAsLong() + leaseMillis).thenApply(result -> {
                if (!result.isSuccess()) {
                    throw new IllegalStateException("the organization block list v" + version + " was not stored: "
                        + result.status() + " " + result.detail());
                }
                accept(block);
                LOG.info("Published the organization block list v{}: {} entries, discarding for {}", version,
                    changed.blocked().entries().size(), changed.discardDomains());
                return changed;
            });
        });
    }

    public long version() {
        return currentVersion;
    }

    private synchronized void accept(Block block) {
        if (!(block instanceof PublicKeyBlock signed) || !signed.handle().equals(key.handle())
                || !LABEL.equals(signed.label())) {
            LOG.warn("Ignoring a block at the organization block list's handle that is not the authority's list");
            return;
        }
        if (signed.version() <= currentVersion) {
            return;
        }
        try {
            current = OrganizationSpamPolicy.decode(signed.payload());
            currentVersion = signed.version();
        } catch (SpamFormatException e) {
            LOG.warn("Ignoring the organization block list v{}: {}", signed.version(), e.getMessage());
        }
    }
}
