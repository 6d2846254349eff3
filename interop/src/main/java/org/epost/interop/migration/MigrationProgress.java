package org.epost.interop.migration;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The running tally of one migration, written by the copier and read by WebAdmin ({@link #snapshot}) from another
 * thread. Keeps the first {@value #MAX_LISTED_SKIPPED} skipped messages with their reasons; all are counted.
 */
public final class MigrationProgress {
    static final int MAX_LISTED_SKIPPED = 100;

    public enum Phase { CONNECTING, COPYING, SWITCHING_ROUTE, DELTA, COUNTING, DONE, FAILED }

    private final String user;
    private final String source;
    private final boolean dryRun;
    private final Clock clock;
    private final Instant startedAt;
    private Phase phase = Phase.CONNECTING;
    private int foldersTotal;
    private int foldersDone;
    private String currentFolder = "";
    private long messagesSeen;
    private long messagesCopied;
    private long messagesAlreadyCopied;
    private long bytesCopied;
    private long skipped;
    private final List<MigrationDetails.Skipped> skippedMessages = new ArrayList<>();
    private List<MigrationDetails.FolderCount> folders = List.of();
    private boolean routeSwitched;
    private String error;

    public MigrationProgress(String user, String source, boolean dryRun, Clock clock) {
        this.user = user;
        this.source = source;
        this.dryRun = dryRun;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Starts a pass over {@code foldersTotal} folders (the copy or the delta pass). */
    synchronized void pass(Phase phase, int foldersTotal) {
        this.phase = phase;
        this.foldersTotal = foldersTotal;
        this.foldersDone = 0;
    }

    /** Moves on to a phase without folders of its own; the last pass's folder figures stay. */
    synchronized void phase(Phase phase) {
        this.phase = phase;
    }

    synchronized void folder(String name) {
        currentFolder = name;
    }

    synchronized void folderDone() {
        foldersDone++;
        currentFolder = "";
    }

    synchronized void seen(long count) {
        messagesSeen += count;
    }

    synchronized void copied(long bytes) {
        messagesCopied++;
        bytesCopied += bytes;
    }

    synchronized void alreadyCopied(long count) {
        messagesAlreadyCopied += count;
    }

    synchronized void skipped(String folder, long uid, String reason) {
        skipped++;
        if (skippedMessages.size() < MAX_LISTED_SKIPPED) {
            skippedMessages.add(new MigrationDetails.Skipped(folder, uid, reason));
        }
    }

    synchronized void routeSwitched() {
        routeSwitched = true;
    }

    synchronized void counts(List<MigrationDetails.FolderCount> counts) {
        folders = List.copyOf(counts);
    }

    synchronized void failed(String why) {
        phase = Phase.FAILED;
        error = why;
    }

    public synchronized long skippedCount() {
        return skipped;
    }

    public synchronized MigrationDetails snapshot() {
        Instant now = clock.instant();
        return new MigrationDetails(user, source, dryRun, phase.name(), foldersTotal, foldersDone, currentFolder,
            messagesSeen, messagesCopied, messagesAlreadyCopied, bytesCopied, skipped, skippedMessages, folders,
            routeSwitched, error, startedAt, now.toEpochMilli() - startedAt.toEpochMilli(), now);
    }
}
