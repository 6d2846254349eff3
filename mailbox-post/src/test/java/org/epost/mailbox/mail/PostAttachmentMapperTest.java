package org.epost.mailbox.mail;

import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.mail.AttachmentMapper;
import org.apache.james.mailbox.store.mail.model.AttachmentMapperTest;

/** James's AttachmentMapper contract against the ePOST backend. */
class PostAttachmentMapperTest extends AttachmentMapperTest {
    private final PostMapperProvider provider = new PostMapperProvider();

    @Override
    protected AttachmentMapper createAttachmentMapper() {
        return provider.createAttachmentMapper();
    }

    @Override
    protected MessageId generateMessageId() {
        return provider.generateMessageId();
    }
}
