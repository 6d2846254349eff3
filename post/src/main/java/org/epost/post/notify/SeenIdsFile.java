package org.epost.post.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import org.epost.overlay.past.store.GroupCommitter;

/**
 * The file behind {@link SeenIds#file} and {@link SeenIds#groupCommitted}: one line {@code <hex id> <date>} per
 * accepted notification, appended at once, and the future an add answers completes once a force covering its line
 * returned. Either each add forces the file before it returns (deterministic, for simulations on one thread), or one
 * committer thread ({@link GroupCommitter}) forces it for every line written meanwhile, so the node thread that adds
 * never waits for the disk and concurrent deliveries share one fsync. An id counts as seen from its add on (a replay
 * arriving during the force is still recognized). An incomplete last line (a crash mid-write) is ignored; a line of the first
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
    /** Written under this; replaced only by a compaction, which holds {@link #forcing} too. */
    private volatile FileChannel channel;
    private long addsSinceCompaction;
    /** Held while the committer forces {@link #channel}, so a compaction never closes it under the force. */
    private final Object forcing = new Object();
    /** Null when every add forces the file itself. */
    private final GroupCommitter commits;

    private SeenIdsFile(Path file, long windowMillis, LongSupplier clock, boolean grouped) {
        this.file = file;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.commits = grouped ? new GroupCommitter("seen-ids", this::force) : null;
    }

    /** {@code grouped}: forces by a committer thread, shared by the adds made meanwhile; else one per add. */
    static SeenIdsFile open(Path file, long windowMillis, LongSupplier clock, boolean grouped) throws IOException {
        SeenIdsFile seen = new SeenIdsFile(file, windowMillis, clock, grouped);
        seen.load();
        seen.compact();
        return seen;
    }

    synchronized boolean contains(String hex) {
        return dates.containsKey(hex);
    }

    /** Completes once the line of {@code hex} (or an earlier one of the same id) is on disk. */
    synchronized CompletableFuture<Void> add(String hex, long date) throws IOException {
        if (!dates.containsKey(hex)) {
            channel.write(SeenIds.line(hex, date));
            dates.put(hex, date);
            if (commits == null) {
                channel.force(false);
            } else {
                commits.recordWrite();
            }
            if (++addsSinceCompaction >= Math.max(MIN_COMPACTION, dates.size())) {
                synchronized (forcing) {
                    compact();
                }
            }
        }
        // also for an id already added: its line may not be forced yet
        return commits == null ? CompletableFuture.completedFuture(null) : commits.whenDurable(commits.lastWrite());
    }

    /** The committer's sync: forces every line written so far (a compaction's rewrite was forced by itself). */
    private void force() {
        synchronized (forcing) { // never takes this: add holds this while it waits for forcing
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot force " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Forces done so far, each covering every line written before it (tests). */
    long forces() {
        return commits == null ? 0 : commits.syncs();
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
