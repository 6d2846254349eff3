package org.epost.interop.migration;

import java.time.Instant;
import java.util.List;

import org.apache.james.task.TaskExecutionDetails;

/**
 * A migration's progress as {@code GET /tasks/{id}} shows it in {@code additionalInformation}: where it is, what it
 * copied, what it skipped and why, and at the end both sides' message count per folder. Immutable snapshot.
 */
public record MigrationDetails(String user, String source, boolean dryRun, String phase, int foldersTotal,
                               int foldersDone, String currentFolder, long messagesSeen, long messagesCopied,
                               long messagesAlreadyCopied, long bytesCopied, long skipped,
                               List<Skipped> skippedMessages, List<FolderCount> folders, boolean routeSwitched,
                               String error, Instant startedAt, long elapsedMillis, Instant timestamp)
        implements TaskExecutionDetails.AdditionalInformation {

    /** A legacy message not copied, and why (never dropped silently). */
    public record Skipped(String folder, long uid, String reason) {
    }

    /** One legacy folder at the end: its ePOST folder and how many messages each side holds. */
    public record FolderCount(String source, String destination, long sourceMessages, long epostMessages) {
    }

    public MigrationDetails {
        skippedMessages = List.copyOf(skippedMessages);
        folders = List.copyOf(folders);
    }
}
