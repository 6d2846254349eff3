package org.epost.mailbox.mail;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.model.ComposedMessageId;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.mail.model.DelegatingMailboxMessage;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.apache.james.mailbox.store.mail.model.impl.SimpleMessage;
import org.epost.mailbox.model.MimeStructure;
import org.epost.mailbox.model.RecordFormatException;
import org.epost.mailbox.model.SystemFlags;
import org.epost.post.message.MessageReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message of this backend as James sees it: metadata from the folder's state, content read lazily from the message
 * store (through the {@link ContentCache}) only when a stream of it is opened, attachments looked up only when asked
 * for. UID, MODSEQ, flags and save date are mutable because James's store sets them on the objects it copies.
 */
public final class PostMailboxMessage extends DelegatingMailboxMessage {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostMailboxMessage.class);

    private final MailboxId mailboxId;
    private final ThreadId threadId;
    private final StoredContent content;
    private final Supplier<List<MessageAttachmentMetadata>> attachments;
    private MessageUid uid;
    private ModSeq modSeq;
    private Optional<Date> saveDate;
    private int systemFlags;
    private String[] userFlags;

    PostMailboxMessage(MailboxId mailboxId, MessageUid uid, ModSeq modSeq, org.apache.james.mailbox.model.MessageId messageId,
                       ThreadId threadId, Date internalDate, Optional<Date> saveDate, long size, int bodyStart,
                       Properties properties, StoredContent content, Flags flags,
                       Supplier<List<MessageAttachmentMetadata>> attachments) {
        super(new SimpleMessage(messageId, content, size, internalDate, bodyStart, properties.getTextualLineCount(),
            properties, List.of()));
        this.mailboxId = Objects.requireNonNull(mailboxId, "mailboxId");
        this.threadId = threadId;
        this.content = content;
        this.attachments = attachments;
        this.uid = uid;
        this.modSeq = modSeq;
        this.saveDate = saveDate;
        setFlags(flags);
    }

    /** Where the content is stored: copies and moves record this reference and never re-store the bytes. */
    public MessageReference contentReference() {
        return content.reference();
    }

    /** Has the content's skeleton read in the background: a FETCH is about to read this message's content. */
    void readAhead() {
        content.readAhead();
    }

    /** The header lines this copy has before its stored content (usually none, see {@link ReferencedAppends}). */
    public byte[] contentPrefix() {
        return content.prefix();
    }

    /**
     * The MIME structure stored with the content, if its skeleton has one (read from the skeleton, never from a
     * part); empty too when the stored structure is unreadable, which is logged: the caller then parses the content.
     */
    Optional<MimeDescriptor> storedStructure() throws MailboxException {
        Optional<byte[]> structure;
        try {
            structure = content.structure();
        } catch (IOException e) {
            throw new MailboxException("the skeleton of " + this + " cannot be read: " + e.getMessage(), e);
        }
        try {
            return structure.map(MimeStructure::decode);
        } catch (RecordFormatException e) {
            LOGGER.warn("Ignoring the malformed MIME structure stored with {}: {}", this, e.getMessage());
            return Optional.empty();
        }
    }

    int bodyStartOctet() {
        return (int) getHeaderOctets();
    }

    @Override
    public MailboxId getMailboxId() {
        return mailboxId;
    }

    @Override
    public ThreadId getThreadId() {
        return threadId;
    }

    @Override
    public MessageUid getUid() {
        return uid;
    }

    @Override
    public void setUid(MessageUid uid) {
        this.uid = uid;
    }

    @Override
    public ModSeq getModSeq() {
        return modSeq;
    }

    @Override
    public void setModSeq(ModSeq modSeq) {
        this.modSeq = modSeq;
    }

    @Override
    public Optional<Date> getSaveDate() {
        return saveDate;
    }

    @Override
    public void setSaveDate(Date saveDate) {
        this.saveDate = Optional.of(saveDate);
    }

    @Override
    public synchronized void setFlags(Flags flags) {
        systemFlags = FlagBits.systemFlags(flags);
        userFlags = flags.getUserFlags();
    }

    @Override
    protected synchronized String[] createUserFlags() {
        return userFlags.clone();
    }

    @Override
    public synchronized boolean isAnswered() {
        return SystemFlags.has(systemFlags, SystemFlags.ANSWERED);
    }

    @Override
    public synchronized boolean isDeleted() {
        return SystemFlags.has(systemFlags, SystemFlags.DELETED);
    }

    @Override
    public synchronized boolean isDraft() {
        return SystemFlags.has(systemFlags, SystemFlags.DRAFT);
    }

    @Override
    public synchronized boolean isFlagged() {
        return SystemFlags.has(systemFlags, SystemFlags.FLAGGED);
    }

    @Override
    public synchronized boolean isRecent() {
        return SystemFlags.has(systemFlags, SystemFlags.RECENT);
    }

    @Override
    public synchronized boolean isSeen() {
        return SystemFlags.has(systemFlags, SystemFlags.SEEN);
    }

    @Override
    public List<MessageAttachmentMetadata> getAttachments() {
        return attachments.get();
    }

    @Override
    public ComposedMessageIdWithMetaData getComposedMessageIdWithMetaData() {
        return ComposedMessageIdWithMetaData.builder()
            .composedMessageId(new ComposedMessageId(mailboxId, getMessageId(), uid))
            .flags(createFlags())
            .modSeq(modSeq)
            .threadId(threadId)
            .build();
    }

    /** The same message placed in {@code mailbox} (same content reference, UID and MODSEQ until James sets them). */
    @Override
    public MailboxMessage copy(Mailbox mailbox) {
        return new PostMailboxMessage(mailbox.getMailboxId(), uid, modSeq, getMessageId(), threadId, getInternalDate(),
            saveDate, getFullContentOctets(), bodyStartOctet(), getProperties(), content, createFlags(), attachments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostMailboxMessage other && mailboxId.equals(other.mailboxId)
            && Objects.equals(uid, other.uid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailboxId, uid);
    }

    @Override
    public String toString() {
        return "PostMailboxMessage(" + mailboxId + " uid " + uid + ", modseq " + modSeq + ", " + getMessageId()
            + ", " + getFullContentOctets() + " bytes)";
    }
}
