package org.epost.mailbox.mail;

import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.apache.james.mailbox.store.user.SubscriptionMapperTest;

/** James's SubscriptionMapper contract against the ePOST backend. */
class PostSubscriptionMapperTest extends SubscriptionMapperTest {
    @Override
    protected SubscriptionMapper createSubscriptionMapper() {
        return new PostMapperProvider().factory().createSubscriptionMapper(null);
    }
}
