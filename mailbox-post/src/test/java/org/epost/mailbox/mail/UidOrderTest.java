package org.epost.mailbox.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;
import org.apache.james.mailbox.store.mail.model.impl.SimpleMailboxMessage;
import org.junit.jupiter.api.Test;

/**
 * UIDs and MODSEQs James reserves ahead of a save are kept only while they are still above what is acknowledged, so
 * UIDs become visible in increasing order and UIDNEXT never moves back.
 */
class UidOrderTest {
    private final PostMapperProvider provider = new PostMapperProvider();
    private final Mailbox inbox = provider.createMailboxMapper()
        .create(MailboxPath.inbox(Username.of("benwa")), UidValidity.of(42)).block();

    @Test
    void aReservationOvertakenByAnotherAppendIsReplacedByTheNextUid() throws Exception {
        MessageUid reserved = provider.factory().getUidProvider().nextUid(inbox);
        ModSeq reservedModSeq = provider.factory().getModSeqProvider().nextModSeq(inbox);
        // another session appends first and takes UID 1
        MessageUid appended = provider.createMessageMapper().add(inbox, message()).getUid();

        SimpleMailboxMessage late = message();
        late.setUid(reserved);
        late.setModSeq(reservedModSeq);
        provider.createMessageIdMapper().save(late);

        assertThat(reserved).isEqualTo(MessageUid.of(1));
        assertThat(appended).isEqualTo(MessageUid.of(1));
        assertThat(late.getUid()).isEqualTo(MessageUid.of(2));
        assertThat(late.getModSeq()).isGreaterThan(ModSeq.of(1));
        assertThat(provider.createMessageMapper().getLastUid(inbox)).contains(MessageUid.of(2));
    }

    @Test
    void aReservationStillAheadIsKeptAndUidNextFollowsOnlyAcknowledgedRecords() throws Exception {
        MessageUid first = provider.factory().getUidProvider().nextUid(inbox);
        MessageUid second = provider.factory().getUidProvider().nextUid(inbox);

        assertThat(second).isGreaterThan(first);
        assertThat(provider.factory().getUidProvider().lastUid(inbox)).isEmpty();

        SimpleMailboxMessage saved = message();
        saved.setUid(second);
        saved.setModSeq(provider.factory().getModSeqProvider().nextModSeq(inbox));
        provider.createMessageIdMapper().save(saved);

        assertThat(saved.getUid()).isEqualTo(second);
        assertThat(provider.factory().getUidProvider().lastUid(inbox)).contains(second);
        assertThat(provider.createMessageMapper().add(inbox, message()).getUid()).isGreaterThan(second);
    }

    private SimpleMailboxMessage message() {
        MessageId id = provider.generateMessageId();
        byte[] content = "Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        return new SimpleMailboxMessage(id, ThreadId.fromBaseMessageId(id), new Date(), content.length, 14,
            new ByteContent(content), new Flags(), new PropertyBuilder().build(), inbox.getMailboxId());
    }
}
