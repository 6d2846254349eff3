package org.epost.post.log;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.id.Id;

/** A {@link LogViewStore} in memory: for tests, and for peers that rebuild their views on every start. */
public final class InMemoryLogViewStore implements LogViewStore {
    private final Map<Id, byte[]> views = new ConcurrentHashMap<>();
    private final Map<Id, Long> versions = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> loadView(Id log) {
        return Optional.ofNullable(views.get(log)).map(byte[]::clone);
    }

    @Override
    public void saveView(Id log, byte[] sealedView) {
        views.put(log, sealedView.clone());
    }

    @Override
    public void deleteView(Id log) {
        views.remove(log);
    }

    @Override
    public long highestHeadVersion(Id log) {
        return versions.getOrDefault(log, -1L);
    }

    @Override
    public void recordHeadVersion(Id log, long version) {
        versions.merge(log, version, Math::max);
    }
}
