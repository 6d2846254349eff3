package org.epost.peer.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.inmemory.InMemoryId;
import org.apache.james.mailbox.inmemory.InMemoryMessageId;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
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
    void aDeliveredMessageIsSearchableAtOnceAndOnDiskAfterTheNextCommitRound() throws Exception {
        MessageManager mailbox = inbox();

        mailbox.appendMessage(message("lunch", "the quarterly zanzibar figures"), session);

        assertThat(Flux.from(mailbox.search(bodyContains("zanzibar"), session)).collectList().block()).hasSize(1);
        // a reader of the folder alone sees only committed documents: what a peer restarted after a crash would see
        assertThat(committedDocuments(indexFolder())).isZero();
        index.commitIfChanged();
        assertThat(committedDocuments(indexFolder())).isGreaterThanOrEqualTo(1);
        index.close();
    }

    @Test
    void closingCommitsWhatWasIndexed() throws Exception {
        MessageManager mailbox = inbox();
        mailbox.appendMessage(message("lunch", "the quarterly zanzibar figures"), session);

        index.close();

        assertThat(committedDocuments(indexFolder())).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anIndexLeftUncommittedIsCaughtUpWithTheFolderAtItsFirstSearch() throws Exception {
        MessageManager mailbox = inbox();
        MessageUid flagged = appended(mailbox, "one", "the first aardvark");
        MessageUid expunged = appended(mailbox, "two", "the second aardvark");
        MessageUid kept = appended(mailbox, "three", "the third aardvark");
        index.commitIfChanged();
        // after this commit: a flag set, a message expunged, one delivered; none committed
        mailbox.setFlags(new Flags(Flags.Flag.FLAGGED), MessageManager.FlagsUpdateMode.ADD, MessageRange.one(flagged),
            session);
        mailbox.setFlags(new Flags(Flags.Flag.DELETED), MessageManager.FlagsUpdateMode.ADD,
            MessageRange.one(expunged), session);
        mailbox.expunge(MessageRange.one(expunged), session);
        MessageUid late = appended(mailbox, "four", "a kilimanjaro aardvark");

        // what a kill -9 leaves on disk: the files as they are, the last commit the only one a new writer reads
        Path crashed = copyOf(indexFolder(), dataDirectory.resolve("crashed"));
        CommittingLuceneSearchIndex restarted = indexOver(crashed);
        Mailbox folder = mailbox.getMailboxEntity();

        assertThat(restarted.caughtUp()).isFalse();
        assertThat(uids(restarted, folder, SearchQuery.bodyContains("kilimanjaro"))).containsExactly(late);
        assertThat(uids(restarted, folder, SearchQuery.bodyContains("aardvark")))
            .containsExactlyInAnyOrder(flagged, kept, late);
        assertThat(uids(restarted, folder, SearchQuery.flagIsSet(Flags.Flag.FLAGGED))).containsExactly(flagged);
        restarted.close();
        index.close();
    }

    @Test
    void theStartsCatchUpIndexesEveryFolderOfTheOwnersAndItsResultIsCommitted() throws Exception {
        MessageManager mailbox = inbox();
        MessageUid uid = appended(mailbox, "late", "a kilimanjaro figure");
        Path crashed = copyOf(indexFolder(), dataDirectory.resolve("crashed"));
        CommittingLuceneSearchIndex restarted = indexOver(crashed);

        assertThat(restarted.catchUpAll(List.of(BOB))).isEqualTo(1);

        assertThat(restarted.caughtUp()).isTrue();
        assertThat(uids(restarted, mailbox.getMailboxEntity(), SearchQuery.bodyContains("kilimanjaro")))
            .containsExactly(uid);
        // a second pass finds nothing to do
        assertThat(restarted.catchUpAll(List.of(BOB))).isZero();
        restarted.commitIfChanged();
        assertThat(committedDocuments(crashed)).isGreaterThanOrEqualTo(1);
        restarted.close();
        index.close();
    }

    @Test
    void aLargeMessageIsIndexedAsFarAsItsFirstFourMebibytesWithItsWholeSize() throws Exception {
        MessageManager mailbox = inbox();
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
        index.close();
    }

    private static MessageManager.AppendCommand message(String subject, String body) throws IOException {
        return MessageManager.AppendCommand.from(Message.Builder.of()
            .setSubject(subject)
            .setBody(body, StandardCharsets.UTF_8));
    }

    private MessageUid appended(MessageManager mailbox, String subject, String body) throws Exception {
        return mailbox.appendMessage(message(subject, body), session).getId().getUid();
    }

    private static SearchQuery bodyContains(String word) {
        return SearchQuery.of(SearchQuery.bodyContains(word));
    }

    private List<MessageUid> uids(CommittingLuceneSearchIndex searched, Mailbox folder, SearchQuery.Criterion criterion)
            throws Exception {
        return searched.search(session, folder, SearchQuery.of(criterion)).collectList().block();
    }

    /** What a reader of the folder alone sees: no commit yet is no index at all. */
    private static int committedDocuments(Path indexFolder) throws IOException {
        try (Directory directory = FSDirectory.open(indexFolder.toFile())) {
            if (!IndexReader.indexExists(directory)) {
                return 0;
            }
            try (IndexReader committed = IndexReader.open(directory)) {
                return committed.numDocs();
            }
        }
    }

    private static Path copyOf(Path folder, Path copy) throws IOException {
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    /** A second index over {@code folder} and the same mailboxes, on no event bus: what a restarted peer opens. */
    private CommittingLuceneSearchIndex indexOver(Path folder) throws IOException {
        return new CommittingLuceneSearchIndex(mapperFactory, new InMemoryId.Factory(),
            FSDirectory.open(folder.toFile()), new InMemoryMessageId.Factory(), sessionProvider, Duration.ofHours(1));
    }

    private MailboxSession session;
    private CommittingLuceneSearchIndex index;
    private MailboxSessionMapperFactory mapperFactory;
    private SessionProvider sessionProvider;

    private Path indexFolder() {
        return dataDirectory.resolve("search-index");
    }

    /** Bob's INBOX in James's memory backend, searched through the committing index (kept in {@link #index}). */
    private MessageManager inbox() throws Exception {
        InMemoryIntegrationResources resources = InMemoryIntegrationResources.builder()
            .preProvisionnedFakeAuthenticator()
            .fakeAuthorizator()
            .inVmEventBus()
            .defaultAnnotationLimits()
            .defaultMessageParser()
            .listeningSearchIndex(stage -> {
                try {
                    mapperFactory = stage.getMapperFactory();
                    sessionProvider = stage.getSessionProvider();
                    index = new CommittingLuceneSearchIndex(stage.getMapperFactory(), new InMemoryId.Factory(),
                        FSDirectory.open(indexFolder().toFile()), new InMemoryMessageId.Factory(),
                        stage.getSessionProvider(), Duration.ofHours(1));
                    return index;
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
