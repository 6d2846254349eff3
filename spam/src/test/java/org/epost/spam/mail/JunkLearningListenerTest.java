package org.epost.spam.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.events.EventBusTestFixture;
import org.apache.james.events.InVMEventBus;
import org.apache.james.events.MemoryEventDeadLetters;
import org.apache.james.events.delivery.InVmEventDelivery;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.PostMailboxManager;
import org.epost.spam.policy.BlockListPolicy;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.SpamCounters;
import org.epost.spam.policy.Verdict;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Junk learning on the real ePOST mailbox backend and James's event bus: moves and keywords change bob's block list in
 * his account log, and the delivery policy then junks the blocked sender's mail.
 */
class JunkLearningListenerTest {
    private static final Username BOB = Username.of("bob@epost.test");

    private final InVMEventBus bus = new InVMEventBus(new InVmEventDelivery(new RecordingMetricFactory()),
        EventBusTestFixture.RETRY_BACKOFF_CONFIGURATION, new MemoryEventDeadLetters());
    private final SpamCounters counters = new SpamCounters(org.epost.overlay.metrics.MetricSink.NONE);
    private PostMailboxManager manager;
    private AccountLogBlockLists lists;
    private MailboxSession session;
    private final MailboxPath inbox = MailboxPath.inbox(BOB);
    private final MailboxPath junk = MailboxPath.forUser(BOB, "Junk");
    private final MailboxPath trash = MailboxPath.forUser(BOB, "Trash");

    @BeforeEach
    void setUp() throws Exception {
        PostIntegrationResources resources = PostIntegrationResources.builder().eventBus(bus).build();
        manager = resources.getMailboxManager();
        lists = new AccountLogBlockLists(resources.getMapperFactory().registry());
        session = manager.createSystemSession(BOB);
        manager.createMailbox(inbox, session);
        manager.createMailbox(junk, session);
        manager.createMailbox(trash, session);
        bus.register(new JunkLearningListener(manager, resources.getMessageIdManager(), lists, counters));
    }

    private MessageUid append(MailboxPath path, String header) throws Exception {
        byte[] message = (header + "Subject: offer\r\n\r\nbuy now\r\n").getBytes(StandardCharsets.UTF_8);
        return manager.getMailbox(path, session).appendMessage(MessageManager.AppendCommand.builder().build(message),
            session).getId().getUid();
    }

    @Test
    void movingToJunkBlocksTheVerifiedSenderAndMovingBackUnblocks() throws Exception {
        MessageUid uid = append(inbox, "X-ePOST-Origin: verified; sender=<mallory@epost.test>\r\n"
            + "From: mallory@epost.test\r\n");

        manager.moveMessages(MessageRange.one(uid), inbox, junk, session);
        assertThat(lists.of(BOB.asString()).entries()).containsExactly("mallory@epost.test");
        BlockListPolicy policy = new BlockListPolicy(lists, () -> BlockList.EMPTY, counters);
        assertThat(policy.verdict(BOB.asString(), java.util.Optional.of(Sender.verified("mallory@epost.test"))))
            .isEqualTo(Verdict.JUNK);

        manager.moveMessages(MessageRange.all(), junk, inbox, session);
        assertThat(lists.of(BOB.asString()).entries()).isEmpty();
        assertThat(counters.learnedBlockCount()).isEqualTo(1);
        assertThat(counters.learnedUnblockCount()).isEqualTo(1);
    }

    @Test
    void externalMailBlocksItsFromAddressAndDeletingJunkDoesNotUnblock() throws Exception {
        MessageUid uid = append(inbox, "X-ePOST-Origin: external\r\nFrom: Offers <offers@spam.example>\r\n");

        manager.moveMessages(MessageRange.one(uid), inbox, junk, session);
        manager.moveMessages(MessageRange.all(), junk, trash, session);

        assertThat(lists.of(BOB.asString()).entries()).containsExactly("offers@spam.example");
    }

    @Test
    void copyingIntoASpamFolderUnderAnyCaseAlsoTeaches() throws Exception {
        MailboxPath spam = MailboxPath.forUser(BOB, "INBOX.spam");
        manager.createMailbox(spam, session);
        MessageUid uid = append(inbox, "From: copied@example.org\r\n");

        manager.copyMessages(MessageRange.one(uid), inbox, spam, session);

        assertThat(lists.of(BOB.asString()).entries()).containsExactly("copied@example.org");
    }

    @Test
    void theJunkAndNotJunkKeywordsBlockAndUnblock() throws Exception {
        MessageUid uid = append(inbox, "X-ePOST-Origin: verified; sender=<eve@epost.test>\r\nFrom: eve@epost.test\r\n");
        MessageManager box = manager.getMailbox(inbox, session);

        box.setFlags(new Flags(JunkLearningListener.JUNK_KEYWORD), MessageManager.FlagsUpdateMode.ADD,
            MessageRange.one(uid), session);
        assertThat(lists.of(BOB.asString()).entries()).containsExactly("eve@epost.test");

        box.setFlags(new Flags(JunkLearningListener.NOT_JUNK_KEYWORD), MessageManager.FlagsUpdateMode.REPLACE,
            MessageRange.one(uid), session);
        assertThat(lists.of(BOB.asString()).entries()).isEmpty();
    }

    @Test
    void ownMailAndOrdinaryMovesTeachNothing() throws Exception {
        MailboxPath archive = MailboxPath.forUser(BOB, "Archive");
        manager.createMailbox(archive, session);
        MessageUid own = append(inbox, "From: bob@epost.test\r\n");
        MessageUid other = append(inbox, "From: friend@example.org\r\n");

        manager.moveMessages(MessageRange.one(own), inbox, junk, session);
        manager.moveMessages(MessageRange.one(other), inbox, archive, session);

        assertThat(lists.of(BOB.asString()).entries()).isEmpty();
        assertThat(counters.learnedBlockCount()).isZero();
    }

    @Test
    void theJunkFolderIsFoundInAnyCaseOrCreatedAsSpam() throws Exception {
        assertThat(JunkFolders.findOrCreate(manager, session)).isEqualTo(junk);

        Username carol = Username.of("carol@epost.test");
        MailboxSession carolSession = manager.createSystemSession(carol);
        manager.createMailbox(MailboxPath.inbox(carol), carolSession);
        MailboxPath created = JunkFolders.findOrCreate(manager, carolSession);

        assertThat(created).isEqualTo(MailboxPath.forUser(carol, "Spam"));
        assertThat(manager.mailboxExists(created, carolSession).block()).isTrue();
        assertThat(JunkFolders.findOrCreate(manager, carolSession)).isEqualTo(created);
    }
}
