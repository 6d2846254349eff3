package org.epost.peer.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.inmemory.InMemoryId;
import org.apache.james.mailbox.inmemory.InMemoryMessageId;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mime4j.dom.Message;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.epost.peer.config.EpostConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Flux;

class CommittingLuceneSearchIndexTest {
    private static final Username BOB = Username.of("bob@epost.test");

    @TempDir
    Path dataDirectory;

    @Test
    void theIndexLivesInTheSearchIndexFolderOfTheDataDirectory() throws IOException {
        EpostConfiguration configuration = new EpostConfiguration("peer1", dataDirectory, Optional.empty());

        try (Directory directory = new EpostSearchModule().searchIndexDirectory(configuration)) {
            assertThat(((FSDirectory) directory).getDirectory().toPath())
                .isEqualTo(dataDirectory.resolve("search-index"));
            assertThat(Files.isDirectory(dataDirectory.resolve("search-index"))).isTrue();
        }
    }

    @Test
    void aDeliveredMessageIsSearchableAndAlreadyCommittedToDisk() throws Exception {
        Path indexFolder = dataDirectory.resolve("search-index");
        CommittingLuceneSearchIndex[] index = new CommittingLuceneSearchIndex[1];
        MessageManager mailbox = inbox(indexFolder, index);

        mailbox.appendMessage(MessageManager.AppendCommand.from(Message.Builder.of()
            .setSubject("lunch")
            .setBody("the quarterly zanzibar figures", StandardCharsets.UTF_8)), session);

        SearchQuery bodyWord = SearchQuery.of(SearchQuery.bodyContains("zanzibar"));
        assertThat(Flux.from(mailbox.search(bodyWord, session)).collectList().block()).hasSize(1);
        // a reader of the folder alone sees only committed documents: what a peer restarted after a crash would see
        try (IndexReader committed = IndexReader.open(FSDirectory.open(indexFolder.toFile()))) {
            assertThat(committed.numDocs()).isGreaterThanOrEqualTo(1);
        }
        index[0].close();
    }

    @Test
    void aLargeMessageIsIndexedAsFarAsItsFirstFourMebibytesWithItsWholeSize() throws Exception {
        CommittingLuceneSearchIndex[] index = new CommittingLuceneSearchIndex[1];
        MessageManager mailbox = inbox(dataDirectory.resolve("search-index"), index);
        String line = "filler text of a long report, line after line of it\r\n";
        String body = "zanzibar at the start\r\n" + line.repeat((int) (6L << 20) / line.length())
            + "kilimanjaro at the end\r\n";

        mailbox.appendMessage(MessageManager.AppendCommand.builder().build("From: alice@epost.test\r\n"
            + "Subject: report\r\nContent-Type: text/plain\r\n\r\n" + body), session);

        assertThat(Flux.from(mailbox.search(SearchQuery.of(SearchQuery.bodyContains("zanzibar")), session))
            .collectList().block()).hasSize(1);
        assertThat(Flux.from(mailbox.search(SearchQuery.of(SearchQuery.bodyContains("kilimanjaro")), session))
            .collectList().block()).isEmpty();
        assertThat(Flux.from(mailbox.search(SearchQuery.of(SearchQuery.sizeGreaterThan(6L << 20)), session))
            .collectList().block()).hasSize(1);
        assertThat(Flux.from(mailbox.search(SearchQuery.of(SearchQuery.headerContains("Subject", "report")),
            session)).collectList().block()).hasSize(1);
        index[0].close();
    }

    private MailboxSession session;

    /** Bob's INBOX in James's memory backend, searched through the committing index (kept in {@code index[0]}). */
    private MessageManager inbox(Path indexFolder, CommittingLuceneSearchIndex[] index) throws Exception {
        InMemoryIntegrationResources resources = InMemoryIntegrationResources.builder()
            .preProvisionnedFakeAuthenticator()
            .fakeAuthorizator()
            .inVmEventBus()
            .defaultAnnotationLimits()
            .defaultMessageParser()
            .listeningSearchIndex(stage -> {
                try {
                    index[0] = new CommittingLuceneSearchIndex(stage.getMapperFactory(), new InMemoryId.Factory(),
                        FSDirectory.open(indexFolder.toFile()), new InMemoryMessageId.Factory(),
                        stage.getSessionProvider());
                    return index[0];
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })
            .noPreDeletionHooks()
            .storeQuotaManager()
            .build();
        session = resources.getMailboxManager().createSystemSession(BOB);
        MailboxPath inbox = MailboxPath.inbox(session);
        resources.getMailboxManager().createMailbox(inbox, session);
        return resources.getMailboxManager().getMailbox(inbox, session);
    }
}
