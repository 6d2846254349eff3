package org.epost.mailbox;

import org.apache.james.mailbox.store.AbstractMessageIdManagerStorageTest;
import org.apache.james.mailbox.store.MessageIdManagerTestSystem;

/** James's by-message-id manager storage contract against the ePOST backend. */
class PostMessageIdManagerStorageTest extends AbstractMessageIdManagerStorageTest {
    @Override
    protected MessageIdManagerTestSystem createTestingData() {
        PostIntegrationResources resources = PostIntegrationResources.defaultResources();
        return new MessageIdManagerTestSystem(resources.getMessageIdManager(), resources.getMessageIdFactory(),
            resources.getMapperFactory(), resources.getMailboxManager());
    }
}
