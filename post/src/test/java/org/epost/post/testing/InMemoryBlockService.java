package org.epost.post.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.post.blocks.BlockService;

/**
 * The one in-memory {@link BlockService} of the tests: PAST collapsed into a map, with the rules a PAST store applies
 * to each block kind, counters, and hooks to misbehave.
 *
 * <p><b>Rules</b> (those of {@code AbstractBlockStore.put}). A {@link Block} can only be built valid (the kinds'
 * factories or the verifier), so what PAST verifies before storing (content hash, handle, signature) holds for every
 * block offered here; what is left are the per-kind rules against the block held under the same key:
 * <ul>
 *   <li>content-hash: the same handle is the same content, so inserting it again only extends its lease;</li>
 *   <li>public-key: a lower version than the held one is {@link InsertResult.Status#STALE STALE}; other bytes at the
 *       held version are {@link InsertResult.Status#REJECTED REJECTED} ({@link RejectionReason#EQUIVOCATION}); the
 *       same bytes extend the lease; a higher version replaces it;</li>
 *   <li>certificate: the same bytes extend the lease; another certificate is REJECTED
 *       ({@link RejectionReason#CERTIFICATE_CONFLICT}) while the held one is valid at {@link #clock(LongSupplier)}
 *       (plus {@link StoreConfig#DEFAULT_CLOCK_SKEW_MILLIS}), and replaces it after.</li>
 * </ul>
 * {@code InMemoryBlockServiceTest} holds these answers to those of overlay's {@code InMemoryBlockStore}.
 * A successful insert answers {@link #replicas(int) replicas} holders (PAST's k = 3 unless set); a lease extension
 * answers as many for a held block and 0 for a missing one, unless {@link #holders(BlockKey, int)} says otherwise.
 * Leases are recorded ({@link #leaseExpiry}), as the maximum asked for, but never enforced or expired.
 *
 * <p><b>Faults.</b> {@link #substitute} serves another block for a key and {@link #plant} holds one under a key it does
 * not belong to, both unverified, as a faulty or malicious holder would and PAST's readers would not: for the tests
 * of POST's own checks. {@link #remove} loses a block. {@link #failNext}, {@link #fail(Op, Throwable)} and
 * {@link #fail(Op, BlockKey, Throwable)} make operations complete exceptionally; {@link #answerInserts} scripts
 * insert results (a block answered so is not stored).
 *
 * <p><b>Timing.</b> Answers are immediate by default. {@link #deferAnswers} hands each answer to the test's scheduler
 * (e.g. {@code answer -> scheduler.schedule(100, answer)}), {@link #holdAnswers()} keeps them until the test calls
 * {@link #completeNext()} or {@link #drain()}. An answer is worked out when it is delivered, and the operations
 * between call and answer are counted in {@link #inFlight()} and {@link #maxInFlight()}.
 *
 * <p>Thread-safe: every state change is under this object's lock; futures complete outside it.
 */
public final class InMemoryBlockService implements BlockService {
    /** The three operations of a {@link BlockService}. */
    public enum Op { INSERT, LOOKUP, EXTEND_LEASE }

    /** Delivers an answer: runs it now, or later (on a scheduler, from a queue). */
    @FunctionalInterface
    public interface Deferral {
        void defer(Runnable answer);
    }

    private static final Deferral IMMEDIATE = Runnable::run;

    private final Map<BlockKey, Block> blocks = new HashMap<>();
    private final Map<BlockKey, Long> leases = new HashMap<>();
    private final Map<BlockKey, Block> substitutes = new HashMap<>();
    private final Map<BlockKey, Integer> holderCounts = new HashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<BlockKey> insertedKeys = new ArrayList<>();
    private final List<BlockKey> extendedKeys = new ArrayList<>();
    private final Map<BlockKey, Long> lookupsByKey = new HashMap<>();
    private final Deque<Runnable> heldAnswers = new ArrayDeque<>();
    private long lookups;
    private Function<Block, InsertResult> insertAnswer = block -> null;
    private Deferral deferral = IMMEDIATE;
    private int inFlight;
    private int maxInFlight;
    private int replicas = 3;
    private LongSupplier clock = System::currentTimeMillis;

    private static final class Fault {
        final Op op;
        final BlockKey key; // null: any key
        final Throwable failure;
        int remaining;

        Fault(Op op, BlockKey key, Throwable failure, int remaining) {
            this.op = op;
            this.key = key;
            this.failure = failure;
            this.remaining = remaining;
        }
    }

    // ================================================================ BlockService

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        Throwable failure;
        synchronized (this) {
            insertedKeys.add(block.key());
            failure = takeFault(Op.INSERT, block.key());
        }
        return answer(failure, () -> {
            InsertResult scripted = insertAnswer.apply(block);
            return scripted != null ? scripted : store(block, leaseExpiryMillis);
        });
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        Throwable failure;
        synchronized (this) {
            lookups++;
            lookupsByKey.merge(key, 1L, Long::sum);
            failure = takeFault(Op.LOOKUP, key);
        }
        return answer(failure, () -> {
            Block substitute = substitutes.get(key);
            return Optional.ofNullable(substitute != null ? substitute : blocks.get(key));
        });
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        Throwable failure;
        synchronized (this) {
            extendedKeys.add(key);
            failure = takeFault(Op.EXTEND_LEASE, key);
        }
        return answer(failure, () -> {
            int holders = holderCounts.getOrDefault(key, blocks.containsKey(key) ? replicas : 0);
            if (holders > 0) {
                leases.merge(key, newExpiryMillis, Math::max);
            }
            return holders;
        });
    }

    private InsertResult store(Block offered, long leaseExpiryMillis) {
        BlockKey key = offered.key();
        Block held = blocks.get(key);
        if (held instanceof PublicKeyBlock heldHead && offered instanceof PublicKeyBlock offeredHead) {
            if (offeredHead.version() < heldHead.version()) {
                return result(InsertResult.Status.STALE, RejectionReason.STALE_VERSION + ": v" + offeredHead.version()
                    + " offered, v" + heldHead.version() + " held");
            }
            if (offeredHead.version() == heldHead.version() && !sameBytes(held, offered)) {
                return result(InsertResult.Status.REJECTED, RejectionReason.EQUIVOCATION
                    + ": other bytes for held version " + heldHead.version());
            }
        }
        if (held instanceof CertificateBlock heldCertificate && offered instanceof CertificateBlock
                && !sameBytes(held, offered)
                && !heldCertificate.isExpiredAt(clock.getAsLong(), StoreConfig.DEFAULT_CLOCK_SKEW_MILLIS)) {
            return result(InsertResult.Status.REJECTED, RejectionReason.CERTIFICATE_CONFLICT
                + ": held certificate is valid until " + heldCertificate.notAfter());
        }
        blocks.put(key, offered);
        leases.merge(key, leaseExpiryMillis, Math::max);
        List<NodeHandle> holders = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            holders.add(new NodeHandle(Id.hash("replica-" + i), "replica-" + i));
        }
        return new InsertResult(InsertResult.Status.SUCCESS, "", holders);
    }

    private static boolean sameBytes(Block a, Block b) {
        return Arrays.equals(a.encoded(), b.encoded());
    }

    /** An insert result with no holders, e.g. for {@link #answerInserts}. */
    public static InsertResult result(InsertResult.Status status, String detail) {
        return new InsertResult(status, detail, List.of());
    }

    private Throwable takeFault(Op op, BlockKey key) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
            Fault fault = it.next();
            if (fault.op == op && (fault.key == null || fault.key.equals(key))) {
                if (--fault.remaining == 0) {
                    it.remove();
                }
                return fault.failure;
            }
        }
        return null;
    }

    private <T> CompletableFuture<T> answer(Throwable failure, Supplier<T> outcome) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Deferral via;
        synchronized (this) {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            via = deferral;
        }
        Runnable deliver = () -> {
            T value = null;
            RuntimeException thrown = null;
            synchronized (this) {
                inFlight--;
                if (failure == null) {
                    try {
                        value = outcome.get();
                    } catch (RuntimeException e) {
                        thrown = e;
                    }
                }
            }
            if (failure != null) {
                future.completeExceptionally(failure);
            } else if (thrown != null) {
                future.completeExceptionally(thrown);
            } else {
                future.complete(value);
            }
        };
        via.defer(deliver);
        return future;
    }

    // ================================================================ configuration

    /** How many holders a successful insert and a held block's lease extension answer (default 3, PAST's k). */
    public synchronized InMemoryBlockService replicas(int count) {
        this.replicas = count;
        return this;
    }

    /** The clock that decides whether a held certificate still blocks another one (default: the system's). */
    public synchronized InMemoryBlockService clock(LongSupplier now) {
        this.clock = now;
        return this;
    }

    /** From now on, lease extensions of {@code key} answer {@code count} holders (0: no holder has it). */
    public synchronized void holders(BlockKey key, int count) {
        holderCounts.put(key, count);
    }

    // ================================================================ faults

    /** Serves {@code block} for {@code key}, whatever is held, until {@link #clearSubstitutes()}: unverified. */
    public synchronized void substitute(BlockKey key, Block block) {
        substitutes.put(key, block);
    }

    public synchronized void clearSubstitutes() {
        substitutes.clear();
    }

    /** Holds {@code block} under {@code key} as if stored there, skipping the rules and verification. */
    public synchronized void plant(BlockKey key, Block block) {
        blocks.put(key, block);
    }

    /** Loses the block held under {@code key} (every replica of it). */
    public synchronized void remove(BlockKey key) {
        blocks.remove(key);
        leases.remove(key);
    }

    /** Loses every held block. */
    public synchronized void clear() {
        blocks.clear();
        leases.clear();
    }

    /**
     * Scripts inserts: a non-null answer of {@code answer} for a block is returned instead of storing it; null stores
     * it by the rules.
     */
    public synchronized void answerInserts(Function<Block, InsertResult> answer) {
        this.insertAnswer = answer;
    }

    /** The next {@code count} operations {@code op} complete exceptionally with {@code failure}. */
    public synchronized void failNext(Op op, int count, Throwable failure) {
        if (count > 0) {
            faults.add(new Fault(op, null, failure, count));
        }
    }

    /** Every operation {@code op} completes exceptionally with {@code failure}, until {@link #heal()}. */
    public synchronized void fail(Op op, Throwable failure) {
        faults.add(new Fault(op, null, failure, -1));
    }

    /** Every operation {@code op} on {@code key} completes exceptionally with {@code failure}, until {@link #heal()}. */
    public synchronized void fail(Op op, BlockKey key, Throwable failure) {
        faults.add(new Fault(op, key, failure, -1));
    }

    /** Drops every failure {@link #failNext}/{@link #fail} set up and the insert script. */
    public synchronized void heal() {
        faults.clear();
        insertAnswer = block -> null;
    }

    // ================================================================ timing

    /** Delivers each answer through {@code deferral} from now on (e.g. on a simulated scheduler, after a delay). */
    public synchronized void deferAnswers(Deferral deferral) {
        this.deferral = deferral;
    }

    /** Keeps every answer from now on until the test delivers it ({@link #completeNext()}, {@link #drain()}). */
    public synchronized void holdAnswers() {
        this.deferral = answer -> {
            synchronized (this) {
                heldAnswers.add(answer);
            }
        };
    }

    /** Answers immediately again; held answers stay held until drained. */
    public synchronized void answerImmediately() {
        this.deferral = IMMEDIATE;
    }

    /** How many answers {@link #holdAnswers()} keeps. */
    public synchronized int pending() {
        return heldAnswers.size();
    }

    /** Delivers the oldest held answer; false if there was none. */
    public boolean completeNext() {
        Runnable next;
        synchronized (this) {
            next = heldAnswers.poll();
        }
        if (next == null) {
            return false;
        }
        next.run();
        return true;
    }

    /** Delivers held answers, oldest first, until none is left (including those the deliveries lead to). */
    public void drain() {
        while (completeNext()) {
            // next
        }
    }

    /** Operations called and not answered yet. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** The most operations ever in flight at once (since the last {@link #resetCounters()}). */
    public synchronized int maxInFlight() {
        return maxInFlight;
    }

    // ================================================================ counters and contents

    public synchronized long inserts() {
        return insertedKeys.size();
    }

    /** The key of every insert, in call order (with repeats, whatever the outcome). */
    public synchronized List<BlockKey> insertedKeys() {
        return List.copyOf(insertedKeys);
    }

    public synchronized long lookups() {
        return lookups;
    }

    public synchronized long lookups(BlockKey key) {
        return lookupsByKey.getOrDefault(key, 0L);
    }

    public synchronized long extensions() {
        return extendedKeys.size();
    }

    /** The key of every lease extension, in call order (with repeats, whatever the outcome). */
    public synchronized List<BlockKey> extendedKeys() {
        return List.copyOf(extendedKeys);
    }

    /** Zeroes the counters above; {@link #maxInFlight()} starts again from what is in flight now. */
    public synchronized void resetCounters() {
        insertedKeys.clear();
        extendedKeys.clear();
        lookupsByKey.clear();
        lookups = 0;
        maxInFlight = inFlight;
    }

    /** The block held under {@code key} (not a substitute). */
    public synchronized Optional<Block> block(BlockKey key) {
        return Optional.ofNullable(blocks.get(key));
    }

    public synchronized boolean holds(BlockKey key) {
        return blocks.containsKey(key);
    }

    /** The keys of the held blocks. */
    public synchronized Set<BlockKey> keys() {
        return Set.copyOf(blocks.keySet());
    }

    /** How many blocks are held. */
    public synchronized int size() {
        return blocks.size();
    }

    /** The encoded bytes of every held block. */
    public synchronized long storedBytes() {
        return blocks.values().stream().mapToLong(Block::encodedLength).sum();
    }

    /** The latest lease expiry asked for {@code key} by a successful insert or extension. */
    public synchronized OptionalLong leaseExpiry(BlockKey key) {
        Long lease = leases.get(key);
        return lease == null ? OptionalLong.empty() : OptionalLong.of(lease);
    }
}
