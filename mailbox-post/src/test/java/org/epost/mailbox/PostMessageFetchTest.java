package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.apache.james.mailbox.model.MimePath;
import org.apache.james.mailbox.store.MimeDescriptorImpl;
import org.epost.mailbox.mail.MimeStructureIndexer;
import org.epost.mailbox.model.MimeStructure;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.message.StructureIndexer;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;

/**
 * IMAP FETCH reads only what it needs of a message stored as parts (16 KiB leaves, as on a peer; no content cache,
 * so every read reaches the store and is counted): BODYSTRUCTURE comes from the skeleton's stored structure and is
 * exactly what James computes from the whole message; the header reads no part; a section reads its own part and at
 * most the first chunk of the next one (James's MIME parser reads a few KiB ahead); the whole message is
 * byte-identical.
 */
class PostMessageFetchTest {
    private static final Username BOB = Username.of("bob@epost.test");
    private static final String TEXT = "Hello Bob,\r\nthe report and the thread are attached.\r\n";
    /** 2 MB of base64: three chunks of about 1 MB in the store. */
    private static final byte[] PDF = Seeded.bytes(1_500_000, 1);
    private static final String LONG_TEXT = "a long line of the forwarded message\r\n".repeat(1_200);
    private static final byte[] MESSAGE = ascii("From: alice@epost.test\r\nTo: bob@epost.test\r\n"
        + "Subject: report\r\nMessage-ID: <report@epost.test>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
        + "--outer\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT
        + "\r\n--outer\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment; filename=\"report.pdf\"\r\n\r\n" + base64Lines(PDF)
        + "\r\n--outer\r\nContent-Type: message/rfc822\r\nContent-Description: the thread\r\n\r\n"
        + "From: carol@epost.test\r\nSubject: thread\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
        + "--inner\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + LONG_TEXT
        + "\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>short</p>\r\n--inner--\r\n"
        + "\r\n--outer--\r\n");

    private CountingMessageStore contents;
    private MessageManager folder;
    private MailboxSession session;
    private MessageUid uid;

    private void appendWith(StructureIndexer indexer) throws Exception {
        InMemoryBlockService dht = new InMemoryBlockService();
        contents = new CountingMessageStore(TestMailboxStorage.splitMessages(dht, 16 * 1024, indexer));
        TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(), contents,
            LogConfig.defaults());
        PostMailboxManager manager = PostIntegrationResources.builder().storage(storage).contentCacheBytes(0).build()
            .getMailboxManager();
        session = manager.createSystemSession(BOB);
        MailboxPath inbox = MailboxPath.inbox(BOB);
        manager.createMailbox(inbox, session);
        folder = manager.getMailbox(inbox, session);
        uid = folder.appendMessage(AppendCommand.builder().build(MESSAGE), session).getId().getUid();
    }

    private MessageResult fetch(FetchGroup group) {
        return Flux.from(folder.getMessagesReactive(MessageRange.one(uid), group, session)).blockFirst();
    }

    @Test
    void bodyStructureComesFromTheSkeletonAndIsWhatJamesComputesFromTheWholeMessage() throws Exception {
        appendWith(new MimeStructureIndexer());
        long partsBefore = partReads();

        MimeDescriptor descriptor = fetch(FetchGroup.MINIMAL.with(FetchGroup.Profile.MIME_DESCRIPTOR))
            .getMimeDescriptor();

        assertThat(partReads() - partsBefore).as("parts read for BODYSTRUCTURE").isZero();
        assertThat(contents.skeletons()).isPositive();
        assertThat(descriptor).isInstanceOf(MimeStructure.class);
        MimeDescriptor james = MimeDescriptorImpl.build(new ByteArrayInputStream(MESSAGE));
        assertThat(MimeStructure.of(descriptor).encode()).isEqualTo(MimeStructure.of(james).encode());
        assertThat(descriptor.getMimeSubType()).isEqualTo("mixed");
        Iterator<MimeDescriptor> parts = descriptor.parts();
        assertThat(parts.next().getLines()).isEqualTo(2);
        assertThat(parts.next().getDispositionParams()).containsEntry("filename", "report.pdf");
        assertThat(parts.next().embeddedMessage().getMimeSubType()).isEqualTo("alternative");
    }

    @Test
    void theHeaderReadsNoPart() throws Exception {
        appendWith(new MimeStructureIndexer());
        long partsBefore = partReads();

        Iterator<Header> headers = fetch(FetchGroup.HEADERS).getHeaders().headers();

        assertThat(Flux.fromIterable(() -> headers).map(Header::getName).collectList().block()).contains("Subject");
        assertThat(partReads() - partsBefore).isZero();
    }

    @Test
    void theTextSectionReadsOneChunkOfTheAttachmentAfterItNeverTheWholeAttachment() throws Exception {
        appendWith(new MimeStructureIndexer());
        long wholeBefore = contents.partFetches();
        long chunksBefore = contents.chunkFetches();

        MessageResult result = fetch(FetchGroup.MINIMAL.addPartContent(new MimePath(new int[] {1}),
            FetchGroup.Profile.MIME_CONTENT));

        assertThat(read(result.getMimeBody(new MimePath(new int[] {1})))).isEqualTo(TEXT);
        assertThat(contents.partFetches() - wholeBefore).isZero();
        assertThat(contents.chunkFetches() - chunksBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void aSectionReadsItsOwnPartAndNoneAfterIt() throws Exception {
        appendWith(new MimeStructureIndexer());
        long wholeBefore = contents.partFetches();
        long chunksBefore = contents.chunkFetches();

        MessageResult result = fetch(FetchGroup.MINIMAL.addPartContent(new MimePath(new int[] {2}),
            FetchGroup.Profile.MIME_CONTENT));

        assertThat(Base64.getMimeDecoder().decode(read(result.getMimeBody(new MimePath(new int[] {2}))))).isEqualTo(PDF);
        assertThat(contents.partFetches() - wholeBefore).as("the attachment, whole").isEqualTo(1);
        assertThat(contents.chunkFetches() - chunksBefore).as("its first chunk, and the forwarded text's read ahead")
            .isLessThanOrEqualTo(2);
    }

    @Test
    void theWholeMessageIsByteIdentical() throws Exception {
        appendWith(new MimeStructureIndexer());

        MessageResult result = fetch(FetchGroup.FULL_CONTENT);

        assertThat(result.getFullContent().getInputStream().readAllBytes()).isEqualTo(MESSAGE);
    }

    @Test
    void aMalformedStoredStructureIsIgnoredAndTheMessageParsedInstead() throws Exception {
        appendWith(message -> Optional.of(ascii("not a structure")));

        MimeDescriptor descriptor = fetch(FetchGroup.MINIMAL.with(FetchGroup.Profile.MIME_DESCRIPTOR))
            .getMimeDescriptor();

        assertThat(descriptor).isNotInstanceOf(MimeStructure.class);
        MimeDescriptor james = MimeDescriptorImpl.build(new ByteArrayInputStream(MESSAGE));
        assertThat(MimeStructure.of(descriptor).encode()).isEqualTo(MimeStructure.of(james).encode());
    }

    private long partReads() {
        return contents.partFetches() + contents.chunkFetches();
    }

    private static String read(org.apache.james.mailbox.model.Content content) throws Exception {
        return new String(content.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String base64Lines(byte[] data) {
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data);
    }
}
