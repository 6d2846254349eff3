package org.epost.mailbox;

import java.util.List;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.AbstractMessageSearchIndexTest;

/**
 * James's SEARCH contract on the ePOST backend, whatever the search index: subclasses say how the resources (and so
 * the index) are built. Every index used here is up to date when an append returns (the scanning index reads the
 * mailboxes directly; listening indexes are fed by the synchronous in-VM event bus), so nothing is awaited.
 */
public abstract class PostSearchIndexContract extends AbstractMessageSearchIndexTest {

    /** The backend and search index under test, built afresh for each test. */
    protected abstract PostIntegrationResources resources();

    @Override
    protected void initializeMailboxManager() {
        PostIntegrationResources resources = resources();
        storeMailboxManager = resources.getMailboxManager();
        messageIdManager = resources.getMessageIdManager();
        messageSearchIndex = resources.getSearchIndex();
        eventBus = resources.getEventBus();
        messageIdFactory = resources.getMessageIdFactory();
    }

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
