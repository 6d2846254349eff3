package org.epost.mailbox.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.mail.PostMailboxMessage;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.post.accounts.UserKeys;
import org.epost.post.lease.LeaseReference;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogOpener;
import org.epost.post.store.PartReference;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/** The lease refresher keeps what the mailboxes reference, and only that. */
class MailboxLeaseReferencesTest {
    private static final Username ALICE = Username.of("alice@epost.test");

    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(),
        TestMailboxStorage.wholeMessages(dht), LogConfig.defaults());
    private final PostIntegrationResources peer = PostIntegrationResources.builder().storage(storage).build();

    @Test
    void everyLogBlockAndEveryContentIsReferencedUntilDeletedOrExpunged() throws Exception {
        MailboxSession session = peer.getMailboxManager().createSystemSession(ALICE);
        PostMailboxId inbox = (PostMailboxId) peer.getMailboxManager().createMailbox(MailboxPath.inbox(ALICE), session)
            .orElseThrow();
        PostMailboxId trash = (PostMailboxId) peer.getMailboxManager()
            .createMailbox(MailboxPath.forUser(ALICE, "Trash"), session).orElseThrow();
        MessageManager messages = peer.getMailboxManager().getMailbox(inbox, session);
        for (int i = 1; i <= 3; i++) {
            messages.appendMessage(AppendCommand.builder()
                .build(("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.UTF_8)), session);
        }
        PartReference third = contentOf(inbox, 3);
        MailboxLeaseReferences leases = new MailboxLeaseReferences(peer.getMapperFactory().registry());

        Set<LeaseReference> before = leases.collect();

        UserKeys keys = storage.keysOf(ALICE);
        assertThat(before).contains(
            head(keys, UserAccount.LABEL),
            head(keys, Folder.LABEL_PREFIX + inbox.folder().toHex()),
            head(keys, Folder.LABEL_PREFIX + trash.folder().toHex()),
            LeaseReference.of(contentOf(inbox, 1)),
            LeaseReference.of(third));
        for (LeaseReference reference : before) {
            if (reference instanceof LeaseReference.OfBlock block) {
                assertThat(dht.lookup(block.key()).get()).as("%s is stored", block).isPresent();
            }
        }
        assertThat(leases.source().references()).isEqualTo(before);
        assertThat(leases.liveMessages()).hasSize(3).contains(contentOf(inbox, 1).handle(), third.handle());

        messages.setFlags(new javax.mail.Flags(javax.mail.Flags.Flag.DELETED), MessageManager.FlagsUpdateMode.ADD,
            MessageRange.one(MessageUid.of(3)), session);
        messages.expunge(MessageRange.all(), session);
        peer.getMailboxManager().deleteMailbox(trash, session);
        Set<LeaseReference> after = leases.collect();

        assertThat(after).doesNotContain(LeaseReference.of(third),
            head(keys, Folder.LABEL_PREFIX + trash.folder().toHex()));
        assertThat(after).contains(LeaseReference.of(contentOf(inbox, 1)));
        // what the skeleton cache keeps files for: the expunged message is gone
        assertThat(leases.liveMessages()).hasSize(2).contains(contentOf(inbox, 1).handle())
            .doesNotContain(third.handle());
    }

    private PartReference contentOf(PostMailboxId mailbox, long uid) throws Exception {
        var mailboxEntity = peer.getMapperFactory().createMailboxMapper(null).findMailboxById(mailbox).block();
        PostMailboxMessage message = (PostMailboxMessage) peer.getMapperFactory().createMessageMapper(null)
            .findInMailbox(mailboxEntity, MessageRange.one(MessageUid.of(uid)),
                org.apache.james.mailbox.store.mail.MessageMapper.FetchType.METADATA, 1).next();
        return message.contentReference().top();
    }

    private static LeaseReference head(UserKeys keys, String label) {
        return LeaseReference.of(new BlockKey(LogOpener.headHandle(keys.signingPublicKey(), label),
            BlockKind.PUBLIC_KEY));
    }
}
