package org.epost.spam.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block lists users publish and others follow: each one a public-key block under its publisher's certified signing
 * key (label {@link ListRef#label()}), versioned, the newest valid version winning.
 *
 * <p>A home peer keeps the last version it accepted of each list its users follow and looks it up again at most every
 * {@code refreshMillis}, in the background, so {@link #get} never waits on the ring. A version is accepted only when
 * the publisher's certificate (verified against the organization's user CA) certifies the key that signed it, the
 * payload names the same list, it is at most {@code maxBytes} long and decodes to at most
 * {@value BlockList#MAX_ENTRIES} entries, and it is newer than the one kept: a forged, oversized or stale version is
 * rejected and logged, and the list kept is still enforced. Each lookup that finds a list extends its lease, so a list
 * lives as long as someone follows it. A version its publisher withdrew ({@link #withdraw}) is accepted as any
 * other: the list then enforces nothing, and its status says so ({@value #WITHDRAWN}). At most {@value #MAX_CACHED}
 * lists are kept; one evicted is fetched again.
 */
public final class PublishedBlockLists {
    public static final int MAX_CACHED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(PublishedBlockLists.class);

    /** How often a list is looked up again, how long its lease is extended, and the largest payload accepted. */
    public record Settings(long refreshMillis, long leaseMillis, int maxBytes) {
        public Settings {
            if (refreshMillis < 0 || leaseMillis < 1 || maxBytes < 64) {
                throw new IllegalArgumentException("published list settings: refresh " + refreshMillis + " ms, lease "
                    + leaseMillis + " ms, at most " + maxBytes + " bytes");
            }
        }
    }

    /** The problem of a list its publisher withdrew (unpublished). */
    public static final String WITHDRAWN = "withdrawn by its publisher";

    /** What this peer holds of a list: the version accepted (-1: none yet), its entries, and the last problem. */
    public record Status(ListRef ref, long version, BlockList list, Optional<String> problem) {
    }

    private static final class Kept {
        final RefreshSchedule schedule = new RefreshSchedule();
        volatile BlockList list = BlockList.EMPTY;
        volatile long version = -1;
        volatile Optional<String> problem = Optional.of("not looked up yet");
    }

    private final Function<String, CompletableFuture<UserCertificate>> certificates;
    private final Supplier<Optional<BlockService>> blocks;
    private final LongSupplier clockMillis;
    private final Settings settings;
    private final ConcurrentHashMap<ListRef, Kept> kept = new ConcurrentHashMap<>();

    /**
     * @param certificates the verified certificate of an address (the accounts service's lookup)
     * @param blocks       PAST, once this peer's POST services run (empty before)
     */
    public PublishedBlockLists(Function<String, CompletableFuture<UserCertificate>> certificates,
                               Supplier<Optional<BlockService>> blocks, LongSupplier clockMillis, Settings settings) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The list as last accepted (empty before the first lookup answers); starts a lookup when one is due. */
    public BlockList get(ListRef ref) {
        Kept list = kept(ref);
        list.schedule.whenDue(clockMillis.getAsLong(), settings.refreshMillis(), () -> refresh(ref));
        return list.list;
    }

    public Status status(ListRef ref) {
        Kept list = kept(ref);
        return new Status(ref, list.version, list.list, list.problem);
    }

    /** Looks the list up in PAST now; completes with what this peer then holds of it (never fails). */
    public CompletableFuture<Status> refresh(ListRef ref) {
        Kept list = kept(ref);
        Optional<BlockService> service = blocks.get();
        if (service.isEmpty()) {
            return CompletableFuture.completedFuture(status(ref));
        }
        list.schedule.started(clockMillis.getAsLong());
        return certificates.apply(ref.publisher()).thenCompose(certificate -> {
            BlockKey key = keyOf(certificate.signingKey(), ref);
            return service.get().lookup(key).thenApply(found -> {
                if (found.isEmpty()) {
                    list.problem = list.version < 0 ? Optional.of("not published") : list.problem;
                } else if (accept(list, ref, found.get(), certificate)) {
                    service.get().extendLease(key, clockMillis.getAsLong() + settings.leaseMillis());
                }
                return status(ref);
            });
        }).exceptionally(failure -> {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            LOG.warn("Cannot look up the published block list {}; keeping version {}: {}", ref, list.version,
                cause.getMessage());
            list.problem = Optional.of("lookup failed: " + cause.getMessage());
            return status(ref);
        });
    }

    /**
     * Publishes {@code list} as the next version of {@code ref}, signed with the publisher's own key; completes with
     * the version stored.
     *
     * @throws IllegalArgumentException when the list is larger than the peers accept
     */
    public CompletableFuture<Long> publish(UserKeys publisher, ListRef ref, BlockList list) {
        return publish(publisher, new PublishedBlockList(ref, list));
    }

    /**
     * Unpublishes {@code ref}: publishes a withdrawn version (no entries), which followers' peers accept like any newer
     * version and then enforce nothing of the list; completes with the version stored.
     */
    public CompletableFuture<Long> withdraw(UserKeys publisher, ListRef ref) {
        return publish(publisher, PublishedBlockList.withdrawn(ref));
    }

    private CompletableFuture<Long> publish(UserKeys publisher, PublishedBlockList published) {
        ListRef ref = published.ref();
        BlockList list = published.list();
        BlockService service = blocks.get().orElseThrow(() -> new IllegalStateException(
            "POST does not run on this peer: the list " + ref + " cannot be published"));
        byte[] payload = published.encode();
        if (payload.length > settings.maxBytes()) {
            throw new IllegalArgumentException("the list " + ref + " is " + payload.length + " bytes encoded; peers"
                + " accept at most " + settings.maxBytes());
        }
        return SignedListBlocks.publishNext(service, publisher, ref.label(), settings.maxBytes(),
            clockMillis.getAsLong() + settings.leaseMillis(), current -> payload).thenApply(version -> {
                LOG.info("Published the block list {} v{}: {}", ref, version, published.withdrawn() ? "withdrawn"
                    : list.entries().size() + " entries");
                if (kept.containsKey(ref)) {
                    refresh(ref); // followers on this peer see the new version now, not after the refresh interval
                }
                return version;
            });
    }

    static BlockKey keyOf(java.security.PublicKey signingKey, ListRef ref) {
        return SignedListBlocks.keyOf(signingKey, ref.label());
    }

    private Kept kept(ListRef ref) {
        return RefreshSchedule.keep(kept, ref, MAX_CACHED, Kept::new);
    }

    /** Checks a found version against the publisher's certificate; true when it is the list's (even if not newer). */
    private boolean accept(Kept list, ListRef ref, Block block, UserCertificate certificate) {
        SignedListBlocks.Checked<PublishedBlockList> found = SignedListBlocks.check(block, certificate, ref.label(),
            settings.maxBytes(), PublishedBlockList::decode, decoded -> decoded.ref().equals(ref) ? Optional.empty()
                : Optional.of("its payload names the list " + decoded.ref()));
        if (found.rejection().isPresent()) {
            LOG.warn("Rejected the published block list {}: {}; keeping version {}", ref, found.rejection().get(),
                list.version);
            list.problem = Optional.of("rejected: " + found.rejection().get());
            return false;
        }
        synchronized (list) {
            if (found.version() < list.version) {
                LOG.warn("Ignored the stale version {} of the published block list {}: version {} is kept",
                    found.version(), ref, list.version);
                list.problem = Optional.of("stale version " + found.version() + " found");
                return true;
            }
            PublishedBlockList decoded = found.payload().orElseThrow();
            if (found.version() > list.version) {
                list.list = decoded.list();
                list.version = found.version();
                LOG.info("Accepted the published block list {} v{}: {}", ref, list.version, decoded.withdrawn()
                    ? "withdrawn by its publisher, no entries enforced" : list.list.entries().size() + " entries");
            }
            list.problem = decoded.withdrawn() ? Optional.of(WITHDRAWN) : Optional.empty();
        }
        return true;
    }
}
