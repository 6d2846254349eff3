package org.epost.mailbox.mail;

import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.storage.MailboxRegistry;

/**
 * MODSEQs James asks for ahead of a change (see {@link org.epost.mailbox.storage.Folder#reserveModSeq});
 * HIGHESTMODSEQ is the acknowledged state's, so it never goes back after a restart.
 */
public final class PostModSeqProvider implements ModSeqProvider {
    private final MailboxRegistry registry;

    public PostModSeqProvider(MailboxRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ModSeq nextModSeq(Mailbox mailbox) throws MailboxException {
        return nextModSeq(mailbox.getMailboxId());
    }

    @Override
    public ModSeq nextModSeq(MailboxId mailboxId) throws MailboxException {
        return ModSeq.of(Folders.folder(registry, mailboxId).reserveModSeq());
    }

    @Override
    public ModSeq highestModSeq(Mailbox mailbox) throws MailboxException {
        return highestModSeq(mailbox.getMailboxId());
    }

    @Override
    public ModSeq highestModSeq(MailboxId mailboxId) throws MailboxException {
        return ModSeq.of(Folders.folder(registry, mailboxId).log().read(FolderState::highestModSeq));
    }
}
