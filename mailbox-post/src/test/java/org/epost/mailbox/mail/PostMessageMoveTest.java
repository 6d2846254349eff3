package org.epost.mailbox.mail;

import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageMoveTest;

/** James's message move contract against the ePOST backend. */
class PostMessageMoveTest extends MessageMoveTest {
    @Override
    protected MapperProvider createMapperProvider() {
        return new PostMapperProvider();
    }
}
