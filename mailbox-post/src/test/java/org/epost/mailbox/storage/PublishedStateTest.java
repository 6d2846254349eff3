package org.epost.mailbox.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.FolderRecord;
import org.epost.mailbox.model.FolderReducer;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.model.MessageEntry;
import org.epost.mailbox.model.MessageKey;
import org.epost.mailbox.model.MessageProperty;
import org.epost.mailbox.model.SystemFlags;
import org.epost.mailbox.support.GatedBlockService;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.overlay.id.Id;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogEntry;
import org.epost.post.message.MessageReference;
import org.epost.post.store.PartReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readers of a {@link LoggedState} see its last durable state and never wait for an append in flight: a read while
 * an append is held in the DHT answers at once with the state before it; a failed append is never seen, neither
 * while it is in flight nor after; and under concurrent readers and writers with seeded operations and failures,
 * every state a reader sees is consistent, never older than one it saw before, and holds no failed change.
 */
class PublishedStateTest {
    private static final Username BOB = Username.of("bob@epost.test");
    private static final long SIZE = 120;
    private static final MessageReference CONTENT = new MessageReference(
        new PartReference(Id.hash("part"), new byte[32], SIZE, PartReference.Layout.SINGLE, true), SIZE);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final GatedBlockService blocks = new GatedBlockService();
    private final TestMailboxStorage storage = new TestMailboxStorage(blocks, new InMemoryLogViewStore(),
        TestMailboxStorage.wholeMessages(blocks), LogConfig.defaults());

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private LoggedState<FolderState> log(TestMailboxStorage from) {
        return new LoggedState<>(from.forUser(BOB).orElseThrow(), "folder-published", FolderReducer.INSTANCE);
    }

    /** A message whose save date names the request that added it. */
    private static LogEntry added(long uid, long modSeq, long request) {
        MessageKey id = new MessageKey(request, uid);
        return new FolderRecord.MessageAdded(new MessageEntry(uid, modSeq, id, id, 1_700_000_000_000L, request, SIZE,
            40, 0, List.of(), 3L, List.of(new MessageProperty("mime", "subtype", "plain")), CONTENT)).toEntry();
    }

    /** The requests whose messages the state holds, by UID. */
    private static List<Long> requests(FolderState state) {
        return state.range(1, Long.MAX_VALUE, 0).stream().map(MessageEntry::saveDate).toList();
    }

    private static LoggedState.Plan<Long> adding(FolderState state, long request) {
        long uid = state.lastUid() + 1;
        return LoggedState.Plan.of(List.of(added(uid, state.highestModSeq() + 1, request)), uid);
    }

    @Test
    void aReadDuringABlockedAppendAnswersAtOnceWithTheStateBeforeIt() throws Exception {
        LoggedState<FolderState> log = log(storage);
        log.update(state -> adding(state, 1));

        blocks.gate = new CountDownLatch(1);
        Future<Long> appending = threads.submit(() -> log.update(state -> adding(state, 2)));
        while (blocks.held.get() == 0) { // the append is writing its cluster, held at the gate
            Thread.sleep(5);
        }
        // answered while the append is still held: the read did not wait for it (the gate opens only below)
        assertThat(threads.submit(() -> log.read(FolderState::uids)).get(60, TimeUnit.SECONDS)).containsExactly(1L);
        assertThat(threads.submit(() -> log.read(FolderState::count)).get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(appending).isNotDone();

        blocks.gate.countDown();
        assertThat(appending.get(60, TimeUnit.SECONDS)).isEqualTo(2L);
        assertThat(log.read(FolderState::uids)).containsExactly(1L, 2L); // published once durable
        log.close();
    }

    @Test
    void aFailedAppendIsNeverVisibleWhileInFlightNorAfter() throws Exception {
        LoggedState<FolderState> log = log(storage);
        log.update(state -> adding(state, 1));

        blocks.gate = new CountDownLatch(1);
        blocks.failHeads = true; // the cluster is stored, the head that would point at it is not
        Future<Long> failing = threads.submit(() -> log.update(state -> adding(state, 2)));
        while (blocks.held.get() == 0) {
            Thread.sleep(5);
        }
        assertThat(threads.submit(() -> log.read(FolderState::uids)).get(60, TimeUnit.SECONDS)).containsExactly(1L);
        blocks.gate.countDown();
        assertThatThrownBy(() -> failing.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(MailboxException.class).hasMessageContaining("refused an append");

        blocks.failHeads = false;
        assertThat(log.read(FolderState::uids)).containsExactly(1L); // reopened from the DHT: still not there
        long third = log.update(state -> adding(state, 3));
        assertThat(third).isEqualTo(2L); // UID 2 was never given
        log.close();
        LoggedState<FolderState> elsewhere = log(storage.takingOverWriters());
        List<Long> there = elsewhere.read(PublishedStateTest::requests);
        assertThat(there).containsExactly(1L, 3L);
        elsewhere.close();
    }

    /**
     * Four writers (grouped adds, flag changes, expunges; one change in eight made to fail) and three readers on one
     * log, operations drawn from a seeded generator. Each change is named by its request number: an added message by
     * its save date, a flag change by a keyword. Checked in every state a reader sees: counters agree with the
     * messages, the state is not older than the last one that reader saw, and no failed change is in it.
     */
    @Test
    void concurrentReadersSeeOnlyDurableConsistentStatesThatNeverGoBack() throws Exception {
        LoggedState<FolderState> log = log(storage);
        Set<Long> succeeded = ConcurrentHashMap.newKeySet();
        Set<Long> addedDurably = ConcurrentHashMap.newKeySet();
        Set<Long> failed = ConcurrentHashMap.newKeySet();
        Set<Long> expunged = ConcurrentHashMap.newKeySet(); // requests whose message a durable expunge removed
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Set<String> seenKeywords = ConcurrentHashMap.newKeySet();
        AtomicInteger writing = new AtomicInteger(4);
        AtomicInteger reads = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();

        LoggedState.BatchPlanner<FolderState, long[], Long> adds = (state, requests) -> {
            List<LogEntry> records = new ArrayList<>();
            List<Long> uids = new ArrayList<>();
            long uid = state.lastUid();
            long modSeq = state.highestModSeq();
            for (long[] request : requests) {
                records.add(added(++uid, ++modSeq, request[0]));
                uids.add(uid);
                if (request[1] != 0) {
                    blocks.failNextHead.set(true);
                }
            }
            return LoggedState.Plan.of(records, uids);
        };
        for (int w = 0; w < 4; w++) {
            Random random = new Random(1207L * (w + 1));
            long base = 1_000_000L * (w + 1);
            running.add(threads.submit(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        long request = base + i;
                        boolean fail = random.nextInt(8) == 0;
                        int kind = random.nextInt(10);
                        try {
                            if (kind < 6) {
                                log.updateGrouped("adds", new long[] {request, fail ? 1 : 0}, adds);
                                succeeded.add(request);
                                addedDurably.add(request);
                            } else {
                                long pick = random.nextLong();
                                Long gone = log.update(state -> {
                                    List<Long> uids = state.uids();
                                    if (uids.isEmpty()) {
                                        return LoggedState.Plan.nothing(null);
                                    }
                                    long uid = uids.get((int) Math.floorMod(pick, (long) uids.size()));
                                    blocks.failNextHead.set(fail);
                                    long modSeq = state.highestModSeq() + 1;
                                    if (kind < 8) {
                                        return LoggedState.Plan.of(List.of(new FolderRecord.FlagsChanged(uid, modSeq,
                                            SystemFlags.SEEN, List.of("r" + request)).toEntry()), null);
                                    }
                                    return LoggedState.Plan.of(List.of(new FolderRecord.MessageExpunged(uid, modSeq)
                                        .toEntry()), state.get(uid).saveDate());
                                });
                                if (gone != null) {
                                    expunged.add(gone);
                                }
                                succeeded.add(request);
                            }
                        } catch (MailboxException e) {
                            assertThat(fail || e.getMessage().contains("refused an append")).isTrue();
                            failed.add(request);
                        }
                    }
                } finally {
                    writing.decrementAndGet();
                }
                return null;
            }));
        }
        for (int r = 0; r < 3; r++) {
            running.add(threads.submit(() -> {
                long lastModSeq = 0;
                long lastUid = 0;
                while (writing.get() > 0 || reads.get() < 30) {
                    FolderState state = log.read(s -> s);
                    List<Long> uids = state.uids();
                    assertThat(state.count()).isEqualTo(uids.size());
                    assertThat(uids).isSorted();
                    assertThat(uids.isEmpty() || uids.get(uids.size() - 1) <= state.lastUid()).isTrue();
                    assertThat(state.unseen()).isEqualTo(uids.size() - state.uidsWith(SystemFlags.SEEN).size());
                    assertThat(state.octets()).isEqualTo(SIZE * uids.size());
                    assertThat(state.highestModSeq()).isGreaterThanOrEqualTo(lastModSeq);
                    assertThat(state.lastUid()).isGreaterThanOrEqualTo(lastUid);
                    lastModSeq = state.highestModSeq();
                    lastUid = state.lastUid();
                    state.entries().forEach(entry -> seen.add(entry.saveDate()));
                    seenKeywords.addAll(state.keywords());
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> task : running) {
            task.get(10, TimeUnit.MINUTES);
        }

        assertThat(failed).isNotEmpty();
        assertThat(succeeded).hasSizeGreaterThan(100);
        assertThat(seen).doesNotContainAnyElementsOf(failed).isSubsetOf(succeeded);
        for (long request : failed) {
            assertThat(seenKeywords).doesNotContain("r" + request);
        }
        List<Long> left = log.read(PublishedStateTest::requests);
        assertThat(left).containsExactlyInAnyOrderElementsOf(addedDurably.stream()
            .filter(request -> !expunged.contains(request)).toList());
        log.close();
        LoggedState<FolderState> reopened = log(storage.takingOverWriters());
        List<Long> again = reopened.read(PublishedStateTest::requests);
        assertThat(again).containsExactlyElementsOf(left);
        reopened.close();
    }
}
