package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.FolderReducer;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.storage.Folder;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.post.accounts.UserKeys;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogOpener;
import org.epost.post.log.LogVerificationException;
import org.epost.post.log.LogWriter;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A folder whose log does not verify fails loudly: James gets an error naming the log, never an empty or shortened
 * folder that would look like lost mail.
 */
class PostMailboxIntegrityTest {
    private static final Username ALICE = Username.of("alice@epost.test");
    private static final MailboxPath INBOX = MailboxPath.inbox(ALICE);

    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(),
        TestMailboxStorage.wholeMessages(dht), LogConfig.defaults());
    private PostMailboxId inboxId;
    private String folderLabel;

    @BeforeEach
    void aliceHasMail() throws Exception {
        PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();
        MailboxSession session = peer.getMailboxManager().createSystemSession(ALICE);
        inboxId = (PostMailboxId) peer.getMailboxManager().createMailbox(INBOX, session).orElseThrow();
        MessageManager inbox = peer.getMailboxManager().getMailbox(INBOX, session);
        for (int i = 0; i < 3; i++) {
            inbox.appendMessage(AppendCommand.builder()
                .build(("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.UTF_8)), session);
        }
        folderLabel = Folder.LABEL_PREFIX + inboxId.folder().toHex();
        peer.getMapperFactory().close();
    }

    @Test
    void aHeadSignedByAnotherKeyIsRefused() throws Exception {
        UserKeys mallory = UserKeys.generate();
        // a well-formed log with the same label, written and signed by another key, served at alice's head
        LogWriter<FolderState> forger = LogWriter.open(dht, new InMemoryLogViewStore(), LogConfig.defaults(),
            mallory.signing(), mallory.encryption(), folderLabel, FolderReducer.INSTANCE);
        Block forgedHead = dht.lookup(new BlockKey(forger.headHandle(), BlockKind.PUBLIC_KEY)).get().orElseThrow();
        dht.substitute(new BlockKey(aliceHeadHandle(), BlockKind.PUBLIC_KEY), forgedHead);

        assertFolderFailsLoudly(LogVerificationException.Reason.FOREIGN_HEAD);
    }

    @Test
    void aClusterReplacedByOtherBytesIsRefused() throws Exception {
        UserKeys alice = storage.keysOf(ALICE);
        List<BlockKey> referenced = new LogOpener(dht, new InMemoryLogViewStore())
            .referencedBlocks(alice.signingPublicKey(), folderLabel, alice.encryption());
        BlockKey cluster = referenced.stream().filter(key -> key.kind() == BlockKind.CONTENT_HASH).findFirst()
            .orElseThrow();
        dht.substitute(cluster, ContentHashBlock.of("a record the owner never wrote".getBytes(StandardCharsets.UTF_8)));

        assertFolderFailsLoudly(LogVerificationException.Reason.MALFORMED_BLOCK);
    }

    private void assertFolderFailsLoudly(LogVerificationException.Reason reason) throws Exception {
        // a peer without a local view reads the folder from the DHT
        PostIntegrationResources peer = PostIntegrationResources.builder()
            .storage(storage.takingOverWriters().withViews(new InMemoryLogViewStore())).build();
        MailboxSession session = peer.getMailboxManager().createSystemSession(ALICE);
        MessageManager inbox = peer.getMailboxManager().getMailbox(INBOX, session);

        assertThatThrownBy(() -> inbox.getMessageCount(session))
            .isInstanceOf(MailboxException.class)
            .hasMessageContaining(folderLabel)
            .satisfies(error -> assertThat(rootCause(error))
                .isInstanceOfSatisfying(LogVerificationException.class,
                    verification -> assertThat(verification.reason()).isEqualTo(reason)));
        // James's result iterator reports a failed read through getException() (its IMAP processors check it)
        MessageResultIterator messages = inbox.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session);
        assertThat(messages.hasNext()).isFalse();
        assertThat(messages.getException()).isNotNull();
        assertThat(rootCause(messages.getException())).isInstanceOf(LogVerificationException.class);
    }

    private org.epost.overlay.id.Id aliceHeadHandle() {
        return LogOpener.headHandle(storage.keysOf(ALICE).signingPublicKey(), folderLabel);
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
