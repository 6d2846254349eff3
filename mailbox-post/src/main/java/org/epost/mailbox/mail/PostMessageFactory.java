package org.epost.mailbox.mail;

import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.MessageFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;

/**
 * Makes the message James's append hands the mapper. A content made by {@link ReferencedAppends} (already stored)
 * becomes a message of this backend carrying its reference, which the mapper records as is, nothing stored again and
 * nothing read whole; any other content (bytes from a client) is James's usual message, stored by the mapper.
 */
public final class PostMessageFactory implements MessageFactory<MailboxMessage> {
    private final MessageFactory.StoreMessageFactory james = new MessageFactory.StoreMessageFactory();

    @Override
    public MailboxMessage createMessage(MessageId messageId, ThreadId threadId, Mailbox mailbox, Date internalDate,
                                        Date saveDate, int size, int bodyStartOctet, Content content, Flags flags,
                                        PropertyBuilder propertyBuilder, List<MessageAttachmentMetadata> attachments)
            throws MailboxException {
        if (!(content instanceof StoredContent stored)) {
            return james.createMessage(messageId, threadId, mailbox, internalDate, saveDate, size, bodyStartOctet,
                content, flags, propertyBuilder, attachments);
        }
        List<MessageAttachmentMetadata> parsed = List.copyOf(attachments);
        // UID and MODSEQ are set by the mapper once the record is appended
        return new PostMailboxMessage(mailbox.getMailboxId(), null, null, messageId, threadId, internalDate,
            Optional.ofNullable(saveDate), size, bodyStartOctet, propertyBuilder.build(), stored, flags,
            () -> parsed);
    }
}
