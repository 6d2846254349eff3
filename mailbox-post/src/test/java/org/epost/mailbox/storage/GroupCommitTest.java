package org.epost.mailbox.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxPath;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.model.FolderRecord;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.model.MessageEntry;
import org.epost.mailbox.support.GatedBlockService;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogEntry;
import org.epost.post.message.MessageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Updates grouped on one folder's log while it is writing wait and then go to the log together: seven made behind
 * one slow append take one more log append, not seven, and each gets its own result; a failed group fails its own.
 */
class GroupCommitTest {
    private static final Username BOB = Username.of("bob@epost.test");

    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void concurrentAppendsToOneFolderShareOneLogAppend() throws Exception {
        GatedBlockService blocks = new GatedBlockService();
        MessageStore contents = TestMailboxStorage.splitMessages(blocks);
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(new TestMailboxStorage(blocks,
            new InMemoryLogViewStore(), contents, LogConfig.defaults())).build();
        MailboxSession session = peer.getMailboxManager().createSystemSession(BOB);
        peer.getMailboxManager().createMailbox(MailboxPath.inbox(BOB), session);
        MessageManager inbox = peer.getMailboxManager().getMailbox(MailboxPath.inbox(BOB), session);
        byte[] message = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        inbox.appendMessage(AppendCommand.builder().build(message), session);
        UserAccount account = peer.getMapperFactory().registry().account(BOB).orElseThrow();
        Folder folder = account.folder(account.folders().get(0));
        MessageEntry first = folder.log().read(state -> state.get(1));
        // each request adds a copy of message 1, as James's appends add messages
        LoggedState.BatchPlanner<FolderState, Integer, Long> copies = (state, requests) -> {
            List<LogEntry> records = new ArrayList<>();
            List<Long> uids = new ArrayList<>();
            long uid = 0;
            long modSeq = 0;
            for (Integer request : requests) {
                uid = folder.uidFor(state, 0, uid);
                modSeq = folder.modSeqFor(state, 0, modSeq);
                records.add(new FolderRecord.MessageAdded(first.copyAs(uid, modSeq, request, 0, List.of())).toEntry());
                uids.add(uid);
            }
            return LoggedState.Plan.of(records, uids);
        };

        long before = folder.log().blocksStored();
        assertThat(folder.log().updateGrouped("copies", 0, copies)).isEqualTo(2);
        long perAppend = folder.log().blocksStored() - before;

        blocks.gate = new CountDownLatch(1);
        List<Future<Long>> uids = new ArrayList<>();
        uids.add(threads.submit(() -> folder.log().updateGrouped("copies", 1, copies)));
        while (blocks.held.get() == 0) { // the first append is writing, held at the gate
            Thread.sleep(5);
        }
        for (int i = 2; i <= 8; i++) {
            int request = i;
            uids.add(threads.submit(() -> folder.log().updateGrouped("copies", request, copies)));
        }
        while (folder.log().queued() < 7) {
            Thread.sleep(5);
        }
        blocks.gate.countDown();

        List<Long> given = new ArrayList<>();
        for (Future<Long> uid : uids) {
            given.add(uid.get(60, TimeUnit.SECONDS));
        }
        assertThat(given.get(0)).isEqualTo(3L); // the held append; the others in the order they queued
        assertThat(given.subList(1, 8)).containsExactlyInAnyOrder(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(folder.log().blocksStored() - before).isEqualTo(3 * perAppend);
        assertThat(folder.log().queued()).isZero();
        assertThat(inbox.getMessageCount(session)).isEqualTo(10);
    }

    @Test
    void aFailedGroupFailsEveryRequestInItAndTheNextGroupGoesOn() throws Exception {
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(TestMailboxStorage.inMemory())
            .build();
        MailboxSession session = peer.getMailboxManager().createSystemSession(BOB);
        peer.getMailboxManager().createMailbox(MailboxPath.inbox(BOB), session);
        UserAccount account = peer.getMapperFactory().registry().account(BOB).orElseThrow();
        Folder folder = account.folder(account.folders().get(0));

        assertThatThrownBy(() -> folder.log().updateGrouped("bad", 1, (state, requests) -> {
            throw new MailboxException("refused: " + requests);
        })).isInstanceOf(MailboxException.class).hasMessage("refused: [1]");
        assertThat(folder.log().queued()).isZero();
        assertThat(folder.log().<Integer, String>updateGrouped("bad", 2,
            (state, requests) -> LoggedState.Plan.nothing(List.of("fine")))).isEqualTo("fine");
    }
}
