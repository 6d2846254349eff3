package org.epost.interop.migration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's migration progress on this peer: which legacy messages (folder, UIDVALIDITY, UID) are already in the ePOST
 * mailbox, so that a re-run or a run after a crash copies only what is new. An append-only file of
 * {@link ProgressEntry} records, each framed by a 4-byte length and fsynced before the call returns: {@code PENDING}
 * before a message is appended, {@code DONE} after. A message left {@code PENDING} by a crash may or may not be in the
 * mailbox; the copier checks the mailbox for it before copying it again. A torn last record (crash while writing) is
 * cut off when the log is opened; anything else that does not decode stops the migration with the file's name.
 */
public final class ProgressLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
    private static final int MAX_RECORD = 16 * 1024;

    /** What the log knows of one legacy folder. */
    public static final class FolderProgress {
        private long uidValidity;
        private final Set<Long> done = new HashSet<>();
        private final Set<Long> pending = new HashSet<>();

        public long uidValidity() {
            return uidValidity;
        }

        public boolean isDone(long uid) {
            return done.contains(uid);
        }

        public boolean isPending(long uid) {
            return pending.contains(uid);
        }

        public int doneCount() {
            return done.size();
        }

        /** Whether no run ever logged a message of this folder. */
        public boolean isEmpty() {
            return done.isEmpty() && pending.isEmpty();
        }

        void apply(ProgressEntry entry) {
            if (entry.uidValidity() != uidValidity) {
                // The legacy server renumbered the folder: old UIDs mean nothing any more.
                uidValidity = entry.uidValidity();
                done.clear();
                pending.clear();
            }
            if (entry.state() == ProgressEntry.State.DONE) {
                pending.remove(entry.uid());
                done.add(entry.uid());
            } else if (!done.contains(entry.uid())) {
                pending.add(entry.uid());
            }
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final Map<String, FolderProgress> folders;

    private ProgressLog(Path file, FileChannel channel, Map<String, FolderProgress> folders) {
        this.file = file;
        this.channel = channel;
        this.folders = folders;
    }

    public static ProgressLog open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        Map<String, FolderProgress> folders = new HashMap<>();
        int position = 0;
        while (position < bytes.length) {
            if (bytes.length - position < 4) {
                break;
            }
            int length = ByteBuffer.wrap(bytes, position, 4).getInt();
            if (length <= 0 || length > MAX_RECORD) {
                throw new IOException("the migration progress log " + file + " is corrupt at byte " + position);
            }
            if (bytes.length - position - 4 < length) {
                break;
            }
            byte[] record = new byte[length];
            System.arraycopy(bytes, position + 4, record, 0, length);
            ProgressEntry entry;
            try {
                entry = ProgressEntry.decode(record);
            } catch (IllegalArgumentException e) {
                throw new IOException("the migration progress log " + file + " is corrupt at byte " + position + ": "
                    + e.getMessage(), e);
            }
            folders.computeIfAbsent(entry.folder(), name -> new FolderProgress()).apply(entry);
            position += 4 + length;
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (position < bytes.length) {
            LOG.warn("Cutting a torn last record ({} bytes) off the migration progress log {}", bytes.length - position,
                file);
            channel.truncate(position);
            channel.force(true);
        }
        channel.position(position);
        return new ProgressLog(file, channel, folders);
    }

    public FolderProgress folder(String name) {
        return folders.computeIfAbsent(name, n -> new FolderProgress());
    }

    public void pending(String folder, long uidValidity, long uid) throws IOException {
        append(new ProgressEntry(ProgressEntry.State.PENDING, folder, uidValidity, uid));
    }

    public void done(String folder, long uidValidity, long uid) throws IOException {
        append(new ProgressEntry(ProgressEntry.State.DONE, folder, uidValidity, uid));
    }

    private void append(ProgressEntry entry) throws IOException {
        byte[] record = entry.encode();
        ByteBuffer buffer = ByteBuffer.allocate(4 + record.length).putInt(record.length).put(record).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        folder(entry.folder()).apply(entry);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
