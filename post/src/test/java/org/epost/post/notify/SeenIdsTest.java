package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The home peer's seen ids on disk: kept across restarts for a window after each notification's date, no longer. */
class SeenIdsTest {
    private static final long DAY = 86_400_000L;
    private static final long WINDOW = 31 * DAY;

    @TempDir
    Path directory;
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);

    private static byte[] id(int n) {
        byte[] id = new byte[Notification.ID_BYTES];
        id[0] = (byte) n;
        id[1] = (byte) (n >>> 8);
        return id;
    }

    private SeenIds open() throws Exception {
        return SeenIds.file(directory.resolve("seen-ids"), WINDOW, clock::get);
    }

    @Test
    void idsSurviveARestartWithinTheirWindowAndAreForgottenAfterIt() throws Exception {
        SeenIds seen = open();
        seen.add(id(1), clock.get() - 30 * DAY);
        seen.add(id(2), clock.get());
        assertThat(seen.contains(id(1))).isTrue();

        clock.addAndGet(2 * DAY);
        SeenIds reopened = open();

        assertThat(reopened.contains(id(1))).as("dated 32 days ago").isFalse();
        assertThat(reopened.contains(id(2))).isTrue();
        assertThat(Files.readAllLines(directory.resolve("seen-ids"))).as("the compacted file").hasSize(1);
        assertThat(reopened.remembers(clock.get() - 30 * DAY, clock.get())).isTrue();
        assertThat(reopened.remembers(clock.get() - 32 * DAY, clock.get())).isFalse();
    }

    @Test
    void linesOfTheFirstFormatAreKeptOneMoreWindowAndATornLastLineIsIgnored() throws Exception {
        String old = HexFormat.of().formatHex(id(3));
        String torn = HexFormat.of().formatHex(id(4)).substring(0, 10);
        Files.writeString(directory.resolve("seen-ids"), old + "\n" + "zz not an id\n" + torn, StandardCharsets.US_ASCII);

        SeenIds seen = open();
        assertThat(seen.contains(id(3))).isTrue();
        assertThat(seen.contains(id(4))).isFalse();

        clock.addAndGet(WINDOW - DAY);
        assertThat(open().contains(id(3))).isTrue();
        clock.addAndGet(2 * DAY);
        assertThat(open().contains(id(3))).isFalse();
    }

    @Test
    void addsAnswerOnceOnDiskAndShareForces() throws Exception {
        Path path = directory.resolve("seen-ids");
        SeenIdsFile file = SeenIdsFile.open(path, WINDOW, clock::get, true);
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            String hex = HexFormat.of().formatHex(id(n));
            durable.add(file.add(hex, clock.get()));
            assertThat(file.contains(hex)).as("seen at once, before its force").isTrue();
        }
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get();

        assertThat(file.forces()).as("one force for every line written while the previous one ran").isLessThan(1000);
        assertThat(Files.readAllLines(path)).hasSize(1000);
        SeenIds reopened = open();
        assertThat(reopened.contains(id(0))).isTrue();
        assertThat(reopened.contains(id(999))).isTrue();
    }

    @Test
    void begunLinesAreGroupCommittedAndKeptAcrossARestart() throws Exception {
        SeenIds seen = SeenIds.groupCommitted(directory.resolve("seen-ids"), WINDOW, clock::get);
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            durable.add(seen.begin(id(n), clock.get()));
            assertThat(seen.begun(id(n))).as("begun at once, before its force").isTrue();
        }
        for (int n = 0; n < 100; n++) {
            durable.add(seen.add(id(n), clock.get()));
        }
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get();

        SeenIds reopened = open();
        assertThat(reopened.contains(id(0))).isTrue();
        assertThat(reopened.begun(id(0))).isFalse();
        assertThat(reopened.begun(id(199))).isTrue();
        assertThat(reopened.contains(id(199))).isFalse();
    }

    @Test
    void anIdAddedTwiceIsWrittenOnce() throws Exception {
        SeenIds seen = open();
        seen.add(id(5), clock.get()).get();
        seen.add(id(5), clock.get()).get();
        assertThat(Files.readAllLines(directory.resolve("seen-ids"))).hasSize(1);
    }

    @Test
    void anIdBegunAndNotAddedIsBegunAfterARestartAndAddingItEndsThat() throws Exception {
        SeenIds seen = open();
        seen.begin(id(6), clock.get()).get();
        seen.begin(id(7), clock.get()).get();
        seen.add(id(7), clock.get()).get();
        seen.begin(id(7), clock.get()).get();
        assertThat(seen.begun(id(6))).isTrue();
        assertThat(seen.contains(id(6))).isFalse();
        assertThat(seen.begun(id(7))).as("added after it was begun, and not begun again").isFalse();

        SeenIds reopened = open();
        assertThat(reopened.begun(id(6))).isTrue();
        assertThat(reopened.contains(id(6))).isFalse();
        assertThat(reopened.begun(id(7))).isFalse();
        assertThat(reopened.contains(id(7))).isTrue();
        assertThat(Files.readAllLines(directory.resolve("seen-ids"))).as("compacted: one line each")
            .containsExactlyInAnyOrder(HexFormat.of().formatHex(id(6)) + " " + clock.get() + " begun",
                HexFormat.of().formatHex(id(7)) + " " + clock.get());

        reopened.add(id(6), clock.get());
        assertThat(open().begun(id(6))).isFalse();
        clock.addAndGet(WINDOW + DAY);
        reopened = open();
        reopened.begin(id(8), clock.get() - WINDOW - DAY);
        assertThat(open().begun(id(8))).as("expired like the seen ids").isFalse();
    }

    @Test
    void aLineWithAnUnknownMarkIsIgnored() throws Exception {
        String hex = HexFormat.of().formatHex(id(9));
        Files.writeString(directory.resolve("seen-ids"), hex + " " + clock.get() + " later\n", StandardCharsets.US_ASCII);
        SeenIds seen = open();
        assertThat(seen.contains(id(9))).isFalse();
        assertThat(seen.begun(id(9))).isFalse();
    }
}
