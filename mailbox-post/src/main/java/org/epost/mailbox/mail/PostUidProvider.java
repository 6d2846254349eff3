package org.epost.mailbox.mail;

import java.util.Optional;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.storage.MailboxRegistry;

/**
 * UIDs James asks for ahead of a save (see {@link org.epost.mailbox.storage.Folder#reserveUid}); the last UID is the
 * acknowledged state's, so UIDNEXT never counts a UID that is not durable.
 */
public final class PostUidProvider implements UidProvider {
    private final MailboxRegistry registry;

    public PostUidProvider(MailboxRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MessageUid nextUid(Mailbox mailbox) throws MailboxException {
        return nextUid(mailbox.getMailboxId());
    }

    @Override
    public MessageUid nextUid(MailboxId mailboxId) throws MailboxException {
        return MessageUid.of(Folders.folder(registry, mailboxId).reserveUid());
    }

    @Override
    public Optional<MessageUid> lastUid(Mailbox mailbox) throws MailboxException {
        long last = Folders.folder(registry, mailbox).log().read(FolderState::lastUid);
        return last == 0 ? Optional.empty() : Optional.of(MessageUid.of(last));
    }
}
