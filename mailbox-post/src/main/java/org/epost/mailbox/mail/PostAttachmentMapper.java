package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.AttachmentNotFoundException;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.AttachmentId;
import org.apache.james.mailbox.model.AttachmentMetadata;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.ParsedAttachment;
import org.apache.james.mailbox.store.mail.AttachmentMapper;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.model.AttachmentInfo;
import org.epost.mailbox.model.MessageKey;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.epost.post.log.LogEntry;
import org.epost.post.message.MessageReference;

import com.google.common.base.Preconditions;

/**
 * Attachments James extracts from the messages it stores: each content stored (encrypted) through the message store,
 * and recorded with its metadata in the account log of the session's user, all of one message in one append.
 */
public final class PostAttachmentMapper implements AttachmentMapper {
    private final MailboxRegistry registry;
    private final AttachmentDirectory directory;
    private final ContentCache cache;
    private final Username user;

    /** @param user the session's user, whose account records the attachments it stores */
    public PostAttachmentMapper(MailboxRegistry registry, AttachmentDirectory directory, ContentCache cache,
                                Username user) {
        this.registry = registry;
        this.directory = directory;
        this.cache = cache;
        this.user = user;
    }

    @Override
    public InputStream loadAttachmentContent(AttachmentId attachmentId) throws AttachmentNotFoundException, IOException {
        AttachmentDirectory.Found found = find(attachmentId);
        return cache.open(found.account().storage().messages(), found.info().content());
    }

    @Override
    public AttachmentMetadata getAttachment(AttachmentId attachmentId) throws AttachmentNotFoundException {
        Preconditions.checkArgument(attachmentId != null, "attachmentId is required");
        return AttachmentDirectory.metadata(find(attachmentId).info());
    }

    @Override
    public List<AttachmentMetadata> getAttachments(Collection<AttachmentId> attachmentIds) {
        Preconditions.checkArgument(attachmentIds != null, "attachmentIds is required");
        List<AttachmentMetadata> found = new ArrayList<>();
        for (AttachmentId id : attachmentIds) {
            try {
                found.add(AttachmentDirectory.metadata(find(id).info()));
            } catch (AttachmentNotFoundException e) {
                // absent ids are left out, as the contract says
            }
        }
        return found;
    }

    @Override
    public List<MessageAttachmentMetadata> storeAttachments(Collection<ParsedAttachment> attachments,
                                                            MessageId ownerMessageId) throws MailboxException {
        if (attachments.isEmpty()) {
            return List.of();
        }
        if (user == null) {
            throw new MailboxException("attachments can only be stored in a user's session");
        }
        UserAccount account = registry.requireAccount(user);
        MessageKey messageKey = PostMessageId.keyOf(ownerMessageId);
        List<AttachmentInfo> infos = new ArrayList<>(attachments.size());
        List<MessageAttachmentMetadata> result = new ArrayList<>(attachments.size());
        for (ParsedAttachment attachment : attachments) {
            byte[] bytes;
            try {
                bytes = attachment.getContent().read();
            } catch (IOException e) {
                throw new MailboxException("cannot read an attachment of " + ownerMessageId + ": " + e.getMessage(), e);
            }
            MessageReference content = ContentWriter.store(account.storage(), bytes);
            AttachmentId id = AttachmentId.random();
            infos.add(new AttachmentInfo(id.getId(), messageKey, attachment.getContentType().asString(), bytes.length,
                attachment.getName().orElse(null), attachment.getCid().map(cid -> cid.getValue()).orElse(null),
                attachment.isInline(), content));
            result.add(attachment.asMessageAttachment(id, bytes.length, ownerMessageId));
        }
        account.log().update(state -> {
            List<LogEntry> records = new ArrayList<>(infos.size());
            for (AttachmentInfo info : infos) {
                records.add(new AccountRecord.AttachmentStored(info).toEntry());
            }
            return LoggedState.Plan.of(records, null);
        });
        return result;
    }

    @Override
    public Collection<MessageId> getRelatedMessageIds(AttachmentId attachmentId) throws MailboxException {
        return List.of(new PostMessageId(find(attachmentId).info().messageId()));
    }

    private AttachmentDirectory.Found find(AttachmentId attachmentId) throws AttachmentNotFoundException {
        Optional<AttachmentDirectory.Found> found;
        try {
            found = directory.byId(attachmentId.getId());
        } catch (MailboxException e) {
            throw new AttachmentNotFoundException(attachmentId.getId(), "attachment lookup failed: " + e.getMessage(), e);
        }
        return found.orElseThrow(() -> new AttachmentNotFoundException(attachmentId.getId()));
    }
}
