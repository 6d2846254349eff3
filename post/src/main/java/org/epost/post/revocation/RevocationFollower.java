package org.epost.post.revocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.time.Scheduler;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a peer's {@link Revocations} at the newest list its organization published: reads the list's block from
 * PAST every poll interval (and once at start), offers it, and keeps the block of the list it enforces in a file so
 * that a restarted peer enforces it before it can reach the ring. {@link #publish} takes a block the admin's tool
 * made, checks it and inserts it into PAST for every peer to read. Polling rather than a Scribe topic: one lookup per
 * peer per interval is cheap, and a peer that was down during a push still catches up at its next poll.
 */
public final class RevocationFollower {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationFollower.class);
    /** How long PAST keeps a published list: a year; each publication renews it. */
    static final long LEASE_MILLIS = 365L * 86_400_000L;

    private final BlockService blocks;
    private final PublicKey userCa;
    private final Revocations revocations;
    private final Scheduler scheduler;
    private final long pollMillis;
    private final Path saved;
    private volatile boolean stopped;
    private volatile long lastPolled = -1;

    /**
     * @param saved the file the enforced list's block is kept in ({@code <data>/revocations.block})
     */
    public RevocationFollower(BlockService blocks, PublicKey userCa, Revocations revocations, Scheduler scheduler,
                              long pollMillis, Path saved) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.userCa = Objects.requireNonNull(userCa, "userCa");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.saved = Objects.requireNonNull(saved, "saved");
        if (pollMillis < 1) {
            throw new IllegalArgumentException("the revocation poll interval must be positive: " + pollMillis);
        }
        this.pollMillis = pollMillis;
    }

    /** Enforces the saved list at once, then polls PAST now and every interval. */
    public void start() {
        enforceSaved();
        startPolling();
    }

    /** Enforces the list saved by an earlier run, if any: before the peer can reach the ring. */
    public void enforceSaved() {
        if (Files.exists(saved)) {
            try {
                offer(RevocationBlocks.verify(Files.readAllBytes(saved), userCa, scheduler), "saved");
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Cannot enforce the saved revocation list {}: {}", saved, e.getMessage());
            }
        }
    }

    /** Polls PAST now and every interval from now on (once the node is in a ring: before, lookups cannot succeed). */
    public void startPolling() {
        scheduler.schedule(0, this::pollAndReschedule);
    }

    public void stop() {
        stopped = true;
    }

    private void pollAndReschedule() {
        if (stopped) {
            return;
        }
        poll().whenComplete((outcome, failure) -> {
            lastPolled = scheduler.now();
            scheduler.schedule(pollMillis, this::pollAndReschedule);
        });
    }

    /** The organization's user CA key, which owns the list's block in PAST. */
    public PublicKey userCa() {
        return userCa;
    }

    public org.epost.overlay.time.Clock clock() {
        return scheduler;
    }

    /** The list enforced now, if any. */
    public java.util.Optional<RevocationList> current() {
        return revocations.current();
    }

    /** When PAST was last asked (millis), or -1 before the first poll: for the status route. */
    public long lastPolled() {
        return lastPolled;
    }

    /** Whether the enforced list is past the next update its authority promised (a new list is overdue). */
    public boolean stale() {
        return revocations.current().map(list -> list.nextUpdate().toEpochMilli() < scheduler.now()).orElse(false);
    }

    /** Reads the newest published list from PAST and offers it; answers what became of it (empty: none published). */
    public CompletableFuture<Revocations.Outcome> poll() {
        return blocks.lookup(RevocationBlocks.key(userCa)).thenApply(found -> {
            if (found.isEmpty()) {
                return null;
            }
            return offer(found.get(), "PAST");
        }).exceptionally(failure -> {
            LOG.warn("Cannot read the organization's revocation list from PAST: {}", failure.toString());
            return null;
        });
    }

    /**
     * Publishes the block {@code encoded} ({@code epost-admin revoke} wrote it): refused with an
     * {@link IllegalArgumentException} unless it is the organization's revocation block holding a list its authority
     * signed; otherwise enforced here and inserted into PAST, answering PAST's result.
     */
    public CompletableFuture<InsertResult> publish(byte[] encoded) {
        Block block = RevocationBlocks.verify(encoded, userCa, scheduler);
        if (offer(block, "upload") == Revocations.Outcome.NOT_SIGNED) {
            throw new IllegalArgumentException(RevocationBlocks.unwrap(block)
                + " is not signed by the organization authority");
        }
        return blocks.insert(block, scheduler.now() + LEASE_MILLIS);
    }

    private Revocations.Outcome offer(Block block, String source) {
        RevocationList list = RevocationBlocks.unwrap(block);
        Revocations.Outcome outcome = revocations.offer(list);
        if (outcome == Revocations.Outcome.ADOPTED) {
            LOG.info("Adopted {} from {}", list, source);
            save(block.encoded());
        }
        return outcome;
    }

    private void save(byte[] encoded) {
        try {
            Path temporary = saved.resolveSibling(saved.getFileName() + ".tmp");
            Files.write(temporary, encoded);
            Files.move(temporary, saved, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot save the enforced revocation list to {}: {}", saved, e.getMessage());
        }
    }
}
