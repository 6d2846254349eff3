package org.epost.mailbox.mail;

import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMapperACLTest;

/** James's mailbox ACL storage contract against the ePOST backend. */
class PostMailboxMapperAclTest extends MailboxMapperACLTest {
    @Override
    protected MailboxMapper createMailboxMapper() {
        return new PostMapperProvider().createMailboxMapper();
    }
}
