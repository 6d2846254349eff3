package org.epost.durability.glacier;

import java.util.concurrent.CompletableFuture;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentFormatException;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.FragmentGet;
import org.epost.durability.glacier.messages.FragmentGetReply;
import org.epost.durability.glacier.messages.FragmentLeaseExtend;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.durability.glacier.messages.FragmentPutReply;
import org.epost.overlay.id.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holder's side: stores fragments put to it and serves them. Every fragment is decoded strictly and checked
 * against its own manifest before it is kept; a peer's garbage is refused, counted and logged, never stored.
 */
final class FragmentHolder {
    private static final Logger LOG = LoggerFactory.getLogger(FragmentHolder.class);
    static final String STORED = "STORED";
    static final String FULL = "FULL";
    static final String REJECTED = "REJECTED";
    private static final byte[] NONE = new byte[0];

    private final GlacierContext ctx;

    FragmentHolder(GlacierContext ctx) {
        this.ctx = ctx;
    }

    /** A put delivered under {@code key}: the position it was routed to, which must be the fragment's own. */
    void put(Id key, FragmentPut put) {
        byte[] encoded = put.fragment();
        String status;
        Fragment fragment = parse(encoded, put.sender().toString());
        if (fragment == null) {
            status = REJECTED;
        } else if (!key.equals(FragmentPlacement.position(fragment.manifest().objectHandle(), fragment.index(),
                fragment.manifest().n()))) {
            // A genuine fragment at another object's or index's position would shadow the one that belongs here.
            ctx.counters.forgedFragments++;
            LOG.warn("{}: {} from {} put at {}, not at its own position; refused", ctx.self, fragment, put.sender(),
                key);
            status = REJECTED;
        } else {
            // A lease is capped so that a hostile sender cannot pin a fragment forever; an expired one is useless.
            long expiry = Math.min(put.expiry(), ctx.scheduler.now() + ctx.config.maxLeaseMillis());
            if (expiry <= ctx.scheduler.now()) {
                status = REJECTED;
            } else {
                status = store(fragment, encoded, expiry) ? STORED : FULL;
                LOG.debug("{}: fragment {} of {} put by {}: {}", ctx.self, fragment.index(),
                    fragment.manifest().objectHandle(), put.sender(), status);
            }
        }
        FragmentPutReply reply = new FragmentPutReply(put.requestId(), status);
        if (!STORED.equals(status)) {
            ctx.send(put.sender(), reply, false);
            return;
        }
        // "Stored" only once it is: the sender may drop its own copy (a hand-off) when it hears it.
        CompletableFuture<Void> durable = ctx.local.store().whenDurable();
        if (durable.isDone() && !durable.isCompletedExceptionally()) {
            ctx.send(put.sender(), reply, false);
        } else {
            durable.whenComplete((done, failure) -> ctx.onNodeThread(() -> {
                if (failure == null) {
                    ctx.send(put.sender(), reply, false);
                } else {
                    LOG.error("{}: the fragment store cannot sync; {} not acknowledged", ctx.self, fragment, failure);
                }
            }));
        }
    }

    /**
     * A lease extension delivered under {@code key}, which must be the fragment's own position (else it is not for
     * this holder's fragment, and ignored). Capped like a put's lease; a fragment not held here is not created.
     * Answers whether the extension was delivered at its position (the pointer copy there may be extended too).
     */
    boolean extend(Id key, FragmentLeaseExtend extension) {
        int n = extension.n();
        if (n < 2 || n > 256 || extension.index() < 0 || extension.index() >= n
                || !key.equals(FragmentPlacement.position(extension.objectHandle(), extension.index(), n))) {
            LOG.warn("{}: lease extension of fragment {} of {} delivered at {}, not at its position; ignored",
                ctx.self, extension.index(), extension.objectHandle(), key);
            return false;
        }
        long expiry = Math.min(extension.expiry(), ctx.scheduler.now() + ctx.config.maxLeaseMillis());
        if (ctx.local.extend(extension.objectHandle(), extension.index(), expiry)) {
            ctx.counters.leasesExtended++;
        }
        return true;
    }

    /** Keeps a verified fragment; false when the quota is full. */
    boolean store(Fragment fragment, byte[] encoded, long expiry) {
        LocalFragments.PutResult result = ctx.local.put(fragment, encoded, expiry);
        if (result == LocalFragments.PutResult.STORED) {
            ctx.counters.fragmentsStored++;
        }
        return result != LocalFragments.PutResult.FULL;
    }

    void get(FragmentGet get) {
        long expiry = ctx.local.get(get.objectHandle(), get.index()).map(LocalFragments.Held::expiry).orElse(0L);
        byte[] bytes = expiry > ctx.scheduler.now() ? ctx.local.read(get.objectHandle(), get.index()).orElse(NONE)
            : NONE;
        ctx.send(get.sender(), new FragmentGetReply(get.requestId(), bytes, expiry), false);
    }

    /** The fragment in {@code encoded} if it is well formed and belongs to its manifest; else null (logged). */
    Fragment parse(byte[] encoded, String from) {
        try {
            Fragment fragment = Fragment.decode(encoded);
            if (fragment.isValid()) {
                return fragment;
            }
            LOG.warn("{}: fragment {} from {} does not match its manifest; refused", ctx.self, fragment, from);
        } catch (FragmentFormatException e) {
            LOG.warn("{}: malformed fragment from {} refused: {}", ctx.self, from, e.getMessage());
        }
        ctx.counters.forgedFragments++;
        return null;
    }
}
