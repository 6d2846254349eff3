package org.epost.post.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.epost.overlay.api.NodeHandle;

/**
 * What a delegate keeps for others: sealed notifications (it cannot open them), each with its recipient, since when it
 * is kept and the sending peer it came from (a late refusal goes back there). Bounded by bytes: a notification that
 * would take the store over its quota, or one sending peer over its share ({@link DelegateQuota}), is refused with a
 * {@link FullException}. Only the index ({@link Entry}: no body) is meant to stay in memory; bodies are read back one at
 * a time with {@link #box}. {@link #inMemory} forgets everything on restart (tests, simulations);
 * {@link #directory} keeps bodies on disk ({@link DirectoryDelegateStore}).
 */
public interface DelegateStore {

    /**
     * One kept notification, without its body: what the delegate holds in memory. {@code origin} is null only for a
     * notification kept before origins were recorded (its sender cannot be told of a refusal).
     */
    record Entry(byte[] id, String recipient, long since, NodeHandle origin, int size) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(recipient, "recipient");
            if (id.length != Notification.ID_BYTES || size < 0) {
                throw new IllegalArgumentException("bad delegated notification entry");
            }
            id = id.clone();
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        public String idHex() {
            return HexFormat.of().formatHex(id);
        }
    }

    /** The store (or the sending peer's share of it) has no room for one more notification. */
    final class FullException extends Exception {
        private static final long serialVersionUID = 1L;

        public FullException(String message) {
            super(message);
        }
    }

    /**
     * Keeps {@code box} as {@code entry} describes it ({@code entry.size()} is its length); once this returns, it is
     * as durable as the store is (forced to disk for {@link #directory}). Keeping an id kept already changes nothing.
     */
    void put(Entry entry, byte[] box) throws FullException;

    /** The body of a kept notification; empty if it is not kept (or no longer readable). */
    Optional<byte[]> box(byte[] id);

    void remove(byte[] id);

    /** The index of everything kept (no bodies), for a restarted delegate. */
    List<Entry> index();

    /** Bytes of bodies kept now. */
    long usedBytes();

    static DelegateStore inMemory(long quotaBytes) {
        DelegateQuota quota = new DelegateQuota(quotaBytes);
        Map<String, byte[]> boxes = new LinkedHashMap<>();
        return new DelegateStore() {
            @Override
            public void put(Entry entry, byte[] box) throws FullException {
                if (quota.admit(entry)) {
                    boxes.put(entry.idHex(), box.clone());
                }
            }

            @Override
            public Optional<byte[]> box(byte[] id) {
                return Optional.ofNullable(boxes.get(HexFormat.of().formatHex(id))).map(byte[]::clone);
            }

            @Override
            public void remove(byte[] id) {
                quota.release(id);
                boxes.remove(HexFormat.of().formatHex(id));
            }

            @Override
            public List<Entry> index() {
                return quota.entries();
            }

            @Override
            public long usedBytes() {
                return quota.usedBytes();
            }
        };
    }

    /** Keeps bodies under {@code directory}, at most {@code quotaBytes} of them. */
    static DelegateStore directory(Path directory, long quotaBytes) throws IOException {
        Files.createDirectories(directory);
        return DirectoryDelegateStore.open(directory, new DelegateQuota(quotaBytes));
    }
}
