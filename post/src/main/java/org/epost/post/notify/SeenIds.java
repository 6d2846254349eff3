package org.epost.post.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The notification ids a home peer has accepted, for duplicate suppression. {@link #inMemory()} forgets them on
 * restart; {@link #file(Path)} keeps them in an append-only file (one hex id per line, forced to disk before
 * {@link #add} returns), read back on open; an incomplete last line (a crash mid-write) is ignored.
 */
public interface SeenIds {

    boolean contains(byte[] id);

    void add(byte[] id);

    static SeenIds inMemory() {
        Set<String> ids = new HashSet<>();
        return new SeenIds() {
            @Override
            public boolean contains(byte[] id) {
                return ids.contains(HexFormat.of().formatHex(id));
            }

            @Override
            public void add(byte[] id) {
                ids.add(HexFormat.of().formatHex(id));
            }
        };
    }

    static SeenIds file(Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        if (Files.exists(file)) {
            String content = Files.readString(file);
            int end = content.lastIndexOf('\n');
            if (end >= 0) {
                for (String line : content.substring(0, end).split("\n")) {
                    if (line.length() == 2 * Notification.ID_BYTES) {
                        ids.add(line);
                    }
                }
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new SeenIds() {
            @Override
            public synchronized boolean contains(byte[] id) {
                return ids.contains(HexFormat.of().formatHex(id));
            }

            @Override
            public synchronized void add(byte[] id) {
                String hex = HexFormat.of().formatHex(id);
                if (!ids.add(hex)) {
                    return;
                }
                try {
                    channel.write(java.nio.ByteBuffer.wrap((hex + "\n").getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII)));
                    channel.force(false);
                } catch (IOException e) {
                    ids.remove(hex);
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
