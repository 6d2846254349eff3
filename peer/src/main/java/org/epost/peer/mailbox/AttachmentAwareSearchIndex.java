package org.epost.peer.mailbox;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;

import reactor.core.publisher.Flux;

/**
 * The peer's search: James's Lucene index for every query, except the ones about attachment contents or attachment
 * file names, which James's Lucene index does not index, and the ones with a MODSEQ criterion (CONDSTORE's
 * SEARCH MODSEQ), which James's Lucene index answers with nothing; James's scanning index answers those (reading the
 * folder's messages). James's JMAP server refuses to start without the attachment capabilities, so without this the
 * peer could not offer JMAP and a full-text index at once.
 */
public class AttachmentAwareSearchIndex implements MessageSearchIndex {
    private static final EnumSet<MailboxManager.SearchCapabilities> FROM_SCANNING =
        EnumSet.of(MailboxManager.SearchCapabilities.Attachment, MailboxManager.SearchCapabilities.AttachmentFileName);

    private final CommittingLuceneSearchIndex lucene;
    private final SimpleMessageSearchIndex scanning;

    @Inject
    public AttachmentAwareSearchIndex(CommittingLuceneSearchIndex lucene, SimpleMessageSearchIndex scanning) {
        this.lucene = lucene;
        this.scanning = scanning;
    }

    @Override
    public Flux<MessageUid> search(MailboxSession session, Mailbox mailbox, SearchQuery query) throws MailboxException {
        return indexFor(query).search(session, mailbox, query);
    }

    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery query,
                                  long limit) throws MailboxException {
        return indexFor(query).search(session, mailboxIds, query, limit);
    }

    @Override
    public EnumSet<MailboxManager.SearchCapabilities> getSupportedCapabilities(
            EnumSet<MailboxManager.MessageCapabilities> messageCapabilities) {
        EnumSet<MailboxManager.SearchCapabilities> capabilities = EnumSet.copyOf(FROM_SCANNING);
        capabilities.addAll(lucene.getSupportedCapabilities(messageCapabilities));
        return capabilities;
    }

    MessageSearchIndex indexFor(SearchQuery query) {
        return needsScanning(query.getCriteria()) ? scanning : lucene;
    }

    private static boolean needsScanning(List<SearchQuery.Criterion> criteria) {
        return criteria.stream().anyMatch(AttachmentAwareSearchIndex::needsScanning);
    }

    private static boolean needsScanning(SearchQuery.Criterion criterion) {
        if (criterion instanceof SearchQuery.TextCriterion text) {
            return text.getType() == SearchQuery.Scope.ATTACHMENTS
                || text.getType() == SearchQuery.Scope.ATTACHMENT_FILE_NAME;
        }
        if (criterion instanceof SearchQuery.ModSeqCriterion) {
            return true;
        }
        if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction) {
            return needsScanning(conjunction.getCriteria());
        }
        return false;
    }
}
