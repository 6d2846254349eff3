package org.epost.mailbox.mail;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMapperTest;

/** James's MailboxMapper contract against the ePOST backend. */
class PostMailboxMapperTest extends MailboxMapperTest {
    private final PostMapperProvider provider = new PostMapperProvider();

    @Override
    protected MailboxMapper createMailboxMapper() {
        return provider.createMailboxMapper();
    }

    @Override
    protected MailboxId generateId() {
        return provider.generateId();
    }
}
