package org.epost.post.notify;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Run in a JVM of its own with a small heap by {@link DelegateStoreHeapTest}: {@code fill <dir> <count> <bytes>} keeps
 * {@code count} notifications of {@code bytes} each, as a delegate taking that many delegations would;
 * {@code restart <dir> <count> <bytes>} opens the store again, checks its index and reads every body back one at a
 * time (as the delegate's retry round does). Prints its peak heap and resident set; exits non-zero on any failure,
 * an {@link OutOfMemoryError} included.
 */
public final class DelegateStoreHeapProbe {
    private DelegateStoreHeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        String phase = args[0];
        Path directory = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int bytes = Integer.parseInt(args[3]);
        long quota = (long) count * bytes * 4;
        DelegateStore store = DelegateStore.directory(directory, quota);
        Random random = new Random(1);
        if (phase.equals("fill")) {
            for (int i = 0; i < count; i++) {
                byte[] id = new byte[Notification.ID_BYTES];
                random.nextBytes(id);
                byte[] box = new byte[bytes];
                random.nextBytes(box);
                // two sending peers, each within its half of the quota
                NodeHandle origin = new NodeHandle(Id.hash("origin-" + (i % 2)), "10.0.0." + (i % 2) + ":7000");
                store.put(new DelegateStore.Entry(id, "user" + (i % 10) + "@example.org", i, origin, bytes), box);
            }
        } else {
            List<DelegateStore.Entry> index = store.index();
            if (index.size() != count) {
                throw new AssertionError("restarted with " + index.size() + " notifications, not " + count);
            }
            for (DelegateStore.Entry entry : index) {
                int length = store.box(entry.id()).orElseThrow().length;
                if (length != bytes) {
                    throw new AssertionError("body of " + length + " bytes, not " + bytes);
                }
            }
        }
        // the pools peak at different times: their sum bounds the peak heap from above
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: unknown").replaceAll("\\s+", " ");
        System.out.println(phase + ": " + store.index().size() + " notifications, " + store.usedBytes()
                + " bytes on disk; heap retained " + (retained >> 20) + " MiB, sum of pool peaks "
                + (peakHeap >> 20) + " MiB, max " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; peak RSS " + rss);
    }
}
