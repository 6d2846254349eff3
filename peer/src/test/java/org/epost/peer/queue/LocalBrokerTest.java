package org.epost.peer.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;

import reactor.core.publisher.Flux;

/**
 * The peer's spool on its real broker and disk: no network listener, and a large mail kept in the fsynced journal
 * (not in an unsynced blob file) comes out of a restarted broker byte for byte.
 */
class LocalBrokerTest {
    @TempDir
    Path workingDirectory;

    /** With and without {@code post.domains}: a peer without a vault secret seals its spool too. */
    @ParameterizedTest(name = "with post.domains: {0}")
    @ValueSource(booleans = {true, false})
    void theBrokerListensOnNoNetworkAndLargeMailsGoToTheJournalAndSurviveARestart(boolean withDomains) throws Exception {
        byte[] attachment = new byte[12 * 1024 * 1024];
        new Random(7).nextBytes(attachment);
        String marker = "spooled-plaintext-marker-4b1d";
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder()
            .setSubject("large " + marker)
            .setMultipartWithBodyParts(
                MimeMessageBuilder.bodyPartBuilder().data("see attachment"),
                MimeMessageBuilder.bodyPartBuilder().data(attachment).filename("data.bin"))
            .build();
        byte[] sent = bytesOf(message);

        Injector first = SpoolInjector.create(workingDirectory.toString(), withDomains);
        LocalBroker broker = first.getInstance(LocalBroker.class);
        assertThat(broker.networkConnectors()).as("network connectors of the broker").isZero();
        spool(first).enQueue(MailImpl.builder().name("large-1").sender(new MailAddress("alice@epost.test"))
            .addRecipient(new MailAddress("bob@epost.test")).mimeMessage(message).build());
        closeQueues(first);
        broker.stop();

        assertThat(filesUnder(workingDirectory.resolve("var/store/activemq/blob-transfer")))
            .as("blob files (written without fsync)").isZero();
        assertThat(filesUnder(workingDirectory.resolve("var/store/activemq/brokers/KahaDB")))
            .as("the journal, in James's data directory (not in the process's working directory)").isPositive();
        assertThat(filesContaining(workingDirectory, marker)).as("files holding the message in plaintext").isEmpty();

        Injector second = SpoolInjector.create(workingDirectory.toString(), withDomains);
        MailQueue.MailQueueItem item = Flux.from(spool(second).deQueue()).next().block(Duration.ofMinutes(2));
        assertThat(item).isNotNull();
        assertThat(item.getMail().getName()).isEqualTo("large-1");
        assertThat(bytesOf(item.getMail().getMessage())).isEqualTo(sent);
        item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        closeQueues(second);
        second.getInstance(LocalBroker.class).stop();
    }

    @Test
    void aJournalLeftInTheWorkingDirectoryByAnEarlierVersionIsMovedUnderTheDataDirectory() throws Exception {
        Path earlier = Files.createDirectories(workingDirectory.resolve("KahaDB"));
        Files.write(earlier.resolve("db-1.log"), new byte[] {1, 2, 3});
        File data = workingDirectory.resolve("var/store/activemq/brokers").toFile();

        File journal = LocalBroker.journalDirectory(data, earlier.toFile());

        assertThat(journal).isEqualTo(new File(data, "KahaDB"));
        assertThat(Files.readAllBytes(journal.toPath().resolve("db-1.log"))).containsExactly(1, 2, 3);
        assertThat(earlier).doesNotExist();
        // once moved, an empty directory of that name appearing again is left alone
        Files.createDirectories(earlier);
        assertThat(LocalBroker.journalDirectory(data, earlier.toFile())).isEqualTo(journal);
        assertThat(journal.toPath().resolve("db-1.log")).exists();
    }

    private static MailQueue spool(Injector injector) {
        return injector.getInstance(Key.get(new TypeLiteral<MailQueueFactory<?>>() { })).createQueue(MailQueueFactory.SPOOL);
    }

    private static void closeQueues(Injector injector) {
        injector.getInstance(PersistentMailQueueFactory.class).destroy();
    }

    private static byte[] bytesOf(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static java.util.List<Path> filesContaining(Path directory, String marker) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static long filesUnder(Path directory) throws Exception {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
