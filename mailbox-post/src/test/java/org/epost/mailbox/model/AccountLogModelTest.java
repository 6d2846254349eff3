package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.post.log.LogRecord;
import org.epost.post.message.MessageReference;
import org.epost.post.store.PartReference;
import org.junit.jupiter.api.Test;

/** The account log's records and state: folders by id and path, renames, ACLs, subscriptions, annotations. */
class AccountLogModelTest {
    private final FolderId inbox = FolderId.random();
    private final FolderId work = FolderId.random();
    private long seq;

    private AccountState apply(AccountState state, AccountRecord record) {
        AccountRecord decoded = AccountRecord.decode(new LogRecord(seq, record.type(), record.encode()));
        assertThat(decoded).isEqualTo(record);
        return AccountReducer.INSTANCE.reduce(state, new LogRecord(seq++, record.type(), record.encode()));
    }

    @Test
    void foldersAreFoundByIdAndPathAndARenameKeepsTheId() {
        AccountState state = AccountReducer.INSTANCE.initial();
        state = apply(state, new AccountRecord.FolderCreated(inbox, "#private", "INBOX", 7));
        state = apply(state, new AccountRecord.FolderCreated(work, "#private", "INBOX.work", 8));
        state = apply(state, new AccountRecord.FolderRenamed(work, "#private", "INBOX.job"));
        state = apply(state, new AccountRecord.AclSet(inbox, List.of(new AclEntry("bob", "lr"))));
        state = apply(state, new AccountRecord.Subscribed("INBOX.job"));
        state = apply(state, new AccountRecord.AnnotationSet(inbox, "/private/comment", "hi"));
        state = apply(state, new AccountRecord.AttachmentStored(new AttachmentInfo("att-1", new MessageKey(3, 4),
            "image/png", 10, "a.png", null, false, new MessageReference(
                new PartReference(Id.hash("p"), new byte[32], 10, PartReference.Layout.SINGLE, true), 10))));

        assertThat(state.folder(new FolderInfo.FolderPath("#private", "INBOX.job")).map(FolderInfo::id)).contains(work);
        assertThat(state.folder(new FolderInfo.FolderPath("#private", "INBOX.work"))).isEmpty();
        assertThat(state.folder(work).orElseThrow().uidValidity()).isEqualTo(8);
        assertThat(state.folder(inbox).orElseThrow().acl()).containsExactly(new AclEntry("bob", "lr"));
        assertThat(state.subscriptions()).containsExactly("INBOX.job");
        assertThat(state.annotations(inbox)).containsEntry("/private/comment", "hi");
        assertThat(state.attachmentsOf(new MessageKey(3, 4))).extracting(AttachmentInfo::attachmentId)
            .containsExactly("att-1");

        AccountState decoded = AccountReducer.INSTANCE.decode(AccountReducer.INSTANCE.encode(state));
        assertThat(AccountReducer.INSTANCE.encode(decoded)).isEqualTo(AccountReducer.INSTANCE.encode(state));
        assertThat(decoded.folder(new FolderInfo.FolderPath("#private", "INBOX.job")).map(FolderInfo::id)).contains(work);

        AccountState deleted = apply(decoded, new AccountRecord.FolderDeleted(inbox));
        assertThat(deleted.folder(inbox)).isEmpty();
        assertThat(deleted.annotations(inbox)).isEmpty();
    }

    @Test
    void reducingLeavesTheGivenStateAsItWas() {
        MessageReference content = new MessageReference(
            new PartReference(Id.hash("p"), new byte[32], 10, PartReference.Layout.SINGLE, true), 10);
        AccountState before = AccountReducer.INSTANCE.initial();
        before = apply(before, new AccountRecord.FolderCreated(inbox, "#private", "INBOX", 7));
        before = apply(before, new AccountRecord.Subscribed("INBOX"));
        before = apply(before, new AccountRecord.AnnotationSet(inbox, "/private/comment", "hi"));
        before = apply(before, new AccountRecord.AttachmentStored(new AttachmentInfo("att-1", new MessageKey(3, 4),
            "image/png", 10, "a.png", null, false, content)));
        byte[] encoded = AccountReducer.INSTANCE.encode(before);

        AccountState after = apply(before, new AccountRecord.FolderCreated(work, "#private", "INBOX.work", 8));
        after = apply(after, new AccountRecord.FolderRenamed(inbox, "#private", "INBOX.old"));
        after = apply(after, new AccountRecord.Unsubscribed("INBOX"));
        after = apply(after, new AccountRecord.AnnotationSet(inbox, "/private/comment", "changed"));
        after = apply(after, new AccountRecord.AttachmentStored(new AttachmentInfo("att-2", new MessageKey(3, 4),
            "image/png", 10, "b.png", null, false, content)));
        after = apply(after, new AccountRecord.ExtensionSet("k", new byte[] {1}));
        after = apply(after, new AccountRecord.FolderDeleted(work));

        assertThat(AccountReducer.INSTANCE.encode(before)).isEqualTo(encoded);
        assertThat(before.folders()).extracting(FolderInfo::name).containsExactly("INBOX");
        assertThat(before.folder(new FolderInfo.FolderPath("#private", "INBOX"))).isPresent();
        assertThat(before.subscriptions()).containsExactly("INBOX");
        assertThat(before.annotations(inbox)).containsEntry("/private/comment", "hi");
        assertThat(before.attachmentsOf(new MessageKey(3, 4))).extracting(AttachmentInfo::attachmentId)
            .containsExactly("att-1");
        assertThat(before.extension("k")).isEmpty();
        assertThat(after.folder(inbox).orElseThrow().name()).isEqualTo("INBOX.old");
        assertThat(after.subscriptions()).isEmpty();
        assertThat(after.annotations(inbox)).containsEntry("/private/comment", "changed");
        assertThat(after.attachmentsOf(new MessageKey(3, 4))).extracting(AttachmentInfo::attachmentId)
            .containsExactly("att-1", "att-2");
        assertThat(after.attachments()).hasSize(2);
    }

    @Test
    void twoFoldersAtOnePathOrRecordsNamingAMissingFolderFailLoudly() {
        AccountState state = apply(AccountReducer.INSTANCE.initial(),
            new AccountRecord.FolderCreated(inbox, "#private", "INBOX", 7));

        assertThatThrownBy(() -> apply(state, new AccountRecord.FolderCreated(work, "#private", "INBOX", 8)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("held by folder");
        assertThatThrownBy(() -> apply(state, new AccountRecord.FolderRenamed(work, "#private", "X")))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
    }
}
