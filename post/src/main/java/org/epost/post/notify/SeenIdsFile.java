package org.epost.post.notify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The file behind {@link SeenIds#file}: one line {@code <hex id> <date>} per accepted notification, appended and
 * forced to disk before an add returns. An incomplete last line (a crash mid-write) is ignored; a line of the first
 * format (the id alone) counts as dated now, so it is kept one more window. Expired ids are dropped when the file is
 * opened and whenever they make up half of it: the survivors are written to a new file, forced, and moved over the
 * old one, so a crash leaves either file whole.
 */
final class SeenIdsFile {
    private static final int MIN_COMPACTION = 10_000;

    private final Path file;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Long> dates = new HashMap<>();
    private FileChannel channel;
    private long addsSinceCompaction;

    private SeenIdsFile(Path file, long windowMillis, LongSupplier clock) {
        this.file = file;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    static SeenIdsFile open(Path file, long windowMillis, LongSupplier clock) throws IOException {
        SeenIdsFile seen = new SeenIdsFile(file, windowMillis, clock);
        seen.load();
        seen.compact();
        return seen;
    }

    synchronized boolean contains(String hex) {
        return dates.containsKey(hex);
    }

    synchronized void add(String hex, long date) throws IOException {
        if (dates.containsKey(hex)) {
            return;
        }
        channel.write(SeenIds.line(hex, date));
        channel.force(false);
        dates.put(hex, date);
        if (++addsSinceCompaction >= Math.max(MIN_COMPACTION, dates.size())) {
            compact();
        }
    }

    synchronized int size() {
        return dates.size();
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String content = Files.readString(file, StandardCharsets.US_ASCII);
        int end = content.lastIndexOf('\n');
        if (end < 0) {
            return;
        }
        long now = clock.getAsLong();
        for (String line : content.substring(0, end).split("\n")) {
            int space = line.indexOf(' ');
            String hex = space < 0 ? line : line.substring(0, space);
            if (hex.length() != 2 * Notification.ID_BYTES) {
                continue;
            }
            try {
                dates.put(hex, space < 0 ? now : Long.parseLong(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // a damaged line names no id we could trust; the notification, if replayed, is checked again
            }
        }
    }

    /** Drops the expired ids and rewrites the file with the others (atomically), then appends to the new one. */
    private void compact() throws IOException {
        long oldest = clock.getAsLong() - windowMillis;
        dates.values().removeIf(date -> date < oldest);
        if (channel != null) {
            channel.close();
        }
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, Long> entry : dates.entrySet()) {
                out.write(SeenIds.line(entry.getKey(), entry.getValue()));
            }
            out.force(true);
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        addsSinceCompaction = 0;
    }
}
