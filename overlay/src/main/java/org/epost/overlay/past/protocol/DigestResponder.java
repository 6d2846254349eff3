package org.epost.overlay.past.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.protocol.messages.DigestReply;
import org.epost.overlay.past.protocol.messages.ReplicaDigest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.StoredBlock;

/**
 * The answering side of {@link ReplicaMaintenance}: a peer lists what it believes we should hold; we answer what we
 * lack (it will push it) and push back the public-key versions we hold newer than its own.
 */
final class DigestResponder {
    private final PastContext ctx;
    private final LocalReplicas local;

    DigestResponder(PastContext ctx, LocalReplicas local) {
        this.ctx = ctx;
        this.local = local;
    }

    void answer(ReplicaDigest digest) {
        List<Id> missingHandles = new ArrayList<>();
        ByteArrayOutputStream missingKinds = new ByteArrayOutputStream();
        for (int i = 0; i < digest.handles().size(); i++) {
            BlockKey key = PastContext.blockKey(digest.handles().get(i), digest.kinds()[i]);
            if (key == null) {
                continue;
            }
            boolean missing;
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                Optional<StoredBlock> held = ctx.store.get(key);
                long offered = digest.versions().get(i);
                missing = held.isEmpty() || held.get().version() < offered;
                if (held.isPresent() && held.get().version() > offered) {
                    pushNewer(digest, key);
                }
            } else {
                missing = !ctx.store.contains(key);
            }
            if (missing) {
                missingHandles.add(key.handle());
                missingKinds.write(key.kind().code());
            }
        }
        // "Not missing" is a claim to hold: only once what this node holds is durable.
        ctx.whenDurable(ctx.store.synced(), "digest from " + digest.sender(), synced -> ctx.send(digest.sender(),
                new DigestReply(digest.requestId(), missingHandles, missingKinds.toByteArray())));
    }

    /** Our version is newer than the peer's: it gets ours (verified first), and nobody waits for its answer. */
    private void pushNewer(ReplicaDigest digest, BlockKey key) {
        local.servable(key).ifPresent(newer -> {
            ctx.counters.replicaPushed();
            long id = ctx.nextId();
            ctx.expectNothing(id, StoreReply.class, digest.sender());
            ctx.sendBulk(digest.sender(), new StoreRequest(id, ctx.self, key.handle(), newer.encoded(),
                    newer.leaseExpiry()));
        });
    }
}
