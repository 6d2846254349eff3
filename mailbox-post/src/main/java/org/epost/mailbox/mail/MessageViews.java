package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.Property;
import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.model.MessageEntry;
import org.epost.mailbox.model.MessageProperty;
import org.epost.mailbox.storage.UserAccount;

/** Turns the log's {@link MessageEntry} into what James expects, and James's messages into entries. */
public final class MessageViews {
    private final ContentCache cache;
    private final AttachmentDirectory attachments;

    public MessageViews(ContentCache cache, AttachmentDirectory attachments) {
        this.cache = cache;
        this.attachments = attachments;
    }

    ContentCache cache() {
        return cache;
    }

    /**
     * The message as James sees it; nothing is fetched until its content is read, and its attachments are looked up
     * when first asked for, whatever the fetch type (James's scanning search asks a METADATA fetch for them).
     */
    public PostMailboxMessage message(PostMailboxId mailbox, UserAccount owner, MessageEntry entry) {
        StoredContent content = new StoredContent(owner.storage().messages(), cache, entry.content(),
            entry.prefix());
        return new PostMailboxMessage(mailbox, MessageUid.of(entry.uid()), ModSeq.of(entry.modSeq()),
            new PostMessageId(entry.messageId()), ThreadId.fromBaseMessageId(new PostMessageId(entry.threadId())),
            new Date(entry.internalDate()), saveDate(entry), entry.size(), (int) entry.bodyStart(),
            properties(entry), content, flags(entry), () -> attachmentsOf(entry, owner));
    }

    public static MessageMetaData metaData(MessageEntry entry) {
        return new MessageMetaData(MessageUid.of(entry.uid()), ModSeq.of(entry.modSeq()), flags(entry), entry.size(),
            new Date(entry.internalDate()), saveDate(entry), new PostMessageId(entry.messageId()),
            ThreadId.fromBaseMessageId(new PostMessageId(entry.threadId())));
    }

    public static Flags flags(MessageEntry entry) {
        return FlagBits.toFlags(entry.systemFlags(), entry.userFlags());
    }

    static Optional<Date> saveDate(MessageEntry entry) {
        return entry.saveDate() < 0 ? Optional.empty() : Optional.of(new Date(entry.saveDate()));
    }

    static Properties properties(MessageEntry entry) {
        List<Property> properties = new ArrayList<>(entry.properties().size());
        for (MessageProperty property : entry.properties()) {
            properties.add(new Property(property.namespace(), property.localName(), property.value()));
        }
        return new Properties(properties, entry.textualLineCount());
    }

    static List<MessageProperty> properties(MailboxMessage message) {
        List<MessageProperty> properties = new ArrayList<>();
        for (Property property : message.getProperties().toProperties()) {
            properties.add(new MessageProperty(property.getNamespace(), property.getLocalName(), property.getValue()));
        }
        return properties;
    }

    private List<MessageAttachmentMetadata> attachmentsOf(MessageEntry entry, UserAccount owner) {
        try {
            return attachments.ofMessage(entry.messageId(), owner.owner());
        } catch (MailboxException e) {
            throw new UncheckedIOException(new IOException("attachments of message " + entry.messageId()
                + " cannot be read: " + e.getMessage(), e));
        }
    }
}
