package org.epost.mailbox;

import java.util.List;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.AbstractMessageSearchIndexTest;

/**
 * James's SEARCH contract with James's scanning search index reading the ePOST backend: message contents are fetched
 * lazily from the message store while searching, flags and dates come from the folder states. Not run by surefire
 * directly (see {@link PostScanningSearchTest}): a few of its tests fail on the scanning index itself.
 */
public class PostScanningSearchContract extends AbstractMessageSearchIndexTest {
    @Override
    protected void initializeMailboxManager() {
        PostIntegrationResources resources = PostIntegrationResources.defaultResources();
        storeMailboxManager = resources.getMailboxManager();
        messageIdManager = resources.getMessageIdManager();
        messageSearchIndex = resources.getSearchIndex();
        eventBus = resources.getEventBus();
        messageIdFactory = resources.getMessageIdFactory();
    }

    /** The scanning index reads the mailboxes directly: everything appended is searchable at once. */
    @Override
    protected void awaitMessageCount(List<MailboxId> mailboxIds, SearchQuery query, long messageCount) {
    }

    @Override
    protected MessageId initNewBasedMessageId() {
        return messageIdFactory.generate();
    }

    @Override
    protected MessageId initOtherBasedMessageId() {
        return messageIdFactory.generate();
    }
}
