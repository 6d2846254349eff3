package org.epost.post.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * accepted notification, and one line {@code <hex id> <date> begun} written ahead of handing a notification to the
 * sink; an id with both lines is accepted. Each line is appended at once, and the future a begin or add answers
 * completes once a force covering its line returned. Either each line forces the file before the call returns
 * (deterministic, for simulations on one thread), or one committer thread ({@link GroupCommitter}) forces it for every
 * line written meanwhile, so the node thread never waits for the disk and concurrent deliveries share one fsync. An id
 * counts as begun or seen from its line on (a replay arriving during the force is still recognized). An incomplete
 * last line (a crash mid-write) is ignored; a line of the first format (the id alone) counts as dated now, so it is
 * kept one more window. Expired ids are dropped when the file is opened and whenever they make up half of it: the
 * survivors are written to a new file, forced, and moved over the old one, so a crash leaves either file whole.
 */
final class SeenIdsFile {
    private static final int MIN_COMPACTION = 10_000;
    static final String BEGUN = "begun";

    private final Path file;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Long> dates = new HashMap<>();
    /** Begun and not accepted (yet): the ids a crash or a failed sink left in between. */
    private final Map<String, Long> begun = new HashMap<>();
    /** Written under this; replaced only by a compaction, which holds {@link #forcing} too. */
    private volatile FileChannel channel;
    private long linesSinceCompaction;
    /** Held while the committer forces {@link #channel}, so a compaction never closes it under the force. */
    private final Object forcing = new Object();
    /** Null when every line forces the file itself. */
    private final GroupCommitter commits;

    private SeenIdsFile(Path file, long windowMillis, LongSupplier clock, boolean grouped) {
        this.file = file;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.commits = grouped ? new GroupCommitter("seen-ids", this::force) : null;
    }

    /** {@code grouped}: forces by a committer thread, shared by the lines written meanwhile; else one per line. */
    static SeenIdsFile open(Path file, long windowMillis, LongSupplier clock, boolean grouped) throws IOException {
        SeenIdsFile seen = new SeenIdsFile(file, windowMillis, clock, grouped);
        seen.load();
        seen.compact();
        return seen;
    }

    synchronized boolean contains(String hex) {
        return dates.containsKey(hex);
    }

    synchronized boolean begun(String hex) {
        return begun.containsKey(hex);
    }

    /** Completes once the begun line of {@code hex} (or a line written after it) is on disk. */
    synchronized CompletableFuture<Void> begin(String hex, long date) throws IOException {
        if (!dates.containsKey(hex) && !begun.containsKey(hex)) {
            begun.put(hex, date);
            append(SeenIds.line(hex, date, true));
        }
        return durable();
    }

    /** Completes once the line of {@code hex} (or an earlier one of the same id) is on disk. */
    synchronized CompletableFuture<Void> add(String hex, long date) throws IOException {
        if (!dates.containsKey(hex)) {
            begun.remove(hex);
            dates.put(hex, date);
            append(SeenIds.line(hex, date, false));
        }
        // also for an id already added: its line may not be forced yet
        return durable();
    }

    private void append(ByteBuffer line) throws IOException {
        channel.write(line);
        if (commits == null) {
            channel.force(false);
        } else {
            commits.recordWrite();
        }
        if (++linesSinceCompaction >= Math.max(MIN_COMPACTION, dates.size() + begun.size())) {
            synchronized (forcing) {
                compact();
            }
        }
    }

    private CompletableFuture<Void> durable() {
        return commits == null ? CompletableFuture.completedFuture(null) : commits.whenDurable(commits.lastWrite());
    }

    /** The committer's sync: forces every line written so far (a compaction's rewrite was forced by itself). */
    private void force() {
        synchronized (forcing) { // never takes this: a writer holds this while it waits for forcing
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
            String[] fields = line.split(" ");
            String hex = fields[0];
            if (hex.length() != 2 * Notification.ID_BYTES || fields.length > 3
                    || fields.length == 3 && !BEGUN.equals(fields[2])) {
                continue;
            }
            try {
                long date = fields.length == 1 ? now : Long.parseLong(fields[1]);
                (fields.length == 3 ? begun : dates).put(hex, date);
            } catch (NumberFormatException e) {
                // a damaged line names no id we could trust; the notification, if replayed, is checked again
            }
        }
        begun.keySet().removeAll(dates.keySet());
    }

    /** Drops the expired ids and rewrites the file with the others (atomically), then appends to the new one. */
    private void compact() throws IOException {
        long oldest = clock.getAsLong() - windowMillis;
        dates.values().removeIf(date -> date < oldest);
        begun.values().removeIf(date -> date < oldest);
        if (channel != null) {
            channel.close();
        }
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, Long> entry : dates.entrySet()) {
                out.write(SeenIds.line(entry.getKey(), entry.getValue(), false));
            }
            for (Map.Entry<String, Long> entry : begun.entrySet()) {
                out.write(SeenIds.line(entry.getKey(), entry.getValue(), true));
            }
            out.force(true);
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        linesSinceCompaction = 0;
    }
}
