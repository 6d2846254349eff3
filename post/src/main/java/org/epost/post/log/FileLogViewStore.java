package org.epost.post.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LogViewStore} in a directory: {@code views/<handle>.view} (the sealed view) and
 * {@code versions/<handle>.version} (canonical CBOR {@code [version 1, highest head version: uint]}). Each file is written whole to a temporary file, fsynced, and renamed
 * over the old one, so a crash leaves the old or the new content, never a torn one. Views are small (one per folder),
 * written at snapshots and on close, so one file each is simpler than an embedded store here. Temporary files have
 * random names, so that saves of one view on two threads never write into one file.
 */
public final class FileLogViewStore implements LogViewStore {
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(FileLogViewStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CanonicalCborReader.Failures<IOException> FAILURES =
        (oversized, message, cause) -> new IOException(message, cause);
    private final Path views;
    private final Path versions;
    private final Executor later;

    /** A store whose {@link #saveViewLater} saves at once, on the calling thread. */
    public FileLogViewStore(Path directory) throws IOException {
        this(directory, Runnable::run);
    }

    private FileLogViewStore(Path directory, Executor later) throws IOException {
        this.views = Files.createDirectories(directory.resolve("views"));
        this.versions = Files.createDirectories(directory.resolve("versions"));
        this.later = later;
        deleteTemporaryFiles(views);
        deleteTemporaryFiles(versions);
    }

    /** What a crash left of a write (its name random, so no later write would replace it). */
    private static void deleteTemporaryFiles(Path directory) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * A store whose {@link #saveViewLater} seals and writes on one daemon thread of its own, 64 saves queued at most
     * (beyond that a save is dropped and logged: the view is only a cache, the next open replays and saves again).
     */
    public static FileLogViewStore withBackgroundSaves(Path directory) throws IOException {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64),
            task -> {
                Thread thread = new Thread(task, "epost-view-saves");
                thread.setDaemon(true);
                return thread;
            });
        executor.allowCoreThreadTimeOut(true);
        return new FileLogViewStore(directory, executor);
    }

    public Path viewFile(Id log) {
        return views.resolve(log.toHex() + ".view");
    }

    private Path versionFile(Id log) {
        return versions.resolve(log.toHex() + ".version");
    }

    @Override
    public Optional<byte[]> loadView(Id log) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(viewFile(log)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The file mapped read-only: views are replaced by a rename, never written in place, so the mapping keeps the
     * content it was made of (the old file's) after a newer view or a delete, and no descriptor stays open.
     */
    @Override
    public Optional<ByteBuffer> mapView(Id log) throws IOException {
        try (FileChannel channel = FileChannel.open(viewFile(log), StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException("view " + viewFile(log) + " of " + channel.size() + " bytes is too large");
            }
            return Optional.of(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void saveView(Id log, byte[] sealedView) throws IOException {
        writeAtomically(viewFile(log), sealedView);
    }

    @Override
    public void saveViewLater(Id log, Supplier<byte[]> sealing) {
        try {
            later.execute(() -> {
                try {
                    saveView(log, sealing.get());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot cache the view of {}: {}", log, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Too many cached views waiting to be saved: the view of {} is not saved", log);
        }
    }

    /** Waits until the saves queued before this call are done (at once when saves are not in the background). */
    public void awaitSaves() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        while (true) {
            try {
                later.execute(done::countDown);
                break;
            } catch (RejectedExecutionException e) {
                Thread.sleep(10); // the queue is full: it drains
            }
        }
        done.await();
    }

    @Override
    public void deleteView(Id log) throws IOException {
        Files.deleteIfExists(viewFile(log));
    }

    @Override
    public synchronized long highestHeadVersion(Id log) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(versionFile(log));
            try {
                return CborRecordReader.decodeCanonical(bytes, "head version file", FAILURES, in -> {
                    in.beginRecord(VERSION, "head version file");
                    long version = in.nonNegative("head version");
                    in.endArray();
                    return version;
                }, FileLogViewStore::encodeVersion);
            } catch (IOException e) {
                throw new IOException("corrupt version file " + versionFile(log) + ": " + e.getMessage(), e);
            }
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public synchronized void recordHeadVersion(Id log, long version) throws IOException {
        if (version > highestHeadVersion(log)) {
            writeAtomically(versionFile(log), encodeVersion(version));
        }
    }

    static byte[] encodeVersion(long version) {
        return CborRecordWriter.versioned(VERSION, 1, 16).number(version).end().toBytes();
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + "." + Long.toHexString(RANDOM.nextLong())
            + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // some platforms cannot fsync a directory; the rename is still atomic
        }
    }
}
