package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.LargeMessages;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client's IMAP APPEND hands the backend: James's decoder gives the mailbox manager a content read from a file
 * (its literal spooled to disk above 10 MiB). A large one is stored as SMTP mail is, through an encrypted scratch file
 * read a piece at a time, never as one array; the scratch file is gone afterwards; a content that fails is refused.
 */
class PostStreamedAppendTest {
    private static final Username BOB = Username.of("bob@epost.test");
    private static final int MIB = 1 << 20;

    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final CountingMessageStore contents = new CountingMessageStore(TestMailboxStorage.splitMessages(dht));
    private final TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(), contents,
        LogConfig.defaults());
    @TempDir
    Path literals;

    @Test
    void aLargeClientAppendIsStoredThroughAScratchFileNeverAsOneArrayAndReadBackByteForByte() throws Exception {
        byte[] large = LargeMessages.withAttachment(12 * MIB);
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MessageManager inbox = inboxOf(peer);

        inbox.appendMessage(AppendCommand.builder().build(fileLiteral(large)), session(peer));

        assertThat(contents.stores()).as("stored from an array").isZero();
        assertThat(contents.streamedStores()).isEqualTo(1);
        assertThat(contents.largestStreamedRead()).as("read by the store at once")
            .isPositive().isLessThanOrEqualTo(2 * MIB);
        assertThat(contents.scratchFiles()).hasSize(1)
            .allSatisfy(file -> assertThat(file).as("the scratch file, once stored").doesNotExist());
        assertThat(fullContent(inbox, peer)).isEqualTo(large);
        Iterator<MessageResult> result = inbox.getMessages(MessageRange.one(MessageUid.of(1)), FetchGroup.MINIMAL,
            session(peer));
        // not parsed for attachments: James's parser would build the whole message in memory
        assertThat(result.next().getLoadedAttachments()).isEmpty();
    }

    @Test
    void aSmallClientAppendIsStillStoredFromTheHeap() throws Exception {
        byte[] small = LargeMessages.withAttachment(MIB / 2);
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MessageManager inbox = inboxOf(peer);

        inbox.appendMessage(AppendCommand.builder().build(fileLiteral(small)), session(peer));

        // the message and its attachment (parsed below 4 MiB), each from an array
        assertThat(contents.stores()).isEqualTo(2);
        assertThat(contents.streamedStores()).isZero();
        assertThat(fullContent(inbox, peer)).isEqualTo(small);
    }

    @Test
    void aContentThatFailsMidwayOrIsShorterThanItsSizeIsRefusedWithItsReason() throws Exception {
        byte[] large = LargeMessages.withAttachment(3 * MIB);
        Path file = Files.write(literals.resolve("broken"), large);
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MessageManager inbox = inboxOf(peer);
        Content failing = new Content() {
            private int opened;

            @Override
            public InputStream getInputStream() throws IOException {
                // James's first reading (its parse of the header and line count) succeeds, the store's copy fails
                if (++opened == 1) {
                    return Files.newInputStream(file);
                }
                return new FilterInputStream(Files.newInputStream(file)) {
                    private long read;

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        // past 2 MiB: the literal's file was removed under it
                        if (read > 2 * MIB) {
                            throw new IOException("the literal file is gone");
                        }
                        int n = super.read(buffer, offset, length);
                        read += Math.max(n, 0);
                        return n;
                    }
                };
            }

            @Override
            public long size() {
                return large.length;
            }
        };
        Content shorter = new Content() {
            @Override
            public InputStream getInputStream() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long size() {
                return large.length + 10L;
            }
        };

        assertThatThrownBy(() -> inbox.appendMessage(AppendCommand.builder().build(failing), session(peer)))
            .isInstanceOf(MailboxException.class)
            .hasMessageContaining("cannot read the content of the message to store: the literal file is gone");
        assertThatThrownBy(() -> inbox.appendMessage(AppendCommand.builder().build(shorter), session(peer)))
            .isInstanceOf(MailboxException.class).hasStackTraceContaining("but its size says");

        // nothing reached the store (MessageScratchFileTest: a copy that fails deletes its file)
        assertThat(contents.streamedStores()).isZero();
        assertThat(inbox.getMessageCount(session(peer))).isZero();
    }

    /** A content read from a file, as James's IMAP decoder hands over a literal it spooled to disk. */
    private Content fileLiteral(byte[] message) throws IOException {
        Path file = Files.write(Files.createTempFile(literals, "imap-literal", ".tmp"), message);
        return new Content() {
            @Override
            public InputStream getInputStream() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long size() {
                return message.length;
            }
        };
    }

    private static MailboxSession session(PostIntegrationResources peer) {
        return peer.getMailboxManager().createSystemSession(BOB);
    }

    private static MessageManager inboxOf(PostIntegrationResources peer) throws Exception {
        MailboxSession session = session(peer);
        MailboxPath inbox = MailboxPath.inbox(BOB);
        peer.getMailboxManager().createMailbox(inbox, session);
        return peer.getMailboxManager().getMailbox(inbox, session);
    }

    private static byte[] fullContent(MessageManager mailbox, PostIntegrationResources peer) throws Exception {
        Iterator<MessageResult> results = mailbox.getMessages(MessageRange.one(MessageUid.of(1)),
            FetchGroup.FULL_CONTENT, session(peer));
        try (InputStream in = results.next().getFullContent().getInputStream()) {
            return in.readAllBytes();
        }
    }
}
