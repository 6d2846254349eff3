package org.epost.durability.glacier;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.durability.glacier.messages.FragmentPutReply;
import org.epost.overlay.id.Id;

/**
 * Archiving an object: codes it with the node's parameters and routes fragment i to its position with the lease;
 * completes with how many holders answered STORED once every put is answered or timed out. Fragments a holder did
 * not take are left to the audits, which regenerate them.
 */
final class Archiver {
    private final GlacierContext ctx;

    Archiver(GlacierContext ctx) {
        this.ctx = ctx;
    }

    void archive(Id handle, int kindCode, byte[] object, long expiry, CompletableFuture<Integer> result) {
        List<Fragment> fragments = FragmentCoder.encode(handle, kindCode, object, ctx.config.code().n(),
            ctx.config.code().m());
        int[] stored = {0};
        int[] open = {fragments.size()};
        Runnable done = () -> {
            if (--open[0] == 0) {
                result.complete(stored[0]);
            }
        };
        for (Fragment fragment : fragments) {
            long id = ctx.nextId();
            ctx.expect(id, FragmentPutReply.class, reply -> {
                if (FragmentHolder.STORED.equals(reply.status())) {
                    stored[0]++;
                }
                done.run();
            }, done);
            Id position = FragmentPlacement.position(handle, fragment.index(), fragment.manifest().n());
            ctx.route(position, new FragmentPut(id, ctx.self, fragment.encode(), expiry), false);
        }
    }
}
