package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.apache.james.mailbox.model.SearchQuery;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the backend costs in the DHT: block inserts per IMAP operation (printed), and contents read only when a
 * client asks for them: listing the flags of 1,000 messages, their counters and a flag SEARCH fetch no content.
 */
class PostMailboxCostTest {
    private static final Username ALICE = Username.of("alice@epost.test");
    private static final int MESSAGES = 1_000;

    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final CountingMessageStore contents = new CountingMessageStore(TestMailboxStorage.wholeMessages(dht));
    private PostMailboxManager manager;
    private MailboxSession session;

    @BeforeEach
    void setUp() {
        TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(), contents,
            LogConfig.defaults());
        // A cache of 4 KiB: the message read below was appended long before, so it is no longer remembered
        manager = PostIntegrationResources.builder().storage(storage).contentCacheBytes(4096).build()
            .getMailboxManager();
        session = manager.createSystemSession(ALICE);
    }

    @Test
    void appendAndStoreCostAFewBlockInserts() throws Exception {
        MailboxPath inbox = MailboxPath.inbox(ALICE);
        manager.createMailbox(inbox, session);
        MessageManager folder = manager.getMailbox(inbox, session);
        folder.getMessageCount(session);

        long before = dht.inserts();
        MessageUid uid = folder.appendMessage(AppendCommand.builder().build(message(1)), session).getId().getUid();
        long append = dht.inserts() - before;

        before = dht.inserts();
        folder.setFlags(new Flags(Flags.Flag.SEEN), MessageManager.FlagsUpdateMode.ADD, MessageRange.one(uid), session);
        long store = dht.inserts() - before;

        for (int i = 2; i <= 100; i++) {
            folder.appendMessage(AppendCommand.builder().build(message(i)), session);
        }
        before = dht.inserts();
        folder.setFlags(new Flags("$done"), MessageManager.FlagsUpdateMode.ADD, MessageRange.all(), session);
        long storeHundred = dht.inserts() - before;

        System.out.printf("[epost-mailbox] block inserts: APPEND of a small message %d (content 1, folder log "
            + "cluster + head 2); STORE FLAGS on 1 message %d; STORE FLAGS on 100 messages %d (one group commit)%n",
            append, store, storeHundred);
        assertThat(append).isEqualTo(3);
        assertThat(store).isEqualTo(2);
        // 100 flag records fill and close the clusters they need, then one head: a few blocks, not 100 commits
        long clusters = (100 + LogConfig.defaults().recordsPerCluster() - 1) / LogConfig.defaults().recordsPerCluster();
        assertThat(storeHundred).isBetween(clusters + 1, clusters + 2);
    }

    @Test
    void listingFlagsOfAThousandMessagesFetchesNoContent() throws Exception {
        MailboxPath inbox = MailboxPath.inbox(ALICE);
        manager.createMailbox(inbox, session);
        MessageManager folder = manager.getMailbox(inbox, session);
        for (int i = 1; i <= MESSAGES; i++) {
            folder.appendMessage(AppendCommand.builder()
                .withFlags(i % 3 == 0 ? new Flags(Flags.Flag.SEEN) : new Flags())
                .build(message(i)), session);
        }
        long readsBefore = contentReads();

        int listed = 0;
        int seen = 0;
        MessageResultIterator results = folder.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            listed++;
            if (result.getFlags().contains(Flags.Flag.SEEN)) {
                seen++;
            }
        }
        MessageManager.MailboxMetaData meta = folder.getMetaData(MessageManager.MailboxMetaData.RecentMode.RESET,
            session, MessageManager.MailboxMetaData.FetchGroup.FIRST_UNSEEN);
        long flagged = reactor.core.publisher.Flux.from(
            folder.search(SearchQuery.of(SearchQuery.flagIsSet(Flags.Flag.SEEN)), session))
            .count().block();

        assertThat(listed).isEqualTo(MESSAGES);
        assertThat(seen).isEqualTo(MESSAGES / 3);
        assertThat(meta.getMessageCount()).isEqualTo(MESSAGES);
        assertThat(meta.getUidNext().asLong()).isEqualTo(MESSAGES + 1);
        assertThat(flagged).isEqualTo(MESSAGES / 3);
        assertThat(contentReads() - readsBefore).isZero();

        MessageResult one = folder.getMessages(MessageRange.one(MessageUid.of(500)), FetchGroup.FULL_CONTENT, session)
            .next();
        assertThat(new String(one.getFullContent().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .contains("message 500");
        assertThat(new String(one.getBody().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("message 500\r\n");
        // the full content and then the body: one part fetched once, then cached
        assertThat(contents.partFetches() + contents.chunkFetches()).isEqualTo(1);
        assertThat(contents.fetches()).isZero();
    }

    /** Whole messages, skeletons and parts read from the message store. */
    private long contentReads() {
        return contents.fetches() + contents.skeletons() + contents.partFetches() + contents.chunkFetches();
    }

    private static byte[] message(int n) {
        return ("From: bob@epost.test\r\nSubject: message " + n + "\r\n\r\nmessage " + n + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    }
}
