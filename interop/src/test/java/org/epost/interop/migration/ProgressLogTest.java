package org.epost.interop.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.epost.post.RecordEncodings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressLogTest {
    @TempDir
    Path directory;

    @Test
    void doneAndPendingMessagesSurviveAReopen() throws Exception {
        Path file = directory.resolve("user/progress.log");
        try (ProgressLog log = ProgressLog.open(file)) {
            log.pending("INBOX", 7, 1);
            log.done("INBOX", 7, 1);
            log.pending("INBOX", 7, 2);
            log.done("Sent", 3, 9);
        }
        try (ProgressLog log = ProgressLog.open(file)) {
            assertThat(log.folder("INBOX").uidValidity()).isEqualTo(7);
            assertThat(log.folder("INBOX").isDone(1)).isTrue();
            assertThat(log.folder("INBOX").isPending(2)).isTrue();
            assertThat(log.folder("INBOX").isDone(2)).isFalse();
            assertThat(log.folder("Sent").isDone(9)).isTrue();
            assertThat(log.folder("Drafts").doneCount()).isZero();
        }
    }

    @Test
    void aNewUidValidityForgetsTheOldUids() throws Exception {
        try (ProgressLog log = ProgressLog.open(directory.resolve("progress.log"))) {
            log.done("INBOX", 7, 1);
            log.done("INBOX", 8, 5);
            assertThat(log.folder("INBOX").isDone(1)).isFalse();
            assertThat(log.folder("INBOX").isDone(5)).isTrue();
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndGarbageIsRefusedWithTheFileName() throws Exception {
        Path file = directory.resolve("progress.log");
        try (ProgressLog log = ProgressLog.open(file)) {
            log.done("INBOX", 7, 1);
        }
        long whole = Files.size(file);
        byte[] torn = new byte[] {0, 0, 0, 30, (byte) 0x85, 1};
        Files.write(file, torn, StandardOpenOption.APPEND);
        try (ProgressLog log = ProgressLog.open(file)) {
            assertThat(log.folder("INBOX").isDone(1)).isTrue();
            log.done("INBOX", 7, 2);
        }
        assertThat(Files.size(file)).isGreaterThan(whole);
        try (ProgressLog log = ProgressLog.open(file)) {
            assertThat(log.folder("INBOX").isDone(2)).isTrue();
        }

        Files.write(file, new byte[] {0, 0, 0, 3, 1, 2, 3}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ProgressLog.open(file)).isInstanceOf(IOException.class)
            .hasMessageContaining(file + " is corrupt");
    }

    @Test
    void entriesHaveOneCanonicalEncoding() {
        ProgressEntry entry = new ProgressEntry(ProgressEntry.State.PENDING, "Archive/2023", 1_700_000_000L, 42);
        assertThat(ProgressEntry.decode(entry.encode())).isEqualTo(entry);
        for (byte[] malformed : RecordEncodings.malformed(entry.encode())) {
            assertThatThrownBy(() -> ProgressEntry.decode(malformed)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
