package org.epost.overlay.past.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.past.protocol.messages.LeaseConfirm;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holders' own word on lease extensions, in batches. A client's extensions of one refresh round come a few at a
 * time; each holder to ask is sent one {@link LeaseCheck} for all the leases gathered for it within
 * {@link #GATHER_MILLIS} (or as soon as a batch is full: {@link LeaseCheck#MAX_LEASES} leases, about 30 KiB), so a
 * round costs one check and one confirmation per holder and batch, not per block. The holder extends what it holds
 * and answers, over its own authenticated link, the lease it now has on each. Both ends live here; node thread only.
 */
final class LeaseChecks {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);
    /** How long leases for one holder are gathered before its check goes out: leases are not urgent. */
    static final long GATHER_MILLIS = 200;

    private final PastContext ctx;
    private final Map<NodeHandle, Batch> open = new HashMap<>();

    LeaseChecks(PastContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Asks {@code holder} to hold {@code key} until at least {@code newExpiry}; {@code answer} gets the lease it then
     * holds the block under (0: not held, or no valid answer within the request timeout).
     */
    void confirm(NodeHandle holder, BlockKey key, long newExpiry, LongConsumer answer) {
        Batch batch = open.computeIfAbsent(holder, Batch::new);
        batch.leases.add(new LeaseCheck.Lease(key.handle(), key.kind().code(), newExpiry));
        batch.answers.add(answer);
        if (batch.leases.size() >= LeaseCheck.MAX_LEASES) {
            flush(batch);
        }
    }

    private void flush(Batch batch) {
        if (open.get(batch.holder) != batch) {
            return; // sent already, full, before its timer
        }
        open.remove(batch.holder);
        batch.timer.cancel();
        long id = ctx.nextId();
        ctx.expect(id, LeaseConfirm.class, batch.holder, reply -> {
            if (reply.leaseExpiries().size() != batch.answers.size()) {
                LOG.warn("{}: {} confirmed {} leases of the {} asked; taken as none", ctx.self, batch.holder,
                        reply.leaseExpiries().size(), batch.answers.size());
                batch.none();
                return;
            }
            for (int i = 0; i < batch.answers.size(); i++) {
                batch.answers.get(i).accept(reply.leaseExpiries().get(i));
            }
        }, batch::none);
        ctx.send(batch.holder, new LeaseCheck(id, ctx.self, batch.leases));
    }

    /** At a holder: extend each lease it can, then answer them all at once, once durable. */
    void answer(LeaseCheck check) {
        List<CompletableFuture<OptionalLong>> granted = new ArrayList<>(check.leases().size());
        for (LeaseCheck.Lease lease : check.leases()) {
            granted.add(ctx.extendHeldLease(lease.handle(), lease.kind(), lease.newExpiry()));
        }
        CompletableFuture<List<Long>> all = CompletableFuture.allOf(granted.toArray(CompletableFuture[]::new))
                .thenApply(done -> granted.stream().map(lease -> lease.join().orElse(0L)).toList());
        ctx.whenDurable(all, check.leases().size() + " leases checked by " + check.sender(),
                expiries -> ctx.send(check.sender(), new LeaseConfirm(check.requestId(), expiries)));
    }

    /** The leases gathered for one holder. */
    private final class Batch {
        final NodeHandle holder;
        final List<LeaseCheck.Lease> leases = new ArrayList<>();
        final List<LongConsumer> answers = new ArrayList<>();
        final Scheduler.Cancellable timer;

        Batch(NodeHandle holder) {
            this.holder = holder;
            this.timer = ctx.scheduler.schedule(GATHER_MILLIS, () -> flush(this));
        }

        void none() {
            answers.forEach(answer -> answer.accept(0));
        }
    }
}
