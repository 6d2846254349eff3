package org.epost.mailbox;

import java.io.InputStream;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.store.AbstractMailboxManagerAttachmentTest;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.AttachmentMapperFactory;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.junit.jupiter.api.BeforeEach;

/** James's attachment contract (parsed at append, stored, readable; a parse failure does not stop the append). */
class PostMailboxManagerAttachmentTest extends AbstractMailboxManagerAttachmentTest {
    private PostMailboxManager mailboxManager;
    private PostMailboxManager parseFailingMailboxManager;

    /** A parser that always fails: the message must still be stored, without attachments. */
    private static final class FailingMessageParser extends MessageParser {
        @Override
        public ParsingResult retrieveAttachments(InputStream fullContent) {
            throw new RuntimeException("Message parser set to fail");
        }

        @Override
        public java.util.List<org.apache.james.mailbox.model.ParsedAttachment> retrieveAttachments(
                org.apache.james.mime4j.dom.Message message) {
            throw new RuntimeException("Message parser set to fail");
        }
    }

    @BeforeEach
    void setUpManagers() throws Exception {
        mailboxManager = PostIntegrationResources.defaultResources().getMailboxManager();
        parseFailingMailboxManager = PostIntegrationResources.builder()
            .messageParser(new FailingMessageParser())
            .build()
            .getMailboxManager();
        super.setUp();
    }

    @Override
    protected MailboxManager getMailboxManager() {
        return mailboxManager;
    }

    @Override
    protected MailboxManager getParseFailingMailboxManager() {
        return parseFailingMailboxManager;
    }

    @Override
    protected MailboxSessionMapperFactory getMailboxSessionMapperFactory() {
        return mailboxManager.getMapperFactory();
    }

    @Override
    protected AttachmentMapperFactory getAttachmentMapperFactory() {
        return (AttachmentMapperFactory) mailboxManager.getMapperFactory();
    }
}
