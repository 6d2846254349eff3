package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MailboxAnnotation;
import org.apache.james.mailbox.model.MailboxAnnotationKey;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.MailboxManager.RenameOption;
import org.epost.mailbox.support.MailboxSnapshot;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer restarted on the same DHT with an empty local view store rebuilds every account and folder from the logs:
 * the same folders, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, flags, keywords, MODSEQs, subscriptions, ACLs, annotations
 * and readable contents.
 */
class PostMailboxRestartTest {
    private static final Username ALICE = Username.of("alice@epost.test");
    private static final Username BOB = Username.of("bob@epost.test");

    private final TestMailboxStorage storage = TestMailboxStorage.inMemory();
    private PostIntegrationResources peer;
    private MessageId firstMessage;

    @BeforeEach
    void fillMailboxes() throws Exception {
        peer = PostIntegrationResources.builder().storage(storage).build();
        PostMailboxManager manager = peer.getMailboxManager();
        MailboxSession alice = manager.createSystemSession(ALICE);
        MailboxSession bob = manager.createSystemSession(BOB);

        MailboxPath inbox = MailboxPath.inbox(ALICE);
        MailboxPath work = MailboxPath.forUser(ALICE, "INBOX.work");
        MailboxPath todo = MailboxPath.forUser(ALICE, "INBOX.work.todo");
        manager.createMailbox(inbox, alice);
        manager.createMailbox(work, alice);
        manager.createMailbox(todo, alice);
        manager.createMailbox(MailboxPath.inbox(BOB), bob);

        MessageManager aliceInbox = manager.getMailbox(inbox, alice);
        for (int i = 1; i <= 6; i++) {
            MessageId id = aliceInbox.appendMessage(AppendCommand.builder()
                .withFlags(i % 2 == 0 ? new Flags(Flags.Flag.FLAGGED) : new Flags())
                .build(message("message " + i)), alice).getId().getMessageId();
            if (i == 1) {
                firstMessage = id;
            }
        }
        aliceInbox.setFlags(new Flags(Flags.Flag.SEEN), MessageManager.FlagsUpdateMode.ADD,
            MessageRange.range(org.apache.james.mailbox.MessageUid.of(1), org.apache.james.mailbox.MessageUid.of(3)), alice);
        aliceInbox.setFlags(new Flags("$label1"), MessageManager.FlagsUpdateMode.ADD,
            MessageRange.one(org.apache.james.mailbox.MessageUid.of(2)), alice);
        aliceInbox.setFlags(new Flags(Flags.Flag.DELETED), MessageManager.FlagsUpdateMode.ADD,
            MessageRange.one(org.apache.james.mailbox.MessageUid.of(5)), alice);
        aliceInbox.expunge(MessageRange.all(), alice);
        manager.copyMessages(MessageRange.range(org.apache.james.mailbox.MessageUid.of(1),
            org.apache.james.mailbox.MessageUid.of(2)), inbox, work, alice);
        manager.moveMessages(MessageRange.one(org.apache.james.mailbox.MessageUid.of(3)), inbox, todo, alice);
        manager.renameMailbox(work, MailboxPath.forUser(ALICE, "INBOX.job"), RenameOption.RENAME_SUBSCRIPTIONS, alice);
        manager.setRights(inbox, MailboxACL.EMPTY.apply(MailboxACL.command().forUser(BOB)
            .rights(MailboxACL.Right.Read, MailboxACL.Right.Lookup).asAddition()), alice);
        manager.updateAnnotations(inbox, alice, List.of(MailboxAnnotation.newInstance(
            new MailboxAnnotationKey("/private/comment"), "kept across restarts")));
        peer.getMapperFactory().createSubscriptionMapper(alice)
            .save(new org.apache.james.mailbox.store.user.model.Subscription(ALICE, "INBOX.job"));

        manager.getMailbox(MailboxPath.inbox(BOB), bob).appendMessage(AppendCommand.builder().build(message("to bob")), bob);
    }

    @Test
    void aCleanRestartWithAnEmptyViewStoreRebuildsTheSameMailboxesFromTheDht() throws Exception {
        Map<String, String> imapBefore = MailboxSnapshot.imapView(peer.getMailboxManager(), List.of(ALICE, BOB));
        Map<String, String> statesBefore = MailboxSnapshot.logStates(peer.getMapperFactory());
        peer.getMapperFactory().close();

        PostIntegrationResources restarted = PostIntegrationResources.builder()
            .storage(storage.withViews(new InMemoryLogViewStore())).build();

        assertThat(MailboxSnapshot.imapView(restarted.getMailboxManager(), List.of(ALICE, BOB))).isEqualTo(imapBefore);
        assertThat(MailboxSnapshot.logStates(restarted.getMapperFactory())).isEqualTo(statesBefore);
        assertThat(imapBefore.get(ALICE.asString() + " INBOX"))
            .contains("uidvalidity=", "\\Seen", "$label1", "\\Flagged")
            .doesNotContain("| 3 ", "| 5 ");
        assertThat(imapBefore).containsKeys(ALICE.asString() + " INBOX.job", ALICE.asString() + " INBOX.job.todo");
        assertContentReadable(restarted);
        assertAnnotationAndQuotaKept(restarted);
    }

    @Test
    void aPeerRestartedAfterACrashTakesItsOwnLogsOverAndGoesOn() throws Exception {
        Map<String, String> imapBefore = MailboxSnapshot.imapView(peer.getMailboxManager(), List.of(ALICE, BOB));
        // no close: the writers' leases are still live, as after kill -9

        PostIntegrationResources restarted = PostIntegrationResources.builder()
            .storage(storage.takingOverWriters().withViews(new InMemoryLogViewStore())).build();

        assertThat(MailboxSnapshot.imapView(restarted.getMailboxManager(), List.of(ALICE, BOB))).isEqualTo(imapBefore);
        MailboxSession alice = restarted.getMailboxManager().createSystemSession(ALICE);
        MessageManager inbox = restarted.getMailboxManager().getMailbox(MailboxPath.inbox(ALICE), alice);
        long uidNext = inbox.getMetaData(MessageManager.MailboxMetaData.RecentMode.IGNORE, alice,
            MessageManager.MailboxMetaData.FetchGroup.NO_COUNT).getUidNext().asLong();
        long appended = inbox.appendMessage(AppendCommand.builder().build(message("after the crash")), alice).getId().getUid()
            .asLong();
        assertThat(appended).isEqualTo(uidNext);
    }

    @Test
    void aSecondPeerIsRefusedWhileTheWriterLeaseIsLive() {
        PostIntegrationResources second = PostIntegrationResources.builder()
            .storage(storage.withViews(new InMemoryLogViewStore())).build();
        MailboxSession alice = second.getMailboxManager().createSystemSession(ALICE);

        assertThatThrownBy(() -> second.getMailboxManager().getMailbox(MailboxPath.inbox(ALICE), alice))
            .isInstanceOf(MailboxException.class)
            .hasMessageContaining("held by another writer");
    }

    private void assertContentReadable(PostIntegrationResources restarted) throws Exception {
        MailboxSession alice = restarted.getMailboxManager().createSystemSession(ALICE);
        List<MessageResult> found = restarted.getMessageIdManager()
            .getMessage(firstMessage, FetchGroup.FULL_CONTENT, alice);
        assertThat(found).isNotEmpty();
        for (MessageResult result : found) {
            assertThat(new String(result.getFullContent().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("message 1");
        }
    }

    private void assertAnnotationAndQuotaKept(PostIntegrationResources restarted) throws Exception {
        MailboxSession alice = restarted.getMailboxManager().createSystemSession(ALICE);
        assertThat(restarted.getMailboxManager().getAllAnnotations(MailboxPath.inbox(ALICE), alice))
            .containsExactly(MailboxAnnotation.newInstance(new MailboxAnnotationKey("/private/comment"),
                "kept across restarts"));
        var usage = restarted.getCurrentQuotaManager()
            .getCurrentQuotas(restarted.getQuotaRootResolver().getQuotaRoot(MailboxPath.inbox(ALICE))).block();
        // 6 appended, 1 expunged, 2 copied: 7 messages
        assertThat(usage.count().asLong()).isEqualTo(7);
    }

    private static byte[] message(String body) {
        return ("From: carol@epost.test\r\nSubject: " + body + "\r\n\r\n" + body + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    }
}
