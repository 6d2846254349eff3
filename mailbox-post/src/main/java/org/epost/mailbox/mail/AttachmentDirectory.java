package org.epost.mailbox.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.AttachmentId;
import org.apache.james.mailbox.model.AttachmentMetadata;
import org.apache.james.mailbox.model.Cid;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.model.AttachmentInfo;
import org.epost.mailbox.model.MessageKey;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;

/**
 * Finds stored attachments in the account logs: an attachment is recorded in the account of the user whose session
 * stored it, usually the owner of the folder the message went to, so that account is looked at first and the others
 * after it.
 */
public final class AttachmentDirectory {
    /** An attachment and the account that recorded it. */
    public record Found(AttachmentInfo info, UserAccount account) {
    }

    private final MailboxRegistry registry;

    public AttachmentDirectory(MailboxRegistry registry) {
        this.registry = registry;
    }

    public Optional<Found> byId(String attachmentId) throws MailboxException {
        for (UserAccount account : registry.allAccounts()) {
            Optional<AttachmentInfo> info = account.log().read(state -> state.attachment(attachmentId));
            if (info.isPresent()) {
                return Optional.of(new Found(info.get(), account));
            }
        }
        return Optional.empty();
    }

    /** The attachments James extracted from message {@code id}, looking in {@code likelyOwner}'s account first. */
    public List<MessageAttachmentMetadata> ofMessage(MessageKey id, Username likelyOwner) throws MailboxException {
        Optional<UserAccount> first = registry.account(likelyOwner);
        if (first.isPresent()) {
            List<AttachmentInfo> found = first.get().log().read(state -> List.copyOf(state.attachmentsOf(id)));
            if (!found.isEmpty()) {
                return toJames(found);
            }
        }
        for (UserAccount account : registry.allAccounts()) {
            if (account.owner().equals(likelyOwner)) {
                continue;
            }
            List<AttachmentInfo> found = account.log().read(state -> List.copyOf(state.attachmentsOf(id)));
            if (!found.isEmpty()) {
                return toJames(found);
            }
        }
        return List.of();
    }

    static AttachmentMetadata metadata(AttachmentInfo info) {
        return AttachmentMetadata.builder()
            .attachmentId(AttachmentId.from(info.attachmentId()))
            .messageId(new PostMessageId(info.messageId()))
            .type(info.contentType())
            .size(info.size())
            .build();
    }

    private static List<MessageAttachmentMetadata> toJames(List<AttachmentInfo> infos) {
        List<MessageAttachmentMetadata> result = new ArrayList<>(infos.size());
        for (AttachmentInfo info : infos) {
            result.add(MessageAttachmentMetadata.builder()
                .attachment(metadata(info))
                .name(Optional.ofNullable(info.name()))
                .cid(Optional.ofNullable(info.cid()).map(Cid::from))
                .isInline(info.inline())
                .build());
        }
        return result;
    }
}
