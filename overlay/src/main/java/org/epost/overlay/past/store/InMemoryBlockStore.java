package org.epost.overlay.past.store;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.time.Clock;

/**
 * A block store in memory, for simulations of thousands of nodes in one JVM: same policy and contract as
 * {@link RocksDbBlockStore} (it shares {@link AbstractBlockStore}), but "durable" only for the life of the object,
 * and expiry collection scans every entry.
 *
 * <p>Thread-safety: each entry is one immutable value in a concurrent map, replaced whole, so reads see bytes and
 * metadata together; mutations are serialized by the policy lock.
 */
public final class InMemoryBlockStore extends AbstractBlockStore {
    private static final class Entry {
        final EntryMeta meta;
        final byte[] encoded;

        Entry(EntryMeta meta, byte[] encoded) {
            this.meta = meta;
            this.encoded = encoded;
        }
    }

    private final ConcurrentSkipListMap<BlockKey, Entry> entries = new ConcurrentSkipListMap<>();

    public InMemoryBlockStore(BlockVerifier verifier, Clock clock, StoreConfig config) {
        super(verifier, clock, config);
        initializeUsage(0);
    }

    @Override
    Optional<EntryMeta> readMeta(BlockKey key) {
        return Optional.ofNullable(entries.get(key)).map(entry -> entry.meta);
    }

    @Override
    Optional<StoredBlock> readEntry(BlockKey key) {
        return Optional.ofNullable(entries.get(key))
                .map(entry -> new StoredBlock(key, entry.encoded.clone(), entry.meta.version(),
                        entry.meta.leaseExpiry()));
    }

    @Override
    void write(BlockKey key, EntryMeta meta, byte[] encodedOrNull, Optional<EntryMeta> previous,
               long usedBytesAfter) {
        byte[] encoded = encodedOrNull != null ? encodedOrNull : entries.get(key).encoded;
        entries.put(key, new Entry(meta, encoded));
    }

    @Override
    void remove(List<BlockKey> keys, List<EntryMeta> metas, long usedBytesAfter) {
        keys.forEach(entries::remove);
    }

    @Override
    List<BlockKey> leasesEndingBefore(long cutoff, int max) {
        return entries.entrySet().stream()
                .filter(entry -> entry.getValue().meta.leaseExpiry() < cutoff)
                .sorted(Comparator.comparingLong((Map.Entry<BlockKey, Entry> entry) -> entry.getValue().meta
                        .leaseExpiry()).thenComparing(Map.Entry::getKey))
                .limit(max)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    @Override
    void forEachBetween(Id fromInclusive, Id toInclusive, Consumer<BlockKey> action) {
        BlockKey first = new BlockKey(fromInclusive, BlockKind.values()[0]);
        BlockKind[] kinds = BlockKind.values();
        BlockKey last = new BlockKey(toInclusive, kinds[kinds.length - 1]);
        // A copy of the keys, so the action may change the store while we go.
        List.copyOf(entries.subMap(first, true, last, true).keySet()).forEach(action);
    }

    @Override
    public void close() {
        entries.clear();
    }
}
