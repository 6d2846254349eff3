package org.epost.interop.migration;

import java.util.Optional;

import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migration as a James task, run by James's task manager: {@code GET /tasks/{id}} shows its {@link MigrationDetails}.
 * Completed when everything was copied; failed (James's {@code PARTIAL}) when a message was skipped or the migration
 * stopped — the details say which and why, and a new run resumes where this one stopped.
 */
public final class MigrationTask implements Task {
    public static final TaskType TYPE = TaskType.of("epost-migration");
    private static final Logger LOG = LoggerFactory.getLogger(MigrationTask.class);

    private final Migration migration;
    private final MigrationProgress progress;
    private final Runnable onEnd;

    MigrationTask(Migration migration, MigrationProgress progress, Runnable onEnd) {
        this.migration = migration;
        this.progress = progress;
        this.onEnd = onEnd;
    }

    @Override
    public Result run() {
        try {
            migration.run();
            return progress.skippedCount() == 0 ? Result.COMPLETED : Result.PARTIAL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Migration cancelled", e);
            progress.failed("cancelled");
            return Result.PARTIAL;
        } catch (Exception e) {
            LOG.error("Migration failed", e);
            progress.failed(e.getMessage() == null ? e.toString() : e.getMessage());
            return Result.PARTIAL;
        } finally {
            onEnd.run();
        }
    }

    @Override
    public TaskType type() {
        return TYPE;
    }

    @Override
    public Optional<TaskExecutionDetails.AdditionalInformation> details() {
        return Optional.of(progress.snapshot());
    }
}
