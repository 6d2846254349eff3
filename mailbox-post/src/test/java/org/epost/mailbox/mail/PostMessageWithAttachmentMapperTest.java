package org.epost.mailbox.mail;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageWithAttachmentMapperTest;

/**
 * James's contract for messages carrying attachments against the ePOST backend. The contract adds messages to a
 * mailbox it never creates (it only makes an id); this backend keeps messages in folders that exist, so here the id
 * it gets names a folder created for it.
 */
class PostMessageWithAttachmentMapperTest extends MessageWithAttachmentMapperTest {
    @Override
    protected MapperProvider createMapperProvider() {
        return new PostMapperProvider() {
            @Override
            public MailboxId generateId() {
                return createMailboxMapper()
                    .create(MailboxPath.forUser(Username.of("benwa"), "Attachments"), UidValidity.of(42))
                    .block()
                    .getMailboxId();
            }
        };
    }
}
