package org.epost.post.lease;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.blocks.BlockService;
import org.epost.post.store.PartStore;

/**
 * The home peer's side of {@link LeaseGuardian}: once per refresh round it publishes, for each user homed here, a
 * new version of the user's {@link LeaseMandate} (issued now): what the user's references amount to in blocks,
 * parts flattened into their top block and chunks, so the guardians get handles and never a part's key.
 */
public final class MandatePublisher {
    private final BlockService blocks;
    private final PartStore parts;

    public MandatePublisher(BlockService blocks, PartStore parts) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.parts = Objects.requireNonNull(parts, "parts");
    }

    /** The blocks {@code references} consist of (a chunked part's manifest is fetched to list its chunks). */
    public CompletableFuture<Set<BlockKey>> flatten(Collection<LeaseReference> references) {
        Set<BlockKey> keys = new LinkedHashSet<>();
        List<CompletableFuture<List<BlockKey>>> partKeys = new ArrayList<>();
        for (LeaseReference reference : references) {
            if (reference instanceof LeaseReference.OfBlock block) {
                keys.add(block.key());
            } else if (reference instanceof LeaseReference.OfPart part) {
                partKeys.add(parts.blockKeys(part.part()));
            }
        }
        return CompletableFuture.allOf(partKeys.toArray(CompletableFuture[]::new)).thenApply(v -> {
            partKeys.forEach(future -> keys.addAll(future.join()));
            return keys;
        });
    }

    /** Publishes {@code mandate} as the next version of the mandate block of {@code userSigning}'s holder. */
    public CompletableFuture<Long> publish(KeyPair userSigning, LeaseMandate mandate, long leaseExpiry) {
        BlockKey key = LeaseMandate.keyFor(userSigning.getPublic());
        return blocks.lookup(key).thenCompose(found -> {
            long version = found.filter(PublicKeyBlock.class::isInstance)
                    .map(block -> ((PublicKeyBlock) block).version() + 1).orElse(0L);
            return blocks.insert(mandate.sign(userSigning, version), leaseExpiry).thenApply(result -> {
                if (!result.isSuccess()) {
                    throw new CompletionException(new IllegalStateException("lease mandate v" + version + " of "
                            + mandate.address() + ": " + result.status() + " " + result.detail()));
                }
                return version;
            });
        });
    }
}
