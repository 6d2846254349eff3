package org.epost.mailbox.mail;

import java.io.IOException;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.Headers;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.apache.james.mailbox.model.MimePath;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;

/**
 * James's result for one of this backend's messages, except that the MIME structure (BODYSTRUCTURE) comes from the
 * structure stored with the message when it has one, rather than from parsing the message: James would read every
 * part of a multipart message to describe it, this reads only its skeleton. Everything else is James's result.
 */
public final class StructuredMessageResult implements MessageResult {
    private final MailboxMessage message;
    private final MessageResult james;
    private MimeDescriptor descriptor;

    private StructuredMessageResult(MailboxMessage message, MessageResult james) {
        this.message = message;
        this.james = james;
    }

    /** {@code james} as is for messages of other backends, with the stored structure for this one's. */
    public static MessageResult of(MailboxMessage message, MessageResult james) {
        return message instanceof PostMailboxMessage ? new StructuredMessageResult(message, james) : james;
    }

    @Override
    public synchronized MimeDescriptor getMimeDescriptor() throws MailboxException {
        if (descriptor == null) {
            Optional<MimeDescriptor> stored = MimeStructureIndexer.isComposite(message.getMediaType())
                ? ((PostMailboxMessage) message).storedStructure() : Optional.empty();
            descriptor = stored.isPresent() ? stored.get() : james.getMimeDescriptor();
        }
        return descriptor;
    }

    @Override
    public MessageId getMessageId() {
        return james.getMessageId();
    }

    @Override
    public ThreadId getThreadId() {
        return james.getThreadId();
    }

    @Override
    public Optional<Date> getSaveDate() {
        return james.getSaveDate();
    }

    @Override
    public Date getInternalDate() {
        return james.getInternalDate();
    }

    @Override
    public Flags getFlags() {
        return james.getFlags();
    }

    @Override
    public long getSize() {
        return james.getSize();
    }

    @Override
    public MessageMetaData messageMetaData() {
        return james.messageMetaData();
    }

    @Override
    public MessageUid getUid() {
        return james.getUid();
    }

    @Override
    public ModSeq getModSeq() {
        return james.getModSeq();
    }

    @Override
    public MailboxId getMailboxId() {
        return james.getMailboxId();
    }

    @Override
    public Iterator<Header> iterateHeaders(MimePath path) throws MailboxException {
        return james.iterateHeaders(path);
    }

    @Override
    public Iterator<Header> iterateMimeHeaders(MimePath path) throws MailboxException {
        return james.iterateMimeHeaders(path);
    }

    @Override
    public Content getFullContent() throws MailboxException, IOException {
        return james.getFullContent();
    }

    @Override
    public Content getFullContent(MimePath path) throws MailboxException {
        return james.getFullContent(path);
    }

    @Override
    public Content getBody() throws MailboxException, IOException {
        return james.getBody();
    }

    @Override
    public Content getBody(MimePath path) throws MailboxException {
        return james.getBody(path);
    }

    @Override
    public Content getMimeBody(MimePath path) throws MailboxException {
        return james.getMimeBody(path);
    }

    @Override
    public Headers getHeaders() throws MailboxException {
        return james.getHeaders();
    }

    @Override
    public List<MessageAttachmentMetadata> getLoadedAttachments() throws MailboxException {
        return james.getLoadedAttachments();
    }

    @Override
    public int compareTo(MessageResult other) {
        return james.compareTo(other instanceof StructuredMessageResult structured ? structured.james : other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructuredMessageResult other && james.equals(other.james);
    }

    @Override
    public int hashCode() {
        return james.hashCode();
    }

    @Override
    public String toString() {
        return james.toString();
    }
}
