package org.epost.post.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.AccountAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk {@link DelegateStore}: per notification a body file {@code <id>.box} (the sealed bytes as received) and
 * an index file {@code <id>.kept}, each written to a temporary file, forced and renamed into place, the directory
 * forced after (the index file last: its presence commits the entry). Only the index files are read at start, so a
 * restart costs a few hundred bytes of heap per notification whatever the bodies weigh. A body without its index (a
 * crash between the two) and an index without a matching body are removed with a warning; files of the first format
 * ({@code <id>.delegated}, body inside, no origin) are converted once, one at a time.
 *
 * <p>Index file: canonical CBOR {@code [version 1, id: bstr(20), since: int, recipient: tstr, size: uint,
 * origin: [] / [[id: bstr(20), address: tstr]]]}.
 */
final class DirectoryDelegateStore implements DelegateStore {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryDelegateStore.class);
    static final String BODY = ".box";
    static final String INDEX = ".kept";
    private static final String LEGACY = ".delegated";
    static final int VERSION = 1;
    private static final int LEGACY_VERSION = 1;
    private static final int MAX_INDEX_BYTES = 4096;
    private static final int MAX_ADDRESS_BYTES = 1024;
    /** Largest body a legacy file may hold. */
    private static final int MAX_LEGACY_BOX_BYTES = 16 * 1024 * 1024;
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
            (oversized, message, cause) -> new IllegalArgumentException("malformed delegated notification: "
                    + message, cause);
    private final Path directory;
    private final DelegateQuota quota;

    private DirectoryDelegateStore(Path directory, DelegateQuota quota) {
        this.directory = directory;
        this.quota = quota;
    }

    static DirectoryDelegateStore open(Path directory, DelegateQuota quota) throws IOException {
        DirectoryDelegateStore store = new DirectoryDelegateStore(directory, quota);
        store.load();
        return store;
    }

    @Override
    public synchronized void put(Entry entry, byte[] box) throws FullException {
        if (box.length != entry.size()) {
            throw new IllegalArgumentException("entry says " + entry.size() + " bytes, body has " + box.length);
        }
        if (!quota.admit(entry)) {
            return;
        }
        String name = entry.idHex();
        try {
            write(name + BODY, box);
            write(name + INDEX, encode(entry));
            force(directory);
        } catch (IOException e) {
            quota.release(entry.id());
            delete(name + INDEX);
            delete(name + BODY);
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Optional<byte[]> box(byte[] id) {
        if (!quota.contains(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(directory.resolve(HexFormat.of().formatHex(id) + BODY)));
        } catch (IOException e) {
            LOG.warn("Cannot read delegated notification {}: {}", HexFormat.of().formatHex(id), e.toString());
            return Optional.empty();
        }
    }

    @Override
    public synchronized void remove(byte[] id) {
        String name = HexFormat.of().formatHex(id);
        quota.release(id);
        try {
            Files.deleteIfExists(directory.resolve(name + INDEX));
            Files.deleteIfExists(directory.resolve(name + BODY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized List<Entry> index() {
        return quota.entries();
    }

    @Override
    public synchronized long usedBytes() {
        return quota.usedBytes();
    }

    private void load() throws IOException {
        Set<String> bodies = new HashSet<>();
        Set<String> indexed = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(BODY)) {
                    bodies.add(name.substring(0, name.length() - BODY.length()));
                } else if (name.endsWith(LEGACY)) {
                    convertLegacy(file).ifPresent(indexed::add);
                } else if (name.endsWith(INDEX)) {
                    loadIndex(file).ifPresent(indexed::add);
                }
            }
        }
        bodies.removeAll(indexed);
        for (String orphan : bodies) {
            LOG.warn("Delegated notification body {} without its index (interrupted write) removed", orphan);
            delete(orphan + BODY);
        }
    }

    /** Indexes one entry if its body is there in full; the name (id) indexed. */
    private Optional<String> loadIndex(Path file) throws IOException {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - INDEX.length());
        try {
            if (Files.size(file) > MAX_INDEX_BYTES) {
                throw new IllegalArgumentException("index file of " + Files.size(file) + " bytes");
            }
            Entry entry = read(Files.readAllBytes(file));
            long bodySize = Files.size(directory.resolve(id + BODY));
            if (!entry.idHex().equals(id) || bodySize != entry.size()) {
                throw new IllegalArgumentException("body of " + bodySize + " bytes for an entry of " + entry.size()
                        + " named " + entry.idHex());
            }
            quota.restore(entry);
            return Optional.of(id);
        } catch (RuntimeException | NoSuchFileException e) {
            LOG.warn("Unreadable delegated notification {} removed: {}", file, e.toString());
            delete(name);
            delete(id + BODY);
            return Optional.empty();
        }
    }

    /** A file of the first format (body inside the record, no origin) rewritten as body and index. */
    private Optional<String> convertLegacy(Path file) throws IOException {
        try {
            if (Files.size(file) > MAX_LEGACY_BOX_BYTES + 1024) {
                throw new IllegalArgumentException("legacy file of " + Files.size(file) + " bytes");
            }
            byte[][] box = new byte[1][];
            Entry entry = CborRecordReader.decodeCanonical(Files.readAllBytes(file), "delegated notification",
                    FAILURES, in -> {
                        in.beginRecord(LEGACY_VERSION, "delegated notification");
                        byte[] id = in.exactBytes("id", Notification.ID_BYTES);
                        long since = in.number();
                        String recipient = in.text(AccountAddress.MAX_BYTES);
                        box[0] = in.bytes(MAX_LEGACY_BOX_BYTES);
                        in.endArray();
                        return new Entry(id, recipient, since, null, box[0].length);
                    }, e -> CborRecordWriter.versioned(LEGACY_VERSION, 4, 64 + box[0].length).bytes(e.id())
                            .number(e.since()).text(e.recipient()).bytes(box[0]).end().toBytes());
            write(entry.idHex() + BODY, box[0]);
            write(entry.idHex() + INDEX, encode(entry));
            force(directory);
            Files.delete(file);
            quota.restore(entry);
            return Optional.of(entry.idHex());
        } catch (RuntimeException e) {
            LOG.warn("Unreadable delegated notification {} skipped: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private void write(String name, byte[] bytes) throws IOException {
        Path temporary = directory.resolve(name + ".tmp");
        ByteBuffer out = ByteBuffer.wrap(bytes);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.force(true);
        }
        Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forces a directory's entries (the renames) to disk, so that a crash after put() keeps them. */
    private static void force(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void delete(String name) {
        try {
            Files.deleteIfExists(directory.resolve(name));
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", directory.resolve(name), e.toString());
        }
    }

    static byte[] encode(Entry entry) {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 5, 256).bytes(entry.id()).number(entry.since())
                .text(entry.recipient()).number(entry.size());
        return out.optional(entry.origin(), origin -> out.array(2).bytes(origin.id().toBytes())
                .text(origin.address()).end()).end().toBytes();
    }

    /** The entry an index file holds; anything but its canonical encoding is an {@link IllegalArgumentException}. */
    static Entry read(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "delegated notification", FAILURES, in -> {
            in.beginRecord(VERSION, "delegated notification");
            byte[] id = in.exactBytes("id", Notification.ID_BYTES);
            long since = in.number();
            String recipient = in.text(AccountAddress.MAX_BYTES);
            int size = in.bounded("size", MAX_LEGACY_BOX_BYTES);
            NodeHandle origin = in.optional(o -> {
                o.beginArray();
                NodeHandle handle = new NodeHandle(Id.of(o.exactBytes("origin id", Id.BYTES)),
                        o.text(MAX_ADDRESS_BYTES));
                o.endArray();
                return handle;
            });
            in.endArray();
            return new Entry(id, recipient, since, origin, size);
        }, DirectoryDelegateStore::encode);
    }
}
