package org.epost.overlay.past.protocol;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.HoldConfirm;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.StoreResult;
import org.epost.overlay.past.store.StoredBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a replica holder: what it stores when asked, and what it hands out. Every copy is verified before it
 * leaves the node; one that fails is dropped and, if this node should hold it, fetched again from the other holders.
 * The other protocols read local copies only through {@link #servable}, so none can serve a bad one.
 */
final class LocalReplicas {
    /** Logged under Past's name, as before PAST was split into protocols: log settings keep applying. */
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    private final PastContext ctx;

    LocalReplicas(PastContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The stored copy of {@code key} if it verifies. A copy that does not (corrupted on disk, tampered) is logged,
     * deleted and reported missing, so that a reader or a peer's maintenance re-creates it.
     */
    Optional<StoredBlock> servable(BlockKey key) {
        Optional<StoredBlock> held = ctx.store.get(key);
        return held.isEmpty() ? held : checked(key, held.get(), ctx.verifier.verify(held.get().encoded(), key));
    }

    /**
     * As {@link #servable(BlockKey)}, verifying off the node thread ({@link PastContext#verifyElsewhere}); {@code then}
     * gets the answer on the node thread. For answers sent back to another node, where nothing waits synchronously.
     */
    void servable(BlockKey key, Consumer<Optional<StoredBlock>> then) {
        Optional<StoredBlock> held = key == null ? Optional.empty() : ctx.store.get(key);
        if (held.isEmpty()) {
            then.accept(held);
            return;
        }
        byte[] encoded = held.get().encoded();
        ctx.scheduler.offload().run(encoded.length, () -> ctx.verifier.verify(encoded, key),
                verification -> then.accept(checked(key, held.get(), verification)));
    }

    private Optional<StoredBlock> checked(BlockKey key, StoredBlock held, Verification verification) {
        if (verification.isValid()) {
            return Optional.of(held);
        }
        ctx.counters.badReplicas(1);
        LOG.warn("{}: stored copy of {} fails verification ({}); dropped, to be repaired from another replica",
                ctx.self, key, PastContext.rejection(verification));
        // only the copy found bad: while it was checked off the node thread a good one may have replaced it
        if (ctx.store.get(key).filter(now -> Arrays.equals(now.encoded(), held.encoded())).isPresent()) {
            ctx.store.delete(key);
        }
        if (ctx.replicaSet(key.handle()).contains(ctx.self)) {
            fetchOwnCopy(key);
        }
        return Optional.empty();
    }

    /** A holder (or a reader) asks for our copy: the verified bytes, or none. */
    void answerFetch(FetchRequest request) {
        servable(PastContext.blockKey(request.handle(), request.kind()), held ->
                ctx.send(request.sender(), new FetchReply(request.requestId(),
                        held.map(StoredBlock::encoded).orElse(PastContext.NONE),
                        held.map(StoredBlock::leaseExpiry).orElse(0L))));
    }

    /**
     * A client checks that this node durably holds exactly the block it inserted (its root claimed so): if the copy
     * held has the SHA-256 the client names, its lease is extended to the client's and the answer sent once that is
     * durable; else it answers 0 and the client sends the block. The copy is not verified again here: it was when
     * stored, and maintenance audits it. A content-hash copy is not even hashed: its handle already names its bytes.
     */
    void answerHoldCheck(HoldCheck check) {
        BlockKey key = PastContext.blockKey(check.handle(), check.kind());
        Optional<StoredBlock> held = key == null ? Optional.empty() : ctx.store.get(key);
        if (held.isEmpty()) {
            ctx.send(check.sender(), new HoldConfirm(check.requestId(), 0));
            return;
        }
        if (key.kind() == BlockKind.CONTENT_HASH) {
            // Its handle is the hash of its content and its encoding the one canonical framing of that content (the
            // store verified both): a copy held under this handle is the client's block, no need to hash it again.
            confirmHold(check, key);
            return;
        }
        byte[] encoded = held.get().encoded();
        ctx.scheduler.offload().run(encoded.length, () -> Arrays.equals(PastContext.sha256(encoded), check.digest()),
                same -> {
                    if (same) {
                        confirmHold(check, key);
                    } else {
                        ctx.send(check.sender(), new HoldConfirm(check.requestId(), 0));
                    }
                });
    }

    /** Extends the lease on the held copy to the client's and answers once that is durable. */
    private void confirmHold(HoldCheck check, BlockKey key) {
        ctx.whenDurable(ctx.store.extendLeaseAsync(key, check.leaseExpiry()), "lease of " + key,
                granted -> ctx.send(check.sender(), new HoldConfirm(check.requestId(), granted.orElse(0L))));
    }

    /** A replica holder asked to store a block (insert, repair, maintenance or hand-off). */
    void store(StoreRequest request) {
        ctx.admission.admit(request.sender().id(), request.block().length, "replica of " + request.handle(),
                () -> ctx.verifyThenStore(request.block(), request.handle(),
                        verification -> store(request, verification)),
                busy -> ctx.send(request.sender(), new StoreReply(request.requestId(),
                        StoreResult.Status.FULL.name(), busy, 0)));
    }

    private CompletableFuture<StoreResult> store(StoreRequest request, Verification verification) {
        BlockKey hinted = PastContext.kindHint(request.handle(), request.block());
        if (hinted != null && ctx.store.contains(hinted)) {
            // Audit the copy we hold first: the store keeps a held content-hash copy and only extends its lease,
            // which would leave a corrupted copy in place.
            ctx.store.get(hinted).ifPresent(held -> {
                if (!ctx.verifier.verify(held.encoded(), hinted).isValid()) {
                    ctx.counters.badReplicas(1);
                    LOG.warn("{}: held copy of {} fails verification; replacing it with the one {} sent", ctx.self,
                            hinted, request.sender());
                    ctx.store.delete(hinted);
                }
            });
        }
        CompletableFuture<StoreResult> durable = ctx.store.putVerifiedAsync(verification, request.leaseExpiry());
        ctx.whenDurable(durable, "replica of " + request.handle(), result -> ctx.send(request.sender(),
                        new StoreReply(request.requestId(), result.status().name(),
                                result.reason().map(Enum::name).orElse("")
                                        + (result.detail().isEmpty() ? "" : " " + result.detail()),
                                result.isStored() ? result.leaseExpiry() : 0)));
        return durable;
    }

    /** After dropping a bad copy we should hold: ask the other replica holders for a good one and store it. */
    private void fetchOwnCopy(BlockKey key) {
        boolean[] done = {false};
        for (NodeHandle holder : ctx.replicaSet(key.handle())) {
            if (holder.equals(ctx.self)) {
                continue;
            }
            long id = ctx.nextId();
            ctx.expect(id, FetchReply.class, holder, answer -> {
                if (done[0] || answer.block().length == 0) {
                    return;
                }
                // The store verifies it; a bad copy from this holder is simply refused, another may answer.
                ctx.whenDurable(ctx.store.putAsync(key.handle(), answer.block(), answer.leaseExpiry()),
                        "re-fetched copy of " + key, result -> {
                            if (result.isStored() && !done[0]) {
                                done[0] = true;
                                LOG.info("{}: re-fetched a good copy of {} from {}", ctx.self, key, holder);
                            }
                        });
            }, () -> { });
            ctx.send(holder, new FetchRequest(id, ctx.self, key.handle(), key.kind().code()));
        }
    }
}
