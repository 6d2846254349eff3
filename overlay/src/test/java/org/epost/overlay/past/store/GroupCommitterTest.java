package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group committer against a disk whose syncs the test holds and releases one at a time. */
class GroupCommitterTest {
    private static final long WAIT_SECONDS = 30;

    /** A sync that announces it started and returns only once the test lets it. */
    private static final class HeldSync implements GroupCommitter.Sync {
        final Semaphore started = new Semaphore(0);
        final Semaphore allowed = new Semaphore(0);
        final AtomicBoolean fail = new AtomicBoolean();

        @Override
        public void syncWrites() {
            started.release();
            allowed.acquireUninterruptibly();
            if (fail.get()) {
                throw new BlockStoreException("disk gone");
            }
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("a sync started").isTrue();
        }
    }

    private final HeldSync disk = new HeldSync();
    private final GroupCommitter committer = new GroupCommitter("test", disk);

    @AfterEach
    void close() {
        disk.allowed.release(1000);
        committer.close();
    }

    @Test
    void aWriteIsDurableOnlyOnceTheSyncCoveringItReturned() throws Exception {
        long write = committer.recordWrite();
        CompletableFuture<Void> durable = committer.whenDurable(write);

        disk.awaitStarted();
        assertThat(durable).as("durable while its sync is still running").isNotDone();

        disk.allowed.release();
        durable.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(committer.synced()).isEqualTo(write);
    }

    @Test
    void writesMadeDuringASyncShareTheNextOne() throws Exception {
        CompletableFuture<Void> first = committer.whenDurable(committer.recordWrite());
        disk.awaitStarted();
        List<CompletableFuture<Void>> during = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            during.add(committer.whenDurable(committer.recordWrite()));
        }

        disk.allowed.release();
        first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        disk.awaitStarted();
        assertThat(during).as("not covered by the sync that started before them").allMatch(f -> !f.isDone());
        disk.allowed.release();
        CompletableFuture.allOf(during.toArray(new CompletableFuture<?>[0])).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(committer.syncs()).as("one sync for the first write, one for the five after it").isEqualTo(2);
        assertThat(committer.synced()).isEqualTo(6);
    }

    @Test
    void waitingForAnAlreadySyncedWriteAnswersAtOnce() throws Exception {
        long write = committer.recordWrite();
        disk.allowed.release();
        committer.whenDurable(write).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(committer.whenDurable(write)).isDone();
        assertThat(committer.whenDurable(0)).isDone();
    }

    @Test
    void aFailedSyncFailsItsWaitersAndEveryLaterOne() throws Exception {
        CompletableFuture<Void> durable = committer.whenDurable(committer.recordWrite());
        disk.fail.set(true);
        disk.allowed.release();

        assertThatThrownBy(() -> durable.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(BlockStoreException.class)
                .hasMessageContaining("disk gone");
        CompletableFuture<Void> later = committer.whenDurable(committer.recordWrite());
        assertThat(later).isCompletedExceptionally();
        assertThat(committer.synced()).isZero();
    }

    @Test
    void closingSyncsWhatIsPendingAndAnswersItsWaiters() throws Exception {
        CompletableFuture<Void> durable = committer.whenDurable(committer.recordWrite());
        disk.allowed.release(1000);

        committer.close();

        assertThat(durable).isCompleted();
        assertThat(durable.isCompletedExceptionally()).isFalse();
        assertThat(committer.whenDurable(committer.recordWrite())).as("nothing is synced after close")
                .isCompletedExceptionally();
    }
}
