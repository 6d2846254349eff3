package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.epost.mailbox.mail.ReferencedAppends;
import org.epost.mailbox.model.MessageEntry;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.LargeMessages;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.message.MessageReference;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/**
 * A message appended with a content of {@link ReferencedAppends} is recorded by reference: nothing is stored again, a
 * FETCH returns the header line then the stored message byte for byte, also after a restart and in a copy; the same
 * bytes appended as bytes are stored as usual. A large one is appended and read back without any part read whole.
 */
class PostReferencedAppendTest {
    private static final Username BOB = Username.of("bob@epost.test");
    private static final byte[] STORED = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: hi\r\n\r\n"
        + "Hello Bob,\r\n" + "a body long enough to be a part of its own in the test store. ".repeat(4) + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER = "X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final CountingMessageStore contents = new CountingMessageStore(TestMailboxStorage.splitMessages(dht));
    private final TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(), contents,
        LogConfig.defaults());

    @Test
    void aReferencedContentIsRecordedByReferenceAndReadBackWithItsHeader() throws Exception {
        MessageReference reference = contents.store(STORED, Long.MAX_VALUE).join();
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MessageManager inbox = inboxOf(peer);
        byte[] stamped = concat(HEADER, STORED);
        ReferencedAppends appends = peer.getMapperFactory().referencedAppends();
        long storesBefore = contents.stores();

        inbox.appendMessage(AppendCommand.builder().recent().build(appends.content(contents, reference, HEADER)),
            session(peer));

        assertThat(contents.stores()).isEqualTo(storesBefore);
        assertThat(fullContent(inbox, peer, 1)).isEqualTo(stamped);
        var account = peer.getMapperFactory().registry().account(BOB).orElseThrow();
        assertThat(account.folders()).hasSize(1);
        MessageEntry entry = account.folder(account.folders().get(0)).log().read(state -> state.get(1));
        assertThat(entry.content()).isEqualTo(reference);
        assertThat(entry.prefix()).isEqualTo(HEADER);
        assertThat(entry.size()).isEqualTo(stamped.length);

        // a copy keeps the reference and the header; a restart reads both from the log
        MailboxPath archive = MailboxPath.forUser(BOB, "Archive");
        peer.getMailboxManager().createMailbox(archive, session(peer));
        peer.getMailboxManager().copyMessages(MessageRange.one(MessageUid.of(1)), MailboxPath.inbox(BOB), archive,
            session(peer));
        assertThat(contents.stores()).isEqualTo(storesBefore);
        peer.getMapperFactory().close();
        PostIntegrationResources restarted = PostIntegrationResources.builder()
            .storage(storage.withViews(new InMemoryLogViewStore())).build();
        assertThat(fullContent(inboxOf(restarted), restarted, 1)).isEqualTo(stamped);
        assertThat(fullContent(restarted.getMailboxManager().getMailbox(archive, session(restarted)), restarted, 1))
            .isEqualTo(stamped);
    }

    @Test
    void theSameBytesAppendedAsBytesAreStoredAsUsual() throws Exception {
        MessageReference reference = contents.store(STORED, Long.MAX_VALUE).join();
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MessageManager inbox = inboxOf(peer);
        byte[] stamped = concat(HEADER, STORED);
        long storesBefore = contents.stores();

        inbox.appendMessage(AppendCommand.builder().build(stamped), session(peer));

        assertThat(contents.stores()).isEqualTo(storesBefore + 1);
        assertThat(fullContent(inbox, peer, 1)).isEqualTo(stamped);
        var account = peer.getMapperFactory().registry().account(BOB).orElseThrow();
        MessageEntry entry = account.folder(account.folders().get(0)).log().read(state -> state.get(1));
        assertThat(entry.prefix()).isEmpty();
        assertThat(entry.content()).isNotEqualTo(reference);
    }

    @Test
    void aLargeReferencedMessageIsAppendedAndReadWithoutAnyPartReadWhole() throws Exception {
        byte[] large = LargeMessages.withAttachment(9 << 20);
        MessageReference reference = contents.store(large, Long.MAX_VALUE).join();
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MessageManager inbox = inboxOf(peer);
        ReferencedAppends appends = peer.getMapperFactory().referencedAppends();
        long storesBefore = contents.stores();

        inbox.appendMessage(AppendCommand.builder().build(appends.content(contents, reference, HEADER)),
            session(peer));

        assertThat(contents.stores()).isEqualTo(storesBefore);
        assertThat(fullContent(inbox, peer, 1)).isEqualTo(concat(HEADER, large));
        assertThat(contents.fetches()).isZero();
        assertThat(contents.partFetches()).isZero();
        assertThat(contents.chunkFetches()).isGreaterThanOrEqualTo(12);
        // not parsed for attachments (James's parser would build the whole message in memory)
        Iterator<MessageResult> result = inbox.getMessages(MessageRange.one(MessageUid.of(1)), FetchGroup.MINIMAL,
            session(peer));
        assertThat(result.next().getLoadedAttachments()).isEmpty();
    }

    @Test
    void aPrefixLongerThanAnEntryKeepsIsRefused() throws Exception {
        MessageReference reference = contents.store(STORED, Long.MAX_VALUE).join();
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        ReferencedAppends appends = peer.getMapperFactory().referencedAppends();

        assertThatThrownBy(() -> appends.content(contents, reference, new byte[MessageEntry.MAX_PREFIX_BYTES + 1]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    private static MailboxSession session(PostIntegrationResources peer) {
        return peer.getMailboxManager().createSystemSession(BOB);
    }

    private static MessageManager inboxOf(PostIntegrationResources peer) throws Exception {
        MailboxSession session = session(peer);
        MailboxPath inbox = MailboxPath.inbox(BOB);
        if (!Boolean.TRUE.equals(reactor.core.publisher.Mono.from(
                peer.getMailboxManager().mailboxExists(inbox, session)).block())) {
            peer.getMailboxManager().createMailbox(inbox, session);
        }
        return peer.getMailboxManager().getMailbox(inbox, session);
    }

    private static byte[] fullContent(MessageManager mailbox, PostIntegrationResources peer, long uid)
            throws Exception {
        Iterator<MessageResult> results = mailbox.getMessages(MessageRange.one(MessageUid.of(uid)),
            FetchGroup.FULL_CONTENT, session(peer));
        try (InputStream in = results.next().getFullContent().getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
