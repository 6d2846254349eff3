package org.epost.mailbox.mail;

import java.time.Instant;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MailboxSessionUtil;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.mail.AttachmentMapper;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageUidProvider;
import org.apache.james.utils.UpdatableTickingClock;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.model.FolderId;
import org.epost.mailbox.support.TestMailboxStorage;

/** James's mapper contract tests' view of the ePOST backend, on an in-memory block service. */
public class PostMapperProvider implements MapperProvider {
    private static final MailboxSession SESSION = MailboxSessionUtil.create(Username.of("benwa"));

    private final UpdatableTickingClock clock = new UpdatableTickingClock(Instant.now());
    private final PostMailboxSessionMapperFactory factory =
        new PostMailboxSessionMapperFactory(TestMailboxStorage.inMemory(), clock, 1 << 20);
    private final MessageUidProvider uids = new MessageUidProvider();
    private final MessageId.Factory messageIds = new PostMessageId.Factory();

    public PostMailboxSessionMapperFactory factory() {
        return factory;
    }

    public UpdatableTickingClock clock() {
        return clock;
    }

    @Override
    public List<Capabilities> getSupportedCapabilities() {
        return List.of(Capabilities.MESSAGE, Capabilities.MAILBOX, Capabilities.ATTACHMENT, Capabilities.ANNOTATION,
            Capabilities.MOVE, Capabilities.ACL_STORAGE, Capabilities.UNIQUE_MESSAGE_ID,
            Capabilities.THREAD_SAFE_FLAGS_UPDATE, Capabilities.INCREMENTAL_APPLICABLE_FLAGS);
    }

    @Override
    public MailboxMapper createMailboxMapper() {
        return factory.createMailboxMapper(SESSION);
    }

    @Override
    public MessageMapper createMessageMapper() {
        return factory.createMessageMapper(SESSION);
    }

    @Override
    public MessageIdMapper createMessageIdMapper() {
        return factory.createMessageIdMapper(SESSION);
    }

    @Override
    public AttachmentMapper createAttachmentMapper() {
        return factory.createAttachmentMapper(SESSION);
    }

    /** An id no mailbox has. */
    @Override
    public MailboxId generateId() {
        return new PostMailboxId(SESSION.getUser(), FolderId.random());
    }

    @Override
    public MessageUid generateMessageUid() {
        return uids.next();
    }

    @Override
    public ModSeq generateModSeq(Mailbox mailbox) throws MailboxException {
        try {
            return factory.getModSeqProvider().nextModSeq(mailbox);
        } catch (org.apache.james.mailbox.exception.MailboxNotFoundException e) {
            // the contract reserves a MODSEQ for a mailbox it never created, to show that saving into it fails
            return ModSeq.first();
        }
    }

    @Override
    public ModSeq highestModSeq(Mailbox mailbox) throws MailboxException {
        return factory.getModSeqProvider().highestModSeq(mailbox);
    }

    /**
     * Attachments are looked up lazily whatever the fetch type: James's scanning search asks METADATA fetches for
     * them (HASATTACHMENT), so answering none there would break SEARCH.
     */
    @Override
    public boolean supportPartialAttachmentFetch() {
        return false;
    }

    @Override
    public MessageId generateMessageId() {
        return messageIds.generate();
    }
}
