package org.epost.post.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.AccountAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a delegate keeps for others: sealed notifications (it cannot open them) with their recipient and since when
 * they are kept. {@link #inMemory()} forgets them on restart; {@link #directory(Path)} keeps one file per
 * notification, written to a temporary file, forced to disk and renamed into place, so that a crash leaves either the
 * whole entry or none; unreadable files are skipped with a warning when loading. A file holds canonical CBOR (the
 * project's record convention): {@code [version 1, id: bstr(20), since: int, recipient: tstr, box: bstr]}.
 */
public interface DelegateStore {

    /** One kept notification. */
    record Entry(byte[] id, String recipient, byte[] box, long since) {
    }

    void put(Entry entry);

    void remove(byte[] id);

    /** Everything kept, for a restarted delegate. */
    List<Entry> loadAll();

    static DelegateStore inMemory() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        return new DelegateStore() {
            @Override
            public void put(Entry entry) {
                entries.put(HexFormat.of().formatHex(entry.id()), entry);
            }

            @Override
            public void remove(byte[] id) {
                entries.remove(HexFormat.of().formatHex(id));
            }

            @Override
            public List<Entry> loadAll() {
                return new ArrayList<>(entries.values());
            }
        };
    }

    static DelegateStore directory(Path directory) throws IOException {
        Files.createDirectories(directory);
        return new DirectoryDelegateStore(directory);
    }

    /** The file-per-notification store of {@link DelegateStore#directory(Path)}. */
    final class DirectoryDelegateStore implements DelegateStore {
        private static final Logger LOG = LoggerFactory.getLogger(DirectoryDelegateStore.class);
        private static final String SUFFIX = ".delegated";
        static final int VERSION = 1;
        /** Largest sealed notification a file may hold. */
        static final int MAX_BOX_BYTES = 16 * 1024 * 1024;
        private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
                (oversized, message, cause) -> new IllegalArgumentException("malformed delegated notification: "
                        + message, cause);
        private final Path directory;

        private DirectoryDelegateStore(Path directory) {
            this.directory = directory;
        }

        @Override
        public synchronized void put(Entry entry) {
            ByteBuffer out = ByteBuffer.wrap(encode(entry));
            String name = HexFormat.of().formatHex(entry.id());
            Path temporary = directory.resolve(name + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                Files.move(temporary, directory.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void remove(byte[] id) {
            try {
                Files.deleteIfExists(directory.resolve(HexFormat.of().formatHex(id) + SUFFIX));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized List<Entry> loadAll() {
            List<Entry> entries = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(file);
                    } else if (name.endsWith(SUFFIX)) {
                        try {
                            entries.add(read(Files.readAllBytes(file)));
                        } catch (RuntimeException | IOException e) {
                            LOG.warn("Unreadable delegated notification {} skipped: {}", file, e.toString());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return entries;
        }

        static byte[] encode(Entry entry) {
            return CborRecordWriter.versioned(VERSION, 4, 64 + entry.box().length).bytes(entry.id())
                    .number(entry.since()).text(entry.recipient()).bytes(entry.box()).end().toBytes();
        }

        /** The entry a file holds; anything but its canonical encoding is an {@link IllegalArgumentException}. */
        static Entry read(byte[] bytes) {
            return CborRecordReader.decodeCanonical(bytes, "delegated notification", FAILURES, in -> {
                in.beginRecord(VERSION, "delegated notification");
                byte[] id = in.exactBytes("id", Notification.ID_BYTES);
                long since = in.number();
                String recipient = in.text(AccountAddress.MAX_BYTES);
                byte[] box = in.bytes(MAX_BOX_BYTES);
                in.endArray();
                return new Entry(id, recipient, box, since);
            }, DirectoryDelegateStore::encode);
        }
    }
}
