package org.epost.durability.glacier.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

/** Fragments in memory: for the simulator and tests. Every write is "durable" at once (there is no disk). */
public final class InMemoryFragmentStore implements FragmentStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Entry(FragmentMeta meta, byte[] encoded) {
    }

    private final Map<FragmentKey, Entry> entries = new ConcurrentSkipListMap<>(
        java.util.Comparator.comparing(FragmentKey::handle).thenComparingInt(FragmentKey::index));

    @Override
    public void put(FragmentKey key, FragmentMeta meta, byte[] encodedOrNull) {
        if (encodedOrNull == null) {
            Entry held = entries.get(key);
            if (held == null) {
                throw new FragmentStoreException("No fragment " + key + " to extend");
            }
            entries.put(key, new Entry(meta, held.encoded()));
        } else {
            entries.put(key, new Entry(meta, encodedOrNull.clone()));
        }
    }

    @Override
    public Optional<byte[]> read(FragmentKey key) {
        return Optional.ofNullable(entries.get(key)).map(entry -> entry.encoded().clone());
    }

    @Override
    public void remove(FragmentKey key) {
        entries.remove(key);
    }

    @Override
    public void forEachRecord(BiConsumer<FragmentKey, FragmentMeta> action) {
        entries.forEach((key, entry) -> action.accept(key, entry.meta()));
    }

    @Override
    public CompletableFuture<Void> whenDurable() {
        return DONE;
    }

    @Override
    public void close() {
        entries.clear();
    }
}
